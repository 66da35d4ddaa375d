"""Options shared by several commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def checked_database(value: str | None) -> str | None:
    """``--db`` as given, refused when it (or, without it, ``$RIVALSCOPE_DATABASE_URL``) is
    blank or an in-memory SQLite database: each command is its own process, so whatever it
    wrote there would be lost when it ends (an import said "1 new review" and kept none)."""
    import os

    from sqlalchemy.engine import make_url

    from storage.db import DATABASE_URL_ENV, DatabaseError
    from storage.dialects import dialect_of

    if value is not None:
        if not value.strip():
            raise typer.BadParameter("the database URL is empty", param_hint="--db")
        where, url = value, value
    else:
        url = os.environ.get(DATABASE_URL_ENV, "")
        where = f"{DATABASE_URL_ENV}={url}"
        if not url:
            return None  # the default file
    try:
        parsed = make_url(url)
    except Exception:  # not a URL at all: opening it says why
        return value
    in_memory = dialect_of(parsed).name == "sqlite" and not dialect_of(parsed).database_file(parsed)
    if in_memory:
        message = (
            f"{where} is an in-memory database: what a command writes there is lost when it "
            "ends; give a file, e.g. sqlite:///rivalscope.db"
        )
        if value is not None:
            raise typer.BadParameter(message, param_hint="--db")
        raise DatabaseError(message)
    return value


DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Database URL (default: $RIVALSCOPE_DATABASE_URL, else sqlite:///rivalscope.db).",
        show_default=False,
        callback=checked_database,
    ),
]
TargetsOption = Annotated[
    Path,
    typer.Option("--targets", "-t", help="Targets file (TOML).", show_default=True),
]
