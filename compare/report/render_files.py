"""Write every report file into the output folder, all or nothing.

The files are rendered into a staging folder next to ``--out`` (inside it when its parent
cannot be written), then each is renamed into place; ``build_report`` records the run and
its findings only after that, in the same transaction that stored them, so a failure or a
kill while writing leaves no run whose files are missing. A staging folder left by a
killed report is removed by the next one.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from compare.report.data_model import ReportData
from compare.report.render_html import render_html
from compare.report.render_markdown import render_markdown
from compare.report.render_tables import write_aspects, write_findings, write_section_tables
from compare.report.report_error import ReportError
from compare.report.section_registry import build_sections, registered_sections
from settings.interrupts import interrupts_deferred
from settings.pause_points import pause_point
from storage.run_owner import process_alive

STAGING = ".rivalscope-report-staging-"
PAUSE_POINT = "report-files"
"""Kill tests' pause point (``settings.pause_points``), counted in files renamed into place
(the run and findings are not committed yet)."""


def check_output_folder(out_dir: Path) -> Path | None:
    """Create ``out_dir`` if needed; ReportError (one line) if it cannot hold the report.

    Returns the topmost folder this created (None: ``out_dir`` existed), for
    ``remove_created`` to take away when the report then fails."""
    if out_dir.exists() and not out_dir.is_dir():
        raise ReportError(f"{out_dir} exists and is not a folder")
    created: Path | None = None
    folder = out_dir.resolve()
    while not folder.exists() and folder != folder.parent:
        created, folder = folder, folder.parent
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReportError(f"cannot create the report folder {out_dir}: {_reason(exc)}") from None
    try:
        staging = _staging_folder(out_dir)
    except ReportError:
        remove_created(out_dir, created)
        raise
    shutil.rmtree(staging, ignore_errors=True)
    _remove_stale_staging(out_dir)
    return created


def remove_created(out_dir: Path, created: Path | None) -> None:
    """Remove the folders ``check_output_folder`` created, if they are still empty."""
    if created is None:
        return
    folder = out_dir.resolve()
    while True:
        try:
            folder.rmdir()
        except OSError:
            return
        if folder == created:
            return
        folder = folder.parent


def write_report_files(data: ReportData, out_dir: Path) -> list[Path]:
    """report.html, summary.md, findings.csv, findings.json, aspects.csv and tables/*.csv in
    ``out_dir``, all read from the same built sections."""
    staging = _staging_folder(out_dir)
    try:
        sections = build_sections(data)
        html_path = staging / "report.html"
        html_path.write_text(render_html(data, sections), encoding="utf-8")
        markdown_path = staging / "summary.md"
        markdown_path.write_text(render_markdown(data, sections), encoding="utf-8")
        staged = [
            html_path,
            markdown_path,
            *write_findings(data, staging),
            write_aspects(data, staging),
            *write_section_tables(sections, staging),
        ]
        placed: list[Path] = []
        with interrupts_deferred():  # Ctrl-C never leaves half the files new, half old
            for path in staged:
                target = out_dir / path.relative_to(staging)
                target.parent.mkdir(exist_ok=True)
                os.replace(path, target)
                placed.append(target)
                pause_point(PAUSE_POINT, len(placed))
            _remove_stale_tables(out_dir / "tables", placed)
        return placed
    except OSError as exc:
        raise ReportError(f"cannot write the report into {out_dir}: {_reason(exc)}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _remove_stale_tables(folder: Path, placed: list[Path]) -> None:
    """Section tables an earlier report wrote that this one did not (a competitor filtered out,
    a section with no rows now): left in place, they would read as part of this report.
    Only ``<section>-<table>.csv`` files of registered sections are ours to remove; any other
    file in the folder is the user's and stays."""
    prefixes = tuple(f"{section.key}-" for section in registered_sections())
    kept = {path.name for path in placed}
    for path in folder.glob("*.csv"):
        if path.name not in kept and path.name.startswith(prefixes):
            path.unlink(missing_ok=True)


def _staging_folder(out_dir: Path) -> Path:
    """A new empty folder on the same file system as ``out_dir`` (renames are atomic)."""
    prefix = f"{STAGING}{out_dir.resolve().name}-{os.getpid()}-"
    for parent in (out_dir.resolve().parent, out_dir):
        try:
            return Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
        except OSError as exc:
            error = exc
    raise ReportError(f"cannot write the report into {out_dir}: {_reason(error)}")


def _remove_stale_staging(out_dir: Path) -> None:
    """Staging folders of report processes that are gone (killed while writing), whatever
    folder they were writing: a killed report's folder may never be written again, so
    waiting for a report to the same folder would leave its staging behind for good."""
    for parent in (out_dir.resolve().parent, out_dir):
        try:
            candidates = list(parent.glob(f"{STAGING}*-*-*"))
        except OSError:
            continue
        for folder in candidates:
            # <STAGING><folder name>-<pid>-<mkdtemp suffix>; the folder name may hold dashes,
            # the suffix never does.
            pid = folder.name.rsplit("-", 2)[-2]
            if pid.isdigit() and not process_alive(int(pid)) and folder.is_dir():
                shutil.rmtree(folder, ignore_errors=True)


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)
