"""A plan from a practitioner's choice: the points with their sides and components, the segments related by
innervation, the needling hazards of the treated muscles, every "yes" with what it changed (:mod:`plan.screen`),
after-care; and the patient handout drawn from it.

A plan is only a choice of muscles, trigger points (each maybe with a side), treatment components and the
screen's answers; everything else is derived here from the data.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import selectinload

from plan import COMPONENTS
from plan import NEEDLING
from plan import SEGMENTAL
from plan import SIDES
from plan import screen as screening_rules
from refdata import models
from refdata.records import segments
from refdata.records import warning
from refdata.schema import AFTER_CARE_FLAG


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
    screened: bool = False  # the screen was gone through (a "no" to every question is not sent otherwise)


def parse_point(value: str) -> tuple[str, str | None]:
    """``"slug:left"`` -> ``("slug", "left")``; a value without a known side has none."""
    slug, _, side = value.partition(":")
    return slug, side if side in SIDES else None


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
    regions = session.scalars(select(models.Region)).all()
    sided = {r.id: r.sided for r in regions}
    parents = {r.id: r.parent_id for r in regions}
    ticked = _ticked(muscles, choice)
    chosen = [c for c in COMPONENTS if c in choice.components]
    screen = session.scalars(select(models.Contraindication).order_by(models.Contraindication.position)).all()
    flagged = [c for c in screen if c.id in choice.yes]
    hazard_kinds = {m.slug: {h.kind for h in m.hazards} for m in muscles}

    # The bilateral-thorax rule also answers itself: needling points over the lung on both sides is a "yes".
    thorax_points = [(t, s) for t, s in ticked if "pneumothorax" in hazard_kinds[t.muscle_slug]]
    both_sides = set(SIDES) <= {side for _, s in thorax_points for side in s}
    found = []
    if both_sides and screening_rules.THORAX_RULE not in choice.yes and any(k in NEEDLING for k in chosen):
        rule = session.get(models.Contraindication, screening_rules.THORAX_RULE)
        if rule:
            flagged.append(rule)
            found.append(rule.id)

    treated_places = {region for t, _ in ticked for region in screening_rules.places(t, parents)}
    referrals = screening_rules.referrals(session, flagged, treated_places)
    stop = [r for r in referrals if r["stops"]]
    screening = screening_rules.Screening(chosen, ticked, hazard_kinds, parents)
    screening.apply(flagged, found)
    answers = screening.answers
    point_components, plan_removed = screening.components, screening.plan_removed
    screen_record = {
        "asked": len(screening_rules.asked(screen, chosen)),
        "done": choice.screened,
        "yes": answers,
        "removed": [] if stop else sorted(plan_removed),
    }

    if stop:
        return _stopped(choice, muscles, sided, screen, screen_record, stop)

    # Points a same-day referral concerns (a suspected clot in the limb): no self-care is given for them.
    referred = {t.slug for c in flagged if c.refer and not c.stop for t in screening.concerned(c)}
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
    if thorax:  # the rule's reasons are in the screen (bilateral-thorax-same-session)
        checklist.append("Never needle both sides of the thorax in one session; treat the other side at a later visit.")
    if needled:
        checklist.append("Consent recorded; the patient knows the common minor effects (bleeding, bruising, soreness).")
    checklist.append("After-care warning signs given to the patient (see the handout).")

    return {
        "stop": [],
        "refer": referrals,
        "muscles": [
            {"slug": slug, "name": by_slug[slug].name, "roots": by_slug[slug].roots, "stretch": by_slug[slug].stretch}
            for slug in treated
        ],
        "candidates": _candidates(muscles, sided, choice),
        "questions": screening_rules.questions(screen, chosen),
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
                "referred": t.slug in referred,
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
        "screen": screen_record,
        "checklist": checklist,
        "after_care": after_care.as_dict() if after_care else None,
    }


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


def _stopped(choice, muscles, sided, screen, screen_record, stop) -> dict:
    """A plan that is no plan: the referral, the answers, and nothing to treat."""
    return {
        "stop": stop,
        "refer": [],
        "muscles": [],
        "candidates": _candidates(muscles, sided, choice),
        "questions": screening_rules.questions(screen, list(choice.components)),
        "points": [],
        "components": [],
        "segments": [],
        "segment_precautions": [],
        "hazards": [],
        "screen": screen_record,
        "checklist": [],
        "after_care": None,
    }


def _patient_referral(referral: dict) -> dict:
    """What the handout tells the patient about a referral: its advice and the signs to watch for."""
    flags = referral["red_flags"]
    return {
        "advice": " ".join(dict.fromkeys(f["advice"] for f in flags)) if flags else referral["advice"],
        "signs": [sign for f in flags for sign in f["signs"]],
    }


def handout(plan: dict) -> dict:
    """What the patient takes home: self-care once per muscle (with its side), stretches and warning signs;
    none for a point a same-day referral concerns (a suspected clot in that limb). Never any needling depth or
    technique."""
    muscles: dict[str, dict] = {}
    for p in plan["points"]:
        if p["referred"]:
            continue
        entry = muscles.setdefault(
            p["muscle_slug"], {"muscle": p["muscle"], "sides": [], "advice": [], "advice_from": []}
        )
        entry["sides"] += [s for s in p["sides"] if s not in entry["sides"]]
        for advice in p["self_care"]:
            if advice not in entry["advice"]:
                entry["advice"].append(advice)
                entry["advice_from"].append(p["slug"])  # the trigger point it was written for
    for entry in muscles.values():
        entry["sides"].sort(key=SIDES.index)
        entry["side"] = side_words(entry["sides"])
    return {
        "stop": [_patient_referral(s) for s in plan["stop"]],
        "refer": [_patient_referral(s) for s in plan["refer"]],
        "muscles": [
            {"slug": m["slug"], "name": m["name"], "side": muscles[m["slug"]]["side"], "stretch": m["stretch"]}
            for m in plan["muscles"]
            if m["slug"] in muscles
        ],
        "self_care": list(muscles.values()),
        "after_care": warning(plan["after_care"]),
    }
