"""The app as served in the speed benchmark, plus a bare route that returns a short string: the ceiling."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent))

from app import app  # noqa: E402


@app.route("/_bench/bare")
def bare():
    return "ok"
