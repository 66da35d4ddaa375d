"""Company names holding bidi overrides or isolates (U+202A-U+202E, U+2066-U+2069) or
control characters are shown with those characters as their codes in the terminal and in
summary.md, so they cannot reorder or restyle what an analyst reads."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from compare.report.synthetic import SyntheticPlan, populate
from rivalscope.cli import app
from settings.visible_text import visible_controls

HIDDEN = [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Kawa Mistrz", "Kawa Mistrz"),
        ("Evil\u202eoC", "Evil\\u202eoC"),
        ("\u2067Shop\u2069 Ltd", "\\u2067Shop\\u2069 Ltd"),
        ("Red\x1b[31mShop", "Red\\x1b[31mShop"),
        ("a\rb\x07c\x85d", "a\\x0db\\x07c\\x85d"),
        ("two\nlines\tand a tab", "two\nlines\tand a tab"),
        ("Café \u05e9\u05dc\u05d5\u05dd \u200f", "Café \u05e9\u05dc\u05d5\u05dd \u200f"),
    ],
)
def test_visible_controls(text: str, shown: str) -> None:
    assert visible_controls(text) == shown


def test_every_bidi_override_and_isolate_is_shown_as_its_code() -> None:
    assert all(visible_controls(ch) == f"\\u{ord(ch):04x}" for ch in HIDDEN)


def test_names_with_bidi_and_escape_characters_print_as_codes(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    populate(
        engine,
        SyntheticPlan(
            own="Own\u202eeeffoC",
            competitors=("Rival\u202eA", "Rival\x1b[2JB"),
            reviews=600,
            positive_share={
                ("Rival\u202eA", "delivery"): 0.15,
                ("Own\u202eeeffoC", "delivery"): 0.9,
            },
        ),
    )
    runner = CliRunner()
    out = tmp_path / "out"
    report = runner.invoke(app, ["report", "--out", str(out), "--db", db_url])
    assert report.exit_code == 0, report.output
    listed = runner.invoke(app, ["findings", "--db", db_url], env={"COLUMNS": "200"})
    assert listed.exit_code == 0, listed.output
    summary = (out / "summary.md").read_text("utf-8")
    for text in (report.output, listed.output, summary):
        assert not any(ch in text for ch in [*HIDDEN, "\x1b"]), repr(text)
    assert "Rival\\u202eA" in listed.output
    assert "Own\\\\u202eeeffoC" in summary  # the backslash escaped as Markdown
    assert "Rival\\\\x1b\\[2JB" in summary
