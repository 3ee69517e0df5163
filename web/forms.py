"""The site's forms (WTForms; CSRF on every POST form, none on the GET forms whose URL is the result).

The search box in every page's header is plain HTML: a GET form with one
field, which the search itself checks (:func:`search.query.clean`).

Reading a page never sets a cookie, so a visitor's first POST comes without the
session its CSRF token needs: it is answered with a page asking them to confirm
(:func:`confirm`), whose form carries the token, and nothing is stored until then.
"""

from __future__ import annotations

from flask import render_template
from flask import request
from flask import session
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError
from flask_wtf.csrf import generate_csrf
from wtforms import HiddenField
from wtforms import RadioField
from wtforms import SelectMultipleField
from wtforms import StringField
from wtforms import TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf
from wtforms.validators import DataRequired
from wtforms.validators import Length
from wtforms.validators import Optional
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput
from wtforms.widgets import ListWidget

import plan
from figure import body
from study import quiz
from web.pages import AUDIENCES
from web.pages import CSRF_SESSION_KEY
from web.pages import audience
from web.pages import handle_http_error
from web.pages import wants_json
from web.params import controls

TEXT_BREAKS = {"\t", "\n", "\r"}  # the only control characters a visitor's text may hold


def storable_text(form, field) -> None:
    """Refuse text with control characters other than tabs and line breaks (NUL cannot be stored; escape
    sequences would reach the editors' terminal), saying so."""
    if field.data and controls(field.data) - TEXT_BREAKS:
        raise ValidationError("it holds a control character (such as NUL or ESC); please remove it and send again")


class AudienceForm(FlaskForm):
    """The patient / student / practitioner switch in the header: a GET form, so that reading a page needs no
    session cookie (a cross-site switch is refused by the view, from the browser's Fetch Metadata)."""

    audience = HiddenField(validators=[DataRequired(), AnyOf(AUDIENCES)])
    next = HiddenField()

    class Meta:
        csrf = False


class LocateForm(FlaskForm):
    """The body map's no-JavaScript twin: a GET list of region checkboxes."""

    region = SelectMultipleField(
        "Where it hurts", choices=[], validate_choice=False, widget=ListWidget(), option_widget=CheckboxInput()
    )

    class Meta:
        csrf = False


class CorrectionForm(FlaskForm):
    """Report a mistake on a muscle or trigger-point page. (Every POST's token is checked by CSRFProtect; a form
    of its own would start a session, and so set a cookie, on every page showing it.)"""

    page = HiddenField(validators=[DataRequired(), Length(max=200)])
    message = TextAreaField("What is wrong?", validators=[DataRequired(), Length(min=10, max=2000), storable_text])
    reference = StringField(
        "Your source, if you have one (optional)", validators=[Optional(), Length(max=300), storable_text]
    )

    class Meta:
        csrf = False


SCREENED = "1"


class PlanForm(FlaskForm):
    """Choose points, components and answer the contraindication screen; a GET form, so the plan is its URL."""

    muscle = SelectMultipleField(
        "Muscles", choices=[], validate_choice=False, widget=ListWidget(), option_widget=CheckboxInput()
    )
    point = SelectMultipleField(
        "Trigger points", choices=[], validate_choice=False, widget=ListWidget(), option_widget=CheckboxInput()
    )
    component = SelectMultipleField(
        "Treatment components",
        choices=[SelectChoice(k, v) for k, v in plan.COMPONENTS.items()],
        validate_choice=False,
        widget=ListWidget(),
        option_widget=CheckboxInput(),
    )
    yes = SelectMultipleField(
        "Contraindication screen", choices=[], validate_choice=False, widget=ListWidget(), option_widget=CheckboxInput()
    )
    # SCREENED is sent with every submitted screen, so a screen with no "yes" is told from one never gone through.
    screened = HiddenField()

    class Meta:
        csrf = False


class SavePlanForm(FlaskForm):
    """Keep a plan under an unguessable link."""

    query = HiddenField(validators=[DataRequired(), Length(max=4000)])

    class Meta:
        csrf = False  # checked by CSRFProtect, as every POST


def quiz_form(questions: list[quiz.Question], formdata) -> FlaskForm:
    """A multiple-choice form with one radio group per question, read from ``formdata`` (a GET form: checking
    answers changes nothing; a POST of it is checked by CSRFProtect as every POST)."""

    class QuizForm(FlaskForm):
        seed = HiddenField()
        area = HiddenField()
        level = HiddenField()

        class Meta:
            csrf = False

    for i, q in enumerate(questions):
        choices = [SelectChoice(value, label) for value, label in q.options]
        setattr(QuizForm, f"q{i}", RadioField(q.prompt, choices=choices, validators=[Optional()]))
    return QuizForm(formdata=formdata)


def locate_form(regions, formdata) -> LocateForm:
    """The checkbox form, one box per drawn region and side, ticked from ``formdata``."""
    form = LocateForm(formdata=formdata)
    form.region.choices = [
        SelectChoice(f"{r.id}:{side}" if side else r.id, f"{r.name} ({side})" if side else r.name)
        for r in regions.values()
        if body.drawn(r.id)
        for side in (("left", "right") if r.sided else (None,))
    ]
    return form


def plan_form(data: dict, formdata) -> PlanForm:
    """The plan form with the choices this plan offers, ticked from ``formdata``.

    A point whose site has sides is offered once per side (``SLUG:left``, ``SLUG:right``); a point chosen
    without a side keeps that choice too, so an old plan link still opens ticked.
    """
    form = PlanForm(formdata=formdata)
    form.muscle.choices = [SelectChoice(m["slug"], m["name"]) for m in data["all_muscles"]]
    form.muscle.data = data["choice"]["muscles"]  # muscles a region offered stay chosen on resubmit
    chosen = set(data["choice"]["points"])
    form.point.choices = [
        SelectChoice(value, label)
        for m in data["candidates"]
        for t in m["points"]
        for value, label in point_choices(t, chosen)
    ]
    form.yes.choices = [SelectChoice(q["id"], q["question"]) for q in data["questions"]]
    form.screened.data = SCREENED  # sending the form is going through the screen
    return form


def point_choices(point: dict, chosen: set[str]) -> list[tuple[str, str]]:
    """The boxes a point gets: one per side (left, right), or one without a side where its site has none."""
    if not point["sided"]:
        return [(point["slug"], point["name"])]
    boxes = [(f"{point['slug']}:{s}", f"{point['name']}, patient's {s}") for s in plan.SIDES]
    if point["slug"] in chosen:
        boxes.append((point["slug"], f"{point['name']}, side not given"))
    return boxes


def confirm(error: CSRFError):
    """A form sent without a valid CSRF token: from a visitor with no session yet (reading pages set none), a
    page asking them to confirm, carrying what they sent and a token; otherwise the 400 it is."""
    if wants_json() or CSRF_SESSION_KEY in session:
        return handle_http_error(error)
    fields = [(name, value) for name, value in request.form.items(multi=True) if name != CSRF_SESSION_KEY]
    return render_template("confirm.html", data={"fields": fields}, audience=audience(), token=generate_csrf())
