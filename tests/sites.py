"""Real servers for the tests that need them: the site under gunicorn with the project's settings, and
PostgreSQL and Redis instances of a test's own (throwaway data directories, free ports) that it may stop,
hang, fill and restart without disturbing anything else.

Every wait polls with a deadline; nothing here sleeps longer than a poll interval.
"""

from __future__ import annotations

import multiprocessing
import os
import pwd
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from glob import glob
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).parent.parent
BIN = Path(sys.executable).parent
POLL = 0.2  # seconds between two looks at something we wait for
START_SECONDS = 240  # a site builds its index and reference tables on first start; CI machines are slow
REQUEST_SECONDS = 20  # a request unanswered for this long counts as hung
PG_USER = "postgres"  # PostgreSQL refuses to run as root: its processes run as this user then


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(what: str, check, seconds: float = 60):
    """Poll ``check()`` until it returns something true, and return that; fail after ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what} after {seconds} s (last: {result!r})")
        time.sleep(POLL)


def postgres_bin() -> Path | None:
    """The newest PostgreSQL server binaries installed, or None."""
    found = sorted(glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    return Path(found[-1]).parent if found else None


def postgres_missing() -> str | None:
    """Why this machine cannot start a PostgreSQL of its own, or None."""
    if postgres_bin() is None:
        return "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(PG_USER)
        except KeyError:
            return f"running as root and there is no {PG_USER!r} user to run PostgreSQL as"
    return None


def redis_missing() -> str | None:
    return None if shutil.which("redis-server") else "redis-server not found on PATH"


class Postgres:
    """A PostgreSQL server of our own: stop, hang (SIGSTOP every process of it), resume and restart it."""

    def __init__(self):
        self.bin = postgres_bin()
        self.user = PG_USER if os.geteuid() == 0 else None
        self.folder = Path(tempfile.mkdtemp(prefix="atlas-pg-"))
        if self.user:
            shutil.chown(self.folder, self.user)
        self.data = self.folder / "data"
        self.port = free_port()
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")

    def _run(self, tool: str, *args: str) -> None:
        subprocess.run(
            [str(self.bin / tool), *args], user=self.user, check=True, capture_output=True, timeout=120, cwd="/"
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.folder / "log"), "-w", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def restart(self) -> None:
        self.stop()
        self.start()

    def pids(self) -> list[int]:
        """The postmaster and every process it started."""
        master = int((self.data / "postmaster.pid").read_text().split()[0])
        children = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout.split()
        return [master, *map(int, children)]

    def hang(self) -> None:
        for pid in self.pids():
            os.kill(pid, signal.SIGSTOP)

    def resume(self) -> None:
        for pid in self.pids():
            os.kill(pid, signal.SIGCONT)

    def close(self) -> None:
        try:
            self.resume()
            self.stop()
        except (OSError, subprocess.SubprocessError):
            pass
        shutil.rmtree(self.folder, ignore_errors=True)


class Redis:
    """A Redis server of our own, kept in memory only: stop, start and fill it."""

    def __init__(self):
        self.port = free_port()
        self.process = None

    def url(self, db: int) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        wait_for("Redis to answer", lambda: self.cli("PING") == "PONG", 30)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)

    def cli(self, *args: str, db: int = 0) -> str:
        done = subprocess.run(
            ["redis-cli", "-p", str(self.port), "-n", str(db), *args], capture_output=True, text=True, timeout=30
        )
        return done.stdout.strip()

    def used_memory(self) -> int:
        return int(re.search(r"used_memory:(\d+)", self.cli("INFO", "memory")).group(1))

    def fill(self) -> None:
        """Let Redis take nothing more: its memory limit at what it uses now, and no key evicted to make room."""
        self.cli("CONFIG", "SET", "maxmemory-policy", "noeviction")
        self.cli("CONFIG", "SET", "maxmemory", str(self.used_memory() + 64 * 1024))

    def empty(self) -> None:
        self.cli("CONFIG", "SET", "maxmemory", "0")

    def close(self) -> None:
        if self.process and self.process.poll() is None:
            self.stop()


class Answer:
    """What a request got back: a status (or the name of the error, e.g. "timeout"), headers and body."""

    def __init__(self, status, headers: dict, body: str, seconds: float):
        self.status, self.headers, self.body, self.seconds = status, headers, body, seconds

    def __repr__(self) -> str:
        return f"<{self.status} in {self.seconds:.2f} s: {self.body[:120]!r}>"


def request(
    base: str,
    path: str,
    form: dict | None = None,
    cookie: str = "",
    source: str = "127.0.0.1",
    timeout: float = REQUEST_SECONDS,
) -> Answer:
    """One request to ``base`` (http://127.0.0.1:PORT) from the loopback address ``source``; never raises."""
    host, port = base.removeprefix("http://").split(":")
    connection = HTTPConnection(host, int(port), timeout=timeout, source_address=(source, 0))
    started = time.monotonic()
    try:
        headers = {"Cookie": cookie} if cookie else {}
        if form is None:
            connection.request("GET", path, headers=headers)
        else:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            connection.request("POST", path, body=urlencode(form), headers=headers)
        response = connection.getresponse()
        body = response.read().decode(errors="replace")
        return Answer(response.status, dict(response.getheaders()), body, time.monotonic() - started)
    except TimeoutError:
        return Answer("timeout", {}, "", time.monotonic() - started)
    except OSError as error:
        return Answer(type(error).__name__, {}, "", time.monotonic() - started)
    finally:
        connection.close()


class Visitor:
    """A browser on one site: keeps its session cookie; sends corrections as the page's form does."""

    def __init__(self, base: str):
        self.base = base
        self.cookie = ""

    def get(self, path: str, **options) -> Answer:
        return self.keep(request(self.base, path, cookie=self.cookie, **options))

    def post(self, path: str, form: dict, **options) -> Answer:
        return self.keep(request(self.base, path, form=form, cookie=self.cookie, **options))

    def keep(self, answer: Answer) -> Answer:
        cookie = answer.headers.get("Set-Cookie", "")
        if cookie.startswith("session="):
            self.cookie = cookie.split(";")[0]
        return answer

    def send(self, path: str, form: dict, page: str) -> Answer:
        """POST ``form`` to ``path`` with the CSRF token of ``page``'s form; a visitor without a session is
        asked to confirm once (that answer carries the token), as a browser would."""
        token = csrf_token(self.get(page).body)
        answer = self.post(path, form | {"csrf_token": token})
        confirm = csrf_token(answer.body) if answer.status == 200 else ""
        return self.post(path, form | {"csrf_token": confirm}) if confirm else answer

    def correction(self, message: str, page: str = "/muscles/soleus") -> Answer:
        return self.send("/corrections", {"page": page, "message": message}, page)


def csrf_token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]*)"', html)
    return found.group(1) if found else ""


class Site:
    """The site under gunicorn, started as the README says (the project's gunicorn.conf.py applies)."""

    def __init__(self, env: dict, workers: int = 2):
        self.env = os.environ | env
        self.workers = workers
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = Path(tempfile.mkstemp(prefix="atlas-site-", suffix=".log")[1])
        self.process = None

    def start(self) -> None:
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [str(BIN / "gunicorn"), "-w", str(self.workers), "-b", f"127.0.0.1:{self.port}", "app:app"],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=log,
            )
        wait_for("the site to answer", lambda: self.alive() and self.get("/api/regions").status == 200, START_SECONDS)

    def alive(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"gunicorn stopped ({self.process.returncode}):\n{self.logged()[-3000:]}")
        return True

    def logged(self) -> str:
        return self.log.read_text(errors="replace")

    def get(self, path: str, **options) -> Answer:
        return request(self.base, path, **options)

    def workers_pids(self) -> list[int]:
        found = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True)
        return [int(pid) for pid in found.stdout.split()]

    def kill_workers(self) -> None:
        """SIGKILL every worker at once; the master starts new ones."""
        for pid in self.workers_pids():
            os.kill(pid, signal.SIGKILL)

    def reload(self) -> None:
        """SIGHUP: the master starts new workers with a fresh load of the app."""
        os.kill(self.process.pid, signal.SIGHUP)

    def serving(self, path: str) -> bool:
        """Whether the master is still the same process and ``path`` answers 200."""
        return self.alive() and self.get(path).status == 200

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=60)
        self.log.unlink(missing_ok=True)


FLOOD_SOURCE = "127.0.0.2"  # the flooding client's own address (all of 127/8 is loopback on Linux)
FLOOD_MUSCLES = 20  # muscles in each flooded plan: the most expensive page, never asked twice


class Flood:
    """Another client (``FLOOD_SOURCE``) asking, on ``connections`` connections at once, for plans nobody asked
    for before, as fast as it is answered; in a process of its own, so it takes nothing from the test's own
    client. It can be paused and resumed; ``stop`` returns the statuses it got."""

    def __init__(self, base: str, muscles: list[str], connections: int):
        spawn = multiprocessing.get_context("spawn")
        self.running, self.stopped = spawn.Event(), spawn.Event()
        self.asking, self.answered, self.results = spawn.Value("i", 0), spawn.Value("i", 0), spawn.Queue()
        self.process = spawn.Process(
            target=flood,
            args=(base, muscles, connections, self.running, self.stopped, self.asking, self.answered, self.results),
        )
        self.process.start()

    def resume(self) -> None:
        """Flood, and return once the flood is answered again."""
        self.running.set()
        answered = self.answered.value
        wait_for("the flood to be answered", lambda: self.answered.value > answered, 120)

    def pause(self) -> None:
        """Stop flooding, and return once every request of the flood is answered."""
        self.running.clear()
        wait_for("the flood's last answers", lambda: self.asking.value == 0, 120)

    def stop(self) -> dict:
        self.stopped.set()
        self.running.set()
        statuses = self.results.get(timeout=180)
        self.process.join(timeout=60)
        return statuses


def flood(base: str, muscles: list[str], connections: int, running, stopped, asking, answered, results) -> None:
    """The flooding client's process (see :class:`Flood`)."""
    statuses = Counter()

    def hammer(seed: int) -> None:
        rng = random.Random(seed)
        while not stopped.is_set():
            if not running.wait(POLL):
                continue
            chosen = rng.sample(muscles, FLOOD_MUSCLES)
            path = "/plan?" + urlencode([("muscle", m) for m in chosen] + [("component", "stretch")])
            with asking.get_lock():
                asking.value += 1
            statuses[request(base, path, source=FLOOD_SOURCE, timeout=120).status] += 1
            with asking.get_lock(), answered.get_lock():
                asking.value -= 1
                answered.value += 1

    threads = [threading.Thread(target=hammer, args=(i,)) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results.put(dict(statuses))
