"""A referral map made small: a whole pattern as one compact image, for result lists and flashcards.

The panels of :func:`figure.maps.referral_panels`, each whole-body view cut to the band of the body the pattern
covers (a calf pattern is drawn on the legs, larger than on the whole figure), in rows no wider than a phone's
column. The trigger points' crosses are drawn at the image's own scale, and points too close to tell apart
there become one cross with their number beside it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from functools import cache
from html import escape
from itertools import combinations
from typing import NamedTuple

from figure.body import BODY_VIEWS
from figure.body import SITES
from figure.body import VIEWS
from figure.body import key
from figure.body import leaves
from figure.maps import CAVEAT
from figure.maps import COLOURS
from figure.maps import MAP_SIDE
from figure.maps import definitions
from figure.maps import referral_panels

ROW_HEIGHT = 150  # px: the height of a row of panels
MAX_WIDTH = 340  # px: no row is wider (the column of a 390 px phone)
GAP = 8  # px between panels and between rows
FONT = 12  # px: captions and the number beside a cross
CAPTION = FONT + 6  # px below each panel for its name
BAND_MARGIN = 0.04  # of the body's height, kept above and below the pattern
MIN_BAND = 0.3  # of the body's height: the least a body view shows, so the part of the body stays recognisable
SIDE_MARGIN = 0.1  # of the body's width, kept left and right of the pattern
MIN_WIDTH = 0.5  # of the body's width: the least a body view shows across
MIN_ASPECT = 0.4  # the least width of a body view's crop, in its heights (a tall pattern is not drawn as a sliver)
CROSS_HALF = 4  # px: half a cross's width
APART = 20  # px: crosses (with the number beside them) closer than this are drawn as one, with their number
LEGEND_FONT = 13  # px: the legend's words (flashcards)
LEGEND_LINE = 20  # px per line of the legend
LEGEND_WIDTH = 230  # px: the least width of an image with a legend, so its words fit on their lines
GLYPH = 0.55  # a letter's width in font sizes, generous, to wrap the caveat


class CompactMap(NamedTuple):
    """A compact referral map: the SVG document and its size in CSS px."""

    svg: str
    width: int
    height: int


@cache
def _points(path: str) -> tuple[tuple[float, float], ...]:
    """The corners of a path of M, L and Z commands (the figure's shapes are drawn so)."""
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", path)]
    return tuple(zip(numbers[::2], numbers[1::2], strict=True))


def _size(view: str) -> tuple[float, float]:
    _, _, width, height = map(float, VIEWS[view]["viewBox"].split())
    return width, height


def _crosses(sites: Iterable[str], sides: list[str]) -> list[tuple[str, float, float]]:
    """Each trigger point's cross on each side drawn: (view, x, y) in the view's units."""
    out = []
    for slug in sites:
        site = SITES.get(slug)
        if site is None:
            continue
        width, _ = _size(site["view"])
        for side in sides:
            out.append((site["view"], site["x"] if side == MAP_SIDE else width - site["x"], site["y"]))
    return out


def _span(low: float, high: float, margin: float, least: float, limit: float) -> tuple[float, float]:
    """low..high widened by ``margin`` each way, then to at least ``least``, kept within 0..limit."""
    low, high = low - margin, high + margin
    short = least - (high - low)
    if short > 0:
        low, high = low - short / 2, high + short / 2
    shift = max(0, -low) - max(0, high - limit)
    return max(0, low + shift), min(limit, high + shift)


def _pattern_points(view: str, keys: set[str], crosses: list[tuple[str, float, float]]) -> list[tuple[float, float]]:
    """The corners of the pattern's shapes and its crosses in a view."""
    regions = VIEWS[view]["regions"]
    corners = [point for k in keys if k in regions for point in _points(regions[k]["path"])]
    return corners + [(x, y) for v, x, y in crosses if v == view]


def _crops(views: list[str], keys: set[str], crosses) -> dict[str, tuple[float, float, float, float]]:
    """Each whole-body view cut to the pattern with a margin: the same rows in every view (so front and back line
    up), at least MIN_BAND of the body's height and MIN_WIDTH of its width. (x, y, width, height) per view."""
    width, height = _size(BODY_VIEWS[0])
    points = {view: _pattern_points(view, keys, crosses) for view in views}
    ys = [y for view in views for _, y in points[view]]
    if not ys:
        return {view: (0, 0, width, height) for view in views}
    top, bottom = _span(min(ys), max(ys), BAND_MARGIN * height, MIN_BAND * height, height)
    crops = {}
    for view in views:
        xs = [x for x, _ in points[view]] or [width / 2]
        least = max(MIN_WIDTH * width, MIN_ASPECT * (bottom - top))
        left, right = _span(min(xs), max(xs), SIDE_MARGIN * width, least, width)
        crops[view] = (left, top, right - left, bottom - top)
    return crops


def _clusters(points: list[tuple[float, float]]) -> list[tuple[float, float, int]]:
    """The points in groups whose centres are at least APART px apart: (centre x, centre y, how many)."""
    groups = [[point] for point in points]

    def centre(group):
        return sum(p[0] for p in group) / len(group), sum(p[1] for p in group) / len(group)

    while True:
        near = next(
            (
                (i, j)
                for i, j in combinations(range(len(groups)), 2)
                if math.dist(centre(groups[i]), centre(groups[j])) < APART
            ),
            None,
        )
        if near is None:
            return [(*centre(g), len(g)) for g in groups]
        i, j = near
        groups[i] += groups.pop(j)


def _mark(x: float, y: float, count: int) -> str:
    """A trigger point's cross at (x, y) px, with the number of points it stands for when more than one."""
    h = CROSS_HALF
    d = f"M{x - h:.1f},{y - h:.1f}L{x + h:.1f},{y + h:.1f}M{x - h:.1f},{y + h:.1f}L{x + h:.1f},{y - h:.1f}"
    title = f"{count} trigger points" if count > 1 else "Trigger point"
    out = (
        f'<g class="cross"><title>{title}</title><path d="{d}" stroke="#fff" stroke-width="5"/>'
        f'<path d="{d}" stroke="{COLOURS["cross"]}" stroke-width="2.5"/>'
    )
    if count > 1:
        cx, cy = x + h + 6, y - h - 4
        out += (
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{FONT / 2 + 1.5}" fill="#fff" stroke="{COLOURS["cross"]}"/>'
            f'<text x="{cx:.1f}" y="{cy + FONT * 0.35:.1f}" text-anchor="middle" font-size="{FONT - 1}"'
            f' font-weight="700" fill="{COLOURS["ink"]}">{count}</text>'
        )
    return out + "</g>"


def _wrap(text: str, width: float, font: float) -> list[str]:
    """``text`` in lines that fit ``width`` px at ``font`` px."""
    lines, line = [], ""
    for word in text.split():
        if line and (len(line) + 1 + len(word)) * GLYPH * font > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return lines + [line] if line else lines


def _legend(x: float, y: float, width: float) -> tuple[str, float]:
    """The legend (essential, spillover, trigger point) and the caveat below the panels: its markup, its height."""
    swatch = LEGEND_FONT
    items = [
        f'<rect width="{swatch}" height="{swatch}" fill="{COLOURS["essential"]}"/>',
        f'<rect width="{swatch}" height="{swatch}" fill="url(#stipple-detail)" stroke="{COLOURS["essential"]}"'
        ' stroke-width=".5"/>',
        _mark(swatch / 2, swatch / 2, 1),
    ]
    words = ("Essential zone: usually felt", "Spillover zone: felt by some", "Trigger point")
    out = []
    for i, (mark, text) in enumerate(zip(items, words, strict=True)):
        out.append(
            f'<g transform="translate({x},{y + i * LEGEND_LINE})">{mark}<text x="{swatch + 6}" y="{swatch - 2}"'
            f' font-size="{LEGEND_FONT}" fill="{COLOURS["ink"]}">{text}</text></g>'
        )
    top = y + len(items) * LEGEND_LINE + FONT
    caveat = _wrap(CAVEAT, width, FONT)
    for i, line in enumerate(caveat):
        out.append(f'<text x="{x}" y="{top + i * (FONT + 4)}" fill="{COLOURS["ink"]}">{escape(line)}</text>')
    return "".join(out), len(items) * LEGEND_LINE + FONT + len(caveat) * (FONT + 4)


def compact_map(
    essential: Iterable[str],
    spillover: Iterable[str],
    sites: Iterable[str],
    title: str,
    description: str,
    *,
    chosen: Iterable[str] = (),
    sides: Iterable[str] = (MAP_SIDE,),
    max_width: int = MAX_WIDTH,
    legend: bool = False,
) -> CompactMap:
    """A whole referral pattern as one compact SVG image.

    essential, spillover: region ids; sites: the trigger points whose crosses are drawn; chosen: places outlined
    (as :func:`figure.maps.referral_panels` takes them); sides: the patient's sides drawn. Panels are
    ``ROW_HEIGHT`` px high in rows at most ``max_width`` px wide; with ``legend``, the legend and the caveat
    follow them. ``title`` and ``description`` become the image's ``<title>`` and ``<desc>``.
    """
    sites, sides = list(sites), list(sides)
    panels = referral_panels(essential, spillover, sites, chosen=chosen, sides=sides)
    keys = {key(r, s) for r in leaves(essential) + leaves(spillover) for s in sides}
    crosses = _crosses(sites, sides)
    crops = _crops([p["view"] for p in panels if p["view"] in BODY_VIEWS], keys, crosses)

    placed, rows, x, y, row_height = [], [], 0.0, 0.0, 0.0
    for p in panels:
        crop = crops.get(p["view"]) or tuple(map(float, p["viewBox"].split()))
        scale = min(ROW_HEIGHT / crop[3], max_width / crop[2])
        width, height = crop[2] * scale, crop[3] * scale
        slot = max(width, len(p["name"]) * GLYPH * FONT)  # room for the caption too
        if x and x + slot > max_width:  # the next row
            rows.append(x - GAP)
            x, y, row_height = 0.0, y + row_height + CAPTION + GAP, 0.0
        placed.append((p, crop, scale, x + (slot - width) / 2, y, len(rows)))
        x += slot + GAP
        row_height = max(row_height, height)
    rows.append(x - GAP)
    image_width = max(rows + ([LEGEND_WIDTH] if legend else []))
    panels_height = y + row_height + CAPTION

    out, points = [], []
    for p, (cx, cy, cw, ch), scale, px, py, row in placed:
        px += (image_width - rows[row]) / 2  # each row centred
        out.append(
            f'<svg x="{px:.1f}" y="{py:.1f}" width="{cw * scale:.1f}" height="{ch * scale:.1f}"'
            f' viewBox="{cx:.1f} {cy:.1f} {cw:.1f} {ch:.1f}">{p["body"]}</svg>'
            f'<text x="{px + cw * scale / 2:.1f}" y="{py + ch * scale + FONT + 2:.1f}" text-anchor="middle"'
            f' fill="{COLOURS["ink"]}">{escape(p["name"])}</text>'
        )
        points += [
            (px + (sx - cx) * scale, py + (sy - cy) * scale)
            for view, sx, sy in crosses
            if view == p["view"] and cx <= sx <= cx + cw and cy <= sy <= cy + ch
        ]
    out += [_mark(*cluster) for cluster in _clusters(points)]
    height = panels_height
    if legend:
        markup, legend_height = _legend(0, panels_height + GAP, image_width)
        out.append(markup)
        height += GAP + legend_height
    width, height = round(image_width), round(height)
    svg = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}"'
        f' role="img" aria-labelledby="map-title map-desc" font-family="system-ui, sans-serif" font-size="{FONT}">'
        f'<title id="map-title">{escape(title)}</title><desc id="map-desc">{escape(description)}</desc>'
        # The panels' own crosses are sized for a whole figure; this image draws its own.
        "<style>.trigger-point-mark{display:none}</style>"
        f"{definitions(p['view'] for p in panels)}"
        f'<rect width="{width}" height="{height}" fill="#fff"/>{"".join(out)}</svg>\n'
    )
    return CompactMap(svg, width, height)
