"""The body figure: each region's drawn shape per view, where a trigger point's cross goes,
the list of regions a map offers, and a referral map as a standalone SVG image (:func:`referral_svg`).

The geometry is data (``bodymap.json`` beside this module); regions are any
objects with ``id``, ``name``, ``view``, ``sided`` and ``parent`` (database rows
or the search atlas), keyed by id.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from collections.abc import Mapping
from html import escape
from pathlib import Path

FIGURE_FILE = Path(__file__).with_name("bodymap.json")
FIGURE = json.loads(FIGURE_FILE.read_text())


def lineage(regions: Mapping, region_id: str) -> list[str]:
    """The region and its ancestors, nearest first."""
    chain = []
    while region_id:
        chain.append(region_id)
        region_id = regions[region_id].parent
    return chain


def map_regions(regions: Mapping) -> list[dict]:
    """The region vocabulary a body map and its no-JavaScript form offer, each with its body area."""
    return [
        {
            "id": r.id,
            "name": r.name,
            "view": r.view,
            "sided": r.sided,
            "parent": r.parent,
            "area": lineage(regions, r.id)[-1],
        }
        for r in regions.values()
    ]


def leaf_regions(regions: Mapping, ids: Iterable[str]) -> set[str]:
    """Region ids with any area replaced by the regions drawn inside it (for shading a map)."""
    ids = set(ids)
    return {r for r in regions if ids.intersection(lineage(regions, r))}


def drawn(region_id: str) -> bool:
    """Whether the figure has a shape for the region."""
    return any(region_id in shapes for shapes in FIGURE["views"].values())


def marker(region_id: str | None) -> dict | None:
    """Where to draw a trigger point's cross: the middle of its site's shape (patient's right)."""
    for view, shapes in FIGURE["views"].items():
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


# --- a referral map as a standalone SVG document (flashcards, Anki decks) ---------------------

GAP = 10  # between the front and the back view
ESSENTIAL_FILL, ESSENTIAL_STROKE = "#c0392b", "#7b2219"
SPILLOVER_BACKGROUND, SPILLOVER_STROKE = "#fbe4df", "#b8574c"
OUTLINE_FILL, OUTLINE_STROKE = "#f1ede8", "#9aa3aa"
LABEL_COLOUR = "#55606a"


def _svg_shape(shape: list, attributes: str) -> str:
    if shape[0] == "ellipse":
        return f'<ellipse cx="{shape[1]}" cy="{shape[2]}" rx="{shape[3]}" ry="{shape[4]}" {attributes}/>'
    return f'<polygon points="{shape[1]}" {attributes}/>'


def referral_svg(
    essential: Iterable[str], spillover: Iterable[str], site: str | None, title: str, description: str
) -> str:
    """A referral map as a standalone SVG document: front and back view, the essential zone solid, the spillover
    hatched, a cross on the trigger point's site; ``title`` and ``description`` become its <title> and <desc>.

    Region ids are the drawn ones (areas already replaced by the regions inside them, see :func:`leaf_regions`);
    like the manuals, the map shows the patient's right side. Colours are attributes, not CSS, so the image
    looks the same wherever it is opened.
    """
    essential = set(essential)
    spillover = set(spillover) - essential
    width, height = FIGURE["width"], FIGURE["height"]
    cross = marker(site) if site else None
    outline = FIGURE["outline"]  # drawn in each view: no <use>, which some viewers do not follow
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {2 * width + GAP} {height}" '
        f'width="{2 * width + GAP}" height="{height}" role="img" aria-labelledby="map-title map-desc">',
        f'<title id="map-title">{escape(title)}</title>',
        f'<desc id="map-desc">{escape(description)}</desc>',
        "<defs>",
        '<pattern id="hatch" patternUnits="userSpaceOnUse" width="4" height="4" patternTransform="rotate(45)">',
        f'<rect width="4" height="4" fill="{SPILLOVER_BACKGROUND}"/>',
        f'<line x1="0" y1="0" x2="0" y2="4" stroke="{ESSENTIAL_FILL}" stroke-width="1.6"/>',
        "</pattern>",
        "</defs>",
        f'<rect width="{2 * width + GAP}" height="{height}" fill="#ffffff"/>',
    ]
    for offset, view in ((0, "front"), (width + GAP, "back")):
        parts.append(
            f'<g transform="translate({offset} 0)" font-family="sans-serif" font-size="8" fill="{LABEL_COLOUR}">'
        )
        parts.append(f'<path d="{outline}" fill="{OUTLINE_FILL}" stroke="{OUTLINE_STROKE}" stroke-width="0.8"/>')
        parts.append(f'<text x="4" y="10">{view.capitalize()}</text>')
        right_x, left_x = (4, width - 4) if view == "front" else (width - 4, 4)
        parts.append(
            f'<text x="{right_x}" y="440" text-anchor="{"start" if right_x == 4 else "end"}">patient\'s right</text>'
        )
        parts.append(
            f'<text x="{left_x}" y="440" text-anchor="{"start" if left_x == 4 else "end"}">patient\'s left</text>'
        )
        for region, shape in FIGURE["views"][view].items():
            if region in essential:
                parts.append(
                    _svg_shape(shape, f'fill="{ESSENTIAL_FILL}" stroke="{ESSENTIAL_STROKE}" stroke-width="0.4"')
                )
            elif region in spillover:
                parts.append(_svg_shape(shape, f'fill="url(#hatch)" stroke="{SPILLOVER_STROKE}" stroke-width="0.4"'))
        if cross and cross["view"] == view:
            x, y = cross["x"], cross["y"]
            parts.append(
                f'<path d="M{x - 4},{y - 4} L{x + 4},{y + 4} M{x - 4},{y + 4} L{x + 4},{y - 4}" '
                'stroke="#111111" stroke-width="2"/>'
            )
        parts.append("</g>")
    parts.append("</svg>")
    return "\n".join(parts)
