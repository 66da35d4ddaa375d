"""benchmarks/analyze_functions.py: CPU seconds of named functions during one analysis."""

from __future__ import annotations

from pathlib import Path

import pytest

from compare.analysis.sentiment.vectorizer import FeatureVectorizer
from storage.db import open_database
from tests.benchmark_scripts import load_benchmark
from tests.test_analysis_run import add_reviews

functions = load_benchmark("analyze_functions")
TRANSFORM = "compare.analysis.sentiment.vectorizer.FeatureVectorizer.transform"


def test_a_named_method_is_clocked_and_its_calls_counted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # the script wraps for good (it is a one-run script): put the method back afterwards
    monkeypatch.setattr(FeatureVectorizer, "transform", FeatureVectorizer.transform)
    url = f"sqlite:///{tmp_path / 'copy.db'}"
    texts = ["The delivery was late, but the quality is great.", "Terrible battery, broke fast."]
    add_reviews(open_database(url), [{"text": t, "language": "en"} for t in texts])
    assert functions.main(["analyze_functions.py", url, TRANSFORM]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("2 reviews analysed")
    name, seconds, unit, share, percent, calls = out[1].split()[:6]
    assert (name, unit, percent) == (TRANSFORM, "s", "%")
    assert 0.0 <= float(share) <= 100.0 and float(seconds) >= 0.0
    assert int(calls.strip("(").replace(",", "")) >= 1


def test_without_a_database_url_it_prints_its_usage(capsys: pytest.CaptureFixture[str]) -> None:
    assert functions.main(["analyze_functions.py", "copy.db"]) == 2
    assert "Usage:" in capsys.readouterr().out
