"""A download error in words: Twisted's wrapped failures unwrapped.

Scrapy 2.19 raises ``DownloadFailedError(str(e)) from e`` for a ``ResponseFailed``, whose text
is the repr of a list of Twisted failures: runs, health checks and their notices said
``DownloadFailedError: [<twisted.python.failure.Failure
twisted.internet.error.ConnectionDone: Connection was closed cleanly.>]`` for a site that
closed the connection. The failures inside are named instead
(``ConnectionDone: Connection was closed cleanly.``).
"""

from __future__ import annotations


def error_message(error: BaseException) -> str:
    """What ``error`` says, the failures it wraps said instead of their repr."""
    for wrapped in (error, error.__cause__):
        reasons = getattr(wrapped, "reasons", None)
        if isinstance(reasons, list) and reasons:
            return "; ".join(
                f"{getattr(r.type, '__name__', 'error')}: {r.getErrorMessage()}"
                if hasattr(r, "getErrorMessage")
                else str(r)
                for r in reasons
            )
    return str(error)
