"""Building the site's two outputs from refdata/: the database and the search index.

A build checks the YAML, loads it into the database (:mod:`refdata.load`) and
writes a new index beside the live one (:mod:`search.index`), under one file
lock so several workers starting together build once. Both outputs carry the
fingerprint of the data they came from; :func:`ensure_built` rebuilds only when
that fingerprint no longer matches. This module lives in ``search`` because it
drives both halves, and ``refdata`` depends on nothing of ours.
"""

from __future__ import annotations

import fcntl
from contextlib import contextmanager
from pathlib import Path

import click
from flask import Flask
from flask import current_app
from flask.cli import with_appcontext

from refdata import check
from refdata import db
from refdata import models
from refdata.load import fingerprint
from refdata.load import load
from refdata.load import read
from search import index


def init_app(app: Flask) -> None:
    """Register ``flask build``."""
    app.cli.add_command(build_command)


@contextmanager
def build_lock(app: Flask):
    """One build at a time, even with several worker processes starting together."""
    with open(Path(app.instance_path) / "build.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def data_fingerprint(app: Flask) -> str:
    """What a build depends on: the data files, and the table and index layouts of this version of the code."""
    return f"{fingerprint(Path(app.config['REFDATA_DIR']))}:{models.REFERENCE_VERSION}:{index.SCHEMA_VERSION}"


def built_fingerprint(app: Flask) -> str | None:
    """The data fingerprint both the database and the index were built from, if they agree."""
    folder = index.current_folder(Path(app.config["INDEX_DIR"]))
    stamp_file = folder / "fingerprint" if folder else None
    if not stamp_file or not stamp_file.exists():
        return None
    with db.new_session(app) as session:
        try:
            row = session.get(models.BuildInfo, "fingerprint")
        except Exception:  # no tables yet
            return None
    stamp = stamp_file.read_text()
    return stamp if row and row.value == stamp else None


def build(app: Flask, progress=None) -> None:
    """Check the data, load the database, build and swap in the index."""
    folder = Path(app.config["REFDATA_DIR"])
    stamp = data_fingerprint(app)
    data = read(folder)
    problems = check.Checker(data).run()
    if problems:
        raise click.ClickException(
            "refdata has problems; run `flask refdata check`:\n" + "\n".join(map(str, problems[:20]))
        )
    load(app.extensions["sessionmaker"].kw["bind"], data, stamp)
    with db.new_session(app) as session:
        docs = list(index.documents(session))
    root = Path(app.config["INDEX_DIR"])
    if progress is None:
        built = index.build_index(root, docs)
    else:
        with progress(length=len(docs), label="Indexing") as bar:
            built = index.build_index(root, docs, bar.update)
    (built / "fingerprint").write_text(stamp)


def ensure_built(app: Flask) -> None:
    """Build when the database or index is missing or older than the data files."""
    current = data_fingerprint(app)
    if built_fingerprint(app) == current:
        return
    with build_lock(app):
        if built_fingerprint(app) != current:
            app.logger.warning("Building the database and search index from refdata/ (first start or data changed)")
            try:
                build(app)
            except click.ClickException as error:
                # Bad data must not stop `flask refdata check` from running; the old build, if any, stays live.
                app.logger.error(error.format_message().splitlines()[0])


@click.command("build")
@with_appcontext
def build_command() -> None:
    """Load refdata/ into the database and build the search index."""
    with build_lock(current_app):
        build(current_app, progress=click.progressbar)
    click.echo("Built the database and the search index.")
