"""Pseudonyms for reviewers: a keyed hash, so raw names are never stored.

The key comes from ``RIVALSCOPE_PSEUDONYM_KEY`` if set; otherwise a random key is
created once per database and kept in its ``meta`` table. Keep the environment
variable (and out of the database) where the database is shared: whoever holds the
key can test guesses of a name against the pseudonyms.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from functools import lru_cache
from typing import Any

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


def existing_pseudonym_key(engine: Engine) -> bytes | None:
    """The key for this database if it has one already (a dry run creates none)."""
    env = os.environ.get(KEY_ENV)
    if env:
        return env.encode("utf-8")
    with Session(engine) as session:
        row = session.get(Meta, _META_KEY)
    return None if row is None else row.value.encode("utf-8")


def pseudonymize(name: str | None, key: bytes) -> str | None:
    """16-hex-character pseudonym of a reviewer name (case and spacing ignored): the first 8
    bytes of its HMAC-SHA256 under ``key``."""
    if not name or not name.strip():
        return None
    normalized = " ".join(name.split()).casefold()
    inner, outer = _hmac_pads(key)
    # HMAC from SHA-256 states with the key's pads hashed in once per key (RFC 2104): the
    # same bytes as hmac.digest, a third of its time (OpenSSL sets up HMAC on every call).
    hashed = inner.copy()
    hashed.update(normalized.encode("utf-8"))
    final = outer.copy()
    final.update(hashed.digest())
    return final.digest()[:8].hex()


@lru_cache(maxsize=4)
def _hmac_pads(key: bytes) -> tuple[Any, Any]:
    """SHA-256 states after ``key`` XOR ipad and ``key`` XOR opad (RFC 2104)."""
    block = hashlib.sha256().block_size
    if len(key) > block:
        key = hashlib.sha256(key).digest()
    key = key.ljust(block, b"\0")
    return (
        hashlib.sha256(bytes(b ^ 0x36 for b in key)),
        hashlib.sha256(bytes(b ^ 0x5C for b in key)),
    )
