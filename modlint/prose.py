"""Prose helpers shared by phrase rules: quoted-text masking and boundary matching.

A module that teaches about harmful phrases has to quote them, so by default
text in a blockquote, in quotation marks or in a ``case-study`` div is not the
author's voice and is left alone.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator

from modlint.model import Module, TextBlock

QUOTE_DIVS = frozenset({"case-study"})
_QUOTED = re.compile(r"\"[^\"\n]*(?:\n[^\"\n]*)?\"|“[^”]*”|‘[^’]*’|«[^»]*»")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)\]]*\s+(?=[A-Z0-9\"“‘(\[*_])")


def blank(text: str) -> str:
    return "".join("\n" if ch == "\n" else " " for ch in text)


def mask_quotes(text: str) -> str:
    """Replace quoted spans (with their quotation marks) by spaces, keeping offsets."""
    return _QUOTED.sub(lambda m: blank(m.group(0)), text)


def author_blocks(module: Module, include_quoted: bool = False, kinds: tuple[str, ...] = ("paragraph", "list-item", "table", "heading")) -> Iterator[tuple[TextBlock, str]]:
    """Yield (block, text) for prose in the author's own voice.

    With ``include_quoted`` every prose block is yielded unmasked. Code is never prose.
    """
    for block in module.blocks:
        if block.kind not in kinds:
            continue
        if include_quoted:
            yield block, block.text
            continue
        if block.quoted or block.div in QUOTE_DIVS:
            continue
        yield block, mask_quotes(block.text)


@lru_cache(maxsize=4096)
def phrase_pattern(phrase: str) -> re.Pattern[str]:
    """Case-insensitive, whole words, any run of white space between words."""
    words = phrase.split()
    body = r"\s+".join(re.escape(w) for w in words)
    return re.compile(rf"(?<![\w-]){body}(?![\w-])", re.IGNORECASE)


def find_phrase(text: str, phrase: str) -> Iterator[re.Match[str]]:
    return phrase_pattern(phrase).finditer(text)


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


def match_case(replacement: str, original: str) -> str:
    """Keep the original's capitalisation when suggesting a replacement."""
    if original.isupper() and len(original) > 1:
        return replacement.upper()
    if original[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement
