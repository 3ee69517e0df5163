"""Rebuilds readers never notice, and damage that repairs itself without losing what visitors sent."""

import logging
import re
import shutil
import threading
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import text

from app import create_app
from refdata import db
from refdata import models
from search import build
from search import index
from search import live

REFDATA = Path(__file__).parent.parent / "refdata"
PROBE_LIMIT = 2000  # rounds of questions at most per probe, so it always ends
PROBE_PAUSE = 0.02  # seconds between rounds: leave the builds some of the processor


@pytest.fixture(scope="module")
def config(built, tmp_path_factory):
    """A site of its own, which these tests damage and it repairs: its own index (and, on SQLite, its own
    visitor database)."""
    folder = tmp_path_factory.mktemp("site")
    config = dict(built, INDEX_DIR=str(folder / "index"))
    if config["DATABASE_URL"].startswith("sqlite"):
        config["DATABASE_URL"] = f"sqlite:///{folder / 'visitors.sqlite'}"
    return config


@pytest.fixture(scope="module")
def site(config):
    app = create_app(config)
    yield app
    live.dispose(app)


def send_corrections(app, count: int) -> int:
    """Store ``count`` corrections; return how many the visitor tables hold now."""
    with live.database(app).visitor_session() as session, session.begin():
        session.add_all(
            models.Correction(page="/muscles/soleus", message=f"Report {i} of a mistake.") for i in range(count)
        )
    return visitor_rows(app)


def visitor_rows(app) -> int:
    with live.database(app).visitor_session() as session:
        return session.scalar(select(func.count()).select_from(models.Correction))


def live_folder(app) -> Path:
    return index.current_folder(Path(app.config["INDEX_DIR"]))


def right(client) -> list[str]:
    """Ask what a reader asks; return what was answered wrong."""
    wrong = []
    soleus = client.get("/api/muscles/soleus")
    if soleus.status_code != 200 or not soleus.get_json()["trigger_points"]:
        wrong.append(f"soleus: {soleus.status_code}")
    found = client.get("/api/search?q=masseter")
    if found.status_code != 200 or found.get_json()["results"][0]["slug"] != "masseter":
        wrong.append(f"search: {found.status_code}")
    listed = client.get("/api/muscles")
    if listed.status_code != 200 or len(listed.get_json()["muscles"]) < 150:
        wrong.append(f"muscles: {listed.status_code}")
    return wrong


def changed_refdata(tmp_path) -> Path:
    """A copy of refdata/ with a different fingerprint and the same records."""
    folder = tmp_path / "refdata-changed"
    shutil.copytree(REFDATA, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    with open(folder / "regions.yaml", "a") as handle:
        handle.write("# changed\n")
    return folder


def test_readers_never_see_a_rebuild(site, config, tmp_path):
    """A steady reader during four builds (one from changed data), two of them at once on two sites
    sharing the database. bench/reliability.py does the same under gunicorn."""
    other = create_app(dict(config, INDEX_DIR=str(tmp_path / "other-index")))
    stop = threading.Event()
    wrong, asked = [], []

    def probe():
        client = site.test_client()
        while not stop.wait(PROBE_PAUSE) and len(asked) < PROBE_LIMIT:
            wrong.extend(right(client))
            asked.append(1)

    reader = threading.Thread(target=probe)
    reader.start()
    try:
        for data in (changed_refdata(tmp_path), REFDATA):
            site.config["REFDATA_DIR"] = str(data)
            with build.build_lock(site):
                build.build(site)
        at_once = [threading.Thread(target=lambda app=app: build.build(app)) for app in (site, other)]
        for thread in at_once:
            thread.start()
        for thread in at_once:
            thread.join()
        build.check(other)
    finally:
        stop.set()
        reader.join()
        live.dispose(other)
    assert asked and not wrong, wrong[:10]
    build.check(site)


def in_new_thread(ask):
    """``ask()`` answered by a thread that has not searched yet (so it opens the index afresh, as a new worker
    would)."""
    answers = []
    thread = threading.Thread(target=lambda: answers.append(ask()))
    thread.start()
    thread.join()
    return answers[0]


def test_a_truncated_index_segment_is_repaired_and_visitors_keep_their_rows(site):
    client = site.test_client()
    assert client.get("/api/search?q=masseter").status_code == 200
    rows = send_corrections(site, 3)
    damaged = live_folder(site)
    segment = next(damaged.glob("*.seg"))
    segment.write_bytes(segment.read_bytes()[: segment.stat().st_size // 3])
    # A reader that opened the index before the damage answers from its copy in memory.
    assert client.get("/api/search?q=gastrocnemius").get_json()["results"]
    response = in_new_thread(lambda: client.get("/api/search?q=gastrocnemius"))
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    assert response.get_json()["error"]
    assert live_folder(site) != damaged
    assert right(client) == []
    assert visitor_rows(site) == rows


def test_a_damaged_reference_database_is_repaired(site):
    client = site.test_client()
    rows = send_corrections(site, 2)
    folder = live_folder(site)
    if live.database(site).is_postgres:
        schema = db.schema_name(folder.joinpath(index.STAMP_FILE).read_text())
        with live.database(site).visitor_engine.begin() as connection:
            connection.execute(text(f'DROP TABLE "{schema}".muscle CASCADE'))  # what /api/muscles reads
    else:
        reference = folder / db.REFERENCE_FILE
        with open(reference, "r+b") as handle:
            handle.write(b"\0" * 100)  # the header
    response = client.get("/api/muscles")  # read from the tables (a record already made is kept for the build)
    assert response.status_code == 503
    assert "Retry-After" in response.headers
    assert right(client) == []
    assert visitor_rows(site) == rows


def test_a_garbled_index_is_rebuilt_at_start(site, config, caplog):
    folder = live_folder(site)
    toc = next(folder.glob("_MAIN_*.toc"))
    toc.write_bytes(b"garbled" * 10)
    caplog.set_level(logging.WARNING)
    again = create_app(config)
    try:
        assert live_folder(again) != folder
        assert any("damaged" in r.getMessage() for r in caplog.records)
        assert right(again.test_client()) == []
    finally:
        live.dispose(again)


def test_a_lost_build_costs_no_visitor_rows(site, config):
    rows = send_corrections(site, 2)
    shutil.rmtree(config["INDEX_DIR"])
    again = create_app(config)
    try:
        assert right(again.test_client()) == []
        assert visitor_rows(again) == rows
    finally:
        live.dispose(again)


def test_a_build_set_aside_while_it_is_checked_is_waited_for(site, monkeypatch):
    """Another worker repairing sets the build aside while this one checks it, unlocked, at start: this one
    waits for the lock and finds the repaired build, instead of failing to boot."""
    hashes = build.file_hashes

    def moved_meanwhile(folder):
        monkeypatch.setattr(build, "file_hashes", hashes)
        with build.build_lock(site):
            build.set_aside(site, build.Damaged("another worker found it damaged"))
            build.build(site)
        return hashes(folder)

    monkeypatch.setattr(build, "file_hashes", moved_meanwhile)
    build.ensure_built(site)
    build.check(site)
    assert right(site.test_client()) == []


def test_an_unreadable_visitor_database_leaves_reading_pages_working(config, tmp_path, caplog):
    """Reading pages never need the visitors' database: a worker starts without it, refuses what needs it with
    503 and Retry-After, and takes it back once it can be read again, without a restart."""
    if not config["DATABASE_URL"].startswith("sqlite"):
        pytest.skip("the visitor database is a file on SQLite only")
    visitors = Path(config["DATABASE_URL"].removeprefix("sqlite:///"))
    kept = visitors.read_bytes()
    visitors.write_bytes(b"not a database" * 1000)
    caplog.set_level(logging.ERROR)
    worker = create_app(config)
    try:
        assert [r.getMessage().split(":")[0] for r in caplog.records] == ["Cannot read the database at sqlite"]
        client = worker.test_client()
        assert right(client) == []
        assert client.get("/muscles/soleus").status_code == 200
        asked = client.post("/corrections", data={"page": "/muscles/soleus", "message": "A report sent now."})
        assert asked.status_code == 200  # asked to confirm first (no session yet), then:
        token = re.search(r'name="csrf_token" value="([^"]+)"', asked.text).group(1)
        form = {"csrf_token": token, "page": "/muscles/soleus", "message": "A report sent while it is damaged."}
        refused = client.post("/corrections", data=form)
        assert refused.status_code == 503 and int(refused.headers["Retry-After"]) > 0
        visitors.write_bytes(kept)
        worker.extensions["prepared_at"] -= build.PREPARE_EVERY  # as if the next retry were due
        form["message"] = "A report sent once it is back."
        assert client.post("/corrections", data=form).status_code == 302
        assert visitor_rows(worker) >= 1
    finally:
        visitors.write_bytes(kept)
        live.dispose(worker)


def test_a_teardown_failure_never_replaces_the_answer(site, monkeypatch, caplog):
    close = live.Session.close

    def broken_close(self):
        close(self)  # the connection goes back to its pool all the same
        raise OSError("the connection was lost after the answer")

    monkeypatch.setattr(live.Session, "close", broken_close)
    caplog.set_level(logging.WARNING)
    response = site.test_client().get("/api/muscles")  # read from the tables, not from a record kept for the build
    assert response.status_code == 200 and response.get_json()["muscles"]
    assert any("Closing the request's database session failed" in r.getMessage() for r in caplog.records)
