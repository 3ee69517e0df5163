"""Referral maps drawn from the data: which views carry a pattern, one area per zone, the cross, the outline
of the places chosen, both sides for a bilateral point, and the standalone image."""

from xml.etree import ElementTree

import pytest

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
        ("sternocleidomastoid-sternal-lower", ["front", "head"]),  # breastbone and face
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
