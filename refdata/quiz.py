"""Study questions and flashcards generated from the reference data.

A quiz is fixed by its body area and seed, so the page that asks the
questions and the page that scores the answers make the same ones. New data
makes new questions; nothing here is written by hand per muscle.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from dataclasses import field

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import selectinload

from refdata import models
from refdata import schema

QUESTIONS_PER_QUIZ = 5
OPTIONS = 4
KINDS = ("map", "regions", "roots", "hazard")
# Hazard kinds a question can ask about; "other" names no class of structure worth a question.
NAMED_HAZARD_KINDS = tuple(k for k in schema.HAZARD_KINDS if k != "other")


@dataclass
class Question:
    id: str
    kind: str
    prompt: str
    options: list[tuple[str, str]]
    answer: str
    explanation: str
    links: list[tuple[str, str]]  # (title, "muscle/<slug>" or "trigger_point/<slug>")
    essential: list[str] = field(default_factory=list)
    spillover: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "kind": self.kind,
            "prompt": self.prompt,
            "options": [{"value": v, "label": label} for v, label in self.options],
            "map": {"essential": self.essential, "spillover": self.spillover} if self.essential else None,
        }


@dataclass
class Bank:
    """The facts questions are drawn from, copied out of the database."""

    muscles: list[models.Muscle]
    regions: dict[str, str]  # id -> name, for every region
    places: list[str]  # the regions a person can point at (not whole areas)

    @classmethod
    def load(cls, session: Session, area: str | None) -> Bank:
        query = (
            select(models.Muscle)
            .options(
                selectinload(models.Muscle.trigger_points).selectinload(models.TriggerPoint.zones),
                selectinload(models.Muscle.hazards),
            )
            .order_by(models.Muscle.slug)
        )
        if area:
            query = query.where(models.Muscle.area == area)
        rows = session.execute(select(models.Region.id, models.Region.name, models.Region.parent_id)).all()
        regions = {r.id: r.name for r in rows}
        return cls(list(session.scalars(query)), regions, [r.id for r in rows if r.parent_id])


def _options(rng: random.Random, right: tuple[str, str], wrong: list[tuple[str, str]]) -> list[tuple[str, str]]:
    picked = rng.sample(wrong, min(OPTIONS - 1, len(wrong))) + [right]
    rng.shuffle(picked)
    return picked


def _map_question(rng, bank: Bank, muscle: models.Muscle) -> Question | None:
    point = rng.choice(muscle.trigger_points)
    essential = set(point.regions("essential"))
    others = [
        m
        for m in bank.muscles
        if m.slug != muscle.slug and all(set(t.regions("essential")) != essential for t in m.trigger_points)
    ]
    if len(others) < OPTIONS - 1:
        return None
    return Question(
        id=f"map:{point.slug}",
        kind="map",
        prompt="Which muscle has a trigger point described as referring pain to the shaded places?",
        options=_options(rng, (muscle.slug, muscle.name), [(m.slug, m.name) for m in others]),
        answer=muscle.slug,
        explanation=f"{muscle.name} ({point.name}) refers to "
        + ", ".join(bank.regions[r].lower() for r in sorted(essential))
        + ".",
        links=[(f"{muscle.name}: {point.name}", f"trigger_point/{point.slug}")],
        essential=sorted(essential),
        spillover=point.regions("spillover"),
    )


def _regions_question(rng, bank: Bank, muscle: models.Muscle) -> Question | None:
    point = rng.choice(muscle.trigger_points)
    essential = point.regions("essential")
    touched = set(essential) | set(point.regions("spillover"))
    wrong = [(r, bank.regions[r]) for r in bank.places if r not in touched]
    right = rng.choice(essential)
    return Question(
        id=f"regions:{point.slug}",
        kind="regions",
        prompt=f"Where does {muscle.name} ({point.name}) refer pain, in its essential zone?",
        options=_options(rng, (right, bank.regions[right]), wrong),
        answer=right,
        explanation=f"Its essential zone: {', '.join(bank.regions[r] for r in essential)}.",
        links=[(f"{muscle.name}: {point.name}", f"trigger_point/{point.slug}")],
    )


def _roots_question(rng, bank: Bank, muscle: models.Muscle) -> Question | None:
    right = ", ".join(muscle.roots)
    wrong = sorted({", ".join(m.roots) for m in bank.muscles} - {right})
    if len(wrong) < OPTIONS - 1:
        return None
    return Question(
        id=f"roots:{muscle.slug}",
        kind="roots",
        prompt=f"Which roots supply {muscle.name}?",
        options=_options(rng, (right, right), [(w, w) for w in wrong]),
        answer=right,
        explanation=f"{muscle.name}: {muscle.nerve} ({right}).",
        links=[(muscle.name, f"muscle/{muscle.slug}")],
    )


def _hazard_question(rng, bank: Bank, muscle: models.Muscle) -> Question | None:
    kinds = sorted({h.kind for h in muscle.hazards} & set(NAMED_HAZARD_KINDS))
    wrong = [k for k in NAMED_HAZARD_KINDS if k not in kinds]
    if not kinds or not wrong:
        return None
    right = rng.choice(kinds)
    hazard = next(h for h in muscle.hazards if h.kind == right)
    return Question(
        id=f"hazard:{muscle.slug}",
        kind="hazard",
        prompt=f"Which needling hazard is flagged for {muscle.name}?",
        options=_options(rng, (right, right), [(k, k) for k in wrong]),
        answer=right,
        explanation=f"{right.capitalize()}: {hazard.structures}",
        links=[(muscle.name, f"muscle/{muscle.slug}")],
    )


MAKERS = {"map": _map_question, "regions": _regions_question, "roots": _roots_question, "hazard": _hazard_question}


def make_quiz(bank: Bank, seed: int, count: int = QUESTIONS_PER_QUIZ) -> list[Question]:
    """Questions of mixed kinds about muscles drawn at random (repeatably, from ``seed``)."""
    rng = random.Random(seed)
    muscles = bank.muscles[:]
    rng.shuffle(muscles)
    questions: list[Question] = []
    for i, muscle in enumerate(muscles):
        if len(questions) == count:
            break
        question = MAKERS[KINDS[i % len(KINDS)]](rng, bank, muscle)
        if question:
            questions.append(question)
    return questions


def score(questions: list[Question], answers: dict[str, str]) -> dict:
    """How many answers were right, with each question's explanation."""
    marked = [
        {
            "question": q.as_dict(),
            "given": answers.get(q.id),
            "answer": q.answer,
            "answer_label": dict(q.options)[q.answer],
            "correct": answers.get(q.id) == q.answer,
            "explanation": q.explanation,
            "links": q.links,
        }
        for q in questions
    ]
    return {"score": sum(m["correct"] for m in marked), "out_of": len(marked), "marked": marked}


def flashcards(bank: Bank) -> list[dict]:
    """One card per muscle: the name on the front; where it refers, its supply and action on the back."""
    return [
        {
            "slug": m.slug,
            "name": m.name,
            "refers": sorted({bank.regions[r] for t in m.trigger_points for r in t.regions("essential")}),
            "innervation": f"{m.nerve} ({', '.join(m.roots)})",
            "action": m.action,
        }
        for m in sorted(bank.muscles, key=lambda m: m.name)
    ]
