"""Formula-safe CSV cells for the report's files (one implementation, in ``storage``,
shared with ``rivalscope export``)."""

from __future__ import annotations

from storage.csv_safety import FORMULA_STARTS, safe_cell

__all__ = ["FORMULA_STARTS", "safe_cell"]
