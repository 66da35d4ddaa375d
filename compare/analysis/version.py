"""The analyser version: bump it when analysis output changes, so ``analyze`` redoes reviews."""

from __future__ import annotations

ANALYZER_VERSION = "6"
"""6: shipped base sentiment models per language (en, no, pl) score from day one, and the
database's ratings train a guarded correction of them (model format 7)."""
