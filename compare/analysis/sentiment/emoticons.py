"""Emoticons and emoji as tokens: a language-independent cue of opinion in reviews and posts.

``tokenize`` keeps letters only, and the lexicon fallback's clause split (``normalise``)
reads ":" and "(" as clause ends, so "Colis arrivé :(" scored as "Colis arrivé". Here the
faces of ``data/lexicons/emoticons.txt`` (VADER's common emoticons, MIT, and a short list of
clearly positive or negative emoji; licence and sources in ``emoticons.LICENCE.txt``) are
found in the raw text first: an emoticon stands apart from words (after a space, a bracket
or a quote, or right after a word when it starts with ":", ";" or "="; before a space, the
end or punctuation), and a repeated last character reads as one (":)))" is ":)"). Emoji are
read with their variation selectors and skin tones dropped.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files

EMOTICON_CHANNEL = "emoticons"
"""Lexicon source name of the faces (``lexicon_features``)."""

_MODIFIERS = re.compile("[\ufe0f\U0001f3fb-\U0001f3ff]")
"""Emoji variation selector and skin tones: "❤️" is "❤", "👍🏽" is "👍"."""
_RIGHT = r"(?=[\s.,;!?…\"'»)\]]|$)"
_REPEATED_END = re.compile(r"(.)\1+$")


@cache
def emoticon_lexicon() -> dict[str, float]:
    """Face (as written in the data file) -> valence on VADER's scale."""
    text = files("compare.analysis").joinpath("data/lexicons/emoticons.txt").read_text("utf-8")
    out: dict[str, float] = {}
    for line in text.splitlines():
        face, _, value = line.partition("\t")
        if value and not face.startswith("#"):
            out[face] = float(value)
    return out


def _face_pattern(face: str) -> str:
    """An ASCII face, its last character repeatable (not a slash: "://" is no ":/")."""
    if face[-1] in "/\\":
        return re.escape(face)
    return re.escape(face[:-1]) + re.escape(face[-1]) + "+"


@cache
def _pattern() -> re.Pattern[str]:
    """Any face, the ASCII ones followed by a space, the end or punctuation (what comes
    before one is ``_apart``'s test: a lookbehind here made each search ~7 times slower)."""
    faces = sorted(emoticon_lexicon(), key=len, reverse=True)
    ascii_faces = "|".join(_face_pattern(f) for f in faces if f.isascii())
    emoji = "|".join(re.escape(f) for f in faces if not f.isascii())
    return re.compile(f"(?:{ascii_faces}){_RIGHT}|{emoji}")


def _apart(text: str, match: re.Match[str]) -> bool:
    """Whether the face found stands apart from what comes before it: an emoji always; an
    ASCII face after a space, a quote or a bracket, or the text's start, or (a face starting
    with ":", ";" or "=") right after a word ("arrivé:(")."""
    face = match.group()
    if not face.isascii() or match.start() == 0:
        return True
    before = text[match.start() - 1]
    return before.isspace() or before in "\"'«([" or (face[0] in ":;=" and before.isalnum())


@cache
def _quick_test() -> tuple[tuple[str, ...], re.Pattern[str]]:
    """What a text holding a face must hold: one of the ASCII faces' first characters (a
    face starting with a letter: itself), or a character from the lowest emoji's on."""
    faces = emoticon_lexicon()
    marks = {f if f[0].isalpha() else f[0] for f in faces if f.isascii()}
    lowest = min(f[0] for f in faces if not f.isascii())
    return tuple(sorted(marks)), re.compile(f"[{lowest}-\U0010ffff]")


def _face_starts(text: str) -> list[int]:
    """Where a face may start: each place of an ASCII face's first character (or whole
    face, for one starting with a letter), each character from the lowest emoji's on. A
    few ``find`` calls: one search of all the faces took ~14 µs per review."""
    marks, emoji = _quick_test()
    starts: set[int] = set()
    for mark in marks:
        at = text.find(mark)
        while at >= 0:
            starts.add(at)
            at = text.find(mark, at + 1)
    if not text.isascii():
        starts.update(m.start() for m in emoji.finditer(text))
    return sorted(starts)


def without_modifiers(text: str) -> str:
    """The text without emoji variation selectors and skin tones (ASCII text as it is)."""
    return text if text.isascii() else _MODIFIERS.sub("", text)


def face_token(found: str) -> str:
    """The lexicon's spelling of a face found in a text (":)))" -> ":)")."""
    return found if found in emoticon_lexicon() else _REPEATED_END.sub(r"\1", found)


def split_faces(text: str) -> list[str]:
    """The text cut around its faces: text, face, text, face, ..., text (odd positions are
    faces in the lexicon's spelling). One piece when it holds none."""
    starts = _face_starts(text)
    if not starts:
        return [text]
    if not text.isascii():
        text = without_modifiers(text)
        starts = _face_starts(text)
    pattern = _pattern()
    out: list[str] = []
    end = 0
    for at in starts:
        match = pattern.match(text, at) if at >= end else None
        if match is None or not _apart(text, match):
            continue
        out.extend((text[end:at], face_token(match.group())))
        end = match.end()
    out.append(text[end:])
    return out if len(out) > 1 else [text]


def leading_faces(text: str) -> int:
    """How long the text's start is that holds faces only (with white space before, between
    and after them): 0 when it does not start with a face. "Great! :) Fast delivery" split
    at its sentence end leaves ":) Fast delivery", whose face closes the sentence before."""
    at = len(text) - len(text.lstrip())
    if at == len(text):
        return 0
    marks, emoji = _quick_test()
    if not (text.startswith(marks, at) or emoji.match(text, at)):
        return 0  # most sentences: their first character starts no face
    pattern = _pattern()
    end = 0
    while at < len(text):
        match = pattern.match(text, at)
        if match is None:
            break
        end = match.end()
        while end < len(text) and _MODIFIERS.match(text, end):
            end += 1
        at = end + len(text[end:]) - len(text[end:].lstrip())
    return end


def faces_in(text: str) -> list[str]:
    """The text's faces in order, in the lexicon's spelling."""
    return split_faces(text)[1::2]
