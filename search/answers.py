"""The two questions the site answers, as plain data: what matches this text, and which
muscles explain these places.

:func:`search_text` serves ``/api/search`` and the search page; :func:`search_places`
serves ``/api/locate``, the body map, region pages and region-started plans. Both
return dicts with the public field names, red flags included (chosen by
:mod:`search.flags`); every result names its ``kind`` and ``slug``, and the web
layer makes its link. The atlas, the speller and the emergency line they use are
made once per build of the index.
"""

from __future__ import annotations

from collections import Counter

from flask import current_app
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
from search.query import QueryError


def atlas() -> locate.Atlas:
    """The location-search atlas for the current build."""
    return live.per_build("atlas", lambda: locate.load_atlas(live.session()))


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
) -> locate.Selection:
    """Places from the body map (region ids, each maybe with a side), complaint names and a phrase, combined;
    with ``exact``, the phrase's words are taken as typed, not corrected.

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
    )


def emergency_line() -> dict:
    """The one universal emergency line: what to do, the signs that need it, and their sources."""
    return live.per_build("emergency_line", lambda: _emergency_line(live.session()))


def _emergency_line(session) -> dict:
    rows = session.scalars(
        select(models.RedFlag)
        .where(models.RedFlag.emergency_line.is_not(None))
        .options(selectinload(models.RedFlag.citations).selectinload(models.Citation.source))
        .order_by(models.RedFlag.position)
    ).all()
    sources = {}
    for row in rows:
        for c in row.citations:
            sources.setdefault((c.source_id, c.locator), c.as_dict())
    return {
        "advice": EMERGENCY_ADVICE,
        "signs": [{"flag": row.id, "text": row.emergency_line} for row in rows],
        "sources": list(sources.values()),
    }


def _flag(raised: flags.Raised) -> dict:
    f = raised.flag
    return {
        "id": f.id,
        "title": f.title,
        "urgency": f.urgency,
        "advice": f.advice,
        "signs": list(f.signs),
        "raised_by": flags.RAISED_BY[raised.level],
        "matched": list(raised.matched),
    }


def red_flags(text: str | None, chosen: locate.Selection) -> dict:
    """The warnings to show before any muscle: ``red_flags`` (those the words raise, then a few for the
    places), ``more_red_flags`` (the places' others) and the ``emergency_line``; see :mod:`search.flags`."""
    shown, more = flags.choose(text, chosen, atlas())
    return {
        "red_flags": [_flag(r) for r in shown],
        "more_red_flags": [_flag(r) for r in more],
        "emergency_line": emergency_line(),
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
    chosen = selection(regions, complaints, text, side, exact)
    the_atlas = atlas()
    results = locate.rank(chosen, the_atlas)[:limit] if chosen.evidence else []
    return {
        "suggestion": chosen.suggestion,
        "regions": [{"id": r, "name": the_atlas.regions[r].name, "side": s} for r, s in chosen.regions],
        "complaints": [
            {"slug": c, "name": the_atlas.complaints[c].name, "note": the_atlas.complaints[c].note}
            for c in chosen.complaints
        ],
        **red_flags(query.clean(text) if text is not None else None, chosen),
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


def search_text(text: str, limit: int = 20, exact: bool = False) -> dict:
    """The ``/api/search`` answer: a muscle named outright first, then location (as the body map would
    rank it), then everything else by text. Misspellings are corrected (``suggestion`` says how) unless
    ``exact``; text about nothing we know finds nothing; ``partial`` when the time budget ran out before the
    text search finished. Raises :class:`QueryError` for empty or over-long text."""
    text = query.clean(text)
    the_atlas = atlas()
    syntax = query.has_syntax(text)
    chosen = locate.resolve(text, the_atlas, exact=exact or syntax)
    meant = chosen.suggestion or text
    named = the_atlas.muscle_named(meant)
    ranked = locate.rank(chosen, the_atlas) if chosen.evidence else []
    results = []
    if named:
        results.append(_muscle_result(the_atlas, named, "The muscle you named"))
        ranked = [r for r in ranked if r.muscle != named]
    results += [
        {
            "kind": "region",
            "slug": r,
            "title": the_atlas.regions[r].name,
            "snippet": "Where it hurts",
        }
        for r, _ in chosen.regions
    ]
    results += [_muscle_result(the_atlas, r.muscle, r.explanation(the_atlas)) for r in ranked[:limit]]
    total = bool(named) + len(chosen.regions) + len(ranked)
    seen = {(r["kind"], r["slug"]) for r in results} | {("muscle", r.muscle) for r in ranked}
    budget = None
    if (
        not (chosen.evidence or syntax)
        or (chosen.regions and not any(t in the_atlas.evidence for t in chosen.rest))
        or len(results) >= limit
    ):
        # Nothing is about the body, or the places are all it says (the body-map ranking is the answer), or the
        # ranking already fills the list: the text search could add nothing that is shown.
        hits = []
    else:
        budget = bounds.Budget()
        hits = query.run(
            current_app.extensions["index"].searcher(),
            meant,
            limit,
            shown=limit - len(results),
            skip=frozenset(f"{kind}/{slug}" for kind, slug in seen),
            keep=None if syntax else the_atlas.evidence,
            budget=budget,
            as_name=bool(named),
        )
    facets = Counter(the_atlas.areas[r.muscle] for r in ranked)
    if named:
        facets[the_atlas.areas[named]] += 1
    for h in hits:
        if (h.kind, h.slug) in seen:
            continue
        total += 1
        if h.area:
            facets[h.area] += 1
        if len(results) < limit:
            item = {
                "kind": h.kind,
                "slug": h.slug,
                "title": h.title,
                "snippet": h.snippet,
            }
            if h.muscle_slug:
                item["muscle"] = {"slug": h.muscle_slug, "name": h.muscle_name}
                item["area"] = h.area
            results.append(item)
    return {
        "query": text,
        "total": total,
        "suggestion": chosen.suggestion,
        **red_flags(text, chosen),
        "facets": {"area": dict(facets)},
        "results": results[:limit],
        "partial": bool(budget and budget.partial),
    }
