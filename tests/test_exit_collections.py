"""``rivalscope analyze`` in its own process imports the analysis stack without collections and
leaves its objects frozen for the exit (``rivalscope.process``); in a process that goes on,
nothing stays frozen."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from rivalscope.cli import app
from rivalscope.process import imports_without_collections
from tests.cli import imported_reviews
from tests.sample_reviews import BAD, GOOD

# the command's own process, as ``python -m rivalscope`` runs it, saying at its exit whether
# the objects the command left are frozen (atexit functions run before the final collections)
AT_EXIT = (
    "import atexit, gc, sys\n"
    "atexit.register(lambda: print('frozen at exit:', gc.get_freeze_count() > 0))\n"
    "from rivalscope.cli import main\n"
    "sys.argv = ['rivalscope', *sys.argv[1:]]\n"
    "main()\n"
)


def _imported(tmp_path: Path) -> str:
    rows = ["id,text,rating,best_rating,language"]
    rows += [f'en{i},"{(GOOD + BAD)[i % 6]} #{i}",{5 if i % 6 < 3 else 1},5,en' for i in range(12)]
    return imported_reviews(tmp_path, rows)


def test_analyze_leaves_its_objects_frozen_for_the_exit(tmp_path: Path) -> None:
    url = _imported(tmp_path)
    env = {**os.environ, "COLUMNS": "240", "PYTHONWARNINGS": "ignore"}
    env.pop("RIVALSCOPE_DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", AT_EXIT, "analyze", "--no-progress", "--db", url],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    # the summary is written before, and the results are there
    assert "12 reviews analysed" in done.stdout
    assert done.stdout.rstrip().endswith("frozen at exit: True")


def test_analyze_in_a_process_that_goes_on_freezes_nothing(tmp_path: Path) -> None:
    url = _imported(tmp_path)
    assert gc.get_freeze_count() == 0
    result = CliRunner().invoke(app, ["analyze", "--no-progress", "--db", url])
    assert result.exit_code == 0, result.output
    assert "12 reviews analysed" in result.output
    assert gc.get_freeze_count() == 0


def test_imports_run_without_collections_and_stay_unfrozen_in_a_process_that_goes_on() -> None:
    assert gc.isenabled()
    with imports_without_collections():
        assert not gc.isenabled()
    assert gc.isenabled() and gc.get_freeze_count() == 0
    gc.disable()
    try:
        with imports_without_collections():
            pass
        assert not gc.isenabled()  # as the caller had it
    finally:
        gc.enable()


def test_the_commands_own_process_freezes_what_it_imported() -> None:
    code = (
        "import gc\n"
        "from rivalscope.process import imports_without_collections, run_one_command\n"
        "run_one_command()\n"
        "with imports_without_collections():\n"
        "    import compare.analysis.run\n"
        "print(gc.isenabled(), gc.get_freeze_count() > 0)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True"]
