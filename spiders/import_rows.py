"""Streams the rows of an import file (CSV/TSV or JSON lines) with bounded memory.

Every row comes with the line it starts on. A row that cannot be read (a line longer than
``MAX_LINE_CHARS``, JSON nested too deep, an unterminated quote, a wrong number of fields)
is yielded as a ``BadRow`` and reading goes on with the next line: a broken row is never
merged with the rows after it. Problems that concern the whole file (missing, not a file,
wrong encoding, no header, unknown columns) raise ``ImportFileError`` before any row is
yielded, so nothing is stored from a file that cannot be read as a whole.
"""

from __future__ import annotations

import codecs
import csv
import json
import re
import unicodedata
from collections import deque
from collections.abc import Generator, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import IO, Any

from settings.close_names import close_names
from settings.user_errors import UserError

MAX_LINE_CHARS = 1_000_000
"""A longer physical line is rejected (review texts are capped at 50,000 characters)."""
MAX_ROW_CHARS = 2_000_000
"""A CSV row (quoted fields may span lines) longer than this is rejected."""
CHUNK = 1 << 20
SHOWN_NAMES = 10
IGNORED = "-"
"""What ``renamed`` reads a field as that ``import --ignore`` names: no column of ours; the
rows are read without it (in JSON, an object named goes with its fields)."""
"""Unknown column names an error lists."""
JSON_SUFFIXES = (".jsonl", ".ndjson", ".json")
CSV_SUFFIXES = (".csv", ".tsv", ".txt")


class ImportFileError(UserError):
    """The file cannot be imported at all (unreadable, unknown format, no usable columns)."""


@dataclass(frozen=True)
class BadRow:
    """A row that could not be read, and why."""

    reason: str


Row = dict[str, Any] | BadRow


def column_name(name: str) -> str:
    """A column's name as compared: spaces around it dropped, lower case, and composed
    (NFC): a header saved decomposed ("Treść" with its accents as characters of their own),
    as macOS tools write it, looked the same as the "Treść" typed in --column and was
    refused as another column."""
    return unicodedata.normalize("NFC", name.strip().lower())


def check_encoding(encoding: str) -> str:
    """The codec's canonical name; ImportFileError for an unknown one or one that is not text."""
    try:
        codec = codecs.lookup(encoding)
    except LookupError:
        raise ImportFileError(
            f"unknown encoding {encoding!r}; use e.g. utf-8, cp1252, cp1250 or latin-1"
        ) from None
    # rot13, base64, zlib...: codecs from bytes to bytes or str to str, which cannot read a file
    if not getattr(codec, "_is_text_encoding", True):
        raise ImportFileError(
            f"{encoding!r} is not a text encoding; use e.g. utf-8, cp1252, cp1250 or latin-1"
        )
    return codec.name


_DECODED: deque[tuple[str, int, int, int, str]] = deque(maxlen=8)
"""Files (path, inode, size, modification time, encoding) decoded whole without an error."""


def check_decodable(path: Path, encoding: str) -> None:
    """Decode the whole file once, in chunks, so a bad byte stops the import before any row
    is stored (and says where it is). A file read again unchanged (the kind, then the header,
    then the rows) is decoded once."""
    try:
        stat = path.stat()
        seen = (str(path.resolve()), stat.st_ino, stat.st_size, stat.st_mtime_ns, encoding)
    except OSError:
        seen = None  # _open_binary says why
    if seen is not None and seen in _DECODED:
        return
    _decode_whole(path, encoding)
    if seen is not None:
        _DECODED.append(seen)


_UTF16_MARKS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
"""How a UTF-16 file begins (Excel's "Unicode text" export, many Windows tools)."""


def default_encoding(path: Path) -> str:
    """The encoding of a file imported without ``--encoding``: UTF-16 when it begins with
    UTF-16's byte-order mark (Excel's "Unicode text"), else UTF-8 (a UTF-8 mark is skipped)."""
    with _open_binary(path) as handle:
        return "utf-16" if handle.read(2) in _UTF16_MARKS else "utf-8"


def _utf16_without_mark(start: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when the file's first bytes are text in it without a
    byte-order mark (a tool's "Unicode" export: every other byte 0, as ASCII letters and
    digits are written there), else None. UTF-8 and the 8-bit encodings write no 0 byte in
    text."""
    pairs = [start[i : i + 2] for i in range(0, len(start) - 1, 2)]
    if len(pairs) < 4:
        return None
    for name, zero, other in (("utf-16-le", 1, 0), ("utf-16-be", 0, 1)):
        if sum(1 for p in pairs if p[zero] == 0 and p[other] != 0) * 2 >= len(pairs):
            return name
    return None


def _decode_whole(path: Path, encoding: str) -> None:
    decoder = codecs.getincrementaldecoder(encoding)()
    offset = 0
    with _open_binary(path) as handle:
        start = handle.read(64)
        handle.seek(0)
        utf16 = not codecs.lookup(encoding).name.startswith("utf-16")
        if start[:2] in _UTF16_MARKS and utf16:
            # utf-8 fails on its first byte; latin-1 or cp1250 read every other character
            # as NUL and the rows as broken
            raise ImportFileError(
                f"{path} is UTF-16 text (it begins with UTF-16's byte-order mark), not "
                f"{encoding}: pass --encoding utf-16"
            )
        unmarked = _utf16_without_mark(start) if utf16 else None
        if unmarked is not None:
            # Read as UTF-8 it decoded without an error, into columns named "t\x00e\x00x\x00t"
            raise ImportFileError(
                f"{path} looks like UTF-16 text without a byte-order mark (every other byte "
                f"is 0), not {encoding}: pass --encoding {unmarked}"
            )
        while True:
            chunk = handle.read(CHUNK)
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:
                where = offset + max(exc.start, 0)
                raise ImportFileError(
                    f"{path} is not {encoding} text (byte {exc.object[exc.start]:#x} at offset "
                    f"{where}); re-save it as UTF-8 or pass --encoding (e.g. cp1250, latin-1)"
                ) from None
            except UnicodeError as exc:  # e.g. UTF-16 without its byte-order mark
                raise ImportFileError(f"{path} is not {encoding} text ({exc})") from None
            if not chunk:
                return
            offset += len(chunk)


def check_readable(path: Path) -> None:
    """ImportFileError now for a file the import could not open (missing, a folder, not
    readable): said before anything else is looked at, the database included."""
    _open_binary(path).close()


def _open_binary(path: Path) -> IO[bytes]:
    try:
        if path.is_dir():
            raise ImportFileError(f"{path} is a folder, not a CSV or JSON-lines file")
        if path.exists() and not path.is_file():
            raise ImportFileError(f"{path} is not a regular file (a CSV or JSON-lines file)")
        return path.open("rb")
    except FileNotFoundError:
        raise ImportFileError(f"{path} not found") from None
    except IsADirectoryError:
        raise ImportFileError(f"{path} is a folder, not a CSV or JSON-lines file") from None
    except PermissionError:
        raise ImportFileError(f"{path} cannot be read (permission denied)") from None


class _OverlongLine(Exception):
    pass


class _Lines:
    """Physical lines of a text file, at most ``MAX_LINE_CHARS`` each, with their numbers;
    lines can be pushed back to be read again (to re-read the rows a broken row swallowed).
    An over-long line is skipped to its end without being held in memory, and reported by
    raising ``_OverlongLine`` (the iterator carries on after it)."""

    def __init__(self, handle: IO[str]) -> None:
        self.handle = handle
        self.number = 0
        """Number of the last line handed out."""
        self.read = 0
        """Number of the last line read from the file."""
        self.taken: list[tuple[int, str]] = []
        """Lines handed out since ``mark()``."""
        self.pushed: deque[tuple[int, str]] = deque()

    def __iter__(self) -> _Lines:
        return self

    def mark(self) -> int:
        """Start a new row; the number of the line it starts on."""
        self.taken = []
        return self.pushed[0][0] if self.pushed else self.read + 1

    def push_back(self, lines: list[tuple[int, str]]) -> None:
        self.pushed.extendleft(reversed(lines))

    def __next__(self) -> str:
        if self.pushed:
            self.number, line = self.pushed.popleft()
        else:
            line = self.handle.readline(MAX_LINE_CHARS + 1)
            if not line:
                raise StopIteration
            self.read += 1
            self.number = self.read
            if len(line) > MAX_LINE_CHARS and not line.endswith("\n"):
                while True:  # skip the rest of the line, a chunk at a time
                    rest = self.handle.readline(CHUNK)
                    if not rest or rest.endswith("\n"):
                        break
                raise _OverlongLine()
        if self.number == 1:
            line = line.removeprefix("\ufeff")
        self.taken.append((self.number, line))
        return line


def read_rows(
    path: Path,
    encoding: str,
    known: tuple[str, ...] | None = None,
    renamed: Mapping[str, str] | None = None,
    seen: FieldsSeen | None = None,
    header: list[str] | None = None,
) -> Generator[tuple[int, Row], None, None]:
    """(line number, row) for each row of ``path``; see the module docstring.

    ``known``: the columns the caller reads; a header with others is refused (naming them).
    ``renamed``: the file's column (any case) -> the name it is read as (``--column``), for
    exports whose headers are not ours ("Kommentar", "Review Content"); a column named
    there that the file lacks is refused. In JSON it may be a dotted path into nested
    objects ("consumer.displayName", "rating.value"): a row without it leaves it out, as a
    row may leave out any key; ``seen`` collects which of them the rows hold (JSON only).
    ``header`` gets a CSV's column names (as read, ``--column`` applied) once its header
    line is read: a file of a header and no row still says what it holds.
    """
    renamed = {column_name(k): v for k, v in (renamed or {}).items()}
    encoding = check_encoding(encoding)
    suffix = path.suffix.lower()
    if suffix not in JSON_SUFFIXES + CSV_SUFFIXES:
        _open_binary(path).close()  # a missing file is reported as such
        raise ImportFileError(
            f"{path}: use a .csv, .tsv or .jsonl file (JSON lines: one object per line)"
        )
    check_decodable(path, encoding)
    with path.open(encoding=encoding, newline="") as text:
        if suffix in JSON_SUFFIXES and _opens_array(text):
            yield from _json_array_rows(text, known, renamed, seen)
        elif suffix in JSON_SUFFIXES:
            yield from _json_rows(_Lines(text), known, renamed, seen)
        else:
            dialect, directive = _dialect(path, suffix, encoding)
            lines = _Lines(text)
            if directive:
                next(lines)  # "sep=;": the delimiter, no header
            yield from _csv_rows(path, lines, dialect, known, renamed, header)


def _opens_array(text: IO[str]) -> bool:
    """Whether the JSON file ``text`` holds one array (its first character other than a
    byte-order mark and spaces is "["); ``text`` is back at its start."""
    start = text.read(4096).lstrip("\ufeff" + _JSON_SPACE)
    text.seek(0)
    return start.startswith("[")


def _json_rows(
    lines: _Lines,
    known: tuple[str, ...] | None,
    renamed: dict[str, str],
    seen: FieldsSeen | None = None,
) -> Iterator[tuple[int, Row]]:
    unknown_seen: set[str] = set()
    while True:
        lines.mark()  # one line per row: the lines read before it are let go
        try:
            line = next(lines)
        except StopIteration:
            return
        except _OverlongLine:
            yield lines.number, BadRow(f"line longer than {MAX_LINE_CHARS:,} characters")
            continue
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            yield (
                lines.number,
                BadRow(f"not valid JSON ({exc.msg.removesuffix(' at')} at column {exc.colno})"),
            )
            continue
        except RecursionError:
            yield lines.number, BadRow("JSON nested too deep")
            continue
        except ValueError:  # int() refuses more digits: Python's guard against slow parsing
            yield lines.number, BadRow("a number of more than 4,300 digits")
            continue
        if isinstance(value, list):  # a whole .json export on one line, most likely
            yield lines.number, BadRow("a JSON array: write one object per line (JSON lines)")
            continue
        yield lines.number, _json_row(value, known, renamed, unknown_seen, seen)


def _json_row(
    value: Any,
    known: tuple[str, ...] | None,
    renamed: dict[str, str],
    unknown_seen: set[str],
    seen: FieldsSeen | None = None,
) -> Row:
    """One JSON object as a row. A row with a key ``known`` does not hold is refused, every
    such row (``unknown_seen``: the unknown keys met so far, for ``unknown_fields``): the
    first was refused and the rest stored without the field, so one row of a file's same
    shape was lost. An object we do not read is named by the dotted paths of its fields
    ("consumer.countrycode"), which ``--column`` takes; an object under a name we read
    ("rating": {"value": 4}) is refused, naming its fields."""
    if not isinstance(value, dict):
        return BadRow("a JSON row must be an object")
    row = {column_name(str(k)): v for k, v in value.items()}
    if renamed:  # JSON rows may leave keys out: a row without the column is fine
        named = _renamed_row(row, renamed, seen)
        if isinstance(named, BadRow):
            return named
        row = named
        row.pop(IGNORED, None)  # --ignore: left unread, an object with its fields
    row = _flattened(row, known or ())
    if known is not None:
        unknown = sorted(k for k in row if k not in known)
        if unknown:
            unknown_seen.update(unknown)
            return BadRow(
                f"unknown {'field' if len(unknown) == 1 else 'fields'} "
                f"{_listed(unknown)}{_suggest(unknown[:SHOWN_NAMES], known)}"
            )
    nested = sorted(k for k, v in row.items() if isinstance(v, dict | list))
    if nested:
        inside = next((k for k in nested if isinstance(row[k], dict) and row[k]), None)
        hint = ""
        if inside is not None:
            source = next((s for s, n in renamed.items() if n == inside), inside)
            fields = [f"{source}.{leaf}" for leaf in _flattened({"": row[inside]}, ())]
            hint = (
                f" ({source!r} is an object holding {_listed(fields)}: "
                f"--column {inside}={fields[0]} reads one of them)"
            )
        return BadRow(f"{', '.join(nested)}: a value must be text or a number{hint}")
    return row


@dataclass
class FieldsSeen:
    """Which fields ``--column`` names (dotted paths too) the JSON rows read hold."""

    found: set[str] = field(default_factory=set)
    missed: dict[str, str] = field(default_factory=dict)
    """Each field no row held yet -> what the first row without it holds there."""


_ABSENT = object()


def _at_path(row: dict[str, Any], path: str) -> tuple[Any, list[tuple[dict[str, Any], Any]]]:
    """The value at ``path`` in ``row`` (its own key, dots and all, first; else a dotted
    path into nested objects, each key compared as ``column_name``), and the (object, key)
    pairs that lead to it; ``_ABSENT`` when the row has none. A null object on the way
    ("consumer": null) holds null."""
    if path in row:
        return row[path], [(row, path)]
    steps: list[tuple[dict[str, Any], Any]] = []
    here: Any = row
    for part in path.split(".") if "." in path else ():
        if here is None:
            return None, steps
        if not isinstance(here, dict):
            return _ABSENT, steps
        key = (
            part
            if part in here
            else next((k for k in here if column_name(str(k)) == part), _ABSENT)
        )
        if key is _ABSENT:
            return _ABSENT, steps
        steps.append((here, key))
        here = here[key]
    return (here, steps) if steps else (_ABSENT, steps)


def _missing_field(row: dict[str, Any], path: str) -> str:
    """What ``row`` holds where ``path`` is not, in words."""
    _, steps = _at_path(row, path)
    where: Any = steps[-1][0][steps[-1][1]] if steps else row
    named = ".".join(column_name(str(k)) for _, k in steps)
    if not isinstance(where, dict):
        shown = "a list" if isinstance(where, list) else repr(where)[:30]
        return f"its {named!r} is {shown}, not an object"
    fields = [column_name(str(k)) for k in where]
    holds = f"its {named!r} holds" if named else "it holds"
    return f"{holds} {_listed(fields)}" if fields else f"its {named!r} is empty"


def _renamed_row(
    row: dict[str, Any], renamed: dict[str, str], seen: FieldsSeen | None = None
) -> Row:
    """``row`` with the fields ``--column`` names under our names. A field taken from inside
    an object is taken out of it (an object left empty goes too), so that what is left are
    the fields we do not read."""
    out: dict[str, Any] = {}
    taken: list[list[tuple[dict[str, Any], Any]]] = []
    for source, name in renamed.items():
        value, steps = _at_path(row, source)
        if seen is not None and source not in seen.found:
            if value is _ABSENT:
                seen.missed.setdefault(source, _missing_field(row, source))
            elif source in row or len(steps) == source.count(".") + 1:
                seen.found.add(source)  # not through a null object: that holds no field
        if value is not _ABSENT:
            out[name] = value
            taken.append(steps)
    for steps in taken:
        for depth in range(len(steps) - 1, -1, -1):
            parent, key = steps[depth]
            if depth == len(steps) - 1 or parent.get(key) in ({}, None):
                parent.pop(key, None)
    twice = sorted(name for name in row if name in out and not isinstance(row[name], dict))
    if twice:
        return BadRow(f"{_listed(twice)} given both as itself and through --column")
    for name, value in row.items():
        if name in out:  # an object left under a name we read: its fields, by their path
            out.update(_flattened({name: value}, ()))
        else:
            out[name] = value
    return out


def _flattened(row: dict[str, Any], keep: tuple[str, ...]) -> dict[str, Any]:
    """``row`` with each object under a name not in ``keep`` replaced by its fields, named
    by their dotted path ("consumer.displayname"); empty objects give none."""
    if not any(isinstance(v, dict) and k not in keep for k, v in row.items()):
        return row
    out: dict[str, Any] = {}
    for key, value in row.items():
        if not isinstance(value, dict) or key in keep:
            out[key] = value
            continue
        stack = [(key, value)]  # not recursive: an object may be nested as deep as JSON allows
        while stack:
            prefix, obj = stack.pop()
            inner = [(f"{prefix}.{column_name(str(k))}".lstrip("."), v) for k, v in obj.items()]
            for name, item in reversed(inner):
                if isinstance(item, dict):
                    stack.append((name, item))
            out.update((name, item) for name, item in inner if not isinstance(item, dict))
    return out


_JSON_SPACE = " \t\r\n"


def _json_array_rows(
    text: IO[str],
    known: tuple[str, ...] | None,
    renamed: dict[str, str],
    seen: FieldsSeen | None = None,
) -> Iterator[tuple[int, Row]]:
    """The objects of a file holding one JSON array (``[{...}, {...}]``, pretty-printed or
    not, as most tools export JSON), read one at a time: memory holds one object (at most
    ``MAX_ROW_CHARS``) and a chunk, whatever the file's size. A syntax error ends the
    reading (an array cannot be re-synchronised like lines): its row says where, and the
    rows before it are kept."""
    decoder = json.JSONDecoder()
    unknown_seen: set[str] = set()
    buffer, at, line, ended = text.read(CHUNK).removeprefix("\ufeff"), 0, 1, False
    start_column = 0  # buffer[0]'s column on its line, 0-based: the buffer is let go in chunks

    def column(pos: int) -> int:
        """``buffer[pos]``'s column on its line, 1-based as json says it."""
        newline = buffer.rfind("\n", 0, pos)
        return pos - newline if newline >= 0 else start_column + pos + 1

    def let_go(upto: int) -> None:
        nonlocal buffer, at, start_column
        start_column = column(upto) - 1
        buffer, at = buffer[upto:], 0

    def skip(chars: str) -> None:
        nonlocal buffer, at, line, ended
        while True:
            while at < len(buffer) and buffer[at] in chars:
                line += buffer[at] == "\n"
                at += 1
            if at < len(buffer) or ended:
                return
            let_go(at)
            buffer = text.read(CHUNK)
            ended = not buffer

    def syntax_error(why: str) -> BadRow:
        return BadRow(
            f"not valid JSON ({why} at line {line}, column {column(at)}); "
            "the array is not read past it"
        )

    skip(_JSON_SPACE)
    at += 1  # the "["
    first = True
    while True:
        skip(_JSON_SPACE)
        if at < len(buffer) and not first:  # objects are parted by one comma, no fewer
            if buffer[at] not in ",]":
                yield line, syntax_error("Expecting ',' delimiter")
                return
            if buffer[at] == ",":
                at += 1
                skip(_JSON_SPACE)
                if at < len(buffer) and buffer[at] in ",]":  # [{..},,{..}] or [{..},]
                    yield line, syntax_error("Expecting value")
                    return
        elif at < len(buffer) and buffer[at] == ",":  # [,{..}]
            yield line, syntax_error("Expecting value")
            return
        if at >= len(buffer):  # a download or export cut short: not the whole file
            yield line, BadRow("the file ends before the JSON array's closing ']' (cut short?)")
            return
        if buffer[at] == "]":
            return
        first = False
        while True:
            try:
                value, end = decoder.raw_decode(buffer, at)
                break
            except json.JSONDecodeError as exc:
                more = "" if ended else text.read(CHUNK)
                if not more or len(buffer) - at > MAX_ROW_CHARS:
                    where = line + exc.lineno - 1 - buffer.count("\n", 0, at)
                    # json's "Invalid control character at" ends with its own "at"
                    why = (
                        f"not valid JSON ({exc.msg.removesuffix(' at')} at line {where}, "
                        f"column {column(exc.pos)})"
                    )
                    if more:
                        why = f"JSON object longer than {MAX_ROW_CHARS:,} characters"
                    yield line, BadRow(f"{why}; the array is not read past it")
                    return
                let_go(at)
                buffer += more
            except RecursionError:
                yield line, BadRow("JSON nested too deep; the array is not read past it")
                return
            except ValueError:  # int() refuses more digits: Python's guard against slow parsing
                yield line, BadRow("a number of more than 4,300 digits")
                return
        yield line, _json_row(value, known, renamed, unknown_seen, seen)
        line += buffer.count("\n", at, end)
        at = end
        if at > CHUNK:  # what was read is let go
            let_go(at)


def _check_renamed(path: Path, renamed: dict[str, str], header: list[str]) -> None:
    """Every column ``--column`` names is in the CSV header."""
    missing = [column for column in renamed if column not in header]
    if missing:
        dotted = any("." in column for column in missing)
        raise ImportFileError(
            f"{path} has no column {_listed(missing)} (--column); its columns are "
            f"{_listed([name for name in header if name])}"
            + (
                "; a dotted path reads inside JSON objects, a CSV's columns are flat"
                if dotted
                else ""
            )
        )


def _listed(names: list[str]) -> str:
    """The first ``SHOWN_NAMES`` names, quoted: a header of 50,000 columns made a 489 KB line."""
    shown = ", ".join(map(repr, names[:SHOWN_NAMES]))
    return f"{shown} and {len(names) - SHOWN_NAMES} more" if len(names) > SHOWN_NAMES else shown


def _suggest(unknown: list[str], known: tuple[str, ...]) -> str:
    hints = [f"{name!r} -> {close[0]!r}" for name in unknown if (close := close_names(name, known))]
    return f" (did you mean {', '.join(hints)}?)" if hints else ""


_SEP_DIRECTIVE = re.compile(r'"?sep=([^\r\n"])"?[ \t]*(?:\r\n|\r|\n|$)', re.IGNORECASE)
"""Excel's first line naming the delimiter ("sep=;"), which many shop systems write for it."""


def _dialect(path: Path, suffix: str, encoding: str) -> tuple[Any, bool]:
    """The file's CSV dialect, and whether its first line is a ``sep=`` directive (the
    delimiter it names, not a header)."""
    with path.open(encoding=encoding, newline="") as handle:
        sample = handle.read(4096).removeprefix("\ufeff")
    directive = _SEP_DIRECTIVE.match(sample)
    if directive is not None:
        return SimpleNamespace(delimiter=directive.group(1)), True
    if suffix == ".tsv":
        return "excel-tab", False
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t"), False
    except csv.Error:
        return "excel", False


class _StrictDialect(csv.Dialect):
    """The sniffed dialect, strict: a stray quote is an error, not a merged row."""

    lineterminator = "\r\n"
    quoting = csv.QUOTE_MINIMAL
    strict = True


def _csv_rows(
    path: Path,
    lines: _Lines,
    found: Any,
    known: tuple[str, ...] | None,
    renamed: dict[str, str],
    header_out: list[str] | None = None,
) -> Iterator[tuple[int, Row]]:
    dialect = type(
        "ImportDialect",
        (_StrictDialect,),
        {
            "delimiter": getattr(found, "delimiter", "\t" if found == "excel-tab" else ","),
            "quotechar": getattr(found, "quotechar", '"') or '"',
            # csv.Sniffer says "no doubled quotes" whenever its 4 KB sample shows none, and a
            # later '"He said ""no"""' then split into stray fields (22,577 of 53,278 rows of
            # a csv.writer file rejected). Doubled quotes are standard CSV (RFC 4180): kept on
            # unless the file escapes quotes with a character instead.
            "doublequote": getattr(found, "escapechar", None) is None
            or getattr(found, "doublequote", True),
            "escapechar": getattr(found, "escapechar", None),
            "skipinitialspace": getattr(found, "skipinitialspace", False),
        },
    )
    csv.field_size_limit(MAX_ROW_CHARS)
    reader = csv.reader(lines, dialect=dialect)
    header: list[str] | None = None
    while header is None:
        lines.mark()
        try:
            first = next(reader)
        except StopIteration:
            raise ImportFileError(f"{path} has no header line") from None
        except (csv.Error, _OverlongLine):
            raise ImportFileError(f"{path}: the header line cannot be read as CSV") from None
        if any(cell.strip() for cell in first):
            header = [column_name(cell) for cell in first]
    if renamed:
        _check_renamed(path, renamed, header)
        header = [renamed.get(name, name) for name in header]
    if header_out is not None:
        header_out[:] = header
    names = [name for name in header if name and name != IGNORED]
    duplicated = sorted({name for name in names if names.count(name) > 1})
    if duplicated:
        raise ImportFileError(f"{path}: column {', '.join(map(repr, duplicated))} appears twice")
    if known is not None:
        unknown = [name for name in names if name not in known]
        if unknown:
            raise ImportFileError(
                f"{path}: unknown {'column' if len(unknown) == 1 else 'columns'} "
                f"{_listed(unknown)}{_suggest(unknown[:SHOWN_NAMES], known)}; "
                f"the columns read are {', '.join(known)} (--column NAME=COLUMN reads a column "
                "of yours as one of them, --ignore COLUMN leaves one unread)"
            )
    width = len(header)
    unnamed_columns = [i for i, name in enumerate(header) if not name]
    ignored = IGNORED in header
    while True:
        start = lines.mark()
        try:
            cells = next(reader)
        except StopIteration:
            return
        except _OverlongLine:
            if lines.number != start:  # the long line is inside a quoted field begun earlier
                yield start, BadRow("unterminated quote (the row runs into the next lines)")
            yield lines.number, BadRow(f"line longer than {MAX_LINE_CHARS:,} characters")
            _resync(lines, start)
            continue
        except csv.Error as exc:
            yield start, BadRow(_csv_problem(str(exc)))
            _resync(lines, start)
            continue
        if not any(cell.strip() for cell in cells):
            # A blank line, or a spreadsheet's empty row (";;;;"): no row, nothing to reject.
            continue
        if len(cells) != width:
            if len(lines.taken) > 1:
                yield start, BadRow("unterminated quote (the row runs into the next lines)")
                _resync(lines, start)
            elif len(cells) > width:
                extra = ", ".join(repr(c[:30]) for c in cells[width:])
                yield start, BadRow(f"{len(cells)} fields, the header has {width} (extra: {extra})")
            else:
                yield start, BadRow(f"{len(cells)} fields, the header has {width}")
            continue
        if not unnamed_columns and not ignored:
            yield start, dict(zip(header, cells, strict=True))
            continue
        unnamed = next((i for i in unnamed_columns if cells[i].strip()), None)
        if unnamed is not None:  # a trailing comma is fine, a value nobody reads is not
            yield (
                start,
                BadRow(
                    f"{cells[unnamed][:30]!r} in column {unnamed + 1}, which the header does not name"
                ),
            )
            continue
        yield (
            start,
            {
                name: value
                for name, value in zip(header, cells, strict=True)
                if name and name != IGNORED
            },
        )


def _csv_problem(message: str) -> str:
    if "field larger than field limit" in message:
        return f"field longer than {MAX_ROW_CHARS:,} characters"
    if "unexpected end of data" in message or "expected after" in message:
        return f"unterminated or stray quote ({message})"
    return f"not valid CSV ({message})"


def _resync(lines: _Lines, start: int) -> None:
    """Read again every line the broken row took after its first one."""
    again = [(number, line) for number, line in lines.taken if number > start]
    lines.push_back(again)
