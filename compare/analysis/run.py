"""``analyze_database``: analyse every review the current analyser version has not seen.

Flow: refresh the per-language sentiment model from rated reviews when enough new ones
exist, and learn the function words of the reviews' languages when they grew (both on one
process pool: the training's jobs first, the learning behind them), select pending reviews
(no ``review_analysis`` row for this version), analyse them in chunks on a process pool (both cores), and write results with batched core inserts,
replacing the reviews' detail rows from any older analysis.
"""

from __future__ import annotations

import ctypes
import gc
import json
import multiprocessing
import os
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from sqlalchemy import Engine, func, select

from compare.analysis.exclusive import exclusive_analysis
from compare.analysis.function_words import (
    FunctionWordsPlan,
    learn_language,
    learning_texts,
    plan_function_words,
)
from compare.analysis.input_errors import AnalysisInputError
from compare.analysis.model_versions import ModelVersions, check_cache_writable
from compare.analysis.result_rows import ResultRows, plain_dialect, result_rows, write_rows
from compare.analysis.review import ReviewInput, ReviewResult, analyze_reviews
from compare.analysis.sentiment.bundle import (
    ModelBundle,
    bundle_is_current,
    load_bundle,
)
from compare.analysis.sentiment.lexicon_features import warm_lexicons
from compare.analysis.sentiment.scorer import SentimentScorer, warm_shipped_models
from compare.analysis.tables import (
    REVIEW,
    REVIEW_ANALYSIS,
)
from compare.analysis.taxonomy import Taxonomy, load_taxonomy
from compare.analysis.text import warm_lemmatizer
from compare.analysis.training import (
    RATING_RULE,
    Examples,
    OwnColumns,
    TrainingOnPool,
    examples_from_database,
    labelled_counts,
    needs_retraining,
    own_columns,
    remember_own_columns,
    train_bundle,
    training_jobs,
)
from compare.analysis.version import ANALYZER_VERSION
from settings.languages import normalize_language_code
from settings.pause_points import pause_point
from storage.child_process import HelperPool, die_with_parent, ignore_interrupts
from storage.dialects import Dialect

CHUNK = 125
"""Reviews per worker task: small enough that a chunk's matrices stay in the CPU caches
(measured ~10 % less CPU per review than 250), large enough that task overhead is small."""
AHEAD = 12
"""Chunks queued per worker: covers a batch write (WRITE_BATCH reviews) in this process."""
WRITE_BATCH = 2_000
"""Reviews per database transaction."""
TAIL_WRITE = 4 * CHUNK
"""Reviews per transaction once the workers hold the last chunks (``_write_now``)."""
IN_PROCESS_BELOW = 1_500
"""Fewer pending reviews than this are analysed in-process (a pool costs ~1 s to start)."""
PAUSE_POINT = "analyze-writes"
"""Kill tests' pause point (``settings.pause_points``), counted in committed write batches:
reached at each analysed chunk, so a pause always has workers running and reviews pending."""


@dataclass
class LanguageSummary:
    reviews: int = 0
    positive: int = 0
    negative: int = 0
    neutral: int = 0
    unknown: int = 0
    models: Counter[str] = field(default_factory=Counter)


@dataclass
class AnalyzeSummary:
    """What one ``analyze_database`` call did."""

    analyzer_version: str
    analyzed: int = 0
    """Reviews analysed in this call (0 when everything was up to date)."""
    languages: dict[str, LanguageSummary] = field(default_factory=dict)
    """Language code (``"?"`` for undetectable) -> counts and the models that scored it."""
    aspects: Counter[str] = field(default_factory=Counter)
    """Aspect -> mentions found in this call."""
    needs: Counter[str] = field(default_factory=Counter)
    """Need kind -> sentences found in this call."""
    need_topics: Counter[str] = field(default_factory=Counter)
    """Need topic ("app", "timer", ...) -> sentences found in this call."""
    function_words: dict[str, frozenset[str]] = field(default_factory=dict)
    """Language -> the function words learnt from its reviews that bounded this call's key
    phrases and need topics besides the stopwords (``compare.analysis.function_words``)."""
    model_folder: Path | None = None
    """The sentiment model version trained from the database's ratings (None: the shipped
    base models and the lexicon fallbacks only)."""
    model_name: str | None = None
    """How the model version is named to the user: its folder, or its version when it is
    kept in the database."""
    model_trained: bool = False
    """True if this call trained a new model version from the database's ratings."""
    model_languages: list[str] = field(default_factory=list)
    """Languages the model scores: its own classifiers' (with ``multi``, the pooled one) and
    the languages the pooled classifier scores."""
    model_pooled_languages: list[str] = field(default_factory=list)
    """The languages scored by the pooled classifier (too few ratings for their own)."""
    model_guard: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Languages with a shipped base model whose correction by the ratings was tried -> the
    base model's and the correction's held-out accuracy and whether it was kept."""


def analyze_database(
    engine: Engine,
    *,
    progress: bool = True,
    analyzer_version: str = ANALYZER_VERSION,
    taxonomy_file: Path | None = None,
    models_dir: Path | None = None,
    workers: int | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> AnalyzeSummary:
    """Analyse every review not yet analysed by ``analyzer_version``; see the module doc.

    One analysis at a time per database (``compare.analysis.exclusive``): a second one
    waits (telling ``on_wait``), then finds the model trained and the reviews analysed."""
    taxonomy = load_taxonomy(taxonomy_file)  # fail early on a bad file
    if models_dir is not None and models_dir.exists() and not models_dir.is_dir():
        raise AnalysisInputError(f"--models-dir {models_dir} is a file, not a folder")
    if models_dir is not None:
        _check_writable(models_dir)
    store = ModelVersions(engine, models_dir)
    if store.in_database:
        check_cache_writable(store.root)
    with exclusive_analysis(engine, on_wait or _quiet):
        return _analyze_database(
            engine, taxonomy, analyzer_version, progress, taxonomy_file, store, workers
        )


def _quiet(_: str) -> None:
    return None


def _check_writable(models_dir: Path) -> None:
    """AnalysisInputError (one line) if models cannot be written into ``models_dir``: found
    before any review is analysed, not as a traceback once a model is trained."""
    try:
        models_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=models_dir):
            pass
    except OSError as exc:
        raise AnalysisInputError(
            f"--models-dir {models_dir}: models cannot be written there ({exc.strerror or exc})"
        ) from None


def _analyze_database(
    engine: Engine,
    taxonomy: Taxonomy,
    analyzer_version: str,
    progress: bool,
    taxonomy_file: Path | None,
    store: ModelVersions,
    workers: int | None,
) -> AnalyzeSummary:
    summary = AnalyzeSummary(analyzer_version=analyzer_version)
    pending = _pending_count(engine, analyzer_version)
    count = workers if workers is not None else (os.cpu_count() or 1)
    processes = count if pending >= IN_PROCESS_BELOW else 1
    if processes > 1 and _pool_context().get_start_method() == "fork":
        # the training and the analysis workers inherit them instead of each parsing them
        _warm_models(_pending_languages(engine, analyzer_version))
    # the function words are learnt on the training's pool, behind its jobs
    learning = (
        plan_function_words(
            engine,
            taxonomy,
            _pending_languages(engine, analyzer_version),
            store.function_words(),
            writes=not store.in_database,  # there: kept with the model version
        )
        if pending
        else None
    )
    folder, summary.model_trained, learnt_words, columns = _refresh_and_learn(
        engine, store, processes, learning
    )
    summary.model_folder = folder
    summary.model_name = store.describe(folder) if folder is not None else None
    if folder is not None:
        (
            summary.model_languages,
            summary.model_pooled_languages,
            summary.model_guard,
        ) = _model_languages(folder)
    if learning is None:
        return summary
    bundle = load_bundle(folder) if folder is not None else None
    if bundle is not None and summary.model_trained:
        remember_own_columns(bundle, columns)
    learnt = summary.function_words = learning.finish(learnt_words)
    plain = plain_dialect(engine)
    batch = ResultRows()
    writes = 0
    unreceived = pending
    with _progress_bar(progress, pending) as advance:
        for rows, counts in _analyse_pending(
            engine,
            _Job(analyzer_version, folder, taxonomy_file, plain, learnt),
            bundle,
            taxonomy,
            processes,
        ):
            pause_point(PAUSE_POINT, writes)
            batch.extend(rows)
            _merge(summary, counts)
            advance(len(rows.review_ids))
            unreceived -= len(rows.review_ids)
            if _write_now(len(batch.review_ids), unreceived, processes):
                write_rows(engine, batch, plain=plain)
                writes += 1
                batch = ResultRows()
        if batch.review_ids:
            write_rows(engine, batch, plain=plain)
    return summary


def _warm_models(languages: list[str]) -> None:
    """``warm_lexicons`` and ``warm_shipped_models`` side by side: the shipped models are
    decompressed on a thread (without the GIL) while this one builds the lexicons; both
    are done when this returns (before any pool forks)."""
    with ThreadPoolExecutor(max_workers=1) as loader:
        shipped = loader.submit(warm_shipped_models, languages)
        warm_lexicons(languages)
        shipped.result()


def _write_now(batched: int, unreceived: int, processes: int) -> bool:
    """Whether to write the ``batched`` reviews now: a full WRITE_BATCH, or TAIL_WRITE once
    the pool holds the last chunks (at most AHEAD per process; ``unreceived`` reviews still
    to come). Those writes run while the workers finish, so the last one, which nothing
    runs beside, is small: a whole WRITE_BATCH of them ended every analysis."""
    if batched >= WRITE_BATCH:
        return True
    return processes > 1 and batched >= TAIL_WRITE and unreceived <= AHEAD * processes * CHUNK


def refresh_database_model(
    engine: Engine, models_dir: Path | None = None, *, workers: int = 1
) -> tuple[Path | None, bool]:
    """Train a new model version when a language newly qualifies or grew by RETRAIN_GROWTH
    (with ``workers`` > 1, the languages' classifiers are fitted on that many processes).

    Returns the folder of the model to use (None: fallbacks only) and whether it is new.
    """
    folder, trained, _, _ = _refresh_and_learn(
        engine, ModelVersions(engine, models_dir), workers, None
    )
    return folder, trained


def _refresh_and_learn(
    engine: Engine, store: ModelVersions, workers: int, learning: FunctionWordsPlan | None
) -> tuple[Path | None, bool, dict[str, frozenset[str]], OwnColumns]:
    """``refresh_database_model``, and the function words of ``learning.to_learn``
    (``learn_language``): with ``workers`` > 1 and more than one task, on one pool, the
    training's jobs first (costliest first), each language's function words right after its
    job in the same process (its lemmas at hand), and those of a language without a job
    then, so that they fill the time the training leaves a process idle. Also the character
    n-gram columns the trained classifiers found (``remember_own_columns``)."""
    to_learn = learning.to_learn if learning is not None else []
    newest = store.newest()
    trained_counts = _trained_counts(newest) if newest is not None else {}
    outdated = newest is not None and not bundle_is_current(newest)
    examples: Examples = {}
    if outdated or needs_retraining(labelled_counts(engine), trained_counts):
        examples = examples_from_database(engine)
    jobs = len(training_jobs(examples)[0]) if examples else 0
    bundle: ModelBundle | None = None
    learnt: dict[str, frozenset[str]] = {}
    columns: OwnColumns = {}
    description = f"database reviews, {RATING_RULE}"
    if workers > 1 and jobs + len(to_learn) > 1:
        with (
            _heap_frozen(),
            HelperPool(
                max_workers=min(workers, jobs + len(to_learn)),
                mp_context=_pool_context(),
                initializer=_start_worker,
                initargs=(os.getpid(),),
            ) as pool,
        ):
            # each language's learning follows its training job (the job's lemmas at hand)
            training = TrainingOnPool(examples, pool)
            bundle, words = training.run(
                description,
                [(learn_language, (code, learning_texts(engine, code))) for code in to_learn],
                then=list(to_learn),
            )
            columns = training.own_columns
            learnt = dict(zip(to_learn, words, strict=True))
            if not jobs:
                bundle = None
    else:
        bundle = train_bundle(examples, description) if jobs else None
        columns = own_columns(bundle) if bundle is not None else {}
        learnt = {code: learn_language(code, learning_texts(engine, code)) for code in to_learn}
    # a database keeps the words as a file of its model version, a new one's in its transaction
    kept = learning.content(learnt) if learning is not None and store.in_database else None
    if bundle is not None:
        return store.save(bundle, kept), True, learnt, columns
    if kept is not None:
        store.save_function_words(kept)
    # an outdated model cannot be read by this version: base models and fallbacks score
    return (None if outdated else newest), False, learnt, {}


def database_bundle(engine: Engine, models_dir: Path | None = None) -> ModelBundle | None:
    """The newest model trained from this database, if any (None also when it is of an
    older format or base: ``analyze`` retrains it, until then the shipped models score)."""
    newest = ModelVersions(engine, models_dir).newest()
    if newest is None or not bundle_is_current(newest):
        return None
    return load_bundle(newest)


def _trained_counts(folder: Path) -> dict[str, int]:
    """Language -> labelled examples the model version was trained from."""
    meta = json.loads((folder / "meta.json").read_text("utf-8"))
    if "examples" in meta:
        return {str(k): int(v) for k, v in meta["examples"].items()}
    return {
        lang: sum(info.get("label_counts", {}).values())
        for lang, info in meta.get("languages", {}).items()
    }


def _model_languages(
    folder: Path,
) -> tuple[list[str], list[str], dict[str, dict[str, Any]]]:
    """(every language the model scores, the ones its pooled classifier scores, the guard's
    figures per corrected base model), from its meta.json (cheaper than loading the
    classifiers when nothing is pending)."""
    meta = json.loads((folder / "meta.json").read_text("utf-8"))
    pooled = sorted(meta.get("pooled_languages", {}))
    guard = {str(k): dict(v) for k, v in meta.get("guard", {}).items()}
    return sorted(set(meta.get("languages", {})) | set(pooled)), pooled, guard


def _pending_filter(analyzer_version: str) -> Any:
    done = select(REVIEW_ANALYSIS.c.review_id).where(
        REVIEW_ANALYSIS.c.analyzer_version == analyzer_version
    )
    return REVIEW.c.id.not_in(done)


def _pending_query(analyzer_version: str, after_id: int, limit: int) -> Any:
    c = REVIEW.c
    return (
        select(c.id, c.company_id, c.text, c.title, c.language, c.published)
        .where(c.id > after_id, _pending_filter(analyzer_version))
        .order_by(c.id)
        .limit(limit)
    )


def _pending_languages(engine: Engine, analyzer_version: str) -> list[str]:
    query = (
        select(REVIEW.c.language)
        .where(_pending_filter(analyzer_version), REVIEW.c.language.is_not(None))
        .distinct()
    )
    with engine.connect() as connection:
        codes = {normalize_language_code(str(code)) for (code,) in connection.execute(query)}
    return sorted(code for code in codes if code is not None)


def _pending_count(engine: Engine, analyzer_version: str) -> int:
    query = select(func.count()).select_from(REVIEW).where(_pending_filter(analyzer_version))
    with engine.connect() as connection:
        return int(connection.execute(query).scalar_one())


def _pending_chunks(engine: Engine, analyzer_version: str) -> Iterator[list[ReviewInput]]:
    last_id = 0
    while True:
        with engine.connect() as connection:
            rows = connection.execute(_pending_query(analyzer_version, last_id, WRITE_BATCH)).all()
        if not rows:
            return
        last_id = rows[-1][0]
        # chunks of one language where possible: a worker then keeps to one model and
        # vocabulary at a time (~15 % faster than chunks mixing four languages)
        reviews = sorted(
            (ReviewInput(*row) for row in rows),
            key=lambda r: (normalize_language_code(r.language) or "", r.review_id),
        )
        for start in range(0, len(reviews), CHUNK):
            yield reviews[start : start + CHUNK]


@dataclass(frozen=True)
class _Job:
    """What every chunk's analysis needs to know besides the model and taxonomy objects."""

    analyzer_version: str
    model_folder: Path | None
    taxonomy_file: Path | None
    plain: Dialect | None
    """The database's dialect when it takes plain rows (``result_rows.plain_dialect``)."""
    learnt: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """Language -> function words learnt from its reviews (``database_function_words``)."""


ChunkOutput = tuple[ResultRows, AnalyzeSummary]

# Worker state: set in the parent before forking (inherited with the taxonomy's and the
# lemmatiser's memos), or by _init_worker in each spawned process.
_worker_scorer: SentimentScorer | None = None
_worker_taxonomy: Taxonomy | None = None
_worker_job: _Job | None = None


def _init_worker(parent: int, job: _Job | None) -> None:
    """Load the worker state in a spawned process (None: it was inherited on fork)."""
    global _worker_scorer, _worker_taxonomy, _worker_job
    _start_worker(parent)
    if job is None:
        return
    _worker_scorer = SentimentScorer(load_bundle(job.model_folder) if job.model_folder else None)
    _worker_taxonomy = load_taxonomy(job.taxonomy_file)
    _worker_job = job


def _start_worker(parent: int) -> None:
    """First thing in every worker: end with ``parent`` (this process: a killed ``analyze``
    leaves no worker behind), and keep freed memory."""
    die_with_parent(parent)
    ignore_interrupts()  # Ctrl-C reaches the whole group: this process stops the pool
    _keep_freed_memory()


KEEP_FREED_BYTES = 256 << 20
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3


def _keep_freed_memory() -> None:
    """Let glibc keep freed memory in this (worker) process instead of unmapping it.

    Every chunk allocates and frees the same few-megabyte arrays; by default glibc maps them
    afresh and returns them to the system, and the page faults cost the workers ~8 % of
    their time. Workers live for one ``analyze``, so holding the memory costs nothing later.
    Other C libraries: nothing happens."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(_M_MMAP_THRESHOLD, KEEP_FREED_BYTES // 4)
        libc.mallopt(_M_TRIM_THRESHOLD, KEEP_FREED_BYTES)
    except (OSError, AttributeError):
        pass


def _inherit_worker_state(
    scorer: SentimentScorer | None, taxonomy: Taxonomy | None, job: _Job | None
) -> None:
    global _worker_scorer, _worker_taxonomy, _worker_job
    _worker_scorer, _worker_taxonomy, _worker_job = scorer, taxonomy, job


def _analyse_chunk(
    chunk: list[ReviewInput], scorer: SentimentScorer, taxonomy: Taxonomy, job: _Job
) -> ChunkOutput:
    results = analyze_reviews(chunk, scorer, taxonomy, job.learnt)
    counts = AnalyzeSummary(analyzer_version=job.analyzer_version)
    _count(counts, results)
    return result_rows(results, job.analyzer_version, plain=job.plain), counts


def _work(chunk: list[ReviewInput]) -> ChunkOutput:
    assert _worker_scorer is not None and _worker_taxonomy is not None and _worker_job
    return _analyse_chunk(chunk, _worker_scorer, _worker_taxonomy, _worker_job)


def _pool_context() -> multiprocessing.context.BaseContext:
    # fork is fast, but not after lingua's native thread pool exists in this process
    from settings.language_detection import _detector

    if _detector.cache_info().currsize == 0 and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _analyse_pending(
    engine: Engine,
    job: _Job,
    bundle: ModelBundle | None,
    taxonomy: Taxonomy,
    processes: int,
) -> Iterator[ChunkOutput]:
    chunks = _pending_chunks(engine, job.analyzer_version)
    scorer = SentimentScorer(bundle)
    if processes <= 1:
        for chunk in chunks:
            yield _analyse_chunk(chunk, scorer, taxonomy, job)
        return
    context = _pool_context()
    forked = context.get_start_method() == "fork"
    if forked:
        # forked workers inherit the model, the taxonomy and the built lemma stores
        warm_lemmatizer(_pending_languages(engine, job.analyzer_version))
        _inherit_worker_state(scorer, taxonomy, job)
    try:
        with _heap_frozen(), ExitStack() as stack:
            # one single-process pool per worker, so that a language's chunks keep to one
            # worker (``_LanguageRouting``)
            pools = [
                stack.enter_context(
                    HelperPool(
                        max_workers=1,
                        mp_context=context,
                        initializer=_init_worker,
                        initargs=(os.getpid(), None if forked else job),
                    )
                )
                for _ in range(processes)
            ]
            routing = _LanguageRouting(processes)
            # enough chunks queued that the workers keep going while this process writes
            window: list[tuple[int, Any]] = []
            for chunk in chunks:
                worker = routing.worker_for(
                    normalize_language_code(chunk[0].language),
                    [
                        sum(1 for w, f in window if w == i and not f.done())
                        for i in range(processes)
                    ],
                )
                window.append((worker, pools[worker].submit(_work, chunk)))
                if len(window) >= AHEAD * processes:
                    yield window.pop(0)[1].result()
            for _, future in window:
                yield future.result()
    finally:
        _inherit_worker_state(None, None, None)


ROUTING_SLACK = 2
"""Chunks a language's worker may hold beyond the least busy worker before a chunk of that
language goes to the other (``_LanguageRouting``): the workers stay busy to the end."""


class _LanguageRouting:
    """Which worker analyses a chunk: its language's own (the first idle-most worker when the
    language first came), unless that worker holds ROUTING_SLACK chunks more than the least
    busy one. Each worker builds its memos (lemmas, character n-gram columns, ...) for the
    tokens it sees: a language kept to one worker is looked up once, not in every worker.
    The results are the same whichever worker analyses a chunk."""

    def __init__(self, processes: int) -> None:
        self.home: dict[str | None, int] = {}
        self.processes = processes

    def worker_for(self, language: str | None, queued: list[int]) -> int:
        """The worker for a chunk of ``language``, given the chunks each one holds."""
        least = min(range(self.processes), key=queued.__getitem__)
        home = self.home.setdefault(language, least)
        return home if queued[home] - queued[least] <= ROUTING_SLACK else least


@contextmanager
def _heap_frozen() -> Iterator[None]:
    """Within: every object that exists on entry (the models, lexicons, vocabularies and
    memos the pool processes inherit: ~100,000 containers) is in the permanent generation
    (``gc.freeze``), in this process and in the processes a pool forks here, so that their
    collections of the oldest generation do not traverse it each time: those were ~10 % of
    the analysis' CPU (0.98 of 10.2 s analysing 20,000 reviews in one process; 0.06 s
    frozen). They stay freed by their reference counts; only a cycle among them waits for
    the end of the block. Unfrozen at the end, unless something was frozen before (then it
    is left as the caller froze it, with these objects)."""
    frozen_before = gc.get_freeze_count()
    gc.freeze()
    try:
        yield
    finally:
        if not frozen_before:
            gc.unfreeze()


def _merge(summary: AnalyzeSummary, part: AnalyzeSummary) -> None:
    summary.analyzed += part.analyzed
    for code, counts in part.languages.items():
        into = summary.languages.setdefault(code, LanguageSummary())
        for name in ("reviews", "positive", "negative", "neutral", "unknown"):
            setattr(into, name, getattr(into, name) + getattr(counts, name))
        into.models.update(counts.models)
    summary.aspects.update(part.aspects)
    summary.needs.update(part.needs)
    summary.need_topics.update(part.need_topics)


def _count(summary: AnalyzeSummary, results: list[ReviewResult]) -> None:
    summary.analyzed += len(results)
    for result in results:
        language = summary.languages.setdefault(result.language or "?", LanguageSummary())
        language.reviews += 1
        language.models[result.model] += 1
        setattr(language, result.label, getattr(language, result.label) + 1)
        for sentence in result.sentences:
            for aspect, _ in sentence.aspects:
                summary.aspects[aspect] += 1
            if sentence.need is not None:
                summary.needs[sentence.need] += 1
                if sentence.need_topic is not None:
                    summary.need_topics[sentence.need_topic] += 1


class _progress_bar:
    """A rich progress bar (or nothing) that yields an ``advance(n)`` callable."""

    def __init__(self, enabled: bool, total: int) -> None:
        self._progress = (
            Progress(
                TextColumn("analysing reviews"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                transient=False,
            )
            if enabled
            else None
        )
        self._total = total

    def __enter__(self) -> Any:
        if self._progress is None:
            return lambda _n: None
        self._progress.start()
        task = self._progress.add_task("analyse", total=self._total)
        progress = self._progress
        return lambda n: progress.advance(task, n)

    def __exit__(self, *_exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()
