"""Plain-language measures for prose: sentences, words, syllables and reading grade.

Written without a dependency on purpose: the figures only need to be stable and
explainable to an author ("42 words", "grade 15.3"), not linguistically perfect.
Every function keeps offsets into the text it was given, so a finding can point
at the sentence it is about.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# A word is a run of letters or digits, joined by apostrophes or hyphens
# ("don't", "face-to-face" count once, as a reader would).
_WORD = re.compile(r"[A-Za-z0-9\u00C0-\u024F]+(?:['’\-][A-Za-z0-9\u00C0-\u024F]+)*")

# A sentence ends at . ! or ? (with any closing quotes, brackets or emphasis),
# followed by white space and something that can start a sentence. Requiring
# that start (not a lower-case letter) keeps "e.g. the" and "3.5 hours" whole.
_SENTENCE_END = re.compile(r"[.!?]+[\"”’)\]*_]*(?=\s+[^\sa-z])")
# Markdown hard line breaks, <br>, a colon at the end of a line and a line that
# starts with a bullet character (a list typed as plain text) also end a
# sentence: authors use them for lines that are not run-on prose.
_HARD_BREAK = re.compile(r"(?: {2,}|\\)\n|<br\s*/?>|:[ \t]*\n|\n(?=[ \t]*(?:[•·▪◦‣●○■□–—*+-]|\d{1,2}[.)])[ \t])")
_IMAGE = re.compile(r"!\[[^\]]*\](?:\([^)\s]*\))?")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.I)


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int  # offset of the first non-space character in the text given
    text: str
    words: int


def words(text: str) -> list[str]:
    """The words of ``text``; image alt text and web addresses are not words a reader reads as prose."""
    text = _URL.sub(" ", _IMAGE.sub(" ", text))
    return _WORD.findall(text)


def count_words(text: str) -> int:
    return len(words(text))


def split_sentences(text: str) -> list[Sentence]:
    """Split prose into sentences, keeping each one's offset into ``text``."""
    cuts: set[int] = set()
    for match in _SENTENCE_END.finditer(text):
        cuts.add(match.end())
    for match in _HARD_BREAK.finditer(text):
        cuts.add(match.end())
    out: list[Sentence] = []
    start = 0
    for cut in sorted(cuts) + [len(text)]:
        piece = text[start:cut]
        stripped = piece.strip()
        if stripped and _WORD.search(stripped):
            lead = len(piece) - len(piece.lstrip())
            out.append(Sentence(start + lead, stripped, count_words(stripped)))
        start = cut
    return out


def is_list_like(sentence: str, min_items: int = 5, max_item_words: float = 5.0) -> bool:
    """A "sentence" that is really a list of short phrases separated by commas or
    semicolons ("race, gender, age, disability, ..."): long, but not hard to follow."""
    items = [part for part in re.split(r"[,;]|\band\b|\bor\b", sentence) if _WORD.search(part)]
    return len(items) >= min_items and sum(count_words(i) for i in items) / len(items) <= max_item_words


@lru_cache(maxsize=16384)  # prose repeats its words; bounded for long sessions
def syllables(word: str) -> int:
    """Estimate the syllables in one word (the usual vowel-group heuristic)."""
    if "-" in word:
        return sum(syllables(part) for part in word.split("-") if part)
    if word.isupper() and len(word) <= 5:
        return 1  # acronyms such as NHS or ICB are read as familiar tokens
    w = re.sub(r"[^a-z]", "", word.lower())
    if not w:
        return 1  # numbers
    if len(w) <= 3:
        return 1
    w = re.sub(r"(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$", "", w)
    w = re.sub(r"^y", "", w)
    return max(1, len(re.findall(r"[aeiouy]{1,2}", w)))


@dataclass(frozen=True, slots=True)
class Grade:
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


def reading_grade(text: str) -> Grade | None:
    """Flesch-Kincaid grade level of ``text``, or None when it has no words."""
    sents = split_sentences(text)
    ws = words(text)
    if not ws or not sents:
        return None
    syl = sum(syllables(w) for w in ws)
    grade = 0.39 * (len(ws) / len(sents)) + 11.8 * (syl / len(ws)) - 15.59
    return Grade(round(grade, 1), len(ws), len(sents), syl)
