"""Training sentiment models from the database's rated reviews or from labelled files."""

from __future__ import annotations

import json
import random
from collections import Counter, defaultdict
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, or_, select

from compare.analysis.input_errors import AnalysisInputError
from compare.analysis.sentiment.adapted import (
    BINARY,
    CORRECTED,
    FOLDS,
    KFOLD_UP_TO,
    MIN_ADAPT,
    REPEATS,
    AdaptedClassifier,
    GuardResult,
    adapt_with_guard,
    adaptable,
)
from compare.analysis.sentiment.base_models import (
    BaseColumns,
    has_base,
    new_base_columns,
    remember_base_columns,
)
from compare.analysis.sentiment.bundle import ModelBundle
from compare.analysis.sentiment.classifier import SentimentClassifier, train_classifier
from compare.analysis.sentiment.features import POOLED
from compare.analysis.sentiment.featurise_once import featurising_once
from compare.analysis.sentiment.labels import (
    NEGATIVE_RATING_AT_MOST,
    POSITIVE_RATING_AT_LEAST,
    TRAINING_LABELS,
    label_from_rating,
    normalized_rating,
)
from compare.analysis.sentiment.lexicon import lexicon_name
from compare.analysis.sentiment.lexicon_guard import LEXICON, guard_lexicon
from compare.analysis.sentiment.opinion import detector_columns, remember_detector_columns
from compare.analysis.tables import REVIEW
from compare.analysis.text import LemmaMemo, new_lemmas, remember_lemmas
from settings.language_detection import detect_language
from settings.languages import normalize_language_code

MIN_PER_LABEL = 25
"""A language without a shipped base model gets its own classifier once it has this many examples of each of 2+ labels..."""
MIN_EXAMPLES = 100
"""...and this many labelled examples in all; below that the lexicon fallback is used."""
MIN_POOLED_LANGUAGE = 20
"""A language without its own classifier is scored by the pooled multilingual one (trained
on every language's examples, char n-grams shared across languages) when the pool holds at
least this many of its examples; the pool itself needs MIN_EXAMPLES / MIN_PER_LABEL overall."""
MAX_EXAMPLES_PER_LANGUAGE = 20_000
"""Larger sets are sampled (seeded): accuracy has levelled off long before."""
RETRAIN_GROWTH = 1.2
"""The database model is retrained when a language's labelled examples grew by 20 %."""

Examples = dict[str, list[tuple[str, str]]]
"""language -> [(text, label)]"""
Call = tuple[Callable[..., Any], tuple[Any, ...]]
"""A module-level function and its arguments (picklable, for a pool)."""

RATING_RULE = (
    f"star ratings: rating_normalized >= {POSITIVE_RATING_AT_LEAST} positive, "
    f"<= {NEGATIVE_RATING_AT_MOST} negative, middle ratings unused"
)


def examples_from_database(engine: Engine) -> Examples:
    """Texts of reviews with a clear rating and a known language, labelled by the rating."""
    c = REVIEW.c
    query = select(c.title, c.text, c.rating_normalized, c.language).where(
        c.text.is_not(None), c.rating_normalized.is_not(None), c.language.is_not(None)
    )
    out: Examples = defaultdict(list)
    with engine.connect() as connection:
        for title, text, rating, language in connection.execute(query):
            label = label_from_rating(rating)
            code = normalize_language_code(language)
            if label is not None and code is not None:
                out[code].append((" ".join(t for t in (title, text) if t), label))
    return dict(out)


def labelled_counts(engine: Engine) -> dict[str, int]:
    """Language -> number of reviews the rating rule would label (cheap SQL, no texts)."""
    c = REVIEW.c
    query = (
        select(c.language, func.count())
        .where(
            c.text.is_not(None),
            c.language.is_not(None),
            or_(
                c.rating_normalized >= POSITIVE_RATING_AT_LEAST,
                c.rating_normalized <= NEGATIVE_RATING_AT_MOST,
            ),
        )
        .group_by(c.language)
    )
    counts: Counter[str] = Counter()
    with engine.connect() as connection:
        for language, count in connection.execute(query):
            code = normalize_language_code(language)
            if code is not None:
                counts[code] += int(count)
    return dict(counts)


def trainable(examples: list[tuple[str, str]]) -> bool:
    """Enough examples (thresholds above) to train a classifier for one language."""
    counts = Counter(label for _, label in examples)
    enough_labels = sum(1 for n in counts.values() if n >= MIN_PER_LABEL)
    return len(examples) >= MIN_EXAMPLES and enough_labels >= 2


@dataclass(frozen=True)
class TrainingJob:
    """One classifier to fit: a language's examples, or the pooled model's (``POOLED``);
    ``adapt``: a guarded correction of the language's shipped base model."""

    key: str
    rows: list[tuple[str, str]]
    adapt: bool = False
    lexicon: bool = False
    """A model of the ratings guarded against the language's lexicons (``lexicon_guard``)."""
    others: list[tuple[str, str]] | None = None
    """For ``adapt`` or ``lexicon`` of a language too small for its own model: the other
    languages' rows, so that the pooled model competes in the guard."""


def train_job(job: TrainingJob) -> SentimentClassifier | GuardResult:
    """Fit the job's classifier (a module-level function, so a process pool can run it)."""
    with featurising_once():
        texts, labels = [t for t, _ in job.rows], [lab for _, lab in job.rows]
        if job.adapt:
            assert has_base(job.key)
            # a ratings-only model competes, as the user had before the base models shipped:
            # the language's own where its ratings could train one, else the pooled one
            return adapt_with_guard(
                job.key, texts, labels, own_model=trainable(job.rows), others=job.others
            )
        if job.lexicon:
            return guard_lexicon(job.key, texts, labels, others=job.others)
        return train_classifier(texts, labels, job.key)


def qualifies(language: str, count: int) -> bool:
    """Whether ``count`` labelled examples could change how a language is scored: a
    correction of its base model, or (without one) a place in the pooled model."""
    return count >= MIN_ADAPT if has_base(language) else count >= MIN_POOLED_LANGUAGE


def training_jobs(examples: Examples) -> tuple[list[TrainingJob], dict[str, int]]:
    """The classifiers ``train_bundle`` fits, and the languages the pooled one scores.

    A language with a shipped base model gets a guarded job (never a place in the pooled
    one: the base model knows the language better than a few ratings mixed with other
    languages); the guard weighs a correction of the base model and, when the language's
    ratings are ``trainable``, a model of its own ratings. A language scored by lexicons
    gets a guarded job too: a model of its ratings (or the pooled one) must beat them. Only
    languages with neither share the unguarded pooled model (it beats scoring nothing)."""
    pool = [row for rows in examples.values() for row in rows]
    jobs = [
        TrainingJob(
            language,
            _capped(rows, MAX_EXAMPLES_PER_LANGUAGE),
            adapt=True,
            others=_pool_candidate(examples, language, pool),
        )
        for language, rows in sorted(examples.items())
        if has_base(language) and adaptable([lab for _, lab in rows])
    ]
    for language, rows in sorted(examples.items()):
        if has_base(language) or lexicon_name(language) is None:
            continue
        # Scored by its lexicons: a model of its ratings (its own, or with too few for
        # that the pooled one) must beat them on held-out ratings (``lexicon_guard``).
        others = None if trainable(rows) else _pool_candidate(examples, language, pool)
        if adaptable([lab for _, lab in rows]) and (trainable(rows) or others is not None):
            jobs.append(
                TrainingJob(
                    language,
                    _capped(rows, MAX_EXAMPLES_PER_LANGUAGE),
                    lexicon=True,
                    others=others,
                )
            )
    jobs += [
        TrainingJob(language, _capped(rows, MAX_EXAMPLES_PER_LANGUAGE))
        for language, rows in sorted(examples.items())
        if not has_base(language) and lexicon_name(language) is None and trainable(rows)
    ]
    covered = {job.key for job in jobs}
    uncovered = [
        lang
        for lang, rows in examples.items()
        if lang not in covered
        and not has_base(lang)
        and lexicon_name(lang) is None
        and len(rows) >= MIN_POOLED_LANGUAGE
    ]
    if not (uncovered and trainable(pool)):
        return jobs, {}
    jobs.append(TrainingJob(POOLED, _capped(pool, MAX_EXAMPLES_PER_LANGUAGE)))
    return jobs, {lang: len(examples[lang]) for lang in sorted(uncovered)}


GUARD_POOL_OTHERS = 5_000
"""Other languages' rows in the pooled candidate of a language's guard (sampled, seeded): it
is fitted once per fold, so fewer than the pooled model's MAX_EXAMPLES_PER_LANGUAGE."""


def _pool_candidate(
    examples: Examples, language: str, pool: list[tuple[str, str]]
) -> list[tuple[str, str]] | None:
    """Other languages' rows when a base-model language would have been pooled before (too
    few ratings for its own model, enough for the pool), else None."""
    rows = examples[language]
    if trainable(rows) or len(rows) < MIN_POOLED_LANGUAGE or not trainable(pool):
        return None
    others = [row for lang, rows in sorted(examples.items()) if lang != language for row in rows]
    return _capped(others, GUARD_POOL_OTHERS) if others else None


def train_bundle(
    examples: Examples, training_data: str, *, pool: Executor | None = None
) -> ModelBundle:
    """For every language with a base model and enough ratings, the guard's choice of base
    model, base plus correction or (enough ratings) a model of the ratings alone; for other languages a classifier for each with enough examples, plus a pooled
    one for the languages below that threshold but with MIN_POOLED_LANGUAGE examples (if the
    pool as a whole is trainable). Other languages use the base models or the lexicons.

    With ``pool``, the jobs run side by side (``TrainingOnPool``)."""
    if pool is not None:
        return TrainingOnPool(examples, pool).run(training_data)[0]
    jobs, pooled_languages = training_jobs(examples)
    fitted = [train_job(job) for job in jobs]
    return _bundle_of(examples, jobs, fitted, pooled_languages, training_data)


class TrainingOnPool:
    """``train_bundle``'s jobs on a pool, one call each, the costliest first (``job_cost``),
    then ``also`` (other calls, e.g. learning function words), which fill the time the
    training leaves a process idle.

    A job runs whole in one process: its guard's folds featurise the same ratings, which
    that process then does once. Its folds were calls of their own for a while, for one
    job that would hold the training up alone; on benchmarks/analyze.py's reviews that
    never paid: the synthetic ones' four jobs cost about the same (none was split), and of
    --text-from's, the Norwegian k-fold guard (~19 CPU-s) costs about what the three other
    jobs cost together (~20), so whole jobs keep both processes busy, while split, every
    process that fitted a fold featurised the ratings again (training CPU 38.1 -> 35.7 s
    whole, medians of 3, load 7-11).

    A call of ``also`` given for a language (``then``) lemmatises that language's texts: it
    runs right after the language's training job, in the same call, where the job's lemmas
    are in the process's memo. On a process of its own it lemmatised most of the tokens the
    job had lemmatised in the other one (on benchmarks/analyze.py --text-from's reviews,
    ~107,000 lemmatisations in the training's two processes for 72,000 distinct tokens)."""

    def __init__(self, examples: Examples, pool: Executor) -> None:
        self.examples = examples
        self.jobs, self.pooled_languages = training_jobs(examples)
        self.pool = pool
        self.own_columns: OwnColumns = {}
        """After ``run``: the character n-gram columns of the classifiers the jobs trained
        (``own_columns``), found in the pool processes, for ``remember_own_columns``."""

    def run(
        self,
        training_data: str,
        also: list[Call] | None = None,
        then: list[str | None] | None = None,
    ) -> tuple[ModelBundle, list[Any]]:
        """The trained bundle, as ``train_bundle`` in this process makes it, and the results
        of ``also`` (the lemmas the pool processes found are added to this process's memo).
        ``then``: for each call of ``also``, the language whose texts it lemmatises (it then
        follows that language's training job), or None."""
        also = list(also or [])
        languages = list(then or [None] * len(also))
        following = {
            language: i
            for i, language in enumerate(languages)
            if language is not None and any(job.key == language for job in self.jobs)
        }
        costliest_first = sorted(range(len(self.jobs)), key=lambda i: -job_cost(self.jobs[i]))
        job_futures = {
            i: self.pool.submit(
                _pool_call,
                train_then,
                (
                    self.jobs[i],
                    also[following[key]] if (key := self.jobs[i].key) in following else None,
                ),
            )
            for i in costliest_first
        }
        alone = {
            i: self.pool.submit(_pool_call, *call)
            for i, call in enumerate(also)
            if i not in following.values()
        }
        fitted: list[Any] = [None] * len(self.jobs)
        results: list[Any] = [None] * len(also)
        for i, future in job_futures.items():
            (fitted[i], columns, after), handed = future.result()
            _remember(handed)
            key = self.jobs[i].key
            if columns:
                self.own_columns[key] = columns
            if key in following:
                results[following[key]] = after
        for i, future in alone.items():
            results[i], handed = future.result()
            _remember(handed)
        bundle = _bundle_of(self.examples, self.jobs, fitted, self.pooled_languages, training_data)
        return bundle, results


def train_then(
    job: TrainingJob, then: Call | None
) -> tuple[SentimentClassifier | GuardResult, dict[str, bytes], Any]:
    """``train_job`` and the character n-gram columns its classifier found
    (``trained_columns``), then ``then`` in the same process (None: nothing)."""
    fitted = train_job(job)
    chosen = fitted.classifier if isinstance(fitted, GuardResult) else fitted
    columns = trained_columns(chosen) if chosen is not None else {}
    return fitted, columns, None if then is None else then[0](*then[1])


OwnColumns = dict[str, dict[str, bytes]]
"""A bundle's key -> token -> its character n-gram columns in that key's classifier."""


def trained_columns(classifier: SentimentClassifier | AdaptedClassifier) -> dict[str, bytes]:
    """The character n-gram columns a classifier trained in this process found (its
    training texts' tokens; none for a correction of a base model, which reads the base
    model's): the analysis scores the same reviews with it, and its vocabulary and a token
    are all a column depends on."""
    if not isinstance(classifier, SentimentClassifier):
        return {}
    return classifier.vectorizer.new_char_columns()


def own_columns(bundle: ModelBundle) -> OwnColumns:
    """``trained_columns`` of each classifier of a bundle trained in this process."""
    out: OwnColumns = {}
    for key, classifier in bundle.classifiers.items():
        columns = trained_columns(classifier)
        if columns:
            out[key] = columns
    return out


def remember_own_columns(bundle: ModelBundle, columns: OwnColumns) -> None:
    """Give the classifiers of ``bundle`` (the trained bundle as saved and read again) the
    columns their training found (``own_columns``, ``TrainingOnPool.own_columns``): the
    analysis workers, forked after this, look them up instead of finding them again."""
    for key, found in columns.items():
        classifier = bundle.classifiers.get(key)
        if isinstance(classifier, SentimentClassifier):
            classifier.vectorizer.remember_char_columns(found)


Handover = tuple[LemmaMemo, BaseColumns, BaseColumns]


def _remember(handed: Handover) -> None:
    lemmas_found, columns_found, detector_found = handed
    remember_lemmas(lemmas_found)
    remember_base_columns(columns_found)
    remember_detector_columns(detector_found)


def _pool_call(function: Callable[..., Any], args: tuple[Any, ...]) -> tuple[Any, Handover]:
    """A call in a pool process, with the lemmas and the base models' character n-gram
    columns that process found since its last call, and the opinion detectors' columns of
    the same tokens: the analysis workers, forked from the pool's parent after training,
    then look them up instead of finding them again for the same reviews
    (``remember_lemmas``, ``remember_base_columns``, ``remember_detector_columns``)."""
    result = function(*args)
    columns = new_base_columns()
    return result, (new_lemmas(), columns, detector_columns(columns))


def job_cost(job: TrainingJob) -> int:
    """A job's expected cost, in rows fitted: a guarded job with up to KFOLD_UP_TO
    positive/negative ratings fits each of its candidates FOLDS times over REPEATS fold
    seeds (at most); above, once on a held-out split. (Ordered by rows alone, 1,929
    Norwegian ratings in k-folds were fitted last on benchmarks/analyze.py --text-from's
    reviews, after the larger held-out jobs, and held the training up alone.)"""
    rows = len(job.rows) + len(job.others or ())
    if not (job.adapt or job.lexicon):
        return rows
    binary = sum(1 for _, label in job.rows if label in BINARY)
    return rows * (FOLDS * REPEATS if binary <= KFOLD_UP_TO else 1)


def _bundle_of(
    examples: Examples,
    jobs: list[TrainingJob],
    fitted: list[SentimentClassifier | GuardResult],
    pooled_languages: dict[str, int],
    training_data: str,
) -> ModelBundle:
    classifiers: dict[str, SentimentClassifier | AdaptedClassifier] = {}
    guard: dict[str, dict[str, Any]] = {}
    for job, result in zip(jobs, fitted, strict=True):
        if not isinstance(result, GuardResult):
            classifiers[job.key] = result
            continue
        guard[job.key] = {
            "base_accuracy": round(result.base_accuracy, 4),
            "adapted_accuracy": (
                None if result.baseline == LEXICON else round(result.adapted_accuracy, 4)
            ),
            "own_accuracy": None if result.own_accuracy is None else round(result.own_accuracy, 4),
            "held_out": result.held_out,
            "ratings_model": result.ratings_model,
            "chosen": result.chosen,
            "baseline": result.baseline,
            "kept": result.chosen == CORRECTED,
        }
        chosen = result.classifier
        if chosen is not None:
            classifiers[job.key] = chosen
    return ModelBundle(
        classifiers=classifiers,
        training_data=training_data,
        examples={lang: len(rows) for lang, rows in sorted(examples.items())},
        pooled_languages=pooled_languages,
        guard=guard,
    )


def _capped(rows: list[tuple[str, str]], limit: int) -> list[tuple[str, str]]:
    """The rows in a fixed order (the database returns them in crawl order, which varies
    between runs and moved the guard's folds: en's held-out correction accuracy on the demo
    ran 0.927-0.941 over three runs of the same ratings), sampled down to ``limit``."""
    ordered = sorted(rows)
    return random.Random(0).sample(ordered, limit) if len(ordered) > limit else ordered


def needs_retraining(counts: dict[str, int], trained: dict[str, int]) -> bool:
    """True when a language that could get a model (correction of its base model, own or
    pooled) has grown by RETRAIN_GROWTH since the last training, and the data could train
    anything at all."""
    pool_possible = sum(counts.values()) >= MIN_EXAMPLES
    return any(
        qualifies(lang, n)
        and (has_base(lang) or pool_possible)
        and n >= RETRAIN_GROWTH * trained.get(lang, 0)
        for lang, n in counts.items()
    )


def examples_from_jsonl(path: Path) -> Examples:
    """Read ``{"text", "label"}`` or ``{"text", "rating", "best_rating"?}`` lines (``lang``
    optional, detected when absent). Bad lines raise AnalysisInputError naming the line."""
    try:
        lines = path.read_text("utf-8").splitlines()
    except FileNotFoundError:
        raise AnalysisInputError(f"training file {path} does not exist") from None
    except UnicodeDecodeError:
        raise AnalysisInputError(f"training file {path} is not UTF-8 text") from None
    except IsADirectoryError:
        raise AnalysisInputError(f"training file {path} is a folder; give a .jsonl file") from None
    except OSError as exc:
        raise AnalysisInputError(f"training file {path} cannot be read ({exc.strerror})") from None
    out: Examples = defaultdict(list)
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise AnalysisInputError(f"{where}: not JSON ({exc.msg})") from None
        except RecursionError:
            raise AnalysisInputError(f"{where}: not JSON (nested too deep)") from None
        except ValueError:  # Python refuses integers of more than 4,300 digits
            raise AnalysisInputError(f"{where}: not JSON (number too long)") from None
        if not isinstance(row, dict) or not isinstance(row.get("text"), str):
            raise AnalysisInputError(f'{where}: needs an object with a "text" string')
        label = _label_of(row, where)
        if label is None:
            continue
        language = (
            normalize_language_code(row.get("lang")) if isinstance(row.get("lang"), str) else None
        )
        if language is None:
            language = detect_language(row["text"])[0]
        if language is not None:
            out[language].append((row["text"], label))
    return dict(out)


def _label_of(row: dict[str, object], where: str) -> str | None:
    label = row.get("label")
    if label is not None:
        if label not in TRAINING_LABELS:
            raise AnalysisInputError(
                f'{where}: "label" must be one of {", ".join(TRAINING_LABELS)}, got {label!r}'
            )
        return str(label)
    rating, best = row.get("rating"), row.get("best_rating")
    if not isinstance(rating, int | float) or isinstance(rating, bool):
        raise AnalysisInputError(f'{where}: needs "label" or a numeric "rating"')
    if best is not None and not isinstance(best, int | float):
        raise AnalysisInputError(f'{where}: "best_rating" must be a number')
    normalized = normalized_rating(float(rating), float(best) if best is not None else None)
    if normalized is None:
        raise AnalysisInputError(f"{where}: rating {rating} is outside its scale")
    return label_from_rating(normalized)
