"""``rivalscope sentiment train|score``: train per-language models, score JSON lines."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from compare.analysis.input_errors import AnalysisInputError
from rivalscope.options import checked_database

if TYPE_CHECKING:
    from compare.analysis.sentiment.bundle import ModelBundle

sentiment_app = typer.Typer(help="Train sentiment models and score texts.", no_args_is_help=True)


@sentiment_app.command("train")
def train(
    out: Annotated[Path, typer.Option("--out", help="Folder to write the model into.")],
    file: Annotated[
        Path | None, typer.Argument(help="JSON lines with text and label or rating.")
    ] = None,
    from_db: Annotated[
        bool, typer.Option("--from-db", help="Train from the database's rated reviews.")
    ] = False,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Database URL for --from-db (default: $RIVALSCOPE_DATABASE_URL, else "
            "sqlite:///rivalscope.db).",
            callback=checked_database,
        ),
    ] = None,
) -> None:
    """Train per-language models from labelled lines or from rated reviews.

    Languages with a shipped base model (en, no, pl) get a correction of it, kept only if it
    beats the base model on held-out examples (>= 20 positive/negative, >= 5 of each); other
    languages a classifier of their own (>= 100 examples, >= 25 of two labels).

    Lines: {"text": ..., "label": "positive"|"negative"|"neutral"} or
    {"text": ..., "rating": 4, "best_rating": 5}; "lang" is optional (detected).

    Example: rivalscope sentiment train reviews.jsonl --out models/shop
    """
    # Imported here: the analysis stack takes most of a second to load; --help need not wait.
    from compare.analysis.sentiment.bundle import guard_figures, guard_outcome, save_bundle
    from compare.analysis.training import (
        MIN_ADAPT,
        MIN_EXAMPLES,
        MIN_PER_LABEL,
        RATING_RULE,
        examples_from_database,
        examples_from_jsonl,
        train_bundle,
    )
    from storage.db import open_database

    if (file is None) == (not from_db):
        raise AnalysisInputError("give either a FILE.jsonl or --from-db (not both)")
    if out.exists() and not out.is_dir():  # found before training, not after
        raise AnalysisInputError(f"--out {out} is a file, not a folder")
    if file is not None:
        examples = examples_from_jsonl(file)
        description = f"file {file.name}"
    else:
        engine = open_database(db, existing=True)  # a mistyped path: said, not created
        try:
            examples = examples_from_database(engine)
        finally:
            engine.dispose()
        description = f"database reviews, {RATING_RULE}"
    bundle = train_bundle(examples, description)
    if not bundle.classifiers and not bundle.guard:
        counts = {lang: len(rows) for lang, rows in examples.items()}
        raise AnalysisInputError(
            f"not enough labelled examples in any language (have {counts or 'none'}; need "
            f"{MIN_ADAPT} for a language with a base model (en, no, pl), else {MIN_EXAMPLES} "
            f"per language with >= {MIN_PER_LABEL} of two labels)"
        )
    try:
        save_bundle(bundle, out)
    except OSError as exc:
        raise AnalysisInputError(f"--out {out}: cannot write the model ({exc.strerror})") from None
    for language, figures in sorted(bundle.guard.items()):
        typer.echo(
            f"{language}: {guard_outcome(figures)} (held-out accuracy: "
            f"{guard_figures(figures)}, {int(figures['held_out'])} examples)"
        )
    for language, classifier in sorted(bundle.classifiers.items()):
        if language in bundle.guard:
            continue
        cv = (
            f", cross-validated accuracy {classifier.cv_accuracy:.2f}"
            if classifier.cv_accuracy
            else ""
        )
        typer.echo(
            f"{language}: {sum(classifier.label_counts.values())} examples {classifier.label_counts}{cv}"
        )
    typer.echo(f"model written to {out}")


@sentiment_app.command("score")
def score(
    model: Annotated[
        Path | None, typer.Option("--model", help="Model folder (from `train`).")
    ] = None,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Use this database's model when no --model (default: $RIVALSCOPE_DATABASE_URL, "
            "else sqlite:///rivalscope.db where it exists).",
            callback=checked_database,
        ),
    ] = None,
) -> None:
    """Score JSON lines {"text", "lang"?} from stdin; print {"lang","polarity","label","confidence"}.

    Without --model the database's newest model is used (the shipped base models plus the
    corrections your ratings trained). Languages without a classifier there use the base
    models that ship (en, no, pl), else a lexicon (textblob-fr for fr, AFINN's Danish list
    for da); other languages get label "unknown". A line without "lang", or with one we do
    not read (a warning on stderr says so), has its language detected from the text.

    Example: echo '{"text": "Rask levering!", "lang": "no"}' | rivalscope sentiment score
    """
    from compare.analysis.sentiment.bundle import load_bundle
    from compare.analysis.sentiment.scorer import SentimentScorer
    from settings.language_detection import detect_language

    bundle = load_bundle(model) if model is not None else _database_bundle(db)
    scorer = SentimentScorer(bundle)
    warned: set[str] = set()
    for number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            text = row["text"]
            if not isinstance(text, str):
                raise TypeError
            text.encode("utf-8")  # "\ud800" parses as JSON but is no text (a lone surrogate)
        # ValueError: a number of more than 4,300 digits; RecursionError: nesting too deep
        # UnicodeEncodeError is a ValueError: a lone surrogate
        except (ValueError, KeyError, TypeError, RecursionError):
            raise AnalysisInputError(
                f'stdin line {number}: expected {{"text": "...", "lang": "xx"}}'
            ) from None
        language = _given_language(row.get("lang"), number, warned)
        if language is None:
            language = detect_language(text)[0]
        polarity, label, confidence = scorer.score([text], language)[0]
        out = {
            "lang": language,
            "polarity": round(polarity, 4),
            "label": label,
            "confidence": round(confidence, 4),
        }
        sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")


def _given_language(value: object, number: int, warned: set[str]) -> str | None:
    """The registered language a line's "lang" names, or None to detect it from the text.

    A "lang" we do not read ("zz", "klingon", 5) is not a reason to stop a long stream,
    nor to score the line as "unknown": its language is detected, as for a line without
    one, and stderr says so once per distinct value (the output stays pure JSON lines)."""
    from settings.languages import known_language_code

    if value is None:
        return None
    try:
        if not isinstance(value, str):
            raise ValueError(f"{json.dumps(value)} is not a language code")
        return known_language_code(value)
    except ValueError as exc:
        shown = json.dumps(value)
        if shown not in warned:
            warned.add(shown)
            typer.echo(
                f'warning: stdin line {number}: "lang": {exc}; detected from the text '
                "instead (said once per value)",
                err=True,
            )
        return None


def _database_bundle(db: str | None) -> ModelBundle | None:
    from compare.analysis.run import database_bundle
    from storage.db import DatabaseError, database_url, open_database

    # The default database is looked in if it is there (else the shipped models score); one
    # named with --db must be usable: a mistyped --db is said, not scored without its model.
    # ``existing``: no database is created just to look for a model in it.
    try:
        engine = open_database(database_url(db), existing=True)
    except DatabaseError:
        if db is None:
            return None
        raise
    try:
        return database_bundle(engine)
    finally:
        engine.dispose()


def register(app: typer.Typer) -> None:
    app.add_typer(sentiment_app, name="sentiment")
