"""Speed, measured as ratios within one run (machines are noisy).

1. In-process: p50 and p95 latency of /api/search and /api/locate over a varied
   mix of queries (the public and development relevance sets, with their
   misspellings and nonsense, muscle names, aliases, typos, places), and the
   share of that time spent correcting spelling. Spelling corrections are
   remembered per word, so the first pass (every word new) is reported apart.
2. Real people's phrasings (bench/data/real_phrasings.json, long and noisy) beside
   the public set's short phrases: p95 of /api/search in-process over each (after
   a first pass), and their ratio (target: at most 10 ms and 2x the public p95).
3. Under `gunicorn -w 2` with `wrk` on loopback: requests per second of a cached muscle
   page and of a bare Flask route in the same app (the ceiling), and the page as a share
   of the ceiling: the median of a few rounds, each measuring both in turn.
4. The same with no page cache, every request from its own address (as many visitors): muscle pages and search
   pages made afresh on every request (as a URL nobody asked before is), as shares of the bare route.

Run: .venv/bin/python bench/speed.py [--in-process]   (the load test needs `wrk`: apt-get install wrk;
--in-process skips it)
"""

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).parent.parent
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from search import locate  # noqa: E402

WRK_SECONDS = 10
WRK_CONNECTIONS = 32
WARM_PASSES = 3  # times each muscle page is asked before it is measured (gunicorn -w 2: two page caches)
BOOT_SECONDS = 120  # the longest a worker may take to load the app
LOAD_ROUNDS = 3  # rounds of bare route, muscle pages and search pages; the median round is reported


DATA = Path(__file__).parent / "data"
SETS = ("location_queries.json", "dev_queries.json")
MIXES = {"public phrases": "location_queries.json", "real phrasings": "real_phrasings.json"}
REAL_P95_MS = 10  # targets for the real phrasings' p95: at most this, and at most REAL_RATIO times the public one
REAL_RATIO = 2
UNCACHED_TARGETS = {"muscle": 0.25, "search": 0.40}  # issue 22: shares of the bare route, made afresh


def query_mix(client) -> list[str]:
    """Several hundred varied queries drawn from the data and both relevance sets."""
    cases = [c for name in SETS for c in json.loads((DATA / name).read_text())["cases"]]
    muscles = client.get("/api/muscles").get_json()["muscles"]
    regions = client.get("/api/regions").get_json()["regions"]
    queries = [c["query"] for c in cases]
    queries += [m["name"] for m in muscles]
    queries += [m["name"][:-2] + m["name"][-1] for m in muscles[::4]]  # a typo: drop the second-last letter
    queries += [f"pain in my {r['synonyms'][-1]}" for r in regions[::2]]
    queries += ["ringing in my ear", "dizzy when I turn my head", "tennis elbow", "sciatica", "numb fingers"]
    return queries


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


class SpellingClock:
    """Adds up the time spent in the spelling step (:func:`search.locate._spelt`) while installed."""

    def __init__(self):
        self.seconds = 0.0
        self.original = locate._spelt

    def __enter__(self):
        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return self.original(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - start

        locate._spelt = timed
        return self

    def __exit__(self, *exc):
        locate._spelt = self.original


def timed_pass(client, endpoint: str, queries: list[str]) -> tuple[list[float], list[float], float]:
    """Milliseconds per query, wall clock and this thread's CPU (which other processes on a busy machine do not
    inflate), and the share of the wall clock spent on spelling."""
    times, cpu = [], []
    with SpellingClock() as clock:
        for q in queries:
            start, start_cpu = time.perf_counter(), time.thread_time()
            client.get(endpoint, query_string={"q": q})
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.thread_time() - start_cpu) * 1000)
    return times, cpu, clock.seconds * 1000 / sum(times)


def in_process(queries: list[str], passes: int = 3) -> dict:
    """Latency of each API over the mix: a first pass on a new app (every word new to the speller), then the
    median of ``passes`` timed passes."""
    results = {}
    for endpoint in ("/api/search", "/api/locate"):
        client = create_app({"TESTING": True}).test_client()
        client.get(endpoint, query_string={"q": "muscle"})  # loads the atlas and opens the index
        first, _, first_share = timed_pass(client, endpoint, queries)
        p50s, p95s, cpu_p95s, shares = [], [], [], []
        for _ in range(passes):
            times, cpu, share = timed_pass(client, endpoint, queries)
            p50s.append(statistics.median(times))
            p95s.append(percentile(times, 95))
            cpu_p95s.append(percentile(cpu, 95))
            shares.append(share)
        results[endpoint] = {
            "p50_ms": statistics.median(p50s),
            "p95_ms": statistics.median(p95s),
            "cpu_p95_ms": statistics.median(cpu_p95s),
            "spelling_share": statistics.median(shares),
            "first_p50_ms": statistics.median(first),
            "first_p95_ms": percentile(first, 95),
            "first_spelling_share": first_share,
            "n": len(queries),
        }
    return results


def real_against_public(passes: int = 3) -> dict:
    """p95 of /api/search over the real phrasings and over the public phrases, each the median of ``passes``
    timed passes after a first one."""
    client = create_app({"TESTING": True}).test_client()
    client.get("/api/search", query_string={"q": "muscle"})
    mixes = {name: [c["query"] for c in json.loads((DATA / f).read_text())["cases"]] for name, f in MIXES.items()}
    results = {}
    for name, queries in mixes.items():
        timed_pass(client, "/api/search", queries)
        timed = [timed_pass(client, "/api/search", queries) for _ in range(passes)]
        results[name] = {
            "p95_ms": statistics.median(percentile(times, 95) for times, _, _ in timed),
            "cpu_p95_ms": statistics.median(percentile(cpu, 95) for _, cpu, _ in timed),
            "n": len(queries),
        }
    return results


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wrk(url: str, paths: list[str], visitors: bool = False) -> float:
    """Requests per second for GETs cycling through ``paths``; with ``visitors``, each request comes from its own
    address (``X-Forwarded-For``, for a server behind ``PROXY_FIX``)."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write("paths = {" + ",".join(json.dumps(p) for p in paths) + "}\n")
        script.write("threads = 0\nfunction setup(thread)\n  thread:set('id', threads)\n  threads = threads + 1\nend\n")
        script.write("i = 0\nrequest = function()\n  i = i + 1\n  local path = paths[(i - 1) % #paths + 1]\n")
        if visitors:
            script.write("  local address = '10.' .. id .. '.' .. (math.floor(i / 250) % 250) .. '.' .. (i % 250)\n")
            script.write("  return wrk.format('GET', path, {['X-Forwarded-For'] = address})\nend\n")
        else:
            script.write("  return wrk.format('GET', path)\nend\n")
    out = subprocess.run(
        ["wrk", "-t2", f"-c{WRK_CONNECTIONS}", f"-d{WRK_SECONDS}s", "-s", script.name, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    os.unlink(script.name)
    return float(next(line.split()[1] for line in out.splitlines() if line.startswith("Requests/sec")))


def warm(url: str, paths: list[str]) -> None:
    """Ask for each path a few times, so that each worker's page cache most likely holds it."""
    for path in paths * WARM_PASSES:
        urllib.request.urlopen(url + path).read()


@contextmanager
def served(**settings: str):
    """The address of ``gunicorn -w 2`` serving the app (with the bare route), with these ``ATLAS_`` settings."""
    port = free_port()
    environment = os.environ | {f"ATLAS_{name}": value for name, value in settings.items()}
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "--chdir",
            str(ROOT),
            "bench.wsgi:app",
        ],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        base = f"http://127.0.0.1:{port}"
        urllib.request.urlopen(f"{base}/_bench/bare", timeout=BOOT_SECONDS).read()  # a worker has the app loaded
        yield base
    finally:
        server.terminate()
        server.wait()


def under_load(muscles: list[str]) -> dict:
    """Cached muscle pages beside the bare route of the same server: the median of a few interleaved rounds."""
    with served() as base:
        muscle_paths = [f"/muscles/{m}" for m in muscles]
        wrk(base, ["/_bench/bare"])  # warm-up
        warm(base, muscle_paths)
        rounds = []
        for _ in range(LOAD_ROUNDS):  # interleaved, so a change in the machine's load falls on both alike
            rounds.append((wrk(base, ["/_bench/bare"]), wrk(base, muscle_paths)))
    return {
        "bare_rps": statistics.median(bare for bare, _ in rounds),
        "muscle_page_rps": statistics.median(muscle for _, muscle in rounds),
        "muscle_shares": [muscle / bare for bare, muscle in rounds],
    }


def uncached_pages(queries: list[str], muscles: list[str]) -> dict:
    """Muscle and search pages made afresh on every request (a server keeping no page: ``CACHE_TYPE=NullCache``,
    so every request costs what a URL nobody asked before costs), each request from its own address, as from many
    visitors (one client has one page in the making at a time), beside the bare route of the same server: the
    median of a few interleaved rounds."""
    with served(CACHE_TYPE="NullCache", PROXY_FIX="1") as base:
        paths = {"muscle": [f"/muscles/{m}" for m in muscles], "search": [f"/search?q={quote(q)}" for q in queries]}
        for kind in paths.values():
            wrk(base, kind, visitors=True)  # warm-up: records made once per build and worker, words corrected
        rounds = []
        for _ in range(LOAD_ROUNDS):
            bare = wrk(base, ["/_bench/bare"], visitors=True)
            rounds.append({kind: wrk(base, kind_paths, visitors=True) / bare for kind, kind_paths in paths.items()})
    return {kind: [r[kind] for r in rounds] for kind in paths}


def main() -> None:
    client = create_app({"TESTING": True}).test_client()
    queries = query_mix(client)
    muscles = [m["slug"] for m in client.get("/api/muscles").get_json()["muscles"]]
    print(f"in-process over {len(queries)} queries (median of 3 passes; first pass with every word new):")
    for endpoint, r in in_process(queries).items():
        print(
            f"  {endpoint}: p50 {r['p50_ms']:.2f} ms, p95 {r['p95_ms']:.2f} ms (CPU {r['cpu_p95_ms']:.2f} ms),"
            f" spelling {r['spelling_share']:.0%}"
            f" | first pass p50 {r['first_p50_ms']:.2f} ms, p95 {r['first_p95_ms']:.2f} ms,"
            f" spelling {r['first_spelling_share']:.0%}"
        )
    mixes = real_against_public()
    public, real = mixes["public phrases"], mixes["real phrasings"]
    print(f"/api/search p95 in-process (targets for the real phrasings: at most {REAL_P95_MS} ms and {REAL_RATIO}x):")
    for clock in ("p95_ms", "cpu_p95_ms"):
        print(
            f"  {'wall' if clock == 'p95_ms' else 'CPU '}: real phrasings {real[clock]:.2f} ms (n={real['n']}),"
            f" public phrases {public[clock]:.2f} ms (n={public['n']}), ratio {real[clock] / public[clock]:.2f}"
        )
    if "--in-process" in sys.argv:
        return
    if not shutil.which("wrk"):
        print("wrk is not installed (apt-get install wrk): skipping the load test")
        return
    load = under_load(muscles)
    print(f"gunicorn -w 2, wrk -t2 -c{WRK_CONNECTIONS} -d{WRK_SECONDS}s, median of {LOAD_ROUNDS} interleaved rounds:")
    print(f"  bare route   {load['bare_rps']:8.0f} req/s")
    print(
        f"  muscle page  {load['muscle_page_rps']:8.0f} req/s = {statistics.median(load['muscle_shares']):.0%} of bare"
        f" (cached; rounds: {', '.join(f'{x:.0%}' for x in load['muscle_shares'])})"
    )
    print(
        "no page cache (NullCache: every page made afresh, as a URL nobody asked before), each request its own address:"
    )
    for kind, shares in uncached_pages(queries, muscles).items():
        print(
            f"  {kind} page  {statistics.median(shares):.1%} of bare"
            f" (target {UNCACHED_TARGETS[kind]:.0%}; rounds: {', '.join(f'{x:.1%}' for x in shares)})"
        )


if __name__ == "__main__":
    main()
