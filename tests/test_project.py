"""What a newcomer relies on: the README's commands are the ones CI runs."""

import ast
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


def imported_packages(folder: str) -> set[str]:
    """The top-level names the modules of a folder import."""
    names = set()
    for path in ROOT.joinpath(folder).glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module.split(".")[0])
    return names


def test_dependencies_point_one_way():
    # app -> search -> refdata; nothing imports the web module, refdata imports nothing of ours.
    assert not imported_packages("refdata") & {"app", "search"}
    assert "app" not in imported_packages("search")


def test_the_run_install_leaves_test_tools_out():
    runtime = ROOT.joinpath("requirements.txt").read_text().lower()
    assert "pytest" not in runtime and "playwright" not in runtime
    assert "-r requirements.txt" in ROOT.joinpath("requirements-test.txt").read_text()
    assert "requirements-test.txt" in readme_command("Test it")
