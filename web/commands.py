"""The ``flask`` commands operators and editors use: ``refdata check|coverage``, ``build`` and
``corrections list|resolve``."""

from __future__ import annotations

import unicodedata
from datetime import UTC
from datetime import datetime
from pathlib import Path

import click
from flask import Flask
from flask import current_app
from flask.cli import AppGroup
from flask.cli import with_appcontext
from sqlalchemy import select

from refdata import check
from refdata import schema
from refdata.db import Unreachable
from refdata.load import read
from refdata.models import Correction
from search import build
from search import live


def init_app(app: Flask) -> None:
    """Register the commands with the app's CLI."""
    app.cli.add_command(refdata_cli)
    app.cli.add_command(build_command)
    app.cli.add_command(corrections_cli)


def connected():
    """The app's databases, or a one-line error if the database cannot be reached."""
    database = live.database()
    try:
        database.connect()
    except Unreachable as error:
        raise click.ClickException(str(error)) from None
    return database


# --- refdata --------------------------------------------------------------------------------


@click.group("refdata", cls=AppGroup)
def refdata_cli() -> None:
    """Check and summarise the reference data in refdata/."""


@refdata_cli.command("check")
def check_command() -> None:
    """Validate every file; print each problem; exit 1 if there is any."""
    found = check.problems(Path(current_app.config["REFDATA_DIR"]))
    for problem in found:
        click.echo(str(problem))
    if found:
        raise click.exceptions.Exit(1)
    click.echo("refdata: no problems found")


@refdata_cli.command("coverage")
@click.option("--fewest", default=10, show_default=True, help="How many of the least-covered regions to list.")
def coverage_command(fewest: int) -> None:
    """Print counts per body area and the regions with the fewest muscles."""
    data = read(Path(current_app.config["REFDATA_DIR"]))
    muscles = data.items(schema.Muscle)
    click.echo(f"{'body area':32} {'muscles':>8} {'trigger points':>15}")
    for area, label in schema.BODY_AREAS.items():
        group = [m for m in muscles if m.area == area]
        click.echo(f"{label:32} {len(group):>8} {sum(len(m.trigger_points) for m in group):>15}")
    click.echo(f"{'total':32} {len(muscles):>8} {sum(len(m.trigger_points) for m in muscles):>15}")
    click.echo(f"regions: {len(data.items(schema.Region))}")
    referring = check.coverage(data)
    thin = check.thin_regions(referring, {r.id: r for r in data.items(schema.Region)})
    ranked = sorted(referring, key=lambda r: (len(referring[r]), r))
    click.echo("\nregions with the fewest muscles referring there:")
    for region in ranked[:fewest]:
        sourced = thin.get(region, False)
        click.echo(
            f"  {region:28} {len(referring[region]):>3}"
            + ("  (below 3 by the sources; see its note)" if sourced else "")
        )
    unexplained = ", ".join(r for r in ranked if r in thin and not thin[r]) or "none"
    click.echo(f"\nregions under {check.MIN_MUSCLES_PER_REGION} muscles without a sourced note: {unexplained}")


# --- build ----------------------------------------------------------------------------------


@click.command("build")
@with_appcontext
def build_command() -> None:
    """Load refdata/ into the reference tables and build the search index."""
    connected()
    with build.build_lock(current_app):
        build.build(current_app, progress=click.progressbar)
    click.echo("Built the database and the search index.")


# --- corrections ----------------------------------------------------------------------------


@click.group("corrections", cls=AppGroup)
def corrections_cli() -> None:
    """Read and resolve the corrections visitors reported."""


def visitor_session():
    """A session on the visitor tables (no build needed)."""
    database = connected()
    database.create_visitor_tables()
    return database.visitor_session()


def shown(text: str) -> str:
    """Visitor text made safe for a terminal: each line indented under its report, and every other control or
    invisible formatting character (an escape sequence's ESC, a bidirectional override) written as its code."""
    lines = text.replace("\r\n", "\n").split("\n")
    return "\n    ".join(
        "".join(ch if unicodedata.category(ch)[0] != "C" else ch.encode("unicode_escape").decode() for ch in line)
        for line in lines
    )


@corrections_cli.command("list")
@click.option("--all", "show_all", is_flag=True, help="Include resolved reports.")
def list_command(show_all: bool) -> None:
    """Print open reports, oldest first."""
    with visitor_session() as session:
        query = select(Correction).order_by(Correction.created)
        if not show_all:
            query = query.where(Correction.resolved.is_(None))
        rows = session.scalars(query).all()
    for c in rows:
        state = f"resolved {c.resolved:%Y-%m-%d}" if c.resolved else "open"
        click.echo(f"#{c.id} [{state}] {c.created:%Y-%m-%d %H:%M} {shown(c.page)}")
        click.echo(f"    {shown(c.message)}")
        if c.reference:
            click.echo(f"    source: {shown(c.reference)}")
    if not rows:
        click.echo("No open corrections." if not show_all else "No corrections.")


@corrections_cli.command("resolve")
@click.argument("correction_id", type=int)
def resolve_command(correction_id: int) -> None:
    """Mark report ID as resolved."""
    with visitor_session() as session, session.begin():
        correction = session.get(Correction, correction_id)
        if correction is None:
            raise click.ClickException(f"No correction #{correction_id}.")
        correction.resolved = datetime.now(UTC)
    click.echo(f"Resolved #{correction_id}.")
