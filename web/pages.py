"""Every page and its JSON twin: one view, shown as HTML or as JSON, cached per build.

A view registered with :func:`page` returns the page's data as a dict; the HTML
template renders that same dict and ``PATH.json`` returns it, so the two never
drift apart. For patients, a page's ``for_patients`` function first drops what
only practitioners see (needling hazards, how points are found, technique), so
the JSON twin shows exactly what the page shows. Errors follow the same rule:
JSON for the API and ``.json`` paths, a page otherwise.

A page names the query parameters it reads; a URL with others is redirected to
the page without them, so each page has one URL and one entry in the page
cache (:mod:`web.cache`), whatever trackers add. A page no one has asked for
yet is one of its client's renders in progress (:func:`web.ratelimit.rendering`).
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from flask import Blueprint
from flask import Response
from flask import current_app
from flask import jsonify
from flask import redirect
from flask import render_template
from flask import request
from flask import session as cookie_session
from flask.json.provider import DefaultJSONProvider
from flask.templating import Environment
from flask_wtf.csrf import generate_csrf
from werkzeug.exceptions import HTTPException

import search
from web import delivery
from web import meta
from web.cache import PageCache
from web.links import with_urls
from web.ratelimit import rendering

AUDIENCES = ("patient", "student", "practitioner")
AUDIENCE_PARAM = "audience"  # every page reads it
# Stands in for the visitor's CSRF token in cached pages; replaced on the way out.
CSRF_MARK = "__csrf_token__"
CSRF_SESSION_KEY = "csrf_token"  # where Flask-WTF keeps a visitor's token in the session
DICT_ATTRIBUTES = frozenset(dir(dict))  # the only names ``getattr`` finds on a dict (``items``, ``get``...)

cache = PageCache()


class HTMLSafeJSONProvider(DefaultJSONProvider):
    """JSON with <, > and & escaped, so echoed input can never be read as HTML."""

    def dumps(self, obj, **kwargs) -> str:
        text = super().dumps(obj, **kwargs)
        return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class RecordEnvironment(Environment):
    """Flask's template environment, reading a record's fields (``r.url``) straight from its dict: Jinja tries
    the attribute first, and on a dict that fails, raising and catching an error, hundreds of times a page."""

    def getattr(self, obj, attribute):
        if type(obj) is dict and attribute not in DICT_ATTRIBUTES and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)


def audience() -> str:
    """Who the visitor said they are: patient (the default), student or practitioner."""
    chosen = request.args.get(AUDIENCE_PARAM) or request.cookies.get("audience")
    return chosen if chosen in AUDIENCES else "patient"


def wants_json() -> bool:
    """Whether this request is for the API (any path under /api/, known or not) or a page's JSON twin."""
    return request.path.endswith(".json") or request.path.startswith("/api/")


def page(blueprint: Blueprint, rule: str, template: str, for_patients=None, params=(), by_country=False, **options):
    """Register an HTML page and its JSON twin (``rule.json``) on the same view.

    ``for_patients``, if given, turns the view's data into what a patient may see,
    for the page and its twin alike. ``params`` are the query parameters the page
    reads (``audience`` besides): a GET with any other is redirected to the URL
    without them. Successful GET responses are cached per build, audience and
    canonical URL (and, ``by_country``, per the country the browser's language names,
    for pages whose emergency line names that country's number); the visitor's CSRF
    token, if they have one, is filled in on the way out, so a cached page still
    carries the visitor's own token.
    """
    known = {*params, AUDIENCE_PARAM}

    def decorator(view):
        @wraps(view)
        def wrapper(**kwargs):
            cacheable = request.method == "GET"
            if cacheable and not known.issuperset(request.args):
                return redirect(canonical_url(known), 301)
            key = page_key(by_country) if cacheable else None
            body = cache.get(key) if cacheable else None
            if body is None:
                with rendering():
                    data = view(**kwargs)
                    data, status = data if isinstance(data, tuple) else (data, 200)
                    with_urls(data)
                    if for_patients and audience() == "patient":
                        data = for_patients(data)
                    if wants_json():
                        body = current_app.json.dumps(data)
                    else:
                        body = render_template(
                            template,
                            data=data,
                            audience=audience(),
                            csrf_token=lambda: CSRF_MARK,
                            meta=meta.describe(data, audience()) if status == 200 else None,
                        )
                if status != 200:
                    return render(body, status)
                if data.get("partial"):  # cut short by the time budget: next time may find more
                    return render(body, 200)
                if cacheable:
                    cache.set(key, body)
            return render(body, 200, key)

        blueprint.add_url_rule(rule, view.__name__, wrapper, **options)
        json_rule = "/index.json" if rule == "/" else f"{rule}.json"
        blueprint.add_url_rule(json_rule, f"{view.__name__}_json", wrapper, **options)
        return view

    return decorator


def canonical_url(known: set[str]) -> str:
    """This request's URL with only the ``known`` query parameters, in their order (a path, never a host)."""
    kept = [(name, value) for name, value in request.args.items(multi=True) if name in known]
    return request.script_root + request.path + (f"?{urlencode(kept)}" if kept else "")


def page_key(by_country: bool = False) -> str:
    """The page cache's key for this request: the build, the audience, the host and the URL, its parameters
    sorted, and, ``by_country``, the reader's country.

    The host and the site root are part of the URL: a page's canonical address names its host, and its links
    differ when the site is mounted under a prefix (hosts are the trusted ones only: ``TRUSTED_HOSTS``).
    """
    query = urlencode(sorted(request.args.items(multi=True), key=lambda pair: pair[0]))
    url = f"{request.host}{request.script_root}{request.path}?{query}"
    key = f"{current_app.extensions['index'].generation}|{audience()}|{url}"
    return f"{key}|{search.reader_country()}" if by_country else key


def render(body: str, status: int, key: str | None = None) -> Response:
    """A page or JSON body as a response, with this visitor's CSRF token filled in; a page kept in the cache
    under ``key`` gets an ETag from that key, and a 304 when the client has it already (unless it carries the
    visitor's own token, which the key does not name).

    A visitor without a session gets no token, so reading a page never sets a cookie; their first form sent
    is answered by a confirmation that carries one (:func:`web.forms.confirm`).
    """
    mimetype = "application/json" if wants_json() else "text/html"
    if mimetype == "text/html" and CSRF_MARK in body:
        own_token = CSRF_SESSION_KEY in cookie_session
        body = body.replace(CSRF_MARK, generate_csrf() if own_token else "")
        key = None if own_token else key
    response = Response(body, status, mimetype=mimetype)
    if key is not None:
        etag = delivery.page_etag(key)
        response.set_etag(etag)
        response.cache_control.no_cache = True  # revalidate each time: the next build may change it
        response.vary.add("Cookie")  # the audience
        delivery.keep_compressed(etag)
        response.make_conditional(request)
    return response


def handle_http_error(error: HTTPException) -> Response:
    """Errors as JSON for API and ``.json`` requests, as a page otherwise, with the error's own
    headers (``Allow`` on a 405, ``Retry-After`` on a 503)."""
    body = {"error": error.description, "status": error.code}
    if wants_json():
        response = jsonify(body)
    else:
        response = Response(render_template("error.html", data=body, audience=audience()), mimetype="text/html")
    response.status_code = error.code
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response
