"""Trigger Point Atlas: the Flask application.

``create_app`` puts the pieces together (configuration, database, search
index, security headers, CSRF, rate limits) and makes sure the database and
the index are built from refdata/ and answer before the first request (CLI
commands build only if they need to). Every HTML page has a JSON twin at the
same path plus ``.json``; ``/api/...`` is the public JSON API described by
``/api/openapi.json``. A request that fails because the build is damaged gets
a 503 while the build is set aside and made again.
"""

from __future__ import annotations

import json
import os
import secrets
import unicodedata
from dataclasses import asdict
from pathlib import Path
from urllib.parse import parse_qsl
from urllib.parse import urlencode
from urllib.parse import urlsplit

import click
from flask import Blueprint
from flask import Flask
from flask import abort
from flask import current_app
from flask import flash
from flask import jsonify
from flask import redirect
from flask import request
from flask import send_from_directory
from flask.sessions import SecureCookieSessionInterface
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_talisman import Talisman
from flask_wtf.csrf import CSRFProtect
from markupsafe import Markup
from sqlalchemy import select
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import InternalServerError
from werkzeug.exceptions import RequestURITooLarge
from werkzeug.exceptions import ServiceUnavailable
from werkzeug.middleware.proxy_fix import ProxyFix

import search
from refdata import bodymap
from refdata import check
from refdata import corrections
from refdata import db
from refdata import forms
from refdata import models
from refdata import plan
from refdata import quiz
from refdata import ratelimit
from refdata import records
from refdata import schema
from refdata.forms import AudienceForm
from refdata.forms import CorrectionForm
from refdata.forms import PlanForm
from refdata.forms import SavePlanForm
from refdata.forms import quiz_form
from refdata.pages import HTMLSafeJSONProvider
from refdata.pages import cache
from refdata.pages import handle_http_error
from refdata.pages import page as register_page
from refdata.pages import url_for
from search import build
from search import index
from search.query import MAX_QUERY_LENGTH

DATA_LICENCE = "CC BY 4.0"
CODE_LICENCE = "MIT"
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
PLAN_CANDIDATES = 8  # muscles a region-started plan offers
CARD_IMAGE_MAX_AGE = 3600  # seconds a browser may keep a flashcard's map
MAX_URL_LENGTH = 4000  # longer request URLs get 414 (gunicorn refuses request lines over 4094 bytes anyway)
RETRY_AFTER = 10  # seconds a 503 asks a client to wait: about one build
# The query parameters a plan's URL may carry; a saved plan keeps only these.
PLAN_PARAMS = ("muscle", "point", "component", "yes", "region", "complaint", "q", "side", "audience")
# Whose settings the environment may override without the ATLAS_ prefix (ATLAS_<KEY> works for every key).
ENVIRONMENT_KEYS = ("DATABASE_URL", "SECRET_KEY", "INDEX_DIR", "RATELIMIT_STORAGE_URI")
# Fetch Metadata (Sec-Fetch-Site) of requests a visitor made on this site or by hand (typed, bookmarked).
OWN_FETCHES = ("same-origin", "none")
# A worker exiting with this status makes gunicorn stop instead of starting it again (an unreachable database).
WORKER_BOOT_ERROR = 3

csrf = CSRFProtect()
limiter = Limiter(get_remote_address, default_limits=[])
site = Blueprint("site", __name__)
api = Blueprint("api", __name__, url_prefix="/api")


def page(rule: str, template: str, **options):
    """A page of this site and its JSON twin (see :func:`refdata.pages.page`)."""
    return register_page(site, rule, template, **options)


# --- application factory -----------------------------------------------------


def create_app(test_config: dict | None = None) -> Flask:
    """Create and configure the app; build the data on first start."""
    app = Flask(__name__, instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(
        DATABASE_URL=f"sqlite:///{os.path.join(app.instance_path, 'atlas.sqlite')}",
        INDEX_DIR=os.path.join(app.instance_path, "index"),
        REFDATA_DIR=os.path.join(app.root_path, "refdata"),
        RATELIMIT_STORAGE_URI=ratelimit.default_uri(app.instance_path),
        RATELIMIT_HEADERS_ENABLED=True,  # Retry-After with every 429
        CORRECTIONS_RATE_LIMIT="5 per minute;30 per day",
        SAVED_PLANS_RATE_LIMIT="10 per minute;100 per day",
        QUIZ_RATE_LIMIT="30 per minute",
        PROXY_FIX=0,  # how many proxies in front add X-Forwarded-For and -Proto; 0 trusts none
        AUTO_BUILD=True,
        CACHE_TYPE="SimpleCache",
        CACHE_DEFAULT_TIMEOUT=0,  # entries are keyed by build, so they never go stale
        CACHE_THRESHOLD=500,
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

    db.init_app(app)
    check.init_app(app)
    build.init_app(app)
    corrections.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
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
    app.json = HTMLSafeJSONProvider(app)
    app.register_blueprint(site)
    app.register_blueprint(api)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_failure)
    app.before_request(before_request)
    # Templates are indented for reading; don't send that indentation to every visitor.
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.globals.update(
        AREAS=schema.BODY_AREAS,
        INVASIVE=records.INVASIVE,
        DATA_LICENCE=DATA_LICENCE,
        CODE_LICENCE=CODE_LICENCE,
        BODYMAP_GROUPS=bodymap.selection_map(),
        BODYMAP_DEFS=Markup(bodymap.definitions()),
        referral_panels=bodymap.referral_panels,
        describe_referral=bodymap.describe,
        muscle_pattern=search.muscle_pattern,
        url_for=url_for,
        MAX_QUERY_LENGTH=MAX_QUERY_LENGTH,
        CorrectionForm=CorrectionForm,
        plan_form=lambda data: forms.plan_form(data, request.args),
        SavePlanForm=SavePlanForm,
        locate_form=lambda: forms.locate_form(search.atlas().regions, request.args),
    )

    if app.config["AUTO_BUILD"] and click.get_current_context(silent=True) is None:
        try:
            prepare(app)
        except db.Unreachable as error:
            app.logger.critical("%s", error)
            raise SystemExit(WORKER_BOOT_ERROR) from None
    return app


def prepare(app: Flask) -> None:
    """Before serving: reach the database, add missing visitor tables, build (or repair) and check the build."""
    db.connect(app)
    db.create_visitor_tables(app)
    build.ensure_built(app)
    app.extensions["prepared"] = True


def before_request():
    """Refuse over-long URLs; prepare the app on its first request when a CLI command (``flask run``) loaded it."""
    if len(request.path) + len(request.query_string) > MAX_URL_LENGTH:
        abort(RequestURITooLarge.code, f"URLs are limited to {MAX_URL_LENGTH} characters.")
    if current_app.config["AUTO_BUILD"] and not current_app.extensions.get("prepared"):
        try:
            prepare(current_app)
        except db.Unreachable as error:
            current_app.logger.error("%s", error)
            raise ServiceUnavailable("The database is not answering.", retry_after=RETRY_AFTER) from None


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, its cookie marked Secure whenever the request came over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"] or request.is_secure)


def handle_failure(error: Exception):
    """A request failed unexpectedly. If the database is unreachable or the build is damaged, answer 503
    with Retry-After (setting the build aside and building it again, once); otherwise 500."""
    app = current_app._get_current_object()
    down = db.unreachable(app, error)
    try:
        if down is None:
            build.check(app)
    except build.Damaged:
        try:
            build.repair(app)
        except Exception:
            app.logger.exception("Repairing the build failed")
        return handle_http_error(
            ServiceUnavailable("The search data is being rebuilt; please try again shortly.", retry_after=RETRY_AFTER)
        )
    except Exception as check_error:  # the check itself failed: a 500 below, unless the database is down
        down = db.unreachable(app, check_error)
    if down is not None:
        app.logger.error("%s", down)
        return handle_http_error(
            ServiceUnavailable("The database is not answering; please try again shortly.", retry_after=RETRY_AFTER)
        )
    app.logger.error("Exception on %s [%s]", request.path, request.method, exc_info=error)
    return handle_http_error(InternalServerError(original_exception=error))


def instance_secret(app: Flask) -> str:
    """A random secret key kept in the instance folder, made on first start."""
    path = Path(app.instance_path) / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


# --- shared helpers ----------------------------------------------------------------


def session():
    return db.get_session()


def muscle_or_404(slug: str) -> models.Muscle:
    """The muscle called ``slug``, fully loaded, or a 404."""
    row = records.get_muscle(session(), slug)
    if row is None:
        abort(404, f"No muscle called {slug!r}.")
    return row


def map_regions() -> list[dict]:
    """The regions a body map offers, with their areas."""
    return bodymap.map_regions(search.atlas().regions)


def limit_arg() -> int:
    """The ``limit`` query parameter: a whole number from 1 to MAX_LIMIT, else 400."""
    try:
        value = int(request.args.get("limit", DEFAULT_LIMIT))
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_LIMIT:
        abort(400, f"limit must be a whole number from 1 to {MAX_LIMIT}")
    return value


def local_path(value: str | None) -> str | None:
    """``value`` if it is a path on this site ("/muscles/soleus"), else None.

    Refused: anything with a scheme or host, scheme-relative "//host", backslashes (browsers read
    "/\\host" as "//host") and control characters (which could end a header early).
    """
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return None
    if any(unicodedata.category(ch).startswith("C") for ch in value):
        return None
    parts = urlsplit(value)
    return value if not parts.scheme and not parts.netloc else None


def plan_query(query: str) -> str | None:
    """A plan's query string, re-encoded with only the plan's parameters; None if it holds anything else."""
    pairs = parse_qsl(query, keep_blank_values=True)
    if not pairs or any(key not in PLAN_PARAMS for key, _ in pairs):
        return None
    if any(unicodedata.category(ch).startswith("C") for _, value in pairs for ch in value):
        return None
    return urlencode(pairs)


def exact_arg() -> bool:
    """The ``exact`` query parameter: search the words as typed, without correcting their spelling."""
    value = request.args.get("exact", "0")
    if value not in ("0", "1"):
        abort(400, "exact must be 0 or 1")
    return value == "1"


# --- location search -------------------------------------------------------------------


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


# --- pages ------------------------------------------------------------------------------


@page("/", "index.html")
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
        "areas": [{"id": k, "name": v, "url": url_for("site.muscles", area=k)} for k, v in schema.BODY_AREAS.items()],
    }


@page("/search", "search.html")
def search_page():
    """Search results for ``q``; an empty box shows the search form."""
    text = request.args.get("q")
    nothing = {
        "query": "",
        "total": 0,
        "suggestion": None,
        "red_flags": [],
        "more_red_flags": [],
        "emergency_line": None,
        "facets": {"area": {}},
        "results": [],
    }
    if text is None:
        return nothing
    try:
        payload = search.search_text(text, limit_arg(), exact_arg())
    except search.QueryError as error:
        return nothing | {"error": str(error)}, 400
    area = request.args.get("area")
    if area in schema.BODY_AREAS:
        payload["results"] = [r for r in payload["results"] if r.get("area") == area]
    return payload


@page("/locate", "locate.html")
def locate_page():
    """Where it hurts: the body map, the red flags for those places, then ranked muscles."""
    if not request.args:
        return {
            "regions": [],
            "complaints": [],
            "red_flags": [],
            "more_red_flags": [],
            "emergency_line": None,
            "results": [],
            "map": {"regions": map_regions()},
        }
    return located(limit_arg()) | {"map": {"regions": map_regions()}}


@page("/muscles", "muscles.html")
def muscles():
    """All muscles, A to Z and by body area."""
    rows = session().scalars(select(models.Muscle).order_by(models.Muscle.name))
    area = request.args.get("area")
    return {
        "area": area if area in schema.BODY_AREAS else None,
        "muscles": [
            records.muscle_ref(m.slug, m.name) | {"area": m.area}
            for m in rows
            if area not in schema.BODY_AREAS or m.area == area
        ],
    }


@page("/muscles/<slug>", "muscle.html", for_patients=records.muscle_for_patients)
def muscle(slug: str):
    """One muscle: anatomy, trigger points with referral maps, treatments, hazards, sources."""
    return records.muscle_record(session(), muscle_or_404(slug)) | {"regions": map_regions()}


@page("/trigger-points/<slug>", "trigger_point.html", for_patients=records.point_for_patients)
def trigger_point(slug: str):
    """One trigger point and its referral map."""
    point = session().get(models.TriggerPoint, slug)
    if point is None:
        abort(404, f"No trigger point called {slug!r}.")
    return records.trigger_point_record(point) | {"map_image": url_for("site.trigger_point_svg", slug=slug)}


@site.route("/trigger-points/<slug>.svg")
def trigger_point_svg(slug: str):
    """A trigger point's referral map as a standalone SVG image (print, handouts, flashcards, reuse)."""
    point = session().get(models.TriggerPoint, slug)
    if point is None:
        abort(404, f"No trigger point called {slug!r}.")
    sides = bodymap.SIDES if point.laterality == "bilateral" else (bodymap.MAP_SIDE,)
    zones = bodymap.describe(point.regions("essential"), point.regions("spillover"), sides)
    description = f"{zones} The cross marks the trigger point. {bodymap.CAVEAT}"
    svg = bodymap.referral_svg(
        point.regions("essential"),
        point.regions("spillover"),
        point.slug,
        f"Referral map of {point.muscle.name}, {point.name}",
        description,
        sides=sides,
    )
    return current_app.response_class(svg, mimetype="image/svg+xml")


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
    return search.search_places(regions=[(region_id, None)], limit=MAX_LIMIT) | {
        "region": row.as_dict() | {"note": row.note, "sources": [c.as_dict() for c in row.citations]},
    }


@page("/treatments", "treatments.html")
def treatments():
    """Combined and single treatments, with their evidence."""
    rows = session().scalars(select(models.Treatment).order_by(models.Treatment.position))
    return {"treatments": [dict(t.as_dict(), url=records.result_url("treatment", t.slug)) for t in rows]}


@page("/treatments/<slug>", "treatment.html", for_patients=records.treatment_for_patients)
def treatment(slug: str):
    """One treatment: components, rationale, evidence, contraindications."""
    row = session().get(models.Treatment, slug)
    if row is None:
        abort(404, f"No treatment called {slug!r}.")
    return records.treatment_record(session(), row)


@page("/safety", "safety.html", for_patients=lambda data: records.without(data, ("contraindications",)))
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


@site.route("/favicon.ico")
def favicon():
    """The site icon, for clients that ask for it at the conventional path."""
    return send_from_directory(current_app.static_folder, "favicon.svg", mimetype="image/svg+xml", max_age=86400)


@site.route("/audience")
def choose_audience():
    """Remember who is reading (patient, student, practitioner) in a cookie, unless the switch came from
    another site (as the browser's Fetch Metadata tells; a visitor's own bookmark or typed URL is theirs)."""
    if request.headers.get("Sec-Fetch-Site", "none") not in OWN_FETCHES:
        abort(403, "Choose who you are with the switch on this site.")
    form = AudienceForm(request.args)
    if not form.validate():
        abort(400, "Choose patient, student or practitioner.")
    response = redirect(local_path(form.next.data) or url_for("site.home"))
    response.set_cookie(
        "audience", form.audience.data, max_age=365 * 24 * 3600, samesite="Lax", secure=request.is_secure
    )
    return response


@site.route("/corrections", methods=["POST"])
@limiter.limit(lambda: current_app.config["CORRECTIONS_RATE_LIMIT"])
def report_correction():
    """Store a visitor's correction; it is never shown to other visitors."""
    form = CorrectionForm()
    if not form.validate_on_submit() or not local_path(form.page.data):
        errors = "; ".join(f"{form[name].label.text}: {', '.join(e)}" for name, e in form.errors.items())
        abort(400, f"The correction was not sent. {errors or 'The page must be a page of this site.'}")
    corrections.report(form.page.data, form.message.data, form.reference.data)
    flash("Thank you. An editor will check your report against the sources.")
    return redirect(form.page.data)


# --- session plans -------------------------------------------------------------------


def plan_choice() -> plan.Choice:
    """The plan's choices from the URL; regions or a phrase add their best-ranked muscles, each with its side."""
    form = PlanForm(formdata=request.args)
    muscles = list(form.muscle.data or [])
    map_sides = {}
    if request.args.getlist("region") or request.args.get("q"):
        for result in located(PLAN_CANDIDATES)["results"]:
            muscles.append(result["muscle"]["slug"])
            if result["side"]:
                map_sides[result["muscle"]["slug"]] = result["side"]
    known = search.atlas().muscles
    return plan.Choice(
        muscles=tuple(m for m in dict.fromkeys(muscles) if m in known),
        points=tuple(form.point.data or []),
        components=tuple(form.component.data or []),
        yes=tuple(form.yes.data or []),
        map_sides=tuple(map_sides.items()),
    )


@page("/plan", "plan.html", for_patients=records.plan_for_patients)
def plan_page():
    """Build a session plan: pick muscles, points and sides, components, answer the screen; get the plan."""
    choice = plan_choice()
    data = plan.build(session(), choice)
    data["choice"] = {name: list(values) for name, values in asdict(choice).items()}
    data["choice"]["map_sides"] = dict(choice.map_sides)
    rows = session().execute(
        select(models.Muscle.slug, models.Muscle.name, models.Muscle.area, models.Muscle.aliases).order_by(
            models.Muscle.name
        )
    )
    data["all_muscles"] = [{"slug": r.slug, "name": r.name, "area": r.area, "aliases": r.aliases} for r in rows]
    return data


@page("/plan/handout", "handout.html")
def plan_handout():
    """The patient handout for a plan: self-care (once per muscle, with its side) and warning signs only."""
    return plan.handout(plan.build(session(), plan_choice()))


@site.route("/plan/save", methods=["POST"])
@limiter.limit(lambda: current_app.config["SAVED_PLANS_RATE_LIMIT"])
def save_plan():
    """Save a plan's URL under an unguessable token (no patient data is part of a plan)."""
    form = SavePlanForm()
    query = plan_query(form.query.data or "")
    if not form.validate_on_submit() or query is None:
        abort(400, "The plan could not be saved.")
    token = secrets.token_urlsafe(16)
    db_session = session()
    db_session.add(models.SavedPlan(token=token, query=query))
    db_session.commit()
    return redirect(url_for("site.saved_plan", token=token))


@site.route("/plan/saved/<token>")
def saved_plan(token: str):
    """Open a saved plan."""
    saved = session().get(models.SavedPlan, token)
    if saved is None:
        abort(404, "No saved plan with that link.")
    return redirect(url_for("site.plan_page") + "?" + (plan_query(saved.query) or ""))


# --- study mode -------------------------------------------------------------------------


def study_area() -> str | None:
    area = request.values.get("area")
    return area if area in schema.BODY_AREAS else None


def study_level() -> str:
    level = request.values.get("level")
    return level if level in quiz.LEVELS else quiz.DEFAULT_LEVEL


@page("/quiz", "quiz.html", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["QUIZ_RATE_LIMIT"], methods=["POST"])
def quiz_page():
    """A five-question quiz from the data; POST scores it: your answer, the right one, why, and the map."""
    area, level = study_area(), study_level()
    if not request.values.get("seed"):
        # A quiz is its URL: give it a seed so it can be shared, cached and scored.
        seed = secrets.randbelow(10**6)
        return abort(redirect(url_for(request.endpoint, seed=seed, area=area, level=level)))
    try:
        seed = int(request.values["seed"])
    except ValueError:
        abort(400, "seed must be a whole number")
    questions = quiz.make_quiz(quiz.Bank.load(session(), area), seed, level)
    data = {
        "area": area,
        "level": level,
        "seed": seed,
        "questions": [q.as_dict() for q in questions],
        "result": None,
    }
    if request.method == "POST":
        form = quiz_form(questions)
        if not form.validate_on_submit():
            abort(400, "The answers could not be read; please try the quiz again.")
        answers = {q.id: form[f"q{i}"].data for i, q in enumerate(questions)}
        data["result"] = quiz.score(questions, answers)
        for item in data["result"]["marked"]:
            item["links"] = [
                {"title": title, "url": records.result_url(*ref.split("/", 1))} for title, ref in item["links"]
            ]
    return data


@page("/quiz/cards", "cards.html")
def flashcards():
    """Flashcards by body area, one per trigger point: its referral map on the front; muscle and points behind."""
    area = study_area()
    cards = quiz.flashcards(quiz.Bank.load(session(), area))
    for card in cards:
        card["url"] = records.result_url("trigger_point", card["id"])
        card["image"] = url_for("site.card_image", slug=card["id"])
    return {"area": area, "cards": cards}


@site.route("/quiz/cards/<slug>.svg")
def card_image(slug: str):
    """A flashcard's front: the trigger point's referral map as an SVG image."""
    point = session().get(models.TriggerPoint, slug)
    if point is None:
        abort(404, f"No trigger point called {slug!r}.")
    bank = quiz.Bank.load(session(), point.muscle.area)
    card = next((c for c in quiz.flashcards(bank) if c["id"] == slug), None)
    if card is None:
        abort(404, "The body figure cannot draw this trigger point's zones.")
    response = current_app.response_class(quiz.card_map(bank, card), mimetype="image/svg+xml")
    response.cache_control.max_age = CARD_IMAGE_MAX_AGE
    return response


@site.route("/quiz/cards.apkg")
def anki_deck():
    """The flashcards of a body area (``area``; all areas without it) as an Anki package, map images included."""
    area = request.args.get("area")
    if area and area not in schema.BODY_AREAS:
        abort(404, f"No body area called {area!r}.")
    bank = quiz.Bank.load(session(), area)
    body = quiz.anki_package(bank, area)
    name = f"trigger-point-atlas-{area or 'all'}.apkg"
    return current_app.response_class(
        body,
        mimetype="application/octet-stream",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


# --- JSON API ---------------------------------------------------------------------------


@api.route("/search")
def api_search():
    """Search everything: ``q`` (required), ``limit``, ``exact``."""
    try:
        return jsonify(search.search_text(request.args.get("q"), limit_arg(), exact_arg()))
    except search.QueryError as error:
        return jsonify({"error": str(error)}), 400


@api.route("/locate")
def api_locate():
    """Muscles ranked by the selected regions (``region`` repeatable, ``q``, ``side``, ``limit``, ``exact``)."""
    return jsonify(located(limit_arg()))


@api.route("/regions")
def api_regions():
    return jsonify(regions())


@api.route("/muscles")
def api_muscles():
    rows = session().scalars(select(models.Muscle).order_by(models.Muscle.name))
    return jsonify({"muscles": [records.muscle_ref(m.slug, m.name) for m in rows]})


@api.route("/muscles/<slug>")
def api_muscle(slug: str):
    return jsonify(records.muscle_record(session(), muscle_or_404(slug)))


@api.route("/treatments")
def api_treatments():
    rows = session().scalars(select(models.Treatment).order_by(models.Treatment.position))
    return jsonify({"treatments": [t.as_dict() for t in rows]})


@api.route("/bodymap")
def api_bodymap():
    """The body figure: per view its viewBox, outline and one path per region and side; trigger-point sites."""
    return jsonify(bodymap.FIGURE)


@api.route("/openapi.json")
def openapi():
    """The OpenAPI 3 description of this API."""
    return jsonify(current_app.extensions["openapi"])


app = create_app()
