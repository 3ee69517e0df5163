"""Building the site's two outputs from refdata/: the reference tables and the search index.

A build checks the YAML, then makes a new build folder beside the live one:
the reference tables (:mod:`refdata.db` says where: a file in the folder, or a
PostgreSQL schema), the downloads (:mod:`refdata.downloads`), the index
(:mod:`search.index`), the data fingerprint and a manifest of the files'
hashes. Then one atomic swap makes it live, so readers never see a half-made
build. Builds run under one file lock, so several workers
starting together build once.

Self-repair: :func:`check` verifies the live build (the files match the
manifest, the index opens and answers, the reference tables answer). At start
:func:`ensure_built` builds when the data changed or the check fails; while
serving, a failed request that finds the build damaged calls :func:`repair`,
which sets it aside and builds again, once. This module lives in ``search``
because it drives both halves, and ``refdata`` depends on nothing of ours.

Before serving, :func:`prepare` also reaches the visitors' database. Nothing
transient stops a worker: while the database cannot be reached or read, it
serves what does not need it, and a request now and then tries again.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import click
from flask import Flask
from sqlalchemy.exc import SQLAlchemyError
from whoosh.query import Term

from refdata import check as refdata_check
from refdata import downloads
from refdata import models
from refdata.db import Unreachable
from refdata.load import fingerprint
from refdata.load import load
from refdata.load import read
from search import index
from search import live

LOCK_FILE = "build.lock"  # in the index root: one build at a time per index
MANIFEST_FILE = "manifest.json"  # every file of a build and its SHA-256, written last
PREPARE_EVERY = 5  # seconds between a worker's tries to finish preparing
preparing = threading.Lock()  # one request of a worker tries at a time


class Damaged(Exception):
    """The live build is missing or damaged; the message says what is wrong."""

    def __init__(self, message: str, database: bool = False):
        super().__init__(message)
        self.database = database  # the reference tables (not only the files) need setting aside


def index_root(app: Flask) -> Path:
    return Path(app.config["INDEX_DIR"])


@contextmanager
def build_lock(app: Flask, wait: bool = True):
    """One build at a time, even with several worker processes; yields False if ``wait`` is off and it is taken."""
    root = index_root(app)
    root.mkdir(parents=True, exist_ok=True)
    with open(root / LOCK_FILE, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def data_fingerprint(app: Flask) -> str:
    """What a build depends on: the data files, and the table and index layouts of this version of the code."""
    return f"{fingerprint(Path(app.config['REFDATA_DIR']))}:{models.REFERENCE_VERSION}:{index.SCHEMA_VERSION}"


def built_fingerprint(app: Flask) -> str | None:
    """The data fingerprint the live build was made from, or None before the first build."""
    try:
        return app.extensions["index"].generation or None
    except OSError:
        return None


def file_hashes(folder: Path) -> dict[str, str]:
    """The SHA-256 of every file of a build but its manifest."""
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.iterdir())
        if path.is_file() and path.name != MANIFEST_FILE
    }


def build(app: Flask, progress=None) -> None:
    """Check the data, make the reference tables and the index in a new folder, and swap it in."""
    stamp = data_fingerprint(app)
    data = read(Path(app.config["REFDATA_DIR"]))
    problems = refdata_check.Checker(data).run()
    if problems:
        raise click.ClickException(
            f"refdata has problems ({len(problems)}); run `flask refdata check`:\n" + "\n".join(map(str, problems))
        )
    root = index_root(app)
    folder = index.new_folder(root)
    (folder / index.STAMP_FILE).write_text(stamp)
    database = live.database(app)
    with database.reference_writer(folder, stamp) as connection:
        if connection is not None:
            load(connection, data, stamp)
    downloads.write(folder, data, stamp)
    with live.new_session(app, folder) as session:
        docs = list(index.documents(session))
    if progress is None:
        index.write_index(folder, docs)
    else:
        with progress(length=len(docs), label="Indexing") as bar:
            index.write_index(folder, docs, bar.update)
    (folder / MANIFEST_FILE).write_text(json.dumps(file_hashes(folder), indent=1))
    index.swap(root, folder)
    database.prune_references()


def check(app: Flask) -> None:
    """Raise :class:`Damaged` unless the live build is whole and answers.

    An unreachable database server is not damage: its error is raised as it is.
    """
    folder = index.current_folder(index_root(app))  # the live build, even if this request started on another
    if folder is None:
        raise Damaged(f"no build in {index_root(app)}")
    try:
        manifest = json.loads((folder / MANIFEST_FILE).read_text())
        hashes = file_hashes(folder)
        stamp = app.extensions["index"].stamp(folder)
    except (OSError, ValueError) as error:  # missing or unreadable; or set aside by another worker meanwhile
        raise Damaged(f"no whole build in {folder}: {error}") from None
    if hashes != manifest:
        changed = sorted(set(hashes.items()) ^ set(manifest.items()))
        raise Damaged(f"files changed since the build: {', '.join(sorted({name for name, _ in changed}))}")
    try:
        with index.open_index(folder).searcher() as searcher:
            if not searcher.search(Term("kind", "muscle"), limit=1):
                raise Damaged("the search index has no muscles")
    except Damaged:
        raise
    except Exception as error:  # Whoosh raises assorted errors on damaged files
        raise Damaged(f"the search index does not open: {error!r}") from None
    try:
        problem = live.database(app).check_reference(live.reference_engine(app, folder), stamp)
    except SQLAlchemyError as error:
        if live.database(app).unreachable(error):
            raise
        problem = f"the reference tables do not answer: {str(error).splitlines()[0]}"
    if problem:
        raise Damaged(problem, database=True)


def set_aside(app: Flask, damage: Damaged) -> None:
    """Move the damaged build out of the way, and its reference schema if that is what is damaged."""
    reader = app.extensions["index"]
    folder = index.current_folder(index_root(app))
    if folder is not None and folder.is_dir():
        if damage.database:
            try:
                live.database(app).set_aside_reference(reader.stamp(folder))
            except OSError:
                pass  # no fingerprint file: the folder goes, and a new schema is made from the data
        index.set_aside(index_root(app), folder)


def ensure_built(app: Flask) -> None:
    """At start: build when there is no build, the data changed, or the live build fails :func:`check`."""
    current = data_fingerprint(app)
    if built_fingerprint(app) == current and healthy(app):
        return
    with build_lock(app):
        built = built_fingerprint(app)
        if built == current:
            try:
                check(app)
                return
            except Damaged as damage:
                app.logger.error("The build is damaged (%s): setting it aside", damage)
                set_aside(app, damage)
        reason = "first start" if built is None else "data changed" if built != current else "repair"
        app.logger.warning("Building the database and search index from refdata/ (%s)", reason)
        try:
            build(app)
        except click.ClickException as error:
            # Bad data must not stop `flask refdata check` from running; the old build, if any, stays live.
            app.logger.error(error.format_message())


def healthy(app: Flask) -> bool:
    """Whether the live build passes :func:`check`."""
    try:
        check(app)
    except Damaged:
        return False
    return True


def repair(app: Flask) -> bool:
    """Set a damaged live build aside and build again, once, under the lock.

    Returns False without waiting when another worker holds the lock (it is building already).
    """
    with build_lock(app, wait=False) as locked:
        if not locked:
            return False
        try:
            check(app)
            return True  # repaired meanwhile
        except Damaged as damage:
            app.logger.error("The build is damaged (%s): setting it aside and building again", damage)
            set_aside(app, damage)
        build(app)
        return True


def prepare(app: Flask) -> bool:
    """Before serving: build (or repair) and check the build, reach the visitor database and add its missing
    tables. Returns whether all is done. What the database being unreachable or unreadable prevents is logged on
    one line, for :func:`prepare_if_due` to try again; any other error is raised."""
    app.extensions["prepared_at"] = time.monotonic()
    database = live.database(app)
    try:
        ensure_built(app)
        database.connect()
        database.create_visitor_tables()
    except (Unreachable, SQLAlchemyError) as error:
        problem = database.unreachable(error)
        if problem is None:
            raise
        app.logger.error("%s; serving what does not need it until it answers", problem)
        return False
    app.extensions["prepared"] = True
    return True


def prepare_if_due(app: Flask) -> None:
    """While the app is not prepared, try again every ``PREPARE_EVERY`` seconds, one request at a time; the
    others go on meanwhile."""
    if app.extensions.get("prepared"):
        return
    if time.monotonic() - app.extensions.get("prepared_at", -PREPARE_EVERY) < PREPARE_EVERY:
        return
    if preparing.acquire(blocking=False):
        try:
            prepare(app)
        finally:
            preparing.release()
