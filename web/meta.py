"""What each page says about itself to search engines and other programs: a description written from its record,
its canonical address, Open Graph, and schema.org JSON-LD (a ``MedicalWebPage`` for its audience, whose main
entity is the muscle, trigger point, treatment or region it shows); and ``robots.txt`` and ``sitemap.xml``.

Everything here is made from the page's data after :mod:`web.pages` has taken out what patients do not see, so
the JSON-LD of a patient's page holds no practitioner field either.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode
from xml.sax.saxutils import escape

from flask import Blueprint
from flask import Response
from flask import request
from markupsafe import Markup
from sqlalchemy import select

import search
from refdata import downloads
from refdata import models
from search import live
from web.links import url_for
from web.links import url_of

SITE = "Trigger Point Atlas"
DESCRIPTION_LENGTH = 160  # search engines show about this many characters of a description
LISTED = 3  # names a description lists before "and N more"
# schema.org audience of each reader: patients, and the clinicians and students who read the practitioner view.
AUDIENCE_TYPES = {"patient": "Patient", "student": "Student", "practitioner": "Clinician"}
# Pages made from what a visitor typed or ticked: kept out of search engines (their words are endless).
UNINDEXED = ("finding.search_page", "plans.plan_page", "plans.plan_handout", "study.quiz_page")
DISALLOWED = ("/search", "/audience", "/corrections", "/plan/", "/api/")  # robots.txt: nothing to index there

blueprint = Blueprint("meta", __name__)


def shorten(text: str, length: int = DESCRIPTION_LENGTH) -> str:
    """``text`` cut at a word to ``length`` characters, with an ellipsis if cut."""
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def listing(names: list[str]) -> str:
    """The first few names, and how many more."""
    names = list(dict.fromkeys(names))
    more = f" and {len(names) - LISTED} more" if len(names) > LISTED else ""
    return ", ".join(names[:LISTED]) + more


def region_names(ids: list[str]) -> list[str]:
    regions = search.atlas().regions
    return [regions[r].name.lower() for r in ids if r in regions]


def canonical() -> str:
    """This page's address: the URL without the audience switch (every audience reads the same page)."""
    query = urlencode([(k, v) for k, v in request.args.items(multi=True) if k != "audience"])
    return request.base_url + (f"?{query}" if query else "")


def absolute(path: str) -> str:
    return request.host_url.rstrip("/") + path


def describe(data: dict, audience: str) -> dict:
    """The page's description, canonical address, Open Graph image and JSON-LD, for ``base.html``."""
    page_of = PAGES.get(request.endpoint)
    title, description, entity, image = page_of(data) if page_of else (SITE, about_site(), None, None)
    address = canonical()
    page = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": title,
        "description": description,
        "url": address,
        "inLanguage": "en",
        "isPartOf": {"@type": "WebSite", "name": SITE, "url": absolute(url_for("finding.home"))},
        "audience": {"@type": "MedicalAudience", "audienceType": AUDIENCE_TYPES[audience]},
        "lastReviewed": last_checked(),
        "license": downloads.LICENCE["path"],
    }
    cited = citations(data)
    if cited:
        page["citation"] = cited
    if entity:
        page["mainEntity"] = entity
    flags = [signs(f) for key in ("red_flags", "more_red_flags") for f in data.get(key) or []]
    flags += [signs(data["after_care"])] if data.get("after_care") else []
    if flags:
        page["mentions"] = flags
    return {
        "title": title,
        "description": description,
        "canonical": address,
        "image": absolute(image) if image else None,
        "indexed": request.endpoint not in UNINDEXED
        and not (request.endpoint == "finding.locate_page" and request.args),
        "jsonld": Markup(json.dumps(page, ensure_ascii=False).replace("</", "<\\/")),
    }


def last_checked() -> str:
    """The day this data version was built, after every check of ``flask refdata check`` passed."""
    return live.per_build("built", built_day)


def built_day() -> str:
    built = live.session().get(models.BuildInfo, "built")
    return built.value[:10] if built else ""


def about_site() -> str:
    counts = search.atlas()
    return shorten(
        f"Find which muscles' trigger points may cause pain where it hurts: {len(counts.muscles)} muscles, "
        f"{len(counts.regions)} body-map places, warning signs first. Sourced; not medical advice."
    )


def citations(data: dict) -> list[dict]:
    """The works a page cites, once each, as schema.org creative works."""
    found = {}
    cited = [*(data.get("sources") or []), *(c for t in data.get("trigger_points") or [] for c in t["sources"])]
    for c in cited:  # a citation names its source; the about page lists the sources themselves
        found.setdefault(c.get("source", c.get("id")), {"@type": "CreativeWork", "name": c["citation"]})
    return list(found.values())


def same_as(ids: dict | None) -> list[str]:
    """The addresses of a muscle's own UBERON term and its FMA classes (not of a whole it is part of)."""
    if not ids or not ids.get("uberon"):
        return []
    return [ids["uberon"]["url"], *(f["url"] for f in ids["fma"])]


def signs(flag: dict) -> dict:
    """A red flag: the illness it warns of, its signs, and what to do."""
    return {
        "@type": "MedicalCondition",
        "name": flag["title"],
        "signOrSymptom": [{"@type": "MedicalSign", "name": s} for s in flag["signs"]],
        "description": f"What to do: {flag['advice']}",
    }


def point_entity(point: dict, muscle: dict) -> dict:
    """A trigger point: a condition of its muscle with its symptoms and self-care (and how it is found, for
    those who may see it)."""
    entity = {
        "@type": "MedicalCondition",
        "name": f"Myofascial trigger point: {muscle['name']}, {point['name']}",
        "url": absolute(point["url"]),
        "description": point["location"],
        "associatedAnatomy": {
            "@type": "Muscle",
            "name": muscle["name"],
            "url": absolute(url_of("muscle", muscle["slug"])),
        },
        "signOrSymptom": [{"@type": "MedicalSignOrSymptom", "name": s} for s in point["symptoms"]],
        "possibleTreatment": [{"@type": "LifestyleModification", "name": s} for s in point["self_care"]],
        "image": absolute(url_for("reference.trigger_point_svg", slug=point["slug"])),
    }
    if point.get("palpation"):
        entity["typicalTest"] = {"@type": "MedicalTest", "name": "Palpation", "description": point["palpation"]}
    return entity


def muscle_page(data: dict):
    points = data["trigger_points"]
    zones = [r for t in points for r in t["referral"]["essential"]]
    description = shorten(
        f"{data['name']} ({data['latin']}): {len(points)} trigger point{'s' * (len(points) != 1)} referring pain to "
        f"{listing(region_names(zones))}. {data['action']}"
    )
    muscle = {
        "@type": "Muscle",
        "name": data["name"],
        "alternateName": [data["latin"], *data["aliases"]],
        "url": canonical(),
        "connectedTo": {"@type": "AnatomicalStructure", "name": data["origin"], "description": "Origin"},
        "insertion": {"@type": "AnatomicalStructure", "name": data["insertion"]},
        "nerve": {"@type": "Nerve", "name": data["innervation"]["nerve"]},
        "muscleAction": data["action"],
        "antagonist": [
            {"@type": "Muscle", "name": m["name"], "url": absolute(m["url"])}
            for m in data["functional_unit"]["antagonists"]
        ],
        "relatedCondition": [point_entity(t, data) for t in points],
        "relatedTherapy": [
            {"@type": "MedicalTherapy", "name": t["name"], "url": absolute(t["url"])} for t in data["treatments"]
        ],
    }
    if same_as(data.get("identifiers")):
        muscle["sameAs"] = same_as(data["identifiers"])
        muscle["code"] = {
            "@type": "MedicalCode",
            "codingSystem": "UBERON",
            "codeValue": data["identifiers"]["uberon"]["id"],
        }
    image = url_for("reference.trigger_point_svg", slug=points[0]["slug"]) if points else None
    return data["name"], description, muscle, image


def point_page(data: dict):
    zones = data["referral"]
    spill = region_names(zones["spillover"])
    description = shorten(
        f"Trigger point in {data['muscle']['name']} ({data['name'].lower()}): refers pain to "
        f"{listing(region_names(zones['essential']))}{', sometimes ' + listing(spill) if spill else ''}. "
        f"{data['symptoms'][0]}"
    )
    title = f"{data['muscle']['name']}: {data['name']}"
    return title, description, point_entity(data, data["muscle"]), data["map_image"]


def treatment_page(data: dict):
    description = shorten(
        f"{data['name']}: for {data['presentation'][0].lower()}{data['presentation'][1:]} "
        f"Evidence: {data['evidence']['level'].replace('_', ' ')} certainty (GRADE)."
    )
    therapy = {
        "@type": "MedicalTherapy",
        "name": data["name"],
        "url": canonical(),
        "description": data["presentation"],
        "contraindication": [
            {"@type": "MedicalContraindication", "name": c.get("text") or c["question"]}
            for c in data["contraindications"]
        ],
    }
    if data.get("after_care"):
        therapy["seriousAdverseOutcome"] = signs(data["after_care"])
    return data["name"], description, therapy, None


def region_page(data: dict):
    region = data["region"]
    muscles = [r["muscle"]["name"] for r in data["results"]]
    flags = [f["title"].lower() for f in data["red_flags"]]
    description = shorten(
        f"Pain in the {region['name'].lower()}: warning signs first ({listing(flags)}), then the {len(muscles)} "
        f"muscles whose trigger points refer here: {listing(muscles)}."
        if flags
        else f"Pain in the {region['name'].lower()}: the {len(muscles)} muscles whose trigger points refer here, "
        f"{listing(muscles)}."
    )
    place = {"@type": "AnatomicalStructure", "name": region["name"], "url": canonical()}
    ids = region.get("identifiers")
    if ids and ids["match"] == "exact":
        place["sameAs"] = [ids["uberon"]["url"], *(f["url"] for f in ids["fma"])]
    return region["name"], description, place, None


def found_page(data: dict):
    """Search and body-map answers: what was asked, and the first muscles found."""
    asked = data.get("query") or ", ".join(r["name"].lower() for r in data.get("regions") or [])
    names = [r.get("muscle", {}).get("name") or r.get("title") for r in data.get("results") or []]
    found = f"{listing([n for n in names if n])}" if names else "no muscle found"
    title = f"Where it hurts: {asked}" if asked else "Body map"
    description = shorten(f"Trigger points for {asked}: {found}. Warning signs first." if asked else about_site())
    return title, description, None, None


def listed(title: str, what):
    """A page that lists records: its title and a description from its own list."""

    def page_of(data: dict):
        return title, shorten(what(data)), None, None

    return page_of


def count_muscles(data: dict) -> str:
    names = [m["name"] for m in data["muscles"]]
    return f"All {len(names)} muscles with myofascial trigger points, A to Z and by body area: {listing(names)}."


PAGES = {
    "finding.home": lambda data: (SITE, about_site(), None, None),
    "finding.search_page": found_page,
    "finding.locate_page": found_page,
    "reference.muscles": listed("Muscles A–Z", count_muscles),
    "reference.muscle": muscle_page,
    "reference.trigger_point": point_page,
    "reference.regions": listed(
        "Body regions",
        lambda d: (
            f"The {len(d['regions'])} places of the body map, by area: "
            f"{listing([r['name'] for r in d['regions'] if not r['parent']])}."
        ),
    ),
    "reference.region": region_page,
    "reference.treatments": listed(
        "Treatments",
        lambda d: (
            f"{len(d['treatments'])} single and combined treatments for trigger-point pain, each with its GRADE "
            f"evidence: {listing([t['name'] for t in d['treatments']])}."
        ),
    ),
    "reference.treatment": treatment_page,
    "reference.safety": listed(
        "Screening and safety",
        lambda d: (
            "The screen before dry needling, IMS and spinal manipulation, and the warning signs to watch for "
            f"after treatment: {listing([s.rstrip('.') for s in (d.get('after_care') or {}).get('signs', [])])}."
        ),
    ),
    "reference.about": listed(
        "About",
        lambda d: (
            f"What the referral maps are and are not, the {len(d['sources'])} sources, and the whole atlas to "
            f"download (data version {d['downloads']['version']}, CC BY 4.0) with its UBERON identifiers."
        ),
    ),
    "plans.plan_page": listed(
        "Session plan",
        lambda d: (
            "Plan a treatment session: muscles, trigger points and sides, "
            "components, the safety screen, hazards and after-care."
        ),
    ),
    "plans.plan_handout": listed("Handout", lambda d: "A patient handout: self-care, stretches and warning signs."),
    "study.quiz_page": listed(
        "Quiz", lambda d: "Five questions from the atlas: referral maps, regions, roots and hazards."
    ),
    "study.flashcards": listed(
        "Flashcards",
        lambda d: (
            f"{len(d['cards'])} flashcards, one per trigger point: the referral map on the front, the muscle "
            "behind; scheduled with Leitner boxes, or as an Anki deck."
        ),
    ),
}


@blueprint.route("/robots.txt")
def robots():
    """Crawlers may read every page but the ones made from what a visitor typed; the sitemap lists them all."""
    lines = [
        "User-agent: *",
        *(f"Disallow: {path}" for path in DISALLOWED),
        f"Sitemap: {absolute(url_for('meta.sitemap'))}",
    ]
    return Response("\n".join(lines) + "\n", mimetype="text/plain")


@blueprint.route("/sitemap.xml")
def sitemap():
    """Every page of the site: the fixed pages, each muscle, trigger point, region and treatment."""
    session = live.session()
    fixed = [
        "finding.home",
        "finding.locate_page",
        "reference.muscles",
        "reference.regions",
        "reference.treatments",
        "reference.safety",
        "reference.about",
        "study.flashcards",
    ]
    paths = [url_for(endpoint) for endpoint in fixed]
    for kind, key in (
        ("muscle", models.Muscle.slug),
        ("trigger_point", models.TriggerPoint.slug),
        ("region", models.Region.id),
        ("treatment", models.Treatment.slug),
    ):
        paths += [url_of(kind, slug) for slug in session.scalars(select(key).order_by(key))]
    modified = last_checked()
    urls = "".join(f"<url><loc>{escape(absolute(p))}</loc><lastmod>{modified}</lastmod></url>" for p in paths)
    body = f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>\n'
    return Response(body, mimetype="application/xml")
