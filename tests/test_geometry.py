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
POINTS = {
    tp["slug"]: tp
    for path in sorted((ROOT / "refdata" / "muscles").glob("*.yaml"))
    for muscle in yaml.safe_load(path.read_text())
    for tp in muscle["trigger_points"]
}
TRIGGER_POINTS = [(slug, tp["site"]) for slug, tp in POINTS.items()]
VIEWS = BODYMAP["views"]
SITES = BODYMAP["sites"]
ZONES = BODYMAP["zones"]

MIN_COVERAGE = 0.98  # the shapes of a view cover at least this share of its silhouette
OUTLINE_SLACK = 0.02  # a drawn zone may stray this share of its area over its regions' edges (rounding)
MAP_SIDE = "right"  # sites and drawn zones are on the patient's right
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


def region_shape(view, region):
    """A region's shape on a view, on the patient's right (or the region whole, if it has no sides)."""
    return SHAPES[view].get(f"{region}:{MAP_SIDE}") or SHAPES[view].get(region)


def test_every_trigger_point_sits_inside_its_site_region_on_every_view_that_shows_it():
    assert set(SITES) == set(POINTS)
    for slug, region in TRIGGER_POINTS:
        site = SITES[slug]
        assert site["positions"][site["view"]] == {"x": site["x"], "y": site["y"]}, slug
        for view in ("front", "back", "head", "hand-palm", "hand-back", "foot-top", "foot-sole"):
            area = region_shape(view, region)
            if area is None:
                assert view not in site["positions"], f"{slug}: {region} is not drawn on the {view} view"
                continue
            assert view in site["positions"], f"{slug} has no place on the {view} view, which shows {region}"
            spot = site["positions"][view]
            assert area.contains(Point(spot["x"], spot["y"])), f"{slug} lies outside {region} on {view}"


def test_trigger_points_of_a_region_do_not_sit_on_each_other():
    seen = {}
    for slug, site in SITES.items():
        for view, spot in site["positions"].items():
            place = (view, round(spot["x"]), round(spot["y"]))
            assert place not in seen, f"{slug} sits on {seen.get(place)}"
            seen[place] = slug


# Trigger points listed from the top down where their locations give an order along the body (the text that
# gives it in brackets). Whole-body views share one scale, so points on the front and back compare too.
TOP_TO_BOTTOM = [
    ("soleus-tp2", "soleus-tp3", "soleus-tp1"),  # high below the fibula's head; above TrP1; below the bellies
    ("gastrocnemius-medial-tp3", "gastrocnemius-medial-tp1"),  # high behind the knee; above mid-belly
    ("gastrocnemius-lateral-tp4", "gastrocnemius-lateral-tp2"),
    ("popliteus-lateral", "popliteus-medial"),  # above the fibula's head; below the knee crease
    ("biceps-femoris-long-head", "biceps-femoris-short-head"),  # lower half of the thigh; just above the knee
    ("brachialis-proximal", "brachialis-distal"),  # mid-arm; above the elbow crease
    ("triceps-brachii-long-head", "triceps-brachii-lateral-head", "triceps-brachii-olecranon"),
    ("triceps-brachii-lateral-head", "triceps-brachii-medial-lateral-border"),  # mid-arm; above the elbow
    ("iliocostalis-thoracis-midthoracic", "iliocostalis-thoracis-lower"),  # T6; T11
    ("longissimus-thoracis-lower-thoracic", "longissimus-thoracis-upper-lumbar"),  # T10 to T11; L1
    ("thoracic-multifidus-upper", "thoracic-multifidus-lower"),  # T4 to T7; T9 to T12
    ("lumbar-multifidus-upper", "lumbar-multifidus-lower", "lumbar-multifidus-sacral"),  # L1-2; L4-5; S1
    ("quadratus-lumborum-superficial-upper", "quadratus-lumborum-superficial-lower"),  # 12th rib; iliac crest
    ("quadratus-lumborum-deep-upper", "quadratus-lumborum-deep-lower"),  # L3; L4 to L5
    ("pectoralis-major-clavicular", "pectoralis-major-sternal", "pectoralis-major-costal"),  # ribs 3-5; 5-6
    ("pectoralis-minor-upper", "pectoralis-minor-lower"),
    ("rectus-abdominis-upper", "rectus-abdominis-periumbilical", "rectus-abdominis-lower"),
    ("external-oblique-upper", "external-oblique-lateral", "external-oblique-pubic"),
    ("internal-oblique-lateral", "internal-oblique-lower"),
    ("transversus-abdominis-upper", "transversus-abdominis-lower"),
    ("extensor-digitorum-middle-finger", "extensor-digitorum-ring-finger"),  # "a little below"
    ("masseter-deep", "masseter-superficial-middle", "masseter-superficial-lower"),
    ("masseter-superficial-upper", "masseter-superficial-middle"),
    ("lateral-pterygoid-superior", "lateral-pterygoid-inferior"),
    ("sternocleidomastoid-sternal-upper", "sternocleidomastoid-sternal-middle", "sternocleidomastoid-sternal-lower"),
    ("sternocleidomastoid-clavicular-upper", "sternocleidomastoid-clavicular"),
    ("splenius-cervicis-upper", "splenius-cervicis-lower"),
    ("semispinalis-capitis-upper", "semispinalis-capitis-middle"),  # below the skull; C2
    ("gluteus-maximus-trp1", "gluteus-maximus-trp2"),  # beside the sacroiliac joint; above the sitting bone
    ("gluteus-maximus-trp1", "gluteus-maximus-trp3"),  # lowest fibres beside the tailbone
    ("psoas-major-abdominal", "psoas-major-distal"),
    ("lower-trapezius-attachment", "lower-trapezius-central"),
    ("levator-scapulae-upper", "levator-scapulae-lower"),
    ("rhomboid-major-upper", "rhomboid-major-lower"),
    ("infraspinatus-central", "infraspinatus-lower-lateral"),
    ("subscapularis-upper", "subscapularis-lateral"),
    ("latissimus-dorsi-axillary", "latissimus-dorsi-lower"),
    ("deltoid-anterior", "deltoid-posterior"),  # upper half; lower half
    ("sartorius-upper", "sartorius-middle", "sartorius-lower"),
    ("rectus-femoris-upper", "rectus-femoris-distal"),
    ("vastus-medialis-proximal", "vastus-medialis-distal"),
    ("vastus-lateralis-proximal", "vastus-lateralis-mid", "vastus-lateralis-distal-anterior"),
    ("vastus-lateralis-mid-anterior", "vastus-lateralis-distal-posterior"),
    ("adductor-longus-upper", "adductor-longus-lower"),
    ("adductor-magnus-proximal", "adductor-magnus-mid"),
]
# (nearer the body's midline, further out) where the locations say which lies inside the other.
INSIDE_OUT = [
    ("gastrocnemius-medial-tp1", "gastrocnemius-lateral-tp2"),
    ("gastrocnemius-medial-tp3", "gastrocnemius-lateral-tp4"),
    ("soleus-tp1", "soleus-tp3"),  # "to the outer side of TrP1"
    ("soleus-tp1", "soleus-tp2"),
    ("quadratus-lumborum-deep-upper", "quadratus-lumborum-superficial-upper"),
    ("quadratus-lumborum-deep-lower", "quadratus-lumborum-superficial-lower"),
    ("piriformis-medial", "piriformis-lateral"),
    ("gluteus-medius-trp1", "gluteus-medius-trp2"),  # near the sacroiliac joint; mid-crest
]
BODY_VIEWS = ("front", "back")


def common_views(a, b):
    """Where a map of the muscle draws both points (each on its own first view), as one pair of positions and
    the view; the front and back views share one scale."""
    sa, sb = SITES[a], SITES[b]
    assert sa["view"] == sb["view"] or {sa["view"], sb["view"]} <= set(BODY_VIEWS), f"{a}, {b}: different scales"
    return [(sa, sb, sa["view"])]


@pytest.mark.parametrize("points", TOP_TO_BOTTOM, ids="|".join)
def test_crosses_follow_the_locations_from_the_top_down(points):
    for upper, lower in zip(points, points[1:], strict=False):
        for a, b, view in common_views(upper, lower):
            assert a["y"] < b["y"], f"{upper} is drawn below {lower} on the {view} view"


@pytest.mark.parametrize("inner, outer", INSIDE_OUT)
def test_crosses_follow_the_locations_from_the_midline_out(inner, outer):
    for a, b, view in common_views(inner, outer):
        middle = view_width(VIEWS[view]) / 2
        assert abs(a["x"] - middle) < abs(b["x"] - middle), f"{inner} is drawn further out than {outer} on {view}"


def test_drawn_zones_are_the_data_zones():
    assert set(ZONES) == set(POINTS)
    for slug, point in POINTS.items():
        for kind in ("essential", "spillover"):
            assert ZONES[slug][kind]["regions"] == point["referral"].get(kind, []), f"{slug} {kind}: redraw the figure"


def drawn_pieces():
    return [
        (slug, kind, view, piece)
        for slug, zones in ZONES.items()
        for kind, zone in zones.items()
        for view, pieces in zone["drawn"].items()
        for piece in pieces
    ]


@pytest.mark.parametrize("slug, kind, view, piece", drawn_pieces(), ids=lambda v: v if len(v) < 60 else "piece")
def test_a_drawn_zone_is_one_continuous_area_inside_its_regions(slug, kind, view, piece):
    area = shape(piece)
    assert PATH.match(piece) and piece.count("M") == 1 and area.is_valid, "one plain closed outline"
    regions = unary_union([region_shape(view, r) for r in POINTS[slug]["referral"][kind] if region_shape(view, r)])
    assert area.difference(regions).area <= OUTLINE_SLACK * area.area, f"{slug} {kind} strays out of its regions"


def test_the_eye_in_profile_leaves_the_nose_to_the_face():
    """The eye region meets the face's edge at the brow only, not down the nose."""
    edge = shape(VIEWS["head"]["outline"]).boundary
    for side in ("left", "right"):
        touching = SHAPES["head"][f"eye:{side}"].buffer(0.5).intersection(edge)
        assert touching.is_empty or touching.bounds[3] - touching.bounds[1] < 6, side


def test_the_head_view_has_a_face():
    lines = re.findall(r"M[^M]+", VIEWS["head"]["features"])
    assert len(lines) >= 10 and all(line.count("L") >= 2 for line in lines)  # brows, eyes, noses, mouths, ears
