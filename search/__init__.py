"""Search by name, symptom or where it hurts.

:mod:`search.index` builds the Whoosh index from the database and swaps it
in; :mod:`search.query` runs free-text queries against it; and
:mod:`search.locate` turns places (from the body map or from words) into
ranked, explained muscles and the red flags to show first. Views call these
modules; nothing outside this package imports Whoosh.
"""
