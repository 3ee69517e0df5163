"""Three audiences: patients never see needling depth or technique; practitioners see everything."""

import pytest
from markupsafe import escape


@pytest.fixture(scope="module")
def records(built):
    from app import create_app
    from refdata import db

    app = create_app(dict(built))
    client = app.test_client()
    slugs = [m["slug"] for m in client.get("/api/muscles").get_json()["muscles"]]
    yield {slug: client.get(f"/api/muscles/{slug}").get_json() for slug in slugs}
    db.dispose(app)


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
    detail = client.get(f"/treatments/{slug}.json").get_json()["components"]
    invasive = [c["detail"] for c in detail if c["kind"] in ("dry_needling", "ims", "chiropractic_adjustment")]
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
    from tests.conftest import csrf_token

    token = csrf_token(client, "/")
    assert client.post("/audience", data={"csrf_token": token, "audience": "wizard"}).status_code == 400
