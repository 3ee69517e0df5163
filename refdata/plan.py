"""A practitioner's session plan, assembled from the reference data.

A plan is only a choice of muscles, trigger points (each maybe with a side),
treatment components and the contraindication-screen answers; everything else
(components per point, segments, hazards, the consequence of every "yes",
after-care, the patient handout) is derived here from the data. Nothing about
the patient is stored.

What a "yes" does:

- a question in :data:`URGENT_REFERRAL` stops the whole plan: no treatment
  today, refer as the linked red flag says;
- an absolute contraindication removes the components it names, with its
  text as the reason (from the points a hazard concerns, for the rules in
  :data:`HAZARD_SCOPE`, otherwise from the whole plan);
- a relative contraindication keeps them and marks every point (or the
  segments) it concerns with the precaution's reference (P1, P2, ...).
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
SEGMENTAL = "chiropractic_adjustment"  # given to spinal segments, not to trigger points
SIDES = ("left", "right")
AFTER_CARE_FLAG = "post-treatment-warning"
THORAX_RULE = "bilateral-thorax-same-session"
SPINAL_ROOT = re.compile(r"^(C|T|L|S)\d+$")

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


@dataclass(frozen=True)
class Choice:
    """What the practitioner picked; the whole plan lives in these fields (and the URL).

    ``points`` are ``SLUG`` or ``SLUG:left`` / ``SLUG:right``; ``map_sides`` pairs a muscle with the side the
    body map chose for it, which a point without a side takes.
    """

    muscles: tuple[str, ...] = ()
    points: tuple[str, ...] = ()
    components: tuple[str, ...] = ()
    yes: tuple[str, ...] = ()  # contraindication ids answered "yes"
    map_sides: tuple[tuple[str, str], ...] = ()


def parse_point(value: str) -> tuple[str, str | None]:
    """``"slug:left"`` -> ``("slug", "left")``; a value without a known side has none."""
    slug, _, side = value.partition(":")
    return slug, side if side in SIDES else None


def segments(roots: list[str]) -> list[str]:
    """Spinal segments from a root list; cranial nerves have no segment to adjust."""
    return [r for r in roots if SPINAL_ROOT.match(r)]


def _segment_order(segment: str) -> tuple[int, int]:
    return ("CTLS".index(segment[0]), int(segment[1:]))


def side_words(sides: list[str]) -> str:
    """``["left", "right"]`` -> ``"left and right"``; no side -> ``""``."""
    return " and ".join(sides)


def _ticked(muscles: list[models.Muscle], choice: Choice) -> list[tuple[models.TriggerPoint, list[str]]]:
    """The chosen points in muscle and point order, each with its sides (the body map's when the URL gives none)."""
    map_sides = dict(choice.map_sides)
    sides: dict[str, list[str]] = {}
    for value in choice.points:
        slug, side = parse_point(value)
        sides.setdefault(slug, [])
        if side and side not in sides[slug]:
            sides[slug].append(side)
    ticked = []
    for m in muscles:
        for t in m.trigger_points:
            if t.slug in sides:
                chosen = sides[t.slug] or ([map_sides[m.slug]] if m.slug in map_sides else [])
                ticked.append((t, sorted(chosen, key=SIDES.index)))
    return ticked


def _stop(session: Session, flagged: list[models.Contraindication]) -> list[dict]:
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
            return "absolute", f"Removes {_names(kinds)} {where}.", ref
        for t in concerned:
            if set(kinds) & set(self.components[t.slug]):
                self.precautions_here[t.slug].append(ref)
        if SEGMENTAL in kinds:
            self.segment_precautions.append(ref)
        return "relative", f"Keeps {_names(kinds)}, with this precaution marked {ref} beside what it concerns.", ref


def build(session: Session, choice: Choice) -> dict:
    """The plan: points with sides and components, segments, hazards, every "yes" with what it changed, after-care.

    It also carries what the plan form offers: the chosen muscles' points and the whole screen.
    """
    point_slugs = {parse_point(p)[0] for p in choice.points}
    of_points = session.scalars(
        select(models.TriggerPoint.muscle_slug).where(models.TriggerPoint.slug.in_(point_slugs))
    ).all()
    muscles = session.scalars(
        select(models.Muscle)
        .where(models.Muscle.slug.in_(set(choice.muscles) | set(of_points)))
        .options(
            selectinload(models.Muscle.trigger_points).selectinload(models.TriggerPoint.zones),
            selectinload(models.Muscle.hazards),
        )
        .order_by(models.Muscle.name)
    ).all()
    sided = {r.id: r.sided for r in session.scalars(select(models.Region))}
    ticked = _ticked(muscles, choice)
    chosen = [c for c in COMPONENTS if c in choice.components]
    screen = session.scalars(select(models.Contraindication).order_by(models.Contraindication.position)).all()
    flagged = [c for c in screen if c.id in choice.yes]
    hazard_kinds = {m.slug: {h.kind for h in m.hazards} for m in muscles}

    # The bilateral-thorax rule also answers itself: needling points over the lung on both sides is a "yes".
    thorax_points = [(t, s) for t, s in ticked if "pneumothorax" in hazard_kinds[t.muscle_slug]]
    both_sides = set(SIDES) <= {side for _, s in thorax_points for side in s}
    found = []
    if both_sides and THORAX_RULE not in choice.yes and any(k in NEEDLING for k in chosen):
        rule = session.get(models.Contraindication, THORAX_RULE)
        if rule:
            flagged.append(rule)
            found.append(rule.id)

    stop = _stop(session, flagged)
    screening = Screening(chosen, ticked, hazard_kinds)
    screening.apply(flagged, found)
    answers = screening.answers
    point_components, plan_removed = screening.components, screening.plan_removed

    if stop:
        return _stopped(session, choice, muscles, sided, screen, answers, stop)

    live = {k for t, _ in ticked for k in point_components[t.slug]}
    adjusting = SEGMENTAL in chosen and SEGMENTAL not in plan_removed
    needled = {t.muscle_slug for t, _ in ticked if set(point_components[t.slug]) & set(NEEDLING)}
    treated = list(dict.fromkeys(t.muscle_slug for t, _ in ticked))
    by_slug = {m.slug: m for m in muscles}
    hazards = [
        h.as_dict() | {"muscle_name": by_slug[slug].name}
        for slug in treated
        if slug in needled
        for h in by_slug[slug].hazards
    ]
    thorax = any(h["kind"] == "pneumothorax" for h in hazards)
    after_care = session.get(models.RedFlag, AFTER_CARE_FLAG)

    checklist = ["Screened for red flags for every region treated."]
    if thorax:
        rule = session.get(models.Contraindication, THORAX_RULE)
        checklist.append(rule.text if rule else "Needle one side of the thorax per session.")
    if needled:
        checklist.append("Consent recorded; the patient knows the common minor effects (bleeding, bruising, soreness).")
    checklist.append("After-care warning signs given to the patient (see the handout).")

    return {
        "stop": [],
        "muscles": [
            {"slug": slug, "name": by_slug[slug].name, "roots": by_slug[slug].roots, "stretch": by_slug[slug].stretch}
            for slug in treated
        ],
        "candidates": _candidates(muscles, sided, choice),
        "questions": _questions(screen, chosen),
        "points": [
            {
                "slug": t.slug,
                "name": t.name,
                "muscle": t.muscle.name,
                "muscle_slug": t.muscle_slug,
                "sides": sides,
                "side": side_words(sides),
                "location": t.location,
                "palpation": t.palpation,
                "referral": {"essential": t.regions("essential"), "spillover": t.regions("spillover")},
                "self_care": t.self_care,
                "components": [{"kind": k, "name": COMPONENTS[k]} for k in point_components[t.slug]],
                "removed": [r for r in screening.removed_here[t.slug] if r["kind"] not in plan_removed],
                "precautions": screening.precautions_here[t.slug],
            }
            for t, sides in ticked
        ],
        "components": [
            {
                "kind": k,
                "name": COMPONENTS[k],
                "removed": k in plan_removed,
                "reasons": plan_removed.get(k, []),
                "used": k in live or (k == SEGMENTAL and adjusting),
            }
            for k in chosen
        ],
        "segments": sorted({s for slug in treated for s in segments(by_slug[slug].roots)}, key=_segment_order)
        if adjusting
        else [],
        "segment_precautions": screening.segment_precautions if adjusting else [],
        "hazards": hazards,
        "screen": {
            "asked": len(_asked(screen, chosen)),
            "yes": answers,
            "removed": sorted(plan_removed),
        },
        "checklist": checklist,
        "after_care": after_care.as_dict() if after_care else None,
    }


def _names(kinds: list[str]) -> str:
    return ", ".join(COMPONENTS[k] for k in kinds)


def _asked(screen: list[models.Contraindication], components: list[str]) -> list[models.Contraindication]:
    """The questions that matter for these components; the urgent-referral ones always do."""
    return [
        c for c in screen if c.id in URGENT_REFERRAL or "all" in c.applies_to or set(c.applies_to) & set(components)
    ]


def _questions(screen: list[models.Contraindication], components: list[str]) -> list[dict]:
    """The whole screen for the form: each question with what a "yes" does, its group, and whether it is asked
    for these components (all are, before any component is chosen)."""
    asked = {c.id for c in _asked(screen, components)} if components else {c.id for c in screen}
    return [
        c.as_dict()
        | {
            "consequence": "refer" if c.id in URGENT_REFERRAL else c.level,
            "group": "refer"
            if c.id in URGENT_REFERRAL
            else "needling"
            if "all" in c.applies_to or set(c.applies_to) & set(NEEDLING)
            else "manipulation",
            "asked": c.id in asked,
        }
        for c in screen
    ]


def _candidates(muscles: list[models.Muscle], sided: dict[str, bool], choice: Choice) -> list[dict]:
    """The chosen muscles with their points, as the form offers them (sides where the site has sides)."""
    map_sides = dict(choice.map_sides)
    return [
        {
            "slug": m.slug,
            "name": m.name,
            "map_side": map_sides.get(m.slug),
            "points": [{"slug": t.slug, "name": t.name, "sided": sided.get(t.site, True)} for t in m.trigger_points],
        }
        for m in muscles
    ]


def _stopped(session, choice, muscles, sided, screen, answers, stop) -> dict:
    """A plan that is no plan: the urgent referral, the answers, and nothing to treat."""
    return {
        "stop": stop,
        "muscles": [],
        "candidates": _candidates(muscles, sided, choice),
        "questions": _questions(screen, list(choice.components)),
        "points": [],
        "components": [],
        "segments": [],
        "segment_precautions": [],
        "hazards": [],
        "screen": {"asked": len(_asked(screen, list(choice.components))), "yes": answers, "removed": []},
        "checklist": [],
        "after_care": None,
    }


def handout(plan: dict) -> dict:
    """What the patient takes home: self-care once per muscle (with its side), stretches and warning signs.

    Never any needling depth or technique."""
    muscles: dict[str, dict] = {}
    for p in plan["points"]:
        entry = muscles.setdefault(p["muscle_slug"], {"muscle": p["muscle"], "sides": [], "advice": []})
        entry["sides"] += [s for s in p["sides"] if s not in entry["sides"]]
        entry["advice"] += [a for a in p["self_care"] if a not in entry["advice"]]
    for entry in muscles.values():
        entry["sides"].sort(key=SIDES.index)
        entry["side"] = side_words(entry["sides"])
    return {
        "stop": [{"advice": s["red_flag"]["advice"] if s["red_flag"] else None} for s in plan["stop"]],
        "muscles": [
            {"name": m["name"], "side": muscles[m["slug"]]["side"], "stretch": m["stretch"]} for m in plan["muscles"]
        ],
        "self_care": list(muscles.values()),
        "after_care": plan["after_care"],
    }
