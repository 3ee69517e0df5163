"""Reporting a correction: stored, rate limited, never shown to others, handled from the CLI."""

import re

from app import create_app
from search import live
from tests.conftest import csrf_token


def report(client, message="The insertion given here is wrong.", page="/muscles/masseter"):
    token = csrf_token(client, page)
    return client.post("/corrections", data={"csrf_token": token, "page": page, "message": message})


def test_every_muscle_and_trigger_point_page_has_the_form(client):
    for url in ("/muscles/masseter", "/trigger-points/masseter-superficial-upper"):
        html = client.get(url).get_data(as_text=True)
        assert 'action="/corrections"' in html, url


def test_a_page_served_from_the_cache_carries_each_visitors_own_token(app):
    for page in ("/muscles/soleus", "/trigger-points/masseter-superficial-upper"):
        app.test_client().get(page)  # a first visitor: the page is made and kept
        assert report(app.test_client(), page=page).status_code == 302  # a second visitor reports from the copy


def test_a_form_made_once_names_its_own_page_and_each_visitors_token(built):
    """With no page cache, the form is still made once per page and build: each page's form names that page,
    and each visitor's form carries their own token."""
    app = create_app(dict(built, CACHE_TYPE="NullCache"))
    try:
        pages = ("/muscles/soleus", "/muscles/masseter", "/trigger-points/masseter-superficial-upper")
        visitors = [app.test_client(), app.test_client()]
        # A token is the visitor's secret, signed with the time: the secret (before the first dot) is theirs.
        secrets = [csrf_token(visitor, "/muscles/soleus").split(".")[0] for visitor in visitors]
        assert secrets[0] != secrets[1]
        for page in pages * 2:
            for visitor, secret in zip(visitors, secrets, strict=True):
                html = visitor.get(page).get_data(as_text=True)
                assert f'name="csrf_token" value="{secret}.' in html, page
                assert f'name="page" type="hidden" value="{page}"' in html, page
        assert all(report(visitors[1], page=page).status_code == 302 for page in pages)
    finally:
        live.dispose(app)


def test_report_is_stored_and_listed_for_editors(client, runner):
    response = report(client, "The <script>alert(1)</script> insertion is wrong.")
    assert response.status_code == 302
    assert "Thank you" in client.get(response.headers["Location"]).get_data(as_text=True)
    listed = runner.invoke(args=["corrections", "list"])
    assert "/muscles/masseter" in listed.output and "insertion is wrong" in listed.output
    # Other visitors never see what was submitted.
    assert "alert(1)" not in client.get("/muscles/masseter").get_data(as_text=True)


def test_resolve_closes_a_report(client, runner):
    report(client)
    number = runner.invoke(args=["corrections", "list"]).output.split()[0].lstrip("#")
    assert runner.invoke(args=["corrections", "resolve", number]).exit_code == 0
    assert "No open corrections" in runner.invoke(args=["corrections", "list"]).output
    assert "resolved" in runner.invoke(args=["corrections", "list", "--all"]).output
    assert runner.invoke(args=["corrections", "resolve", "99999"]).exit_code != 0


def test_short_or_huge_reports_are_refused(client):
    assert report(client, "short").status_code == 400
    assert report(client, "x" * 2001).status_code == 400


def test_a_first_report_is_confirmed_once_then_stored(client, runner):
    form = {"page": "/muscles/masseter", "message": "The insertion given here is wrong."}
    page = client.get("/muscles/masseter")
    assert "Set-Cookie" not in page.headers and 'name="csrf_token" value=""' in page.text
    asked = client.post("/corrections", data=form | {"csrf_token": ""})
    assert asked.status_code == 200 and "Confirm and send" in asked.text
    assert "No open corrections" in runner.invoke(args=["corrections", "list"]).output  # nothing stored yet
    confirmation = asked.text.split('<form method="post"')[1]
    confirmed = dict(re.findall(r'name="([a-z_]+)" value="([^"]*)"', confirmation))
    assert confirmed["message"] == form["message"]
    assert client.post("/corrections", data=confirmed).status_code == 302
    assert form["message"] in runner.invoke(args=["corrections", "list"]).output
    # From now on this visitor's pages carry their token: one step.
    assert report(client, "Another mistake, in the nerve supply.").status_code == 302


def test_reports_are_rate_limited(client):
    statuses = [report(client).status_code for _ in range(7)]
    assert statuses[:5] == [302] * 5
    assert statuses[-1] == 429
