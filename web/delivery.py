"""How pages and files go out: compressed, revalidated, and static files kept for a year.

- Compression by Flask-Compress: brotli or gzip, whichever the client's ``Accept-Encoding`` prefers, for HTML,
  JSON, CSS, JavaScript and SVG; ``Vary: Accept-Encoding`` on every response. A cached page's compressed bodies
  are kept (:class:`CompressedBodies`, by the page's ETag and encoding), so a page is compressed once, not per hit.
- Pages from :func:`web.pages.page` carry an ETag naming their page-cache entry (the build's fingerprint, the
  audience, the URL and, where it matters, the reader's country), so a revisit with ``If-None-Match`` gets a 304.
- Static files are linked under their content's hash (``/static/style.css?v=HASH``, by :func:`web.links.url_for`)
  and sent with ``Cache-Control: public, max-age=31536000, immutable`` when asked for by that hash.
"""

from __future__ import annotations

import hashlib
import threading
from functools import cache
from pathlib import Path

from cachetools import LRUCache
from flask import Flask
from flask import current_app
from flask import g
from flask import request
from flask_compress import Compress

ENCODINGS = ["br", "gzip"]  # in the server's order of preference, when the client likes both as much
COMPRESSED_TYPES = [
    "text/html",
    "application/json",
    "text/css",
    "text/javascript",
    "application/javascript",
    "image/svg+xml",
    "application/xml",
    "text/plain",
]
BROTLI_QUALITY = 5  # a page is compressed once per worker, so a little more effort than the per-hit default (4)
COMPRESSED_MAX_BYTES = 16 * 1024 * 1024  # a worker's compressed bodies, least recently used evicted first
STATIC_MAX_AGE = 365 * 24 * 3600  # a static file's hashed URL always means the same bytes
VERSION_LENGTH = 12  # hex digits of a static file's hash in its URL
ETAG_BYTES = 16


def init_app(app: Flask) -> None:
    """Compress responses, keep cached pages' compressed bodies, and serve static files by their hash."""
    app.config.setdefault("COMPRESS_ALGORITHM", ENCODINGS)
    app.config.setdefault("COMPRESS_MIMETYPES", COMPRESSED_TYPES)
    app.config.setdefault("COMPRESS_BR_LEVEL", BROTLI_QUALITY)
    app.config.setdefault("COMPRESS_CACHE_BACKEND", CompressedBodies)
    app.config.setdefault("COMPRESS_CACHE_KEY", compressed_key)
    Compress(app)
    app.view_functions["static"] = static_file


class CompressedBodies:
    """Flask-Compress's cache: compressed bodies of responses that named a key (:func:`keep_compressed`), least
    recently used first out. Keys are ``ENCODING;KEY``; a response that named none (``ENCODING;``) is not kept."""

    def __init__(self):
        self.bodies = LRUCache(maxsize=COMPRESSED_MAX_BYTES, getsizeof=len)
        self.lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        if key.endswith(";"):
            return None
        with self.lock:
            return self.bodies.get(key)

    def set(self, key: str, body: bytes) -> None:
        if not key.endswith(";") and len(body) <= self.bodies.maxsize:
            with self.lock:
                self.bodies[key] = body


def compressed_key(_request) -> str:
    """The key this response's compressed body is kept under, or "" when it must not be kept."""
    return g.get("compressed_key", "")


def keep_compressed(key: str) -> None:
    """Keep this response's compressed body under ``key``, which must name its bytes exactly."""
    g.compressed_key = key


def page_etag(key: str) -> str:
    """A page's ETag: a digest of its page-cache key, which names everything its body depends on."""
    return hashlib.blake2b(key.encode(), digest_size=ETAG_BYTES).hexdigest()


@cache
def _version(folder: str, filename: str) -> str:
    return hashlib.sha256((Path(folder) / filename).read_bytes()).hexdigest()[:VERSION_LENGTH]


def static_version(filename: str) -> str:
    """The hash of a static file's content (static files change only with a deploy, which restarts workers)."""
    return _version(current_app.static_folder, filename)


def static_file(filename: str):
    """A static file; asked for by its current hash (``?v=``), kept by browsers and proxies for a year."""
    response = current_app.send_static_file(filename)
    # Read now (they are small), so each is compressed whole, once, rather than streamed and compressed per hit.
    file = response.response
    response.direct_passthrough = False
    response.set_data(b"".join(file))
    file.close()
    if request.args.get("v") == static_version(filename):
        response.cache_control.public = True
        response.cache_control.max_age = STATIC_MAX_AGE
        response.cache_control.immutable = True
        response.cache_control.no_cache = None
        keep_compressed(f"static|{filename}|{request.args['v']}")
    return response
