"""Mistakes in the targets file, through the command: an error in a source's selectors
names the line of the offending key (not its table's header), and a file written in YAML or
JSON is told the targets file is TOML."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli import run_cli

TARGETS = """\
[[company]]
name = "Alpha"

[[company.source]]
name = "alpha-shop"
start_urls = ["https://alpha.example/"]
[company.source.selectors]
review = "div.r"
review_fields = { text = "p" }

[[company]]
name = "Beta"

[[company.source]]                      # reviews and prices
name = "beta-shop"
start_urls = ["https://beta.example/"]
mode = "auto"
[company.source.selectors]              # override single fields
review = "article.review"
next_page = "a.next"
[company.source.selectors.review_fields]
text = ".t"
rating = ".stars::attr(data-rating)"
[company.source.selectors.offer_fields]
price = ".price"
"""


@pytest.mark.parametrize(
    ("line", "wrong", "source", "message"),
    [
        (
            'rating = ".stars::attr(data-rating)"',
            'rating = ".stars::attribute(data-rating)"',
            "beta-shop",
            "review_fields.rating '.stars::attribute(data-rating)' is not a valid selector",
        ),
        ('next_page = "a.next"', 'next_page = "a..next"', "beta-shop", "next_page 'a..next'"),
        (
            'rating = ".stars::attr(data-rating)"',
            'ratng = ".stars::attr(data-rating)"',
            "beta-shop",
            "review_fields.ratng (line 23): unknown field ratng; use one of: text, title, rating",
        ),
        ('text = ".t"', 'text = " "', "beta-shop", "empty selector for text"),
        (
            'price = ".price"',
            "price = 3",
            "beta-shop",
            "expected a quoted string, not the number 3",
        ),
        (
            'review_fields = { text = "p" }',
            "review_fields = { text = 3 }",
            "alpha-shop",
            "expected a quoted string, not the number 3",
        ),
    ],
)
def test_a_selector_mistake_names_the_line_of_its_key(
    tmp_path: Path, line: str, wrong: str, source: str, message: str
) -> None:
    text = TARGETS.replace(line, wrong)
    number = text.splitlines().index(wrong) + 1
    path = tmp_path / "targets.toml"
    path.write_text(text, encoding="utf-8")
    result = run_cli("targets", "validate", "--targets", str(path), cwd=tmp_path)
    assert result.returncode == 2, result.stdout
    error = result.stderr.strip()
    assert len(error.splitlines()) == 1, error
    assert error.startswith(f"error: {path}: source {source}, company["), error
    assert f"(line {number}): " in error, error
    assert message in error


YAML = """\
company:
  - name: Alpha
    source:
      - name: alpha-shop
        start_urls: ["https://alpha.example/"]
"""
JSON = '{"company": [{"name": "Alpha", "source": [{"name": "alpha-shop"}]}]}\n'


@pytest.mark.parametrize(
    ("name", "content", "written_in"),
    [
        ("targets.yaml", YAML, "YAML"),
        ("targets.yml", TARGETS, "YAML"),  # refused by its name, even holding TOML
        ("targets.json", JSON, "JSON"),
        ("targets.toml", YAML, "YAML"),
        ("targets.toml", "---\n" + YAML, "YAML"),
        ("targets.toml", JSON, "JSON"),
    ],
)
def test_a_targets_file_in_yaml_or_json_is_told_the_file_is_toml(
    tmp_path: Path, name: str, content: str, written_in: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    result = run_cli("targets", "validate", "--targets", str(path), cwd=tmp_path)
    assert result.returncode == 2, result.stdout
    assert result.stderr.strip().splitlines() == [
        f"error: {path}: targets files are TOML, not {written_in} (see the README's targets "
        "file); for example:",
        "  [[company]]",
        '  name = "Nordlys Kaffe"',
    ]


def test_a_toml_slip_on_the_first_line_is_still_a_toml_error(tmp_path: Path) -> None:
    path = tmp_path / "targets.toml"
    path.write_text('mode: "auto"\n' + TARGETS, encoding="utf-8")
    result = run_cli("targets", "validate", "--targets", str(path), cwd=tmp_path)
    assert result.returncode == 2, result.stdout
    assert "not valid TOML: Expected '=' after a key" in result.stderr
    assert "YAML" not in result.stderr


BETA_SELECTORS = """\
[company.source.selectors]
review = "article.review"
next_page = "a..next"
review_fields.text = " "
review_fields."rating" = ".stars::attribute(data-rating)"
"offer_fields"."price" = ".price["
offer_fields.sku = ".sku"
'offer_fields'.colour = ".c"
"""
SEVERAL = (
    TARGETS.replace('review = "div.r"', 'review = "div..r"')
    .replace('{ text = "p" }', '{ text = "p[" }')
    .split('mode = "auto"\n')[0]
    + BETA_SELECTORS
)
"""Two tables of selectors, several keys of each wrong (in the second, dotted and quoted)."""


ALPHA, BETA = "source alpha-shop, company[0].source[0]", "source beta-shop, company[1].source[0]"
SEVERAL_SAID = [
    # the start of the key's line, where and what is said
    ('review = "div..r"', f"{ALPHA}.selectors.review", "review 'div..r' is not a valid"),
    (
        "review_fields = {",
        f"{ALPHA}.selectors.review_fields.text",
        "review_fields.text 'p[' is not a valid selector",
    ),
    ("next_page", f"{BETA}.selectors.next_page", "next_page 'a..next' is not a valid"),
    ("review_fields.text", f"{BETA}.selectors.review_fields.text", "empty selector for text"),
    (
        'review_fields."rating"',
        f"{BETA}.selectors.review_fields.rating",
        "review_fields.rating '.stars::attribute(data-rating)' is not a valid selector",
    ),
    (
        '"offer_fields"."price"',
        f"{BETA}.selectors.offer_fields.price",
        "offer_fields.price '.price[' is not a valid selector",
    ),
    (
        "'offer_fields'.colour",
        f"{BETA}.selectors.offer_fields.colour",
        "unknown field colour; use one of: name, price",
    ),
]


def test_every_selector_mistake_of_a_table_is_said_at_its_own_line(tmp_path: Path) -> None:
    """Several wrong keys in one table (dotted and quoted keys too): one message, each key
    at its own line (not its table's header), and the command fails."""
    path = tmp_path / "targets.toml"
    path.write_text(SEVERAL, encoding="utf-8")
    lines = SEVERAL.splitlines()
    result = run_cli("targets", "validate", "--targets", str(path), cwd=tmp_path)
    assert result.returncode == 2, result.stdout
    said = result.stderr.strip().splitlines()
    assert said[0] == f"error: {path}: {len(SEVERAL_SAID)} problems:", said
    assert len(said) == len(SEVERAL_SAID) + 1, said
    for got, (start, where, what) in zip(said[1:], SEVERAL_SAID, strict=True):
        number = next(n for n, text in enumerate(lines, start=1) if text.startswith(start))
        assert got.startswith(f"  - {where} (line {number}): {what}"), (got, start)


def test_dotted_keys_pass_and_the_file_checks(tmp_path: Path) -> None:
    fixed = (
        SEVERAL.replace('"div..r"', '"div.r"')
        .replace('"p["', '"p"')
        .replace('"a..next"', '"a.next"')
        .replace('text = " "', 'text = ".t"')
        .replace("::attribute(", "::attr(")
        .replace('".price["', '".price"')
        .replace("'offer_fields'.colour", "'offer_fields'.brand")
    )
    path = tmp_path / "targets.toml"
    path.write_text(fixed, encoding="utf-8")
    result = run_cli("targets", "validate", "--targets", str(path), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"{path}: OK (2 sources)" in result.stdout
