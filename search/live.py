"""The live build as the app reads it: the databases (:class:`refdata.db.Database`), one session per request on
the current build's reference tables, and values and records made once per build."""

from __future__ import annotations

import pickle
from pathlib import Path

from flask import Flask
from flask import current_app
from flask import g
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from refdata.db import Database


def init_app(app: Flask) -> None:
    """Open the app's databases, and close each request's session at teardown."""
    app.extensions["db"] = Database(app.config["DATABASE_URL"])
    app.teardown_appcontext(close_session)


def database(app: Flask | None = None) -> Database:
    """The app's databases (the current app's by default)."""
    return (app or current_app).extensions["db"]


def reference_engine(app: Flask, folder: Path | None = None) -> Engine:
    """The engine reading the reference tables of the build in ``folder`` (the live one by default)."""
    reader = app.extensions["index"]
    folder = folder or reader.folder()
    return database(app).reference_engine(folder, reader.stamp(folder))


def new_session(app: Flask, folder: Path | None = None) -> Session:
    """A session on the visitor tables and the reference tables of the build in ``folder`` (the live one by
    default): for CLI commands and builds."""
    return database(app).session(reference_engine(app, folder))


def session() -> Session:
    """The current request's session, opened on first use."""
    if "db" not in g:
        g.db = new_session(current_app)
    return g.db


def close_session(exc: BaseException | None = None) -> None:
    """Close the request's session, if one was opened. The response is made by now: a failure here (a
    connection lost meanwhile) is logged, never sent to the client in its place."""
    opened = g.pop("db", None)
    if opened is not None:
        try:
            opened.close()
        except Exception:
            current_app.logger.warning("Closing the request's database session failed", exc_info=True)


def dispose(app: Flask) -> None:
    """Close the app's pooled connections (tests make many apps)."""
    database(app).dispose()


def per_build(name: str, make):
    """``make()``, computed once per build of the index and kept until the next one."""
    generation = current_app.extensions["index"].generation
    cached = current_app.extensions.get(name)
    if cached is None or cached[0] != generation:
        cached = (generation, make())
        current_app.extensions[name] = cached
    return cached[1]


def record(kind: str, key: str, make) -> dict:
    """The record of ``kind`` called ``key`` (a muscle, a trigger point...): ``make()`` once per build, since a
    record is a pure function of the build. Kept pickled, so every caller gets its own copy to add to."""
    kept = per_build("records", dict)
    made = kept.get((kind, key))
    if made is None:
        made = kept[(kind, key)] = pickle.dumps(make(), pickle.HIGHEST_PROTOCOL)
    return pickle.loads(made)
