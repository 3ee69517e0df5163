"""Study mode: quizzes and flashcards generated from the data."""

import re

from tests.conftest import csrf_token


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
    url = "/quiz?seed=5"
    questions = client.get("/quiz.json?seed=5").get_json()["questions"]
    token = csrf_token(client, url)
    answers = {f"q{i}": q["options"][0]["value"] for i, q in enumerate(questions)}
    body = client.post("/quiz.json", data={"csrf_token": token, "seed": 5, **answers}).get_json()
    result = body["result"]
    assert result["out_of"] == 5
    assert result["score"] == sum(m["correct"] for m in result["marked"])
    assert all(m["explanation"] and m["links"] for m in result["marked"])
    html = client.post("/quiz", data={"csrf_token": token, "seed": 5, **answers}).get_data(as_text=True)
    assert f"You scored {result['score']} out of 5" in html


def test_quiz_needs_the_csrf_token(client):
    assert client.post("/quiz", data={"seed": 5}).status_code == 400


def test_flashcards_by_body_area(client):
    cards = client.get("/quiz/cards.json?area=head").get_json()["cards"]
    assert any(c["name"] == "Masseter" for c in cards)
    assert all(c["refers"] and c["innervation"] for c in cards)
    assert "<details" in client.get("/quiz/cards?area=head").get_data(as_text=True)


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
