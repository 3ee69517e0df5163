"""Search by where it hurts: words to body regions, and regions to ranked muscles.

Both steps are pure functions over an :class:`Atlas`, a small in-memory copy
of the regions, referral zones, complaints and red flags, built once per
data build. The body map, the ``/locate`` page, ``/api/locate`` and the
location part of free-text search all go through :func:`rank`; which red
flags they show is :mod:`search.flags`.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass
from dataclasses import field

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import selectinload
from whoosh.lang.porter import stem

from refdata import models
from search.index import PAIN_WORDS

# Weights of the ranking.
ESSENTIAL = 1.0  # a zone the pattern nearly always covers
SPILLOVER = 0.5  # a zone it sometimes reaches
RELATED_REGION = 0.5  # a selected region's parent or child earns this share
COVERAGE_BONUS = 0.5  # per extra selected region one muscle explains
COMPLAINT_BONUS = 0.75  # muscles a named complaint points to

ZONE_WEIGHT = {"essential": ESSENTIAL, "spillover": SPILLOVER}
SIDES = ("left", "right")

# Direction words people use interchangeably, folded to one stem.
DIRECTION_WORDS = {
    "outsid": "outer",
    "later": "outer",
    "lateral": "outer",
    "extern": "outer",
    "insid": "inner",
    "medial": "inner",
    "intern": "inner",
    "behind": "back",
    "posterior": "back",
    "rear": "back",
    "anterior": "front",
}
FILLER = {
    "a",
    "an",
    "the",
    "my",
    "of",
    "in",
    "on",
    "at",
    "to",
    "and",
    "i",
    "me",
    "it",
    "is",
    "have",
    "has",
    "get",
    "when",
    "with",
    "from",
    "around",
    "near",
}
# Words that say it hurts but not where: a query of places and these words is fully understood.
PAIN_STEMS = frozenset(stem(word) for word in PAIN_WORDS)
# Shorter words are never corrected into a place: too many have a near neighbour ("tear" and "ear").
MIN_FUZZY_LENGTH = 5


def tokens(text: str) -> list[str]:
    """Lower-case word stems of ``text`` with direction words folded together."""
    words = re.findall(r"[a-z0-9]+", text.lower().replace("'s", "").replace("’s", ""))
    stems = [stem(w) for w in words]
    return [DIRECTION_WORDS.get(s, s) for s in stems]


def _phrase(text: str) -> tuple[str, ...]:
    """A vocabulary phrase as the tokens that must all appear, filler dropped."""
    return tuple(t for t in tokens(text) if t not in FILLER) or tuple(tokens(text))


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
class Complaint:
    slug: str
    name: str
    note: str
    regions: tuple[str, ...]
    muscles: tuple[str, ...]
    red_flags: tuple[str, ...] = ()  # flags the complaint's name calls to mind


@dataclass(frozen=True)
class RedFlag:
    id: str
    title: str
    urgency: str
    advice: str
    signs: tuple[str, ...]
    regions: frozenset[str]
    sign_words: tuple[str, ...] = ()  # words and short phrases that describe the signs
    context: str = "place"  # or "after-treatment": never raised by a search
    pain_alone: frozenset[str] = frozenset()  # regions where pain alone can be it: shown there without sign words
    position: int = 0  # order in the data file, the last tie-breaker


@dataclass
class Atlas:
    """What location search needs to know, copied out of the database."""

    regions: dict[str, Region]
    muscles: dict[str, str]  # slug -> name
    zones: list[Zone]
    complaints: dict[str, Complaint]
    red_flags: list[RedFlag]
    phrases: list[tuple[tuple[str, ...], str, str]] = field(default_factory=list)
    areas: dict[str, str] = field(default_factory=dict)  # muscle slug -> body area
    # Words of muscle names and symptoms: real words, never "corrected" into a place ("tearing" is not "ear").
    other_words: frozenset[str] = frozenset()
    named: dict[tuple[str, ...], str] = field(default_factory=dict)  # a muscle's name, Latin name or alias -> slug
    known_tokens: list[str] = field(init=False)  # every word of a place or complaint phrase

    def __post_init__(self) -> None:
        self.zones_by_region: dict[str, list[Zone]] = {}
        for z in self.zones:
            self.zones_by_region.setdefault(z.region, []).append(z)
        self._lineage: dict[str, tuple[str, ...]] = {}
        for region in self.regions:
            chain, current = [], region
            while current:
                chain.append(current)
                current = self.regions[current].parent
            self._lineage[region] = tuple(chain)
        self._corrections: dict[str, str] = {}
        # Sign words are vocabulary too: a misspelt one is corrected towards them, never into a place.
        sign_tokens = {t for f in self.red_flags for w in f.sign_words for t in tokens(w)}
        self.known_tokens = sorted({t for p, _, _ in self.phrases for t in p} | sign_tokens)
        # Longest phrases first, so "back of the knee" wins over "back" and "knee"; kept as word counts.
        self.phrases = [
            (Counter(p), kind, target) for p, kind, target in sorted(self.phrases, key=lambda p: -len(p[0]))
        ]
        # Which phrases (by position, so longest first) use each word: a query only tries phrases it could complete.
        self.phrases_with: dict[str, list[int]] = {}
        for position, (need, _, _) in enumerate(self.phrases):
            for word in need:
                self.phrases_with.setdefault(word, []).append(position)

    def lineage(self, region: str) -> tuple[str, ...]:
        """The region and its ancestors, nearest first."""
        return self._lineage[region]

    def corrected(self, token: str) -> str:
        """``correct`` for this atlas's vocabulary, remembered (queries repeat their words)."""
        if token not in self._corrections:
            self._corrections[token] = correct(token, self.known_tokens, self.other_words)
        return self._corrections[token]

    def muscle_named(self, text: str) -> str | None:
        """The muscle whose name, Latin name or alias is the whole of ``text``, if any."""
        return self.named.get(tuple(tokens(text)))

    def related(self, a: str, b: str) -> bool:
        """Whether one region contains the other."""
        return a in self.lineage(b) or b in self.lineage(a)


def load_atlas(session: Session) -> Atlas:
    """Copy regions, referral zones, complaints and red flags out of the database."""
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
    texts = [text for m in rows for text in [m.name, m.latin, *m.aliases, *m.lay]]
    texts += [text for t in points for text in t.symptoms]
    other_words = frozenset(token for text in texts for token in tokens(text))
    complaints = {}
    phrases = []
    for r in session.scalars(select(models.Region)):
        phrases += [(_phrase(w), "region", r.id) for w in [r.name, *r.words]]
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
        )
        phrases += [(_phrase(w), "complaint", c.slug) for w in [c.name, *c.words]]
    flags = [
        RedFlag(
            f.id,
            f.title,
            f.urgency,
            f.advice,
            tuple(f.signs),
            frozenset(r.id for r in f.regions),
            sign_words=tuple(f.sign_words),
            context=f.context,
            pain_alone=frozenset(f.pain_alone),
            position=f.position,
        )
        for f in session.scalars(
            select(models.RedFlag).options(selectinload(models.RedFlag.regions)).order_by(models.RedFlag.position)
        )
    ]
    named = {tuple(tokens(text)): m.slug for m in rows for text in [m.name, m.latin, *m.aliases]}
    return Atlas(regions, muscles, zones, complaints, flags, phrases, areas, other_words, named)


@dataclass(frozen=True)
class Selection:
    """Where it hurts: regions (each maybe on one side) and any named complaints."""

    regions: tuple[tuple[str, str | None], ...] = ()
    complaints: tuple[str, ...] = ()
    rest: tuple[str, ...] = ()  # words of the phrase that named no place, complaint or pain

    @property
    def region_ids(self) -> list[str]:
        return list(dict.fromkeys(r for r, _ in self.regions))


def correct(token: str, known: list[str], real_words: frozenset[str] = frozenset()) -> str:
    """The place word a misspelt one most likely meant, if any."""
    if token in known or token in real_words or len(token) < MIN_FUZZY_LENGTH or token.isdigit():
        return token
    close = difflib.get_close_matches(token, known, n=1, cutoff=0.8)
    return close[0] if close else token


def resolve(text: str, atlas: Atlas, side: str | None = None) -> Selection:
    """Find the regions and complaints a phrase names, e.g. "pain behind my left knee"."""
    words = [atlas.corrected(t) for t in tokens(text)]
    for s in SIDES:
        if s in words:
            side = s
    remaining = Counter(w for w in words if w not in SIDES)
    regions: list[str] = []
    complaints: list[str] = []
    candidates = sorted({p for word in remaining for p in atlas.phrases_with.get(word, ())})
    for need, kind, target in (atlas.phrases[p] for p in candidates):
        if all(remaining[t] >= n for t, n in need.items()):
            remaining -= need
            (regions if kind == "region" else complaints).append(target)
    for slug in complaints:
        regions += atlas.complaints[slug].regions
    regions = list(dict.fromkeys(regions))
    # A named sub-region is more precise than the area around it: "temporal headache" means the temple.
    regions = [r for r in regions if not any(o != r and r in atlas.lineage(o) for o in regions)]
    rest = tuple(w for w in remaining.elements() if w not in FILLER and w not in PAIN_STEMS)
    return Selection(tuple((r, side if atlas.regions[r].sided else None) for r in regions), tuple(complaints), rest)


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

    def explanation(self, atlas: Atlas) -> str:
        """Why this muscle is listed, in words."""
        parts = []
        for m in self.matches:
            part = f"the {atlas.regions[m.region].name.lower()} ({m.zone})"
            if part not in parts:
                parts.append(part)
        text = "refers to " + _join(parts) if parts else ""
        if self.complaint:
            linked = f"commonly linked to “{atlas.complaints[self.complaint].name}”"
            text = f"{text}; {linked}" if text else linked
        return text[:1].upper() + text[1:]


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _on_side(z: Zone, want: str | None, side: str | None) -> bool:
    """Whether a zone of the muscle on ``side`` can explain a place chosen on side ``want``."""
    return z.bilateral or not (want and side) or want == side


def _best_match(atlas: Atlas, muscle_zones: list[Zone], region: str, want: str | None, side: str | None):
    best = None
    for z in muscle_zones:
        if not _on_side(z, want, side):
            continue
        if z.region == region:
            credit = ZONE_WEIGHT[z.zone]
        elif atlas.related(z.region, region):
            credit = ZONE_WEIGHT[z.zone] * RELATED_REGION
        else:
            continue
        if best is None or credit > best.credit:
            best = Match(z.trigger_point, z.trigger_point_name, z.region, z.zone, credit)
    return best


def rank(selection: Selection, atlas: Atlas) -> list[Result]:
    """Muscles ranked by how well their referral zones explain the selection."""
    by_muscle: dict[str, list[Zone]] = {}
    for region, _ in selection.regions:
        for r in {region, *atlas.lineage(region)}:
            for z in atlas.zones_by_region.get(r, []):
                by_muscle.setdefault(z.muscle, []).append(z)
        for child in (c for c in atlas.regions if region in atlas.lineage(c)[1:]):
            for z in atlas.zones_by_region.get(child, []):
                by_muscle.setdefault(z.muscle, []).append(z)
    linked = {m: c for c in selection.complaints for m in atlas.complaints[c].muscles}
    for m in linked:
        by_muscle.setdefault(m, [])
    sided = any(s for _, s in selection.regions)
    results = []
    for muscle, zones in by_muscle.items():
        best: Result | None = None
        for side in SIDES if sided else (None,):
            matches = [m for region, want in selection.regions if (m := _best_match(atlas, zones, region, want, side))]
            score = sum(m.credit for m in matches) + COVERAGE_BONUS * max(len(matches) - 1, 0)
            if muscle in linked:
                score += COMPLAINT_BONUS
            if score and (best is None or score > best.score):
                breadth, points = _reach(atlas, zones, selection, side)
                best = Result(muscle, atlas.muscles[muscle], score, side, matches, linked.get(muscle), breadth, points)
        if best:
            results.append(best)
    # Ties go to the muscle covering more of the chosen places, then to the one with more points referring there.
    results.sort(key=lambda r: (-r.score, -r.breadth, -r.points, r.name))
    return results


def _reach(atlas: Atlas, zones: list[Zone], selection: Selection, side: str | None) -> tuple[float, float]:
    """How many distinct chosen places the muscle's zones reach, and how many of its points reach them."""
    places: dict[str, float] = {}
    points: dict[str, float] = {}
    for region, want in selection.regions:
        for z in zones:
            if _on_side(z, want, side) and atlas.related(z.region, region):
                places[z.region] = max(places.get(z.region, 0.0), ZONE_WEIGHT[z.zone])
                points[z.trigger_point] = max(points.get(z.trigger_point, 0.0), ZONE_WEIGHT[z.zone])
    return sum(places.values()), sum(points.values())
