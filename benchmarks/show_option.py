"""The command line of the sentence-table benchmarks: ``[--show]`` and nothing else.

They used to look for ``--show`` among their arguments and ignore the rest, so ``--help``
(or a mistyped ``--shwo``) ran the whole benchmark instead of saying how to run it.
"""

from __future__ import annotations

from script_arguments import script_parser


def show_wanted(usage: str | None, argv: list[str] | None = None) -> bool:
    """Whether ``--show`` was given; ``--help`` prints ``usage`` (the script's docstring)
    and exits 0, any other argument is refused with exit status 2."""
    parser = script_parser(usage)
    parser.add_argument("--show", action="store_true", help="print every sentence's reading")
    return bool(parser.parse_args(argv).show)
