"""What one client can cost the site: a page cache with one entry per page, bounded in size and time, that is
never needed to serve.
"""

import logging

from flask import Flask

from app import create_app
from search import live


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
        assert len(failures) == 1 and "pages are made without it" in failures[0], failures
    finally:
        live.dispose(app)
