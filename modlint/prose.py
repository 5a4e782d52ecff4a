"""Prose helpers shared by phrase rules: quoted-text masking, boundary matching,
sentences and table cells, and telling a phrase that is used from one that is mentioned.

A module that teaches about harmful phrases has to quote them, so by default
text in a blockquote, in quotation marks or in a ``case-study`` div is not the
author's voice and is left alone.

Quotation marks: double quotes (straight or curly), guillemets, and single
quotes (straight or curly), which British authors use for quoted speech. A
single quote only opens after a space or opening punctuation and only closes
before a space or closing punctuation, so the apostrophes in "don't" and
"colleagues' views" never start or end a quotation.

Speed: phrase rules run on every module, and most phrases appear in none of
them. :func:`prose_of` works out once per module what every rule reads (the
author-voice blocks, their lower-cased text and its words), and
:func:`required_literals` gives each pattern, when it is compiled, the literal
text any match must contain, so a rule can skip a pattern whose text is absent
with one substring test instead of a search with look-arounds.
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache, partial
from typing import Callable, Iterable, Iterator

from modlint import _regex
from modlint.model import Module, TextBlock

try:  # Python 3.11+ names the regular-expression parser re._parser; older ones sre_parse.
    from re import _constants as _sre
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover - Python before 3.11
    import sre_constants as _sre  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

QUOTE_DIVS = frozenset({"case-study"})
# Kept for callers that used it; :func:`mask_quotes` no longer relies on it alone.
_QUOTED = _regex.compile(r"\"[^\"\n]*(?:\n[^\"\n]*)?\"|“[^”]*”|‘[^’]*’|«[^»]*»")
_PAIRED = _regex.compile(r"“[^“”]*”|«[^«»]*»")
_SENTENCE_END = _regex.compile(r"(?<=[.!?])[\"”’)\]]*\s+(?=[A-Z0-9\"“‘(\[*_])")
_OPEN_BEFORE = frozenset(" \t\n([{—–-/*_>|“\"‘'")
_CLOSE_AFTER = frozenset(" \t\n.,;:!?)]}—–-/*_|”\"’'")
# A quotation longer than this is more likely a stray mark than a quote.
_MAX_QUOTE = 600
_ANY_MARK = ('"', "'", "‘", "’", "“", "«")
_A_MARK = _regex.compile("[\"'‘’“«]")
_AN_OPENING_MARK = _regex.compile("[\"‘“«]")
# A single quote can only open a quotation after a space or punctuation (or at the start):
# one after a letter or digit is an apostrophe.
_OPENABLE_APOSTROPHE = _regex.compile(r"(?<![^\W_])['’]")
_DEFAULT_KINDS = ("paragraph", "list-item", "table", "heading")


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


_MARK_RES = {marks: _regex.compile(f"[{re.escape(marks)}]") for marks in ('"', "'‘’")}


@lru_cache(maxsize=4096)
def mask_quotes(text: str) -> str:
    """Replace quoted spans (with their quotation marks) by spaces, keeping offsets.

    Several rules mask the same blocks, so results are memoised (bounded, so a
    long editing session does not grow)."""
    if _A_MARK.search(text) is None:
        return text
    if _AN_OPENING_MARK.search(text) is None and _OPENABLE_APOSTROPHE.search(text) is None:
        return text  # only apostrophes inside words ("don't", "Sam's"): none can open a quotation
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


# -- one module's prose, worked out once -----------------------------------------

# Characters that IGNORECASE matching equates with an ASCII letter although their
# lower case differs (checked over all of Unicode): folded before the quick test.
_FOLD_FOR_TEST = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})
_TOKEN = _regex.compile(r"[^\W_]+")


def fold_lower(text: str) -> str:
    """Lower case for substring tests that must agree with case-insensitive matching."""
    return (text if text.isascii() else text.translate(_FOLD_FOR_TEST)).lower()


# Punctuation to spaces: splitting the result gives the words of the text far faster than
# a regular expression's findall, with the same answer. ASCII, and the marks prose is full of.
_SEPARATORS = str.maketrans(
    {**{chr(c): " " for c in range(128) if not chr(c).isalnum()}, **{ch: " " for ch in "\u00a0\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u2022\u00b7\u00ab\u00bb"}}
)


def _tokens_of(lower: str) -> frozenset[str]:
    """The maximal runs of letters and digits in ``lower`` (as ``[^\\W_]+`` finds them)."""
    spaced = lower.translate(_SEPARATORS)
    words = frozenset(spaced.split())
    if spaced.isascii():
        return words  # every ASCII separator is gone, so each piece is one run of letters and digits
    odd = [w for w in words if not w.isascii() and not w.isalnum()]
    if not odd:
        return words
    out = set(words).difference(odd)
    for word in odd:  # other punctuation still attached
        out.update(_TOKEN.findall(word))
    return frozenset(out)


class TextView:
    """A text with its folded lower case and its words (maximal runs of letters and
    digits), each computed on first use: what the quick "could it match?" tests read."""

    __slots__ = ("text", "_lower", "_spaced", "_tokens", "_sorted", "_memo", "_token_source")

    def __init__(self, text: str, token_source: Callable[[], frozenset[str]] | None = None) -> None:
        self.text = text
        self._lower: str | None = None
        self._spaced: str | None = None
        self._tokens: frozenset[str] | None = None
        self._sorted: list[str] | None = None
        self._memo: dict[Literal, bool] | None = None
        # Another way to the same words, cheaper than reading the whole text (see ModuleProse).
        self._token_source = token_source

    @property
    def lower(self) -> str:
        """Folded lower case, curly apostrophes straight (as :func:`has_phrase` reads text)."""
        if self._lower is None:
            self._lower = fold_lower(self.text.replace("’", "'").replace("‘", "'"))
        return self._lower

    @property
    def spaced(self) -> str:
        """:attr:`lower` with every run of white space made one space, as literals are extracted."""
        if self._spaced is None:
            self._spaced = " ".join(self.lower.split())
        return self._spaced

    @property
    def tokens(self) -> frozenset[str]:
        if self._tokens is None:
            self._tokens = self._token_source() if self._token_source is not None else _tokens_of(self.lower)
        return self._tokens

    def seed_tokens(self, tokens: frozenset[str]) -> None:
        """Use words already known to be exactly this text's (worked out from its parts)."""
        self._tokens = tokens

    def could_match(self, clauses: tuple[frozenset[Literal], ...]) -> bool:
        """False only when a pattern with these :func:`required_literals` cannot match."""
        return all(any(self.holds(literal) for literal in clause) for clause in clauses)

    def holds(self, literal: Literal) -> bool:
        """Whether the text can hold ``literal``: its words first (set lookups), then the text itself."""
        if self._memo is None:
            self._memo = {}
        known = self._memo.get(literal)
        if known is None:
            known = self._memo[literal] = self._holds(literal)
        return known

    def _holds(self, literal: Literal) -> bool:
        if literal.words and not literal.words <= self.tokens:
            return False
        for start in literal.starts:
            if not self._begins_a_word(start):
                return False
        if literal.pieces <= 1 and (literal.words or literal.starts):
            return True  # one word, found whole or as a word's start: the text holds it
        text = literal.text
        return text in (self.spaced if " " in text else self.lower)

    def _begins_a_word(self, start: str) -> bool:
        if self._sorted is None:
            self._sorted = sorted(self.tokens)
        index = bisect.bisect_left(self._sorted, start)
        return index < len(self._sorted) and self._sorted[index].startswith(start)


def _all_tokens(module: Module, voice: list[tuple[TextBlock, str]], author: TextView) -> frozenset[str]:
    """Every block's words: the author's, and those of whatever masking took out (only
    what differs is read again). Words never straddle a blanked quotation: its marks are
    not letters."""
    masked = {id(block): text for block, text in voice}
    rest = [block.text for block in module.blocks if masked.get(id(block)) is not block.text]
    if not rest:
        return author.tokens
    return author.tokens | _tokens_of(fold_lower("\n".join(rest).replace("’", "'").replace("‘", "'")))


class ModuleProse:
    """What phrase rules read of one module, worked out once and shared by them all."""

    def __init__(self, module: Module) -> None:
        self.module = module
        ranges = quote_div_lines(module)
        self.voice: list[tuple[TextBlock, str]] = [
            (block, mask_quotes(block.text))
            for block in module.blocks
            if not (block.quoted or block.div in QUOTE_DIVS or (ranges and in_quote_div(block, ranges)))
        ]
        self.author = TextView("\n\n".join(text for _, text in self.voice))
        # A partial, not a bound method: the view must not point back at this object,
        # or each module's prose and blocks would wait for the cycle collector.
        self.everything = TextView("\n\n".join(block.text for block in module.blocks), partial(_all_tokens, module, self.voice, self.author))
        self._lead_ins: dict[int, str | None] | None = None
        self._tables: dict[int, _TableLayout] = {}
        self._sentences: dict[int, tuple[list[int], list[int]]] = {}

    def lead_in(self, block: TextBlock) -> str | None:
        """For a list item, the text that introduces its list: the paragraph ending in a
        colon, or the heading, right before the list ("Phrases to avoid:"). None otherwise."""
        if self._lead_ins is None:
            self._lead_ins = self._find_lead_ins()
        return self._lead_ins.get(id(block))

    def _find_lead_ins(self) -> dict[int, str | None]:
        """Every list item's lead-in, in one pass (a list of 10,000 items is one walk, not 10,000)."""
        out: dict[int, str | None] = {}
        blocks = self.module.blocks
        lead: str | None = None
        for i, block in enumerate(blocks):
            if block.kind != "list-item":
                continue
            if i == 0 or blocks[i - 1].kind != "list-item":
                lead = _lead_text(blocks[i - 1], block) if i > 0 else None
            out[id(block)] = lead
        return out

    def table(self, block: TextBlock) -> _TableLayout:
        key = id(block)
        if key not in self._tables:
            self._tables[key] = _TableLayout(block.text)
        return self._tables[key]

    def column_header(self, block: TextBlock, offset: int) -> str | None:
        """For an offset in a table's body, the header of its column ("Heard at work")."""
        if block.kind != "table":
            return None
        return self.table(block).header_at(offset)

    def units(self, block: TextBlock, text: str) -> list[tuple[int, str]]:
        """(offset, text) of the sentences of ``text`` (``block``'s text, masked or not).
        A table's cells are separate: a row is not one long sentence with its neighbours."""
        if block.kind != "table":
            return sentences(text)
        out: list[tuple[int, str]] = []
        for start, end in self.table(block).cells:
            out.extend((start + off, piece) for off, piece in sentences(text[start:end]))
        return out

    def unit_span(self, block: TextBlock, offset: int) -> tuple[int, int]:
        """Start and end of the sentence (or table cell) of ``block.text`` that holds ``offset``,
        as :func:`sentence_span` finds it; the block is split once, however many matches it has."""
        key = id(block)
        if key not in self._sentences:
            spans = [(start, start + len(piece)) for start, piece in self.units(block, block.text)]
            self._sentences[key] = ([lo for lo, _ in spans], [hi for _, hi in spans])
        starts, ends = self._sentences[key]
        index = bisect.bisect_right(starts, offset) - 1
        if index >= 0 and offset < ends[index]:
            return starts[index], ends[index]
        return 0, len(block.text)


def _lead_text(lead: TextBlock, first: TextBlock) -> str | None:
    """``lead``'s text when it introduces the list that starts with ``first``."""
    if lead.quoted != first.quoted or lead.div != first.div:
        return None
    if first.line > lead.line + lead.text.count("\n") + 2:
        return None  # something the parser does not keep as prose (code, an image) comes between
    if lead.kind == "heading":
        return lead.text
    if lead.kind == "paragraph" and lead.text.rstrip().rstrip("*_").endswith(":"):
        return lead.text
    return None


# The parsed module is a slotted dataclass with no room for a cache, so a few recent
# modules' prose is kept here, keyed by identity and checked against the object itself.
_RECENT: dict[int, tuple[Module, str, int, ModuleProse]] = {}
_RECENT_LIMIT = 4


def prose_of(module: Module) -> ModuleProse:
    """The shared prose of ``module``: computed by the first rule that asks, reused by the rest."""
    key = id(module)
    hit = _RECENT.get(key)
    if hit is not None and hit[0] is module and hit[1] is module.text and hit[2] == len(module.blocks):
        return hit[3]
    prose = ModuleProse(module)
    while len(_RECENT) >= _RECENT_LIMIT:
        try:
            _RECENT.pop(next(iter(_RECENT)))
        except (KeyError, RuntimeError, StopIteration):  # another thread trimmed it first
            break
    _RECENT[key] = (module, module.text, len(module.blocks), prose)
    return prose


def author_blocks(module: Module, include_quoted: bool = False, kinds: tuple[str, ...] = _DEFAULT_KINDS) -> Iterator[tuple[TextBlock, str]]:
    """Yield (block, text) for prose in the author's own voice.

    With ``include_quoted`` every prose block is yielded unmasked. Code is never prose.
    """
    if include_quoted:
        for block in module.blocks:
            if block.kind in kinds:
                yield block, block.text
        return
    for block, text in prose_of(module).voice:
        if block.kind in kinds:
            yield block, text


# -- tables ----------------------------------------------------------------------

_PIPE = _regex.compile(r"(?<!\\)\|")
_DELIMITER_CHARS = frozenset("|:- \t")


def _is_delimiter_row(line: str) -> bool:
    return "-" in line and set(line) <= _DELIMITER_CHARS


class _TableLayout:
    """The cells of a Markdown table's source text, and each body cell's column header."""

    __slots__ = ("cells", "_starts", "_columns", "_headers")

    def __init__(self, text: str) -> None:
        self.cells: list[tuple[int, int]] = []
        self._columns: list[int] = []
        self._headers: list[str] = []
        pos = 0
        for row, line in enumerate(text.split("\n")):
            if not (row == 1 and _is_delimiter_row(line)):
                for col, (start, end) in enumerate(_row_cells(line)):
                    if row == 0:
                        self._headers.append(line[start:end].strip())
                    self.cells.append((pos + start, pos + end))
                    self._columns.append(col if row > 1 else -1)
            pos += len(line) + 1
        self._starts = [start for start, _ in self.cells]

    def header_at(self, offset: int) -> str | None:
        index = bisect.bisect_right(self._starts, offset) - 1
        if index < 0 or offset >= self.cells[index][1]:
            return None
        col = self._columns[index]
        return self._headers[col] if 0 <= col < len(self._headers) else None


def _row_cells(line: str) -> list[tuple[int, int]]:
    """(start, end) of each cell of one table row, without its edge pipes."""
    bounds = [m.start() for m in _PIPE.finditer(line)]
    stripped = line.strip()
    if not bounds:
        return [(0, len(line))] if stripped else []
    edges = [-1] + bounds + [len(line)]
    cells = [(edges[k] + 1, edges[k + 1]) for k in range(len(edges) - 1)]
    if stripped.startswith("|"):
        cells = cells[1:]
    if stripped.endswith("|") and cells:
        cells = cells[:-1]
    return cells


# -- phrase patterns ---------------------------------------------------------------


@lru_cache(maxsize=4096)
def phrase_pattern(phrase: str) -> re.Pattern[str]:
    """Case-insensitive, whole words, any run of white space between words.

    A phrase with no words never matches (rather than matching everywhere).
    """
    words = phrase.split()
    if not words:
        return _regex.compile(r"(?!)")
    # Same matches as ``(?<![\w-])W1\s+W2...(?![\w-])``, but the pattern starts with
    # the first word, not a look-behind, so the search can skip ahead to candidates:
    # the look-behind after W1 spans W1 and the character before it, which fails
    # exactly when that character is a word character or a hyphen.
    first = re.escape(words[0])
    rest = "".join(r"\s+" + re.escape(w) for w in words[1:])
    return _regex.compile(rf"{first}(?<![\w-]{first}){rest}(?![\w-])", re.IGNORECASE)


def find_phrase(text: str, phrase: str) -> Iterator[re.Match[str]]:
    return phrase_pattern(phrase).finditer(text)


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
    folded = fold_lower(plain)
    for phrase in phrases:
        phrase = phrase.replace("’", "'")
        key = _phrase_key(phrase)
        if key is not None and key not in folded:
            continue
        match = phrase_pattern(phrase).search(plain)
        if match:
            return match.group(0)
    return None


class PhraseList:
    """A list of phrases compiled once for repeated :meth:`first_in` tests against
    :class:`TextView` objects: a phrase is only searched for when every one of its
    words is among the text's words. Same answers as :func:`has_phrase`.

    A phrase's pattern is made the first time a text holds all its words: most never
    do in a one-file run, and making hundreds of patterns up front costs more than
    checking the file."""

    __slots__ = ("_words", "_phrases", "_patterns")

    def __init__(self, phrases: Iterable[str]) -> None:
        self._phrases = tuple(phrase.replace("’", "'") for phrase in phrases)
        self._words = tuple(frozenset(_TOKEN.findall(fold_lower(phrase))) for phrase in self._phrases)
        self._patterns: list[re.Pattern[str] | None] = [None] * len(self._phrases)

    def _pattern(self, index: int) -> re.Pattern[str]:
        pattern = self._patterns[index]
        if pattern is None:
            pattern = self._patterns[index] = phrase_pattern(self._phrases[index])
        return pattern

    def candidates(self, view: TextView) -> list[re.Pattern[str]]:
        """The patterns of the phrases whose words are all in ``view``: the only ones that can match."""
        tokens = view.tokens
        return [self._pattern(i) for i, words in enumerate(self._words) if words <= tokens]

    def first_in(self, view: TextView) -> str | None:
        tokens = view.tokens
        plain: str | None = None
        for i, words in enumerate(self._words):
            if words <= tokens:
                if plain is None:
                    plain = view.text.replace("’", "'").replace("‘", "'")
                match = self._pattern(i).search(plain)
                if match:
                    return match.group(0)
        return None


@lru_cache(maxsize=256)
def phrase_list(phrases: tuple[str, ...]) -> PhraseList:
    return PhraseList(phrases)


# -- what a pattern's matches must contain ------------------------------------------

_REPEATS = {_sre.MAX_REPEAT, _sre.MIN_REPEAT} | ({_sre.POSSESSIVE_REPEAT} if hasattr(_sre, "POSSESSIVE_REPEAT") else set())
_WORD_CLASSES = {_sre.CATEGORY_WORD, _sre.CATEGORY_UNI_WORD}
_SPACE_CLASSES = {_sre.CATEGORY_SPACE, _sre.CATEGORY_UNI_SPACE}
_NON_WORD_CLASSES = _SPACE_CLASSES | {_sre.CATEGORY_NOT_WORD, _sre.CATEGORY_UNI_NOT_WORD}


class Literal(tuple):  # type: ignore[type-arg]
    """Text any match contains (lower case, white space as one space), with what the words
    of a text must hold for it to be there: ``words`` whole, ``starts`` as word beginnings."""

    __slots__ = ()

    def __new__(cls, text: str, words: frozenset[str], starts: tuple[str, ...], pieces: int) -> "Literal":
        return super().__new__(cls, (text, words, starts, pieces))

    @property
    def text(self) -> str:
        return self[0]

    @property
    def words(self) -> frozenset[str]:
        return self[1]

    @property
    def starts(self) -> tuple[str, ...]:
        return self[2]

    @property
    def pieces(self) -> int:
        """How many runs of letters and digits the text has."""
        return self[3]


@lru_cache(maxsize=4096)
def required_literals(pattern: re.Pattern[str]) -> tuple[frozenset[Literal], ...]:
    """What any match of ``pattern`` contains, as clauses: every clause has at least one of
    its :class:`Literal` in the match. ``()`` when nothing is certain (or the pattern
    cannot be read), so the pattern always runs.

    White space the pattern requires (``\\s+``) is one space in a literal ("his or her"),
    which is what :attr:`TextView.spaced` holds wherever the text has white space. Where
    the pattern puts a word boundary (``\\b``, white space, ``(?<![\\w-])``), the literal's
    word there is a whole word of the text, which a set of words answers at once."""
    stored = _regex.derived("literals", pattern)
    if isinstance(stored, list):
        try:
            return tuple(frozenset(Literal(t, frozenset(w), tuple(st), n) for t, w, st, n in clause) for clause in stored)
        except (TypeError, ValueError):
            pass
    try:
        parsed = _sre_parse.parse(pattern.pattern, pattern.flags)
    except Exception:  # an unreadable pattern is simply never skipped
        return ()
    clauses = _Walk(_flatten(list(parsed))).clauses(False, False)
    # Clauses with whole words first (a set lookup), then the longest texts.
    clauses.sort(key=lambda c: (not all(lit.words for lit in c), -min(len(lit.text) for lit in c), len(c)))
    found = tuple(clauses[:4])
    # Parsing a pattern costs as much as compiling it: later runs read the answer back.
    _regex.remember("literals", pattern, [[[lit.text, sorted(lit.words), list(lit.starts), lit.pieces] for lit in clause] for clause in found])
    return found


def key_word(clauses: tuple[frozenset[Literal], ...]) -> str | None:
    """One whole word every match holds (the longest of a one-literal clause), for a set
    lookup before any other test; None when no such word is certain."""
    best: str | None = None
    for clause in clauses:
        if len(clause) == 1:
            for word in next(iter(clause)).words:
                if best is None or len(word) > len(best):
                    best = word
    return best


def _flatten(items: list[tuple[object, object]]) -> list[tuple[object, object]]:
    """Groups inlined: a group's text is part of the text around it."""
    out: list[tuple[object, object]] = []
    for op, av in items:
        if op is _sre.SUBPATTERN:
            out.extend(_flatten(list(av[-1])))  # type: ignore[index]
        elif op is getattr(_sre, "ATOMIC_GROUP", None):
            out.extend(_flatten(list(av)))  # type: ignore[arg-type]
        else:
            out.append((op, av))
    return out


def _in_members(av: object) -> list[tuple[object, object]]:
    return list(av) if isinstance(av, list) else []


def _is_white_space(op: object, av: object) -> bool:
    """``\\s`` or ``\\s+`` (or a literal space): one or more white space characters, nothing else."""
    if op is _sre.LITERAL:
        return isinstance(av, int) and chr(av).isspace()
    if op in _REPEATS:
        low, _, body = av  # type: ignore[misc]
        return low >= 1 and len(body) == 1 and _is_white_space(*body[0])
    if op is _sre.IN:
        members = _in_members(av)
        return bool(members) and all(m_op is _sre.CATEGORY and m_av in _SPACE_CLASSES for m_op, m_av in members)
    return False


def _never_alnum(op: object, av: object) -> bool:
    """One character that cannot be a letter or digit: a word's edge."""
    if op is _sre.LITERAL:
        return isinstance(av, int) and not chr(av).isalnum()
    if op is _sre.IN:
        members = _in_members(av)
        return bool(members) and all(
            (m_op is _sre.LITERAL and not chr(m_av).isalnum()) or (m_op is _sre.CATEGORY and m_av in _NON_WORD_CLASSES)  # type: ignore[arg-type]
            for m_op, m_av in members
        )
    return _is_white_space(op, av)


def _word_class(items: object) -> bool:
    """A look-around body that is one character class including \\w (``[\\w-]``, ``\\w``)."""
    if not isinstance(items, (list, _sre_parse.SubPattern)) or len(items) < 1:
        return False
    op, av = items[0]
    if op is _sre.IN:
        return any(m_op is _sre.CATEGORY and m_av in _WORD_CLASSES for m_op, m_av in _in_members(av))
    return False


class _Walk:
    """One pass over a flattened pattern, collecting the literal runs any match contains."""

    def __init__(self, items: list[tuple[object, object]]) -> None:
        self.items = items

    def bounds_at(self, index: int, after_all: bool) -> bool:
        """Whether what comes at ``index`` starts with a word edge (so a run before it ends a word)."""
        if index >= len(self.items):
            return after_all
        op, av = self.items[index]
        if op is _sre.AT:
            return av is _sre.AT_BOUNDARY
        if op is _sre.ASSERT_NOT and av[0] == 1:  # type: ignore[index]
            return _word_class(av[1])  # type: ignore[index]
        return _never_alnum(op, av)

    def clauses(self, before: bool, after_all: bool) -> list[frozenset[Literal]]:
        out: list[frozenset[Literal]] = []
        run: list[str] = []
        left = False

        def flush(right: bool) -> None:
            text = "".join(run)
            if text.endswith(" "):
                right = True
            literal = _literal(text.strip(" "), left, right)
            if literal is not None:
                out.append(frozenset({literal}))
            run.clear()

        for index, (op, av) in enumerate(self.items):
            if op is _sre.LITERAL and isinstance(av, int) and chr(av).isascii() and not chr(av).isspace():
                if not run:
                    left = before
                run.append(chr(av).lower())
                before = not chr(av).isalnum()
                continue
            if _is_white_space(op, av):
                if run and run[-1] != " ":
                    run.append(" ")
                before = True
                continue
            if op is _sre.ASSERT_NOT and av[0] == -1 and _word_class(av[1]):  # type: ignore[index]
                # (?<![\w-]) before a word, or after it as phrase_pattern writes it: (?<![\w-]word).
                body = list(av[1])  # type: ignore[index]
                tail = "".join(chr(c).lower() for o, c in body[1:] if o is _sre.LITERAL)
                if not run:
                    before = True
                elif len(tail) == len(body) - 1 and "".join(run).endswith(tail) and len(tail) == len(run):
                    left = True
                continue
            if op in (_sre.ASSERT, _sre.ASSERT_NOT):
                if av[0] == 1 and op is _sre.ASSERT_NOT and _word_class(av[1]) and run:  # type: ignore[index]
                    flush(True)
                continue  # a look-around takes no text: the run goes on
            if op is _sre.AT:
                if run:
                    flush(av is _sre.AT_BOUNDARY)
                before = av is _sre.AT_BOUNDARY
                continue
            ends_word = self.bounds_at(index, after_all)
            if run:
                flush(ends_word)
            if op in _REPEATS:
                low, _, body = av  # type: ignore[misc]
                if low >= 1:
                    out.extend(_Walk(_flatten(list(body))).clauses(before, False))
            elif op is _sre.BRANCH:
                after = self.bounds_at(index + 1, after_all)
                alternatives = [_Walk(_flatten(list(alt))).clauses(before, after) for alt in av[1]]  # type: ignore[index]
                if alternatives and all(alternatives):
                    chosen = [min(alt, key=lambda c: (len(c), -min(len(lit.text) for lit in c))) for alt in alternatives]
                    out.append(frozenset().union(*chosen))
            before = ends_word and op is not _sre.BRANCH and op not in _REPEATS
            # Anything else (a class, a back-reference) promises no literal.
        if run:
            flush(after_all)
        return out


def _literal(text: str, left: bool, right: bool) -> Literal | None:
    """The tests for one literal run: its words with known edges are whole words of any
    text that holds it, and a word with a known start begins one."""
    if len(text) < 2:
        return None
    words: set[str] = set()
    starts: list[str] = []
    pieces = list(_TOKEN.finditer(text))
    for piece in pieces:
        starts_word = piece.start() > 0 or left
        ends_word = piece.end() < len(text) or right
        if starts_word and ends_word:
            words.add(piece.group(0))
        elif starts_word:
            starts.append(piece.group(0))
    return Literal(text, frozenset(words), tuple(starts), len(pieces))


# -- sentences ---------------------------------------------------------------------


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


# -- use and mention -----------------------------------------------------------------
#
# "We need fresh blood" uses a phrase; "the phrase fresh blood", "do not describe anyone
# as wheelchair-bound", "we say chair, not chairman" and a list under "Phrases to avoid:"
# mention it. Every phrase rule asks :func:`mention` before reporting, so a module that
# teaches about a phrase is not told it uses it. Negation only counts when it is about the
# phrase: "we never want to lose fresh blood" still uses it.

# What a list's lead-in or a table column's header says when its items are things
# people say, or things to stop doing, rather than the author's own words.
TEACHING_FRAME = _regex.compile(
    r"\b(?:phrases?|words?|terms?|expressions?|wording|language|labels?|remarks?|comments?|sayings?|jargon|"
    r"microaggressions?|stereotypes?|tropes?|avoid|avoiding|stop|stopping|don['’]t|do\s+not|never|must\s+not|should\s+not|"
    r"instead\s+of|rather\s+than|not\s+this|outdated|heard|said|overheard|examples?\s+of)\b",
    re.IGNORECASE,
)
# A noun that introduces the phrase as words ("the phrase X", "language such as X", "Remarks to avoid include: X").
_INTRODUCER = _regex.compile(
    r"\b(?:phrases?|words?|terms?|expressions?|wording|language|labels?|remarks?|comments?|sayings?|jargon|microaggressions?)\b"
    r"(?:\s+(?:to\s+avoid|we\s+avoid|you\s+may\s+hear|you\s+might\s+hear|people\s+use|heard\s+at\s+work))?"
    r"(?:\s+(?:such\s+as|like|including|include|includes|as))?\s*:?",
    re.IGNORECASE,
)
_LIST_SEPARATOR = _regex.compile(r",|;|\band\b|\bor\b", re.IGNORECASE)
# Where a negation's reach ends: a new clause.
_CLAUSE_END = _regex.compile(r"[;:!?]|\s[—–]\s|—|,\s*(?:but|so|yet)\b|\bbut\b", re.IGNORECASE)
# "do not describe anyone as", "instead of writing that", "avoid saying": a negated verb of saying.
_NEGATED_SAYING = _regex.compile(
    r"\b(?:don['’]t|do\s+not|does\s+not|doesn['’]t|never|avoid|avoiding|stop|not|no\s+longer|instead\s+of|rather\s+than|refrain\s+from|without)\b"
    r"(?:\s+[\w'’-]+){0,3}?\s+(?:say|saying|use|using|write|writing|describe|describing|call|calling|refer\s+to|referring\s+to|"
    r"label|labelling|labeling|tell|telling|ask|asking|speak\s+of|talk\s+about|mention|mentioning)\b",
    re.IGNORECASE,
)
# "are not special treatment", "chair, not chairman", "instead of suffers from": the phrase is what is denied.
_DENIED = _regex.compile(
    r"(?:\b(?:is|are|was|were|be|been|being)\s+not|['’](?:s|re)\s+not|\b(?:isn['’]t|aren['’]t|wasn['’]t|weren['’]t)|,\s*not|"
    r"\binstead\s+of|\brather\s+than|\bavoid|\bavoiding)\s+(?:(?:an?|the)\s+)?[*_\"“‘']*$",
    re.IGNORECASE,
)
# "Nobody with an adjustment is failing to pull their weight": a clause about no one.
_NO_ONE = _regex.compile(r"^\W*(?:nobody|no\s+one|none\s+of\s+(?:us|you|them|our\s+[\w-]+))\b", re.IGNORECASE)
# "calling them special treatment", "was told she was past it", "labelled an angry Black woman":
# a report of what was said, or of a label, shortly before the phrase.
_REPORTED = _regex.compile(
    r"\b(?:called|calling|labelled|labeled|labelling|labeling|branded|branding|dismissed\s+as|described\s+as|"
    r"describing\s+[\w'’-]+(?:\s+[\w'’-]+)?\s+as|referred\s+to\s+as|accused\s+of(?:\s+being)?|told|said|says|heard|hears|overheard|wrote|"
    # "was asked where she is really from": asked a question, not "we asked the BME community".
    r"(?:was|were|is|are|been|being|gets?|got)\s+asked|asked\s+(?:where|whether|if|about|for|what|why|how|when))\b"
    r"(?:\s+[\w'’-]+){0,3}?[\s,:]*$",
    re.IGNORECASE,
)
_EMPHASIS = frozenset("*_")
_WINDOW = 200


def mention(prose: ModuleProse, block: TextBlock, start: int, end: int) -> bool:
    """True when the phrase at ``block.text[start:end]`` is mentioned (taught about,
    reported, denied or listed as something to avoid) rather than used."""
    text = block.text
    lo, _ = prose.unit_span(block, start)
    # The cues are all close to the phrase; a bounded window keeps a huge sentence linear.
    lo = max(lo, start - _WINDOW)
    before = text[lo:start]
    if _emphasised(text, start, end) or _introduced(before):
        return True
    clause = before[_clause_start(before):]
    # Each cue ends within a few words of the phrase: read only that far back.
    if _REPORTED.search(_tail(clause, 80)) or _NO_ONE.match(clause) or _NEGATED_SAYING.search(clause):
        return True
    if _DENIED.search(_tail(clause, 40)) and not text[start:end].split()[0].lower().endswith("ing"):
        # "is not pulling their weight" is the accusation itself, not a denial of the phrase.
        return True
    return teaching_frame(prose, block, start)


def _tail(text: str, size: int) -> str:
    """The last ``size`` characters of ``text``, starting at a word (a cut word is dropped)."""
    if len(text) <= size:
        return text
    tail = text[-size:]
    if text[-size - 1].isalnum() and tail[:1].isalnum():
        pieces = tail.split(None, 1)
        return pieces[1] if len(pieces) > 1 else ""
    return tail


def teaching_frame(prose: ModuleProse, block: TextBlock, offset: int) -> bool:
    """True when ``offset`` is in a list introduced as phrases to avoid, things people say
    or things to stop doing, or in a table column headed that way ("Heard at work")."""
    lead = prose.lead_in(block)
    if lead is not None and TEACHING_FRAME.search(_last_sentences(lead)):
        return True
    header = prose.column_header(block, offset)
    return header is not None and bool(TEACHING_FRAME.search(header))


def _last_sentences(text: str, count: int = 2) -> str:
    return " ".join(piece for _, piece in sentences(text)[-count:])


def _clause_start(before: str) -> int:
    last = 0
    for match in _CLAUSE_END.finditer(before):
        last = match.end()
    return last


def _emphasised(text: str, start: int, end: int) -> bool:
    """The phrase is set off in italics or bold, as words are when they are talked about
    (``*suffers from*``): the emphasis holds the phrase and at most two more words."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    opening = start - 1  # the last mark of the opening run
    while opening >= line_start and start - opening <= 40 and text[opening] not in _EMPHASIS:
        opening -= 1
    closing = end  # the first mark of the closing run
    while closing < line_end and closing - end <= 40 and text[closing] not in _EMPHASIS:
        closing += 1
    if opening < line_start or closing >= line_end or text[opening] not in _EMPHASIS or text[closing] != text[opening]:
        return False
    # As Markdown reads emphasis: the opening run is followed, and the closing run
    # preceded, by text rather than space, and neither sits inside a word.
    if text[opening + 1].isspace() or text[closing - 1].isspace():
        return False
    first = opening
    while first > line_start and text[first - 1] == text[opening]:
        first -= 1
    last = closing
    while last + 1 < line_end and text[last + 1] == text[closing]:
        last += 1
    if (first > 0 and text[first - 1].isalnum()) or (last + 1 < len(text) and text[last + 1].isalnum()):
        return False
    return len(text[opening + 1 : start].split()) + len(text[end:closing].split()) <= 2


def _introduced(before: str) -> bool:
    """The text before the phrase ends in an introducer noun, or in a short list after one:
    "the phrase X", "language such as *A* and X", "Remarks to avoid include: A, B and X"."""
    last: re.Match[str] | None = None
    for match in _INTRODUCER.finditer(before):
        last = match
    if last is None:
        return False
    gap = before[last.end():].replace("*", " ").replace("_", " ")
    pieces = _LIST_SEPARATOR.split(gap)
    if pieces[-1].strip():
        return False
    return all(piece.strip() and len(piece.split()) <= 5 for piece in pieces[:-1])


_CAPITALISED = _regex.compile(r"[A-Z][\w'’-]*")
_NAME_AFTER = _regex.compile(r"(?:['’]s)?[*_]*[ \t\n]+(?:(?:of|for|on)[ \t\n]+(?:the[ \t\n]+)?)?[*_]*[A-Z]")
_WORD_BEFORE = _regex.compile(r"([\w'’-]+)[*_]*[ \t\n]+[*_]*$")


def proper_name(prose: ModuleProse, block: TextBlock, start: int, end: int) -> bool:
    """True when the match is part of a name in title case, not a word the author chose:
    "Chairman Mao", "the Chairman's Committee", "the Manpower Services Commission",
    "Chairman of the NHS Confederation". A heading written in title case proves nothing."""
    text = block.text
    found = text[start:end]
    words = found.split()
    if not words or not all(w[:1].isupper() for w in words) or found.isupper():
        return False
    lo, hi = prose.unit_span(block, start)
    lo, hi = max(lo, start - _WINDOW), min(hi, end + _WINDOW)
    # Headline case: most of the longer words capitalised. Short words (of, the, and) are often not.
    unit_words = [w.strip("*_()[]\"“”‘’'.,:;!?") for w in text[lo:hi].split()]
    longer = [w for w in unit_words if len(w) > 3]
    if len(longer) >= 3 and sum(1 for w in longer if w[:1].isupper()) / len(longer) >= 0.8:
        return False
    if _NAME_AFTER.match(text, end):
        return True
    first_word = lo + len(text[lo:hi]) - len(text[lo:hi].lstrip())
    previous = _WORD_BEFORE.search(text, max(lo, start - 80), start)
    return previous is not None and previous.start() > first_word and _CAPITALISED.fullmatch(previous.group(1)) is not None


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
