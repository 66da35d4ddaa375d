"""URLs written in the targets file, parsed with the value quoted in the error.

``urlparse`` (and its ``hostname``) raise a bare ``ValueError("Invalid IPv6 URL")`` for
``http://[::1/p``: passed on, the targets file's error named the key but not the value,
while every other URL error there quotes it.
"""

from __future__ import annotations

from urllib.parse import ParseResult, urlparse


def parsed_url(value: str) -> ParseResult:
    """``value`` parsed, its host read; ValueError quoting ``value`` if it cannot be."""
    try:
        parsed = urlparse(value)
        parsed.hostname  # noqa: B018 - raises on a bracketed host that is no IP address
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a URL ({exc})") from None
    return parsed
