"""Scores texts with the best available method per language: the database's model (its own
classifier or correction of the base model, or the pooled one), the shipped base model, a
lexicon, or unknown."""

from __future__ import annotations

from dataclasses import dataclass

from compare.analysis.sentiment.adapted import AdaptedClassifier
from compare.analysis.sentiment.base_models import base_model_id, load_base
from compare.analysis.sentiment.bundle import ModelBundle
from compare.analysis.sentiment.classifier import SentimentClassifier
from compare.analysis.sentiment.labels import UNKNOWN
from compare.analysis.sentiment.lexicon import lexicon_name, lexicon_scores
from compare.analysis.sentiment.opinion import load_detector, no_opinion, with_opinion
from compare.analysis.sentiment.vectorizer import token_lists
from compare.analysis.sentiment.word_vectors import load_vectors

NO_METHOD = "none"
Score = tuple[float, str, float]
"""(polarity in [-1, 1], label, confidence in [0, 1])"""
UNKNOWN_SCORE: Score = (0.0, UNKNOWN, 0.0)


@dataclass
class SentimentScorer:
    """Per language: the bundle's classifier (own, correction, pooled), else the shipped base
    model, else the lexicon, else unknown."""

    bundle: ModelBundle | None = None

    def method(self, language: str | None) -> str:
        """Id of what scores this language: ``classifier:xx@vNNNN``, ``adapted:xx@vNNNN``,
        ``pooled:xx@vNNNN``, ``base:xx@NAME``, ``lexicon-vader-en+pattern-en``,
        ``lexicon-seed-fr+pattern-fr+cognate-fr+vader-fr``, ``lexicon-afinn-da`` or ``none``."""
        if language is None:
            return NO_METHOD
        found = self.classifier_for(language)
        if found is not None:
            return found[1]
        return lexicon_name(language) or NO_METHOD

    def classifier_for(
        self, language: str | None
    ) -> tuple[SentimentClassifier | AdaptedClassifier, str] | None:
        """The trained classifier for the language (the bundle's, else the base model) and
        its id, if any."""
        found = self.bundle.classifier_for(language) if self.bundle is not None else None
        if found is not None or language is None:
            return found
        base = load_base(language)
        return (base, base_model_id(language)) if base is not None else None

    def score(self, texts: list[str], language: str | None) -> list[Score]:
        """One score per text; 'unknown' with confidence 0 where nothing can score it."""
        if not texts:
            return []
        found = self.classifier_for(language)
        if found is not None:
            detector = load_detector(language)
            scores = found[0].score(texts)
            if detector is None:
                return scores
            return with_opinion(scores, no_opinion(detector, token_lists(texts), None))
        if lexicon_name(language) is not None and language is not None:
            return lexicon_scores(texts, language)
        return [UNKNOWN_SCORE] * len(texts)


def warm_shipped_models(languages: list[str]) -> None:
    """Load the languages' shipped base models, opinion detectors and word vectors now,
    before forking the training's and the analysis' processes: they share this copy instead
    of each reading its own (up to ~0.35 CPU-s per process for en, no, pl and fr)."""
    for language in languages:
        load_base(language)
        load_detector(language)
        load_vectors(language)
