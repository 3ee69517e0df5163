"""Curated reference data: the YAML files in this folder, their schema, the checker and the loader.

The YAML is the single source of truth. ``flask refdata check`` validates it
(:mod:`refdata.schema` per entry, :mod:`refdata.check` across files);
``flask build`` loads it into the database (:mod:`refdata.load`,
:mod:`refdata.models`) and the search index. The database is a build output.
"""

from pathlib import Path

FOLDER = Path(__file__).parent  # the YAML files
