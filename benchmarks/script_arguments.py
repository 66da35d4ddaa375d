"""The argument parser of a benchmark script: ``--help`` prints the script's docstring and
exits 0, a missing, malformed or unknown argument is refused with exit status 2.

The scripts used to pick their options out of ``sys.argv`` by hand: ``--help`` printed the
docstring as a mistake would (exit 2), and a mistyped option (``--repaet 3``) was ignored
while the whole benchmark ran.
"""

from __future__ import annotations

import argparse


def script_parser(usage: str | None) -> argparse.ArgumentParser:
    """A parser whose help is ``usage`` (the script's docstring) as written; options are
    never read from a prefix (``--word`` is no ``--words``)."""
    return argparse.ArgumentParser(
        description=usage,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,
    )
