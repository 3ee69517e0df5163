"""The whole atlas as two downloads, made by each build into its folder (never per request).

``trigger-point-atlas-VERSION.sqlite`` holds the reference tables exactly as the site reads them;
``trigger-point-atlas-VERSION-datapackage.zip`` is a Frictionless Data Package: ``datapackage.json`` (each table's
schema with its keys, the licence, the sources and the ontology releases) and one CSV per table, written from that
SQLite file so the two always agree. VERSION names the data: it changes when the data or the tables' shape does.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from pathlib import Path

from sqlalchemy import JSON
from sqlalchemy import Boolean
from sqlalchemy import Integer
from sqlalchemy import create_engine
from sqlalchemy import select

from refdata import models
from refdata.load import Dataset
from refdata.load import load

NAME = "trigger-point-atlas"
TITLE = "Trigger Point Atlas"
LICENCE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
DESCRIPTION = (
    "Muscles, their myofascial trigger points, where those points refer pain, needling hazards, treatments with "
    "graded evidence, red flags and the body-map regions, each statement with its source. Referral maps are expert "
    "clinical descriptions, not diagnostic tests. Not medical advice."
)
FIELD_TYPES = ((Boolean, "boolean"), (Integer, "integer"))  # any other column but JSON is a string
PACKAGE_FILE = "datapackage.json"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # every member's date (a zip needs one); the package says when it was built


def version(stamp: str) -> str:
    """The data version: twelve hex digits of the build's data fingerprint (the same data, the same version)."""
    return hashlib.sha256(stamp.encode()).hexdigest()[:12]


def file_names(data_version: str) -> dict[str, str]:
    """The download files of one data version, by kind."""
    return {"sqlite": f"{NAME}-{data_version}.sqlite", "package": f"{NAME}-{data_version}-datapackage.zip"}


def latest_names() -> dict[str, str]:
    """The unversioned names, which always lead to the current version's files, by kind."""
    return {"sqlite": f"{NAME}.sqlite", "package": f"{NAME}-datapackage.zip"}


def write(folder: Path, data: Dataset, stamp: str) -> None:
    """Write both downloads of the checked ``data`` into the build ``folder``."""
    names = file_names(version(stamp))
    database = folder / names["sqlite"]
    engine = create_engine(f"sqlite:///{database}")
    try:
        with engine.begin() as connection:
            load(connection, data, stamp)
        with engine.connect() as connection:
            tables = {t.name: [dict(row._mapping) for row in connection.execute(select(t))] for t in tables_in_order()}
    finally:
        engine.dispose()
    (folder / names["package"]).write_bytes(package_zip(tables, version(stamp)))


def tables_in_order() -> list:
    """The reference tables, each after the tables it refers to."""
    return list(models.Reference.metadata.sorted_tables)


def package_zip(tables: dict[str, list[dict]], data_version: str) -> bytes:
    """The data package as a zip: its descriptor and one CSV per table."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        descriptor = descriptor_for(tables, data_version)
        archive.writestr(zipfile.ZipInfo(PACKAGE_FILE, ZIP_TIME), json.dumps(descriptor, indent=1, ensure_ascii=False))
        for table in tables_in_order():
            archive.writestr(zipfile.ZipInfo(f"{table.name}.csv", ZIP_TIME), csv_text(table, tables[table.name]))
    return buffer.getvalue()


def csv_text(table, rows: list[dict]) -> str:
    """One table as CSV: JSON columns as JSON text, booleans as true/false, nulls empty."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c.name for c in table.columns])
    for row in rows:
        writer.writerow([cell(row[c.name]) for c in table.columns])
    return out.getvalue()


def cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def field_type(column, rows: list[dict]) -> str:
    """The Table Schema type of a column; a JSON column holds objects or arrays, as its values show."""
    if isinstance(column.type, JSON):
        first = next((r[column.name] for r in rows if r[column.name] is not None), [])
        return "object" if isinstance(first, dict) else "array"
    return next((name for kind, name in FIELD_TYPES if isinstance(column.type, kind)), "string")


def schema_of(table, rows: list[dict]) -> dict:
    """A table's Table Schema: fields, primary key and foreign keys (a reference to its own table by "")."""
    fields = []
    for column in table.columns:
        field = {"name": column.name, "type": field_type(column, rows)}
        if not column.nullable:
            field["constraints"] = {"required": True}
        fields.append(field)
    foreign_keys = [
        {
            "fields": fk.parent.name,
            "reference": {
                "resource": "" if fk.column.table is table else fk.column.table.name,
                "fields": fk.column.name,
            },
        }
        for fk in sorted(table.foreign_keys, key=lambda fk: fk.parent.name)
    ]
    schema = {"fields": fields, "primaryKey": [c.name for c in table.primary_key.columns]}
    return schema | ({"foreignKeys": foreign_keys} if foreign_keys else {})


def descriptor_for(tables: dict[str, list[dict]], data_version: str) -> dict:
    """``datapackage.json``: what the package is, its licence and sources, and every table's schema."""
    ontologies = [
        {"title": f"{o['name']}, release {o['release']}", "path": o["url"]}
        for o in tables[models.Ontology.__tablename__]
    ]
    works = [
        {"title": s["citation"]} | ({"path": f"https://doi.org/{s['doi']}"} if s["doi"] else {})
        for s in tables[models.Source.__tablename__]
    ]
    return {
        "name": NAME,
        "title": TITLE,
        "version": data_version,
        "description": DESCRIPTION,
        "created": next(r["value"] for r in tables[models.BuildInfo.__tablename__] if r["key"] == "built"),
        "licenses": [LICENCE],
        "sources": ontologies + works,
        "resources": [
            {
                "name": table.name,
                "path": f"{table.name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": schema_of(table, tables[table.name]),
            }
            for table in tables_in_order()
        ],
    }
