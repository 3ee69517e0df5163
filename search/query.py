"""Free-text search: query building as small pure functions, and running it.

A query is parsed with Whoosh's syntax when it parses, and as plain words
when it does not. Terms are matched exactly (stemmed) first; when that finds
too little, misspelt words also match their near neighbours and the
response carries a "did you mean" suggestion.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from whoosh import qparser
from whoosh.query import FuzzyTerm
from whoosh.query import Or
from whoosh.query import Query
from whoosh.searching import Searcher

from search.index import ANALYZER
from search.index import SCHEMA

MAX_QUERY_LENGTH = 200

# How much a match in each field counts.
TITLE_BOOST = 5.0
ALIASES_BOOST = 4.0
LAY_BOOST = 3.0
SYMPTOMS_BOOST = 2.0
PLACES_BOOST = 1.5
BODY_BOOST = 1.0
FIELD_BOOSTS = {
    "title": TITLE_BOOST,
    "aliases": ALIASES_BOOST,
    "lay": LAY_BOOST,
    "symptoms": SYMPTOMS_BOOST,
    "places": PLACES_BOOST,
    "body": BODY_BOOST,
}
# Matching some of the words beats matching none; all of them beats some.
OR_GROUP = qparser.OrGroup.factory(0.9)
FUZZY_BOOST = 0.4  # a near-miss spelling counts for less than the real word
FUZZY_MIN_LENGTH = 4
FEW_RESULTS = 3  # fewer exact hits than this and we also try near-miss spellings


class QueryError(ValueError):
    """The query cannot be searched (empty or too long); the message says why."""


def clean(text: str | None) -> str:
    """Normalise a visitor's query: no control characters, single spaces, length checked."""
    text = unicodedata.normalize("NFKC", text or "")
    text = "".join(" " if unicodedata.category(ch).startswith("C") else ch for ch in text)
    text = " ".join(text.split())
    if not text:
        raise QueryError("Type what you are looking for: a muscle, a symptom or where it hurts.")
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(f"That query is too long: please keep it under {MAX_QUERY_LENGTH} characters.")
    return text


def plain_words(text: str) -> str:
    """The query with every bit of query syntax removed."""
    return " ".join(re.findall(r"\w+", text))


def parser() -> qparser.MultifieldParser:
    """The field-boosted parser; field prefixes like ``title:`` are disabled."""
    p = qparser.MultifieldParser(list(FIELD_BOOSTS), SCHEMA, fieldboosts=FIELD_BOOSTS, group=OR_GROUP)
    p.remove_plugin_class(qparser.FieldsPlugin)
    return p


def build_query(text: str) -> Query:
    """Parse with query syntax; fall back to plain words if the syntax is broken."""
    try:
        return parser().parse(text)
    except Exception:  # Whoosh raises assorted errors on broken syntax
        return parser().parse(plain_words(text))


def fuzzy_query(text: str) -> Query | None:
    """Each longer word's stem also matching stems one or two edits away, at a discount."""
    terms = []
    for token in ANALYZER(text):
        word = token.text
        if len(word) < FUZZY_MIN_LENGTH:
            continue
        distance = 1 if len(word) < 7 else 2
        for field_name, boost in FIELD_BOOSTS.items():
            terms.append(FuzzyTerm(field_name, word, boost=boost * FUZZY_BOOST, maxdist=distance, prefixlength=1))
    return Or(terms) if terms else None


@dataclass
class Hit:
    kind: str
    slug: str
    title: str
    snippet: str
    muscle_slug: str | None
    muscle_name: str | None
    area: str | None
    score: float


def _hit(hit) -> Hit:
    snippet = ""
    for field_name in ("symptoms", "body", "aliases"):
        snippet = hit.highlights(field_name, top=2) if hit.get(field_name) else ""
        if snippet:
            break
    return Hit(
        kind=hit["kind"],
        slug=hit["slug"],
        title=hit["title"],
        snippet=snippet,
        muscle_slug=hit.get("muscle_slug"),
        muscle_name=hit.get("muscle_name"),
        area=hit.get("area"),
        score=hit.score,
    )


def run(searcher: Searcher, text: str, limit: int) -> tuple[list[Hit], str | None]:
    """Search; return the hits (best first) and a spelling suggestion, if any."""
    query = build_query(text)
    hits = [_hit(h) for h in searcher.search(query, limit=limit)]
    suggestion = None
    if len(hits) < FEW_RESULTS:
        corrected = searcher.correct_query(query, text).string
        more = []
        if corrected.lower() != text.lower():
            suggestion = corrected
            more += searcher.search(build_query(corrected), limit=limit)
        fuzzy = fuzzy_query(text)
        if fuzzy is not None:
            more += searcher.search(fuzzy, limit=limit)
        seen = {(h.kind, h.slug) for h in hits}
        for hit in map(_hit, more):
            if (hit.kind, hit.slug) not in seen:
                seen.add((hit.kind, hit.slug))
                hits.append(hit)
    return hits[:limit], suggestion
