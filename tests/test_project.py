"""What a newcomer relies on: the README's commands are the ones CI runs."""

import re
from pathlib import Path

ROOT = Path(__file__).parent.parent


def readme_command(heading: str) -> str:
    section = ROOT.joinpath("README.md").read_text().split(f"## {heading}", 1)[1]
    return re.search(r"```sh\n(.+?)\n```", section, re.S).group(1).strip()


def test_ci_runs_the_readme_test_command():
    assert readme_command("Test it") in ROOT.joinpath(".ci", "run").read_text()


def test_readme_run_command_starts_the_app():
    assert readme_command("Run it").endswith("flask --app app run")
