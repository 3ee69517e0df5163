"""Reading where it hurts, generated: every region's words in everyday frames, with sides, aspects and
one-letter typos, and every complaint name with its common misspellings, read by ``search.locate.resolve``.

Each case says what must be read: the place (or the complaint and its places), the side, and nothing else
(no other place, complaint or muscle). The cases come from refdata/ itself, so a new region word or complaint
name is tested as soon as it is added. A family passes when at least ``TARGET`` of its cases are read right;
a failure lists the cases read wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from app import create_app
from refdata import schema
from refdata.load import read
from search import answers
from search import live
from search import locate
from search import words as vocab
from search.spelling import english_words

TARGET = 0.98  # the share of each family's cases that must be read right
DATA = read(Path(__file__).parent.parent / "refdata")
REGIONS = DATA.items(schema.Region)
COMPLAINTS = DATA.items(schema.Complaint)
MUSCLES = DATA.items(schema.Muscle)
# Everyday ways to say a place hurts; "{place}" is the place (with its side, where one is said).
FRAMES = (
    "{place}",
    "pain in my {place}",
    "my {place} hurts",
    "{place} pain",
    "I have an ache in my {place}",
    "my {place} has been hurting for weeks",
    "sharp pain in the {place} when I walk",
    "dull ache in my {place} after sitting all day",
    "why does my {place} hurt so much",
    "it hurts in my {place} at night",
    "my {place} is killing me",
)
SIDE_FRAMES = FRAMES[1:6]
SIDES = ("left", "right")
# Lay and clinical words for each aspect: nouns ("the inside of my knee") and adjectives ("medial knee").
ASPECT_NOUNS = {"inner": ("inside",), "outer": ("outside",), "front": ("front",), "back": ("back",)}
ASPECT_ADJECTIVES = {
    "inner": ("inner", "medial"),
    "outer": ("outer", "lateral"),
    "front": ("anterior",),
    "back": ("posterior",),
}
NOUN_FORMS = ("the {aspect} of my {part}", "{aspect} of the {part}")
ADJECTIVE_FORMS = ("{aspect} {part}", "the {aspect} side of my {part}")
ASPECT_FRAMES = (FRAMES[2], FRAMES[3], FRAMES[6])
ASPECT_PHRASE = re.compile(r"^(\w+) (?:of )?(\w+)$")
VOWEL_SWAP = {"a": "e", "e": "a", "i": "e", "o": "u", "u": "o"}
MIN_TYPO_LENGTH = 4  # shorter words have too many neighbours one letter away to be read back for sure
MIN_NAME_TYPO_LENGTH = 5  # in complaint names, shorter words are mostly initials ("TMJD", "ITBS")
# Runs of up to this many words are compared with the known phrases, so a misspelling there may make an
# English word ("shin splits"); in longer names, only a typo that is no word can be seen as one.
PHRASE_WORDS = 4


def said(text: str) -> str:
    """A name as its plain words, as the reader takes them."""
    return " ".join(locate.words(text))


# Words that name something else as well as a place (a complaint, a muscle, another region), as the reader
# takes words (stems), are read as that: the place families leave them out, and the complaint family tests the
# complaints; so do they a framed phrase that makes one ("jaw" + "pain": the complaint "jaw pain").
NAMES = {tuple(locate.tokens(w)) for c in COMPLAINTS for w in [c.name, *c.words]}
NAMES |= {tuple(locate.tokens(w)) for m in MUSCLES for w in [m.name, m.latin, *m.aliases]}
REGION_OF: dict[tuple[str, ...], set[str]] = {}
for region in REGIONS:
    for word in [region.name, *region.words]:
        REGION_OF.setdefault(tuple(locate.tokens(word)), set()).add(region.id)
PLACE_WORDS = {
    r.id: [
        w
        for w in dict.fromkeys(said(w) for w in [r.name, *r.words])
        if tuple(locate.tokens(w)) not in NAMES and REGION_OF[tuple(locate.tokens(w))] == {r.id}
    ]
    for r in REGIONS
}
SIDED = {r.id: r.sided for r in REGIONS}
PART_WORDS = {w for r in REGIONS for word in [r.name, *r.words] for w in locate.words(word)}


def _holds(terms: tuple[str, ...], run: tuple[str, ...]) -> bool:
    return any(terms[i : i + len(run)] == run for i in range(len(terms) - len(run) + 1))


def names_more(text: str, word: str) -> bool:
    """Whether a framed phrase names more than its place word: a complaint or muscle, or a longer place."""
    terms, own = tuple(locate.tokens(text)), tuple(locate.tokens(word))
    longer = (key for key in REGION_OF if len(key) > len(own) and _holds(key, own))
    return any(_holds(terms, key) for key in NAMES) or any(_holds(terms, key) for key in longer)


def one_letter(word: str) -> list[str]:
    """One-letter typos of a word: a letter dropped, two swapped, one doubled, a vowel written for another."""
    middle = len(word) // 2
    made = [
        word[:middle] + word[middle + 1 :],
        word[: middle - 1] + word[middle] + word[middle - 1] + word[middle + 1 :],
        word[:middle] + word[middle] + word[middle:],
    ]
    vowels = [i for i, ch in enumerate(word) if ch in VOWEL_SWAP and i > 0]
    if vowels:
        made.append(word[: vowels[-1]] + VOWEL_SWAP[word[vowels[-1]]] + word[vowels[-1] + 1 :])
    return [t for t in dict.fromkeys(made) if t != word]


def typos(word: str) -> list[str]:
    """A place word's one-letter typos that are no other word (a typo that makes a real word cannot be seen
    as one). Intimate words are left out: reading a typo as one takes stronger evidence than one letter."""
    if len(word) < MIN_TYPO_LENGTH or not word.isalpha() or word in vocab.INTIMATE_WORDS:
        return []
    return [t for t in one_letter(word) if t not in english_words() and t not in PART_WORDS]


def misspellings(name: str) -> list[str]:
    """Common misspellings of a complaint name: one-letter typos of its longest word; English words too in a
    name short enough to be compared as a phrase ("carpel tunnel", "shin splits")."""
    parts = name.split()
    longest = max(range(len(parts)), key=lambda i: len(parts[i]))
    word = parts[longest]
    if len(word) < MIN_NAME_TYPO_LENGTH or not word.isalpha():
        return []
    phrase = 1 < len(parts) <= PHRASE_WORDS
    return [
        " ".join([*parts[:longest], typo, *parts[longest + 1 :]])
        for typo in one_letter(word)
        if phrase or typo not in english_words()
    ]


@dataclass(frozen=True)
class Case:
    text: str
    regions: tuple[tuple[str, str | None], ...] = ()  # the places to read, each with its side
    complaints: frozenset[str] = frozenset()  # the complaints the words may name (several share some words)


def place(region: str, side: str | None = None) -> tuple[tuple[str, str | None], ...]:
    return ((region, side if SIDED[region] else None),)


def frame_cases() -> list[Case]:
    """Every word of every region in every everyday frame."""
    return [
        Case(f.format(place=w), place(r))
        for r, ws in PLACE_WORDS.items()
        for w in ws
        for f in FRAMES
        if not names_more(f.format(place=w), w)
    ]


def side_cases() -> list[Case]:
    """Every region's words with each side, in several frames."""
    return [
        Case(f.format(place=f"{s} {w}"), place(r, s))
        for r, ws in PLACE_WORDS.items()
        for w in ws
        for s in SIDES
        for f in SIDE_FRAMES
        if not names_more(f.format(place=w), w)
    ]


def aspect_cases() -> list[Case]:
    """Each part with each way of saying its aspects ("the inside of my knee", "medial knee"), as the region
    words name that part and aspect ("inner knee": the inner knee), with a side where the region has one."""
    cases = []
    for region in REGIONS:
        for word in PLACE_WORDS[region.id]:
            match = ASPECT_PHRASE.match(word)
            if not match or match[1] not in ASPECT_NOUNS or (match[2],) not in REGION_OF:
                continue
            forms = [f.format(aspect=a, part=match[2]) for a in ASPECT_NOUNS[match[1]] for f in NOUN_FORMS]
            forms += [f.format(aspect=a, part=match[2]) for a in ASPECT_ADJECTIVES[match[1]] for f in ADJECTIVE_FORMS]
            for text in dict.fromkeys(forms):
                for f in ASPECT_FRAMES:
                    for side in (None, "left") if region.sided else (None,):
                        framed = f.format(place=f"{side} {text}" if side else text)
                        if not names_more(framed, text):
                            cases.append(Case(framed, place(region.id, side)))
    return cases


def typo_cases() -> list[Case]:
    """Every region word with one of its words mistyped by one letter, in two frames."""
    cases = []
    for r, ws in PLACE_WORDS.items():
        for w in ws:
            parts = w.split()
            for i, part in enumerate(parts):
                for typo in typos(part):
                    text = " ".join([*parts[:i], typo, *parts[i + 1 :]])
                    cases += [
                        Case(f.format(place=text), place(r))
                        for f in FRAMES[1:3]
                        if not names_more(f.format(place=w), w)
                    ]
    return cases


def complaint_cases() -> list[Case]:
    """Every complaint name and word as written and with its common misspellings, alone and in a frame."""
    named: dict[str, set[str]] = {}
    for c in COMPLAINTS:
        for name in [c.name, *c.words]:
            named.setdefault(said(name), set()).add(c.slug)
    cases = []
    for name, slugs in named.items():
        for text in [name, *misspellings(name)]:
            cases += [
                Case(text, complaints=frozenset(slugs)),
                Case(f"I think I have {text}", complaints=frozenset(slugs)),
            ]
    return cases


FAMILIES = {
    "frames": frame_cases,
    "sides": side_cases,
    "aspects": aspect_cases,
    "typos": typo_cases,
    "complaints": complaint_cases,
}


@pytest.fixture(scope="module")
def reader(built):
    app = create_app(dict(built))
    with app.app_context():
        the_atlas = answers.atlas()
        yield lambda text: locate.resolve(text, the_atlas)
    live.dispose(app)


REGIONS_OF = {c.slug: {(r, None) for r in c.regions} for c in COMPLAINTS}


def misread(case: Case, selection: locate.Selection) -> str | None:
    """What was read wrong, or None: the place and side, or the complaint and its places; and nothing else."""
    if case.complaints:
        first = selection.complaints[:1]
        places = {(r, None) for r, _ in selection.regions}
        if not first or first[0] not in case.complaints or not places <= REGIONS_OF[first[0]] or selection.muscles:
            return f"{case.text!r}: read {selection.complaints} {selection.regions} {selection.muscles}"
    elif selection.regions != case.regions or selection.complaints or selection.muscles:
        return f"{case.text!r}: read {selection.regions} {selection.complaints} {selection.muscles}, not {case.regions}"
    return None


@pytest.mark.parametrize("family", FAMILIES)
def test_generated_phrasings_are_read_right(reader, family):
    cases = FAMILIES[family]()
    wrong = [m for c in cases if (m := misread(c, reader(c.text)))]
    share = 1 - len(wrong) / len(cases)
    assert share >= TARGET, f"{family}: {share:.3f} of {len(cases)} read right; misread:\n" + "\n".join(wrong[:40])


def test_the_typos_are_the_ones_people_make():
    assert set(one_letter("elbow")) == {"elow", "eblow", "elbbow", "elbuw"}
    assert not typos("arm") and not typos("penis")
    assert "carpel tunnel" in misspellings("carpal tunnel") and "shin splnts" in misspellings("shin splints")


@pytest.mark.parametrize(
    ("text", "regions", "complaints"),
    [
        ("tenis elbow", {"elbow-outer", "forearm-back"}, ("tennis-elbow",)),  # not "penis elbow"
        ("carpel tunnel", {"wrist-front", "palm", "thumb", "fingers-front"}, ("carpal-tunnel-symptoms",)),
        ("planter fasciitis", {"heel", "sole"}, ("plantar-fasciitis",)),
        ("shin splits", {"shin", "leg-outer", "ankle-front"}, ("shin-splints",)),
        ("pain in my buttox", {"buttock"}, ()),  # not "button" (of "belly button")
        ("pain on the inner side of my knee", {"knee-inner"}, ()),
        ("pain on the inner side of my elbow", {"elbow-inner"}, ()),
        ("ache on the inner side of my thigh", {"thigh-inner"}, ()),
        ("the inner side of my ankle hurts", {"ankle-inner"}, ()),
        ("pain on the inner side of my upper arm", {"upper-arm-inner"}, ()),
        ("sore back of the neck", {"neck-back"}, ()),  # "sore back" is no complaint here
        ("sore back of the knee", {"knee-back"}, ()),
        ("sore back of the hand", {"hand-back"}, ()),
        ("my elbows ache, on the inside", {"elbow-inner"}, ()),
        ("my occipital is killing me", {"head-back"}, ()),  # "occipital is" is not the occipitalis
        ("pain in my deltoid area", {"shoulder-side"}, ()),  # the place, not the muscle
    ],
)
def test_the_misreadings_people_met_are_read_right(reader, text, regions, complaints):
    selection = reader(text)
    assert {r for r, _ in selection.regions} == regions
    assert selection.complaints == complaints and not selection.muscles
