"""Finding where it hurts: the home page with the body map, the search page and the locate page."""

from __future__ import annotations

from flask import Blueprint
from flask import request

import search
from figure import body
from refdata import schema
from search import live
from web.links import url_for
from web.pages import audience
from web.pages import page
from web.params import PLACE_PARAMS
from web.params import exact_arg
from web.params import limit_arg
from web.params import located
from web.params import offset_arg

blueprint = Blueprint("finding", __name__)


def map_regions() -> tuple[dict, ...]:
    """The regions a body map offers, with their areas: made once per build and shared by every page, as a tuple,
    which no page changes and :func:`web.links.with_urls` does not look into (they name no record)."""
    return live.per_build("map_regions", lambda: tuple(body.map_regions(search.atlas().regions)))


@page(blueprint, "/", "index.html")
def home():
    """Home: the body map, body areas, and what this site is."""
    the_atlas = search.atlas()
    return {
        "title": "Trigger Point Atlas",
        "map": {"regions": map_regions()},
        "counts": {
            "muscles": len(the_atlas.muscles),
            "trigger_points": len({z.trigger_point for z in the_atlas.zones}),
            "regions": len(the_atlas.regions),
        },
        "areas": [
            {"id": k, "name": v, "url": url_for("reference.muscles", area=k)} for k, v in schema.BODY_AREAS.items()
        ],
    }


@page(blueprint, "/search", "search.html", by_country=True, params=("q", "limit", "offset", "exact", "area"))
def search_page():
    """Search results for ``q``; an empty box shows the search form."""
    text = request.args.get("q")
    nothing = {
        "query": "",
        "total": 0,
        "offset": 0,
        "suggestion": None,
        "red_flags": [],
        "more_red_flags": [],
        "emergency_line": None,
        "answer": None,
        "emergency": False,
        "facets": {"area": {}},
        "results": [],
        "notice": None,
        "closest": [],
    }
    if text is None:
        return nothing
    area = request.args.get("area")
    try:
        return search.search_text(
            text,
            limit_arg(),
            exact_arg(),
            offset_arg(),
            area if area in schema.BODY_AREAS else None,
            for_patients=audience() == "patient",
        )
    except search.QueryError as error:
        return nothing | {"error": str(error)}, 400


@page(blueprint, "/locate", "locate.html", by_country=True, params=(*PLACE_PARAMS, "limit"))
def locate_page():
    """Where it hurts: the body map, the red flags for those places, then ranked muscles."""
    if not request.args:
        return {
            "regions": [],
            "complaints": [],
            "red_flags": [],
            "more_red_flags": [],
            "emergency_line": None,
            "emergency": False,
            "results": [],
            "map": {"regions": map_regions()},
        }
    return located(limit_arg()) | {"map": {"regions": map_regions()}}
