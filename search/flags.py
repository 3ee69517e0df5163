"""Which warning signs (red flags) a search shows, and in which order.

A flag is raised by words or by places:

- **Words.** Every flag lists sign words, short lay and clinical phrases for its signs
  ("numb saddle", "can't pee"). A phrase raises the flag when all the words of one of
  them occur in it, in any order, after the analysis location search uses
  (:func:`analyse`: stems, direction words folded, misspellings corrected), with the
  words for pain taken as one word ("agony in my testicle" is "testicle pain") and
  filler words such as "the" or "with" not needed. Whether or not the phrase names a
  body part does not matter. Negation is not understood: "no fever" raises what "fever"
  raises.
- **Places.** Every flag is tied to regions. A flag tied to a region chosen or named
  (or to a complaint named) belongs to that place; so, less closely, does a flag tied to
  an area around it or to a region within it.

Order (:func:`ranked`): first the flags words raise, those accounting for more of the
phrase's words first; then flags tied to a region chosen or named; then flags tied only
to an area around it (or a region within it). Urgency breaks ties within a level, never
across levels; then the order of the data file.

What is shown (:func:`choose`): the flags words raise, then at most
:data:`MAX_PLACE_FLAGS` of the places' flags, in that order: those tied to the exact
places that are not emergencies, and emergencies only where pain there alone can be
that emergency (the flag's ``pain_alone`` regions, such as the chest for a heart
attack, or a region within them). Any other emergency waits for its sign words, and
lists with the places' other flags. Warnings for after a treatment are never raised by a
search.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from whoosh.lang.porter import stem

from search.locate import Atlas
from search.locate import RedFlag
from search.locate import Selection
from search.locate import term
from search.locate import words

URGENCY_ORDER = {"emergency": 0, "urgent": 1, "routine": 2}
MAX_PLACE_FLAGS = 3  # flags shown for the places alone, after those the words raise
# Levels of relevance, most relevant first.
WORDS = 0  # the phrase describes the flag's signs
EXACT = 1  # tied to a region chosen or named, or to a complaint named
AROUND = 2  # tied only to an area around a chosen region, or to a region within it
RAISED_BY = {WORDS: "words", EXACT: "place", AROUND: "area"}  # each level as the API names it
PLACE_CONTEXT = "place"  # flags with another context (after a treatment) are never raised here
# Words for pain, taken as one word when matching signs: a sign says "pain", people say "agony" or "aches".
# Not "sore": soreness after effort is the everyday kind, and "a sore" is a wound.
PAIN = "pain"
PAIN_WORDS = frozenset(stem(w) for w in ("pain", "painful", "ache", "aching", "achy", "hurt", "hurting", "agony"))
# "Can't" is analysed as "can t"; the same said without an apostrophe, or in other words, reads the same.
CANNOT = ("can", "t")
NOT_ABLE = {"cant": CANNOT, "cannot": CANNOT, "unabl": CANNOT, "couldn": ("can",), "couldnt": CANNOT}
# Words that join the words of a sign and that a phrase need not repeat ("numb WITH pins AND needles"); not
# "after" or "both", which change what a sign means.
FILLER = frozenset(
    stem(w)
    for w in (
        "a",
        "an",
        "and",
        "at",
        "get",
        "has",
        "have",
        "i",
        "in",
        "is",
        "it",
        "me",
        "on",
        "to",
        "when",
        "with",
        "from",
    )
)


def analyse(text: str, atlas: Atlas) -> list[str]:
    """The words of ``text`` as search analyses them (stems, direction words folded, misspellings
    corrected), "can't" however it is written, and every word for pain as one.

    The one place red flags meet the spelling corrector.
    """
    return _terms(text, lambda word: atlas.sign_speller.word(word) or atlas.speller.word(word))


def _terms(text: str, correct) -> list[str]:
    meant = [fixed for w in words(text) for fixed in (correct(w) or (w,))]
    return [_one_pain(word) for t in map(term, meant) if t for word in NOT_ABLE.get(t, (t,))]


def _one_pain(token: str) -> str:
    return PAIN if token in PAIN_WORDS else token


@cache
def needed(sign_word: str) -> frozenset[str]:
    """The words a phrase must contain to match a sign word: its own, analysed as :func:`analyse`
    analyses a phrase (sign words are the vocabulary, so none is corrected), without filler."""
    needs = _terms(sign_word, lambda word: None)
    return frozenset(w for w in needs if w not in FILLER) or frozenset(needs)


@dataclass(frozen=True)
class Raised:
    """A flag raised for a search, why, and how closely."""

    flag: RedFlag
    level: int
    matched: tuple[str, ...] = ()  # the sign words the phrase matched
    covered: int = 0  # how many distinct words of the phrase those sign words account for

    def order(self) -> tuple[int, int, int, int]:
        return (self.level, -self.covered, URGENCY_ORDER[self.flag.urgency], self.flag.position)


def matched_signs(present: set[str], flag: RedFlag) -> tuple[tuple[str, ...], int]:
    """The sign words of ``flag`` whose words all occur among the phrase's words ``present`` (leaving out one
    that adds no word to those before it, as "numb saddle" after "saddle numbness"), and how many distinct
    words they cover."""
    if present.isdisjoint(sign_terms(flag)):
        return (), 0
    matched, covered = [], set()
    for word in flag.sign_words:
        if needed(word) <= present and not needed(word) <= covered:
            matched.append(word)
            covered.update(needed(word))
    return tuple(matched), len(covered)


@cache
def sign_terms(flag: RedFlag) -> frozenset[str]:
    """Every word any sign word of ``flag`` needs: a phrase with none of them matches none of its signs."""
    return frozenset().union(*map(needed, flag.sign_words))


def place_level(flag: RedFlag, chosen: set[str], complaint_flags: set[str], atlas: Atlas) -> int | None:
    """How closely ``flag`` is tied to the regions ``chosen`` and the flags of the complaints named: EXACT,
    AROUND, or None."""
    if flag.regions & chosen or flag.id in complaint_flags:
        return EXACT
    if atlas.nearby(flag.regions) & chosen:
        return AROUND
    return None


def ranked(words: list[str], selection: Selection, atlas: Atlas) -> list[Raised]:
    """Every flag the words or the places raise, most relevant first."""
    present, chosen = set(words), set(selection.region_ids)
    complaint_flags = {f for c in selection.complaints for f in atlas.complaints[c].red_flags}
    raised = []
    for flag in atlas.red_flags:
        if flag.context != PLACE_CONTEXT:
            continue
        matched, covered = matched_signs(present, flag)
        if matched:
            raised.append(Raised(flag, WORDS, matched, covered))
        elif (level := place_level(flag, chosen, complaint_flags, atlas)) is not None:
            raised.append(Raised(flag, level))
    return sorted(raised, key=Raised.order)


def shown_by_place(raised: Raised, selection: Selection, atlas: Atlas) -> bool:
    """Whether a flag tied to the places may be shown without any of its sign words."""
    flag = raised.flag
    if atlas.nearby(flag.pain_alone) & set(selection.region_ids):
        return True
    return raised.level == EXACT and flag.urgency != "emergency"


def choose(text: str | None, selection: Selection, atlas: Atlas) -> tuple[list[Raised], list[Raised]]:
    """The flags to show for a phrase and places (most relevant first), and the places' other flags."""
    shown, more = [], []
    for raised in ranked(analyse(text, atlas) if text else [], selection, atlas):
        by_place = len(shown) - sum(r.level == WORDS for r in shown)
        if raised.level == WORDS or (by_place < MAX_PLACE_FLAGS and shown_by_place(raised, selection, atlas)):
            shown.append(raised)
        else:
            more.append(raised)
    return shown, more
