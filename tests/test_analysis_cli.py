"""The sentiment CLI (training on a tiny JSON-lines file, the score output contract, errors)
and ``rivalscope analyze`` run as a command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from compare.analysis.sentiment.base_models import base_model_id
from rivalscope.cli import app
from tests.cli import imported_reviews, run_cli
from tests.sample_reviews import BAD, FRENCH_BAD, FRENCH_GOOD, GOOD


def write_training_file(path: Path) -> Path:
    """120 labelled French lines, a third of them in a shop's own words that no lexicon
    rates: a model of them beats French's lexicons (no base model), so they train one."""
    lines: list[dict[str, object]] = []
    for i in range(60):
        coded = i % 3 == 2
        lines.append(
            {
                "text": f"Le modèle zorblax {i}, zorblax."
                if coded
                else f"{FRENCH_GOOD[i % 3]} {FRENCH_GOOD[(i + 1) % 3]}",
                "label": "positive",
                "lang": "fr",
            }
        )
        lines.append(
            {
                "text": f"Le modèle quibbon {i}, quibbon."
                if coded
                else f"{FRENCH_BAD[i % 3]} {FRENCH_BAD[(i + 2) % 3]}",
                "rating": 1,
                "best_rating": 5,
                "lang": "fr",
            }
        )
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", "utf-8")
    return path


@pytest.fixture
def model_dir(tmp_path: Path) -> Path:
    out = tmp_path / "model"
    result = CliRunner().invoke(
        app,
        ["sentiment", "train", str(write_training_file(tmp_path / "t.jsonl")), "--out", str(out)],
    )
    assert result.exit_code == 0, result.output
    assert "fr: model trained on your ratings alone" in result.output
    assert "120 examples" in result.output
    return out


def test_train_writes_a_described_model(model_dir: Path) -> None:
    meta = json.loads((model_dir / "meta.json").read_text("utf-8"))
    assert meta["training_data"] == "file t.jsonl"
    assert meta["languages"]["fr"]["label_counts"] == {"positive": 60, "negative": 60}


def _age(model_dir: Path, written_format: int) -> None:
    meta_path = model_dir / "meta.json"
    meta = json.loads(meta_path.read_text("utf-8"))
    meta["format"] = written_format
    meta_path.write_text(json.dumps(meta), "utf-8")


def test_a_model_of_another_format_is_refused_with_what_to_do(model_dir: Path) -> None:
    _age(model_dir, 5)
    result = run_cli(
        "sentiment", "score", "--model", str(model_dir), cwd=model_dir.parent,
        stdin='{"text": "Great", "lang": "en"}\n',
    )  # fmt: skip
    assert result.returncode == 2
    assert "is of format 5" in result.stderr and "train it again" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_outdated_database_model_gives_way_to_the_fallbacks(model_dir: Path) -> None:
    from compare.analysis.sentiment.bundle import latest_bundle

    root = model_dir.parent / "models"
    root.mkdir()
    model_dir.rename(root / "v0001")
    assert latest_bundle(root) is not None
    _age(root / "v0001", 5)
    assert latest_bundle(root) is None


def test_score_writes_one_json_line_per_input_in_order(model_dir: Path) -> None:
    lines = [
        {"text": "Great quality, I love it!", "lang": "en"},
        {"text": "Awful, it broke at once.", "lang": "en"},
        {"text": "Bardzo szybka dostawa.", "lang": "pl"},
        {"text": "😀"},
        {"text": "Horrible, plus jamais.", "lang": "fr"},
    ]
    stdin = "\n".join(json.dumps(line) for line in lines) + "\n"
    result = CliRunner().invoke(app, ["sentiment", "score", "--model", str(model_dir)], input=stdin)
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.output.splitlines()]
    assert len(out) == 5
    assert all(set(o) == {"lang", "polarity", "label", "confidence"} for o in out)
    # en and pl: the shipped base models; fr: the model given; no language: unknown
    assert [o["label"] for o in out] == ["positive", "negative", "positive", "unknown", "negative"]
    assert [o["lang"] for o in out] == ["en", "en", "pl", None, "fr"]
    assert out[0]["polarity"] > 0 > out[1]["polarity"]
    assert out[2]["confidence"] > 0.5 and out[3]["confidence"] == 0.0


def test_score_without_model_uses_the_base_models_and_lexicons(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("RIVALSCOPE_DATABASE_URL", raising=False)
    lines = [
        {"text": "This is a wonderful, excellent shop.", "lang": "en"},
        {"text": "Elendig levering, ikke god kaffe", "lang": "no"},
        {"text": "Szybka dostawa, polecam.", "lang": "pl"},
        {"text": "Service affreux", "lang": "fr"},
    ]
    stdin = "".join(json.dumps(line) + "\n" for line in lines)
    result = CliRunner().invoke(app, ["sentiment", "score"], input=stdin)
    assert result.exit_code == 0, result.output
    english, norwegian, polish, french = (json.loads(line) for line in result.output.splitlines())
    # en, no, pl: the shipped base models (no language unknown); fr: the French lexicons
    assert english["label"] == "positive"
    assert norwegian["label"] == "negative"
    assert polish["label"] == "positive" and polish["confidence"] > 0.5
    assert french["label"] == "negative"
    assert not (tmp_path / "rivalscope.db").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"text": "ok", "label": "positive"}\nnot json\n', "t.jsonl:2: not JSON"),
        ('{"label": "positive"}\n', 't.jsonl:1: needs an object with a "text" string'),
        pytest.param("[" * 100_000 + "\n", "t.jsonl:1: not JSON (nested too deep)", id="deep"),
        pytest.param(
            '{"text": "ok", "rating": ' + "9" * 5000 + "}\n",
            "t.jsonl:1: not JSON (number too long)",
            id="5,000-digit number",
        ),
        ('{"text": "ok", "label": "great"}\n', 't.jsonl:1: "label" must be one of'),
        ('{"text": "ok", "rating": 9, "best_rating": 5}\n', "t.jsonl:1: rating 9 is outside"),
        ('{"text": "ok", "label": "positive", "lang": "en"}\n', "not enough labelled examples"),
    ],
)
def test_bad_training_files_give_one_line_errors(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "t.jsonl"
    path.write_text(content, "utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "rivalscope",
            "sentiment",
            "train",
            str(path),
            "--out",
            str(tmp_path / "m"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "line",
    ["[" * 100_000, '{"text": "ok", "n": ' + "9" * 5000 + "}", "not json", '{"text": 5}'],
    ids=["nested too deep", "5,000-digit number", "not json", "text not a string"],
)
def test_bad_score_lines_give_one_line_errors(tmp_path: Path, line: str) -> None:
    result = run_cli("sentiment", "score", cwd=tmp_path, stdin=f'{{"text": "fine"}}\n{line}\n')
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip() == 'error: stdin line 2: expected {"text": "...", "lang": "xx"}'


@pytest.mark.parametrize(
    ("lang", "scored_as", "warning"),
    [
        ('"en"', "en", ""),
        ('"nb-NO"', "no", ""),
        ("null", "en", ""),  # no language given: detected, no warning
        ('"zz"', "en", """"lang": 'zz' is not a language we read; use one of en (English)"""),
        ('"klingon"', "en", """"lang": 'klingon' is not a language code; use one of en"""),
        ("5", "en", '"lang": 5 is not a language code; detected from the text instead'),
        ('["en"]', "en", '"lang": ["en"] is not a language code; detected'),
    ],
)
def test_a_lang_we_do_not_read_is_detected_and_said_once(
    tmp_path: Path, lang: str, scored_as: str, warning: str
) -> None:
    line = f'{{"text": "Great quality, I love it, wonderful shop!", "lang": {lang}}}\n'
    result = run_cli("sentiment", "score", cwd=tmp_path, stdin=line * 3)
    assert result.returncode == 0, result.stderr
    out = [json.loads(row) for row in result.stdout.splitlines()]
    assert [(o["lang"], o["label"]) for o in out] == [(scored_as, "positive")] * 3
    said = result.stderr.strip().splitlines()
    assert len(said) == (1 if warning else 0), said  # once, not once per line
    if warning:
        assert said[0].startswith("warning: stdin line 1: ") and warning in said[0], said


POLISH = ["Szybka dostawa i świetna jakość.", "Fatalna obsługa, towar uszkodzony."]
# Portuguese: no lexicon and no base model ships for it, so its ratings share the pooled model.
PORTUGUESE = ["Entrega rápida e qualidade ótima.", "Serviço horrível, produto danificado."]


def test_analyze_command_trains_scores_and_reruns_for_free(tmp_path: Path) -> None:
    rows = ["id,text,rating,best_rating,language"]
    for i in range(120):
        good = i % 2 == 0
        words = FRENCH_GOOD if good else FRENCH_BAD
        rows.append(f'fr{i},"{words[i % 3]} {words[(i + 1) % 3]} #{i}",{5 if good else 1},5,fr')
    for i in range(30):
        rows.append(f'pt{i},"{PORTUGUESE[i % 2]} #{i}",{5 if i % 2 == 0 else 1},5,pt')
    for i in range(30):
        good = i % 2 == 0
        rows.append(f'en{i},"{(GOOD if good else BAD)[i % 3]} #{i}",{5 if good else 1},5,en')
    for i in range(5):
        rows.append(f'pl{i},"{POLISH[i % 2]} #{i}",,5,pl')
    url = imported_reviews(tmp_path, rows)
    first = run_cli("analyze", "--no-progress", cwd=tmp_path, db_url=url)
    assert first.returncode == 0, first.stderr
    said = " ".join(first.stdout.split())  # rich wraps long lines
    assert "one pooled classifier for pt" in said and "own classifiers" not in said
    # French has no base model: a model of its ratings replaces its lexicons when it gets
    # at least as many held-out ratings right (a tie here: both read every one)
    assert "fr: model trained on your ratings alone (held-out ratings: lexicons 1.00, own" in said
    # the base model is right on every held-out rating: nothing can beat it clearly (better
    # probabilities alone do not replace it)
    kept = "en: base model kept as shipped, nothing beat it clearly (held-out ratings: "
    assert kept + "base 1.00, " in said
    # 30 English ratings: too few for a model of their own, so the pooled one competed
    en_guard = said.split(kept, 1)[1].split(")", 1)[0]
    assert ", pooled " in en_guard and ", own " not in en_guard
    assert "185 reviews analysed" in first.stdout
    assert "classifier:fr@v0001" in first.stdout and "pooled:pt@v0001" in first.stdout
    assert base_model_id("pl") in first.stdout  # no ratings: the shipped model
    header = next(line for line in first.stdout.splitlines() if "language" in line)
    assert header.replace("┃", " ").split()[-4:] == ["positive", "negative", "neutral", "unknown"]
    assert (tmp_path / "r.db.models" / "v0001" / "meta.json").exists()
    again = run_cli("analyze", "--no-progress", cwd=tmp_path, db_url=url)
    assert again.returncode == 0, again.stderr
    assert "nothing to analyse" in again.stdout and "trained" not in again.stdout


def test_analyze_before_any_review_says_to_crawl_or_import(tmp_path: Path) -> None:
    """On a database without reviews it said "every review is analysed"."""
    from storage.db import open_database

    open_database(f"sqlite:///{tmp_path}/e.db").dispose()  # created, as a crawl of nothing does
    done = run_cli("analyze", "--no-progress", cwd=tmp_path, db_url=f"sqlite:///{tmp_path}/e.db")
    assert done.returncode == 0, done.stderr
    assert "the database holds no reviews yet" in done.stdout
    assert "every review is analysed" not in done.stdout


def _unwritable_folder(tmp_path: Path) -> Path:
    """A cache folder this process cannot write: read-only, or (as root, whom chmod does not
    stop) a path under a regular file."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    if os.access(folder, os.W_OK):
        (tmp_path / "a-file").write_text("", "utf-8")
        return tmp_path / "a-file" / "cache"
    return folder


def test_analyze_works_without_a_writable_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lemma store (``lemma_store``) only saves time: with RIVALSCOPE_CACHE_DIR not
    writable, analyze crashed with a traceback while building it; now it lemmatises in
    memory, with the same results as with the cache."""
    rows = ["id,text,rating,best_rating,language"]
    for i in range(30):
        good = i % 2 == 0
        rows.append(f'en{i},"{(GOOD if good else BAD)[i % 3]} #{i}",{5 if good else 1},5,en')
    csv_file = tmp_path / "reviews.csv"
    csv_file.write_text("\n".join(rows) + "\n", encoding="utf-8")
    printed: dict[str, list[str]] = {}
    for name in ("cached", "uncached"):
        url = f"sqlite:///{tmp_path / name}.db"
        imported = run_cli(
            "import", str(csv_file), "--company", "Rival", "--new-company", cwd=tmp_path, db_url=url
        )
        assert imported.returncode == 0, imported.stderr
        cache = tmp_path / "cache" if name == "cached" else _unwritable_folder(tmp_path)
        monkeypatch.setenv("RIVALSCOPE_CACHE_DIR", str(cache))
        done = run_cli("analyze", "--no-progress", cwd=tmp_path, db_url=url)
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr and "30 reviews analysed" in done.stdout
        printed[name] = [line for line in done.stdout.splitlines() if "aspects" in line]
    assert printed["uncached"] == printed["cached"] and printed["cached"]


@pytest.mark.parametrize(
    ("reviews", "notes"),
    [
        ({"no": 90, "en": 5}, []),
        ({"no": 90, "da": 30}, ['30 reviews in da get sentiment but no aspects', 'language = "no"']),
        ({"sv": 2}, ["2 reviews in sv", "if they are Norwegian"]),
        ({"de": 3}, []),  # sentiment, aspects and needs
        ({"pt": 3}, ["3 reviews in pt get no sentiment, aspects or needs"]),
        ({"xx": 1}, ["1 review in xx gets no sentiment, aspects or needs"]),
    ],
)  # fmt: skip
def test_analyze_says_which_reviews_get_no_aspects_and_why(
    reviews: dict[str, int], notes: list[str]
) -> None:
    from rivalscope.commands.analyze import _unanalysed_language_notes

    printed = " | ".join(_unanalysed_language_notes(reviews))
    assert all(note in printed for note in notes), printed
    assert bool(printed) == bool(notes)
    assert ("Norwegian" in printed) == any(c in ("da", "sv") for c in reviews)
