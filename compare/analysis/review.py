"""The per-review analysis, pure and batched: sentences, sentiment, aspects, needs, phrases.

Runs in worker processes; it gets plain review fields and returns plain results, no
database. Sentences of one language in a batch are vectorised together and each review's
score comes from the sum of its sentences' feature rows (see ``classifier``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import scipy.sparse as sp

from compare.analysis.keyphrases import candidate_phrases, phrase_stopwords
from compare.analysis.need_phrases import need_cue
from compare.analysis.need_topics import names_no_need, need_topic
from compare.analysis.sentiment.features import CLAUSE_BREAK
from compare.analysis.sentiment.featurise_once import featurising_once
from compare.analysis.sentiment.labels import UNKNOWN, label_from_polarity
from compare.analysis.sentiment.lexicon import FALLBACK_NEUTRAL_BAND
from compare.analysis.sentiment.normalise import sentiment_tokens
from compare.analysis.sentiment.opinion import load_detector, no_opinion_of_blocks, with_opinion
from compare.analysis.sentiment.scorer import UNKNOWN_SCORE, Score, SentimentScorer
from compare.analysis.taxonomy import Taxonomy
from compare.analysis.text import lemmas, split_units, tokenize
from settings.language_detection import detect_language
from settings.languages import normalize_language_code

MAX_KEY_PHRASES = 6
DETECT_CHARS = 400
"""Language detection reads the start of the text: enough to decide, and fast."""


@dataclass
class ReviewInput:
    review_id: int
    company_id: int
    text: str | None
    title: str | None = None
    language: str | None = None
    """Stored language (pipeline or import); detected here when None."""
    published: date | None = None


@dataclass
class SentenceResult:
    index: int
    text: str
    polarity: float | None
    label: str
    aspects: list[tuple[str, str]]
    """(aspect, matched term)"""
    need: str | None
    need_topic: str | None = None
    """What the need asks for ("app", "timer", "quieter", else a head lemma)."""


@dataclass
class ReviewResult:
    review: ReviewInput
    language: str | None
    polarity: float | None
    label: str
    confidence: float
    model: str
    sentences: list[SentenceResult] = field(default_factory=list)
    key_phrases: list[str] = field(default_factory=list)


def review_language(review: ReviewInput) -> str | None:
    stored = normalize_language_code(review.language)
    if stored is not None:
        return stored
    text = " ".join(t for t in (review.title, review.text) if t)
    language, confidence = detect_language(text[:DETECT_CHARS])
    # lingua gives 0 when no candidate language fits the script (e.g. Japanese)
    return language if confidence > 0 else None


def _title_and_text(title: str | None, text: str | None) -> str:
    """The title as a sentence of its own: "Avoid" or "Mixed feelings" must not colour the
    first sentence of the text (the review's own score is the sum of both anyway)."""
    if not title:
        return text or ""
    title = title.strip()
    if title and title[-1] not in ".!?…:;":
        title += "."
    return f"{title} {text}" if text else title


def analyze_reviews(
    reviews: list[ReviewInput],
    scorer: SentimentScorer,
    taxonomy: Taxonomy,
    learnt: Mapping[str, frozenset[str]] | None = None,
) -> list[ReviewResult]:
    """Analyse a batch of reviews (any mix of languages), in input order. ``learnt``:
    language -> function words learnt from the database's reviews, which bound key phrases
    and need topics like the stopwords (``compare.analysis.function_words``)."""
    languages = [review_language(r) for r in reviews]
    stops = {
        language: phrase_stopwords(language, (learnt or {}).get(language or "", frozenset()))
        for language in set(languages)
    }
    sentence_lists = [
        split_units(_title_and_text(r.title, r.text), language) if (r.title or r.text) else []
        for r, language in zip(reviews, languages, strict=True)
    ]
    token_lists = [[tokenize(s) for s in sentences] for sentences in sentence_lists]
    lemma_lists = [
        [lemmas(tokens, language) for tokens in unit_tokens]
        for unit_tokens, language in zip(token_lists, languages, strict=True)
    ]
    scores: list[tuple[list[Score], Score]] = [([], UNKNOWN_SCORE)] * len(reviews)
    for language in set(languages):
        members = [i for i, lang in enumerate(languages) if lang == language]
        for i, result in zip(
            members,
            _score_group(
                [sentence_lists[i] for i in members],
                [token_lists[i] for i in members],
                [lemma_lists[i] for i in members],
                language,
                scorer,
            ),
            strict=True,
        ):
            scores[i] = result
    results: list[ReviewResult] = []
    for review, language, sentences, tokens, sentence_lemmas, (
        sentence_scores,
        review_score,
    ) in zip(reviews, languages, sentence_lists, token_lists, lemma_lists, scores, strict=True):
        results.append(
            _assemble(
                review,
                language,
                _Units(sentences, tokens, sentence_lemmas),
                sentence_scores,
                review_score,
                scorer,
                taxonomy,
                stops[language],
            )
        )
    return results


def _classifier_units(
    groups: list[list[str]],
    token_groups: list[list[list[str]]],
    lemma_groups: list[list[list[str]]],
) -> tuple[list[list[list[str]]], list[list[list[str]]]]:
    """The sentences' tokens and lemmas as the classifiers read them
    (``normalise.sentiment_tokens``, as single-text scoring does: clause breaks between the
    words, faces after them); the aspects read the words alone. The words are ``tokenize``'s,
    so their lemmas are the sentence's own, with the breaks and faces put in."""
    tokens_out: list[list[list[str]]] = []
    lemmas_out: list[list[list[str]]] = []
    for sentences, token_lists, lemma_lists in zip(groups, token_groups, lemma_groups, strict=True):
        read = list(map(sentiment_tokens, sentences, token_lists))
        tokens_out.append(read)
        lemmas_out.append(
            [
                own if marked is words else _marked_lemmas(marked, own)
                for marked, words, own in zip(read, token_lists, lemma_lists, strict=True)
            ]
        )
    return tokens_out, lemmas_out


def _marked_lemmas(marked: list[str], own: list[str]) -> list[str]:
    """The words' lemmas (``own``, in order) with the clause breaks of ``marked`` in place
    and its faces (after the words) as they are."""
    words = iter(own)
    return [token if token == CLAUSE_BREAK else next(words, token) for token in marked]


def _score_group(
    groups: list[list[str]],
    token_groups: list[list[list[str]]],
    lemma_groups: list[list[list[str]]],
    language: str | None,
    scorer: SentimentScorer,
) -> list[tuple[list[Score], Score]]:
    """Sentence scores and a review score for each review's sentences (one language)."""
    flat = [s for sentences in groups for s in sentences]
    if not flat:
        return [([], UNKNOWN_SCORE) for _ in groups]
    found = scorer.classifier_for(language)
    if found is None:
        sentence_scores = scorer.score(flat, language)
        out: list[tuple[list[Score], Score]] = []
        start = 0
        for sentences in groups:
            own = sentence_scores[start : start + len(sentences)]
            start += len(sentences)
            out.append((own, _mean_score(own, sentences)))
        return out
    classifier = found[0]
    token_groups, lemma_groups = _classifier_units(groups, token_groups, lemma_groups)
    tokens = [t for group in token_groups for t in group]
    lemma_lists = [x for group in lemma_groups for x in group]
    detector = load_detector(language)
    # the pooled model has no lemmatiser: its words are the tokens themselves
    same_lemmas = classifier.vectorizer.language == language
    # the counts' column blocks (words, lexicon sums, word vectors) are kept apart: the
    # features of each block are computed from it, so joining them only to slice them
    # apart again copied every matrix twice (the same values)
    if detector is None:
        blocks = classifier.count_blocks(tokens, lemma_lists if same_lemmas else None)
    else:
        # the detector's word features and lexicon sums are the classifier's (pure
        # functions of the language and the tokens): computed once for both
        with featurising_once():
            blocks = classifier.count_blocks(tokens, lemma_lists if same_lemmas else None)
            none_blocks = detector.count_blocks(tokens, lemma_lists)
    # one row per review = sum of its sentence rows
    owner = np.repeat(np.arange(len(groups)), [len(s) for s in groups])
    summing = sp.csr_matrix(
        (np.ones(len(flat)), (owner, np.arange(len(flat)))), shape=(len(groups), len(flat))
    )
    # scored apart (every step is row by row): stacking them copied the whole matrix
    sentence_scores = classifier.polarity_and_label(classifier.block_probabilities(blocks))
    review_scores = classifier.polarity_and_label(
        classifier.block_probabilities([summing @ block for block in blocks])
    )
    if detector is not None:
        # the detector's rows sum the same way: a review states no opinion when its
        # sentences together state none
        sentence_scores = with_opinion(sentence_scores, no_opinion_of_blocks(detector, none_blocks))
        review_scores = with_opinion(
            review_scores,
            no_opinion_of_blocks(detector, [summing @ block for block in none_blocks]),
        )
    out = []
    start = 0
    for sentences, review_score in zip(groups, review_scores, strict=True):
        own = sentence_scores[start : start + len(sentences)]
        start += len(sentences)
        out.append((own, review_score if sentences else UNKNOWN_SCORE))
    return out


def _mean_score(scores: list[Score], sentences: list[str]) -> Score:
    """Length-weighted mean of known sentence scores (for lexicon-scored reviews)."""
    known = [(s, len(t)) for s, t in zip(scores, sentences, strict=True) if s[1] != UNKNOWN]
    if not known:
        return UNKNOWN_SCORE
    weight = sum(w for _, w in known)
    polarity = sum(s[0] * w for s, w in known) / weight
    confidence = sum(s[2] * w for s, w in known) / weight
    labels = [s[1] for s, _ in known]
    label = label_from_polarity(polarity, FALLBACK_NEUTRAL_BAND) if len(labels) > 1 else labels[0]
    return (polarity, label, confidence)


@dataclass
class _Units:
    """A review's scored units (sentences cut at contrast words), tokenised and lemmatised."""

    texts: list[str]
    tokens: list[list[str]]
    lemmas: list[list[str]]


def _assemble(
    review: ReviewInput,
    language: str | None,
    units: _Units,
    sentence_scores: list[Score],
    review_score: Score,
    scorer: SentimentScorer,
    taxonomy: Taxonomy,
    stop: frozenset[str],
) -> ReviewResult:
    polarity, label, confidence = review_score
    result = ReviewResult(
        review=review,
        language=language,
        polarity=None if label == UNKNOWN else polarity,
        label=label,
        confidence=confidence,
        model=scorer.method(language) if units.texts else "none",
    )
    phrases: list[str] = []
    for index, (text, tokens, sentence_lemmas, (s_polarity, s_label, _)) in enumerate(
        zip(units.texts, units.tokens, units.lemmas, sentence_scores, strict=True)
    ):
        cue = need_cue(text, language)
        topic = need_topic(tokens, sentence_lemmas, language, stop, cue) if cue else None
        if cue is not None and names_no_need(tokens, sentence_lemmas, language, cue, topic, stop):
            cue = topic = None
        need = cue.kind if cue is not None else None
        result.sentences.append(
            SentenceResult(
                index=index,
                text=text,
                polarity=None if s_label == UNKNOWN else s_polarity,
                label=s_label,
                aspects=taxonomy.match(sentence_lemmas, language),
                need=need,
                need_topic=topic,
            )
        )
        if len(phrases) < MAX_KEY_PHRASES:
            phrases.extend(candidate_phrases(tokens, sentence_lemmas, language, 2, stop))
    result.key_phrases = list(dict.fromkeys(phrases))[:MAX_KEY_PHRASES]
    return result
