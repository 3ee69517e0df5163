"""Red flags on the public bench set: the right warning first, emergencies raised, everyday pain left quiet.

For each phrase in bench/data/red_flag_phrases.json, ask /api/search (and,
separately, /api/locate) and read ``red_flags``, the warnings shown open
before any muscle. Four scores, each with its goal:

- right flag first: the expected flag is the first of ``red_flags`` (goal 95 % or more);
- emergencies raised: every phrase whose expected flag is an emergency raises at least
  one emergency flag in ``red_flags`` (goal 100 %);
- everyday with an emergency first: everyday pain, outside the places that are themselves
  emergency places (chest, belly), whose first flag is an emergency (goal 20 % or less);
- median flags for everyday phrasings: how many flags ``red_flags`` holds (goal 2 or fewer).

Prints the scores and the misses. Run: .venv/bin/python bench/red_flags.py
"""

import json
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent))

from app import create_app  # noqa: E402

CASES = Path(__file__).parent / "data" / "red_flag_phrases.json"
ENDPOINTS = ("/api/search", "/api/locate")


def flags_for(client, endpoint: str, text: str) -> list[dict]:
    """The red flags an endpoint shows open for ``text`` (none if it refuses the phrase)."""
    response = client.get(endpoint, query_string={"q": text})
    return response.get_json()["red_flags"] if response.status_code == 200 else []


def describe(flags: list[dict]) -> str:
    return ", ".join(f"{f['id']} ({f['urgency']})" for f in flags) or "none"


def score(client, endpoint: str, data: dict) -> list[str]:
    """The report lines for one endpoint."""
    right, raised, emergencies, misses = 0, 0, 0, []
    for case in data["emergency"]:
        flags = flags_for(client, endpoint, case["query"])
        first_ok = bool(flags) and flags[0]["id"] == case["flag"]
        right += first_ok
        raised_ok = any(f["urgency"] == "emergency" for f in flags)
        if case["emergency"]:
            emergencies += 1
            raised += raised_ok
        if not first_ok or (case["emergency"] and not raised_ok):
            misses.append(f"  {case['query']!r}: want {case['flag']}; got {describe(flags)}")
    loud, quiet, counts = [], 0, []
    for case in data["everyday"]:
        flags = flags_for(client, endpoint, case["query"])
        counts.append(len(flags))
        if case["emergency_place"]:
            continue
        quiet += 1
        if flags and flags[0]["urgency"] == "emergency":
            loud.append(f"  {case['query']!r}: emergency first: {describe(flags)}")
    total = len(data["emergency"])
    return [
        f"{endpoint}:",
        f"  right flag first: {right}/{total} = {right / total:.0%} (goal >= 95 %)",
        f"  emergency phrasings raising an emergency flag: {raised}/{emergencies} = {raised / emergencies:.0%}"
        " (goal 100 %)",
        f"  everyday phrasings with an emergency flag first: {len(loud)}/{quiet} = {len(loud) / quiet:.0%}"
        " (goal <= 20 %, emergency places excluded)",
        f"  median flags in red_flags for everyday phrasings: {statistics.median(counts):g}"
        f" (max {max(counts)}; goal <= 2)",
        "  misses:" if misses or loud else "  no misses",
        *misses,
        *loud,
    ]


def main() -> None:
    data = json.loads(CASES.read_text())
    client = create_app({"TESTING": True}).test_client()
    for endpoint in ENDPOINTS:
        print("\n".join(score(client, endpoint, data)))


if __name__ == "__main__":
    main()
