"""Does a sentence state an opinion at all? Shipped opinion detectors say "no opinion".

A positive/negative model must put every sentence on one side: the Polish base model, which
learnt from medicine reviews where "the next day" tells of a treatment gone wrong, read "Paczka
przyszła następnego dnia." (the parcel came the next day) negative at 0.97, and a report
counted such facts as complaints. For Polish a second classifier ships beside the base model,
trained on PolEmo's neutral sentences against its positive and negative ones
(``benchmarks/train_base.py``). It changes no sign: a sentence it finds no opinion in, and
that holds no word of the language's lexicons, is labelled neutral (counted as a mention of
its aspects, in no positive or negative count, as the report does with every neutral label),
and its polarity is the sentiment model's times the probability of an opinion, so facts
score near zero. Chosen against a three-label model and a band on the binary score by
cross-validation on the train splits (``benchmarks/sentiment_neutral.py``). Norwegian has no
detector: one trained on NoReC's neutral sentences (professional reviews) read half of the
demo's customer-review opinions as none.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache

import numpy as np
import scipy.sparse as sp

from compare.analysis.sentiment.base_models import (
    BASE_DIR,
    DETECTOR_KEY,
    DETECTOR_SUFFIX,
    BaseColumns,
    base_meta,
    read_classifier,
)
from compare.analysis.sentiment.classifier import (
    ClassifierSettings,
    SentimentClassifier,
)
from compare.analysis.sentiment.labels import NEUTRAL

OPINION = "opinion"
"""The detector's other label: the sentence is positive or negative."""
DETECTOR_SETTINGS = ClassifierSettings()
"""The default classifier's (words and character n-grams of its own vocabulary): on the train
splits' folds it read facts better than a detector on the base model's features or on words
alone (Polish three-label accuracy 0.733 against 0.712 and 0.718)."""
NO_OPINION_ABOVE = 0.7
"""A sentence whose probability of no opinion is above this (and that holds no lexicon word)
is labelled neutral. On the Polish train folds 0.5 read more facts (three-label accuracy
0.701, 0.693 at 0.6, 0.674 at 0.7; 0.515 before the detector), but on the demo's customer-review
clauses, out of the detector's domain, 0.5 and 0.6 labelled 7 of 47 opinions neutral, more
than the base model alone did (4); 0.7 labels 3, and 6 of the 7 facts neutral."""


Score = tuple[float, str, float]


def has_detector(language: str | None) -> bool:
    return language is not None and language in base_meta().get(DETECTOR_KEY, {})


_LOADED: dict[str, SentimentClassifier] = {}
"""Language -> the detector ``load_detector`` read in this process (or inherited on fork)."""


@lru_cache(maxsize=8)
def load_detector(language: str | None) -> SentimentClassifier | None:
    """The language's shipped opinion detector, or None if none ships."""
    if language is None or not has_detector(language):
        return None
    path = BASE_DIR / f"{language}{DETECTOR_SUFFIX}"
    detector = read_classifier(path)
    if NEUTRAL not in detector.classes:
        raise TypeError(f"{path} is not an opinion detector")
    _LOADED[language] = detector
    return detector


def detector_columns(tokens: Mapping[str, Iterable[str]]) -> BaseColumns:
    """Language -> token -> its character n-gram columns in the language's detector, for
    the ``tokens`` of each language whose detector is loaded here, to hand to
    ``remember_detector_columns`` in another process: training never reads the detector,
    but the analysis workers, forked after it, read the rated reviews with it (given the
    tokens the base model looked up in training, their n-grams are in this process's
    ``word_char_ngrams`` memo)."""
    out: BaseColumns = {}
    for language, found in tokens.items():
        detector = _LOADED.get(language)
        if detector is not None:
            columns = detector.vectorizer.char_columns_of(found)
            if columns:
                out[language] = columns
    return out


def remember_detector_columns(found: BaseColumns) -> None:
    """Add the columns another process found (``detector_columns``) to the detectors loaded
    in this one (a detector not loaded here is left alone)."""
    for language, columns in found.items():
        detector = _LOADED.get(language)
        if detector is not None:
            detector.vectorizer.remember_char_columns(columns)


def no_opinion(
    detector: SentimentClassifier, tokens: list[list[str]], lemmas: list[list[str]] | None
) -> np.ndarray:
    """Probability that each text (tokens, and their lemmas in the detector's language if
    known) states no opinion."""
    return no_opinion_rows(detector, detector.token_counts(tokens, lemmas))


def no_opinion_rows(detector: SentimentClassifier, counts: sp.spmatrix) -> np.ndarray:
    """``no_opinion`` of the detector's count rows (e.g. sentences' rows summed per review):
    0 for a row with a word of the language's lexicons (``lexicon_word``)."""
    rows = sp.csr_matrix(counts)
    return _none_unless_lexicon_word(
        detector, detector.probabilities(rows), lexicon_word(detector, rows)
    )


def no_opinion_of_blocks(detector: SentimentClassifier, blocks: list[sp.csr_matrix]) -> np.ndarray:
    """``no_opinion_rows`` of the count rows whose blocks (``count_blocks``) these are."""
    found = (
        _holds_entries(blocks[1])
        if detector.lexicon_channels
        else np.zeros(blocks[0].shape[0], dtype=bool)
    )
    return _none_unless_lexicon_word(detector, detector.block_probabilities(blocks), found)


def _none_unless_lexicon_word(
    detector: SentimentClassifier, probabilities: np.ndarray, lexicon_words: np.ndarray
) -> np.ndarray:
    none = np.asarray(probabilities[:, detector.classes.index(NEUTRAL)])
    return np.where(lexicon_words, 0.0, none)


def lexicon_word(detector: SentimentClassifier, counts: sp.csr_matrix) -> np.ndarray:
    """Whether each count row holds a word of the language's lexicons. The detector learnt
    what no opinion looks like in one domain (medicine reviews); out of it, it read customer
    reviews' plain complaints as none ("konfiguracja jest skomplikowana": at 0.5, 13 of the
    demo's 47 Polish opinion clauses neutral, 7 with this rule, which keeps all 7 facts
    neutral), while a general lexicon's opinion word is one in any domain."""
    words = len(detector.vectorizer.vocabulary)
    return _holds_entries(counts[:, words : words + 2 * len(detector.lexicon_channels)])


def _holds_entries(block: sp.csr_matrix) -> np.ndarray:
    """Whether each row of the block holds a value other than zero."""
    return np.asarray(abs(block).sum(axis=1)).ravel() > 0


def with_opinion(scores: list[Score], none: np.ndarray) -> list[Score]:
    """Sentence scores with the detector's verdict: neutral (confidence: the probability of
    no opinion) above ``NO_OPINION_ABOVE``, else the sentiment model's label; the polarity
    scaled by the probability of an opinion (its sign kept; a sentence with a lexicon word
    has none 0, so its score is the model's)."""
    out: list[Score] = []
    for (polarity, label, confidence), empty in zip(scores, none.tolist(), strict=True):
        if empty > NO_OPINION_ABOVE:
            out.append((polarity * (1.0 - empty), NEUTRAL, empty))
        else:
            out.append((polarity * (1.0 - empty), label, confidence))
    return out
