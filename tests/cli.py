"""Runs the real ``rivalscope`` command in a subprocess, as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_cli(
    *args: str,
    cwd: Path,
    db_url: str | None = None,
    timeout: float = 240,
    stdin: str | None = None,
    wrapper: tuple[str, ...] = (),
) -> subprocess.CompletedProcess[str]:
    """``python -m rivalscope ARGS`` in ``cwd``; output captured as text. ``wrapper``: a
    command that runs it (``unshare ...``), the command line as its last arguments."""
    env = {**os.environ, "COLUMNS": "240", "PYTHONWARNINGS": "ignore"}
    env.pop("RIVALSCOPE_DATABASE_URL", None)
    if db_url:
        env["RIVALSCOPE_DATABASE_URL"] = db_url
    return subprocess.run(
        [*wrapper, sys.executable, "-m", "rivalscope", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        input=stdin,
        check=False,
    )


def imported_reviews(tmp_path: Path, rows: list[str]) -> str:
    """A SQLite database in ``tmp_path`` holding the CSV ``rows`` (header first) imported
    under a new company "Rival" by the command; its URL."""
    csv_file = tmp_path / "reviews.csv"
    csv_file.write_text("\n".join(rows) + "\n", encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'r.db'}"
    imported = run_cli(
        "import", str(csv_file), "--company", "Rival", "--new-company", cwd=tmp_path, db_url=url
    )
    assert imported.returncode == 0, imported.stderr
    return url
