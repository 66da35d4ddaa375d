"""``rivalscope db merge-copies``: work on the stored data itself."""

from __future__ import annotations

from typing import Annotated

import typer

from rivalscope.display import console, keyless_text
from rivalscope.options import DbOption
from settings.user_errors import UserError

db_app = typer.Typer(help="Maintain the stored data.", no_args_is_help=True)


@db_app.command("merge-copies")
def merge_copies(
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", "-n", help="Count the copies; change nothing."),
    ] = False,
    db: DbOption = None,
) -> None:
    """Merge the reviews stored twice, read two ways: a review widget's API with the site's
    review id and the rendered page without it (one maybe cut short with "…").

    A crawl keeps such copies to one row now; copies stored by earlier versions stay two
    rows, and every share and count of a report counts them twice, until this merges them
    by the same rules: same source and product, the same text or one cut
    short that the other starts with (8 words at least), no other rating or date, not two
    site ids. The row with the site's id (else the older) is kept and takes what the other
    adds; the other's aliases and the findings citing it name the kept row (its analysis
    too, when it is of the text kept), and its key becomes an alias: a crawl that reads it
    again adds no row. Rows an older rivalscope stored without keys (a crawl started before
    the upgrade, still writing) are keyed first and merged the same way, and into the row
    of the same review stored under another product.

    Each batch is merged in one transaction: stopped half-way, the database is as after
    the last batch, and running the command again finishes the rest; run with nothing
    left, it changes nothing. It refuses while a crawl or import is writing.

    Example: rivalscope db merge-copies --dry-run
    """
    # Imported here: the storage stack takes half a second; --help need not wait.
    from storage.db import WRITING, database_url, describe_url, open_database
    from storage.merge_copies import merge_stored_copies
    from storage.run_history import running_now

    url = database_url(db)
    engine = open_database(url, existing=True, bounded_waits=WRITING)
    try:
        running = running_now(engine)
        if running and not dry_run:
            name, run = running[0]
            raise UserError(
                f"run {run.id} of {name} is writing to {describe_url(url)}: merge when no "
                "crawl or import runs (--dry-run counts meanwhile)"
            )
        counts = merge_stored_copies(engine, dry_run=dry_run)
    finally:
        engine.dispose()
    would = "would be " if dry_run else ""
    if counts.keyless:
        removed = None if dry_run else counts.keyless_removed
        console.print(keyless_text(counts.keyless, removed), markup=False)
    if not counts.removed:
        console.print(
            f"no review is stored twice in {describe_url(url)} "
            f"({counts.shared_keys} texts start alike in several rows: different reviews)",
            markup=False,
        )
        return
    console.print(
        f"{counts.removed} review rows {would}merged into {counts.kept} "
        f"({counts.whole_texts} taking the whole text of a cut copy) in {describe_url(url)}",
        markup=False,
    )
    if dry_run:
        console.print("nothing changed: run without --dry-run to merge", markup=False)
        return
    console.print(
        f"  aliases moved: {counts.aliases_moved}; findings whose evidence names the kept "
        f"review: {counts.findings}; analyses kept: {counts.analyses_kept}; reviews to "
        f"analyse again (`rivalscope analyze`): {counts.to_analyse}",
        markup=False,
    )


@db_app.command("read-as")
def read_as(
    language: Annotated[
        str, typer.Argument(help="The language the reviews are in (a code: no, da, sv, ...).")
    ],
    source: Annotated[
        str,
        typer.Option(
            "--source", "-s", help="Source whose reviews to read so (as `runs` names it)."
        ),
    ],
    from_languages: Annotated[
        str | None,
        typer.Option(
            "--from",
            help="Detected languages to read as LANGUAGE, comma-separated (default for a "
            "Scandinavian language: its Scandinavian neighbours).",
            show_default=False,
        ),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", "-n", help="Count the reviews; change nothing."),
    ] = False,
    db: DbOption = None,
) -> None:
    """Read a source's stored reviews in the language you say, where detection read another.

    Short texts are often detected as a neighbouring language (a Norwegian shop's short
    reviews as Danish, so they lose aspects, needs and the Norwegian model). Setting the
    source's language in the targets file (or importing with --language) fixes new
    reviews; this gives the reviews already stored the language, and `rivalscope analyze`
    then reads them again. Only detected languages change (not one a page or a file
    stated). One transaction: all or nothing.

    Example: rivalscope db read-as no --source fjellpakk-shop --dry-run
    """
    from rivalscope.commands.runs import check_source
    from settings.language_detection import SCANDINAVIAN
    from settings.languages import known_language_code
    from storage.db import WRITING, database_url, describe_url, open_database
    from storage.review_languages import relabel_detected
    from storage.run_history import source_names

    try:
        code = known_language_code(language)
        old = (
            {known_language_code(part) for part in from_languages.split(",") if part.strip()}
            if from_languages is not None
            else set(SCANDINAVIAN) - {code}
            if code in SCANDINAVIAN
            else set()
        )
    except ValueError as exc:
        raise UserError(str(exc)) from None
    old.discard(code)
    if not old:
        raise UserError(
            f"--from: say which detected languages to read as {code} (e.g. --from en,de)"
        )
    url = database_url(db)
    engine = open_database(url, existing=True, bounded_waits=WRITING)
    try:
        try:
            found = relabel_detected(engine, source, code, old, dry_run=dry_run)
        except KeyError:
            check_source(source, source_names(engine))
            raise
    finally:
        engine.dispose()
    if not found.reviews:
        console.print(
            f"no review of {source} in {describe_url(url)} was detected as "
            f"{' or '.join(sorted(old))}: nothing to change",
            markup=False,
        )
        return
    detected = ", ".join(f"{n} {lang}" for lang, n in sorted(found.from_languages.items()))
    if dry_run:
        console.print(
            f"{found.reviews} reviews of {source} would be read as {code} ({detected}); "
            "nothing changed: run without --dry-run to change them",
            markup=False,
        )
        return
    console.print(
        f"{found.reviews} reviews of {source} are read as {code} now ({detected} before); "
        "run `rivalscope analyze` to analyse them in it",
        markup=False,
    )


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
