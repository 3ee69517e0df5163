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


OURS = {"app", "web", "search", "plan", "study", "figure", "refdata"}
WEB_FRAMEWORK = {"flask", "flask_wtf", "wtforms", "flask_limiter", "flask_talisman", "werkzeug"}


def imported_packages(*paths: str) -> set[str]:
    """The top-level names the modules under ``paths`` (folders or files) import."""
    names = set()
    for name in paths:
        path = ROOT / name
        for module in path.rglob("*.py") if path.is_dir() else [path]:
            for node in ast.walk(ast.parse(module.read_text())):
                if isinstance(node, ast.Import):
                    names |= {alias.name.split(".")[0] for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module:
                    names.add(node.module.split(".")[0])
    return names


def test_refdata_is_only_the_data():
    assert not imported_packages("refdata") & (OURS - {"refdata"})
    assert not imported_packages("refdata") & WEB_FRAMEWORK


def test_dependencies_point_one_way():
    # web -> (search, plan, study, figure) -> refdata; only app.py and the tests import the web package.
    assert imported_packages("search") & OURS <= {"search", "refdata"}
    assert imported_packages("plan") & OURS <= {"plan", "refdata"}
    assert imported_packages("study") & OURS <= {"study", "figure", "refdata"}
    assert imported_packages("figure") & OURS <= {"figure", "refdata"}
    assert {"search", "refdata"} <= imported_packages("web")
    assert "app" not in imported_packages("web")
    for folder in OURS - {"app", "web"} | {"bench"}:
        assert "web" not in imported_packages(folder), folder
    assert "web" in imported_packages("app.py")


def test_the_factory_is_only_the_factory():
    assert len(ROOT.joinpath("app.py").read_text().splitlines()) < 200


def test_the_run_install_leaves_test_tools_out():
    runtime = ROOT.joinpath("requirements.txt").read_text().lower()
    assert "pytest" not in runtime and "playwright" not in runtime
    assert "-r requirements.txt" in ROOT.joinpath("requirements-test.txt").read_text()
    assert "requirements-test.txt" in readme_command("Test it")
