"""The public JSON API under ``/api``, described by ``/api/openapi.json`` (``static/openapi.json``):
the complete practitioner records, whoever asks."""

from __future__ import annotations

from flask import Blueprint
from flask import current_app
from flask import jsonify
from flask import request
from sqlalchemy import select

import search
from figure import body
from refdata import models
from refdata import records
from search import live
from web import reference
from web.links import with_urls
from web.params import exact_arg
from web.params import limit_arg
from web.params import located
from web.params import offset_arg
from web.ratelimit import one_at_a_time

blueprint = Blueprint("api", __name__, url_prefix="/api")


def answer(data: dict):
    """``data`` as a JSON response, its records linked to their pages."""
    return jsonify(with_urls(data))


@blueprint.route("/search")
@one_at_a_time
def api_search():
    """Search everything: ``q`` (required), ``limit``, ``offset``, ``exact``."""
    try:
        return answer(search.search_text(request.args.get("q"), limit_arg(), exact_arg(), offset_arg()))
    except search.QueryError as error:
        return jsonify({"error": str(error)}), 400


@blueprint.route("/locate")
@one_at_a_time
def api_locate():
    """Muscles ranked by the selected regions (``region`` repeatable, ``q``, ``side``, ``limit``, ``exact``)."""
    return answer(located(limit_arg()))


@blueprint.route("/regions")
def api_regions():
    return answer(reference.regions())


@blueprint.route("/muscles")
def api_muscles():
    rows = live.session().scalars(select(models.Muscle).order_by(models.Muscle.name))
    return answer({"muscles": [records.muscle_ref(m.slug, m.name) for m in rows]})


@blueprint.route("/muscles/<slug>")
@one_at_a_time
def api_muscle(slug: str):
    return answer(reference.muscle_record(slug))


@blueprint.route("/treatments")
def api_treatments():
    rows = live.session().scalars(select(models.Treatment).order_by(models.Treatment.position))
    return answer({"treatments": [t.as_dict() for t in rows]})


@blueprint.route("/bodymap")
def api_bodymap():
    """The body figure: per view its viewBox, outline and one path per region and side; trigger-point sites."""
    return jsonify(body.FIGURE)


@blueprint.route("/openapi.json")
def openapi():
    """The OpenAPI 3 description of this API."""
    return jsonify(current_app.extensions["openapi"])
