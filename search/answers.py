"""The two questions the site answers, as plain data: what matches this text, and which
muscles explain these places.

:func:`search_text` serves ``/api/search`` and the search page; :func:`search_places`
serves ``/api/locate``, the body map, region pages and region-started plans. Both
return dicts with the public field names, red flags included. The atlas and the
speller they use are made once per build of the index.
"""

from __future__ import annotations

from collections import Counter

from flask import current_app

from refdata import db
from refdata.records import muscle_ref
from refdata.records import result_url
from search import bounds
from search import locate
from search import query
from search.query import QueryError


def per_build(name: str, make):
    """``make()``, computed once per build of the index and kept until the next one."""
    generation = current_app.extensions["index"].generation
    cached = current_app.extensions.get(name)
    if cached is None or cached[0] != generation:
        cached = (generation, make())
        current_app.extensions[name] = cached
    return cached[1]


def atlas() -> locate.Atlas:
    """The location-search atlas for the current build."""
    return per_build("atlas", lambda: locate.load_atlas(db.get_session()))


def speller() -> query.Speller:
    """The spelling corrector for the current build."""
    return per_build("speller", lambda: query.Speller.from_searcher(current_app.extensions["index"].searcher()))


def selection(
    regions: list[tuple[str, str | None]] = (),
    complaints: list[str] = (),
    text: str | None = None,
    side: str | None = None,
) -> locate.Selection:
    """Places from the body map (region ids, each maybe with a side), complaint names and a phrase, combined.

    Raises :class:`QueryError` for an unknown region, a bad side, a bad phrase, or nothing chosen at all.
    """
    if side not in (None, *locate.SIDES):
        raise QueryError("side must be left or right")
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
    if text is not None:
        phrase = locate.resolve(query.clean(text), the_atlas, side)
        chosen += phrase.regions
        named += phrase.complaints
    if not chosen and not named and text is None:
        raise QueryError("Choose at least one region (region=ID) or describe where it hurts (q=...)")
    return locate.Selection(tuple(dict.fromkeys(chosen)), tuple(dict.fromkeys(named)))


def red_flags(chosen: locate.Selection) -> list[dict]:
    """The warnings to show before any muscle, most urgent first."""
    return [
        {"id": f.id, "title": f.title, "urgency": f.urgency, "advice": f.advice, "signs": list(f.signs)}
        for f in locate.red_flags(chosen, atlas())
    ]


def search_places(
    regions: list[tuple[str, str | None]] = (),
    complaints: list[str] = (),
    text: str | None = None,
    side: str | None = None,
    limit: int = 20,
) -> dict:
    """The ``/api/locate`` answer: the places understood, their red flags, and muscles ranked by them."""
    chosen = selection(regions, complaints, text, side)
    the_atlas = atlas()
    results = locate.rank(chosen, the_atlas)[:limit]
    return {
        "regions": [{"id": r, "name": the_atlas.regions[r].name, "side": s} for r, s in chosen.regions],
        "complaints": [
            {"slug": c, "name": the_atlas.complaints[c].name, "note": the_atlas.complaints[c].note}
            for c in chosen.complaints
        ],
        "red_flags": red_flags(chosen),
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
        "url": result_url("muscle", slug),
        "snippet": snippet,
        "muscle": {"slug": slug, "name": name},
        "area": the_atlas.areas[slug],
    }


def search_text(text: str, limit: int = 20) -> dict:
    """The ``/api/search`` answer: a muscle named outright first, then location (as the body map would
    rank it), then everything else by text; ``partial`` when the time budget ran out before the text
    search finished. Raises :class:`QueryError` for empty or over-long text."""
    text = query.clean(text)
    the_atlas = atlas()
    named = the_atlas.muscle_named(text)
    chosen = locate.resolve(text, the_atlas)
    ranked = locate.rank(chosen, the_atlas) if chosen.regions or chosen.complaints else []
    results = []
    if named:
        results.append(_muscle_result(the_atlas, named, "The muscle you named"))
        ranked = [r for r in ranked if r.muscle != named]
    results += [
        {
            "kind": "region",
            "slug": r,
            "title": the_atlas.regions[r].name,
            "url": result_url("region", r),
            "snippet": "Where it hurts",
        }
        for r, _ in chosen.regions
    ]
    results += [_muscle_result(the_atlas, r.muscle, r.explanation(the_atlas)) for r in ranked[:limit]]
    total = bool(named) + len(chosen.regions) + len(ranked)
    seen = {(r["kind"], r["slug"]) for r in results} | {("muscle", r.muscle) for r in ranked}
    budget = None
    if chosen.regions and not chosen.rest:
        hits, suggestion = [], None  # every word named a place: the body-map ranking is the answer
    else:
        the_speller = speller()  # made once per build: not part of this search's time budget
        budget = bounds.Budget()
        hits, suggestion = query.run(
            current_app.extensions["index"].searcher(),
            text,
            limit,
            the_speller,
            shown=limit - len(results),
            skip=frozenset(f"{kind}/{slug}" for kind, slug in seen),
            budget=budget,
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
                "url": result_url(h.kind, h.slug),
                "snippet": h.snippet,
            }
            if h.muscle_slug:
                item["muscle"] = {"slug": h.muscle_slug, "name": h.muscle_name}
                item["area"] = h.area
            results.append(item)
    return {
        "query": text,
        "total": total,
        "suggestion": suggestion,
        "red_flags": red_flags(chosen),
        "facets": {"area": dict(facets)},
        "results": results[:limit],
        "partial": bool(budget and budget.partial),
    }
