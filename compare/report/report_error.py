"""User-facing errors of the gap report (listed in ``rivalscope.errors.USER_ERROR_NAMES``)."""

from __future__ import annotations


class ReportError(Exception):
    """The report cannot be built as asked (unknown competitor, no own company, bad folder)."""
