"""Offline language identification (lingua), limited to the languages we analyse.

Restricting lingua to a handful of languages makes it fast and far more accurate on
short review texts than an all-language model.

Decided per text (never by the batch), in numpy, with lingua's own models and rules:
``settings.trigram_detection`` scores every text with lingua's trigram model, which is
lingua's whole computation for a text of 120 letters or more, so such a text is settled
there (the same language and confidence values as lingua's). A shorter text is read by
``settings.short_detection``, lingua's high-accuracy computation (its rules, then unigrams to
fivegrams) with the same results. lingua itself only reads what the numpy stages leave: a
long text whose two best languages are within ``TIE`` (float32 tables), or every short text
if ``settings/data/detection_ngrams.npz`` is missing (then the trigram stage settles a short
text only when its best language leads by ``SURE_MARGIN``).

lingua's models load on first use, language by language and n-gram order by order; its
unigram to 5-gram models take about 290 MB, the numpy tables about 60 MB (27 MB of trigram
rows and values, 33 MB of unigram to 5-gram keys and log frequencies), memory-mapped from a
cache (``settings.mapped_arrays``): processes share them, and only the pages read are resident.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np

from settings.languages import LANGUAGE_CODES
from settings.short_detection import ngram_table, short_confidences
from settings.trigram_detection import trigram_scores, trigram_table

if TYPE_CHECKING:
    from lingua import LanguageDetector

# ISO 639-1 codes we detect (the registered languages); "no" covers Bokmål and Nynorsk.
SUPPORTED = LANGUAGE_CODES
MIN_LETTERS = 3
_LETTERS = re.compile(rf"[^\W\d_](?:.*?[^\W\d_]){{{MIN_LETTERS - 1}}}", re.DOTALL)
MAX_DETECT_CHARS = 1000
"""Detection reads a review's first 1000 characters: on 3,000 whole Norwegian reviews
(mean 2,700 characters) the language found is the same as on the whole text for every one,
in half the time (500 characters: 1 review in 3,000 differs), and a huge text costs no more
than a long one."""
LINGUA_TRIGRAMS_ONLY = 120
"""lingua reads a text with at least this many letters with its trigram models only."""
SURE_MARGIN = 12.0
"""Without the n-gram table: a text shorter than ``LINGUA_TRIGRAMS_ONLY`` letters is settled
by the trigram stage when
its best language's log score leads the second's by this much (a likelihood ratio of about
160,000). On the 21,823 labelled sentences of four languages (73% of them short) the two
stages then give every language the accuracy lingua alone gives it, and lingua reads 6%
(Polish) to 70% (Norwegian, where Danish and Swedish are close) of the short texts; at a
margin of 8 French loses 0.3 points."""
TIE = 1e-3
"""Trigram sums closer than this (float32 tables) are left to lingua."""
SCANDINAVIAN = frozenset({"no", "da", "sv"})
"""Written Norwegian, Danish and Swedish share most words: lingua splits its confidence on
a short Norwegian text between them (no 0.45, da 0.40). The confidence reported for a
Scandinavian pick is the group's, so a caller can tell "Scandinavian, sure" from "unsure";
which of the three it is can then be settled by context (spiders.pipelines.language)."""


@lru_cache(maxsize=1)
def _detector() -> LanguageDetector:
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    codes = [getattr(IsoCode639_1, "NB" if c == "no" else c.upper()) for c in SUPPORTED]
    # Not preloaded: see the module docstring (preloading costs 310 MB whatever the texts).
    return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).build()


def _code(language: object) -> str:
    iso = language.iso_code_639_1.name.lower()  # type: ignore[attr-defined]
    return "no" if iso in ("nb", "nn") else iso


def _detectable(text: str | None) -> str | None:
    """The part of ``text`` the detector reads: at most ``MAX_DETECT_CHARS`` characters,
    cut at a space; None for text with too few letters to tell (emoji, numbers)."""
    if not text:
        return None
    if len(text) > MAX_DETECT_CHARS:
        cut = text.rfind(" ", 0, MAX_DETECT_CHARS)
        text = text[: cut if cut > MAX_DETECT_CHARS // 2 else MAX_DETECT_CHARS]
    return text if _LETTERS.search(text) else None


def detect_language(text: str | None) -> tuple[str | None, float]:
    """ISO 639-1 code of ``text`` and the detector's confidence (0..1).

    Returns ``(None, 0.0)`` for text with too few letters to tell (emoji, numbers).
    """
    return detect_languages([text], parallel=False)[0]


def _best(values: list[Any]) -> tuple[str | None, float]:
    """The top language and its confidence (a Scandinavian one's: the group's)."""
    if not values:
        return None, 0.0
    code = _code(values[0].language)
    if code not in SCANDINAVIAN:
        return code, float(values[0].value)
    return code, float(sum(v.value for v in values if _code(v.language) in SCANDINAVIAN))


def detect_languages(
    texts: list[str | None], *, parallel: bool = True
) -> list[tuple[str | None, float]]:
    """``detect_language`` over many texts; ``parallel`` uses every core (lingua's threads)."""
    # Each distinct text is detected once (a text's result never depends on its batch):
    # exports repeat short texts ("Great product!") and whole rows.
    first: dict[str, int] = {}
    where: list[int] = []
    for text in texts:
        detectable = _detectable(text)
        where.append(-1 if detectable is None else first.setdefault(detectable, len(first)))
    distinct: list[tuple[str | None, float]] = [(None, 0.0)] * len(first)
    todo = _trigram_stage(list(enumerate(first)), distinct)
    if todo:
        detector = _detector()
        batch: list[str] = [t for _, t in todo]
        if parallel:
            results = detector.compute_language_confidence_values_in_parallel(batch)
        else:
            results = [detector.compute_language_confidence_values(t) for t in batch]
        for (i, _), values in zip(todo, results, strict=True):
            distinct[i] = _best(values)
    return [(None, 0.0) if at < 0 else distinct[at] for at in where]


def _trigram_stage(
    todo: list[tuple[int, str]], out: list[tuple[str | None, float]]
) -> list[tuple[int, str]]:
    """Settle what the numpy stages can (into ``out``); the texts left for lingua."""
    table = trigram_table()
    if table is None or not todo:
        return todo
    texts = [t for _, t in todo]
    # Fewer characters than LINGUA_TRIGRAMS_ONLY lowercased (lingua counts the letters of the
    # lowercased text; lowercasing never shortens a text): surely short, not scored with
    # trigrams (the short-text stage reads it); the others are scored, which counts their
    # letters.
    short = np.fromiter(
        (
            len(t) < LINGUA_TRIGRAMS_ONLY and (t.isascii() or len(t.lower()) < LINGUA_TRIGRAMS_ONLY)
            for t in texts
        ),
        bool,
        len(texts),
    )
    scores = np.full((len(texts), len(table.languages)), -np.inf)
    scored = np.flatnonzero(~short)
    if len(scored):
        scores[scored], letters = trigram_scores([texts[row] for row in scored], table)
        short[scored] = letters < LINGUA_TRIGRAMS_ONLY
    ngrams = ngram_table() if short.any() else None  # loaded with the first short text
    if ngrams is not None:
        rows = np.flatnonzero(short)
        confidence = short_confidences([texts[row] for row in rows], ngrams)
        picked = _picks(ngrams.languages, ngrams.order, confidence)
        for row, pick in zip(rows.tolist(), picked, strict=True):
            out[todo[row][0]] = pick
        # The short texts are settled: the trigram stage decides the others.
        kept = np.flatnonzero(~short)
        todo, scores, short = [todo[row] for row in kept.tolist()], scores[kept], short[kept]
    elif short.any():  # no short-text table: the trigram stage reads short texts too
        rows = np.flatnonzero(short)
        scores[rows], _ = trigram_scores([texts[row] for row in rows], table)
    if not todo:
        return []
    best = np.max(scores, axis=1)
    finite = np.isfinite(best)
    shifted = np.exp(scores - np.where(finite, best, 0.0)[:, None])
    confidence = shifted / np.where(finite, shifted.sum(axis=1), 1.0)[:, None]
    ranked = np.sort(scores, axis=1)
    with np.errstate(invalid="ignore"):  # -inf - -inf: no language knows the text (NaN)
        lead = ranked[:, -1] - ranked[:, -2]
    settled = finite & (lead > TIE) & (~short | (lead >= SURE_MARGIN))
    scandinavian = np.array([code in SCANDINAVIAN for code in table.languages])
    group = confidence[:, scandinavian].sum(axis=1)
    top = np.argmax(scores, axis=1)
    left: list[tuple[int, str]] = []
    for row, (i, text) in enumerate(todo):
        if not finite[row]:  # no language knows an n-gram of it: lingua's values are all 0
            out[i] = _pick(table.languages, _order(), np.zeros(len(table.languages)))
            continue
        if not settled[row]:
            left.append((i, text))
            continue
        code = table.languages[top[row]]
        value = group[row] if code in SCANDINAVIAN else confidence[row, top[row]]
        out[i] = (code, float(value))
    return left


def _order() -> tuple[int, ...]:
    """The registered languages' positions in lingua's order (its enum: by English name)."""
    ngrams = ngram_table()
    if ngrams is not None:
        return ngrams.order
    return tuple(range(len(SUPPORTED)))


def _picks(
    languages: tuple[str, ...], order: tuple[int, ...], values: np.ndarray
) -> list[tuple[str | None, float]]:
    """``_pick`` of each row of ``values``, computed for all rows at once."""
    if not len(values):
        return []
    rank = np.asarray(order)
    top = np.where(values == values.max(axis=1, keepdims=True), rank, len(rank)).argmin(axis=1)
    value = values[np.arange(len(values)), top]
    # Summed in the languages' order, as ``_pick`` sums them.
    group = np.zeros(len(values))
    for j, code in enumerate(languages):
        if code in SCANDINAVIAN:
            group = group + values[:, j]
    scandinavian = np.array([code in SCANDINAVIAN for code in languages])[top]
    chosen = np.where(scandinavian, group, value)
    return [
        (languages[j], confidence)
        for j, confidence in zip(top.tolist(), chosen.tolist(), strict=True)
    ]


def _pick(
    languages: tuple[str, ...], order: tuple[int, ...], values: np.ndarray
) -> tuple[str | None, float]:
    """What ``_best`` makes of lingua's confidence values (ties: lingua's language order)."""
    top = max(range(len(languages)), key=lambda j: (values[j], -order[j]))
    code = languages[top]
    if code not in SCANDINAVIAN:
        return code, float(values[top])
    return code, float(sum(v for c, v in zip(languages, values, strict=True) if c in SCANDINAVIAN))
