"""The analyser version: bump it when analysis output changes, so ``analyze`` redoes reviews."""

from __future__ import annotations

ANALYZER_VERSION = "4"
"""4: the sentiment model of format 5 (``sentiment.bundle.FORMAT``)."""
