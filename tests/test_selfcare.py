"""Self-care you can see: every stretch and every self-pressure step has its drawing, made from the body figure,
and the pages a patient reads show them beside the words."""

import re
from xml.etree import ElementTree

import pytest
import yaml

import refdata
from figure import body
from figure import selfcare

MUSCLES = [m for path in sorted((refdata.FOLDER / "muscles").glob("*.yaml")) for m in yaml.safe_load(path.read_text())]
POINTS = {t["slug"]: t for m in MUSCLES for t in m["trigger_points"]}
SVG = "{http://www.w3.org/2000/svg}"


def picture(markup) -> ElementTree.Element:
    """A picture as XML (it must be well formed to be inlined), with its label checked."""
    root = ElementTree.fromstring(str(markup))
    assert root.get("role") == "img" and root.get("aria-label") == root.find(SVG + "title").text
    return root


@pytest.mark.parametrize("muscle", MUSCLES, ids=lambda m: m["slug"])
def test_every_stretch_has_its_drawing(muscle):
    root = picture(selfcare.stretch_svg(muscle["slug"], f"Drawing of the stretch for {muscle['name']}"))
    drawn = list(root.iter())
    assert any(e.get("fill") == selfcare.SKIN or e.get("stroke") == selfcare.SKIN for e in drawn), "the body"
    assert any(e.get("fill") == selfcare.FEEL or e.get("stroke") == selfcare.FEEL for e in drawn), "the part to feel"
    assert root.findall(f".//{SVG}g[@class='move']"), "an arrow shows the move"


def test_the_drawings_are_for_the_muscles_there_are():
    assert set(selfcare.STRETCHES) == {m["slug"] for m in MUSCLES}


PRESSURE_LINES = [(slug, line) for slug, t in POINTS.items() for line in t["self_care"] if selfcare.pressure_tool(line)]


@pytest.mark.parametrize(
    "line, tool",
    [
        ("Lie on a tennis ball placed over the lower ribs just outside the spine for 30 to 60 seconds.", "ball"),
        ("Gently pinch and roll the muscle on the side of the neck between thumb and fingers for 30 seconds.", "pinch"),
        ("Squeeze the top of the shoulder gently between thumb and fingers for 30 to 60 seconds.", "pinch"),
        ("Rub the temple gently with the fingertips in slow circles while the jaw hangs loose.", "rub"),
        ("Press gently with your thumb just above the inner corner of the kneecap for 30 to 60 seconds.", "press"),
        ("Stop if pressure causes numbness, tingling or dizziness.", None),
        ("Do not press near the eye yourself; let a clinician examine this spot.", None),
        ("If the calf is swollen, hot or red, see a doctor before pressing on it.", None),
        ("A warm pack over the front of the arm for 10 to 15 minutes can ease soreness.", None),
        ("Choose shoes wide enough that they do not press on the inner edge of the foot.", None),
    ],
)
def test_a_self_pressure_step_is_known_by_its_words(line, tool):
    assert selfcare.pressure_tool(line) == tool


def test_most_trigger_points_teach_a_self_pressure_step():
    assert len({slug for slug, _ in PRESSURE_LINES}) >= 0.8 * len(POINTS)


@pytest.mark.parametrize("slug, line", PRESSURE_LINES, ids=[f"{s}:{i}" for i, (s, _) in enumerate(PRESSURE_LINES)])
def test_every_self_pressure_step_shows_where_on_the_body(slug, line):
    root = picture(selfcare.pressure_svg(slug, line))
    site = body.SITES[slug]
    x, y, width, height = map(float, root.get("viewBox").split())
    assert x <= site["x"] <= x + width and y <= site["y"] <= y + height, "the close view shows the point"
    region = body.VIEWS[site["view"]]["regions"][body.key(POINTS[slug]["site"], "right")]["path"]
    assert any(p.get("d") == region for p in root.iter(SVG + "path")), "the point's own region is painted"


def test_a_line_that_is_not_a_step_has_no_drawing():
    assert selfcare.pressure_svg("masseter-deep", "Put a warm pack over the jaw joint for 10 to 15 minutes.") is None


def pictures(html: str, where: str) -> list[str]:
    return re.findall(rf'class="{where}">\s*<svg xmlns="http://www.w3.org/2000/svg" class="selfcare-picture"', html)


def test_a_muscle_page_shows_its_stretch_and_where_to_press(client):
    html = client.get("/muscles/upper-trapezius").get_data(as_text=True)
    assert re.search(
        r'<figure class="stretch-figure">\s*<svg xmlns="http://www.w3.org/2000/svg" class="selfcare-picture"', html
    )
    assert pictures(html, "selfcare-figure"), "the self-pressure steps have their drawings"


def test_a_trigger_point_page_shows_where_to_press_and_the_stretch(client):
    html = client.get("/trigger-points/infraspinatus-central").get_data(as_text=True)
    assert pictures(html, "selfcare-figure")
    assert re.search(
        r'<figure class="stretch-figure">\s*<svg xmlns="http://www.w3.org/2000/svg" class="selfcare-picture"', html
    )
    assert client.get("/trigger-points/infraspinatus-central.json").get_json()["muscle"]["stretch"]


def test_the_handout_shows_the_pictures(client):
    html = client.get("/plan/handout?point=upper-trapezius-anterior:right&component=self-care").get_data(as_text=True)
    assert re.search(
        r'<figure class="stretch-figure">\s*<svg xmlns="http://www.w3.org/2000/svg" class="selfcare-picture"', html
    )
    assert pictures(html, "selfcare-figure")
