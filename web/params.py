"""Reading a request's query parameters, with a 400 for values the site refuses."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

from flask import abort
from flask import request

import search

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_OFFSET = 1000  # more than any search lists
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")  # Unicode's category Cc, as one search on every request's path
PLACE_PARAMS = ("region", "complaint", "q", "side", "exact")  # a choice of places: see places_from_request


def limit_arg() -> int:
    """The ``limit`` query parameter: a whole number from 1 to MAX_LIMIT, else 400."""
    try:
        value = int(request.args.get("limit", DEFAULT_LIMIT))
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_LIMIT:
        abort(400, f"limit must be a whole number from 1 to {MAX_LIMIT}")
    return value


def offset_arg() -> int:
    """The ``offset`` query parameter: how many results to pass over (0 to MAX_OFFSET, default 0), else 400."""
    try:
        value = int(request.args.get("offset", 0))
    except ValueError:
        value = -1
    if not 0 <= value <= MAX_OFFSET:
        abort(400, f"offset must be a whole number from 0 to {MAX_OFFSET}")
    return value


def exact_arg() -> bool:
    """The ``exact`` query parameter: search the words as typed, without correcting their spelling."""
    value = request.args.get("exact", "0")
    if value not in ("0", "1"):
        abort(400, "exact must be 0 or 1")
    return value == "1"


def controls(value: str) -> set[str]:
    """The control characters in ``value`` (Unicode's category Cc: NUL, ESC, DEL, tab, line breaks, ...)."""
    return {ch for ch in value if unicodedata.category(ch) == "Cc"}


def refuse_control_characters() -> None:
    """At the edge, before any view: a path with a control character names no page (404), and a query
    parameter with one is refused (400). No parameter of ours spans lines, so tab and newline are refused too."""
    if CONTROL.search(request.path):
        abort(404, "No page has a control character in its address.")
    if request.query_string and any(CONTROL.search(name + value) for name, value in request.args.items(multi=True)):
        abort(400, "Query parameters cannot contain control characters (such as NUL or a line break).")


def has_control_characters(value: str) -> bool:
    """Whether ``value`` holds a control or other non-printing character (which could end a header early)."""
    return any(unicodedata.category(ch).startswith("C") for ch in value)


def local_path(value: str | None) -> str | None:
    """``value`` if it is a path on this site ("/muscles/soleus"), else None.

    Refused: anything with a scheme or host, scheme-relative "//host", backslashes (browsers read
    "/\\host" as "//host") and control characters.
    """
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return None
    if has_control_characters(value):
        return None
    parts = urlsplit(value)
    return value if not parts.scheme and not parts.netloc else None


def places_from_request() -> dict:
    """The body-map choice in the URL (``region=ID`` or ``region=ID:left``, ``complaint``, ``q``, ``side``)
    as keyword arguments of :func:`search.search_places`."""
    regions = []
    for value in request.args.getlist("region"):
        region, _, side = value.partition(":")
        regions.append((region, side or None))
    return {
        "regions": regions,
        "complaints": request.args.getlist("complaint"),
        "text": request.args.get("q"),
        "side": request.args.get("side") or None,
        "exact": exact_arg(),
    }


def located(limit: int) -> dict:
    """The places chosen in the URL, answered; 400 for a choice the search refuses."""
    try:
        return search.search_places(**places_from_request(), limit=limit)
    except search.QueryError as error:
        abort(400, str(error))
