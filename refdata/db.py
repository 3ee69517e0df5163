"""The database connections: the visitors' database and each build's reference tables.

Visitor tables (corrections, saved plans) live in ``DATABASE_URL``; they are
created when missing and never dropped. Reference tables are a build output
kept beside each build, so a build never touches what visitors sent and a
damaged reference database never costs it: on SQLite they are a read-only file
in the build's folder, on PostgreSQL a schema of the same database named after
the data's fingerprint (servers built from the same refdata/ share it). A
session reads the reference tables of the build that was current when it
opened (:mod:`search.live` says which, and keeps one session per request).

A server that stops answering costs a request seconds, never more: connections
made for serving give up on connecting, on a statement and on any answer of a
server that hangs after a few seconds, are checked before each use (a restart
of PostgreSQL costs no request), and once the server was found unreachable,
requests are refused at once for a moment before it is tried again. Builds
have connections of their own without those limits: waiting for another
server's build is part of their work.
"""

from __future__ import annotations

import hashlib
import logging
import time
from contextlib import contextmanager
from datetime import UTC
from datetime import datetime
from pathlib import Path

import psycopg
from sqlalchemy import Engine
from sqlalchemy import create_engine
from sqlalchemy import event
from sqlalchemy import func
from sqlalchemy import inspect
from sqlalchemy import select
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool
from sqlalchemy.schema import CreateSchema
from sqlalchemy.schema import CreateTable

from refdata import models

REFERENCE_FILE = "reference.sqlite"  # a build's reference tables on SQLite, in the build's folder
SCHEMA_PREFIX = "atlas_ref_"  # a build's reference tables on PostgreSQL: this prefix and a hash of its fingerprint
DAMAGED_PREFIX = "atlas_damaged_"
KEEP_SCHEMAS = 3  # reference schemas kept on PostgreSQL, newest first: other servers may still read older ones
DROP_LOCK_TIMEOUT = "100ms"  # dropping an old schema gives way to its readers, well before deadlock detection (1 s)
# pg_advisory_xact_lock keys: one schema load and one visitor-table creation at a time, across every server.
REFERENCE_LOCK = 7_315_001
VISITOR_LOCK = 7_315_002
# Serving connections to PostgreSQL (seconds). A server that stops answering costs the first request after it
# about ANSWER_TIMEOUT (or CONNECT_TIMEOUT), and the requests in the RECHECK_SECONDS after that nothing.
CONNECT_TIMEOUT = 2  # libpq's shortest
STATEMENT_TIMEOUT = 2  # the server cancels a statement running longer; ours take milliseconds
ANSWER_TIMEOUT = 2.5  # a server that answers nothing at all, not even to cancel its statement, is hung
RECHECK_SECONDS = 2  # after the server was found unreachable, refuse at once for this long, then try again

logger = logging.getLogger(__name__)


class Unreachable(RuntimeError):
    """The database cannot be reached or read; the message says where and why, on one line."""


class NoAnswer(psycopg.OperationalError):
    """The server sent nothing back within ``ANSWER_TIMEOUT``: it is hung (a slow one cancels its own statement)."""


class AnsweringConnection(psycopg.Connection):
    """A psycopg connection that gives up on a server which stops answering (a statement timeout cannot: the
    server that should enforce it is not running), and closes itself then, since its state is unknown."""

    def wait(self, gen, *args, timeout=None, **kwargs):
        try:
            return super().wait(gen, *args, timeout=ANSWER_TIMEOUT if timeout is None else timeout, **kwargs)
        except psycopg.errors._WaitTimeout:  # what wait() raises when its timeout expires
            self.pgconn.finish()
            raise NoAnswer(f"no answer from the server within {ANSWER_TIMEOUT} s") from None


class Outage:
    """When the server was last found unreachable (connecting failed, or it stopped answering): for
    ``RECHECK_SECONDS`` after, serving connections are refused at once instead of waiting for it again."""

    def __init__(self, url: str):
        self.url = url
        self.recheck_at = 0.0

    def begin(self) -> None:
        self.recheck_at = time.monotonic() + RECHECK_SECONDS

    def check(self) -> None:
        if time.monotonic() < self.recheck_at:
            raise Unreachable(f"Cannot reach the database at {self.url}: it did not answer a moment ago")


def serving_engine(url: str, outage: Outage) -> Engine:
    """An engine for requests: on PostgreSQL with the timeouts above, pooled connections checked before use (so a
    restarted server costs no request), and no connection tried during an ``outage``."""
    if not url.startswith("postgresql"):
        return create_engine(url)
    engine = create_engine(
        url,
        pool_pre_ping=True,
        connect_args={"connect_timeout": CONNECT_TIMEOUT, "options": f"-c statement_timeout={STATEMENT_TIMEOUT}s"},
    )

    @event.listens_for(engine, "do_connect")
    def connect(dialect, record, cargs, cparams):
        outage.check()
        try:
            return AnsweringConnection.connect(*cargs, **cparams)
        except psycopg.OperationalError:
            outage.begin()
            raise

    @event.listens_for(engine, "handle_error")
    def hung(context):
        if isinstance(context.original_exception, NoAnswer):
            outage.begin()

    return engine


def engine_url(url: str) -> str:
    """Use the psycopg 3 driver for plain ``postgresql://`` URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def schema_name(stamp: str) -> str:
    """The PostgreSQL schema holding the reference tables built from the data with fingerprint ``stamp``."""
    return SCHEMA_PREFIX + hashlib.sha256(stamp.encode()).hexdigest()[:16]


class Database:
    """The visitor database at ``url`` (``DATABASE_URL``), and the engines reading each build's reference tables."""

    def __init__(self, url: str):
        self.url = url
        self.outage = Outage(make_url(url).render_as_string(hide_password=True))
        self.visitor_engine = serving_engine(engine_url(url), self.outage)
        # Builds wait for one another's locks: only the connect timeout, and no idle connections kept.
        self.build_engine = create_engine(
            engine_url(url),
            poolclass=NullPool,
            connect_args={"connect_timeout": CONNECT_TIMEOUT} if self.is_postgres else {},
        )
        self.reference_engines: dict[str, Engine] = {}

    @property
    def is_postgres(self) -> bool:
        return self.visitor_engine.dialect.name == "postgresql"

    def dispose(self) -> None:
        """Close the pooled connections (tests make many apps)."""
        self.visitor_engine.dispose()
        self.build_engine.dispose()
        for engine in self.reference_engines.values():
            engine.dispose()

    def unreachable(self, error: BaseException) -> Unreachable | None:
        """The error as :class:`Unreachable` when it means the database server cannot be reached, else None.

        Only a server can be unreachable: on SQLite every error is about a file (see :meth:`connect`).
        """
        if isinstance(error, Unreachable):
            return error
        if not (self.is_postgres and isinstance(error, OperationalError)):
            return None
        return self._problem("reach", error)

    def _problem(self, verb: str, error: DBAPIError) -> Unreachable:
        reason = (str(error.orig).strip() or type(error.orig).__name__).splitlines()[0]
        return Unreachable(f"Cannot {verb} the database at {self.outage.url}: {reason}")

    def connect(self) -> None:
        """Check that the visitor database answers and can be read; raise :class:`Unreachable` if not."""
        self.outage.check()
        try:
            with self.visitor_engine.connect() as connection:
                inspect(connection).has_table(models.Correction.__tablename__)
        except DBAPIError as error:
            raise self.unreachable(error) or self._problem("read", error) from None

    def create_visitor_tables(self) -> None:
        """Create the visitor tables that do not exist yet; existing ones and their rows are left alone."""
        with self.build_engine.begin() as connection:
            if self.is_postgres:
                connection.execute(select(func.pg_advisory_xact_lock(VISITOR_LOCK)))
            for table in models.Visitor.metadata.sorted_tables:
                connection.execute(CreateTable(table, if_not_exists=True))

    # --- reference tables
    def reference_engine(self, folder: Path, stamp: str) -> Engine:
        """The engine reading the reference tables of the build in ``folder`` (made from ``stamp``)."""
        engines = self.reference_engines
        key = schema_name(stamp) if self.is_postgres else str(folder)
        if key not in engines:
            if self.is_postgres:
                engines[key] = self.visitor_engine.execution_options(schema_translate_map={None: key})
            else:
                for old in list(engines)[:-1]:  # keep the previous build's engine for requests still reading it
                    engines.pop(old).dispose()
                engines[key] = create_engine(f"sqlite:///file:{folder / REFERENCE_FILE}?mode=ro&uri=true")
        return engines[key]

    @contextmanager
    def reference_writer(self, folder: Path, stamp: str):
        """A connection to an empty place for a new build's reference tables, committed when the block ends.

        Yields None when PostgreSQL already holds a whole build of the same data: servers share it. A schema
        is created and filled in one transaction, so no reader ever sees it half made.
        """
        if not self.is_postgres:
            engine = create_engine(f"sqlite:///{folder / REFERENCE_FILE}")
            try:
                with engine.begin() as connection:
                    yield connection
            finally:
                engine.dispose()
            return
        name = schema_name(stamp)
        with self.build_engine.begin() as connection:
            connection.execute(select(func.pg_advisory_xact_lock(REFERENCE_LOCK)))
            if inspect(connection).has_schema(name):
                yield None
                return
            connection.execute(CreateSchema(name))
            yield connection.execution_options(schema_translate_map={None: name})

    def check_reference(self, engine: Engine, stamp: str) -> str | None:
        """What is wrong with a build's reference tables, or None: every table is there and answers."""
        schema = schema_name(stamp) if self.is_postgres else None
        with engine.connect() as connection:
            missing = set(models.Reference.metadata.tables) - set(inspect(connection).get_table_names(schema=schema))
        if missing:
            return f"reference tables missing: {', '.join(sorted(missing))}"
        with Session(engine) as session:
            row = session.get(models.BuildInfo, "fingerprint")
            if row is None or row.value != stamp:
                return "the reference tables come from other data"
            if session.scalars(select(models.Muscle).limit(1)).first() is None:
                return "the reference tables are empty"
        return None

    def set_aside_reference(self, stamp: str) -> None:
        """Rename a damaged reference schema out of the way (PostgreSQL; on SQLite it goes with its folder)."""
        if not self.is_postgres:
            return
        aside = f"{DAMAGED_PREFIX}{datetime.now(UTC):%Y%m%d%H%M%S}_{schema_name(stamp)[len(SCHEMA_PREFIX) :]}"
        with self.build_engine.begin() as connection:
            connection.execute(select(func.pg_advisory_xact_lock(REFERENCE_LOCK)))
            if inspect(connection).has_schema(schema_name(stamp)):
                connection.execute(text(f'ALTER SCHEMA "{schema_name(stamp)}" RENAME TO "{aside}"'))

    def prune_references(self) -> None:
        """Drop damaged reference schemas and all but the ``KEEP_SCHEMAS`` newest (PostgreSQL only).

        A schema still being read is skipped (the drop gives up after ``DROP_LOCK_TIMEOUT``) and tried
        again after the next build.
        """
        if not self.is_postgres:
            return
        engine = self.build_engine
        with engine.connect() as connection:
            names = [n for n in inspect(connection).get_schema_names() if n.startswith((SCHEMA_PREFIX, DAMAGED_PREFIX))]
        built = {}
        for name in names:
            if name.startswith(SCHEMA_PREFIX):
                try:
                    with engine.connect() as connection:
                        built[name] = connection.scalar(
                            text(f"SELECT value FROM \"{name}\".build_info WHERE key = 'built'")
                        )
                except DBAPIError:
                    built[name] = None  # damaged: oldest of all
        newest = sorted(built, key=lambda n: built[n] or "", reverse=True)[:KEEP_SCHEMAS]
        for name in set(names) - set(newest):
            try:
                with engine.begin() as connection:
                    connection.execute(text(f"SET LOCAL lock_timeout = '{DROP_LOCK_TIMEOUT}'"))
                    connection.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
            except DBAPIError as error:
                logger.info("Kept the old reference schema %s for now: %s", name, str(error.orig).splitlines()[0])

    # --- sessions
    def session(self, reference: Engine) -> Session:
        """A session on the visitor tables and the reference tables ``reference`` reads."""
        self.outage.check()
        return Session(binds={models.Reference: reference, models.Visitor: self.visitor_engine}, expire_on_commit=False)

    def visitor_session(self) -> Session:
        """A session on the visitor tables only: it needs no build."""
        self.outage.check()
        return Session(self.visitor_engine, expire_on_commit=False)
