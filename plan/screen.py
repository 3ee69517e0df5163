"""The contraindication screen and what each "yes" does to a plan.

- a question in :data:`URGENT_REFERRAL` stops the whole plan: no treatment
  today, refer as the linked red flag says;
- an absolute contraindication removes the components it names, with its
  text as the reason (from the points a hazard concerns, for the rules in
  :data:`HAZARD_SCOPE`, otherwise from the whole plan);
- a relative contraindication keeps them and marks every point (or the
  segments) it concerns with the precaution's reference (P1, P2, ...).
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
# A "yes" to these is a sign of an emergency or of a condition to be seen first: the plan stops and the
# practitioner refers as the named red flag (red_flags.yaml) advises. The screen data has no field for this,
# so the classification lives here: each question's own text already says "refer urgently" or "emergency".
URGENT_REFERRAL = {
    "smt-cervical-artery-signs": "cervical-artery-dissection",
    "smt-cauda-equina": "cauda-equina",
    "smt-myelopathy-neuro-deficit": "cervical-myelopathy",
}
# How a plan refers to the answers that change it: A1, A2 (absolute), P1, P2 (precautions).
REF_LETTER = {"absolute": "A", "relative": "P"}
# Rules that concern only the points of muscles with this kind of needling hazard.
HAZARD_SCOPE = {
    THORAX_RULE: "pneumothorax",
    "thoracic-pneumothorax-risk": "pneumothorax",
}


def referrals(session: Session, flagged: list[models.Contraindication]) -> list[dict]:
    """The urgent referrals a "yes" calls for, with the red flag's signs and advice."""
    stops = []
    for c in flagged:
        if c.id not in URGENT_REFERRAL:
            continue
        flag = session.get(models.RedFlag, URGENT_REFERRAL[c.id])
        stops.append(
            {
                "id": c.id,
                "question": c.question,
                "text": c.text,
                "red_flag": flag.as_dict() if flag else None,
            }
        )
    return stops


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
        """Every "yes": referrals first, then what is removed, then precautions on what remains."""
        counts = {"absolute": 0, "relative": 0}
        for c in sorted(flagged, key=lambda c: (c.id not in URGENT_REFERRAL, c.level != "absolute")):
            consequence, effect, ref = self._consequence(c, counts)
            self.answers.append(
                {
                    "id": c.id,
                    "question": c.question,
                    "level": c.level,
                    "consequence": consequence,
                    "text": c.text,
                    "effect": effect,
                    "ref": ref,
                    "found_in_plan": c.id in found,
                }
            )

    def _consequence(self, c: models.Contraindication, counts: dict[str, int]) -> tuple[str, str, str | None]:
        kinds = [k for k in self.chosen if ("all" in c.applies_to or k in c.applies_to) and k not in self.plan_removed]
        scope = HAZARD_SCOPE.get(c.id)
        concerned = [t for t, _ in self.ticked if scope is None or scope in self.hazard_kinds[t.muscle_slug]]
        if c.level == "relative":  # a precaution concerns only what is still planned
            kinds = [k for k in kinds if k == SEGMENTAL or any(k in self.components[t.slug] for t in concerned)]
        if c.id in URGENT_REFERRAL:
            return "refer", "Stops the plan: refer before any treatment.", None
        if not kinds:
            return c.level, "No chosen component is affected.", None
        counts[c.level] += 1
        ref = f"{REF_LETTER[c.level]}{counts[c.level]}"
        if c.level == "absolute":
            for t in concerned:
                for k in kinds:
                    if k in self.components[t.slug]:
                        self.components[t.slug].remove(k)
                        self.removed_here[t.slug].append({"kind": k, "name": COMPONENTS[k], "ref": ref})
            if scope is None:
                for k in kinds:
                    self.plan_removed.setdefault(k, []).append(ref)
            where = "at the points over the lung" if scope else "from the plan"
            return "absolute", f"Removes {names(kinds)} {where}.", ref
        for t in concerned:
            if set(kinds) & set(self.components[t.slug]):
                self.precautions_here[t.slug].append(ref)
        if SEGMENTAL in kinds:
            self.segment_precautions.append(ref)
        return "relative", f"Keeps {names(kinds)}, with this precaution marked {ref} beside what it concerns.", ref


def names(kinds: list[str]) -> str:
    return ", ".join(COMPONENTS[k] for k in kinds)


def asked(screen: list[models.Contraindication], components: list[str]) -> list[models.Contraindication]:
    """The questions that matter for these components; the urgent-referral ones always do."""
    return [
        c for c in screen if c.id in URGENT_REFERRAL or "all" in c.applies_to or set(c.applies_to) & set(components)
    ]


def questions(screen: list[models.Contraindication], components: list[str]) -> list[dict]:
    """The whole screen for the form: each question with what a "yes" does, its group, and whether it is asked
    for these components (all are, before any component is chosen)."""
    offered = {c.id for c in asked(screen, components)} if components else {c.id for c in screen}
    return [
        c.as_dict()
        | {
            "consequence": "refer" if c.id in URGENT_REFERRAL else c.level,
            "group": "refer"
            if c.id in URGENT_REFERRAL
            else "needling"
            if "all" in c.applies_to or set(c.applies_to) & set(NEEDLING)
            else "manipulation",
            "asked": c.id in offered,
        }
        for c in screen
    ]
