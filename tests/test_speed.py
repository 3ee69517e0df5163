"""What makes pages fast, checked by behaviour and counts, never by seconds: reference records made once per
build (SQL statements per page), the parts of pages drawn from them made once per build too, compression as the
client accepts it, static files kept a year under their hash, and pages revalidated by ETag."""

import gzip
import hashlib
import shutil
from pathlib import Path

import brotli
import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from app import create_app
from search import live
from tests.conftest import csrf_token

REFDATA = Path(__file__).parent.parent / "refdata"
# A muscle page whose record is not made yet: the muscle with its points, zones, hazards and citations (7), the
# muscles named as synergists and antagonists (1), its treatments and the single-approach ones (3), the warning
# signs' regions and flags (2).
MUSCLE_PAGE_QUERIES = 13


@pytest.fixture
def uncached(built):
    """An app that keeps no page, so every page is made afresh."""
    app = create_app(dict(built, CACHE_TYPE="NullCache"))
    yield app
    live.dispose(app)


class Statements:
    """Counts the SQL statements sent while it is open."""

    def __enter__(self):
        self.count = 0
        event.listen(Engine, "before_cursor_execute", self.counted)
        return self

    def counted(self, *args):
        self.count += 1

    def __exit__(self, *exc):
        event.remove(Engine, "before_cursor_execute", self.counted)


def test_a_muscle_record_is_made_once_per_build(uncached):
    client = uncached.test_client()
    assert client.get("/muscles/infraspinatus").status_code == 200  # what every page shares, made once per build
    with Statements() as first:
        assert client.get("/muscles/soleus").status_code == 200
    assert 0 < first.count <= MUSCLE_PAGE_QUERIES
    for url in ("/muscles/soleus", "/muscles/soleus?audience=practitioner", "/api/muscles/soleus"):
        with Statements() as again:
            assert client.get(url).status_code == 200
        assert again.count == 0, url


@pytest.mark.parametrize(
    "url", ["/trigger-points/infraspinatus-central", "/treatments/shoulder-pain-combined", "/regions/heel"]
)
def test_other_records_are_made_once_per_build(uncached, url):
    client = uncached.test_client()
    first = client.get(url)
    assert first.status_code == 200, url
    with Statements() as again:
        assert client.get(url).get_data() == first.get_data()
    assert again.count == 0, url


def test_a_rebuild_shows_its_own_maps_and_pictures(built, tmp_path):
    """The referral maps, self-care pictures and stretches a page keeps for its build are made again for the next."""
    folder = tmp_path / "refdata"
    shutil.copytree(REFDATA, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    config = dict(built, CACHE_TYPE="NullCache", REFDATA_DIR=str(folder), INDEX_DIR=str(tmp_path / "index"))
    if config["DATABASE_URL"].startswith("sqlite"):
        config["DATABASE_URL"] = f"sqlite:///{tmp_path / 'atlas.sqlite'}"
    app = create_app(config)
    try:
        client = app.test_client()
        for url in ("/muscles/soleus", "/trigger-points/soleus-tp1"):
            page = client.get(url).get_data(as_text=True)
            assert 'aria-label="Referral map of Soleus, Lower calf, inner side (TrP1)' in page, url
            assert "low in the calf; hold 30 seconds.</figcaption>" in page, url
        muscles = folder / "muscles" / "leg-foot.yaml"
        text = muscles.read_text()
        text = text.replace("name: Lower calf, inner side (TrP1)", "name: Lower calf, inner edge (TrP1)")
        muscles.write_text(text.replace("low in the calf; hold 30 seconds.", "low in the calf; hold 45 seconds."))
        assert app.test_cli_runner().invoke(args=["build"]).exit_code == 0
        for url in ("/muscles/soleus", "/trigger-points/soleus-tp1"):
            page = client.get(url).get_data(as_text=True)
            assert 'aria-label="Referral map of Soleus, Lower calf, inner edge (TrP1)' in page, url
            assert "low in the calf; hold 45 seconds.</figcaption>" in page, url
            assert "inner side (TrP1)" not in page and "low in the calf; hold 30 seconds." not in page, url
    finally:
        live.dispose(app)


@pytest.mark.parametrize(
    "url", ["/muscles/soleus", "/muscles/soleus.json", "/api/muscles/soleus", "/muscles/soleus.svg?side=left"]
)
@pytest.mark.parametrize("encoding", ["br", "gzip", None])
def test_compression_is_negotiated(client, url, encoding):
    plain = client.get(url).get_data()
    response = client.get(url, headers={"Accept-Encoding": encoding} if encoding else {})
    assert response.status_code == 200
    assert "Accept-Encoding" in response.headers["Vary"]
    assert response.headers.get("Content-Encoding") == encoding
    body = response.get_data()
    if encoding == "br":
        body = brotli.decompress(body)
    elif encoding == "gzip":
        body = gzip.decompress(body)
    assert body == plain
    assert len(response.get_data()) < len(plain) / 2 or encoding is None


def test_the_client_s_preference_wins(client):
    for accepted, chosen in (("gzip, br", "br"), ("br;q=0.5, gzip", "gzip"), ("identity", None), ("*;q=0", None)):
        response = client.get("/muscles/soleus", headers={"Accept-Encoding": accepted})
        assert response.headers.get("Content-Encoding") == chosen, accepted


@pytest.mark.parametrize("filename", ["style.css", "bodymap.js", "favicon.svg"])
def test_static_files_are_named_by_their_hash_and_kept_a_year(client, filename):
    html = client.get("/").get_data(as_text=True) + client.get("/locate").get_data(as_text=True)
    version = hashlib.sha256((Path(client.application.static_folder) / filename).read_bytes()).hexdigest()
    url = f"/static/{filename}?v={version[:12]}"
    assert url in html
    response = client.get(url, headers={"Accept-Encoding": "br"})
    assert response.status_code == 200
    assert response.cache_control.public and response.cache_control.immutable
    assert response.cache_control.max_age == 365 * 24 * 3600
    assert not response.cache_control.no_cache
    assert "Accept-Encoding" in response.headers["Vary"]
    for other in (f"/static/{filename}", f"/static/{filename}?v=0123456789ab"):
        with client.get(other) as unversioned:
            assert unversioned.status_code == 200 and not unversioned.cache_control.immutable


@pytest.mark.parametrize("encoding", [None, "gzip", "br"])
def test_a_revisit_costs_a_304(client, encoding):
    headers = {"Accept-Encoding": encoding} if encoding else {}
    first = client.get("/muscles/soleus", headers=headers)
    etag = first.headers["ETag"]
    assert first.cache_control.no_cache
    again = client.get("/muscles/soleus", headers=headers | {"If-None-Match": etag})
    assert again.status_code == 304 and not again.get_data()
    assert again.headers["ETag"] == etag
    assert "Set-Cookie" not in again.headers


def test_etags_differ_where_the_body_differs(client):
    def etag(url, headers=None):
        return client.get(url, headers=headers or {}).headers["ETag"]

    patient = etag("/muscles/soleus")
    assert patient == etag("/muscles/soleus")
    assert patient != etag("/muscles/soleus?audience=practitioner")
    assert patient != etag("/muscles/soleus.json")
    assert patient != etag("/muscles/infraspinatus")
    assert etag("/regions/chest", {"Accept-Language": "en-GB"}) != etag("/regions/chest", {"Accept-Language": "en-US"})
    client.set_cookie("audience", "student")
    assert patient != etag("/muscles/soleus")
    assert client.get("/muscles/soleus", headers={"If-None-Match": patient}).status_code == 200


def test_a_visitor_s_own_token_is_never_revalidated(client):
    token = csrf_token(client, "/muscles/soleus")
    page = client.get("/muscles/soleus")
    assert token and "ETag" not in page.headers
    assert client.get("/muscles/soleus", headers={"If-None-Match": "*"}).status_code == 200


def test_reading_a_compressed_page_sets_no_cookie(client):
    for url in ("/", "/muscles/soleus", "/static/style.css"):
        with client.get(url, headers={"Accept-Encoding": "br, gzip"}) as response:
            assert "Set-Cookie" not in response.headers, url
