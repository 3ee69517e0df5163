"""Fixtures: one build of the real data per test session, then an app, a client and a CLI runner per test.

Set TEST_DATABASE_URL (e.g. postgresql://@127.0.0.1:5432/test) to run the whole
suite against that database instead of a temporary SQLite file.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import delete

from app import create_app
from refdata import models
from search import live


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """Configuration of an app whose database and index were built once from refdata/."""
    folder = tmp_path_factory.mktemp("atlas")
    config = {
        "TESTING": True,
        "DATABASE_URL": os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{folder / 'atlas.sqlite'}",
        "INDEX_DIR": str(folder / "index"),
        "SECRET_KEY": "test",
        "RATELIMIT_STORAGE_URI": "memory://",
    }
    app = create_app(config)
    with app.app_context():
        assert app.extensions["index"].generation, "the first start should have built the index"
    live.dispose(app)
    return config


@pytest.fixture
def app(built):
    app = create_app(dict(built))
    with live.new_session(app) as session, session.begin():
        session.execute(delete(models.Correction))
        session.execute(delete(models.SavedPlan))
    yield app
    live.dispose(app)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def csrf_token(client, url: str) -> str:
    """The CSRF token a browser would send back from the page at ``url``. Reading pages set no cookie, so a
    visitor without a session has none there yet: their first form sent is answered with a confirmation,
    which starts the session and carries a token (any form of the session takes it)."""
    found = re.search(r'name="csrf_token" value="([^"]*)"', client.get(url).get_data(as_text=True))
    if found and found.group(1):
        return found.group(1)
    confirmation = client.post("/corrections").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', confirmation).group(1)


def run_flask(*args: str, env: dict, timeout: int = 120) -> subprocess.CompletedProcess:
    """Run ``flask --app app ARGS`` in the project as an operator would, with the environment ``env``."""
    return subprocess.run(
        [str(Path(sys.executable).parent / "flask"), "--app", "app", *args],
        cwd=Path(__file__).parent.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
