"""The Markdown body: one markdown-it pass collecting what rules look at."""
from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from typing import Any, cast

from markdown_it import MarkdownIt
from markdown_it.rules_core.state_core import StateCore
from markdown_it.rules_core.text_join import text_join
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin

from modlint import _regex
from modlint.model import (
    ACTIVITY_KINDS,
    Activity,
    CodeBlock,
    Heading,
    HtmlBlock,
    HtmlComment,
    Image,
    Link,
    Module,
    Segment,
    Table,
    TextBlock,
)
from modlint.parsing.block_dispatch import dispatch_by_first_char
from modlint.parsing.problems import ParseProblem

# Every pattern here must run in linear time on any line: a module is untrusted
# input, and one 100,000-character line must not take minutes (see docs/security.md).
_HEADING_ATTRS = _regex.compile(r"\{([^{}]*)\}$")  # searched on the right-stripped heading
_BACKTICKS = _regex.compile(r"`+")
_LINK_TARGET = _regex.compile(r"\]\([^)\s\]]*(?:\s+\"[^\"]*\")?\)")
_ANGLE_LINK = _regex.compile(r"<(?:https?|mailto|ftp):[^<>\s]*>", re.I)


def _configured() -> MarkdownIt:
    """The Markdown modlint reads: CommonMark with HTML, tables and ``:::`` divs."""
    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    container_plugin(md, "div", validate=lambda params, markup=None: bool(params.strip()))
    return md


@lru_cache(maxsize=1)
def _md() -> MarkdownIt:
    """:func:`_configured` with every pass: what the tests and the benchmark's floor compare with."""
    return _configured()


@lru_cache(maxsize=1)
def _block_md() -> MarkdownIt:
    """:func:`_configured` without its inline pass, which :class:`_Inlines` runs per paragraph.

    Rules read prose from the source lines; only images, links and bold lines come
    from inline tokens, and nine paragraphs in ten can hold none of them, so parsing
    their inline content (a third of markdown-it's time) is skipped. Block rules are
    tried only on lines that can start them (:mod:`modlint.parsing.block_dispatch`)."""
    md = _configured().disable(["inline", "text_join"])
    md.core.ruler.at("normalize", _normalize)
    return dispatch_by_first_char(md)


def _normalize(state: StateCore) -> None:
    """markdown-it's ``normalize`` core rule, which replaces every line break with
    itself (its pattern matches each ``\n``) to turn ``\r\n`` and ``\r`` into ``\n``,
    and NUL into U+FFFD: the same, with the replacing done only where there is
    something to replace, which a module read by modlint (its line breaks already
    made ``\n``) rarely has. A tenth of a millisecond a module."""
    src = state.src
    if "\r" in src:
        src = src.replace("\r\n", "\n").replace("\r", "\n")
    if "\0" in src:
        src = src.replace("\0", "\ufffd")
    state.src = src


class _Inlines:
    """Parses an inline token's children when first asked, as markdown-it's core
    ``inline`` and ``text_join`` rules would have, with the same link references."""

    def __init__(self, md: MarkdownIt, env: dict[str, Any]) -> None:
        self.md = md
        self.env = env

    def children(self, tok: Token) -> list[Token]:
        if tok.children is None or (not tok.children and tok.content):
            tok.children = []
            self.md.inline.parse(tok.content, self.md, self.env, tok.children)
            text_join(cast(StateCore, _OneToken(tok)))
        return tok.children


class _OneToken:
    """The one field of markdown-it's core state that ``text_join`` reads."""

    def __init__(self, tok: Token) -> None:
        self.tokens = [tok]


def _may_link(content: str) -> bool:
    """Whether inline content can hold an image or link: each starts with '[', '![' or '<'
    (autolinks); bare addresses are not links here, as linkify is off."""
    return "[" in content or "<" in content


def _code_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each inline code span: a run of backticks up to the next run
    of the same length, as CommonMark reads them. Linear, where a lazy regex is not."""
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(text)]
    # For each run, the index of the next run of the same length.
    following: list[int | None] = [None] * len(runs)
    latest: dict[int, int] = {}
    for idx in range(len(runs) - 1, -1, -1):
        length = runs[idx][1] - runs[idx][0]
        following[idx] = latest.get(length)
        latest[length] = idx
    spans: list[tuple[int, int]] = []
    idx = 0
    while idx < len(runs):
        close = following[idx]
        # A span needs some content between its backtick runs.
        if close is not None and runs[close][0] > runs[idx][1]:
            spans.append((runs[idx][0], runs[close][1]))
            idx = close + 1
        else:
            idx += 1
    return spans


def comment_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each ``<!-- ... -->`` comment, found in linear time."""
    spans: list[tuple[int, int]] = []
    pos = text.find("<!--")
    while pos >= 0:
        end = text.find("-->", pos + 4)
        if end < 0:
            break  # no later comment can close either
        spans.append((pos, end + 3))
        pos = text.find("<!--", end + 3)
    return spans


def _blank_spans(text: str, spans: list[tuple[int, int]]) -> str:
    if not spans:
        return text
    parts: list[str] = []
    pos = 0
    for start, end in spans:
        parts.append(text[pos:start])
        chunk = text[start:end]
        parts.append("\n".join(" " * len(piece) for piece in chunk.split("\n")))
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


def _mask(text: str) -> str:
    """Blank out inline code, comments and link targets, keeping every column."""

    def blank(match: re.Match[str]) -> str:
        return "".join("\n" if ch == "\n" else " " for ch in match.group(0))

    if "`" in text:
        text = _blank_spans(text, _code_spans(text))
    if "<!--" in text:
        text = _blank_spans(text, comment_spans(text))
    # Each pattern needs a literal that most prose lacks: a cheap test first.
    if "<" in text:
        text = _ANGLE_LINK.sub(blank, text)
    if "](" not in text:
        return text

    def keep_bracket(match: re.Match[str]) -> str:
        return "]" + " " * (len(match.group(0)) - 1)

    return _LINK_TARGET.sub(keep_bracket, text)


# "5h 50m" written with a space inside {time=...}: the second part continues the first.
_DURATION_PART = _regex.compile(r"\d+(?:\.\d+)?\s*(?:h|hrs?|hours?|m|mins?|minutes?)", re.I)


def _split_attrs(text: str) -> list[str]:
    """Split on whitespace outside quotes, removing the quotes, as a POSIX shell
    would (``key="two words"``); linear in the text, where shlex is slow."""
    parts: list[str] = []
    buf: list[str] = []
    quote = ""
    in_token = False
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if quote:
            if ch == quote:
                quote = ""
            elif ch == "\\" and quote == '"' and i + 1 < n and text[i + 1] in '"\\':
                i += 1
                buf.append(text[i])
            else:
                buf.append(ch)
        elif ch in "\"'":
            quote = ch
            in_token = True
        elif ch == "\\" and i + 1 < n:
            i += 1
            buf.append(text[i])
            in_token = True
        elif ch.isspace():
            if in_token:
                parts.append("".join(buf))
                buf, in_token = [], False
        else:
            buf.append(ch)
            in_token = True
        i += 1
    if quote:
        raise ValueError("No closing quotation")
    if in_token:
        parts.append("".join(buf))
    return parts


def parse_attrs(text: str) -> tuple[dict[str, str], str | None]:
    """Parse ``key=value key2="two words"``; return (attrs, error)."""
    attrs: dict[str, str] = {}
    text = text.strip()
    if not text:
        return attrs, None
    try:
        parts = _split_attrs(text)
    except ValueError as exc:
        return attrs, f"cannot read the attributes '{text}' ({exc}). Close the quotation mark"
    last_key: str | None = None
    for part in parts:
        if part.startswith("."):
            attrs.setdefault("class", part[1:])
            last_key = None
            continue
        if "=" not in part:
            if last_key is not None and _DURATION_PART.fullmatch(part) and _DURATION_PART.fullmatch(attrs[last_key].rsplit(" ", 1)[-1]):
                attrs[last_key] += " " + part
                continue
            return attrs, f"'{part}' is not of the form key=value. Write each attribute as key=value, and put a value with spaces in quotation marks, e.g. time=\"1h 30m\""
        key, _, value = part.partition("=")
        if not re.fullmatch(r"[A-Za-z_][\w-]*", key):
            return attrs, f"'{key}' is not a valid attribute name"
        last_key = key.replace("-", "_")
        attrs[last_key] = value
    return attrs, None


def _matching_closes(tokens: list[Token]) -> dict[int, int]:
    """For each div's opening token, the index of its closing token, in one pass
    (a search forward from every opening is quadratic in 10,000 divs)."""
    out: dict[int, int] = {}
    stack: list[int] = []
    for idx, tok in enumerate(tokens):
        if tok.type == "container_div_open":
            stack.append(idx)
        elif tok.type == "container_div_close" and stack:
            out[stack.pop()] = idx
    return out


class _Locator:
    """Finds where each image and link of one paragraph starts in the source.

    Searching from the start of the paragraph for each one is quadratic in a
    100,000-character line of links, and places a repeated link at its first
    copy; each search starts after the previous find instead."""

    def __init__(self, lines: list[str], start: int, end: int) -> None:
        self.first = start
        self.text = "\n".join(lines[start:end])
        self.line_starts = [0]
        pos = self.text.find("\n")
        while pos >= 0:
            self.line_starts.append(pos + 1)
            pos = self.text.find("\n", pos + 1)
        self.cursor = 0

    def find(self, needle: str, fallback: str) -> tuple[int, int]:
        """(line, column) of ``needle`` after the cursor; else of ``fallback`` (the
        bare opening, when the source spells the text differently: emphasis, escapes)."""
        pos = self.text.find(needle, self.cursor)
        if pos < 0:
            pos = self.text.find(fallback, self.cursor)
        if pos < 0:
            return self.first + 1, 1
        # Past the opening only: a link's text can hold an image that comes next.
        self.cursor = pos + len(fallback)
        row = bisect_right(self.line_starts, pos) - 1
        return self.first + row + 1, pos - self.line_starts[row] + 1


# The token types parse_body reads; the rest would only fall through every test below.
_HANDLED = frozenset({
    "blockquote_open", "blockquote_close", "bullet_list_open", "ordered_list_open", "bullet_list_close",
    "ordered_list_close", "container_div_open", "container_div_close", "heading_open", "paragraph_open",
    "table_open", "tr_open", "th_open", "td_open", "table_close", "inline", "fence", "code_block", "html_block",
})


def parse_body(module: Module, problems: list[ParseProblem]) -> None:
    """Fill the body fields of ``module`` from its text (front matter already blanked)."""
    lines = module.lines
    body_text = "\n".join("" if i < module.body_line - 1 else ln for i, ln in enumerate(lines))
    md = _block_md()
    env: dict[str, Any] = {}
    tokens = md.parse(body_text, env)
    inlines = _Inlines(md, env)

    seg = Segment(index=0, title=None, line=module.body_line, end_line=len(lines), attrs={})
    module.segments.append(seg)
    div_stack: list[Activity | None] = []
    quote_depth = 0
    table: Table | None = None
    in_list = 0

    closes = _matching_closes(tokens)

    def current_div() -> Activity | None:
        for act in reversed(div_stack):
            if act is not None:
                return act
        return None

    for i, tok in enumerate(tokens):
        typ = tok.type
        if typ not in _HANDLED:
            continue  # closing tags, list items, rules: half the tokens, none of them read
        if typ == "blockquote_open":
            quote_depth += 1
        elif typ == "blockquote_close":
            quote_depth -= 1
        elif typ in ("bullet_list_open", "ordered_list_open"):
            in_list += 1
        elif typ in ("bullet_list_close", "ordered_list_close"):
            in_list -= 1
        elif typ == "container_div_open":
            info = tok.info.strip()
            line = tok.map[0] + 1 if tok.map else 1
            kind, _, rest = info.partition(" ")
            if kind.startswith("{") or kind.startswith("."):
                attrs, err = parse_attrs(info.strip("{} "))
                kind = attrs.pop("class", "")
            else:
                attrs, err = parse_attrs(rest.strip().strip("{}"))
            kind = kind.lower()
            if err:
                problems.append(ParseProblem("MOD013", f"The activity at line {line} has an attribute error: {err}.", line, 1, info))
            if kind not in ACTIVITY_KINDS:
                from difflib import get_close_matches

                close = get_close_matches(kind, ACTIVITY_KINDS, n=1)
                hint = f" Did you mean '{close[0]}'?" if close else f" Known kinds: {', '.join(ACTIVITY_KINDS)}."
                problems.append(
                    ParseProblem("MOD013", f"'{kind}' is not a known activity kind, so its time and instructions cannot be checked.{hint}", line, 1, info)
                )
                div_stack.append(None)
                continue
            # The matching close tells whether the div was terminated: markdown-it
            # closes an unterminated div at the end of the document with no markup.
            close = closes.get(i)
            closed = close is None or bool(tokens[close].markup)
            end_line = len(lines)
            if tok.map:
                end_line = tok.map[1] + 1 if closed else tok.map[1]
            act = Activity(kind=kind, attrs=attrs, line=line, end_line=end_line, segment=seg.index, closed=closed, raw_info=info)
            if not closed:
                problems.append(
                    ParseProblem("MOD013", f"The '{kind}' activity that starts here is never closed with a ':::' line, so it runs to the end of the module.", line, 1, info)
                )
            module.activities.append(act)
            div_stack.append(act)
        elif typ == "container_div_close":
            if div_stack:
                div_stack.pop()
        elif typ == "heading_open":
            inline = tokens[i + 1]
            line = tok.map[0] + 1 if tok.map else 1
            raw = inline.content
            attrs: dict[str, str] = {}
            m = _HEADING_ATTRS.search(raw.rstrip()) if "{" in raw else None
            title = raw
            err = None
            if m:
                attrs, err = parse_attrs(m.group(1))
                if err:
                    problems.append(ParseProblem("MOD013", f"The heading at line {line} has an attribute error: {err}.", line, 1, raw))
                title = raw[: m.start()].rstrip()
            level = int(tok.tag[1])
            src_line = lines[line - 1] if line - 1 < len(lines) else ""
            col = len(src_line) - len(src_line.lstrip()) + 1
            module.headings.append(Heading(level=level, text=title, line=line, column=col, attrs=attrs, attr_error=err))
            act = current_div()
            if level == 2:
                seg.end_line = line - 1
                seg = Segment(index=len(module.segments), title=title, line=line, end_line=len(lines), attrs=attrs, attr_error=err)
                module.segments.append(seg)
                if act is not None:
                    act.crosses_segment = True
            masked = _mask(src_line if not m else src_line[: src_line.rfind("{")])
            module.blocks.append(TextBlock("heading", masked, line, 1, quote_depth > 0, act.kind if act else None, seg.index))
        elif typ == "paragraph_open":
            inline = tokens[i + 1]
            if not inline.map:
                continue
            start, end = inline.map
            raw = "\n".join(lines[start:end])
            act = current_div()
            if not in_list and inline.content.lstrip().startswith(("**", "__")):
                children = [c for c in inlines.children(inline) if not (c.type == "text" and not c.content.strip())]
                kinds = [c.type for c in children]
                if kinds == ["strong_open", "text", "strong_close"]:
                    text = children[1].content.strip()
                    if text and len(text.split()) <= 12 and text[-1] not in ".!?:;,":
                        module.headings.append(Heading(level=0, text=text, line=start + 1, column=1, attrs={}, bold_paragraph=True))
            block = TextBlock("list-item" if in_list else "paragraph", _mask(raw), start + 1, 1, quote_depth > 0, act.kind if act else None, seg.index)
            module.blocks.append(block)
            if act is not None:
                act.blocks.append(block)
            seg.words += block.words
            if _may_link(inline.content):
                _collect_inline(module, inlines.children(inline), lines, start, end)
        elif typ == "table_open":
            table = Table(columns=0, rows=0, line=(tok.map[0] + 1) if tok.map else 1)
            if tok.map:
                start, end = tok.map
                act = current_div()
                block = TextBlock("table", _mask("\n".join(lines[start:end])), start + 1, 1, quote_depth > 0, act.kind if act else None, seg.index)
                module.blocks.append(block)
                seg.words += block.words
        elif typ == "tr_open" and table is not None:
            table.rows += 1
        elif typ in ("th_open", "td_open") and table is not None and table.rows == 1:
            table.columns += 1
        elif typ == "table_close" and table is not None:
            module.tables.append(table)
            table = None
        elif typ == "inline" and table is not None and tok.map and _may_link(tok.content):
            _collect_inline(module, inlines.children(tok), lines, tok.map[0], tok.map[1])
        elif typ in ("fence", "code_block"):
            start, end = tok.map if tok.map else (0, 0)
            module.code_blocks.append(CodeBlock(info=tok.info.strip(), content=tok.content, line=start + 1, end_line=end))
        elif typ == "html_block" and tok.map:
            module.html_blocks.append(HtmlBlock(content=tok.content, line=tok.map[0] + 1, end_line=tok.map[1]))
    if div_stack and any(a is not None for a in div_stack):
        pass  # unterminated divs were reported above
    _collect_comments(module)


def _collect_inline(module: Module, children: list[Token], lines: list[str], start: int, end: int) -> None:
    if not any(c.type in ("image", "link_open") for c in children):
        return
    locate = _Locator(lines, start, end)
    for j, child in enumerate(children):
        if child.type == "image":
            src = str(child.attrs.get("src", ""))
            alt = child.content
            line, col = locate.find(f"![{alt}]" if alt else "![", "![")
            module.images.append(Image(src=src, alt=alt, line=line, column=col))
        elif child.type == "link_open":
            href = str(child.attrs.get("href", ""))
            text_parts = []
            has_image = False
            # Indexes, not a slice: a slice per link copies the rest of the line.
            for k in range(j + 1, len(children)):
                later = children[k]
                if later.type == "link_close":
                    break
                if later.type in ("text", "code_inline", "image"):
                    text_parts.append(later.content)
                    has_image = has_image or later.type == "image"
            text = "".join(text_parts)
            auto = child.markup == "autolink"
            if auto:
                line, col = locate.find(f"<{href}", "<")
            else:
                # An image's alt text is not spelt '[alt]' in the source: '[![alt](...)'.
                line, col = locate.find("[" if has_image else f"[{text}]", "[")
            module.links.append(Link(href=href, text=text, line=line, column=col, autolink=auto))


def _collect_comments(module: Module) -> None:
    code_lines: set[int] = set()
    for block in module.code_blocks:
        code_lines.update(range(block.line, block.end_line + 1))
    text = module.text
    line, counted = 1, 0  # lines are counted once, not from the start for every comment
    for start, end in comment_spans(text):
        line += text.count("\n", counted, start)
        counted = start
        if line in code_lines or line < module.body_line:
            continue
        col = start - (text.rfind("\n", 0, start) + 1) + 1
        end_line = line + text.count("\n", start, end)
        module.comments.append(HtmlComment(text=text[start + 4 : end - 3], line=line, column=col, end_line=end_line))
