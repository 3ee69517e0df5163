"""The web layer: Flask blueprints by concern, each page with its JSON twin.

- :mod:`web.finding`: the home page with the body map, search, locate;
- :mod:`web.reference`: muscles, trigger points, regions, treatments, safety, about (and the audience switch
  and corrections every page offers);
- :mod:`web.plans`: session plans and handouts; :mod:`web.study`: quizzes, flashcards, Anki decks;
- :mod:`web.api`: the JSON API;
- :mod:`web.meta`: what each page says about itself (description, canonical link, Open Graph, schema.org
  JSON-LD), robots.txt and the sitemap;
- the machinery they share: :mod:`web.pages` (a page and its JSON twin, the page cache, errors),
  :mod:`web.links` (the one place links are made), :mod:`web.params` (query parameters),
  :mod:`web.forms`, :mod:`web.ratelimit`, :mod:`web.delivery` (compression, ETags, static files by their hash),
  and :mod:`web.commands` (the ``flask`` commands).
"""

from __future__ import annotations

from flask import Flask
from flask import request
from flask_wtf.csrf import CSRFError
from markupsafe import Markup

import search
from figure import body
from figure import maps
from figure import selfcare
from refdata import records
from refdata import schema
from search.query import MAX_QUERY_LENGTH
from web import api
from web import commands
from web import delivery
from web import finding
from web import forms
from web import fragments
from web import meta
from web import params
from web import plans
from web import reference
from web import study
from web.links import url_for
from web.pages import HTMLSafeJSONProvider

BLUEPRINTS = (finding.blueprint, reference.blueprint, plans.blueprint, study.blueprint, api.blueprint, meta.blueprint)


def init_app(app: Flask) -> None:
    """Register the blueprints, the ``flask`` commands and what every template may use."""
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    app.before_request(params.refuse_control_characters)
    delivery.init_app(app)
    app.register_error_handler(CSRFError, forms.confirm)
    commands.init_app(app)
    app.json = HTMLSafeJSONProvider(app)
    # Templates are indented for reading; don't send that indentation to every visitor.
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.globals.update(
        AREAS=schema.BODY_AREAS,
        INVASIVE=records.INVASIVE,
        DATA_LICENCE=reference.DATA_LICENCE,
        CODE_LICENCE=reference.CODE_LICENCE,
        BODYMAP_GROUPS=body.selection_map(),
        BODYMAP_DEFS=Markup(maps.definitions()),
        referral_panels=maps.referral_panels,
        describe_referral=maps.describe,
        muscle_map=reference.muscle_map,
        region_list=reference.region_list,
        stretch_picture=selfcare.stretch_svg,
        pressure_picture=selfcare.pressure_svg,
        url_for=url_for,
        once=fragments.once,
        MAX_QUERY_LENGTH=MAX_QUERY_LENGTH,
        CorrectionForm=forms.CorrectionForm,
        plan_form=lambda data: forms.plan_form(data, request.args),
        SavePlanForm=forms.SavePlanForm,
        locate_form=lambda: forms.locate_form(search.atlas().regions, request.args),
    )
