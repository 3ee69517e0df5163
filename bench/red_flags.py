"""Red flags on real people's words: the right warning first, emergencies never missed, look-alikes left calm.

Five sets of phrases, each asked of /api/search and /api/locate (``q=`` the phrase, in-process):

- bench/data/real_flags.json: emergency and urgent phrasings and benign look-alikes quoted from public
  pages, split once into a development and a test half (scored apart; see its ``about``);
- bench/data/real_flags_dev2.json: a second development set, each phrasing written in a patient's words
  from one sign a public page lists (or its denial, its past, a worry, exertion or a risk factor alone);
- bench/data/real_flags_dev3.json: a third development set, real people's words quoted from public pages
  (forums, patient stories, health services' symptom pages), gathered after the reader was tuned on the others;
- bench/data/real_flags_dev4.json: a fourth development set, gathered the same way from other sites (and a few
  negations or pasts of a quote, marked derived), first scored on the reader as it stood;
- bench/data/red_flag_phrases.json: the older public set, written for the project (its everyday
  phrasings count as benign, except those in an emergency place: the chest and the belly).

For each, on the open warnings (``red_flags``):

- right flag first: the expected flag is the first (and, leniently, the expected flag or one the
  phrase also describes);
- missed emergencies: a phrase whose words are an emergency, with no emergency flag among them;
- missed flags: the expected flag not among them at all;
- false emergencies: a benign phrase with an emergency flag among them, by kind of look-alike;
  flags shown only because the words ask about them (``raised_by: question``) are counted apart.

Every figure is given for the whole half and without the rows from content farms, beside the same
figures for the naive baseline: the word matching of ``BASELINE``, the last commit before context was
read, run from a copy of that commit in a temporary folder. Per-phrase misses (``--misses``) are
listed for the development sets only: the test half is reported once, as figures.

Speed: each checkout also times /api/search in-process over every phrase of every set (a second pass,
after one that warms the speller's memory of words), wall clock and CPU, and the report gives p50 and
p95 and this checkout's p95 as a share of the baseline's (a ratio within one run: machines are noisy).

Run: .venv/bin/python bench/red_flags.py [--misses] [--no-baseline]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).parent.parent
DATA = ROOT / "bench" / "data"
REAL = DATA / "real_flags.json"
DEV2 = DATA / "real_flags_dev2.json"
DEV3 = DATA / "real_flags_dev3.json"
DEV4 = DATA / "real_flags_dev4.json"
PUBLIC = DATA / "red_flag_phrases.json"
ENDPOINTS = ("/api/search", "/api/locate")
BASELINE = "ea4c60a"  # the last commit whose red flags matched sign words without reading their context
CONTENT_FARM = "content-farm"
QUESTION = "question"  # raised_by of a flag the words only ask about
TARGETS = {"right first": ">= 95 %", "false emergencies": "<= 5 %"}
BY_KIND = "false emergencies by kind"


@dataclass(frozen=True)
class Case:
    query: str
    half: str  # dev, test, dev2, dev3, dev4 or public
    flag: str | None  # the expected flag; None for a benign phrase
    also: tuple[str, ...] = ()
    urgency: str | None = None  # of the words, for an expected flag
    kind: str = ""  # of a benign look-alike
    farm: bool = False  # quoted from a content farm


def real_cases(path: Path, half: str | None = None) -> list[Case]:
    """The phrases of a set of real phrasings, each in its own half (or all in ``half``)."""
    real = json.loads(path.read_text())
    found = [
        Case(
            c["query"],
            half or c["half"],
            c["flag"],
            tuple(c["also"]),
            c["urgency"],
            farm=c["source_kind"] == CONTENT_FARM,
        )
        for c in real["emergency"]
    ]
    found += [
        Case(c["query"], half or c["half"], None, kind=c["kind"], farm=c["source_kind"] == CONTENT_FARM)
        for c in real["benign"]
    ]
    return found


def cases() -> list[Case]:
    """Every phrase of every set."""
    found = real_cases(REAL) + real_cases(DEV2, "dev2") + real_cases(DEV3, "dev3") + real_cases(DEV4, "dev4")
    public = json.loads(PUBLIC.read_text())
    found += [
        Case(c["query"], "public", c["flag"], urgency="emergency" if c["emergency"] else "urgent")
        for c in public["emergency"]
    ]
    found += [Case(c["query"], "public", None, kind="everyday") for c in public["everyday"] if not c["emergency_place"]]
    return found


def answers(root: Path, queries: list[str]) -> dict[str, dict[str, list[dict]]]:
    """The open warnings each endpoint of the checkout at ``root`` shows for each query, asked in a child
    process, so that checkout's own code answers."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "queries.json"
        source.write_text(json.dumps(queries))
        run = subprocess.run(
            [sys.executable, __file__, "--answer", str(root), str(source), folder],
            capture_output=True,
            text=True,
            check=True,
        )
    return json.loads(run.stdout)


def answer(root: Path, source: Path, folder: str) -> None:
    """In a child process: print, as JSON, each query's open warnings from the checkout at ``root``."""
    sys.path.insert(0, str(root))
    from app import create_app

    config = {
        "TESTING": True,
        "DATABASE_URL": f"sqlite:///{folder}/atlas.sqlite",
        "INDEX_DIR": f"{folder}/index",
        "SECRET_KEY": "bench",
        "RATELIMIT_STORAGE_URI": "memory://",
    }
    client = create_app(config).test_client()
    queries = json.loads(source.read_text())
    shown = {}
    for query in queries:
        shown[query] = {}
        for endpoint in ENDPOINTS:
            response = client.get(endpoint, query_string={"q": query})
            flags = response.get_json()["red_flags"] if response.status_code == 200 else []
            shown[query][endpoint] = [
                {"id": f["id"], "urgency": f["urgency"], "raised_by": f.get("raised_by")} for f in flags
            ]
    times, cpu = [], []
    for query in queries:
        start, start_cpu = time.perf_counter(), time.thread_time()
        client.get("/api/search", query_string={"q": query})
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.thread_time() - start_cpu) * 1000)
    print(json.dumps({"shown": shown, "search_ms": times, "search_cpu_ms": cpu}))


def baseline_answers(queries: list[str]) -> dict:
    """The baseline's answers: BASELINE copied out of git into a temporary folder and asked there."""
    with tempfile.TemporaryDirectory() as folder:
        archive = subprocess.run(["git", "archive", BASELINE], cwd=ROOT, capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", folder], input=archive.stdout, check=True)
        return answers(Path(folder), queries)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def speed(systems: dict[str, dict]) -> None:
    """p50 and p95 of /api/search per checkout, wall clock and this thread's CPU (which other processes on a busy
    machine do not inflate), and this checkout's p95 as a share of the baseline's."""
    print("\n/api/search in-process over every phrase of every set (second pass):")
    p95 = {}
    for name, answered in systems.items():
        times, cpu = answered["search_ms"], answered["search_cpu_ms"]
        p95[name] = (percentile(times, 95), percentile(cpu, 95))
        print(
            f"  {name:<34} p50 {statistics.median(times):6.2f} ms   p95 {p95[name][0]:6.2f} ms"
            f"   CPU p50 {statistics.median(cpu):6.2f} ms   CPU p95 {p95[name][1]:6.2f} ms (goal <= 10 ms)"
        )
    if len(p95) == 2:
        (wall, cpu), (base_wall, base_cpu) = p95.values()
        print(f"  p95 ratio, this checkout / baseline: wall {wall / base_wall:.2f}, CPU {cpu / base_cpu:.2f}")


def describe(flags: list[dict]) -> str:
    return ", ".join(f"{f['id']} ({f['urgency']}, {f['raised_by']})" for f in flags) or "none"


def share(part: int, whole: int) -> str:
    return f"{part}/{whole} = {part / whole:.1%}" if whole else "-"


def score(group: list[Case], shown: dict, endpoint: str) -> tuple[dict[str, str], list[str]]:
    """The figures of one endpoint on a group of cases, and the misses behind them."""
    warned = [c for c in group if c.flag]
    benign = [c for c in group if not c.flag]
    right = lenient = missed_emergency = missed_flag = 0
    misses = []
    for c in warned:
        flags = shown[c.query][endpoint]
        ids = [f["id"] for f in flags]
        first = ids[:1] == [c.flag]
        right += first
        lenient += bool(ids) and ids[0] in (c.flag, *c.also)
        missed_flag += c.flag not in ids
        lost = c.urgency == "emergency" and not any(f["urgency"] == "emergency" for f in flags)
        missed_emergency += lost
        if not first or lost:
            misses.append(f"  {c.query!r}\n      want {c.flag} ({c.urgency}); got {describe(flags)}")
    alarms, asked = Counter(), Counter()
    for c in benign:
        flags = shown[c.query][endpoint]
        loud = [f for f in flags if f["urgency"] == "emergency"]
        if any(f["raised_by"] != QUESTION for f in loud):
            alarms[c.kind] += 1
            misses.append(f"  {c.query!r}\n      benign ({c.kind}); got {describe(flags)}")
        elif loud:
            asked[c.kind] += 1
    emergencies = sum(c.urgency == "emergency" for c in warned)
    kinds = Counter(c.kind for c in benign)
    figures = {
        "right first": share(right, len(warned)),
        "right or also first": share(lenient, len(warned)),
        "missed emergencies": share(missed_emergency, emergencies),
        "missed flags": share(missed_flag, len(warned)),
        "false emergencies": share(sum(alarms.values()), len(benign)),
        BY_KIND: ", ".join(f"{k} {alarms[k]}/{n}" for k, n in sorted(kinds.items())),
        "asked about (emergency, not raised)": share(sum(asked.values()), len(benign)),
    }
    return figures, misses


def report(title: str, group: list[Case], systems: dict[str, dict], show_misses: bool) -> None:
    print(f"\n{title}: {sum(bool(c.flag) for c in group)} warnings, {sum(not c.flag for c in group)} benign")
    for endpoint in ENDPOINTS:
        columns = {name: score(group, shown, endpoint) for name, shown in systems.items()}
        print(f"  {endpoint}" + "".join(f"{name:>34}" for name in columns))
        for measure in columns[next(iter(columns))][0]:
            if measure == BY_KIND:
                for name, (figures, _) in columns.items():
                    print(f"      {name}: {figures[measure]}")
                continue
            target = f" (goal {TARGETS[measure]})" if measure in TARGETS else ""
            row = "".join(f"{figures[measure]:>34}" for figures, _ in columns.values())
            print(f"    {measure + target:<42}{row}")
        if show_misses:
            print("    misses (this checkout):", *columns["this checkout"][1], sep="\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list the misses of the development sets")
    parser.add_argument("--no-baseline", action="store_true", help="skip the baseline (faster)")
    parser.add_argument("--answer", nargs=3, help=argparse.SUPPRESS)  # the child process of answers()
    args = parser.parse_args()
    if args.answer:
        root, source, folder = args.answer
        answer(Path(root), Path(source), folder)
        return
    everything = cases()
    queries = sorted({c.query for c in everything})
    systems = {"this checkout": answers(ROOT, queries)}
    if not args.no_baseline:
        systems[f"baseline ({BASELINE})"] = baseline_answers(queries)
    answered = systems
    systems = {name: a["shown"] for name, a in answered.items()}
    halves = defaultdict(list)
    for c in everything:
        halves[c.half].append(c)
    for half, title in (("dev", "Real phrasings, development half"), ("test", "Real phrasings, test half")):
        report(title, halves[half], systems, args.misses and half == "dev")
        report(f"{title}, without content farms", [c for c in halves[half] if not c.farm], systems, False)
    report("Second development set", halves["dev2"], systems, args.misses)
    report("Third development set", halves["dev3"], systems, args.misses)
    report("Fourth development set", halves["dev4"], systems, args.misses)
    report("Public set (written for the project)", halves["public"], systems, args.misses)
    speed(answered)


if __name__ == "__main__":
    main()
