"""Study mode: quizzes, flashcards and Anki decks generated from the data."""

import io
import json
import re
import sqlite3
import zipfile
from urllib.parse import urlencode

import pytest

from search import live
from study import quiz
from tests.conftest import csrf_token

SEEDS = range(25)


def test_quiz_url_gets_a_seed(client):
    response = client.get("/quiz?area=neck")
    assert response.status_code == 302
    assert re.search(r"seed=\d+", response.headers["Location"])


def test_same_seed_same_questions(client):
    first = client.get("/quiz.json?seed=7&area=neck").get_json()["questions"]
    again = client.get("/quiz.json?seed=7&area=neck").get_json()["questions"]
    assert first == again
    assert len(first) == 5
    assert all(2 <= len(q["options"]) <= 4 for q in first)
    assert {q["kind"] for q in first} >= {"map", "regions", "roots"}


def test_questions_come_from_the_data(client):
    questions = client.get("/quiz.json?seed=11&area=leg-foot").get_json()["questions"]
    leg_names = {m["name"] for m in client.get("/api/muscles").get_json()["muscles"]}
    map_question = next(q for q in questions if q["kind"] == "map")
    assert map_question["map"]["essential"]
    assert {o["label"] for o in map_question["options"]} <= leg_names


def test_answers_are_scored_and_explained(client):
    questions = client.get("/quiz.json?seed=5").get_json()["questions"]
    answers = {f"q{i}": q["options"][0]["value"] for i, q in enumerate(questions)}
    checked = f"/quiz.json?seed=5&check=1&{urlencode(answers)}"  # the quiz's own form: a GET, no cookie
    result = client.get(checked).get_json()["result"]
    assert result["out_of"] == 5
    assert result["score"] == sum(m["correct"] for m in result["marked"])
    assert all(m["explanation"] and m["links"] for m in result["marked"])
    html = client.get(checked.replace(".json", "")).get_data(as_text=True)
    assert f"You scored {result['score']} out of 5" in html
    # Sending the answers in a POST, with a CSRF token, still works.
    token = csrf_token(client, "/quiz?seed=5")
    posted = client.post("/quiz.json", data={"csrf_token": token, "seed": 5, **answers}).get_json()["result"]
    assert posted == result
    assert client.get("/quiz.json?seed=5").get_json()["result"] is None  # no check=1: the questions only


def test_flashcards_by_body_area(client):
    cards = client.get("/quiz/cards.json?area=head").get_json()["cards"]
    assert any(c["name"] == "Masseter" for c in cards)
    assert all(c["refers"] and c["innervation"] and c["point"] for c in cards)
    html = client.get("/quiz/cards?area=head").get_data(as_text=True)
    assert "<details" in html and 'href="/quiz/cards.apkg?area=head"' in html


def test_a_card_front_is_the_map_and_its_back_the_muscle_and_points(client):
    cards = client.get("/quiz/cards.json?area=head").get_json()["cards"]
    masseter = [c for c in cards if c["slug"] == "masseter"]
    assert len(masseter) > 1  # one card per trigger point
    html = client.get("/quiz/cards?area=head").get_data(as_text=True)
    card = re.search(r'<details class="card" data-card="masseter-deep">(.*?)</details>', html, re.S).group(1)
    front, back = card.split("</summary>")
    assert '<img src="/quiz/cards/masseter-deep.svg"' in front and "Masseter" not in front
    assert "<h3>Masseter</h3>" in back and "Its other points:" in back


def test_card_text_is_said_once(client):
    cards = client.get("/quiz/cards.json").get_json()["cards"]
    for card in cards:
        assert "). (" not in card["innervation"], card["innervation"]
        for root in re.findall(r"\bCN [IVX]+\b", card["innervation"]):
            assert card["innervation"].count(root + ")") <= 1, card["innervation"]
    zygomaticus = next(c for c in cards if c["slug"] == "zygomaticus-major")
    assert zygomaticus["innervation"] == "Zygomatic and buccal branches of the facial nerve (CN VII)."


def test_a_card_map_is_a_standalone_svg_with_title_and_description(client):
    response = client.get("/quiz/cards/masseter-deep.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    svg = response.get_data(as_text=True)
    assert "<svg" in svg[:200] and "<title" in svg and "<desc" in svg
    assert "Masseter" not in svg  # the front of a card does not give the answer away
    assert client.get("/quiz/cards/no-such-point.svg").status_code == 404


def test_an_anki_deck_of_a_body_area_opens_with_its_notes_and_maps(client, tmp_path):
    cards = client.get("/quiz/cards.json?area=head").get_json()["cards"]
    response = client.get("/quiz/cards.apkg?area=head")
    assert response.status_code == 200
    assert 'filename="trigger-point-atlas-head.apkg"' in response.headers["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(response.data)) as package:
        assert package.testzip() is None
        media = json.loads(package.read("media"))
        (tmp_path / "collection.anki2").write_bytes(package.read("collection.anki2"))
        images = {name: package.read(number) for number, name in media.items()}
    connection = sqlite3.connect(tmp_path / "collection.anki2")
    notes = [row[0] for row in connection.execute("select flds from notes")]
    connection.close()
    assert len(notes) == len(cards) > 10
    assert len(images) == len(cards)
    assert all(b"<svg" in body[:200] and b"<title" in body for body in images.values())
    shown = {re.search(r'<img src="([^"]+)"', note).group(1) for note in notes}
    assert shown == set(images)
    assert any("Masseter\x1f" in note for note in notes)  # Anki separates fields with 0x1f
    assert client.get("/quiz/cards.apkg?area=nowhere").status_code == 404


def test_the_quiz_keeps_its_level_in_the_url(client):
    response = client.get("/quiz?area=neck&level=easy")
    assert re.search(r"level=easy", response.headers["Location"])
    hard = client.get("/quiz.json?seed=3&area=neck&level=hard").get_json()
    easy = client.get("/quiz.json?seed=3&area=neck&level=easy").get_json()
    assert hard["level"] == "hard" and easy["level"] == "easy"
    assert [q["options"] for q in hard["questions"]] != [q["options"] for q in easy["questions"]]


@pytest.fixture
def neck(app):
    """The neck's question bank, and a way to make its quizzes."""
    with app.app_context():
        bank = quiz.Bank.load(live.session(), "neck")
        yield bank


def map_questions(bank, level):
    return [q for seed in SEEDS for q in quiz.make_quiz(bank, seed, level) if q.kind == "map"]


def wrong_muscles(bank, question):
    by_slug = {m.slug: m for m in bank.muscles}
    return by_slug[question.answer], [by_slug[v] for v, _ in question.options if v != question.answer]


def test_hard_questions_offer_confusable_muscles_from_the_same_body_area(neck):
    questions = map_questions(neck, "hard")
    assert len(questions) >= 10
    for q in questions:
        right, wrong = wrong_muscles(neck, q)
        places = neck.drawn(q.essential)
        assert all(quiz.confusability(neck, right, m, places) > 0 for m in wrong), q.options
    same_area = sum(m.area == "neck" for q in questions for m in wrong_muscles(neck, q)[1])
    assert same_area >= len(questions)  # on average at least one neighbour per question


def test_easy_questions_offer_distant_muscles(neck):
    for q in map_questions(neck, "easy"):
        right, wrong = wrong_muscles(neck, q)
        places = neck.drawn(q.essential)
        assert all(quiz.confusability(neck, right, m, places) == 0 for m in wrong), q.options
        assert all(m.area != "neck" for m in wrong)


def test_no_two_answers_look_alike_on_the_map(neck):
    for level in quiz.LEVELS:
        for q in map_questions(neck, level):
            right, wrong = wrong_muscles(neck, q)
            point = next(t for t in right.trigger_points if t.slug == q.id.split(":", 1)[1])
            for m in wrong:
                assert not any(quiz.look_alike(neck, point, t) for t in m.trigger_points), (point.slug, m.slug)


def test_no_place_offered_is_part_of_another_or_of_the_zones(neck):
    for level in quiz.LEVELS:
        for seed in SEEDS:
            for q in quiz.make_quiz(neck, seed, level):
                if q.kind != "regions":
                    continue
                values = [v for v, _ in q.options]
                for i, a in enumerate(values):
                    assert not any(neck.related(a, b) for b in values[i + 1 :]), values
                for v in values:
                    if v != q.answer:
                        assert not any(neck.related(v, z) for z in q.essential + q.spillover), (v, q.id)


def test_hazard_options_are_in_words(client):
    labels = {
        o["label"]
        for seed in SEEDS
        for q in client.get(f"/quiz.json?seed={seed}&area=neck").get_json()["questions"]
        if q["kind"] == "hazard"
        for o in q["options"]
    }
    assert labels and labels <= set(quiz.HAZARD_WORDS.values())
    assert "The lung and its pleura (pneumothorax)" in labels


def test_results_show_your_answer_the_right_one_why_and_the_map(client):
    questions = client.get("/quiz.json?seed=5&area=neck").get_json()["questions"]
    first = {f"q{i}": q["options"][0]["value"] for i, q in enumerate(questions)}
    form = {"seed": 5, "area": "neck", "level": "hard", "check": 1, **first}
    marked = client.get("/quiz.json", query_string=form).get_json()["result"]["marked"]
    # Answer every question wrongly this time.
    for i, m in enumerate(marked):
        form[f"q{i}"] = next(o["value"] for o in m["question"]["options"] if o["value"] != m["answer"])
    result = client.get("/quiz.json", query_string=form).get_json()["result"]
    assert result["score"] == 0
    for m in result["marked"]:
        assert m["given_label"] and m["answer_label"] and m["explanation"] and m["given_note"]
        assert m["given_label"] != m["answer_label"]
        assert m["map"]["essential"] and m["card"]
    html = client.get("/quiz", query_string=form).get_data(as_text=True)
    assert html.count("<dt>Your answer</dt>") == 5 and html.count("<dt>Why</dt>") == 5
    assert html.count('class="referral-map"') == 5
    assert html.count("<dt>The right answer</dt>") == 5
    assert html.count('data-correct="false"') == 5  # study.js sends these cards back to the first box


def test_hazard_questions_ask_only_about_named_kinds_of_structure(client):
    # The upper arm includes anconeus, whose only hazard is of kind "other".
    options = {
        o["value"]
        for seed in range(40)
        for q in client.get(f"/quiz.json?seed={seed}&area=arm").get_json()["questions"]
        if q["kind"] == "hazard"
        for o in q["options"]
    }
    assert options and "other" not in options
