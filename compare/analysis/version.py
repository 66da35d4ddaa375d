"""The analyser version: bump it when analysis output changes, so ``analyze`` redoes reviews."""

from __future__ import annotations

ANALYZER_VERSION = "5"
"""5: the sentiment model of format 6 (``sentiment.bundle.FORMAT``): polarities move in the
third decimal with the new solver, so reviews are scored again by the retrained model."""
