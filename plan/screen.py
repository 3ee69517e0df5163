"""The contraindication screen and what each "yes" does to a plan. The data says it (contraindications.yaml):

- a question that ``stop``s stops the whole plan: no treatment today, refer as its red flags (``refer``) or
  its ``advice`` say;
- a question that ``refer``s without stopping sends the patient to a doctor as its red flags say, and does
  what its level says to the points it concerns;
- an absolute contraindication removes the components it names, with its text as the reason: from the
  points it concerns when it names a ``hazard`` or ``regions``, otherwise from the whole plan;
- a relative contraindication keeps them and marks every point (or the segments) it concerns with the
  precaution's reference (P1, P2, ...).
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field

from sqlalchemy.orm import Session

from plan import COMPONENTS
from plan import NEEDLING
from plan import SEGMENTAL
from refdata import models

THORAX_RULE = "bilateral-thorax-same-session"
# How a plan refers to the answers that change it: A1, A2 (absolute), P1, P2 (precautions).
REF_LETTER = {"absolute": "A", "relative": "P"}


def referrals(session: Session, flagged: list[models.Contraindication], places: set[str]) -> list[dict]:
    """The referrals the "yes" answers call for, stops first: each with whether it stops the plan, its
    advice, and the red flags to refer by, those tied to a place treated (``places``: the points' regions
    and the areas around them), or all of them when none is."""
    found = []
    for c in sorted(flagged, key=lambda c: not c.stop):
        if not (c.stop or c.refer):
            continue
        flags = [f for f in (session.get(models.RedFlag, flag_id) for flag_id in c.refer) if f]
        here = [f for f in flags if places & {r.id for r in f.regions}] or flags
        found.append(
            {
                "id": c.id,
                "question": c.question,
                "patient_question": c.patient_question,
                "text": c.text,
                "stops": c.stop,
                "advice": c.advice,
                "red_flag": here[0].as_dict() if here else None,
                "red_flags": [f.as_dict() for f in here],
            }
        )
    return found


def places(point: models.TriggerPoint, parents: dict[str, str | None]) -> set[str]:
    """The region a point lies in and every area around it."""
    found, region = set(), point.site
    while region:
        found.add(region)
        region = parents.get(region)
    return found


@dataclass
class Screening:
    """What the "yes" answers do to a plan: the components left at each point, what was removed and by which
    answer, and the precautions each point or the segments carry.

    Each answer that changes something gets a short reference (A1 for an absolute contraindication, P1 for a
    precaution) that the points it concerns carry.
    """

    chosen: list[str]
    ticked: list[tuple[models.TriggerPoint, list[str]]]
    hazard_kinds: dict[str, set[str]]  # muscle -> its kinds of needling hazard
    parents: dict[str, str | None]  # region -> the area around it
    components: dict[str, list[str]] = field(default_factory=dict)  # point -> components left
    removed_here: dict[str, list[dict]] = field(default_factory=dict)
    precautions_here: dict[str, list[str]] = field(default_factory=dict)
    plan_removed: dict[str, list[str]] = field(default_factory=dict)  # component -> refs removing it everywhere
    segment_precautions: list[str] = field(default_factory=list)
    answers: list[dict] = field(default_factory=list)

    def __post_init__(self):
        for t, _ in self.ticked:
            self.components[t.slug] = [k for k in self.chosen if k != SEGMENTAL]
            self.removed_here[t.slug] = []
            self.precautions_here[t.slug] = []

    def apply(self, flagged: list[models.Contraindication], found: list[str]) -> None:
        """Every "yes": stops first, then what is removed, then precautions on what remains."""
        counts = {"absolute": 0, "relative": 0}
        for c in sorted(flagged, key=lambda c: (not c.stop, c.level != "absolute")):
            consequence, effect, ref = self._consequence(c, counts)
            self.answers.append(
                {
                    "id": c.id,
                    "question": c.question,
                    "patient_question": c.patient_question,
                    "level": c.level,
                    "consequence": consequence,
                    "text": c.text,
                    "effect": effect,
                    "ref": ref,
                    "found_in_plan": c.id in found,
                }
            )

    def concerned(self, c: models.Contraindication) -> list[models.TriggerPoint]:
        """The points an answer concerns: those of muscles with its hazard, or in its places; else all."""
        return [
            t
            for t, _ in self.ticked
            if (c.hazard is None or c.hazard in self.hazard_kinds[t.muscle_slug])
            and (not c.regions or places(t, self.parents) & set(c.regions))
        ]

    def _consequence(self, c: models.Contraindication, counts: dict[str, int]) -> tuple[str, str, str | None]:
        if c.stop:
            return "refer", "Stops the plan: refer before any treatment.", None
        kinds = [k for k in self.chosen if ("all" in c.applies_to or k in c.applies_to) and k not in self.plan_removed]
        concerned = self.concerned(c)
        scoped = bool(c.hazard or c.regions)
        if c.level == "relative":  # a precaution concerns only what is still planned
            kinds = [k for k in kinds if k == SEGMENTAL or any(k in self.components[t.slug] for t in concerned)]
        referral = " Refer the patient to a doctor today." if c.refer else ""
        if not kinds:
            return c.level, "No chosen component is affected." + referral, None
        counts[c.level] += 1
        ref = f"{REF_LETTER[c.level]}{counts[c.level]}"
        if c.level == "absolute":
            for t in concerned:
                for k in kinds:
                    if k in self.components[t.slug]:
                        self.components[t.slug].remove(k)
                        self.removed_here[t.slug].append({"kind": k, "name": COMPONENTS[k], "ref": ref})
            if not scoped:
                for k in kinds:
                    self.plan_removed.setdefault(k, []).append(ref)
            where = "at the points it concerns" if scoped else "from the plan"
            return "absolute", f"Removes {names(kinds)} {where}.{referral}", ref
        for t in concerned:
            if set(kinds) & set(self.components[t.slug]):
                self.precautions_here[t.slug].append(ref)
        if SEGMENTAL in kinds:
            self.segment_precautions.append(ref)
        effect = f"Keeps {names(kinds)}, with this precaution marked {ref} beside what it concerns.{referral}"
        return "relative", effect, ref


def names(kinds: list[str]) -> str:
    return ", ".join(COMPONENTS[k] for k in kinds)


def asked(screen: list[models.Contraindication], components: list[str]) -> list[models.Contraindication]:
    """The questions that matter for these components; those that stop the plan always do."""
    return [c for c in screen if c.stop or "all" in c.applies_to or set(c.applies_to) & set(components)]


def questions(screen: list[models.Contraindication], components: list[str]) -> list[dict]:
    """The whole screen for the form: each question with what a "yes" does, its group, and whether it is asked
    for these components (all are, before any component is chosen)."""
    offered = {c.id for c in asked(screen, components)} if components else {c.id for c in screen}
    return [
        c.as_dict()
        | {
            "consequence": "refer" if c.stop else c.level,
            "group": "refer"
            if c.stop
            else "needling"
            if "all" in c.applies_to or set(c.applies_to) & set(NEEDLING)
            else "manipulation"
            if SEGMENTAL in c.applies_to
            else "pressure",
            "asked": c.id in offered,
        }
        for c in screen
    ]
