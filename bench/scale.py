"""Growth without cliffs: the site on 1×, 4× and 16× copies of its data, each figure a ratio to the 1× one.

Each size is a temporary copy of refdata/ to which every muscle is added again (factor - 1) times under new
slugs and names, with its trigger points and needling hazards. For each size, a fresh process (a worker's
first start: the build, then its first requests) reports

- the build's time per phase: reading the YAML, the checker, loading the reference tables, the downloads,
  the search index, and the location atlas each worker needs before it answers;
- the first start (the whole build and the atlas) and the memory of the worker (RSS after the first requests);
- in-process p50 and p95 of /api/search and /api/locate over the relevance sets' phrases (the same at
  every size; the median of a few passes after a first one);
- cached muscle pages (the same pages at every size) as a share of a bare route in the same app.

Targets at 16×: every build phase linear (the checker at most 20× its 1× cost), search and locate p95 at most
2× their 1× figure, cached pages at least 80 % of their 1× share, the first start under 20 s. Each size runs
``--rounds`` times (default 3); the median and the range are reported.

Run: .venv/bin/python bench/scale.py [--factors 1 4 16] [--rounds 3]
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data"
SETS = ("location_queries.json", "dev_queries.json")
FACTORS = (1, 4, 16)
ROUNDS = 3
PASSES = 3  # timed passes over the phrases per endpoint; the median is kept
PAGES = 40  # cached muscle pages measured (muscles of the original data, so the same at every size)
PAGE_LOOPS = 5  # times each cached page (and as many bare requests) is asked
PHASES = ("read", "check", "load", "downloads", "index", "atlas")
LINEAR_LIMIT = 20 / 16  # a phase's 16× cost at most 20× its 1× cost
LATENCY_LIMIT = 2.0  # search and locate p95 at 16× at most twice the 1× figure
CACHED_SHARE = 0.8  # cached pages at 16× keep at least 80 % of their 1× share of bare
FIRST_START_LIMIT = 20.0  # seconds, at 16×
COPY_NOTE = "A synthetic copy made by bench/scale.py; it has no term of its own."


def grow(target: Path, factor: int) -> None:
    """Copy refdata/ into ``target`` with every muscle (its trigger points and hazards) there ``factor`` times."""
    shutil.copytree(ROOT / "refdata", target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    for path in sorted((target / "muscles").glob("*.yaml")):
        muscles = yaml.safe_load(path.read_text())
        copies = [renamed(m, n) for n in range(2, factor + 1) for m in muscles]
        path.write_text(yaml.dump(muscles + copies, Dumper=dumper, allow_unicode=True, sort_keys=False))
    hazards_file = target / "hazards.yaml"
    hazards = yaml.safe_load(hazards_file.read_text())
    copies = [h | {"muscle": f"{h['muscle']}-copy{n}"} for n in range(2, factor + 1) for h in hazards]
    hazards_file.write_text(yaml.dump(hazards + copies, Dumper=dumper, allow_unicode=True, sort_keys=False))


def renamed(muscle: dict, n: int) -> dict:
    """Copy ``n`` of a muscle: new slugs, names, aliases and Latin name, no UBERON term of its own."""
    points = [t | {"slug": f"{t['slug']}-copy{n}"} for t in muscle["trigger_points"]]
    return muscle | {
        "slug": f"{muscle['slug']}-copy{n}",
        "name": f"{muscle['name']} copy {n}",
        "latin": f"{muscle['latin']} copy {n}",
        "aliases": [f"{a} copy {n}" for a in muscle.get("aliases", [])],
        "identifiers": {"note": COPY_NOTE},
        "trigger_points": points,
    }


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def rss_mb() -> float:
    """This process's resident memory, in MB."""
    status = Path("/proc/self/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:"))) / 1024


class PhaseClock:
    """Adds up the seconds spent in each phase of the build (and the atlas) while installed."""

    def __init__(self):
        from refdata import check
        from search import build
        from search import locate

        self.seconds = dict.fromkeys(PHASES, 0.0)  # CPU seconds (a busy machine does not inflate them)
        self.targets = {
            "read": (build, "read"),
            "check": (check.Checker, "run"),
            "load": (build, "load"),
            "downloads": (build.downloads, "write"),
            "index": (build.index, "write_index"),
            "atlas": (locate, "load_atlas"),
        }
        self.originals = {}

    def __enter__(self):
        for phase, (owner, name) in self.targets.items():
            self.originals[phase] = getattr(owner, name)
            setattr(owner, name, self.timed(phase, self.originals[phase]))
        return self

    def timed(self, phase: str, original):
        def run(*args, **kwargs):
            start = time.thread_time()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds[phase] += time.thread_time() - start

        return run

    def __exit__(self, *exc):
        for phase, (owner, name) in self.targets.items():
            setattr(owner, name, self.originals[phase])


def latency(client, endpoint: str, queries: list[str]) -> dict:
    """p50 and p95 in ms of ``endpoint`` over ``queries``, wall clock and CPU: the median of ``PASSES`` passes
    after a first one."""
    passes = []
    for _ in range(PASSES + 1):
        wall, cpu = [], []
        for q in queries:
            start, start_cpu = time.perf_counter(), time.thread_time()
            client.get(endpoint, query_string={"q": q})
            wall.append((time.perf_counter() - start) * 1000)
            cpu.append((time.thread_time() - start_cpu) * 1000)
        passes.append((wall, cpu))
    return {
        "p50_ms": statistics.median(statistics.median(wall) for wall, _ in passes[1:]),
        "p95_ms": statistics.median(percentile(wall, 95) for wall, _ in passes[1:]),
        "cpu_p50_ms": statistics.median(statistics.median(cpu) for _, cpu in passes[1:]),
        "cpu_p95_ms": statistics.median(percentile(cpu, 95) for _, cpu in passes[1:]),
    }


def cached_share(client, pages: list[str]) -> float:
    """Cached pages as a share of a bare route: the bare route's time over the pages' for as many requests."""
    for page in pages:
        assert client.get(page).status_code == 200, page
    start = time.perf_counter()
    for _ in range(PAGE_LOOPS):
        for page in pages:
            client.get(page)
    page_time = time.perf_counter() - start
    start = time.perf_counter()
    for _ in range(PAGE_LOOPS * len(pages)):
        client.get("/_bench/bare")
    return (time.perf_counter() - start) / page_time


def measure() -> dict:
    """One size, in this process: the first start (timed by phase), the worker's memory and speed."""
    with PhaseClock() as clock:
        start, start_cpu = time.perf_counter(), time.process_time()
        from app import create_app
        from search.answers import warm

        app = create_app({"AUTO_BUILD": True})
        warm(app)  # as each gunicorn worker does before its first request (gunicorn.conf.py)
        first_start, first_start_cpu = time.perf_counter() - start, time.process_time() - start_cpu
        app.add_url_rule("/_bench/bare", "bench_bare", lambda: "ok")
        client = app.test_client()
        muscles = client.get("/api/muscles").get_json()["muscles"]
        pages = [f"/muscles/{m['slug']}" for m in muscles if "-copy" not in m["slug"]]
        client.get("/api/search", query_string={"q": "knee pain"})
        client.get("/api/locate", query_string={"q": "knee pain"})
        client.get(pages[0])
    memory = rss_mb()
    queries = [c["query"] for name in SETS for c in json.loads((DATA / name).read_text())["cases"]]
    return {
        "phases": clock.seconds,
        "first_start": first_start,
        "first_start_cpu": first_start_cpu,
        "rss_mb": memory,
        "search": latency(client, "/api/search", queries),
        "locate": latency(client, "/api/locate", queries),
        "cached_share": cached_share(client, pages[:: max(1, len(pages) // PAGES)][:PAGES]),
        "muscles": len(muscles),
    }


def run_size(factor: int) -> dict:
    """Grow the data ``factor`` times in a temporary folder and measure it in a fresh process."""
    with tempfile.TemporaryDirectory(prefix="atlas-scale-") as tmp:
        folder = Path(tmp)
        grow(folder / "refdata", factor)
        env = os.environ | {
            "ATLAS_REFDATA_DIR": str(folder / "refdata"),
            "INDEX_DIR": str(folder / "index"),
            "DATABASE_URL": f"sqlite:///{folder / 'atlas.sqlite'}",
            "RATELIMIT_STORAGE_URI": "memory://",
        }
        out = subprocess.run(
            [sys.executable, __file__, "--measure"], env=env, cwd=ROOT, capture_output=True, text=True, check=False
        )
        if out.returncode:
            raise SystemExit(f"measuring {factor}× failed:\n{out.stderr}")
        return json.loads(out.stdout.splitlines()[-1])


def spread(values: list[float], fmt: str) -> str:
    """The median and the range of ``values``."""
    return f"{format(statistics.median(values), fmt)} ({format(min(values), fmt)}–{format(max(values), fmt)})"


def report(runs: dict[int, list[dict]]) -> None:
    """Each figure per size, as the median (range) of the rounds, and as a ratio to the 1× median."""
    base = min(runs)

    def figure(factor: int, get) -> list[float]:
        return [get(r) for r in runs[factor]]

    def line(label: str, get, fmt: str, unit: str) -> None:
        cells = []
        first = statistics.median(figure(base, get))
        for factor in runs:
            values = figure(factor, get)
            ratio = statistics.median(values) / first if first else float("nan")
            cells.append(f"{factor}×: {spread(values, fmt)}{unit} = {ratio:.2f}×")
        print(f"  {label:<24} " + " | ".join(cells))

    sizes = ", ".join(f"{f}× ({runs[f][0]['muscles']} muscles)" for f in runs)
    print(f"sizes: {sizes}; median (range) of {len(runs[base])} rounds, ratio to the {base}× median")
    print("build, CPU seconds per phase (target: linear, the checker at most 20× at 16×):")
    for phase in PHASES:
        line(phase, lambda r, p=phase: r["phases"][p], ".2f", " s")
    print("worker:")
    line("first start (wall)", lambda r: r["first_start"], ".1f", " s")
    line("first start (CPU)", lambda r: r["first_start_cpu"], ".1f", " s")
    line("memory (RSS)", lambda r: r["rss_mb"], ".0f", " MB")
    print("in-process latency, wall clock and CPU (target: p95 at 16× at most 2× the 1× figure):")
    for endpoint in ("search", "locate"):
        for clock, prefix in (("wall", ""), ("CPU", "cpu_")):
            for p in ("p50", "p95"):
                line(f"/api/{endpoint} {p} {clock}", lambda r, e=endpoint, k=f"{prefix}{p}_ms": r[e][k], ".2f", " ms")
    print("cached pages (target: at 16× at least 80 % of the 1× share of bare):")
    line("share of bare", lambda r: r["cached_share"], ".2f", "")
    verdict(runs)


def verdict(runs: dict[int, list[dict]]) -> None:
    """Each target, met or not, at the largest size against the smallest (medians; CPU where the machine is busy)."""
    small, large = min(runs), max(runs)

    def median(factor: int, get) -> float:
        return statistics.median(get(r) for r in runs[factor])

    def ratio(get) -> float:
        return median(large, get) / median(small, get)

    growth = large / small
    checks = []  # (what was measured against its target, whether it is met)
    for phase in PHASES:
        grown = ratio(lambda r, p=phase: r["phases"][p])
        checks.append(
            (f"{phase} {grown:.1f}× (linear: at most {LINEAR_LIMIT * growth:g}×)", grown <= LINEAR_LIMIT * growth)
        )
    for endpoint in ("search", "locate"):
        grown = ratio(lambda r, e=endpoint: r[e]["cpu_p95_ms"])
        checks.append((f"/api/{endpoint} CPU p95 {grown:.2f}× (at most {LATENCY_LIMIT:g}×)", grown <= LATENCY_LIMIT))
    kept = ratio(lambda r: r["cached_share"])
    checks.append((f"cached pages keep {kept:.0%} of their share (at least {CACHED_SHARE:.0%})", kept >= CACHED_SHARE))
    for clock in ("first_start", "first_start_cpu"):
        seconds = median(large, lambda r, c=clock: r[c])
        label = "wall" if clock == "first_start" else "CPU"
        checks.append(
            (f"first start ({label}) {seconds:.1f} s (under {FIRST_START_LIMIT:g} s)", seconds < FIRST_START_LIMIT)
        )
    print(f"targets, {large}× against {small}×:")
    for label, met in checks:
        print(f"  {'met ' if met else 'MISSED'} {label}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factors", type=int, nargs="+", default=list(FACTORS))
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        sys.path.insert(0, str(ROOT))
        os.environ["ATLAS_AUTO_BUILD"] = "false"  # the module's own app; measure() makes the one it times
        print(json.dumps(measure()))
        return
    runs = {f: [] for f in args.factors}
    for _ in range(args.rounds):  # interleaved, so a change in the machine's load falls on every size alike
        for factor in args.factors:
            runs[factor].append(run_size(factor))
    report(runs)


if __name__ == "__main__":
    main()
