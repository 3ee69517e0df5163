"""Growth without cliffs: the work of the build grows with the data, not faster (counted, never timed)."""

import importlib.util
import json
import logging
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from refdata import check
from refdata import load
from refdata import schema
from refdata.load import Dataset
from refdata.load import Entry
from search import answers
from search import flags
from search import locate

ROOT = Path(__file__).parent.parent
REFDATA = ROOT / "refdata"
GROWN = 16  # copies of every muscle in the synthetic set
LINEAR = 20  # the checker's work on the grown set, at most this many times its work on the real one
SAMPLE = 40  # phrases of the public relevance set ranked both ways


@pytest.fixture(scope="module")
def data():
    return load.read(REFDATA)


def grown(data: Dataset, factor: int) -> Dataset:
    """``data`` with every muscle (its trigger points and hazards) there ``factor`` times, under new names."""
    entries = {model: list(group) for model, group in data.entries.items()}
    for n in range(2, factor + 1):
        for entry in data.entries[schema.Muscle]:
            m = entry.item
            points = [t.model_copy(update={"slug": f"{t.slug}-copy{n}"}) for t in m.trigger_points]
            copy = m.model_copy(
                update={
                    "slug": f"{m.slug}-copy{n}",
                    "name": f"{m.name} copy {n}",
                    "latin": f"{m.latin} copy {n}",
                    "aliases": [f"{a} copy {n}" for a in m.aliases],
                    "identifiers": schema.Identifiers(note="A synthetic copy."),
                    "trigger_points": points,
                }
            )
            entries[schema.Muscle].append(Entry(entry.file, copy))
        for entry in data.entries[schema.Hazard]:
            hazard = entry.item.model_copy(update={"muscle": f"{entry.item.muscle}-copy{n}"})
            entries[schema.Hazard].append(Entry(entry.file, hazard))
    return Dataset(entries, list(data.problems))


def checker_work(data: Dataset) -> tuple[int, list]:
    """The lines of refdata/check.py run while checking ``data`` (each pass of a loop counts), and the problems."""
    lines = 0

    def count(frame, event, arg):
        nonlocal lines
        lines += event == "line"
        return count

    sys.settrace(lambda frame, event, arg: count if frame.f_code.co_filename == check.__file__ else None)
    try:
        problems = check.Checker(data).run()
    finally:
        sys.settrace(None)
    return lines, problems


def test_the_checker_does_linear_work_on_data_grown_16_times(data):
    real, found = checker_work(data)
    assert found == []
    big, found = checker_work(grown(data, GROWN))
    assert found == [], found[:5]
    assert big <= LINEAR * real, f"{big / real:.1f}x the work for {GROWN}x the data"


def test_yaml_is_read_with_libyaml_when_it_is_there(data, monkeypatch):
    expected = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader
    assert load.YAML_LOADER is expected
    used = set()
    original = yaml.load
    monkeypatch.setattr(yaml, "load", lambda stream, Loader: used.add(Loader) or original(stream, Loader))
    assert load.read(REFDATA).entries.keys() == data.entries.keys()
    assert used == {expected}


def test_a_worker_makes_the_atlas_before_its_first_request(app, monkeypatch):
    spec = importlib.util.spec_from_file_location("gunicorn_conf", ROOT / "gunicorn.conf.py")
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    assert "atlas" not in app.extensions
    conf.post_worker_init(SimpleNamespace(wsgi=app, log=logging.getLogger("gunicorn.error")))
    assert "atlas" in app.extensions

    def refused(session):
        raise AssertionError("made during a request")

    monkeypatch.setattr(locate, "load_atlas", refused)
    monkeypatch.setattr(flags, "load_signs", refused)
    client = app.test_client()
    assert client.get("/api/search", query_string={"q": "pain behind my knee"}).status_code == 200
    assert client.get("/api/locate", query_string={"region": "knee-back"}).status_code == 200


class CountedLookups(dict):
    """A dict that notes each key looked up with ``get``."""

    def __init__(self, items: dict, looked_up: list):
        super().__init__(items)
        self.looked_up = looked_up

    def get(self, key, default=None):
        self.looked_up.append(key)
        return super().get(key, default)


def counted(calls: list, original):
    """``original``, noting the arguments of each call in ``calls``."""
    return lambda *args: calls.append(args) or original(*args)


def test_ranking_puts_in_order_only_what_it_shows_and_shows_the_same(app, monkeypatch):
    phrases = [c["query"] for c in json.loads((ROOT / "bench" / "data" / "location_queries.json").read_text())["cases"]]
    with app.app_context():
        the_atlas = answers.atlas()
        for phrase in phrases[:: max(1, len(phrases) // SAMPLE)]:
            chosen = locate.resolve(phrase, the_atlas)
            whole = locate.rank(chosen, the_atlas)
            for count in (1, 5, 20):
                assert locate.rank(chosen, the_atlas, count)[:count] == whole[:count], (phrase, count)
            for area in {the_atlas.areas[r.muscle] for r in whole}:
                in_area = [r for r in whole if the_atlas.areas[r.muscle] == area]
                ranked = [r for r in locate.rank(chosen, the_atlas, 3, area) if the_atlas.areas[r.muscle] == area]
                assert ranked[:3] == in_area[:3], (phrase, area)
        # The widest place: which zone explains each place and how far each pattern reaches are worked out for the
        # few that can be first, not for all; what each muscle earns at a place is made once per build.
        widest = max((locate.resolve(p, the_atlas) for p in phrases), key=lambda s: len(locate.rank(s, the_atlas)))
        reached, matched, credited = [], [], []
        monkeypatch.setattr(locate, "_reach", counted(reached, locate._reach))
        monkeypatch.setattr(locate, "_best_match", counted(matched, locate._best_match))
        monkeypatch.setattr(the_atlas, "zones_by_region", CountedLookups(the_atlas.zones_by_region, credited))
        candidates = len(locate.rank(widest, the_atlas, 1))
        assert candidates > 20 and len(reached) < candidates / 2, (len(reached), candidates)
        assert len(matched) <= len(reached) * len(widest.regions), (len(matched), len(reached))
        assert not credited  # the places' credits were made by the rankings before
