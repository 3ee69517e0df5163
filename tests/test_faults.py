"""Faults, for real: the site under gunicorn (the project's settings) on a PostgreSQL and a Redis of its own,
which these tests stop, hang, fill and restart, and whose workers they kill. Each case ends with the site
serving again without restarting it (the same gunicorn master throughout).

Runs in CI's PostgreSQL pass (TEST_DATABASE_URL set to PostgreSQL); needs PostgreSQL's server binaries
(/usr/lib/postgresql/*/bin) and redis-server, and is skipped, with the reason, where they are missing.
"""

from __future__ import annotations

import itertools
import json
import os
import secrets
import socket
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from refdata.db import RECHECK_SECONDS
from tests import sites
from tests.sites import Postgres
from tests.sites import Redis
from tests.sites import Site
from tests.sites import Visitor
from tests.sites import wait_for

DATABASE = os.environ.get("TEST_DATABASE_URL", "")
RECOVERY_SECONDS = 60  # the site serves again within this long after the fault is gone
CACHED = "/muscles/soleus"  # pages the tests read once before the fault, so they are in the page cache
CACHED_API = "/regions.json"
MUSCLES = itertools.cycle(["soleus", "masseter", "gracilis", "infraspinatus", "supinator", "temporalis"])
FLOOD_CONNECTIONS = 4
FLOOD_ROUNDS = 3
FLOOD_SPELL_SECONDS = 2  # the other visitor's requests in each quiet and each flooded spell
SLOWER_AT_MOST = 2  # the other visitor's p95 while flooded, as a multiple of its p95 in the quiet...
QUIET_FLOOR = 0.010  # ...taken as 10 ms at least: below that a p95 measures the machine's scheduler, not the site

pytestmark = [
    pytest.mark.skipif(not DATABASE.startswith("postgres"), reason="the fault suite runs in the PostgreSQL pass"),
    pytest.mark.skipif(bool(sites.postgres_missing()), reason=sites.postgres_missing() or ""),
    pytest.mark.skipif(bool(sites.redis_missing()), reason=sites.redis_missing() or ""),
]


@pytest.fixture(scope="module")
def postgres():
    server = Postgres()
    server.start()
    yield server
    server.close()


@pytest.fixture(scope="module")
def redis():
    server = Redis()
    server.start()
    yield server
    server.close()


@pytest.fixture(scope="module")
def site(postgres, redis, tmp_path_factory):
    """Two workers on our PostgreSQL, with the page cache and the rate limits in our Redis."""
    folder = tmp_path_factory.mktemp("faults")
    served = Site(
        {
            "DATABASE_URL": postgres.url,
            "INDEX_DIR": str(folder / "index"),
            "SECRET_KEY": secrets.token_hex(16),
            "RATELIMIT_STORAGE_URI": redis.url(2),
            "ATLAS_CACHE_TYPE": "RedisCache",
            "ATLAS_CACHE_REDIS_URL": redis.url(1),
        }
    )
    served.start()
    yield served
    served.stop()


@pytest.fixture
def healthy(site, postgres, redis):
    """The site as each test finds it: serving answers from the database on every worker, its cached pages read
    once; afterwards, whatever the test did, every server is answering again (for the next test)."""
    recovered(site)
    for path in (CACHED, CACHED_API):
        assert site.get(path).status == 200
    master = site.process.pid
    yield site
    redis.empty()
    if redis.process.poll() is not None:
        redis.start()
    try:
        postgres.resume()
    except FileNotFoundError:  # stopped: no postmaster.pid
        postgres.start()
    assert site.process.pid == master


def recovered(site: Site) -> None:
    """Wait until answers from the database have been right for longer than a worker that found it unreachable
    refuses at once (``RECHECK_SECONDS``), so every worker serves them again."""
    right_since = []

    def steady() -> bool:
        if not site.serving(from_database()):
            right_since.clear()
            return False
        right_since[:] = right_since or [time.monotonic()]
        return time.monotonic() - right_since[0] > RECHECK_SECONDS + 1

    wait_for("every worker to serve the database's answers", steady, RECOVERY_SECONDS)


def uncached() -> str:
    """A page nobody asked for before (a search is cached by its words); it needs no database."""
    return f"/search?q=knee+{secrets.token_hex(3)}"


def from_database() -> str:
    """An answer read from the database on every request: a list (the API is never cached, while one muscle's
    record, once made, is kept for the build and served without the database)."""
    return "/api/muscles"


def corrections(postgres: Postgres) -> str:
    """Every correction's message, as the database holds them."""
    done = subprocess.run(
        ["psql", postgres.url, "-Atc", "SELECT message FROM correction"], capture_output=True, text=True, timeout=30
    )
    return done.stdout


def assert_unavailable(answer) -> None:
    assert answer.status == 503, answer
    assert int(answer.headers["Retry-After"]) > 0


def test_database_stopped_then_back(healthy, postgres):
    postgres.stop()
    assert healthy.get(CACHED).status == 200
    assert healthy.get(CACHED_API).status == 200
    assert_unavailable(healthy.get(from_database()))
    message = f"Stopped database report {secrets.token_hex(4)}."
    assert_unavailable(Visitor(healthy.base).correction(message))
    postgres.start()
    recovered(healthy)
    later = f"Report after the restart {secrets.token_hex(4)}."
    assert Visitor(healthy.base).correction(later).status == 302
    assert later in corrections(postgres)


def test_database_hung_then_back(healthy, postgres):
    postgres.hang()
    cached = healthy.get(CACHED, timeout=10)
    assert cached.status == 200, cached
    for _ in range(3):
        assert_unavailable(healthy.get(from_database(), timeout=10))
    assert healthy.get(CACHED, timeout=10).status == 200
    postgres.resume()
    recovered(healthy)


def test_database_restart_costs_no_request(healthy, postgres):
    for _ in range(6):  # both workers hold pooled connections
        assert healthy.get(from_database()).status == 200
    postgres.restart()
    answers = [healthy.get(from_database()) for _ in range(6)]
    assert [a.status for a in answers] == [200] * 6, answers


def test_redis_stopped_then_back(healthy, redis, postgres):
    redis.stop()
    for path in (CACHED, uncached(), from_database()):
        assert healthy.get(path).status == 200, path
    message = f"No Redis report {secrets.token_hex(4)}."
    assert Visitor(healthy.base).correction(message).status == 302
    assert message in corrections(postgres)
    assert "falling back to in-memory storage" in healthy.logged()
    redis.start()
    page = uncached()
    wait_for("the page cache", lambda: healthy.get(page).status == 200 and redis.cli("DBSIZE", db=1) != "0", 30)


def test_redis_full(healthy, redis, postgres):
    redis.fill()
    for path in [uncached() for _ in range(5)] + [f"/muscles/{next(MUSCLES)}?audience=student" for _ in range(5)]:
        assert healthy.get(path).status == 200, path
    message = f"Full Redis report {secrets.token_hex(4)}."
    sent = Visitor(healthy.base).correction(message)
    if sent.status == 503:
        assert int(sent.headers["Retry-After"]) > 0
    else:
        assert sent.status == 302, sent
        assert message in corrections(postgres)


def test_workers_killed_while_the_build_is_damaged(healthy):
    index = Path(healthy.env["INDEX_DIR"]) / "current"
    for _ in range(3):
        segment = next(index.glob("*.seg"))
        data = bytearray(segment.read_bytes())
        data[len(data) // 2] ^= 0xFF
        segment.write_bytes(bytes(data))
        healthy.kill_workers()
        wait_for("search to answer", lambda: healthy.serving("/api/search?q=masseter"), RECOVERY_SECONDS)


def test_workers_killed_while_the_database_is_down(healthy, postgres):
    postgres.stop()
    healthy.kill_workers()
    wait_for("new workers with the cached pages", lambda: healthy.serving(CACHED), RECOVERY_SECONDS)
    assert_unavailable(healthy.get(from_database()))
    postgres.start()
    recovered(healthy)


def latencies(site: Site, path: str, seconds: float) -> list[float]:
    """How long each request for ``path`` took, one after another for ``seconds``."""
    taken, end = [], time.monotonic() + seconds
    while time.monotonic() < end:
        answer = site.get(path)
        assert answer.status == 200, answer
        taken.append(answer.seconds)
    return taken


def p95(seconds: list[float]) -> float:
    return statistics.quantiles(seconds, n=20)[-1]


def test_one_clients_flood_leaves_others_served(healthy):
    """Another loopback address floods the most expensive pages; a visitor reading a cached page all along
    barely notices. Quiet and flooded spells alternate, so the machine's other load weighs on both alike."""
    muscles = [m["slug"] for m in json.loads(healthy.get("/api/muscles").body)["muscles"]]
    flood = sites.Flood(healthy.base, muscles, FLOOD_CONNECTIONS)
    quiet, flooded = [], []
    try:
        for _ in range(FLOOD_ROUNDS):
            flood.pause()
            quiet += latencies(healthy, CACHED, FLOOD_SPELL_SECONDS)
            flood.resume()
            flooded += latencies(healthy, CACHED, FLOOD_SPELL_SECONDS)
    finally:
        statuses = flood.stop()
    assert statuses.get(200), statuses  # the flood was served too, one plan at a time
    before, during = p95(quiet), p95(flooded)
    message = f"p95 {before * 1000:.1f} ms quiet, {during * 1000:.1f} ms flooded"
    assert during <= SLOWER_AT_MOST * max(before, QUIET_FLOOR), message


# --- a site on SQLite: the visitor database, slow clients and long request lines ---------------------------


@pytest.fixture(scope="module")
def sqlite_site():
    folder = Path(tempfile.mkdtemp(prefix="atlas-faults-"))
    served = Site(
        {
            "DATABASE_URL": f"sqlite:///{folder / 'visitors.sqlite'}",
            "INDEX_DIR": str(folder / "index"),
            "SECRET_KEY": secrets.token_hex(16),
            "RATELIMIT_STORAGE_URI": f"sqlite:///{folder / 'limits.sqlite'}",
        }
    )
    served.folder = folder
    served.start()
    yield served
    served.stop()


def test_an_unreadable_visitor_database_leaves_reading_pages_working(sqlite_site):
    visitors = sqlite_site.folder / "visitors.sqlite"
    kept = visitors.read_bytes()
    master = sqlite_site.process.pid
    try:
        visitors.write_bytes(b"this is not a database" * 100)
        sqlite_site.reload()
        wait_for("new workers", lambda: sqlite_site.serving("/muscles/masseter"), RECOVERY_SECONDS)
        assert sqlite_site.get("/api/search?q=masseter").status == 200
        assert_unavailable(Visitor(sqlite_site.base).correction("A report while the file is damaged."))
    finally:
        visitors.write_bytes(kept)
    message = f"Report after the repair {secrets.token_hex(4)}."
    wait_for("corrections again", lambda: Visitor(sqlite_site.base).correction(message).status == 302, 30)
    assert sqlite_site.process.pid == master


def test_slow_clients_do_not_block_the_site(sqlite_site):
    """Two connections that send half a request line and stall (the first gunicorn -w 2 stalled for 30 s)."""
    stalled = []
    for _ in range(2):
        slow = socket.create_connection(("127.0.0.1", sqlite_site.port))
        slow.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        stalled.append(slow)
    try:
        for _ in range(4):
            answer = sqlite_site.get("/api/regions", timeout=10)
            assert answer.status == 200, answer
    finally:
        for slow in stalled:
            slow.close()


def test_an_over_long_request_line_is_answered_in_json(sqlite_site):
    answer = sqlite_site.get("/api/search?q=" + "knee+" * 1000)
    assert answer.status == 414, answer
    assert answer.headers["Content-Type"].startswith("application/json")
    assert json.loads(answer.body)["status"] == 414
