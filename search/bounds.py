"""Bounds on one search, so no query can tie up a worker.

A choice of places holds at most ``MAX_PLACES`` regions and ``MAX_COMPLAINTS``
complaints. Free text has two limits. Wildcard, prefix, fuzzy and range terms
are expanded here, before Whoosh sees them, into at most
``MAX_TERMS_PER_PATTERN`` index terms each and ``MAX_TERMS_PER_QUERY`` in all;
a pattern with fewer than ``MIN_LITERAL_CHARS`` letters besides its wildcards
(``*a*``, ``**``) is searched as the letters it has. And every search has a :class:`Budget` of
time: collecting stops when it runs out, and the search returns what it found
so far, marked partial.
"""

from __future__ import annotations

import re
import time

from whoosh.collectors import TimeLimit
from whoosh.collectors import WrappingCollector
from whoosh.query import MultiTerm
from whoosh.query import NullQuery
from whoosh.query import Or
from whoosh.query import Query
from whoosh.query import Term
from whoosh.searching import Searcher

MAX_PLACES = 24  # regions (each with its side) in one choice: more than a body map's worth of pain
MAX_COMPLAINTS = 8
MAX_TERMS_PER_PATTERN = 10
MAX_TERMS_PER_QUERY = 30
MIN_LITERAL_CHARS = 3
SEARCH_SECONDS = 0.5  # the time budget of one search request
WILDCARDS = re.compile(r"[*?\[\]]")


class Budget:
    """The time one search may take; ``partial`` tells whether it ran out."""

    def __init__(self, seconds: float | None = None):
        self.deadline = time.monotonic() + (SEARCH_SECONDS if seconds is None else seconds)
        self.partial = False

    def spent(self) -> bool:
        """Whether the time is up (and so the answer is partial)."""
        if time.monotonic() >= self.deadline:
            self.partial = True
        return self.partial


def literal(pattern: str) -> str:
    """The pattern's letters without its wildcards."""
    return WILDCARDS.sub("", pattern)


def bound(query: Query, searcher: Searcher, budget: Budget) -> Query:
    """The query with every expanding term replaced by the index terms it matches, within the caps."""
    left = MAX_TERMS_PER_QUERY
    reader = searcher.reader()

    def expand(node: Query) -> Query:
        nonlocal left
        if not isinstance(node, MultiTerm):
            return node
        text = getattr(node, "text", None)
        if isinstance(text, str) and len(literal(text)) < MIN_LITERAL_CHARS:
            return Term(node.fieldname, literal(text), boost=node.boost) if literal(text) else NullQuery
        if left <= 0:
            return NullQuery
        field = reader.schema[node.fieldname]
        terms = []
        for btext in node._btexts(reader):  # Whoosh's own expansion, read lazily
            if len(terms) >= min(MAX_TERMS_PER_PATTERN, left) or budget.spent():
                break
            terms.append(Term(node.fieldname, field.from_bytes(btext)))
        left -= len(terms)
        return Or(terms, boost=node.boost) if terms else NullQuery

    return query.accept(expand)


class BudgetCollector(WrappingCollector):
    """Collects matches until the budget is spent, then stops with what it has."""

    def __init__(self, child, budget: Budget):
        super().__init__(child)
        self.budget = budget

    def collect_matches(self):
        for sub_docnum in self.child.matches():
            if self.budget.spent():
                raise TimeLimit
            self.child.collect(sub_docnum)


def search(searcher: Searcher, query: Query, limit: int, budget: Budget):
    """The best ``limit`` hits for the bounded query (with matched terms), or fewer if time ran out."""
    if budget.spent():
        return []
    collector = BudgetCollector(searcher.collector(limit=limit, terms=True), budget)
    try:
        searcher.search_with_collector(bound(query, searcher, budget), collector)
    except TimeLimit:
        pass  # the collector keeps what it found before the budget ran out
    # Iterate rather than call list(): list() asks the results for len(), which counts every match.
    return [hit for hit in collector.results()]
