"""The ``rivalscope`` command: a thin layer over the library packages.

Each module in ``rivalscope.commands`` defines ``register(app)`` and adds its commands;
this file only assembles them and turns the library's user-facing errors into a
one-line message and exit status 2 instead of a traceback.
"""

from __future__ import annotations

import errno
import importlib
import inspect
import os
import pkgutil
import re
import signal
import sys
import threading
from pathlib import Path
from types import FrameType
from typing import Any

import typer
import typer.core

import rivalscope.commands
from rivalscope import __version__
from settings.pause_points import pause_point
from settings.user_errors import UserError
from settings.visible_text import visible_controls

LOADING_PAUSE_POINT = "commands-loading"

app = typer.Typer(
    name="rivalscope",
    help=(
        "Competitive intelligence from public reviews and offers: crawl competitors, "
        "analyse what their customers say, compare with your own, find segments to win.\n\n"
        "Start with `rivalscope demo`. The database is ./rivalscope.db unless --db or "
        "RIVALSCOPE_DATABASE_URL says otherwise. Exit status: 2 for a mistake in the input; "
        "Ctrl-C stops a command with one line and 130, SIGTERM alike with 143."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"rivalscope {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Competitive intelligence from public reviews and offers."""


def _register_all() -> None:
    for info in sorted(pkgutil.iter_modules(rivalscope.commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"rivalscope.commands.{info.name}")
        pause_point(LOADING_PAUSE_POINT, 0)  # a test's Ctrl-C while the commands load
        register = getattr(module, "register", None)
        if register is not None:
            register(app)


# A line that starts its own line in --help: an example, a list item, an indented block.
_OWN_LINE = re.compile(r"^(?:Example|Examples|Note)s?:|^[-*•] |^\d+[.)] |^\s")


def unwrap_help(text: str) -> str:
    """Join the hard-wrapped lines of a docstring's paragraphs.

    Typer's rich mode keeps single line breaks, so source-wrapped docstrings broke mid-sentence
    at 80 columns; examples and list items keep their own lines.
    """
    paragraphs = []
    for paragraph in inspect.cleandoc(text).split("\n\n"):
        lines: list[str] = []
        for line in paragraph.split("\n"):
            if lines and line.strip() and not _OWN_LINE.match(line):
                lines[-1] = f"{lines[-1].rstrip()} {line.strip()}"
            else:
                lines.append(line)
        paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)


def _unwrap_all(typer_app: typer.Typer) -> None:
    for command in typer_app.registered_commands:
        text = command.help or inspect.getdoc(command.callback) or ""
        if text:
            command.help = unwrap_help(text)
    for group in typer_app.registered_groups:
        if group.typer_instance is not None:
            info = group.typer_instance.info
            if isinstance(info.help, str):
                info.help = unwrap_help(info.help)
            if isinstance(group.help, str):
                group.help = unwrap_help(group.help)
            _unwrap_all(group.typer_instance)


def _hide_flag_types() -> None:
    """Typer 0.29's rich help prints a flag's Python type ("--verbose <bool>", "--help
    <bool>"), which reads as if the flag wanted a value; its plain help leaves flags bare, and
    so does ours. Options that take a value keep their type ("--targets <path>")."""
    option_class: Any = getattr(typer.core, "TyperOption", None)
    shown = getattr(option_class, "display_type_rich", None)
    if shown is None or getattr(shown, "flags_bare", False):
        return

    def display_type_rich(self: Any, ctx: Any) -> str | None:
        if getattr(self, "is_flag", False) or getattr(self, "count", False):
            return None
        return shown(self, ctx)

    display_type_rich.flags_bare = True  # type: ignore[attr-defined]
    option_class.display_type_rich = display_type_rich


def _stop_on_sigterm(received: list[int]) -> Any:
    """SIGTERM raises KeyboardInterrupt, as Ctrl-C does, noted in ``received``; only where
    it has its default action (ignored or handled, it is left alone). The handler before
    (None: nothing installed)."""
    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL
    ):
        return None

    def _terminate(signum: int, _frame: FrameType | None) -> None:
        received.append(signum)
        raise KeyboardInterrupt

    return signal.signal(signal.SIGTERM, _terminate)


def _load_commands() -> None:
    """Register every command. Ctrl-C while their modules import (a second or two, before
    ``main`` runs) ends the process as Ctrl-C later does: one line, exit 130, no traceback;
    SIGTERM alike, exit 143 (it ended the process without a word)."""
    from settings.interrupts import stopped_status

    stopped_by: list[int] = []
    previous = _stop_on_sigterm(stopped_by)
    try:
        _register_all()
        _unwrap_all(app)
        _hide_flag_types()
    except KeyboardInterrupt:
        sys.stderr.write("interrupted: nothing was done\n")
        raise SystemExit(stopped_status(stopped_by[0] if stopped_by else signal.SIGINT)) from None
    finally:
        if previous is not None:  # a process that imports the commands (a test) goes on
            signal.signal(signal.SIGTERM, previous)


_load_commands()


def main() -> None:
    """Console-script entry point."""
    from typer._click.exceptions import ClickException

    from rivalscope.process import run_one_command

    run_one_command()
    # PostgreSQL shows it in pg_stat_activity, so that a command held by another's lock can
    # say whose it is (``storage.db``); a name the user set (PGAPPNAME, the URL's
    # application_name) wins. Helper processes inherit it.
    os.environ.setdefault("PGAPPNAME", command_name(sys.argv[1:]))
    interrupted = _note_interrupts()
    try:
        code = app(standalone_mode=False)
    except KeyboardInterrupt:
        code = 130
        if not interrupted:
            interrupted.append(signal.SIGINT)
    except ClickException as exc:
        # A usage mistake (bad option value, missing argument): one line, not a framed box.
        if type(exc).__name__ != "NoArgsIsHelpError":  # the help is printed already
            typer.secho(
                f"error: {visible_controls(_usage_message(exc))}", fg=typer.colors.RED, err=True
            )
        sys.exit(exc.exit_code)
    except typer.Abort:
        typer.secho("aborted", fg=typer.colors.YELLOW, err=True)
        sys.exit(1)
    except Exception as exc:
        full = _output_full(exc)
        if full is not None:  # `rivalscope export ... > file.csv` on a full disk
            typer.secho(f"error: {visible_controls(full)}", fg=typer.colors.RED, err=True)
            sys.exit(2)
        if not isinstance(exc, UserError):
            from storage.db import environment_error

            exc = environment_error(exc) or exc  # a read-only database file, a full disk
        if not isinstance(exc, UserError):
            raise
        typer.secho(f"error: {visible_controls(str(exc))}", fg=typer.colors.RED, err=True)
        sys.exit(2)
    if code == 130 and interrupted:
        # Typer turns Ctrl-C into exit status 130 without a word (a command that handles it
        # itself, as crawl does, replaces this handler and says what it stopped); SIGTERM
        # stops a command as Ctrl-C does, with the same line, exit 143.
        from settings.interrupts import stopped_status

        code = stopped_status(interrupted[0])
        typer.secho(
            "interrupted: what was committed is kept; run the command again to finish",
            fg=typer.colors.YELLOW,
            err=True,
        )
    sys.exit(code if isinstance(code, int) else 0)


_FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
"""What a write meets when the disk (or the user's quota, or the file size limit) is full."""


def _output_full(exc: BaseException) -> str | None:
    """The line for a write that found no room: a file named in the error, else the output
    (standard output redirected to a file on a full disk, ``> export.csv``: the files the
    commands write themselves say their names). Output still buffered is flushed, or else
    dropped, so that the exit's own flush does not fail again with a traceback. None for
    any other error."""
    if not isinstance(exc, OSError) or exc.errno not in _FULL:
        return None
    reason = exc.strerror or os.strerror(exc.errno)
    try:
        sys.stdout.flush()
    except OSError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    where = exc.filename if exc.filename is not None else "the output"
    return f"cannot write {where}: {reason}; what was written is incomplete"


def command_name(args: list[str]) -> str:
    """``rivalscope`` and the command the arguments run (``rivalscope db merge-copies``)."""
    words = ["rivalscope"]
    groups = {group.name for group in app.registered_groups}
    if args and not args[0].startswith("-"):
        words.append(args[0])
        if args[0] in groups and len(args) > 1 and not args[1].startswith("-"):
            words.append(args[1])
    return " ".join(words)


def _note_interrupts() -> list[int]:
    """A list that gets an entry when Ctrl-C interrupts the command (which still raises
    KeyboardInterrupt as usual); SIGINT left alone when it is ignored (nohup) or handled.
    SIGTERM, where it would end the process at once, stops the command as Ctrl-C does."""
    received: list[int] = []
    _stop_on_sigterm(received)
    if signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        return received

    def _interrupt(signum: int, _frame: FrameType | None) -> None:
        received.append(signum)
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, _interrupt)
    return received


def _usage_message(exc: Exception) -> str:
    message = " ".join(str(getattr(exc, "format_message", lambda: exc)()).split())
    context = getattr(exc, "ctx", None)
    if context is not None:
        message += f" (see {context.command_path} --help)"
        message += _file_option_hint(message, context)
        message += _argument_hint(message, context)
    return message


def _argument_hint(message: str, context: Any) -> str:
    """``crawl --source acme``: an option named like one of the command's arguments."""
    option = re.match(r"No such option: --([\w-]+)", message)
    if option is None:
        return ""
    for param in getattr(context.command, "params", []):
        name = param.name or ""
        if not _is_option(param) and option.group(1) in (
            name,
            name.rstrip("s"),
        ):
            return f"; write {name} without an option: {context.command_path} {name.upper()}"
    return ""


def _file_option_hint(message: str, context: Any) -> str:
    """``targets validate targets.toml``: a file given where the command takes it as an
    option; say which option (the usage error alone reads as if the file were wrong)."""
    extra = re.fullmatch(r"Got unexpected extra arguments?(?:\(s\))? \((.+?)\).*", message)
    if extra is None:
        return ""
    names = [
        max(param.opts, key=len)
        for param in getattr(context.command, "params", [])
        if _is_option(param) and _takes_a_path(param)
    ]
    given = extra.group(1).split()[0]
    if not names or "." not in Path(given).name:
        return ""
    if len(names) == 1:
        return f"; to give a file, write {names[0]} {given}"
    return f"; files are given with an option: {', '.join(names)}"


def _is_option(param: Any) -> bool:
    """An option (``--targets``), not an argument (``SOURCES``)."""
    return bool(param.opts) and str(param.opts[0]).startswith("-")


def _takes_a_path(param: Any) -> bool:
    annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
    return annotation is Path


if __name__ == "__main__":
    main()
