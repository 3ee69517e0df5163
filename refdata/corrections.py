"""Visitors' reports of mistakes, and the ``flask corrections`` commands editors use.

Reports are stored as plain text and never shown to other visitors; editors
read them in the terminal and fix the YAML.
"""

from __future__ import annotations

from datetime import UTC
from datetime import datetime

import click
from flask import Flask
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from refdata import db
from refdata.models import Correction


def report(page: str, message: str, reference: str | None) -> Correction:
    """Store one report about ``page`` (a path on this site)."""
    session = db.get_session()
    correction = Correction(page=page, message=message, reference=reference or None)
    session.add(correction)
    session.commit()
    return correction


@click.group("corrections", cls=AppGroup)
def corrections_cli() -> None:
    """Read and resolve the corrections visitors reported."""


def visitor_session():
    """A session on the visitor tables (no build needed); a one-line error if the database cannot be reached."""
    try:
        db.connect(current_app)
    except db.Unreachable as error:
        raise click.ClickException(str(error)) from None
    db.create_visitor_tables(current_app)
    return db.visitor_session(current_app)


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
        click.echo(f"#{c.id} [{state}] {c.created:%Y-%m-%d %H:%M} {c.page}")
        click.echo(f"    {c.message}")
        if c.reference:
            click.echo(f"    source: {c.reference}")
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


def init_app(app: Flask) -> None:
    """Register the ``flask corrections`` commands."""
    app.cli.add_command(corrections_cli)
