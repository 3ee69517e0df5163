"""Reference pages: muscles, trigger points (and their referral maps as images), regions, treatments, the
safety screen and the about page; and what every page offers: the audience switch and corrections."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlencode

from flask import Blueprint
from flask import abort
from flask import current_app
from flask import redirect
from flask import request
from flask import send_from_directory
from sqlalchemy import select

import search
from figure import maps
from figure import thumbnail
from refdata import downloads
from refdata import models
from refdata import records
from refdata import schema
from search import live
from web import delivery
from web.finding import map_regions
from web.forms import AudienceForm
from web.forms import CorrectionForm
from web.links import url_for
from web.links import url_of
from web.pages import cache
from web.pages import page
from web.params import MAX_LIMIT
from web.params import local_path
from web.ratelimit import limiter

DATA_LICENCE = "CC BY 4.0"
CODE_LICENCE = "MIT"
VERSIONED_MAX_AGE = 365 * 24 * 3600  # a versioned download's name always means the same bytes
# Fetch Metadata (Sec-Fetch-Site) of requests a visitor made on this site or by hand (typed, bookmarked).
OWN_FETCHES = ("same-origin", "none")
# A muscle's map image whose URL names the current build never changes: browsers may keep it for a year.
BUILD_IMAGE_MAX_AGE = 365 * 24 * 3600
OTHER_IMAGE_MAX_AGE = 3600  # the same image asked for without its build
MAPS_REMEMBERED = 1024  # muscle maps' sizes and URLs kept per process

blueprint = Blueprint("reference", __name__)


def muscle_or_404(slug: str) -> models.Muscle:
    """The muscle called ``slug``, fully loaded, or a 404."""
    row = records.get_muscle(live.session(), slug)
    if row is None:
        abort(404, f"No muscle called {slug!r}.")
    return row


def point_or_404(slug: str) -> models.TriggerPoint:
    """The trigger point called ``slug``, or a 404."""
    point = live.session().get(models.TriggerPoint, slug)
    if point is None:
        abort(404, f"No trigger point called {slug!r}.")
    return point


@page(blueprint, "/muscles", "muscles.html", params=("area",))
def muscles():
    """All muscles, A to Z and by body area."""
    rows = live.session().scalars(select(models.Muscle).order_by(models.Muscle.name))
    area = request.args.get("area")
    return {
        "area": area if area in schema.BODY_AREAS else None,
        "muscles": [
            records.muscle_ref(m.slug, m.name) | {"area": m.area}
            for m in rows
            if area not in schema.BODY_AREAS or m.area == area
        ],
    }


def muscle_record(slug: str) -> dict:
    """The record of the muscle called ``slug`` (made once per build), or a 404."""
    return live.record("muscle", slug, lambda: records.muscle_record(live.session(), muscle_or_404(slug)))


@page(blueprint, "/muscles/<slug>", "muscle.html", for_patients=records.muscle_for_patients)
def muscle(slug: str):
    """One muscle: anatomy, trigger points with referral maps, treatments, hazards, sources."""
    return muscle_record(slug) | {"regions": map_regions()}


def region_list(regions: tuple[dict, ...], ids: list[str]) -> str:
    """The names of those ``regions`` whose id is one of ``ids``, in the order of ``regions``, comma-separated."""
    wanted = set(ids)
    return ", ".join(r["name"] for r in regions if r["id"] in wanted)


def point_record(slug: str) -> dict:
    """A trigger point with the warning signs to read before it (made once per build)."""
    point = point_or_404(slug)
    return records.trigger_point_record(point) | {"red_flags": records.point_warnings(live.session(), [point])}


@page(blueprint, "/trigger-points/<slug>", "trigger_point.html", for_patients=records.point_for_patients)
def trigger_point(slug: str):
    """One trigger point and its referral map."""
    return live.record("trigger_point", slug, lambda: point_record(slug)) | {
        "map_image": url_for("reference.trigger_point_svg", slug=slug),
    }


@blueprint.route("/trigger-points/<slug>.svg")
def trigger_point_svg(slug: str):
    """A trigger point's referral map as a standalone SVG image (print, handouts, flashcards, reuse)."""
    point = point_or_404(slug)
    sides = maps.SIDES if point.laterality == "bilateral" else (maps.MAP_SIDE,)
    zones = maps.describe(point.regions("essential"), point.regions("spillover"), sides)
    description = f"{zones} The cross marks the trigger point. {maps.CAVEAT}"
    svg = maps.referral_svg(
        point.regions("essential"),
        point.regions("spillover"),
        point.slug,
        f"Referral map of {point.muscle.name}, {point.name}",
        description,
        sides=sides,
    )
    return current_app.response_class(svg, mimetype="image/svg+xml")


def pattern_sides(pattern: dict, side: str | None) -> tuple[str, ...]:
    """The patient's sides a muscle's map is drawn on: both for a bilateral point, else the side asked for (the
    body map's) or the manuals' right."""
    return maps.SIDES if pattern["bilateral"] else (side or maps.MAP_SIDE,)


def muscle_map(muscle: dict, side: str | None = None, places: list[str] = ()) -> dict:
    """The compact map shown beside a muscle in results: ``src`` (an image URL naming the build, so browsers
    keep it), ``width`` and ``height`` (so the page keeps its room before it loads) and ``alt``.

    muscle: ``{slug, name}``; side: the body map's side; places: the places chosen (``calf:left``, ``calf``).
    """
    generation = current_app.extensions["index"].generation
    drawn = _drawn_map(generation, muscle["slug"], side)
    src = f"{url_for('reference.muscle_svg', slug=muscle['slug'])}?{_map_query(generation, side, tuple(places))}"
    return drawn | {"src": src, "alt": f"Where {muscle['name']} refers pain. {drawn['alt']}"}


@lru_cache(maxsize=MAPS_REMEMBERED)
def _drawn_map(generation: str, slug: str, side: str | None) -> dict:
    """A muscle's compact map's size and description, which depend only on the build, the muscle and its side."""
    pattern = search.muscle_pattern(slug)
    sides = pattern_sides(pattern, side)
    drawn = thumbnail.compact_map(pattern["essential"], pattern["spillover"], pattern["points"], "", "", sides=sides)
    described = maps.describe(pattern["essential"], pattern["spillover"], sides)
    return {"width": drawn.width, "height": drawn.height, "alt": described}


@lru_cache(maxsize=MAPS_REMEMBERED)
def _map_query(generation: str, side: str | None, places: tuple[str, ...]) -> str:
    """The query of a muscle map's URL: the side, the places and the build (the same for every muscle of a page)."""
    return urlencode(([("side", side)] if side else []) + [("place", p) for p in places] + [("v", generation)])


@blueprint.route("/muscles/<slug>.svg")
def muscle_svg(slug: str):
    """A muscle's whole referral pattern as a compact image (the map beside each muscle in results): every
    trigger point's zones and cross, drawn on ``side`` (both for a bilateral point), the places ``place=ID`` or
    ``place=ID:side`` outlined (a place without a side, on the sides drawn)."""
    if slug not in search.atlas().muscles:
        abort(404, f"No muscle called {slug!r}.")
    side = request.args.get("side") or None
    if side not in (None, *maps.SIDES):
        abort(400, "side must be left or right")
    places = request.args.getlist("place")
    for place in places:
        region, _, place_side = place.partition(":")
        if region not in search.atlas().regions or place_side not in ("", *maps.SIDES):
            abort(400, f"Unknown place {place!r}: give a region id, or a region id and :left or :right.")
    generation = current_app.extensions["index"].generation
    key = f"{generation}|map|{request.full_path}"
    svg = cache.get(key)
    if svg is None:
        pattern = search.muscle_pattern(slug)
        sides = pattern_sides(pattern, side)
        name = search.atlas().muscles[slug]
        svg = thumbnail.compact_map(
            pattern["essential"],
            pattern["spillover"],
            pattern["points"],
            f"Where {name} refers pain",
            f"{maps.describe(pattern['essential'], pattern['spillover'], sides)} {maps.CAVEAT}",
            chosen=[p for p in places if ":" in p] + [f"{p}:{s}" for p in places if ":" not in p for s in sides],
            sides=sides,
        ).svg
        cache.set(key, svg)
    delivery.keep_compressed(key)
    response = current_app.response_class(svg, mimetype="image/svg+xml")
    response.cache_control.public = True
    if request.args.get("v") == generation:
        response.cache_control.max_age = BUILD_IMAGE_MAX_AGE
        response.cache_control.immutable = True
    else:
        response.cache_control.max_age = OTHER_IMAGE_MAX_AGE
    return response


@page(blueprint, "/regions", "regions.html", for_patients=records.regions_for_patients)
def regions():
    """The body-map vocabulary, by area."""
    rows = live.session().scalars(select(models.Region).order_by(models.Region.position))
    return {"regions": [r.as_dict() for r in rows]}


@page(
    blueprint, "/regions/<region_id>", "region.html", for_patients=records.region_for_patients, by_country=True
)
def region(region_id: str):
    """A region: its red flags, then the muscles that refer there, essential first."""
    row = live.record("region", region_id, lambda: region_record(region_id))
    return search.search_places(regions=[(region_id, None)], limit=MAX_LIMIT) | {"region": row}


def region_record(region_id: str) -> dict:
    """A region with its note and sources, or a 404."""
    row = live.session().get(models.Region, region_id)
    if row is None:
        abort(404, f"No region called {region_id!r}.")
    return row.as_dict() | {"note": row.note, "sources": [c.as_dict() for c in row.citations]}


@page(blueprint, "/treatments", "treatments.html")
def treatments():
    """Combined and single treatments, with their evidence."""
    rows = live.session().scalars(select(models.Treatment).order_by(models.Treatment.position))
    return {"treatments": [dict(t.as_dict(), url=url_of("treatment", t.slug)) for t in rows]}


@page(blueprint, "/treatments/<slug>", "treatment.html", for_patients=records.treatment_for_patients)
def treatment(slug: str):
    """One treatment: components, rationale, evidence, contraindications."""
    return live.record("treatment", slug, lambda: treatment_record(slug))


def treatment_record(slug: str) -> dict:
    """The treatment called ``slug`` as its page shows it, or a 404."""
    row = live.session().get(models.Treatment, slug)
    if row is None:
        abort(404, f"No treatment called {slug!r}.")
    return records.treatment_record(live.session(), row)


@page(blueprint, "/safety", "safety.html", for_patients=records.safety_for_patients)
def safety():
    """The contraindication screens for needling and manipulation, and the after-care warning signs."""
    rows = live.session().scalars(select(models.Contraindication).order_by(models.Contraindication.position))
    after_care = live.session().get(models.RedFlag, schema.AFTER_CARE_FLAG)
    return {
        "contraindications": [c.as_dict() for c in rows],
        "after_care": after_care.as_dict() if after_care else None,
    }


@page(blueprint, "/about", "about.html")
def about():
    """What the referral maps are and are not; the whole data as downloads, how to cite it, the ontology
    releases its identifiers come from; sources and licence."""
    session = live.session()
    rows = session.scalars(select(models.Source).order_by(models.Source.year.desc()))
    ontologies = session.scalars(select(models.Ontology).order_by(models.Ontology.id.desc()))
    return {
        "sources": [s.as_dict() for s in rows],
        "data_licence": DATA_LICENCE,
        "code_licence": CODE_LICENCE,
        "downloads": live_downloads(),
        "ontologies": [o.as_dict() for o in ontologies],
    }


def live_downloads() -> dict:
    """The live build's downloads: the data version, and each file's name, address and size."""
    folder = current_app.extensions["index"].folder()
    data_version = downloads.version(current_app.extensions["index"].stamp(folder))
    files = {
        kind: {"name": name, "url": url_for("reference.download", name=name), "bytes": (folder / name).stat().st_size}
        for kind, name in downloads.file_names(data_version).items()
    }
    latest = {kind: url_for("reference.download", name=name) for kind, name in downloads.latest_names().items()}
    return {"version": data_version, "licence": downloads.LICENCE, "files": files, "latest": latest}


@blueprint.route("/downloads/<name>")
def download(name: str):
    """One of the live build's downloads by its versioned name (the content of a name never changes); an
    unversioned name redirects to the current version's file."""
    folder = current_app.extensions["index"].folder()
    names = downloads.file_names(downloads.version(current_app.extensions["index"].stamp(folder)))
    latest = {downloads.latest_names()[kind]: versioned for kind, versioned in names.items()}
    if name in latest:
        return redirect(url_for("reference.download", name=latest[name]))
    if name not in names.values():
        abort(404, f"No download called {name!r}; the current ones are {', '.join(names.values())}.")
    return send_from_directory(folder, name, as_attachment=True, max_age=VERSIONED_MAX_AGE)


@blueprint.route("/favicon.ico")
def favicon():
    """The site icon, for clients that ask for it at the conventional path."""
    return send_from_directory(current_app.static_folder, "favicon.svg", mimetype="image/svg+xml", max_age=86400)


@blueprint.route("/audience")
def choose_audience():
    """Remember who is reading (patient, student, practitioner) in a cookie, unless the switch came from
    another site (as the browser's Fetch Metadata tells; a visitor's own bookmark or typed URL is theirs)."""
    if request.headers.get("Sec-Fetch-Site", "none") not in OWN_FETCHES:
        abort(403, "Choose who you are with the switch on this site.")
    form = AudienceForm(request.args)
    if not form.validate():
        abort(400, "Choose patient, student or practitioner.")
    response = redirect(local_path(form.next.data) or url_for("finding.home"))
    response.set_cookie(
        "audience", form.audience.data, max_age=365 * 24 * 3600, samesite="Lax", secure=request.is_secure
    )
    return response


@blueprint.route("/corrections", methods=["POST"])
@limiter.limit(lambda: current_app.config["CORRECTIONS_RATE_LIMIT"])
def report_correction():
    """Store a visitor's correction; it is never shown to other visitors (editors read them with
    ``flask corrections list``)."""
    form = CorrectionForm()
    if not form.validate_on_submit() or not local_path(form.page.data):
        errors = "; ".join(f"{form[name].label.text}: {', '.join(e)}" for name, e in form.errors.items())
        abort(400, f"The correction was not sent. {errors or 'The page must be a page of this site.'}")
    session = live.session()
    session.add(
        models.Correction(page=form.page.data, message=form.message.data, reference=form.reference.data or None)
    )
    session.commit()
    return redirect(url_for("reference.correction_sent", page=form.page.data))


@page(blueprint, "/corrections/sent", "correction_sent.html", params=("page",))
def correction_sent():
    """Thanks for a correction, with the way back to the page it is about."""
    return {
        "message": "Thank you. An editor will check your report against the sources.",
        "page": local_path(request.args.get("page")),
    }
