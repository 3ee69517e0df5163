"""Several servers, one truth: two gunicorn servers on two ports, each with its own index, sharing
PostgreSQL (visitor tables) and Redis (page cache and rate limits).

Needs TEST_DATABASE_URL set to PostgreSQL and Redis at TEST_REDIS_URL (default redis://127.0.0.1:6379);
skipped, with the reason, when either cannot be reached. CI has both.
"""

import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.error import HTTPError
from urllib.error import URLError
from urllib.parse import urlencode
from urllib.parse import urlsplit
from urllib.request import HTTPCookieProcessor
from urllib.request import HTTPRedirectHandler
from urllib.request import build_opener

import pytest

from tests.conftest import run_flask

ROOT = Path(__file__).parent.parent
DATABASE = os.environ.get("TEST_DATABASE_URL", "")
REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379")
START_SECONDS = 180  # a server builds its index on first start
PROBE_LIMIT = 1000  # rounds at most while a rebuild runs
SAVED_PLANS_PER_MINUTE = 10  # the default SAVED_PLANS_RATE_LIMIT


def reachable(url: str) -> bool:
    parts = urlsplit(url)
    try:
        socket.create_connection((parts.hostname, parts.port), timeout=1).close()
    except OSError:
        return False
    return True


pytestmark = [
    pytest.mark.skipif(not DATABASE.startswith("postgres"), reason="needs TEST_DATABASE_URL set to PostgreSQL"),
    pytest.mark.skipif(DATABASE.startswith("postgres") and not reachable(DATABASE), reason="PostgreSQL unreachable"),
    pytest.mark.skipif(not reachable(REDIS), reason=f"Redis unreachable at {REDIS}"),
]


class NoRedirects(HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Visitor:
    """A browser on one server: keeps its cookies, does not follow redirects."""

    def __init__(self, base: str):
        self.base = base
        self.opener = build_opener(HTTPCookieProcessor(CookieJar()), NoRedirects)

    def open(self, path: str, form: dict | None = None) -> tuple[int, dict, str]:
        data = urlencode(form).encode() if form is not None else None
        try:
            with self.opener.open(self.base + path, data=data, timeout=30) as response:
                return response.status, dict(response.headers), response.read().decode()
        except HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()

    def csrf_token(self, path: str) -> str:
        """The token of the form on ``path``; a visitor without a session yet gets one, as a browser does, from
        the confirmation its first form sent is answered with."""
        token = re.search(r'name="csrf_token" value="([^"]*)"', self.open(path)[2]).group(1)
        return token or re.search(r'name="csrf_token" value="([^"]+)"', self.open("/corrections", {})[2]).group(1)


@dataclass
class Server:
    url: str
    env: dict
    process: subprocess.Popen


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(env: dict) -> Server:
    port = free_port()
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", "app:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    return Server(f"http://127.0.0.1:{port}", env, process)


def wait_ready(server: Server) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"the server stopped: {server.process.stderr.read().decode()[-2000:]}")
        try:
            if Visitor(server.url).open("/api/regions")[0] == 200:
                return
        except (URLError, TimeoutError):
            pass  # not listening yet, or its workers still building on a busy machine
        time.sleep(0.5)
    raise RuntimeError("the server did not start in time")


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    folder = tmp_path_factory.mktemp("servers")
    prefix = f"atlas-test-{secrets.token_hex(4)}:"  # this run's keys in the shared Redis
    shared = os.environ | {
        "DATABASE_URL": DATABASE,
        "SECRET_KEY": secrets.token_hex(16),
        "RATELIMIT_STORAGE_URI": REDIS,
        "ATLAS_RATELIMIT_KEY_PREFIX": prefix,
        "ATLAS_CACHE_TYPE": "RedisCache",
        "ATLAS_CACHE_REDIS_URL": REDIS,
        "ATLAS_CACHE_KEY_PREFIX": prefix,
    }
    started = [start(shared | {"INDEX_DIR": str(folder / name)}) for name in ("a", "b")]
    try:
        for server in started:
            wait_ready(server)
        yield started
    finally:
        for server in started:
            server.process.terminate()
            server.process.wait(timeout=30)
            server.process.stderr.close()


def flask(server: Server, *args: str, **env: str) -> subprocess.CompletedProcess:
    """Run ``flask --app app ARGS`` against ``server``'s configuration, with ``env`` added."""
    return run_flask(*args, env=server.env | env, timeout=300)


def test_a_correction_sent_to_one_is_listed_by_the_other(servers):
    one, other = servers
    visitor = Visitor(one.url)
    message = f"The insertion is wrong here ({secrets.token_hex(4)})."
    form = {"csrf_token": visitor.csrf_token("/muscles/soleus"), "page": "/muscles/soleus", "message": message}
    assert visitor.open("/corrections", form)[0] == 302
    listed = flask(other, "corrections", "list")
    assert listed.returncode == 0, listed.stderr
    assert message in listed.stdout


def test_the_rate_limit_counts_across_both(servers):
    visitors = [Visitor(server.url) for server in servers]
    tokens = [v.csrf_token("/plan?muscle=soleus&component=stretch") for v in visitors]
    answers = [
        visitors[i % 2].open("/plan/save", {"csrf_token": tokens[i % 2], "query": "muscle=soleus"})
        for i in range(SAVED_PLANS_PER_MINUTE + 1)
    ]
    statuses = [status for status, _, _ in answers]
    assert statuses == [302] * SAVED_PLANS_PER_MINUTE + [429]
    assert int(answers[-1][1]["Retry-After"]) > 0


def test_a_rebuild_on_one_never_disturbs_the_other(servers, tmp_path):
    one, other = servers
    changed = tmp_path / "refdata"
    shutil.copytree(ROOT / "refdata", changed, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    with open(changed / "regions.yaml", "a") as handle:
        handle.write("# changed: a new fingerprint, so a new schema\n")
    stop = threading.Event()
    wrong, asked = [], []

    def probe():
        visitors = [Visitor(server.url) for server in servers]
        while not stop.is_set() and len(asked) < PROBE_LIMIT:
            for visitor in visitors:
                status, _, body = visitor.open("/api/muscles/soleus")
                if status != 200 or '"trigger_points":[]' in body:
                    wrong.append((visitor.base, status))
                asked.append(1)

    reader = threading.Thread(target=probe)
    reader.start()
    try:
        rebuilt = flask(one, "build", ATLAS_REFDATA_DIR=str(changed))
    finally:
        stop.set()
        reader.join()
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert asked and not wrong, wrong[:10]
