"""The parsed module: one parse per file, shared by every rule."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any

ACTIVITY_KINDS = (
    "discussion",
    "reflection",
    "exercise",
    "assessment",
    "break",
    "content-note",
    "case-study",
    "action-plan",
)


# A word for reading time: a run of letters or digits, with apostrophes and hyphens inside.
_WORD = re.compile(r"[A-Za-z0-9\u00C0-\u024F][A-Za-z0-9\u00C0-\u024F'’-]*")


def _line_starts(text: str) -> list[int]:
    """Offset of the start of each line of ``text``."""
    starts = [0]
    pos = text.find("\n")
    while pos >= 0:
        starts.append(pos + 1)
        pos = text.find("\n", pos + 1)
    return starts


@dataclass(slots=True)
class Heading:
    """A Markdown heading, with the attributes written after it."""

    level: int
    text: str  # without the trailing ``{...}`` attributes
    line: int
    column: int
    attrs: dict[str, str]
    bold_paragraph: bool = False
    attr_error: str | None = None  # why the trailing ``{...}`` could not be read (MOD013)


@dataclass(slots=True)
class TextBlock:
    """A block of prose as written in the source, with code spans masked by spaces.

    ``text`` keeps the source's line breaks and columns, so an offset maps back to
    a line and column with :meth:`position`.
    """

    kind: str  # paragraph, heading, table-cell, list-item
    text: str
    line: int
    column: int
    quoted: bool  # inside a blockquote
    div: str | None  # kind of the innermost enclosing activity div
    segment: int
    _starts: list[int] = field(default_factory=list, repr=False)
    _words: int = field(default=-1, repr=False)

    @property
    def words(self) -> int:
        """Words of prose in the block (code spans and link targets are masked out), as
        the reading-time rules count them: worked out once, however many rules ask."""
        if self._words < 0:
            self._words = len(_WORD.findall(self.text))
        return self._words

    def position(self, offset: int) -> tuple[int, int]:
        if not self._starts:
            self._starts = _line_starts(self.text)
        idx = bisect.bisect_right(self._starts, offset) - 1
        col = offset - self._starts[idx] + 1
        if idx == 0:
            col += self.column - 1
        return self.line + idx, col


@dataclass(slots=True)
class Activity:
    """A fenced-div activity (``::: reflection``), with its attributes."""

    kind: str
    attrs: dict[str, str]
    line: int
    end_line: int
    segment: int
    closed: bool = True
    crosses_segment: bool = False
    blocks: list[TextBlock] = field(default_factory=list)
    raw_info: str = ""

    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks)


@dataclass(slots=True)
class Segment:
    """A ``##`` section of the body, or the text before the first one."""

    index: int
    title: str | None  # None for text before the first ``##`` heading
    line: int
    end_line: int
    attrs: dict[str, str]
    words: int = 0
    attr_error: str | None = None  # as for its heading


@dataclass(slots=True)
class Image:
    """An image in the body, Markdown or HTML."""

    src: str
    alt: str
    line: int
    column: int


@dataclass(slots=True)
class Link:
    """A link in the body."""

    href: str
    text: str
    line: int
    column: int
    autolink: bool = False


@dataclass(slots=True)
class Table:
    """A table in the body, by its size."""

    columns: int
    rows: int
    line: int


@dataclass(slots=True)
class CodeBlock:
    """A fenced or indented code block, which no prose rule reads."""

    info: str
    content: str
    line: int
    end_line: int


@dataclass(slots=True)
class HtmlBlock:
    """Raw HTML the Markdown parser passes through untouched (CommonMark's HTML
    blocks): it runs to the next blank line, so Markdown written straight after a
    tag without a blank line is part of it and is not rendered."""

    content: str
    line: int
    end_line: int


@dataclass(slots=True)
class HtmlComment:
    """An HTML comment in the body (suppression directives are written in these)."""

    text: str  # between ``<!--`` and ``-->``
    line: int
    column: int
    end_line: int


@dataclass(slots=True)
class Module:
    """A parsed module: front matter with positions, and the body as segments and blocks."""

    path: str
    text: str  # the decoded file, line endings normalised to ``\n``
    lines: list[str]
    front_matter: dict[str, Any] | None
    fm_positions: dict[tuple[Any, ...], tuple[int, int]]
    fm_start: int  # line of the opening ``---`` (1-based); 0 when absent
    fm_end: int  # line of the closing ``---``
    body_line: int  # first line of the body
    headings: list[Heading] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)
    blocks: list[TextBlock] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    code_blocks: list[CodeBlock] = field(default_factory=list)
    comments: list[HtmlComment] = field(default_factory=list)
    html_blocks: list[HtmlBlock] = field(default_factory=list)
    newline: str = "\n"
    bom: bool = False
    _line_starts: list[int] = field(default_factory=list, repr=False)

    # -- front matter helpers -------------------------------------------------
    def fm(self, key: str, default: Any = None) -> Any:
        if isinstance(self.front_matter, dict):
            return self.front_matter.get(key, default)
        return default

    def fm_pos(self, *path: Any) -> tuple[int, int]:
        """Line and column of a front matter key or item; falls back to its parent."""
        while path:
            if path in self.fm_positions:
                return self.fm_positions[path]
            path = path[:-1]
        return (self.fm_start or 1, 1)

    # -- text helpers ---------------------------------------------------------
    def offset(self, line: int, column: int) -> int:
        """Offset into :attr:`text` of a 1-based line and column."""
        if not self._line_starts:
            self._line_starts = _line_starts(self.text)
        line = max(1, min(line, len(self._line_starts)))
        return self._line_starts[line - 1] + column - 1

    def segment_at(self, line: int) -> Segment | None:
        for seg in reversed(self.segments):
            if seg.line <= line:
                return seg
        return self.segments[0] if self.segments else None

    @property
    def prose_words(self) -> int:
        return sum(s.words for s in self.segments)


@dataclass(slots=True)
class ModuleInfo:
    """What survives a module's parse for checks across modules and reports:
    small enough to send between processes and to cache."""

    path: str
    front_matter: dict[str, Any] | None
    fm_positions: dict[tuple[Any, ...], tuple[int, int]]
    targets: tuple[str, ...] = ()

    def __reduce__(self) -> tuple[Any, ...]:
        return (ModuleInfo, (self.path, self.front_matter, self.fm_positions, self.targets))

    def fm(self, key: str, default: Any = None) -> Any:
        if isinstance(self.front_matter, dict):
            return self.front_matter.get(key, default)
        return default

    def fm_pos(self, *path: Any) -> tuple[int, int]:
        while path:
            if path in self.fm_positions:
                return self.fm_positions[path]
            path = path[:-1]
        return (1, 1)
