"""Reliability, measured against real servers (gunicorn -w 2 on loopback), each failure of issue 13 reproduced.

1. Wildcards: the worst known queries' time as a ratio of plain queries' (same run).
2. Rebuilds: a steady probe during five `flask build`s and then two at once, on SQLite and on PostgreSQL
   (when reachable): every wrong answer counted (error, 404, empty list, refused connection).
3. Damage: a truncated index segment while serving, a garbled index table of contents at restart, and a
   damaged reference database: answers by status, and the visitor rows (corrections) before and after.
4. Rate limit with two workers on the default store: how many of 10 corrections in a row get through (limit 5).
5. Flood: one client (127.0.0.2) asks for plans of 20 muscles nobody asked for before, on 2 and then 8 connections
   at once, as fast as it is answered; another (127.0.0.1) reads a cached page meanwhile. Its p50 and p95 in flooded
   spells against quiet ones, interleaved, and what the flood got back.

Run: .venv/bin/python bench/reliability.py [--root CHECKOUT] [--postgres URL] [--only SCENARIO ...]
``--root`` runs another checkout (e.g. an older commit, to see the failures this fixes); every loop is
bounded in count and time, and all traffic stays on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import random
import re
import secrets
import socket
import statistics
import string
import subprocess
import sys
import tempfile
import threading
import time
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.error import HTTPError
from urllib.error import URLError
from urllib.parse import quote
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor
from urllib.request import HTTPRedirectHandler
from urllib.request import build_opener

BIN = Path(sys.executable).parent
REQUEST_SECONDS = 60  # a request taking longer counts as failed
WORKER_TIMEOUT = 30  # gunicorn's default: a worker busy longer is killed
REBUILDS = 5
PROBE_ROUNDS = 3000  # at most, per probe
DAMAGE_REQUESTS = 40
LETTERS = " ".join(f"*{ch}*" for ch in string.ascii_lowercase)
BIGRAMS = " ".join(f"*{b}*" for b in "an ar er in on or re te th ti en es al ed nt st".split())
WORST = {"183 characters of short wildcards": f"{LETTERS} {BIGRAMS}", "**": "**"}
PLAIN = ["goose bumps", "numb fingers", "jaw clicking", "gastrocnem*"]
FLOOD_SOURCE = "127.0.0.2"
FLOOD_CONNECTIONS = (2, 8)
FLOOD_ROUNDS = 3
FLOOD_SPELL_SECONDS = 3
FLOOD_MUSCLES = 20
SEARCHES = ["masseter", "soleus", "gastrocnemius", "infraspinatus", "temporalis", "supinator", "sternocleidomastoid"]


class NoRedirects(HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Client:
    """A browser on one server: cookies kept, redirects not followed; every outcome is (status, body)."""

    def __init__(self, base: str):
        self.base = base
        self.opener = build_opener(HTTPCookieProcessor(CookieJar()), NoRedirects)

    def open(self, path: str, form: dict | None = None) -> tuple[int | str, str]:
        data = urlencode(form).encode() if form is not None else None
        try:
            with self.opener.open(self.base + path, data=data, timeout=REQUEST_SECONDS) as response:
                return response.status, response.read().decode()
        except HTTPError as error:
            return error.code, error.read().decode()
        except (URLError, OSError) as error:
            return type(getattr(error, "reason", error)).__name__, ""

    def correction(self, page: str = "/muscles/soleus") -> int | str:
        status, html = self.open(page)
        token = re.search(r'name="csrf_token" value="([^"]*)"', html)
        if token and not token.group(1):  # no session yet: the first form sent is answered by a confirmation
            status, html = self.open("/corrections", {})
            token = re.search(r'name="csrf_token" value="([^"]+)"', html)
        if not token:
            return status
        form = {"csrf_token": token.group(1), "page": page, "message": f"Bench report {secrets.token_hex(4)}."}
        return self.open("/corrections", form)[0]


class Site:
    """One checkout served by gunicorn -w 2 with its own instance data in a temporary folder."""

    def __init__(self, root: Path, folder: Path, database: str | None = None):
        self.root = root
        self.folder = folder
        self.env = os.environ | {
            "DATABASE_URL": database or f"sqlite:///{folder / 'atlas.sqlite'}",
            "INDEX_DIR": str(folder / "index"),
            "SECRET_KEY": "bench",
            "ATLAS_RATELIMIT_KEY_PREFIX": f"bench-{secrets.token_hex(4)}",
        }
        self.process = None
        self.base = ""

    def start(self) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.base = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "-w", "2", "-t", str(WORKER_TIMEOUT), "-b", f"127.0.0.1:{port}", "app:app"],
            cwd=self.root,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and self.process.poll() is None:
            if Client(self.base).open("/api/regions")[0] in (200, 503):
                return
            time.sleep(0.5)

    def stop(self) -> None:
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=60)

    def flask(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(BIN / "flask"), "--app", "app", *args],
            cwd=self.root,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
        )

    def corrections(self) -> int | str:
        """How many corrections the editors' command lists."""
        listed = self.flask("corrections", "list", "--all")
        if listed.returncode != 0:
            return f"unreadable ({(listed.stderr.strip().splitlines() or ['?'])[-1][:80]})"
        return sum(1 for line in listed.stdout.splitlines() if line.startswith("#"))

    def live(self) -> Path:
        return Path(self.env["INDEX_DIR"]) / "current"


def timed(client: Client, q: str) -> tuple[float, int | str]:
    start = time.perf_counter()
    status, _ = client.open(f"/api/search?q={quote(q)}")
    return time.perf_counter() - start, status


def wildcards(site: Site) -> dict:
    client = Client(site.base)
    for q in PLAIN:
        timed(client, q)
    plain = statistics.median(statistics.median(timed(client, q)[0] for _ in range(5)) for q in PLAIN)
    result = {"plain_ms": round(plain * 1000, 1)}
    for name, q in WORST.items():
        seconds, status = timed(client, q)
        result[name] = {"status": status, "seconds": round(seconds, 2), "ratio": round(seconds / plain)}
    return result


def wrong_answers(client: Client, round_number: int) -> list[str]:
    """Ask three things whose answers are known; return what came back wrong."""
    wrong = []
    status, body = client.open("/api/muscles/soleus")
    if status != 200 or '"trigger_points":[]' in body:
        wrong.append(f"soleus {status}")
    q = SEARCHES[round_number % len(SEARCHES)]
    status, body = client.open(f"/api/search?q={q}")
    if status != 200 or f'"slug":"{q}"' not in body:
        wrong.append(f"search {status}")
    status, body = client.open("/api/muscles")
    if status != 200 or body.count('"slug"') < 150:
        wrong.append(f"muscles {status}")
    return wrong


def rebuilds(site: Site) -> dict:
    stop = threading.Event()
    wrong, rounds = [], []

    def probe():
        client = Client(site.base)
        while not stop.is_set() and len(rounds) < PROBE_ROUNDS:
            wrong.extend(wrong_answers(client, len(rounds)))
            rounds.append(1)

    reader = threading.Thread(target=probe)
    reader.start()
    failed = []
    try:
        for _ in range(REBUILDS):
            built = site.flask("build")
            if built.returncode:
                failed.append(built.stderr.strip().splitlines()[-1][:120])
        together = [
            subprocess.Popen(
                [str(BIN / "flask"), "--app", "app", "build"],
                cwd=site.root,
                env=site.env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        for build in together:
            _, err = build.communicate(timeout=600)
            if build.returncode:
                failed.append(err.strip().splitlines()[-1][:120])
    finally:
        stop.set()
        reader.join()
    kinds = {}
    for item in wrong:
        kinds[item] = kinds.get(item, 0) + 1
    return {"questions": 3 * len(rounds), "wrong": len(wrong), "by_kind": kinds, "failed_builds": failed}


def statuses(client: Client, paths: list[str]) -> dict:
    counts = {}
    for path in paths:
        status = client.open(path)[0]
        counts[status] = counts.get(status, 0) + 1
    return counts


def searches(n: int) -> list[str]:
    return [f"/api/search?q={SEARCHES[i % len(SEARCHES)]}%20{i}" for i in range(n)]


def damage(site: Site) -> dict:
    client = Client(site.base)
    sent = [client.correction() for _ in range(3)]
    before = site.corrections()
    result = {"corrections_sent": sent, "visitor_rows_before": before}
    # A segment cut short while serving.
    statuses(client, searches(4))
    segment = next(site.live().glob("*.seg"))
    segment.write_bytes(segment.read_bytes()[: segment.stat().st_size // 3])
    result["truncated_segment"] = statuses(client, searches(DAMAGE_REQUESTS))
    time.sleep(2)
    result["truncated_segment_later"] = statuses(client, searches(DAMAGE_REQUESTS // 2))
    # A garbled table of contents, then a restart.
    site.stop()
    toc = next(site.live().glob("_MAIN_*.toc"))
    toc.write_bytes(b"garbled" * 10)
    site.start()
    result["garbled_toc_after_restart"] = statuses(Client(site.base), searches(DAMAGE_REQUESTS // 2))
    # The reference database's header overwritten (before issue 13 it was the visitors' database too).
    reference = site.live() / "reference.sqlite"
    if not reference.exists():
        reference = Path(site.env["DATABASE_URL"].removeprefix("sqlite:///"))
    with open(reference, "r+b") as handle:
        handle.write(b"\0" * 100)
    client = Client(site.base)
    result["damaged_database"] = statuses(client, ["/api/muscles/soleus"] * (DAMAGE_REQUESTS // 2))
    site.stop()
    site.start()
    result["damaged_database_after_restart"] = statuses(Client(site.base), ["/api/muscles/soleus"] * 10)
    result["visitor_rows_after"] = site.corrections()
    return result


def rate_limit(site: Site) -> dict:
    answers = [Client(site.base).correction() for _ in range(10)]
    return {"sent": 10, "accepted": answers.count(302), "refused_429": answers.count(429), "other": answers}


def flooding(base: str, muscles: list[str], connections: int, running, stop, statuses) -> None:
    """The flooding client, in a process of its own: ``connections`` threads, each asking for a new plan as soon as
    the last is answered, while ``running`` is set; the statuses counted in ``statuses`` (a shared dict)."""
    host, port = base.removeprefix("http://").split(":")

    def hammer(seed: int) -> None:
        rng = random.Random(seed)
        while not stop.is_set():
            if not running.wait(0.2):
                continue
            query = urlencode([("muscle", m) for m in rng.sample(muscles, FLOOD_MUSCLES)])
            connection = http.client.HTTPConnection(
                host, int(port), timeout=REQUEST_SECONDS, source_address=(FLOOD_SOURCE, 0)
            )
            try:
                connection.request("GET", f"/plan?{query}")
                response = connection.getresponse()
                response.read()
                status = response.status
            except OSError as error:
                status = type(error).__name__
            finally:
                connection.close()
            statuses[status] = statuses.get(status, 0) + 1

    threads = [threading.Thread(target=hammer, args=(i,)) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def spell(client: Client, seconds: float) -> list[float]:
    taken, end = [], time.monotonic() + seconds
    while time.monotonic() < end:
        started = time.perf_counter()
        client.open("/muscles/soleus")
        taken.append(time.perf_counter() - started)
    return taken


def flood(site: Site) -> dict:
    client = Client(site.base)
    client.open("/muscles/soleus")
    muscles = [m["slug"] for m in json.loads(client.open("/api/muscles")[1])["muscles"]]
    spawn = multiprocessing.get_context("spawn")
    result = {}
    for connections in FLOOD_CONNECTIONS:
        with spawn.Manager() as manager:
            running, stop, statuses = spawn.Event(), spawn.Event(), manager.dict()
            process = spawn.Process(target=flooding, args=(site.base, muscles, connections, running, stop, statuses))
            process.start()
            quiet, flooded = [], []
            for _ in range(FLOOD_ROUNDS):
                running.clear()
                time.sleep(2)  # the flood's requests in flight are answered
                quiet += spell(client, FLOOD_SPELL_SECONDS)
                running.set()
                time.sleep(1)
                flooded += spell(client, FLOOD_SPELL_SECONDS)
            stop.set()
            running.set()
            process.join(timeout=REQUEST_SECONDS * 2)
            got = dict(statuses)

        def ms(seconds: list[float], q: int) -> float:
            return round(statistics.quantiles(seconds, n=100)[q - 1] * 1000, 1)

        result[f"{connections}_connections"] = {
            "quiet_p50_ms": ms(quiet, 50),
            "quiet_p95_ms": ms(quiet, 95),
            "flooded_p50_ms": ms(flooded, 50),
            "flooded_p95_ms": ms(flooded, 95),
            "p95_ratio": round(ms(flooded, 95) / ms(quiet, 95), 1),
            "flood_statuses": got,
        }
    return result


def postgres_reachable(url: str) -> bool:
    host, port = re.search(r"@([^:/]+):(\d+)", url).groups()
    try:
        socket.create_connection((host, int(port)), timeout=1).close()
    except OSError:
        return False
    return True


def scenario(root: Path, name: str, run, database: str | None = None) -> dict:
    with tempfile.TemporaryDirectory(prefix="atlas-bench-") as folder:
        site = Site(root, Path(folder), database)
        site.start()
        try:
            print(f"  {name} ...", flush=True)
            return run(site)
        finally:
            site.stop()


SCENARIOS = {
    "wildcards": wildcards,
    "rebuilds_sqlite": rebuilds,
    "rebuilds_postgres": rebuilds,
    "damage": damage,
    "rate_limit_two_workers": rate_limit,
    "flood": flood,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).parent.parent, help="the checkout to run")
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--only", choices=SCENARIOS, action="append", help="run this scenario only (repeatable)")
    args = parser.parse_args()
    root = args.root.resolve()
    print(f"Reliability of {root}:")
    results = {}
    for name in args.only or SCENARIOS:
        if name == "rebuilds_postgres":
            if postgres_reachable(args.postgres):
                results[name] = scenario(root, name, rebuilds, args.postgres)
        else:
            results[name] = scenario(root, name, SCENARIOS[name])
    print(json.dumps(results, indent=1, default=str))
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / f"reliability-{time.strftime('%Y%m%d-%H%M%S')}.json").write_text(json.dumps(results, indent=1, default=str))


if __name__ == "__main__":
    main()
