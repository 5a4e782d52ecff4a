"""Plain-language measures for prose: sentences, words, syllables and reading grade.

Written without a dependency on purpose: the figures only need to be stable and
explainable to an author ("42 words", "grade 15.3"), not linguistically perfect.
Every function keeps offsets into the text it was given, so a finding can point
at the sentence it is about.

Several rules read the same blocks sentence by sentence (readability, activity
instructions, alcohol, religious presumption), so :func:`split_sentences` is
memoised: a module's sentences are split once and shared by every rule that
reads them. The cache is small on purpose, enough for the blocks of one module,
so a long editing session or a large repository does not grow it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator, NamedTuple

from modlint import _regex

# A word is a run of letters or digits, joined by apostrophes or hyphens
# ("don't", "face-to-face" count once, as a reader would).
_WORD = _regex.compile(r"[A-Za-z0-9\u00C0-\u024F]+(?:['’\-][A-Za-z0-9\u00C0-\u024F]+)*")

# A sentence ends at . ! or ? (with any closing quotes, brackets or emphasis),
# followed by white space and something that can start a sentence. Requiring
# that start (not a lower-case letter) keeps "e.g. the" and "3.5 hours" whole.
_SENTENCE_END = _regex.compile(r"[.!?]+[\"”’)\]*_]*(?=\s+[^\sa-z])")
# Markdown hard line breaks, <br>, a colon at the end of a line and a line that
# starts with a bullet character (a list typed as plain text) also end a
# sentence: authors use them for lines that are not run-on prose. All but <br>
# are a line break with something around it, so only line breaks are examined
# (see :func:`_hard_breaks`), which is far cheaper than one pattern with every
# alternative tried at every character.
_BR = _regex.compile(r"<br\s*/?>")
_BULLET_LINE = _regex.compile(r"[ \t]*(?:[•·▪◦‣●○■□–—*+-]|\d{1,2}[.)])[ \t]")
_IMAGE = _regex.compile(r"!\[[^\]]*\](?:\([^)\s]*\))?")
_URL = _regex.compile(r"(?:https?://|www\.)\S+", re.I)
# Text with no "![", no "://" and no "www." (in any case) holds no image or web
# address, so its words are simply the word matches: the common case, and much
# cheaper. The pattern starts with a literal so the search can skip ahead to dots.
_WWW = _regex.compile(r"\.(?<=[wW][wW][wW]\.)")
_LIST_SEPARATOR = _regex.compile(r"[,;]|\band\b|\bor\b")

# Syllable heuristic: the silent endings ("-es", "-ed", "-e") and a leading "y"
# are not syllables; each group of one or two vowels is.
_NOT_LETTER = _regex.compile(r"[^a-z]")
_SILENT_END = _regex.compile(r"(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$")
_VOWEL_GROUP = _regex.compile(r"[aeiouy]{1,2}")


class Sentence(NamedTuple):  # a tuple: a paragraph's sentences are made in bulk
    start: int  # offset of the first non-space character in the text given
    text: str

    @property
    def words(self) -> int:
        """Counted when asked: most rules that split sentences never need it."""
        return count_words(self.text)


def _plain(text: str) -> bool:
    """True when ``text`` certainly holds no image and no web address."""
    return "![" not in text and "://" not in text and _WWW.search(text) is None


def words(text: str) -> list[str]:
    """The words of ``text``; image alt text and web addresses are not words a reader reads as prose."""
    if not _plain(text):
        text = _URL.sub(" ", _IMAGE.sub(" ", text))
    return _WORD.findall(text)


def count_words(text: str) -> int:
    return len(words(text))


def _hard_breaks(text: str) -> Iterator[int]:
    """Offsets just after each hard break: two spaces or a backslash before a line
    break, a colon (and spaces) before one, a line break before a bullet, or <br>."""
    for match in _BR.finditer(text):
        yield match.end()
    i = text.find("\n")
    while i >= 0:
        j = i  # where the spaces and tabs before the line break start
        while j > 0 and text[j - 1] in " \t":
            j -= 1
        if text.endswith(("  ", "\\"), 0, i) or text.endswith(":", 0, j) or _BULLET_LINE.match(text, i + 1):
            yield i + 1
        i = text.find("\n", i + 1)


@lru_cache(maxsize=1024)
def split_sentences(text: str) -> tuple[Sentence, ...]:
    """Split prose into sentences, keeping each one's offset into ``text``."""
    cuts = {match.end() for match in _SENTENCE_END.finditer(text)}
    if "\n" in text or "<br" in text:
        cuts.update(_hard_breaks(text))
    bounds = sorted(cuts)
    bounds.append(len(text))
    out: list[Sentence] = []
    start = 0
    for cut in bounds:
        piece = text[start:cut]
        stripped = piece.strip()
        if stripped and _WORD.search(stripped):
            out.append(Sentence(start + len(piece) - len(piece.lstrip()), stripped))
        start = cut
    return tuple(out)


def is_list_like(sentence: str, min_items: int = 5, max_item_words: float = 5.0) -> bool:
    """A "sentence" that is really a list of short phrases separated by commas or
    semicolons ("race, gender, age, disability, ..."): long, but not hard to follow."""
    items = [part for part in _LIST_SEPARATOR.split(sentence) if _WORD.search(part)]
    return len(items) >= min_items and sum(count_words(i) for i in items) / len(items) <= max_item_words


@lru_cache(maxsize=16384)  # prose repeats its words; bounded for long sessions
def syllables(word: str) -> int:
    """Estimate the syllables in one word (the usual vowel-group heuristic)."""
    if "-" in word:
        return sum(syllables(part) for part in word.split("-") if part)
    if word.isupper() and len(word) <= 5:
        return 1  # acronyms such as NHS or ICB are read as familiar tokens
    w = _NOT_LETTER.sub("", word.lower())
    if len(w) <= 3:
        return 1  # numbers (no letters left) and short words
    w = _SILENT_END.sub("", w)
    if w[:1] == "y":
        w = w[1:]
    return max(1, len(_VOWEL_GROUP.findall(w)))


@dataclass(frozen=True, slots=True)
class Grade:
    """The Flesch-Kincaid reading grade of a paragraph, with what it was worked out from."""

    grade: float  # Flesch-Kincaid grade level
    words: int
    sentences: int
    syllables: int

    @property
    def words_per_sentence(self) -> float:
        return self.words / self.sentences if self.sentences else 0.0

    @property
    def syllables_per_word(self) -> float:
        return self.syllables / self.words if self.words else 0.0

    @property
    def reading_age(self) -> int:
        """UK authors think in reading ages; a US grade is roughly the age minus five."""
        return int(round(self.grade + 5))


def reading_grade(text: str, min_words: int = 1) -> Grade | None:
    """Flesch-Kincaid grade level of ``text``, or None when it has fewer than
    ``min_words`` words (the figure is unstable on short text)."""
    ws = words(text)
    if not ws or len(ws) < min_words:
        return None
    sents = split_sentences(text)
    if not sents:
        return None
    syl = sum(map(syllables, ws))
    grade = 0.39 * (len(ws) / len(sents)) + 11.8 * (syl / len(ws)) - 15.59
    return Grade(round(grade, 1), len(ws), len(sents), syl)
