"""The functions an XPath selector calls, read from its tokens (node tests and operators
are not functions), and those lxml does not know."""

from __future__ import annotations

import pytest
from parsel import Selector

from settings.xpath_functions import called_functions, unknown_functions


@pytest.mark.parametrize(
    ("expression", "functions"),
    [
        ("//div[foo()]", ["foo"]),
        ("//div/text() | //p/node()", []),
        ("//comment() | //processing-instruction('x')", []),
        ('//div[normalize-space(.) = "bar()"]', ["normalize-space"]),
        ("//a[@x and (1)] | //b[2 * (3)] | //c[4 div (2)]", []),
        ("//a[and(1)]", ["and"]),  # at an operand's start a name is a name
        ("//div[position() mod(2) = 1]", ["position"]),
        ("//*[local-name() = 'a'][re:test(., 'x')]", ["local-name", "re:test"]),
        ("child::div[self::node() and not(ancestor::p)]", ["not"]),
        ("//div[has-class('a')][has-class('b')]", ["has-class"]),
        ("//ns:*[last()]", ["last"]),
        ("//div[$x(1)]", []),
        ("//div[#]", None),
    ],
)
def test_called_functions(expression: str, functions: list[str] | None) -> None:
    assert called_functions(expression) == functions


def test_unknown_functions_with_the_namespaces_selectors_are_read_with() -> None:
    probe = Selector(text="<html></html>")
    expression = (
        "//div[foo()][re:test(., 'x')][set:distinct(.)][has-class('a')][contains(., 'a')]"
        "[re:nope(.)][upper-case(.)][escape-uri('a', true())]"
    )
    assert unknown_functions(expression, probe.namespaces, probe.root) == [
        "foo",
        "re:nope",
        "upper-case",
        "escape-uri",
    ]
