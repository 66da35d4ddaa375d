"""Tables read on the terminal they are shown on: whole words, numbers on one line, and one
block per row when even that does not fit (``rivalscope.display.print_table``)."""

from __future__ import annotations

import pytest
from rich.console import Console
from rich.table import Table

from rivalscope.display import print_table

ROWS = [
    ("Maison Lumière", "customer service", "+1.60 [+1.32, +1.76]", "61 opinions"),
    ("Brewcraft Supply", "delivery", "-1.24 [-1.50, -0.91]", "4 matched products"),
]


def _shown(width: int, rows: list[tuple[str, ...]] = ROWS) -> list[str]:
    table = Table(title="Findings")
    for name in ("competitor", "aspect", "effect [95% CI]", "n"):
        table.add_column(name, no_wrap=name == "effect [95% CI]")
    for row in rows:
        table.add_row(*row)
    out = Console(width=width, record=True, soft_wrap=True)
    with out.capture() as captured:
        print_table(table, out=out)
    return captured.get().splitlines()


@pytest.mark.parametrize("width", [120, 80, 64])
def test_a_table_that_can_fit_keeps_words_and_numbers_whole(width: int) -> None:
    lines = _shown(width)
    text = "\n".join(lines)
    assert max(map(len, lines)) <= width, text
    assert "…" not in text, text
    assert "+1.60 [+1.32, +1.76]" in text  # the no_wrap column on one line
    for word in ("Lumière", "Brewcraft", "customer", "opinions", "products"):
        assert word in text, text


@pytest.mark.parametrize("width", [40, 24])
def test_a_table_too_narrow_for_its_words_becomes_one_block_per_row(width: int) -> None:
    lines = _shown(width)
    assert lines[0] == "Findings"
    assert "competitor      : Maison Lumière" in lines
    assert "effect [95% CI] : -1.24 [-1.50, -0.91]" in lines
    assert sum(line.startswith("-[ ") for line in lines) == len(ROWS)


def test_markup_like_text_in_cells_is_shown_as_written_in_blocks() -> None:
    """Scraped names reach these tables; rich markup in them is escaped by the caller
    (``rich.markup.escape``) and must come out as the user wrote it."""
    from rich.markup import escape

    lines = _shown(30, [(escape("[bold]Rival[/bold]"), "price", "+0.10 [+0.01, +0.20]", "9")])
    assert "competitor      : [bold]Rival[/bold]" in lines


@pytest.mark.parametrize("width", [56, 52])
def test_a_table_that_fits_only_without_borders_is_drawn_without_them(width: int) -> None:
    lines = _shown(width)
    text = "\n".join(lines)
    assert max(map(len, lines)) <= width, text
    assert not any(line.startswith("-[ ") for line in lines), text  # still a table
    assert "│" not in text and "┃" not in text, text
    assert "+1.60 [+1.32, +1.76]" in text and "…" not in text, text


@pytest.mark.parametrize("name", ["[/]", "[bold red]Acme", "Rival [/bold]", "[link=x]y[/link]"])
def test_the_command_console_shows_scraped_brackets_as_written(name: str) -> None:
    """Company, product and review text reach the tables and lines commands print unescaped:
    "[/]" in a competitor's name stopped `rivalscope report` with rich's MarkupError, and
    "[bold red]" vanished from the name shown."""
    from rivalscope.display import command_console

    out = command_console()
    table = Table(title=f"Findings for {name}")
    table.add_column("competitor")
    table.add_row(name)
    with out.capture() as captured:
        print_table(table, out=out)
        out.print(f"note: {name}")
    text = captured.get()
    assert f"Findings for {name}" in text
    assert f" {name} " in text
    assert f"note: {name}" in text
