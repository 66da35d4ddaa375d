"""The library's user-facing error types, which the CLI prints without a traceback."""

from __future__ import annotations

from compare.analysis.errors import AnalysisInputError
from compare.report.errors import ReportError
from settings.targets import TargetsError
from spiders.extract.suggest import SuggestError
from spiders.health import HealthError
from spiders.target_check import TargetCheckError
from storage.db import DatabaseError
from storage.importer import ImportFileError
from storage.writer import CollectError


class UserError(Exception):
    """A mistake the user can fix (bad file, bad option); the message says how."""


USER_ERRORS: tuple[type[Exception], ...] = (
    UserError,
    TargetsError,
    DatabaseError,
    ImportFileError,
    CollectError,
    ReportError,
    HealthError,
    TargetCheckError,
    SuggestError,
    AnalysisInputError,
)
