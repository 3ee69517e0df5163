"""Database tables, as SQLAlchemy 2 typed ORM classes.

Two families: `Reference` tables are a build output of the YAML files, made
afresh beside each build (see :mod:`refdata.db`); `Visitor` tables hold what
visitors send us (corrections, saved plans), live in the site's database and
are never touched by a build.
"""

from __future__ import annotations

from datetime import UTC
from datetime import datetime

from sqlalchemy import JSON
from sqlalchemy import Column
from sqlalchemy import ForeignKey
from sqlalchemy import String
from sqlalchemy import Table
from sqlalchemy import Text
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

# Bump when a reference table changes shape, so existing builds are rebuilt on the next start.
REFERENCE_VERSION = "7"


class Reference(DeclarativeBase):
    """Tables rebuilt from refdata/ on every build."""


class Visitor(DeclarativeBase):
    """Tables written by the site; never touched by a build."""


def _link(name: str, left: str, right: str) -> Table:
    """A many-to-many table between two reference tables."""
    lcol, rcol = name.split("_", 1)
    return Table(
        name,
        Reference.metadata,
        Column(f"{lcol}_id", ForeignKey(left, ondelete="CASCADE"), primary_key=True),
        Column(f"{rcol}_id", ForeignKey(right, ondelete="CASCADE"), primary_key=True),
    )


treatment_region = _link("treatment_region", "treatment.slug", "region.id")
treatment_muscle = _link("treatment_muscle", "treatment.slug", "muscle.slug")
treatment_contraindication = _link("treatment_contraindication", "treatment.slug", "contraindication.id")
redflag_region = _link("redflag_region", "red_flag.id", "region.id")
complaint_region = _link("complaint_region", "complaint.slug", "region.id")
complaint_redflag = _link("complaint_redflag", "complaint.slug", "red_flag.id")


class Source(Reference):
    __tablename__ = "source"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    citation: Mapped[str] = mapped_column(Text)
    edition: Mapped[str | None] = mapped_column(String(16))
    year: Mapped[int]
    doi: Mapped[str | None] = mapped_column(String(128))
    pmid: Mapped[str | None] = mapped_column(String(16))
    nct: Mapped[str | None] = mapped_column(String(16))
    record: Mapped[str | None] = mapped_column(String(256))
    unverified: Mapped[str | None] = mapped_column(Text)  # what of the citation could not be verified

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "kind": self.kind,
            "citation": self.citation,
            "doi": self.doi,
            "pmid": self.pmid,
            "nct": self.nct,
            "record": self.record,
            "unverified": self.unverified,
        }


class Citation(Reference):
    """One source backing one row; exactly one owner column is set."""

    __tablename__ = "citation"
    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("source.id"))
    locator: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16), default="content")
    muscle_slug: Mapped[str | None] = mapped_column(ForeignKey("muscle.slug", ondelete="CASCADE"))
    trigger_point_slug: Mapped[str | None] = mapped_column(ForeignKey("trigger_point.slug", ondelete="CASCADE"))
    hazard_id: Mapped[int | None] = mapped_column(ForeignKey("hazard.id", ondelete="CASCADE"))
    treatment_slug: Mapped[str | None] = mapped_column(ForeignKey("treatment.slug", ondelete="CASCADE"))
    contraindication_id: Mapped[str | None] = mapped_column(ForeignKey("contraindication.id", ondelete="CASCADE"))
    red_flag_id: Mapped[str | None] = mapped_column(ForeignKey("red_flag.id", ondelete="CASCADE"))
    complaint_slug: Mapped[str | None] = mapped_column(ForeignKey("complaint.slug", ondelete="CASCADE"))
    region_id: Mapped[str | None] = mapped_column(ForeignKey("region.id", ondelete="CASCADE"))
    emergency_number: Mapped[str | None] = mapped_column(ForeignKey("emergency_number.number", ondelete="CASCADE"))
    source: Mapped[Source] = relationship(lazy="joined")

    def as_dict(self) -> dict:
        return {
            "source": self.source_id,
            "locator": self.locator,
            "citation": self.source.citation,
            "unverified": self.source.unverified,
        }


class Region(Reference):
    __tablename__ = "region"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    view: Mapped[str] = mapped_column(String(8))
    sided: Mapped[bool]
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("region.id"))
    words: Mapped[list[str]] = mapped_column(JSON)
    position: Mapped[int]
    note: Mapped[str | None] = mapped_column(Text)  # why fewer than three muscles refer here, when that is so
    # Its nearest UBERON term (with FMA) and the CHOIR body-map segments it overlaps: see refdata.load.region_terms.
    identifiers: Mapped[dict] = mapped_column(JSON)
    parent: Mapped[Region | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Region]] = relationship(back_populates="parent", order_by="Region.position")
    citations: Mapped[list[Citation]] = relationship(
        primaryjoin="Region.id == Citation.region_id", viewonly=True, order_by="Citation.id"
    )

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "view": self.view,
            "parent": self.parent_id,
            "sided": self.sided,
            "synonyms": self.words,
            "identifiers": self.identifiers,
        }


class Muscle(Reference):
    __tablename__ = "muscle"
    slug: Mapped[str] = mapped_column(String(80), primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    latin: Mapped[str] = mapped_column(String(200))
    aliases: Mapped[list[str]] = mapped_column(JSON)
    lay: Mapped[list[str]] = mapped_column(JSON)
    area: Mapped[str] = mapped_column(String(32), index=True)
    identifiers: Mapped[dict] = mapped_column(JSON)  # UBERON and FMA terms: see refdata.load.muscle_terms
    origin: Mapped[str] = mapped_column(Text)
    insertion: Mapped[str] = mapped_column(Text)
    nerve: Mapped[str] = mapped_column(Text)
    roots: Mapped[list[str]] = mapped_column(JSON)
    action: Mapped[str] = mapped_column(Text)
    synergists: Mapped[list[str]] = mapped_column(JSON)
    antagonists: Mapped[list[str]] = mapped_column(JSON)
    stretch: Mapped[str] = mapped_column(Text)
    trigger_points: Mapped[list[TriggerPoint]] = relationship(
        back_populates="muscle", order_by="TriggerPoint.position", cascade="all, delete-orphan"
    )
    hazards: Mapped[list[Hazard]] = relationship(back_populates="muscle", order_by="Hazard.id")
    citations: Mapped[list[Citation]] = relationship(
        primaryjoin="Muscle.slug == Citation.muscle_slug", viewonly=True, order_by="Citation.id"
    )


class TriggerPoint(Reference):
    __tablename__ = "trigger_point"
    slug: Mapped[str] = mapped_column(String(120), primary_key=True)
    muscle_slug: Mapped[str] = mapped_column(ForeignKey("muscle.slug", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    name: Mapped[str] = mapped_column(String(200))
    location: Mapped[str] = mapped_column(Text)
    palpation: Mapped[str] = mapped_column(Text)
    site: Mapped[str | None] = mapped_column(ForeignKey("region.id"))
    referral_note: Mapped[str | None] = mapped_column(Text)
    laterality: Mapped[str] = mapped_column(String(16))
    symptoms: Mapped[list[str]] = mapped_column(JSON)
    activating_factors: Mapped[list[str]] = mapped_column(JSON)
    perpetuating_factors: Mapped[list[str]] = mapped_column(JSON)
    self_care: Mapped[list[str]] = mapped_column(JSON)
    red_flags: Mapped[list[str]] = mapped_column(JSON)  # ids of flags its symptoms share
    muscle: Mapped[Muscle] = relationship(back_populates="trigger_points")
    zones: Mapped[list[ReferralZone]] = relationship(
        back_populates="trigger_point", order_by="ReferralZone.id", cascade="all, delete-orphan"
    )
    citations: Mapped[list[Citation]] = relationship(
        primaryjoin="TriggerPoint.slug == Citation.trigger_point_slug", viewonly=True, order_by="Citation.id"
    )

    def regions(self, zone: str) -> list[str]:
        """Region ids of the essential or the spillover zone."""
        return [z.region_id for z in self.zones if z.zone == zone]


class ReferralZone(Reference):
    __tablename__ = "referral_zone"
    id: Mapped[int] = mapped_column(primary_key=True)
    trigger_point_slug: Mapped[str] = mapped_column(ForeignKey("trigger_point.slug", ondelete="CASCADE"), index=True)
    region_id: Mapped[str] = mapped_column(ForeignKey("region.id"), index=True)
    zone: Mapped[str] = mapped_column(String(16))
    trigger_point: Mapped[TriggerPoint] = relationship(back_populates="zones")
    region: Mapped[Region] = relationship()


class Hazard(Reference):
    __tablename__ = "hazard"
    id: Mapped[int] = mapped_column(primary_key=True)
    muscle_slug: Mapped[str] = mapped_column(ForeignKey("muscle.slug", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    structures: Mapped[str] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text)
    depth_figure: Mapped[str | None] = mapped_column(Text)
    depth_population: Mapped[str | None] = mapped_column(Text)
    depth_method: Mapped[str | None] = mapped_column(Text)
    # True where the literature search found no published depth figure for this hazard.
    depth_none_found: Mapped[bool] = mapped_column(default=False)
    muscle: Mapped[Muscle] = relationship(back_populates="hazards")
    citations: Mapped[list[Citation]] = relationship(
        primaryjoin="and_(Hazard.id == Citation.hazard_id, Citation.role == 'content')",
        viewonly=True,
        order_by="Citation.id",
    )
    depth_citations: Mapped[list[Citation]] = relationship(
        primaryjoin="and_(Hazard.id == Citation.hazard_id, Citation.role == 'depth')",
        viewonly=True,
        order_by="Citation.id",
    )

    def as_dict(self) -> dict:
        depth = None
        if self.depth_figure:
            depth = {
                "figure": self.depth_figure,
                "population": self.depth_population,
                "method": self.depth_method,
                "sources": [c.as_dict() for c in self.depth_citations],
            }
        return {
            "muscle": self.muscle_slug,
            "kind": self.kind,
            "structures": self.structures,
            "note": self.note,
            "depth": depth,
            "depth_none_found": self.depth_none_found,
            "sources": [c.as_dict() for c in self.citations],
        }


class Contraindication(Reference):
    __tablename__ = "contraindication"
    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    position: Mapped[int]
    applies_to: Mapped[list[str]] = mapped_column(JSON)
    level: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    question: Mapped[str] = mapped_column(Text)
    patient_question: Mapped[str | None] = mapped_column(Text)
    stop: Mapped[bool]
    refer: Mapped[list[str]] = mapped_column(JSON)  # red flag ids
    advice: Mapped[str | None] = mapped_column(Text)
    hazard: Mapped[str | None] = mapped_column(String(16))
    regions: Mapped[list[str]] = mapped_column(JSON)
    citations: Mapped[list[Citation]] = relationship(
        primaryjoin="Contraindication.id == Citation.contraindication_id", viewonly=True, order_by="Citation.id"
    )

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "applies_to": self.applies_to,
            "level": self.level,
            "text": self.text,
            "question": self.question,
            "patient_question": self.patient_question,
            "stop": self.stop,
            "refer": self.refer,
            "advice": self.advice,
            "hazard": self.hazard,
            "regions": self.regions,
            "sources": [c.as_dict() for c in self.citations],
        }


class Treatment(Reference):
    __tablename__ = "treatment"
    slug: Mapped[str] = mapped_column(String(120), primary_key=True)
    position: Mapped[int]
    name: Mapped[str] = mapped_column(String(200))
    presentation: Mapped[str] = mapped_column(Text)
    rationale: Mapped[str] = mapped_column(Text)
    evidence_grade: Mapped[str] = mapped_column(String(16))
    evidence_summary: Mapped[str] = mapped_column(Text)
    evidence_comparator: Mapped[str] = mapped_column(Text)
    evidence_time_frame: Mapped[str] = mapped_column(Text)
    components: Mapped[list[Component]] = relationship(
        back_populates="treatment", order_by="Component.id", cascade="all, delete-orphan"
    )
    regions: Mapped[list[Region]] = relationship(secondary=treatment_region, order_by="Region.position")
    muscles: Mapped[list[Muscle]] = relationship(secondary=treatment_muscle, order_by="Muscle.name")
    contraindications: Mapped[list[Contraindication]] = relationship(
        secondary=treatment_contraindication, order_by="Contraindication.position"
    )
    citations: Mapped[list[Citation]] = relationship(
        primaryjoin="and_(Treatment.slug == Citation.treatment_slug, Citation.role == 'content')",
        viewonly=True,
        order_by="Citation.id",
    )
    evidence_citations: Mapped[list[Citation]] = relationship(
        primaryjoin="and_(Treatment.slug == Citation.treatment_slug, Citation.role == 'evidence')",
        viewonly=True,
        order_by="Citation.id",
    )

    def as_dict(self) -> dict:
        return {
            "slug": self.slug,
            "name": self.name,
            "presentation": self.presentation,
            "regions": [r.id for r in self.regions],
            "components": [c.as_dict() for c in self.components],
            "muscles": [m.slug for m in self.muscles],
            "rationale": self.rationale,
            "evidence": {
                "level": self.evidence_grade,
                "summary": self.evidence_summary,
                "comparator": self.evidence_comparator,
                "time_frame": self.evidence_time_frame,
                "sources": [c.as_dict() for c in self.evidence_citations],
            },
            "sources": [c.as_dict() for c in self.citations],
            "contraindications": [c.id for c in self.contraindications],
        }


class Component(Reference):
    __tablename__ = "component"
    id: Mapped[int] = mapped_column(primary_key=True)
    treatment_slug: Mapped[str] = mapped_column(ForeignKey("treatment.slug", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str] = mapped_column(Text)
    segments: Mapped[list[str]] = mapped_column(JSON)
    muscle_slugs: Mapped[list[str]] = mapped_column(JSON)
    point_slugs: Mapped[list[str]] = mapped_column(JSON)
    treatment: Mapped[Treatment] = relationship(back_populates="components")

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "detail": self.detail,
            "segments": self.segments,
            "muscles": self.muscle_slugs,
            "points": self.point_slugs,
        }


class Finding(Reference):
    """A finding red flags' rules need (findings.yaml): its kind, words, regions (a place) or ages."""

    __tablename__ = "finding"
    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    words: Mapped[list[str]] = mapped_column(JSON)
    regions: Mapped[list[str]] = mapped_column(JSON)
    youngest: Mapped[int | None]
    oldest: Mapped[int | None]


class RedFlag(Reference):
    __tablename__ = "red_flag"
    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    signs: Mapped[list[str]] = mapped_column(JSON)
    rules: Mapped[list[dict]] = mapped_column(JSON)  # [{needs, urgency, advice}]: findings and what they earn
    normal: Mapped[str | None] = mapped_column(Text)  # what is normal, not a warning sign
    urgency: Mapped[str] = mapped_column(String(16))
    advice: Mapped[str] = mapped_column(Text)
    excludes: Mapped[str] = mapped_column(Text)
    context: Mapped[str] = mapped_column(String(24))  # "place", or "after-treatment": never on a location search
    pain_alone: Mapped[list[str]] = mapped_column(JSON)  # regions where pain alone can be it
    emergency_line: Mapped[str | None] = mapped_column(Text)  # its words in the universal emergency line
    regions: Mapped[list[Region]] = relationship(secondary=redflag_region, order_by="Region.position")
    citations: Mapped[list[Citation]] = relationship(
        primaryjoin="RedFlag.id == Citation.red_flag_id", viewonly=True, order_by="Citation.id"
    )

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "urgency": self.urgency,
            "advice": self.advice,
            "signs": self.signs,
            "normal": self.normal,
            "rules": self.rules,
            "excludes": self.excludes,
            "context": self.context,
            "regions": [r.id for r in self.regions],
            "pain_alone": self.pain_alone,
            "emergency_line": self.emergency_line,
            "sources": [c.as_dict() for c in self.citations],
        }


class EmergencyNumber(Reference):
    """A number to call in an emergency and where it works (emergency_numbers.yaml)."""

    __tablename__ = "emergency_number"
    number: Mapped[str] = mapped_column(String(8), primary_key=True)
    position: Mapped[int]
    where: Mapped[str] = mapped_column(String(200))
    countries: Mapped[list[str]] = mapped_column(JSON)
    citations: Mapped[list[Citation]] = relationship(
        primaryjoin="EmergencyNumber.number == Citation.emergency_number", viewonly=True, order_by="Citation.id"
    )


class Complaint(Reference):
    __tablename__ = "complaint"
    slug: Mapped[str] = mapped_column(String(120), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    words: Mapped[list[str]] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(Text)
    muscle_slugs: Mapped[list[str]] = mapped_column(JSON)
    regions: Mapped[list[Region]] = relationship(secondary=complaint_region, order_by="Region.position")
    red_flags: Mapped[list[RedFlag]] = relationship(secondary=complaint_redflag, order_by="RedFlag.position")
    citations: Mapped[list[Citation]] = relationship(
        primaryjoin="Complaint.slug == Citation.complaint_slug", viewonly=True, order_by="Citation.id"
    )


class Ontology(Reference):
    """A published vocabulary the identifiers come from: which release, and where it was read."""

    __tablename__ = "ontology"
    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    release: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(Text)
    url: Mapped[str] = mapped_column(String(300))
    licence: Mapped[str] = mapped_column(String(200))

    def as_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "release": self.release, "url": self.url, "licence": self.licence}


class BuildInfo(Reference):
    """The fingerprint of the YAML files the tables were loaded from ("fingerprint"), and when ("built")."""

    __tablename__ = "build_info"
    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(String(128))


def _utcnow() -> datetime:
    return datetime.now(UTC)


class Correction(Visitor):
    """A visitor's report that something on a page is wrong."""

    __tablename__ = "correction"
    id: Mapped[int] = mapped_column(primary_key=True)
    created: Mapped[datetime] = mapped_column(default=_utcnow)
    page: Mapped[str] = mapped_column(String(200))
    message: Mapped[str] = mapped_column(Text)
    reference: Mapped[str | None] = mapped_column(String(300))
    resolved: Mapped[datetime | None]


class SavedPlan(Visitor):
    """A session plan saved under an unguessable token (no patient data)."""

    __tablename__ = "saved_plan"
    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    created: Mapped[datetime] = mapped_column(default=_utcnow)
    query: Mapped[str] = mapped_column(Text)
