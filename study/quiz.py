"""Study questions generated from the reference data (flashcards and Anki decks: :mod:`study.cards`).

A quiz is fixed by its body area, level and seed, so the page that asks the
questions and the page that scores the answers make the same ones. New data
makes new questions; nothing here is written by hand per muscle.

Wrong answers are chosen to teach. At the ``hard`` level they come from the
muscles a student could confuse with the right one: those whose referral
zones overlap the pattern asked about, its synergists, and its neighbours in
the same body area (regions: the untouched places of the same body area). At
the ``easy`` level they come from elsewhere in the body. Never offered: a
muscle with a point whose map would look the same as the one asked about,
nor a place that is part of (or contains) a right answer.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from dataclasses import field

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import selectinload

from figure import body
from refdata import models
from refdata import schema

QUESTIONS_PER_QUIZ = 5
OPTIONS = 4
KINDS = ("map", "regions", "roots", "hazard")
LEVELS = ("hard", "easy")
DEFAULT_LEVEL = "hard"
# How much each link makes a muscle a confusable (hard) wrong answer.
OVERLAP_WEIGHT = 3  # refers to some of the same places
SYNERGIST_WEIGHT = 2
SAME_AREA_WEIGHT = 1
SHARED_ROOT_WEIGHT = 1  # roots questions: supplied by some of the same roots
# Hazard kinds a question can ask about, in words; "other" names no class of structure worth a question.
HAZARD_WORDS = {
    "pneumothorax": "The lung and its pleura (pneumothorax)",
    "neuraxial": "The spinal cord or its coverings (neuraxial)",
    "neurovascular": "A nerve or a large blood vessel (neurovascular)",
    "organ": "An organ of the neck, chest, abdomen or pelvis",
}
NAMED_HAZARD_KINDS = tuple(k for k in schema.HAZARD_KINDS if k in HAZARD_WORDS)
CRANIAL = re.compile(r"^CN ?([IVX]+)$")


@dataclass
class Question:
    id: str
    kind: str
    prompt: str
    options: list[tuple[str, str]]
    answer: str
    explanation: str
    links: list[tuple[str, str]]  # (title, "muscle/<slug>" or "trigger_point/<slug>")
    essential: list[str] = field(default_factory=list)  # the referral map that goes with the question
    spillover: list[str] = field(default_factory=list)
    map_title: str = ""
    show_map: bool = False  # in the question itself (otherwise only with the answer)
    notes: dict[str, str] = field(default_factory=dict)  # what a wrong option would have meant
    card: str = ""  # the trigger point whose flashcard practises this question

    def as_dict(self) -> dict:
        the_map = {"essential": self.essential, "spillover": self.spillover}  # no title: it names the answer
        return {
            "id": self.id,
            "kind": self.kind,
            "prompt": self.prompt,
            "options": [{"value": v, "label": label} for v, label in self.options],
            "map": the_map if self.show_map else None,
        }


@dataclass(frozen=True)
class Place:
    """A region of the body map, with its parent and body area (the top of its lineage)."""

    id: str
    name: str
    parent: str | None
    area: str


@dataclass
class Bank:
    """The facts questions are drawn from, copied out of the database.

    ``subjects`` are the muscles questions are about (one body area, or all); ``muscles`` are every muscle,
    the pool wrong answers come from.
    """

    subjects: list[models.Muscle]
    muscles: list[models.Muscle]
    places: dict[str, Place]
    _drawn: dict[frozenset[str], frozenset[str]] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, session: Session, area: str | None) -> Bank:
        muscles = list(
            session.scalars(
                select(models.Muscle)
                .options(
                    selectinload(models.Muscle.trigger_points).selectinload(models.TriggerPoint.zones),
                    selectinload(models.Muscle.hazards),
                )
                .order_by(models.Muscle.slug)
            )
        )
        rows = session.execute(select(models.Region.id, models.Region.name, models.Region.parent_id)).all()
        parents = {r.id: r.parent_id for r in rows}

        def top(region: str) -> str:
            while parents[region]:
                region = parents[region]
            return region

        places = {r.id: Place(r.id, r.name, r.parent_id, top(r.id)) for r in rows}
        subjects = [m for m in muscles if not area or m.area == area]
        return cls(subjects, muscles, places)

    def name(self, region: str) -> str:
        return self.places[region].name

    def drawn(self, regions: list[str]) -> frozenset[str]:
        """What a map of these regions shades: areas become the drawn regions inside them."""
        key = frozenset(regions)
        if key not in self._drawn:
            self._drawn[key] = frozenset(body.leaves(key))
        return self._drawn[key]

    def related(self, a: str, b: str) -> bool:
        """Whether one region is, or lies inside, the other."""
        return a in body.lineage(body.PARENTS, b) or b in body.lineage(body.PARENTS, a)


def picture(bank: Bank, point: models.TriggerPoint) -> frozenset[str]:
    """The drawn essential zone of a point."""
    return bank.drawn(point.regions("essential"))


def look_alike(bank: Bank, a: models.TriggerPoint, b: models.TriggerPoint) -> bool:
    """Whether two maps cannot be told apart: the same essential zone, or the same places shaded at all
    (solid and hatched differ too little on a small map to carry a question)."""
    return picture(bank, a) == picture(bank, b) or bank.drawn(a.regions("essential") + a.regions("spillover")) == (
        bank.drawn(b.regions("essential") + b.regions("spillover"))
    )


def confusability(bank: Bank, muscle: models.Muscle, other: models.Muscle, places: frozenset[str]) -> int:
    """How easily ``other`` is mistaken for ``muscle`` (0: not at all): overlapping zones, synergy, same area."""
    theirs = bank.drawn([r for t in other.trigger_points for z in ("essential", "spillover") for r in t.regions(z)])
    score = OVERLAP_WEIGHT if places & theirs else 0
    if other.slug in muscle.synergists or muscle.slug in other.synergists:
        score += SYNERGIST_WEIGHT
    if other.area == muscle.area:
        score += SAME_AREA_WEIGHT
    return score


def pick(rng: random.Random, scored: list[tuple[int, object]], level: str, count: int = OPTIONS - 1) -> list:
    """``count`` items: the most confusable for ``hard``, unrelated ones for ``easy``, topped up when short."""
    rng.shuffle(scored)
    if level == "hard":
        ranked = sorted(scored, key=lambda s: -s[0])
    else:
        ranked = sorted(scored, key=lambda s: s[0] > 0)
    return [item for _, item in ranked[:count]]


def _options(rng: random.Random, right: tuple[str, str], wrong: list[tuple[str, str]]) -> list[tuple[str, str]]:
    picked = wrong + [right]
    rng.shuffle(picked)
    return picked


def _drawable_points(bank: Bank, muscle: models.Muscle) -> list[models.TriggerPoint]:
    return [t for t in muscle.trigger_points if picture(bank, t)]


def _describe(bank: Bank, point: models.TriggerPoint) -> str:
    essential = ", ".join(bank.name(r).lower() for r in point.regions("essential"))
    spillover = ", ".join(bank.name(r).lower() for r in point.regions("spillover"))
    return f"refers to {essential}" + (f" (spillover: {spillover})" if spillover else "")


def _nearest_point(bank: Bank, muscle: models.Muscle, places: frozenset[str]) -> models.TriggerPoint:
    """The muscle's point whose pattern overlaps ``places`` most (to explain why it is not the answer)."""
    return max(muscle.trigger_points, key=lambda t: len(picture(bank, t) & places))


def _with_map(question: Question, bank: Bank, point: models.TriggerPoint) -> Question:
    question.essential = point.regions("essential")
    question.spillover = point.regions("spillover")
    question.map_title = f"{point.muscle.name}: {point.name}"
    question.card = point.slug
    return question


def _map_question(rng, bank: Bank, muscle: models.Muscle, level: str) -> Question | None:
    points = _drawable_points(bank, muscle)
    if not points:
        return None
    point = rng.choice(points)
    places = picture(bank, point)
    scored = [
        (confusability(bank, muscle, m, places), m)
        for m in bank.muscles
        if m.slug != muscle.slug and not any(look_alike(bank, point, t) for t in m.trigger_points)
    ]
    wrong = pick(rng, scored, level)
    if len(wrong) < OPTIONS - 1:
        return None
    question = Question(
        id=f"map:{point.slug}",
        kind="map",
        prompt="Which muscle has a trigger point described as referring pain to the shaded places?",
        options=_options(rng, (muscle.slug, muscle.name), [(m.slug, m.name) for m in wrong]),
        answer=muscle.slug,
        explanation=f"{muscle.name} ({point.name}) {_describe(bank, point)}.",
        links=[(f"{muscle.name}: {point.name}", f"trigger_point/{point.slug}")],
        show_map=True,
        notes={
            m.slug: f"{m.name} ({(t := _nearest_point(bank, m, places)).name}) {_describe(bank, t)}." for m in wrong
        },
    )
    return _with_map(question, bank, point)


def _regions_question(rng, bank: Bank, muscle: models.Muscle, level: str) -> Question | None:
    point = rng.choice(muscle.trigger_points)
    essential = point.regions("essential")
    touched = essential + point.regions("spillover")
    right = rng.choice(essential)
    areas = {bank.places[r].area for r in essential}
    candidates = [
        p.id
        for p in bank.places.values()
        if p.parent and body.drawn(p.id) and not any(bank.related(p.id, r) for r in touched)
    ]
    scored = [(SAME_AREA_WEIGHT if bank.places[r].area in areas else 0, r) for r in candidates]
    wrong: list[str] = []
    for region in pick(rng, scored, level, count=len(scored)):
        if not any(bank.related(region, w) for w in wrong):
            wrong.append(region)
        if len(wrong) == OPTIONS - 1:
            break
    question = Question(
        id=f"regions:{point.slug}",
        kind="regions",
        prompt=f"Where does {muscle.name} ({point.name}) refer pain, in its essential zone?",
        options=_options(rng, (right, bank.name(right)), [(r, bank.name(r)) for r in wrong]),
        answer=right,
        explanation=f"Its essential zone: {', '.join(bank.name(r) for r in essential)}."
        + (
            f" Spillover: {', '.join(bank.name(r) for r in point.regions('spillover'))}."
            if touched != essential
            else ""
        ),
        links=[(f"{muscle.name}: {point.name}", f"trigger_point/{point.slug}")],
        notes={r: f"{bank.name(r)} is outside this point's zones." for r in wrong},
    )
    return _with_map(question, bank, point)


def _root_order(root: str) -> tuple[int, int]:
    cranial = CRANIAL.match(root)
    if cranial:
        return (0, _roman(cranial.group(1)))
    return (1 + "CTLS".index(root[0]), int(root[1:]) if root[1:].isdigit() else 0)


def _roman(numeral: str) -> int:
    values = {"I": 1, "V": 5, "X": 10}
    total = 0
    for i, ch in enumerate(numeral):
        value = values[ch]
        total += -value if i + 1 < len(numeral) and values[numeral[i + 1]] > value else value
    return total


def roots_label(roots: list[str]) -> str:
    """Roots in their order down the body, once each: ``C5, C6``."""
    return ", ".join(sorted(set(roots), key=_root_order))


def _roots_question(rng, bank: Bank, muscle: models.Muscle, level: str) -> Question | None:
    right = roots_label(muscle.roots)
    places = bank.drawn([r for t in muscle.trigger_points for r in t.regions("essential")])
    best: dict[str, int] = {}
    supplied: dict[str, list[tuple[int, str]]] = {}  # roots -> the muscles they supply, most confusable first
    for m in bank.muscles:
        label = roots_label(m.roots)
        if label == right:
            continue
        score = confusability(bank, muscle, m, places) + (SHARED_ROOT_WEIGHT if set(m.roots) & set(muscle.roots) else 0)
        best[label] = max(best.get(label, 0), score)
        supplied.setdefault(label, []).append((-score, m.name))
    wrong = pick(rng, [(score, label) for label, score in best.items()], level)
    if len(wrong) < OPTIONS - 1:
        return None
    question = Question(
        id=f"roots:{muscle.slug}",
        kind="roots",
        prompt=f"Which roots supply {muscle.name}?",
        options=_options(rng, (right, right), [(w, w) for w in wrong]),
        answer=right,
        explanation=f"{muscle.name}: {innervation(muscle)}",
        links=[(muscle.name, f"muscle/{muscle.slug}")],
        notes={w: f"{w} supply {', '.join(name for _, name in sorted(supplied[w])[:3])}." for w in wrong},
    )
    return _with_map(question, bank, muscle.trigger_points[0])


def _hazard_question(rng, bank: Bank, muscle: models.Muscle, level: str) -> Question | None:
    kinds = sorted({h.kind for h in muscle.hazards} & set(NAMED_HAZARD_KINDS))
    wrong = [k for k in NAMED_HAZARD_KINDS if k not in kinds]
    if not kinds or not wrong:
        return None
    right = rng.choice(kinds)
    hazard = next(h for h in muscle.hazards if h.kind == right)
    question = Question(
        id=f"hazard:{muscle.slug}",
        kind="hazard",
        prompt=f"What could a needle meet when needling {muscle.name}?",
        options=_options(rng, (right, HAZARD_WORDS[right]), [(k, HAZARD_WORDS[k]) for k in wrong]),
        answer=right,
        explanation=f"{HAZARD_WORDS[right]}: {hazard.structures}",
        links=[(muscle.name, f"muscle/{muscle.slug}")],
        notes={k: f"No {k} hazard is flagged for {muscle.name}." for k in wrong},
    )
    return _with_map(question, bank, muscle.trigger_points[0])


MAKERS = {"map": _map_question, "regions": _regions_question, "roots": _roots_question, "hazard": _hazard_question}


def make_quiz(bank: Bank, seed: int, level: str = DEFAULT_LEVEL, count: int = QUESTIONS_PER_QUIZ) -> list[Question]:
    """Questions of mixed kinds about muscles drawn at random (repeatably, from ``seed``) at ``level``."""
    rng = random.Random(seed)
    muscles = bank.subjects[:]
    rng.shuffle(muscles)
    questions: list[Question] = []
    for i, muscle in enumerate(muscles):
        if len(questions) == count:
            break
        question = MAKERS[KINDS[i % len(KINDS)]](rng, bank, muscle, level)
        if question:
            questions.append(question)
    return questions


def score(questions: list[Question], answers: dict[str, str]) -> dict:
    """How many answers were right; each question with the answer given, the right one, why, and its map."""
    marked = []
    for q in questions:
        given = answers.get(q.id)
        labels = dict(q.options)
        marked.append(
            {
                "question": q.as_dict(),
                "given": given,
                "given_label": labels.get(given),
                "answer": q.answer,
                "answer_label": labels[q.answer],
                "correct": given == q.answer,
                "explanation": q.explanation,
                "given_note": q.notes.get(given) if given != q.answer else None,
                "map": {"essential": q.essential, "spillover": q.spillover, "title": q.map_title, "site": q.card},
                "card": q.card,
                "links": q.links,
            }
        )
    return {"score": sum(m["correct"] for m in marked), "out_of": len(marked), "marked": marked}


def innervation(muscle: models.Muscle) -> str:
    """The nerve, then any roots its text does not already name (so "(CN VII)" is never said twice)."""
    nerve = muscle.nerve.strip()
    missing = [r for r in muscle.roots if not _names_root(nerve, r)]
    if not missing:
        return nerve
    return f"{nerve.rstrip('.')}; roots {roots_label(missing)}."


def _names_root(text: str, root: str) -> bool:
    """Whether ``text`` names ``root`` ("CN V" is named by "CN V3", "C5" is not named by "C15")."""
    if CRANIAL.match(root):
        numeral = CRANIAL.match(root).group(1)
        return re.search(rf"\bCN ?{numeral}(?![IVX])", text) is not None
    return re.search(rf"\b{re.escape(root)}(?!\d)", text) is not None
