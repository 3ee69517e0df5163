"""How gunicorn serves the site (it reads this file from the directory it is started in): `gunicorn -w N app:app`.

Each worker loads the app (which builds the data on first start) and makes what searches need (the location
atlas, a few seconds on data many times larger) before it takes its first request, not during it.

Threaded workers (gthread): a request whose client is slow to send or to read holds one thread, not a whole
worker, so a few slow or stalled clients cannot block the site (with the default sync worker, two stalled
sockets blocked `-w 2` for 30 s). A reverse proxy in front (see README) still does the rest: it buffers whole
requests, so clients however slow never reach gunicorn.
"""

import json

from gunicorn.http.errors import LimitRequestLine
from gunicorn.workers.gthread import ThreadWorker

threads = 8  # per worker; a client waiting for its previous page (web/ratelimit.py) holds one


def post_worker_init(worker):
    """Before the worker's first request: make the live build's atlas, findings and emergency line. A worker that
    cannot (its database not answering) starts anyway, and its first search makes them."""
    from search.answers import warm

    try:
        warm(worker.wsgi)
    except Exception:
        worker.log.warning("Could not prepare the search atlas before the first request", exc_info=True)


class Worker(ThreadWorker):
    """gunicorn's threaded worker, answering a request line too long to read (over ``limit_request_line``) in
    the site's JSON error shape, as the site itself answers an over-long URL."""

    def handle_error(self, req, client, addr, exc):
        if not isinstance(exc, LimitRequestLine):
            return super().handle_error(req, client, addr, exc)
        self.log.info("Refused a request line over %s bytes from %s", self.cfg.limit_request_line, addr)
        message = f"Request lines are limited to {self.cfg.limit_request_line} bytes."
        body = json.dumps({"error": message, "status": 414}).encode()
        head = (
            "HTTP/1.1 414 URI Too Long\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        )
        try:
            client.sendall(head.encode() + body)
        except OSError:
            pass  # the client went away


worker_class = Worker
