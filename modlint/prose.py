"""Prose helpers shared by phrase rules: quoted-text masking and boundary matching.

A module that teaches about harmful phrases has to quote them, so by default
text in a blockquote, in quotation marks or in a ``case-study`` div is not the
author's voice and is left alone.

Quotation marks: double quotes (straight or curly), guillemets, and single
quotes (straight or curly), which British authors use for quoted speech. A
single quote only opens after a space or opening punctuation and only closes
before a space or closing punctuation, so the apostrophes in "don't" and
"colleagues' views" never start or end a quotation.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, Iterator

from modlint.model import Module, TextBlock

QUOTE_DIVS = frozenset({"case-study"})
# Kept for callers that used it; :func:`mask_quotes` no longer relies on it alone.
_QUOTED = re.compile(r"\"[^\"\n]*(?:\n[^\"\n]*)?\"|“[^”]*”|‘[^’]*’|«[^»]*»")
_PAIRED = re.compile(r"“[^“”]*”|«[^«»]*»")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)\]]*\s+(?=[A-Z0-9\"“‘(\[*_])")
_OPEN_BEFORE = frozenset(" \t\n([{—–-/*_>|“\"‘'")
_CLOSE_AFTER = frozenset(" \t\n.,;:!?)]}—–-/*_|”\"’'")
# A quotation longer than this is more likely a stray mark than a quote.
_MAX_QUOTE = 600
_ANY_MARK = ('"', "'", "‘", "’", "“", "«")


def blank(text: str) -> str:
    return "".join("\n" if ch == "\n" else " " for ch in text)


def _blank_span(chars: list[str], start: int, end: int) -> None:
    for i in range(start, end):
        if chars[i] != "\n":
            chars[i] = " "


def _pair_marks(text: str, chars: list[str], marks: str) -> None:
    """Blank spans between an opening and a closing mark from ``marks``.

    Straight marks are symmetric, so the neighbours decide: a mark opens after a
    space or opening punctuation and before a non-space; it closes after a
    non-space and before a space, punctuation or the end.
    """
    n = len(text)
    start = -1
    # Only the marks themselves matter: visit them, not every character.
    for match in _MARK_RES[marks].finditer(text):
        i = match.start()
        before = text[i - 1] if i > 0 else " "
        after = text[i + 1] if i + 1 < n else " "
        can_open = (before in _OPEN_BEFORE) and not after.isspace()
        can_close = (not before.isspace()) and (after in _CLOSE_AFTER or not after.isalnum())
        if start >= 0 and can_close and i - start <= _MAX_QUOTE and "\n\n" not in text[start:i]:
            _blank_span(chars, start, i + 1)
            start = -1
        elif can_open:
            start = i


_MARK_RES = {marks: re.compile(f"[{re.escape(marks)}]") for marks in ('"', "'‘’")}


@lru_cache(maxsize=4096)
def mask_quotes(text: str) -> str:
    """Replace quoted spans (with their quotation marks) by spaces, keeping offsets.

    Several rules mask the same blocks, so results are memoised (bounded, so a
    long editing session does not grow)."""
    if not any(mark in text for mark in _ANY_MARK):
        return text
    chars = list(text)
    for match in _PAIRED.finditer(text):
        _blank_span(chars, match.start(), match.end())
    masked = "".join(chars)
    _pair_marks(masked, chars, '"')
    masked = "".join(chars)
    _pair_marks(masked, chars, "'‘’")
    return "".join(chars)


def quote_div_lines(module: Module, kinds: Iterable[str] = QUOTE_DIVS) -> list[tuple[int, int]]:
    """Line ranges of the divs whose content is quoted (a case study inside another div too)."""
    wanted = set(kinds)
    return [(act.line, act.end_line) for act in module.activities if act.kind in wanted]


def in_quote_div(block: TextBlock, ranges: list[tuple[int, int]]) -> bool:
    return block.div in QUOTE_DIVS or any(start < block.line <= end for start, end in ranges)


def author_blocks(module: Module, include_quoted: bool = False, kinds: tuple[str, ...] = ("paragraph", "list-item", "table", "heading")) -> Iterator[tuple[TextBlock, str]]:
    """Yield (block, text) for prose in the author's own voice.

    With ``include_quoted`` every prose block is yielded unmasked. Code is never prose.
    """
    ranges = [] if include_quoted else quote_div_lines(module)
    for block in module.blocks:
        if block.kind not in kinds:
            continue
        if include_quoted:
            yield block, block.text
            continue
        if block.quoted or in_quote_div(block, ranges):
            continue
        yield block, mask_quotes(block.text)


@lru_cache(maxsize=4096)
def phrase_pattern(phrase: str) -> re.Pattern[str]:
    """Case-insensitive, whole words, any run of white space between words.

    A phrase with no words never matches (rather than matching everywhere).
    """
    words = phrase.split()
    if not words:
        return re.compile(r"(?!)")
    # Same matches as ``(?<![\w-])W1\s+W2...(?![\w-])``, but the pattern starts with
    # the first word, not a look-behind, so the search can skip ahead to candidates:
    # the look-behind after W1 spans W1 and the character before it, which fails
    # exactly when that character is a word character or a hyphen.
    first = re.escape(words[0])
    rest = "".join(r"\s+" + re.escape(w) for w in words[1:])
    return re.compile(rf"{first}(?<![\w-]{first}){rest}(?![\w-])", re.IGNORECASE)


def find_phrase(text: str, phrase: str) -> Iterator[re.Match[str]]:
    return phrase_pattern(phrase).finditer(text)


# Characters that IGNORECASE matching equates with an ASCII letter although their
# lower case differs (checked over all of Unicode): folded before the quick test.
_FOLD_FOR_TEST = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})
_KEY_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'-_")


@lru_cache(maxsize=4096)
def _phrase_key(phrase: str) -> str | None:
    """The longest word of ``phrase`` (lower case) made only of ASCII letters, digits,
    apostrophes, hyphens or underscores: any text the phrase's pattern matches holds
    it, case aside. None when no word qualifies (then the pattern always runs)."""
    best = ""
    for word in phrase.split():
        if len(word) > len(best) and all(ch in _KEY_CHARS for ch in word):
            best = word
    return best.lower() or None


def has_phrase(text: str, phrases: Iterable[str]) -> str | None:
    """The first of ``phrases`` found in ``text`` (whole words, curly apostrophes read as straight)."""
    plain = text.replace("’", "'").replace("‘", "'")
    # A phrase whose longest word is not in the text cannot match: a substring test
    # is far cheaper than a case-insensitive search with look-arounds.
    folded = (plain if plain.isascii() else plain.translate(_FOLD_FOR_TEST)).lower()
    for phrase in phrases:
        phrase = phrase.replace("’", "'")
        key = _phrase_key(phrase)
        if key is not None and key not in folded:
            continue
        match = phrase_pattern(phrase).search(plain)
        if match:
            return match.group(0)
    return None


def sentences(text: str) -> list[tuple[int, str]]:
    """Split prose into (offset, sentence) pairs."""
    out = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        out.append((start, text[start : match.start()]))
        start = match.end()
    if text[start:].strip():
        out.append((start, text[start:]))
    return out


def sentence_span(text: str, offset: int) -> tuple[int, int]:
    """Start and end offsets of the sentence of ``text`` that holds ``offset``."""
    for start, sentence in sentences(text):
        end = start + len(sentence)
        if start <= offset < end:
            return start, end
    return 0, len(text)


def match_case(replacement: str, original: str, listed: str = "") -> str:
    """Keep the original's capitalisation when suggesting a replacement. An acronym
    in the phrase list (``listed`` upper case) is not shouting: leave the case alone."""
    if listed.isupper():
        return replacement
    if original.isupper() and len(original) > 1:
        return replacement.upper()
    if original[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement
