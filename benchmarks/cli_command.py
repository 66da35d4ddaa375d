"""The command that runs ``rivalscope`` as a user would, for benchmarks that compare trees."""

from __future__ import annotations

import os
import sys


def rivalscope_command() -> list[str]:
    """``python -m rivalscope`` of the tree on PYTHONPATH. ``-m`` puts the working folder
    first on sys.path, so a benchmark started inside one source tree with PYTHONPATH naming
    another ran the first tree's code for both sides of an A/B; ``-P`` (Python 3.11) keeps
    the working folder off when PYTHONPATH says which tree to run."""
    isolate = ["-P"] if os.environ.get("PYTHONPATH") else []
    return [sys.executable, *isolate, "-m", "rivalscope"]
