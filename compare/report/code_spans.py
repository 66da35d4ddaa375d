"""The report's own prose marks a command to run as `code` (``rivalscope report --min-sample
19``); each renderer shows such spans as code instead of printing the backticks."""

from __future__ import annotations


def split_code_spans(text: str) -> list[tuple[str, bool]]:
    """``text`` as (part, is_code) pairs: parts between a pair of backticks are code; an
    unpaired backtick stays plain text."""
    parts = text.split("`")
    if len(parts) % 2 == 0:  # an odd number of backticks: the last one opens nothing
        parts[-2:] = [parts[-2] + "`" + parts[-1]]
    return [(part, index % 2 == 1) for index, part in enumerate(parts) if part]
