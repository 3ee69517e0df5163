"""Flashcards, one per trigger point (its referral map on the front; the muscle and its points behind), and
the same cards as an Anki deck."""

from __future__ import annotations

import html
import io
import itertools
import json
import sqlite3
import tempfile
import time
import zipfile

import genanki

from figure import thumbnail
from refdata import schema
from study.quiz import Bank
from study.quiz import innervation
from study.quiz import picture


def flashcards(bank: Bank) -> list[dict]:
    """One card per trigger point: its referral map on the front; the muscle, the point and the muscle's other
    points on the back. Points whose zones the figure cannot draw have no card."""
    cards = []
    for m in sorted(bank.subjects, key=lambda m: m.name):
        for t in m.trigger_points:
            if not picture(bank, t):
                continue
            cards.append(
                {
                    "id": t.slug,
                    "slug": m.slug,
                    "name": m.name,
                    "point": t.name,
                    "site": t.site,
                    "essential": t.regions("essential"),
                    "spillover": t.regions("spillover"),
                    "refers": [bank.name(r) for r in t.regions("essential")],
                    "spills": [bank.name(r) for r in t.regions("spillover")],
                    "other_points": [o.name for o in m.trigger_points if o.slug != t.slug],
                    "innervation": innervation(m),
                    "action": m.action,
                }
            )
    return cards


CARD_WIDTH = 230  # px: a card's map, legend included, fits a card of the page's narrowest column unscaled


def card_map(bank: Bank, card: dict) -> thumbnail.CompactMap:
    """A card's referral map as a standalone SVG document, with its legend, and its size."""
    essential = bank.drawn(card["essential"])
    spillover = bank.drawn(card["spillover"]) - essential
    described = f"Essential zone: {', '.join(card['refers'])}."
    if card["spills"]:
        described += f" Spillover zone: {', '.join(card['spills'])}."
    return thumbnail.compact_map(
        sorted(essential),
        sorted(spillover),
        [card["id"]],
        "Which muscle refers pain here?",
        described,
        max_width=CARD_WIDTH,
        legend=True,
    )


# Anki identifies a note type and a deck by a number; keep them fixed so a re-imported deck updates in place.
ANKI_MODEL_ID = 1_733_402_611
ANKI_DECK_BASE_ID = 2_059_400_000
ANKI_MODEL = genanki.Model(
    ANKI_MODEL_ID,
    "Trigger Point Atlas referral map",
    fields=[{"name": "Map"}, {"name": "Muscle"}, {"name": "Point"}, {"name": "Zones"}, {"name": "Other points"}],
    templates=[
        {
            "name": "Map to muscle",
            "qfmt": "<p>Which muscle refers pain here?</p>{{Map}}",
            "afmt": "{{FrontSide}}<hr id=answer><h2>{{Muscle}}</h2><p>{{Point}}</p><p>{{Zones}}</p>"
            "<p>{{Other points}}</p>",
        }
    ],
    css=".card { font-family: sans-serif; text-align: center; } img { max-width: 100%; height: auto; }",
)


def anki_package(bank: Bank, area: str | None) -> bytes:
    """The flashcards of ``bank`` as an Anki package (.apkg): one note per card, its map as an SVG image."""
    title = schema.BODY_AREAS.get(area, "All body areas")
    position = list(schema.BODY_AREAS).index(area) + 1 if area else 0
    deck = genanki.Deck(ANKI_DECK_BASE_ID + position, f"Trigger Point Atlas::{title}")
    with tempfile.TemporaryDirectory() as folder:
        media = []
        for card in flashcards(bank):
            image = f"tpa-{card['id']}.svg"
            path = f"{folder}/{image}"
            with open(path, "w", encoding="utf-8") as file:
                file.write(card_map(bank, card).svg)
            media.append((image, path))
            zones = f"Essential: {', '.join(card['refers'])}."
            if card["spills"]:
                zones += f" Spillover: {', '.join(card['spills'])}."
            others = f"Its other points: {', '.join(card['other_points'])}." if card["other_points"] else ""
            # Fields are HTML: the map is our own <img> tag, the rest is text.
            text = [html.escape(f) for f in (card["name"], card["point"], zones, others)]
            deck.add_note(
                genanki.Note(
                    model=ANKI_MODEL, fields=[f'<img src="{image}">', *text], guid=genanki.guid_for(card["id"])
                )
            )
        # genanki's own write_to_file leaves its temporary database behind; build it in our folder instead.
        database = f"{folder}/collection.anki2"
        connection = sqlite3.connect(database)
        timestamp = time.time()
        genanki.Package(deck).write_to_db(connection.cursor(), timestamp, itertools.count(int(timestamp * 1000)))
        connection.commit()
        connection.close()
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
            package.write(database, "collection.anki2")
            package.writestr("media", json.dumps({str(i): name for i, (name, _) in enumerate(media)}))
            for i, (_, path) in enumerate(media):
                package.write(path, str(i))
    return buffer.getvalue()
