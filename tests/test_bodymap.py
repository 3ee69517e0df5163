"""Referral maps drawn from the data: which views carry a pattern, one area per zone drawn as the manual draws
it, the crosses (apart where several share a place), the outline of the places chosen, both sides for a
bilateral point, and the standalone image."""

import math
import re
from xml.etree import ElementTree

import pytest
import yaml

import refdata
from figure import body
from figure import maps

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def point(client):
    """A trigger point's record (its page's JSON twin), by slug."""
    return lambda slug: client.get(f"/trigger-points/{slug}.json").get_json()


def panels(record: dict, **options) -> list[dict]:
    return maps.referral_panels(
        record["referral"]["essential"], record["referral"]["spillover"], record["slug"], **options
    )


@pytest.mark.parametrize(
    "slug, views",
    [
        ("masseter-deep", ["head"]),  # a face pattern: the head detail view alone
        ("upper-trapezius-anterior", ["back", "head"]),  # the point on the shoulder, the pattern up to the temple
        ("sternocleidomastoid-sternal-lower", ["front"]),  # breastbone; its cross low on the front of the neck
        ("soleus-tp1", ["back", "foot-sole"]),  # calf and heel, the heel seen from below too
    ],
)
def test_a_pattern_is_drawn_on_the_views_that_carry_it(point, slug, views):
    assert [p["view"] for p in panels(point(slug))] == views


def test_a_detail_view_shows_the_side_drawn(point):
    (head,) = panels(point("masseter-deep"))
    width = float(body.VIEWS["head"]["viewBox"].split()[2])
    assert float(head["viewBox"].split()[2]) == width / 2


def test_each_zone_is_one_area_and_the_point_is_crossed(point):
    record = point("upper-trapezius-anterior")
    head = next(p for p in panels(record) if p["view"] == "head")
    assert head["body"].count('class="zone zone-essential"') == 1
    assert head["body"].count('class="zone zone-spillover"') == 1
    back = next(p for p in panels(record) if p["view"] == "back")
    assert 'class="trigger-point-mark"' in back["body"]
    assert 'class="trigger-point-mark"' not in head["body"]


def test_a_bilateral_point_is_drawn_on_both_sides(point):
    record = point("rectus-abdominis-lower")
    one = panels(record)
    both = panels(record, sides=("left", "right"))
    back = body.VIEWS["back"]["regions"]
    essential = next(p for p in both if p["view"] == "back")["body"]
    assert back["low-back:left"]["path"] in essential and back["low-back:right"]["path"] in essential
    assert back["low-back:left"]["path"] not in next(p for p in one if p["view"] == "back")["body"]


def test_the_places_chosen_are_outlined(point):
    record = point("soleus-tp1")
    calf = body.VIEWS["back"]["regions"]["calf:left"]["path"]
    back = next(p for p in panels(record, chosen=["calf"]) if p["view"] == "back")["body"]
    outline = back[back.index('class="chosen"') :]
    assert calf in outline


def test_the_standalone_image(point):
    record = point("soleus-tp1")
    svg = maps.referral_svg(record["referral"]["essential"], [], record["slug"], "Soleus TrP1", "Heel & calf")
    root = ElementTree.fromstring(svg)
    assert root.find(SVG + "title").text == "Soleus TrP1"
    assert root.find(SVG + "desc").text == "Heel & calf"
    assert len(root.findall(SVG + "svg")) == 2  # one panel per view
    assert maps.CAVEAT in [t.text for t in root.iter(SVG + "text")]


def zone(panel: dict, kind: str) -> str:
    """The path of one kind of zone in a panel."""
    return re.search(rf'class="zone zone-{kind}" d="([^"]*)"', panel["body"]).group(1)


def test_a_drawn_zone_replaces_its_whole_regions(point):
    """Upper trapezius: the question mark round the ear, not the whole temple, ear and side of the neck."""
    record = point("upper-trapezius-anterior")
    head = next(p for p in panels(record) if p["view"] == "head")
    regions = body.VIEWS["head"]["regions"]
    (question_mark,) = body.ZONES["upper-trapezius-anterior"]["essential"]["drawn"]["head"]
    assert zone(head, "essential") == question_mark
    assert regions["temple:right"]["path"] not in head["body"]


def test_a_drawn_zone_is_mirrored_for_the_other_side(point):
    head = next(p for p in panels(point("upper-trapezius-anterior"), sides=("left", "right")) if p["view"] == "head")
    width = float(head["viewBox"].split()[2])
    pieces = re.findall(r"M[^M]*", zone(head, "essential"))
    xs = [[float(x) for x in re.findall(r"(-?[\d.]+),", piece)] for piece in pieces]
    assert len(pieces) == 2 and max(xs[0]) < width / 2 < min(xs[1])


def test_a_region_another_point_paints_whole_stays_whole(point):
    """Frontalis aches over the forehead whole; drawn beside the clavicular SCM's band, the forehead stays whole."""
    frontalis, scm = point("occipitofrontalis-frontalis"), point("sternocleidomastoid-clavicular")
    assert not body.ZONES[frontalis["slug"]]["essential"]["drawn"] and body.ZONES[scm["slug"]]["essential"]["drawn"]
    essential = frontalis["referral"]["essential"] + scm["referral"]["essential"]
    (head,) = maps.referral_panels(essential, [], [frontalis["slug"], scm["slug"]])
    assert body.VIEWS["head"]["regions"]["forehead:right"]["path"] in zone(head, "essential")
    (alone,) = maps.referral_panels(scm["referral"]["essential"], [], scm["slug"])
    assert body.VIEWS["head"]["regions"]["forehead:right"]["path"] not in zone(alone, "essential")


def test_what_a_detail_view_shows_is_not_painted_again_on_the_whole_body(point):
    back = next(p for p in panels(point("upper-trapezius-anterior")) if p["view"] == "back")
    regions = body.VIEWS["back"]["regions"]
    assert regions["ear:right"]["path"] not in back["body"] and regions["neck-back:right"]["path"] in back["body"]


def crosses(panel: dict) -> list[tuple[float, float, float]]:
    """Each trigger-point cross of a panel as (x, y, half-size) in view units."""
    marks = re.findall(r'<g class="trigger-point-mark">.*?d="M([-\d.]+),([-\d.]+)L([-\d.]+),([-\d.]+)', panel["body"])
    return [((a + c) / 2, (b + d) / 2, (c - a) / 2) for a, b, c, d in (map(float, m) for m in marks)]


MUSCLES = {
    m["slug"]: m["trigger_points"]
    for path in sorted((refdata.FOLDER / "muscles").glob("*.yaml"))
    for m in yaml.safe_load(path.read_text())
}


@pytest.mark.parametrize("muscle", [m for m, points in MUSCLES.items() if len(points) > 1])
def test_crosses_of_one_muscle_never_pile_up(muscle):
    """A muscle's whole pattern (as search results draw it): its crosses do not overlap one another."""
    points = MUSCLES[muscle]
    essential = [r for t in points for r in t["referral"]["essential"]]
    spillover = [r for t in points for r in t["referral"].get("spillover", [])]
    for panel in maps.referral_panels(essential, spillover, [t["slug"] for t in points]):
        marks = crosses(panel)
        for i, (x, y, half) in enumerate(marks):
            for other_x, other_y, other_half in marks[i + 1 :]:
                gap = math.dist((x, y), (other_x, other_y))
                assert gap >= half + other_half, (
                    f"{panel['view']}: crosses at {x:.0f},{y:.0f} and {other_x:.0f},{other_y:.0f}"
                )
