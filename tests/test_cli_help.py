"""Every command answers ``--help`` with its description and an example, and help stays light.

Help is read often while tuning targets; it must not load the database or analysis stacks
(they take about a second to import), so commands import those inside their functions.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main
import typer.testing

from rivalscope.cli import app, unwrap_help
from tests.cli import run_cli


def _commands(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    subcommands = getattr(command, "commands", None)
    if subcommands is None:
        yield path
        return
    for name, sub in subcommands.items():
        yield from _commands(sub, (*path, name))


COMMANDS = sorted(_commands(typer.main.get_command(app)))


def test_the_command_list_is_complete() -> None:
    names = {" ".join(path) for path in COMMANDS}
    assert {"analyze", "crawl", "demo", "report", "schedule", "sentiment score"} <= names
    assert {"targets validate", "targets status", "targets check", "targets suggest"} <= names


@pytest.mark.parametrize("path", COMMANDS, ids=[" ".join(p) for p in COMMANDS])
def test_every_command_has_help_with_an_example(path: tuple[str, ...], tmp_path: Path) -> None:
    result = run_cli(*path, "--help", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "rivalscope " + " ".join(path) + " [OPTIONS]" in result.stdout  # the usage line
    # A flag takes no value: "--help <bool>" read as if it wanted one.
    assert "<bool>" not in result.stdout
    example = next(line for line in result.stdout.splitlines() if "Example:" in line)
    assert "rivalscope " + " ".join(path) in example
    # Rich markup must not eat words: "[schedule]" in a docstring is written "\\[schedule]".
    command: Any = typer.main.get_command(app)
    for name in path:
        command = command.commands[name]
    # Options' help too: "(default: [crawler] queue)" was shown as "(default:  queue)".
    texts = [command.help or "", *(getattr(p, "help", None) or "" for p in command.params)]
    doc = " ".join(texts).replace("\\[", "[")
    shown = " ".join(result.stdout.split())
    for bracketed in re.findall(r"\[[\w.-]+\]", doc):
        assert bracketed in shown, f"{bracketed} lost from the help of {' '.join(path)}"


def test_help_loads_no_database_or_analysis_stack(tmp_path: Path) -> None:
    probe = (
        "import sys\n"
        "from rivalscope.cli import app\n"
        "try:\n"
        "    app(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ('sqlalchemy', 'sqlmodel', 'numpy', 'scipy', 'pandas', 'scrapy', 'sklearn')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize(
    ("docstring", "expected"),
    [
        ("One line.", "One line."),
        ("Summary that\n    wraps here.", "Summary that wraps here."),
        (
            "Summary.\n\n    Body that\n    wraps.\n\n    Example: a\n    Example: b",
            "Summary.\n\nBody that wraps.\n\nExample: a\nExample: b",
        ),
        (
            "Body:\n- item one\n- item two\n  continued",
            "Body:\n- item one\n- item two\n  continued",
        ),
        ("Steps:\n1. first\n2. second", "Steps:\n1. first\n2. second"),
    ],
)
def test_unwrap_help(docstring: str, expected: str) -> None:
    assert unwrap_help(docstring) == expected


def test_command_list_has_no_line_broken_mid_sentence() -> None:
    result = typer.testing.CliRunner().invoke(app, ["--help"], env={"COLUMNS": "400"})
    assert result.exit_code == 0
    # At 400 columns every command's summary fits on one line: a wrapped docstring would
    # show as a second line that starts with lower-case prose.
    lines = [line for line in result.output.splitlines() if line.startswith("│ ")]
    continuation = [line for line in lines if line[2:12].strip() == "" and line[12:].strip()]
    assert continuation == []


def test_crawl_help_says_where_the_targets_file_is_described(tmp_path: Path) -> None:
    """The README sends a reader to `rivalscope crawl --help` for the targets file, which
    said nothing of it."""
    shown = " ".join(run_cli("crawl", "--help", cwd=tmp_path).stdout.split())
    assert 'README, "The targets file"' in shown
    assert "rivalscope targets validate" in shown and "rivalscope demo --serve" in shown
