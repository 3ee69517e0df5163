"""Every page and its JSON twin, the API shapes, and bad input."""

import re
from xml.etree import ElementTree

import pytest

from search.query import MAX_QUERY_LENGTH

SVG = "{http://www.w3.org/2000/svg}"

PAGES = [
    "/",
    "/search?q=masseter",
    "/locate",
    "/locate?region=knee-back:left&region=calf:left",
    "/muscles",
    "/muscles?area=leg-foot",
    "/muscles/infraspinatus",
    "/trigger-points/infraspinatus-central",
    "/regions",
    "/regions/heel",
    "/treatments",
    "/safety",
    "/plan",
    "/quiz?seed=1",
    "/quiz/cards",
    "/about",
]


def json_twin(url: str) -> str:
    path, _, query = url.partition("?")
    path = "/index" if path == "/" else path
    return f"{path}.json" + (f"?{query}" if query else "")


@pytest.mark.parametrize("url", PAGES)
def test_page_and_json_twin(client, url):
    page = client.get(url)
    assert page.status_code == 200, url
    assert "text/html" in page.content_type
    assert 'lang="en"' in page.get_data(as_text=True)
    twin = client.get(json_twin(url))
    assert twin.status_code == 200, json_twin(url)
    assert twin.is_json


def test_safety_page_lists_both_screens(client):
    client.set_cookie("audience", "practitioner")
    html = client.get("/safety").get_data(as_text=True)
    assert "Dry needling and IMS: contraindication screen" in html
    assert "Spinal manipulation: contraindication screen" in html
    assert "dissection" in html.lower()


def test_treatment_page(client):
    slug = client.get("/api/treatments").get_json()["treatments"][0]["slug"]
    assert client.get(f"/treatments/{slug}").status_code == 200
    assert client.get(f"/treatments/{slug}.json").get_json()["slug"] == slug


def test_links_are_made_under_the_site_root_the_request_came_through(client):
    mounted = client.get("/search?q=soleus", base_url="http://localhost/atlas/").text
    assert 'href="/atlas/muscles/soleus"' in mounted
    assert 'href="/atlas/muscles"' in mounted
    at_root = client.get("/search?q=soleus").text
    assert 'href="/muscles/soleus"' in at_root
    assert "/atlas/" not in at_root


@pytest.mark.parametrize(
    "url",
    [
        "/muscles/no-such-muscle",
        "/muscles/no-such-muscle.json",
        "/regions/nowhere",
        "/trigger-points/nope",
        "/treatments/nope",
        "/no/such/page",
    ],
)
def test_unknown_pages_are_404(client, url):
    assert client.get(url).status_code == 404


def test_unknown_api_record_is_404_json(client):
    response = client.get("/api/muscles/no-such-muscle")
    assert response.status_code == 404
    assert "error" in response.get_json()


def test_footer_names_sources_and_licence(client):
    html = client.get("/").get_data(as_text=True)
    assert "Travell &amp; Simons" in html
    assert "CC BY 4.0" in html


def test_search_api_shape(client):
    body = client.get("/api/search?q=masseter&limit=5").get_json()
    assert set(body) >= {"query", "total", "suggestion", "results"}
    assert body["query"] == "masseter"
    assert 0 < len(body["results"]) <= 5
    first = body["results"][0]
    assert set(first) >= {"kind", "slug", "title", "url", "snippet"}
    assert first["kind"] == "muscle" and first["slug"] == "masseter"
    assert first["muscle"] == {"slug": "masseter", "name": "Masseter"}
    for result in body["results"]:
        if result["kind"] in ("muscle", "trigger_point"):
            assert set(result["muscle"]) == {"slug", "name"}


def test_locate_api_shape(client):
    body = client.get("/api/locate?region=knee-back&region=calf&side=left&limit=10").get_json()
    assert [r["id"] for r in body["regions"]] == ["knee-back", "calf"]
    assert all(set(r) >= {"id", "name"} for r in body["regions"])
    assert all(set(f) >= {"id", "title", "urgency", "advice"} for f in body["red_flags"])
    assert body["results"]
    for result in body["results"]:
        assert set(result) >= {"muscle", "score", "matches"}
        assert set(result["muscle"]) >= {"slug", "name"}
        for match in result["matches"]:
            assert set(match) >= {"trigger_point", "region", "zone"}
            assert match["zone"] in ("essential", "spillover", "local")  # local: the point lies there itself
    scores = [r["score"] for r in body["results"]]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize(
    "url", ["/api/locate", "/api/locate?region=elbowz", "/api/locate?region=calf&side=middle", "/api/locate?q="]
)
def test_locate_api_refuses_bad_requests(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "error" in response.get_json()


def test_regions_api_shape(client):
    regions = client.get("/api/regions").get_json()["regions"]
    assert len(regions) >= 60
    assert all(set(r) >= {"id", "name", "view", "parent", "synonyms"} for r in regions)
    knee_back = next(r for r in regions if r["id"] == "knee-back")
    assert knee_back["view"] == "back" and knee_back["parent"] == "knee"
    assert "back of knee" in knee_back["synonyms"]


def test_muscles_api_shape(client):
    muscles = client.get("/api/muscles").get_json()["muscles"]
    assert len(muscles) >= 150
    assert all(set(m) == {"kind", "slug", "name", "url"} for m in muscles)
    record = client.get("/api/muscles/infraspinatus").get_json()
    assert set(record) >= {"slug", "name", "trigger_points", "treatments", "hazards", "sources"}
    point = record["trigger_points"][0]
    assert set(point) >= {"slug", "name", "location", "referral", "symptoms"}
    assert "shoulder-front" in point["referral"]["essential"]
    assert record["hazards"] and record["sources"]


def test_treatments_api_shape(client):
    treatments = client.get("/api/treatments").get_json()["treatments"]
    assert len(treatments) >= 10
    for t in treatments:
        assert set(t) >= {"slug", "name", "components", "muscles", "evidence", "sources", "contraindications"}
        assert set(t["evidence"]) >= {"level", "summary"}
        assert all(set(c) >= {"kind", "detail"} for c in t["components"])


def test_openapi_document_describes_the_api(client):
    doc = client.get("/api/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    assert {
        "/api/search",
        "/api/locate",
        "/api/regions",
        "/api/muscles",
        "/api/muscles/{slug}",
        "/api/treatments",
    } <= set(doc["paths"])
    schemas = doc["components"]["schemas"]
    assert {"raised_by", "matched"} <= set(schemas["RedFlag"]["properties"])
    for answer in ("Search", "Locate"):
        assert {"red_flags", "more_red_flags", "emergency_line"} <= set(schemas[answer]["properties"])
    assert "practitioner record" in doc["paths"]["/api/muscles/{slug}"]["get"]["description"]


@pytest.mark.parametrize(
    "q",
    [
        "AND OR (",
        '"unclosed',
        "title:",
        "\x00\x07bell",
        "<script>alert(1)</script>",
        "masseter~~~^^^",
        "*",
        "a" * 200,
        "ü ñ 漢字",
        "((((((((",
        "muscle/upper*",
    ],
)
def test_odd_queries_never_fail(client, q):
    for url in ("/api/search", "/search", "/api/locate"):
        response = client.get(url, query_string={"q": q})
        assert response.status_code in (200, 400), (url, q)
        assert "<script>alert(1)</script>" not in response.get_data(as_text=True)


@pytest.mark.parametrize("q", ["", "   ", "a" * (MAX_QUERY_LENGTH + 1)])
def test_empty_or_huge_query_is_refused(client, q):
    response = client.get("/api/search", query_string={"q": q})
    assert response.status_code == 400
    assert response.get_json()["error"]
    page = client.get("/search", query_string={"q": q})
    assert page.status_code == 400


def test_script_in_query_is_escaped_on_the_page(client):
    html = client.get("/search", query_string={"q": "<script>alert(1)</script> knee"}).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_bad_limit_is_refused(client):
    assert client.get("/api/search?q=knee&limit=lots").status_code == 400


def test_security_headers(client):
    headers = client.get("/").headers
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_audience_switch_is_remembered(client):
    response = client.get(
        "/audience",
        query_string={"audience": "practitioner", "next": "/muscles/infraspinatus"},
        headers={"Sec-Fetch-Site": "same-origin"},
    )
    assert response.status_code == 302
    html = client.get("/muscles/infraspinatus").get_data(as_text=True)
    assert "Needling hazards" in html


def test_an_audience_switch_started_on_another_site_is_refused(client):
    response = client.get(
        "/audience", query_string={"audience": "practitioner"}, headers={"Sec-Fetch-Site": "cross-site"}
    )
    assert response.status_code == 403
    assert "Needling hazards" not in client.get("/muscles/infraspinatus").get_data(as_text=True)


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/search?q=pain behind my knee",
        "/locate?region=calf",
        "/muscles",
        "/muscles/soleus",
        "/trigger-points/infraspinatus-central",
        "/quiz?seed=1",
        "/quiz?seed=1&check=1&q0=x",
        "/plan?muscle=soleus&component=stretch",
    ],
)
def test_reading_pages_set_no_cookie(client, url):
    for _ in range(2):  # made, then from the page cache
        assert "Set-Cookie" not in client.get(url).headers


def test_patient_view_hides_needling(client):
    html = client.get("/muscles/upper-trapezius").get_data(as_text=True)
    assert "Needling hazards" not in html
    assert "Published figure" not in html


@pytest.mark.parametrize("url", ["/corrections", "/plan/save", "/quiz?seed=1"])
def test_post_forms_refuse_requests_without_csrf_token(client, url):
    form = {"audience": "practitioner", "page": "/", "message": "x" * 20, "query": "a=b"}
    first = client.post(url, data=form)  # a visitor without a session (no page set one): asked to confirm
    assert first.status_code == 200
    assert "Confirm and send" in first.text and 'name="message" value="xxxxxxxx' in first.text
    again = client.post(url, data=form)  # with a session now, and still no token: refused
    assert again.status_code == 400
    assert "CSRF" in again.get_data(as_text=True)


def test_a_borrowed_or_doubtful_referral_map_says_so(client):
    page = client.get("/muscles/superior-gemellus").get_data(as_text=True)
    assert "About this map:" in page and "piriformis" in page
    point = client.get("/api/muscles/superior-oblique").get_json()["trigger_points"][0]
    assert "palpation study" in point["referral_note"]
    assert client.get("/api/muscles/soleus").get_json()["trigger_points"][0]["referral_note"] is None


def test_a_thin_region_explains_itself(client):
    body = client.get("/regions/armpit.json").get_json()
    referring = [r for r in body["results"] if any(m["zone"] != "local" for m in r["matches"])]
    assert len(referring) < 3  # muscles whose points lie in the armpit are listed too, for local pain
    assert body["region"]["note"] and body["region"]["sources"]
    page = client.get("/regions/armpit").get_data(as_text=True)
    assert page.index("Check these warning signs first") < page.index("Why so few muscles are listed here")
    assert client.get("/regions/calf.json").get_json()["region"]["note"] is None


def test_the_site_icon_is_served(client):
    with client.get("/favicon.ico") as response:
        assert response.status_code == 200
        assert response.mimetype == "image/svg+xml"
    assert 'rel="icon"' in client.get("/").get_data(as_text=True)


def test_the_home_page_opens_with_the_body_map(client):
    html = client.get("/").get_data(as_text=True)
    assert html.index('class="map-area"') < html.index("Browse by body area")
    assert 'action="/locate"' in html and 'class="show-muscles"' in html
    assert '<details class="region-list">' in html  # the no-JavaScript checkbox list, folded below the map
    assert 'value="calf:left"' in html
    assert "not diagnostic tests" in html


def test_a_trigger_point_map_is_a_standalone_image(client):
    with client.get("/trigger-points/upper-trapezius-anterior.svg") as response:
        assert response.status_code == 200
        assert response.mimetype == "image/svg+xml"
        svg = response.get_data(as_text=True)
    root = ElementTree.fromstring(svg)
    assert root.tag == SVG + "svg"
    assert "Upper trapezius" in root.find(SVG + "title").text
    desc = root.find(SVG + "desc").text
    assert "Temple" in desc and "not a diagnostic test" in desc
    assert 'class="zone zone-essential"' in svg and 'class="zone zone-spillover"' in svg
    assert 'class="trigger-point-mark"' in svg
    assert client.get("/trigger-points/nope.svg").status_code == 404


def test_the_body_figure_api(client):
    body = client.get("/api/bodymap").get_json()
    assert {"front", "back", "head", "arms", "knees", "hand-palm", "hand-back", "foot-top", "foot-sole"} <= set(
        body["views"]
    )
    for view in body["views"].values():
        assert {"viewBox", "outline", "regions"} <= set(view)
        for key, shape in view["regions"].items():
            assert key == (f"{shape['region']}:{shape['side']}" if shape["side"] else shape["region"])
            assert shape["path"].startswith("M")
    site = body["sites"]["masseter-deep"]
    assert site["view"] in body["views"]
    paths = client.get("/api/openapi.json").get_json()["paths"]
    assert {"/api/bodymap", "/trigger-points/{slug}.svg"} <= set(paths)


def test_each_located_muscle_shows_its_whole_pattern_with_the_choice_outlined(client):
    html = client.get("/locate?region=knee-back:left").get_data(as_text=True)
    results = html.split('<li class="ranked-item">')[1:]
    minimus = next(r for r in results if ">Gluteus minimus</a>" in r)
    image = re.search(r'<img class="thumbnail" src="([^"]+)"[^>]* alt="([^"]+)"', minimus)
    assert "Buttock" in image.group(2)  # part of its pattern, though not chosen
    svg = client.get(image.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert "Buttock" in svg and 'class="chosen"' in svg  # the place chosen, outlined on top
    assert "not tests that prove where pain comes from" in html
