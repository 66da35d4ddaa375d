"""Does a sentence state an opinion at all? Shipped opinion detectors say "no opinion".

A positive/negative model must put every sentence on one side: the Polish base model, which
learnt from medicine reviews where "the next day" tells of a treatment gone wrong, read "Paczka
przyszła następnego dnia." (the parcel came the next day) negative at 0.97, and a report
counted such facts as complaints. Where a data set labels the sentences without an opinion
(PolEmo's and NoReC's neutral sentences), a second classifier ships beside the base model,
trained on those against the positive and negative ones (``benchmarks/train_base.py``). It
changes no sign: a sentence it finds no opinion in is labelled neutral (counted as a mention
of its aspects, in no positive or negative count, as the report does with every neutral
label), and every sentence's polarity is the sentiment model's times the probability of an
opinion, so facts score near zero. The detector and its threshold were chosen against a
three-label model and a band on the binary score by cross-validation on the train splits
(``benchmarks/sentiment_neutral.py``).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import scipy.sparse as sp

from compare.analysis.sentiment.base_models import (
    BASE_DIR,
    DETECTOR_KEY,
    DETECTOR_SUFFIX,
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
NO_OPINION_ABOVE = 0.5
"""A sentence whose probability of no opinion is above this is labelled neutral: the best
three-label accuracy and macro-F1 of 0.4-0.7 on Polish (0.733, 0.726), within 0.002 of the
best on Norwegian, where the higher thresholds lose fewer opinions but read fewer facts."""

Score = tuple[float, str, float]


def has_detector(language: str | None) -> bool:
    return language is not None and language in base_meta().get(DETECTOR_KEY, {})


@lru_cache(maxsize=8)
def load_detector(language: str | None) -> SentimentClassifier | None:
    """The language's shipped opinion detector, or None if none ships."""
    if not has_detector(language):
        return None
    path = BASE_DIR / f"{language}{DETECTOR_SUFFIX}"
    detector = read_classifier(path)
    if NEUTRAL not in detector.classes:
        raise TypeError(f"{path} is not an opinion detector")
    return detector


def no_opinion(
    detector: SentimentClassifier, tokens: list[list[str]], lemmas: list[list[str]] | None
) -> np.ndarray:
    """Probability that each text (tokens, and their lemmas in the detector's language if
    known) states no opinion."""
    return no_opinion_rows(detector, detector.token_counts(tokens, lemmas))


def no_opinion_rows(detector: SentimentClassifier, counts: sp.spmatrix) -> np.ndarray:
    """``no_opinion`` of the detector's count rows (e.g. sentences' rows summed per review)."""
    probabilities = detector.probabilities(sp.csr_matrix(counts))
    return np.asarray(probabilities[:, detector.classes.index(NEUTRAL)])


def with_opinion(scores: list[Score], none: np.ndarray) -> list[Score]:
    """Sentence scores with the detector's verdict: neutral (confidence: the probability of
    no opinion) above ``NO_OPINION_ABOVE``, else the sentiment model's label; the polarity
    scaled by the probability of an opinion (its sign kept)."""
    out: list[Score] = []
    for (polarity, label, confidence), empty in zip(scores, none.tolist(), strict=True):
        if empty > NO_OPINION_ABOVE:
            out.append((polarity * (1.0 - empty), NEUTRAL, empty))
        else:
            out.append((polarity * (1.0 - empty), label, confidence))
    return out
