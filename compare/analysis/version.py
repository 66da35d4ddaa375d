"""The analyser version: bump it when analysis output changes, so ``analyze`` redoes reviews."""

from __future__ import annotations

ANALYZER_VERSION = "7"
"""6: shipped base sentiment models per language (en, no, pl) score from day one, and the
database's ratings train a guarded correction of them (model format 7).
7: the guard also weighs a model trained on the ratings alone, and keeps whichever of base,
base plus correction and ratings-only is best on the held-out ratings (model format 8)."""
