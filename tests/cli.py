"""Runs the real ``rivalscope`` command in a subprocess, as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_cli(
    *args: str, cwd: Path, db_url: str | None = None, timeout: float = 240, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """``python -m rivalscope ARGS`` in ``cwd``; output captured as text."""
    env = {**os.environ, "COLUMNS": "240", "PYTHONWARNINGS": "ignore"}
    env.pop("RIVALSCOPE_DATABASE_URL", None)
    if db_url:
        env["RIVALSCOPE_DATABASE_URL"] = db_url
    return subprocess.run(
        [sys.executable, "-m", "rivalscope", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        input=stdin,
        check=False,
    )
