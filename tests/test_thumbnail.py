"""Compact referral maps: the map beside each muscle in search and body-map results, and on each flashcard."""

import math
import re
from urllib.parse import parse_qs
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest

import search
from figure import body
from figure import thumbnail
from study import cards

SVG = "{http://www.w3.org/2000/svg}"
THUMBNAIL = re.compile(r'<img class="thumbnail" src="([^"]+)" width="(\d+)" height="(\d+)" alt="([^"]+)"')


@pytest.fixture
def pattern(app):
    """A muscle's whole referral pattern (every trigger point's zones and sites), by slug."""

    def read(slug: str) -> dict:
        with app.test_request_context():
            return search.muscle_pattern(slug)

    return read


def draw(p: dict, **options) -> thumbnail.CompactMap:
    return thumbnail.compact_map(p["essential"], p["spillover"], p["points"], "title", "description", **options)


def marks(svg: str) -> list[tuple[float, float, int]]:
    """The crosses drawn: (x, y, how many trigger points each stands for)."""
    out = []
    for group in re.findall(r'<g class="cross">(.*?)</g>', svg):
        x1, y1, x2, y2 = map(float, re.search(r'd="M([\d.-]+),([\d.-]+)L([\d.-]+),([\d.-]+)', group).groups())
        number = re.search(r">(\d+)</text>", group)
        out.append(((x1 + x2) / 2, (y1 + y2) / 2, int(number.group(1)) if number else 1))
    return out


def panels(svg: str) -> dict[str, ElementTree.Element]:
    """A compact map's panels by their caption (each panel is followed by its caption)."""
    children = list(ElementTree.fromstring(svg))
    return {
        caption.text: panel for panel, caption in zip(children, children[1:], strict=False) if panel.tag == SVG + "svg"
    }


def test_a_whole_body_view_is_cut_to_the_pattern_and_drawn_larger(pattern):
    back = panels(draw(pattern("popliteus")).svg)["Back"]
    _, top, _, height = map(float, back.get("viewBox").split())
    _, _, _, body_height = map(float, body.VIEWS["back"]["viewBox"].split())
    assert 0 < top and height < body_height / 2  # the legs, not the whole figure
    knee = [float(y) for y in re.findall(r",([\d.]+)", body.VIEWS["back"]["regions"]["knee-back:right"]["path"])]
    assert top <= min(knee) and max(knee) <= top + height  # the place it refers to is in view
    assert float(back.get("height")) / height > thumbnail.ROW_HEIGHT / body_height  # larger than a whole figure


@pytest.mark.parametrize("slug", ["gastrocnemius", "sternocleidomastoid", "rectus-abdominis", "infraspinatus"])
def test_crosses_too_close_to_tell_apart_become_one_with_their_number(pattern, slug):
    p = pattern(slug)
    sides = ("right", "left") if p["bilateral"] else ("right",)
    drawn = marks(draw(p, sides=sides).svg)
    assert sum(count for _, _, count in drawn) == len(p["points"]) * len(sides)  # every point is counted
    assert any(count > 1 for _, _, count in drawn)  # some stood too close together
    for i, a in enumerate(drawn):  # and no two marks run into each other
        for b in drawn[i + 1 :]:
            assert math.dist(a[:2], b[:2]) >= thumbnail.APART


def test_every_muscle_map_fits_a_phone_and_says_its_size(app, pattern):
    with app.test_request_context():
        slugs = list(search.atlas().muscles)
    for slug in slugs:
        drawn = draw(pattern(slug))
        root = ElementTree.fromstring(drawn.svg)
        assert (int(root.get("width")), int(root.get("height"))) == (drawn.width, drawn.height), slug
        assert drawn.width <= thumbnail.MAX_WIDTH, slug
        assert root.find(SVG + "title").text == "title"


def thumbnails(html: str, item_class: str) -> list[tuple[str, dict, str]]:
    """Each result of ``item_class``: its link, and its map's URL (path and query), or None."""
    out = []
    for item in html.split(f'<li class="{item_class}">')[1:]:
        link = re.search(r'<a href="([^"]+)">', item).group(1)
        found = THUMBNAIL.search(item.split("</li>")[0])
        if found is None:
            out.append((link, None, None))
            continue
        url = urlsplit(found.group(1).replace("&amp;", "&"))
        out.append((link, url.path, parse_qs(url.query)))
    return out


def test_each_muscle_in_search_results_carries_its_map_with_the_places_read(app, client):
    html = client.get("/search?q=pain behind my knee").get_data(as_text=True)
    muscles = thumbnails(html, "result result-muscle")
    assert len(muscles) >= 5
    with app.app_context():
        generation = app.extensions["index"].generation
    for link, path, query in muscles:
        assert path == f"{link}.svg", link  # /muscles/gastrocnemius -> /muscles/gastrocnemius.svg
        assert query["place"] == ["knee-back"] and query["v"] == [generation]
    assert "The places your words name" in html  # the key to the outline


def test_each_located_muscle_carries_its_map_drawn_on_the_side_chosen(client):
    html = client.get("/locate?region=knee-back:left&region=calf:left").get_data(as_text=True)
    muscles = thumbnails(html, "ranked-item")
    assert len(muscles) >= 5
    for link, path, query in muscles:
        assert path == f"{link}.svg"
        assert query["side"] == ["left"] and query["place"] == ["knee-back:left", "calf:left"]
    assert 'class="referral-map"' not in html  # images the browser keeps, not maps inlined in the page


def test_a_muscle_map_image_outlines_the_places_on_the_side_drawn(app, client):
    with app.app_context():
        generation = app.extensions["index"].generation
    response = client.get(f"/muscles/gastrocnemius.svg?side=left&place=calf&v={generation}")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert response.cache_control.immutable and response.cache_control.max_age >= 365 * 24 * 3600
    svg = response.get_data(as_text=True)
    root = ElementTree.fromstring(svg)
    assert "Gastrocnemius" in root.find(SVG + "title").text
    assert "Calf" in root.find(SVG + "desc").text and "not a diagnostic test" in root.find(SVG + "desc").text
    chosen = " ".join(p.get("d") for p in root.iter(SVG + "path") if p.get("class") == "chosen")
    back = body.VIEWS["back"]["regions"]
    assert back["calf:left"]["path"] in chosen and back["calf:right"]["path"] not in chosen
    assert marks(svg)  # its trigger points

    other = client.get("/muscles/gastrocnemius.svg?place=calf")  # not naming this build: kept an hour only
    assert other.status_code == 200 and not other.cache_control.immutable
    assert client.get("/muscles/nope.svg").status_code == 404
    assert client.get("/muscles/gastrocnemius.svg?side=up").status_code == 400
    assert client.get("/muscles/gastrocnemius.svg?place=elbow-ish").status_code == 400


def test_a_flashcard_map_is_sized_on_its_page_and_its_legend_legible(client):
    deck = client.get("/quiz/cards.json?area=neck").get_json()["cards"]
    for card in deck[:5]:
        svg = client.get(card["image"]).get_data(as_text=True)
        root = ElementTree.fromstring(svg)
        assert (int(root.get("width")), int(root.get("height"))) == (card["image_width"], card["image_height"])
        assert card["image_width"] == cards.CARD_WIDTH
        legend = [t for t in root.iter(SVG + "text") if t.text and "zone" in t.text]
        assert len(legend) == 2 and all(float(t.get("font-size")) >= 12 for t in legend)
