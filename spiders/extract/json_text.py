"""Script text for JSON decoding at many offsets in time linear in its length.

``json``'s errors compute their line and column by counting newlines from the start of the
text (``JSONDecodeError.__init__``): a script that tries a value at each of its n ``=`` or
``{`` and fails each time costs n times its length. Decoding a ``LinelessText`` gives the
same values and the same failures, with line numbers we never read set to 1.
"""

from __future__ import annotations


class LinelessText(str):
    """A str whose newline counts are 0 (for ``JSONDecodeError`` only; values come out as
    plain str, the C scanner reads the characters directly)."""

    __slots__ = ()

    def count(self, *args: object, **kwargs: object) -> int:
        return 0

    def rfind(self, *args: object, **kwargs: object) -> int:
        return -1
