"""The shape of every YAML file in refdata/, as pydantic models.

Field-level rules (types, required fields, allowed values) live here; rules
that need the whole data set (unknown ids, duplicates, banned wording,
coverage) live in :mod:`refdata.check`.
"""

from __future__ import annotations

from typing import Annotated
from typing import Literal

from pydantic import BaseModel
from pydantic import BeforeValidator
from pydantic import ConfigDict
from pydantic import Field
from pydantic import StringConstraints
from pydantic import model_validator

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
# How a finding is said: one to six words, as a person would type them.
FindingWord = Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, pattern=r"^\S+( \S+){0,5}$")]
SpinalRoot = Annotated[str, StringConstraints(pattern=r"^(C[1-8]|T([1-9]|1[0-2])|L[1-5]|S[1-5]|Co1|CN ?[IVX]+)$")]
UberonId = Annotated[str, StringConstraints(pattern=r"^UBERON:\d{7}$")]
# A segment of the CHOIR Body Map: 101-136 on the front figure, 201-238 on the back.
ChoirSegment = Annotated[int, Field(ge=101, le=238)]

BODY_AREAS = {
    "head": "Head and face",
    "neck": "Neck",
    "shoulder": "Shoulder girdle",
    "arm": "Upper arm",
    "forearm-hand": "Forearm and hand",
    "chest-abdomen": "Chest and abdomen",
    "back": "Back",
    "pelvis-hip": "Pelvis, hip and pelvic floor",
    "thigh": "Thigh",
    "leg-foot": "Leg and foot",
}

HAZARD_KINDS = ("pneumothorax", "neuraxial", "neurovascular", "organ", "other")
# Hazards whose risk is a matter of depth: each states a published depth figure or, explicitly,
# that the literature search found none.
DEPTH_KINDS = ("pneumothorax", "neuraxial")
DEPTH_NONE_FOUND = "none-found"
# What a plan can give (plan.COMPONENTS): the screen names which of these a "yes" concerns.
PLAN_COMPONENTS = (
    "manual_pressure",
    "stretch",
    "heat",
    "self_care",
    "dry_needling",
    "ims",
    "chiropractic_adjustment",
)
COMPONENT_KINDS = (
    "chiropractic_adjustment",
    "dry_needling",
    "ims",
    "manual_pressure",
    "stretch",
    "self_care",
    "heat",
    "exercise",
)
GRADE_LEVELS = ("high", "moderate", "low", "very_low")
# Where a red flag is shown: for the places it names, or only after a treatment.
RED_FLAG_CONTEXTS = ("place", "after-treatment")
# The warning signs to watch for after needling or manipulation (treatment, plan, handout and safety pages).
AFTER_CARE_FLAG = "post-treatment-warning"
URGENCIES = ("emergency", "urgent", "routine")  # most urgent first
# Kinds of finding (findings.yaml). Telling findings say something is wrong in themselves: their words are
# never only place and pain words. A rule needs one need that no place or complaint meets (so a place or a
# pain word alone never raises a flag) and one need about the body now (so who it is, what came before and
# risk factors alone never do).
TELLING_KINDS = ("sign", "onset", "severity", "course", "injury")
WHERE_KINDS = ("place", "complaint")
FINDING_KINDS = (*TELLING_KINDS, *WHERE_KINDS, "population", "risk", "treatment", "activity")
# What the universal emergency line tells people to do: the advice of every flag that gives it words.
EMERGENCY_ADVICE = "Call your local emergency number"


class Strict(BaseModel):
    """Unknown keys are typos: refuse them."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Citation(Strict):
    """A source id plus, for books, the chapter: ``"ts-v1-2e: Trapezius"``."""

    source: Slug
    locator: str | None = None

    @classmethod
    def parse(cls, value: str) -> Citation:
        """Split ``"id: locator"`` into its parts."""
        source, _, locator = value.partition(":")
        return cls(source=source.strip(), locator=locator.strip() or None)

    def __str__(self) -> str:
        return f"{self.source}: {self.locator}" if self.locator else self.source


CitationRef = Annotated[Citation, BeforeValidator(lambda v: Citation.parse(v) if isinstance(v, str) else v)]


class Cited(Strict):
    """Anything that states a clinical fact carries at least one citation."""

    sources: list[CitationRef] = Field(min_length=1)


class Source(Strict):
    id: Slug
    kind: Literal["book", "paper", "guideline"]
    citation: Text
    edition: str | None = None
    year: int
    doi: str | None = None
    pmid: str | None = None
    nct: str | None = None
    record: str | None = None
    # What of a paper's citation (authors, journal, DOI or PMID) could not be verified, said plainly; the
    # checker accepts an incomplete paper only with this note, and pages print it beside the citation.
    unverified: Text | None = None

    @model_validator(mode="after")
    def _identifiable(self):
        if self.kind == "book" and not self.edition:
            raise ValueError("a book needs its edition")
        if self.kind == "paper" and not (self.doi or self.pmid or self.nct or self.record):
            raise ValueError("a paper needs a doi, pmid, nct or record link")
        return self


class Region(Strict):
    id: Slug
    name: Text
    view: Literal["front", "back"]
    sided: bool
    parent: Slug | None = None
    words: list[Text] = Field(min_length=1)
    # Why fewer than three muscles refer here, with the sources that say so.
    note: Text | None = None
    sources: list[CitationRef] = []

    @model_validator(mode="after")
    def _note_is_sourced(self):
        if self.note and not self.sources:
            raise ValueError("a region note needs a source")
        return self


class Term(Strict):
    """One term of an ontology release: its label and synonyms; for an FMA class, the UBERON term it equals."""

    label: Text
    synonyms: list[Text] = []
    uberon: UberonId | None = None


class Vocabulary(Strict):
    """An extract of one published vocabulary (anatomy_terms.yaml): which release, where it was read, its terms."""

    id: Literal["uberon", "fma", "choir"]
    name: Text
    release: Text
    source: Text
    url: Text
    licence: Text
    terms: dict[str, Term]


class RegionCrosswalk(Strict):
    """A region's nearest UBERON term and, for research use, the CHOIR body-map segments it overlaps."""

    id: Slug
    uberon: UberonId
    # exact: the term is this place; broader: a containing place (several regions share it); landmark: the bone
    # or joint the place is named by.
    match: Literal["exact", "broader", "landmark"]
    broader: UberonId | None = None  # for a landmark, the region around it
    related: list[UberonId] = []
    choir: list[ChoirSegment] = []  # a region on the midline
    choir_right: list[ChoirSegment] = []  # a sided region, by the patient's side
    choir_left: list[ChoirSegment] = []
    note: Text | None = None

    def terms(self) -> list[str]:
        """Every UBERON id this entry cites."""
        return [self.uberon, *filter(None, [self.broader]), *self.related]


class Identifiers(Strict):
    """Where a muscle stands in UBERON; its FMA ids follow from UBERON's FMA bridge (anatomy_terms.yaml)."""

    uberon: UberonId | None = None  # the muscle's own term
    part_of: UberonId | None = None  # the whole it is a part of, when the part has no term (a division of trapezius)
    members: list[UberonId] = []  # the muscles a group entry holds (the suboccipitals), by their terms
    broader: UberonId | None = None  # the nearest class containing it, when it has no term: not its identifier
    note: Text | None = None  # why it has no term of its own, or shares one

    @model_validator(mode="after")
    def _says_why(self):
        if not self.uberon and not self.note:
            raise ValueError("a muscle without an UBERON term of its own needs a note saying why")
        return self

    def terms(self) -> list[str]:
        """Every UBERON id this entry cites."""
        return [*filter(None, [self.uberon, self.part_of, self.broader]), *self.members]


class Referral(Strict):
    essential: list[Slug] = Field(min_length=1)
    spillover: list[Slug] = []


class TriggerPoint(Cited):
    slug: Slug
    name: Text
    location: Text
    palpation: Text
    # The region the point itself lies in, where the referral map marks it.
    site: Slug | None = None
    referral: Referral
    # Where the source itself is unsure of the map, or borrows it from a neighbouring muscle.
    referral_note: Text | None = None
    laterality: Literal["ipsilateral", "bilateral"] = "ipsilateral"
    symptoms: list[Text] = Field(min_length=1)
    activating_factors: list[Text] = []
    perpetuating_factors: list[Text] = []
    self_care: list[Text] = Field(min_length=1)
    # Warning signs shown before the point: its symptoms can also be these illnesses.
    red_flags: list[Slug] = []


class Innervation(Strict):
    nerve: Text
    roots: list[SpinalRoot] = Field(min_length=1)


class Muscle(Cited):
    slug: Slug
    name: Text
    latin: Text
    aliases: list[Text] = []
    lay: list[Text] = []
    area: Literal[tuple(BODY_AREAS)]
    identifiers: Identifiers | None = None  # required by the checker, so an entry without them is still checked
    origin: Text
    insertion: Text
    innervation: Innervation
    action: Text
    synergists: list[Slug] = []
    antagonists: list[Slug] = []
    stretch: Text
    trigger_points: list[TriggerPoint] = Field(min_length=1)


class Depth(Cited):
    """A published depth measurement: what was found and where, in whom, how, and the paper it comes from."""

    figure: Text
    population: Text
    method: Text


class Hazard(Cited):
    muscle: Slug
    kind: Literal[HAZARD_KINDS]
    structures: Text
    note: Text
    # A published figure, or DEPTH_NONE_FOUND where no published figure was found for this muscle.
    depth: Depth | Literal[DEPTH_NONE_FOUND] | None = None


class Evidence(Cited):
    grade: Literal[GRADE_LEVELS]
    summary: Text
    comparator: Text
    time_frame: Text


class Component(Strict):
    kind: Literal[COMPONENT_KINDS]
    detail: Text
    segments: list[SpinalRoot] = []
    muscles: list[Slug] = []
    points: list[Slug] = []  # trigger points, when the protocol names them

    @model_validator(mode="after")
    def _adjustment_names_segments(self):
        if self.kind == "chiropractic_adjustment" and not self.segments:
            raise ValueError("a chiropractic adjustment names its spinal segments")
        return self


class Treatment(Cited):
    slug: Slug
    name: Text
    presentation: Text
    regions: list[Slug] = Field(min_length=1)
    components: list[Component] = Field(min_length=1)
    rationale: Text
    evidence: Evidence
    contraindications: list[Slug] = []


class Contraindication(Cited):
    id: Slug
    applies_to: list[Literal[(*PLAN_COMPONENTS, "all")]] = Field(min_length=1)
    level: Literal["absolute", "relative"]
    text: Text
    question: Text  # put by the practitioner, speaking of "the patient"
    # The same question as a patient reads it ("Are you...?"); none for a question about the practitioner.
    patient_question: Text | None = None
    # A "yes" stops the whole plan: nothing is treated until the cause has been assessed.
    stop: bool = False
    # The red flags a "yes" refers by: the plan gives those tied to the places treated (all, if none is).
    refer: list[Slug] = []
    # What the patient is told on a stop that no red flag describes.
    advice: Text | None = None
    # A "yes" concerns only the points of muscles with this kind of needling hazard...
    hazard: Literal[HAZARD_KINDS] | None = None
    # ...or only the points that lie in these places (a region or an area around it).
    regions: list[Slug] = []

    @model_validator(mode="after")
    def _a_stop_says_what_to_do(self):
        if self.stop and not (self.refer or self.advice):
            raise ValueError("a stop refers by a red flag or gives the patient advice")
        if self.advice and not self.stop:
            raise ValueError("advice is what a stop tells the patient: set stop")
        return self


class Finding(Strict):
    """A finding a red flag's rules can need: a sign, a complaint, the onset, severity or course, an injury,
    who it is about, what came before, a risk factor, or a place; with the words people say it in."""

    id: Slug
    kind: Literal[FINDING_KINDS]
    words: list[FindingWord] = []
    regions: list[Slug] = []  # a place: these regions, or any within them
    youngest: int | None = None  # who it is about: ages from ...
    oldest: int | None = None  # ... to

    @model_validator(mode="after")
    def _said_somehow(self):
        if not (self.words or self.regions or self.youngest is not None or self.oldest is not None):
            raise ValueError("a finding needs words, regions (a place) or ages (who it is about)")
        if self.regions and self.kind != "place":
            raise ValueError("only a place has regions")
        if (self.youngest is not None or self.oldest is not None) and self.kind != "population":
            raise ValueError("only who it is about has ages")
        return self


class Rule(Strict):
    """Findings that together raise a flag: each entry of ``needs`` a finding id, or a list of ids any of
    which will do; and the urgency (and, if it differs from the flag's, the advice) they earn."""

    needs: list[Slug | list[Slug]] = Field(min_length=1)
    urgency: Literal[URGENCIES]
    advice: Text | None = None
    unless: list[Slug] = []  # findings that, said now, explain the others away: the rule is not met


class RedFlag(Cited):
    id: Slug
    title: Text
    regions: list[Slug] = Field(min_length=1)
    signs: list[Text] = Field(min_length=1)
    # The combinations of findings that raise the flag and the urgency each earns; the checker
    # refuses a flag without them, and a rule that a place or a pain word alone could meet.
    rules: list[Rule] = []
    urgency: Literal[URGENCIES]  # in its usual form, and as shown for its places; a rule may earn more or less
    advice: Text  # for that urgency (a rule that earns another gives its own)
    excludes: Text
    context: Literal[RED_FLAG_CONTEXTS] = "place"
    # Places where pain alone, with no other finding, can be this illness: regions of the flag (the chest
    # for a heart attack) or place findings finer than a region (a testicle). A search for them shows the
    # flag even when no rule is met (an emergency elsewhere waits for its findings).
    pain_alone: list[Slug] = []
    # A few plain words for the universal emergency line every red-flag box opens with.
    emergency_line: Text | None = None
    # What is normal, so that it is not mistaken for a warning sign ("some soreness for a few days").
    normal: Text | None = None


class EmergencyNumber(Cited):
    """A number to call in an emergency, and the countries (ISO 3166-1 alpha-2 codes) where it works."""

    number: Annotated[str, StringConstraints(pattern=r"^[0-9]{3}$")]
    where: Text
    countries: list[Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]] = Field(min_length=1)


class Complaint(Cited):
    slug: Slug
    name: Text
    words: list[Text] = Field(min_length=1)
    regions: list[Slug] = Field(min_length=1)
    muscles: list[Slug] = Field(min_length=1)
    note: Text
    red_flags: list[Slug] = []


# Which model each file (or each file in a folder) holds.
FILES: dict[str, type[Strict]] = {
    "sources.yaml": Source,
    "regions.yaml": Region,
    "region_crosswalk.yaml": RegionCrosswalk,
    "anatomy_terms.yaml": Vocabulary,
    "muscles": Muscle,
    "hazards.yaml": Hazard,
    "treatments.yaml": Treatment,
    "contraindications.yaml": Contraindication,
    "findings.yaml": Finding,
    "red_flags.yaml": RedFlag,
    "complaints.yaml": Complaint,
    "emergency_numbers.yaml": EmergencyNumber,
}
