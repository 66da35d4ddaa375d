"""Fixed, dated euro rates (``data/eur_rates.toml``) for cross-currency price positioning."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

RATES_FILE = Path(__file__).parent / "data" / "eur_rates.toml"


@dataclass(frozen=True)
class EuroRates:
    """Units of each currency per euro, with the date and source they approximate."""

    date: str
    source: str
    per_eur: dict[str, float]

    def to_eur(self, amount: float, currency: str) -> float | None:
        """``amount`` in euros, or None for a currency the file does not list."""
        rate = self.per_eur.get(currency.upper())
        return None if rate is None else amount / rate


@lru_cache(maxsize=1)
def bundled_rates() -> EuroRates:
    data = tomllib.loads(RATES_FILE.read_text(encoding="utf-8"))
    return EuroRates(
        date=str(data["date"]),
        source=str(data["source"]),
        per_eur={k.upper(): float(v) for k, v in data["per_eur"].items()},
    )
