"""The functions an XPath 1.0 expression calls, and those of them lxml does not know.

lxml (libxml2) compiles an expression without looking its functions up: ``//div[foo()]``
compiles, and evaluates without an error on every page where no ``div`` reaches the
predicate; where one does, the whole query fails ("Unregistered function"). A selector's
functions are checked once, when the targets file is read, by calling each one alone,
with the namespaces and extension functions the selector is read with (parsel's
``has-class``, EXSLT's ``re:`` and ``set:``): only an unknown function fails as unknown
(a known one called without its arguments fails otherwise, or not at all).
"""

from __future__ import annotations

import re

from lxml import etree

_TOKEN = re.compile(
    r"""\s*(?:
    (?P<literal>"[^"]*"|'[^']*')
    |(?P<number>\d+(?:\.\d*)?|\.\d+)
    |(?P<punct>\.\.|::|//|!=|<=|>=|[()\[\].@,/|+=<>*-])
    |(?P<name>\$?[^\W\d][\w.-]*(?::(?:[^\W\d][\w.-]*|\*))?)
    )""",
    re.VERBOSE,
)
_NODE_TYPES = frozenset({"comment", "text", "processing-instruction", "node"})
_OPERATOR_NAMES = frozenset({"and", "or", "mod", "div"})
_BEFORE_OPERAND = frozenset({"@", "::", "(", "[", ",", "/", "//", "|", "+", "-", "=", "!="})
_BEFORE_OPERAND |= {"<", "<=", ">", ">="}
"""Tokens after which a name is a name (XPath 1.0, 3.7: else ``*`` multiplies and ``and``,
``or``, ``mod`` and ``div`` are operators)."""


def called_functions(expression: str) -> list[str] | None:
    """The function names ``expression`` calls, in order, each once (node tests such as
    ``text()`` are not functions); None when it does not read as XPath 1.0 tokens."""
    tokens: list[tuple[str, str]] = []
    at, end = 0, len(expression.rstrip())
    while at < end:
        found = _TOKEN.match(expression, at)
        if found is None or found.end() == at:
            return None
        kind = found.lastgroup or ""
        tokens.append((kind, found.group(kind)))
        at = found.end()
    names: list[str] = []
    operand = True  # where an operand starts: the expression's start, or after an operator
    for index, (kind, text) in enumerate(tokens):
        if kind == "name" and not operand and text in _OPERATOR_NAMES:
            operand = True
            continue
        if text == "*" and not operand:  # multiplication
            operand = True
            continue
        following = tokens[index + 1][1] if index + 1 < len(tokens) else ""
        if (
            kind == "name"
            and following == "("
            and text not in _NODE_TYPES
            and not text.startswith("$")
        ):
            names.append(text)
        operand = kind == "punct" and text in _BEFORE_OPERAND
    return list(dict.fromkeys(names))


def unknown_functions(
    expression: str, namespaces: dict[str, str], root: etree._Element
) -> list[str]:
    """The functions ``expression`` calls that lxml does not know, with ``namespaces``
    (and the extension functions registered in lxml's global function namespaces)."""
    unknown = []
    for name in called_functions(expression) or []:
        try:
            etree.XPath(f"{name}()", namespaces=namespaces)(root)
        except etree.XPathEvalError as exc:
            if any(e.type == etree.ErrorTypes.XPATH_UNKNOWN_FUNC_ERROR for e in exc.error_log):
                unknown.append(name)
        except Exception:
            continue
    return unknown
