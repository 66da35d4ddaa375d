"""The analysis package's user-facing error (listed in ``rivalscope.errors.USER_ERROR_NAMES``)."""

from __future__ import annotations


class AnalysisInputError(Exception):
    """A bad taxonomy file, training file or model folder; the message says what to fix."""
