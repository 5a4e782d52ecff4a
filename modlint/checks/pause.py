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

from modlint.durations import PLACEHOLDERS, try_parse_duration
from modlint.findings import Edit, Finding, Fix, Severity
from modlint.model import Activity, Module, Segment
from modlint.rule import RuleContext, rule

# Same notion of a word as the parser's segment word count, so estimates agree with it.
_WORD = re.compile(r"[A-Za-z0-9\u00C0-\u024F][A-Za-z0-9\u00C0-\u024F'’-]*")
_PROSE_KINDS = ("paragraph", "list-item", "table")

LIVE_FORMATS = frozenset({"live-online", "live-in-person", "action-learning"})
# One-to-one formats are arranged with the learner, so their sessions move to suit them.
ONE_TO_ONE = frozenset({"coaching", "mentoring"})
# Where the facilitator sets the pace: no sections to stop at, no progress to save.
_NOT_SELF_DIRECTED = LIVE_FORMATS | ONE_TO_ONE


def _minutes(n: float) -> str:
    whole = int(round(n))
    return f"{whole} minute" if whole == 1 else f"{whole} minutes"


# A '##' heading that names the live part of a blended module: "Live session: ...",
# "Part 3 (live): workshop", "The webinar", "Session 2: ...". "Live", "in person" and
# "face to face" count only as the name of an event: "How we live our values" and
# "Face-to-face conversations that work" are self-paced reading about something else.
_EVENT = r"(?:online\s+)?(?:session|part|event|webinar|workshop|class|seminar|call|discussion|day|meeting|practice|role-?play)s?\b"
_LIVE_HEADING = re.compile(
    rf"\(live\)|\blive\b(?=\s*(?:[:)\u2013\u2014-]|$|{_EVENT}))|\b(?:in[- ]person|face[- ]to[- ]face)\s+{_EVENT}"
    r"|\b(?:webinar|workshop|masterclass)\b|\bsession\s+(?:\d+|one|two|three|four)\b",
    re.I,
)
# ... unless the heading is about getting ready for it, or following it up: that is self-paced.
_AROUND_LIVE = re.compile(r"\b(?:before|prepar\w*|pre-?work|pre-?reading|ready|after|follow(?:ing|-up|\s+up)?|catch(?:ing)?\s+up)\b", re.I)


def live_segments(module: Module) -> set[int]:
    """Indexes of the '##' sections that are a scheduled live session of a blended module.

    A blended module mixes self-paced sections with sessions listed under 'sessions'. The
    live part is paced by the facilitator at a booked time: a learner cannot stop it at a
    heading, and it is not a sitting in a gap between shifts. A section counts as live only
    when the module lists sessions and the heading says so (it names a session's title, or
    says 'live', 'webinar', 'workshop' and the like); anything less certain stays self-paced.
    """
    if module.fm("format") in _NOT_SELF_DIRECTED:
        return set()
    raw = module.fm("sessions")
    sessions = [s for s in raw if isinstance(s, dict)] if isinstance(raw, list) else []
    if not sessions:
        return set()
    titles = [s["title"].strip().lower() for s in sessions if isinstance(s.get("title"), str) and len(s["title"].strip()) >= 4]
    out: set[int] = set()
    for seg in module.segments:
        if seg.title is None:
            continue
        low = seg.title.lower()
        if _AROUND_LIVE.search(seg.title):
            continue
        if _LIVE_HEADING.search(seg.title) or any(t in low for t in titles):
            out.add(seg.index)
    return out


def _segment_name(seg: Segment) -> str:
    if seg.title is None:
        return "The opening section (before the first '##' heading)"
    return f"The section '{seg.title}'"


# -- PAUSE001 -----------------------------------------------------------------


@dataclass(slots=True)
class _Stretch:
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
            events.append((block.line, "words", float(len(_WORD.findall(block.text)))))
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


@rule("PAUSE001")
def segment_too_long_to_pause(module: Module, ctx: RuleContext) -> Iterator[Finding]:
    # In a live or one-to-one session the facilitator sets the pace, so sections are not
    # where a learner stops; its length is TIME's concern and its recording PAUSE002's.
    if module.fm("format") in _NOT_SELF_DIRECTED:
        return
    limit = float(ctx.param("max_segment_minutes", ctx.audience.shortest_sitting))
    wpm = float(ctx.param("words_per_minute")) or 200.0
    live = live_segments(module)
    for seg in module.segments:
        if seg.index in live:
            continue  # the live part of a blended module is paced by its facilitator
        breaks = [a for a in module.activities if a.segment == seg.index and a.kind == "break" and a.closed]
        line = seg.line
        if seg.title is None:
            first = [b.line for b in module.blocks if b.segment == 0]
            if first:
                line = min(first)
        declared = try_parse_duration(seg.attrs.get("time")) if "time" in seg.attrs else None
        advice = (
            f"Split it with '##' headings into parts of {_minutes(limit)} or less, each ending at a natural "
            f"stopping point, so a learner who is called away can stop and come back to a clear place."
        )
        if declared is not None:
            if not breaks:
                if declared > limit:
                    yield ctx.report(
                        f"{_segment_name(seg)} takes {_minutes(declared)} (its time={seg.attrs['time']}) with no stopping point, "
                        f"longer than the {_minutes(limit)} an interrupted learner can count on. {advice}",
                        line, 1, snippet=seg.title or "",
                    )
                continue
            # The breaks' positions are unknown against a declared total, so only report
            # when even an even split around them leaves a stretch over the limit.
            rest = declared - sum(_timed(b) or 0.0 for b in breaks)
            shortest_longest = rest / (len(breaks) + 1)
            if shortest_longest > limit:
                yield ctx.report(
                    f"{_segment_name(seg)} takes {_minutes(declared)} (its time={seg.attrs['time']}); even if its "
                    f"{'break falls' if len(breaks) == 1 else 'breaks fall'} evenly, a stretch of about {_minutes(shortest_longest)} or more "
                    f"has no stopping point, longer than the {_minutes(limit)} an interrupted learner can count on. {advice}",
                    line, 1, snippet=seg.title or "",
                )
            continue
        stretches = _estimated_stretches(module, seg, wpm)
        longest = max(stretches, key=lambda s: s.minutes)
        if round(longest.minutes) <= limit:
            continue
        parts = []
        if longest.words:
            parts.append(f"{longest.words} words of text at about {int(wpm)} words a minute")
        if longest.activity_minutes:
            parts.append(f"{_minutes(longest.activity_minutes)} of timed activities")
        where = "a stretch between its breaks" if len(stretches) > 1 else "it"
        if "time" in seg.attrs:
            why = f"its time={seg.attrs['time']} cannot be read"
        elif seg.title is None:
            why = "it has no time given"
        else:
            why = "it has no time= on its heading"
        yield ctx.report(
            f"{_segment_name(seg)} is not timed ({why}); {where} is estimated at about {_minutes(longest.minutes)} "
            f"({' plus '.join(parts)}) with no stopping point, longer than the {_minutes(limit)} an interrupted learner "
            f"can count on. {advice}",
            line, 1, snippet=seg.title or "",
        )


# -- PAUSE002 -----------------------------------------------------------------

_NEGATIVE = re.compile(r"^\s*(?:no|none|not|never|false|n/?a)\b", re.I)
_NEGATED_BEFORE = re.compile(r"\b(?:no|not|without|never)\s+(?:\w+\s+)?$", re.I)


def _recording_flag(value: Any) -> bool | None:
    """True, False, or None when the module does not say."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        text = value.strip()
        if not text or text.lower() in PLACEHOLDERS:
            return None  # undecided: treated as not recorded, without saying it was declined
        return not _NEGATIVE.match(text)
    return None


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
    recorded = _recording_flag(raw)
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
                f" You have chosen not to record it, which can be right, for example so that people can speak openly. "
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


def _has_chapters(value: Any) -> bool:
    if value is True:
        return True
    # One chapter marker gives nowhere to resume from but the start.
    return isinstance(value, list) and len([c for c in value if c not in (None, "")]) >= 2


@rule("PAUSE003")
def long_media_without_chapters(module: Module, ctx: RuleContext) -> Iterator[Finding]:
    media = module.fm("media")
    if not isinstance(media, list):
        return
    limit = float(ctx.param("max_media_minutes"))
    for i, item in enumerate(media):
        if not isinstance(item, dict):
            continue
        minutes = try_parse_duration(item.get("duration"))
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
        if (t := try_parse_duration(seg.attrs.get("time"))) is not None
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
        line, col, snippet="duration",
    )


# -- PAUSE005 -----------------------------------------------------------------

_FM_AUTOPLAY = re.compile(r"^(\s*(?:-\s+)?autoplay\s*:\s*)(true|True|TRUE)\s*(?:#.*)?$")
_TAG = re.compile(r"<(video|audio|iframe|meta|marquee|blink)\b((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.I)
_ATTR = re.compile(r"([^\s\"'>/=]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?")
_IFRAME_AUTOPLAY = re.compile(r"([?&](?:amp;)?autoplay=)(1|true)(?![\w])", re.I)
_INLINE_CODE = re.compile(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)


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
