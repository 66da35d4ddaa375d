"""What a crawl would drop is said by ``extract`` and ``targets check``, before a crawl drops
the records and only counts them (a user tuning a source sees why a record would go)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rivalscope.cli import app

URL = "https://shop.example/p/kettle"


def _product(price: str, rating: str = "4", best: str = "5") -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": "Kettle",
        "sku": "K-1",
        "offers": {"@type": "Offer", "price": price, "priceCurrency": "EUR"},
        "review": [
            {
                "@type": "Review",
                "reviewBody": f"Review {i}",
                "reviewRating": {"@type": "Rating", "ratingValue": rating, "bestRating": best},
            }
            for i in range(2)
        ],
    }
    return (
        '<html><head><script type="application/ld+json">'
        + json.dumps(data)
        + "</script></head><body><h1>Kettle</h1></body></html>"
    )


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (_product("19.99"), []),
        (_product("-19.99"), ["a crawl would drop 1 of 1 offers: negative price 1"]),
        (_product("1e400"), ["a crawl would drop 1 of 1 offers: price exponent form 1"]),
        (_product("19.99", rating="7"), ["a crawl would drop 2 of 2 reviews: rating outside scale 2"]),
        (
            _product("-5", rating="-1"),
            [
                "a crawl would drop 1 of 1 offers: negative price 1",
                "a crawl would drop 2 of 2 reviews: negative rating 2",
            ],
        ),
    ],
)  # fmt: skip
def test_extract_says_what_a_crawl_would_drop(
    page: str, expected: list[str], tmp_path: Path
) -> None:
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", str(path), "--url", URL])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert [w for w in document["warnings"] if w.startswith("a crawl would")] == expected
    # The records are still printed as found: the warning explains, it does not hide them.
    assert len(document["offers"]) == 1 and len(document["reviews"]) == 2


def test_targets_check_says_what_a_crawl_would_drop() -> None:
    from settings.targets import Source
    from spiders.target_check import check_page

    source = Source(name="kettles", start_urls=[URL], mode="auto")
    check = check_page(_product("-19.99", rating="7"), URL, source)
    assert "a crawl would drop 1 of 1 offers: negative price 1" in check.warnings
    assert "a crawl would drop 2 of 2 reviews: rating outside scale 2" in check.warnings
    assert not [w for w in check_page(_product("9"), URL, source).warnings if "would drop" in w]


@pytest.mark.parametrize(
    ("module", "why"),
    [
        ("sqlalchemy", "the database: pseudonyms are made when a crawl stores a review"),
        ("numpy", "language detection: a crawl's batch stage, after the record stages"),
    ],
)
def test_telling_what_a_crawl_would_drop_loads_no_storage_nor_language_models(
    module: str, why: str
) -> None:
    """``targets check`` and ``extract`` waited a second for imports the record stages do
    not use; a fresh interpreter (this one has them loaded) says what telling loads."""
    script = (
        "import sys\n"
        "from spiders.pipelines.stages import refusal_warnings\n"
        "from settings.records import ReviewItem\n"
        "refusal_warnings([], [ReviewItem(text='Fine kettle.', rating=9, best_rating=5)], 'en')\n"
        f"print({module!r} in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False", f"{module} loaded: {why}"
