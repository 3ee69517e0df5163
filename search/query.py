"""Free-text search: query building as small pure functions, and running it.

Plain words become a query directly, from the words that are about the body
only (the caller says which; spelling is corrected before, by
:mod:`search.spelling`); text with query syntax (quotes, wildcards,
AND/OR/NOT) is parsed by Whoosh, and searched as plain words when it does not
parse.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from whoosh import highlight
from whoosh import qparser
from whoosh.query import And
from whoosh.query import Or
from whoosh.query import Query
from whoosh.query import Term
from whoosh.searching import Searcher

from search import bounds
from search.index import ANALYZER
from search.index import SCHEMA

# Characters: a paragraph, since people tell the story around the pain; the search box stops there too.
MAX_QUERY_LENGTH = 1000
# How much a match in each field counts.
TITLE_BOOST = 5.0
NAMES_BOOST = 3.5
SYMPTOMS_BOOST = 2.0
PLACES_BOOST = 1.5
BODY_BOOST = 1.0
FIELD_BOOSTS = {
    "title": TITLE_BOOST,
    "names": NAMES_BOOST,
    "symptoms": SYMPTOMS_BOOST,
    "places": PLACES_BOOST,
    "body": BODY_BOOST,
    "technique": BODY_BOOST,
}
# Titles, names and symptoms. Places are the location ranking's answer; they and the anatomy text (both large and
# slow to search) are searched only for a word found in none of these.
PRIMARY_FIELDS = ("title", "names", "symptoms")
# Where a muscle's name is searched for (:func:`name_query`).
NAME_FIELDS = ("title", "names")
# Where a result's snippet comes from, in order of preference (of the fields the reader may see).
SNIPPET_FIELDS = ("symptoms", "body", "names", "technique")
SNIPPET_CONTEXT = 40  # characters of text shown either side of the words matched
# A snippet is cut around the matched words' places stored in the index ("pinpoint"), rather than by analysing
# the text again, which would cost more than the search itself.
SNIPPET_FRAGMENTER = highlight.PinpointFragmenter(surround=SNIPPET_CONTEXT, autotrim=True)
# Matching some of the words beats matching none; all of them beats some.
ANY_WORD_SCALE = 0.9
OR_GROUP = qparser.OrGroup.factory(ANY_WORD_SCALE)
# Query syntax: words in quotes ("extensor carpi"), wildcards ("gastrocnem*", "kn?e"), fuzzy and boosted words
# ("masseter~", "soleus^2"), ranges and the operators; text without any is plain words. Prose punctuation is not
# syntax: a question mark ending a question, apostrophes, dashes, ellipses, colons, one word quoted for emphasis
# ('a "knot" under my shoulder blade').
SYNTAX = re.compile(r'"[^"]*\s[^"]*"|\*|\?\w|\w~|\w\^|[\[\]{}]|\b(?:AND|OR|NOT|ANDNOT|ANDMAYBE|TO)\b')


class QueryError(ValueError):
    """The query cannot be searched (empty or too long); the message says why."""


def clean(text: str | None) -> str:
    """Normalise a visitor's query: no control characters, single spaces, length checked (as sent and after)."""
    if len(text or "") > MAX_QUERY_LENGTH:
        raise QueryError(f"That query is too long: please keep it under {MAX_QUERY_LENGTH} characters.")
    text = unicodedata.normalize("NFKC", text or "")
    text = "".join(" " if unicodedata.category(ch).startswith("C") else ch for ch in text)
    text = " ".join(text.split())
    if not text:
        raise QueryError("Type what you are looking for: a muscle, a symptom or where it hurts.")
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(f"That query is too long: please keep it under {MAX_QUERY_LENGTH} characters.")
    return text


def has_syntax(text: str) -> bool:
    """Whether the text uses query syntax (quotes, wildcards, operators) rather than plain words."""
    return bool(SYNTAX.search(text))


def plain_words(text: str) -> str:
    """The query with every bit of query syntax removed."""
    return " ".join(re.findall(r"\w+", text))


def parser(fields: tuple[str, ...]) -> qparser.MultifieldParser:
    """The field-boosted parser over ``fields``; field prefixes like ``title:`` are disabled."""
    p = qparser.MultifieldParser(list(fields), SCHEMA, fieldboosts=FIELD_BOOSTS, group=OR_GROUP)
    p.remove_plugin_class(qparser.FieldsPlugin)
    return p


def words_query(text: str, fields: tuple[str, ...], keep: frozenset[str] | None = None) -> Query:
    """Any of the words (of those whose stems are in ``keep``, if given), in any of ``fields``, boosted per
    field: what the parser makes of plain words, built directly because parsing costs more than the search
    itself for short queries."""
    stems = [s for s in dict.fromkeys(token.text for token in ANALYZER(text)) if keep is None or s in keep]
    return Or(
        [Term(f, stem, boost=FIELD_BOOSTS[f]) for stem in stems for f in fields], scale=ANY_WORD_SCALE
    ).normalize()


def name_query(name: str) -> Query:
    """A muscle's name, as a name: the documents whose title or names hold every word of it (its own trigger
    points, the complaints that name it), not every document with one of its words ("flexor", "hand")."""
    stems = dict.fromkeys(token.text for token in ANALYZER(name))
    return And([Or([Term(f, stem, boost=FIELD_BOOSTS[f]) for f in NAME_FIELDS]) for stem in stems]).normalize()


def build_query(text: str, fields: tuple[str, ...] = PRIMARY_FIELDS, keep: frozenset[str] | None = None) -> Query:
    """Plain words directly (only those in ``keep``, if given); otherwise parse with query syntax, falling back
    to plain words if it is broken."""
    if not has_syntax(text):
        return words_query(text, fields, keep)
    try:
        return parser(fields).parse(text)
    except Exception:  # Whoosh raises assorted errors on broken syntax
        return words_query(plain_words(text), fields, keep)


@dataclass
class Hit:
    """A search result copied out of Whoosh, so it outlives the searcher."""

    kind: str
    slug: str
    title: str
    muscle_slug: str | None
    muscle_name: str | None
    area: str | None
    score: float
    snippet: str  # HTML-escaped apart from <b class="match"> highlights; "" when not asked for


def snippet(hit, hidden: frozenset[str] = frozenset()) -> str:
    """The best matching passage of a Whoosh hit (searched with ``terms=True``), from no field in ``hidden``."""
    hit.results.fragmenter = SNIPPET_FRAGMENTER
    matched = {field_name for field_name, _ in hit.matched_terms()} - hidden
    for field_name in SNIPPET_FIELDS:
        if field_name in matched and hit.get(field_name):
            return hit.highlights(field_name, top=2)
    return ""


def _hit(hit, with_snippet: bool, hidden: frozenset[str]) -> Hit:
    return Hit(
        kind=hit["kind"],
        slug=hit["slug"],
        title=hit["title"],
        muscle_slug=hit.get("muscle_slug"),
        muscle_name=hit.get("muscle_name"),
        area=hit.get("area"),
        score=hit.score,
        snippet=snippet(hit, hidden) if with_snippet else "",
    )


def fields_for(
    searcher: Searcher, text: str, keep: frozenset[str] | None = None, hidden: frozenset[str] = frozenset()
) -> tuple[str, ...]:
    """The primary fields, or every field not ``hidden`` if a word of the query (of those in ``keep``, if
    given) is in none of them."""
    for token in ANALYZER(text):
        if keep is not None and token.text not in keep:
            continue
        if not any(searcher.doc_frequency(name, token.text) for name in PRIMARY_FIELDS):
            return tuple(f for f in FIELD_BOOSTS if f not in hidden)
    return PRIMARY_FIELDS


def run(
    searcher: Searcher,
    text: str,
    limit: int,
    shown: int | None = None,
    skip: frozenset = frozenset(),
    keep: frozenset[str] | None = None,
    budget: bounds.Budget | None = None,
    as_name: bool = False,
    hidden: frozenset[str] = frozenset(),
    first: int = 0,
    area: str | None = None,
) -> list[Hit]:
    """Search; return the hits, best first. Plain words are searched only by the stems in ``keep``, if given
    (the words about the body), so every hit matches at least one of them; with ``as_name``, the text is a
    muscle's name (:func:`name_query`).

    Highlighting is slow, so only the hits a page shows get a snippet: of those the caller lists (not in
    ``skip``, keys like "muscle/soleus" it lists already, and of ``area`` if given), ``shown`` hits from the
    ``first``. The search stays within ``budget`` (see :mod:`search.bounds`): once it is spent, what was
    found so far is returned. Fields in ``hidden`` (what the reader may not see) are neither searched nor
    quoted.
    """
    budget = budget or bounds.Budget()
    searched = name_query(text) if as_name else build_query(text, fields_for(searcher, text, keep, hidden), keep)
    results = bounds.search(searcher, searched, limit, budget)
    shown = limit if shown is None else shown
    hits = []
    listed = 0
    for hit in results[:limit]:
        lists = hit["key"] not in skip and (area is None or hit.get("area") == area)
        hits.append(_hit(hit, lists and first <= listed < first + shown and not budget.spent(), hidden))
        listed += lists
    return hits
