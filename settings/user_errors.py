"""The base of every user-facing error: a mistake the user can fix, which the CLI prints in
one line (exit status 2) instead of a traceback.

It lives in the ground layer so that every layer can raise its own subclass, and the CLI
recognises them with one ``isinstance`` without importing (and paying start-up time for)
the modules that define them.
"""

from __future__ import annotations


class UserError(Exception):
    """A mistake the user can fix (bad file, bad option); the message says how."""
