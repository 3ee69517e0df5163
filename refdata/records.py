"""The records the site shows: one definition each for the HTML page, its JSON twin and ``/api/...``.

Each function turns database rows into plain dicts with the public field
names. A record that has a page of its own carries its ``kind`` and ``slug``;
the web layer turns those into its ``url``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import selectinload

from refdata import models
from refdata import schema

# Components that put a needle in or thrust on a joint: patients see them by name only, and after
# them come the after-care warning signs.
INVASIVE = ("dry_needling", "ims", "chiropractic_adjustment")
SPINAL_ROOT = re.compile(r"^(C|T|L|S)\d+$")
# What a reader sees of a red flag: the warning itself, not the words that raise it or the diagnoses behind it.
WARNING_FIELDS = ("id", "title", "urgency", "advice", "signs", "normal", "sources")
URGENCIES = ("emergency", "urgent", "routine")  # most urgent first


def ref(kind: str, slug: str, name: str) -> dict:
    """A record of another page (a muscle, a treatment...), by kind, slug and name."""
    return {"kind": kind, "slug": slug, "name": name}


def muscle_ref(slug: str, name: str) -> dict:
    """A muscle, by slug and name."""
    return ref("muscle", slug, name)


def segments(roots: list[str]) -> list[str]:
    """Spinal segments from a root list; cranial nerves have no segment to adjust."""
    return [r for r in roots if SPINAL_ROOT.match(r)]


def areas_around(regions: Iterable[str], parents: dict[str, str | None]) -> set[str]:
    """The regions and every area around them (a region's parent, its parent's parent...)."""
    found = set()
    for region in regions:
        while region and region not in found:
            found.add(region)
            region = parents.get(region)
    return found


def warning(flag: dict | None) -> dict | None:
    """A red flag as a page shows it: no sign words, diagnoses or places."""
    return {key: value for key, value in flag.items() if key in WARNING_FIELDS} if flag else None


def point_warnings(session: Session, points: list[models.TriggerPoint]) -> list[dict]:
    """The warning signs to read before these trigger points, most urgent first: the illnesses their symptoms
    share (a point's ``red_flags``, marked ``shared``), and the emergencies that pain alone can be in a place
    they refer to (a flag's ``pain_alone``: the heart for the chest)."""
    parents = dict(session.execute(select(models.Region.id, models.Region.parent_id)).all())
    referred = areas_around((z.region_id for t in points for z in t.zones), parents)
    shared = {flag for t in points for flag in t.red_flags}
    flags = session.scalars(select(models.RedFlag).order_by(models.RedFlag.position))
    chosen = [f for f in flags if f.id in shared or (f.urgency == "emergency" and set(f.pain_alone) & referred)]
    chosen.sort(key=lambda f: URGENCIES.index(f.urgency))
    return [warning(f.as_dict()) | {"shared": f.id in shared} for f in chosen]


def get_muscle(session: Session, slug: str) -> models.Muscle | None:
    """A muscle with its points, zones, hazards and citations loaded, or None."""
    return session.scalars(
        select(models.Muscle)
        .where(models.Muscle.slug == slug)
        .options(
            selectinload(models.Muscle.trigger_points).selectinload(models.TriggerPoint.zones),
            selectinload(models.Muscle.trigger_points).selectinload(models.TriggerPoint.citations),
            selectinload(models.Muscle.hazards).selectinload(models.Hazard.citations),
            selectinload(models.Muscle.citations),
        )
    ).first()


def muscle_record(session: Session, m: models.Muscle) -> dict:
    """A muscle with everything known about it, as the API and the page show it."""
    related = m.synergists + m.antagonists
    names = dict(
        session.execute(select(models.Muscle.slug, models.Muscle.name).where(models.Muscle.slug.in_(related))).all()
    )
    studied = models.Treatment.muscles.any(models.Muscle.slug == m.slug)
    return {
        "kind": "muscle",
        "slug": m.slug,
        "name": m.name,
        "latin": m.latin,
        "aliases": m.aliases,
        "lay": m.lay,
        "area": m.area,
        "area_name": schema.BODY_AREAS[m.area],
        "identifiers": m.identifiers,
        "origin": m.origin,
        "insertion": m.insertion,
        "innervation": {"nerve": m.nerve, "roots": m.roots},
        "action": m.action,
        "functional_unit": {
            "synergists": [muscle_ref(s, names[s]) for s in m.synergists if s in names],
            "antagonists": [muscle_ref(s, names[s]) for s in m.antagonists if s in names],
        },
        "stretch": m.stretch,
        "trigger_points": [trigger_point_record(t) for t in m.trigger_points],
        "treatments": [
            ref("treatment", t.slug, t.name) | {"evidence": {"level": t.evidence_grade}}
            for t in session.scalars(select(models.Treatment).where(studied).order_by(models.Treatment.position))
        ],
        "hazards": [h.as_dict() for h in m.hazards],
        "options": treatment_options(session, m, studied),
        "sources": [c.as_dict() for c in m.citations],
        "red_flags": point_warnings(session, m.trigger_points),
    }


def treatment_options(session: Session, m: models.Muscle, studied) -> dict:
    """The treatments practitioners combine for this muscle, derived from its data.

    Segments come from the muscle's roots; the evidence for each approach is the
    graded single-approach entry in treatments.yaml that uses it. ``studied`` is the
    condition that a treatment is studied on this muscle.
    """
    graded = {}
    rows = session.execute(
        select(models.Treatment, studied).options(selectinload(models.Treatment.components))
    ).all()
    single = [(t, on_muscle) for t, on_muscle in rows if len({c.kind for c in t.components}) == 1]
    # Evidence studied on this muscle's presentation first, then the nearest general entry.
    single.sort(key=lambda row: (not row[1], row[0].position))
    for t, _ in single:
        graded.setdefault(
            t.components[0].kind,
            ref("treatment", t.slug, t.name) | {"level": t.evidence_grade},
        )
    return {
        "segments": segments(m.roots),
        "cranial": [r for r in m.roots if r.startswith("CN")],
        "pressure": [{"point": t.name, "location": t.location} for t in m.trigger_points],
        "stretch": m.stretch,
        "self_care": list(dict.fromkeys(s for t in m.trigger_points for s in t.self_care)),
        "evidence": graded,
    }


def trigger_point_record(t: models.TriggerPoint) -> dict:
    """One trigger point: where it is, where it refers, what it causes and what helps."""
    return {
        "kind": "trigger_point",
        "slug": t.slug,
        "name": t.name,
        "muscle": {"slug": t.muscle_slug, "name": t.muscle.name, "stretch": t.muscle.stretch},
        "location": t.location,
        "palpation": t.palpation,
        "site": t.site,
        "referral": {"essential": t.regions("essential"), "spillover": t.regions("spillover")},
        "referral_note": t.referral_note,
        "laterality": t.laterality,
        "symptoms": t.symptoms,
        "activating_factors": t.activating_factors,
        "perpetuating_factors": t.perpetuating_factors,
        "self_care": t.self_care,
        "sources": [c.as_dict() for c in t.citations],
    }


def without(record: dict, drop: tuple[str, ...]) -> dict:
    """``record`` without the fields in ``drop``."""
    return {key: value for key, value in record.items() if key not in drop}


def point_for_patients(record: dict) -> dict:
    """A trigger point as patients see it: not how a practitioner finds it by hand."""
    return without(record, ("palpation",))


def muscle_for_patients(record: dict) -> dict:
    """A muscle as patients see it: no needling hazards, no palpation, no needling or adjustment options, and
    not the ontology identifiers students and researchers use."""
    options = without(record["options"], ("segments", "cranial"))
    options["evidence"] = without(options["evidence"], INVASIVE)
    return without(record, ("hazards", "identifiers")) | {
        "trigger_points": [point_for_patients(t) for t in record["trigger_points"]],
        "options": options,
    }


def regions_for_patients(record: dict) -> dict:
    """The list of regions as patients see it: without the ontology identifiers."""
    return {"regions": [without(r, ("identifiers",)) for r in record["regions"]]}


def region_for_patients(record: dict) -> dict:
    """A region page as patients see it: without the ontology identifiers and research crosswalk."""
    return record | {"region": without(record["region"], ("identifiers",))}


def questions_for_patients(items: list[dict]) -> list[dict]:
    """Screen questions as a patient reads them: in the patient's own words, none about the practitioner, and
    without the practitioner's notes."""
    return [
        without(q, ("text", "patient_question")) | {"question": q["patient_question"]}
        for q in items
        if q.get("patient_question")
    ]


def referrals_for_patients(items: list[dict]) -> list[dict]:
    """A plan's referrals as the patient reads them: the question in their words and the warning signs."""
    return [
        without(r, ("text", "patient_question"))
        | {
            "question": r.get("patient_question") or "",
            "red_flag": warning(r["red_flag"]),
            "red_flags": [warning(f) for f in r["red_flags"]],
        }
        for r in items
    ]


def treatment_for_patients(record: dict) -> dict:
    """A treatment as patients see it: needling and manipulation by name only, the screen as the questions
    a practitioner will ask (in the patient's words), and the warning signs as the page shows them."""
    components = [without(c, ("detail", "segments")) if c["kind"] in INVASIVE else c for c in record["components"]]
    return record | {
        "components": components,
        "contraindications": questions_for_patients(record["contraindications"]),
        "after_care": warning(record["after_care"]),
    }


def safety_for_patients(record: dict) -> dict:
    """The safety page as patients see it: the warning signs after a treatment, not the screen."""
    return without(record, ("contraindications",)) | {"after_care": warning(record["after_care"])}


def treatment_record(session: Session, t: models.Treatment) -> dict:
    """One treatment with its contraindications, the muscles it is studied on, and, if it needles or
    manipulates, the warning signs to watch for afterwards."""
    data = t.as_dict()
    data["contraindications"] = [c.as_dict() for c in t.contraindications]
    data["muscles"] = [muscle_ref(m.slug, m.name) for m in t.muscles]
    after_care = session.get(models.RedFlag, schema.AFTER_CARE_FLAG)
    invasive = any(c.kind in INVASIVE for c in t.components)
    data["after_care"] = after_care.as_dict() if after_care and invasive else None
    return data


def plan_for_patients(data: dict) -> dict:
    """A plan as a patient sees it: where the points are but not how they are found, no needling hazards,
    and the screen as its questions in the patient's words, without the practitioner's notes and checklist."""
    return without(data, ("hazards", "checklist")) | {
        "points": [without(p, ("palpation",)) for p in data["points"]],
        "questions": questions_for_patients(data["questions"]),
        "screen": data["screen"] | {"yes": questions_for_patients(data["screen"]["yes"])},
        "stop": referrals_for_patients(data["stop"]),
        "refer": referrals_for_patients(data["refer"]),
        "after_care": warning(data["after_care"]),
    }
