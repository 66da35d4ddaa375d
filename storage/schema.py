"""Imports every module that defines tables, so ``SQLModel.metadata`` is complete.

Alembic's env and ``open_database`` import this; add a line here for a new table module.
"""

from __future__ import annotations

from sqlmodel import SQLModel

import storage.analysis_models
import storage.findings_models
import storage.model_files
import storage.models
import storage.schedule_models
import storage.variant_models  # noqa: F401

metadata = SQLModel.metadata
