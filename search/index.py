"""The Whoosh index: its schema, the documents it holds, building and opening it.

Each build writes a complete new index into its own folder under the index
root (beside the build's reference tables, see :mod:`search.build`), then
swaps the ``current`` symlink to it in one atomic rename, so a running site
keeps answering from the old build until that moment. Readers notice the swap
on their next request and reopen. Each searcher reads the index into memory
when it opens: searching then reads no file, and a damaged file raises an
error instead of killing the worker, as memory mapping would (SIGBUS).
"""

from __future__ import annotations

import os
import shutil
import threading
import time
import weakref
from collections.abc import Iterable
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from flask import g
from flask import has_request_context
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
from whoosh.filedb.filestore import RamStorage
from whoosh.lang import porter
from whoosh.searching import Searcher

from refdata import models
from refdata.records import INVASIVE
from search.words import PAIN_WORDS
from search.words import STOP_WORDS

CURRENT = "current"
BUILD_PREFIX = "build-"
DAMAGED_PREFIX = "damaged-"
INDEX_FILES = ("*.toc", "*.seg")  # Whoosh's own files in a build folder
STAMP_FILE = "fingerprint"
LIVE_FOLDER = "live_index_folder"  # where a request keeps the build it started on (in ``flask.g``)
# Bump when the schema or analysis changes, so existing indexes are rebuilt on the next start.
SCHEMA_VERSION = "7"

STEM_CACHE = 100_000  # words whose stems are remembered: the documents' words repeat


@lru_cache(maxsize=STEM_CACHE)
def stem(word: str) -> str:
    """Porter's stem of ``word``, remembered by functools (Whoosh's own cache costs about as much as it saves)."""
    return porter.stem(word)


# Searchable text is stemmed, so "headaches" finds "headache". Stop words, and the pain words nearly every
# document here contains, cannot tell results apart: they only slow the search down.
ANALYZER = StemmingAnalyzer(stoplist=STOP_WORDS | PAIN_WORDS, stemfn=stem, cachesize=None)

# Fields patients never see on a page, so a patient's search neither matches nor quotes them.
PRACTITIONER_FIELDS = frozenset({"technique"})

SCHEMA = Schema(
    key=ID(stored=True, unique=True),
    kind=ID(stored=True),
    slug=ID(stored=True),
    title=TEXT(analyzer=ANALYZER, stored=True),
    # Snippets come from these three; each word's place in the text is kept so a snippet needs no second analysis.
    names=TEXT(analyzer=ANALYZER, stored=True, chars=True),  # aliases, Latin and lay names
    symptoms=TEXT(analyzer=ANALYZER, stored=True, chars=True),
    places=TEXT(analyzer=ANALYZER),  # the regions referred to, with the words people use for them
    body=TEXT(analyzer=ANALYZER, stored=True, chars=True),
    # How a practitioner finds or gives it: palpation, needling and manipulation detail (PRACTITIONER_FIELDS).
    technique=TEXT(analyzer=ANALYZER, stored=True, chars=True),
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
                "body": t.location,
                "technique": t.palpation,
                "area": m.area,
                "regions": ",".join(sorted(zones)),
                "muscle_slug": m.slug,
                "muscle_name": m.name,
            }
    for t in session.scalars(select(models.Treatment)):
        shown = [c.detail for c in t.components if c.kind not in INVASIVE]
        yield {
            "key": f"treatment/{t.slug}",
            "kind": "treatment",
            "slug": t.slug,
            "title": t.name,
            "places": _region_words(t.regions),
            "body": " ".join([t.presentation, t.rationale, *shown]),
            "technique": " ".join(c.detail for c in t.components if c.kind in INVASIVE),
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


def new_folder(root: Path) -> Path:
    """An empty folder for a new build, beside the live one."""
    root.mkdir(parents=True, exist_ok=True)
    folder = root / f"{BUILD_PREFIX}{time.time_ns()}"
    folder.mkdir()
    return folder


def write_index(folder: Path, docs: Iterable[dict], progress=lambda n: None) -> None:
    """Write the index of ``docs`` into ``folder``."""
    ix = whoosh_index.create_in(str(folder), SCHEMA)
    with ix.writer() as writer:
        for doc in docs:
            writer.add_document(**doc)
            progress(1)


def swap(root: Path, folder: Path) -> None:
    """Make ``folder`` the live build in one atomic rename; remove builds older than the one it replaces.

    The replaced build stays for requests that started on it.
    """
    previous = current_folder(root)
    link = root / f"{CURRENT}.{folder.name}"
    os.symlink(folder.name, link)
    os.replace(link, root / CURRENT)
    for old in root.iterdir():
        if old.name.startswith(BUILD_PREFIX) and old not in (folder, previous):
            shutil.rmtree(old, ignore_errors=True)


def set_aside(root: Path, folder: Path) -> Path:
    """Move a damaged build out of the way (kept for a look, until the next one is set aside)."""
    for old in root.glob(f"{DAMAGED_PREFIX}*"):
        shutil.rmtree(old, ignore_errors=True)
    aside = root / f"{DAMAGED_PREFIX}{folder.name}"
    os.replace(folder, aside)
    return aside


def current_folder(root: Path) -> Path | None:
    """The live build's folder, or None before the first build."""
    link = root / CURRENT
    return root / os.readlink(link) if link.is_symlink() else None


def open_index(folder: Path):
    """The index in ``folder``, read into memory (its own files, not the reference tables beside them)."""
    storage = RamStorage()
    for pattern in INDEX_FILES:
        for path in folder.glob(pattern):
            with storage.create_file(path.name) as copy:
                copy.write(path.read_bytes())
    return storage.open_index()


class OpenSearcher:
    """A thread's searcher on one build, closed when replaced or dropped (so its files never linger open)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.searcher = open_index(folder).searcher()
        self.close = weakref.finalize(self, self.searcher.close)


class IndexReader:
    """Hands out a searcher on the current index, one per thread, reopened after a swap."""

    def __init__(self, root: Path):
        self.root = root
        self._local = threading.local()
        self._stamps: dict[str, str] = {}  # by the folder's path as text: a request's Path is a new object

    def folder(self) -> Path:
        """The live build's folder; FileNotFoundError if there is none. Looked up once per request, so a
        request uses one build from start to end (a swap meanwhile is for the next request)."""
        kept = g.get(LIVE_FOLDER) if has_request_context() else None
        if kept is not None:
            return kept
        folder = current_folder(self.root)
        if folder is None or not folder.is_dir():
            raise FileNotFoundError(f"no search index in {self.root}: run `flask build`")
        if has_request_context():
            setattr(g, LIVE_FOLDER, folder)
        return folder

    def replaced(self) -> bool:
        """Whether the build this request started on is no longer the live one (a build swapped in, or it was
        set aside as damaged)."""
        return has_request_context() and g.get(LIVE_FOLDER) not in (None, current_folder(self.root))

    def searcher(self) -> Searcher:
        folder = self.folder()
        held = getattr(self._local, "held", None)
        if held is None or held.folder != folder:
            self._local.held = None
            if held is not None:
                held.close()
            self._local.held = OpenSearcher(folder)
        return self._local.held.searcher

    def stamp(self, folder: Path) -> str:
        """The fingerprint of the data the build in ``folder`` was made from."""
        stamp = self._stamps.get(str(folder))
        if stamp is None:
            stamp = self._stamps[str(folder)] = (folder / STAMP_FILE).read_text()
        return stamp

    @property
    def generation(self) -> str:
        """The current build's data fingerprint ("" before the first build): keys caches of pages and
        results, so servers built from the same data share them."""
        try:
            return self.stamp(self.folder())
        except FileNotFoundError:
            return ""
