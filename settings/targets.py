"""The targets file: which companies and sources to crawl, and how.

Loaded from TOML and validated with pydantic. Every error names the place in the
file (``company[2].source[0].mode``), the line where it can be found, and what to do.

Example::

    [crawler]
    contact_url = "https://example.com/about-our-crawler"

    [[company]]
    name = "Nordlys"
    own = true

    [[company.source]]
    name = "nordlys-shop"
    start_urls = ["http://127.0.0.1:8765/nordlys/"]
    holds = "both"          # reviews | offers | both
    mode = "auto"           # auto | selectors
    language = "no"
    schedule = "0 4 * * *"
"""

from __future__ import annotations

import difflib
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Literal, get_args
from urllib.parse import urlparse

from cssselect import SelectorError
from lxml.etree import XPathError
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails

from settings.languages import known_language_code
from settings.schedule import AlertSettings, HealthSettings, ScheduleSettings
from settings.user_errors import UserError
from settings.user_files import UserFileError, read_user_text
from settings.written_urls import http_url, parsed_url
from settings.xpath_functions import called_functions, unknown_functions

DEFAULT_TARGETS_FILE = "targets.toml"

REVIEW_FIELDS = (
    "text",
    "title",
    "rating",
    "best_rating",
    "date",
    "author",
    "region",
    "id",
    "product",
)
OFFER_FIELDS = (
    "name",
    "price",
    "currency",
    "availability",
    "sku",
    "gtin",
    "brand",
    "plan",
    "category",
)


class KeyProblem(ValueError):
    """A table's problem at one of its keys: ``keys`` lead from the table to that key, so
    the error can give the key's line rather than the table's header."""

    def __init__(self, message: str, keys: tuple[str, ...]) -> None:
        super().__init__(message)
        self.keys = keys
        self.parts: tuple[tuple[str, tuple[str, ...]], ...] = ((message, keys),)
        """Each problem with the keys leading to it (several keys of one table wrong:
        each said at its own line)."""

    @classmethod
    def several(cls, parts: list[tuple[str, tuple[str, ...]]]) -> KeyProblem:
        """One error for several keys' problems (``parts``: message, keys), in that order."""
        problem = cls("; ".join(message for message, _ in parts), parts[0][1])
        problem.parts = tuple(parts)
        return problem


class TargetsError(UserError):
    """The targets file cannot be used; the message says where and how to fix it."""


class _Strict(BaseModel):
    # strict: "30" is not 30 and "yes" is not true; a quoted number or flag is a mistake
    # the user should hear about (an int still fills a float key).
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


DEFAULT_MAX_REVIEWS = 50_000
"""``Limits.max_reviews`` unless the targets file says otherwise."""


class Limits(_Strict):
    """Upper bounds for one crawl of a source."""

    max_pages: int = Field(default=500, ge=1, le=1_000_000)
    """Pages fetched at most, robots.txt aside (``spiders.page_budget``)."""
    max_reviews: int = Field(default=DEFAULT_MAX_REVIEWS, ge=1, le=10_000_000)
    """Reviews read from one page (or review-API answer) at most: extraction builds no more
    (``spiders.extract.review_limit``), the rest is recorded as ``reviews_over_limit``."""
    max_depth: int = Field(default=0, ge=0, le=1000)
    """Link depth from the start URLs; 0 = no limit (``max_pages`` bounds the crawl).
    Every page of a paginated list is one level deeper, so small limits cut long lists."""
    timeout_s: int = Field(default=3600, ge=10, le=7 * 24 * 3600)
    """Wall-clock limit for one crawl in seconds."""
    max_response_mb: float = Field(default=10.0, gt=0, le=1024)
    """A page larger than this (in MiB, after decompression too) is refused and recorded."""
    warn_response_mb: float = Field(default=2.0, gt=0, le=1024)
    """A page larger than this is kept but recorded (``response_over_warn_size``)."""
    max_memory_mb: int = Field(default=500, ge=150, le=65536)
    """The crawl process stops (recorded, reason ``memusage_exceeded``) above this memory,
    however many requests run at once."""
    download_timeout_s: float = Field(default=30.0, gt=0, le=600)
    """Seconds one request may take, answer included."""
    max_redirects: int = Field(default=10, ge=0, le=50)
    """Redirects followed for one request; more is recorded as a redirect loop."""
    max_retry_after_s: float = Field(default=60.0, ge=0, le=24 * 3600)
    """A 429/503 asking to wait up to this long is retried after the wait; longer is
    recorded and not retried."""

    @model_validator(mode="after")
    def _warn_below_max(self) -> Limits:
        if self.warn_response_mb > self.max_response_mb:
            raise ValueError(
                f"warn_response_mb ({self.warn_response_mb:g}) is above "
                f"max_response_mb ({self.max_response_mb:g}); lower it"
            )
        return self


class Politeness(_Strict):
    """Overrides of the polite defaults; omit to keep them."""

    obey_robots: bool = True
    """Obey robots.txt (strongly recommended; turning it off is logged)."""
    download_delay: float | None = Field(default=None, ge=0, le=600)
    """Seconds between requests to the same site (AutoThrottle adapts from here)."""
    concurrency: int | None = Field(default=None, ge=1, le=32)
    """Parallel requests to one domain."""
    autothrottle: bool = True
    """Adapt delays to the site's response times."""


class Selectors(_Strict):
    """CSS selectors (or XPath with an ``xpath:`` prefix) for ``mode = "selectors"``.

    Field selectors are relative to their block. Append ``::attr(name)`` to read an
    attribute instead of the text.
    """

    review: str | None = None
    """One match per review block."""
    review_fields: dict[str, str] = Field(default_factory=dict)
    """Review field -> selector inside a review block; fields: text, title, rating,
    best_rating, date, author, region, id, product."""
    offer: str | None = None
    """One match per offer block (a plan card); without it, ``offer_fields`` read the whole
    page as one offer (a product page)."""
    offer_fields: dict[str, str] = Field(default_factory=dict)
    """Offer field -> selector inside an offer block; fields: name, price, currency,
    availability, sku, gtin, brand, plan, category."""
    next_page: str | None = None
    """Link to the next page of reviews or listings (an ``a`` element or its ``@href``)."""
    rating_scale: float | None = Field(default=None, gt=0, le=1000)
    """Top of the rating scale when the page does not say (default 5)."""

    @field_validator("review", "offer", "next_page")
    @classmethod
    def _selector_parses(cls, value: str | None, info: ValidationInfo) -> str | None:
        # One field's validator each: pydantic reports every field's mistake, each at its
        # own key (a validator of the whole table runs only when every field is valid).
        if value and (problem := _selector_problem(str(info.field_name), value)):
            raise ValueError(problem)
        return value

    @field_validator("review_fields")
    @classmethod
    def _known_review_fields(cls, value: dict[str, str]) -> dict[str, str]:
        return _check_fields(value, REVIEW_FIELDS, "review_fields")

    @field_validator("offer_fields")
    @classmethod
    def _known_offer_fields(cls, value: dict[str, str]) -> dict[str, str]:
        return _check_fields(value, OFFER_FIELDS, "offer_fields")


XPATH_PREFIX = "xpath:"
"""How a targets file writes XPath, in ``[selectors]`` and ``[browser]`` alike (README);
any other selector is CSS."""


def xpath_expression(query: str) -> str | None:
    """The XPath expression ``query`` writes after ``XPATH_PREFIX`` (stripped), or None: a
    CSS selector."""
    return query.removeprefix(XPATH_PREFIX).strip() if query.startswith(XPATH_PREFIX) else None


SELECTOR_ERRORS = (ValueError, SelectorError, XPathError)
"""What a broken selector raises: cssselect's syntax errors (SyntaxErrors) and expression
errors (RuntimeErrors: an unknown pseudo-element such as ``::attribute(x)``) share
``SelectorError``; parsel's XPath errors are ValueErrors, lxml's own XPathErrors."""

_PSEUDO_ELEMENT_HINT = "read an attribute with ::attr(name), the text with ::text"


def _selector_problem(name: str, query: str, *, extraction: bool = True) -> str | None:
    """Why ``query`` is not a usable CSS (or ``xpath:``) selector, or None (``extraction``:
    a selector read by parsel, whose ``::attr()`` and ``::text`` a browser does not take)."""
    from parsel import Selector

    probe = Selector(text="<html></html>")
    expression = xpath_expression(query)
    try:
        if expression is not None:
            probe.xpath(expression)
        else:
            probe.css(query)
    except SELECTOR_ERRORS as exc:
        hint = f"; {_PSEUDO_ELEMENT_HINT}" if extraction and "pseudo-element" in str(exc) else ""
        return f"{name} {query!r} is not a valid selector ({exc}{hint})"
    if not extraction and (problem := _browser_problem(name, query)):
        return problem
    if expression is not None:
        # Compiled, its functions are not looked up until a node reaches them.
        unknown = unknown_functions(expression, probe.namespaces, probe.root)
        if unknown:
            prefixes = ", ".join(f"{prefix}:" for prefix in sorted(probe.namespaces))
            return (
                f"{name} {query!r} is not a valid selector (unknown XPath function "
                f"{', '.join(f'{f}()' for f in unknown)}; XPath 1.0's functions, has-class() "
                f"and EXSLT's {prefixes} ones are known)"
            )
    return None


_PARSEL_PSEUDO_ELEMENT = re.compile(r"::(?:text|attr)\b")


def _browser_problem(name: str, query: str) -> str | None:
    """Why a ``[browser]`` selector that parsel reads is one the browser cannot run, or None:
    parsel's ``::text`` and ``::attr()``, cssselect's ``:contains()``, XPath functions beyond
    XPath 1.0's (parsel's ``has-class()``, EXSLT's ``re:`` and ``set:``)."""
    expression = xpath_expression(query)
    if expression is not None:
        called = called_functions(expression) or []
        extra = [f for f in called if ":" in f or f == "has-class"]
        if extra:
            return (
                f"{name} {query!r} is not a selector a browser runs ("
                f"{', '.join(f'{f}()' for f in extra)}: a browser knows XPath 1.0's functions "
                "only)"
            )
    elif _PARSEL_PSEUDO_ELEMENT.search(query):
        return (
            f"{name} {query!r} is not a selector a browser runs (::text and ::attr() read "
            "fields; name the element)"
        )
    elif _calls_contains(query):
        return (
            f"{name} {query!r} is not a selector a browser runs (:contains() is cssselect's, "
            "no browser's: name the element by its markup)"
        )
    return None


def _calls_contains(query: str) -> bool:
    """``query`` (CSS that cssselect parses) uses cssselect's ``:contains()``, anywhere in
    it (inside ``:not()``, ``:is()``, ``:has()``), not in an attribute's value."""
    from cssselect import parse
    from cssselect.parser import Function

    def walk(node: object) -> bool:
        if isinstance(node, Function) and node.name.lower() == "contains":
            return True
        parts = node if isinstance(node, list | tuple) else getattr(node, "__dict__", {}).values()
        return any(walk(part) for part in parts if not isinstance(part, str))

    return any(walk(selector.parsed_tree) for selector in parse(query))


def _check_fields(value: dict[str, str], allowed: tuple[str, ...], table: str) -> dict[str, str]:
    """Every field of ``value`` known, its selector not empty and parsing; else one
    ``KeyProblem`` naming each wrong field, in the file's order."""
    problems: list[tuple[str, tuple[str, ...]]] = []
    for name, query in value.items():
        if name not in allowed:
            problem: str | None = f"unknown field {name}; use one of: {', '.join(allowed)}"
        elif not query.strip():
            problem = f"empty selector for {name}"
        else:
            problem = _selector_problem(f"{table}.{name}", query)
        if problem is not None:
            problems.append((problem, (name,)))
    if problems:
        raise KeyProblem.several(problems)
    return value


class BrowserRender(_Strict):
    """How a page is rendered in chromium for ``render = "browser"`` (all waits bounded)."""

    wait_for: str | None = None
    """Selector (CSS, or ``xpath:...`` as in ``[selectors]``; what a browser runs: no ``::text``,
    XPath 1.0's functions only) to wait for after loading (default: network idle)."""
    wait_timeout_s: float = Field(default=10, gt=0, le=120)
    """Longest wait for ``wait_for`` or network idle; the page is read as it is then."""
    click: str | None = None
    """Selector (CSS, or ``xpath:...``) of a "load more" / "next reviews" button, clicked until
    it is gone."""
    max_clicks: int = Field(default=5, ge=0, le=200)
    """Clicks on ``click`` at most, per page."""
    max_scrolls: int = Field(default=10, ge=0, le=500)
    """Scrolls to the page's end at most (and to the end of its inner scroll boxes, such as
    a review list in a box of its own), while each brings more of it (an endless list,
    reviews loaded when scrolled into view); also stops once ``wait_for`` matches
    ``limits.max_reviews`` elements. 0: never scroll."""
    dismiss: str | None = None
    """Selector (CSS, or ``xpath:...``) of a consent or cookie-wall button clicked once, if shown, before the
    reviews are awaited (name the button that accepts or closes; never one that buys or
    sends a form). Whatever it says, a fixed layer covering the ``click`` button is hidden
    before each click (never clicked)."""
    click_replaces: bool = False
    """True for a "next" button that replaces the reviews shown: the page is read before
    every click too (False: "load more" adds to them; the page is read once, at the end)."""
    page_timeout_s: float = Field(default=30, gt=0, le=600)
    """Wall-clock limit for loading, waiting and clicking on one page."""
    max_pages: int = Field(default=200, ge=1, le=100_000)
    """Pages rendered at most per crawl run (all the workers of a distributed crawl
    together); later pages are fetched without the browser."""
    allow_hosts: list[str] = Field(default_factory=list)
    """Hosts the page may request besides the source's own (e.g. a review widget's API);
    requests to any other host are blocked, as are images, fonts and media."""

    @field_validator("wait_for", "click", "dismiss")
    @classmethod
    def _selector_parses(cls, value: str | None, info: ValidationInfo) -> str | None:
        name = str(info.field_name)
        if value and (problem := _selector_problem(name, value, extraction=False)):
            raise ValueError(problem)
        return value

    @field_validator("allow_hosts")
    @classmethod
    def _host_names(cls, value: list[str]) -> list[str]:
        wrong = [
            f"allow_hosts: {h!r} is not a host name (no scheme, path or port)"
            for h in value
            if not re.fullmatch(r"[A-Za-z0-9.-]+", h)
        ]
        if wrong:
            raise ValueError("; ".join(wrong))
        return value


REVIEW_API_FIELDS = ("product_id", "url", "page", "offset")


class ReviewApi(_Strict):
    """A review widget's JSON endpoint, read for every product page of the source. One whose
    URL names neither ``{product_id}`` nor ``{url}`` is the shop's own reviews: read once a
    crawl, from whichever page comes first (a reviews page without a product included), and
    stored under no product."""

    url: str
    """URL template: ``{product_id}`` (see ``product_id``), ``{url}`` (the product page's
    URL, quoted), ``{page}`` and ``{offset}`` (pagination)."""
    product_id: str | None = None
    """Regular expression whose first group, searched in the product page's HTML (then its
    URL), is the product id; default: the product's SKU."""
    paginate: Literal["next", "page", "offset", "none"] = "next"
    """``next``: follow the next link the response carries; ``page``/``offset``: count up
    ``{page}`` (from ``first_page``) or ``{offset}`` (by ``page_size``) until a page has no
    reviews; ``none``: one request."""
    first_page: int = Field(default=1, ge=0, le=1000)
    page_size: int = Field(default=20, ge=1, le=1000)
    """Reviews per response, the ``{offset}`` step."""
    max_pages: int = Field(default=20, ge=1, le=10_000)
    """Responses read at most per product."""

    @field_validator("url")
    @classmethod
    def _template(cls, value: str) -> str:
        names = re.findall(r"{([^{}]*)}", value)
        unknown = sorted(set(names) - set(REVIEW_API_FIELDS))
        if unknown:
            raise ValueError(
                f"unknown placeholder(s) {', '.join('{' + n + '}' for n in unknown)} in {value!r}; "
                f"use {', '.join('{' + n + '}' for n in REVIEW_API_FIELDS)}"
            )
        parsed = parsed_url(value)
        if parsed.scheme not in ("http", "https") or not parsed.hostname or "{" in parsed.netloc:
            raise ValueError(f"{value!r} is not an http(s) URL template with a fixed host")
        return value

    @field_validator("product_id")
    @classmethod
    def _one_group(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            groups = re.compile(value).groups
        except re.error as exc:
            raise ValueError(f"{value!r} is not a valid regular expression: {exc}") from exc
        if groups < 1:
            raise ValueError(f"{value!r} needs a group ( ) around the product id")
        return value

    @model_validator(mode="after")
    def _pagination_placeholder(self) -> ReviewApi:
        needed = {"page": "{page}", "offset": "{offset}"}.get(self.paginate)
        if needed and needed not in self.url:
            raise ValueError(f'paginate = "{self.paginate}" needs {needed} in the url template')
        return self

    @property
    def host(self) -> str:
        probe = self.url.format(product_id="1", url="u", page="1", offset="0")
        return urlparse(probe).hostname or ""


_SOURCE_NAME = re.compile(r"[a-z0-9][a-z0-9_.-]{0,62}")


CRON_FIELDS = (
    ("minute", "0-59"),
    ("hour", "0-23"),
    ("day of month", "1-31"),
    ("month", "1-12 or jan-dec"),
    ("day of week", "0-6 or sun-sat"),
)
"""The five fields of a cron expression, in order, with the values each takes."""


def _cron_fault(value: str) -> str:
    """Why a 5-field ``value`` croniter refuses is no schedule, naming its field: "'0 25 * * *'
    is not a 5-field cron expression" read as if it lacked a field."""
    from croniter import croniter

    fields = value.split()
    bad = [
        f"its {name} field {field!r} is not valid (it takes {values})"
        for at, (field, (name, values)) in enumerate(zip(fields, CRON_FIELDS, strict=True))
        if not croniter.is_valid(" ".join(field if i == at else "*" for i in range(5)))
    ]
    return (
        f"{value!r} is not a cron expression: "
        + ("; ".join(bad) or "its fields do not combine")
        + ' (minute hour day-of-month month day-of-week, e.g. "0 4 * * *": 04:00 daily)'
    )


class Source(_Strict):
    """One place to crawl for a company: a review site, a shop, a pricing page."""

    name: str
    """Unique name of the source (lowercase letters, digits, ``-``, ``_``, ``.``)."""
    start_urls: list[str] = Field(default_factory=list)
    """Where the crawl starts."""
    sitemap: str | None = None
    """A sitemap URL to take product and review pages from (instead of or with start_urls)."""
    allowed_domains: list[str] = Field(default_factory=list)
    """Hosts the crawl stays on; defaults to the hosts of start_urls and sitemap."""
    follow: list[str] = Field(default_factory=list)
    """Regular expressions (RE2 syntax: matched in linear time); only links whose URL
    matches one are followed (all if empty)."""
    deny: list[str] = Field(default_factory=list)
    """Regular expressions (RE2 syntax); links whose URL matches one are never followed."""
    holds: Literal["reviews", "offers", "both"] = "both"
    """What the source is crawled for."""
    mode: Literal["auto", "selectors"] = "auto"
    """``auto`` reads markup, embedded JSON and page heuristics (with a [selectors] table, the
    fields its selectors find override auto's); ``selectors`` uses [selectors] alone."""
    selectors: Selectors | None = None
    """Required for ``mode = "selectors"``; with ``mode = "auto"``, overrides single fields."""
    language: str | None = None
    """Language hint (ISO 639-1) for reviews that do not declare theirs."""
    region: str | None = None
    """Market of the source (e.g. ``"NO"``), used when reviews do not state one."""
    review_api: ReviewApi | None = None
    """A review widget's JSON endpoint to read for each product page (``auto`` reads it)."""
    render: Literal["plain", "browser"] = "plain"
    """``browser`` renders pages in Debian's chromium (JavaScript-loaded reviews); slower."""
    browser: BrowserRender = Field(default_factory=BrowserRender)
    """Waits, clicks and limits for ``render = "browser"``."""
    limits: Limits = Field(default_factory=Limits)
    politeness: Politeness = Field(default_factory=Politeness)
    schedule: str | None = None
    """Cron expression (5 fields, UTC) for ``rivalscope schedule``."""

    @field_validator("name")
    @classmethod
    def _plain_name(cls, value: str) -> str:
        if _SOURCE_NAME.fullmatch(value):
            return value
        example = re.sub(r"[^a-z0-9_.-]+", "-", value.lower()).strip("-_.")[:63]
        like = f", e.g. {toml_string(example)}" if _SOURCE_NAME.fullmatch(example) else ""
        raise ValueError(
            "a source name takes lowercase letters, digits, '-', '_' and '.' (at most 63, "
            f"the first a letter or digit){like}"
        )

    @field_validator("start_urls")
    @classmethod
    def _http_urls(cls, value: list[str]) -> list[str]:
        for url in value:
            http_url(url)
        return value

    @field_validator("sitemap")
    @classmethod
    def _http_sitemap(cls, value: str | None) -> str | None:
        if value is not None:
            http_url(value)
        return value

    @field_validator("follow", "deny")
    @classmethod
    def _regexes(cls, value: list[str]) -> list[str]:
        from settings.url_patterns import compile_url_pattern

        for pattern in value:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"{pattern!r} is not a valid regular expression: {exc}") from exc
            compile_url_pattern(pattern)  # ValueError with the reason if RE2 cannot run it
        return value

    @field_validator("language")
    @classmethod
    def _language(cls, value: str | None) -> str | None:
        if value is None:
            return None
        return known_language_code(value)

    @field_validator("schedule")
    @classmethod
    def _cron(cls, value: str | None) -> str | None:
        if value is None:
            return None
        from croniter import CroniterBadDateError, croniter

        if len(value.split()) != 5:
            raise ValueError(
                f'{value!r} is not a 5-field cron expression, e.g. "0 4 * * *" (04:00 daily)'
            )
        if not croniter.is_valid(value):
            raise ValueError(_cron_fault(value))
        try:
            croniter(value).get_next(float)
        except CroniterBadDateError:  # e.g. "0 0 30 2 *" (30 February)
            raise ValueError(f"{value!r} never comes: no date matches it") from None
        return value

    @field_validator("region")
    @classmethod
    def _region(cls, value: str | None) -> str | None:
        if value is not None and (
            not value.strip() or len(value) > 100 or any(ord(ch) < 32 for ch in value)
        ):
            raise ValueError(f'{value[:30]!r} is not a market such as "NO" or "Norway"')
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Source:
        if not self.start_urls and not self.sitemap:
            raise ValueError("give start_urls or a sitemap")
        sel = self.selectors
        if self.mode == "selectors":
            if sel is None:
                raise ValueError('mode = "selectors" needs a [selectors] table')
            if self.holds == "reviews" and not sel.review:
                raise ValueError("selectors.review is required to read reviews")
            if self.holds == "offers" and not sel.offer_fields:
                raise ValueError(
                    "selectors.offer_fields (name, price, ...) is required to read offers"
                )
            if not sel.review and not sel.offer_fields:
                raise ValueError(
                    'mode = "selectors" reads only what selectors.review and '
                    "selectors.offer_fields find: give one of them"
                )
        # Field selectors are read inside each review block, and under mode = "auto" the
        # reviews they read replace auto's, matched by their text: without a block they are
        # never read, without a text every review auto read would lose its own.
        if sel is not None and sel.review_fields and not sel.review:
            raise ValueError(
                "selectors.review_fields are read inside each review block: add "
                'selectors.review = "..." (one match per review)'
            )
        if sel is not None and sel.review and "text" not in sel.review_fields:
            raise ValueError(
                "selectors.review needs review_fields.text: the reviews its blocks give "
                "replace those auto extraction reads, matched by their text (to fix one field "
                "such as the rating, give text too)"
            )
        return self

    def domains(self) -> list[str]:
        """Hosts the crawl may visit (with the review API's host, if there is one)."""
        api = [self.review_api.host] if self.review_api else []
        if self.allowed_domains:
            return sorted({*self.allowed_domains, *api})
        hosts = {
            urlparse(u).hostname
            for u in [*self.start_urls, *([self.sitemap] if self.sitemap else [])]
        }
        return sorted({h for h in hosts if h} | set(api))


class Company(_Strict):
    """The own company or a competitor."""

    name: str = Field(min_length=1, max_length=120)
    own: bool = False
    """True for the company the reports are written for (exactly one may be own)."""
    source: list[Source] = Field(default_factory=list)

    @field_validator("name")
    @classmethod
    def _one_line_name(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("the name is blank")
        if value != value.strip() or any(unicodedata.category(ch) == "Cc" for ch in value):
            raise ValueError(
                f"{value!r} starts or ends with spaces or holds a control character (a line "
                "break, a tab...); write the name on one line"
            )
        return value


def package_version() -> str:
    """The installed rivalscope's version (read from its metadata: this lowest layer does not
    import the command-line package)."""
    try:
        return version("rivalscope")
    except PackageNotFoundError:
        return "0+unknown"


class Crawler(_Strict):
    """Settings for every crawl."""

    contact_url: str = "https://github.com/rivalscope/rivalscope#crawler"
    """Where site owners learn about the crawler; part of the user agent."""
    user_agent: str | None = None
    """Full user agent; default ``rivalscope/<version> (+<contact_url>)``."""
    http_cache: bool = False
    """Cache responses on disk (development only: re-crawls see old pages)."""
    queue: str | None = None
    """``redis://host:6379/0``: the shared queue of ``crawl --distributed`` and of
    ``rivalscope worker`` processes (crawling on many machines). None: one process."""

    @field_validator("contact_url", "user_agent")
    @classmethod
    def _one_header_line(cls, value: str | None) -> str | None:
        # Both go into the User-Agent header: a line break would add headers of its own.
        if value is not None and any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
            raise ValueError(f"{value!r} holds a control character (a line break?)")
        return value

    @field_validator("contact_url")
    @classmethod
    def _contact_is_a_page(cls, value: str) -> str:
        # Site owners follow it from their logs: a page they can open, not a word.
        http_url(value)
        return value

    @field_validator("queue")
    @classmethod
    def _queue_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        check_queue_url(value)
        return value

    def agent(self) -> str:
        """The user agent every crawl sends: ``user_agent``, else one naming the tool, its
        version and ``contact_url``."""
        return self.user_agent or f"rivalscope/{package_version()} (+{self.contact_url})"

    def scrapy_settings(self) -> dict[str, object]:
        """What this table sets in Scrapy: the one place both ``rivalscope crawl`` and
        ``scrapy crawl target`` take it from (``TargetSpider.from_crawler``)."""
        return {"USER_AGENT": self.agent(), "HTTPCACHE_ENABLED": self.http_cache}


class Targets(_Strict):
    """The whole targets file."""

    crawler: Crawler = Field(default_factory=Crawler)
    company: list[Company] = Field(default_factory=list)
    schedule: ScheduleSettings = Field(default_factory=ScheduleSettings)
    health: HealthSettings = Field(default_factory=HealthSettings)
    alerts: AlertSettings = Field(default_factory=AlertSettings)

    @model_validator(mode="after")
    def _unique(self) -> Targets:
        if not self.company:
            raise ValueError(
                "no [[company]] tables: add the own company and at least one competitor"
            )
        # "ACME" and "Acme" would be two companies in the database, and one for the report's
        # --competitor (which ignores case): refused as the same name.
        names = [" ".join(c.name.casefold().split()) for c in self.company]
        dup = sorted(
            {c.name for c, n in zip(self.company, names, strict=True) if names.count(n) > 1}
        )
        if dup:
            raise ValueError(
                f"company names must be unique (case aside); repeated: {', '.join(dup)}"
            )
        own = [c.name for c in self.company if c.own]
        if len(own) > 1:
            raise ValueError(f"only one company may have own = true; found {', '.join(own)}")
        sources = [s.name for c in self.company for s in c.source]
        dup = sorted({n for n in sources if sources.count(n) > 1})
        if dup:
            raise ValueError(f"source names must be unique; repeated: {', '.join(dup)}")
        return self

    def sources(self) -> list[tuple[Company, Source]]:
        """Every (company, source) pair, in file order."""
        return [(c, s) for c in self.company for s in c.source]

    def find_source(self, name: str) -> tuple[Company, Source]:
        """The source called ``name``, or a TargetsError listing the known names."""
        for company, source in self.sources():
            if source.name == name:
                return company, source
        names = [s.name for _, s in self.sources()]
        close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
        mean = f"did you mean {close[0]!r}? " if close else ""
        known = ", ".join(names) or "none"
        raise TargetsError(
            f"no source named {name!r} in the targets file; {mean}known sources: {known}"
        )


QUEUE_SCHEMES = ("redis", "rediss", "unix")


def check_queue_url(url: str) -> None:
    """ValueError unless ``url`` names a Redis server (redis://, rediss:// or unix://)."""
    parsed = parsed_url(url)
    if parsed.scheme not in QUEUE_SCHEMES:
        raise ValueError(
            f"{url!r} is not a Redis URL; write redis://HOST:6379/0 (or rediss://, unix://)"
        )
    if parsed.scheme != "unix" and not parsed.hostname:
        raise ValueError(f"{url!r} names no host; write redis://HOST:6379/0")
    try:
        parsed.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        raise ValueError(f"{url!r} has an invalid port") from None


def load_targets(path: str | Path = DEFAULT_TARGETS_FILE) -> Targets:
    """Read and validate a targets file; raises TargetsError with a message for humans."""
    path = Path(path)
    if not path.exists() and not path.is_symlink():
        raise TargetsError(
            f"targets file {path} not found; create one (see README) or run "
            "`rivalscope demo --serve` to get an example"
        )
    if path.suffix.lower() in _OTHER_FORMATS:
        raise TargetsError(_not_toml(str(path), _OTHER_FORMATS[path.suffix.lower()]))
    try:
        text = read_user_text(path, "targets file")
    except UserFileError as exc:
        raise TargetsError(str(exc)) from None
    return parse_targets(text, str(path))


_OTHER_FORMATS = {".yaml": "YAML", ".yml": "YAML", ".json": "JSON"}
"""File names a targets file is not read from: the file is TOML."""


def _not_toml(where: str, written_in: str) -> str:
    return (
        f"{where}: targets files are TOML, not {written_in} (see the README's targets file); "
        "for example:\n"
        '  [[company]]\n  name = "Nordlys Kaffe"'
    )


def _other_format(text: str) -> str | None:
    """ "JSON" or "YAML" when text TOML does not read looks written in one of those."""
    lines = [
        ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")
    ]
    if not lines:
        return None
    if lines[0].startswith("{"):
        return "JSON"
    if lines[0] == "---":
        return "YAML"
    # A TOML file's "key: value" slip on its first line is not YAML: it has [tables].
    if re.match(r"^([\w-]+:(\s|$)|- )", lines[0]) and not any(ln[0] == "[" for ln in lines):
        return "YAML"
    return None


def parse_targets(text: str, where: str = "targets.toml") -> Targets:
    """Validate TOML text as a targets file."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        if (written_in := _other_format(text)) is not None:
            raise TargetsError(_not_toml(where, written_in)) from None
        raise TargetsError(f"{where}: not valid TOML: {exc}{_toml_hint(str(exc), text)}") from None
    try:
        return Targets.model_validate(data)
    except ValidationError as exc:
        raise TargetsError(_explain(exc, text, where, data)) from None


_EXPECTED = {
    "int_type": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "string_type": "a quoted string",
    "list_type": "a list [ ... ]",
    "dict_type": "a table",
    "model_type": "a table",
}
"""What a key of each type takes, in TOML's words (pydantic's are Python's)."""
_UNQUOTED = ("int_type", "float_type", "bool_type")
"""Types whose values are written without quotes."""


_TOML_HINTS = {
    "Invalid value": 'a text value needs quotes (mode = "auto"), a list brackets (["..."])',
    "Unescaped '\\' in a string": (
        'a backslash in a "..." string starts an escape: write a regex or a selector in '
        "single quotes ('\\d+/p/'), where a backslash is itself, or double it (\"\\\\d\")"
    ),
    "Cannot overwrite a value": "a key written twice in one table: keep one of them",
}
"""What to write instead, for the TOML mistakes a targets file's author makes most."""


_URL_IN_LINE = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://[^\s\"',\]]*")


def _toml_hint(message: str, text: str) -> str:
    """The line a TOML error points at, and what to write instead when the mistake is a
    common one ("" when the message names no line)."""
    found = re.search(r"\(at line (\d+), column \d+\)", message)
    if found is None:
        return ""
    lines = text.splitlines()
    number = int(found.group(1))
    shown = lines[number - 1].strip() if 0 < number <= len(lines) else ""
    # A webhook or notify URL holds its token: an error line goes to logs and terminals.
    shown = _URL_IN_LINE.sub(r"\1://…", shown)[:120]
    hint = next((h for prefix, h in _TOML_HINTS.items() if message.startswith(prefix)), None)
    return (f": {shown}" if shown else "") + (f"\n  ({hint})" if hint else "")


def toml_string(value: str) -> str:
    """``value`` as a TOML basic string, ASCII only: quotes, backslashes and control
    characters escaped, other characters as ``\\uXXXX`` or ``\\UXXXXXXXX`` (JSON's
    surrogate pairs for characters beyond U+FFFF are not valid TOML; a lone surrogate, which
    no TOML string can hold, becomes U+FFFD)."""
    out = ['"']
    for ch in value:
        code = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif 0x20 <= code < 0x7F:
            out.append(ch)
        elif 0xD800 <= code <= 0xDFFF:
            out.append("\\uFFFD")
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04X}")
        else:
            out.append(f"\\U{code:08X}")
    out.append('"')
    return "".join(out)


def _toml_value(value: object) -> str:
    """How the user wrote ``value``, in TOML's words."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the string {shown!r}"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return f"a {type(value).__name__}"  # TOML dates and times


def _source_name(loc: tuple[int | str, ...], data: dict[str, Any]) -> str | None:
    """The ``name`` of the ``[[company.source]]`` a problem is in, when it has one."""
    if loc[:1] != ("company",) or len(loc) < 4 or loc[2] != "source":
        return None
    try:
        name = data["company"][loc[1]]["source"][loc[3]]["name"]
    except (KeyError, IndexError, TypeError):
        return None
    return name if isinstance(name, str) else None


def _explain(exc: ValidationError, text: str, where: str, data: dict[str, Any]) -> str:
    """Every problem of the file, one a line (a table's several wrong keys each at its own
    line)."""
    keys = _key_lines(text)
    found = [p for err in exc.errors() for p in _problems(err, keys, data)]
    # In the file's order (pydantic's is the fields' declaration order).
    problems = [p for _, p in sorted(found, key=lambda p: (p[0] is None, p[0] or 0))]
    if len(problems) == 1:  # one mistake, one line
        return f"{where}: {problems[0]}"
    return "\n".join([f"{where}: {len(problems)} problems:", *(f"  - {p}" for p in problems)])


def _problems(
    err: ErrorDetails, keys: list[_KeyLine], data: dict[str, Any]
) -> list[tuple[int | None, str]]:
    """The problems of one error: each key's a ``KeyProblem`` names, else the error's own."""
    error = err.get("ctx", {}).get("error")
    if not isinstance(error, KeyProblem):
        return [_problem(err, err["msg"], (), keys, data)]
    return [_problem(err, message, at, keys, data) for message, at in error.parts]


def _problem(
    err: ErrorDetails,
    message: str,
    at: tuple[str, ...],
    keys: list[_KeyLine],
    data: dict[str, Any],
) -> tuple[int | None, str]:
    """One problem's line and text: the key's place, its line, its source's name, and what
    it takes (``at``: the keys from the error's table to the wrong one, when its validator
    says)."""
    msg = message.removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        msg = _unknown_key(err["loc"])
    elif err["type"] == "missing":
        msg = "required key is missing"
    elif err["type"] in _EXPECTED:
        msg = f"expected {_EXPECTED[err['type']]}, not {_toml_value(err['input'])}"
        if isinstance(err["input"], str) and err["type"] == "list_type":
            msg += f" (write it in brackets: [{toml_string(err['input'])[:60]}])"
        elif isinstance(err["input"], str) and err["type"] in _UNQUOTED:
            msg += " (drop the quotes)"
    line = _line_in(keys, (*err["loc"], *at))
    named = _source_name(err["loc"], data)
    where = f" (line {line})" if line else ""
    source = f"source {named}, " if named else ""  # the name the user knows it by, first
    return line, f"{source}{_location((*err['loc'], *at))}{where}: {msg}"


def _unknown_key(loc: tuple[int | str, ...]) -> str:
    """What to say of a key its table does not take: the key it is close to, if any."""
    keys = _keys_at(loc[:-1])
    close = difflib.get_close_matches(str(loc[-1]), keys, n=1, cutoff=0.6) if keys else []
    if close:
        return f"unknown key; did you mean {'[' + close[0] + ']' if len(loc) == 1 else close[0]}?"
    if len(loc) == 1:
        owners = [k for k in keys if loc[0] in _keys_at((k,))]
        if owners:  # a key written above its table's header
            return f"a key of [{owners[0]}]: write it under the [{owners[0]}] header"
        tables = ", ".join(f"[{k}]" for k in keys if k != "company")
        return f"unknown table or key at the top level; the file takes [[company]], {tables}"
    return "unknown key (check its spelling; see the README for the keys a table takes)"


def _keys_at(loc: tuple[int | str, ...]) -> list[str]:
    """The keys the table at ``loc`` takes (none where no model describes it)."""
    model: type[BaseModel] = Targets
    for part in loc:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        kind: Any = field.annotation if field is not None else None
        while not (isinstance(kind, type) and issubclass(kind, BaseModel)):
            inner = [a for a in get_args(kind) if a is not type(None)]
            if not inner:
                return []
            kind = inner[-1]  # list[Source] -> Source, Selectors | None -> Selectors
        model = kind
    return list(model.model_fields)


def _location(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out or "(top level)"


_BARE_KEY = r"[A-Za-z0-9_-]+"
_KEY_PART = rf'\s*(?:{_BARE_KEY}|"(?:[^"\\]|\\.)*"|\'[^\']*\')\s*'
_KEY_PATH = rf"{_KEY_PART}(?:\.{_KEY_PART})*"
_HEADER = re.compile(rf"^\s*(\[\[?)({_KEY_PATH})\]\]?\s*(?:#.*)?$")
_ASSIGNMENT = re.compile(rf"^({_KEY_PATH})=")
_PART = re.compile(rf'{_BARE_KEY}|"((?:[^"\\]|\\.)*)"|\'([^\']*)\'')


@dataclass(frozen=True)
class _KeyLine:
    """A line that opens a table or sets a key, and the place it names as pydantic's
    ``loc`` does: ``("company", 1, "source", 0, "selectors", "review_fields", "rating")``."""

    number: int
    loc: tuple[int | str, ...]


def _key_parts(path: str) -> tuple[str, ...]:
    """The keys of a dotted TOML key (bare, "quoted" or 'literal')."""
    parts = []
    for match in _PART.finditer(path):
        quoted, literal = match.group(1), match.group(2)
        if quoted is not None:
            parts.append(quoted.encode("latin-1", "backslashreplace").decode("unicode_escape"))
        else:
            parts.append(literal if literal is not None else match.group(0))
    return tuple(parts)


def _key_lines(text: str) -> list[_KeyLine]:
    """Every table header and key of ``text``, with its place (best effort: lines inside a
    multi-line string are skipped; the file is valid TOML already)."""
    found: list[_KeyLine] = []
    arrays: dict[tuple[str, ...], int] = {}  # [[array]] path -> its current element
    table: tuple[int | str, ...] = ()
    in_string: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if in_string is not None:
            if line.count(in_string) % 2:
                in_string = None
            continue
        header = _HEADER.match(line)
        if header is not None:
            names = _key_parts(header.group(2))
            if header.group(1) == "[[":
                arrays[names] = arrays.get(names, -1) + 1
                for inner in [a for a in arrays if a[: len(names)] == names and a != names]:
                    del arrays[inner]  # a new element's arrays start again
            table = _placed(names, arrays)
            found.append(_KeyLine(number, table))
            continue
        assignment = _ASSIGNMENT.match(line)
        if assignment is not None:
            found.append(_KeyLine(number, (*table, *_key_parts(assignment.group(1)))))
            rest = line[assignment.end() :]
            for quotes in ('"""', "'''"):
                if rest.count(quotes) % 2:
                    in_string = quotes
    return found


def _placed(names: tuple[str, ...], arrays: dict[tuple[str, ...], int]) -> tuple[int | str, ...]:
    """A header's keys with the element of each array of tables it lies in."""
    loc: list[int | str] = []
    for i, name in enumerate(names, start=1):
        loc.append(name)
        if names[:i] in arrays:
            loc.append(arrays[names[:i]])
    return tuple(loc)


def _line_in(keys: list[_KeyLine], loc: tuple[int | str, ...]) -> int | None:
    """The line of the key ``loc`` names, else of the nearest table or key holding it (the
    first such line: a key's own before a later header of a table inside it); None when no
    line holds any of it."""
    best: _KeyLine | None = None
    for key in keys:
        if loc[: len(key.loc)] == key.loc and (best is None or len(key.loc) > len(best.loc)):
            best = key
    return best.number if best is not None else None
