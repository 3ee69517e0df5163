"""Free-text search: query building as small pure functions, and running it.

Plain words become a query directly; text with query syntax (quotes,
wildcards, AND/OR/NOT) is parsed by Whoosh, and searched as plain words when
it does not parse. Terms are matched exactly (stemmed) first; when that finds
too little, words the index does not know are matched to the nearest muscle
or place name, and the response carries that as a "did you mean" suggestion.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

from whoosh import qparser
from whoosh.query import Or
from whoosh.query import Query
from whoosh.query import Term
from whoosh.searching import Searcher

from refdata.forms import MAX_QUERY_LENGTH
from search import bounds
from search.index import ANALYZER
from search.index import SCHEMA

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
}
# Names, symptoms and places; the anatomy text (large and slow) only for words found nowhere else.
PRIMARY_FIELDS = ("title", "names", "symptoms", "places")
SNIPPET_FIELDS = ("symptoms", "body", "names")  # where a result's snippet comes from, in order of preference
# Matching some of the words beats matching none; all of them beats some.
ANY_WORD_SCALE = 0.9
OR_GROUP = qparser.OrGroup.factory(ANY_WORD_SCALE)
# Query syntax (quotes, wildcards, ranges, boosts, operators); text without any is plain words.
SYNTAX = re.compile(r"[^\w\s(),.]|\b(?:AND|OR|NOT|ANDNOT|ANDMAYBE|TO)\b")
NAME_FIELDS = ("title", "names")  # misspellings are corrected towards names only
FUZZY_CUTOFF = 0.8  # how alike (0..1, difflib's ratio) a misspelling and its correction must be
FUZZY_MIN_LENGTH = 4
FEW_RESULTS = 3  # fewer exact hits than this and we also try near-miss spellings


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


def plain_words(text: str) -> str:
    """The query with every bit of query syntax removed."""
    return " ".join(re.findall(r"\w+", text))


def parser(fields: tuple[str, ...]) -> qparser.MultifieldParser:
    """The field-boosted parser over ``fields``; field prefixes like ``title:`` are disabled."""
    p = qparser.MultifieldParser(list(fields), SCHEMA, fieldboosts=FIELD_BOOSTS, group=OR_GROUP)
    p.remove_plugin_class(qparser.FieldsPlugin)
    return p


def words_query(text: str, fields: tuple[str, ...]) -> Query:
    """Any of the words, in any of ``fields``, boosted per field: what the parser makes of plain
    words, built directly because parsing costs more than the search itself for short queries."""
    stems = dict.fromkeys(token.text for token in ANALYZER(text))
    return Or([Term(f, stem, boost=FIELD_BOOSTS[f]) for stem in stems for f in fields], scale=ANY_WORD_SCALE).normalize()


def build_query(text: str, fields: tuple[str, ...] = PRIMARY_FIELDS) -> Query:
    """Plain words directly; otherwise parse with query syntax, falling back to plain words if it is broken."""
    if not SYNTAX.search(text):
        return words_query(text, fields)
    try:
        return parser(fields).parse(text)
    except Exception:  # Whoosh raises assorted errors on broken syntax
        return words_query(plain_words(text), fields)


class Speller:
    """Corrects misspelt words to the nearest word in a muscle or place name ("gastrocnemious")."""

    def __init__(self, known: set[str], names: dict[str, str]):
        self.known = known  # every stem in the index
        self.names = names  # stem of a name word -> the word as written
        self._stems = sorted(names)

    @classmethod
    def from_searcher(cls, searcher: Searcher) -> Speller:
        known = {term.decode() for field_name in FIELD_BOOSTS for term in searcher.lexicon(field_name)}
        names: dict[str, str] = {}
        for doc in searcher.documents():
            for field_name in NAME_FIELDS:
                for word in re.findall(r"[^\W\d_]+", doc.get(field_name) or ""):
                    for token in ANALYZER(word.lower()):
                        names.setdefault(token.text, word.lower())
        return cls(known, names)

    def correct(self, text: str) -> str | None:
        """The text with unknown words replaced by the nearest name word, or None if nothing changed."""
        changed = False
        words = []
        for word in re.findall(r"\w+", text):
            stems = [t.text for t in ANALYZER(word.lower())]
            if stems and stems[0] not in self.known and len(stems[0]) >= FUZZY_MIN_LENGTH:
                close = difflib.get_close_matches(stems[0], self._stems, n=1, cutoff=FUZZY_CUTOFF)
                if close:
                    word, changed = self.names[close[0]], True
            words.append(word)
        return " ".join(words) if changed else None


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


def snippet(hit) -> str:
    """The best matching passage of a Whoosh hit (searched with ``terms=True``)."""
    matched = {field_name for field_name, _ in hit.matched_terms()}
    for field_name in SNIPPET_FIELDS:
        if field_name in matched and hit.get(field_name):
            return hit.highlights(field_name, top=2)
    return ""


def _hit(hit, with_snippet: bool) -> Hit:
    return Hit(
        kind=hit["kind"],
        slug=hit["slug"],
        title=hit["title"],
        muscle_slug=hit.get("muscle_slug"),
        muscle_name=hit.get("muscle_name"),
        area=hit.get("area"),
        score=hit.score,
        snippet=snippet(hit) if with_snippet else "",
    )


def fields_for(searcher: Searcher, text: str) -> tuple[str, ...]:
    """The primary fields, plus the anatomy text if a word of the query appears only there (or nowhere)."""
    for token in ANALYZER(text):
        if not any(searcher.doc_frequency(name, token.text) for name in PRIMARY_FIELDS):
            return tuple(FIELD_BOOSTS)
    return PRIMARY_FIELDS


def run(
    searcher: Searcher,
    text: str,
    limit: int,
    speller: Speller,
    shown: int | None = None,
    skip: frozenset = frozenset(),
    budget: bounds.Budget | None = None,
) -> tuple[list[Hit], str | None]:
    """Search; return the hits (best first) and a spelling suggestion, if any.

    Highlighting is slow, so only the first ``shown`` hits not in ``skip`` (keys like
    "muscle/soleus", already listed by the caller) get a snippet. The search stays within
    ``budget`` (see :mod:`search.bounds`): once it is spent, what was found so far is returned.
    """
    budget = budget or bounds.Budget()
    results = bounds.search(searcher, build_query(text, fields_for(searcher, text)), limit, budget)
    suggestion = speller.correct(text) if len(results) < FEW_RESULTS and not budget.spent() else None
    if suggestion:
        seen = {hit["key"] for hit in results}
        more = bounds.search(searcher, build_query(suggestion, fields_for(searcher, suggestion)), limit, budget)
        results += [hit for hit in more if hit["key"] not in seen]
    shown = limit if shown is None else shown
    hits = []
    for hit in results[:limit]:
        wanted = shown > 0 and hit["key"] not in skip and not budget.spent()
        shown -= wanted
        hits.append(_hit(hit, wanted))
    return hits, suggestion
