"""The two questions the site answers, as plain data: what matches this text, and which
muscles explain these places.

:func:`search_text` serves ``/api/search`` and the search page; :func:`search_places`
serves ``/api/locate``, the body map, region pages and region-started plans. Both
return dicts with the public field names, red flags included (chosen by
:mod:`search.flags`); every result names its ``kind`` and ``slug``, and the web
layer makes its link. The atlas, the speller and the emergency line they use are
made once per build of the index, and by each gunicorn worker before its first request (:func:`warm`).
"""

from __future__ import annotations

from collections import Counter

from flask import Flask
from flask import current_app
from flask import has_request_context
from flask import request
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from refdata import models
from refdata.records import muscle_ref
from refdata.schema import EMERGENCY_ADVICE
from search import bounds
from search import flags
from search import live
from search import locate
from search import query
from search.index import PRACTITIONER_FIELDS
from search.query import QueryError

TEXT_HITS = 50  # the best records found by text after those named and ranked: each can be paged to, in total
CLOSEST_WORDS = 5  # known words offered when a search finds nothing
OFF_TOPIC_NOTICE = (
    "This site answers where it hurts and which muscles may refer pain there, with the warning signs to know and"
    " self-care; it cannot help with prices, insurance, bookings or accounts."
)
NO_ANSWER_NOTICE = (
    "Nothing here matches these words. Choose where it hurts on the body map, or try one of the closest words we know."
)


def atlas() -> locate.Atlas:
    """The location-search atlas for the current build."""
    return live.per_build("atlas", lambda: locate.load_atlas(live.session()))


def signs() -> flags.Signs:
    """The red flags' findings and rules for the current build."""
    return live.per_build("signs", lambda: flags.load_signs(live.session()))


def warm(app: Flask) -> None:
    """Make the live build's atlas, red flags' findings and emergency line now (at a worker's start), so that no
    request waits for them."""
    with app.app_context():
        atlas()
        signs()
        emergency_line()


def reading(text: str | None) -> flags.Reading:
    """What a phrase says about warning signs (nothing, for no phrase)."""
    return flags.read(text, signs(), atlas()) if text else flags.Reading()


def muscle_pattern(slug: str) -> dict:
    """A muscle's whole referral pattern: the zones of all its trigger points, the points, and whether
    any of them refers to both sides."""
    zones = [z for z in atlas().zones if z.muscle == slug]
    essential = list(dict.fromkeys(z.region for z in zones if z.zone == "essential"))
    return {
        "essential": essential,
        "spillover": [r for r in dict.fromkeys(z.region for z in zones if z.zone == "spillover") if r not in essential],
        "points": list(dict.fromkeys(z.trigger_point for z in zones)),
        "bilateral": any(z.bilateral for z in zones),
    }


def selection(
    regions: list[tuple[str, str | None]] = (),
    complaints: list[str] = (),
    text: str | None = None,
    side: str | None = None,
    exact: bool = False,
    said: flags.Reading | None = None,
) -> locate.Selection:
    """Places from the body map (region ids, each maybe with a side), complaint names and a phrase, combined;
    with ``exact``, the phrase's words are taken as typed, not corrected; what the phrase denies (``said``,
    its reading) chooses no place.

    Raises :class:`QueryError` for an unknown region, a bad side, a bad phrase, too many places, or nothing
    chosen at all.
    """
    if side not in (None, *locate.SIDES):
        raise QueryError("side must be left or right")
    if len(regions) > bounds.MAX_PLACES or len(complaints) > bounds.MAX_COMPLAINTS:
        raise QueryError(f"Choose at most {bounds.MAX_PLACES} places and {bounds.MAX_COMPLAINTS} complaints at once")
    the_atlas = atlas()
    chosen: list[tuple[str, str | None]] = []
    for region, region_side in regions:
        if region not in the_atlas.regions:
            raise QueryError(f"unknown region: {region}")
        if region_side and region_side not in locate.SIDES:
            raise QueryError("a region's side must be left or right")
        chosen.append((region, (region_side or side) if the_atlas.regions[region].sided else None))
    named = [c for c in complaints if c in the_atlas.complaints]
    for slug in named:
        chosen += [(r, side if the_atlas.regions[r].sided else None) for r in the_atlas.complaints[slug].regions]
    phrase = locate.Selection()
    if text is not None:
        phrase = locate.resolve(query.clean(text), the_atlas, side, exact)
        if said is not None:
            phrase = flags.affirmed(phrase, said, the_atlas, side, exact)
        chosen += phrase.regions
        named += phrase.complaints
    if not chosen and not named and text is None:
        raise QueryError("Choose at least one region (region=ID) or describe where it hurts (q=...)")
    return locate.Selection(
        tuple(dict.fromkeys(chosen)),
        tuple(dict.fromkeys(named)),
        phrase.rest,
        phrase.muscles,
        phrase.suggestion,
        bool(chosen or named or phrase.evidence),
        phrase.described,
        phrase.sites,
    )


def emergency_line(country: str | None = None) -> dict:
    """The one universal emergency line: what to do, the signs that need it, the emergency numbers (the one
    for ``country``, an ISO 3166 code, first and as ``number`` when there is one), and their sources."""
    line = live.per_build("emergency_line", lambda: _emergency_line(live.session()))
    local = next((n for n in line["numbers"] if country in n["countries"]), None)
    numbers = [local, *(n for n in line["numbers"] if n is not local)] if local else line["numbers"]
    return line | {"numbers": numbers, "number": local}


def _emergency_line(session) -> dict:
    rows = session.scalars(
        select(models.RedFlag)
        .where(models.RedFlag.emergency_line.is_not(None))
        .options(selectinload(models.RedFlag.citations).selectinload(models.Citation.source))
        .order_by(models.RedFlag.position)
    ).all()
    numbers = session.scalars(
        select(models.EmergencyNumber)
        .options(selectinload(models.EmergencyNumber.citations).selectinload(models.Citation.source))
        .order_by(models.EmergencyNumber.position)
    ).all()
    sources = {}
    for row in [*rows, *numbers]:
        for c in row.citations:
            sources.setdefault((c.source_id, c.locator), c.as_dict())
    return {
        "advice": EMERGENCY_ADVICE,
        "signs": [{"flag": row.id, "text": row.emergency_line} for row in rows],
        "numbers": [{"number": n.number, "where": n.where, "countries": n.countries} for n in numbers],
        "sources": list(sources.values()),
    }


def reader_country() -> str | None:
    """The reader's country as the browser's preferred language names it ("en-GB": GB), if it names one; a
    hint for which emergency number to name, never proof of where the reader is."""
    if not has_request_context():
        return None
    for language, _ in request.accept_languages:
        _, _, region = language.partition("-")
        if len(region) == 2 and region.isalpha():
            return region.upper()
    return None


def _flag(raised: flags.Raised) -> dict:
    f = raised.flag
    return {
        "id": f.id,
        "title": f.title,
        "urgency": raised.urgency,
        "advice": raised.advice,
        "signs": list(f.signs),
        "raised_by": flags.RAISED_BY[raised.level],
        "matched": list(raised.matched),
        "normal": f.normal,
    }


def red_flags(said: flags.Reading, chosen: locate.Selection) -> dict:
    """The warnings to show before any muscle: ``red_flags`` (those the words raise or ask about, then a few
    for the places), ``more_red_flags`` (the places' others), the ``emergency_line``, and ``emergency``:
    whether the words describe an emergency, so the page leads with it; see :mod:`search.flags`."""
    shown, more = flags.choose(said, chosen, signs(), atlas())
    return {
        "red_flags": [_flag(r) for r in shown],
        "more_red_flags": [_flag(r) for r in more],
        "emergency_line": emergency_line(reader_country()),
        "emergency": any(r.level == flags.WORDS and r.urgency == "emergency" for r in shown),
    }


def search_places(
    regions: list[tuple[str, str | None]] = (),
    complaints: list[str] = (),
    text: str | None = None,
    side: str | None = None,
    limit: int = 20,
    exact: bool = False,
) -> dict:
    """The ``/api/locate`` answer: the places understood, their red flags, and muscles ranked by them
    (muscles the phrase names first; by symptoms when it names no place)."""
    said = reading(query.clean(text) if text is not None else None)
    chosen = selection(regions, complaints, text, side, exact, said)
    the_atlas = atlas()
    results = locate.rank(chosen, the_atlas, limit)[:limit] if chosen.evidence else []
    return {
        "suggestion": chosen.suggestion,
        "regions": [{"id": r, "name": the_atlas.regions[r].name, "side": s} for r, s in chosen.regions],
        "complaints": [
            {"slug": c, "name": the_atlas.complaints[c].name, "note": the_atlas.complaints[c].note}
            for c in chosen.complaints
        ],
        **red_flags(said, chosen),
        "results": [
            {
                "muscle": muscle_ref(r.muscle, r.name),
                "score": round(r.score, 3),
                "side": r.side,
                "why": r.explanation(the_atlas),
                "matches": [
                    {
                        "trigger_point": m.trigger_point,
                        "trigger_point_name": m.trigger_point_name,
                        "region": m.region,
                        "zone": m.zone,
                    }
                    for m in r.matches
                ],
            }
            for r in results
        ],
    }


def _muscle_result(the_atlas: locate.Atlas, slug: str, snippet: str) -> dict:
    """A muscle as a search result."""
    name = the_atlas.muscles[slug]
    return {
        "kind": "muscle",
        "slug": slug,
        "title": name,
        "snippet": snippet,
        "muscle": {"slug": slug, "name": name},
        "area": the_atlas.areas[slug],
    }


def complaint_answer(chosen: locate.Selection, the_atlas: locate.Atlas) -> dict | None:
    """The complaint a phrase names (or else describes), as an answer: its name, what it usually is, the
    muscles to check and its warning signs; None when it names or describes none."""
    slug = next(iter((*chosen.complaints, *chosen.described)), None)
    if slug is None:
        return None
    complaint = the_atlas.complaints[slug]
    flags_by_id = {f.id: f for f in the_atlas.red_flags}
    return {
        "kind": "complaint",
        "slug": slug,
        "name": complaint.name,
        "note": complaint.note,
        "named": slug in chosen.complaints,
        "muscles": [muscle_ref(m, the_atlas.muscles[m]) for m in complaint.muscles],
        "red_flags": [
            {"id": f, "title": flags_by_id[f].title, "urgency": flags_by_id[f].urgency}
            for f in complaint.red_flags
            if f in flags_by_id
        ],
    }


def search_text(
    text: str,
    limit: int = 20,
    exact: bool = False,
    offset: int = 0,
    area: str | None = None,
    for_patients: bool = False,
) -> dict:
    """The ``/api/search`` answer: the complaint the phrase names or describes first, then a muscle named
    outright, the places read, the muscles ranked by them (as the body map would), then other records by the
    text's remaining telling words. ``total`` counts the whole list and ``results`` is the page of it from
    ``offset`` (of ``area`` only, if given; ``facets`` counts the whole list by area). Misspellings are
    corrected (``suggestion`` says how) unless ``exact``; text about nothing we know finds nothing, with the
    closest known words; a question the site cannot answer (prices, insurance) lists nothing and says so;
    ``partial`` when the time budget ran out before the text search finished; ``for_patients``, nothing only
    practitioners see is searched or quoted. Raises :class:`QueryError` for empty or over-long text."""
    text = query.clean(text)
    the_atlas = atlas()
    syntax = query.has_syntax(text)
    said = reading(text)
    chosen = flags.affirmed(locate.resolve(text, the_atlas, exact=exact or syntax), said, the_atlas, None, exact)
    meant = chosen.suggestion or text
    off_topic = not syntax and locate.off_topic(text)
    answer = None if off_topic else complaint_answer(chosen, the_atlas)
    named = None if off_topic else the_atlas.muscle_named(meant)
    # Only the ranked muscles this page can show are put in order: one more, as the muscle named outright is
    # listed apart from them.
    ranked = locate.rank(chosen, the_atlas, offset + limit + 1, area) if chosen.evidence and not off_topic else []
    listed = []
    if answer:
        listed.append({"kind": "complaint", "slug": answer["slug"], "title": answer["name"], "snippet": answer["note"]})
    if named:
        listed.append(_muscle_result(the_atlas, named, "The muscle you named"))
    if not off_topic:
        listed += [
            {"kind": "region", "slug": r, "title": the_atlas.regions[r].name, "snippet": "Where it hurts"}
            for r, _ in chosen.regions
        ]
    # Ranked muscles become results (and explain themselves) only on the page that shows them.
    listed += [r for r in ranked if r.muscle != named]
    seen = {_key(r) for r in listed}
    shown = [r for r in listed if area is None or _area(r, the_atlas) == area]
    keep = _text_words(chosen, the_atlas, syntax)
    budget = None
    hits = []
    if not off_topic and (syntax or keep or named):
        budget = bounds.Budget()
        first = max(0, offset - len(shown))  # the first text hit on the page, counted among those listed
        hits = query.run(
            current_app.extensions["index"].searcher(),
            meant,
            TEXT_HITS,
            shown=max(0, offset + limit - len(shown) - first),
            skip=frozenset(f"{kind}/{slug}" for kind, slug in seen),
            keep=keep,
            budget=budget,
            as_name=bool(named),
            hidden=PRACTITIONER_FIELDS if for_patients else frozenset(),
            first=first,
            area=area,
        )
    facets = Counter(a for r in listed if (a := _area(r, the_atlas)))
    for h in hits:
        if (h.kind, h.slug) in seen:
            continue
        seen.add((h.kind, h.slug))
        if h.area:
            facets[h.area] += 1
        if area is None or h.area == area:
            item = {"kind": h.kind, "slug": h.slug, "title": h.title, "snippet": h.snippet}
            if h.muscle_slug:
                item["muscle"] = {"slug": h.muscle_slug, "name": h.muscle_name}
                item["area"] = h.area
            shown.append(item)
    found = bool(shown) or bool(facets)
    return {
        "query": text,
        "total": len(shown),
        "offset": offset,
        "suggestion": chosen.suggestion,
        **red_flags(said, chosen),
        "answer": answer,
        "facets": {"area": dict(facets)},
        "results": [_result(r, the_atlas) for r in shown[offset : offset + limit]],
        "partial": bool(budget and budget.partial),
        "notice": OFF_TOPIC_NOTICE if off_topic else None if found else NO_ANSWER_NOTICE,
        "closest": [] if found or off_topic else the_atlas.speller.closest(locate.words(text), CLOSEST_WORDS),
    }


def _key(item: dict | locate.Result) -> tuple[str, str]:
    return ("muscle", item.muscle) if isinstance(item, locate.Result) else (item["kind"], item["slug"])


def _area(item: dict | locate.Result, the_atlas: locate.Atlas) -> str | None:
    return the_atlas.areas[item.muscle] if isinstance(item, locate.Result) else item.get("area")


def _result(item: dict | locate.Result, the_atlas: locate.Atlas) -> dict:
    if isinstance(item, locate.Result):
        return _muscle_result(the_atlas, item.muscle, item.explanation(the_atlas))
    return item


def _text_words(chosen: locate.Selection, the_atlas: locate.Atlas, syntax: bool) -> frozenset[str] | None:
    """The stems a text search may match (an empty set: no text search), or None for every word (query
    syntax): the words the reading left over that are about the body and not everyday English, so "side",
    "head", "steps" or "morning" never find a record on their own."""
    if syntax:
        return None
    return locate.telling(chosen, the_atlas) if chosen.evidence else frozenset()
