"""What README.md and DEVELOPERS.md tell a user is there: the commands and options they name,
the benchmark scripts and their options, repository paths, environment variables, the
defaults the targets-file example says it shows, and the two promised commands (install and
run the demo; install and test) as ``pyproject.toml``, ``tests/install.sh`` and ``.ci/run``
have them. Each check lists every drift it finds, so one run names them all."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main

from rivalscope.cli import app
from settings.schedule import HealthSettings, ScheduleSettings
from settings.targets import Limits

ROOT = Path(__file__).resolve().parents[1]
DOCS = ("README.md", "DEVELOPERS.md")
PACKAGES = ("rivalscope", "spiders", "compare", "storage", "settings")
FOLDERS = (*PACKAGES, "benchmarks", "tests", ".ci")


def _text(name: str) -> str:
    return (ROOT / name).read_text("utf-8")


def _commands(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    subcommands = getattr(command, "commands", None)
    if subcommands is None:
        yield path, command
        return
    for name, sub in subcommands.items():
        yield from _commands(sub, (*path, name))


COMMANDS: dict[str, set[str]] = {
    " ".join(path): {
        "--help",
        *(
            name
            for param in command.params
            if param.param_type_name == "option"
            for name in (*param.opts, *param.secondary_opts)
        ),
    }
    for path, command in _commands(typer.main.get_command(app))
}
GROUPS = {name.split()[0] for name in COMMANDS if " " in name}


def _snippets(text: str) -> list[str]:
    """Inline code spans, and the lines of shell blocks without their comments."""
    spans = re.findall(r"`([^`\n]+)`", text)
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        spans += [line.split("  #")[0] for line in block.splitlines()]
    return spans


def _command_drift(text: str) -> list[str]:
    """``rivalscope CMD ...`` (or ``CMD --option`` for a command name) naming a command the
    CLI lacks, or an option that command does not take."""
    problems = []
    for snippet in _snippets(text):
        for part in re.split(r"[|&;>]", snippet):
            words = part.split()
            named = "rivalscope" in words
            if named:
                words = words[words.index("rivalscope") + 1 :]
            if not words or words[0].startswith(("-", "/", "$")) or "/" in words[0]:
                continue
            if words[0] in GROUPS and len(words) > 1 and not words[1].startswith("-"):
                command, rest = f"{words[0]} {words[1]}", words[2:]
            else:
                command, rest = words[0], words[1:]
            if command not in COMMANDS:
                if named:
                    problems.append(f"no command {command!r}: {snippet}")
                continue
            for word in rest:
                option = re.match(r"\[?(--?[a-zA-Z][a-z0-9-]*)", word)
                if option and option.group(1) not in COMMANDS[command]:
                    problems.append(f"{command} takes no {option.group(1)}: {snippet}")
    return problems


@pytest.mark.parametrize(
    ("text", "drift"),
    [
        ("`rivalscope crawl -v`, `rivalscope db merge-copies --dry-run`", []),
        ("`analyze --taxonomy FILE` and `targets check --render`", []),
        ("`rivalscope crawl --verbose-log`", ["crawl takes no --verbose-log"]),
        ("`rivalscope reports --out DIR`", ["no command 'reports'"]),
        ("`rivalscope db vacuum`", ["no command 'db vacuum'"]),
        (
            "```sh\nrivalscope findings --since X   # --since: no\n```",
            ["findings takes no --since"],
        ),
        ("`extract page.html [--explains]`", ["extract takes no --explains"]),
    ],
)
def test_command_drift_is_found(text: str, drift: list[str]) -> None:
    found = _command_drift(text)
    assert len(found) == len(drift), found
    for problem, expected in zip(found, drift, strict=True):
        assert problem.startswith(expected)


@pytest.mark.parametrize("doc", DOCS)
def test_every_command_the_docs_name_exists_with_its_options(doc: str) -> None:
    assert _command_drift(_text(doc)) == []


def test_every_command_is_named_in_the_readme() -> None:
    readme = _text("README.md")
    unnamed = [name for name in COMMANDS if f"rivalscope {name}" not in readme]
    assert unnamed == []


def test_every_benchmark_the_docs_name_exists_and_takes_its_options() -> None:
    problems = []
    for doc in DOCS:
        for match in re.finditer(r"benchmarks/(\w+\.py)([^`#\n]*)", _text(doc)):
            script = ROOT / "benchmarks" / match.group(1)
            if not script.is_file():
                problems.append(f"{doc}: no benchmarks/{match.group(1)}")
                continue
            source = script.read_text("utf-8")
            for option in re.findall(r"(?<![\w-])--[a-z][a-z0-9-]*", match.group(2)):
                if option not in source:
                    problems.append(f"{doc}: benchmarks/{match.group(1)} takes no {option}")
    assert problems == []


def test_repository_paths_the_docs_name_exist() -> None:
    missing = []
    for doc in DOCS:
        for span in re.findall(r"`([^`\s]+)`", _text(doc)):
            path = span.split(":")[0].rstrip("/")
            if path.split("/")[0] not in FOLDERS or re.search(r"[<>{}*\[\]]", path):
                continue
            if not (ROOT / path).exists():
                missing.append(f"{doc}: {span}")
    assert missing == []


def test_environment_variables_the_docs_name_are_read() -> None:
    code = "\n".join(
        path.read_text("utf-8")
        for folder in (*PACKAGES, "tests")
        for path in (ROOT / folder).rglob("*.py")
    )
    code += _text(".ci/run")
    read = set(re.findall(r"RIVALSCOPE_[A-Z_]+", code))
    named = {name for doc in DOCS for name in re.findall(r"RIVALSCOPE_[A-Z_]+", _text(doc))}
    assert sorted(named - read) == []


def _toml_block(after: str) -> dict[str, Any]:
    readme = _text("README.md")
    start = readme.index(after)
    block = readme[readme.index("```toml\n", start) + len("```toml\n") :]
    return tomllib.loads(block[: block.index("```")])


def test_the_schedule_example_shows_the_defaults() -> None:
    """The README: "the values shown are the defaults, except the webhooks and alert
    thresholds"."""
    example = _toml_block("`rivalscope schedule` reads three more tables")
    unset = {"webhook", "notify"}
    for table, model in (("schedule", ScheduleSettings), ("health", HealthSettings)):
        defaults = model().model_dump()
        shown = {key: value for key, value in example[table].items() if key not in unset}
        assert shown == {key: defaults[key] for key in shown}, table


def test_the_limits_example_shows_the_defaults() -> None:
    """The targets example's commented limits say "(defaults shown)"."""
    readme = _text("README.md")
    start = readme.index("(defaults shown)")
    lines = readme[start : readme.index("\n\n", start)].splitlines()[1:]
    shown = dict(re.findall(r"^# (\w+) = ([\d.]+)", "\n".join(lines), re.M))
    assert len(shown) >= 6
    defaults = Limits().model_dump()
    assert {key: float(value) for key, value in shown.items()} == {
        key: float(defaults[key]) for key in shown
    }


def test_the_promised_commands_are_the_ones_run() -> None:
    readme = _text("README.md")
    blocks = re.findall(r"```sh\n(.*?)\n```", readme, re.S)
    # Try it: install and run the demo, through the console script the package declares.
    assert blocks[0] == "python -m pip install . && rivalscope demo"
    scripts = tomllib.loads(_text("pyproject.toml"))["project"]["scripts"]
    assert scripts["rivalscope"] == "rivalscope.cli:main"
    assert "demo" in COMMANDS
    # Run the tests: the very line CI runs, and the install it describes.
    test_command = next(block for block in blocks if "tests/install.sh" in block)
    assert test_command in _text(".ci/run").splitlines()
    assert '`pip install -e ".[test]"`' in readme
    assert 'pip install --quiet --disable-pip-version-check -e ".[test]"' in _text(
        "tests/install.sh"
    )
