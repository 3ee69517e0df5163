"""Study tools: quizzes (asked and scored), flashcards with their map images, and Anki decks."""

from __future__ import annotations

import secrets

from flask import Blueprint
from flask import abort
from flask import current_app
from flask import redirect
from flask import request

from refdata import schema
from search import live
from study import cards
from study import quiz
from web.forms import quiz_form
from web.links import url_for
from web.links import url_of
from web.pages import page
from web.ratelimit import limiter
from web.reference import point_or_404

CARD_IMAGE_MAX_AGE = 3600  # seconds a browser may keep a flashcard's map
CHECK = "check"  # the parameter that asks for a quiz's answers to be checked
ANSWERS = tuple(f"q{i}" for i in range(quiz.QUESTIONS_PER_QUIZ))  # one parameter per question

blueprint = Blueprint("study", __name__)


def study_area() -> str | None:
    area = request.values.get("area")
    return area if area in schema.BODY_AREAS else None


def study_level() -> str:
    level = request.values.get("level")
    return level if level in quiz.LEVELS else quiz.DEFAULT_LEVEL


def checking() -> bool:
    """Whether this request asks for a quiz's answers to be checked: a GET with ``check=1`` (the quiz's own
    form, so answering sets no cookie and the result is a URL) or a POST (with a CSRF token, as before)."""
    return request.method == "POST" or request.args.get(CHECK) == "1"


@page(blueprint, "/quiz", "quiz.html", params=("seed", "area", "level", CHECK, *ANSWERS), methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["QUIZ_RATE_LIMIT"], exempt_when=lambda: not checking())
def quiz_page():
    """A five-question quiz from the data; with its answers, checked: your answer, the right one, why, and the
    map."""
    area, level = study_area(), study_level()
    if not request.values.get("seed"):
        # A quiz is its URL: give it a seed so it can be shared, cached and scored.
        seed = secrets.randbelow(10**6)
        return abort(redirect(url_for(request.endpoint, seed=seed, area=area, level=level)))
    try:
        seed = int(request.values["seed"])
    except ValueError:
        abort(400, "seed must be a whole number")
    questions = quiz.make_quiz(quiz.Bank.load(live.session(), area), seed, level)
    data = {
        "area": area,
        "level": level,
        "seed": seed,
        "questions": [q.as_dict() for q in questions],
        "result": None,
    }
    if checking():
        form = quiz_form(questions, request.form if request.method == "POST" else request.args)
        if not form.validate():
            abort(400, "The answers could not be read; please try the quiz again.")
        answers = {q.id: form[f"q{i}"].data for i, q in enumerate(questions)}
        data["result"] = quiz.score(questions, answers)
        for item in data["result"]["marked"]:
            item["links"] = [{"title": title, "url": url_of(*ref.split("/", 1))} for title, ref in item["links"]]
    return data


@page(blueprint, "/quiz/cards", "cards.html", params=("area",))
def flashcards():
    """Flashcards by body area, one per trigger point: its referral map on the front; muscle and points behind."""
    area = study_area()
    bank = quiz.Bank.load(live.session(), area)
    deck = cards.flashcards(bank)
    for card in deck:
        card["url"] = url_of("trigger_point", card["id"])
        card["image"] = url_for("study.card_image", slug=card["id"])
        image = cards.card_map(bank, card)
        card["image_width"], card["image_height"] = image.width, image.height
    return {"area": area, "cards": deck}


@blueprint.route("/quiz/cards/<slug>.svg")
def card_image(slug: str):
    """A flashcard's front: the trigger point's referral map as an SVG image."""
    point = point_or_404(slug)
    bank = quiz.Bank.load(live.session(), point.muscle.area)
    card = next((c for c in cards.flashcards(bank) if c["id"] == slug), None)
    if card is None:
        abort(404, "The body figure cannot draw this trigger point's zones.")
    response = current_app.response_class(cards.card_map(bank, card).svg, mimetype="image/svg+xml")
    response.cache_control.max_age = CARD_IMAGE_MAX_AGE
    return response


@blueprint.route("/quiz/cards.apkg")
@limiter.limit(lambda: current_app.config["DECK_RATE_LIMIT"])
def anki_deck():
    """The flashcards of a body area (``area``; all areas without it) as an Anki package, map images included;
    each package is made once per build."""
    area = request.args.get("area")
    if area and area not in schema.BODY_AREAS:
        abort(404, f"No body area called {area!r}.")
    body = live.per_build(f"anki:{area}", lambda: cards.anki_package(quiz.Bank.load(live.session(), area), area))
    name = f"trigger-point-atlas-{area or 'all'}.apkg"
    return current_app.response_class(
        body,
        mimetype="application/octet-stream",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
