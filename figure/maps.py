"""Referral maps drawn from the data, on the body figure (:mod:`figure.body`).

A referral map paints each zone as one area (essential solid, spillover stippled), as the manual draws it:
its regions whole, or the outline the figure draws for that trigger point's zone on that view (an arc, a
band, a stripe down the limb). It marks each trigger point with a cross and shows only the views that carry
the pattern, with the detail views for the head, hands and feet (what a detail view shows is painted there,
not again on the small whole body): as panels for a page (:func:`referral_panels`), as a standalone image
(:func:`referral_svg`) and in words (:func:`describe`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from html import escape

from markupsafe import Markup

from figure.body import BODY_VIEWS
from figure.body import SHORT_TITLES
from figure.body import SIDES
from figure.body import SITES
from figure.body import VIEWS
from figure.body import VOCABULARY
from figure.body import ZONES
from figure.body import area
from figure.body import key
from figure.body import leaves

MAP_SIDE = "right"  # referral maps are drawn on the patient's right, as the manuals do
# Detail views a referral map adds for the zones of these body areas (top-level regions).
REFERRAL_DETAILS = {
    "head": ("head",),
    "hand": ("hand-palm", "hand-back"),
    "foot": ("foot-top", "foot-sole"),
    "ankle": ("foot-top", "foot-sole"),
}
HEAD_AND_NECK = {"head", "neck"}  # a pattern within these is drawn on the head view alone, which shows the neck
# Referral map drawing, in CSS px of a standalone image.
BODY_PANEL_HEIGHT = 420
DETAIL_PANEL_HEIGHT = 210  # beside a whole-body view
DETAIL_ALONE_HEIGHT = 320  # when the pattern needs no whole-body view (a face pattern)
PANEL_GAP = 16
CAPTION = 40  # room above a panel for its caption (two lines)
GLYPH = 0.6  # a caption letter's width, in font sizes (generous, so captions never run into each other)
LEGEND = 64  # room below the panels for the legend and the caveat
LEGEND_WIDTH = 470  # the legend's and the caveat's width
FONT = 13
CROSS_PX = 6  # half the size of a trigger point's cross
CROSS_MIN_PX = 3.5  # crosses shrink toward this when several crowd one place, so each stays a cross
CROSS_ROOM = 2.4  # a cross's half-size is at most its distance to the nearest other cross over this
COLOURS = {
    "skin": "#f3ede6",
    "edge": "#8f8a84",
    "essential": "#c0392b",
    "spill-bg": "#f7d9d3",
    "chosen": "#0b4f7a",
    "cross": "#111111",
    "ink": "#1d2326",
}
# Stipple dots per view kind, in view units: (spacing, dot radius).
STIPPLE = {"body": (5, 1.3), "detail": (3.4, 0.85)}
CAVEAT = "Expert clinical description (Travell & Simons), not a diagnostic test."
POINT = re.compile(r"(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)")


def _size(view: str) -> tuple[float, float]:
    """A view's width and height in its own units."""
    _, _, width, height = map(float, VIEWS[view]["viewBox"].split())
    return width, height


def _mirror(view: str, x: float) -> float:
    """The x of the same point on the patient's other side (views are mirror-symmetric about their middle)."""
    return _size(view)[0] - x


def _crop(view: str, sides: set[str]) -> tuple[float, float, float, float]:
    """The part of a view a referral map shows: a detail view of both sides is cut to the side drawn."""
    width, height = _size(view)
    if view in BODY_VIEWS or len(sides) != 1:
        return 0, 0, width, height
    on_left = VIEWS[view]["viewer_left"] in sides
    return (0 if on_left else width / 2), 0, width / 2, height


def _views_for(keys: set[str], zone_areas: set[str], sites: list[dict]) -> list[str]:
    """The views a referral map shows: the detail views of the areas the zones reach, the fewest whole-body
    views that show every zone no detail view shows, and for a cross no chosen view can show, its own."""
    details = {"neck": ("head",)} if zone_areas <= HEAD_AND_NECK else {}
    chosen = {v for a in zone_areas for v in (REFERRAL_DETAILS | details).get(a, ()) if keys & set(VIEWS[v]["regions"])}
    left = {k for k in keys if not any(k in VIEWS[v]["regions"] for v in chosen)}
    crossed = {site["view"] for site in sites}
    while left:
        # the view that shows most of what is left; of two that show as much, the one the crosses are on
        best = max(BODY_VIEWS, key=lambda v: (len(left & set(VIEWS[v]["regions"])), v in crossed))
        if not left & set(VIEWS[best]["regions"]):
            break
        chosen.add(best)
        left -= set(VIEWS[best]["regions"])
    chosen |= {site["view"] for site in sites if not chosen & set(site["positions"])}
    return [v for v in VIEWS if v in chosen] or [BODY_VIEWS[0]]


def _cross_view(site: dict, views: list[str]) -> str:
    """The view a trigger point's cross goes on: its own first view if the map shows it, else the first shown."""
    return site["view"] if site["view"] in views else next(v for v in views if v in site["positions"])


def _mirrored(view: str, path: str) -> str:
    """A path on the patient's other side (views are mirror-symmetric about their middle)."""
    width = _size(view)[0]
    return POINT.sub(lambda m: f"{width - float(m[1]):.1f},{m[2]}", path)


def _zone_path(view: str, kind: str, keys: list[str], points: list[str], sides: list[str]) -> str:
    """The path of one kind of zone on a view: where a trigger point's zone is drawn as an outline on this view,
    the outline; every other region of ``keys`` whole (also when another point's zone has it whole)."""
    drawn, replaced, whole = [], set(), set()
    for slug in points:
        zone = ZONES.get(slug, {}).get(kind)
        if not zone:
            continue
        mine = {key(r, s) for r in leaves(zone["regions"]) for s in sides} & set(keys)
        pieces = zone["drawn"].get(view)
        if pieces and mine:
            drawn += [piece if s == MAP_SIDE else _mirrored(view, piece) for s in sides for piece in pieces]
            replaced |= mine
        else:
            whole |= mine
    return "".join(drawn) + _path(view, [k for k in keys if k not in replaced or k in whole])


def _path(view: str, keys: Iterable[str]) -> str:
    """One SVG path drawing the shapes of the keys in a view as a single area."""
    regions = VIEWS[view]["regions"]
    return "".join(regions[k]["path"] for k in keys if k in regions)


def _cross_sizes(spots: list[tuple[float, float]], px_per_unit: float) -> list[float]:
    """Each cross's half-size in view units: CROSS_PX, less where another cross is close (never below
    CROSS_MIN_PX), so crosses that share a place stay apart."""
    sizes = []
    for i, (x, y) in enumerate(spots):
        nearest = min((math.dist((x, y), other) for j, other in enumerate(spots) if j != i), default=math.inf)
        sizes.append(max(CROSS_MIN_PX, min(CROSS_PX, nearest * px_per_unit / CROSS_ROOM)) / px_per_unit)
    return sizes


def _cross(x: float, y: float, half: float) -> str:
    """An X of two strokes centred on (x, y)."""
    left, right, top, bottom = x - half, x + half, y - half, y + half
    return f"M{left:.1f},{top:.1f}L{right:.1f},{bottom:.1f}M{left:.1f},{bottom:.1f}L{right:.1f},{top:.1f}"


def _zone_title(kind: str, region_ids: list[str]) -> str:
    """A zone's tooltip: its kind and the names of its regions."""
    names = ", ".join(dict.fromkeys(VOCABULARY[r]["name"] for r in region_ids))
    return f"{kind} zone: {names}"


def referral_panels(
    essential: Iterable[str],
    spillover: Iterable[str] = (),
    site: str | Iterable[str] | None = None,
    *,
    chosen: Iterable[str] = (),
    sides: Iterable[str] = (MAP_SIDE,),
    points: Iterable[str] | None = None,
) -> list[dict]:
    """The panels of a referral map, one per view that carries the pattern.

    essential, spillover: region ids (an area stands for its regions; essential wins where both name one).
    site: the trigger point's slug, or several, whose crosses are drawn. chosen: places to outline on top,
    such as the places a visitor chose (``calf:left``; ``calf`` for both sides; an area for its regions).
    sides: the patient's sides to draw the pattern on. points: the trigger points whose zones are drawn as
    the figure draws them (their outlines; by default the ``site`` points; ``()`` paints whole regions).
    Each panel: ``view``, ``name``, ``side`` (for a detail view cut to one side), ``title``, ``viewBox``,
    ``width`` and ``height`` (CSS px), and ``body``, the SVG markup inside the panel's ``<svg>``.
    """
    sides = [s for s in SIDES if s in set(sides)]
    essential_ids = leaves(essential)
    spillover_ids = [r for r in leaves(spillover) if r not in essential_ids]
    zone_keys = {
        kind: [key(r, s) for r in ids for s in sides]
        for kind, ids in (("essential", essential_ids), ("spillover", spillover_ids))
    }
    keys = set(zone_keys["essential"]) | set(zone_keys["spillover"])
    slugs = [site] if isinstance(site, str) else list(site or ())
    points = slugs if points is None else list(points)
    sites = [SITES[s] for s in slugs if s in SITES]
    views = _views_for(keys, {area(r) for r in essential_ids + spillover_ids}, sites)
    detail_height = DETAIL_PANEL_HEIGHT if set(views) & set(BODY_VIEWS) else DETAIL_ALONE_HEIGHT
    # What a detail view of the map shows of its own area is painted there only, not on the small whole body.
    detailed = {
        k
        for v in views
        if v not in BODY_VIEWS
        for k, entry in VIEWS[v]["regions"].items()
        if area(entry["region"]) in REFERRAL_DETAILS
    }
    chosen = [
        key(leaf, side)
        for place in chosen
        for region_id, _, given in [place.partition(":")]
        for leaf in leaves([region_id])
        for side in ([given] if given else SIDES)
    ]
    panels = []
    for view in views:
        x, y, width, height = _crop(view, set(sides))
        detail = view not in BODY_VIEWS
        px_per_unit = (detail_height if detail else BODY_PANEL_HEIGHT) / height
        kind = "detail" if detail else "body"
        body = [f'<use href="#outline-{view}" fill="{COLOURS["skin"]}"/>']
        for zone, paint in (("spillover", f"url(#stipple-{kind})"), ("essential", COLOURS["essential"])):
            in_view = [k for k in zone_keys[zone] if k in VIEWS[view]["regions"] and (detail or k not in detailed)]
            if in_view:
                title = _zone_title(zone.capitalize(), [VIEWS[view]["regions"][k]["region"] for k in in_view])
                # The same paint on the edge closes the hairlines between the tiles of one zone.
                body.append(
                    f'<path class="zone zone-{zone}" d="{_zone_path(view, zone, in_view, points, sides)}"'
                    f' fill="{paint}" stroke="{paint}" stroke-width="{0.8 / px_per_unit:.2f}" stroke-linejoin="round">'
                    f"<title>{escape(title)}</title></path>"
                )
        body.append(f'<use href="#outline-{view}" fill="none" stroke="{COLOURS["edge"]}" stroke-width="1"/>')
        if VIEWS[view]["features"]:
            body.append(f'<use href="#features-{view}" fill="none" stroke="{COLOURS["edge"]}" stroke-width="1"/>')
        outlined = _path(view, chosen)
        if outlined:
            body.append(
                f'<path class="chosen" d="{outlined}" fill="none" stroke="{COLOURS["chosen"]}" stroke-width="2.5"'
                ' stroke-dasharray="6 3" vector-effect="non-scaling-stroke"><title>The places you chose</title></path>'
            )
        spots = [
            (pos["x"] if s == MAP_SIDE else _mirror(view, pos["x"]), pos["y"])
            for mark in sites
            if _cross_view(mark, views) == view
            for pos in [mark["positions"][view]]
            for s in sides
        ]
        for (cx, cy), half in zip(spots, _cross_sizes(spots, px_per_unit), strict=True):
            d = _cross(cx, cy, half)
            body.append(
                f'<g class="trigger-point-mark"><title>Trigger point</title>'
                f'<path d="{d}" stroke="#fff" stroke-width="6" vector-effect="non-scaling-stroke"/>'
                f'<path d="{d}" stroke="{COLOURS["cross"]}" stroke-width="3"'
                ' vector-effect="non-scaling-stroke"/></g>'
            )
        side = "" if view in BODY_VIEWS else f"patient's {' and '.join(sides)}"
        panels.append(
            {
                "view": view,
                "name": SHORT_TITLES[view],
                "side": side,
                "title": SHORT_TITLES[view] + (f", {side}" if side else ""),
                "viewBox": f"{x:g} {y:g} {width:g} {height:g}",
                "width": round(width * px_per_unit),
                "height": round(height * px_per_unit),
                "body": Markup("".join(body)),
            }
        )
    return panels


def definitions(views: Iterable[str] = VIEWS) -> str:
    """What referral maps share, once per page or image: the body's outline per view (``#outline-VIEW``), the
    face lines of the views that have them (``#features-VIEW``) and the stipple patterns of spillover zones."""
    views = list(views)
    defs = [
        f'<path id="outline-{view}" d="{VIEWS[view]["outline"]}" vector-effect="non-scaling-stroke"/>' for view in views
    ]
    defs += [
        f'<path id="features-{view}" d="{VIEWS[view]["features"]}" stroke-linecap="round"'
        ' vector-effect="non-scaling-stroke"/>'
        for view in views
        if VIEWS[view]["features"]
    ]
    for kind, (step, radius) in STIPPLE.items():
        defs.append(
            f'<pattern id="stipple-{kind}" patternUnits="userSpaceOnUse" width="{step}" height="{step}">'
            f'<rect width="{step}" height="{step}" fill="{COLOURS["spill-bg"]}"/>'
            f'<circle cx="{step / 4}" cy="{step / 4}" r="{radius}" fill="{COLOURS["essential"]}"/>'
            f'<circle cx="{3 * step / 4}" cy="{3 * step / 4}" r="{radius}" fill="{COLOURS["essential"]}"/></pattern>'
        )
    return "<defs>" + "".join(defs) + "</defs>"


def describe(essential: Iterable[str], spillover: Iterable[str], sides: Iterable[str] = (MAP_SIDE,)) -> str:
    """A referral map in words, for screen readers and an image's description."""
    sides = [s for s in SIDES if s in set(sides)]
    zones = [
        f"{kind} zone: {', '.join(VOCABULARY[r]['name'] for r in dict.fromkeys(ids))}."
        for kind, ids in (("Essential", list(essential)), ("Spillover", list(spillover)))
        if ids
    ]
    where = f"the patient's {' and '.join(sides)} side{'s' if len(sides) > 1 else ''}"
    return f"Where pain is described as felt, drawn on {where}. {' '.join(zones)}"


def referral_svg(
    essential: Iterable[str],
    spillover: Iterable[str],
    site: str | Iterable[str] | None,
    title: str,
    description: str,
    *,
    chosen: Iterable[str] = (),
    sides: Iterable[str] = (MAP_SIDE,),
    points: Iterable[str] | None = None,
) -> str:
    """A referral map as a standalone SVG document (for ``/trigger-points/<slug>.svg``, print and flashcards).

    The panels of :func:`referral_panels` side by side, each captioned, over a legend and the caveat;
    ``title`` and ``description`` become the image's ``<title>`` and ``<desc>``.
    """
    panels = referral_panels(essential, spillover, site, chosen=chosen, sides=sides, points=points)
    slots = [max(p["width"], GLYPH * FONT * max(len(p["name"]), len(p["side"]))) for p in panels]
    width = round(max(sum(slots) + PANEL_GAP * (len(panels) + 1), LEGEND_WIDTH))
    height = CAPTION + max(p["height"] for p in panels) + LEGEND + PANEL_GAP
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}"'
        f' role="img" aria-labelledby="map-title map-desc" font-family="system-ui, sans-serif" font-size="{FONT}">',
        f'<title id="map-title">{escape(title)}</title><desc id="map-desc">{escape(description)}</desc>',
        definitions(p["view"] for p in panels),
        f'<rect width="{width}" height="{height}" fill="#fff"/>',
    ]
    x = PANEL_GAP
    for p, slot in zip(panels, slots, strict=True):
        middle = x + slot / 2
        for line, text in enumerate(t for t in (p["name"], p["side"]) if t):
            out.append(
                f'<text x="{middle:.0f}" y="{FONT + 2 + line * (FONT + 4)}" text-anchor="middle"'
                f' fill="{COLOURS["ink"]}">{escape(text)}</text>'
            )
        out.append(
            f'<svg x="{middle - p["width"] / 2:.0f}" y="{CAPTION}" width="{p["width"]}" height="{p["height"]}"'
            f' viewBox="{p["viewBox"]}">{p["body"]}</svg>'
        )
        x += slot + PANEL_GAP
    y = CAPTION + max(p["height"] for p in panels) + PANEL_GAP
    out.append(_legend(PANEL_GAP, y))
    out.append(
        f'<text x="{PANEL_GAP}" y="{y + 44}" fill="{COLOURS["ink"]}" font-size="{FONT - 1}">{escape(CAVEAT)}</text>'
    )
    out.append("</svg>\n")
    return "".join(out)


def _legend(x: float, y: float) -> str:
    """Swatches for essential, spillover and the trigger point, at (x, y)."""
    swatch = 16
    items = [
        (f'<rect width="{swatch}" height="{swatch}" fill="{COLOURS["essential"]}"/>', "Essential zone"),
        (f'<rect width="{swatch}" height="{swatch}" fill="url(#stipple-detail)"/>', "Spillover zone"),
        (
            f'<path d="{_cross(swatch / 2, swatch / 2, CROSS_PX)}" stroke="{COLOURS["cross"]}" stroke-width="3"/>',
            "Trigger point",
        ),
    ]
    out = []
    for i, (mark, text) in enumerate(items):
        dx = x + i * 140
        out.append(
            f'<g transform="translate({dx},{y})">{mark}'
            f'<text x="{swatch + 6}" y="{swatch - 3}" fill="{COLOURS["ink"]}">{text}</text></g>'
        )
    return "".join(out)
