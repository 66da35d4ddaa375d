"""URLs written in the targets file or given to a command, parsed with the value quoted in
the error.

``urlparse`` (and its ``hostname``) raise a bare ``ValueError("Invalid IPv6 URL")`` for
``http://[::1/p``: passed on, the targets file's error named the key but not the value,
while every other URL error there quotes it. A page's address (a start URL, ``extract
--url``, ``targets check --url``, ``targets detect URL``) is checked by ``http_url``, so
the same URL gets the same words wherever it is given.
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


_HOST_FORBIDDEN = frozenset(' \t\r\n<>"{}|\\^`%')
"""Characters no host name holds (a space, a quote...): such a URL would only fail mid-crawl."""


def http_url(value: str) -> ParseResult:
    """``value`` parsed if it is an absolute http(s) URL whose host and port a request can go
    to; ValueError quoting ``value`` otherwise."""
    parsed = parsed_url(value)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise ValueError(f"{value!r} is not an http(s) URL")
    if any(ch in _HOST_FORBIDDEN or ord(ch) < 32 for ch in parsed.hostname):
        raise ValueError(f"{value!r} has an invalid host {parsed.hostname!r}")
    try:
        parsed.port  # noqa: B018 - raises on a port that is not a number 0-65535
    except ValueError:
        raise ValueError(f"{value!r} has an invalid port; write e.g. http://host:8080/") from None
    return parsed
