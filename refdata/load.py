"""Read the YAML files into validated models, and load them into the database."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import datetime
from pathlib import Path

import yaml
from pydantic import ValidationError
from sqlalchemy import Connection
from sqlalchemy import bindparam
from sqlalchemy import insert
from sqlalchemy import update

from refdata import models
from refdata import schema

# libyaml's loader where PyYAML was built with it (several times faster), else the pure-Python one.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
UNREADABLE = "-"  # the entry named by a problem with a whole file (missing, not YAML, not a list)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data, named by file, entry and field."""

    file: str
    entry: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.entry}: {self.field}: {self.message}"


@dataclass
class Entry:
    """A validated item and where it came from."""

    file: str
    item: schema.Strict

    @property
    def name(self) -> str:
        for attr in ("slug", "id", "number"):
            if hasattr(self.item, attr):
                return getattr(self.item, attr)
        return f"{self.item.muscle}/{self.item.kind}"


@dataclass
class Dataset:
    """Everything in refdata/, grouped by model, plus the problems found while reading."""

    entries: dict[type, list[Entry]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def items(self, model: type) -> list:
        return [e.item for e in self.entries.get(model, [])]


def data_files(folder: Path) -> list[Path]:
    """The YAML files that make up the reference, in a stable order."""
    return sorted(folder.rglob("*.yaml"))


def fingerprint(folder: Path) -> str:
    """A hash of every data file's name and content: it changes when the data does."""
    digest = hashlib.sha256()
    for path in data_files(folder):
        digest.update(path.relative_to(folder).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _entry_label(raw, index: int) -> str:
    if isinstance(raw, dict):
        for key in ("slug", "id", "muscle", "number"):
            if key in raw:
                return f"#{index + 1} {raw[key]}"
    return f"#{index + 1}"


def yaml_error(exc: yaml.YAMLError) -> str:
    """A YAML error on one line: where, and what."""
    mark = getattr(exc, "problem_mark", None)
    what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return f"line {mark.line + 1}, column {mark.column + 1}: {what}" if mark else what


def read(folder: Path) -> Dataset:
    """Parse and validate every file; schema errors become problems, not exceptions."""
    data = Dataset()
    for key, model in schema.FILES.items():
        paths = data_files(folder / key) if (folder / key).is_dir() else [folder / key]
        for path in paths:
            rel = path.relative_to(folder).as_posix()
            if not path.exists():
                data.problems.append(Problem(rel, UNREADABLE, "-", "file is missing"))
                continue
            try:
                raw_items = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER) or []
            except yaml.YAMLError as exc:
                data.problems.append(Problem(rel, UNREADABLE, "-", f"not valid YAML: {yaml_error(exc)}"))
                continue
            if not isinstance(raw_items, list):
                data.problems.append(Problem(rel, UNREADABLE, "-", "expected a list of entries"))
                continue
            for index, raw in enumerate(raw_items):
                try:
                    item = model.model_validate(raw)
                except ValidationError as exc:
                    for err in exc.errors():
                        where = ".".join(str(p) for p in err["loc"]) or "-"
                        data.problems.append(Problem(rel, _entry_label(raw, index), where, err["msg"]))
                    continue
                data.entries.setdefault(model, []).append(Entry(rel, item))
    return data


# Every column of a citation, empty: each row names them all (one owner set), so all go in one insert.
CITATION_COLUMNS = dict.fromkeys(c.name for c in models.Citation.__table__.columns)


def _cite(refs, role: str = "content", **owner) -> list[dict]:
    """The citation rows of ``refs``, for the one owner named."""
    return [CITATION_COLUMNS | {"source_id": c.source, "locator": c.locator, "role": role} | owner for c in refs]


PURLS = {"UBERON": "http://purl.obolibrary.org/obo/UBERON_", "FMA": "http://purl.org/sig/ont/fma/fma"}


class Terms:
    """The anatomy terms of the recorded releases (anatomy_terms.yaml), as records pages and downloads show them."""

    def __init__(self, data: Dataset):
        vocabularies = {v.id: v for v in data.items(schema.Vocabulary)}
        self.uberon = vocabularies["uberon"].terms
        self.choir = vocabularies["choir"].terms
        self.fma: dict[str, list[str]] = {}  # UBERON id: the FMA classes UBERON's bridge equates with it
        for fma, term in vocabularies["fma"].terms.items():
            self.fma.setdefault(term.uberon, []).append(fma)

    def term(self, term_id: str | None) -> dict | None:
        """An UBERON term with its label and its address (a PURL that resolves to the ontology's page)."""
        if term_id is None:
            return None
        return {"id": term_id, "label": self.uberon[term_id].label, "url": purl(term_id)}

    def fma_of(self, term_id: str | None) -> list[dict]:
        return [{"id": fma, "url": purl(fma)} for fma in self.fma.get(term_id, [])]

    def muscle(self, ids: schema.Identifiers) -> dict:
        """A muscle's identifiers: its own UBERON term and FMA classes, or the whole it is part of, the members
        it groups, the broader class, and why."""
        return {
            "uberon": self.term(ids.uberon),
            "fma": self.fma_of(ids.uberon),
            "part_of": self.term(ids.part_of),
            "members": [self.term(t) for t in ids.members],
            "broader": self.term(ids.broader),
            "note": ids.note,
        }

    def region(self, crosswalk: schema.RegionCrosswalk) -> dict:
        """A region's nearest UBERON term (how near: ``match``) and the CHOIR body-map segments it overlaps."""
        sides = [(None, crosswalk.choir), ("right", crosswalk.choir_right), ("left", crosswalk.choir_left)]
        return {
            "uberon": self.term(crosswalk.uberon),
            "match": crosswalk.match,
            "fma": self.fma_of(crosswalk.uberon),
            "broader": self.term(crosswalk.broader),
            "related": [self.term(t) for t in crosswalk.related],
            "choir": [
                {"segment": s, "label": self.choir[str(s)].label, "side": side} for side, segs in sides for s in segs
            ],
            "note": crosswalk.note,
        }


def purl(term_id: str) -> str:
    """The permanent address of an UBERON or FMA term."""
    prefix, _, number = term_id.partition(":")
    return PURLS[prefix] + number


def load(connection: Connection, data: Dataset, stamp: str) -> None:
    """Create the reference tables through ``connection`` (an empty database or schema) and fill them.

    The caller's transaction commits them all at once. Each table is filled by one bulk insert, after the tables
    it refers to; citations come last, since they point at rows of many tables. Numbered ids are given here, in
    the data's order, so every database holds the same rows.
    """
    models.Reference.metadata.create_all(connection)
    _insert(connection, models.Source, [s.model_dump() for s in data.items(schema.Source)])
    _insert(connection, models.Ontology, [v.model_dump(exclude={"terms"}) for v in data.items(schema.Vocabulary)])
    citations: list[dict] = []
    terms = Terms(data)
    crosswalk = {c.id: c for c in data.items(schema.RegionCrosswalk)}
    regions = data.items(schema.Region)
    _insert(
        connection,
        models.Region,
        [
            {
                "id": r.id,
                "name": r.name,
                "view": r.view,
                "sided": r.sided,
                "words": r.words,
                "position": pos,
                "note": r.note,
                "identifiers": terms.region(crosswalk[r.id]),
            }
            for pos, r in enumerate(regions)
        ],
    )
    # Parents are set once every region exists: a region may come before its parent.
    region = models.Region.__table__
    parents = [{"child": r.id, "parent": r.parent} for r in regions if r.parent]
    if parents:
        connection.execute(
            update(region).where(region.c.id == bindparam("child")).values(parent_id=bindparam("parent")), parents
        )
    for r in regions:
        citations.extend(_cite(r.sources, region_id=r.id))
    _load_muscles(connection, data.items(schema.Muscle), terms, citations)
    _load_safety(connection, data, citations)
    _load_treatments(connection, data.items(schema.Treatment), citations)
    _insert(connection, models.Citation, [c | {"id": n} for n, c in enumerate(citations, 1)])
    built = datetime.now(UTC).isoformat()
    _insert(connection, models.BuildInfo, [{"key": "fingerprint", "value": stamp}, {"key": "built", "value": built}])


def _insert(connection: Connection, table, rows: list[dict]) -> None:
    """Insert ``rows`` into ``table`` (a model or a link table) in one bulk statement; each row names the same
    columns (the first row's are the ones inserted)."""
    if rows:  # an insert given no rows would add one row of defaults
        connection.execute(insert(table), rows)


def _load_muscles(connection: Connection, muscles: list[schema.Muscle], terms: Terms, citations: list) -> None:
    points, zones = [], []
    for m in muscles:
        citations.extend(_cite(m.sources, muscle_slug=m.slug))
        for pos, t in enumerate(m.trigger_points):
            points.append(
                {
                    "slug": t.slug,
                    "muscle_slug": m.slug,
                    "position": pos,
                    "name": t.name,
                    "location": t.location,
                    "palpation": t.palpation,
                    "site": t.site,
                    "referral_note": t.referral_note,
                    "laterality": t.laterality,
                    "symptoms": t.symptoms,
                    "activating_factors": t.activating_factors,
                    "perpetuating_factors": t.perpetuating_factors,
                    "self_care": t.self_care,
                    "red_flags": t.red_flags,
                }
            )
            for zone, region_ids in (("essential", t.referral.essential), ("spillover", t.referral.spillover)):
                zones.extend({"trigger_point_slug": t.slug, "region_id": r, "zone": zone} for r in region_ids)
            citations.extend(_cite(t.sources, trigger_point_slug=t.slug))
    _insert(
        connection,
        models.Muscle,
        [
            {
                "slug": m.slug,
                "name": m.name,
                "latin": m.latin,
                "aliases": m.aliases,
                "lay": m.lay,
                "area": m.area,
                "identifiers": terms.muscle(m.identifiers),
                "origin": m.origin,
                "insertion": m.insertion,
                "nerve": m.innervation.nerve,
                "roots": m.innervation.roots,
                "action": m.action,
                "synergists": m.synergists,
                "antagonists": m.antagonists,
                "stretch": m.stretch,
            }
            for m in muscles
        ],
    )
    _insert(connection, models.TriggerPoint, points)
    _insert(connection, models.ReferralZone, [z | {"id": n} for n, z in enumerate(zones, 1)])


def _load_safety(connection: Connection, data: Dataset, citations: list) -> None:
    hazards = []
    for n, h in enumerate(data.items(schema.Hazard), 1):
        depth = h.depth if isinstance(h.depth, schema.Depth) else None
        hazards.append(
            {
                "id": n,
                "muscle_slug": h.muscle,
                "kind": h.kind,
                "structures": h.structures,
                "note": h.note,
                "depth_figure": depth and depth.figure,
                "depth_population": depth and depth.population,
                "depth_method": depth and depth.method,
                "depth_none_found": h.depth == schema.DEPTH_NONE_FOUND,
            }
        )
        citations.extend(_cite(h.sources, hazard_id=n))
        if depth:
            citations.extend(_cite(depth.sources, hazard_id=n, role="depth"))
    _insert(connection, models.Hazard, hazards)
    contraindications = data.items(schema.Contraindication)
    _insert(
        connection,
        models.Contraindication,
        [{"position": pos, **c.model_dump(exclude={"sources"})} for pos, c in enumerate(contraindications)],
    )
    for c in contraindications:
        citations.extend(_cite(c.sources, contraindication_id=c.id))
    _insert(connection, models.Finding, [f.model_dump() for f in data.items(schema.Finding)])
    numbers = data.items(schema.EmergencyNumber)
    _insert(
        connection,
        models.EmergencyNumber,
        [
            {"number": n.number, "position": pos, "where": n.where, "countries": n.countries}
            for pos, n in enumerate(numbers)
        ],
    )
    for n in numbers:
        citations.extend(_cite(n.sources, emergency_number=n.number))
    flags = data.items(schema.RedFlag)
    _insert(
        connection,
        models.RedFlag,
        [
            {
                "id": f.id,
                "position": pos,
                "title": f.title,
                "signs": f.signs,
                "rules": [r.model_dump(exclude_none=True) for r in f.rules],
                "normal": f.normal,
                "urgency": f.urgency,
                "advice": f.advice,
                "excludes": f.excludes,
                "context": f.context,
                "pain_alone": f.pain_alone,
                "emergency_line": f.emergency_line,
            }
            for pos, f in enumerate(flags)
        ],
    )
    _insert(connection, models.redflag_region, [{"redflag_id": f.id, "region_id": r} for f in flags for r in f.regions])
    for f in flags:
        citations.extend(_cite(f.sources, red_flag_id=f.id))
    complaints = data.items(schema.Complaint)
    _insert(
        connection,
        models.Complaint,
        [
            {"slug": c.slug, "name": c.name, "words": c.words, "note": c.note, "muscle_slugs": c.muscles}
            for c in complaints
        ],
    )
    _insert(
        connection,
        models.complaint_region,
        [{"complaint_id": c.slug, "region_id": r} for c in complaints for r in c.regions],
    )
    _insert(
        connection,
        models.complaint_redflag,
        [{"complaint_id": c.slug, "redflag_id": f} for c in complaints for f in c.red_flags],
    )
    for c in complaints:
        citations.extend(_cite(c.sources, complaint_slug=c.slug))


def _load_treatments(connection: Connection, treatments: list[schema.Treatment], citations: list) -> None:
    _insert(
        connection,
        models.Treatment,
        [
            {
                "slug": t.slug,
                "position": pos,
                "name": t.name,
                "presentation": t.presentation,
                "rationale": t.rationale,
                "evidence_grade": t.evidence.grade,
                "evidence_summary": t.evidence.summary,
                "evidence_comparator": t.evidence.comparator,
                "evidence_time_frame": t.evidence.time_frame,
            }
            for pos, t in enumerate(treatments)
        ],
    )
    components = [
        {
            "treatment_slug": t.slug,
            "kind": c.kind,
            "detail": c.detail,
            "segments": c.segments,
            "muscle_slugs": c.muscles,
            "point_slugs": c.points,
        }
        for t in treatments
        for c in t.components
    ]
    _insert(connection, models.Component, [c | {"id": n} for n, c in enumerate(components, 1)])
    _insert(
        connection,
        models.treatment_region,
        [{"treatment_id": t.slug, "region_id": r} for t in treatments for r in t.regions],
    )
    applies = {t.slug: dict.fromkeys(m for c in t.components for m in c.muscles) for t in treatments}
    _insert(
        connection,
        models.treatment_muscle,
        [{"treatment_id": t.slug, "muscle_id": m} for t in treatments for m in applies[t.slug]],
    )
    _insert(
        connection,
        models.treatment_contraindication,
        [{"treatment_id": t.slug, "contraindication_id": c} for t in treatments for c in t.contraindications],
    )
    for t in treatments:
        citations.extend(_cite(t.sources, treatment_slug=t.slug))
        citations.extend(_cite(t.evidence.sources, treatment_slug=t.slug, role="evidence"))
