"""Limits on every visitor write, safe redirects, API errors as JSON, and the security headers."""

import pytest

from app import create_app
from refdata import models
from search import live
from tests.conftest import csrf_token
from web import ratelimit

FOREIGN = ["//other.host/x", "/\\other.host/x", "/\t/other.host", "https://other.host/", "/ok\r\nSet-Cookie: x=1"]


def correction(client, page="/muscles/masseter"):
    token = csrf_token(client, "/muscles/masseter")
    return client.post(
        "/corrections", data={"csrf_token": token, "page": page, "message": "The insertion given here is wrong."}
    )


def save(client, query="muscle=soleus&component=stretch"):
    token = csrf_token(client, "/plan?muscle=soleus&component=stretch")
    return client.post("/plan/save", data={"csrf_token": token, "query": query})


@pytest.mark.parametrize("target", FOREIGN)
def test_audience_switch_never_leaves_the_site(client, target):
    response = client.get("/audience", query_string={"audience": "student", "next": target})
    # A control character is refused at the edge, before any view; other foreign targets go home instead.
    assert response.status_code == (400 if any(ch in target for ch in "\t\r\n") else 302)
    assert response.headers.get("Location", "/") == "/"


@pytest.mark.parametrize("target", FOREIGN)
def test_corrections_refuse_a_page_off_the_site(client, target):
    assert correction(client, target).status_code == 400


def test_saved_plans_are_validated(client):
    response = save(client)
    assert response.status_code == 302
    assert client.get(response.headers["Location"]).headers["Location"].endswith("?muscle=soleus&component=stretch")
    for query in ("muscle=soleus\r\nX: y", "next=//other.host", "", "muscle=soleus&evil=1"):
        assert save(client, query).status_code == 400, query


def test_an_old_saved_plan_with_a_newline_still_opens(app, client):
    with live.new_session(app) as session, session.begin():
        session.add(models.SavedPlan(token="old", query="muscle=soleus\nX-Evil: 1"))
    response = client.get("/plan/saved/old")
    assert response.status_code == 302
    assert "\n" not in response.headers["Location"]


@pytest.mark.parametrize(
    ("send", "limit"),
    [(correction, 5), (save, 10)],
)
def test_visitor_writes_are_limited_with_retry_after(client, send, limit):
    statuses = [send(client).status_code for _ in range(limit + 1)]
    assert statuses[:limit] == [302] * limit
    refused = send(client)
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0


def test_quiz_answers_are_limited_and_reading_is_not(app, client):
    """Limits count what is made: a quiz checked before comes from the page cache, uncounted."""
    app.config["QUIZ_RATE_LIMIT"] = "2 per minute"
    for seed in range(4):
        assert client.get(f"/quiz?seed={seed}").status_code == 200
    statuses = [client.get(f"/quiz?seed={seed}&check=1").status_code for seed in range(3)]
    assert statuses == [200, 200, 429]
    assert client.get("/quiz?seed=0&check=1").status_code == 200


def test_the_default_limit_store_is_shared_by_every_worker(built, tmp_path):
    """Two apps on one store stand for two gunicorn workers: the limit counts across both."""
    config = dict(built, RATELIMIT_STORAGE_URI=ratelimit.default_uri(str(tmp_path)))
    workers = [create_app(config), create_app(config)]
    try:
        clients = [w.test_client() for w in workers]
        statuses = [correction(clients[i % 2]).status_code for i in range(7)]
    finally:
        for worker in workers:
            live.dispose(worker)
    assert statuses.count(302) == 5
    assert statuses[-1] == 429


@pytest.mark.parametrize("url", ["/api/nope", "/api/muscles/nope"])
def test_api_404_is_json(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response.is_json and response.get_json()["error"]


def test_api_405_is_json_with_allow(client):
    response = client.post("/api/search?q=knee")
    assert response.status_code == 405
    assert response.is_json and response.get_json()["error"]
    assert set(response.headers["Allow"].split(", ")) >= {"GET"}


def test_over_long_urls_get_414(client):
    response = client.get("/api/search", query_string={"q": "knee", "x": "y" * 5000})
    assert response.status_code == 414
    assert response.is_json  # under gunicorn, a request line too long to read as well: tests/test_faults.py


def test_content_security_policy_forbids_framing_and_foreign_forms(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    for directive in ("frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'"):
        assert directive in policy


def session_cookie(response) -> str:
    return next(v for v in response.headers.getlist("Set-Cookie") if v.startswith("session="))


def test_the_session_cookie_is_secure_over_https_only(app):
    """The session starts with a visitor's first form sent (answered by a confirmation): no page starts one."""
    assert "Secure" in session_cookie(app.test_client().post("/corrections", base_url="https://localhost"))
    assert "Secure" not in session_cookie(app.test_client().post("/corrections"))


def test_behind_a_trusted_proxy_https_comes_from_x_forwarded_proto(built):
    app = create_app(dict(built, PROXY_FIX=1))
    try:
        response = app.test_client().post("/corrections", headers={"X-Forwarded-Proto": "https"})
        assert "Secure" in session_cookie(response)
    finally:
        live.dispose(app)


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/muscles/%00", 404),
        ("/muscles/%00", 404),
        ("/trigger-points/%00.svg", 404),
        ("/muscles/soleus%1b", 404),
        ("/plan?point=%00", 400),
        ("/api/search?q=knee%00", 400),
        ("/search?q=%1b[31m", 400),
    ],
)
def test_control_characters_are_refused_at_the_edge(client, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert response.is_json == url.startswith("/api/")


def test_a_correction_with_control_characters_is_refused_with_a_clear_message(client, runner):
    token = csrf_token(client, "/muscles/masseter")
    form = {"csrf_token": token, "page": "/muscles/masseter", "message": "The nerve \x00 is wrong\x1b[2J here."}
    refused = client.post("/corrections", data=form)
    assert refused.status_code == 400
    assert "control character" in refused.text and "please remove it" in refused.text
    assert "No open corrections" in runner.invoke(args=["corrections", "list"]).output
    sent = client.post("/corrections", data=form | {"message": "The nerve is wrong here.\r\nSee line two.\tTab."})
    assert sent.status_code == 302  # line breaks and tabs are text


def test_the_editors_terminal_gets_visitor_text_escaped(app, runner):
    with live.new_session(app) as session, session.begin():
        session.add(models.Correction(page="/muscles/soleus", message="Look\x1b]0;owned\x07 at\u202eevil\nline two"))
    listed = runner.invoke(args=["corrections", "list"]).output
    assert "\x1b" not in listed and "\x07" not in listed and "\u202e" not in listed
    assert "Look\\x1b]0;owned\\x07 at\\u202eevil\n    line two" in listed


def test_no_redirect_names_a_foreign_host(client):
    foreign = client.get("/muscles//soleus", headers={"Host": "evil.example"})
    assert foreign.status_code == 400
    assert "evil.example" not in foreign.headers.get("Location", "")
    merged = client.get("/muscles//soleus")  # Werkzeug merges the slashes, on the site's own host
    assert merged.status_code in (301, 308)
    assert merged.headers["Location"] in ("http://localhost/muscles/soleus", "/muscles/soleus")


def test_trusted_hosts_are_configurable(built):
    app = create_app(dict(built, TRUSTED_HOSTS=["atlas.example.org"]))
    try:
        assert app.test_client().get("/about", headers={"Host": "atlas.example.org"}).status_code == 200
        assert app.test_client().get("/about").status_code == 400  # localhost is not trusted now
    finally:
        live.dispose(app)
