"""The analysis package's user-facing error."""

from __future__ import annotations

from settings.user_errors import UserError


class AnalysisInputError(UserError):
    """A bad taxonomy file, training file or model folder; the message says what to fix."""
