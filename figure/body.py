"""The body figure: each region's drawn shape per view, where each trigger point's cross goes, and the
selection map's views.

The geometry is data (``bodymap.json`` beside this module, written by :mod:`figure.draw`): per view a
viewBox, the body's outline, the lines that make a face read as one (``features``) and one SVG path per
region and side (``"calf:left"``; ``"sacrum"`` for a region without sides); per trigger point its site on
the patient's right (the view to use first, x, y, and its position on every view that shows its region),
and its zones (their regions, and the outlines drawn where the manuals' pattern is not whole regions).
Region names and parents come from refdata's ``regions.yaml``, the same file the database is built from.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from collections.abc import Mapping
from pathlib import Path

import yaml

import refdata

FIGURE_FILE = Path(__file__).with_name("bodymap.json")
REGIONS_FILE = refdata.FOLDER / "regions.yaml"
FIGURE = json.loads(FIGURE_FILE.read_text())
VIEWS = FIGURE["views"]
SITES = FIGURE["sites"]
ZONES = FIGURE["zones"]
VOCABULARY = {entry["id"]: entry for entry in yaml.safe_load(REGIONS_FILE.read_text())}
PARENTS = {region_id: entry.get("parent") for region_id, entry in VOCABULARY.items()}
DRAWN = {entry["region"] for view in VIEWS.values() for entry in view["regions"].values()}

SIDES = ("right", "left")
BODY_VIEWS = ("front", "back")
# The selection map's tabs: views shown together, side by side where they fit.
MAP_GROUPS = (
    ("body", "Whole body", ("front", "back")),
    ("head", "Head and neck", ("head",)),
    ("arms", "Arms", ("arms",)),
    ("knees", "Knees", ("knees",)),
    ("hands", "Hands", ("hand-palm", "hand-back")),
    ("feet", "Feet", ("foot-top", "foot-sole")),
)
SHORT_TITLES = {
    "front": "Front",
    "back": "Back",
    "head": "Head and neck",
    "arms": "Arms",
    "knees": "Knees",
    "hand-palm": "Palm",
    "hand-back": "Back of hand",
    "foot-top": "Top of foot",
    "foot-sole": "Sole",
}

# --- the region vocabulary -------------------------------------------------------------


def lineage(parents: Mapping[str, str | None], region_id: str) -> list[str]:
    """The region and its ancestors, nearest first (parents: region id -> its parent's id, or None)."""
    chain = []
    while region_id:
        chain.append(region_id)
        region_id = parents[region_id]
    return chain


def area(region_id: str) -> str:
    """The top-level body area a region belongs to."""
    return lineage(PARENTS, region_id)[-1]


def map_regions(regions: Mapping) -> list[dict]:
    """The region vocabulary a body map and its no-JavaScript form offer, each with its body area."""
    parents = {r.id: r.parent for r in regions.values()}
    return [
        {
            "id": r.id,
            "name": r.name,
            "view": r.view,
            "sided": r.sided,
            "parent": r.parent,
            "area": lineage(parents, r.id)[-1],
        }
        for r in regions.values()
    ]


def key(region_id: str, side: str | None) -> str:
    """The figure's key for a region on one side: ``calf:left``, or ``sacrum`` for a region without sides."""
    return f"{region_id}:{side}" if side and VOCABULARY[region_id].get("sided") else region_id


def drawn(region_id: str) -> bool:
    """Whether the figure has a shape for the region."""
    return region_id in DRAWN


def leaves(ids: Iterable[str]) -> list[str]:
    """The drawn regions inside the given ones (an area such as ``head`` stands for its regions)."""
    ids = set(ids)
    return [r for r in VOCABULARY if r in DRAWN and ids.intersection(lineage(PARENTS, r))]


def label(region_id: str, side: str | None) -> str:
    """A region's name with the patient's side: ``Calf (patient's left)``."""
    name = VOCABULARY[region_id]["name"]
    return f"{name} (patient's {side})" if side else name


# --- the selection map ---------------------------------------------------------------------


def selection_map() -> list[dict]:
    """The selection map's tabs: each a group of views, each view with its shapes (offered ones are targets)."""
    return [
        {
            "id": group,
            "title": title,
            "views": [
                {
                    "id": view,
                    "title": VIEWS[view]["title"],
                    "short": SHORT_TITLES[view],
                    "viewBox": VIEWS[view]["viewBox"],
                    "outline": VIEWS[view]["outline"],
                    "features": VIEWS[view]["features"],
                    "left": VIEWS[view]["viewer_left"],
                    "shapes": [
                        entry | {"key": shape_key, "label": label(entry["region"], entry["side"])}
                        for shape_key, entry in VIEWS[view]["regions"].items()
                    ],
                }
                for view in views
            ],
        }
        for group, title, views in MAP_GROUPS
    ]
