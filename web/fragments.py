"""Fragments of pages made once per build: the parts of a page that are a pure function of the build.

A trigger point's referral map and its self-care pictures, a muscle's stretch, the correction form but for the
visitor's CSRF token (which pages carry as a mark, filled in on the way out): made afresh they are most of what
a muscle's page costs, yet each is the same every time the build's data names it. A template wraps such a part
in ``{% call once(KEY...) %}...{% endcall %}``; it is rendered on first use and kept, as Markup, until the next
build (:func:`search.live.per_build`), under its key, the kind of page (its endpoint: where the block stands
in its template, and so its indentation, is the template's own) and the site root (which its links name).

The key must name everything the part shows that is not fixed by the build (a record's slug names its data;
the audience, where the part differs by audience), and only what the build's data names, never a visitor's
words or choices: so what is kept is bounded by the data.
"""

from __future__ import annotations

from flask import request
from markupsafe import Markup

from search import live


def once(*key, caller) -> Markup:
    """The body of a ``{% call once(KEY...) %}`` block, rendered once per build, kind of page and site root for
    ``KEY``."""
    kept = live.per_build("fragments", dict)
    full_key = (request.endpoint, request.script_root, *key)
    fragment = kept.get(full_key)
    if fragment is None:
        fragment = kept[full_key] = Markup(caller())
    return fragment
