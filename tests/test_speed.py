"""What makes pages fast, checked by behaviour and counts, never by seconds: reference records made once per
build (SQL statements per page), compression as the client accepts it, static files kept a year under their
hash, and pages revalidated by ETag."""

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from app import create_app
from search import live

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
