"""Relevance on the public set: mean recall@10 of the muscles a pain guide lists first.

For each symptom phrase in bench/data/location_queries.json, take the first 10
distinct muscles that /api/search (and, separately, /api/locate) return, and
score the share of the expected muscles among them. Prints both means and the
misses. Run: .venv/bin/python bench/relevance.py
"""

import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent))

from app import create_app  # noqa: E402

CASES = Path(__file__).parent / "data" / "location_queries.json"
K = 10


def first_muscles(payload: dict, k: int = K) -> list[str]:
    """The first k distinct muscles, as 'name slug', lower-cased, dashes as spaces (the set's matching rule)."""
    names: dict[str, str] = {}
    for result in payload["results"]:
        if len(names) == k:
            break
        if muscle := result.get("muscle"):
            names.setdefault(muscle["slug"], muscle["name"])
    return [f"{name} {slug}".lower().replace("-", " ") for slug, name in names.items()]


def recall(found: list[str], expected: list[str], patterns: dict[str, str]) -> tuple[float, list[str]]:
    missing = [key for key in expected if not any(re.search(patterns[key], text) for text in found)]
    return 1 - len(missing) / len(expected), missing


def main() -> None:
    data = json.loads(CASES.read_text())
    client = create_app({"TESTING": True}).test_client()
    for endpoint in ("/api/search", "/api/locate"):
        scores, misses = [], []
        for case in data["cases"]:
            response = client.get(endpoint, query_string={"q": case["query"], "limit": 50})
            found = first_muscles(response.get_json()) if response.status_code == 200 else []
            score, missing = recall(found, case["expect"], data["muscles"])
            scores.append(score)
            if missing:
                misses.append(f"  {case['query']!r}: missing {', '.join(missing)}")
        print(f"{endpoint}: mean recall@{K} = {sum(scores) / len(scores):.3f} over {len(scores)} cases")
        print("\n".join(misses) if misses else "  no misses")


if __name__ == "__main__":
    main()
