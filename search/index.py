"""The Whoosh index: its schema, the documents it holds, building and opening it.

Each build writes a complete new index into its own folder under the index
root, then swaps the ``current`` symlink to it in one atomic rename, so a
running site keeps answering from the old index until that moment. Readers
notice the swap on their next request and reopen.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterable
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import selectinload
from whoosh import index as whoosh_index
from whoosh.analysis import StemmingAnalyzer
from whoosh.fields import ID
from whoosh.fields import KEYWORD
from whoosh.fields import STORED
from whoosh.fields import TEXT
from whoosh.fields import Schema
from whoosh.searching import Searcher

from refdata import models
from search.words import PAIN_WORDS
from search.words import STOP_WORDS

CURRENT = "current"
# Bump when the schema or analysis changes, so existing indexes are rebuilt on the next start.
SCHEMA_VERSION = "5"

# Searchable text is stemmed, so "headaches" finds "headache". Stop words, and the pain words nearly every
# document here contains, cannot tell results apart: they only slow the search down.
ANALYZER = StemmingAnalyzer(stoplist=STOP_WORDS | PAIN_WORDS)

SCHEMA = Schema(
    key=ID(stored=True, unique=True),
    kind=ID(stored=True),
    slug=ID(stored=True),
    title=TEXT(analyzer=ANALYZER, stored=True),
    names=TEXT(analyzer=ANALYZER, stored=True),  # aliases, Latin and lay names
    symptoms=TEXT(analyzer=ANALYZER, stored=True),
    places=TEXT(analyzer=ANALYZER),  # the regions referred to, with the words people use for them
    body=TEXT(analyzer=ANALYZER, stored=True),
    area=KEYWORD(stored=True),
    regions=KEYWORD(stored=True, commas=True),
    muscle_slug=STORED,
    muscle_name=STORED,
)


def _region_words(regions: Iterable[models.Region]) -> str:
    return " ".join(f"{r.name} {' '.join(r.words)}" for r in regions)


def documents(session: Session) -> Iterator[dict]:
    """One flat document per muscle, trigger point, treatment, region and complaint."""
    regions = {r.id: r for r in session.scalars(select(models.Region))}
    muscles = session.scalars(
        select(models.Muscle).options(
            selectinload(models.Muscle.trigger_points).selectinload(models.TriggerPoint.zones)
        )
    )
    for m in muscles:
        referred = {z.region_id for t in m.trigger_points for z in t.zones}
        yield {
            "key": f"muscle/{m.slug}",
            "kind": "muscle",
            "slug": m.slug,
            "title": m.name,
            "names": " ".join([m.latin, *m.aliases, *m.lay]),
            "symptoms": " ".join(s for t in m.trigger_points for s in t.symptoms),
            "places": _region_words(regions[r] for r in referred),
            "body": f"{m.action} {m.origin} {m.insertion} {m.nerve}",
            "area": m.area,
            "regions": ",".join(sorted(referred)),
            "muscle_slug": m.slug,
            "muscle_name": m.name,
        }
        for t in m.trigger_points:
            zones = {z.region_id for z in t.zones}
            yield {
                "key": f"trigger_point/{t.slug}",
                "kind": "trigger_point",
                "slug": t.slug,
                "title": f"{m.name}: {t.name}",
                "names": " ".join([*m.aliases, *m.lay]),
                "symptoms": " ".join(t.symptoms),
                "places": _region_words(regions[r] for r in zones),
                "body": f"{t.location} {t.palpation}",
                "area": m.area,
                "regions": ",".join(sorted(zones)),
                "muscle_slug": m.slug,
                "muscle_name": m.name,
            }
    for t in session.scalars(select(models.Treatment)):
        yield {
            "key": f"treatment/{t.slug}",
            "kind": "treatment",
            "slug": t.slug,
            "title": t.name,
            "places": _region_words(t.regions),
            "body": f"{t.presentation} {t.rationale} " + " ".join(c.detail for c in t.components),
            "regions": ",".join(r.id for r in t.regions),
        }
    for r in regions.values():
        yield {
            "key": f"region/{r.id}",
            "kind": "region",
            "slug": r.id,
            "title": r.name,
            "places": " ".join(r.words),
            "body": r.name,
            "regions": r.id,
        }
    for c in session.scalars(select(models.Complaint)):
        yield {
            "key": f"complaint/{c.slug}",
            "kind": "complaint",
            "slug": c.slug,
            "title": c.name,
            "names": " ".join(c.words),
            "places": _region_words(c.regions),
            "body": c.note,
            "regions": ",".join(r.id for r in c.regions),
        }


def build_index(root: Path, docs: Iterable[dict], progress=lambda n: None) -> Path:
    """Write a new index beside the live one, then atomically make it current."""
    root.mkdir(parents=True, exist_ok=True)
    folder = root / f"build-{time.time_ns()}"
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), SCHEMA)
    with ix.writer() as writer:
        for doc in docs:
            writer.add_document(**doc)
            progress(1)
    link = root / f"{CURRENT}.{folder.name}"
    os.symlink(folder.name, link)
    os.replace(link, root / CURRENT)
    for old in root.iterdir():
        if old.name.startswith("build-") and old != folder:
            shutil.rmtree(old, ignore_errors=True)
    return folder


def current_folder(root: Path) -> Path | None:
    """The live index folder, or None before the first build."""
    link = root / CURRENT
    return root / os.readlink(link) if link.is_symlink() else None


class IndexReader:
    """Hands out a searcher on the current index, one per thread, reopened after a swap."""

    def __init__(self, root: Path):
        self.root = root
        self._local = threading.local()

    def searcher(self) -> Searcher:
        folder = current_folder(self.root)
        if folder is None:
            raise FileNotFoundError(f"no search index in {self.root}: run `flask build`")
        local = self._local
        if getattr(local, "folder", None) != folder:
            if getattr(local, "searcher", None) is not None:
                local.searcher.close()
            local.searcher = whoosh_index.open_dir(str(folder)).searcher()
            local.folder = folder
        return local.searcher

    @property
    def generation(self) -> str:
        """Changes whenever a new index is swapped in; keys caches of search results."""
        folder = current_folder(self.root)
        return folder.name if folder else ""
