"""Small text files the user names (a targets, taxonomy or rates file), read with care: a
device such as ``/dev/zero`` or a pipe is refused unread (reading it never ends), so is a file
far larger than such a file can be; a UTF-8 byte-order mark (Windows editors write one) is
dropped."""

from __future__ import annotations

from pathlib import Path

from settings.user_errors import UserError

MAX_USER_FILE_BYTES = 10_000_000


class UserFileError(UserError):
    """The file cannot be read as text; the message names it and says why."""


def read_user_text(path: Path, what: str, max_bytes: int = MAX_USER_FILE_BYTES) -> str:
    """The text of ``path`` (``what``: e.g. "targets file", for messages); UserFileError
    when it is missing, a folder, not a regular file, too large or not UTF-8."""
    try:
        if path.is_dir():
            raise UserFileError(f"{what} {path} is a folder")
        if path.exists() and not path.is_file():
            raise UserFileError(f"{what} {path} is not a regular file (a device, a pipe?)")
        if path.is_file() and path.stat().st_size > max_bytes:
            raise UserFileError(
                f"{what} {path} is larger than {max_bytes // 1_000_000} MB: not a {what}"
            )
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UserFileError(f"{what} {path} does not exist") from None
    except UnicodeDecodeError as exc:
        raise UserFileError(
            f"{what} {path} is not UTF-8 text ({exc.reason} at byte {exc.start})"
        ) from None
    except OSError as exc:  # no permission, ...
        raise UserFileError(f"cannot read {what} {path}: {exc.strerror or exc}") from None
