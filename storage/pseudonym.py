"""Pseudonyms for reviewers: a keyed hash, so raw names are never stored.

The key comes from ``RIVALSCOPE_PSEUDONYM_KEY`` if set; otherwise a random key is
created once per database and kept in its ``meta`` table. Keep the environment
variable (and out of the database) where the database is shared: whoever holds the
key can test guesses of a name against the pseudonyms.
"""

from __future__ import annotations

import hmac
import os
import secrets

from sqlalchemy import Engine
from sqlmodel import Session

from storage.models import Meta

KEY_ENV = "RIVALSCOPE_PSEUDONYM_KEY"
_META_KEY = "pseudonym_key"


def pseudonym_key(engine: Engine) -> bytes:
    """The key for this database (created on first use)."""
    env = os.environ.get(KEY_ENV)
    if env:
        return env.encode("utf-8")
    with Session(engine) as session:
        row = session.get(Meta, _META_KEY)
        if row is None:
            row = Meta(key=_META_KEY, value=secrets.token_hex(32))
            session.add(row)
            try:
                session.commit()
            except Exception:
                # Another process created it first; use theirs.
                session.rollback()
                row = session.get(Meta, _META_KEY)
                assert row is not None
        return row.value.encode("utf-8")


def pseudonymize(name: str | None, key: bytes) -> str | None:
    """16-hex-character pseudonym of a reviewer name (case and spacing ignored)."""
    if not name or not name.strip():
        return None
    normalized = " ".join(name.split()).casefold()
    # hmac.digest: the one-shot HMAC (same bytes as hmac.new(...).digest(), in C)
    return hmac.digest(key, normalized.encode("utf-8"), "sha256")[:8].hex()
