"""What one client can cost the site: plans and choices of bounded size, one page in the making at a time,
expensive routes rate limited, Anki decks made once per build, and a page cache with one entry per page,
bounded in size and time, that is never needed to serve.

The flood itself, under gunicorn with two clients, is in tests/test_faults.py.
"""

import logging
import threading
import time

import pytest
from flask import Flask

from app import create_app
from plan import MAX_MUSCLES
from search import live
from search.bounds import MAX_PLACES
from study import cards
from web import ratelimit

OTHER_CLIENT = {"REMOTE_ADDR": "192.0.2.7"}


@pytest.fixture
def muscles(client) -> list[str]:
    return [m["slug"] for m in client.get("/api/muscles").get_json()["muscles"]]


def plan_of(muscles: list[str]) -> str:
    return "/plan.json?audience=practitioner&" + "&".join(f"muscle={m}" for m in muscles)


def test_a_plan_is_bounded(client, muscles):
    assert client.get(plan_of(muscles[:MAX_MUSCLES])).status_code == 200
    refused = client.get(plan_of(muscles[: MAX_MUSCLES + 1]))
    assert refused.status_code == 400
    assert f"at most {MAX_MUSCLES} muscles" in refused.get_json()["error"]
    points = client.get("/api/muscles/infraspinatus").get_json()["trigger_points"]
    both_sides = "&".join(f"point={p['slug']}:{side}" for p in points for side in ("left", "right"))
    assert client.get(f"/plan.json?{both_sides}").status_code == 200


def test_a_choice_of_places_is_bounded(client):
    regions = [r["id"] for r in client.get("/api/regions").get_json()["regions"]]
    query = "&".join(f"region={r}" for r in regions[: MAX_PLACES + 1])
    for url in (f"/api/locate?{query}", f"/locate?{query}", f"/plan?{query}"):
        assert client.get(url).status_code == 400, url
    assert client.get("/api/locate?" + "&".join(f"region={r}" for r in regions[:MAX_PLACES])).status_code == 200


def busy(app):
    """A render of the test client's in progress, as on another worker: the slot's key, to give back."""
    with app.test_request_context(environ_base={"REMOTE_ADDR": "127.0.0.1"}):
        return ratelimit.slots.claim()


def give_back(app, key: str) -> None:
    with app.test_request_context():
        ratelimit.slots.release(key)


def test_a_clients_next_page_waits_for_its_previous_one(app):
    key = busy(app)
    threading.Timer(0.5, give_back, (app, key)).start()
    started = time.monotonic()
    assert app.test_client().get("/muscles/masseter").status_code == 200
    assert time.monotonic() - started >= 0.5


def test_a_client_has_one_page_in_the_making_at_a_time(app, monkeypatch):
    """While a client's page is being made, its next one (not in the cache) waits its turn and is refused with
    Retry-After when that takes too long; another client is served, and so is the first client's cached page."""
    monkeypatch.setattr(ratelimit, "RENDER_WAIT_SECONDS", 0.3)
    client = app.test_client()
    assert client.get("/muscles/soleus").status_code == 200  # now in the page cache
    key = busy(app)
    try:
        refused = client.get("/muscles/masseter")
        assert refused.status_code == 429
        assert refused.headers["Retry-After"] == str(ratelimit.RENDER_RETRY_AFTER)
        assert client.get("/api/muscles/masseter").status_code == 429
        assert client.get("/muscles/soleus").status_code == 200
        assert app.test_client().get("/muscles/masseter", environ_base=OTHER_CLIENT).status_code == 200
    finally:
        give_back(app, key)
    assert client.get("/muscles/masseter").status_code == 200  # and every slot is given back
    assert client.get("/api/muscles/masseter").status_code == 200


def test_the_expensive_routes_are_rate_limited(app, client, muscles):
    app.config.update(PLAN_RATE_LIMIT="2 per minute", DECK_RATE_LIMIT="1 per minute")
    statuses = [client.get(plan_of(muscles[i : i + 3])).status_code for i in range(3)]
    assert statuses == [200, 200, 429]
    assert client.get("/quiz/cards.apkg?area=head").status_code == 200
    refused = client.get("/quiz/cards.apkg?area=head")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0


def test_an_anki_deck_is_made_once_per_build_and_area(client, monkeypatch):
    made = []
    package = cards.anki_package
    monkeypatch.setattr(cards, "anki_package", lambda bank, area: made.append(area) or package(bank, area))
    decks = [client.get(f"/quiz/cards.apkg?area={area}").data for area in ("head", "neck", "head", "neck")]
    assert made == ["head", "neck"]
    assert decks[0] == decks[2] and decks[0] != decks[1]


def page_cache(app: Flask):
    return app.extensions["page_cache"].store


def test_unknown_parameters_are_redirected_to_the_page_and_never_cached(app, client):
    assert client.get("/muscles/soleus").status_code == 200
    entries = len(page_cache(app).pages)
    for n in range(50):
        response = client.get(f"/muscles/soleus?utm_campaign={n}&audience=student")
        assert response.status_code == 301
        assert response.headers["Location"] == "/muscles/soleus?audience=student"
    response = client.get("/search?q=knee&fbclid=x&limit=5", base_url="http://localhost/atlas/")
    assert response.headers["Location"] == "/atlas/search?q=knee&limit=5"  # the page's own parameters, kept
    assert len(page_cache(app).pages) == entries
    # A page's parameters in another order are the same page.
    client.get("/search?q=knee&limit=5")
    entries = len(page_cache(app).pages)
    client.get("/search?limit=5&q=knee")
    assert len(page_cache(app).pages) == entries


def test_the_page_cache_keeps_the_most_recently_used_within_its_size(built):
    app = create_app(dict(built, CACHE_MAX_BYTES=150_000))
    try:
        client = app.test_client()
        client.get("/muscles/soleus")
        for n in range(30):
            client.get(f"/search?q=knee+{n}")
            client.get("/muscles/soleus")  # used all along: stays
        kept = page_cache(app).pages
        assert kept.currsize <= 150_000
        assert 1 < len(kept) < 31
        assert any("/muscles/soleus?" in key for key in kept)
        assert not any(key.endswith("q=knee+0") for key in kept)
    finally:
        live.dispose(app)


def test_page_cache_entries_expire(built, monkeypatch):
    app = create_app(dict(built, CACHE_DEFAULT_TIMEOUT=60))
    try:
        app.test_client().get("/muscles/soleus")
        pages = page_cache(app).pages
        assert len(pages) == 1
        pages.expire(pages.timer() + 61)
        assert len(pages) == 0
    finally:
        live.dispose(app)


def test_an_absent_redis_cache_costs_no_page(built, caplog):
    app = create_app(dict(built, CACHE_TYPE="RedisCache", CACHE_REDIS_URL="redis://127.0.0.1:1/0"))
    caplog.set_level(logging.WARNING)
    try:
        client = app.test_client()
        for url in ("/muscles/soleus", "/muscles/soleus", "/search?q=knee", "/regions.json"):
            assert client.get(url).status_code == 200, url
        failures = [r.getMessage() for r in caplog.records if "page cache" in r.getMessage()]
        assert len(failures) == 1 and "cannot be reached" in failures[0], failures
    finally:
        live.dispose(app)
