"""The sentence-table benchmarks take ``--show`` only: ``--help`` says how to run them and a
mistyped option is refused, where both used to run the whole benchmark."""

from __future__ import annotations

import pytest

from tests.benchmark_scripts import load_benchmark

show_option = load_benchmark("show_option")
USAGE = "Usage: python benchmarks/sentiment_x.py [--show]"


@pytest.mark.parametrize(("argv", "shown"), [([], False), (["--show"], True)])
def test_show_is_read(argv: list[str], shown: bool) -> None:
    assert show_option.show_wanted(USAGE, argv) is shown


@pytest.mark.parametrize(
    ("argv", "status", "said"),
    [
        (["--help"], 0, USAGE),
        (["-h"], 0, USAGE),
        (["--shwo"], 2, "unrecognized arguments: --shwo"),
        (["DATA_DIR"], 2, "unrecognized arguments: DATA_DIR"),
    ],
)
def test_help_and_mistakes_stop_before_the_benchmark(
    argv: list[str], status: int, said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        show_option.show_wanted(USAGE, argv)
    assert stopped.value.code == status
    out, err = capsys.readouterr()
    assert said in out + err
