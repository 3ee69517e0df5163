"""Trigger Point Atlas: the application factory.

``create_app`` puts the pieces together (configuration, the databases, the
search index, security headers, CSRF, rate limits, the page cache, error
handling, the web layer's blueprints) and makes sure the database and the
index are built from refdata/ and answer before the first request (CLI
commands build only if they need to). Nothing transient stops a worker from
starting: while the database cannot be reached or read, it serves what does
not need it, answers 503 with Retry-After for the rest, and tries again. A
request that fails because the build is damaged gets a 503 while the build is
set aside and made again.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
from pathlib import Path

import click
from flask import Flask
from flask import abort
from flask import current_app
from flask import request
from flask.logging import default_handler
from flask.sessions import SecureCookieSessionInterface
from flask_talisman import Talisman
from flask_wtf.csrf import CSRFProtect
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import InternalServerError
from werkzeug.exceptions import RequestURITooLarge
from werkzeug.exceptions import ServiceUnavailable
from werkzeug.middleware.proxy_fix import ProxyFix

import web
from refdata.db import Unreachable
from search import build
from search import index
from search import live
from web import cache as page_cache
from web import ratelimit
from web.pages import RecordEnvironment
from web.pages import cache
from web.pages import handle_http_error

MAX_URL_LENGTH = 4000  # longer request URLs get 414 (gunicorn refuses request lines over 4094 bytes anyway)
RETRY_AFTER = 10  # seconds a 503 asks a client to wait: about one build
# Whose settings the environment may override without the ATLAS_ prefix (ATLAS_<KEY> works for every key).
ENVIRONMENT_KEYS = ("DATABASE_URL", "SECRET_KEY", "INDEX_DIR", "RATELIMIT_STORAGE_URI")

csrf = CSRFProtect()


def create_app(test_config: dict | None = None) -> Flask:
    """Create and configure the app; build the data on first start."""
    app = Flask(__name__, instance_relative_config=True)
    app.jinja_environment = RecordEnvironment
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(
        DATABASE_URL=f"sqlite:///{os.path.join(app.instance_path, 'atlas.sqlite')}",
        INDEX_DIR=os.path.join(app.instance_path, "index"),
        REFDATA_DIR=os.path.join(app.root_path, "refdata"),
        RATELIMIT_STORAGE_URI=ratelimit.default_uri(app.instance_path),
        RATELIMIT_HEADERS_ENABLED=True,  # Retry-After with every 429
        RATELIMIT_KEY_PREFIX="atlas-limit",  # apart from the page cache's keys
        RATELIMIT_IN_MEMORY_FALLBACK_ENABLED=True,  # Redis down: count in each worker meanwhile, and log it
        RATELIMIT_STORAGE_OPTIONS={"socket_timeout": 0.5, "socket_connect_timeout": 0.5},  # Redis only
        CORRECTIONS_RATE_LIMIT="5 per minute;30 per day",
        SAVED_PLANS_RATE_LIMIT="10 per minute;100 per day",
        QUIZ_RATE_LIMIT="30 per minute",
        PLAN_RATE_LIMIT="60 per minute",
        DECK_RATE_LIMIT="10 per minute",
        PROXY_FIX=0,  # how many proxies in front add X-Forwarded-For and -Proto; 0 trusts none
        TRUSTED_HOSTS=["localhost", "127.0.0.1", "[::1]"],  # the site's own names: set them in production
        AUTO_BUILD=True,
        CACHE_TYPE="SimpleCache",
        CACHE_DEFAULT_TIMEOUT=page_cache.DEFAULT_TIMEOUT,
        CACHE_MAX_BYTES=page_cache.DEFAULT_MAX_BYTES,
        CACHE_KEY_PREFIX=page_cache.KEY_PREFIX,
    )
    app.config.from_pyfile("config.py", silent=True)
    for key in ENVIRONMENT_KEYS:
        if key in os.environ:
            app.config[key] = os.environ[key]
    app.config.from_prefixed_env("ATLAS")
    if test_config:
        app.config.update(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret(app)

    live.init_app(app)
    csrf.init_app(app)
    ratelimit.limiter.init_app(app)
    logging.getLogger("flask-limiter").addHandler(default_handler)  # its fallback to memory, in the app's log
    cache.init_app(app)
    Talisman(
        app,
        force_https=False,
        session_cookie_secure=False,  # see SessionInterface: Secure whenever the request came over HTTPS
        content_security_policy={
            "default-src": "'self'",
            "img-src": "'self' data:",
            "style-src": "'self'",
            "frame-ancestors": "'none'",
            "base-uri": "'none'",
            "form-action": "'self'",
        },
    )
    app.session_interface = SessionInterface()
    if app.config["PROXY_FIX"]:
        hops = int(app.config["PROXY_FIX"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    app.extensions["index"] = index.IndexReader(Path(app.config["INDEX_DIR"]))
    app.extensions["openapi"] = json.loads((Path(app.static_folder) / "openapi.json").read_text())
    web.init_app(app)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_failure)
    app.before_request(before_request)

    if app.config["AUTO_BUILD"] and click.get_current_context(silent=True) is None:
        build.prepare(app)
    return app


def before_request():
    """Refuse over-long URLs; until the app is prepared (its first request when ``flask run`` loaded it, or the
    database could not be reached), let a request now and then try to finish (:func:`search.build.prepare`)."""
    if len(request.path) + len(request.query_string) > MAX_URL_LENGTH:
        abort(RequestURITooLarge.code, f"URLs are limited to {MAX_URL_LENGTH} characters.")
    if current_app.config["AUTO_BUILD"]:
        build.prepare_if_due(current_app._get_current_object())


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, its cookie marked Secure whenever the request came over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"] or request.is_secure)

    def open_session(self, app: Flask, request):
        if self.get_cookie_name(app) not in request.cookies:  # most requests: nothing to verify, no signer to make
            return self.session_class()
        return super().open_session(app, request)


def handle_failure(error: Exception):
    """A request failed unexpectedly. If the database cannot be reached or read, or the build is damaged or was
    replaced under the request, answer 503 with Retry-After (setting a damaged build aside and building it
    again, once); otherwise 500."""
    app = current_app._get_current_object()
    database = live.database(app)
    down = database.unreachable(error)
    try:
        if down is None:
            build.check(app)
    except build.Damaged:
        try:
            build.repair(app)
        except Exception:
            app.logger.exception("Repairing the build failed")
        return unavailable("The search data is being rebuilt; please try again shortly.")
    except Exception as check_error:  # the check itself failed: a 500 below, unless the database is down
        down = database.unreachable(check_error)
    if down is None and app.extensions["index"].replaced():
        return unavailable("The search data was just rebuilt; please try again.")
    if down is None and isinstance(error, SQLAlchemyError):
        try:
            database.connect()  # the visitor database may be the one that cannot be read
        except Unreachable as found:
            down = found
    if down is not None:
        app.logger.error("%s", down)
        return unavailable("The database is not answering; please try again shortly.")
    app.logger.error("Exception on %s [%s]", request.path, request.method, exc_info=error)
    return handle_http_error(InternalServerError(original_exception=error))


def unavailable(message: str):
    """A 503 asking the client to come back in ``RETRY_AFTER`` seconds."""
    return handle_http_error(ServiceUnavailable(message, retry_after=RETRY_AFTER))


def instance_secret(app: Flask) -> str:
    """A random secret key kept in the instance folder, made on first start."""
    path = Path(app.instance_path) / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


app = create_app()
