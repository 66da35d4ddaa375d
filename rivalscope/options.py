"""Options shared by several commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Database URL (default: $RIVALSCOPE_DATABASE_URL, else sqlite:///rivalscope.db).",
        show_default=False,
    ),
]
TargetsOption = Annotated[
    Path,
    typer.Option("--targets", "-t", help="Targets file (TOML).", show_default=True),
]
