"""Building: first start, rebuilds, and the swap that keeps the old index serving."""

from pathlib import Path

from app import create_app
from search import index
from search import live
from search.build import build
from search.build import built_fingerprint
from search.build import data_fingerprint


def test_create_app_builds_on_first_start_and_reuses_later(tmp_path, built):
    config = dict(built, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite'}", INDEX_DIR=str(tmp_path / "index"))
    app = create_app(config)
    first = index.current_folder(tmp_path / "index")
    assert first is not None
    assert built_fingerprint(app) == data_fingerprint(app)
    again = create_app(config)
    assert index.current_folder(tmp_path / "index") == first  # nothing rebuilt
    live.dispose(app)
    live.dispose(again)


def test_build_command_is_idempotent_and_swaps_the_index(runner, app):
    root = Path(app.config["INDEX_DIR"])
    reader = index.IndexReader(root)
    with app.app_context():
        old = reader.searcher()
        before = old.doc_count()
    result = runner.invoke(args=["build"])
    assert result.exit_code == 0, result.output
    assert "Built the database and the search index" in result.output
    # The old searcher keeps answering until it is replaced; the next call sees the new index.
    assert old.doc_count() == before
    assert reader.searcher() is not old
    assert reader.searcher().doc_count() == before
    # The build it replaced stays for requests still reading it; older ones go.
    assert len([p for p in root.iterdir() if p.name.startswith("build-")]) == 2
    assert runner.invoke(args=["build"]).exit_code == 0
    assert len([p for p in root.iterdir() if p.name.startswith("build-")]) == 2
    assert app.test_client().get("/api/search?q=masseter").status_code == 200


def test_a_request_reads_one_build_from_start_to_end(app):
    reader = app.extensions["index"]
    with app.test_request_context("/"):
        started = reader.folder()
        build(app)
        assert index.current_folder(Path(app.config["INDEX_DIR"])) != started
        assert reader.folder() == started  # the new build is for the next request
    with app.test_request_context("/"):
        assert reader.folder() != started


def test_bad_data_stops_the_build(runner, app, tmp_path):
    import shutil

    folder = tmp_path / "refdata"
    shutil.copytree(app.config["REFDATA_DIR"], folder)
    shutil.copy(Path(__file__).parent / "data" / "bad" / "banned-cure.yaml", folder / "muscles" / "zz.yaml")
    app.config["REFDATA_DIR"] = str(folder)
    result = runner.invoke(args=["build"])
    assert result.exit_code == 1
    assert "refdata has problems" in result.output
