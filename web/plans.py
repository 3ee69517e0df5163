"""Session plans: build one from the URL, its patient handout, and saving it under a private link."""

from __future__ import annotations

import secrets
from dataclasses import asdict
from urllib.parse import parse_qsl
from urllib.parse import urlencode

from flask import Blueprint
from flask import abort
from flask import current_app
from flask import redirect
from flask import request
from sqlalchemy import select

import search
from plan import MAX_MUSCLES
from plan import MAX_POINTS
from plan import session as plans
from refdata import models
from refdata import records
from search import live
from web.forms import SCREENED
from web.forms import PlanForm
from web.forms import SavePlanForm
from web.links import url_for
from web.pages import page
from web.params import has_control_characters
from web.params import located
from web.ratelimit import limiter

PLAN_CANDIDATES = 8  # muscles a region-started plan offers
# The query parameters a plan's URL may carry; a saved plan keeps only these.
PLAN_PARAMS = (
    "muscle", "point", "component", "yes", "screened", "region", "complaint", "q", "side", "exact", "audience"
)

blueprint = Blueprint("plans", __name__)


def plan_query(query: str) -> str | None:
    """A plan's query string, re-encoded with only the plan's parameters; None if it holds anything else."""
    pairs = parse_qsl(query, keep_blank_values=True)
    if not pairs or any(key not in PLAN_PARAMS for key, _ in pairs):
        return None
    if any(has_control_characters(value) for _, value in pairs):
        return None
    return urlencode(pairs)


def plan_choice() -> plans.Choice:
    """The plan's choices from the URL; regions or a phrase add their best-ranked muscles, each with its side."""
    form = PlanForm(formdata=request.args)
    muscles = list(form.muscle.data or [])
    map_sides = {}
    if request.args.getlist("region") or request.args.get("q"):
        for result in located(PLAN_CANDIDATES)["results"]:
            muscles.append(result["muscle"]["slug"])
            if result["side"]:
                map_sides[result["muscle"]["slug"]] = result["side"]
    known = search.atlas().muscles
    chosen = tuple(m for m in dict.fromkeys(muscles) if m in known)
    points = tuple(dict.fromkeys(form.point.data or []))
    if len(chosen) > MAX_MUSCLES or len(points) > MAX_POINTS:
        abort(
            400,
            f"A plan holds at most {MAX_MUSCLES} muscles and {MAX_POINTS} trigger points (a point on both sides "
            "counts twice): plan the rest as another session.",
        )
    return plans.Choice(
        muscles=chosen,
        points=points,
        components=tuple(form.component.data or []),
        yes=tuple(form.yes.data or []),
        map_sides=tuple(map_sides.items()),
        screened=form.screened.data == SCREENED,
    )


@page(blueprint, "/plan", "plan.html", for_patients=records.plan_for_patients, params=PLAN_PARAMS)
@limiter.limit(lambda: current_app.config["PLAN_RATE_LIMIT"])
def plan_page():
    """Build a session plan: pick muscles, points and sides, components, answer the screen; get the plan."""
    choice = plan_choice()
    data = plans.build(live.session(), choice)
    data["choice"] = asdict(choice) | {"map_sides": dict(choice.map_sides)}
    rows = live.session().execute(
        select(models.Muscle.slug, models.Muscle.name, models.Muscle.area, models.Muscle.aliases).order_by(
            models.Muscle.name
        )
    )
    data["all_muscles"] = [{"slug": r.slug, "name": r.name, "area": r.area, "aliases": r.aliases} for r in rows]
    return data


@page(blueprint, "/plan/handout", "handout.html", params=PLAN_PARAMS)
@limiter.limit(lambda: current_app.config["PLAN_RATE_LIMIT"])
def plan_handout():
    """The patient handout for a plan: self-care (once per muscle, with its side) and warning signs only."""
    return plans.handout(plans.build(live.session(), plan_choice()))


@blueprint.route("/plan/save", methods=["POST"])
@limiter.limit(lambda: current_app.config["SAVED_PLANS_RATE_LIMIT"])
def save_plan():
    """Save a plan's URL under an unguessable token (no patient data is part of a plan)."""
    form = SavePlanForm()
    query = plan_query(form.query.data or "")
    if not form.validate_on_submit() or query is None:
        abort(400, "The plan could not be saved.")
    token = secrets.token_urlsafe(16)
    session = live.session()
    session.add(models.SavedPlan(token=token, query=query))
    session.commit()
    return redirect(url_for("plans.saved_plan", token=token))


@blueprint.route("/plan/saved/<token>")
def saved_plan(token: str):
    """Open a saved plan."""
    saved = live.session().get(models.SavedPlan, token)
    if saved is None:
        abort(404, "No saved plan with that link.")
    return redirect(url_for("plans.plan_page") + "?" + (plan_query(saved.query) or ""))
