"""Three audiences: patients never see needling depth or technique; practitioners see everything."""

import re
from html import unescape

import pytest
from markupsafe import escape

from refdata import records as records_module

# Words that only ever describe how to needle, manipulate or find a point by hand.
TECHNIQUE_WORDS = (
    "pincer",
    "tangential",
    "shorter needle",
    "needle lying down",
    "gentler technique",
    "deep needling",
    "direct the needle",
    "needle the belly",
    "perpendicular",
    "shallow angle",
    "high-velocity",
    "low-amplitude",
    "twitch",
    "published figure",
)
# Fields of a record that only practitioners and students see (and the details of invasive components).
PRACTITIONER_FIELDS = ("hazards", "palpation", "text")


@pytest.fixture(scope="module")
def records(built):
    from app import create_app
    from search import live

    app = create_app(dict(built))
    client = app.test_client()
    slugs = [m["slug"] for m in client.get("/api/muscles").get_json()["muscles"]]
    yield {slug: client.get(f"/api/muscles/{slug}").get_json() for slug in slugs}
    live.dispose(app)


def technique(record: dict) -> list[str]:
    """Everything on a muscle that describes needling or how to find a point by hand."""
    texts = [h["note"] for h in record["hazards"]]
    texts += [h["depth"]["figure"] for h in record["hazards"] if h["depth"]]
    texts += [t["palpation"] for t in record["trigger_points"]]
    return [str(escape(t)) for t in texts]


def test_no_patient_page_shows_needling_depth_or_technique(client, records):
    for slug, record in records.items():
        pages = [client.get(f"/muscles/{slug}").get_data(as_text=True)]
        pages += [client.get(t["url"]).get_data(as_text=True) for t in record["trigger_points"]]
        for html in pages:
            assert "Needling hazards" not in html, slug
            assert "<dt>Trigger-point dry needling</dt>" not in html, slug
            for text in technique(record):
                assert text not in html, (slug, text[:60])


@pytest.fixture(scope="module")
def treatment_slugs(built):
    from app import create_app
    from search import live

    app = create_app(dict(built))
    yield [t["slug"] for t in app.test_client().get("/api/treatments").get_json()["treatments"]]
    live.dispose(app)


def pages(records: dict, treatment_slugs: list[str]) -> list[str]:
    """Every muscle, trigger-point and treatment page."""
    urls = [f"/muscles/{slug}" for slug in records]
    urls += [t["url"] for record in records.values() for t in record["trigger_points"]]
    return urls + [f"/treatments/{slug}" for slug in treatment_slugs]


def technique_words(text: str) -> list[str]:
    text = unescape(text).lower()
    return [word for word in TECHNIQUE_WORDS if word in text]


def keys(value) -> set[str]:
    """Every key anywhere in a JSON value."""
    if isinstance(value, dict):
        return set(value) | {k for inner in value.values() for k in keys(inner)}
    if isinstance(value, list):
        return {k for inner in value for k in keys(inner)}
    return set()


def seen(client, url: str) -> tuple[str, str]:
    """A page's visible text and its JSON twin's text."""
    page = re.sub(r"<[^>]+>", " ", client.get(url).get_data(as_text=True))
    return page, client.get(url + ".json").get_data(as_text=True)


def test_patient_pages_and_their_twins_carry_no_technique(client, records, treatment_slugs):
    for url in pages(records, treatment_slugs):
        page, twin = seen(client, url)
        assert not technique_words(page), (url, technique_words(page))
        assert not technique_words(twin), (url + ".json", technique_words(twin))
        assert not keys(client.get(url + ".json").get_json()) & set(PRACTITIONER_FIELDS), url
    # No empty net: practitioners find every one of the words on the same pages.
    client.set_cookie("audience", "practitioner")
    found = {w for url in pages(records, treatment_slugs) for text in seen(client, url) for w in technique_words(text)}
    assert found == set(TECHNIQUE_WORDS)


def test_the_api_record_stays_complete_whoever_asks(client, records):
    assert client.get("/api/muscles/upper-trapezius").get_json() == records["upper-trapezius"]
    assert records["upper-trapezius"]["hazards"] and records["upper-trapezius"]["trigger_points"][0]["palpation"]
    screen = client.get("/api/treatments").get_json()["treatments"][0]["contraindications"]
    assert screen  # ids; the practitioner's notes are on /treatments/<slug> for practitioners


def test_twins_follow_the_audience_as_their_page_does(client):
    slug = "neck-pain-with-headache-combined"
    patient = client.get(f"/treatments/{slug}.json").get_json()
    assert all("text" not in c and c["question"] for c in patient["contraindications"])
    assert all("detail" not in c for c in patient["components"] if c["kind"] == "dry_needling")
    assert "hazards" not in client.get("/muscles/upper-trapezius.json").get_json()
    assert "contraindications" not in client.get("/safety.json").get_json()
    plan = "/plan.json?muscle=upper-trapezius&point=upper-trapezius-anterior&component=dry_needling"
    plan += "&yes=vasovagal-history"
    patient_plan = client.get(plan).get_json()
    assert not keys(patient_plan) & {*PRACTITIONER_FIELDS, "checklist"} and patient_plan["after_care"]
    client.set_cookie("audience", "practitioner")
    assert client.get(plan).get_json()["hazards"]
    practitioner = client.get(f"/treatments/{slug}.json").get_json()
    assert all(c["text"] for c in practitioner["contraindications"])
    assert client.get("/muscles/upper-trapezius.json").get_json()["hazards"]
    assert client.get("/safety.json").get_json()["contraindications"]


def test_treatments_that_needle_or_manipulate_show_the_after_care_warning(client):
    html_page = client.get("/treatments/neck-trigger-point-dry-needling").get_data(as_text=True)
    assert "Warning signs after dry needling, IMS or spinal manipulation" in html_page
    assert "What is normal: Some soreness" in html_page  # so ordinary soreness sends no one to an emergency room
    assert client.get("/treatments/gunn-ims-radiculopathic-pain.json").get_json()["after_care"]["signs"]
    assert client.get("/treatments/tension-neck-pain-self-care.json").get_json()["after_care"] is None


def test_practitioners_see_hazards_depths_and_technique(client, records):
    client.set_cookie("audience", "practitioner")
    record = records["upper-trapezius"]
    html = client.get("/muscles/upper-trapezius").get_data(as_text=True)
    assert "Needling hazards" in html and "Published figure" in html
    assert all(text in html for text in technique(record))
    assert "Gunn intramuscular stimulation" in html


def test_students_see_the_evidence_panels(client):
    client.set_cookie("audience", "student")
    html = client.get("/muscles/infraspinatus").get_data(as_text=True)
    assert "Chiropractic adjustment of related segments" in html and "C5, C6" in html
    assert "a hypothesis" in html


def test_treatment_page_hides_invasive_detail_from_patients(client):
    slug = "neck-pain-with-headache-combined"
    record = next(t for t in client.get("/api/treatments").get_json()["treatments"] if t["slug"] == slug)
    invasive = [c["detail"] for c in record["components"] if c["kind"] in records_module.INVASIVE]
    html = client.get(f"/treatments/{slug}").get_data(as_text=True)
    assert invasive and not any(str(escape(d)) in html for d in invasive)
    client.set_cookie("audience", "practitioner")
    html = client.get(f"/treatments/{slug}").get_data(as_text=True)
    assert all(str(escape(d)) in html for d in invasive)


def test_red_flags_come_before_muscles_for_chest_pain(client):
    html = client.get("/search?q=chest pain").get_data(as_text=True)
    assert "emergency" in html.lower()
    assert html.index("Check these warning signs first") < html.index("result-muscle")


def test_audience_choice_is_refused_when_unknown(client):
    assert client.get("/audience", query_string={"audience": "wizard"}).status_code == 400


def hidden_from_patients(client, records) -> list[str]:
    """Every text a patient may not see that the search index holds: how each point is found by hand, and how
    each needling or manipulation component is done."""
    texts = [t["palpation"] for record in records.values() for t in record["trigger_points"]]
    for treatment in client.get("/api/treatments").get_json()["treatments"]:
        texts += [c["detail"] for c in treatment["components"] if c["kind"] in records_module.INVASIVE]
    return texts


def snippet_pieces(body: dict) -> list[str]:
    """The passages a search page quotes, without their highlighting."""
    pieces = []
    for result in body["results"]:
        text = unescape(re.sub(r"<[^>]+>", "", result["snippet"]))
        pieces += [p.strip() for p in text.split("...") if len(p.strip()) >= 20]
    return pieces


def test_a_patient_search_quotes_no_field_a_patient_may_not_see(client, records):
    hidden = hidden_from_patients(client, records)
    quoted = 0
    for text in hidden:
        body = client.get("/search.json", query_string={"q": " ".join(text.split()[:30])[:200]}).get_json()
        for piece in snippet_pieces(body):
            quoted += 1
            assert not any(piece in h for h in hidden), (text[:40], piece)
    assert quoted > 100  # the searches did quote something: from what patients may see
    client.set_cookie("audience", "practitioner")
    body = client.get("/search.json", query_string={"q": "pincer"}).get_json()
    assert any(piece in h for piece in snippet_pieces(body) for h in hidden)  # practitioners are quoted technique


@pytest.mark.parametrize("q", ["lung apex needle", "pincer", "direct the needle onto bone"])
def test_technique_words_are_neither_matched_nor_quoted_for_patients(client, q):
    body = client.get("/search.json", query_string={"q": q}).get_json()
    assert not technique_words(" ".join(snippet_pieces(body))), snippet_pieces(body)
    if q == "pincer":
        assert body["results"] == []  # only technique says "pincer"
        client.set_cookie("audience", "practitioner")
        assert "pincer" in " ".join(snippet_pieces(client.get("/search.json", query_string={"q": q}).get_json()))


def test_a_treatments_patient_twin_shows_the_warning_signs_as_its_page_does(client):
    slug = "neck-trigger-point-dry-needling"
    page = unescape(re.sub(r"<[^>]+>", " ", client.get(f"/treatments/{slug}").get_data(as_text=True)))
    after_care = client.get(f"/treatments/{slug}.json").get_json()["after_care"]
    assert set(after_care) == set(records_module.WARNING_FIELDS)
    for text in [after_care["title"], after_care["advice"], *after_care["signs"]]:
        assert " ".join(text.split()) in " ".join(page.split()), text
    assert all(s["citation"] in page for s in after_care["sources"])
    for url in ("/safety.json", "/plan/handout.json?point=upper-trapezius-anterior&component=dry_needling"):
        assert set(client.get(url).get_json()["after_care"]) == set(records_module.WARNING_FIELDS), url


def test_warning_signs_come_first_on_points_whose_symptoms_or_places_they_share(client, records):
    html = client.get("/trigger-points/sternocleidomastoid-sternal-middle").get_data(as_text=True)
    flags = [
        f["id"] for f in client.get("/trigger-points/sternocleidomastoid-sternal-middle.json").get_json()["red_flags"]
    ]
    assert flags == ["acute-angle-closure-glaucoma", "cervical-artery-dissection"]
    assert html.index("Check these warning signs first") < html.index("<h2>Symptoms</h2>")
    assert "Call your local emergency number" in html
    # Every point that refers pain into the chest carries the heart warning, on its page and its muscle's.
    chest = {"chest", "chest-front", "chest-side", "breastbone"}
    points = [t for r in records.values() for t in r["trigger_points"] if chest & set(sum(t["referral"].values(), []))]
    assert len(points) >= 20 and "anterior-scalene-central" in {t["slug"] for t in points}
    for t in points:
        body = client.get(f"/trigger-points/{t['slug']}.json").get_json()
        assert "heart-attack-or-angina" in [f["id"] for f in body["red_flags"]], t["slug"]
        muscle = client.get(f"/muscles/{t['muscle']['slug']}.json").get_json()
        assert "heart-attack-or-angina" in [f["id"] for f in muscle["red_flags"]], t["slug"]
    # A point of the forearm carries no warning it does not share.
    assert client.get("/trigger-points/supinator-anterior.json").get_json()["red_flags"] == []
