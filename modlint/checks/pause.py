"""The ``pause`` family: can a learner who is interrupted stop, and pick up again?

Several personas learn in short gaps (between meetings, between shifts) or are
called away without warning (a child's crisis, an operational call). These rules
look for the things that make stopping costly: long stretches with no natural
break, live sessions that vanish if missed, long media with nothing to resume
from, progress that is lost, content that moves on by itself, and activities
that straddle a section boundary.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterator

from modlint import _regex, schemas
from modlint.durations import PLACEHOLDERS, try_parse_duration
from modlint.findings import Edit, Finding, Fix, Severity
from modlint.fixes import front_matter_edit, insert_key
from modlint.model import Activity, Heading, Module, Segment
from modlint.rule import RuleContext, rule

# Same notion of a word as the parser's segment word count, so estimates agree with it.
_PROSE_KINDS = ("paragraph", "list-item", "table")
_EPSILON = 0.01

LIVE_FORMATS = frozenset({"live-online", "live-in-person", "action-learning"})
# One-to-one formats are arranged with the learner, so their sessions move to suit them.
ONE_TO_ONE = frozenset({"coaching", "mentoring"})
# Where the facilitator sets the pace: no sections to stop at, no progress to save.
_NOT_SELF_DIRECTED = LIVE_FORMATS | ONE_TO_ONE


def _minutes(n: float) -> str:
    whole = int(round(n))
    return f"{whole} minute" if whole == 1 else f"{whole} minutes"


# -- shared with the time family ----------------------------------------------------


def title_in(title: str | None, names: Any) -> bool:
    """Whether a section title is one of ``names`` ('Transcript' also matches 'Transcript of the video')."""
    if not title or not isinstance(names, (list, tuple)):
        return False
    low = title.strip().lower()
    for name in names:
        stem = str(name).strip().lower()
        if stem and (low == stem or (low.startswith(stem) and not low[len(stem)].isalnum())):
            return True
    return False


def heading_attr_error(module: Module, heading: Heading | Segment) -> bool:
    """Whether the ``{...}`` after a heading could not be read (the parser reports it as
    MOD013 and keeps only the attributes before the error, so a time there may be cut short,
    as ``{time=5h 50m oops}`` is kept as ``time=5h 50m``)."""
    return heading.attr_error is not None


@dataclass(frozen=True, slots=True)
class WrittenTime:
    """A time an author wrote on a heading: ``minutes`` when it can be read, and whether
    one was written at all (a time that cannot be read is not the same as no time)."""

    minutes: float | None
    written: bool

    @property
    def unreadable(self) -> bool:
        return self.written and self.minutes is None


def heading_time(module: Module, heading: Heading | Segment) -> WrittenTime:
    """The ``{time=..}`` of a heading. When the attributes could not be read and mention a
    time, the time is unreadable rather than whatever the parser kept of it."""
    if heading_attr_error(module, heading):
        source = module.lines[heading.line - 1]
        if "time" in heading.attrs or re.search(r"\btime\s*=", source[source.rfind("{") :]):
            return WrittenTime(None, True)
    if "time" not in heading.attrs:
        return WrittenTime(None, False)
    return WrittenTime(try_parse_duration(heading.attrs["time"]), True)


_NEGATIVE = _regex.compile(r"^\s*(?:no|none|not|never|false|n/?a)\b", re.I)
_NEGATED_BEFORE = _regex.compile(r"\b(?:no|not|without|never)\s+(?:\w+\s+)?$", re.I)


def recording_flag(value: Any) -> bool | None:
    """True, False, or None when the module does not say."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        text = value.strip()
        if not text or text.lower() in PLACEHOLDERS:
            return None  # undecided: treated as not recorded, without saying it was declined
        return not _NEGATIVE.match(text)
    return None


def session_recorded(module: Module, session: dict[str, Any]) -> bool | None:
    """Whether a live session is recorded: its own ``recorded`` first, then the module's
    ``recording`` (True, False, or None when neither says)."""
    own = recording_flag(session.get("recorded"))
    return own if own is not None else recording_flag(module.fm("recording"))


def _flag(value: Any) -> bool | None:
    text = str(value).strip().lower() if value is not None else ""
    if text in ("true", "yes", "1"):
        return True
    if text in ("false", "no", "0"):
        return False
    return None


# A '##' heading that names the live part of a blended module: "Live session: ...",
# "Part 3 (live): workshop", "The webinar", "Session 2: ...". "Live", "in person" and
# "face to face" count only as the name of an event: "How we live our values" and
# "Face-to-face conversations that work" are self-paced reading about something else.
_EVENT = r"(?:online\s+)?(?:session|part|event|webinar|workshop|class|seminar|call|discussion|day|meeting|practice|role-?play)s?\b"
_LIVE_HEADING = _regex.compile(
    rf"\(live\)|\blive\b(?=\s*(?:[:)\u2013\u2014-]|$|{_EVENT}))|\b(?:in[- ]person|face[- ]to[- ]face)\s+{_EVENT}"
    r"|\b(?:webinar|workshop|masterclass)\b|\bsession\s+(?:\d+|one|two|three|four)\b",
    re.I,
)
# ... unless the heading is about getting ready for it, or following it up: that is self-paced.
_AROUND_LIVE = _regex.compile(r"\b(?:before|prepar\w*|pre-?work|pre-?reading|ready|after|follow(?:ing|-up|\s+up)?|catch(?:ing)?\s+up)\b", re.I)
_TITLE_WORD = _regex.compile(r"[A-Za-z\u00C0-\u024F]{4,}")
_COMMON_WORDS = frozenset({"with", "your", "from", "into", "about", "what", "when", "this", "that", "their", "them", "they", "session", "sessions"})


def _stems(text: str) -> set[str]:
    """Content words cut to five letters, so 'Practising appraisals' meets 'Appraisal practice'."""
    return {w.lower()[:5] for w in _TITLE_WORD.findall(text) if w.lower() not in _COMMON_WORDS}


def _is_session_section(module: Module, seg: Segment, sessions: list[dict[str, Any]]) -> bool:
    """A section as long as one of the sessions, whose heading uses every word of that
    session's title: 'Practising appraisals together {time=45m}' for a 45m 'Appraisal practice'."""
    minutes = heading_time(module, seg).minutes
    if minutes is None or seg.title is None:
        return False
    words = _stems(seg.title)
    for s in sessions:
        length = try_parse_duration(s.get("length"))
        wanted = _stems(s["title"]) if isinstance(s.get("title"), str) else set()
        if length is not None and abs(length - minutes) <= _EPSILON and wanted and wanted <= words:
            return True
    return False


def live_segments(module: Module) -> set[int]:
    """Indexes of the '##' sections that are a scheduled live session of a blended module.

    A blended module mixes self-paced sections with sessions listed under 'sessions'. The
    live part is paced by the facilitator at a booked time: a learner cannot stop it at a
    heading, and it is not a sitting in a gap between shifts. The author can say so on the
    heading, ``## Practising together {time=45m live=true}`` (and ``live=false`` says a
    section is self-paced, whatever its heading). Otherwise a section counts as live only
    when the module lists sessions and the heading says so: it names a session's title,
    says 'live', 'webinar', 'workshop' and the like, or is as long as a session and uses
    every word of its title. Anything less certain stays self-paced.
    """
    if module.fm("format") in _NOT_SELF_DIRECTED:
        return set()
    raw = module.fm("sessions")
    sessions = [s for s in raw if isinstance(s, dict)] if isinstance(raw, list) else []
    titles = [s["title"].strip().lower() for s in sessions if isinstance(s.get("title"), str) and len(s["title"].strip()) >= 4]
    out: set[int] = set()
    for seg in module.segments:
        if seg.title is None:
            continue
        marked = _flag(seg.attrs.get("live"))
        if marked is not None:
            if marked:
                out.add(seg.index)
            continue
        if not sessions or _AROUND_LIVE.search(seg.title):
            continue
        low = seg.title.lower()
        if _LIVE_HEADING.search(seg.title) or any(t in low for t in titles) or _is_session_section(module, seg, sessions):
            out.add(seg.index)
    return out


# -- media presented in a section ---------------------------------------------


def _has_chapters(value: Any) -> bool:
    if value is True:
        return True
    # One chapter marker gives nowhere to resume from but the start.
    return isinstance(value, list) and len([c for c in value if c not in (None, "")]) >= 2


_STAMP = _regex.compile(r"^\s*(?:(\d+):)?(\d{1,2}):([0-5]\d)\b")


def _chapter_starts(chapters: Any) -> list[float] | None:
    """Chapter start times in minutes, from entries such as '07:30 Opening'; None if any cannot be read."""
    if not isinstance(chapters, list):
        return None
    starts: list[float] = []
    for entry in chapters:
        m = _STAMP.match(str(entry)) if entry not in (None, "") else None
        if m is None:
            return None
        starts.append(int(m.group(1) or 0) * 60 + int(m.group(2)) + int(m.group(3)) / 60)
    return sorted(starts)


def longest_chapter(item: dict[str, Any]) -> float | None:
    """The longest stretch between chapter marks of a media item, when its marks and duration say."""
    length = try_parse_duration(item.get("duration"), clock=True)
    starts = _chapter_starts(item.get("chapters"))
    if length is None or not starts:
        return None
    bounds = [0.0, *[s for s in starts if 0 < s < length], length]
    return max(b - a for a, b in zip(bounds, bounds[1:]))


def _names(item: dict[str, Any]) -> list[str]:
    """How prose may name a media item: its title, and the part of a title after a colon
    ('Running on empty' of 'Episode 1: Running on empty'); a name of one word is too common."""
    title = item.get("title")
    if not isinstance(title, str):
        return []
    names = [title.strip()]
    if ":" in title:
        names.append(title.split(":", 1)[1].strip())
    return [n for n in names if len(n.split()) >= 2]


def normal_text(text: str) -> str:
    """Lower case, one space between words, straight apostrophes: the form names are matched in."""
    return " ".join(text.replace("’", "'").replace("‘", "'").lower().split())


@dataclass(frozen=True, slots=True)
class MediaNames:
    """The ways prose can name one media item, ready to look for in :func:`normal_text`."""

    item: dict[str, Any]
    names: tuple[str, ...]
    pattern: re.Pattern[str] | None
    src: str | None

    @classmethod
    def of(cls, item: dict[str, Any]) -> "MediaNames":
        names = tuple(normal_text(n) for n in _names(item))
        pattern = _regex.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, names))})(?!\w)") if names else None
        src = item.get("src")
        return cls(item, names, pattern, src.strip().lower() if isinstance(src, str) and len(src.strip()) > 3 else None)

    def named_in(self, normal: str) -> bool:
        if self.src and self.src in normal:
            return True
        # A plain search first: most sections name no media at all, and it is far cheaper.
        return self.pattern is not None and any(n in normal for n in self.names) and self.pattern.search(normal) is not None


def names_media(text: str, item: dict[str, Any]) -> bool:
    """Whether ``text`` names a media item by its title or its file."""
    return MediaNames.of(item).named_in(normal_text(text))


def media_by_section(module: Module) -> dict[int, list[dict[str, Any]]]:
    """The media items each '##' section presents: named in its heading or its prose by
    title, or linked from it. Worked out once for the module, as every section asks."""
    media = [MediaNames.of(m) for m in module.fm("media") if isinstance(m, dict)] if isinstance(module.fm("media"), list) else []
    if not media:
        return {}
    texts: dict[int, list[str]] = {seg.index: [seg.title] for seg in module.segments if seg.title is not None}
    for block in module.blocks:
        if block.kind in _PROSE_KINDS and block.segment in texts:
            texts[block.segment].append(block.text)
    for line, target in [(link.line, link.href) for link in module.links] + [(img.line, img.src) for img in module.images]:
        seg = module.segment_at(line)
        if seg is not None and seg.index in texts:
            texts[seg.index].append(target)
    out: dict[int, list[dict[str, Any]]] = {}
    for index, found in texts.items():
        # One string per section, with a line between texts so a name never spans two of them.
        normal = "\n".join(normal_text(t) for t in found)
        out[index] = [m.item for m in media if m.named_in(normal)]
    return out


def _resumable_media(presented: list[dict[str, Any]], limit: float) -> list[tuple[dict[str, Any], float]]:
    """Media presented in a section that a learner can stop and resume in stretches within
    ``limit``: chaptered, with no chapter longer than that. Each comes with its length."""
    out = []
    for item in presented:
        length = try_parse_duration(item.get("duration"), clock=True)
        if length is None or not _has_chapters(item.get("chapters")):
            continue
        longest = longest_chapter(item)
        if longest is not None and longest > limit + _EPSILON:
            continue
        out.append((item, length))
    return out


def _segment_name(seg: Segment) -> str:
    if seg.title is None:
        return "The opening section (before the first '##' heading)"
    return f"The section '{seg.title}'"


# -- PAUSE001 -----------------------------------------------------------------


@dataclass(slots=True)
class _Stretch:
    """Learner time and words since the last stopping point."""

    minutes: float = 0.0
    words: int = 0
    activity_minutes: float = 0.0


def _timed(act: Activity) -> float | None:
    return try_parse_duration(act.attrs.get("time")) if act.closed else None


def _estimated_stretches(module: Module, seg: Segment, wpm: float) -> list[_Stretch]:
    """Estimate each stretch of a segment between its break activities.

    Words inside an activity that has its own time are covered by that time, so they
    are not counted twice; words inside a break are not learning time at all.
    """
    acts = [a for a in module.activities if a.segment == seg.index]
    breaks = [a for a in acts if a.kind == "break" and a.closed]
    covered = [a for a in acts if a.kind == "break" or _timed(a) is not None]

    def inside(line: int) -> bool:
        return any(a.line < line < a.end_line for a in covered)

    events: list[tuple[int, str, float]] = []
    for block in module.blocks:
        if block.segment == seg.index and block.kind in _PROSE_KINDS and not inside(block.line):
            events.append((block.line, "words", float(block.words)))
    for act in acts:
        if act.kind == "break":
            continue
        minutes = _timed(act)
        # A timed activity nested inside another timed one is part of the outer's time.
        if minutes is not None and not any(o is not act and o.line < act.line < o.end_line and _timed(o) is not None for o in acts):
            events.append((act.line, "activity", minutes))
    for brk in breaks:
        events.append((brk.line, "break", 0.0))
    events.sort(key=lambda e: e[0])

    stretches = [_Stretch()]
    for _, kind, value in events:
        if kind == "break":
            stretches.append(_Stretch())
        elif kind == "words":
            stretches[-1].words += int(value)
        else:
            stretches[-1].activity_minutes += value
    for s in stretches:
        s.minutes = s.words / wpm + s.activity_minutes
    return stretches


@dataclass(frozen=True, slots=True)
class SectionStretch:
    """The longest stretch of a section a learner must give without a stopping point.

    With a readable time and no stopping point inside, that is the section's time; with
    breaks or chaptered recordings inside, whose positions are unknown against the total,
    the stretch left if they fall evenly; with no readable time, an estimate from its words
    and activity times between its breaks. TIME004 and PAUSE001 both measure sections so.
    """

    minutes: float
    declared: float | None = None
    breaks: int = 0
    media: int = 0
    estimate: _Stretch | None = None
    pieces: int = 1

    def exceeds(self, limit: float) -> bool:
        if self.estimate is not None:
            return round(self.minutes) > limit  # an estimate is not precise to the minute
        return self.minutes > limit + _EPSILON


def section_stretch(
    module: Module, seg: Segment, limit: float, wpm: float, presented: dict[int, list[dict[str, Any]]] | None = None,
) -> SectionStretch:
    """``presented`` is :func:`media_by_section`, when the caller has it already."""
    declared = heading_time(module, seg).minutes
    if declared is not None:
        breaks = [a for a in module.activities if a.segment == seg.index and a.kind == "break" and a.closed]
        # Chaptered media can be stopped and resumed at each chapter: stopping points, like breaks.
        media = _resumable_media((media_by_section(module) if presented is None else presented).get(seg.index, []), limit)
        if not breaks and not media:
            return SectionStretch(declared, declared)
        rest = declared - sum(_timed(b) or 0.0 for b in breaks) - sum(length for _, length in media)
        return SectionStretch(rest / (len(breaks) + len(media) + 1), declared, len(breaks), len(media))
    stretches = _estimated_stretches(module, seg, wpm)
    longest = max(stretches, key=lambda s: s.minutes)
    return SectionStretch(longest.minutes, estimate=longest, pieces=len(stretches))


def _stopping_points(breaks: int, media: int) -> str:
    parts = []
    if breaks:
        parts.append("its break falls" if breaks == 1 and not media else ("its break" if breaks == 1 else f"its {breaks} breaks"))
    if media:
        parts.append("the chapters of its recording" if media == 1 else "the chapters of its recordings")
    text = " and ".join(parts)
    return text if text.endswith("falls") else f"{text} fall"


@rule("PAUSE001")
def segment_too_long_to_pause(module: Module, ctx: RuleContext) -> Iterator[Finding]:
    # In a live or one-to-one session the facilitator sets the pace, so sections are not
    # where a learner stops; its length is TIME's concern and its recording PAUSE002's.
    if module.fm("format") in _NOT_SELF_DIRECTED:
        return
    limit = float(ctx.param("max_segment_minutes", ctx.audience.longest_stretch))
    wpm = float(ctx.param("words_per_minute")) or 200.0
    skip = ctx.param("skip_titles") or []
    live = live_segments(module)
    presented = media_by_section(module)
    for seg in module.segments:
        if seg.index in live:
            continue  # the live part of a blended module is paced by its facilitator
        if title_in(seg.title, skip):
            continue  # a transcript is another way to take in the media; references are optional
        stretch = section_stretch(module, seg, limit, wpm, presented)
        if stretch.exceeds(limit):
            yield _report_stretch(module, ctx, seg, stretch, limit, wpm)


def _report_stretch(module: Module, ctx: RuleContext, seg: Segment, stretch: SectionStretch, limit: float, wpm: float) -> Finding:
    line = seg.line
    if seg.title is None:
        first = [b.line for b in module.blocks if b.segment == 0]
        if first:
            line = min(first)
    shown = seg.attrs.get("time", "")
    advice = (
        f"Split it with '##' headings into parts of {_minutes(limit)} or less, each ending at a natural "
        f"stopping point, so a learner who is called away can stop and come back to a clear place."
    )
    if stretch.declared is not None and not stretch.breaks and not stretch.media:
        return ctx.report(
            f"{_segment_name(seg)} takes {_minutes(stretch.declared)} (its time={shown}) with no stopping point, "
            f"longer than the {_minutes(limit)} an interrupted learner can count on. {advice}",
            line, 1, snippet=seg.title or "",
        )
    if stretch.declared is not None:
        return ctx.report(
            f"{_segment_name(seg)} takes {_minutes(stretch.declared)} (its time={shown}); even if {_stopping_points(stretch.breaks, stretch.media)} "
            f"evenly, a stretch of about {_minutes(stretch.minutes)} or more "
            f"has no stopping point, longer than the {_minutes(limit)} an interrupted learner can count on. {advice}",
            line, 1, snippet=seg.title or "",
        )
    longest = stretch.estimate or _Stretch()
    parts = []
    if longest.words:
        parts.append(f"{longest.words} words of text at about {int(wpm)} words a minute")
    if longest.activity_minutes:
        parts.append(f"{_minutes(longest.activity_minutes)} of timed activities")
    where = "a stretch between its breaks" if stretch.pieces > 1 else "it"
    if heading_time(module, seg).unreadable:
        why = f"its time={shown} cannot be read" if shown and not heading_attr_error(module, seg) else "the attributes after its heading cannot be read"
    elif seg.title is None:
        why = "it has no time given"
    else:
        why = "it has no time= on its heading"
    return ctx.report(
        f"{_segment_name(seg)} is not timed ({why}); {where} is estimated at about {_minutes(longest.minutes)} "
        f"({' plus '.join(parts)}) with no stopping point, longer than the {_minutes(limit)} an interrupted learner "
        f"can count on. {advice}",
        line, 1, snippet=seg.title or "",
    )


# -- PAUSE002 -----------------------------------------------------------------


def _is_async(item: Any, words: list[str]) -> bool:
    text = item.get("format") if isinstance(item, dict) else item
    if not isinstance(text, str):
        return False
    for word in words:
        for m in re.finditer(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text, re.I):
            if not _NEGATED_BEFORE.search(text[: m.start()]):
                return True
    return False


def _session_label(session: dict[str, Any]) -> str:
    day, start = session.get("day"), session.get("start")
    if day and start:
        return f"the live session on {day} at {start}"
    if day:
        return f"the live session on {day}"
    return "a live session"


@rule("PAUSE002")
def live_without_recording(module: Module, ctx: RuleContext) -> Iterator[Finding]:
    fmt = module.fm("format")
    if fmt in ONE_TO_ONE:
        return
    sessions = [s for s in (module.fm("sessions") or []) if isinstance(s, dict)] if isinstance(module.fm("sessions"), list) else []
    if not sessions and fmt not in LIVE_FORMATS:
        return
    words = [str(w) for w in (ctx.param("async_formats") or [])]
    alternatives = module.fm("alternatives")
    if isinstance(alternatives, list) and any(_is_async(a, words) for a in alternatives):
        return
    raw = module.fm("recording")
    recorded = recording_flag(raw)
    if recorded is False:
        shown = raw.strip().rstrip(".") if isinstance(raw, str) else "false"
        # Not recording can be the right call (a confidential set); the alternative is what is missing.
        declined = f" You have chosen not to record it (recording: {shown}), which can be right, for example to keep a set confidential."
        fix_hint = (
            "Add an asynchronous alternative under 'alternatives', such as a self-paced version or a written summary "
            "with a reflection task, so people who cannot attend live can still take part."
        )
    else:
        declined = ""
        fix_hint = (
            "Record it (recording: true) and share the recording, or add an asynchronous alternative under 'alternatives', "
            "such as a self-paced version or a written summary with a reflection task, so people who cannot attend live can still take part."
        )
    if not sessions:
        if recorded is True:
            return
        line, col = module.fm_pos("recording") if "recording" in (module.front_matter or {}) else module.fm_pos("format")
        yield ctx.report(
            f"This {fmt} module is live, but it is not recorded and 'alternatives' offers no way to take part in your own time.{declined} {fix_hint}",
            line, col, snippet="recording",
        )
        return
    missing = []
    for i, session in enumerate(module.fm("sessions")):
        if not isinstance(session, dict):
            continue
        own = session.get("recorded")
        if own is True or (own is None and recorded is True):
            continue
        missing.append((i, session))
    if not missing:
        return
    explicit = any(isinstance(s.get("recorded"), bool) for _, s in missing)
    if len(missing) == len(sessions) and not explicit:
        line, col = module.fm_pos("recording") if "recording" in (module.front_matter or {}) else module.fm_pos("sessions")
        count = "The live session is not recorded" if len(sessions) == 1 else f"None of the {len(sessions)} live sessions is recorded"
        yield ctx.report(
            f"{count}, and 'alternatives' offers no way to take part in your own time.{declined} {fix_hint}",
            line, col, snippet="recording",
        )
        return
    for i, session in missing:
        line, col = module.fm_pos("sessions", i, "recorded")
        label = _session_label(session)
        if session.get("recorded") is False or recorded is False:
            # The author chose not to record (often to keep the room safe to speak in): telling
            # them to record it would argue with that choice, so only the alternative is asked for.
            advice = (
                " You have chosen not to record it, which can be right, for example so that people can speak openly. "
                "Add an asynchronous alternative under 'alternatives', such as a self-paced version or a written summary "
                "with a reflection task, so people who cannot attend live can still take part."
            )
            how = " (recorded: false)" if session.get("recorded") is False else ""
        else:
            advice = (
                " Set recorded: true for it and share the recording, or add an asynchronous alternative under 'alternatives', "
                "such as a self-paced version or a written summary with a reflection task."
            )
            how = ""
        yield ctx.report(
            f"{label[0].upper()}{label[1:]} is not recorded{how}, and 'alternatives' offers no way to take part in your own time.{advice}",
            line, col, snippet=str(session.get("day", "")),
        )


# -- PAUSE003 -----------------------------------------------------------------


@rule("PAUSE003")
def long_media_without_chapters(module: Module, ctx: RuleContext) -> Iterator[Finding]:
    media = module.fm("media")
    if not isinstance(media, list):
        return
    limit = float(ctx.param("max_media_minutes"))
    for i, item in enumerate(media):
        if not isinstance(item, dict):
            continue
        minutes = try_parse_duration(item.get("duration"), clock=True)
        if minutes is None or minutes <= limit or _has_chapters(item.get("chapters")):
            continue
        kind = item.get("type") if item.get("type") in ("video", "audio") else "recording"
        name = item.get("title") or item.get("src")
        chapters = item.get("chapters")
        what = "has only one chapter marker" if isinstance(chapters, list) and chapters else "has no chapters"
        line, col = module.fm_pos("media", i, "chapters") if "chapters" in item else module.fm_pos("media", i, "duration")
        yield ctx.report(
            f"The {kind} '{name}' is {_minutes(minutes)} long and {what}, so a learner who is interrupted has to hunt "
            f"for their place. Add chapters as a list of timestamps with titles (for example chapters: ['00:00 Introduction', "
            f"'07:30 Opening the conversation']), or chapters: true if the player shows them, or split it into parts of "
            f"{_minutes(limit)} or less.",
            line, col, snippet=str(item.get("src", "")),
        )


# -- PAUSE004 -----------------------------------------------------------------



@rule("PAUSE004")
def long_module_not_resumable(module: Module, ctx: RuleContext) -> Iterator[Finding]:
    if module.fm("format") in _NOT_SELF_DIRECTED:
        return
    resumable = module.fm("resumable")
    if resumable is True:
        return
    minutes = try_parse_duration(module.fm("duration"))
    limit = float(ctx.param("max_unresumable_minutes", ctx.audience.shortest_sitting))
    if minutes is None:
        return
    declared = module.fm("duration")
    # The live sessions of a blended module are not where progress is lost: only the self-paced part counts.
    live = live_segments(module)
    live_minutes = sum(
        t for seg in module.segments if seg.index in live
        if (t := heading_time(module, seg).minutes) is not None
    )
    if 0 < live_minutes < minutes:
        minutes -= live_minutes
        declared = f"{declared}, less {_minutes(live_minutes)} of live session"
        what = "The self-paced part of this module takes"
    else:
        what = "This module takes"
    if minutes <= limit:
        return
    if resumable is False:
        line, col = module.fm_pos("resumable")
        # An explicit false is the author's decision: say what it costs, but as information,
        # unless the configuration has chosen a severity for this rule.
        severity = Severity.INFO if ctx.severity == ctx.meta.severity else None
        yield ctx.report(
            f"{what} {_minutes(minutes)} (duration: {declared}) and is marked resumable: false, so a learner "
            f"who is interrupted loses their progress and has to start again. If that is a deliberate choice, consider "
            f"splitting it into modules of {_minutes(limit)} or less that can each be finished in one sitting.",
            line, col, snippet="resumable", severity=severity,
        )
        return
    line, col = module.fm_pos("duration")
    yield ctx.report(
        f"{what} {_minutes(minutes)} (duration: {declared}) but does not say that progress is kept when a "
        f"learner stops, so someone who is interrupted may have to start again. If the platform saves progress, add "
        f"'resumable: true' to the front matter; if not, split it into modules of {_minutes(limit)} or less.",
        line, col, snippet="duration", fix=_declare_not_resumable(module),
    )


def _misspelt_resumable(module: Module) -> bool:
    """Whether a key MOD005 would rename to 'resumable' is there: adding the key as well
    would leave two of them once both fixes are applied."""
    from difflib import get_close_matches  # only a key that is not known needs it

    known = list(schemas.schema("module")["properties"])
    return any(
        key not in known and get_close_matches(str(key).lower().replace("-", "_"), known, n=1, cutoff=0.6) == ["resumable"]
        for key in module.front_matter or {}
    )


_PLACEHOLDER_NOTE = "set to true if the platform keeps a learner's progress"


def _declare_not_resumable(module: Module) -> Fix | None:
    """Add 'resumable: false' after 'duration', as a placeholder for the author's decision.

    Unsafe: it states something about the platform that only the author knows, and it
    turns this warning into the information PAUSE004 gives for a decided 'false'. The
    comment on the line says what to do if the platform does keep progress."""
    if _misspelt_resumable(module):
        return None

    def mutate(data: Any) -> None:
        insert_key(data, "resumable", False, after="duration")
        # Two spaces before the comment, as YAML style guides (and yamllint) ask.
        data.yaml_add_eol_comment(f"# {_PLACEHOLDER_NOTE}", "resumable", column=len("resumable: false") + 2)

    return front_matter_edit(module, mutate, "Add 'resumable: false' as a placeholder for your decision (set it to true if progress is kept)", safe=False)


# -- PAUSE005 -----------------------------------------------------------------

_FM_AUTOPLAY = _regex.compile(r"^(\s*(?:-\s+)?autoplay\s*:\s*)(true|True|TRUE)\s*(?:#.*)?$")
_TAG = _regex.compile(r"<(video|audio|iframe|meta|marquee|blink)\b((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.I)
_TAG_NAME = _regex.compile(r"<(?:video|audio|iframe|meta|marquee|blink)\b", re.I)
_ATTR = _regex.compile(r"([^\s\"'>/=]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?")
_IFRAME_AUTOPLAY = _regex.compile(r"([?&](?:amp;)?autoplay=)(1|true)(?![\w])", re.I)
_INLINE_CODE = _regex.compile(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)
_COMMENT = _regex.compile(r"<!--.*?-->", re.S)


def _blank(text: str) -> str:
    return "".join("\n" if ch == "\n" else " " for ch in text)


def _body_outside_code(module: Module) -> str:
    """module.text with the front matter, code, inline code and comments blanked, offsets kept."""
    lines = module.text.split("\n")
    code = set()
    for block in module.code_blocks:
        code.update(range(block.line, block.end_line + 1))
    kept = ["" if (i + 1) < module.body_line or (i + 1) in code else ln for i, ln in enumerate(lines)]
    kept = [ln if ln else " " * len(lines[i]) for i, ln in enumerate(kept)]
    text = "\n".join(kept)
    text = _COMMENT.sub(lambda m: _blank(m.group(0)), text)
    # Inline code never spans a blank line, so match it paragraph by paragraph.
    out = []
    for chunk in re.split(r"(\n[ \t]*\n)", text):
        out.append(_INLINE_CODE.sub(lambda m: _blank(m.group(0)), chunk))
    return "".join(out)


def _attrs(body: str, base: int) -> list[tuple[str, str | None, int, int]]:
    """(name, value, start, end) of each attribute, offsets into the module text."""
    out = []
    for m in _ATTR.finditer(body):
        value = m.group(2)
        if value and value[0] in "\"'":
            value = value[1:-1]
        out.append((m.group(1).lower(), value, base + m.start(), base + m.end()))
    return out


@rule("PAUSE005")
def autoplay_or_auto_advance(module: Module, ctx: RuleContext) -> Iterator[Finding]:
    media = module.fm("media")
    if isinstance(media, list):
        for i, item in enumerate(media):
            if not isinstance(item, dict) or item.get("autoplay") is not True:
                continue
            line, col = module.fm_pos("media", i, "autoplay")
            fix = None
            source = module.lines[line - 1] if 0 < line <= len(module.lines) else ""
            m = _FM_AUTOPLAY.match(source)
            if m:
                start = module.offset(line, m.start(2) + 1)
                fix = Fix("Set autoplay: false", (Edit(start, start + len(m.group(2)), "false"),), safe=True)
            kind = item.get("type") if item.get("type") in ("video", "audio") else "media file"
            yield ctx.report(
                f"The {kind} '{item.get('src')}' is set to play by itself (autoplay: true). Sound and movement the learner "
                f"did not choose are distracting, and someone who is called away comes back to find it has moved on. "
                f"Set autoplay: false so it plays when the learner presses play.",
                line, col, fix=fix, snippet="autoplay",
            )
    if "<" not in module.text or _TAG_NAME.search(module.text) is None:
        return  # no player, meta refresh or moving text anywhere: nothing to blank and search
    text = _body_outside_code(module)
    for tag in _TAG.finditer(text):
        name = tag.group(1).lower()
        base = tag.start(2)
        attrs = _attrs(tag.group(2), base)
        line = module.text.count("\n", 0, tag.start()) + 1
        col = tag.start() - (module.text.rfind("\n", 0, tag.start()) + 1) + 1
        snippet = module.text[tag.start() : tag.end()].split("\n", 1)[0][:80]
        if name in ("video", "audio"):
            auto = [a for a in attrs if a[0] == "autoplay"]
            if not auto:
                continue
            _, _, start, end = auto[0]
            has_controls = any(a[0] == "controls" for a in attrs)
            if has_controls:
                # Take the space before the attribute with it.
                while start > base and module.text[start - 1] in " \t":
                    start -= 1
                fix = Fix("Remove the autoplay attribute", (Edit(start, end, ""),), safe=True)
                also = ""
            else:
                fix = Fix("Replace autoplay with controls", (Edit(start, end, "controls"),), safe=True)
                also = " and add 'controls' so the learner can start, pause and stop it"
            yield ctx.report(
                f"This <{name}> plays by itself (it has the autoplay attribute). Sound and movement the learner did not "
                f"choose are distracting, and someone who is called away comes back to find it has moved on. Remove "
                f"'autoplay'{also}.",
                line, col, fix=fix, snippet=snippet,
            )
        elif name == "iframe":
            src = next((a for a in attrs if a[0] == "src" and a[1]), None)
            if src is None:
                continue
            raw = module.text[src[2] : src[3]]
            m = _IFRAME_AUTOPLAY.search(raw)
            if not m:
                continue
            start = src[2] + m.start(2)
            fix = Fix("Set autoplay=0 in the embed address", (Edit(start, src[2] + m.end(2), "0"),), safe=True)
            yield ctx.report(
                "This embedded player starts by itself (its address has autoplay=" + m.group(2) + "). Sound and movement the "
                "learner did not choose are distracting, and someone who is called away comes back to find it has moved "
                "on. Change it to autoplay=0 so it plays when the learner presses play.",
                line, col, fix=fix, snippet=snippet,
            )
        elif name == "meta":
            equiv = next((a[1] for a in attrs if a[0] == "http-equiv"), None)
            if not equiv or equiv.strip().lower() != "refresh":
                continue
            yield ctx.report(
                "This <meta http-equiv=\"refresh\"> reloads or moves the page on by itself after a set time, so a learner "
                "who is reading slowly or has been interrupted loses their place. Remove it, and give a link the learner "
                "can follow when ready.",
                line, col, snippet=snippet,
            )
        else:
            yield ctx.report(
                f"The <{name}> element makes text move or flash by itself, with no way to pause or stop it. Remove it and "
                f"show the text as ordinary, still text.",
                line, col, snippet=snippet,
            )


# -- PAUSE006 -----------------------------------------------------------------


@rule("PAUSE006")
def activity_spans_segments(module: Module, ctx: RuleContext) -> Iterator[Finding]:
    for act in module.activities:
        # An unterminated div runs to the end of the file; MOD013 already says so.
        if not act.closed or not act.crosses_segment:
            continue
        inner = [h for h in module.headings if h.level == 2 and act.line < h.line < act.end_line]
        if not inner:
            continue
        first = inner[0]
        more = f" (and {len(inner) - 1} more '##' heading{'s' if len(inner) > 2 else ''})" if len(inner) > 1 else ""
        yield ctx.report(
            f"The '{act.kind}' activity that starts here runs past the heading '## {first.text}' at line {first.line}{more}, "
            f"so the section ends in the middle of an activity and there is no clean place to stop. Close the activity "
            f"with ':::' before that heading, or move the heading below the activity's closing ':::'.",
            act.line, 1, end_line=act.end_line, snippet=act.kind,
        )
