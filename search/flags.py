"""Which warning signs (red flags) a search shows, why, how urgent, and in which order.

A flag is a clinical rule, not a list of words (``refdata/red_flags.yaml``). Each flag lists the
combinations of findings that raise it and the urgency each earns ("a fall with a bent-looking joint:
emergency"; "a fall and cannot bear weight: X-ray today"). A finding is a concept of
``refdata/findings.yaml`` with its lay and clinical words: a sign ("saddle numbness"), a complaint
("stiff neck"), the onset ("suddenly"), the severity ("worst ever"), the course ("getting worse"),
an injury ("a fall"), what came before (a treatment, an activity), a risk factor, who it is about
(a child, an older adult, a pregnant woman: words or ages), or a place (regions of the body, read as
location search reads them).

Reading a phrase (:func:`read`): its words are read as location search reads them (stems, direction
words folded, misspellings corrected towards the findings' words first), with the words for pain as
one word and every way of saying "cannot" as one; each finding's words are found close together in
one clause, in any order, longest first. :mod:`search.context` then says, for each finding, whether
it is denied ("no fever"), only asked or worried about ("worried it's a clot"), in the past ("years
ago"), long-standing ("for years") or current. A rule counts only current findings (long-standing ones
for a rule that is not an emergency); one whose findings are current or asked about is shown as asked
about, never as an emergency.

Order (:func:`ranked`): first the flags a rule raises; then those the words only ask about; then, when
the words say a treatment came before, the warnings for after a treatment; then flags tied to a region
chosen or named (or to a complaint named); then those tied only to an area around it (or a region
within it). Among flags a rule raises, the one that accounts for more of the findings said comes
first, then the more urgent, then the more specific (findings said that fewer flags name weigh more), then the
order of the data file (specific flags before the universal ones);
among flags tied to the places, the one tied to fewer places first, then the more urgent.

What is shown (:func:`choose`): the flags the words raise or ask about and the after-treatment
warnings, then at most :data:`MAX_PLACE_FLAGS` of the places' flags: those tied to the exact places
that are not emergencies, and emergencies only where pain there alone can be that emergency (the
flag's ``pain_alone`` places, such as the chest for a heart attack or a testicle for torsion). Any
other emergency waits for its findings and lists with the places' other flags, as do the flags tied to
every area (infection, cancer), which are about no place in particular.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from dataclasses import field
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session
from whoosh.lang.porter import stem

from refdata import models
from search import context
from search.locate import Atlas
from search.locate import RedFlag
from search.locate import Selection
from search.locate import resolve
from search.locate import term
from search.spelling import Speller

URGENCY_ORDER = {"emergency": 0, "urgent": 1, "routine": 2}
MAX_PLACE_FLAGS = 3  # flags shown for the places alone, after those the words raise
# Levels of relevance, most relevant first.
WORDS = 0  # a rule of the flag is met by current findings
QUESTION = 1  # a rule is met only if what the words ask or worry about is so
TREATMENT = 2  # a warning for after a treatment, when the words say a treatment came before
EXACT = 3  # tied to a region chosen or named, or to a complaint named
AROUND = 4  # tied only to an area around a chosen region, or to a region within it
RAISED_BY = {WORDS: "words", QUESTION: "question", TREATMENT: "treatment", EXACT: "place", AROUND: "area"}
AFTER_TREATMENT = "after-treatment"

# How a finding stands in the phrase, best first.
CURRENT, ASKED, LASTING, PAST, DENIED = range(5)
# Kinds of finding. Risk factors count whenever they were (a cancer years ago is a history of cancer).
PLACE, POPULATION, RISK, TREATMENT_KIND = "place", "population", "risk", "treatment"
EVENTS = frozenset((TREATMENT_KIND, "injury"))  # what happened: in a comparison ("felt like a needle"), it did not
NAMED = "named-"  # the ids of findings that name an illness ("a stroke"): a relative who had one is history
# The signs of an ectopic pregnancy usually show between weeks 4 and 12 (NHS): a pregnancy the words say is past
# EARLY_PREGNANCY_WEEKS ("15 weeks pregnant") is a later one, as is one in its second or third trimester.
EARLY_PREGNANCY_WEEKS = 14
PREGNANT, LATER_PREGNANCY = "pregnant", "later-pregnancy"
# A finding's words must stand this close: within a span of their number plus SLACK words of one clause.
SLACK = 4
# Words for pain, taken as one word: a finding says "pain", people say "agony" or "aches". Not "sore":
# soreness after effort is the everyday kind, and "a sore" is a wound.
PAIN = "pain"
PAIN_WORDS = frozenset(stem(w) for w in ("pain", "painful", "ache", "aching", "achy", "hurt", "hurting", "agony"))
# Words of negation: a finding's phrasing with one of them ("not healing") is matched only as written.
NEGATING = frozenset(("no", "not", "never", "without", "cannot", "nothing", "none"))
# Words besides those for pain that say something hurts or is wrong at a place; and kinds of finding that do.
COMPLAINT_WORDS = frozenset(
    stem(w) for w in ("sore", "soreness", "tender", "stiff", "tight", "swollen", "numb", "burning")
)
COMPLAINTS = frozenset(("complaint", "severity"))
# Findings that say effort brought a pain on (a stitch when running): pain in their sentence is not pain alone.
EFFORT = frozenset(("exertion", "hard-exercise"))
# Effort, or the same pain told as past, in the sentence just before the pain explains it as well ("I went for a
# long run yesterday. Now my chest is sore"; "I had this ache three years ago. My belly hurts the same way"), one
# sentence on and no further (CARRIED_SENTENCES), when the pain's sentence says nothing acute of its own (a finding
# of an ACUTE kind: "suddenly", "the worst", "short of breath") and gives no time of its own (OWN_TIMES: "this
# morning" starts another story). A past story that names an illness ("I had a heart attack years ago") is a risk,
# never an explanation. ConText's scopes end at the sentence (Harkema et al. 2009); people split one story in two.
CARRIED_SENTENCES = 1
ACUTE = frozenset(("onset", "severity", "sign", "course", "injury", "treatment"))
OWN_TIMES = (*context.RECENT_TIMES, "today")
SAME_PAIN = frozenset(("this", "same"))  # "I had this years ago", "the same ache": the pain said next, told as past
# Word forms the stemmer does not join, read as one: irregular forms ("swollen" is "swell", "felt" is "feel")
# and irregular plurals; British spellings as American ones (SPELLINGS: "haemorrhage", "oedema",
# "diarrhoea", "tumour", "agonising"); and everyday words for one thing ("wee", "urine": pee; "sight": vision).
IRREGULAR = {
    **{"swollen": "swell", "broken": "break", "fell": "fall", "fallen": "fall", "felt": "feel"},
    **{"lost": "lose", "froze": "freeze", "frozen": "freeze", "shook": "shake", "shaken": "shake"},
    **{"struck": "strike", "feet": "foot", "teeth": "tooth", "calves": "calf"},
}
SPELLINGS = (
    (re.compile(r"(?<=[^aeiou])ae(?=[^aeiou])"), "e"),  # haemorrhage, anaemia, ischaemia, caesarean
    (re.compile(r"^oe"), "e"),  # oedema, oesophagus
    (re.compile(r"rrhoea"), "rrhea"),  # diarrhoea
    (re.compile(r"(?<=[a-z]{2})our(?=s|ed|ing|ite|$)"), "or"),  # tumour, colour; not "your", "four", "hours"
    (re.compile(r"(?<=[a-z]{3})([iy])s(e|ed|es|ing|ation)$"), r"\1z\2"),  # agonising, paralysed
)
SAME_WORDS = {
    "vision": ("sight", "eyesight"),
    "pee": ("wee", "weeing", "urine", "urinate", "urinating", "urination", "piss", "pissing"),
    "vomit": ("puke", "puking", "puked", "spew", "spewing"),
    "belly": ("tummy", "tum", "stomach", "abdomen"),
    "poo": ("poop", "stool", "stools"),
}
SAME_TERM = {term(w): term(one) for one, others in SAME_WORDS.items() for w in others}
# Words that join a finding's words and that a phrase need not repeat ("numb WITH pins AND needles").
JOINING = frozenset(
    stem(w)
    for w in (
        *("a", "an", "and", "at", "get", "got", "has", "have", "i", "in", "is", "it", "me", "on", "to", "when"),
        *("with", "from", "do", "does", "did", "will", "would", "was", "were", "are", "be", "been", "am", "this"),
        *("that", "our", "up", "so", "very", "really", "all"),
    )
)


@dataclass(frozen=True)
class Concept:
    """A finding, with the terms each of its phrasings needs."""

    id: str
    kind: str
    patterns: tuple[tuple[str, ...], ...] = ()
    regions: frozenset[str] = frozenset()
    youngest: int | None = None
    oldest: int | None = None


@dataclass(frozen=True)
class Rule:
    """Findings that together raise a flag (each need met by any of its concepts), and what they earn."""

    needs: tuple[tuple[str, ...], ...]
    urgency: str
    advice: str | None = None
    unless: tuple[str, ...] = ()  # findings that, said now, explain the others away ("short of breath when running")


@dataclass
class Signs:
    """The findings and every flag's rules, read once per data build."""

    concepts: dict[str, Concept]
    rules: dict[str, tuple[Rule, ...]]  # flag id -> its rules
    vocabulary: Counter = field(default_factory=Counter)  # the words of the findings, for the speller

    def __post_init__(self) -> None:
        self.mentions = {
            f: frozenset(c for r in rules for need in r.needs for c in need) for f, rules in self.rules.items()
        }
        # How much a finding says about each flag whose rules name it: the fewer flags name it, the more.
        naming = Counter(c for named in self.mentions.values() for c in named)
        self.weight = {c: 1 / n for c, n in naming.items()}
        counts = Counter(t for c in self.concepts.values() for p in c.patterns for t in set(p))
        self.by_term: dict[str, list[tuple[tuple[str, ...], str]]] = {}  # a pattern's rarest term -> patterns
        for c in self.concepts.values():
            for p in c.patterns:
                self.by_term.setdefault(min(p, key=lambda t: (counts[t], t)), []).append((p, c.id))
        self.speller = Speller(self.vocabulary)


def analyse(text: str) -> tuple[str, ...]:
    """The terms a finding's phrasing needs: its words read as a phrase is read, without joining words."""
    needs = [t for w in context.split(text) for t in _terms(w.text)]
    kept = tuple(dict.fromkeys(t for t in needs if t not in JOINING))
    return kept or tuple(dict.fromkeys(needs))


def _terms(word: str) -> tuple[str, ...]:
    if word in context.NUMBERS:
        return (word,)  # not stemmed: "one" would be "on"
    t = term(_form(word))
    if not t:
        return ()
    return (PAIN if t in PAIN_WORDS else SAME_TERM.get(t, t),)


@lru_cache(maxsize=4096)
def _form(word: str) -> str:
    """``word`` in the form the stemmer joins with the others of its family: regular, American."""
    word = IRREGULAR.get(word, word)
    for pattern, replacement in SPELLINGS:
        word = pattern.sub(replacement, word)
    return word


def load_signs(session: Session) -> Signs:
    """The findings and the flags' rules, from the database."""
    concepts, vocabulary = {}, Counter()
    for f in session.scalars(select(models.Finding)):
        vocabulary.update(w.text for phrase in f.words for w in context.split(phrase))
        concepts[f.id] = Concept(
            f.id,
            f.kind,
            tuple(dict.fromkeys(p for p in map(analyse, f.words) if p)),
            frozenset(f.regions),
            f.youngest,
            f.oldest,
        )
    rules = {
        flag.id: tuple(
            Rule(
                tuple(tuple(n) if isinstance(n, list) else (n,) for n in r["needs"]),
                r["urgency"],
                r.get("advice"),
                tuple(r.get("unless", ())),
            )
            for r in flag.rules
        )
        for flag in session.scalars(select(models.RedFlag))
    }
    return Signs(concepts, rules, vocabulary)


@dataclass(frozen=True)
class Found:
    """A finding the words describe: how it stands, and the words that said it."""

    concept: str
    status: int
    words: str
    first: int = 0  # where in the phrase they start


@dataclass(frozen=True)
class Reading:
    """What a phrase says: the best-standing mention of each finding, the ages it gives, and its denied
    words (whose places are not chosen)."""

    found: dict[str, Found] = field(default_factory=dict)
    ages: tuple[int, ...] = ()
    words: tuple[context.Word, ...] = ()
    denied: frozenset[int] = frozenset()
    complains: bool = False  # the words say something hurts now: a word for pain or soreness, a complaint, a severity
    weeks: tuple[int, ...] = ()  # how many weeks pregnant the words say

    def affirmed_text(self) -> str | None:
        """The phrase without its denied words, or None when none is denied."""
        if not self.denied:
            return None
        return " ".join(w.text for i, w in enumerate(self.words) if i not in self.denied)


@dataclass(frozen=True)
class Mention:
    concept: str
    positions: frozenset[int]
    size: int  # how many terms the phrasing has: longer phrasings win overlaps
    span: int


def read(text: str, signs: Signs, atlas: Atlas) -> Reading:
    """The findings a phrase describes, each with how it stands (see :mod:`search.context`)."""
    words = context.split(text)
    terms = [_meant(w.text, signs, atlas) for w in words]
    where: dict[str, list[int]] = {}
    for i, found in enumerate(terms):
        for t in found:
            where.setdefault(t, []).append(i)
    mentions = []
    for t in where:
        for pattern, concept in signs.by_term.get(t, ()):
            if all(p in where for p in pattern):
                mentions += _mentions(pattern, concept, t, where, words)
    kept, taken = [], set()
    for m in sorted(mentions, key=lambda m: (-m.size, m.span, min(m.positions))):
        if not m.positions & taken:
            kept.append(m)
            taken |= m.positions
    around = context.read(words, frozenset(taken))
    found: dict[str, Found] = {}
    standings = []
    for m in kept:
        status = _standing(m.positions, around, signs.concepts[m.concept])
        standings.append((m, status))
        if m.concept not in found or status < found[m.concept].status:
            first, last = min(m.positions), max(m.positions)
            found[m.concept] = Found(m.concept, status, " ".join(w.text for w in words[first : last + 1]), first)
    # Pain said now: not denied, asked about, past or long-standing, nor in a sentence that says effort brought it on
    # (or just after one, see CARRIED_SENTENCES).
    now = around.negated | around.question | around.past | around.lasting
    explained = _explained_sentences(words, around, standings, signs)
    complains = any(_complaint(t) for i, t in enumerate(terms) if i not in now and words[i].sentence not in explained)
    complains = complains or any(f.status == CURRENT and signs.concepts[c].kind in COMPLAINTS for c, f in found.items())
    return Reading(found, around.ages, words, around.negated, complains, around.weeks)


def _complaint(terms: tuple[str, ...]) -> bool:
    """Whether a word's terms say something hurts or is sore."""
    return PAIN in terms or bool(COMPLAINT_WORDS.intersection(terms))


def _explained_sentences(words, around: context.Context, standings, signs: Signs) -> set[int]:
    """The sentences whose pain effort explains: those that say effort now, and the CARRIED_SENTENCES after one of
    effort or of the same pain told as past, while they say nothing acute and give no time of their own."""
    current = [(words[min(m.positions)].sentence, m.concept) for m, status in standings if status == CURRENT]
    effort = {s for s, c in current if c in EFFORT}
    named = {words[min(m.positions)].sentence for m, _ in standings if m.concept.startswith(NAMED)}
    texts = [w.text for w in words]
    told = {words[i].sentence for i in around.past | around.lasting if texts[i] in SAME_PAIN}
    sources = effort | (told - named)
    if not sources:
        return effort
    quiet = {s for s, c in current if signs.concepts[c].kind in ACUTE}
    times = context.Found.of(texts)
    quiet |= {words[i].sentence for t in OWN_TIMES for i in times.at(t)}
    carried = set()
    for s in sources:
        for after in range(s + 1, s + 1 + CARRIED_SENTENCES):
            if after in quiet:
                break
            carried.add(after)
    return effort | carried


def _meant(word: str, signs: Signs, atlas: Atlas) -> tuple[str, ...]:
    """The terms of one word, a misspelling corrected to one word of the findings, else to a place word
    ("testical"); never split, and never to other words of the data, which would only add noise."""
    fixed = signs.speller.word(word)
    if not fixed or len(fixed) > 1:
        fixed = atlas.speller.word(word)
        if not fixed or not all(w in atlas.place_words for w in fixed):
            fixed = (word,)
    return tuple(t for w in fixed for t in _terms(w))


def _mentions(pattern, concept, anchor_term, where, words) -> list[Mention]:
    """Each place the terms of ``pattern`` stand close together in one clause, around its rarest term; a
    phrasing with a word of negation in it ("not healing", "no pulse") only as written, word after word."""
    if NEGATING & set(pattern):
        return _in_order(pattern, concept, where)
    found = []
    for anchor in where[anchor_term]:
        clause = words[anchor].clause
        chosen = {anchor}
        for t in pattern:
            if t == anchor_term:
                continue
            near = [i for i in where[t] if words[i].clause == clause and i not in chosen]
            if not near:
                break
            chosen.add(min(near, key=lambda i: abs(i - anchor)))
        else:
            span = max(chosen) - min(chosen)
            if span <= len(pattern) - 1 + SLACK:
                found.append(Mention(concept, frozenset(chosen), len(pattern), span))
    return found


def _in_order(pattern, concept, where) -> list[Mention]:
    """Where the terms of ``pattern`` stand in its order, each at most two words after the one before."""
    found = []
    for start in where[pattern[0]]:
        positions = [start]
        for t in pattern[1:]:
            after = [i for i in where[t] if positions[-1] < i <= positions[-1] + 3]
            if not after:
                break
            positions.append(after[0])
        else:
            found.append(Mention(concept, frozenset(positions), len(pattern), positions[-1] - start))
    return found


def _standing(positions: frozenset[int], around: context.Context, concept: Concept) -> int:
    """How a mention stands: denied (or, for a treatment or an injury, only a comparison), in the past,
    long-standing, asked about, or current. A risk factor counts whenever it was; an illness a relative had is
    their history, and one named after a guess ("I think it's a stroke") is wondered about."""
    kind = concept.kind
    if positions & around.negated or kind in EVENTS and positions & around.compared:
        return DENIED
    if kind != RISK and (positions & around.past or concept.id.startswith(NAMED) and positions & around.others):
        return PAST
    if kind != RISK and positions & around.lasting:
        return LASTING
    if positions & around.question or concept.id.startswith(NAMED) and positions & around.guessed:
        return ASKED
    return CURRENT


@dataclass(frozen=True)
class Raised:
    """A flag raised for a search, why, how closely, and what it earns."""

    flag: RedFlag
    level: int
    urgency: str
    advice: str
    matched: tuple[str, ...] = ()  # the words of the phrase that raised it
    covered: int = 0  # how many of the findings said the flag's rules account for
    specific: float = 0.0  # how much the findings said tell this flag from others (see Signs.weight)
    alone: bool = False  # tied to a place where pain alone can be it (its pain_alone places)

    def order(self) -> tuple:
        """Most relevant first: the level; then, for flags the words raise, the one that accounts for more of
        what was said, the warning after a treatment (it names the treatment), the more urgent, the more specific
        (findings said that fewer flags name: one-sided pain on breathing names a collapsed lung or a clot,
        breathlessness many more), then the order of the data file (specific flags before the universal ones);
        for flags tied to the places, the one tied to fewer places (more about these), then the more urgent; a
        flag pain alone there can be comes first."""
        if self.level < TREATMENT:
            return (
                self.level,
                -self.covered,
                self.flag.context != AFTER_TREATMENT,
                URGENCY_ORDER[self.urgency],
                -self.specific,
                self.flag.position,
            )
        return (self.level, not self.alone, len(self.flag.regions), URGENCY_ORDER[self.urgency], self.flag.position)


class Judge:
    """The rules of every flag applied to one reading of a phrase and its places."""

    def __init__(self, reading: Reading, selection: Selection, signs: Signs, atlas: Atlas):
        self.reading, self.signs, self.atlas = reading, signs, atlas
        self.chosen = set(selection.region_ids)
        self.complaint_flags = {f for c in selection.complaints for f in atlas.complaints[c].red_flags}
        self.areas = frozenset(r for r, region in atlas.regions.items() if region.parent is None)
        # Who it is about by the numbers the words give: ages, and the weeks of a later pregnancy.
        self.given = {c.id for c in signs.concepts.values() if c.kind == POPULATION and self.by_age(c)}
        pregnant = reading.found.get(PREGNANT)  # the weeks count only for a pregnancy now, not one in the past
        if pregnant and pregnant.status == CURRENT and any(w > EARLY_PREGNANCY_WEEKS for w in reading.weeks):
            self.given.add(LATER_PREGNANCY)
        self.said = {c for c, f in reading.found.items() if f.status == CURRENT and signs.concepts[c].kind != PLACE}
        self.said |= self.given
        # What the words or numbers say at all: a flag whose rules name none of it cannot be raised by its rules,
        # since each rule has a need no place meets.
        self.present = set(reading.found) | self.given

    def status(self, concept: str) -> int | None:
        """How a finding stands for these words and places; None when nothing says it."""
        c = self.signs.concepts[concept]
        if c.kind == PLACE and any(self.names_place(r, c.regions) for r in self.chosen):
            return CURRENT
        if concept in self.given:
            return CURRENT
        found = self.reading.found.get(concept)
        return found.status if found else None

    def by_age(self, c: Concept) -> bool:
        """Whether an age the words give falls within who ``c`` is about."""
        return (c.youngest, c.oldest) != (None, None) and any(
            (c.youngest is None or age >= c.youngest) and (c.oldest is None or age <= c.oldest)
            for age in self.reading.ages
        )

    def names_place(self, chosen: str, regions: frozenset[str]) -> bool:
        """Whether a region chosen is a place made of ``regions``: one of them or within one, or an area around
        all of them ("my back" is the low and the middle back; "my knee" is not the back of the knee alone)."""
        lineage = self.atlas.lineage(chosen)
        return bool(regions) and (
            bool(regions.intersection(lineage)) or all(chosen in self.atlas.lineage(r) for r in regions)
        )

    def need(self, alternatives: tuple[str, ...]) -> tuple[int | None, str | None]:
        """The best standing among a need's alternatives, and the concept that has it."""
        best = None, None
        for concept in alternatives:
            status = self.status(concept)
            if status is not None and (best[0] is None or status < best[0]):
                best = status, concept
        return best

    def rule_level(self, rule: Rule) -> tuple[int | None, list[str]]:
        """WORDS when the rule's findings are current (or long-standing, for a rule that is not an emergency),
        QUESTION when some are only asked about, else None; and the concepts that met it."""
        standings, met = [], []
        for alternatives in rule.needs:
            status, concept = self.need(alternatives)
            if status is None or status >= PAST:
                return None, []
            standings.append(status)
            met.append(concept)
        if self.explained(rule.unless, met):
            return None, []
        if ASKED in standings:
            return QUESTION, met
        if LASTING in standings and rule.urgency == "emergency":
            return None, []
        return WORDS, met

    def explained(self, unless: tuple[str, ...], met: list[str]) -> bool:
        """Whether a finding of ``unless`` is said now in the sentence of a finding that met the rule ("short of
        breath when running": the breathlessness is the running's); who it is about ("30 weeks pregnant") holds
        for the whole phrase."""
        words, found = self.reading.words, self.reading.found
        sentences = {words[found[c].first].sentence for c in met if c in found}
        whole = {c for c in unless if self.signs.concepts[c].kind == POPULATION}
        return any(
            self.status(c) == CURRENT and (c in whole or c in found and words[found[c].first].sentence in sentences)
            for c in unless
        )

    def by_words(self, flag: RedFlag) -> Raised | None:
        """The flag as its most urgent rule met raises it, or None."""
        if self.present.isdisjoint(self.signs.mentions.get(flag.id, ())):
            return None
        met_rules = [
            (level, rule, met) for rule in self.signs.rules.get(flag.id, ()) for level, met in [self.rule_level(rule)]
        ]
        met_rules = [m for m in met_rules if m[0] is not None]
        if not met_rules:
            return None
        level, rule, _ = min(met_rules, key=lambda m: (m[0], URGENCY_ORDER[m[1].urgency], -len(m[1].needs)))
        # The words that raised it: every finding of the rules met at that level, in the order they were said.
        said = {c for lvl, _, met in met_rules if lvl == level for c in met if c in self.reading.found}
        words = [self.reading.found[c] for c in said]
        covered = self.said & self.signs.mentions.get(flag.id, frozenset())
        return Raised(
            flag,
            level,
            rule.urgency,
            rule.advice or flag.advice,
            tuple(f.words for f in sorted(words, key=lambda f: f.first)),
            len(covered),
            sum(sorted(self.signs.weight[c] for c in covered)),  # sorted: the same findings, the same sum
        )

    def by_place(self, flag: RedFlag) -> int | None:
        """How closely a flag is tied to the places chosen (EXACT or AROUND), or to a treatment the words say
        came before (TREATMENT); None if not at all."""
        if flag.context == AFTER_TREATMENT:
            treated = any(
                f.status == CURRENT and self.signs.concepts[c].kind == TREATMENT_KIND
                for c, f in self.reading.found.items()
            )
            return TREATMENT if treated else None
        if flag.regions & self.chosen or flag.id in self.complaint_flags:
            return EXACT
        if self.atlas.nearby(flag.regions) & self.chosen:
            return AROUND
        return None

    def everywhere(self, flag: RedFlag) -> bool:
        """Whether ``flag`` is tied to every area of the body (infection, cancer): about no place in particular,
        so shown for its findings, and for the places only among their other flags."""
        return self.areas <= flag.regions

    def pain_alone(self, flag: RedFlag) -> bool:
        """Whether pain in a place chosen can be this flag on its own (its ``pain_alone`` regions or places):
        the place was chosen on the body map, or the words say something is wrong there ("my stomach will not
        allow it" says nothing about pain)."""
        if self.reading.words and not self.reading.complains:
            return False
        regions = frozenset(p for p in flag.pain_alone if p in self.atlas.regions)
        places = flag.pain_alone - regions
        return bool(self.atlas.nearby(regions) & self.chosen) or any(self.status(p) == CURRENT for p in places)


def ranked(reading: Reading, selection: Selection, signs: Signs, atlas: Atlas) -> list[Raised]:
    """Every flag the words or the places raise, most relevant first."""
    return _ranked(Judge(reading, selection, signs, atlas))


def _ranked(judge: Judge) -> list[Raised]:
    raised = []
    for flag in judge.atlas.red_flags:
        found = judge.by_words(flag)
        if found is None and (level := judge.by_place(flag)) is not None:
            found = Raised(flag, level, flag.urgency, flag.advice, alone=judge.pain_alone(flag))
        if found is not None:
            raised.append(found)
    return sorted(raised, key=Raised.order)


def choose(reading: Reading, selection: Selection, signs: Signs, atlas: Atlas) -> tuple[list[Raised], list[Raised]]:
    """The flags to show for a phrase and places (most relevant first), and the places' other flags."""
    judge = Judge(reading, selection, signs, atlas)
    shown, more = [], []
    for raised in _ranked(judge):
        by_place = sum(r.level >= EXACT for r in shown)
        if raised.level < EXACT:
            shown.append(raised)
        elif (
            by_place < MAX_PLACE_FLAGS
            and not judge.everywhere(raised.flag)
            and (raised.alone or (raised.level == EXACT and raised.urgency != "emergency"))
        ):
            shown.append(raised)
        else:
            more.append(raised)
    return shown, more


def affirmed(selection: Selection, reading: Reading, atlas: Atlas, side: str | None, exact: bool) -> Selection:
    """``selection`` without the places, complaints and other words that only denied words name ("a sore
    shoulder, no chest pain": the shoulder, not the chest)."""
    text = reading.affirmed_text()
    if text is None:
        return selection
    kept = resolve(text, atlas, side, exact)
    regions = {r for r, _ in kept.regions}
    return Selection(
        tuple(r for r in selection.regions if r[0] in regions),
        tuple(c for c in selection.complaints if c in kept.complaints),
        kept.rest,
        tuple(m for m in selection.muscles if m in kept.muscles),
        selection.suggestion,
        selection.evidence and kept.evidence,
        tuple(c for c in selection.described if c in kept.described),
        kept.sites,
    )
