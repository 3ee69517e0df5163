"""Links: the one place a record's page address is made.

Records and search answers name what they refer to by ``kind`` and ``slug``
(:func:`refdata.records.ref`); :func:`with_urls` gives each such record its
``url``, and :func:`url_for` remembers the links a page builds (and names static files by their hash).
"""

from __future__ import annotations

from functools import lru_cache

import flask
from flask import has_request_context
from flask import request

from web.delivery import static_version

URLS_REMEMBERED = 4096  # links kept by :func:`url_for` per process
# The page of each kind of record, by endpoint and the endpoint's argument for the slug.
PAGES = {
    "muscle": ("reference.muscle", "slug"),
    "trigger_point": ("reference.trigger_point", "slug"),
    "treatment": ("reference.treatment", "slug"),
    "region": ("reference.region", "region_id"),
    "complaint": ("finding.locate_page", "complaint"),
}
NESTED = (dict, list)  # what :func:`with_urls` looks into for records


def url_for(endpoint: str, **values) -> str:
    """Flask's ``url_for``, remembered: an endpoint and its values give the same link under the same site root
    every time, and a page builds dozens of links (building one costs more than rendering it)."""
    if endpoint == "static":  # under its content's hash, so browsers may keep it for a year
        values["v"] = static_version(values["filename"])
    if any(key.startswith("_") for key in values):  # _external, _scheme, _anchor...: depend on more than the root
        return flask.url_for(endpoint, **values)
    root = request.script_root if has_request_context() else None
    try:
        return _remembered_url(root, endpoint, tuple(sorted(values.items())))
    except TypeError:  # a value that cannot be remembered (a list of values for one parameter)
        return flask.url_for(endpoint, **values)


@lru_cache(maxsize=URLS_REMEMBERED)
def _remembered_url(root: str | None, endpoint: str, values: tuple) -> str:
    return flask.url_for(endpoint, **dict(values))


def url_of(kind: str, slug: str) -> str:
    """The page of the record of ``kind`` called ``slug``."""
    endpoint, argument = PAGES[kind]
    return url_for(endpoint, **{argument: slug})


def with_urls(data):
    """``data`` with a ``url`` added to every record in it that has a page (a dict with a ``kind`` of
    :data:`PAGES` and a ``slug``); the records are changed in place."""
    if isinstance(data, dict):
        if data.get("kind") in PAGES and "slug" in data and "url" not in data:
            data["url"] = url_of(data["kind"], data["slug"])
        for value in data.values():
            if isinstance(value, NESTED):
                with_urls(value)
    elif isinstance(data, list):
        for item in data:
            if isinstance(item, NESTED):
                with_urls(item)
    return data
