"""The database connection: one engine per app, one session per request."""

from __future__ import annotations

from flask import Flask
from flask import current_app
from flask import g
from sqlalchemy import create_engine
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker


def engine_url(url: str) -> str:
    """Use the psycopg 3 driver for plain ``postgresql://`` URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def init_app(app: Flask) -> None:
    """Create the app's engine and close each request's session at teardown."""
    engine = create_engine(engine_url(app.config["DATABASE_URL"]))
    app.extensions["sessionmaker"] = sessionmaker(engine, expire_on_commit=False)
    app.teardown_appcontext(close_session)


def dispose(app: Flask) -> None:
    """Close the app's pooled connections (tests make many apps)."""
    app.extensions["sessionmaker"].kw["bind"].dispose()


def new_session(app: Flask) -> Session:
    """A session outside a request (CLI commands, the first-start build)."""
    return app.extensions["sessionmaker"]()


def get_session() -> Session:
    """The current request's session, opened on first use."""
    if "db" not in g:
        g.db = new_session(current_app)
    return g.db


def close_session(exc: BaseException | None = None) -> None:
    """Close the request's session, if one was opened."""
    session = g.pop("db", None)
    if session is not None:
        session.close()
