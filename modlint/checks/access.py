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
from typing import Any, Iterable, Iterator
from urllib.parse import unquote, urlsplit

from modlint.durations import format_minutes, try_parse_duration
from modlint.findings import Edit, Finding, Fix
from modlint.checks.pause import LIVE_FORMATS, ONE_TO_ONE
from modlint.checks.time import segment_times
from modlint.model import Activity, Heading, Module
from modlint.prose import author_blocks, mask_quotes
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


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _code_lines(module: Module) -> set[int]:
    lines: set[int] = set()
    for block in module.code_blocks:
        lines.update(range(block.line, block.end_line + 1))
    return lines


_INLINE_CODE = re.compile(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)")
_COMMENT = re.compile(r"<!--.*?-->", re.S)


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
# ACCESS001 image alt text
# ---------------------------------------------------------------------------

_PLACEHOLDER_ALT = frozenset(
    {"image", "picture", "photo", "photograph", "img", "pic", "graphic", "screenshot", "screen shot", "figure", "alt", "alt text", "placeholder", "todo", "tbc", "insert alt text", "untitled"}
)
_CAMERA_NAME = re.compile(r"^(?:img|dsc|dscn|dscf|pxl|photo|image|screenshot|screen shot|whatsapp image)[\s_-]*[\d_-]+", re.I)
_IMAGE_EXT = re.compile(r"\.(?:png|jpe?g|gif|svg|webp|bmp|tiff?|heic|avif)$", re.I)
_IMG_TAG = re.compile(r"<img\b[^>]*>", re.I)
_ATTR = re.compile(r"""\b([a-z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)


def _file_name(src: str) -> str:
    path = urlsplit(src).path or src
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
_VIDEO_HOSTS = re.compile(r"(?:^|\.)(?:youtube\.com|youtu\.be|vimeo\.com|stream\.microsoft\.com)$", re.I)


def _media_kind(item: dict[str, Any]) -> str | None:
    kind = item.get("type")
    if kind in ("video", "audio"):
        return str(kind)
    src = str(item.get("src", ""))
    ext = posixpath.splitext(urlsplit(src).path.lower())[1]
    if ext in _VIDEO_EXT or _VIDEO_HOSTS.search(urlsplit(src).hostname or ""):
        return "video"
    if ext in _AUDIO_EXT:
        return "audio"
    return None


@rule("ACCESS002")
def media_captions_transcript(module: Module, ctx: RuleContext) -> Iterator[Finding]:
    media = module.fm("media")
    if not isinstance(media, list):
        return
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

_VAGUE_LINK_TEXT = frozenset(
    {
        "click here", "click", "here", "this link", "link", "this", "read more", "more", "learn more", "find out more",
        "more information", "more info", "more details", "details", "this page", "this website", "website", "click this link",
        "click on this link", "go", "see here", "see more", "continue", "tap here", "press here",
    }
)
_URL_LIKE = re.compile(r"^(?:https?://|www\.)\S+$", re.I)
_BARE_URL = re.compile(r"(?<![\w@/])(?:https?://|www\.)[^\s<>()\[\]\"“”]+", re.I)


def _norm_link_text(text: str) -> str:
    text = re.sub(r"\([^)]*\)", " ", text)  # "here (PDF, 2 MB)" says no more than "here"
    text = re.sub(r"[*_`\"“”‘’'.,:;!?>»→…-]+", " ", text)
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

_ATX = re.compile(r"^(\s{0,3})(#{1,6})(?=\s|$)")
_STRONG_LINE = re.compile(r"^(\s*)(\*\*|__)(.+?)\2\s*$")
# A bold line that is a warning or an instruction is emphasis, not a heading.
_EMPHASIS_START = re.compile(r"^(?:do not|don't|don’t|never|always|please|remember|note|warning|important|n\.b\.|caution)\b", re.I)


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


@rule("ACCESS006")
def readable_prose(module: Module, ctx: RuleContext) -> Iterator[Finding]:
    max_words = int(ctx.param("max_sentence_words"))
    max_grade = float(ctx.param("max_reading_grade"))
    min_words = int(ctx.param("min_paragraph_words"))
    for block, text in author_blocks(module, kinds=("paragraph", "list-item")):
        long_sentence = False
        for sentence in split_sentences(text):
            if sentence.words <= max_words or is_list_like(sentence.text):
                continue
            long_sentence = True
            line, col = block.position(sentence.start)
            yield ctx.report(
                f"This sentence has {sentence.words} words (the limit is {max_words}): '{_short(sentence.text, 50)}'. Long sentences are hard to "
                "follow, especially when tired or reading in a second language. Split it into shorter sentences with one idea each.",
                line, col, snippet=f"{sentence.words} words",
            )
        # A paragraph with a long sentence has already been flagged; one finding per problem.
        if block.kind != "paragraph" or long_sentence or count_words(text) < min_words:
            continue
        grade = reading_grade(text)
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

_BREAK_HEADING = re.compile(r"\bbreak\b", re.I)


def _sections_fit(module: Module, limit: float) -> bool:
    """Whether every section with content has a time within ``limit`` (an untimed opening
    before the first '##' heading counts by its words, read at 200 a minute)."""
    timed = False
    for st in segment_times(module):
        if st.segment.words == 0 and not any(a.segment == st.segment.index for a in module.activities):
            continue  # an empty section takes no time
        if st.segment.title is None and st.time is None:
            if st.segment.words / 200 > limit:
                return False
            continue
        if st.time is None or st.time > limit:
            return False
        timed = True
    return timed


@rule("ACCESS007")
def break_in_long_module(module: Module, ctx: RuleContext) -> Iterator[Finding]:
    limit = float(ctx.param("max_minutes_without_break", ctx.audience.shortest_sitting))
    minutes = try_parse_duration(module.fm("duration"))
    if minutes is None or minutes <= limit:
        return  # an unreadable duration is the time family's to report
    if any(a.kind == "break" for a in module.activities):
        return
    if any(h.level >= 1 and _BREAK_HEADING.search(h.text) for h in module.headings):
        return
    fmt = module.fm("format")
    # One to one, the learner and their coach or mentor set the pace together: stopping to
    # rest is a word to one person, not something the module has to plan for a group.
    if fmt in ONE_TO_ONE:
        return
    # A self-paced module that keeps the learner's place, in timed sections that each fit
    # the limit, already gives a stopping point at every heading: a learner can rest at any
    # of them and come back without falling behind.
    if fmt not in LIVE_FORMATS and module.fm("resumable") is True and _sections_fit(module, limit):
        return
    # Separate live sittings, each short enough, have breaks between them.
    sessions = module.fm("sessions")
    if isinstance(sessions, list) and len(sessions) > 1:
        lengths = [try_parse_duration(s.get("length")) if isinstance(s, dict) else None for s in sessions]
        if all(n is not None and n <= limit for n in lengths):
            return
    line, col = module.fm_pos("duration")
    yield ctx.report(
        f"This module lasts {format_minutes(minutes)} ({minutes:g} minutes) and has no break. People managing pain or fatigue need to know "
        f"when they can stop and rest. Add a '::: break time=5m' activity at least every {limit:g} minutes, or split the module into shorter sittings.",
        line, col, snippet=f"{minutes:g} minutes",
    )


# ---------------------------------------------------------------------------
# ACCESS008 content notes before sensitive topics
# ---------------------------------------------------------------------------


def _topic_patterns(topics: Any) -> list[tuple[str, re.Pattern[str]]]:
    out: list[tuple[str, re.Pattern[str]]] = []
    items: Iterable[tuple[str, str]]
    if isinstance(topics, dict):
        items = ((str(k), str(v)) for k, v in topics.items())
    else:  # a plain list of words is allowed too: each is its own pattern
        items = ((str(t), re.escape(str(t))) for t in topics or ())
    for name, pattern in items:
        # Whole words only, and a hyphen counts as part of a word: "anti-racist",
        # "non-violent" and "trauma-informed" are not the topic itself.
        try:
            compiled = re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])", re.I)
        except re.error:  # a configured topic that is not a valid expression is taken literally
            compiled = re.compile(rf"(?<![\w-])(?:{re.escape(pattern)})(?![\w-])", re.I)
        out.append((name, compiled))
    return out


@rule("ACCESS008")
def content_note_before_topic(module: Module, ctx: RuleContext) -> Iterator[Finding]:
    patterns = _topic_patterns(ctx.param("topics"))
    listed = module.fm("content_notes")
    fm_notes = " ; ".join(str(n) for n in listed) if isinstance(listed, list) else ""
    notes = [a for a in module.activities if a.kind == "content-note"]
    # The module's title names its subject before anything else can, and tells the
    # learner what the module is about; it is not a mention that needs a note first.
    title_line = module.headings[0].line if module.headings and module.headings[0].level == 1 else 0
    for name, pattern in patterns:
        if fm_notes and pattern.search(fm_notes):
            continue
        first: tuple[int, int, str] | None = None
        for block in module.blocks:
            if block.div == "content-note" or (block.kind == "heading" and block.line == title_line):
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
_IMPERATIVE = re.compile(rf"^\W*{_LEAD_IN}(?:{'|'.join(_TASK_VERBS)})\b", re.I)
_TASK_PHRASE = re.compile(r"\b(?:you\s+will|you\s+should|you\s+are\s+asked|your\s+task|each\s+(?:person|of\s+you|pair|group)|take\s+turns)\b", re.I)
_OUTPUT = re.compile(
    r"\b(?:write|writes|written|note|notes|jot|list|record|share|post|submit|bring|agree|decide|choose|pick|identify|name|draft|complete|"
    r"summari[sz]e|produce|create|draw|sketch|map|rank|rate|score|prepare|capture|present|report\s+back|feed\s+back|come\s+back\s+with|"
    r"fill\s+in|plan|log|journal|by\s+the\s+end|end\s+with|leave\s+with|action|"
    # A role-play ends in feedback, and a calculation in its answer: both are what the learner has at the end.
    r"feedback|work\s+out|calculate)\b",
    re.I,
)
_TIME_IN_TEXT = re.compile(
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

_IN_PERSON = re.compile(r"\b(?:mentor\w*|coach\w*|face[\s-]to[\s-]face|in[\s-]person|one[\s-]to[\s-]one|1[:-]1|action[\s-]learning|supervis\w*|live-in-person|peer\s+support\s+group)\b", re.I)


@rule("ACCESS010")
def mentor_or_face_to_face_alternative(module: Module, ctx: RuleContext) -> Iterator[Finding]:
    fmt = module.fm("format")
    online = {str(f) for f in ctx.param("online_formats") or ()}
    if not isinstance(fmt, str) or fmt not in online:
        return
    alternatives = module.fm("alternatives")
    for alt in alternatives if isinstance(alternatives, list) else []:
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

_ALCOHOL_DRINK = r"(?:a\s+few\s+|some\s+|a\s+couple\s+of\s+)?(?:drinks|a\s+pint|pints|wine|beers?|a\s+glass\s+of\s+(?:wine|prosecco|champagne|fizz|bubbly)|a\s+bottle\s+of\s+(?:wine|prosecco|champagne))"
_ALCOHOL_SOCIAL = re.compile(
    r"(?<![\w-])(?:"
    r"(?:drinks|wine|champagne|prosecco|cocktail|fizz)\s+receptions?|"
    r"(?:networking|social|team|leaving|farewell|celebration|celebratory|evening|friday|after-work|post-session)\s+drinks|"
    r"drinks\s+(?:and|&)\s+(?:canap\w*|nibbles|networking)|drinks\s+(?:afterwards|after\s+(?:the\s+\w+|work))|drinks\s+(?:at|in)\s+the\s+(?:local\s+)?(?:bar|pub|hotel)|"
    r"(?:go|goes|going|head|heads|heading|join\s+(?:us|them|everyone|colleagues|the\s+group)|meet|meeting|out|stay|staying|invited|invite\s+\w+)\s+(?:out\s+|on\s+)?for\s+" + _ALCOHOL_DRINK + r"|"
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
_ALCOHOL_SAFE = re.compile(
    r"alcohol[\s-]free|non[\s-]alcoholic|no[\s-]alcohol|zero[\s-]alcohol|without\s+alcohol|alcohol\s+(?:will\s+not|won['’]t|is\s+not|isn['’]t)|"
    r"not\s+serv\w*\s+alcohol|soft\s+drinks|mocktails?|teetotal|sober|drinking\s+culture|alcohol\s+culture|culture\s+of\s+drinking|"
    r"alcohol\s+polic\w*|drinks?\s+polic\w*|pressure\w*\s+to\s+(?:drink|socialise|socialize)|in\s+recovery|recovery\s+from|dependen\w*|addict\w*|"
    r"alcohol[\s-]cent(?:red|ered)|excludes?|excluded|exclusion|instead\s+of|rather\s+than|replac\w+|"
    r"\bno\s+(?:\w+\s+)?(?:drinks|wine|bar|pub|alcohol)\b|\bnot\s+(?:be\s+)?(?:a\s+|any\s+)?(?:drinks|wine|bar|pub)\b",
    re.I,
)


def _alcohol_hits(text: str) -> Iterator[tuple[int, str]]:
    for sentence in split_sentences(text):
        if _ALCOHOL_SAFE.search(sentence.text):
            continue
        match = _ALCOHOL_SOCIAL.search(sentence.text)
        if match:
            yield sentence.start + match.start(), match.group(0)


def _alcohol_message(found: str) -> str:
    return (
        f"This plans a social or networking activity around alcohol ('{' '.join(found.split())}'). People who do not drink, including people "
        "in recovery, are left out or put under pressure. Centre it on something else (lunch, coffee, a walk) or make it alcohol-free, and say so."
    )


@rule("ACCESS011")
def alcohol_centred_social(module: Module, ctx: RuleContext) -> Iterator[Finding]:
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

_PRESUMPTION = re.compile(
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
_OPTIONAL = re.compile(r"\b(?:optional|if\s+you\s+(?:wish|would\s+like|want)|for\s+those\s+who|who\s+wish|who\s+would\s+like|choose\s+to)\b", re.I)
_OBSERVANCE_TEXT = re.compile(
    r"(?<![\w-])(?:religious\s+observance|observance|prayer\s+times?|friday\s+prayers|jumu['’]?ah|ramadan|eid|diwali|vaisakhi|passover|yom\s+kippur|rosh\s+hashanah|"
    r"sabbath|shabbat|holy\s+days?|religious\s+(?:festivals?|holidays?))(?![\w-])",
    re.I,
)
_LIVE_FORMATS = frozenset({"live-online", "live-in-person"})


@rule("ACCESS012")
def religious_presumption(module: Module, ctx: RuleContext) -> Iterator[Finding]:
    secular = ctx.audience.needing("no-religious-presumption")
    observant = ctx.audience.needing("religious-observance")
    if secular:
        for block, text in author_blocks(module):
            for sentence in split_sentences(text):
                if _OPTIONAL.search(sentence.text):
                    continue
                match = _PRESUMPTION.search(sentence.text)
                if not match:
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
    if any(_OBSERVANCE_TEXT.search(text) for _, text in author_blocks(module)):
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
