"""The real ``rivalscope demo`` (serve, crawl, analyse, report) finds the planted gaps."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import Session, col, select

from rivalscope.demo.gaps import PLANTED_GAPS
from rivalscope.demo.shops import generate_shops
from storage.db import open_database
from storage.models import Product, Review, Source

pytestmark = pytest.mark.slow

DEMO_TO_TAXONOMY = {"support": "customer_service"}
"""Demo aspect names that the taxonomy calls differently."""
OPPOSITE = {"weak_aspect": "competitor_strength", "strong_aspect": "competitor_weakness"}
"""The finding a planted aspect gap must never be reported as."""


def _contradictions(findings: list[dict[str, object]]) -> list[str]:
    """Findings that report a planted weak aspect as a strength, or a strong one as a
    weakness (a regional gap's segments may differ: only its unsegmented findings count)."""
    names = {shop.slug: shop.name for shop in generate_shops()}
    wrong = []
    for gap in PLANTED_GAPS:
        if gap.kind not in OPPOSITE:
            continue
        aspect = DEMO_TO_TAXONOMY.get(gap.topic, gap.topic)
        for f in findings:
            segmented = any(f[k] is not None for k in ("segment_language", "segment_region"))
            if (f["competitor"], f["aspect"], f["kind"]) == (
                names[gap.company],
                aspect,
                OPPOSITE[gap.kind],
            ) and not (gap.regions and segmented):
                wrong.append(f"{gap.key}: {f['summary']}")
    return wrong


def test_demo_report_finds_planted_gaps(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "rivalscope", "demo", "--port", "0", "--db",
         f"sqlite:///{tmp_path / 'demo.db'}", "--out", str(tmp_path / "report")],
        capture_output=True, text=True, cwd=tmp_path, timeout=280, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "report.html" in run.stdout
    findings = json.loads((tmp_path / "report" / "findings.json").read_text("utf-8"))["findings"]
    found = {(f["competitor"], f["aspect"], f["kind"]) for f in findings}
    assert ("Maison Lumière", "delivery", "competitor_weakness") in found, found
    assert ("Kawa Mistrz", "customer_service", "competitor_weakness") in found, found
    assert any(c == "Brewcraft Supply" and a == "price" for c, a, _ in found), found
    assert ("Brewcraft Supply", "quality", "competitor_strength") in found, found
    assert ("Maison Lumière", "app", "unmet_need") in found, found
    assert not _contradictions(findings), _contradictions(findings)
    assert ("Brewcraft Supply", "timer", "unmet_need") in found, found
    polish = [
        f for f in findings
        if f["competitor"] == "Kawa Mistrz" and f["aspect"] == "customer_service"
        and f["segment_language"] == "pl"
    ]  # fmt: skip
    assert polish, "Kawa Mistrz's support gap should concentrate in Polish reviews"
    page = (tmp_path / "report" / "report.html").read_text("utf-8")
    lead = page.split('<p class="lead">', 1)[1].split("</p>", 1)[0]
    assert "Top opportunities" in lead and findings[0]["competitor"] in lead
    # The command ends with the report's path and the top three opportunities.
    tail = run.stdout[run.stdout.index("Gap report") :]
    assert str(tmp_path / "report" / "report.html") in tail and "3." in tail
    # Coverage honesty: per source, the reviews stored of those the product pages declare.
    engine = open_database(f"sqlite:///{tmp_path / 'demo.db'}")
    with Session(engine) as session:
        for source in session.exec(select(Source)).all():
            products = session.exec(
                select(Product).where(
                    Product.company_id == source.company_id,
                    col(Product.reviews_declared).is_not(None),
                )
            ).all()
            declared = sum(p.reviews_declared or 0 for p in products)
            collected = session.exec(
                select(func.count())
                .select_from(Review)
                .where(
                    Review.source_id == source.id,
                    col(Review.product_id).in_([p.id for p in products]),
                )
            ).one()
            line = f"{source.name}: collected {collected} of {declared} declared"
            assert (line in page) is bool(declared), (line, page[-2000:])
            assert not declared or collected >= 0.9 * declared, line
            # a crawled source whose pages declare no count is named, not left out
            silent = f"{source.name}: its pages declare no review count"
            expected = not declared and source.kind == "crawl" and source.holds != "offers"
            assert (silent in page) is expected, (silent, page[-2000:])
    engine.dispose()
