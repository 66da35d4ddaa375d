"""The library's user-facing error types, which the CLI prints without a traceback.

The classes are named, not imported: importing every library module here would make
each ``rivalscope`` command pay for all of them (the analysis and report stacks take seconds).
An exception can only be one of these if its module was imported, so ``user_error``
looks only in modules already loaded.
"""

from __future__ import annotations

import sys


class UserError(Exception):
    """A mistake the user can fix (bad file, bad option); the message says how."""


USER_ERROR_NAMES: tuple[tuple[str, str], ...] = (
    ("settings.targets", "TargetsError"),
    ("storage.db", "DatabaseError"),
    ("storage.import_rows", "ImportFileError"),
    ("storage.writer", "CollectError"),
    ("storage.export", "ExportError"),
    ("compare.analysis.errors", "AnalysisInputError"),
    ("compare.report.report_error", "ReportError"),
    ("spiders.health", "HealthError"),
    ("spiders.target_check", "TargetCheckError"),
    ("spiders.distributed.connection", "QueueError"),
    ("spiders.extract.suggest", "SuggestError"),
    ("spiders.browser", "BrowserMissingError"),
)


def user_error_types() -> tuple[type[BaseException], ...]:
    """The user-facing error classes among the modules loaded so far."""
    found: list[type[BaseException]] = [UserError]
    for module_name, class_name in USER_ERROR_NAMES:
        module = sys.modules.get(module_name)
        cls = getattr(module, class_name, None) if module is not None else None
        if isinstance(cls, type) and issubclass(cls, BaseException):
            found.append(cls)
    return tuple(found)


def is_user_error(exc: BaseException) -> bool:
    """True if ``exc`` is a mistake to report in one line rather than a bug."""
    return isinstance(exc, user_error_types())
