"""User-facing errors of the gap report."""

from __future__ import annotations

from settings.user_errors import UserError


class ReportError(UserError):
    """The report cannot be built as asked (unknown competitor, no own company, bad folder)."""
