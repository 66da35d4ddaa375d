"""Numbers keep their sign; exponent forms, non-finite values and absurd magnitudes are
refused with a reason, in the crawl (JSON-LD, pipeline) and the importer alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from spiders.extract.auto import extract_auto
from spiders.extract.price import normalize_price, price_refusal
from spiders.file_import import offer_from_row, review_from_row
from spiders.pipelines.normalize import normalize_offer
from spiders.pipelines.validate import offer_problem
from spiders.raw_fields import parse_rating, plain_number
from tests.cli import run_cli

HUGE = "9" * 5000


@pytest.mark.parametrize(
    ("value", "keep_sign", "price", "refusal"),
    [
        ("19.99", True, "19.99", None),
        ("1 299,00 €", True, "1299.00", None),
        ("-19.99", True, "-19.99", None),
        ("€ -5", True, "-5", None),
        ("\u221219.99", True, "-19.99", None),
        ("-19.99", False, "19.99", None),  # visible text: a minus is no price sign there
        (-19.99, True, "-19.99", None),
        (-19.99, False, None, None),
        ("1 099,-", True, "1099", None),  # a trailing dash is "no cents", not a sign
        ("1e400", True, None, "price_exponent_form"),
        ("2.5E+3 kr", True, None, "price_exponent_form"),
        (float("inf"), True, None, "price_not_finite"),
        (float("nan"), True, None, "price_not_finite"),
        (1e20, True, None, "price_absurd_magnitude"),
        pytest.param(10**5000, True, None, "price_absurd_magnitude", id="int-5000-digits"),
        pytest.param(HUGE, True, None, "price_absurd_magnitude", id="text-5000-digits"),
        ("1" + "0" * 15, True, None, "price_absurd_magnitude"),
        ("9" * 15, True, "9" * 15, None),
        ("19.99EUR", True, "19.99", None),  # an E after digits, not an exponent
        # Under a hundredth of any currency's finest minor unit: no price (was accepted).
        ("0.000000001", True, None, "price_below_any_unit"),
        ("0,0000009 €", True, None, "price_below_any_unit"),
        (1e-9, True, None, "price_below_any_unit"),
        ("0.000001", True, "0.000001", None),
        ("0.005", True, "0.005", None),  # a price per gram or per unit
        ("0.2345", True, "0.2345", None),  # a price per kWh
        ("9.9900000000000002", True, "9.9900000000000002", None),  # float noise: a price
        (19.989999771118164, True, "19.989999771118164", None),
        ("0.00", True, "0.00", None),  # a free offer (or a placeholder) is no refusal
    ],
)
def test_price_numbers(
    value: object, keep_sign: bool, price: str | None, refusal: str | None
) -> None:
    assert normalize_price(value, keep_sign=keep_sign)[0] == price  # type: ignore[arg-type]
    assert price_refusal(value) == refusal


def _jsonld_page(price_json: str) -> str:
    return (
        '<html><head><script type="application/ld+json">{"@type": "Product", "name": "Kettle",'
        f' "offers": {{"price": {price_json}, "priceCurrency": "EUR"}}}}</script></head>'
        "<body><h1>Kettle</h1></body></html>"
    )


@pytest.mark.parametrize(
    ("price_json", "problem"),
    [
        ('"-19.99"', "negative_price"),
        ("-19.99", "negative_price"),
        ("1e400", "price_exponent_form"),
        ('"1e400"', "price_exponent_form"),
        (HUGE, "price_absurd_magnitude"),
        (f'"{HUGE}"', "price_absurd_magnitude"),
        ('"0.000000001"', "price_below_any_unit"),
        ("0.000000001", "price_below_any_unit"),
        ("19.99", None),
    ],
)
def test_crawled_jsonld_prices_keep_sign_or_are_dropped_with_a_reason(
    price_json: str, problem: str | None
) -> None:
    offers = extract_auto(_jsonld_page(price_json), "http://127.0.0.1/p/1").offers
    assert len(offers) == 1  # never vanishes: the offer is read, then kept or dropped by reason
    offer = normalize_offer(offers[0])
    assert offer_problem(offer) == problem
    if problem is None:
        assert offer.price == "19.99"


@pytest.mark.parametrize(
    ("price", "problem"),
    [
        ("-19.99", "negative_price"),
        ("1e400", "price_exponent_form"),
        (HUGE, "price_absurd_magnitude"),
        ("0.000000001", "price_below_any_unit"),
    ],
)
def test_imported_prices_use_the_same_parser(price: str, problem: str) -> None:
    try:
        offer = offer_from_row({"product": "Kettle", "price": price, "currency": "EUR"})
    except ValueError as exc:  # the importer names some refusals itself
        assert problem.removeprefix("price_").replace("_", " ") in str(exc)
        return
    assert offer_problem(offer) == problem


@pytest.mark.parametrize(
    ("rating", "outcome"),
    [
        ("4,5", 4.5),
        ("-3", -3.0),  # the sign is kept: validation then rejects it, never stores 3
        ("1e400", "rating '1e400': exponent form"),
        ("4E0", "rating '4E0': exponent form"),
        ("9" * 40, ": absurd magnitude"),
        ("four", "rating 'four': not a rating (write 4, 4.5, 4/5, 4 stars, 80% or ★★★★☆)"),
        ("inf", "rating 'inf': not a rating (write 4, 4.5, 4/5, 4 stars, 80% or ★★★★☆)"),
    ],
)
def test_imported_ratings_use_the_same_parser(rating: str, outcome: float | str) -> None:
    row = {"text": "Good coffee", "rating": rating, "best_rating": "5"}
    if isinstance(outcome, float):
        assert review_from_row(row).rating == outcome
        return
    with pytest.raises(ValueError) as refused:
        review_from_row(row)
    assert str(refused.value).startswith("rating '") and str(refused.value).endswith(outcome)


@pytest.mark.slow
def test_import_reports_refused_prices_by_line_and_reason(tmp_path: Path) -> None:
    data = tmp_path / "prices.csv"
    data.write_text(
        f"product,price,currency\nKettle,19.99,EUR\nPot,-19.99,EUR\nPan,1e400,EUR\nCup,{HUGE},EUR\n",
        encoding="utf-8",
    )
    url = f"sqlite:///{tmp_path / 'import.db'}"
    done = run_cli(
        "import",
        str(data),
        "--company",
        "Acme",
        "--new-company",
        "--kind",
        "offers",
        "--db",
        url,
        cwd=tmp_path,
    )
    out = done.stdout + done.stderr
    assert "Traceback" not in out
    assert "negative price" in out and "exponent form" in out
    assert ": absurd magnitude" in out


@pytest.mark.parametrize(
    ("value", "number"),
    [
        ("4", 4.0),
        ("4,5", 4.5),
        ("-3", -3.0),
        ("\u22123", -3.0),
        (4.5, 4.5),
        ("1e400", None),
        ("1E2", None),
        (float("inf"), None),
        (float("nan"), None),
        (1e300, None),
        ("9" * 5000, None),
        ("five", None),
        (True, None),
    ],
)
def test_plain_numbers_for_ratings_and_scales(value: object, number: float | None) -> None:
    assert plain_number(value) == number


def test_non_finite_json_ratings_are_no_rating() -> None:
    assert parse_rating(float("inf")) == (None, None)
    assert parse_rating(4, 5.0) == (4.0, 5.0)
