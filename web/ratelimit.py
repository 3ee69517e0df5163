"""Rate limits: the site's limiter, and its default store, counters in a SQLite file shared by every worker
process on one machine.

Flask-Limiter keeps its counters wherever ``RATELIMIT_STORAGE_URI`` says.
``memory://`` is per process, so under ``gunicorn -w 2`` each worker would let
the whole limit through. This store (``sqlite:///path/to/file``, the default)
is one file every worker on the machine shares; several servers share Redis
(``redis://host:6379``) instead. Only fixed windows are supported, Flask-Limiter's
default strategy.
"""

from __future__ import annotations

import sqlite3
import time
from contextlib import closing
from pathlib import Path

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits.storage import Storage

SCHEME = "sqlite"
BUSY_TIMEOUT = 5.0  # seconds a worker waits for another's write to the file

limiter = Limiter(get_remote_address, default_limits=[])


def default_uri(folder: str) -> str:
    """The store's URI for a file in ``folder``."""
    return f"{SCHEME}:///{Path(folder) / 'ratelimits.sqlite'}"


class SQLiteStorage(Storage):
    """Fixed-window counters: one row per key, with when its window ends."""

    STORAGE_SCHEME = [SCHEME]

    def __init__(self, uri: str, wrap_exceptions: bool = False, **options):
        self.path = uri.removeprefix(f"{SCHEME}:///")
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        with closing(self._connect()) as connection:
            connection.execute(
                "CREATE TABLE IF NOT EXISTS counter (key TEXT PRIMARY KEY, count INTEGER NOT NULL, ends REAL NOT NULL)"
            )

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=BUSY_TIMEOUT, isolation_level=None)  # each statement commits

    @property
    def base_exceptions(self):
        return sqlite3.Error

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Count ``amount`` more hits in the key's window, starting a new window if the last one ended."""
        now = time.time()
        with closing(self._connect()) as connection:
            connection.execute("DELETE FROM counter WHERE ends <= ?", (now,))
            (count,) = connection.execute(
                "INSERT INTO counter VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET count = count + excluded.count"
                " RETURNING count",
                (key, amount, now + expiry),
            ).fetchone()
        return count

    def _row(self, key: str) -> tuple[int, float] | None:
        with closing(self._connect()) as connection:
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
            with closing(self._connect()) as connection:
                connection.execute("SELECT 1")
        except sqlite3.Error:
            return False
        return True

    def reset(self) -> int | None:
        with closing(self._connect()) as connection:
            return connection.execute("DELETE FROM counter").rowcount

    def clear(self, key: str) -> None:
        with closing(self._connect()) as connection:
            connection.execute("DELETE FROM counter WHERE key = ?", (key,))
