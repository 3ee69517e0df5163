"""What an operator sees: commands that build only when they must, and errors on one line."""

import logging
import os
import shutil
import subprocess
from pathlib import Path

from app import create_app
from refdata import check
from search import live
from tests.conftest import run_flask

ROOT = Path(__file__).parent.parent
REFDATA = ROOT / "refdata"
BAD = Path(__file__).parent / "data" / "bad"
NOWHERE = "postgresql://postgres@127.0.0.1:1/nowhere"  # nothing listens on port 1


def flask(*args: str, **env: str) -> subprocess.CompletedProcess:
    """Run ``flask --app app ARGS`` as an operator would, with ``env`` added to the environment."""
    return run_flask(*args, env=os.environ | env)


def test_cli_commands_that_need_no_build_do_not_build(tmp_path):
    result = flask("refdata", "check", INDEX_DIR=str(tmp_path / "index"))
    assert result.returncode == 0, result.stderr
    assert "Building" not in result.stderr + result.stdout
    assert not (tmp_path / "index").exists()


def test_an_unreachable_database_is_one_line_for_the_cli(tmp_path):
    result = flask("corrections", "list", DATABASE_URL=NOWHERE, INDEX_DIR=str(tmp_path / "index"))
    assert result.returncode == 1
    lines = (result.stdout + result.stderr).strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("Error: Cannot reach the database at postgresql://postgres@127.0.0.1:1/nowhere")


def test_an_unreachable_database_is_one_line_and_the_server_starts_anyway(built, tmp_path, caplog):
    caplog.set_level(logging.INFO)
    app = create_app(dict(built, DATABASE_URL=NOWHERE, INDEX_DIR=str(tmp_path / "index")))
    try:
        errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
        assert len(errors) == 1 and errors[0].startswith("Cannot reach the database"), errors
        answer = app.test_client().get("/api/muscles/soleus")
        assert answer.status_code == 503 and int(answer.headers["Retry-After"]) > 0
        assert answer.get_json()["error"]
    finally:
        live.dispose(app)


def test_every_data_problem_is_in_the_log_at_start(built, tmp_path, caplog):
    folder = tmp_path / "refdata"
    shutil.copytree(REFDATA, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    shutil.copy(BAD / "banned-cure.yaml", folder / "muscles" / "zz.yaml")
    problems = [str(p) for p in check.problems(folder)]
    assert len(problems) >= 2
    caplog.set_level(logging.INFO)
    config = dict(built, REFDATA_DIR=str(folder), INDEX_DIR=str(tmp_path / "index"))
    if config["DATABASE_URL"].startswith("sqlite"):
        config["DATABASE_URL"] = f"sqlite:///{tmp_path / 'visitors.sqlite'}"
    app = create_app(config)
    live.dispose(app)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert all(problem in logged for problem in problems), logged


def test_a_broken_yaml_file_is_one_error(tmp_path):
    folder = tmp_path / "refdata"
    shutil.copytree(REFDATA, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    with open(folder / "muscles" / "arm.yaml", "a") as handle:
        handle.write("- slug: broken\n  name: [unclosed\n")
    problems = [str(p) for p in check.problems(folder)]
    assert len(problems) == 1, problems
    assert problems[0].startswith("muscles/arm.yaml: ") and "not valid YAML: line " in problems[0]
