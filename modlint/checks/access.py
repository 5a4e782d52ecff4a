"""The ``access`` family: can every target learner get at, follow and take part in the module?

ACCESS001-004 are about the page itself (images, media, links, headings) and run for
everyone. The others are switched on by a target persona's access need (``needs`` in
the metadata) and take their thresholds from parameters.

Conventions shared by the rules here:

- prose comes from ``module.blocks``, so code blocks and inline code are never read
  as prose;
- rules about the author's own voice (readability, alcohol, religious presumption)
  use :func:`modlint.prose.author_blocks`, which masks blockquotes, quotation marks
  and ``case-study`` divs;
- ACCESS008 (content notes) reads quoted text too: a quoted racist remark is exactly
  what a content note is for.
"""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterator
from urllib.parse import SplitResult, unquote, urlsplit

from modlint import _regex
from modlint.durations import format_minutes, try_parse_duration
from modlint.findings import Edit, Finding, Fix
from modlint.checks.pause import ONE_TO_ONE
from modlint.checks.time import segment_times
from modlint.model import Activity, Heading, Module, Segment, TextBlock
from modlint.prose import author_blocks, fold_lower, mask_quotes, prose_of
from modlint.readability import count_words, is_list_like, reading_grade, split_sentences
from modlint.rule import RuleContext, rule

_PLACEHOLDER_VALUES = frozenset({"", "no", "none", "false", "n/a", "na", "tbc", "tbd", "todo", "tba", "?", "-", "x"})


def _provided(value: Any) -> bool:
    """A captions/transcript/observance value that really promises something."""
    if value is True:
        return True
    if isinstance(value, str):
        return value.strip().lower() not in _PLACEHOLDER_VALUES
    return False


def _and_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _code_lines(module: Module) -> set[int]:
    lines: set[int] = set()
    for block in module.code_blocks:
        lines.update(range(block.line, block.end_line + 1))
    return lines


_INLINE_CODE = _regex.compile(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)")
_COMMENT = _regex.compile(r"<!--.*?-->", re.S)


def _body_html_text(module: Module) -> str:
    """The body with front matter, code blocks, inline code and comments blanked, offsets kept.

    Only for raw HTML (``<img>``), which the parser does not turn into prose blocks.
    """
    code = _code_lines(module)
    out: list[str] = []
    for number, line in enumerate(module.lines, start=1):
        if number < module.body_line or number in code:
            out.append(" " * len(line))
        else:
            out.append(_INLINE_CODE.sub(lambda m: " " * len(m.group(0)), line))
    text = "\n".join(out)
    return _COMMENT.sub(lambda m: "".join("\n" if c == "\n" else " " for c in m.group(0)), text)


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


# ---------------------------------------------------------------------------
# A cheap pre-test for the long patterns of ACCESS008, 011 and 012
# ---------------------------------------------------------------------------
# Those patterns are long alternations matched case-insensitively, which the regex
# engine has to try at every character. Almost all prose holds none of the words
# they need, and a plain substring test finds that out far faster. The words come
# from the pattern itself (see _needed_words), so the test can only say "maybe",
# never miss a match: a pattern it cannot read is simply always searched.

try:  # the regular expression parser: re._parser from Python 3.11, sre_parse before
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse as _sre_parse  # type: ignore[no-redef]

_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-'’ ")
# Words so common that a pattern is better tested by another of its words.
_COMMON = frozenset({"the", "and", "for", "with", "you", "our", "are", "all", "out", "not", "this", "that", "over", "local", "open", "free", "team", "time", "work"})


# The pre-test compares text in the form modlint.prose folds it for its own substring
# tests: lower case, with the letters case-insensitive matching equates with ASCII ones.
fold = fold_lower


def _selectivity(words: frozenset[str]) -> tuple[int, int, float]:
    """Rarer words rule more text out: no common words first, then longer words."""
    return (-sum(w in _COMMON for w in words), min(len(w) for w in words), sum(map(len, words)) / len(words))


def _needed_in_sequence(items: Any, depth: int) -> frozenset[str] | None:
    """Words of which every match of the sequence ``items`` holds at least one, or None."""
    options: list[frozenset[str]] = []
    run: list[str] = []

    def end_run() -> None:
        word = "".join(run).strip()
        if word:
            options.append(frozenset({word}))
        run.clear()

    for op, av in items:
        name = str(op)
        if name == "LITERAL" and chr(av).lower() in _WORD_CHARS:
            run.append(chr(av).lower())
            continue
        end_run()
        found: frozenset[str] | None = None
        if name == "BRANCH":
            found = _needed_in_branches(av[1], depth)
        elif name in ("SUBPATTERN", "ATOMIC_GROUP"):
            found = _needed_in_sequence(av[-1] if name == "SUBPATTERN" else av, depth + 1)
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and av[0] >= 1:
            found = _needed_in_sequence(av[2], depth + 1)
        if found:
            options.append(found)
    end_run()
    return max(options, key=_selectivity) if options else None


def _needed_in_branches(branches: Any, depth: int) -> frozenset[str] | None:
    if depth > 20:
        return None
    out: set[str] = set()
    for branch in branches:
        found = _needed_in_sequence(branch, depth + 1)
        if found is None:
            return None  # one alternative needs no word: the test cannot rule anything out
        out |= found
    return frozenset(out)


@lru_cache(maxsize=256)
def needed_words(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Words (lower case) of which any text the pattern matches holds at least one,
    or None when the pattern cannot be read that way."""
    # Parsing a pattern costs as much as compiling it: later runs read the answer back.
    stored = _regex.derived("needed", pattern)
    if stored is False:
        return None
    if isinstance(stored, list) and all(isinstance(w, str) for w in stored):
        return frozenset(stored)
    try:
        parsed = _sre_parse.parse(pattern.pattern, pattern.flags)
        words = _needed_in_sequence(list(parsed), 0)
    except Exception:  # an internal parser that changed shape: search everything
        words = None
    if not words or min(len(w) for w in words) < 3:
        words = None  # too short to rule much out
    _regex.remember("needed", pattern, sorted(words) if words else False)
    return words


def may_match(words: frozenset[str] | None, folded: str) -> bool:
    """Whether a pattern whose needed words are ``words`` can match text folded as :func:`fold`."""
    return words is None or any(w in folded for w in words)


def voice_may_match(module: Module, words: frozenset[str] | None) -> bool:
    """:func:`may_match` on all of the author's prose at once. Needed words hold no line
    break, so none is found across two blocks: when this is False, no block can match,
    and most modules are ruled out by one test instead of one per block."""
    return words is None or may_match(words, fold(prose_of(module).author.text))


# ---------------------------------------------------------------------------
# ACCESS001 image alt text
# ---------------------------------------------------------------------------

_PLACEHOLDER_ALT = frozenset(
    {"image", "picture", "photo", "photograph", "img", "pic", "graphic", "screenshot", "screen shot", "figure", "alt", "alt text", "placeholder", "todo", "tbc", "insert alt text", "untitled"}
)
_CAMERA_NAME = _regex.compile(r"^(?:img|dsc|dscn|dscf|pxl|photo|image|screenshot|screen shot|whatsapp image)[\s_-]*[\d_-]+", re.I)
_IMAGE_EXT = _regex.compile(r"\.(?:png|jpe?g|gif|svg|webp|bmp|tiff?|heic|avif)$", re.I)
_IMG_TAG = _regex.compile(r"<img\b[^>]*>", re.I)
_ATTR = _regex.compile(r"""\b([a-z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)


def _split_url(src: str) -> SplitResult:
    """``src`` split into its parts; an address urllib cannot read (an unclosed '[') is
    taken as a plain path, so bad input gives a finding, not a traceback."""
    try:
        return urlsplit(src)
    except ValueError:
        return SplitResult("", "", src, "", "")


def _file_name(src: str) -> str:
    path = _split_url(src).path or src
    return unquote(posixpath.basename(path.rstrip("/")))


def _squash(text: str) -> str:
    return re.sub(r"[\s_\-.]+", " ", text.lower()).strip()


def _alt_problem(alt: str, src: str) -> str | None:
    text = " ".join(alt.split())
    if not text:
        return "empty"
    name = _file_name(src)
    stem = name.rsplit(".", 1)[0] if "." in name else name
    # "ward-round" for ward-round.png is the file name; "Ward round" is the author's words.
    if name and (text.lower() in {name.lower(), stem.lower()} or (" " not in text and _squash(text) in {_squash(name), _squash(stem)})):
        return "file name"
    if _IMAGE_EXT.search(text) or _CAMERA_NAME.match(text):
        return "file name"
    if text.lower().strip(" .:") in _PLACEHOLDER_ALT:
        return "placeholder"
    return None


def _alt_message(problem: str, alt: str, src: str, markdown: bool) -> str:
    name = _file_name(src) or src or "this image"
    how = (
        f"Describe what the picture shows and why it matters inside the square brackets, for example ![A ward manager leading a morning huddle]({src})."
        if markdown
        else 'Add an alt attribute that describes what the picture shows and why it matters, or alt="" if it is purely decorative.'
    )
    if problem == "empty":
        what = f"The image '{name}' has no alt text"
    elif problem == "file name":
        what = f"The image '{name}' has its file name ('{alt.strip()}') as alt text"
    else:
        what = f"The image '{name}' has the placeholder '{alt.strip()}' as alt text"
    return f"{what}, so people using a screen reader, or whose connection does not load the picture, miss what it shows. {how}"


@rule("ACCESS001")
def image_alt_text(module: Module, ctx: RuleContext) -> Iterator[Finding]:
    for image in module.images:
        problem = _alt_problem(image.alt, image.src)
        if problem:
            yield ctx.report(_alt_message(problem, image.alt, image.src, True), image.line, image.column, snippet=image.src)
    # Raw HTML images: alt="" is the HTML way to mark a picture as decorative, so only
    # a missing alt attribute, a file name or a placeholder is reported.
    if not _IMG_TAG.search(module.text):
        return  # blanking code and comments is the costly part, and most modules have no <img>
    text = _body_html_text(module)
    for match in _IMG_TAG.finditer(text):
        attrs = {m.group(1).lower(): next(g for g in m.groups()[1:] if g is not None) for m in _ATTR.finditer(match.group(0))}
        src = attrs.get("src", "")
        if "alt" not in attrs:
            problem: str | None = "empty"
        elif not attrs["alt"].strip():
            continue
        else:
            problem = _alt_problem(attrs["alt"], src)
        if problem:
            line, col = _line_col(text, match.start())
            yield ctx.report(_alt_message(problem, attrs.get("alt", ""), src, False), line, col, snippet=src)


# ---------------------------------------------------------------------------
# ACCESS002 captions and transcripts
# ---------------------------------------------------------------------------

_VIDEO_EXT = frozenset({".mp4", ".m4v", ".mov", ".webm", ".avi", ".mkv", ".ogv", ".wmv", ".mpg", ".mpeg"})
_AUDIO_EXT = frozenset({".mp3", ".m4a", ".wav", ".ogg", ".oga", ".aac", ".flac", ".opus", ".wma"})
_VIDEO_HOSTS = _regex.compile(
    r"(?:^|\.)(?:youtube\.com|youtube-nocookie\.com|youtu\.be|vimeo\.com|stream\.microsoft\.com|microsoftstream\.com|loom\.com|"
    r"wistia\.(?:com|net)|dailymotion\.com|vidyard\.com)$",
    re.I,
)
# A player in the body: <video>, <audio> or an <iframe> from a video site.
_EMBED_START = _regex.compile(r"<(?:video|audio|iframe)\b", re.I)
_EMBED_TAG = _regex.compile(r"<(video|audio|iframe)\b((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.I)
_INNER_TAG = _regex.compile(r"<(source|track)\b((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.I)
_YOUTUBE_ID = _regex.compile(r"(?:/embed/|/shorts/|/live/|[?&]v=|youtu\.be/)([\w-]{6,})")


def _media_kind(item: dict[str, Any]) -> str | None:
    kind = item.get("type")
    if kind in ("video", "audio"):
        return str(kind)
    src = str(item.get("src", ""))
    parts = _split_url(src)
    ext = posixpath.splitext(parts.path.lower())[1]
    if ext in _VIDEO_EXT or _VIDEO_HOSTS.search(parts.hostname or ""):
        return "video"
    if ext in _AUDIO_EXT:
        return "audio"
    return None


def _media_key(src: str) -> str:
    """What identifies a recording, however its address is written: a YouTube or Vimeo
    video's id, otherwise the host and path (no query, no leading './')."""
    parts = _split_url(src.strip())
    host = (parts.hostname or "").lower()
    if "youtu" in host:
        m = _YOUTUBE_ID.search(src)
        if m:
            return f"youtube:{m.group(1)}"
    if host.endswith("vimeo.com"):
        m = re.search(r"/(\d{5,})", parts.path)
        if m:
            return f"vimeo:{m.group(1)}"
    return host + posixpath.normpath(unquote(parts.path)).lstrip("./").lower()


def _tag_attrs(body: str) -> dict[str, str]:
    return {m.group(1).lower(): next(g for g in m.groups()[1:] if g is not None) for m in _ATTR.finditer(body)}


@dataclass(slots=True)
class _Embed:
    """A video or audio element written in HTML in the body."""

    kind: str  # video or audio
    src: str
    line: int
    column: int
    captions: bool  # a <track kind="captions"> (or subtitles) inside it


def _embedded_media(module: Module) -> Iterator[_Embed]:
    """Players written into the body as HTML, outside code and comments."""
    if not _EMBED_START.search(module.text):
        return
    text = _body_html_text(module)
    for match in _EMBED_TAG.finditer(text):
        name = match.group(1).lower()
        attrs = _tag_attrs(match.group(2))
        src = attrs.get("src", "")
        captions = False
        if name in ("video", "audio"):
            close = text.lower().find(f"</{name}", match.end())
            for inner in _INNER_TAG.finditer(text, match.end(), close if close >= 0 else match.end()):
                inner_attrs = _tag_attrs(inner.group(2))
                if inner.group(1).lower() == "source" and not src:
                    src = inner_attrs.get("src", "")
                elif inner.group(1).lower() == "track" and inner_attrs.get("kind", "subtitles").lower() in ("captions", "subtitles"):
                    captions = True
            kind = name
        else:
            kind = _media_kind({"src": src}) or ""
            if kind != "video":
                continue  # a form, a map or a slide deck, not a recording
        line, col = _line_col(text, match.start())
        yield _Embed(kind, src, line, col, captions)


def _transcript_offered(module: Module, line: int) -> bool:
    """A link to a transcript in the same section, or a section called Transcript."""
    seg = module.segment_at(line)
    if any(_TRANSCRIPT.search(h.text) for h in module.headings):
        return True
    return any(
        _TRANSCRIPT.search(f"{link.text} {link.href}") and (seg is None or seg.line <= link.line <= seg.end_line)
        for link in module.links
    )


_TRANSCRIPT = _regex.compile(r"transcript", re.I)


def _undeclared_embeds(module: Module, ctx: RuleContext, declared: set[str]) -> Iterator[Finding]:
    for embed in _embedded_media(module):
        if embed.src and _media_key(embed.src) in declared:
            continue  # its 'media' entry says what it has, and is checked above
        transcript = _transcript_offered(module, embed.line)
        missing = [what for what, has in (("captions", embed.captions or embed.kind == "audio"), ("a transcript", transcript)) if not has]
        if not missing:
            continue
        shown = _short(embed.src, 60) if embed.src else f"the <{embed.kind}> at line {embed.line}"
        who = (
            "People who are deaf or hard of hearing, or watching without sound, need captions; people who cannot listen, or who need to "
            "read at their own pace, need a transcript."
            if embed.kind == "video" else
            "People who are deaf or hard of hearing, or who cannot listen where they are, need a transcript."
        )
        files = _and_list([f"its {name} file ('{key}')" for name, key in (("captions", "captions:"), ("transcript", "transcript:")) if name in " ".join(missing)])
        said = missing[0] if len(missing) == 1 else " or ".join(missing)
        yield ctx.report(
            f"This embedded {embed.kind} ('{shown}') is not listed under 'media' in the front matter, and nothing here says it has "
            f"{said}. {who} List it under 'media:' with its src and 'type: {embed.kind}', and name {files}.",
            embed.line, embed.column, snippet=f"embed:{embed.src}",
        )


@rule("ACCESS002")
def media_captions_transcript(module: Module, ctx: RuleContext) -> Iterator[Finding]:
    media = module.fm("media")
    items = media if isinstance(media, list) else []
    declared = {_media_key(str(item.get("src", ""))) for item in items if isinstance(item, dict) and item.get("src")}
    yield from _media_items(module, ctx, items)
    yield from _undeclared_embeds(module, ctx, declared)


def _media_items(module: Module, ctx: RuleContext, media: list[Any]) -> Iterator[Finding]:
    for i, item in enumerate(media):
        if not isinstance(item, dict):
            continue
        kind = _media_kind(item)
        if kind is None:
            continue
        name = item.get("title") or _file_name(str(item.get("src", ""))) or "this recording"
        if kind == "video" and not _provided(item.get("captions")):
            line, col = module.fm_pos("media", i, "captions")
            yield ctx.report(
                f"The video '{name}' has no captions, so people who are deaf or hard of hearing, or watching without sound "
                f"(on a train, in a shared office), cannot follow it. Add a captions file and name it under 'captions:' for this item, "
                f"e.g. captions: media/{posixpath.splitext(_file_name(str(item.get('src', ''))))[0] or 'video'}.vtt.",
                line, col, snippet=f"{name}:captions",
            )
        if not _provided(item.get("transcript")):
            line, col = module.fm_pos("media", i, "transcript")
            yield ctx.report(
                f"The {kind} '{name}' has no transcript, so people who cannot listen, or who need to read at their own pace or "
                f"come back after an interruption, have no text version. Add a transcript and name it under 'transcript:' for this item.",
                line, col, snippet=f"{name}:transcript",
            )


# ---------------------------------------------------------------------------
# ACCESS003 link text
# ---------------------------------------------------------------------------

# Link text that says nothing out of context. WCAG 2.4.4's techniques name "click here",
# "here", "more", "read more", "link" and "this page" (F84, G91, H30), and a bare file type
# ("PDF", "[PDF]") or "download" says what the link is but not what it leads to.
_VAGUE_LINK_TEXT = frozenset(
    {
        "click here", "click", "here", "this link", "link", "the link", "link here", "this", "read more", "more", "more here", "learn more",
        "find out more", "more information", "more info", "info", "more details", "details", "this page", "page", "this website", "website",
        "click this link", "click on this link", "go", "go here", "see here", "see more", "continue", "tap here", "press here",
        "read this", "view", "view here", "open", "download", "download here", "download this", "document", "this document",
        "the document", "file", "this file", "pdf", "pdf here", "this pdf", "the pdf", "doc", "docx", "word", "word document",
    }
)
_URL_LIKE = _regex.compile(r"^(?:https?://|www\.)\S+$", re.I)
# "www." in any case; starting at the dot lets the search skip ahead to dots.
_WWW_DOT = _regex.compile(r"\.(?<=[wW][wW][wW]\.)")
_BARE_URL = _regex.compile(r"(?<![\w@/])(?:https?://|www\.)[^\s<>()\[\]\"“”]+", re.I)


def _norm_link_text(text: str) -> str:
    text = re.sub(r"\([^)]*\)", " ", text)  # "here (PDF, 2 MB)" says no more than "here"
    text = re.sub(r"[*_`\"“”‘’'.,:;!?>»→…\[\]-]+", " ", text)
    return " ".join(text.lower().split())


@rule("ACCESS003")
def link_text(module: Module, ctx: RuleContext) -> Iterator[Finding]:
    for link in module.links:
        text = link.text.strip()
        if link.autolink or _URL_LIKE.match(text) or (text and text == link.href):
            if link.href.lower().startswith("mailto:") or ("@" in text and not text.lower().startswith(("http", "www"))):
                continue  # an email address as link text says exactly where it goes
            yield ctx.report(
                f"The link text is the web address itself ('{_short(text, 50)}'). A screen reader reads it out character by character, "
                "and it does not say where the link goes. Write the name of the page as the link text, e.g. [name of the page](…).",
                link.line, link.column, snippet=text,
            )
            continue
        if not text:
            yield ctx.report(
                f"This link ('{_short(link.href, 50)}') has no text, so a screen reader has nothing to read out. Put a description of where it goes between the square brackets.",
                link.line, link.column, snippet=link.href,
            )
            continue
        norm = _norm_link_text(text)
        if norm in _VAGUE_LINK_TEXT:
            yield ctx.report(
                f"The link text '{text}' does not say where the link goes. People who scan a page's links, or hear them read out in a list, "
                "cannot tell them apart. Use the name of the page or document as the link text, e.g. 'read the [NHS People Promise](…)'.",
                link.line, link.column, snippet=norm,
            )
    for block in module.blocks:
        if "://" not in block.text and _WWW_DOT.search(block.text) is None:
            continue  # no web address can be written out here
        for match in _BARE_URL.finditer(block.text):
            start = match.start()
            url = match.group(0).rstrip(".,;:!?'’")
            if start > 0 and block.text[start - 1] == "[" and block.text[start + len(url): start + len(url) + 1] == "]":
                continue  # the text of a [https://…](…) link, reported above
            line, col = block.position(start)
            yield ctx.report(
                f"The web address '{_short(url, 50)}' is written out in the text. A screen reader reads it character by character, and it "
                f"says little about where it goes. Make it a link whose text names the page, e.g. [name of the page]({_short(url, 40)}).",
                line, col, snippet=url,
            )


# ---------------------------------------------------------------------------
# ACCESS004 heading structure
# ---------------------------------------------------------------------------

_ATX = _regex.compile(r"^(\s{0,3})(#{1,6})(?=\s|$)")
_STRONG_LINE = _regex.compile(r"^(\s*)(\*\*|__)(.+?)\2\s*$")
# A bold line that is a warning or an instruction is emphasis, not a heading.
_EMPHASIS_START = _regex.compile(r"^(?:do not|don't|don’t|never|always|please|remember|note|warning|important|n\.b\.|caution)\b", re.I)


def _heading_key(text: str) -> str:
    text = re.sub(r"[*_`#]+", " ", text)
    return " ".join(text.lower().split()).rstrip(" .:;!?")


def _hash_fix(module: Module, heading: Heading, level: int, why: str) -> Fix | None:
    line = module.lines[heading.line - 1] if heading.line - 1 < len(module.lines) else ""
    m = _ATX.match(line)
    if not m:
        return None  # setext headings (underlined) cannot take the level of an ATX one in place
    start = module.offset(heading.line, len(m.group(1)) + 1)
    return Fix(why, (Edit(start, start + len(m.group(2)), "#" * level),), safe=False)


@rule("ACCESS004")
def heading_structure(module: Module, ctx: RuleContext) -> Iterator[Finding]:
    quoted_heading_lines = {b.line for b in module.blocks if b.quoted}
    first_h1: Heading | None = None
    previous = 1  # the module title counts as the top of the outline
    # The level the last heading will have once its own skip is fixed: a bold line under it
    # is offered the level below that, so the two fixes agree in one pass.
    effective = 1
    parents: list[tuple[int, int]] = []  # (level, line) of the open ancestors
    seen: dict[tuple[int, int, str], Heading] = {}
    for heading in module.headings:
        if heading.bold_paragraph:
            if heading.line in quoted_heading_lines or _EMPHASIS_START.match(heading.text):
                continue
            # One level below the heading it sits under: it labels part of that section.
            level = min(6, max(2, effective + 1))
            fix = None
            src = module.lines[heading.line - 1] if heading.line - 1 < len(module.lines) else ""
            m = _STRONG_LINE.match(src)
            if m and m.group(3).strip() == heading.text:
                start = module.offset(heading.line, 1)
                fix = Fix(f"Make '{heading.text}' a level-{level} heading", (Edit(start, start + len(src), f"{'#' * level} {heading.text}"),), safe=False)
            yield ctx.report(
                f"'{_short(heading.text)}' is a bold line used as a heading. Screen readers and the page outline do not see it as one, "
                f"so people cannot jump to it. Make it a real heading, e.g. '{'#' * level} {_short(heading.text, 40)}'.",
                heading.line, heading.column, fix=fix, snippet=heading.text,
            )
            continue
        level = heading.level
        key = _heading_key(heading.text)
        if not key:
            yield ctx.report(
                f"This level-{level} heading is empty, so a screen reader announces a heading with nothing in it. Write what the section is about, or remove the heading.",
                heading.line, heading.column, snippet="empty",
            )
        if level == 1:
            if first_h1 is None:
                first_h1 = heading
            else:
                yield ctx.report(
                    f"This is a second top-level heading ('# {_short(heading.text, 40)}'); the first is at line {first_h1.line}. A module has one title; "
                    "make this a section heading with '##'.",
                    heading.line, heading.column, fix=_hash_fix(module, heading, 2, "Make it a level-2 heading"), snippet=key,
                )
        elif level > previous + 1:
            yield ctx.report(
                f"This heading jumps from level {previous} to level {level} ('{'#' * level} {_short(heading.text, 40)}'), skipping a level. "
                f"People who navigate by headings lose their place. Use '{'#' * (previous + 1)}' here.",
                heading.line, heading.column, fix=_hash_fix(module, heading, previous + 1, f"Make it a level-{previous + 1} heading"), snippet=key,
            )
        while parents and parents[-1][0] >= level:
            parents.pop()
        parent_line = parents[-1][1] if parents else 0
        if key:
            other = seen.get((parent_line, level, key))
            if other is not None:
                yield ctx.report(
                    f"The heading '{_short(heading.text, 40)}' repeats the level-{level} heading at line {other.line} in the same part of the module, "
                    "so in a list of headings the two cannot be told apart. Say what is different about this one, e.g. add who or what it is about.",
                    heading.line, heading.column, snippet=key,
                )
            else:
                seen[(parent_line, level, key)] = heading
        parents.append((level, heading.line))
        effective = min(level, effective + 1) if level > 1 else 1
        previous = level


# ---------------------------------------------------------------------------
# ACCESS005 reflow on a phone
# ---------------------------------------------------------------------------


def _code_start(module: Module, line: int) -> int:
    """First content line of a code block: fenced blocks start after the fence line."""
    src = module.lines[line - 1] if 0 < line <= len(module.lines) else ""
    src = re.sub(r"^(?:\s*>)*\s*", "", src)
    return line + 1 if src.startswith(("```", "~~~")) else line


@rule("ACCESS005")
def mobile_reflow(module: Module, ctx: RuleContext) -> Iterator[Finding]:
    max_columns = int(ctx.param("max_table_columns"))
    max_chars = int(ctx.param("max_code_line_chars"))
    for table in module.tables:
        if table.columns > max_columns:
            yield ctx.report(
                f"This table has {table.columns} columns (the limit is {max_columns}). On a phone it does not fit the screen, so people "
                "have to scroll sideways and lose track of the rows. Split it into narrower tables, or turn each row into a short list.",
                table.line, 1, snippet=f"{table.columns} columns",
            )
    for block in module.code_blocks:
        first = _code_start(module, block.line)
        long_lines = [(first + i, len(text.expandtabs(4).rstrip())) for i, text in enumerate(block.content.split("\n")) if len(text.expandtabs(4).rstrip()) > max_chars]
        if not long_lines:
            continue
        line, length = long_lines[0]
        longest = max(n for _, n in long_lines)
        more = f" It is one of {len(long_lines)} lines this long in the block (the longest has {longest})." if len(long_lines) > 1 else ""
        yield ctx.report(
            f"This line of preformatted text is {length} characters long (the limit is {max_chars}).{more} Preformatted text does not wrap, "
            "so on a phone people have to scroll sideways to read it. Break the long lines, or put text that is not code in a normal paragraph.",
            line, 1, snippet=f"{length} characters",
        )


# ---------------------------------------------------------------------------
# ACCESS006 readability
# ---------------------------------------------------------------------------


_ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_DROP_ALNUM = str.maketrans("", "", _ALNUM)


def _may_exceed(sentence: str, limit: int) -> bool:
    """False only when ``sentence`` certainly has at most ``limit`` words. In ASCII text
    two words are always parted by a character that is not a letter or digit, so there
    are at most one more words than such characters; counting those is one C call where
    counting the words is a regular expression."""
    return not sentence.isascii() or len(sentence.translate(_DROP_ALNUM)) + 1 > limit


@rule("ACCESS006")
def readable_prose(module: Module, ctx: RuleContext) -> Iterator[Finding]:
    max_words = int(ctx.param("max_sentence_words"))
    max_grade = float(ctx.param("max_reading_grade"))
    min_words = int(ctx.param("min_paragraph_words"))
    # Words are separated by at least one character, so text of fewer than 2n - 1
    # characters cannot hold n words: most sentences and paragraphs need no counting.
    shortest_long_sentence = 2 * (max_words + 1) - 1
    shortest_graded_paragraph = 2 * min_words - 1
    for block, text in author_blocks(module, kinds=("paragraph", "list-item")):
        if len(text) < min(shortest_long_sentence, shortest_graded_paragraph):
            continue  # too short for a long sentence, and for a reading grade
        long_sentence = False
        for sentence in split_sentences(text):
            if len(sentence.text) < shortest_long_sentence or not _may_exceed(sentence.text, max_words):
                continue
            count = sentence.words
            if count <= max_words or is_list_like(sentence.text):
                continue
            long_sentence = True
            line, col = block.position(sentence.start)
            yield ctx.report(
                f"This sentence has {count} words (the limit is {max_words}): '{_short(sentence.text, 50)}'. Long sentences are hard to "
                "follow, especially when tired or reading in a second language. Split it into shorter sentences with one idea each.",
                line, col, snippet=f"{count} words",
            )
        # A paragraph with a long sentence has already been flagged; one finding per problem.
        if block.kind != "paragraph" or long_sentence or len(text) < shortest_graded_paragraph:
            continue
        grade = reading_grade(text, min_words)
        if grade is None or grade.grade <= max_grade:
            continue
        level = f"about a reading age of {grade.reading_age}" if grade.grade <= 16 else "harder than most university textbooks"
        yield ctx.report(
            f"This paragraph has a reading grade of {grade.grade:.1f} (Flesch-Kincaid, {level}); the limit is "
            f"{max_grade:g}. It averages {grade.words_per_sentence:.0f} words a sentence and {grade.syllables_per_word:.1f} syllables a word. "
            "Use shorter sentences and everyday words, and explain any technical terms.",
            block.line, block.column, snippet=f"grade {grade.grade:.1f}",
        )


# ---------------------------------------------------------------------------
# ACCESS007 breaks in long modules
# ---------------------------------------------------------------------------

_BREAK_HEADING = _regex.compile(r"\bbreak\b", re.I)
# Where the learner sets the pace: a module that keeps their place can be left at any heading.
_LEARNER_PACED = frozenset({"self-paced", "video", "audio"})
_READING_RATE = 200  # words a minute, for a section with no time of its own
# A break the author plans in so many words. At the start of a sentence, list item or
# table cell: "Take a five-minute break", "A comfort break between the two talks",
# "Break (3pm to 3.15pm)". In a sentence: "The session has a five-minute break at the
# halfway point", "There is a short break after the first half hour", "we stop for a
# five-minute break" (but not "the last to take a break"). A bare "break"
# at the start must be followed by a time or a bracket, so "Break the ice" is not one.
_BREAK_SIZE = r"(?:(?:short|quick|brief|planned|comfort|rest|screen|tea|coffee|lunch|leg[\s-]stretch|(?:\d+|\w+)[\s-]min(?:ute)?s?)\s+)?"
_PROSE_BREAK = _regex.compile(
    r"^(?:(?:[-*+•]|\d{1,2}[.)])\s+)?(?:"
    r"(?:(?:take|have)\s+)?an?\s+" + _BREAK_SIZE + r"break\b|"
    + _BREAK_SIZE + r"breaks?(?=\s*(?:$|[(:–—-]|\d|(?:of|for)\s+\d))"
    r")|\b(?:there\s+(?:is|will\s+be)|there['’]s|has|have|includes?|with|then|plus|"
    r"(?:we|you|everyone|the\s+group)\s+(?:will\s+|can\s+)?(?:take|have|stop\s+for|pause\s+for))\s+(?:an?|one|two|three|\d+)\s+" + _BREAK_SIZE + r"breaks?\b",
    re.I,
)
_NEGATION = _regex.compile(r"\b(?:no|not|without|never)\b", re.I)
# Prose inside these is a task or a story, not the author saying when the break is.
_TASK_DIVS = frozenset({"discussion", "reflection", "exercise", "assessment", "case-study", "action-plan"})


def _says_break(text: str) -> bool:
    """Whether prose (a paragraph, list item or table) says when a planned break is."""
    if "reak" not in text:
        return False
    pieces = [cell for row in text.split("\n") for cell in row.split("|")] if text.lstrip().startswith("|") else [s.text for s in split_sentences(text)]
    return any(
        _PROSE_BREAK.search(piece.strip()) and not _NEGATION.search(piece) and not piece.rstrip().endswith("?")
        for piece in pieces
    )


def _planned_break_lines(module: Module) -> list[int]:
    """Lines where the module plans a break: a '::: break', a heading with the word
    "break", or a sentence in the author's own words that says when the break is."""
    lines = [a.line for a in module.activities if a.kind == "break"]
    lines += [h.line for h in module.headings if _BREAK_HEADING.search(h.text)]
    for block, text in author_blocks(module, kinds=("paragraph", "list-item", "table")):
        if block.div not in _TASK_DIVS and _says_break(text):
            lines.append(block.line)
    return lines


def _has_content(module: Module, seg: Segment) -> bool:
    return seg.words > 0 or any(a.segment == seg.index for a in module.activities)


def _why_sections_do_not_fit(module: Module, limit: float, minutes: float, segments: set[int] | None = None) -> str | None:
    """Why the sections (all, or those in ``segments``) do not each fit within ``limit``
    minutes, or None when they do. A section with no time fits when the declared
    duration leaves no more than the limit for all untimed sections together; an
    untimed opening before the first '##' heading also fits by its words."""
    times = [st for st in segment_times(module) if _has_content(module, st.segment) and (segments is None or st.segment.index in segments)]
    timed = [st for st in times if st.time is not None]
    if not timed:
        return "its sections have no times"
    untimed_room = minutes - sum(st.time or 0 for st in segment_times(module) if st.time is not None)
    for st in times:
        name = f"the section '{_short(st.segment.title, 50)}'" if st.segment.title else "the opening"
        if st.time is not None:
            if st.time > limit:
                return f"{name} lasts {format_minutes(st.time)}"
            continue
        if untimed_room <= limit or (st.segment.title is None and st.segment.words / _READING_RATE <= limit):
            continue
        return f"{name} has no time of its own"
    return None


def _title_key(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


@dataclass(slots=True)
class _Session:
    """A live session from the front matter, with the section it is taught in."""

    index: int
    title: str
    when: str  # " on Tuesday at 09:30", or "" when the day or time is not given
    minutes: float
    segment: Segment | None  # the '##' section it is taught in, found by its title


def _live_sessions(module: Module) -> list[_Session]:
    """The module's live sessions, or [] when there are none or one has no readable length."""
    sessions = module.fm("sessions")
    if not isinstance(sessions, list) or not sessions:
        return []
    out: list[_Session] = []
    for i, item in enumerate(sessions):
        length = try_parse_duration(item.get("length")) if isinstance(item, dict) else None
        if length is None:
            return []
        title = item.get("title")
        title = title.strip() if isinstance(title, str) else ""
        day, start = item.get("day"), item.get("start")
        when = f" on {day} at {start}" if day and start else ""
        key = _title_key(title)
        segment = next((s for s in module.segments if key and s.title and f" {key} " in f" {_title_key(s.title)} "), None)
        out.append(_Session(i, title, when, length, segment))
    return out


def _segment_minutes(module: Module, st: Any) -> float | None:
    if st.time is not None:
        return st.time
    if any(a.segment == st.segment.index for a in module.activities):
        return None  # untimed activities: how long is anybody's guess
    return st.segment.words / _READING_RATE


def _self_paced_runs(module: Module, taught: set[int]) -> list[list[Any]]:
    """The sections between live sessions, as runs of consecutive sections (each run
    is done in one go between two sessions)."""
    runs: list[list[Any]] = [[]]
    for st in segment_times(module):
        if st.segment.index in taught:
            runs.append([])
        elif _has_content(module, st.segment):
            runs[-1].append(st)
    return [run for run in runs if run]


_BREAK_HOW = (
    "People managing pain or fatigue need to know when they can stop and rest. Plan a break at least every {limit:g} minutes and "
    "say when it is ({where}), or split {what} into shorter sittings."
)


def _long_sittings(module: Module, ctx: RuleContext, sessions: list[_Session], breaks: list[int], limit: float, minutes: float) -> Iterator[Finding]:
    """ACCESS007 for a module with live sessions: each session is a sitting, and so is
    each stretch of self-paced work between them."""
    first_heading = min((s.line for s in module.segments if s.title), default=module.body_line)
    # A break announced before the first section ("every session has a break halfway") is for them all.
    everywhere = any(line < first_heading for line in breaks)

    def break_in(lines: tuple[int, int] | None) -> bool:
        if everywhere:
            return True
        if lines is None:  # not found in the body: any planned break may be this one's
            return bool(breaks)
        return any(lines[0] <= line <= lines[1] for line in breaks)

    long: dict[str, _Session] = {}  # a session run twice (morning and evening) is reported once
    for session in sessions:
        span = (session.segment.line, session.segment.end_line) if session.segment else None
        if session.minutes > limit and not break_in(span):
            long.setdefault(_title_key(session.title) or f"#{session.index}", session)
    if long:
        first, *others = long.values()
        name = f" '{first.title}'" if first.title else ""
        more = ""
        if others:
            named = _and_list([f"'{o.title}'" if o.title else f"the one{o.when}" for o in others])
            more = f" ({len(others)} more {'session is' if len(others) == 1 else 'sessions are'} also over {limit:g} minutes with no planned break: {named})"
        line, col = module.fm_pos("sessions", first.index, "length")
        where = "a '::: break time=5m' in the session's section, or a line such as 'There is a five-minute break at the halfway point'"
        yield ctx.report(
            f"The live session{name}{first.when} lasts {format_minutes(first.minutes)} ({first.minutes:g} minutes) with no planned break{more}. "
            + _BREAK_HOW.format(limit=limit, where=where, what="the session"),
            line, col, snippet=f"session {first.index + 1}",
        )
    # The self-paced work between sessions can be told apart only when every session is
    # found in the body; otherwise its shape is unknown, and nothing more is said.
    if not all(s.segment is not None for s in sessions):
        return
    taught = {s.segment.index for s in sessions if s.segment is not None}
    resumable = module.fm("resumable") is True
    for run in _self_paced_runs(module, taught):
        parts = [_segment_minutes(module, st) for st in run]
        if any(p is None for p in parts):
            continue
        run_minutes = sum(p for p in parts if p is not None)
        span = (run[0].segment.line, run[-1].segment.end_line)
        if run_minutes <= limit or break_in(span):
            continue
        if resumable and _why_sections_do_not_fit(module, limit, minutes, {st.segment.index for st in run}) is None:
            continue
        titles = [st.segment.title for st in run if st.segment.title]
        what = (f"the self-paced section '{_short(titles[0], 50)}'" if len(titles) == 1
                else f"the self-paced part from '{_short(titles[0], 40)}' to '{_short(titles[-1], 40)}'" if titles else "the self-paced opening")
        yield ctx.report(
            f"{what[0].upper()}{what[1:]} takes about {format_minutes(run_minutes)} ({run_minutes:g} minutes) in one go, with no planned break. "
            + _BREAK_HOW.format(limit=limit, where="a '::: break time=5m' activity", what="it"),
            run[0].segment.line, 1, snippet=f"self-paced {run[0].segment.index}",
        )


@rule("ACCESS007")
def break_in_long_module(module: Module, ctx: RuleContext) -> Iterator[Finding]:
    limit = float(ctx.param("max_minutes_without_break", ctx.audience.shortest_sitting))
    minutes = try_parse_duration(module.fm("duration"))
    if minutes is None or minutes <= limit:
        return  # an unreadable duration is the time family's to report
    fmt = module.fm("format")
    # One to one, the learner and their coach or mentor set the pace together: stopping to
    # rest is a word to one person, not something the module has to plan for a group.
    if fmt in ONE_TO_ONE:
        return
    breaks = _planned_break_lines(module)
    # What matters is a sitting longer than the limit: each live session is one, and so
    # is the self-paced work between them.
    sessions = _live_sessions(module)
    if sessions:
        yield from _long_sittings(module, ctx, sessions, breaks, limit, minutes)
        if all(s.segment is not None for s in sessions) or fmt not in _LEARNER_PACED | {"blended"}:
            return
        # The sessions are not placed in the body, so what the duration leaves over is
        # the self-paced part: one sitting, unless a break is planned or the place is kept.
        attended: dict[str, float] = {}
        for s in sessions:
            key = _title_key(s.title) or f"#{s.index}"  # a session run twice is attended once
            attended[key] = max(attended.get(key, 0.0), s.minutes)
        rest = minutes - sum(attended.values())
        if rest <= limit or breaks:
            return
        if fmt == "blended":
            if module.fm("resumable") is not True:
                line, col = module.fm_pos("duration")
                yield ctx.report(
                    f"Besides its live sessions, this module has about {format_minutes(rest)} ({rest:g} minutes) of self-paced work, with no "
                    "planned break and nothing to say the platform keeps the learner's place ('resumable: true'). "
                    + _BREAK_HOW.format(limit=limit, where="a '::: break time=5m' activity", what="it"),
                    line, col, snippet="self-paced",
                )
            return
        # A self-paced module with a drop-in session: the rest is checked as a whole, below.
    if breaks:
        return
    reason = ""
    if fmt in _LEARNER_PACED:
        if module.fm("resumable") is True:
            # A module that keeps the learner's place, in sections that each fit the limit,
            # gives a stopping point at every heading: a learner can rest at any of them
            # and come back without falling behind.
            why = _why_sections_do_not_fit(module, limit, minutes)
            if why is None:
                return
            reason = f" It keeps the learner's place, but {why}, so it has no place to stop within the limit."
        else:
            reason = " Nothing says the platform keeps the learner's place if they stop ('resumable: true'), so they may have to do it in one go."
    line, col = module.fm_pos("duration")
    yield ctx.report(
        f"This module lasts {format_minutes(minutes)} ({minutes:g} minutes) and has no planned break.{reason} People managing pain or fatigue need to know "
        f"when they can stop and rest. Add a '::: break time=5m' activity at least every {limit:g} minutes, or split the module into shorter sittings.",
        line, col, snippet=f"{minutes:g} minutes",
    )


# ---------------------------------------------------------------------------
# ACCESS008 content notes before sensitive topics
# ---------------------------------------------------------------------------


def _topic_items(topics: Any) -> tuple[tuple[str, str], ...]:
    if isinstance(topics, dict):
        return tuple((str(k), str(v)) for k, v in topics.items())
    # A plain list of words is allowed too: each is its own pattern.
    return tuple((str(t), re.escape(str(t))) for t in (topics if isinstance(topics, (list, tuple)) else ()))


@lru_cache(maxsize=64)  # one entry per configuration of topics: compiled once, not per module
def _compiled_topics(items: tuple[tuple[str, str], ...]) -> tuple[tuple[str, re.Pattern[str], frozenset[str] | None], ...]:
    out = []
    for name, pattern in items:
        # Whole words only, and a hyphen counts as part of a word: "anti-racist",
        # "non-violent" and "trauma-informed" are not the topic itself.
        try:
            compiled = _regex.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])", re.I)
        except re.error:  # a configured topic that is not a valid expression is taken literally
            compiled = _regex.compile(rf"(?<![\w-])(?:{re.escape(pattern)})(?![\w-])", re.I)
        out.append((name, compiled, needed_words(compiled)))
    return tuple(out)


@rule("ACCESS008")
def content_note_before_topic(module: Module, ctx: RuleContext) -> Iterator[Finding]:
    topics = _compiled_topics(_topic_items(ctx.param("topics")))
    listed = module.fm("content_notes")
    fm_notes = " ; ".join(str(n) for n in listed) if isinstance(listed, list) else ""
    notes = [a for a in module.activities if a.kind == "content-note"]
    # The module's title names its subject before anything else can, and tells the
    # learner what the module is about; it is not a mention that needs a note first.
    title_line = module.headings[0].line if module.headings and module.headings[0].level == 1 else 0
    searched = [block for block in module.blocks if block.div != "content-note" and not (block.kind == "heading" and block.line == title_line)]
    # Most topics are in no block: one test on all the text rules them out (needed words
    # hold no line break, so none is found across two blocks); blocks are folded only
    # for a topic that may be there.
    everything = fold("\n".join(block.text for block in searched))
    blocks: list[tuple[TextBlock, str]] | None = None
    for name, pattern, needed in topics:
        if not may_match(needed, everything):
            continue
        if fm_notes and pattern.search(fm_notes):
            continue
        if blocks is None:
            blocks = [(block, fold(block.text)) for block in searched]
        first: tuple[int, int, str] | None = None
        for block, folded in blocks:
            if not may_match(needed, folded):
                continue
            match = pattern.search(block.text)
            if match:
                line, col = block.position(match.start())
                if first is None or (line, col) < first[:2]:
                    first = (line, col, match.group(0))
        if first is None:
            continue
        line, col, found = first
        earlier = [a for a in notes if a.line < line]
        if any(pattern.search(a.text()) for a in earlier):
            continue
        where = (
            f" The content note at line {earlier[-1].line} does not mention {name}."
            if earlier
            else ""
        )
        yield ctx.report(
            f"This is the first mention of {name} ('{found}'), and no content note comes before it.{where} People with lived experience "
            f"need a warning so they can prepare, skip or get support. Add a '::: content-note' before this point that names {name} and "
            f"says how to skip it, or list '{name}' under 'content_notes' in the front matter.",
            line, col, snippet=name,
        )


# ---------------------------------------------------------------------------
# ACCESS009 explicit activity instructions
# ---------------------------------------------------------------------------

# "In pairs,", "In mixed groups of managers and directors:", "On your own," ... before the verb.
# A group's description ("of managers and directors") must end at a comma or colon, so it
# cannot run on into the next words and make the pattern try every way of splitting them.
_LEAD_IN = r"(?:(?:in\s+(?:(?:small|mixed|large|breakout)\s+)?(?:pairs|threes|fours|trios|groups|breakout\s+rooms)(?:\s+of\s+[^,:;.\n]{1,40}[,:;])?|on\s+your\s+own|individually|together|as\s+a\s+(?:group|team|pair)|with\s+(?:a|your)\s+\w+|first|then|next|now|finally|afterwards|to\s+start|to\s+finish|please|for\s+\w+\s+minutes|in\s+your\s+\w+(?:\s+\w+)?)\s*[,:;]?\s+)*"
_TASK_VERBS = (
    "answer ask brainstorm bring capture choose compare complete consider create decide describe discuss draft draw explain explore "
    "fill find identify imagine interview jot list listen look make map name note observe pair pick plan post practise practice prepare "
    "rank rate read record reflect review role-play roleplay score select share sketch spend summarise summarize swap take talk tell think "
    "try turn use watch work write agree go come add"
).split()
_IMPERATIVE = _regex.compile(rf"^\W*{_LEAD_IN}(?:{'|'.join(_TASK_VERBS)})\b", re.I)
_TASK_PHRASE = _regex.compile(r"\b(?:you\s+will|you\s+should|you\s+are\s+asked|your\s+task|each\s+(?:person|of\s+you|pair|group)|take\s+turns)\b", re.I)
_OUTPUT = _regex.compile(
    r"\b(?:write|writes|written|note|notes|jot|list|record|share|post|submit|bring|agree|decide|choose|pick|identify|name|draft|complete|"
    r"summari[sz]e|produce|create|draw|sketch|map|rank|rate|score|prepare|capture|present|report\s+back|feed\s+back|come\s+back\s+with|"
    r"fill\s+in|plan|log|journal|by\s+the\s+end|end\s+with|leave\s+with|action|"
    # A role-play ends in feedback, and a calculation in its answer: both are what the learner has at the end.
    r"feedback|work\s+out|calculate)\b",
    re.I,
)
_TIME_IN_TEXT = _regex.compile(
    r"\b(?:\d+(?:\s*(?:-|–|to)\s*\d+)?|one|two|three|four|five|ten|fifteen|twenty|thirty|forty|forty-five|sixty)[\s-]*(?:minutes?|mins?|hours?|hrs?)\b",
    re.I,
)


def _activity_gaps(act: Activity) -> list[str]:
    text = mask_quotes(act.text())
    if not count_words(text):
        return ["instructions"]
    gaps: list[str] = []
    sentences = [s.text for s in split_sentences(text)]
    if not (_TASK_PHRASE.search(text) or any(_IMPERATIVE.match(s) for s in sentences)):
        gaps.append("task")
    if "time" not in act.attrs and not _TIME_IN_TEXT.search(text):
        gaps.append("time")
    if not _OUTPUT.search(text):
        gaps.append("output")
    return gaps


_GAP_WORDS = {"task": "what to do", "time": "how long it takes", "output": "what to produce by the end"}
_GAP_HOW = {
    "task": "start with a plain instruction (e.g. 'In pairs, discuss…' or 'Think about…')",
    "time": "add time=10m (or the right length) to the ':::' line",
    "output": "say what each person should have at the end (e.g. 'Write down one thing you will try')",
}


@rule("ACCESS009")
def explicit_activity_instructions(module: Module, ctx: RuleContext) -> Iterator[Finding]:
    kinds = {str(k).lower() for k in ctx.param("kinds") or ()}
    for act in module.activities:
        if act.kind not in kinds:
            continue
        gaps = _activity_gaps(act)
        if not gaps:
            continue
        if gaps == ["instructions"]:
            yield ctx.report(
                f"This {act.kind} activity has no instructions. Say what to do, how long it takes and what to produce by the end, "
                "so nobody has to guess what is expected.",
                act.line, 1, snippet="instructions",
            )
            continue
        missing = [_GAP_WORDS[g] for g in gaps]
        said = missing[0] if len(missing) == 1 else ", ".join(missing[:-1]) + " or " + missing[-1]
        how = "; ".join(_GAP_HOW[g] for g in gaps)
        yield ctx.report(
            f"This {act.kind} activity does not say {said}, so people have to guess what is expected. To fix it, {how}.",
            act.line, 1, snippet=",".join(gaps),
        )


# ---------------------------------------------------------------------------
# ACCESS010 mentor-led or face-to-face alternative
# ---------------------------------------------------------------------------

_IN_PERSON = _regex.compile(r"\b(?:mentor\w*|coach\w*|face[\s-]to[\s-]face|in[\s-]person|one[\s-]to[\s-]one|1[:-]1|action[\s-]learning|supervis\w*|live-in-person|peer\s+support\s+group)\b", re.I)


@rule("ACCESS010")
def mentor_or_face_to_face_alternative(module: Module, ctx: RuleContext) -> Iterator[Finding]:
    fmt = module.fm("format")
    online = {str(f) for f in ctx.param("online_formats") or ()}
    if not isinstance(fmt, str) or fmt not in online:
        return
    alternatives = module.fm("alternatives")
    # A single entry not written as a list is MOD004's to report; what it says still counts.
    entries = alternatives if isinstance(alternatives, list) else [alternatives] if isinstance(alternatives, (str, dict)) else []
    for alt in entries:
        text = " ".join(f"{k} {v}" for k, v in alt.items()) if isinstance(alt, dict) else str(alt)
        if _IN_PERSON.search(text):
            return
    line, col = module.fm_pos("format")
    yield ctx.report(
        f"This module is online only (format: {fmt}) and offers no mentor-led or face-to-face way to do it. Some learners are anxious "
        "about learning platforms or learn best with a mentor or coach. Add an 'alternatives:' entry, e.g. '- format: mentoring' with a "
        "description of how to work through the same material with a mentor.",
        line, col, snippet=fmt,
    )


# ---------------------------------------------------------------------------
# ACCESS011 alcohol-centred social activities
# ---------------------------------------------------------------------------

_ALCOHOL_DRINK = (
    r"(?:a\s+few\s+|some\s+|a\s+couple\s+of\s+)?(?:drinks|a\s+(?:quick\s+)?drink(?!\s+of\s+(?:water|tea|coffee|juice|squash))|a\s+pint|pints|wine|beers?|"
    r"a\s+glass\s+of\s+(?:wine|prosecco|champagne|fizz|bubbly)|a\s+bottle\s+of\s+(?:wine|prosecco|champagne))"
)
_ALCOHOL_SOCIAL = _regex.compile(
    r"(?<![\w-])(?:"
    r"(?:drinks|wine|champagne|prosecco|cocktail|fizz)\s+receptions?|"
    r"(?:networking|social|team|leaving|farewell|celebration|celebratory|evening|friday|after-work|post-session)\s+drinks|"
    r"drinks\s+(?:and|&)\s+(?:canap\w*|nibbles|networking)|drinks\s+(?:afterwards|after\s+(?:the\s+\w+|work))|drinks\s+(?:at|in)\s+the\s+(?:local\s+)?(?:bar|pub|hotel)|"
    # "join us for a pint", and "join us at the Red Lion for a pint": a few words may name the place.
    r"(?:go|goes|going|head|heads|heading|join\s+(?:us|them|everyone|colleagues|the\s+group)|meet|meeting|out|stay|staying|invited|invite\s+\w+)\s+"
    r"(?:(?!for\s)[\w'’-]+\s+){0,6}?for\s+" + _ALCOHOL_DRINK + r"|"
    r"over\s+" + _ALCOHOL_DRINK + r"|"
    r"happy\s+hour|pub\s+(?:quiz|social|lunch|crawl|night)|(?:at|to|in)\s+the\s+(?:local\s+|nearby\s+)?pub|(?:local|nearby)\s+pub|"
    r"(?<!called\s)(?:at|to|in)\s+the\s+(?:hotel\s+)?bar(?!\s+(?:chart|graph|exam))|open\s+bar|free\s+bar|bar\s+tab|"
    r"wine\s+(?:tasting|and\s+cheese)|beer\s+tasting|glass\s+of\s+(?:wine|prosecco|champagne|fizz|bubbly)|bottle\s+of\s+(?:wine|prosecco|champagne)|"
    r"(?:with|and)\s+(?:prosecco|champagne|cocktails)|raise\s+a\s+glass|bring\s+a\s+bottle|byob"
    r")(?![\w-])",
    re.I,
)
# A sentence that says the event is alcohol-free, or that discusses drinking culture
# or policy rather than inviting people to drink, is not an alcohol-centred activity.
_ALCOHOL_SAFE = _regex.compile(
    r"alcohol[\s-]free|non[\s-]alcoholic|no[\s-]alcohol|zero[\s-]alcohol|without\s+alcohol|alcohol\s+(?:will\s+not|won['’]t|is\s+not|isn['’]t)|"
    r"not\s+serv\w*\s+alcohol|teetotal|sober|drinking\s+culture|alcohol\s+culture|culture\s+of\s+drinking|"
    r"alcohol\s+polic\w*|drinks?\s+polic\w*|pressure\w*\s+to\s+(?:drink|socialise|socialize)|in\s+recovery|recovery\s+from|dependen\w*|addict\w*|"
    r"alcohol[\s-]cent(?:red|ered)|excludes?|excluded|exclusion|instead\s+of|rather\s+than|replac\w+|"
    r"\bno\s+(?:\w+\s+)?(?:drinks|wine|bar|pub|alcohol)\b|\bnot\s+(?:be\s+)?(?:a\s+|any\s+)?(?:drinks|wine|bar|pub)\b",
    re.I,
)


# Soft drinks on offer make drinks or a reception inclusive, but networking in the bar or
# the pub is still centred on alcohol ("Networking continues in the bar; soft drinks are
# available").
_SOFT_OPTION = _regex.compile(r"soft\s+drinks|mocktails?", re.I)
_VENUE = _regex.compile(r"\b(?:bar|pub|happy\s+hour)\b", re.I)
# "Drinks" on its own may be tea and coffee: a sentence that names only soft drinks is
# not about alcohol ("Join us for drinks: tea, coffee and juice").
_ALCOHOL_WORD = _regex.compile(
    r"\b(?:alcohol\w*|wine|beers?|lager|cider|ales?|prosecco|champagne|fizz|bubbly|cocktails?|spirits|gin|whisk(?:e)?y|vodka|rum|pints?|bar|pub|booze)\b", re.I
)
_SOFT_DRINK = _regex.compile(r"\b(?:tea|coffee|juices?|water|squash|smoothies?|hot\s+chocolate|lemonade|cordial)\b", re.I)


def _alcohol_hits(text: str) -> Iterator[tuple[int, str]]:
    if not may_match(needed_words(_ALCOHOL_SOCIAL), fold(text)):
        return
    for sentence in split_sentences(text):
        match = _ALCOHOL_SOCIAL.search(sentence.text)
        if not match or _ALCOHOL_SAFE.search(sentence.text):
            continue
        if _SOFT_OPTION.search(sentence.text) and not _VENUE.search(match.group(0)):
            continue
        if not _ALCOHOL_WORD.search(sentence.text) and _SOFT_DRINK.search(sentence.text):
            continue
        yield sentence.start + match.start(), match.group(0)


def _alcohol_message(found: str) -> str:
    return (
        f"This plans a social or networking activity around alcohol ('{' '.join(found.split())}'). People who do not drink, including people "
        "in recovery, are left out or put under pressure. Centre it on something else (lunch, coffee, a walk) or make it alcohol-free, and say so."
    )


@rule("ACCESS011")
def alcohol_centred_social(module: Module, ctx: RuleContext) -> Iterator[Finding]:
    if voice_may_match(module, needed_words(_ALCOHOL_SOCIAL)):
        for block, text in author_blocks(module):
            for offset, found in _alcohol_hits(text):
                line, col = block.position(offset)
                yield ctx.report(_alcohol_message(found), line, col, snippet=found.lower())
    sessions = module.fm("sessions")
    for i, session in enumerate(sessions if isinstance(sessions, list) else []):
        title = session.get("title") if isinstance(session, dict) else None
        if isinstance(title, str):
            for _, found in _alcohol_hits(title):
                line, col = module.fm_pos("sessions", i, "title")
                yield ctx.report(_alcohol_message(found), line, col, snippet=found.lower())
                break


# ---------------------------------------------------------------------------
# ACCESS012 religious presumption and observance
# ---------------------------------------------------------------------------

_PRESUMPTION = _regex.compile(
    r"(?<![\w-])(?:"
    r"(?<!no\s)(?<!optional\s)(?:opening|closing)\s+prayers?|let(?:['’]s|\s+us)\s+pray|"
    r"(?:begin|begins|beginning|start|starts|starting|open|opens|opening|close|closes|closing|end|ends|ending)\s+(?:the\s+\w+\s+|our\s+\w+\s+|today\s+)?with\s+(?:a\s+)?(?:short\s+)?prayer|"
    r"(?:a\s+)?moment\s+of\s+prayer|we(?:\s+are|['’]re)\s+(?:all\s+)?(?:so\s+|truly\s+)?blessed|"
    r"we\s+all\s+(?:believe|have\s+faith)\s+in\s+(?:god|a\s+higher\s+power|something)|everyone\s+(?:believes|has\s+faith)\s+in\s+(?:god|something|a\s+higher\s+power)|"
    r"(?:everyone|we\s+all|all\s+of\s+us)\s+(?:has|have)\s+(?:a\s+)?(?:faith|spiritual\s+(?:side|life|self))|"
    r"god\s+bless(?:es)?|by\s+the\s+grace\s+of\s+god|thank\s+god|god\s+willing|(?:in|into)\s+our\s+prayers|thoughts\s+and\s+prayers|"
    r"(?:say|saying)\s+grace|(?:draw|lean|rely)\s+on\s+your\s+faith(?!\s*,?\s*(?:or|and)\s)"
    r")(?![\w-])",
    re.I,
)
_OPTIONAL = _regex.compile(r"\b(?:optional|if\s+you\s+(?:wish|would\s+like|want)|for\s+those\s+who|who\s+wish|who\s+would\s+like|choose\s+to)\b", re.I)
_OBSERVANCE_TEXT = _regex.compile(
    r"(?<![\w-])(?:religious\s+observance|observance|prayer\s+times?|friday\s+prayers|jumu['’]?ah|ramadan|eid|diwali|vaisakhi|passover|yom\s+kippur|rosh\s+hashanah|"
    r"sabbath|shabbat|holy\s+days?|religious\s+(?:festivals?|holidays?))(?![\w-])",
    re.I,
)
_LIVE_FORMATS = frozenset({"live-online", "live-in-person"})


@rule("ACCESS012")
def religious_presumption(module: Module, ctx: RuleContext) -> Iterator[Finding]:
    secular = ctx.audience.needing("no-religious-presumption")
    observant = ctx.audience.needing("religious-observance")
    needed = needed_words(_PRESUMPTION)
    if secular and voice_may_match(module, needed):
        for block, text in author_blocks(module):
            if not may_match(needed, fold(text)):
                continue
            for sentence in split_sentences(text):
                match = _PRESUMPTION.search(sentence.text)
                if not match or _OPTIONAL.search(sentence.text):
                    continue
                line, col = block.position(sentence.start + match.start())
                found = " ".join(match.group(0).split())
                yield ctx.report(
                    f"'{found}' assumes everyone shares a religious belief or practice. People who are not religious, or who hold another faith, "
                    "are left out or have to opt out. Remove it, or make it clearly optional and offer a secular alternative (e.g. a moment of quiet reflection).",
                    line, col, personas=secular, snippet=found.lower(),
                )
    if not observant:
        return
    sessions = module.fm("sessions")
    has_sessions = isinstance(sessions, list) and bool(sessions)
    fmt = module.fm("format")
    if not has_sessions and fmt not in _LIVE_FORMATS:
        return
    if _provided(module.fm("religious_observance")):
        return
    needed = needed_words(_OBSERVANCE_TEXT)
    if voice_may_match(module, needed) and any(may_match(needed, fold(text)) and _OBSERVANCE_TEXT.search(text) for _, text in author_blocks(module)):
        return
    line, col = module.fm_pos("sessions") if has_sessions else module.fm_pos("format")
    count = len(sessions) if has_sessions else 0
    what = f"{count} live session{'s' if count != 1 else ''}" if count else f"live sessions (format: {fmt})"
    yield ctx.report(
        f"This module has {what} but says nothing about religious observance. People who pray at set times or are fasting "
        "need to know they can join. Add 'religious_observance:' to the front matter saying how sessions avoid prayer times "
        "and festivals, and how to ask for another slot.",
        line, col, personas=observant, snippet="religious_observance",
    )
