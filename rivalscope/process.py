"""Whether this process runs one ``rivalscope`` command and then ends."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_ONE_COMMAND: list[bool] = []


def run_one_command() -> None:
    """Say that this process runs one command and ends (``rivalscope.cli.main``)."""
    _ONE_COMMAND.append(True)


def one_command_process() -> bool:
    """True in the ``rivalscope`` command's own process (the console script, ``python -m
    rivalscope``), which ends after its command; False where a command is called in a
    process that goes on (a test's CliRunner, a notebook). What a process can do once only
    (start Scrapy's reactor: ``spiders.crawl_probe``) may then be done in it."""
    return bool(_ONE_COMMAND)


def free_at_exit_without_collecting() -> None:
    """In the command's own process (``one_command_process``), once the command's work is
    committed and its output written: collect the garbage there is now, then freeze the
    objects left (``gc.freeze``), so that the collections the interpreter runs while it
    shuts down do not traverse them all again. Those objects are still freed at exit as
    before; what the frozen ones lose is only a collection of cycles among them, whose
    finalizers Python never promises to run at exit. After ``rivalscope analyze`` (models,
    lexicons, vocabularies: ~110,000 containers) the exit took ~0.27 CPU-s, with this
    ~0.1. Elsewhere (a test's CliRunner) nothing happens: that process goes on."""
    if not one_command_process():
        return
    gc.collect()
    gc.freeze()


@contextmanager
def imports_without_collections() -> Iterator[None]:
    """Within: no garbage collection (imports create module objects, classes and functions
    that live as long as the process, none of them garbage; the collections that their
    number set off were ~0.13 of the analysis stack's ~0.78 CPU-s of imports, in a phase
    where nothing else runs). After, in the command's own process (``one_command_process``),
    they are frozen (``gc.freeze``): no later collection traverses them either."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
    if one_command_process():
        gc.freeze()
