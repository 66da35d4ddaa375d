"""``rivalscope analyze``: sentiment, aspects, needs and key phrases for stored reviews."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from rivalscope.display import command_console, counted, keyless_warning, print_table
from rivalscope.options import DbOption
from rivalscope.process import free_at_exit_without_collecting, imports_without_collections
from settings.user_errors import UserError

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from compare.analysis.run import AnalyzeSummary


SHOWN_FUNCTION_WORDS = 8
"""Learnt function words shown per language (the count says how many there are)."""
MAX_WORKERS_PER_CORE = 4
"""More analysis processes than this per core only share the cores (and fork the memory)."""


def register(app: typer.Typer) -> None:
    @app.command()
    def analyze(
        db: DbOption = None,
        taxonomy: Annotated[
            Path | None,
            typer.Option(
                "--taxonomy", help="TOML file with extra aspects/terms, merged by aspect name."
            ),
        ] = None,
        models_dir: Annotated[
            Path | None,
            typer.Option(
                "--models-dir",
                help="Where sentiment models live (default <db file>.models/; a "
                "PostgreSQL database keeps them in itself).",
            ),
        ] = None,
        workers: Annotated[
            int | None, typer.Option("--workers", min=1, help="Processes (default: cores).")
        ] = None,
        progress: Annotated[
            bool, typer.Option("--progress/--no-progress", help="Show a progress bar.")
        ] = True,
    ) -> None:
        """Analyse every review not analysed yet: language, sentiment, aspects, needs.

        Sentiment: English, Norwegian and Polish are scored by base models that ship with
        rivalscope; from 20 clear ratings (>= 5 positive and >= 5 negative) a correction by
        your ratings is trained, kept only if it beats the base model on held-out ratings.
        Other languages get a model of their own from 100 clear ratings (>= 25 of each), a
        pooled multilingual one with fewer (>= 20), else a lexicon (fr) or 'unknown'. The
        model used is stored per review. Re-running only analyses new reviews.

        Example: rivalscope analyze --db sqlite:///shops.db --taxonomy my-aspects.toml
        """
        # Imported here: the analysis stack takes most of a second to load; --help need not wait.
        with imports_without_collections():
            from compare.analysis.discovery import candidate_aspects
            from compare.analysis.run import analyze_database
            from compare.analysis.taxonomy import load_taxonomy
            from storage.db import WRITING, open_database
            from storage.keyless_rows import count_keyless

        most = MAX_WORKERS_PER_CORE * (os.cpu_count() or 1)
        if workers is not None and workers > most:  # each one a fork of this process
            raise UserError(
                f"--workers {workers} is more than {MAX_WORKERS_PER_CORE} per core; "
                f"use at most {most} on this machine"
            )
        # a mistyped path: said, not created; another session's lock: waited for at most
        # RIVALSCOPE_WRITE_LOCK_WAIT_S, then said
        engine = open_database(db, existing=True, bounded_waits=WRITING)
        try:
            summary = analyze_database(
                engine,
                progress=progress,
                taxonomy_file=taxonomy,
                models_dir=models_dir,
                workers=workers,
                on_wait=lambda message: typer.secho(message, err=True),
            )
            candidates = candidate_aspects(engine, load_taxonomy(taxonomy))
            if summary.analyzed == 0 and not _holds_reviews(engine):
                command_console().print(
                    "nothing to analyse: the database holds no reviews yet; crawl them "
                    "(rivalscope crawl) or import them (rivalscope import) first"
                )
                return
            with engine.connect() as conn:
                keyless = count_keyless(conn)
        finally:
            engine.dispose()
        print_summary(summary, candidates)
        if keyless:
            # Not keyed here: merging deletes rows, and a crawl of the older version may still
            # be writing them (`db merge-copies`, or the scheduler between rounds, does it).
            typer.secho(keyless_warning(keyless), fg="yellow", err=True)
        free_at_exit_without_collecting()


def _holds_reviews(engine: Engine) -> bool:
    from sqlmodel import Session, col, select

    from storage.models import Review

    with Session(engine) as session:
        return session.exec(select(col(Review.id)).limit(1)).first() is not None


def _unanalysed_language_notes(reviews: dict[str, int]) -> list[str]:
    """A note for each language whose reviews get no aspects or needs (no taxonomy or need
    phrases for it), saying how to read them in another language when that is what they
    are: short Norwegian texts are often detected as Danish or Swedish."""
    from settings.language_detection import SCANDINAVIAN
    from settings.languages import LANGUAGES, Language, Resource, registered_language

    def complete(entry: Language) -> bool:
        return entry.has(Resource.ASPECT_TERMS) and entry.has(Resource.NEED_PHRASES)

    full = [e for e in LANGUAGES if complete(e)]
    notes = []
    for code, count in sorted(reviews.items(), key=lambda kv: -kv[1]):
        entry = registered_language(code)
        name = entry.english_name if entry else code
        # the Scandinavian language read best (its own base model): short texts of it are
        # the ones detected as its neighbours
        near = [
            e
            for e in full
            if code in SCANDINAVIAN
            and e.code in SCANDINAVIAN
            and e.code != code
            and e.has(Resource.BASE_SENTIMENT_MODEL)
        ]
        hint = (
            f"if they are {near[0].english_name} (short {near[0].english_name} texts are "
            f'often read as {name}), set language = "{near[0].code}" on the source (or import '
            f"with --language {near[0].code}) so that new reviews are read as such, and "
            f"`rivalscope db read-as {near[0].code} --source NAME` for those stored"
            if near
            else ""
        )
        if entry is not None and complete(entry):
            if hint:
                notes.append(f"note: {counted(count, 'review')} in {code}: {hint}")
            continue
        hint = f"; {hint}" if hint else ""
        if entry is None:
            what, why = "no sentiment, aspects or needs", "has no aspect taxonomy yet"
        elif not entry.has(Resource.ASPECT_TERMS):
            what, why = "sentiment but no aspects or needs", "has no aspect taxonomy yet"
        else:
            what, why = "sentiment and aspects but no needs", "has no need phrases yet"
        notes.append(
            f"note: {counted(count, 'review')} in {code} {'gets' if count == 1 else 'get'} {what}: {name} {why} "
            f"(aspects and needs are read in {', '.join(e.code for e in full)}){hint}"
        )
    return notes


def print_summary(summary: AnalyzeSummary, candidates: list[tuple[str, str | None, int]]) -> None:
    """A table per language (reviews, model that scored them, labels), top aspects, needs."""
    from compare.analysis.sentiment.bundle import guard_figures, guard_outcome
    from compare.analysis.sentiment.features import POOLED

    console = command_console()
    if summary.model_trained:
        pooled = summary.model_pooled_languages
        guard = summary.model_guard
        own = [
            lang
            for lang in summary.model_languages
            if lang not in pooled and lang != POOLED and lang not in guard
        ]
        parts = [f"own classifiers for {', '.join(own)}"] if own else []
        if pooled:
            parts.append(
                f"one pooled classifier for {', '.join(pooled)} (too few clear ratings for "
                "their own)"
            )
        for lang, figures in sorted(guard.items()):
            # "no: model ..." (as `sentiment train` writes it): Norwegian's code before the
            # outcome without the colon read "no model trained on your ratings"
            parts.append(
                f"{lang}: {guard_outcome(figures)} (held-out ratings: {guard_figures(figures)})"
            )
        console.print(
            f"trained sentiment model {summary.model_name}: "
            + ("; ".join(parts) if parts else "no language of its own")
        )
    if summary.analyzed == 0:
        console.print(
            f"nothing to analyse: every review is analysed (analyser version {summary.analyzer_version})"
        )
        return
    table = Table(title=f"{summary.analyzed} reviews analysed")
    for column in ("language", "reviews", "model", "positive", "negative", "neutral", "unknown"):
        table.add_column(column, justify="left" if column in ("language", "model") else "right")
    for language, stats in sorted(summary.languages.items(), key=lambda kv: -kv[1].reviews):
        table.add_row(
            language,
            str(stats.reviews),
            ", ".join(m for m, _ in stats.models.most_common(2)),
            f"{stats.positive / stats.reviews:.0%}",
            f"{stats.negative / stats.reviews:.0%}",
            f"{stats.neutral / stats.reviews:.0%}",
            f"{stats.unknown / stats.reviews:.0%}",
        )
    print_table(table, out=console)
    for note in _unanalysed_language_notes({k: v.reviews for k, v in summary.languages.items()}):
        console.print(note, markup=False, highlight=False)
    if summary.aspects:
        console.print(
            "top aspects: " + ", ".join(f"{a} {n}" for a, n in summary.aspects.most_common(7))
        )
    if summary.needs:
        console.print("needs: " + ", ".join(f"{k} {n}" for k, n in summary.needs.most_common()))
    if summary.need_topics:
        console.print(
            "top need topics: "
            + ", ".join(f"{t} {n}" for t, n in summary.need_topics.most_common(8))
        )
    if summary.function_words:
        console.print(
            "function words learnt from your reviews (not aspects or need topics): "
            + "; ".join(
                f"{lang} {len(words)} ({', '.join(sorted(words)[:SHOWN_FUNCTION_WORDS])}"
                + (", ...)" if len(words) > SHOWN_FUNCTION_WORDS else ")")
                for lang, words in sorted(summary.function_words.items())
            ),
            markup=False,
            highlight=False,
        )
    if candidates:
        console.print(
            "candidate aspects: "
            + ", ".join(f"{p} ({lang or '?'}) {n}" for p, lang, n in candidates[:10])
        )
