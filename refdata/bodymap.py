"""The body figure: each region's drawn shape per view, where a trigger point's cross goes,
and the list of regions a map offers.

The geometry is data (``bodymap.json`` beside this module); regions are any
objects with ``id``, ``name``, ``view``, ``sided`` and ``parent`` (database rows
or the search atlas), keyed by id.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from collections.abc import Mapping
from pathlib import Path

FIGURE_FILE = Path(__file__).with_name("bodymap.json")
FIGURE = json.loads(FIGURE_FILE.read_text())


def lineage(regions: Mapping, region_id: str) -> list[str]:
    """The region and its ancestors, nearest first."""
    chain = []
    while region_id:
        chain.append(region_id)
        region_id = regions[region_id].parent
    return chain


def map_regions(regions: Mapping) -> list[dict]:
    """The region vocabulary a body map and its no-JavaScript form offer, each with its body area."""
    return [
        {
            "id": r.id,
            "name": r.name,
            "view": r.view,
            "sided": r.sided,
            "parent": r.parent,
            "area": lineage(regions, r.id)[-1],
        }
        for r in regions.values()
    ]


def leaf_regions(regions: Mapping, ids: Iterable[str]) -> set[str]:
    """Region ids with any area replaced by the regions drawn inside it (for shading a map)."""
    ids = set(ids)
    return {r for r in regions if ids.intersection(lineage(regions, r))}


def drawn(region_id: str) -> bool:
    """Whether the figure has a shape for the region."""
    return any(region_id in shapes for shapes in FIGURE["views"].values())


def marker(region_id: str | None) -> dict | None:
    """Where to draw a trigger point's cross: the middle of its site's shape (patient's right)."""
    for view, shapes in FIGURE["views"].items():
        shape = shapes.get(region_id)
        if shape:
            if shape[0] == "ellipse":
                return {"view": view, "x": shape[1], "y": shape[2]}
            points = [tuple(map(float, p.split(","))) for p in shape[1].split()]
            return {
                "view": view,
                "x": sum(p[0] for p in points) / len(points),
                "y": sum(p[1] for p in points) / len(points),
            }
    return None
