"""The page cache: pages and JSON twins as rendered, kept by build, audience and canonical URL, and bounded.

- ``CACHE_TYPE = "SimpleCache"`` (the default): each worker keeps the pages used most recently, about
  ``CACHE_MAX_BYTES`` of them at most (least recently used go first), each for ``CACHE_DEFAULT_TIMEOUT`` seconds.
- ``CACHE_TYPE = "RedisCache"`` with ``CACHE_REDIS_URL``: one cache for every server, each entry expiring after
  ``CACHE_DEFAULT_TIMEOUT`` seconds, the whole bounded by Redis' ``maxmemory`` and eviction policy (see the
  README). Its keys start with ``CACHE_KEY_PREFIX``; keep the rate-limit counters in another database.
- ``CACHE_TYPE = "NullCache"``: nothing kept.

The cache is an aid, never a need: when Redis is down, slow or full, pages are made as if it were empty, and
the log says so once when it starts failing and once when it answers again.
"""

from __future__ import annotations

import threading
import time

import redis
from cachetools import TTLCache
from flask import Flask
from flask import current_app

DEFAULT_TIMEOUT = 3600  # seconds a page is kept; keys name the build, so this only bounds the cache
DEFAULT_MAX_BYTES = 32 * 1024 * 1024  # a worker's own cache, in characters of pages kept (about bytes)
KEY_PREFIX = "atlas-page:"
REDIS_TIMEOUT = 0.5  # seconds: a cache that answers more slowly than this is no help
RECHECK_SECONDS = 5  # after Redis could not be reached, pages pass it by this long before it is tried again


class LocalStore:
    """This worker's pages, least recently used evicted first, each kept at most ``timeout`` seconds."""

    def __init__(self, max_bytes: int, timeout: int):
        self.pages = TTLCache(maxsize=max_bytes, ttl=timeout, getsizeof=len)
        self.lock = threading.Lock()  # threaded workers share it

    def get(self, key: str) -> str | None:
        with self.lock:
            return self.pages.get(key)

    def set(self, key: str, body: str) -> None:
        if len(body) <= self.pages.maxsize:
            with self.lock:
                self.pages[key] = body


class RedisStore:
    """Pages shared by every server in Redis, each kept at most ``timeout`` seconds."""

    def __init__(self, url: str, prefix: str, timeout: int):
        self.client = redis.Redis.from_url(url, socket_timeout=REDIS_TIMEOUT, socket_connect_timeout=REDIS_TIMEOUT)
        self.prefix = prefix
        self.timeout = timeout

    def get(self, key: str) -> str | None:
        body = self.client.get(self.prefix + key)
        return None if body is None else body.decode()

    def set(self, key: str, body: str) -> None:
        self.client.set(self.prefix + key, body.encode(), ex=self.timeout)


class NullStore:
    def get(self, key: str) -> None:
        return None

    def set(self, key: str, body: str) -> None:
        pass


class PageCache:
    """The app's page cache (``init_app`` chooses the store); its failures are logged, never raised."""

    def init_app(self, app: Flask) -> None:
        config = app.config
        timeout = int(config.get("CACHE_DEFAULT_TIMEOUT") or DEFAULT_TIMEOUT)
        kind = config.get("CACHE_TYPE", "SimpleCache")
        if kind == "RedisCache":
            store = RedisStore(config["CACHE_REDIS_URL"], config.get("CACHE_KEY_PREFIX", KEY_PREFIX), timeout)
        elif kind == "SimpleCache":
            store = LocalStore(int(config.get("CACHE_MAX_BYTES", DEFAULT_MAX_BYTES)), timeout)
        elif kind == "NullCache":
            store = NullStore()
        else:
            raise ValueError(f"CACHE_TYPE must be SimpleCache, RedisCache or NullCache, not {kind!r}")
        app.extensions["page_cache"] = Guarded(store)

    def get(self, key: str) -> str | None:
        return current_app.extensions["page_cache"].call("get", key)

    def set(self, key: str, body: str) -> None:
        current_app.extensions["page_cache"].call("set", key, body)


class Guarded:
    """A store whose failures cost a page its cache, never the page: logged when they start and when they end.
    A store that cannot be reached is passed by for ``RECHECK_SECONDS``; one that refuses to keep a page (full,
    with Redis' ``noeviction``) still serves what it has."""

    def __init__(self, store):
        self.store = store
        self.failing: set[str] = set()  # "unreachable", "refusing": what is wrong now
        self.recheck_at = 0.0

    def call(self, method: str, *args):
        if time.monotonic() < self.recheck_at:
            return None
        try:
            result = getattr(self.store, method)(*args)
        except (redis.ConnectionError, redis.TimeoutError) as error:
            self.recheck_at = time.monotonic() + RECHECK_SECONDS
            self.now("unreachable", True, f"The page cache cannot be reached ({error}): pages are made without it")
            return None
        except redis.RedisError as error:
            self.now("refusing", True, f"The page cache keeps no more pages ({error}): pages are made without it")
            return None
        self.now("unreachable", False, "The page cache answers again")
        if method == "set":
            self.now("refusing", False, "The page cache keeps pages again")
        return result

    def now(self, state: str, failing: bool, message: str) -> None:
        """Note whether ``state`` holds now, with ``message`` in the log when that changes."""
        if (state in self.failing) != failing:
            (self.failing.add if failing else self.failing.discard)(state)
            current_app.logger.warning(message)
