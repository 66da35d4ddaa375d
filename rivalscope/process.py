"""Whether this process runs one ``rivalscope`` command and then ends."""

from __future__ import annotations

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
