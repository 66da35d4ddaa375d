"""A memo, scoped to one training job, so each distinct text is featurised once.

Training featurises the same ratings several times: the base model scores them, the
held-out folds fit the candidates on most of them, and the chosen model is fitted on all
of them again. Tokens, word features and lexicon sums are pure functions of (language,
text or tokens), so within ``featurising_once`` they are computed once per distinct input
and reused (same values; training CPU 9.8 -> 9.1 s on benchmarks/analyze.py's 20,000
reviews). The analysis opens one where a language's model and its opinion detector
featurise the same sentences (``review._score_group``); outside it nothing is kept.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_memos: dict[str, dict[Any, Any]] | None = None


@contextmanager
def featurising_once() -> Iterator[None]:
    """Within: ``memo(kind)`` gives a dictionary kept until the outermost block ends."""
    global _memos
    outermost = _memos is None
    if outermost:
        _memos = {}
    try:
        yield
    finally:
        if outermost:
            _memos = None


def memo(kind: str) -> dict[Any, Any] | None:
    """The active memo for ``kind`` (None outside ``featurising_once``). Values are shared:
    callers must not change them."""
    return None if _memos is None else _memos.setdefault(kind, {})
