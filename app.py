"""Trigger Point Atlas: the Flask application.

``create_app`` puts the pieces together (configuration, database, search
index, security headers, CSRF, rate limits) and makes sure the database and
the index are built from refdata/ before the first request. Every HTML page
has a JSON twin at the same path plus ``.json``; ``/api/...`` is the public
JSON API described by ``/api/openapi.json``.
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
from collections import Counter
from contextlib import contextmanager
from functools import wraps
from pathlib import Path

import click
from flask import Blueprint
from flask import Flask
from flask import Response
from flask import abort
from flask import current_app
from flask import flash
from flask import jsonify
from flask import redirect
from flask import render_template
from flask import request
from flask import session as cookie_session
from flask import url_for
from flask.cli import with_appcontext
from flask.json.provider import DefaultJSONProvider
from flask_caching import Cache
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_talisman import Talisman
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFProtect
from flask_wtf.csrf import generate_csrf
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import HTTPException
from wtforms import HiddenField
from wtforms import RadioField
from wtforms import SearchField
from wtforms import SelectMultipleField
from wtforms import StringField
from wtforms import TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired
from wtforms.validators import Length
from wtforms.validators import Optional
from wtforms.widgets import CheckboxInput
from wtforms.widgets import ListWidget

from refdata import check
from refdata import corrections
from refdata import db
from refdata import models
from refdata import plan
from refdata import quiz
from refdata import schema
from refdata.load import fingerprint
from refdata.load import load
from refdata.load import read
from search import index
from search import locate
from search import query

DATA_LICENCE = "CC BY 4.0"
CODE_LICENCE = "MIT"
AUDIENCES = ("patient", "student", "practitioner")
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
PLAN_CANDIDATES = 8  # muscles a region-started plan offers

csrf = CSRFProtect()
cache = Cache()
CSRF_MARK = "__csrf_token__"
limiter = Limiter(get_remote_address, default_limits=[])
site = Blueprint("site", __name__)
api = Blueprint("api", __name__, url_prefix="/api")


class HTMLSafeJSONProvider(DefaultJSONProvider):
    """JSON with <, > and & escaped, so echoed input can never be read as HTML."""

    def dumps(self, obj, **kwargs) -> str:
        text = super().dumps(obj, **kwargs)
        return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# --- application factory -----------------------------------------------------


def create_app(test_config: dict | None = None) -> Flask:
    """Create and configure the app; build the data on first start."""
    app = Flask(__name__, instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(
        DATABASE_URL=f"sqlite:///{os.path.join(app.instance_path, 'atlas.sqlite')}",
        INDEX_DIR=os.path.join(app.instance_path, "index"),
        REFDATA_DIR=os.path.join(app.root_path, "refdata"),
        RATELIMIT_STORAGE_URI="memory://",
        CORRECTIONS_RATE_LIMIT="5 per minute;30 per day",
        AUTO_BUILD=True,
        CACHE_TYPE="SimpleCache",
        CACHE_DEFAULT_TIMEOUT=0,  # entries are keyed by build, so they never go stale
        CACHE_THRESHOLD=500,
    )
    app.config.from_pyfile("config.py", silent=True)
    for key in ("DATABASE_URL", "SECRET_KEY", "INDEX_DIR", "RATELIMIT_STORAGE_URI"):
        if key in os.environ:
            app.config[key] = os.environ[key]
    if test_config:
        app.config.update(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret(app)

    db.init_app(app)
    check.init_app(app)
    corrections.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    cache.init_app(app)
    Talisman(
        app,
        force_https=False,
        session_cookie_secure=False,
        content_security_policy={"default-src": "'self'", "img-src": "'self' data:", "style-src": "'self'"},
    )
    app.extensions["index"] = index.IndexReader(Path(app.config["INDEX_DIR"]))
    app.extensions["openapi"] = json.loads((Path(app.static_folder) / "openapi.json").read_text())
    app.json = HTMLSafeJSONProvider(app)
    app.register_blueprint(site)
    app.register_blueprint(api)
    app.register_error_handler(HTTPException, handle_http_error)
    app.cli.add_command(build_command)
    # Templates are indented for reading; don't send that indentation to every visitor.
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.globals.update(
        AREAS=schema.BODY_AREAS,
        DATA_LICENCE=DATA_LICENCE,
        CODE_LICENCE=CODE_LICENCE,
        BODYMAP=json.loads((Path(app.static_folder) / "bodymap.json").read_text()),
        leaf_regions=leaf_regions,
        marker=marker,
        AudienceForm=AudienceForm,
        SearchForm=SearchForm,
        CorrectionForm=CorrectionForm,
        plan_form=plan_form,
        map_regions=lambda: map_data()["regions"],
        SavePlanForm=SavePlanForm,
        locate_form=locate_form,
    )

    if app.config["AUTO_BUILD"]:
        ensure_built(app)
    return app


def instance_secret(app: Flask) -> str:
    """A random secret key kept in the instance folder, made on first start."""
    path = Path(app.instance_path) / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


# --- building the database and the index ------------------------------------------


@contextmanager
def build_lock(app: Flask):
    """One build at a time, even with several worker processes starting together."""
    with open(Path(app.instance_path) / "build.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def data_fingerprint(app: Flask) -> str:
    """What a build depends on: the data files, and the table and index layouts of this version of the code."""
    return f"{fingerprint(Path(app.config['REFDATA_DIR']))}:{models.REFERENCE_VERSION}:{index.SCHEMA_VERSION}"


def built_fingerprint(app: Flask) -> str | None:
    """The data fingerprint both the database and the index were built from, if they agree."""
    folder = index.current_folder(Path(app.config["INDEX_DIR"]))
    stamp_file = folder / "fingerprint" if folder else None
    if not stamp_file or not stamp_file.exists():
        return None
    with db.new_session(app) as session:
        try:
            row = session.get(models.BuildInfo, "fingerprint")
        except Exception:  # no tables yet
            return None
    stamp = stamp_file.read_text()
    return stamp if row and row.value == stamp else None


def build(app: Flask, progress=None) -> None:
    """Check the data, load the database, build and swap in the index."""
    folder = Path(app.config["REFDATA_DIR"])
    stamp = data_fingerprint(app)
    data = read(folder)
    problems = check.Checker(data).run()
    if problems:
        raise click.ClickException(
            "refdata has problems; run `flask refdata check`:\n" + "\n".join(map(str, problems[:20]))
        )
    load(app.extensions["sessionmaker"].kw["bind"], data, stamp)
    with db.new_session(app) as session:
        docs = list(index.documents(session))
    root = Path(app.config["INDEX_DIR"])
    if progress is None:
        built = index.build_index(root, docs)
    else:
        with progress(length=len(docs), label="Indexing") as bar:
            built = index.build_index(root, docs, bar.update)
    (built / "fingerprint").write_text(stamp)


def ensure_built(app: Flask) -> None:
    """Build when the database or index is missing or older than the data files."""
    current = data_fingerprint(app)
    if built_fingerprint(app) == current:
        return
    with build_lock(app):
        if built_fingerprint(app) != current:
            app.logger.warning("Building the database and search index from refdata/ (first start or data changed)")
            try:
                build(app)
            except click.ClickException as error:
                # Bad data must not stop `flask refdata check` from running; the old build, if any, stays live.
                app.logger.error(error.format_message().splitlines()[0])


@click.command("build")
@with_appcontext
def build_command() -> None:
    """Load refdata/ into the database and build the search index."""
    with build_lock(current_app):
        build(current_app, progress=click.progressbar)
    click.echo("Built the database and the search index.")


# --- shared helpers ----------------------------------------------------------------


def session():
    return db.get_session()


def per_build(name: str, make):
    """``make()``, computed once per build of the index and kept until the next one."""
    generation = current_app.extensions["index"].generation
    cached = current_app.extensions.get(name)
    if cached is None or cached[0] != generation:
        cached = (generation, make())
        current_app.extensions[name] = cached
    return cached[1]


def atlas() -> locate.Atlas:
    """The location-search atlas for the current build."""
    return per_build("atlas", lambda: locate.load_atlas(session()))


def speller() -> query.Speller:
    """The spelling corrector for the current build."""
    return per_build("speller", lambda: query.Speller.from_searcher(current_app.extensions["index"].searcher()))


def audience() -> str:
    """Who the visitor said they are: patient (the default), student or practitioner."""
    chosen = request.args.get("audience") or request.cookies.get("audience")
    return chosen if chosen in AUDIENCES else "patient"


def wants_json() -> bool:
    return request.path.endswith(".json") or request.blueprint == "api"


def page(rule: str, template: str, **options):
    """Register an HTML page and its JSON twin (``rule.json``) on the same view.

    The view returns the page's data as a dict; the HTML template renders that
    same dict, so the two never drift apart. Successful GET responses are cached
    per build, audience and URL; the per-visitor CSRF token is filled in on the
    way out, so a cached page still carries the visitor's own token.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(**kwargs):
            cacheable = request.method == "GET" and not cookie_session.get("_flashes")
            key = f"{current_app.extensions['index'].generation}|{audience()}|{request.full_path}"
            body = cache.get(key) if cacheable else None
            if body is None:
                data = view(**kwargs)
                data, status = data if isinstance(data, tuple) else (data, 200)
                if wants_json():
                    body = current_app.json.dumps(data)
                else:
                    body = render_template(template, data=data, audience=audience(), csrf_token=lambda: CSRF_MARK)
                if status != 200:
                    return render(body, status)
                if cacheable:
                    cache.set(key, body)
            return render(body, 200)

        site.add_url_rule(rule, view.__name__, wrapper, **options)
        json_rule = "/index.json" if rule == "/" else f"{rule}.json"
        site.add_url_rule(json_rule, f"{view.__name__}_json", wrapper, **options)
        return view

    return decorator


def render(body: str, status: int) -> Response:
    """A page or JSON body as a response, with this visitor's CSRF token filled in."""
    if wants_json():
        return Response(body, status, mimetype="application/json")
    if CSRF_MARK in body:
        body = body.replace(CSRF_MARK, generate_csrf())
    return Response(body, status, mimetype="text/html")


def handle_http_error(error: HTTPException):
    """Errors as JSON for API and ``.json`` requests, as a page otherwise."""
    body = {"error": error.description, "status": error.code}
    if request.blueprint == "api" or request.path.endswith(".json"):
        return jsonify(body), error.code
    return render_template("error.html", data=body, audience=audience()), error.code


def limit_arg() -> int:
    """The ``limit`` query parameter, clamped to 1..MAX_LIMIT."""
    try:
        value = int(request.args.get("limit", DEFAULT_LIMIT))
    except ValueError:
        abort(400, "limit must be a whole number")
    return max(1, min(value, MAX_LIMIT))


def muscle_ref(slug: str, name: str) -> dict:
    return {"slug": slug, "name": name, "url": url_for("site.muscle", slug=slug)}


def result_url(kind: str, slug: str) -> str:
    """Where a search result of each kind lives."""
    if kind == "muscle":
        return url_for("site.muscle", slug=slug)
    if kind == "trigger_point":
        return url_for("site.trigger_point", slug=slug)
    if kind == "treatment":
        return url_for("site.treatment", slug=slug)
    if kind == "region":
        return url_for("site.region", region_id=slug)
    return url_for("site.locate_page", complaint=slug)


# --- location search -------------------------------------------------------------------


def selection_from_request() -> locate.Selection:
    """Regions (``region=ID`` or ``region=ID:left``), ``side`` and a ``q`` phrase, combined."""
    side = request.args.get("side") or None
    if side not in (None, *locate.SIDES):
        abort(400, "side must be left or right")
    the_atlas = atlas()
    regions: list[tuple[str, str | None]] = []
    for value in request.args.getlist("region"):
        region, _, region_side = value.partition(":")
        if region not in the_atlas.regions:
            abort(400, f"unknown region: {region}")
        if region_side and region_side not in locate.SIDES:
            abort(400, "a region's side must be left or right")
        sided = the_atlas.regions[region].sided
        regions.append((region, (region_side or side) if sided else None))
    complaints = [c for c in request.args.getlist("complaint") if c in the_atlas.complaints]
    for slug in complaints:
        regions += [(r, side if the_atlas.regions[r].sided else None) for r in the_atlas.complaints[slug].regions]
    text = request.args.get("q")
    if text is not None:
        try:
            phrase = locate.resolve(query.clean(text), the_atlas, side)
        except query.QueryError as error:
            abort(400, str(error))
        regions += phrase.regions
        complaints += phrase.complaints
    if not regions and not complaints and text is None:
        abort(400, "Choose at least one region (region=ID) or describe where it hurts (q=...)")
    return locate.Selection(tuple(dict.fromkeys(regions)), tuple(dict.fromkeys(complaints)))


def red_flags(selection: locate.Selection) -> list[dict]:
    """The warnings to show before any muscle, most urgent first."""
    return [
        {"id": f.id, "title": f.title, "urgency": f.urgency, "advice": f.advice, "signs": list(f.signs)}
        for f in locate.red_flags(selection, atlas())
    ]


def located(selection: locate.Selection, limit: int) -> dict:
    """The /api/locate payload for a selection."""
    the_atlas = atlas()
    results = locate.rank(selection, the_atlas)[:limit]
    return {
        "regions": [{"id": r, "name": the_atlas.regions[r].name, "side": s} for r, s in selection.regions],
        "complaints": [
            {"slug": c, "name": the_atlas.complaints[c].name, "note": the_atlas.complaints[c].note}
            for c in selection.complaints
        ],
        "red_flags": red_flags(selection),
        "results": [
            {
                "muscle": muscle_ref(r.muscle, r.name),
                "score": round(r.score, 3),
                "side": r.side,
                "why": r.explanation(the_atlas),
                "matches": [
                    {
                        "trigger_point": m.trigger_point,
                        "trigger_point_name": m.trigger_point_name,
                        "region": m.region,
                        "zone": m.zone,
                    }
                    for m in r.matches
                ],
            }
            for r in results
        ],
    }


# --- forms ---------------------------------------------------------------------------------


class AudienceForm(FlaskForm):
    """The patient / student / practitioner switch in the header."""

    audience = HiddenField(validators=[DataRequired()])
    next = HiddenField()


class SearchForm(FlaskForm):
    """The search box: a GET form without CSRF, so result pages are shareable URLs."""

    q = SearchField("Search muscles, symptoms or where it hurts", validators=[Length(max=query.MAX_QUERY_LENGTH)])

    class Meta:
        csrf = False


class LocateForm(FlaskForm):
    """The body map's no-JavaScript twin: a GET list of region checkboxes."""

    region = SelectMultipleField(
        "Where it hurts", choices=[], validate_choice=False, widget=ListWidget(), option_widget=CheckboxInput()
    )

    class Meta:
        csrf = False


class CorrectionForm(FlaskForm):
    """Report a mistake on a muscle or trigger-point page."""

    page = HiddenField(validators=[DataRequired(), Length(max=200)])
    message = TextAreaField("What is wrong?", validators=[DataRequired(), Length(min=10, max=2000)])
    reference = StringField("Your source, if you have one (optional)", validators=[Optional(), Length(max=300)])


def locate_form() -> LocateForm:
    """The checkbox form, one box per drawn region and side, ticked from the URL."""
    form = LocateForm(formdata=request.args)
    drawn = current_app.jinja_env.globals["BODYMAP"]["views"]
    form.region.choices = [
        SelectChoice(f"{r.id}:{side}" if side else r.id, f"{r.name} ({side})" if side else r.name)
        for r in atlas().regions.values()
        if r.id in drawn["front"] or r.id in drawn["back"]
        for side in (("left", "right") if r.sided else (None,))
    ]
    return form


# --- pages ------------------------------------------------------------------------------


@page("/", "index.html")
def home():
    """Home: search box, body areas, and what this site is."""
    the_atlas = atlas()
    return {
        "title": "Trigger Point Atlas",
        "counts": {
            "muscles": len(the_atlas.muscles),
            "trigger_points": len({z.trigger_point for z in the_atlas.zones}),
            "regions": len(the_atlas.regions),
        },
        "areas": [{"id": k, "name": v, "url": url_for("site.muscles", area=k)} for k, v in schema.BODY_AREAS.items()],
    }


def muscle_result(the_atlas: locate.Atlas, slug: str, snippet: str) -> dict:
    """A muscle as a search result."""
    name = the_atlas.muscles[slug]
    return {
        "kind": "muscle",
        "slug": slug,
        "title": name,
        "url": url_for("site.muscle", slug=slug),
        "snippet": snippet,
        "muscle": {"slug": slug, "name": name},
        "area": the_atlas.areas[slug],
    }


def search_payload(text: str, limit: int) -> dict:
    """A muscle named outright first, then location (as the body map would rank it), then everything else by text."""
    the_atlas = atlas()
    named = the_atlas.muscle_named(text)
    selection = locate.resolve(text, the_atlas)
    ranked = locate.rank(selection, the_atlas) if selection.regions or selection.complaints else []
    results = []
    if named:
        results.append(muscle_result(the_atlas, named, "The muscle you named"))
        ranked = [r for r in ranked if r.muscle != named]
    results += [
        {
            "kind": "region",
            "slug": r,
            "title": the_atlas.regions[r].name,
            "url": url_for("site.region", region_id=r),
            "snippet": "Where it hurts",
        }
        for r, _ in selection.regions
    ]
    results += [muscle_result(the_atlas, r.muscle, r.explanation(the_atlas)) for r in ranked[:limit]]
    total = bool(named) + len(selection.regions) + len(ranked)
    seen = {(r["kind"], r["slug"]) for r in results} | {("muscle", r.muscle) for r in ranked}
    if selection.regions and not selection.rest:
        hits, suggestion = [], None  # every word named a place: the body-map ranking is the answer
    else:
        spell = speller()
        hits, suggestion = query.run(
            current_app.extensions["index"].searcher(),
            text,
            limit,
            spell,
            shown=limit - len(results),
            skip=frozenset(f"{kind}/{slug}" for kind, slug in seen),
        )
    facets = Counter(the_atlas.areas[r.muscle] for r in ranked)
    if named:
        facets[the_atlas.areas[named]] += 1
    for h in hits:
        if (h.kind, h.slug) in seen:
            continue
        total += 1
        if h.area:
            facets[h.area] += 1
        if len(results) < limit:
            item = {
                "kind": h.kind,
                "slug": h.slug,
                "title": h.title,
                "url": result_url(h.kind, h.slug),
                "snippet": h.snippet,
            }
            if h.muscle_slug:
                item["muscle"] = {"slug": h.muscle_slug, "name": h.muscle_name}
                item["area"] = h.area
            results.append(item)
    return {
        "query": text,
        "total": total,
        "suggestion": suggestion,
        "red_flags": red_flags(selection),
        "facets": {"area": dict(facets)},
        "results": results[:limit],
    }


@page("/search", "search.html")
def search_page():
    """Search results for ``q``; an empty box shows the search form."""
    text = request.args.get("q")
    nothing = {"query": "", "total": 0, "suggestion": None, "red_flags": [], "facets": {"area": {}}, "results": []}
    if text is None:
        return nothing
    try:
        text = query.clean(text)
    except query.QueryError as error:
        return nothing | {"error": str(error)}, 400
    payload = search_payload(text, limit_arg())
    area = request.args.get("area")
    if area in schema.BODY_AREAS:
        payload["results"] = [r for r in payload["results"] if r.get("area") == area]
    return payload


@page("/locate", "locate.html")
def locate_page():
    """Where it hurts: the body map, the red flags for those places, then ranked muscles."""
    if not request.args:
        return {"regions": [], "complaints": [], "red_flags": [], "results": [], "map": map_data()}
    data = located(selection_from_request(), limit_arg())
    data["map"] = map_data()
    return data


def leaf_regions(ids) -> set[str]:
    """Region ids with any area replaced by the regions drawn inside it (for shading a map)."""
    the_atlas = atlas()
    return {r for r in the_atlas.regions if any(i in the_atlas.lineage(r) for i in ids)}


def marker(region_id: str | None) -> dict | None:
    """Where to draw a trigger point's cross: the middle of its site's shape (patient's right)."""
    views = current_app.jinja_env.globals["BODYMAP"]["views"]
    for view, shapes in views.items():
        shape = shapes.get(region_id)
        if shape:
            if shape[0] == "ellipse":
                return {"view": view, "x": shape[1], "y": shape[2]}
            points = [tuple(map(float, p.split(","))) for p in shape[1].split()]
            return {
                "view": view,
                "x": sum(p[0] for p in points) / len(points),
                "y": sum(p[1] for p in points) / len(points),
            }
    return None


def map_data() -> dict:
    """The region vocabulary the body map and its no-JavaScript form offer."""
    the_atlas = atlas()
    return {
        "regions": [
            {
                "id": r.id,
                "name": r.name,
                "view": r.view,
                "sided": r.sided,
                "parent": r.parent,
                "area": the_atlas.lineage(r.id)[-1],
            }
            for r in the_atlas.regions.values()
        ]
    }


@page("/muscles", "muscles.html")
def muscles():
    """All muscles, A to Z and by body area."""
    rows = session().scalars(select(models.Muscle).order_by(models.Muscle.name))
    area = request.args.get("area")
    return {
        "area": area if area in schema.BODY_AREAS else None,
        "muscles": [
            {"slug": m.slug, "name": m.name, "area": m.area, "url": url_for("site.muscle", slug=m.slug)}
            for m in rows
            if area not in schema.BODY_AREAS or m.area == area
        ],
    }


def muscle_record(m: models.Muscle) -> dict:
    """A muscle with everything known about it, as the API and the page show it."""
    the_atlas = atlas()
    names = the_atlas.muscles
    return {
        "slug": m.slug,
        "name": m.name,
        "latin": m.latin,
        "aliases": m.aliases,
        "lay": m.lay,
        "area": m.area,
        "area_name": schema.BODY_AREAS[m.area],
        "url": url_for("site.muscle", slug=m.slug),
        "origin": m.origin,
        "insertion": m.insertion,
        "innervation": {"nerve": m.nerve, "roots": m.roots},
        "action": m.action,
        "functional_unit": {
            "synergists": [muscle_ref(s, names[s]) for s in m.synergists if s in names],
            "antagonists": [muscle_ref(s, names[s]) for s in m.antagonists if s in names],
        },
        "stretch": m.stretch,
        "trigger_points": [trigger_point_record(t) for t in m.trigger_points],
        "treatments": [
            {
                "slug": t.slug,
                "name": t.name,
                "url": url_for("site.treatment", slug=t.slug),
                "evidence": {"level": t.evidence_grade},
            }
            for t in session().scalars(
                select(models.Treatment)
                .where(models.Treatment.muscles.any(models.Muscle.slug == m.slug))
                .order_by(models.Treatment.position)
            )
        ],
        "hazards": [h.as_dict() for h in m.hazards],
        "options": treatment_options(m),
        "sources": [c.as_dict() for c in m.citations],
    }


def treatment_options(m: models.Muscle) -> dict:
    """The treatments practitioners combine for this muscle, derived from its data.

    Segments come from the muscle's roots; the evidence for each approach is the
    graded single-approach entry in treatments.yaml that uses it.
    """
    graded = {}
    single = [t for t in session().scalars(select(models.Treatment)) if len({c.kind for c in t.components}) == 1]
    # Evidence studied on this muscle's presentation first, then the nearest general entry.
    single.sort(key=lambda t: (m not in t.muscles, t.position))
    for t in single:
        graded.setdefault(
            t.components[0].kind,
            {"slug": t.slug, "name": t.name, "level": t.evidence_grade, "url": url_for("site.treatment", slug=t.slug)},
        )
    return {
        "segments": plan.segments(m.roots),
        "cranial": [r for r in m.roots if r.startswith("CN")],
        "pressure": [{"point": t.name, "location": t.location} for t in m.trigger_points],
        "stretch": m.stretch,
        "self_care": list(dict.fromkeys(s for t in m.trigger_points for s in t.self_care)),
        "evidence": graded,
    }


def trigger_point_record(t: models.TriggerPoint) -> dict:
    """One trigger point: where it is, where it refers, what it causes and what helps."""
    return {
        "slug": t.slug,
        "name": t.name,
        "url": url_for("site.trigger_point", slug=t.slug),
        "muscle": {"slug": t.muscle_slug, "name": t.muscle.name},
        "location": t.location,
        "palpation": t.palpation,
        "site": t.site,
        "referral": {"essential": t.regions("essential"), "spillover": t.regions("spillover")},
        "referral_note": t.referral_note,
        "laterality": t.laterality,
        "symptoms": t.symptoms,
        "activating_factors": t.activating_factors,
        "perpetuating_factors": t.perpetuating_factors,
        "self_care": t.self_care,
        "sources": [c.as_dict() for c in t.citations],
    }


def get_muscle(slug: str) -> models.Muscle:
    muscle = (
        session()
        .scalars(
            select(models.Muscle)
            .where(models.Muscle.slug == slug)
            .options(
                selectinload(models.Muscle.trigger_points).selectinload(models.TriggerPoint.zones),
                selectinload(models.Muscle.trigger_points).selectinload(models.TriggerPoint.citations),
                selectinload(models.Muscle.hazards).selectinload(models.Hazard.citations),
                selectinload(models.Muscle.citations),
            )
        )
        .first()
    )
    if muscle is None:
        abort(404, f"No muscle called {slug!r}.")
    return muscle


@page("/muscles/<slug>", "muscle.html")
def muscle(slug: str):
    """One muscle: anatomy, trigger points with referral maps, treatments, hazards, sources."""
    data = muscle_record(get_muscle(slug))
    data["regions"] = map_data()["regions"]
    return data


@page("/trigger-points/<slug>", "trigger_point.html")
def trigger_point(slug: str):
    """One trigger point and its referral map."""
    point = session().get(models.TriggerPoint, slug)
    if point is None:
        abort(404, f"No trigger point called {slug!r}.")
    data = trigger_point_record(point)
    data["regions"] = map_data()["regions"]
    return data


@page("/regions", "regions.html")
def regions():
    """The body-map vocabulary, by area."""
    return {"regions": [r.as_dict() for r in session().scalars(select(models.Region).order_by(models.Region.position))]}


@page("/regions/<region_id>", "region.html")
def region(region_id: str):
    """A region: its red flags, then the muscles that refer there, essential first."""
    row = session().get(models.Region, region_id)
    if row is None:
        abort(404, f"No region called {region_id!r}.")
    data = located(locate.Selection(((region_id, None),)), MAX_LIMIT)
    data["region"] = row.as_dict() | {"note": row.note, "sources": [c.as_dict() for c in row.citations]}
    data["map"] = map_data()
    return data


@page("/treatments", "treatments.html")
def treatments():
    """Combined and single treatments, with their evidence."""
    rows = session().scalars(select(models.Treatment).order_by(models.Treatment.position))
    return {"treatments": [dict(t.as_dict(), url=url_for("site.treatment", slug=t.slug)) for t in rows]}


@page("/treatments/<slug>", "treatment.html")
def treatment(slug: str):
    """One treatment: components, rationale, evidence, contraindications."""
    row = session().get(models.Treatment, slug)
    if row is None:
        abort(404, f"No treatment called {slug!r}.")
    data = row.as_dict()
    data["contraindications"] = [c.as_dict() for c in row.contraindications]
    data["muscles"] = [muscle_ref(m.slug, m.name) for m in row.muscles]
    return data


@page("/safety", "safety.html")
def safety():
    """The contraindication screens for needling and manipulation, and the after-care warning signs."""
    rows = session().scalars(select(models.Contraindication).order_by(models.Contraindication.position))
    after_care = session().get(models.RedFlag, plan.AFTER_CARE_FLAG)
    return {
        "contraindications": [c.as_dict() for c in rows],
        "after_care": after_care.as_dict() if after_care else None,
    }


@page("/about", "about.html")
def about():
    """What the referral maps are and are not; sources and licence."""
    rows = session().scalars(select(models.Source).order_by(models.Source.year.desc()))
    return {"sources": [s.as_dict() for s in rows], "data_licence": DATA_LICENCE, "code_licence": CODE_LICENCE}


@site.route("/audience", methods=["POST"])
def choose_audience():
    """Remember who is reading (patient, student, practitioner) in a cookie."""
    form = AudienceForm()
    if not form.validate_on_submit() or form.audience.data not in AUDIENCES:
        abort(400, "Choose patient, student or practitioner.")
    target = form.next.data if (form.next.data or "").startswith("/") else url_for("site.home")
    response = redirect(target)
    response.set_cookie("audience", form.audience.data, max_age=365 * 24 * 3600, samesite="Lax")
    return response


@site.route("/corrections", methods=["POST"])
@limiter.limit(lambda: current_app.config["CORRECTIONS_RATE_LIMIT"])
def report_correction():
    """Store a visitor's correction; it is never shown to other visitors."""
    form = CorrectionForm()
    if not form.validate_on_submit() or not form.page.data.startswith("/"):
        errors = "; ".join(f"{form[name].label.text}: {', '.join(e)}" for name, e in form.errors.items())
        abort(400, f"The correction was not sent. {errors}")
    corrections.report(form.page.data, form.message.data, form.reference.data)
    flash("Thank you. An editor will check your report against the sources.")
    return redirect(form.page.data)


# --- session plans -------------------------------------------------------------------


class PlanForm(FlaskForm):
    """Choose points, components and answer the contraindication screen; a GET form, so the plan is its URL."""

    muscle = SelectMultipleField("Muscles", choices=[], validate_choice=False)
    point = SelectMultipleField(
        "Trigger points", choices=[], validate_choice=False, widget=ListWidget(), option_widget=CheckboxInput()
    )
    component = SelectMultipleField(
        "Treatment components",
        choices=[SelectChoice(k, v) for k, v in plan.COMPONENTS.items()],
        validate_choice=False,
        widget=ListWidget(),
        option_widget=CheckboxInput(),
    )
    yes = SelectMultipleField(
        "Contraindication screen", choices=[], validate_choice=False, widget=ListWidget(), option_widget=CheckboxInput()
    )

    class Meta:
        csrf = False


class SavePlanForm(FlaskForm):
    """Keep a plan under an unguessable link."""

    query = HiddenField(validators=[DataRequired(), Length(max=4000)])


def plan_choice() -> plan.Choice:
    """The plan's choices from the URL; regions or a phrase add their best-ranked muscles."""
    form = PlanForm(formdata=request.args)
    muscles = list(form.muscle.data or [])
    if request.args.getlist("region") or request.args.get("q"):
        muscles += [r.muscle for r in locate.rank(selection_from_request(), atlas())[:PLAN_CANDIDATES]]
    known = atlas().muscles
    return plan.Choice(
        muscles=tuple(m for m in dict.fromkeys(muscles) if m in known),
        points=tuple(form.point.data or []),
        components=tuple(form.component.data or []),
        yes=tuple(form.yes.data or []),
    )


def plan_form(data: dict) -> PlanForm:
    """The plan form with the choices this plan offers, ticked from the URL."""
    form = PlanForm(formdata=request.args)
    form.muscle.choices = [SelectChoice(m["slug"], m["name"]) for m in data["all_muscles"]]
    form.muscle.data = data["choice"]["muscles"]  # muscles a region offered stay chosen on resubmit
    form.point.choices = [SelectChoice(t["slug"], t["name"]) for m in data["candidates"] for t in m["points"]]
    form.yes.choices = [SelectChoice(q["id"], q["question"]) for q in data["questions"]]
    return form


@page("/plan", "plan.html")
def plan_page():
    """Build a session plan: pick points and components, answer the screen, get the plan."""
    choice = plan_choice()
    data = plan.build(session(), choice)
    data["choice"] = {
        "muscles": list(choice.muscles),
        "points": list(choice.points),
        "components": list(choice.components),
        "yes": list(choice.yes),
    }
    data["all_muscles"] = [
        {"slug": slug, "name": name} for slug, name in sorted(atlas().muscles.items(), key=lambda kv: kv[1])
    ]
    return data


@page("/plan/handout", "handout.html")
def plan_handout():
    """The patient handout for a plan: self-care and warning signs only."""
    return plan.handout(plan.build(session(), plan_choice()))


@site.route("/plan/save", methods=["POST"])
def save_plan():
    """Save a plan's URL under an unguessable token (no patient data is part of a plan)."""
    form = SavePlanForm()
    if not form.validate_on_submit():
        abort(400, "The plan could not be saved.")
    token = secrets.token_urlsafe(16)
    db_session = session()
    db_session.add(models.SavedPlan(token=token, query=form.query.data))
    db_session.commit()
    return redirect(url_for("site.saved_plan", token=token))


@site.route("/plan/saved/<token>")
def saved_plan(token: str):
    """Open a saved plan."""
    saved = session().get(models.SavedPlan, token)
    if saved is None:
        abort(404, "No saved plan with that link.")
    return redirect(url_for("site.plan_page") + "?" + saved.query)


# --- study mode -------------------------------------------------------------------------


def quiz_form(questions: list[quiz.Question]) -> FlaskForm:
    """A multiple-choice form with one radio group per question."""

    class QuizForm(FlaskForm):
        seed = HiddenField()
        area = HiddenField()

    for i, q in enumerate(questions):
        choices = [SelectChoice(value, label) for value, label in q.options]
        setattr(QuizForm, f"q{i}", RadioField(q.prompt, choices=choices, validators=[Optional()]))
    return QuizForm()


def study_area() -> str | None:
    area = request.values.get("area")
    return area if area in schema.BODY_AREAS else None


@page("/quiz", "quiz.html", methods=["GET", "POST"])
def quiz_page():
    """A five-question quiz from the data; POST scores it and explains each answer."""
    if not request.values.get("seed"):
        # A quiz is its URL: give it a seed so it can be shared, cached and scored.
        return abort(redirect(url_for(request.endpoint, seed=secrets.randbelow(10**6), area=study_area())))
    try:
        seed = int(request.values["seed"])
    except ValueError:
        abort(400, "seed must be a whole number")
    area = study_area()
    questions = quiz.make_quiz(quiz.Bank.load(session(), area), seed)
    data = {"area": area, "seed": seed, "questions": [q.as_dict() for q in questions], "result": None}
    if request.method == "POST":
        form = quiz_form(questions)
        if not form.validate_on_submit():
            abort(400, "The answers could not be read; please try the quiz again.")
        answers = {q.id: form[f"q{i}"].data for i, q in enumerate(questions)}
        data["result"] = quiz.score(questions, answers)
        for item in data["result"]["marked"]:
            item["links"] = [{"title": title, "url": result_url(*ref.split("/", 1))} for title, ref in item["links"]]
    return data


@page("/quiz/cards", "cards.html")
def flashcards():
    """Flashcards by body area: name on the front, referral, supply and action on the back."""
    area = study_area()
    cards = quiz.flashcards(quiz.Bank.load(session(), area))
    for card in cards:
        card["url"] = url_for("site.muscle", slug=card["slug"])
    return {"area": area, "cards": cards}


# --- JSON API ---------------------------------------------------------------------------


@api.route("/search")
def api_search():
    """Search everything: ``q`` (required), ``limit``."""
    try:
        text = query.clean(request.args.get("q"))
    except query.QueryError as error:
        return jsonify({"error": str(error)}), 400
    return jsonify(search_payload(text, limit_arg()))


@api.route("/locate")
def api_locate():
    """Muscles ranked by the selected regions (``region`` repeatable, ``q``, ``side``, ``limit``)."""
    return jsonify(located(selection_from_request(), limit_arg()))


@api.route("/regions")
def api_regions():
    return jsonify(regions())


@api.route("/muscles")
def api_muscles():
    rows = session().scalars(select(models.Muscle).order_by(models.Muscle.name))
    return jsonify(
        {"muscles": [{"slug": m.slug, "name": m.name, "url": url_for("site.muscle", slug=m.slug)} for m in rows]}
    )


@api.route("/muscles/<slug>")
def api_muscle(slug: str):
    return jsonify(muscle_record(get_muscle(slug)))


@api.route("/treatments")
def api_treatments():
    rows = session().scalars(select(models.Treatment).order_by(models.Treatment.position))
    return jsonify({"treatments": [t.as_dict() for t in rows]})


@api.route("/openapi.json")
def openapi():
    """The OpenAPI 3 description of this API."""
    return jsonify(current_app.extensions["openapi"])


app = create_app()
