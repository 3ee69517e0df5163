"""The body figure (figure/bodymap.json): regions tile each view, targets are big enough, sites sit in their regions.

Reads only the data file and the vocabulary; figure/draw.py makes the file.
"""

import json
import re
from pathlib import Path

import pytest
import shapely
import yaml
from shapely.geometry import MultiPoint
from shapely.geometry import Point
from shapely.geometry import Polygon
from shapely.ops import unary_union

ROOT = Path(__file__).resolve().parent.parent
BODYMAP = json.loads((ROOT / "figure" / "bodymap.json").read_text())
REGIONS = yaml.safe_load((ROOT / "refdata" / "regions.yaml").read_text())
PARENTS = {r.get("parent") for r in REGIONS}
LEAVES = {r["id"]: r for r in REGIONS if r["id"] not in PARENTS}
TRIGGER_POINTS = [
    (tp["slug"], tp["site"])
    for path in sorted((ROOT / "refdata" / "muscles").glob("*.yaml"))
    for muscle in yaml.safe_load(path.read_text())
    for tp in muscle["trigger_points"]
]
VIEWS = BODYMAP["views"]

MIN_COVERAGE = 0.98  # the shapes of a view cover at least this share of its silhouette
MAX_OVERLAP = 0.01  # two shapes overlap by less than this share of the smaller one
TARGET_PX = 24  # WCAG 2.2 target size (minimum), CSS px
NUMBER = r"-?\d+(?:\.\d+)?"
PATH = re.compile(rf"^(?:M{NUMBER},{NUMBER}(?:L{NUMBER},{NUMBER}){{2,}}Z)+$")


def shape(path):
    """The area an M/L/Z path encloses; a ring inside another is a hole (as SVG draws them)."""
    area = Polygon()
    for ring in re.findall(r"M([^MZ]*)Z", path):
        points = [tuple(map(float, p.split(","))) for p in ring.split("L")]
        area = area.symmetric_difference(Polygon(points).buffer(0))
    return area


def fits_square(area, side):
    """Whether an axis-aligned side x side square fits inside the area: the area shrunk by the square is not empty."""
    h = side / 2
    blocked = []
    for polygon in getattr(area, "geoms", [area]):
        for ring in [polygon.exterior, *polygon.interiors]:
            coords = list(ring.coords)
            for (ax, ay), (bx, by) in zip(coords, coords[1:], strict=False):
                corners = [(x + dx, y + dy) for x, y in ((ax, ay), (bx, by)) for dx in (-h, h) for dy in (-h, h)]
                blocked.append(MultiPoint(corners).convex_hull)
    return not area.difference(unary_union(blocked)).is_empty


def view_width(view):
    return float(view["viewBox"].split()[2])


SHAPES = {name: {key: shape(entry["path"]) for key, entry in view["regions"].items()} for name, view in VIEWS.items()}


def test_paths_are_plain_polygons():
    for name, view in VIEWS.items():
        assert re.fullmatch(r"0 0 \d+(\.\d+)? \d+(\.\d+)?", view["viewBox"]), name
        assert view["title"] and view["scale_at_390"] > 0, name
        for key, entry in {"outline": {"path": view["outline"]}, **view["regions"]}.items():
            assert PATH.match(entry["path"]), f"{name} {key}: only M/L/Z paths"
            area = shape(entry["path"])
            assert area.is_valid and area.area > 0, f"{name} {key}"


def test_keys_name_leaf_regions_and_their_sides():
    for name, view in VIEWS.items():
        for key, entry in view["regions"].items():
            region = LEAVES.get(entry["region"])
            assert region, f"{name} {key}: not a leaf region of regions.yaml"
            if region["sided"]:
                assert entry["side"] in ("left", "right") and key == f"{entry['region']}:{entry['side']}", key
                other = "left" if entry["side"] == "right" else "right"
                assert f"{entry['region']}:{other}" in view["regions"], f"{name} {key}: only one side drawn"
            else:
                assert entry["side"] is None and key == entry["region"], key


@pytest.mark.parametrize("name", list(VIEWS))
def test_regions_tile_the_silhouette(name):
    silhouette = shape(VIEWS[name]["outline"])
    shapes = list(SHAPES[name].values())
    union = unary_union(shapes)
    assert union.intersection(silhouette).area >= MIN_COVERAGE * silhouette.area, "gaps in the figure"
    assert union.difference(silhouette).area <= (1 - MIN_COVERAGE) * silhouette.area, "shapes spill outside"
    keys = list(SHAPES[name])
    tree = shapely.STRtree(shapes)
    for i, j in zip(*tree.query(shapes, predicate="intersects"), strict=True):
        if i < j:
            overlap = shapes[i].intersection(shapes[j]).area
            smaller = min(shapes[i].area, shapes[j].area)
            assert overlap < MAX_OVERLAP * smaller, f"{keys[i]} overlaps {keys[j]}"


@pytest.mark.parametrize("name", list(VIEWS))
def test_offered_shapes_meet_the_target_size_on_a_phone(name):
    view = VIEWS[name]
    side = TARGET_PX * view_width(view) / view["scale_at_390"]  # 24 CSS px in view units
    for key, entry in view["regions"].items():
        if entry["offered"]:
            assert fits_square(SHAPES[name][key], side), f"{name} {key} is smaller than {TARGET_PX} px"


def test_every_leaf_region_is_offered_in_some_view():
    offered = {(e["region"], e["side"]) for view in VIEWS.values() for e in view["regions"].values() if e["offered"]}
    for region_id, region in LEAVES.items():
        for side in ("left", "right") if region["sided"] else (None,):
            assert (region_id, side) in offered, f"{region_id} ({side}) is offered nowhere"


def test_every_trigger_point_sits_inside_its_site_region():
    sites = BODYMAP["sites"]
    assert set(sites) == {slug for slug, _ in TRIGGER_POINTS}
    for slug, region in TRIGGER_POINTS:
        site = sites[slug]
        shapes = SHAPES[site["view"]]
        area = shapes.get(f"{region}:right") or shapes.get(region)
        assert area is not None, f"{slug}: {region} is not drawn on the {site['view']} view"
        assert area.contains(Point(site["x"], site["y"])), f"{slug} lies outside {region}"


def test_trigger_points_of_a_region_do_not_sit_on_each_other():
    seen = {}
    for slug, site in BODYMAP["sites"].items():
        spot = (site["view"], round(site["x"]), round(site["y"]))
        assert spot not in seen, f"{slug} sits on {seen.get(spot)}"
        seen[spot] = slug
