"""JavaScript object and array literals read as data (``spiders.extract.js_literal``), and
where script state is read with them (``script_json.script_call_values``)."""

from __future__ import annotations

import json
import random
from typing import Any

import lxml.html
import pytest

from spiders.extract import js_literal, script_json
from spiders.extract.js_literal import MAX_DEPTH, LiteralRefused, read_literal
from spiders.extract.script_json import script_call_values, script_json_values

REFUSED = object()

# (text, what it reads as, or REFUSED)
LITERALS: list[tuple[str, Any]] = [
    ("{a: 1}", {"a": 1}),
    ("{event: 'view_item', items: [{item_id: 'KB-77', price: 89.00,},],}",
     {"event": "view_item", "items": [{"item_id": "KB-77", "price": 89.0}]}),
    ('{"a": [1, 2.5, -3, 1e3, .5, 0x1F, true, false, null]}',
     {"a": [1, 2.5, -3, 1000.0, 0.5, 31, True, False, None]}),
    ("{a: !0, b: !1, c: undefined}", {"a": True, "b": False, "c": None}),
    ("{$id: 1, _k: 2, 'q k': 3, \"d\": 4, 5: 6, név: 7}",
     {"$id": 1, "_k": 2, "q k": 3, "d": 4, "5": 6, "név": 7}),
    ("{a: 'it\\'s \"so\"', b: \"x\\x41\\u00e9\\v\\0\", c: `t\"`, d: 'a\\\nb'}",
     {"a": "it's \"so\"", "b": "xAé\x0b\x00", "c": 't"', "d": "ab"}),
    ("{a: '\\ud83d\\ude00', b: '\\u{1F600}', c: '\\q'}", {"a": "😀", "b": "😀", "c": "q"}),
    ("[ // a comment\n 1, /* another */ 2 ]", [1, 2]),
    ("{}", {}),
    ("[]", []),
    ("[[], {}, [[]]]", [[], {}, [[]]]),
    ("{a: 1} trailing code()", {"a": 1}),
    ("{a: 1, a: 2}", {"a": 2}),
    # code, not data: the whole literal is refused
    ("{a: b}", REFUSED),
    ("{a: f()}", REFUSED),
    ("{a: new Date()}", REFUSED),
    ("{a: 1 + 2}", REFUSED),
    ("{a: 'x'.trim()}", REFUSED),
    ("{a: -b}", REFUSED),
    ("{a: NaN}", REFUSED),
    ("{a: Infinity}", REFUSED),
    ("{a: function () { return 1 }}", REFUSED),
    ("{a() { return 1 }}", REFUSED),
    ("{get a() { return 1 }}", REFUSED),
    ("{a, b}", REFUSED),
    ("{...rest}", REFUSED),
    ("{[key]: 1}", REFUSED),
    ("[1,,2]", REFUSED),
    ("[,]", REFUSED),
    ("{,}", REFUSED),
    ("{a: `x${y}`}", REFUSED),
    ("{a: 01}", REFUSED),
    ("{a: 1_000}", REFUSED),
    ("{a: 1" + "0" * 60 + "}", REFUSED),
    ("{a: !0x}", REFUSED),
    ("{a: /re/g}", REFUSED),
    # unclosed
    ("{a: 1", REFUSED),
    ("{a: 'x", REFUSED),
    ("{a: 'x\ny'}", REFUSED),
    ("{a: 1 /* never closed", REFUSED),
    ("[1, 2", REFUSED),
    ("{a: 1]", REFUSED),
    ("x = {a: 1}", REFUSED),
    ("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), REFUSED),
    ("[" * MAX_DEPTH + "]" * MAX_DEPTH, json.loads("[" * MAX_DEPTH + "]" * MAX_DEPTH)),
]  # fmt: skip


@pytest.mark.parametrize(("text", "want"), LITERALS, ids=[t[:40] for t, _ in LITERALS])
def test_literal_read_or_refused(text: str, want: Any) -> None:
    if want is REFUSED:
        with pytest.raises(LiteralRefused):
            read_literal(text, 0)
    else:
        value, end = read_literal(text, 0)
        assert value == want
        assert text[end - 1] in "}]"


def test_refusal_says_how_far_it_scanned() -> None:
    text = "{a: 'x', b: [1, 2, 3], c: call(), d: 4}"
    with pytest.raises(LiteralRefused) as refused:
        read_literal(text, 0)
    assert refused.value.position == text.index("call") + len("call")
    unclosed = "{a: 'a long string that never closes"
    with pytest.raises(LiteralRefused) as refused:
        read_literal(unclosed, 0)
    assert refused.value.position == len(unclosed)


def test_too_long_a_literal_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "[" + "1," * 100 + "1]"
    assert read_literal(text, 0)[0] == [1] * 101
    monkeypatch.setattr(js_literal, "MAX_LITERAL_CHARS", 50)
    with pytest.raises(LiteralRefused):
        read_literal(text, 0)


def _mutations(seed: int) -> list[str]:
    """Valid literals cut, doubled and spliced at random places."""
    rng = random.Random(seed)
    parts = [text for text, want in LITERALS if want is not REFUSED]
    found = []
    for _ in range(300):
        text = rng.choice(parts)
        cut = rng.randrange(len(text) + 1)
        other = rng.choice(parts)
        found.append(
            rng.choice(
                [text[:cut], text[:cut] + other, text[:cut] + text[cut + 1 :],
                 text[:cut] + rng.choice("{}[],:'\"`/*\\!$0-. \n") + text[cut:]]
            )
        )  # fmt: skip
    return found


@pytest.mark.parametrize("seed", range(5))
def test_mangled_literals_are_read_or_refused_never_raise(seed: int) -> None:
    for text in _mutations(seed):
        start = min((i for i in (text.find("{"), text.find("[")) if i >= 0), default=-1)
        if start < 0:
            continue
        try:
            value, end = read_literal(text, start)
        except LiteralRefused as refused:
            assert start <= refused.position <= len(text)
            continue
        assert isinstance(value, dict | list) and start < end <= len(text)
        try:  # whatever JSON reads, the literal reader reads the same
            as_json = json.loads(text[start:end])
        except ValueError:
            continue
        assert value == as_json


def _root(script: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(f"<html><body><script>{script}</script></body></html>")


def test_script_calls_and_assignments_read_as_literals() -> None:
    root = _root(
        "dataLayer.push({event: 'view_item', items: [{item_id: 'KB-77', price: 89.00}]});"
        "gtag('event', 'view_item', {currency: 'JPY', value: 12800,});"
        "window.__STATE__ = {product: {sku: 'A-1',},}; var json = {\"j\": 1};"
        "var fn = {run: function () {}}; f(x, {no: 1});"
    )
    assert script_call_values(root) == [
        {"event": "view_item", "items": [{"item_id": "KB-77", "price": 89.0}]},
        {"currency": "JPY", "value": 12800},
        {"product": {"sku": "A-1"}},
    ]
    assert script_json_values(root) == [{"j": 1}]  # the JSON assignment, read there once


@pytest.mark.parametrize(
    "script",
    [
        "dataLayer.push({a: " * 5000,
        "x = {a: '" * 5000,
        "x = {a: 1 /* c */ b" * 5000,
        "x = [" * 5000,
        "dataLayer.push({a: f(" * 5000,
        "x = {a: [" + "1, " * 20000 + "y = {b: [" * 2000,
    ],
    ids=["calls", "strings", "comments", "arrays", "code", "long-then-many"],
)
def test_refused_text_is_not_scanned_again(monkeypatch: pytest.MonkeyPatch, script: str) -> None:
    """Many starts inside one refused literal are not each read to its end, and a script
    refuses at most ``MAX_LITERAL_REFUSALS``: the work stays linear in the script's length
    (each character scanned about once)."""
    scanned: list[int] = []
    read = js_literal.read_literal

    def counted(text: str, start: int, max_chars: int | None = None) -> tuple[object, int]:
        try:
            return read(text, start, max_chars)
        except LiteralRefused as refused:
            scanned.append(refused.position - start)
            raise

    monkeypatch.setattr(script_json, "read_literal", counted)
    script = "window.p = {sku: 'START-1', price: 1};" + script
    assert script_call_values(_root(script)) == [{"sku": "START-1", "price": 1}]
    assert sum(scanned) <= 2 * len(script)
    assert len(scanned) <= 2 * script_json.MAX_LITERAL_REFUSALS


def test_a_script_refusing_many_literals_leaves_the_next_script_read() -> None:
    code = "x = {a: f()};" * (script_json.MAX_LITERAL_REFUSALS + 5) + "y = {price: 'LATE-1'};"
    root = lxml.html.fromstring(
        f"<html><body><script>{code}</script><script>z = {{price: 'NEXT-1'}};</script></body></html>"
    )
    assert script_call_values(root) == [{"price": "NEXT-1"}]


def test_literals_are_read_only_in_scripts_naming_a_price_and_within_the_page_budget(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert script_call_values(_root("f({sku: 'A-1', name: 'x'});")) == []
    assert script_call_values(_root("f({sku: 'A-1', Amount: 2});")) == [{"sku": "A-1", "Amount": 2}]
    monkeypatch.setattr(script_json, "MAX_PAGE_LITERAL_CHARS", 30)
    scripts = "".join(
        f"<script>f({{sku: 'A-{i}', price: {i}}});</script>" for i in range(3)
    )  # 22 characters each: the second is cut off at the budget's end, the third not tried
    root = lxml.html.fromstring(f"<html><body>{scripts}</body></html>")
    assert script_call_values(root) == [{"sku": "A-0", "price": 0}]
