"""Turns texts into count rows of the classifier's features, fast.

Same features as ``SentimentFeatures`` (lemma uni/bigrams with negation scope, character
n-grams of each word), but character n-grams are looked up per distinct word once and
cached as packed column indices, so a row costs a byte join instead of ~1,000 dictionary
look-ups (scikit-learn's ``CountVectorizer`` spent most of ``analyze`` there). Rows are
assembled with numpy from one buffer of column indices.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterable
from itertools import chain, islice, pairwise, repeat
from typing import Any

import numpy as np
import scipy.sparse as sp

from compare.analysis.sentiment.features import (
    CHAR_PREFIX,
    CLAUSE_BREAK,
    NEGATION_SCOPE,
    POST_VERB_NEGATIONS,
    finite_verb,
    negation_follows,
    negation_words,
    without_clause_breaks,
    word_char_ngrams,
)
from compare.analysis.sentiment.featurise_once import memo
from compare.analysis.sentiment.normalise import sentiment_tokens
from compare.analysis.text import lemma
from compare.analysis.text import lemmas as lemmatize

MAX_CACHED_WORDS = 200_000


class _CharColumns(dict[str, bytes]):
    """token -> its character n-grams' vocabulary columns as packed int32 (cached, bounded)."""

    def __init__(self, vectorizer: FeatureVectorizer) -> None:
        super().__init__()
        self._vectorizer = vectorizer
        self.handed = 0
        """How many of the first entries ``new_columns`` handed over (entries are only added)."""

    def __missing__(self, token: str) -> bytes:
        # looked up in C, n-grams outside the vocabulary as -1 (left out by counted_rows)
        get = self._vectorizer.vocabulary.get
        packed = array("i", map(get, self._vectorizer._chars(token), repeat(-1))).tobytes()
        if len(self) < MAX_CACHED_WORDS:
            self[token] = packed
        return packed

    def fill(self, token_lists: list[list[str]]) -> None:
        """Look up, together, the tokens of ``token_lists`` not cached yet (within
        MAX_CACHED_WORDS; the rest are looked up one by one as they come): one ``map`` over
        all their n-grams, each token's slice of its bytes then cached. The same bytes as
        ``__missing__`` finds (in another order: entries are only added, and handed over
        as a dictionary), at 0.55-0.8 of its CPU on 5,076 new English tokens: a ~30-entry
        array made and packed per token cost more than its n-grams' look-ups."""
        room = MAX_CACHED_WORDS - len(self)
        if room <= 0:
            return
        new = [token for token in set(chain.from_iterable(token_lists)) if token not in self]
        if not new:
            return
        chars = self._vectorizer._chars
        kept = new[:room]
        grams = list(map(chars, kept))
        get = self._vectorizer.vocabulary.get
        packed = array("i", map(get, chain.from_iterable(grams), repeat(-1))).tobytes()
        start = 0
        for token, ngrams in zip(kept, grams, strict=True):
            end = start + 4 * len(ngrams)
            self[token] = packed[start:end]
            start = end

    def fill_from(
        self, token_lists: list[list[str]], other: _CharColumns, column: np.ndarray
    ) -> bool:
        """``fill`` from another vectoriser's columns of the same tokens (``column``: each
        of its vocabulary's columns in this one's, -1 where this one lacks it), for a
        vocabulary that holds every n-gram of these tokens (False, nothing cached: a token
        has an n-gram it lacks, whose column here cannot be told). The same entries."""
        room = MAX_CACHED_WORDS - len(self)
        if room <= 0:
            return True
        new = [token for token in set(chain.from_iterable(token_lists)) if token not in self]
        if not new:
            return True
        kept = new[:room]
        theirs = list(map(other.__getitem__, kept))
        found = np.frombuffer(b"".join(theirs), dtype=np.int32)
        if len(found) and found.min() < 0:
            return False
        packed = column[found].astype(np.int32).tobytes()
        start = 0
        for token, columns in zip(kept, theirs, strict=True):
            end = start + len(columns)
            self[token] = packed[start:end]
            start = end
        return True

    def new_columns(self) -> dict[str, bytes]:
        """The entries added since the last call (all of them at the first)."""
        out = dict(islice(self.items(), self.handed, None))
        self.handed = len(self)
        return out

    def remember(self, found: dict[str, bytes]) -> None:
        """Add entries another process found (``new_columns``), within MAX_CACHED_WORDS.
        What this process holds then counts as handed: a process forked from it later (the
        next training's pool) does not hand those entries back to it."""
        room = MAX_CACHED_WORDS - len(self)
        if room >= len(found):
            self.update(found)
        elif room > 0:
            self.update(islice(found.items(), room))
        self.handed = len(self)


class FeatureVectorizer:
    """Vocabulary of word and character features; ``transform`` gives raw counts."""

    def __init__(self, language: str, char_low: int, char_high: int) -> None:
        self.language = language
        self.char_low = char_low
        self.char_high = char_high
        self.vocabulary: dict[str, int] = {}
        self._char_columns = _CharColumns(self)
        self._char_mask: np.ndarray | None = None
        self._ordered: tuple[dict[str, int], np.ndarray] | None = None

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("_char_columns", None)  # caches, rebuilt on use
        state.pop("_char_mask", None)
        state.pop("_ordered", None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._char_columns = _CharColumns(self)
        self._char_mask = None
        self._ordered = None

    def char_column_mask(self) -> np.ndarray:
        """Which vocabulary columns are character n-grams (``CHAR_PREFIX``); callers must
        not change it."""
        if self._char_mask is None:
            mask = np.zeros(len(self.vocabulary), dtype=bool)
            for feature, column in self.vocabulary.items():
                mask[column] = feature.startswith(CHAR_PREFIX)
            self._char_mask = mask
        return self._char_mask

    def word_features(self, tokens: list[str], lemmas: list[str] | None = None) -> list[str]:
        """Lemmas (``NOT_`` on the NEGATION_SCOPE words after a negation) and lemma bigrams
        (``lemmas``: the tokens' lemmas when the caller has them already)."""
        bases = lemmas if lemmas is not None else lemmatize(tokens, self.language)
        negations = negation_words(self.language)
        first = _first_negation(tokens, negations)
        if first is None:
            words = list(bases)
        else:
            words = bases[:first]
            scope_end = first
            for i, (token, base) in enumerate(
                zip(tokens[first:], bases[first:], strict=True), start=first
            ):
                if token.endswith("n't"):
                    if len(token) > 3:
                        words.append(lemma(token[:-3], self.language))
                    scope_end = i + NEGATION_SCOPE
                elif token in negations:
                    words.append(token)
                    scope_end = i + NEGATION_SCOPE
                else:
                    words.append("NOT_" + base if i <= scope_end else base)
        post = POST_VERB_NEGATIONS.get(self.language)
        if post and not post.isdisjoint(tokens):
            _mark_negated_verbs(words, tokens, bases, post, self.language)
        return words + list(map(" ".join, pairwise(words)))

    def new_char_columns(self) -> dict[str, bytes]:
        """Token -> its character n-grams' columns, for the tokens this process looked up
        since the last call (the first: all it holds), to hand to ``remember_char_columns``
        of the same vectoriser in another process."""
        return self._char_columns.new_columns()

    def char_columns_of(self, tokens: Iterable[str]) -> dict[str, bytes]:
        """Token -> its character n-gram columns, for ``tokens`` (kept in this vectoriser's
        cache as a transform keeps them), to hand to ``remember_char_columns``."""
        columns = self._char_columns
        return {token: columns[token] for token in tokens}

    def remember_char_columns(self, found: dict[str, bytes]) -> None:
        """Add the columns the same vectoriser found in another process
        (``new_char_columns``): they depend only on the vocabulary and the token."""
        self._char_columns.remember(found)

    def restricted(self, columns: np.ndarray) -> FeatureVectorizer:
        """This vectoriser with only ``columns`` (ascending) of its vocabulary, numbered from
        0 in their order: the vectoriser ``fit`` builds on texts whose features are those
        columns' (the vocabulary is sorted, so a subset of it is too). This vectoriser must
        have been fitted (its vocabulary in column order)."""
        out = FeatureVectorizer(self.language, self.char_low, self.char_high)
        kept = self._ordered_features()[columns].tolist()
        out.vocabulary = dict(zip(kept, range(len(kept)), strict=True))
        out._char_mask = self.char_column_mask()[columns]
        return out

    def _ordered_features(self) -> np.ndarray:
        """The vocabulary's features in column order, as an array (kept while the vocabulary
        is the same dictionary: a guard restricts one vocabulary to each of its folds)."""
        kept = self._ordered
        if kept is None or kept[0] is not self.vocabulary or len(kept[1]) != len(self.vocabulary):
            features = np.empty(len(self.vocabulary), dtype=object)
            features[:] = list(self.vocabulary)
            kept = self._ordered = (self.vocabulary, features)
        return kept[1]

    def columns_in(self, other: FeatureVectorizer) -> np.ndarray:
        """Each of ``other``'s vocabulary columns' number in this vocabulary (-1: a feature
        this one lacks)."""
        get = self.vocabulary.get
        return np.fromiter(
            map(get, other.vocabulary, repeat(-1)), dtype=np.int64, count=len(other.vocabulary)
        )

    def transform_counted(
        self, counted: FeatureVectorizer, counts: sp.csr_matrix, token_lists: list[list[str]]
    ) -> sp.csr_matrix | None:
        """``transform`` of texts (``token_lists``: their tokens) from their count rows
        ``counts`` in ``counted`` (whose vocabulary holds every feature of the texts: fitted
        on them or on more; columns after its vocabulary's are left out), without counting
        them again: ``counted``'s columns renumbered to this vocabulary's, features it lacks
        dropped as ``transform`` drops unknown ones (the same matrix, as both vocabularies
        are sorted), and the tokens' character n-gram columns cached as ``transform`` caches
        them. None (nothing done) when the two differ in language or character n-grams, or
        their vocabularies are not in the same order."""
        if (counted.language, counted.char_low, counted.char_high) != (
            self.language,
            self.char_low,
            self.char_high,
        ):
            return None
        column = self.columns_in(counted)
        kept = column[column >= 0]
        if len(kept) > 1 and not bool((kept[1:] > kept[:-1]).all()):
            return None
        token_lists, _ = _words_only(token_lists, None)
        if self.char_high and not self._char_columns.fill_from(
            token_lists, counted._char_columns, column
        ):
            return None
        extra = np.full(counts.shape[1] - len(column), -1, dtype=np.int64)
        return renumbered(counts, np.concatenate([column, extra]), len(self.vocabulary))

    def _chars(self, token: str) -> tuple[str, ...]:
        if not self.char_high:
            return ()
        return word_char_ngrams(token, self.char_low, self.char_high)

    def fit(
        self, token_lists: list[list[str]], lemma_lists: list[list[str]] | None = None
    ) -> FeatureVectorizer:
        """Vocabulary = every feature of the training texts (min_df 1), in sorted order."""
        token_lists, lemma_lists = _words_only(token_lists, lemma_lists)
        self._fit_features(self._feature_lists(token_lists, lemma_lists), token_lists)
        return self

    def _fit_features(self, feature_lists: list[list[str]], token_lists: list[list[str]]) -> None:
        # the sets filled in C, not row by row (the same features, sorted)
        features = set(chain.from_iterable(feature_lists))
        words = set(chain.from_iterable(token_lists))
        features.update(chain.from_iterable(map(self._chars, words)))
        ordered = sorted(features)
        self.vocabulary = dict(zip(ordered, range(len(ordered)), strict=True))
        self._char_columns = _CharColumns(self)
        # the features with CHAR_PREFIX are one run of the sorted vocabulary
        self._char_mask = np.zeros(len(ordered), dtype=bool)
        self._char_mask[_prefixed_run(ordered, CHAR_PREFIX)] = True

    def transform(
        self, token_lists: list[list[str]], lemma_lists: list[list[str]] | None = None
    ) -> sp.csr_matrix:
        """Count rows (one per token list) over the vocabulary; rows can be summed.

        ``lemma_lists`` must be the tokens' lemmas in this vectorizer's language, if given
        (here and in ``fit`` and ``fit_transform``). CLAUSE_BREAK tokens are left out."""
        token_lists, lemma_lists = _words_only(token_lists, lemma_lists)
        return self._count_rows(self._feature_lists(token_lists, lemma_lists), token_lists)

    def fit_transform(
        self, token_lists: list[list[str]], lemma_lists: list[list[str]] | None = None
    ) -> sp.csr_matrix:
        """``fit`` then ``transform``, computing each text's word features once."""
        token_lists, lemma_lists = _words_only(token_lists, lemma_lists)
        feature_lists = self._feature_lists(token_lists, lemma_lists)
        self._fit_features(feature_lists, token_lists)
        return self._count_rows(feature_lists, token_lists)

    def _feature_lists(
        self, token_lists: list[list[str]], lemma_lists: list[list[str]] | None
    ) -> list[list[str]]:
        known = memo("word features")
        if known is not None:
            return self._remembered_feature_lists(known, token_lists, lemma_lists)
        if lemma_lists is None:
            return [self.word_features(tokens) for tokens in token_lists]
        return [
            self.word_features(tokens, lemmas)
            for tokens, lemmas in zip(token_lists, lemma_lists, strict=True)
        ]

    def _remembered_feature_lists(
        self,
        known: dict[tuple[str, tuple[str, ...]], list[str]],
        token_lists: list[list[str]],
        lemma_lists: list[list[str]] | None,
    ) -> list[list[str]]:
        """``_feature_lists`` through the training job's memo (``featurise_once``): the word
        features depend only on the language and the tokens."""
        out: list[list[str]] = []
        for i, tokens in enumerate(token_lists):
            key = (self.language, tuple(tokens))
            found = known.get(key)
            if found is None:
                found = self.word_features(tokens, lemma_lists[i] if lemma_lists else None)
                known[key] = found
            out.append(found)
        return out

    def _count_rows(
        self, feature_lists: list[list[str]], token_lists: list[list[str]]
    ) -> sp.csr_matrix:
        """CSR counts: word feature columns (unknown ones dropped) and character columns."""
        lookup = self.vocabulary.get
        if self.char_high:
            self._char_columns.fill(token_lists)
        char_columns = self._char_columns.__getitem__
        unknown = repeat(-1)
        packed = array("i")
        lengths = array("q")
        for features, tokens in zip(feature_lists, token_lists, strict=True):
            start = len(packed)
            # looked up in C, unknown features as -1 (left out by counted_rows): a Python
            # filter here was ~5 % of analyze
            packed.extend(map(lookup, features, unknown))
            if self.char_high:
                packed.frombytes(b"".join(map(char_columns, tokens)))
            lengths.append(len(packed) - start)
        return counted_rows(
            np.frombuffer(packed, dtype=np.int32) if packed else np.zeros(0, np.int32),
            np.frombuffer(lengths, dtype=np.int64) if lengths else np.zeros(0, np.int64),
            len(self.vocabulary),
        )


def _words_only(
    token_lists: list[list[str]], lemma_lists: list[list[str]] | None
) -> tuple[list[list[str]], list[list[str]] | None]:
    """The token lists (and lemma lists) without CLAUSE_BREAK (``without_clause_breaks``):
    the word features read the words alone."""
    if not any(CLAUSE_BREAK in tokens for tokens in token_lists):
        return token_lists, lemma_lists
    words = list(map(without_clause_breaks, token_lists))
    return words, None if lemma_lists is None else list(map(without_clause_breaks, lemma_lists))


def _prefixed_run(ordered: list[str], prefix: str) -> slice:
    """The positions of the strings starting with ``prefix`` (one character) in a sorted
    list: from the first string >= ``prefix`` to the first >= the next character."""
    return slice(bisect_left(ordered, prefix), bisect_left(ordered, chr(ord(prefix) + 1)))


def counted_rows(columns: np.ndarray, lengths: np.ndarray, width: int) -> sp.csr_matrix:
    """CSR counts of the column indices, row after row (``lengths[i]`` of them in row i):
    sorted indices, one entry per distinct column of a row, holding how often it occurs.
    Negative columns (features outside the vocabulary) are left out.

    The same matrix as building the CSR with ones and calling ``sum_duplicates``, whose
    per-row comparison sort took most of the time on review-long rows; here numpy sorts
    ``row * width + column`` keys (int32 or int64, with SIMD), a block of whole rows at a
    time (``sort_by_rows``). (Two counting sorts through SciPy's CSC conversion, used while
    the entries were at least half the width, cost 1.5-2.5 times one sort of all keys: on
    the rated reviews of benchmarks/analyze.py, 3.5-4.6M entries, 0.085-0.153 ->
    0.052-0.070 s; on its analysis chunks too.)"""
    rows = len(lengths)
    if not width:
        return sp.csr_matrix((rows, 0))
    key_type = np.dtype(np.int32 if (rows + 1) * width < 2**31 else np.int64)
    keys: np.ndarray = np.repeat(np.arange(0, rows * width, width, dtype=key_type), lengths)
    keys += columns.astype(key_type, copy=False)
    ends = np.cumsum(lengths)
    if len(columns) and columns.min() < 0:
        known = columns >= 0
        keys = keys[known]
        # each row's end among the known entries
        ends = np.concatenate(([0], np.cumsum(known)))[ends]
    sort_by_rows(keys, ends)
    first = np.ones(len(keys), dtype=bool)
    np.not_equal(keys[1:], keys[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    counts = np.diff(starts, append=len(keys)).astype(np.float64)
    distinct = keys[starts]
    indptr = np.searchsorted(distinct, np.arange(0, (rows + 1) * width, width, dtype=np.int64))
    indices = (distinct % width).astype(np.int32, copy=False)
    return sp.csr_matrix((counts, indices, indptr), shape=(rows, width))


def renumbered(rows: sp.csr_matrix, column: np.ndarray, width: int) -> sp.csr_matrix:
    """``rows`` with each column c moved to ``column[c]``, entries of columns mapped to -1
    left out (``column`` keeps the kept columns' order, so the indices stay sorted)."""
    moved = column[rows.indices]
    kept = moved >= 0
    if kept.all():
        return sp.csr_matrix(
            (rows.data, moved.astype(np.int32), rows.indptr), shape=(rows.shape[0], width)
        )
    before = np.zeros(len(kept) + 1, dtype=np.int64)
    np.cumsum(kept, out=before[1:])
    return sp.csr_matrix(
        (rows.data[kept], moved[kept].astype(np.int32), before[rows.indptr]),
        shape=(rows.shape[0], width),
    )


SORT_BLOCK = 512
"""Fewest keys ``sort_by_rows`` sorts at a time (whole rows): numpy's sort of a few hundred
integers is a few vector instructions, the Python call around it costs more below this."""


def sort_by_rows(keys: np.ndarray, ends: np.ndarray) -> None:
    """Sort ``keys`` (``row * width + column``, rows in order, ``ends``: each row's end) in
    place, a block of whole rows at a time (at least SORT_BLOCK keys unless a row ends the
    array): every key of a row is below every key of the rows after it, so the sorted
    blocks one after the other are the sorted array. One sort of a training job's 3.6-3.9M
    keys took 133 CPU ms, these sorts of 512 or more keys each (a rated review's row holds
    ~900) 20 ms: each block stays in the CPU's first caches."""
    if len(keys) <= SORT_BLOCK:
        keys.sort()
        return
    cuts = ends[np.searchsorted(ends, np.arange(SORT_BLOCK, len(keys), SORT_BLOCK))]
    start = 0
    for end in np.unique(cuts).tolist():
        keys[start:end].sort()
        start = end
    keys[start:].sort()


def _mark_negated_verbs(
    words: list[str], tokens: list[str], bases: list[str], post: frozenset[str], language: str
) -> None:
    """``NOT_`` on the finite verb right before a post-verb negation ("aime pas", "liker
    ikke"), or before an object pronoun and the negation ("rekommenderar den inte",
    "empfehle es nicht": ``negation_follows``, as the lexicon reads it), in place (``words``
    holds one feature per token in these languages)."""
    for verb in range(len(tokens) - 1):
        if (
            negation_follows(tokens, verb, post, language)
            and tokens[verb] not in post
            and not words[verb].startswith("NOT_")
            and finite_verb(tokens[verb], bases[verb], language)
        ):
            words[verb] = "NOT_" + words[verb]


def _first_negation(tokens: list[str], negations: frozenset[str]) -> int | None:
    """Position of the first token that opens a negation scope, or None."""
    if negations.isdisjoint(tokens) and "n't" not in " ".join(tokens):
        return None
    for position, token in enumerate(tokens):
        if token in negations or token.endswith("n't"):
            return position
    return None


def lemma_lists(texts: list[str], tokens: list[list[str]], language: str) -> list[list[str]]:
    """Each text's ``tokens`` lemmatised in ``language`` (in a training job once per distinct
    text and language: its guard's folds and final fit lemmatised the same ratings up to
    five times). Callers must not change the lists."""
    known: dict[tuple[str, str], list[str]] | None = memo("lemmas")
    if known is None:
        return [lemmatize(t, language) for t in tokens]
    out: list[list[str]] = []
    for text, text_tokens in zip(texts, tokens, strict=True):
        key = (language, text)
        found = known.get(key)
        if found is None:
            found = known[key] = lemmatize(text_tokens, language)
        out.append(found)
    return out


def token_lists(texts: list[str]) -> list[list[str]]:
    """``sentiment_tokens`` over texts (once per distinct text in a training job)."""
    known: dict[str, tuple[str, ...]] | None = memo("tokens")
    if known is None:
        return [sentiment_tokens(text) for text in texts]
    out: list[list[str]] = []
    for text in texts:
        found = known.get(text)
        if found is None:
            found = known[text] = tuple(sentiment_tokens(text))
        out.append(list(found))
    return out
