"""Search by name, symptom or where it hurts.

What the package offers (:mod:`search.answers`): :func:`search_text` for free
text and :func:`search_places` for places chosen on the body map, both returning
plain dicts with the public field names, and :class:`QueryError` for input they
refuse, and :func:`reader_country` for the emergency number a page names. Inside:
:mod:`search.locate` reads a phrase and turns words and places into ranked,
explained muscles; :mod:`search.flags` (with :mod:`search.context`) reads the
findings a phrase describes in their context and applies the red flags' rules;
with :mod:`search.spelling` (the speller) and :mod:`search.words` (the closed word lists); :mod:`search.query`
runs free text against the Whoosh index; :mod:`search.index` writes and opens that index; and
:mod:`search.build` builds the database and the index from refdata/. Nothing
outside this package imports Whoosh.
"""

from search.answers import QueryError
from search.answers import atlas
from search.answers import muscle_pattern
from search.answers import reader_country
from search.answers import search_places
from search.answers import search_text

__all__ = ["QueryError", "atlas", "muscle_pattern", "reader_country", "search_places", "search_text"]
