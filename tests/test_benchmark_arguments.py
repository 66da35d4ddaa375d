"""The benchmarks that take arguments of their own: ``--help`` prints the script's docstring
and exits 0 (it printed it as for a mistake, exit 2), and a missing, malformed or mistyped
argument stops them with exit status 2 before any work (a mistyped option was ignored while
the whole benchmark ran)."""

from __future__ import annotations

import pytest

from tests.benchmark_scripts import load_benchmark

SCRIPTS = (
    "analyze",
    "importer",
    "analyze_functions",
    "analyze_stages",
    "norwegian_vectors",
    "sentiment_guard_study",
    "sentiment_bagging",
)


@pytest.mark.parametrize("name", SCRIPTS)
@pytest.mark.parametrize("option", ["--help", "-h"])
def test_help_prints_the_usage_and_exits_0(
    name: str, option: str, capsys: pytest.CaptureFixture[str]
) -> None:
    script = load_benchmark(name)
    with pytest.raises(SystemExit) as stopped:
        script.main([f"{name}.py", option])
    assert stopped.value.code == 0
    out = capsys.readouterr().out
    assert f"Usage: python benchmarks/{name}.py" in out, out


@pytest.mark.parametrize(
    ("name", "argv", "said"),
    [
        ("analyze", [], "the following arguments are required: N"),
        ("analyze", ["many"], "invalid int value: 'many'"),
        ("analyze", ["100", "--repaet", "3"], "unrecognized arguments: --repaet 3"),
        ("analyze", ["100", "--repeat"], "expected one argument"),
        ("importer", ["100", "--child", "maybe"], "invalid choice: 'maybe'"),
        ("importer", ["100", "--word", "8"], "unrecognized arguments: --word 8"),
        ("analyze_functions", [], "the following arguments are required: DB_URL"),
        ("analyze_functions", ["--db", "sqlite:///x.db"], "unrecognized arguments: --db"),
        ("analyze_stages", [], "give rivalscope analyze's arguments after --"),
        ("analyze_stages", ["--profile", "/tmp/p"], "after --"),
        ("analyze_stages", ["--profiel", "/tmp/p", "--", "--db", "x"], "--profiel"),
        ("norwegian_vectors", ["DATA_DIR"], "UNLABELLED is needed"),
        ("norwegian_vectors", ["D", "U.jsonl.gz", "--dims", "50"], "unrecognized arguments"),
        ("sentiment_guard_study", ["DATA_DIR"], "give DATA_DIR and OUT.pkl"),
        ("sentiment_guard_study", ["D", "OUT.pkl", "--seed", "3"], "--seed 3"),
        ("sentiment_guard_study", ["--rules"], "expected at least one argument"),
        ("sentiment_guard_study", ["D", "--rules", "OUT.pkl"], "no DATA_DIR"),
        ("sentiment_bagging", [], "the following arguments are required: DATA_DIR"),
        ("sentiment_bagging", ["D", "--variants", "half,hlaf"], "unknown variant 'hlaf'"),
        ("sentiment_bagging", ["D", "--langs", "fr"], "no base model to bag for 'fr'"),
        ("sentiment_bagging", ["D", "--seed", "3"], "unrecognized arguments: --seed 3"),
        ("sentiment_bagging", ["D", "--bags", "0"], "need at least 1"),
        ("sentiment_bagging", ["D", "--first-seed", "-1"], "0 or more"),
    ],
)
def test_wrong_arguments_exit_2_before_any_work(
    name: str, argv: list[str], said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    script = load_benchmark(name)
    with pytest.raises(SystemExit) as stopped:
        script.main([f"{name}.py", *argv])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert said in err, err
