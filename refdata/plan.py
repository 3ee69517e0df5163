"""A practitioner's session plan, assembled from the reference data.

A plan is only a choice of muscles, trigger points, treatment components and
the contraindication-screen answers; everything else (segments, hazards,
checklist, after-care, the patient handout) is derived here from the data.
Nothing about the patient is stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import selectinload

from refdata import models

NEEDLING = ("dry_needling", "ims")
COMPONENTS = {
    "manual_pressure": "Manual pressure release",
    "stretch": "Stretch",
    "heat": "Heat",
    "self_care": "Self-care programme",
    "dry_needling": "Trigger-point dry needling",
    "ims": "Gunn intramuscular stimulation (IMS)",
    "chiropractic_adjustment": "Chiropractic adjustment of related segments",
}
AFTER_CARE_FLAG = "post-treatment-warning"
THORAX_RULE = "bilateral-thorax-same-session"
SPINAL_ROOT = re.compile(r"^(C|T|L|S)\d+$")


@dataclass(frozen=True)
class Choice:
    """What the practitioner picked; the whole plan lives in these fields (and the URL)."""

    muscles: tuple[str, ...] = ()
    points: tuple[str, ...] = ()
    components: tuple[str, ...] = ()
    yes: tuple[str, ...] = field(default=())  # contraindication ids answered "yes"


def segments(roots: list[str]) -> list[str]:
    """Spinal segments from a root list; cranial nerves have no segment to adjust."""
    return [r for r in roots if SPINAL_ROOT.match(r)]


def _segment_order(segment: str) -> tuple[int, int]:
    return ("CTLS".index(segment[0]), int(segment[1:]))


def build(session: Session, choice: Choice) -> dict:
    """The full plan: points, components, segments, hazards, screen results, checklist, after-care.

    It also carries what the plan form offers: the chosen muscles' points and the whole screen.
    """
    muscles = session.scalars(
        select(models.Muscle)
        .where(models.Muscle.slug.in_(choice.muscles))
        .options(
            selectinload(models.Muscle.trigger_points).selectinload(models.TriggerPoint.zones),
            selectinload(models.Muscle.hazards),
        )
        .order_by(models.Muscle.name)
    ).all()
    chosen = set(choice.points)
    points = [t for m in muscles for t in m.trigger_points if t.slug in chosen]
    components = [c for c in COMPONENTS if c in choice.components]
    needling = any(c in NEEDLING for c in components)

    screen = session.scalars(select(models.Contraindication).order_by(models.Contraindication.position)).all()
    relevant = [c for c in screen if "all" in c.applies_to or set(c.applies_to) & set(components)]
    flagged = [c for c in relevant if c.id in choice.yes]
    blocked = sorted(
        {k for c in flagged if c.level == "absolute" for k in components if "all" in c.applies_to or k in c.applies_to}
    )

    adjust = sorted({s for m in muscles for s in segments(m.roots)}, key=_segment_order)
    hazards = [h.as_dict() | {"muscle_name": m.name} for m in muscles for h in m.hazards] if needling else []
    thorax = needling and any(h["kind"] == "pneumothorax" for h in hazards)
    after_care = session.get(models.RedFlag, AFTER_CARE_FLAG)

    checklist = ["Screened for red flags for every region treated."]
    checklist += [f"Screen answered: {c.question}" for c in relevant if c.id not in choice.yes]
    checklist += [f"{c.level.capitalize()} contraindication present: {c.text}" for c in flagged]
    if thorax:
        rule = session.get(models.Contraindication, THORAX_RULE)
        checklist.append(rule.text if rule else "Needle one side of the thorax per session.")
    if needling:
        checklist.append("Consent recorded; the patient knows the common minor effects (bleeding, bruising, soreness).")
    checklist.append("After-care warning signs given to the patient (see the handout).")

    return {
        "muscles": [{"slug": m.slug, "name": m.name, "roots": m.roots, "stretch": m.stretch} for m in muscles],
        "candidates": [
            {"slug": m.slug, "name": m.name, "points": [{"slug": t.slug, "name": t.name} for t in m.trigger_points]}
            for m in muscles
        ],
        "questions": [c.as_dict() for c in screen],
        "points": [
            {
                "slug": t.slug,
                "name": t.name,
                "muscle": t.muscle.name,
                "location": t.location,
                "palpation": t.palpation,
                "referral": {"essential": t.regions("essential"), "spillover": t.regions("spillover")},
                "self_care": t.self_care,
            }
            for t in points
        ],
        "components": [{"kind": c, "name": COMPONENTS[c], "blocked": c in blocked} for c in components],
        "segments": adjust if "chiropractic_adjustment" in components else [],
        "hazards": hazards,
        "screen": {"asked": [c.id for c in relevant], "flagged": [c.as_dict() for c in flagged], "blocked": blocked},
        "checklist": checklist,
        "after_care": after_care.as_dict() if after_care else None,
    }


def handout(plan: dict) -> dict:
    """What the patient takes home: self-care and warning signs, no technique."""
    return {
        "muscles": [{"name": m["name"], "stretch": m["stretch"]} for m in plan["muscles"]],
        "self_care": [{"muscle": p["muscle"], "point": p["name"], "advice": p["self_care"]} for p in plan["points"]],
        "after_care": plan["after_care"],
    }
