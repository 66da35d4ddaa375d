"""Work written as steps, so that its independent fits can run side by side.

A guard (``adapted.guard_steps``, ``lexicon_guard.guard_lexicon_steps``) is a generator:
it yields a batch of calls (a module-level function and its arguments, picklable) that do
not depend on one another, receives their results in the same order, decides what to fit
next from them, and finally returns its result. ``run_steps`` runs the calls in this
process, one after the other; ``training.TrainingOnPool`` hands them to a process pool, so
that the k-fold fits of one language run on every core instead of one after the other in
one job (1,929 Norwegian ratings: 20 fits, ~16 CPU-s, held the training up alone). Each
call is a pure function of its arguments, so both give the same result.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Generator
from typing import Any, ParamSpec, TypeVar

T = TypeVar("T")
P = ParamSpec("P")

Call = tuple[Callable[..., Any], tuple[Any, ...]]
"""A function and its arguments (both picklable, for a pool)."""
Steps = Generator[list[Call], list[Any], T]
"""Yields batches of independent calls, is sent each batch's results, returns a ``T``."""


def run_steps(steps: Steps[T]) -> T:
    """Run the steps' calls in this process, in order; their result."""
    try:
        batch = next(steps)
        while True:
            batch = steps.send([function(*args) for function, args in batch])
    except StopIteration as done:
        return done.value


def one_call(function: Callable[..., T], *args: Any) -> Steps[T]:
    """A single call as steps."""
    [result] = yield [(function, args)]
    return result


def in_process(steps: Callable[P, Steps[T]]) -> Callable[P, T]:
    """A function that takes the steps' arguments and returns their result, run in this
    process (``run_steps``)."""

    @functools.wraps(steps)
    def run(*args: P.args, **kwargs: P.kwargs) -> T:
        return run_steps(steps(*args, **kwargs))

    return run
