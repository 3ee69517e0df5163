"""Search by where it hurts: words to places, and places to ranked, explained muscles.

Both steps are pure functions over an :class:`Atlas`, a small in-memory copy
of the regions, referral zones, complaints, muscles and red flags, built once
per data build. The body map, the ``/locate`` page, ``/api/locate`` and the
location part of free-text search all go through :func:`resolve` and :func:`rank`.

Reading a phrase (:func:`resolve`), in order:

1. Words: runs of words a few edits from a known name become that name
   ("carpel tunnel"), then misspelt words are corrected (:mod:`search.spelling`);
   clinical compounds are read by their roots ("tarsalgia": foot;
   "retropatellar": behind the kneecap; :mod:`search.words`).
2. Entities, longest first: complaint names, place words of ``regions.yaml``
   and muscle names, each matched as a whole, ties in that order; so "cubital
   tunnel" is a complaint before "cubital" is a place, and "abductor digiti
   minimi of the foot" a muscle before "foot" is a place. A complaint never
   takes part of a place it overlaps ("sore back" of "sore back of the neck").
3. Aspects: a modifier left over ("inside", "under", "behind"...) refines the
   place next to it to the most specific region the vocabulary has for that
   pair ("inside of my ankle", "the inner side of my ankle", "my ankle hurts
   on the inside": the inner ankle; "underneath my kneecap": the kneecap); on
   its own it may be a place ("my back", "low back").
4. Sides: each place takes the side word nearest before it (else after it).
5. What is left: words of muscle names ("trapezius") name muscles; the other
   content words rank within location by the points' activating and
   perpetuating factors and symptoms, or, with no place, by symptoms alone.
   A phrase that names no place but a movement that hurts is about the place
   the movement works ("pain when I grip": the forearm and hand).

A phrase with no place, complaint, muscle or symptom word is about nothing we
know, and ranks no muscle.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter
from dataclasses import dataclass
from dataclasses import field
from dataclasses import replace
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import selectinload
from whoosh.lang import porter

from refdata import models
from search import words as vocab
from search.spelling import Speller
from search.spelling import common_words

# Weights of the ranking.
ESSENTIAL = 1.0  # a zone the pattern nearly always covers
SPILLOVER = 0.5  # a zone it sometimes reaches
RELATED_REGION = 0.5  # a selected region's parent or child earns this share
# A place named by its aspect alone ("the outside of my knee") also lists the muscles referring to the same place's
# other aspects, for this share: where one aspect ends and the next begins is a matter of words. Less than any zone
# of the place itself earns (a spillover zone around it: SPILLOVER * RELATED_REGION), so they come after all of those.
NEIGHBOUR_REGION = 0.1
COVERAGE_BONUS = 0.5  # per extra selected region one muscle explains
# Local pain: a muscle whose trigger point lies at the very place named hurts there too, besides where it refers;
# the place earns the better of LOCAL and what its zones earn there. A point within a wider place named ("neck")
# earns nothing: that place has muscles enough referring to it.
LOCAL = 0.75
# The first PLACE_COMPLAINT_MUSCLES muscles of each complaint of a place named (the manuals list them most
# relevant first) earn PLACE_COMPLAINT_BONUS: less than ESSENTIAL minus SPILLOVER, so it reorders muscles within a
# kind of zone ("neck": the posterior neck muscles before the throat's), and lists those whose maps do not reach
# the place below every muscle referring to the place itself.
PLACE_COMPLAINT_BONUS = 0.3
PLACE_COMPLAINT_MUSCLES = 3
# Muscles a named complaint points to: more than a muscle it does not list earns for two of its places, since the
# manuals link them ("carpal tunnel": the scalenes and pronator teres before every other muscle of the hand).
COMPLAINT_BONUS = 2 * ESSENTIAL + COVERAGE_BONUS
# Muscles of a complaint the phrase only describes ("my heel hurts on my first steps"): more than one essential
# zone, less than a complaint named, since the description may be of something else.
DESCRIBED_BONUS = ESSENTIAL + COVERAGE_BONUS
# Context: a word of the phrase found in a muscle's activating or perpetuating factors or symptoms adds up to
# CONTEXT_WEIGHT (a word only one muscle has earns all of it), and all such words together at most CONTEXT_CAP:
# less than ESSENTIAL minus SPILLOVER, so context reorders muscles within a place but never outranks location.
CONTEXT_WEIGHT = 0.3
CONTEXT_CAP = 0.45
# With no place, muscles are ranked by symptoms; a word found only in the factors counts this share.
FACTOR_SHARE = 0.5
# Words among this many most frequent English words are too common to show, on their own, that a phrase is about
# the body: ordinary words of symptoms and names ("feel") and, being long prose, of the anatomy text ("sit").
COMMON_WORDS = 1000
COMMON_PROSE_WORDS = 5000
# Beside a place, complaint or muscle, words among this many most frequent English words ("side", "morning",
# "walking") never find a record by text on their own: they are the story, not the symptom.
EVERYDAY_WORDS = 5000
# A phrase naming no place, complaint or muscle is about the body only if at least this share of its content
# words are words of the body (of places, names, symptoms or anatomy).
MIN_BODY_SHARE = 0.5
# A word of muscle names shared by more muscles than this ("major", "longus") names none of them on its own.
NAME_WORD_MUSCLES = 4
# A phrase describes a complaint it does not name ("my heel hurts on my first steps in the morning": plantar
# fasciitis) when it names one of the complaint's places and its other words share at least DESCRIBED_WEIGHT
# with the complaint's names: an uncommon word counts TELLING_WEIGHT, a common one 1. Words found in more than
# DESCRIPTION_SHARE of the complaints (and more than one: "pain", "syndrome") describe none of them.
DESCRIBED_WEIGHT = 2
TELLING_WEIGHT = 2
DESCRIPTION_SHARE = 0.1

ZONE_WEIGHT = {"essential": ESSENTIAL, "spillover": SPILLOVER}
NO_CREDIT = (0.0, 0.0)  # what a muscle earns at a place none of its zones or points explains (see Atlas.credits)
# How a result says which zone a place is in, in words anyone reads ("refers to the calf (sometimes)").
ZONE_WORDS = {"essential": "usually", "spillover": "sometimes"}
LOCAL_ZONE = "local"  # a match at the trigger point's own site, not in its referral zones
SIDES = ("left", "right")
ASPECT = "@"  # marks an aspect among the terms of a phrase ("@inner")
SIDE = "^"  # marks a side
PLACE_NOUN = "#"  # marks a word that says a place is meant ("#area")
ROOTS_LONGEST_FIRST = sorted(vocab.ROOTS, key=len, reverse=True)
LITERAL = "="  # marks an aspect word as itself, in phrases that are that one word
# Entity kinds, in the order they win ties: "temporal" and "suboccipital" are places before they are short for
# a muscle ("temporal muscle": "muscle" is filler).
KINDS = ("complaint", "region", "muscle")
# Weight of a word in the speller's dictionary by the kind of text it comes from: body words win.
SPELLING_WEIGHTS = {"name": 100, "place": 100, "complaint": 100, "symptom": 10, "factor": 3, "prose": 1}

STEM_CACHE = 100_000  # words whose stems are remembered: the atlas stems the data's words, which repeat
stem = lru_cache(maxsize=STEM_CACHE)(porter.stem)
STOP_STEMS = frozenset(stem(w) for w in vocab.STOP_WORDS)
# Words that say it hurts but not where: a query of places and these words is fully understood.
PAIN_STEMS = frozenset(stem(w) for w in vocab.PAIN_WORDS)

TERM_CACHE = 20_000  # words whose terms are remembered (stemming is the slow part of reading a phrase)
WORD = re.compile(r"[a-z0-9]+")
POSSESSIVE = re.compile(r"['’]s\b")


def words(text: str) -> list[str]:
    """The lower-case words of ``text``, possessives dropped ("runner's knee": runner, knee)."""
    return WORD.findall(POSSESSIVE.sub("", text.lower()))


# Each way of saying "cannot" as the words it is read as ("can't": can, t), longest first.
CANNOT_WORDS = sorted({tuple(words(p)) for p in vocab.CANNOT_PHRASES}, key=len, reverse=True)


@lru_cache(maxsize=TERM_CACHE)
def term(word: str) -> str | None:
    """How a word takes part in matching: an aspect or side marker, its stem, or None for filler."""
    if word in vocab.FILLER:
        return None
    if word in vocab.ASPECT_OF:
        return ASPECT + vocab.ASPECT_OF[word]
    if word in vocab.SIDE_WORDS:
        return SIDE + vocab.SIDE_WORDS[word]
    if word in vocab.PLACE_NOUNS:
        return PLACE_NOUN + "area"
    return stem(word)


def tokens(text: str) -> list[str]:
    """The terms of ``text``: stems, with aspect and side words as markers and filler dropped."""
    return [t for t in map(term, words(text)) if t]


def _phrase(text: str) -> tuple[str, ...]:
    """A vocabulary phrase as the terms that must appear together, in order. A single aspect word ("back",
    "bottom") keeps its own word: "lower" alone is not the bottom."""
    said = words(text)
    if len(said) == 1 and said[0] in vocab.ASPECT_OF:
        return (LITERAL + said[0],)
    return tuple(tokens(text))


def clinical(word: str, place_words: frozenset[str]) -> tuple[str, ...] | None:
    """A clinical compound read by its parts, as plain body words with any aspect first: "gonalgia" is
    ("knee",), "retropatellar" ("behind", "patellar"), "lumbosacral" ("lumbar", "sacrum"); else None."""
    for suffix in vocab.PAIN_SUFFIXES:
        if word.endswith(suffix) and (parts := _roots(word[: -len(suffix)], partial_last=True)):
            return parts
    ending = next((e for e in vocab.ADJECTIVE_ENDINGS if word.endswith(e)), None)
    if not ending:
        return None
    for prefix, aspect in vocab.PREFIX_ASPECTS.items():
        rest = word[len(prefix) :]
        if word.startswith(prefix) and len(rest) > len(ending) + 1:
            if rest in place_words:
                return (aspect, rest)
            if parts := _roots(rest[: -len(ending)]):
                return (aspect, *parts)
    parts = _roots(word[: -len(ending)])
    return parts if parts and len(parts) > 1 else None


def _roots(body: str, partial_last: bool = False) -> tuple[str, ...] | None:
    """``body`` as a chain of known roots joined by linking vowels ("lumb-o-sacr"), as their body words."""
    if not body:
        return ()
    if body in vocab.LINKING_VOWELS:
        return ()
    for root in (r for r in ROOTS_LONGEST_FIRST if body.startswith(r)):
        rest = body[len(root) :]
        if rest[:1] and rest[0] in vocab.LINKING_VOWELS and (more := _roots(rest[1:], partial_last)) is not None:
            return (vocab.ROOTS[root], *more)
        if (more := _roots(rest, partial_last)) is not None:
            return (vocab.ROOTS[root], *more)
    # "cephalgia": the root's last letters merged into the suffix.
    if partial_last and len(body) >= 3:
        for root in vocab.ROOTS:
            if root.startswith(body) and len(root) - len(body) <= 2:
                return (vocab.ROOTS[root],)
    return None


@dataclass(frozen=True)
class Region:
    id: str
    name: str
    parent: str | None
    sided: bool
    view: str


@dataclass(frozen=True)
class Zone:
    muscle: str
    trigger_point: str
    trigger_point_name: str
    region: str
    zone: str
    bilateral: bool


@dataclass(frozen=True)
class Site:
    muscle: str
    trigger_point: str
    trigger_point_name: str
    region: str


@dataclass(frozen=True)
class Complaint:
    slug: str
    name: str
    note: str
    regions: tuple[str, ...]
    muscles: tuple[str, ...]
    red_flags: tuple[str, ...] = ()  # flags the complaint's name calls to mind
    words: tuple[str, ...] = ()  # its other names ("first-step heel pain")


@dataclass(frozen=True)
class RedFlag:
    id: str
    title: str
    urgency: str
    advice: str
    signs: tuple[str, ...]
    regions: frozenset[str]
    context: str = "place"  # or "after-treatment": raised when the words say a treatment came before
    pain_alone: frozenset[str] = frozenset()  # places where pain alone can be it: shown there without its findings
    position: int = 0  # order in the data file, the last tie-breaker
    normal: str | None = None  # what is normal, not a warning sign


@dataclass
class Atlas:
    """What location search needs to know, copied out of the database."""

    regions: dict[str, Region]
    muscles: dict[str, str]  # slug -> name
    zones: list[Zone]
    complaints: dict[str, Complaint]
    red_flags: list[RedFlag]
    phrases: list[tuple[tuple[str, ...], str, str]] = field(default_factory=list)  # (terms, kind, target)
    areas: dict[str, str] = field(default_factory=dict)  # muscle slug -> body area
    vocabulary: Counter = field(default_factory=Counter)  # every word of our data -> its spelling weight
    symptoms: dict[str, list[str]] = field(default_factory=dict)  # muscle slug -> its points' symptoms
    factors: dict[str, list[str]] = field(default_factory=dict)  # muscle slug -> activating, perpetuating
    evidence: frozenset[str] = frozenset()  # stems that show a phrase is about the body
    place_words: frozenset[str] = frozenset()  # the words of place phrases
    body_terms: frozenset[str] = frozenset()  # the stems of every word of places, names, symptoms and anatomy
    name_vocabulary: frozenset[str] = frozenset()  # the words of muscle names, Latin names, aliases and lay names
    known_phrases: frozenset[str] = frozenset()  # names of places, complaints and muscles, as their words
    sites: list[Site] = field(default_factory=list)  # where each trigger point itself lies

    def __post_init__(self) -> None:
        self.zones_by_region: dict[str, list[Zone]] = {}
        for z in self.zones:
            self.zones_by_region.setdefault(z.region, []).append(z)
        self.zones_of: dict[str, list[Zone]] = {}
        for z in self.zones:
            self.zones_of.setdefault(z.muscle, []).append(z)
        self._credits: dict[tuple[str, tuple[str, ...]], dict[str, tuple[float, float]]] = {}
        self.sites_by_region: dict[str, list[Site]] = {}
        self.sites_of: dict[str, list[Site]] = {}
        for site in self.sites:
            self.sites_by_region.setdefault(site.region, []).append(site)
            self.sites_of.setdefault(site.muscle, []).append(site)
        self._lineage: dict[str, tuple[str, ...]] = {}
        for region in self.regions:
            chain, current = [], region
            while current:
                chain.append(current)
                current = self.regions[current].parent
            self._lineage[region] = tuple(chain)
        self._children = {r: [c for c in self.regions if r in self._lineage[c][1:]] for r in self.regions}
        # Each region's related ones, itself, those containing it and those within it (one contains the other).
        self._related = {r: frozenset(self._lineage[r]) | frozenset(self._children[r]) for r in self.regions}
        self._nearby: dict[frozenset[str], frozenset[str]] = {}
        # How much of the body each muscle's mapped pattern covers (distinct regions, essential 1, spillover 0.5).
        pattern: dict[str, dict[str, float]] = {}
        for z in self.zones:
            regions = pattern.setdefault(z.muscle, {})
            regions[z.region] = max(regions.get(z.region, 0.0), ZONE_WEIGHT[z.zone])
        self.pattern_size = {m: sum(regions.values()) for m, regions in pattern.items()}
        # The body areas where each muscle's essential (nearly always felt) pain lies.
        self.essential_areas: dict[str, set[str]] = {}
        for z in self.zones:
            if z.zone == "essential":
                self.essential_areas.setdefault(z.muscle, set()).add(self._lineage[z.region][-1])
        self.phrase_words = frozenset(w for phrase in self.known_phrases for w in phrase.split())
        self._index_phrases()
        self._index_descriptions()
        self._index_context()
        self.speller = Speller(
            self.vocabulary,
            self.place_words,
            self.name_vocabulary,
            self.known_phrases,
            guarded=vocab.INTIMATE_WORDS,
            common=vocab.STOP_WORDS | vocab.PAIN_WORDS,
        )

    def _index_phrases(self) -> None:
        """Entity phrases by kind; aspect-only place phrases ("back", "low back") apart; and the table of
        (part, aspect) -> region read off place phrases that are an aspect and another place ("inner ankle")."""
        self.keys: dict[str, dict[tuple[str, ...], str]] = {kind: {} for kind in KINDS}
        self.aspect_keys: dict[tuple[str, ...], str] = {}
        for key, kind, target in self.phrases:
            if not key:
                continue
            if kind == "region" and all(t.startswith((ASPECT, LITERAL)) for t in key):
                self.aspect_keys.setdefault(key, target)
            else:
                self.keys[kind].setdefault(key, target)
        self.longest = max((len(k) for keys in self.keys.values() for k in keys), default=1)
        self.by_part: dict[tuple[tuple[str, ...], str], str] = {}
        self.by_region: dict[tuple[str, str], str] = {}
        places = self.keys["region"]
        self.movements = {  # movement word -> the regions it works (words.MOVEMENT_PLACES)
            w: tuple(places[key] for body in bodies if (key := _phrase(body)) in places)
            for w, bodies in vocab.MOVEMENT_PLACES.items()
        }
        for key, target in places.items():
            for aspect, part in ((key[0], key[1:]), (key[-1], key[:-1])):
                if aspect.startswith(ASPECT) and part in places and not any(t.startswith(ASPECT) for t in part):
                    self.by_part.setdefault((part, aspect), target)
                    self.by_region.setdefault((places[part], aspect), target)
        # Each aspect of a place ("outer knee") and the place's other parts (see NEIGHBOUR_REGION).
        aspects = set(self.by_region.values())
        self.neighbours = {
            r: tuple(o for o in self._children[self.regions[r].parent] if o != r)
            for r in aspects
            if self.regions[r].parent
        }
        # Words of muscle names that can name muscles on their own ("trapezius", "scalene"), not places.
        place_terms = {t for key in places for t in key}
        self.name_words: dict[str, set[str]] = {}
        for key, slug in self.keys["muscle"].items():
            for t in key:
                if not t.startswith(ASPECT) and t not in place_terms and _content(t):
                    self.name_words.setdefault(t, set()).add(slug)

    def _index_descriptions(self) -> None:
        """Per complaint, the stems that describe it: of its names, less place words and those many
        complaints share."""
        places = {t for key in self.keys["region"] for t in key}
        terms = {slug: _content_terms([c.name, *c.words]) - places for slug, c in self.complaints.items()}
        shared = Counter(t for stems in terms.values() for t in stems)
        most = max(1.0, DESCRIPTION_SHARE * len(self.complaints))
        self.descriptions = {slug: frozenset(t for t in stems if shared[t] <= most) for slug, stems in terms.items()}
        # Every region within or around each complaint's places: a place named there is one of its places.
        self.complaint_places = {slug: self.nearby(frozenset(c.regions)) for slug, c in self.complaints.items()}

    def _index_context(self) -> None:
        """Per muscle, the stems of its symptoms and of its activating and perpetuating factors."""
        self.symptom_terms = {m: _content_terms(texts) for m, texts in self.symptoms.items()}
        self.factor_terms = {m: _content_terms(texts) for m, texts in self.factors.items()}
        self.sentence_terms = {(m, s): _content_terms([s]) for m, texts in self.symptoms.items() for s in texts}
        self.with_term: dict[str, set[str]] = {}  # stem -> the muscles whose symptoms or factors hold it
        for terms in (self.symptom_terms, self.factor_terms):
            for m, stems in terms.items():
                for t in stems:
                    self.with_term.setdefault(t, set()).add(m)
        self.context_terms = {  # both together: the words a phrase's context can share with the muscle
            m: self.symptom_terms.get(m, frozenset()) | self.factor_terms.get(m, frozenset()) for m in self.muscles
        }
        df = Counter(t for terms in self.context_terms.values() for t in terms)
        total = max(len(self.muscles), 2)
        self.idf = {t: math.log(total / n) / math.log(total) for t, n in df.items()}

    def lineage(self, region: str) -> tuple[str, ...]:
        """The region and its ancestors, nearest first."""
        return self._lineage[region]

    def children(self, region: str) -> list[str]:
        """Every region inside ``region``."""
        return self._children[region]

    def muscle_named(self, text: str) -> str | None:
        """The muscle whose name, Latin name or alias is the whole of ``text``, if any."""
        return self.keys["muscle"].get(tuple(tokens(text)))

    def nearby(self, regions: frozenset[str]) -> frozenset[str]:
        """Every region that contains one of ``regions`` or lies within one (remembered: flags ask often)."""
        if regions not in self._nearby:
            self._nearby[regions] = frozenset().union(*(self._related[r] for r in regions))
        return self._nearby[regions]

    def explaining(self, region: str, near: tuple[str, ...] = ()) -> tuple[str, ...]:
        """The regions whose zones can explain a place, in the order they are looked at: the place and those
        around it, those within it, then those ``near`` it."""
        return (*self._lineage[region], *self._children[region], *near)

    def place_factor(self, zone_region: str, region: str, near: tuple[str, ...] = ()) -> float | None:
        """How much a zone in ``zone_region`` counts at a place: wholly in it, less when one contains the other
        (RELATED_REGION), least in a region ``near`` it (NEIGHBOUR_REGION); None when it cannot explain it."""
        if zone_region == region:
            return 1.0
        if zone_region in self._related[region]:
            return RELATED_REGION
        if zone_region in near:
            return NEIGHBOUR_REGION
        return None

    def credits(self, region: str, near: tuple[str, ...] = ()) -> dict[str, tuple[float, float]]:
        """What each muscle that can explain a place earns there, made once per place (and ``near``, the regions
        whose zones count as neighbours) and kept for the build: (the credit of its best zone, or of its
        trigger point lying there, on the side chosen; that of its best bilateral zone, on the other side, 0 for
        none). The same credits as :func:`_best_match` and :func:`_local_match`, which name the zone of the
        muscles shown."""
        key = (region, near)
        if key not in self._credits:
            every: dict[str, float] = {}
            bilateral: dict[str, float] = {}
            for r in self.explaining(region, near):
                factor = self.place_factor(r, region, near)
                for z in self.zones_by_region.get(r, ()):
                    credit = ZONE_WEIGHT[z.zone] * factor
                    if credit > every.get(z.muscle, 0.0):
                        every[z.muscle] = credit
                    if z.bilateral and credit > bilateral.get(z.muscle, 0.0):
                        bilateral[z.muscle] = credit
            local = dict.fromkeys(site.muscle for site in self.sites_by_region.get(region, ()))
            self._credits[key] = {
                m: (max(every.get(m, 0.0), LOCAL) if m in local else every[m], bilateral.get(m, 0.0))
                for m in (*local, *every)
            }
        return self._credits[key]

    def refine(self, region: str, part: tuple[str, ...], aspects: list[str]) -> str:
        """The most specific region for a place and the aspects said of it ("ankle" + inner: the inner ankle)."""
        for aspect in aspects:
            for a in (aspect, ASPECT + vocab.ASPECT_FALLBACK.get(aspect[1:], aspect[1:])):
                found = self.by_part.get((part, a)) or self.by_region.get((region, a))
                if found:
                    return found
        return region


def _content_terms(texts: list[str]) -> frozenset[str]:
    """The stems of the content words of ``texts``: no stop or pain words, no numbers."""
    return frozenset(
        stem(w)
        for text in texts
        for w in words(text)
        if w not in vocab.STOP_WORDS and w not in vocab.PAIN_WORDS and not w.isdigit()
    )


def load_atlas(session: Session) -> Atlas:
    """Copy regions, referral zones, complaints, muscles, their words and red flags out of the database."""
    regions = {
        r.id: Region(r.id, r.name, r.parent_id, r.sided, r.view)
        for r in session.scalars(select(models.Region).order_by(models.Region.position))
    }
    points = session.scalars(
        select(models.TriggerPoint)
        .options(selectinload(models.TriggerPoint.zones))
        .order_by(models.TriggerPoint.muscle_slug, models.TriggerPoint.position)
    ).all()
    zones = [
        Zone(t.muscle_slug, t.slug, t.name, z.region_id, z.zone, t.laterality == "bilateral")
        for t in points
        for z in t.zones
    ]
    rows = session.scalars(select(models.Muscle)).all()
    muscles = {m.slug: m.name for m in rows}
    areas = {m.slug: m.area for m in rows}
    symptoms: dict[str, list[str]] = {}
    factors: dict[str, list[str]] = {}
    for t in points:
        symptoms.setdefault(t.muscle_slug, []).extend(t.symptoms)
        factors.setdefault(t.muscle_slug, []).extend([*t.activating_factors, *t.perpetuating_factors])
    texts: dict[str, list[str]] = {kind: [] for kind in SPELLING_WEIGHTS}
    phrases = []
    known: set[str] = set()  # every name as said, for spelling
    for r in session.scalars(select(models.Region).order_by(models.Region.position)):
        for w in [r.name, *r.words]:
            phrases.append((_phrase(w), "region", r.id))
            texts["place"].append(w)
            known.add(w)
    complaints = {}
    query = select(models.Complaint).options(
        selectinload(models.Complaint.regions), selectinload(models.Complaint.red_flags)
    )
    for c in session.scalars(query):
        complaints[c.slug] = Complaint(
            c.slug,
            c.name,
            c.note,
            tuple(r.id for r in c.regions),
            tuple(c.muscle_slugs),
            tuple(f.id for f in c.red_flags),
            tuple(c.words),
        )
        for w in [c.name, *c.words]:
            phrases.append((_phrase(w), "complaint", c.slug))
            texts["complaint"].append(w)
            known.add(w)
    for m in rows:
        for w in [m.name, m.latin, *m.aliases]:
            phrases.append((_phrase(w), "muscle", m.slug))
            known.add(w)
        texts["name"] += [m.name, m.latin, *m.aliases, *m.lay]
        texts["prose"] += [m.action, m.origin, m.insertion, m.nerve]
    for t in points:
        texts["name"].append(t.name)
        texts["symptom"] += t.symptoms
        texts["factor"] += [*t.activating_factors, *t.perpetuating_factors]
        texts["prose"] += [t.location, t.palpation]
    flag_rows = session.scalars(
        select(models.RedFlag).options(selectinload(models.RedFlag.regions)).order_by(models.RedFlag.position)
    ).all()
    for t in session.scalars(select(models.Treatment).options(selectinload(models.Treatment.components))):
        texts["name"].append(t.name)
        texts["prose"] += [t.presentation, t.rationale, *(c.detail for c in t.components)]
    vocabulary: Counter = Counter()
    for kind, kind_texts in texts.items():
        for text in kind_texts:
            for w in words(text):
                if not w.isdigit() and w not in vocab.STOP_WORDS:
                    vocabulary[w] += SPELLING_WEIGHTS[kind]
    evidence = _evidence(texts)
    body_terms = _body_terms(texts)
    place_words = frozenset(w for text in texts["place"] for w in words(text) if w not in vocab.STOP_WORDS)
    flags = [
        RedFlag(
            f.id,
            f.title,
            f.urgency,
            f.advice,
            tuple(f.signs),
            frozenset(r.id for r in f.regions),
            context=f.context,
            pain_alone=frozenset(f.pain_alone),
            position=f.position,
            normal=f.normal,
        )
        for f in flag_rows
    ]
    return Atlas(
        regions,
        muscles,
        zones,
        complaints,
        flags,
        phrases,
        areas,
        vocabulary,
        symptoms,
        factors,
        evidence,
        place_words,
        body_terms,
        frozenset(w for text in texts["name"] for w in words(text)),
        frozenset(" ".join(words(w)) for w in known),
        [Site(t.muscle_slug, t.slug, t.name, t.site) for t in points if t.site],
    )


def _evidence(texts: dict[str, list[str]]) -> frozenset[str]:
    """Stems whose presence shows a phrase is about the body, besides a place, complaint or muscle it names:
    uncommon words of names, complaints and symptoms, and of the anatomy text if not ordinary English; never
    stop or pain words, nor the words of the factors on their own ("football"), nor of places outside a place
    phrase ("sit", of "sit bones")."""
    found = set()
    kinds = (
        ("name", COMMON_WORDS),
        ("complaint", COMMON_WORDS),
        ("symptom", COMMON_WORDS),
        ("prose", COMMON_PROSE_WORDS),
    )
    for kind, limit in kinds:
        common = common_words(limit)
        for text in texts[kind]:
            for w in words(text):
                if w not in vocab.STOP_WORDS and w not in vocab.PAIN_WORDS and w not in common and not w.isdigit():
                    found.add(stem(w))
    return frozenset(found)


def _body_terms(texts: dict[str, list[str]]) -> frozenset[str]:
    """The stems of every word of places, names, symptoms and anatomy: the words of the body."""
    return frozenset(
        stem(w)
        for kind in ("place", "complaint", "name", "symptom", "prose")
        for text in texts[kind]
        for w in words(text)
    )


@dataclass(frozen=True)
class Selection:
    """Where it hurts: regions (each maybe on one side), named complaints and muscles, and the other words."""

    regions: tuple[tuple[str, str | None], ...] = ()
    complaints: tuple[str, ...] = ()
    rest: tuple[str, ...] = ()  # stems of the content words that named no place, complaint, muscle or pain
    muscles: tuple[str, ...] = ()  # muscles the phrase names, best first
    suggestion: str | None = None  # the phrase with its spelling corrected, when a word was corrected
    evidence: bool = True  # whether anything in the phrase is about the body
    described: tuple[str, ...] = ()  # complaints the phrase describes without naming them, best first
    sites: tuple[str, ...] = ()  # where the trigger points of the muscles named by name lie

    @property
    def region_ids(self) -> list[str]:
        return list(dict.fromkeys(r for r, _ in self.regions))


def resolve(text: str, atlas: Atlas, side: str | None = None, exact: bool = False) -> Selection:
    """Read a phrase into places, complaints, muscles and context, e.g. "pain behind my left knee".

    With ``exact``, words are taken as typed. A phrase that says it hurts but names nothing we know is read a
    second time with English words corrected to place words too ("heal pain": the heel)."""
    said = words(text)
    selection = _read(said, atlas, side, exact, real_words=False)
    if not selection.evidence and not exact and any(_says_it_hurts(w) for w in said):
        second = _read(said, atlas, side, exact, real_words=True)
        if second.evidence:
            return second
    return selection


def _says_it_hurts(word: str) -> bool:
    return word in vocab.PAIN_WORDS or word in vocab.ASPECT_OF or word in vocab.SIDE_WORDS


def _spelt(said: list[str], atlas: Atlas, exact: bool, real_words: bool) -> tuple[list[str], bool]:
    """The words as meant: clinical compounds read by their roots, misspellings corrected, words typed apart
    joined; and whether anything was corrected."""
    speller = atlas.speller
    out: list[str] = []
    changed = False
    if not exact:
        said, changed = speller.phrases(said)
    for w in said:
        if w in atlas.place_words or w in atlas.phrase_words or w in vocab.STOP_WORDS or w.isdigit():
            out.append(w)  # a word of a name ("scapulocostal syndrome") is read as written, not by its roots
        elif parts := clinical(w, atlas.place_words):
            out += parts
        elif w in atlas.vocabulary:
            out.append(w)
        elif not exact and (fix := speller.word(w) or (real_words and speller.real_word(w))):
            out += fix
            changed = True
        else:
            out.append(w)
    if exact:
        return out, changed
    joined: list[str] = []
    for w in out:
        # "the back side of my knee": an aspect and its noun are not one word ("backside").
        aspect_noun = w in vocab.ASPECT_NOUNS and joined and joined[-1] in vocab.ASPECT_OF
        if joined and not aspect_noun and (together := speller.joined(joined[-1], w)):
            joined[-1] = together
            changed = True
        else:
            joined.append(w)
    if changed:  # a word corrected may complete a phrase with its neighbours ("planter fascitis")
        joined, _ = speller.phrases(joined)
    return joined, changed


def _cannot(said: list[str]) -> list[str]:
    """The words with each way of saying 'cannot' as that one word (:data:`search.words.CANNOT_PHRASES`)."""
    out: list[str] = []
    for w in said:
        out.append(w)
        for phrase in CANNOT_WORDS:
            if tuple(out[-len(phrase) :]) == phrase:
                out[-len(phrase) :] = [vocab.CANNOT]
                break
    return out


def _moved(meant: list[str], atlas: Atlas) -> list[str]:
    """The places worked by the movements a phrase says hurt ("when I chew": the jaw), in order."""
    return list(dict.fromkeys(r for w in meant for r in atlas.movements.get(w, ())))


def _read(said: list[str], atlas: Atlas, side: str | None, exact: bool, real_words: bool) -> Selection:
    meant, changed = _spelt(_cannot(said), atlas, exact, real_words)
    stream: list[str] = []  # the terms
    spoken: list[str] = []  # the word of each term
    sides: list[tuple[int, str]] = []  # (position in stream, side)
    for i, w in enumerate(meant):
        t = term(w)
        if t is None or (w in vocab.ASPECT_NOUNS and stream and stream[-1].startswith(ASPECT)) or _story(meant, i):
            continue
        if t.startswith(SIDE):
            sides.append((len(stream), t[1:]))
        else:
            stream.append(t)
            spoken.append(w)
    used = [False] * len(stream)
    found = _entities(stream, used, atlas)
    places = _aspects(stream, spoken, used, found, atlas)
    complaints = [target for _, _, kind, target, _ in found if kind == "complaint"]
    named = [target for _, _, kind, target, _ in found if kind == "muscle"]
    left = [(t, w) for t, w, u in zip(stream, spoken, used, strict=True) if not u and not t.startswith(ASPECT)]
    left = [(t, w) for t, w in left if _content(t)]
    placed = list(named)
    named += [m for m in _named_by_words([t for t, _ in left], atlas) if m not in named]
    # By a word of its name, only an uncommon word ("rhomboid", not "rotation") places a muscle.
    everyday = _common_stems(EVERYDAY_WORDS)
    placed += [m for m in named if any(m in atlas.name_words.get(t, ()) for t, _ in left if t not in everyday)]
    # A muscle named in a phrase about it ("my rhomboid hurts"), not its name alone, is a place too.
    about = any(t in PAIN_STEMS for t, u in zip(stream, used, strict=True) if not u) or any(
        t not in atlas.name_words for t, _ in left
    )
    sites = tuple(dict.fromkeys(s.region for m in placed for s in atlas.sites_of.get(m, ()))) if about else ()
    left = [(t, w) for t, w in left if t not in atlas.name_words or not named]
    rest = [t for t, _ in left]
    regions = [(start, region) for start, region in places]
    for slug in complaints:
        regions += [(None, r) for r in atlas.complaints[slug].regions]
    chosen: dict[str, str | None] = {}
    for start, region in regions:
        if region not in chosen:
            chosen[region] = _side_for(start, sides, side) if atlas.regions[region].sided else None
    # A named sub-region is more precise than the area around it: "temporal headache" means the temple.
    ids = [r for r in chosen if not any(o != r and r in atlas.lineage(o) for o in chosen)]
    evidence = bool(ids or complaints or named) or _about_the_body(left, atlas)
    # A phrase naming nothing but a movement that hurts ("pain when I grip things") is about the place it works.
    if not (ids or complaints or named) and (evidence or any(t in PAIN_STEMS for t in stream)):
        ids = _moved(meant, atlas)
        chosen.update((r, side if atlas.regions[r].sided else None) for r in ids)
        evidence = evidence or bool(ids)
    suggestion = " ".join(meant) if changed and evidence else None
    selection = Selection(
        tuple((r, chosen[r]) for r in ids),
        tuple(dict.fromkeys(complaints)),
        tuple(rest),
        tuple(named),
        suggestion,
        evidence,
        sites=sites,
    )
    return replace(selection, described=tuple(described(selection, atlas)))


def _story(meant: list[str], i: int) -> bool:
    """Whether the word at ``i`` is part of the story, not a place: "back" after "comes" or in "it's back again",
    "hand" of "right hand side"."""
    before = meant[i - 1] if i else ""
    after = meant[i + 1] if i + 1 < len(meant) else ""
    if meant[i] == "back":
        returned = before in vocab.BACK_RETURNED_AFTER and (not after or after in vocab.STOP_WORDS and after != "of")
        return before in vocab.BACK_ADVERB_VERBS or returned
    return before in vocab.SIDE_WORDS and tuple(meant[i : i + len(vocab.SIDE_HAND)]) == vocab.SIDE_HAND


def described(selection: Selection, atlas: Atlas) -> list[str]:
    """The complaints a phrase describes without naming them, best first: one of their places is named and the
    phrase's other words share at least DESCRIBED_WEIGHT with their description (see the constants)."""
    if selection.complaints or not selection.rest:
        return []
    common = common_words(COMMON_WORDS)
    said = set(selection.rest)
    weights = []
    named = set(selection.region_ids)
    for slug, places in atlas.complaint_places.items():
        if not named & places:
            continue
        shared = said & atlas.descriptions[slug]
        weight = sum(1 if t in common else TELLING_WEIGHT for t in shared)
        if weight >= DESCRIBED_WEIGHT:
            weights.append((-weight, slug))
    return [slug for _, slug in sorted(weights)]


def off_topic(text: str) -> bool:
    """Whether a phrase asks what the site cannot answer: prices, insurance, bookings, accounts."""
    return any(w in vocab.OFF_TOPIC_WORDS for w in words(text))


@lru_cache(maxsize=2)
def _common_stems(count: int) -> frozenset[str]:
    """The stems of the ``count`` most frequent English words."""
    return frozenset(stem(w) for w in common_words(count))


def telling(selection: Selection, atlas: Atlas) -> frozenset[str]:
    """The phrase's words worth a text search beside what it names: its other words that are about the body
    and not everyday English ("chew", not "side", "head", "steps" or "morning")."""
    return frozenset(t for t in selection.rest if t in atlas.evidence and t not in _common_stems(EVERYDAY_WORDS))


def _about_the_body(left: list[tuple[str, str]], atlas: Atlas) -> bool:
    """Whether words that name no place, complaint or muscle still show a phrase is about the body: one of
    them is telling (an uncommon word of symptoms, names or anatomy), and at least MIN_BODY_SHARE of them are
    words of the body at all ("the quick brown fox jumps" is not about symptoms for one symptom word)."""
    common = common_words(COMMON_WORDS)
    telling = any(t in atlas.evidence and w not in common and t not in common for t, w in left)
    body = sum(t in atlas.body_terms for t, _ in left)
    return telling and body >= MIN_BODY_SHARE * len(left)


def _content(t: str) -> bool:
    return t not in STOP_STEMS and t not in PAIN_STEMS and not t.isdigit() and not t.startswith(PLACE_NOUN)


def _entities(stream: list[str], used: list[bool], atlas: Atlas) -> list[tuple[int, int, str, str, tuple[str, ...]]]:
    """Complaint, place and muscle phrases in the stream, longest first, ties in that order; as (start, end,
    kind, target, terms), in the order they appear."""
    candidates = []
    for start in range(len(stream)):
        for end in range(start + 1, min(len(stream), start + atlas.longest) + 1):
            key = tuple(stream[start:end])
            for rank, kind in enumerate(KINDS):
                if key in atlas.keys[kind]:
                    candidates.append((-(end - start), rank, start, end, kind, atlas.keys[kind][key], key))
    # A complaint never swallows part of a place it overlaps: "sore back" of "sore back of the neck".
    places = [(start, end) for _, _, start, end, kind, _, _ in candidates if kind == "region"]
    candidates = [c for c in candidates if c[4] != "complaint" or not any(_straddle(c[2:4], p) for p in places)]
    found = []
    for _, _, start, end, kind, target, key in sorted(candidates):
        if not any(used[start:end]):
            used[start:end] = [True] * (end - start)
            found.append((start, end, kind, target, key))
    return sorted(found)


def _straddle(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Whether two spans overlap without one holding the other."""
    return a[0] < b[1] and b[0] < a[1] and not (a[0] <= b[0] and b[1] <= a[1]) and not (b[0] <= a[0] and a[1] <= b[1])


def _aspects(stream, spoken, used, found, atlas: Atlas) -> list[tuple[int, str]]:
    """Places as (start, region): each place refined by the aspects said right before it (or, with none
    before, right after it); aspects about no place read as places of their own ("low back")."""
    places = {start: (end, target, key) for start, end, kind, target, key in found if kind == "region"}
    ends = {end: start for start, (end, _, _) in places.items()}
    refined = {start: target for start, (_, target, _) in places.items()}
    modified: set[int] = set()  # places refined by the aspects before them
    position = 0
    while position < len(stream):
        if used[position] or not stream[position].startswith(ASPECT):
            position += 1
            continue
        run_end = position
        while run_end < len(stream) and not used[run_end] and stream[run_end].startswith(ASPECT):
            run_end += 1
        run = stream[position:run_end]
        alone = _aspect_place(run, spoken[position:run_end], atlas) if len(run) > 1 else None
        if run_end in places and not alone:
            _, target, key = places[run_end]
            refined[run_end] = atlas.refine(target, key, run)
            modified.add(run_end)
            used[position:run_end] = [True] * len(run)
        elif place := alone or _aspect_place(run, spoken[position:run_end], atlas):
            refined[position] = place
            used[position:run_end] = [True] * len(run)
        elif (end := _place_end_before(stream, used, position)) in ends and ends[end] not in modified:
            start = ends[end]
            _, target, key = places[start]
            refined[start] = atlas.refine(target, key, run)
            used[position:run_end] = [True] * len(run)
        position = run_end
    return sorted(refined.items())


def _place_end_before(stream: list[str], used: list[bool], position: int) -> int:
    """Where a place said before ``position`` would end: pain and stop words may come between a place and its
    aspect ("my elbow hurts on the inside")."""
    while position and not used[position - 1] and not _content(stream[position - 1]):
        position -= 1
    return position


def _aspect_place(run: list[str], spoken: list[str], atlas: Atlas) -> str | None:
    """The place a run of aspect words names on its own ("low back"; "back" and "bottom" as the words
    themselves), longest first; None if it names none."""
    for length in range(len(run), 0, -1):
        for i in range(len(run) - length + 1):
            key = (LITERAL + spoken[i],) if length == 1 else tuple(run[i : i + length])
            if key in atlas.aspect_keys:
                return atlas.aspect_keys[key]
    return None


def _named_by_words(rest: list[str], atlas: Atlas) -> list[str]:
    """Muscles named by words of their names ("trapezius": the three trapezius muscles), most words first; a
    common English word ("group") names none on its own."""
    common = _common_stems(COMMON_WORDS)
    telling = [t for t in rest if 0 < len(atlas.name_words.get(t, ())) <= NAME_WORD_MUSCLES and t not in common]
    if not telling:
        return []
    hits = Counter(m for t in rest for m in atlas.name_words.get(t, ()))
    best = max(hits[m] for t in telling for m in atlas.name_words[t])
    return sorted((m for m, n in hits.items() if n == best), key=lambda m: atlas.muscles[m])


def _side_for(start: int | None, sides: list[tuple[int, str]], default: str | None) -> str | None:
    """The side word nearest before a place, else the first after it, else ``default``."""
    if not sides:
        return default
    if start is None:
        return sides[0][1]
    before = [s for position, s in sides if position <= start]
    return before[-1] if before else sides[0][1]


@dataclass
class Match:
    trigger_point: str
    trigger_point_name: str
    region: str
    zone: str
    credit: float


@dataclass
class Result:
    muscle: str
    name: str
    score: float
    side: str | None
    matches: list[Match]
    complaint: str | None = None
    breadth: float = 0.0  # how much of the chosen places the pattern covers
    points: float = 0.0  # how many of its trigger points refer there (essential 1, spillover 0.5)
    symptom: str | None = None  # the symptom the phrase matched, when it named no place
    named: bool = False  # the phrase named this muscle

    def explanation(self, atlas: Atlas) -> str:
        """Why this muscle is listed, in words."""
        if self.named:
            return "The muscle you named"
        parts, local = [], []
        for m in self.matches:
            place = f"the {atlas.regions[m.region].name.lower()}"
            if m.zone == LOCAL_ZONE:
                local += [place] if place not in local else []
            elif (part := f"{place} ({ZONE_WORDS[m.zone]})") not in parts:
                parts.append(part)
        text = "; ".join(
            ([f"refers to {_join(parts)}"] if parts else [])
            + ([f"its trigger point lies in {_join(local)}"] if local else [])
        )
        if self.complaint:
            linked = f"commonly linked to “{atlas.complaints[self.complaint].name}”"
            text = f"{text}; {linked}" if text else linked
        if self.symptom and not text:
            text = f"can cause: {self.symptom[:1].lower()}{self.symptom[1:]}"
        return text[:1].upper() + text[1:]


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _sides_agree(want: str | None, side: str | None) -> bool:
    """Whether every zone of the muscle on ``side`` can explain a place chosen on side ``want`` (a bilateral zone
    always can)."""
    return not (want and side) or want == side


def _best_match(
    atlas: Atlas, muscle_zones: list[Zone], region: str, want: str | None, side: str | None, near: tuple = ()
) -> Match | None:
    """The muscle's zone that best explains a place: in it, around or within it, or in a region ``near`` it."""
    best = None
    agree = _sides_agree(want, side)  # without a side, every zone can explain every place
    for z in muscle_zones:
        if not (agree or z.bilateral):
            continue
        factor = atlas.place_factor(z.region, region, near)
        if factor is None:
            continue
        credit = ZONE_WEIGHT[z.zone] * factor
        if best is None or credit > best.credit:
            best = Match(z.trigger_point, z.trigger_point_name, z.region, z.zone, credit)
    return best


def _local_match(sites: list[Site], region: str, want: str | None, side: str | None) -> Match | None:
    """Local pain: the muscle's trigger point lying at the place named itself, on its side."""
    for site in sites:
        if want and side and want != side:
            continue
        if site.region == region:
            return Match(site.trigger_point, site.trigger_point_name, site.region, LOCAL_ZONE, LOCAL)
    return None


def context_bonus(muscle: str, rest: tuple[str, ...], atlas: Atlas) -> float:
    """How much the phrase's other words ("when I cough", "after gardening") add for this muscle."""
    known = atlas.context_terms.get(muscle, frozenset())
    return min(CONTEXT_CAP, CONTEXT_WEIGHT * sum(atlas.idf[t] for t in set(rest) if t in known))


def rank(selection: Selection, atlas: Atlas, count: int | None = None, area: str | None = None) -> list[Result]:
    """Muscles ranked by how well their referral zones explain the selection, the phrase's context words
    reordering them; with no place or complaint, by the symptoms the phrase names. Named muscles first, and
    the places where their trigger points lie count as places named ("my rhomboid": between the shoulder blades).

    With ``count``, only the first ``count`` results (of body ``area``, if given) are put in order and explained:
    the others follow them unordered and without their matches, to be counted, not shown. Scoring is cheap (what
    each muscle earns at a place is made once per build: :meth:`Atlas.credits`); naming the zone that explains
    each place, working out ties (how far each pattern reaches) and sorting are done only for the muscles that
    can be among the first ``count``."""
    selection = _with_named_sites(selection, atlas)
    wanted = None if count is None else count + len(selection.muscles)
    if selection.regions or selection.complaints:
        ranked = _by_place(selection, atlas, wanted, area)
    else:
        ranked = _by_symptom(selection, atlas, wanted, area)
    top = max((r.score for r in ranked), default=1.0)
    named = [Result(m, atlas.muscles[m], top, None, [], named=True) for m in selection.muscles]
    return named + [r for r in ranked if r.muscle not in selection.muscles]


def _in_order(
    results: list[Result], count: int | None, area: str | None, atlas: Atlas, finish, key, known
) -> list[Result]:
    """``results`` with the first ``count`` of ``area`` (all, without ``count``; of every area, without ``area``)
    finished and sorted by ``key``, before the others, left as they are. ``known`` is the first part of ``key``,
    known before finishing (the score, and what else is a plain look-up): only the results whose part is among
    the first ``count`` ones can be among the first, and only they are finished."""
    first = [r for r in results if area is None or atlas.areas[r.muscle] == area]
    if count is not None and len(first) > count:
        floor = heapq.nsmallest(count, map(known, first))[-1]  # none after it can be among the first
        first = [r for r in first if known(r) <= floor]
    for r in first:
        finish(r)
    first.sort(key=key)
    chosen = {id(r) for r in first}
    return first + [r for r in results if id(r) not in chosen]


def _with_named_sites(selection: Selection, atlas: Atlas) -> Selection:
    """The selection with the sites of the muscles it names added to its places."""
    named = set(selection.region_ids)
    added = tuple((r, None) for r in selection.sites if r not in named)
    return replace(selection, regions=selection.regions + added) if added else selection


def _by_place(selection: Selection, atlas: Atlas, count: int | None, area: str | None) -> list[Result]:
    # One aspect named alone: its neighbouring aspects too (see NEIGHBOUR_REGION).
    near = atlas.neighbours.get(selection.regions[0][0], ()) if len(selection.regions) == 1 else ()
    places = [atlas.credits(region, near) for region, _ in selection.regions]
    candidates = dict.fromkeys(m for credits in places for m in credits)
    linked = {m: c for c in (*selection.complaints, *selection.described[:1]) for m in atlas.complaints[c].muscles}
    candidates.update(dict.fromkeys(linked))
    named = set(selection.region_ids)
    # The complaints of the places named, in the data's order: their first muscles are listed, and their order
    # breaks ties.
    local_complaints = [slug for slug, places in atlas.complaint_places.items() if named & places]
    common = {m: slug for slug in local_complaints for m in atlas.complaints[slug].muscles[:PLACE_COMPLAINT_MUSCLES]}
    candidates.update(dict.fromkeys(common))
    # For each side a muscle may be on: per place chosen, its credits there and which of them it earns (the first
    # where the sides agree, the bilateral one where they do not).
    sides = {
        side: [
            (credits, 0 if _sides_agree(want, side) else 1)
            for (_, want), credits in zip(selection.regions, places, strict=True)
        ]
        for side in (SIDES if any(s for _, s in selection.regions) else (None,))
    }
    results = []
    for muscle in candidates:
        best: tuple[float, str | None, int] | None = None  # (score, side, places it explains)
        for side, earned in sides.items():
            score, matched = 0, 0
            for credits, which in earned:
                if credit := credits.get(muscle, NO_CREDIT)[which]:
                    score += credit
                    matched += 1
            score += COVERAGE_BONUS * max(matched - 1, 0)
            if muscle in linked:
                score += COMPLAINT_BONUS if linked[muscle] in selection.complaints else DESCRIBED_BONUS
            elif muscle in common:
                score += PLACE_COMPLAINT_BONUS
            if score and (best is None or score > best[0]):
                best = (score, side, matched)
        if best:
            score, side, matched = best
            # A muscle listed for the place's complaint alone says so.
            complaint = linked.get(muscle) or (None if matched else common.get(muscle))
            result = Result(muscle, atlas.muscles[muscle], score, side, [], complaint)
            if selection.rest:
                result.score += context_bonus(muscle, selection.rest, atlas)
            results.append(result)

    # The regions whose zones can explain a place chosen, in the order they are looked at: of equal credits, the
    # zone looked at first is named.
    visited = {
        r: i
        for i, r in enumerate(
            dict.fromkeys(r for region, _ in selection.regions for r in atlas.explaining(region, near))
        )
    }
    chosen = [(atlas.nearby(frozenset((region,))), want) for region, want in selection.regions]

    def finish(r: Result) -> None:
        """What the muscle's zones explain (each place's best match) and how far they reach."""
        zones = sorted(
            (z for z in atlas.zones_of.get(r.muscle, ()) if z.region in visited), key=lambda z: visited[z.region]
        )
        sites = atlas.sites_of.get(r.muscle, [])
        for region, want in selection.regions:
            match = _best_match(atlas, zones, region, want, r.side, near)
            local = _local_match(sites, region, want, r.side)
            if local and (match is None or local.credit > match.credit):  # the zone's match wins a tie
                match = local
            if match:
                r.matches.append(match)
        r.breadth, r.points = _reach(zones, chosen, r.side)

    # Ties go to the muscle the places' complaints list earlier (the order of the manuals' pain guides), then to
    # the muscle covering more of the chosen places, then to the one with more points referring there,
    # then to one whose essential pain lies in the same body area (its pain centres there, not just spills over),
    # then to the one whose pattern the manuals map more fully (the muscles their pain guides list first).
    areas = {atlas.lineage(region)[-1] for region, _ in selection.regions}
    guide: dict[str, int] = {}
    for slug in local_complaints:
        for i, m in enumerate(atlas.complaints[slug].muscles):
            guide[m] = min(guide.get(m, i), i)
    return _in_order(
        results,
        count,
        area,
        atlas,
        finish,
        known=lambda r: (-r.score, guide.get(r.muscle, math.inf)),
        key=lambda r: (
            -r.score,
            guide.get(r.muscle, math.inf),
            -r.breadth,
            -r.points,
            not atlas.essential_areas.get(r.muscle, set()) & areas,
            -atlas.pattern_size.get(r.muscle, 0.0),
            r.name,
        ),
    )


def _by_symptom(selection: Selection, atlas: Atlas, count: int | None, area: str | None) -> list[Result]:
    """Muscles whose points' symptoms (and, for less, factors) hold the phrase's words, most telling first."""
    wanted = set(selection.rest)
    if not wanted & atlas.evidence:
        return []
    results = []
    for muscle in sorted({m for t in wanted for m in atlas.with_term.get(t, ())}):
        symptoms = atlas.symptom_terms.get(muscle, frozenset())
        factors = atlas.factor_terms.get(muscle, frozenset())
        score = sum(atlas.idf[t] for t in wanted & symptoms)
        score += FACTOR_SHARE * sum(atlas.idf[t] for t in (wanted & factors) - symptoms)
        if score:
            results.append(Result(muscle, atlas.muscles[muscle], score, None, []))

    def symptom(r: Result) -> None:
        r.symptom = _symptom(r.muscle, wanted, atlas)

    def order(r: Result) -> tuple[float, str]:
        return (-r.score, r.name)

    return _in_order(results, count, area, atlas, symptom, key=order, known=order)


def _symptom(muscle: str, wanted: set[str], atlas: Atlas) -> str | None:
    """The muscle's symptom sharing most words with the phrase."""
    best = max(
        atlas.symptoms.get(muscle, []), key=lambda s: len(wanted & atlas.sentence_terms[muscle, s]), default=None
    )
    return best if best and wanted & atlas.sentence_terms[muscle, best] else None


def _reach(zones: list[Zone], chosen: list[tuple[frozenset[str], str | None]], side: str | None) -> tuple[float, float]:
    """How many distinct chosen places the muscle's zones reach, and how many of its points reach them.

    chosen: for each place chosen, the regions related to it (itself, those containing it, those within it), and
    its side. Run for every muscle that may tie with another among the first results: kept to plain lookups."""
    places: dict[str, float] = {}
    points: dict[str, float] = {}
    for related, want in chosen:
        agree = _sides_agree(want, side)
        for z in zones:
            if (agree or z.bilateral) and z.region in related:
                weight = ZONE_WEIGHT[z.zone]
                if weight > places.get(z.region, 0.0):
                    places[z.region] = weight
                if weight > points.get(z.trigger_point, 0.0):
                    points[z.trigger_point] = weight
    return sum(places.values()), sum(points.values())
