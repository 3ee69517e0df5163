"""The reference data: it loads, it is complete enough, and the checker refuses bad data."""

import re
import shutil
from pathlib import Path

import pytest

from refdata import check
from refdata import ontology
from refdata import records
from refdata import schema
from refdata.load import read

REFDATA = Path(__file__).parent.parent / "refdata"
BAD = Path(__file__).parent / "data" / "bad"


@pytest.fixture(scope="module")
def data():
    return read(REFDATA)


def test_real_data_has_no_problems():
    assert [str(p) for p in check.problems(REFDATA)] == []


def test_reference_is_big_enough(data):
    muscles = data.items(schema.Muscle)
    assert len(muscles) >= 150
    # Every separately described point we could verify (244), less the middle trapezius pilomotor point (TrP7), which
    # refers goose flesh, not pain, and is now a note on TrP5; the 250 needs the manuals checked.
    assert sum(len(m.trigger_points) for m in muscles) >= 243
    assert len([r for r in data.items(schema.Region) if r.parent]) >= 60


def test_every_body_area_has_muscles(data):
    areas = {m.area for m in data.items(schema.Muscle)}
    assert areas == set(schema.BODY_AREAS)


def test_every_region_has_three_muscles_or_a_sourced_note(data):
    regions = {r.id: r for r in data.items(schema.Region)}
    thin = {r: len(m) for r, m in check.coverage(data).items() if len(m) < 3 and not regions[r].note}
    assert thin == {}


@pytest.mark.parametrize(("muscle", "region"), check.WELL_KNOWN_REFERRALS)
def test_well_known_referral_patterns(data, muscle, region):
    m = next(m for m in data.items(schema.Muscle) if m.slug == muscle)
    assert region in {r for t in m.trigger_points for r in t.referral.essential + t.referral.spillover}


def test_every_muscle_has_a_needling_hazard(data):
    flagged = {h.muscle for h in data.items(schema.Hazard)}
    assert {m.slug for m in data.items(schema.Muscle)} <= flagged
    pneumothorax = {h.muscle for h in data.items(schema.Hazard) if h.kind == "pneumothorax"}
    assert {"upper-trapezius", "rhomboid-major", "intercostals", "anterior-scalene"} <= pneumothorax
    assert {"suboccipitals", "cervical-multifidus"} <= {
        h.muscle for h in data.items(schema.Hazard) if h.kind == "neuraxial"
    }


def test_depth_figures_name_their_population(data):
    depths = [h.depth for h in data.items(schema.Hazard) if isinstance(h.depth, schema.Depth)]
    assert len(depths) >= 16
    assert all(d.population and d.method and d.sources for d in depths)


def test_every_pneumothorax_and_neuraxial_hazard_states_its_depth(data):
    hazards = [h for h in data.items(schema.Hazard) if h.kind in schema.DEPTH_KINDS]
    assert all(isinstance(h.depth, schema.Depth) or h.depth == schema.DEPTH_NONE_FOUND for h in hazards)
    assert {"external-oblique", "teres-major", "rectus-abdominis"} <= {h.muscle for h in hazards}


def test_depth_figures_come_from_papers_with_a_doi_or_pmid(data):
    sources = {s.id: s for s in data.items(schema.Source)}
    depths = [h.depth for h in data.items(schema.Hazard) if isinstance(h.depth, schema.Depth)]
    cited = [sources[c.source] for d in depths for c in d.sources]
    assert cited and all(s.kind == "paper" and (s.doi or s.pmid) for s in cited)


def test_combined_protocols_are_graded_and_sourced(data):
    combined = [t for t in data.items(schema.Treatment) if len({c.kind for c in t.components}) > 1]
    assert len(combined) >= 10
    for t in combined:
        assert t.evidence.grade in schema.GRADE_LEVELS
        assert t.evidence.sources and t.sources
        assert t.evidence.comparator and t.evidence.time_frame


def test_emergency_red_flags_say_to_get_help_now(data):
    emergencies = [f for f in data.items(schema.RedFlag) if f.urgency == "emergency"]
    assert {"chest-front", "chest", "head", "back"} & {r for f in emergencies for r in f.regions}
    assert all("emergency" in f.advice.lower() for f in emergencies)
    rules = [r for f in data.items(schema.RedFlag) for r in f.rules if r.urgency == "emergency" and r.advice]
    assert rules and all("emergency" in r.advice.lower() for r in rules)


def test_complaints_are_names_not_diagnoses(data):
    complaints = {c.slug: c for c in data.items(schema.Complaint)}
    assert len(complaints) >= 10
    assert all("diagnosis" in c.note.lower() for c in complaints.values())


def check_with(tmp_path, fixture: str) -> list[str]:
    folder = tmp_path / "refdata"
    shutil.copytree(REFDATA, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    shutil.copy(BAD / fixture, folder / "muscles" / "zz-fixture.yaml")
    return [str(p) for p in check.problems(folder)]


@pytest.mark.parametrize(
    ("fixture", "field", "message"),
    [
        ("unknown-region.yaml", "trigger_points.0.referral.essential.0", "unknown region elbowz"),
        ("missing-source.yaml", "trigger_points.0.sources", "at least 1 item"),
        ("unknown-source.yaml", "sources.0", "unknown source wikipedia-2024"),
        ("book-without-chapter.yaml", "trigger_points.0.sources.0", "needs a chapter"),
        ("duplicate-slug.yaml", "id", "duplicate muscle id"),
        ("duplicate-alias.yaml", "aliases.0", '"Soleus" is also a name or alias of soleus'),
        ("banned-cure.yaml", "trigger_points.0.symptoms.0", 'banned wording "cure"'),
        ("banned-permanent.yaml", "trigger_points.0.symptoms.0", 'banned wording "permanent"'),
        ("banned-100-percent.yaml", "trigger_points.0.symptoms.0", 'banned wording "100 %"'),
        ("banned-guaranteed.yaml", "trigger_points.0.symptoms.0", 'banned wording "guaranteed"'),
        ("banned-safe.yaml", "trigger_points.0.symptoms.0", 'unqualified "safe"'),
        ("needling-in-self-care.yaml", "trigger_points.0.self_care.0", "no needling"),
        ("no-essential-zone.yaml", "trigger_points.0.referral.essential", "at least 1 item"),
        ("not-yaml.yaml", "-", "not valid YAML"),
        ("identifier-missing.yaml", "identifiers", "no identifiers: give its UBERON term"),
        ("identifier-not-in-release.yaml", "identifiers.uberon", "UBERON:9999999 is not in UBERON v2026-04-01"),
        ("identifier-uncited.yaml", "identifiers.uberon", 'UBERON:0001599 "stapedius muscle" names this muscle'),
        ("identifier-shared.yaml", "identifiers.uberon", "UBERON:0001128 is also the term of sternocleidomastoid"),
        ("identifier-part-without-note.yaml", "identifiers", "needs a note saying why"),
    ],
)
def test_checker_names_file_entry_and_field(tmp_path, fixture, field, message):
    found = check_with(tmp_path, fixture)
    matching = [p for p in found if p.startswith("muscles/zz-fixture.yaml: ") and f": {field}: " in p and message in p]
    assert matching, found


@pytest.mark.parametrize(
    ("fixture", "field", "message"),
    [
        ("crosswalk-unknown-term.yaml", "uberon", "UBERON:0000000 is not in UBERON v2026-04-01"),
        ("crosswalk-sided-without-sides.yaml", "choir_right", "a sided region needs choir_right"),
        ("crosswalk-unknown-segment.yaml", "choir_left.0", "140 is not a CHOIR Body Map segment"),
        ("crosswalk-unknown-region.yaml", "id", "unknown region elbowz"),
    ],
)
def test_checker_refuses_a_bad_region_crosswalk(tmp_path, fixture, field, message):
    """Each fixture replaces (or adds) one region's entry in a copy of the real crosswalk."""
    replacing = re.findall(r"^- \{id: ([a-z-]+),", (BAD / fixture).read_text(), re.MULTILINE)

    def swap(text: str) -> str:
        kept = [line for line in text.splitlines() if not re.match(rf"- \{{id: ({'|'.join(replacing)}),", line)]
        return "\n".join(kept) + "\n" + (BAD / fixture).read_text()

    found = check_edited(tmp_path, "region_crosswalk.yaml", swap)
    assert [p for p in found if p.startswith("region_crosswalk.yaml: ") and f": {field}: " in p and message in p], found


def test_a_region_without_its_crosswalk_entry_is_refused(tmp_path):
    found = check_edited(tmp_path, "region_crosswalk.yaml", lambda text: re.sub(r"(?m)^- \{id: calf,.*\n", "", text))
    assert "region_crosswalk.yaml: calf: -: region without its UBERON term" in found, found


def test_every_id_cited_is_in_the_recorded_release(data):
    """The extract the checker trusts: UBERON, FMA and CHOIR, each with its release, and every id cited in it."""
    vocabularies = {v.id: v for v in data.items(schema.Vocabulary)}
    assert vocabularies["uberon"].release == "v2026-04-01" and vocabularies["fma"].release == "2021-11-12"
    cited = {t for m in data.items(schema.Muscle) for t in m.identifiers.terms()}
    cited |= {t for r in data.items(schema.RegionCrosswalk) for t in r.terms()}
    assert cited <= set(vocabularies["uberon"].terms)
    assert all(f.uberon in vocabularies["uberon"].terms for f in vocabularies["fma"].terms.values())
    assert len(vocabularies["choir"].terms) == 74


def test_qualified_safe_is_allowed():
    assert check.wording_problems("Depth is not safe to assume; never safe to needle both sides.") == []
    assert check.wording_problems("This is safe.") == ['unqualified "safe"']


def test_check_command_exit_status(runner, tmp_path):
    assert runner.invoke(args=["refdata", "check"]).exit_code == 0
    folder = tmp_path / "refdata"
    shutil.copytree(REFDATA, folder)
    shutil.copy(BAD / "banned-cure.yaml", folder / "muscles" / "zz-fixture.yaml")
    runner.app.config["REFDATA_DIR"] = str(folder)
    result = runner.invoke(args=["refdata", "check"])
    assert result.exit_code == 1
    assert (
        "muscles/zz-fixture.yaml: #1 example-muscle" in result.output
        or "zz-fixture.yaml: example-muscle" in result.output
    )


def test_coverage_command(runner, data):
    result = runner.invoke(args=["refdata", "coverage"])
    assert result.exit_code == 0
    assert "Leg and foot" in result.output
    assert "regions with the fewest muscles" in result.output
    assert "regions under 3 muscles without a sourced note: none" in result.output
    regions = {r.id: r for r in data.items(schema.Region)}
    explained = [r for r, m in check.coverage(data).items() if len(m) < 3 and regions[r].note]
    lines = {line.split()[0]: line for line in result.output.splitlines() if line.startswith("  ")}
    for region in explained:
        assert lines[region].endswith("(below 3 by the sources; see its note)")


def test_a_muscle_without_a_needling_hazard_is_refused(tmp_path):
    found = check_with(tmp_path, "banned-cure.yaml")  # its muscle has no entry in hazards.yaml
    assert [p for p in found if p.startswith("hazards.yaml: example-muscle") and "needling hazard missing" in p], found


def test_a_pneumothorax_hazard_without_a_depth_is_refused(tmp_path):
    found = check_edited(tmp_path, "hazards.yaml", lambda text: text.replace("  depth: none-found\n", "", 1))
    assert [p for p in found if ": depth: a pneumothorax hazard needs a published depth figure" in p], found


def test_a_depth_figure_from_a_book_is_refused(tmp_path):
    book = '    sources: ["grays-42e: Neck"]\n'
    found = check_edited(tmp_path, "hazards.yaml", lambda text: text.replace('    sources: ["kearns-2022"]\n', book, 1))
    expected = "hazards.yaml: upper-trapezius/pneumothorax: depth.sources.0: a depth figure needs a paper"
    assert [p for p in found if p.startswith(expected) and "DOI or PMID" in p], found


def test_hazard_records_carry_depth_sources_and_the_none_found_marker(client):
    client.set_cookie("audience", "practitioner")
    hazards = client.get("/api/muscles/rhomboid-major").get_json()["hazards"]
    pleura = next(h for h in hazards if h["kind"] == "pneumothorax")
    assert [s["source"] for s in pleura["depth"]["sources"]] == ["rhomboid-emg-2018", "seol-2014"]
    assert pleura["depth_none_found"] is False
    hazards = client.get("/api/muscles/lower-trapezius").get_json()["hazards"]
    pleura = next(h for h in hazards if h["kind"] == "pneumothorax")
    assert pleura["depth"] is None and pleura["depth_none_found"] is True


def test_a_thin_region_without_a_sourced_note_is_refused(tmp_path):
    folder = tmp_path / "refdata"
    shutil.copytree(REFDATA, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    regions = folder / "regions.yaml"
    regions.write_text(re.sub(r"(\{id: armpit,[^\n]*?), note: .*\}", r"\1}", regions.read_text()))
    found = [str(p) for p in check.problems(folder)]
    assert [p for p in found if p.startswith("regions.yaml: armpit") and "only 1 muscle(s) refer here" in p], found


def check_edited(tmp_path, file: str, edit) -> list[str]:
    """The checker's problems after one edit to a copy of the real data."""
    folder = tmp_path / "refdata"
    shutil.copytree(REFDATA, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    path = folder / file
    edited = edit(path.read_text())
    assert edited != path.read_text(), "the edit changed nothing"
    path.write_text(edited)
    return [str(p) for p in check.problems(folder)]


def flag_block(text: str, flag: str) -> re.Match:
    return re.search(rf"(?ms)^- id: {flag}\n.*?(?=^- id: |\Z)", text)


def test_every_red_flag_has_rules_and_every_area_the_universal_flags(data):
    flags = data.items(schema.RedFlag)
    assert all(f.rules for f in flags)
    for universal in check.UNIVERSAL_FLAGS:
        tied = next(f for f in flags if f.id == universal).regions
        assert {r.id for r in data.items(schema.Region) if r.parent is None} <= set(tied)


def test_a_red_flag_without_rules_is_refused(tmp_path):
    def drop_rules(text):
        block = flag_block(text, "cauda-equina")
        kept = re.sub(r"(?ms)^  rules:\n(    - .*?\n)+", "", block.group())
        return text[: block.start()] + kept + text[block.end() :]

    found = check_edited(tmp_path, "red_flags.yaml", drop_rules)
    assert [p for p in found if p.startswith("red_flags.yaml: cauda-equina: rules: a red flag needs rules")], found


def add_rule(text: str, flag: str, rule: str) -> str:
    block = flag_block(text, flag)
    edited = block.group().replace("  rules:\n", f"  rules:\n    - {rule}\n", 1)
    return text[: block.start()] + edited + text[block.end() :]


@pytest.mark.parametrize(
    ("rule", "why"),
    [
        ("{needs: [clot-places], urgency: urgent}", "a place or a pain word alone could meet this rule"),
        ("{needs: [stiff-neck, neck], urgency: urgent}", "a place or a pain word alone could meet this rule"),
        ("{needs: [clot-risk, pregnant], urgency: urgent}", "risk factors alone could meet this rule"),
        ("{needs: [swelling, nowhere], urgency: urgent}", "unknown finding nowhere"),
    ],
)
def test_a_rule_a_place_a_pain_word_or_a_risk_factor_alone_could_meet_is_refused(tmp_path, rule, why):
    found = check_edited(tmp_path, "red_flags.yaml", lambda text: add_rule(text, "deep-vein-thrombosis", rule))
    assert [p for p in found if p.startswith("red_flags.yaml: deep-vein-thrombosis: rules.0: ") and why in p], found


def test_a_telling_finding_that_is_only_a_place_and_a_pain_word_is_refused(tmp_path):
    def add_words(text):
        return text.replace("  words: [numb, numbness,", "  words: [sore knee, lower back, numb, numbness,", 1)

    found = check_edited(tmp_path, "findings.yaml", add_words)
    assert 'findings.yaml: numbness: words.0: "sore knee" is only a place or a pain word: name a sign' in found
    assert 'findings.yaml: numbness: words.1: "lower back" is only a place or a pain word: name a sign' in found


def test_no_rule_of_the_clot_flag_is_met_by_risk_factors_and_a_place(data):
    findings = {f.id: f for f in data.items(schema.Finding)}
    clot = next(f for f in data.items(schema.RedFlag) if f.id == "deep-vein-thrombosis")
    for rule in clot.rules:
        needs = [[n] if isinstance(n, str) else n for n in rule.needs]
        assert any(all(findings[c].kind in schema.TELLING_KINDS for c in need) for need in needs), rule


def test_a_rule_earning_another_urgency_than_its_flag_says_what_to_do(tmp_path):
    def add(text):
        return add_rule(text, "shingles", "{needs: [named-shingles], urgency: emergency}")

    found = check_edited(tmp_path, "red_flags.yaml", add)
    message = "a rule that earns emergency, not the flag's urgent, says what to do: advice"
    assert f"red_flags.yaml: shingles: rules.0: {message}" in found, found


def test_an_area_without_a_universal_flag_is_refused(tmp_path):
    def untie_knee(text):
        block = flag_block(text, "possible-cancer")
        edited = re.sub(r"(?m)^(  regions: \[.*?), knee(.*)$", r"\1\2", block.group(), count=1)
        return text[: block.start()] + edited + text[block.end() :]

    found = check_edited(tmp_path, "red_flags.yaml", untie_knee)
    assert [p for p in found if p.startswith("red_flags.yaml: possible-cancer: regions: area knee lacks")], found


def test_the_emergency_line_comes_from_emergencies_that_say_call_now(data):
    lines = {f.id: f for f in data.items(schema.RedFlag) if f.emergency_line}
    assert {"heart-attack-or-angina", "stroke-or-tia", "thunderclap-headache", "cauda-equina"} <= set(lines)
    assert all(f.urgency == "emergency" and f.sources for f in lines.values())
    assert all(f.advice.startswith(schema.EMERGENCY_ADVICE) for f in lines.values())


def test_an_emergency_line_on_a_flag_that_is_not_an_emergency_is_refused(tmp_path):
    def add_line(text):
        block = flag_block(text, "deep-vein-thrombosis")
        edited = block.group().replace("  rules:", "  emergency_line: a swollen calf\n  rules:", 1)
        return text[: block.start()] + edited + text[block.end() :]

    found = check_edited(tmp_path, "red_flags.yaml", add_line)
    assert [p for p in found if p.startswith("red_flags.yaml: deep-vein-thrombosis: emergency_line: ")], found


def test_pain_alone_outside_the_flags_regions_is_refused(tmp_path):
    def add_knee(text):
        return text.replace("  pain_alone: [chest]", "  pain_alone: [chest, knee]", 1)

    found = check_edited(tmp_path, "red_flags.yaml", add_knee)
    message = (
        "red_flags.yaml: heart-attack-or-angina: pain_alone.1: knee is neither one of the flag's regions nor a place"
    )
    message += " within them"
    assert message in found, found


def test_the_extract_is_regenerated_from_the_releases():
    """refdata/ontology.py keeps the cited terms and the muscle organ terms of a release, and the FMA classes the
    bridge equates with cited terms."""
    release = {
        "UBERON:0001630": {"label": "muscle organ", "ancestors": {}, "deprecated": False},
        "UBERON:0001507": {"label": "biceps brachii", "ancestors": {"UBERON:0001630": 6}, "deprecated": False},
        "UBERON:0001388": {"label": "gastrocnemius", "ancestors": {"UBERON:0001630": 6}, "deprecated": True},
        "UBERON:0000033": {"label": "head", "synonyms": ["head (volume)"], "ancestors": {}, "deprecated": False},
        "UBERON:0000974": {"label": "neck", "ancestors": {}, "deprecated": False},
    }
    terms = ontology.uberon_terms(release, {"UBERON:0000033"})
    assert terms == {
        "UBERON:0000033": {"label": "head", "synonyms": ["head (volume)"]},
        "UBERON:0001507": {"label": "biceps brachii"},
        "UBERON:0001630": {"label": "muscle organ"},
    }
    bridge = (
        'format-version: 1.2\n\n[Term]\nid: FMA:37670 ! \nproperty_value: IAO:0000589 "biceps brachii (post-embryonic'
        ' human)" xsd:string\nintersection_of: UBERON:0001507 ! biceps brachii\n'
        "intersection_of: part_of NCBITaxon:9606\n"
        '\n[Term]\nid: FMA:7155 ! \nproperty_value: IAO:0000589 "neck (post-embryonic human)" xsd:string\n'
        "intersection_of: UBERON:0000974 ! neck\n"
    )
    assert ontology.bridge_terms(bridge, {"UBERON:0001507"}) == {
        "FMA:37670": {"label": "biceps brachii", "uberon": "UBERON:0001507"}
    }


def test_a_paper_without_authors_journal_or_identifier_is_refused(tmp_path):
    def append_fixture(text):
        return text + "\n" + (BAD / "paper-without-authors.yaml").read_text()

    found = check_edited(tmp_path, "sources.yaml", append_fixture)
    expected = (
        "sources.yaml: zz-uncited-trial: citation: a paper needs its authors, journal and year, and a DOI or PMID"
    )
    mine = [p for p in found if p.startswith(expected)]
    assert mine and "missing authors, journal and year, a DOI or PMID" in mine[0], found


def test_an_incomplete_paper_says_what_could_not_be_verified_and_a_complete_one_says_nothing(data, tmp_path):
    for source in data.items(schema.Source):
        if source.kind == "paper":
            assert bool(check.paper_gaps(source)) == bool(source.unverified), source.id
    stale = check_edited(
        tmp_path,
        "sources.yaml",
        lambda text: text.replace(
            '  pmid: "26362792"\n  year: 2015\n', '  pmid: "26362792"\n  year: 2015\n  unverified: nothing\n'
        ),
    )
    assert "sources.yaml: carr-2015: unverified: nothing is missing: remove the note" in stale, stale


def test_the_outer_hip_lists_only_muscles_whose_pattern_reaches_it(data):
    regions = {r.id: r for r in data.items(schema.Region)}
    parents = {r.id: r.parent for r in regions.values()}
    outer = {"hip-side", "thigh-outer"}

    def reaches(slug):
        muscle = next(m for m in data.items(schema.Muscle) if m.slug == slug)
        zones = {z for t in muscle.trigger_points for z in t.referral.essential + t.referral.spillover}
        return bool(records.areas_around(zones, parents) & outer)

    complaint = next(c for c in data.items(schema.Complaint) if c.slug == "hip-bursitis-trochanteric-pain")
    treatment = next(t for t in data.items(schema.Treatment) if t.slug == "outer-hip-pain-combined")
    needled = [m for c in treatment.components if c.kind == "dry_needling" for m in c.muscles]
    assert "piriformis" not in complaint.muscles + needled
    assert all(reaches(m) for m in needled), needled
