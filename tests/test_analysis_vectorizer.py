"""The feature vectorizer: negation scope, vocabulary, count rows, pickling."""

from __future__ import annotations

import pickle
from itertools import pairwise

import numpy as np
import pytest
import scipy.sparse as sp

from compare.analysis.sentiment import vectorizer
from compare.analysis.sentiment.vectorizer import FeatureVectorizer, counted_rows
from compare.analysis.text import lemmas, tokenize


@pytest.mark.parametrize(
    ("language", "text", "words"),
    [
        ("en", "great great product", ["great", "great", "product"]),
        ("en", "I do not like it", ["i", "do", "not", "NOT_like", "NOT_it"]),
        ("en", "it isn't good", ["it", "be", "NOT_good"]),
        ("en", "n't", []),
        ("en", "never worked without doubt", ["never", "NOT_work", "without", "NOT_doubt"]),
        # the scope is the three words after the negation; a later negation opens a new one
        (
            "en",
            "not very good at all but great",
            ["not", "NOT_very", "NOT_good", "NOT_at", "all", "but", "great"],
        ),
        ("en", "no it was not bad", ["no", "NOT_it", "NOT_be", "not", "NOT_bad"]),
        ("fr", "ce n'est pas bon", ["ce", "NOT_être", "pas", "NOT_bon"]),
        ("pl", "nie polecam", ["nie", "NOT_polecać"]),
        ("no", "ikke bra", ["ikke", "NOT_bra"]),
        # the finite verb before a post-verb negation is negated too
        ("no", "jeg anbefaler ikke", ["jeg", "NOT_anbefale", "ikke"]),
        ("fr", "j'aime pas", ["NOT_aimer", "pas"]),
        # and, as the lexicon reads it, across an object pronoun in sv, de and nl
        ("sv", "jag rekommenderar den inte", ["jag", "NOT_rekommendera", "den", "inte"]),
        ("de", "ich empfehle es nicht", ["ich", "NOT_empfehlen", "es", "nicht"]),
        ("nl", "ik vind het niet", ["ik", "NOT_vinden", "het", "niet"]),
        # a pronoun at the end is no negation; French and Norwegian read the next word only
        ("sv", "jag rekommenderar den", ["jag", "rekommendera", "den"]),
        ("no", "jeg anbefaler den ikke", ["jeg", "anbefale", "den", "ikke"]),
        ("fr", "pas mal", ["pas", "NOT_mal"]),
        ("multi", "not bra", ["not", "NOT_bra"]),
    ],
)
def test_word_features_mark_the_negation_scope(language: str, text: str, words: list[str]) -> None:
    vectorizer = FeatureVectorizer(language, 2, 3)
    tokens = tokenize(text)
    bigrams = [f"{a} {b}" for a, b in pairwise(words)]
    assert vectorizer.word_features(tokens) == words + bigrams
    # the caller's lemmas give the same features
    assert vectorizer.word_features(tokens, lemmas(tokens, language)) == words + bigrams


TRAIN = ["great product, fast delivery", "not good at all", "the lid broke but support helped"]


def _dense(vectorizer: FeatureVectorizer, texts: list[str]) -> np.ndarray:
    return np.asarray(vectorizer.transform([tokenize(t) for t in texts]).toarray())


@pytest.mark.parametrize("char_high", [0, 3, 5])
def test_fit_transform_equals_fit_then_transform(char_high: int) -> None:
    tokens = [tokenize(t) for t in TRAIN]
    once = FeatureVectorizer("en", 2, char_high)
    twice = FeatureVectorizer("en", 2, char_high).fit(tokens)
    together = once.fit_transform(tokens)
    assert once.vocabulary == twice.vocabulary
    assert np.array_equal(together.toarray(), twice.transform(tokens).toarray())
    assert together.has_canonical_format
    # the callers' lemmas give the same vocabulary and rows
    given = FeatureVectorizer("en", 2, char_high)
    with_lemmas = given.fit_transform(tokens, [lemmas(t, "en") for t in tokens])
    assert given.vocabulary == once.vocabulary
    assert np.array_equal(with_lemmas.toarray(), together.toarray())


@pytest.mark.parametrize(
    ("text", "feature", "count"),
    [
        ("great great", "great", 2.0),
        ("great great", "great great", 1.0),
        ("great great", "~gr", 2.0),
        ("great great", "~eat ", 2.0),
        ("not good", "NOT_good", 1.0),
        ("good", "NOT_good", 0.0),
        ("unseen words only", "great", 0.0),
    ],
)
def test_transform_counts_features_and_drops_unknown_ones(
    text: str, feature: str, count: float
) -> None:
    vectorizer = FeatureVectorizer("en", 2, 5).fit([tokenize(t) for t in [*TRAIN, "great great"]])
    row = _dense(vectorizer, [text])[0]
    assert row[vectorizer.vocabulary[feature]] == count


def test_rows_of_unknown_and_empty_texts_are_empty() -> None:
    vectorizer = FeatureVectorizer("en", 2, 5).fit([tokenize(t) for t in TRAIN])
    counts = vectorizer.transform([[], tokenize("zzz qqq"), tokenize("good")])
    assert counts.shape == (3, len(vectorizer.vocabulary))
    assert counts[0].nnz == 0
    assert counts[1].nnz == 0
    assert counts[2].nnz > 0


def test_pickled_vectorizer_drops_its_cache_and_counts_the_same() -> None:
    vectorizer = FeatureVectorizer("en", 2, 5).fit([tokenize(t) for t in TRAIN])
    before = _dense(vectorizer, TRAIN)
    copy = pickle.loads(pickle.dumps(vectorizer))
    assert len(copy._char_columns) == 0
    assert np.array_equal(_dense(copy, TRAIN), before)


@pytest.mark.parametrize(
    ("lengths", "width"),
    [
        ([], 5),  # no rows
        ([0, 0], 3),  # empty rows
        ([4, 0, 7, 1], 1),  # one column: everything a duplicate
        ([30, 0, 12, 25, 3], 6),  # many duplicates per row
        ([40, 40], 1000),  # few duplicates
        ([3, 5], 0),  # no columns at all (an empty vocabulary)
        ([9000, 9000], 300_000),  # keys past 32 bits
        ([300, 0, 500, 200], 900),  # more entries than half the width
        ([700, 3, 0, 2000] + [5] * 300 + [600], 5000),  # sorted in blocks of whole rows
    ],
)
@pytest.mark.parametrize("unknown", [False, True])
def test_counted_rows_are_the_summed_duplicates_of_ones(
    lengths: list[int], width: int, unknown: bool
) -> None:
    rng = np.random.default_rng(len(lengths) + width)
    sizes = np.asarray(lengths, dtype=np.int64) if width else np.zeros(len(lengths), np.int64)
    # unknown features come as -1 and are left out
    columns = rng.integers(-1 if unknown else 0, max(width, 1), int(sizes.sum())).astype(np.int32)
    known = columns >= 0
    rows = np.repeat(np.arange(len(sizes)), sizes)[known]
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=len(sizes)))])
    expected = sp.csr_matrix(
        (np.ones(int(known.sum())), columns[known], indptr.astype(np.int64)), (len(sizes), width)
    )
    expected.sum_duplicates()
    got = counted_rows(columns, sizes, width)
    assert got.shape == expected.shape and got.has_canonical_format
    assert got.indptr.tolist() == expected.indptr.tolist()
    assert got.indices.tolist() == expected.indices.tolist()
    assert got.data.tolist() == expected.data.tolist()
    assert (got.indices.dtype, got.data.dtype) == (expected.indices.dtype, expected.data.dtype)


@pytest.mark.parametrize("block", [1, 7, 512, 100_000])
def test_keys_sorted_a_block_of_whole_rows_at_a_time_are_sorted(
    monkeypatch: pytest.MonkeyPatch, block: int
) -> None:
    rng = np.random.default_rng(block)
    width = 50
    lengths = rng.integers(0, 40, 200)
    lengths[[0, 3, 50]] = 0, 0, 900  # empty rows, a row longer than a block
    rows = np.repeat(np.arange(len(lengths)), lengths)
    keys = rows * width + rng.integers(0, width, len(rows))
    expected = np.sort(keys)
    monkeypatch.setattr(vectorizer, "SORT_BLOCK", block)
    vectorizer.sort_by_rows(keys, np.cumsum(lengths))
    assert keys.tolist() == expected.tolist()


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("sv", "jag rekommenderar den inte"),
        ("sv", "jag gillar det inte alls"),
        ("de", "ich empfehle es nicht"),
        ("de", "ich mag es nicht"),
        ("nl", "ik koop het niet"),
        ("no", "jeg anbefaler ikke"),
        ("fr", "j'aime pas"),
    ],
)
def test_the_classifier_negates_the_verbs_the_lexicon_negates(language: str, text: str) -> None:
    """One rule for both (``features.negation_follows``): the word features read a post-verb
    negation after an object pronoun where the lexicon fallback did ("rekommenderar den
    inte" was negative to the lexicon, a plain "rekommendera" to a model of the ratings)."""
    from compare.analysis.sentiment.features import POST_VERB_NEGATIONS, finite_verb
    from compare.analysis.sentiment.lexicon_features import _negated

    tokens = tokenize(text)
    bases = lemmas(tokens, language)
    words = FeatureVectorizer(language, 2, 3).word_features(tokens)[: len(tokens)]
    post = POST_VERB_NEGATIONS[language]
    for i, (token, base) in enumerate(zip(tokens, bases, strict=True)):
        if not finite_verb(token, base, language):
            continue
        by_lexicon = _negated(tokens, i, base, frozenset(), post, language)
        assert words[i].startswith("NOT_") == by_lexicon, (i, words)
    assert any(w.startswith("NOT_") and w[4:] in bases for w in words)


@pytest.mark.parametrize(
    ("room", "texts"),
    [
        (100, ["great product", "not great at all", "great"]),  # repeated and new tokens
        (100, ["", "zzz qqq"]),  # an empty row, tokens with no known n-gram
        (2, ["good product but slow delivery"]),  # room for two: the others one by one
        (0, ["good product"]),  # a full cache: every token one by one, none kept
    ],
)
def test_char_columns_looked_up_together_are_those_found_one_by_one(
    monkeypatch: pytest.MonkeyPatch, room: int, texts: list[str]
) -> None:
    """``fill`` caches the bytes ``__missing__`` finds for each token, within the cache's
    bound, and a transform through it counts the same rows."""
    fitted = FeatureVectorizer("en", 2, 5).fit([tokenize(t) for t in TRAIN])
    one_by_one = pickle.loads(pickle.dumps(fitted))
    token_lists = [tokenize(t) for t in texts]
    expected = {t: one_by_one._char_columns.__missing__(t) for ts in token_lists for t in ts}
    monkeypatch.setattr(vectorizer, "MAX_CACHED_WORDS", room)
    together = pickle.loads(pickle.dumps(fitted))
    together._char_columns.fill(token_lists)
    cached = dict(together._char_columns)
    assert len(cached) == min(room, len(expected))
    assert all(expected[token] == found for token, found in cached.items())
    counts = together.transform(token_lists)
    assert (counts != fitted.transform(token_lists)).nnz == 0
    assert len(together._char_columns) == min(room, len(expected))


def _same_matrix(a: sp.csr_matrix, b: sp.csr_matrix) -> bool:
    """The same shape, stored entries and entry order (so sums over them are the same)."""
    return (
        a.shape == b.shape
        and np.array_equal(a.indptr, b.indptr)
        and np.array_equal(a.indices, b.indices)
        and np.array_equal(a.data, b.data)
    )


@pytest.mark.parametrize("char_high", [0, 5])
def test_transform_counted_renumbers_the_rows_a_larger_vocabulary_counted(
    char_high: int,
) -> None:
    """A vectoriser's rows of texts, renumbered from their rows in a vectoriser fitted on
    them (and more), are the rows its ``transform`` counts (features it lacks dropped),
    and it caches the same character n-gram columns as the transform."""
    small = FeatureVectorizer("en", 3 if char_high else 0, char_high).fit(
        [tokenize(t) for t in TRAIN]
    )
    texts = ["great product, not bad at all", "zzz qqq wobbly", "", *TRAIN[:2]]
    token_lists = [tokenize(t) for t in texts]
    wide = FeatureVectorizer("en", small.char_low, char_high)
    counts = wide.fit_transform([*token_lists, tokenize("an extra text")])[: len(texts)]
    # columns after the vocabulary's (as a lexicon block) are left out
    with_more = sp.hstack([counts, sp.csr_matrix(np.ones((len(texts), 2)))], format="csr")
    renumbering = pickle.loads(pickle.dumps(small))
    counting = pickle.loads(pickle.dumps(small))
    found = renumbering.transform_counted(wide, with_more, token_lists)
    assert found is not None
    assert _same_matrix(found, counting.transform(token_lists))
    assert renumbering.new_char_columns() == counting.new_char_columns()
    assert (len(renumbering._char_columns) > 0) == bool(char_high)


def test_transform_counted_refuses_vectorisers_it_cannot_renumber() -> None:
    """Other character n-grams, or a vocabulary lacking an n-gram of the texts: None."""
    token_lists = [tokenize(t) for t in TRAIN]
    small = FeatureVectorizer("en", 3, 5).fit(token_lists)
    other = FeatureVectorizer("en", 2, 5)
    assert small.transform_counted(other, other.fit_transform(token_lists), token_lists) is None
    narrow = FeatureVectorizer("en", 3, 5)
    counts = narrow.fit_transform(token_lists[:1])
    assert small.transform_counted(narrow, counts, token_lists[1:2]) is None
    assert len(small._char_columns) == 0
