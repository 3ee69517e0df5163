"""The practitioner's session plan and its patient handout."""

import re

from tests.conftest import csrf_token

PLAN = (
    "/plan?muscle=upper-trapezius&point=upper-trapezius-anterior"
    "&component=dry_needling&component=chiropractic_adjustment&component=stretch"
)


def test_plan_from_regions_offers_ranked_muscles(client):
    body = client.get("/plan.json?region=neck-back&component=dry_needling").get_json()
    slugs = [m["slug"] for m in body["candidates"]]
    assert "upper-trapezius" in slugs
    assert all(m["points"] for m in body["candidates"])


def test_plan_lists_points_segments_hazards_and_checklist(client):
    client.set_cookie("audience", "practitioner")
    body = client.get(PLAN.replace("/plan?", "/plan.json?")).get_json()
    assert [p["slug"] for p in body["points"]] == ["upper-trapezius-anterior"]
    assert body["segments"] == ["C3", "C4"]
    assert any(h["kind"] == "pneumothorax" for h in body["hazards"])
    assert any("both sides of the thorax" in item for item in body["checklist"])
    assert body["after_care"]["urgency"] == "emergency"


def test_absolute_contraindication_blocks_needling(client):
    body = client.get((PLAN + "&yes=needle-phobia").replace("/plan?", "/plan.json?")).get_json()
    assert body["screen"]["blocked"] == ["dry_needling"]
    html = client.get(PLAN + "&yes=needle-phobia", headers={"Cookie": "audience=practitioner"}).get_data(as_text=True)
    assert "Do not use" in html


def test_printable_plan_and_json_export(client):
    client.set_cookie("audience", "practitioner")
    html = client.get(PLAN).get_data(as_text=True)
    assert "Needling hazards" in html and "Checklist" in html
    assert "/plan.json?" in html and "/plan/handout?" in html


def test_handout_has_self_care_and_warning_signs_but_no_technique(client):
    body = client.get(PLAN.replace("/plan?", "/plan/handout.json?")).get_json()
    assert body["self_care"] and body["after_care"]["signs"]
    html = client.get(PLAN.replace("/plan?", "/plan/handout?")).get_data(as_text=True).lower()
    for word in ("depth", "needle", "pincer", "palpat", "pneumothorax"):
        assert word not in re.sub(r"<[^>]+>", " ", html).replace("after a treatment", ""), word


def test_saved_plan_link_reopens_the_plan(client):
    client.set_cookie("audience", "practitioner")
    token = csrf_token(client, PLAN)
    query = PLAN.split("?", 1)[1]
    response = client.post("/plan/save", data={"csrf_token": token, "query": query})
    assert response.status_code == 302
    saved = response.headers["Location"]
    assert re.fullmatch(r"/plan/saved/[A-Za-z0-9_-]{20,}", saved)
    assert client.get(saved).headers["Location"].endswith(query)
    assert client.get("/plan/saved/guess").status_code == 404


def test_saving_needs_the_csrf_token(client):
    assert client.post("/plan/save", data={"query": "muscle=masseter"}).status_code == 400
