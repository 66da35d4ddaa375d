"""The ``rivalscope`` command: a thin layer over the library packages.

Each module in ``rivalscope.commands`` defines ``register(app)`` and adds its commands;
this file only assembles them and turns the library's user-facing errors into a
one-line message and exit status 2 instead of a traceback.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import typer

import rivalscope.commands
from rivalscope import __version__
from settings.user_errors import UserError

app = typer.Typer(
    name="rivalscope",
    help=(
        "Competitive intelligence from public reviews and offers: crawl competitors, "
        "analyse what their customers say, compare with your own, find segments to win.\n\n"
        "Start with `rivalscope demo`. The database is ./rivalscope.db unless --db or "
        "RIVALSCOPE_DATABASE_URL says otherwise."
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
        register = getattr(module, "register", None)
        if register is not None:
            register(app)


_register_all()


def main() -> None:
    """Console-script entry point."""
    from typer._click.exceptions import ClickException

    try:
        code = app(standalone_mode=False)
    except KeyboardInterrupt:
        typer.secho("interrupted", fg=typer.colors.YELLOW, err=True)
        sys.exit(130)
    except ClickException as exc:
        # A usage mistake (bad option value, missing argument): one line, not a framed box.
        if type(exc).__name__ != "NoArgsIsHelpError":  # the help is printed already
            typer.secho(f"error: {_usage_message(exc)}", fg=typer.colors.RED, err=True)
        sys.exit(exc.exit_code)
    except typer.Abort:
        typer.secho("aborted", fg=typer.colors.YELLOW, err=True)
        sys.exit(1)
    except Exception as exc:
        if not isinstance(exc, UserError):
            raise
        typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
        sys.exit(2)
    sys.exit(code if isinstance(code, int) else 0)


def _usage_message(exc: Exception) -> str:
    message = " ".join(str(getattr(exc, "format_message", lambda: exc)()).split())
    context = getattr(exc, "ctx", None)
    if context is not None:
        message += f" (see {context.command_path} --help)"
    return message


if __name__ == "__main__":
    main()
