"""Rate limits: the site's limiter, its default store (counters in a SQLite file shared by every worker
process on one machine), and how many pages one client may have in the making at once.

Flask-Limiter keeps its counters wherever ``RATELIMIT_STORAGE_URI`` says.
``memory://`` is per process, so under ``gunicorn -w 2`` each worker would let
the whole limit through. This store (``sqlite:///path/to/file``, the default)
is one file every worker on the machine shares; several servers share Redis
(``redis://host:6379``) instead. Only fixed windows are supported, Flask-Limiter's
default strategy. When Redis cannot be reached, the limits count in each
worker's memory meanwhile (Flask-Limiter logs it) and go back to Redis when it
answers.

Rate limits bound how often; :func:`rendering` bounds how much at once: a client
may have ``RENDERS_AT_ONCE`` pages or API answers being made (not served from
the page cache) on the whole site. Its next one waits its turn (a visitor opening
three pages in tabs gets them one after another), and is refused with 429 only
after ``RENDER_WAIT_SECONDS``: so a client flooding expensive pages holds one
core's worth of the machine, its other requests waiting idle rather than spinning
on refusals, while other visitors are served. Waiting holds a thread: this is for
gunicorn's threaded workers (gunicorn.conf.py), behind a proxy that caps
connections per client.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from contextlib import contextmanager
from functools import wraps
from pathlib import Path

from flask import current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits.storage import Storage
from werkzeug.exceptions import TooManyRequests

SCHEME = "sqlite"
BUSY_TIMEOUT = 5.0  # seconds a worker waits for another's write to the file
RENDERS_AT_ONCE = 1  # pages or API answers a client may have in the making at once
RENDER_WAIT_SECONDS = 5  # the longest a client's next render waits for its turn before a 429
RENDER_POLL_SECONDS = 0.1  # how often a waiting render looks again
RENDER_SLOT_SECONDS = 30  # a slot never given back (its worker was killed) is free again after this long
RENDER_RETRY_AFTER = 1  # seconds a client refused after waiting should wait before asking again
STORE_RECHECK_SECONDS = 5  # after the store failed, renders are not counted for this long

limiter = Limiter(get_remote_address, default_limits=[])


def default_uri(folder: str) -> str:
    """The store's URI for a file in ``folder``."""
    return f"{SCHEME}:///{Path(folder) / 'ratelimits.sqlite'}"


class SQLiteStorage(Storage):
    """Fixed-window counters: one row per key, with when its window ends."""

    STORAGE_SCHEME = [SCHEME]

    def __init__(self, uri: str, wrap_exceptions: bool = False, **options):
        self.path = uri.removeprefix(f"{SCHEME}:///")
        self.local = threading.local()
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        with self._connect() as connection:
            connection.execute("PRAGMA journal_mode=WAL")  # kept in the file: every worker writes ahead
            connection.execute(
                "CREATE TABLE IF NOT EXISTS counter (key TEXT PRIMARY KEY, count INTEGER NOT NULL, ends REAL NOT NULL)"
            )
            # Every count first deletes the windows that have ended: found by this index, not by reading the row
            # of every client seen in the last window (thousands, under load: a millisecond a count).
            connection.execute("CREATE INDEX IF NOT EXISTS counter_ends ON counter (ends)")

    @contextmanager
    def _connect(self):
        """This thread's connection to the file, kept open: a connection opened and closed per count made each
        count wait for the disk (10-20 ms; two per page made). One that fails is closed and opened again next."""
        opened = getattr(self.local, "opened", None)
        if opened is None or opened[0] != os.getpid():  # a forked worker opens its own
            connection = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT, isolation_level=None)
            connection.execute("PRAGMA synchronous=NORMAL")  # WAL: a crash may lose the last counts, not the file
            opened = self.local.opened = (os.getpid(), connection)
        try:
            yield opened[1]  # no transaction is opened: each statement commits
        except sqlite3.Error:
            self.local.opened = None
            opened[1].close()
            raise

    @property
    def base_exceptions(self):
        return sqlite3.Error

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Count ``amount`` more hits in the key's window, starting a new window if the last one ended."""
        now = time.time()
        with self._connect() as connection:
            connection.execute("DELETE FROM counter WHERE ends <= ?", (now,))
            (count,) = connection.execute(
                "INSERT INTO counter VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET count = count + excluded.count"
                " RETURNING count",
                (key, amount, now + expiry),
            ).fetchone()
        return count

    def _row(self, key: str) -> tuple[int, float] | None:
        with self._connect() as connection:
            return connection.execute(
                "SELECT count, ends FROM counter WHERE key = ? AND ends > ?", (key, time.time())
            ).fetchone()

    def get(self, key: str) -> int:
        row = self._row(key)
        return row[0] if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._row(key)
        return row[1] if row else time.time()

    def check(self) -> bool:
        try:
            with self._connect() as connection:
                connection.execute("SELECT 1")
        except sqlite3.Error:
            return False
        return True

    def reset(self) -> int | None:
        with self._connect() as connection:
            return connection.execute("DELETE FROM counter").rowcount

    def clear(self, key: str) -> None:
        with self._connect() as connection:
            connection.execute("DELETE FROM counter WHERE key = ?", (key,))


class RenderSlots:
    """How many renders each client has in progress, counted in the limiter's store (so on every worker, and on
    every server sharing Redis). A store that fails counts nothing for a moment: it never costs a page."""

    def __init__(self):
        self.recheck_at = 0.0
        self.failing = False

    def claim(self) -> str | None:
        """Count one more render of this client, once it has fewer than ``RENDERS_AT_ONCE``, and return its
        counter's key; 429 with Retry-After if that takes over ``RENDER_WAIT_SECONDS``. None when the store could
        not count it."""
        if time.monotonic() < self.recheck_at:
            return None
        key = f"{current_app.config['RATELIMIT_KEY_PREFIX']}/rendering/{get_remote_address()}"
        deadline = time.monotonic() + RENDER_WAIT_SECONDS
        while True:
            try:
                count = limiter.limiter.storage.incr(key, RENDER_SLOT_SECONDS)
            except Exception as error:  # the store's own errors: redis, sqlite3, ...
                self.failed(error)
                return None
            if self.failing:
                self.failing = False
                current_app.logger.warning("Renders in progress are counted again")
            if count <= RENDERS_AT_ONCE:
                return key
            self.release(key)
            if time.monotonic() >= deadline:
                raise TooManyRequests(
                    "Your other pages are still being made; please try again in a moment.",
                    retry_after=RENDER_RETRY_AFTER,
                )
            time.sleep(RENDER_POLL_SECONDS)

    def release(self, key: str | None) -> None:
        if key is None:
            return
        try:
            limiter.limiter.storage.incr(key, RENDER_SLOT_SECONDS, amount=-1)
        except Exception as error:
            self.failed(error)

    def failed(self, error: Exception) -> None:
        self.recheck_at = time.monotonic() + STORE_RECHECK_SECONDS
        if not self.failing:
            self.failing = True
            current_app.logger.warning("Renders in progress are not counted while the store fails (%s)", error)


slots = RenderSlots()


@contextmanager
def rendering():
    """Make what the block makes as one of its client's renders in progress (see :class:`RenderSlots`)."""
    key = slots.claim()
    try:
        yield
    finally:
        slots.release(key)


def one_at_a_time(view):
    """A view whose every answer is made afresh (none is cached), as one of its client's renders in progress."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        with rendering():
            return view(*args, **kwargs)

    return wrapper
