"""Checks across the whole data set (run by ``flask refdata check`` and before every build).

The schema validates each entry on its own; these rules need every file at
once: ids that must resolve, names that must be unique, wording we refuse,
coverage of the body map, and spot checks of well-known referral patterns.
"""

from __future__ import annotations

import re
from collections import Counter
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from refdata import schema
from refdata.load import UNREADABLE
from refdata.load import Dataset
from refdata.load import Entry
from refdata.load import Problem
from refdata.load import read

BANNED_WORDING = {
    r"\bcur(e|es|ed|ing)\b": "cure",
    r"\bpermanent(ly)?\b": "permanent",
    r"\bguarantee(d|s)?\b": "guaranteed",
    r"\bmiracle\b": "miracle",
    r"\bno side[- ]effects\b": "no side effects",
    r"\b100\s?%": "100 %",
    r"\bup to \d+\s?%": "up to N %",
    r"\beliminat(e|es|ed|ing)\b": "eliminates",
}
BANNED_PATTERNS = [(re.compile(pattern, re.IGNORECASE), label) for pattern, label in BANNED_WORDING.items()]
# Any of them, in one pass: most text has none, and is then searched once instead of once per pattern.
ANY_BANNED = re.compile("|".join(f"(?:{pattern})" for pattern in BANNED_WORDING), re.IGNORECASE)
SAFE = re.compile(r"\bsafe(ly)?\b", re.IGNORECASE)
# "safe" is allowed only when a qualifier right before it limits the claim.
SAFE_QUALIFIER = re.compile(r"\b(not|never|no|less|more|relatively|considered|un)\s*$", re.IGNORECASE)
# Patients read these fields; none may describe invasive technique.
PATIENT_FIELDS = {"self_care", "stretch", "signs", "advice", "emergency_line", "normal"}
INVASIVE = re.compile(r"needl|inject|manipulat|adjustment|thrust", re.IGNORECASE)

MIN_MUSCLES_PER_REGION = 3

# A paper is cited Vancouver style: its authors (surname and initials, "et al." after the first), its title,
# then the journal and the year ("Kearns GA, Lierly M. Title. Musculoskelet Sci Pract. 2022;62:102622.").
AUTHOR = r"[\w'’-]+(?: [\w'’-]+)*? [A-Z]{1,4}"
PAPER_AUTHORS = re.compile(rf"^{AUTHOR}(?:, {AUTHOR})*(?:, et al)?(?:; [^.]+)?\. ")
PAPER_JOURNAL_YEAR = re.compile(r"^.+?[.?!] [A-Z][^.]*\. (?:19|20)\d\d\b")

# Every area (region without a parent) carries these flags: infection and cancer can show themselves anywhere.
UNIVERSAL_FLAGS = ("infection-signs", "possible-cancer")
# A telling finding must name a sign, not only a place and a feeling of pain: these would fire on everyday
# phrases ("sore knee", "stiff neck").
GENERIC_PAIN_WORDS = {
    *("pain", "pains", "painful", "ache", "aches", "aching", "achy", "agony"),
    *("sore", "soreness", "hurt", "hurts", "hurting", "tender", "stiff", "stiffness", "tight"),
}
# Words that join the words of a finding and say nothing on their own.
JOINING_WORDS = {
    *("a", "an", "the", "my", "your", "his", "her", "our", "their", "of", "in", "on", "at", "and", "with", "from"),
    *("is", "are", "was", "were", "be", "been", "am", "do", "does", "did", "has", "have", "get", "got", "will"),
    *("would", "it", "i", "me", "to", "when", "this", "that", "up", "so", "very", "really", "all"),
}

# Well-known referral facts: an edit that breaks one of these is a mistake.
WELL_KNOWN_REFERRALS = (
    ("infraspinatus", "shoulder-front"),
    ("supinator", "elbow-outer"),
    ("soleus", "heel"),
    ("sternocleidomastoid", "forehead"),
    ("sternocleidomastoid", "eye"),
    ("gluteus-minimus", "thigh-outer"),
    ("gluteus-minimus", "thigh-back"),
)


def strings(value, path: str = "") -> Iterator[tuple[str, str]]:
    """Every string in a dumped model, with its dotted field path."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield from strings(inner, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from strings(inner, f"{path}.{index}")


def wording_problems(text: str) -> list[str]:
    """What is wrong with the wording of one piece of text."""
    found = []
    if ANY_BANNED.search(text):
        found = [f'banned wording "{label}"' for pattern, label in BANNED_PATTERNS if pattern.search(text)]
    for match in SAFE.finditer(text):
        if not SAFE_QUALIFIER.search(text[: match.start()]):
            found.append('unqualified "safe"')
    return found


class Checker:
    """Collects problems across the dataset; one method per rule family."""

    def __init__(self, data: Dataset):
        self.data = data
        self.problems: list[Problem] = list(data.problems)
        self.regions = {r.id: r for r in data.items(schema.Region)}
        self.sources = {s.id: s for s in data.items(schema.Source)}
        self.muscles = {m.slug: m for m in data.items(schema.Muscle)}
        self.points = {t.slug for m in self.muscles.values() for t in m.trigger_points}
        # The ids each kind of list may name, made once: every entry's references are checked against them.
        self.known = {model: {x.id for x in data.items(model)} for model in (schema.Contraindication, schema.RedFlag)}

    def report(self, entry: Entry, field: str, message: str) -> None:
        self.problems.append(Problem(entry.file, entry.name, field, message))

    def entries(self) -> Iterator[Entry]:
        for group in self.data.entries.values():
            yield from group

    def run(self) -> list[Problem]:
        """Every problem; only the reading problems when a file could not be read at all, since the
        rules across files would then report each of its entries' absence again (one error per broken file)."""
        if any(p.entry == UNREADABLE for p in self.problems):
            return self.problems
        self.check_unique()
        self.check_names()
        self.check_papers()
        for entry in self.entries():
            self.check_references(entry)
            if not isinstance(entry.item, schema.Vocabulary):  # the ontologies' words, not ours
                self.check_wording(entry)
        self.check_muscle_identifiers()
        self.check_region_crosswalk()
        self.check_hazards()
        self.check_well_known()
        self.check_coverage()
        self.check_findings()
        self.check_rules()
        self.check_universal_flags()
        self.check_emergency_line()
        return self.problems

    def check_unique(self) -> None:
        for model, group in self.data.entries.items():
            counts = Counter(e.name for e in group)
            for entry in group:
                if model is not schema.Hazard and counts[entry.name] > 1:
                    self.report(entry, "id", f"duplicate {model.__name__.lower()} id")
        points = Counter(t.slug for m in self.muscles.values() for t in m.trigger_points)
        for entry in self.data.entries.get(schema.Muscle, []):
            for i, t in enumerate(entry.item.trigger_points):
                if points[t.slug] > 1:
                    self.report(entry, f"trigger_points.{i}.slug", f"duplicate trigger point slug {t.slug}")

    def check_papers(self) -> None:
        """A paper can be found again: its authors, journal and year, and a DOI or PMID; or it says plainly
        which of these could not be verified."""
        for entry in self.data.entries.get(schema.Source, []):
            source = entry.item
            if source.kind != "paper":
                continue
            missing = paper_gaps(source)
            if missing and not source.unverified:
                needs = "a paper needs its authors, journal and year, and a DOI or PMID"
                hint = "or say in 'unverified' what could not be verified"
                self.report(entry, "citation", f"{needs}: missing {', '.join(missing)} ({hint})")

            elif source.unverified and not missing:
                self.report(entry, "unverified", "nothing is missing: remove the note")

    def check_names(self) -> None:
        owners = defaultdict(set)
        for m in self.muscles.values():
            for name in [m.name, *m.aliases]:
                owners[name.casefold()].add(m.slug)
        for entry in self.data.entries.get(schema.Muscle, []):
            m = entry.item
            for i, name in enumerate([m.name, *m.aliases]):
                others = owners[name.casefold()] - {m.slug}
                if others:
                    field = "name" if i == 0 else f"aliases.{i - 1}"
                    self.report(entry, field, f'"{name}" is also a name or alias of {", ".join(sorted(others))}')

    def _citations(self, item) -> Iterator[tuple[str, schema.Citation]]:
        for i, c in enumerate(getattr(item, "sources", [])):
            yield f"sources.{i}", c
        if isinstance(item, schema.Muscle):
            for ti, t in enumerate(item.trigger_points):
                for i, c in enumerate(t.sources):
                    yield f"trigger_points.{ti}.sources.{i}", c
        if isinstance(item, schema.Treatment):
            for i, c in enumerate(item.evidence.sources):
                yield f"evidence.sources.{i}", c
        if isinstance(item, schema.Hazard) and isinstance(item.depth, schema.Depth):
            for i, c in enumerate(item.depth.sources):
                yield f"depth.sources.{i}", c

    def check_references(self, entry: Entry) -> None:
        item = entry.item
        for field, c in self._citations(item):
            source = self.sources.get(c.source)
            if source is None:
                self.report(entry, field, f"unknown source {c.source}")
            elif source.kind == "book" and not c.locator:
                self.report(entry, field, f"book {c.source} needs a chapter: '{c.source}: Chapter'")
        for field, region in self._region_refs(item):
            if region not in self.regions:
                self.report(entry, field, f"unknown region {region}")
        for field, slug in self._muscle_refs(item):
            if slug not in self.muscles:
                self.report(entry, field, f"unknown muscle {slug}")
        for ci, comp in enumerate(getattr(item, "components", [])):
            for i, slug in enumerate(comp.points):
                if slug not in self.points:
                    self.report(entry, f"components.{ci}.points.{i}", f"unknown trigger point {slug}")
        lists = [
            ("contraindications", getattr(item, "contraindications", []), schema.Contraindication),
            ("red_flags", getattr(item, "red_flags", []), schema.RedFlag),
            ("refer", getattr(item, "refer", []), schema.RedFlag),
        ]
        for ti, t in enumerate(getattr(item, "trigger_points", [])):
            lists.append((f"trigger_points.{ti}.red_flags", t.red_flags, schema.RedFlag))
        for field, ids, model in lists:
            for i, ref in enumerate(ids):
                if ref not in self.known[model]:
                    self.report(entry, f"{field}.{i}", f"unknown {model.__name__.lower()} {ref}")

    def _region_refs(self, item) -> Iterator[tuple[str, str]]:
        if isinstance(item, schema.Region) and item.parent:
            yield "parent", item.parent
        for i, r in enumerate(getattr(item, "regions", [])):
            yield f"regions.{i}", r
        if isinstance(item, schema.Muscle):
            for ti, t in enumerate(item.trigger_points):
                if t.site:
                    yield f"trigger_points.{ti}.site", t.site
                for zone in ("essential", "spillover"):
                    for i, r in enumerate(getattr(t.referral, zone)):
                        yield f"trigger_points.{ti}.referral.{zone}.{i}", r

    def _muscle_refs(self, item) -> Iterator[tuple[str, str]]:
        if isinstance(item, schema.Hazard):
            yield "muscle", item.muscle
        for field in ("synergists", "antagonists", "muscles"):
            for i, slug in enumerate(getattr(item, field, [])):
                yield f"{field}.{i}", slug
        for ci, comp in enumerate(getattr(item, "components", [])):
            for i, slug in enumerate(comp.muscles):
                yield f"components.{ci}.muscles.{i}", slug

    def check_wording(self, entry: Entry) -> None:
        for field, text in strings(entry.item.model_dump()):
            for message in wording_problems(text):
                self.report(entry, field, message)
            if set(field.split(".")) & PATIENT_FIELDS and INVASIVE.search(text):
                self.report(entry, field, "patients read this field: no needling, injection or manipulation")

    def check_hazards(self) -> None:
        """Every muscle says what a needle could meet near it: a plan that needles it lists that."""
        flagged = {h.muscle for h in self.data.items(schema.Hazard)}
        for slug in self.muscles:
            if slug not in flagged:
                self.problems.append(Problem("hazards.yaml", slug, "muscle", "needling hazard missing for this muscle"))
        for entry in self.data.entries.get(schema.Hazard, []):
            self.check_depth(entry)

    def check_depth(self, entry: Entry) -> None:
        """A pneumothorax or neuraxial hazard gives a published depth figure, or says that none was found;
        a figure comes from a paper that can be looked up by DOI or PMID."""
        hazard = entry.item
        if hazard.kind in schema.DEPTH_KINDS and hazard.depth is None:
            marker = f"depth: {schema.DEPTH_NONE_FOUND}"
            self.report(entry, "depth", f"a {hazard.kind} hazard needs a published depth figure or '{marker}'")
        if isinstance(hazard.depth, schema.Depth):
            for i, c in enumerate(hazard.depth.sources):
                source = self.sources.get(c.source)
                if source and not (source.kind == "paper" and (source.doi or source.pmid)):
                    message = f"a depth figure needs a paper with a DOI or PMID, not {c.source}"
                    self.report(entry, f"depth.sources.{i}", message)

    def check_well_known(self) -> None:
        for slug, region in WELL_KNOWN_REFERRALS:
            muscle = self.muscles.get(slug)
            zones = (
                {r for t in muscle.trigger_points for r in t.referral.essential + t.referral.spillover}
                if muscle
                else set()
            )
            if region not in zones:
                self.problems.append(
                    Problem("muscles", slug, "trigger_points", f"spot check failed: should refer to {region}")
                )

    def check_findings(self) -> None:
        """Every telling finding names a sign, not only places and pain words; none lists a word twice."""
        places = {phrase.casefold() for r in self.regions.values() for phrase in [r.id, r.name, *r.words]}
        for entry in self.data.entries.get(schema.Finding, []):
            seen = set()
            for i, word in enumerate(entry.item.words):
                if word in seen:
                    self.report(entry, f"words.{i}", f'"{word}" is listed twice')
                seen.add(word)
                if entry.item.kind in schema.TELLING_KINDS and only_places(word, places):
                    self.report(entry, f"words.{i}", f'"{word}" is only a place or a pain word: name a sign')

    def check_rules(self) -> None:
        """Every flag has rules; each rule names known findings, has a need no place or complaint meets (a place
        or a pain word alone never raises a flag) and a need about the body now (risk factors, who it is or
        what came before alone never do); a rule that earns another urgency than its flag's says what to do
        then; a rule of a warning for after a treatment needs the treatment."""
        findings = {f.id: f for f in self.data.items(schema.Finding)}
        for entry in self.data.entries.get(schema.RedFlag, []):
            flag = entry.item
            if not flag.rules:
                self.report(entry, "rules", "a red flag needs rules: the findings that raise it and what they earn")
                continue
            for i, rule in enumerate(flag.rules):
                needs = [[n] if isinstance(n, str) else n for n in rule.needs]
                unknown = [c for need in [*needs, rule.unless] for c in need if c not in findings]
                for c in unknown:
                    self.report(entry, f"rules.{i}", f"unknown finding {c}")
                if unknown:
                    continue
                kinds = [{findings[c].kind for c in need} for need in needs]
                if not any(k.isdisjoint(schema.WHERE_KINDS) for k in kinds):
                    self.report(entry, f"rules.{i}", "a place or a pain word alone could meet this rule: add a sign")
                if not any(k <= {*schema.TELLING_KINDS, *schema.WHERE_KINDS} for k in kinds):
                    message = "who it is, what came before or risk factors alone could meet this rule: add a sign"
                    self.report(entry, f"rules.{i}", message)
                if flag.context == "after-treatment" and not any(k == {"treatment"} for k in kinds):
                    self.report(entry, f"rules.{i}", "a warning for after a treatment needs the treatment")
                if rule.urgency != flag.urgency and not rule.advice:
                    message = (
                        f"a rule that earns {rule.urgency}, not the flag's {flag.urgency}, says what to do: advice"
                    )
                    self.report(entry, f"rules.{i}", message)
            for i, place in enumerate(flag.pain_alone):
                finding = findings.get(place)
                inside = place in flag.regions or (
                    finding is not None
                    and finding.kind == "place"
                    and all(self.within(r, set(flag.regions)) for r in finding.regions)
                )
                if not inside:
                    message = f"{place} is neither one of the flag's regions nor a place within them"
                    self.report(entry, f"pain_alone.{i}", message)

    def within(self, region: str, areas: set[str]) -> bool:
        """Whether ``region`` is one of ``areas`` or lies within one of them."""
        while region:
            if region in areas:
                return True
            region = self.regions[region].parent if region in self.regions else None
        return False

    def check_universal_flags(self) -> None:
        """Every area carries the universal flags: infection signs and possible cancer."""
        flags = {f.id: f for f in self.data.items(schema.RedFlag)}
        for universal in UNIVERSAL_FLAGS:
            tied = set(flags[universal].regions) if universal in flags else set()
            for area in (r.id for r in self.regions.values() if r.parent is None):
                if area not in tied:
                    message = f"area {area} lacks the universal {universal} flag"
                    self.problems.append(Problem("red_flags.yaml", universal, "regions", message))

    def check_emergency_line(self) -> None:
        """The emergency line names emergencies only."""
        lines = 0
        for entry in self.data.entries.get(schema.RedFlag, []):
            flag = entry.item
            if flag.emergency_line is None:
                continue
            lines += 1
            if flag.urgency != "emergency" or flag.context != "place":
                self.report(entry, "emergency_line", "only an emergency shown for places joins the emergency line")
            elif not flag.advice.startswith(schema.EMERGENCY_ADVICE):
                message = f'the line says "{schema.EMERGENCY_ADVICE}": the advice must say so too'
                self.report(entry, "emergency_line", message)
        if self.data.entries.get(schema.RedFlag) and not lines:
            message = "no flag gives the emergency line words"
            self.problems.append(Problem("red_flags.yaml", "-", "emergency_line", message))

    def vocabulary(self, kind: str) -> schema.Vocabulary:
        """The extract of one published vocabulary in anatomy_terms.yaml (empty if the file lacks it)."""
        found = next((v for v in self.data.items(schema.Vocabulary) if v.id == kind), None)
        return found or schema.Vocabulary(id=kind, name=kind, release="?", source="-", url="-", licence="-", terms={})

    def check_muscle_identifiers(self) -> None:
        """Every muscle cites UBERON terms of the recorded release: its own where the release has one (else a note
        says why), and no term another muscle cites too unless a note says why."""
        uberon = self.vocabulary("uberon")
        named = defaultdict(set)  # a label or synonym of the release, casefolded: the terms it names
        for term_id, term in uberon.terms.items():
            for name in [term.label, *term.synonyms]:
                named[name.casefold()].add(term_id)
        owners = defaultdict(list)
        for entry in self.data.entries.get(schema.Muscle, []):
            ids = entry.item.identifiers
            if ids is None:
                message = "no identifiers: give its UBERON term, or a note saying why it has none"
                self.report(entry, "identifiers", message)
                continue
            cited = [(f, getattr(ids, f)) for f in ("uberon", "part_of", "broader") if getattr(ids, f)]
            for field, term in cited + [(f"members.{i}", t) for i, t in enumerate(ids.members)]:
                if term not in uberon.terms:
                    message = f"{term} is not in UBERON {uberon.release} (anatomy_terms.yaml)"
                    self.report(entry, f"identifiers.{field}", message)
            if ids.uberon:
                owners[ids.uberon].append(entry)
                continue
            for term in sorted(set().union(*(named[n] for n in muscle_names(entry.item))) - set(ids.terms())):
                message = f'{term} "{uberon.terms[term].label}" names this muscle in UBERON {uberon.release}: cite it'
                self.report(entry, "identifiers.uberon", message)
        for term, entries in owners.items():
            for entry in entries:
                others = [e.name for e in entries if e is not entry]
                if others and not entry.item.identifiers.note:
                    message = f"{term} is also the term of {', '.join(others)}: use part_of, or say why in a note"
                    self.report(entry, "identifiers.uberon", message)

    def check_region_crosswalk(self) -> None:
        """Every region has its nearest UBERON term of the recorded release and its CHOIR segments, by side
        where the region has sides."""
        uberon, choir = self.vocabulary("uberon"), self.vocabulary("choir")
        entries = self.data.entries.get(schema.RegionCrosswalk, [])
        for region in self.regions.keys() - {e.item.id for e in entries}:
            self.problems.append(Problem("region_crosswalk.yaml", region, "-", "region without its UBERON term"))
        for entry in entries:
            item = entry.item
            region = self.regions.get(item.id)
            if region is None:
                self.report(entry, "id", f"unknown region {item.id}")
                continue
            for field, term in [("uberon", item.uberon), ("broader", item.broader)] + [
                (f"related.{i}", t) for i, t in enumerate(item.related)
            ]:
                if term and term not in uberon.terms:
                    self.report(entry, field, f"{term} is not in UBERON {uberon.release} (anatomy_terms.yaml)")
            kind, sides = ("sided", ("choir_right", "choir_left")) if region.sided else ("midline", ("choir",))
            for field in ("choir", "choir_right", "choir_left"):
                segments = getattr(item, field)
                if field in sides and not segments:
                    self.report(entry, field, f"a {kind} region needs {field}")
                elif segments and field not in sides:
                    self.report(entry, field, f"a {kind} region gives {' and '.join(sides)}")
                for i, segment in enumerate(segments):
                    if str(segment) not in choir.terms:
                        self.report(entry, f"{field}.{i}", f"{segment} is not a CHOIR Body Map segment")

    def check_coverage(self) -> None:
        referring = coverage(self.data)
        for region, explained in thin_regions(referring, self.regions).items():
            if not explained:
                count = len(referring[region])
                message = f"only {count} muscle(s) refer here; add referrals or a sourced note saying why"
                self.problems.append(Problem("regions.yaml", region, "-", message))


def muscle_names(muscle: schema.Muscle) -> set[str]:
    """The names a muscle goes by, casefolded, as an ontology would label it: with and without "muscle",
    and the Latin name without "musculus"."""
    latin = re.sub(r"^musculi? ", "", muscle.latin.casefold())
    names = {muscle.name.casefold(), latin, *(a.casefold() for a in muscle.aliases)}
    return names | {f"{n} muscle" for n in names}


def paper_gaps(source: schema.Source) -> list[str]:
    """What a paper's citation lacks: its authors, its journal and year, a DOI or PMID."""
    authors = PAPER_AUTHORS.match(source.citation)
    gaps = [] if authors else ["authors"]
    rest = source.citation[authors.end() :] if authors else source.citation
    if not PAPER_JOURNAL_YEAR.match(rest):
        gaps.append("journal and year")
    if not (source.doi or source.pmid):
        gaps.append("a DOI or PMID")
    return gaps


def only_places(phrase: str, places: set[str]) -> bool:
    """Whether ``phrase`` says nothing but places and pain ("sore knee", "shoulder tip pain"): without its
    pain and joining words it is a place, or a run of one-word places, or nothing at all."""
    rest = [w for w in phrase.split() if w not in GENERIC_PAIN_WORDS and w not in JOINING_WORDS]
    return not rest or " ".join(rest) in places or all(w in places for w in rest)


def coverage(data: Dataset) -> dict[str, set[str]]:
    """For each region, the muscles whose trigger points refer to it or to a sub-region."""
    regions = {r.id: r for r in data.items(schema.Region)}
    referring: dict[str, set[str]] = {r: set() for r in regions}
    for m in data.items(schema.Muscle):
        for t in m.trigger_points:
            for region in t.referral.essential + t.referral.spillover:
                while region in regions:
                    referring[region].add(m.slug)
                    region = regions[region].parent
    return referring


def thin_regions(referring: dict[str, set[str]], regions: dict[str, schema.Region]) -> dict[str, bool]:
    """Regions fewer than MIN_MUSCLES_PER_REGION muscles refer to, each with whether a sourced note says why."""
    return {r: bool(regions[r].note) for r, muscles in referring.items() if len(muscles) < MIN_MUSCLES_PER_REGION}


def problems(folder: Path) -> list[Problem]:
    """Everything wrong with the data in ``folder``; empty when it is fit to load."""
    return Checker(read(folder)).run()
