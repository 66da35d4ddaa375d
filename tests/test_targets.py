"""The targets file: valid files load, every kind of mistake names its place and fix."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import BaseModel, ValidationError

from settings.schedule import AlertSettings, HealthSettings, ScheduleSettings
from settings.targets import (
    BrowserRender,
    Company,
    Crawler,
    Limits,
    Politeness,
    ReviewApi,
    Selectors,
    Source,
    TargetsError,
    load_targets,
    parse_targets,
)

VALID = """
[crawler]
contact_url = "https://example.org/bot"

[[company]]
name = "Own Co"
own = true

[[company.source]]
name = "own-shop"
start_urls = ["http://127.0.0.1:8000/own/"]
language = "nb"
schedule = "0 4 * * *"

[[company]]
name = "Rival"

[[company.source]]
name = "rival-shop"
start_urls = ["http://127.0.0.1:8000/rival/"]
mode = "selectors"
holds = "reviews"
[company.source.selectors]
review = "div.review"
next_page = "a.next"
[company.source.selectors.review_fields]
text = "p.body"
rating = ".stars::attr(data-rating)"
[company.source.limits]
max_pages = 20
[company.source.politeness]
download_delay = 2.0
"""


OWN_SCHEDULE = 'schedule = "0 4 * * *"'
OWN_SELECTORS = (
    "\n[company.source.selectors]\n{block}\n[company.source.selectors.review_fields]\n{fields}"
)
"""A [selectors] table under the own source (mode = "auto"): field overrides."""


def test_valid_file_loads(tmp_path: Path) -> None:
    path = tmp_path / "targets.toml"
    path.write_text(VALID, encoding="utf-8")
    targets = load_targets(path)
    assert [c.name for c in targets.company] == ["Own Co", "Rival"]
    company, source = targets.find_source("rival-shop")
    assert company.name == "Rival"
    assert source.selectors is not None and source.selectors.review_fields["text"] == "p.body"
    assert source.limits.max_pages == 20 and source.limits.max_reviews == 50_000
    assert source.politeness.download_delay == 2.0 and source.politeness.obey_robots
    own = targets.find_source("own-shop")[1]
    assert own.language == "no"  # nb is Norwegian
    assert own.domains() == ["127.0.0.1"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ('mode = "selectors"', 'mode = "magic"'),
            "company[1].source[0].mode (line 21)",
        ),
        (("max_pages = 20", "max_pages = -1"), "greater than or equal to 1"),
        (('schedule = "0 4 * * *"', 'schedule = "every day"'), "not a 5-field cron expression"),
        # five fields, one out of range: it said "not a 5-field cron expression" (user-audit4)
        (
            ('schedule = "0 4 * * *"', 'schedule = "0 25 * * *"'),
            "schedule (line 13): '0 25 * * *' is not a cron expression: its hour field '25' is "
            "not valid (it takes 0-23)",
        ),
        (
            ('schedule = "0 4 * * *"', 'schedule = "0 4 * * mon-fru"'),
            "its day of week field 'mon-fru' is not valid (it takes 0-6 or sun-sat)",
        ),
        (
            ('text = "p.body"', 'txet = "p.body"'),
            "review_fields.txet (line 27): unknown field txet",
        ),
        (("download_delay = 2.0", "download_dealy = 2.0"), "unknown key"),
        (('"http://127.0.0.1:8000/rival/"', '"ftp://x"'), "is not an http(s) URL"),
        (('"http://127.0.0.1:8000/rival/"', '"http://127.0.0.1:99999/"'), "invalid port"),
        (('"http://127.0.0.1:8000/rival/"', '"http://127.0.0.1:x/"'), "invalid port"),
        (('"http://127.0.0.1:8000/rival/"', '"http://riv al.example/"'), "invalid host"),
        (('"http://127.0.0.1:8000/rival/"', '"http://rival.example<x>/"'), "invalid host"),
        # urlparse's bare "Invalid IPv6 URL" named no value (found by user-audit5)
        (
            ('"http://127.0.0.1:8000/rival/"', '"http://[::1/rival/"'),
            "start_urls (line 20): 'http://[::1/rival/' is not a URL (Invalid IPv6 URL)",
        ),
        (
            ('"http://127.0.0.1:8000/rival/"', '"http://[zz]/rival/"'),
            "'http://[zz]/rival/' is not a URL ('zz' does not appear to be an IPv4 or IPv6",
        ),
        (
            ('contact_url = "https://example.org/bot"', 'contact_url = "x\\nX-Injected: 1"'),
            "crawler.contact_url (line 3): 'x\\nX-Injected: 1' holds a control character",
        ),
        (
            ('contact_url = "https://example.org/bot"', 'user_agent = "bot\\r\\nX: 1"'),
            "crawler.user_agent (line 3): 'bot\\r\\nX: 1' holds a control",
        ),
        (('name = "Rival"', 'name = "Own Co"'), "company names must be unique"),
        (('name = "rival-shop"', 'name = "own-shop"'), "source names must be unique"),
        # the name's rule in words, and a name it takes (it said "String should match
        # pattern '^[a-z0-9][a-z0-9_.-]{0,62}$'")
        (
            ('name = "rival-shop"', 'name = "Rival Shop"'),
            "source Rival Shop, company[1].source[0].name (line 19): a source name takes "
            "lowercase letters, digits, '-', '_' and '.' (at most 63, the first a letter or "
            'digit), e.g. "rival-shop"',
        ),
        (('name = "Rival"', 'name = "Rival"\nown = true'), "only one company may have own = true"),
        (('language = "nb"', 'language = "norsk"'), "'norsk' is not a language code; use one"),
        (('language = "nb"', 'language = "zz"'), "'zz' is not a language we read; use one of en"),
        (
            ('review = "div.review"', 'review = "div..review"'),
            "review 'div..review' is not a valid",
        ),
        (
            ('next_page = "a.next"', 'next_page = "xpath://a[["'),
            "next_page 'xpath://a[[' is not a valid",
        ),
        (("[company.source.selectors]", "[company.source.selectors]\nreview_fields = {}"), ""),
        # an unknown pseudo-element was a traceback (cssselect's ExpressionError), exit 1
        (
            ('rating = ".stars::attr(data-rating)"', 'rating = ".stars::attribute(data-rating)"'),
            "review_fields.rating '.stars::attribute(data-rating)' is not a valid selector (The "
            "functional pseudo-element ::attribute() is unknown; read an attribute with "
            "::attr(name), the text with ::text)",
        ),
        (('text = "p.body"', 'text = "p::text()"'), "::text() is unknown; read an attribute"),
        (('review = "div.review"', 'review = "div:nth-child(x)"'), "is not a valid selector"),
        (
            (OWN_SCHEDULE, OWN_SCHEDULE + '\n[company.source.browser]\nwait_for = "a::before"'),
            "browser.wait_for (line 15): wait_for 'a::before' is not a valid selector (The "
            "pseudo-element "
            "::before is unknown)",
        ),
        # [browser] selectors parsel reads but a browser does not run were accepted, and
        # matched nothing when rendering
        (
            (
                OWN_SCHEDULE,
                OWN_SCHEDULE + "\n[company.source.browser]\nclick = \"xpath://a[has-class('m')]\"",
            ),
            "browser.click (line 15): click \"xpath://a[has-class('m')]\" is not a selector a "
            "browser runs (has-class(): a browser knows XPath 1.0's functions only)",
        ),
        (
            (OWN_SCHEDULE, OWN_SCHEDULE + '\n[company.source.browser]\nwait_for = ".r::text"'),
            "wait_for '.r::text' is not a selector a browser runs (::text and ::attr() read "
            "fields; name the element)",
        ),
        # cssselect's :contains() (parsel runs it; no browser does), any case, nested too
        (
            (
                OWN_SCHEDULE,
                OWN_SCHEDULE + "\n[company.source.browser]\nclick = \"button:contains('More')\"",
            ),
            "browser.click (line 15): click \"button:contains('More')\" is not a selector a "
            "browser runs (:contains() is cssselect's, no browser's: name the element by its "
            "markup)",
        ),
        (
            (
                OWN_SCHEDULE,
                OWN_SCHEDULE
                + '\n[company.source.browser]\ndismiss = "div:not(.x) > a:CONTAINS(OK)"',
            ),
            "dismiss 'div:not(.x) > a:CONTAINS(OK)' is not a selector a browser runs (:contains()",
        ),
        (
            (
                OWN_SCHEDULE,
                OWN_SCHEDULE + '\n[company.source.browser]\nwait_for = "li:not(:contains(x))"',
            ),
            "wait_for 'li:not(:contains(x))' is not a selector a browser runs (:contains()",
        ),
        # review field selectors under mode = "auto" without their block were never read;
        # a block without a text selector replaced the text of every review auto read
        (
            (OWN_SCHEDULE, OWN_SCHEDULE + OWN_SELECTORS.format(block="", fields='rating = ".r"')),
            "company[0].source[0] (line 9): selectors.review_fields are read inside each review "
            'block: add selectors.review = "..."',
        ),
        (
            (
                OWN_SCHEDULE,
                OWN_SCHEDULE + OWN_SELECTORS.format(block='review = "li"', fields='rating = ".r"'),
            ),
            "selectors.review needs review_fields.text: the reviews its blocks give replace",
        ),
        (
            (OWN_SCHEDULE, OWN_SCHEDULE + '\n[company.source.selectors]\nreview = "li"'),
            "selectors.review needs review_fields.text",
        ),
        (('text = "p.body"\n', ""), "selectors.review needs review_fields.text"),
        # a value of the wrong type is refused, not converted (issue #14)
        (
            ("max_pages = 20", 'max_pages = "30"'),
            "targets.toml: source rival-shop, company[1].source[0].limits.max_pages (line 30): "
            "expected a whole number, not the string '30' (drop the quotes)",
        ),
        (("max_pages = 20", "max_pages = 20.5"), "expected a whole number, not the number 20.5"),
        (
            ('name = "Own Co"\nown = true', 'name = "Own Co"\nown = "yes"'),
            "company[0].own (line 7): expected true or false, not the string 'yes'",
        ),
        (("download_delay = 2.0", 'download_delay = "2"'), "expected a number, not the string"),
        (('language = "nb"', "language = 5"), "expected a quoted string, not the number 5"),
        (
            ('language = "nb"', 'follow = "shop/"'),
            """expected a list [ ... ], not the string 'shop/' (write it in brackets: ["shop/"])""",
        ),
        # a table or key the file does not take is refused, not ignored: a misspelt table
        # name left its settings at their defaults without a word
        (("[crawler]", "[crawlr]"), "crawlr (line 2): unknown key; did you mean [crawler]?"),
        (("[crawler]", "[helath]\nmin_yield_ratio = 0.4\n[crawler]"), "did you mean [health]?"),
        (
            ('[crawler]\ncontact_url = "https://example.org/bot"', 'contact_url = "https://a.b/"'),
            "contact_url (line 2): a key of [crawler]: write it under the [crawler] header",
        ),
        (("[crawler]", "[notes]\nx = 1\n[crawler]"), "notes (line 2): unknown table or key at"),
        (("max_pages = 20", "max_page = 20"), "limits.max_page (line 30): unknown key; did you"),
        (("[crawler]", '[schedule]\nanalyze = "no"\n[crawler]'), "schedule.analyze (line 3)"),
        (
            ('contact_url = "https://example.org/bot"', 'contact_url = "nope"'),
            "crawler.contact_url (line 3): 'nope' is not an http(s) URL",
        ),
        # lxml compiles //a[foo()] and evaluates it without an error on a page where no
        # a reaches the predicate: the file was accepted, and the crawl matched nothing
        (
            ('next_page = "a.next"', 'next_page = "xpath://a[foo()]/@href"'),
            "source rival-shop, company[1].source[0].selectors.next_page (line 25): next_page "
            "'xpath://a[foo()]/@href' is not a valid selector (unknown XPath function foo();",
        ),
        (
            ('text = "p.body"', "text = \"xpath:.//p[ends-with(@class, 'body')]\""),
            "selectors.review_fields.text (line 27): review_fields.text "
            "\"xpath:.//p[ends-with(@class, 'body')]\" is not a valid selector (unknown XPath "
            "function ends-with();",
        ),
        (('review = "div.review"', "review = \"xpath://div[re:tset(@class, 'r')]\""), "re:tset()"),
    ],
)
def test_mistakes_are_explained(change: tuple[str, str], expected: str) -> None:
    text = VALID.replace(*change)
    assert text != VALID
    with pytest.raises(TargetsError) as info:
        parse_targets(text)
    assert expected in str(info.value)


@pytest.mark.parametrize(
    ("table", "key", "query"),
    [
        ("browser", "wait_for", "a[title=':contains(x)']"),  # a word in a value, no call
        ("browser", "click", "button.more:not(.done)"),
        ("selectors", "review", "div.review:contains('x')"),  # parsel runs it: extraction
    ],
)
def test_contains_is_refused_only_where_a_browser_runs_it(table: str, key: str, query: str) -> None:
    section = f'\n[company.source.{table}]\n{key} = "{query}"'
    if table == "browser":
        text = VALID.replace(OWN_SCHEDULE, OWN_SCHEDULE + section)
    else:
        text = VALID.replace('review = "div.review"', f'review = "{query}"')
    assert text != VALID
    parse_targets(text)


@pytest.mark.parametrize(
    "query",
    [
        "xpath://div[re:test(@class, 'review')]",
        "xpath://div[has-class('review')][not(set:distinct(.))]",
        "xpath://div[contains(concat(' ', normalize-space(@class), ' '), ' review ')]",
        "xpath://div[@data-x and (position() mod 2 = 1)]//text()",
        "xpath:(//div)[last()]/descendant-or-self::node()",
    ],
)
def test_xpath_functions_selectors_are_read_with_pass(query: str) -> None:
    text = VALID.replace('review = "div.review"', f'review = "{query}"')
    assert text != VALID
    source = parse_targets(text).find_source("rival-shop")[1]
    assert source.selectors is not None and source.selectors.review == query


SCALARS = {int: "1", float: "1.5", bool: "true"}


@pytest.mark.parametrize(
    ("table", "key", "kind"),
    [
        (table, key, kind)
        for table in (
            *(Limits, Politeness, Selectors, BrowserRender, ReviewApi, Source, Company, Crawler),
            *(ScheduleSettings, HealthSettings, AlertSettings),
        )
        for key, field in table.model_fields.items()
        for kind in SCALARS
        if field.annotation in (kind, kind | None)
    ],
    ids=lambda value: getattr(value, "__name__", value),
)
def test_every_typed_key_refuses_a_string(table: type[BaseModel], key: str, kind: type) -> None:
    """Not only the keys someone got wrong once: every number and flag of every table."""
    with pytest.raises(ValidationError) as info:
        table.model_validate({key: SCALARS[kind]})
    assert any(e["loc"] == (key,) and e["type"].endswith("_type") for e in info.value.errors())


def test_selectors_mode_needs_selectors() -> None:
    text = VALID.replace("[company.source.selectors]\n", "[company.source.unused]\n")
    with pytest.raises(TargetsError, match="unknown key"):
        parse_targets(text)
    bare = VALID.split("[company.source.selectors]")[0]
    with pytest.raises(TargetsError, match=r"needs a \[selectors\] table"):
        parse_targets(bare)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("this is = not toml [", "not valid TOML"),
        ("", r"no \[\[company\]\] tables"),
        (
            '[[company]]\nname = "A"\n[[company.source]]\nname = "a"\n',
            "give start_urls or a sitemap",
        ),
        # A TOML mistake shows its line and, for the common ones, what to write instead.
        (
            '[[company]]\nname = "A"\n[[company.source]]\nname = "a"\nmode = auto\n',
            re.escape("(at line 5, column 8): mode = auto\n  (a text value needs quotes"),
        ),
        (
            '[[company]]\nname = "A"\n[[company.source]]\nname = "a"\nfollow = ["\\d+/p/"]\n',
            re.escape("write a regex or a selector in single quotes ('\\d+/p/')"),
        ),
        (
            '[[company]]\nname = "A"\n[[company.source]]\nname = "a"\nname = "b"\n',
            re.escape('name = "b"\n  (a key written twice in one table: keep one of them)'),
        ),
        (
            '[[company]]\nname = "A"\n[[company.source]]\nname = "Bad Name"\nstart_urls=["http://x/"]\n',
            'e.g. "bad-name"',
        ),
        # validate said OK to a source that reads nothing on any page
        (
            '[[company]]\nname = "A"\n[[company.source]]\nname = "a"\nstart_urls=["http://x/"]\n'
            'mode = "selectors"\n[company.source.selectors]\nnext_page = "a.next"\n',
            re.escape('mode = "selectors" reads only what selectors.review and selectors.offer'),
        ),
    ],
)
def test_broken_files(text: str, expected: str) -> None:
    with pytest.raises(TargetsError, match=expected):
        parse_targets(text)


def test_missing_and_binary_files(tmp_path: Path) -> None:
    with pytest.raises(TargetsError, match="not found"):
        load_targets(tmp_path / "nope.toml")
    path = tmp_path / "bin.toml"
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(TargetsError, match="not UTF-8"):
        load_targets(path)


def test_unknown_source_lists_known() -> None:
    with pytest.raises(TargetsError, match="known sources: own-shop, rival-shop"):
        parse_targets(VALID).find_source("nope")


def test_a_misspelt_source_names_the_one_it_is_close_to() -> None:
    """`rivalscope crawl rival-shopp` listed every source of the file (fifty, in a real one)
    and left the reader to find the misspelling; `runs` already said "did you mean"."""
    with pytest.raises(
        TargetsError,
        match="no source named 'rival-shopp' in the targets file; did you mean 'rival-shop'\\? known sources",
    ):
        parse_targets(VALID).find_source("rival-shopp")


@pytest.mark.parametrize(
    "text",
    [
        "[health]\nwebhook = https://hooks.example.com/services/T0/B0/secretXYZ\n",
        '[alerts]\nnotify = ["slack://TokenA/secretXYZ", mailto://user:secretXYZ@example.com]\n',
    ],
)
def test_a_toml_error_line_hides_its_urls(text: str) -> None:
    """The line a TOML error shows goes to the scheduler's log: a webhook or notify URL
    there holds its token."""
    with pytest.raises(TargetsError) as raised:
        parse_targets(text)
    message = str(raised.value)
    assert "at line 2" in message and "://…" in message
    assert "secretXYZ" not in message
