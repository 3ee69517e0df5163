"""The database connections: the visitors' database and each build's reference tables.

Visitor tables (corrections, saved plans) live in ``DATABASE_URL``; they are
created when missing and never dropped. Reference tables are a build output
kept beside each build, so a build never touches what visitors sent and a
damaged reference database never costs it: on SQLite they are a read-only file
in the build's folder, on PostgreSQL a schema of the same database named after
the data's fingerprint (servers built from the same refdata/ share it). A
session reads the reference tables of the build that was current when it
opened (:mod:`search.live` says which, and keeps one session per request).
"""

from __future__ import annotations

import hashlib
import logging
from contextlib import contextmanager
from datetime import UTC
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy import create_engine
from sqlalchemy import func
from sqlalchemy import inspect
from sqlalchemy import select
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
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

logger = logging.getLogger(__name__)


class Unreachable(RuntimeError):
    """The database cannot be reached; the message says where and why, on one line."""


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
        self.visitor_engine = create_engine(engine_url(url))
        self.reference_engines: dict[str, Engine] = {}

    @property
    def is_postgres(self) -> bool:
        return self.visitor_engine.dialect.name == "postgresql"

    def dispose(self) -> None:
        """Close the pooled connections (tests make many apps)."""
        self.visitor_engine.dispose()
        for engine in self.reference_engines.values():
            engine.dispose()

    def unreachable(self, error: BaseException) -> Unreachable | None:
        """The error as :class:`Unreachable` when it means the database server cannot be reached, else None.

        Only a server can be unreachable: on SQLite every error is about the file itself.
        """
        if not (self.is_postgres and isinstance(error, OperationalError)):
            return None
        url = make_url(self.url).render_as_string(hide_password=True)
        reason = (str(error.orig).strip() or type(error.orig).__name__).splitlines()[0]
        return Unreachable(f"Cannot reach the database at {url}: {reason}")

    def connect(self) -> None:
        """Check that the visitor database answers; raise :class:`Unreachable` if it does not."""
        try:
            with self.visitor_engine.connect() as connection:
                connection.execute(select(1))
        except DBAPIError as error:
            raise self.unreachable(error) or error from None

    def create_visitor_tables(self) -> None:
        """Create the visitor tables that do not exist yet; existing ones and their rows are left alone."""
        with self.visitor_engine.begin() as connection:
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
        with self.visitor_engine.begin() as connection:
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
        with self.visitor_engine.begin() as connection:
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
        engine = self.visitor_engine
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
        return Session(binds={models.Reference: reference, models.Visitor: self.visitor_engine}, expire_on_commit=False)

    def visitor_session(self) -> Session:
        """A session on the visitor tables only: it needs no build."""
        return Session(self.visitor_engine, expire_on_commit=False)
