"""Relevance: mean recall@10 per kind, for our search and for a naive BM25 baseline.

Four sets of phrases: the public set (bench/data/location_queries.json), the
development set (bench/data/dev_queries.json, grouped by kind), a small
fresh one written after the data grew from the development set's misses
(bench/data/fresh_queries.json, same kinds), and real people's phrasings from
public pages (bench/data/real_phrasings.json), scored per half (dev, test), with
more of them for development only (bench/data/real_phrasings_dev2.json and
bench/data/real_phrasings_dev3.json, the third gathered later, with a
"whole-area" kind).
For each phrase take the first 10 distinct muscles that /api/search and
/api/locate return (in-process, with Flask's test client) and score the share
of the expected muscles among them: a set with a "muscles" table matches each
expected key by its regex, one without matches expected slugs exactly. Beside
them, scored in the same run, a naive baseline: a plain Whoosh index built in a
temporary folder, one document per muscle (name, aliases, lay names, the names
and words of its referral regions, symptoms), default analyzer, BM25F defaults,
the query's words OR-ed; no grammar, no tuning.

Nonsense phrases expect no muscle: their row is the share that return none,
and the overall row leaves them out. The last columns are each endpoint minus
the baseline. With --misses, also list the muscles each phrase missed (never
for the test half of the real phrasings: it is scored, not read).

Run: .venv/bin/python bench/relevance.py [--misses]
"""

import json
import re
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import ID
from whoosh.fields import TEXT
from whoosh.fields import Schema
from whoosh.qparser import OrGroup
from whoosh.qparser import QueryParser

ROOT = Path(__file__).parent.parent
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from refdata import schema  # noqa: E402
from refdata.load import read  # noqa: E402

SETS = {
    "public": ROOT / "bench" / "data" / "location_queries.json",
    "dev": ROOT / "bench" / "data" / "dev_queries.json",
    "fresh": ROOT / "bench" / "data" / "fresh_queries.json",
    "real": ROOT / "bench" / "data" / "real_phrasings.json",
    "real-dev2": ROOT / "bench" / "data" / "real_phrasings_dev2.json",
    "real-dev3": ROOT / "bench" / "data" / "real_phrasings_dev3.json",
}
UNREAD_HALF = "test"  # the half of a split set whose misses are never listed
ENDPOINTS = ("/api/search", "/api/locate")
K = 10
NONSENSE = "nonsense"
FETCH = 50  # results asked of each endpoint, enough for 10 distinct muscles
SYSTEMS = (*ENDPOINTS, "baseline")
ROW = "{:<11}{:<20}{:>4}{:>9}{:>9}{:>10}{:>10}{:>10}"


def first_muscles(payload: dict, k: int = K) -> list[tuple[str, str]]:
    """The first k distinct muscles of an API answer, as (slug, name)."""
    names: dict[str, str] = {}
    for result in payload["results"]:
        if len(names) == k:
            break
        if muscle := result.get("muscle"):
            names.setdefault(muscle["slug"], muscle["name"])
    return list(names.items())


def matches(key: str, muscle: tuple[str, str], patterns: dict[str, str] | None) -> bool:
    """Whether a returned muscle is the expected ``key``: by its regex over 'name slug' (lower-cased, dashes as
    spaces) when the set has patterns, else by slug."""
    slug, name = muscle
    if patterns is None:
        return key == slug
    return bool(re.search(patterns[key], f"{name} {slug}".lower().replace("-", " ")))


def recall(found: list[tuple[str, str]], expected: list[str], patterns: dict | None) -> tuple[float, str]:
    """Share of the expected muscles found, and what went wrong; no expectation means 'find none'."""
    if not expected:
        return float(not found), f"returned {len(found)} muscles" if found else ""
    missing = [key for key in expected if not any(matches(key, muscle, patterns) for muscle in found)]
    return 1 - len(missing) / len(expected), f"missing {', '.join(missing)}" if missing else ""


def baseline_documents() -> list[dict]:
    """One flat document per muscle, from refdata/ as it stands."""
    data = read(ROOT / "refdata")
    regions = {r.id: r for r in data.items(schema.Region)}
    docs = []
    for m in data.items(schema.Muscle):
        referred = {r for t in m.trigger_points for r in [*t.referral.essential, *t.referral.spillover]}
        places = [f"{regions[r].name} {' '.join(regions[r].words)}" for r in sorted(referred)]
        symptoms = [s for t in m.trigger_points for s in t.symptoms]
        docs.append(
            {"slug": m.slug, "name": m.name, "content": " ".join([m.name, *m.aliases, *m.lay, *places, *symptoms])}
        )
    return docs


class Baseline:
    """A plain Whoosh BM25 index over the muscle documents."""

    def __init__(self, folder: str):
        docs = baseline_documents()
        self.names = {d["slug"]: d["name"] for d in docs}
        ix = whoosh_index.create_in(folder, Schema(slug=ID(stored=True), content=TEXT))
        with ix.writer() as writer:
            for d in docs:
                writer.add_document(slug=d["slug"], content=d["content"])
        self.searcher = ix.searcher()
        self.parser = QueryParser("content", ix.schema, group=OrGroup)

    def muscles(self, text: str) -> list[tuple[str, str]]:
        hits = self.searcher.search(self.parser.parse(text), limit=K)
        return [(hit["slug"], self.names[hit["slug"]]) for hit in hits]


def score_set(name: str, path: Path, client, baseline: Baseline) -> tuple[dict, list[str]]:
    """Scores per part (the set, or each of its halves), kind and system, and the misses as printable lines."""
    data = json.loads(path.read_text())
    scores: dict[str, dict[str, dict[str, list[float]]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    misses = []
    for case in data["cases"]:
        part = f"{name}-{case['half']}" if "half" in case else name
        kind = case.get("kind", "all")
        found = {"baseline": baseline.muscles(case["query"])}
        for endpoint in ENDPOINTS:
            response = client.get(endpoint, query_string={"q": case["query"], "limit": FETCH})
            found[endpoint] = first_muscles(response.get_json()) if response.status_code == 200 else []
        for system, muscles in found.items():
            score, wrong = recall(muscles, case["expect"], data.get("muscles"))
            scores[part][kind][system].append(score)
            if wrong and case.get("half") != UNREAD_HALF:
                misses.append(f"  {part} {kind} {system} {case['query']!r}: {wrong}")
    return scores, misses


def mean(values: list[float]) -> float:
    """The plain mean."""
    return sum(values) / len(values)


def table(name: str, scores: dict) -> list[str]:
    """Rows: kind, n, search, locate, baseline, and each endpoint minus the baseline."""
    rows = [ROW.format(name, "kind", "n", "search", "locate", "baseline", "search-b", "locate-b")]
    overall = defaultdict(list)
    for kind in sorted(scores, key=lambda k: (k == NONSENSE, k)):
        if kind != NONSENSE:
            for system in SYSTEMS:
                overall[system] += scores[kind][system]
        rows.append(line(kind, scores[kind]))
    if len(scores) > 1:
        rows.append(line("overall", overall))
    return rows


def line(kind: str, scores: dict) -> str:
    """One table row: the mean of each system over the row's phrases."""
    search, locate, base = (mean(scores[s]) for s in SYSTEMS)
    figures = (f"{search:.3f}", f"{locate:.3f}", f"{base:.3f}", f"{search - base:+.3f}", f"{locate - base:+.3f}")
    return ROW.format("", kind, len(scores[SYSTEMS[0]]), *figures)


def main() -> None:
    """Score every set on both endpoints and the baseline, and print the tables."""
    client = create_app({"TESTING": True}).test_client()
    all_misses = []
    with tempfile.TemporaryDirectory() as folder:
        baseline = Baseline(folder)
        for name, path in SETS.items():
            parts, misses = score_set(name, path, client, baseline)
            all_misses += misses
            for part, scores in sorted(parts.items()):
                print("\n".join(table(part, scores)))
                if NONSENSE in scores:
                    shares = ", ".join(f"{s} {mean(scores[NONSENSE][s]):.2f}" for s in SYSTEMS)
                    print(f"{part:<11}nonsense phrases returning no muscle: {shares}")
                print()
        baseline.searcher.close()
    print(f"recall@{K}; nonsense rows: share of phrases returning no muscle (left out of 'overall')")
    if "--misses" in sys.argv:
        print("\n".join(all_misses))


if __name__ == "__main__":
    main()
