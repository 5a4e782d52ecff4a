"""The ``time`` family: does the module say honestly how long it takes, and can
learners with little, interrupted or rota-bound time actually take part?

Every figure here is in minutes. Times come from three places: the front matter
(``duration``, ``sessions``, ``media``, ``time_limit``), ``{time=..}`` on headings
and ``time=..`` on activity divs. A segment's time covers everything inside it,
so nothing nested under a timed heading or a timed activity is counted twice.
"""
from __future__ import annotations

import bisect
import datetime as _dt
import math
import re
from dataclasses import dataclass
from typing import Any, Iterable, Iterator

from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

from modlint import _regex
from modlint.durations import DurationError, canonical_spelling, format_minutes, parse_duration, try_parse_duration
from modlint.findings import Finding, Fix
from modlint.fixes import CommentedMap, front_matter_edit, insert_key, set_value
from modlint.checks.pause import (
    ONE_TO_ONE, MediaNames, heading_time, live_segments, media_by_section, normal_text, section_stretch, session_recorded, title_in,
)
from modlint.model import Activity, Module, Segment, TextBlock
from modlint.prose import author_blocks, sentence_span, sentences
from modlint.rule import RuleContext, rule

# Prose that a learner reads; headings are labels, not reading.
_READ_KINDS = ("paragraph", "list-item", "table")
_LIVE_FORMATS = frozenset({"live-online", "live-in-person", "blended", "action-learning"})
_FALSY_WORDS = frozenset({"", "no", "none", "false", "off", "n/a", "na", "0", "not recorded", "never"})
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY_WORD = _regex.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)s?\b", re.I)
_EPSILON = 0.01


# -- shared helpers -------------------------------------------------------------


def _num(value: Any, fallback: float) -> float:
    """A numeric parameter; a configured value that is not a number falls back rather than crash a run."""
    try:
        out = float(value)
    except (TypeError, ValueError):
        return fallback
    return out if math.isfinite(out) else fallback


def _fmt(minutes: float) -> str:
    # format_minutes rounds, so a half minute of reading would show as "0m".
    return "under 1m" if 0 < minutes < 0.5 else format_minutes(minutes)


def _truthy(value: Any) -> bool:
    """Front matter flags are written freely: ``true``, ``"yes"``, or a sentence describing the route."""
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    if isinstance(value, (int, float)):
        return value != 0
    if isinstance(value, (list, dict)):
        return bool(value)
    return str(value).strip().lower() not in _FALSY_WORDS


def declared_duration(module: Module) -> float | None:
    """The module's declared duration, or None when TIME001 has something to say about it."""
    minutes = try_parse_duration(module.fm("duration"))
    return minutes if minutes and minutes > 0 else None


def activity_time(act: Activity) -> float | None:
    raw = act.attrs.get("time")
    return try_parse_duration(raw) if raw is not None else None


def timed_activities(module: Module) -> list[tuple[Activity, float]]:
    """Activities with a readable time that are not inside another timed activity
    (an outer activity's time already covers what it contains)."""
    timed = sorted(((a, t) for a in module.activities if (t := activity_time(a)) is not None), key=lambda pair: pair[0].line)
    out: list[tuple[Activity, float]] = []
    reach, reach_line = 0, 0  # the furthest end line of a timed activity opened on an earlier line
    pending = 0  # the furthest end line among activities opened on the current line
    for act, minutes in timed:
        if act.line != reach_line:
            reach, reach_line, pending = max(reach, pending), act.line, 0
        # Inside an earlier one exactly when an activity opened before it ends at or after its end.
        if not (reach and act.end_line <= reach):
            out.append((act, minutes))
        pending = max(pending, act.end_line)
    return out


def reading_words(module: Module, blocks: Iterable[TextBlock] | None = None) -> int:
    """Words a learner reads outside timed activities (whose time already covers their text)."""
    spans = sorted((a.line, a.end_line) for a, _ in timed_activities(module))
    starts = [start for start, _ in spans]
    total = 0
    for block in module.blocks if blocks is None else blocks:
        if block.kind not in _READ_KINDS:
            continue
        # Top-level spans do not overlap: only the last one starting at or before the block can hold it.
        i = bisect.bisect_right(starts, block.line) - 1
        if i >= 0 and block.line <= spans[i][1]:
            continue
        total += block.words
    return total


@dataclass(slots=True)
class SegmentTime:
    """The time a ``##`` section declares, and the time its parts add up to."""

    segment: Segment
    heading_time: float | None  # from ``## Title {time=..}``
    parts_time: float | None  # sub-headings and activities inside it, without double counting
    unreadable: bool = False  # a time was written on the heading but cannot be read

    @property
    def time(self) -> float | None:
        """The section's time; for an unreadable heading time, what its parts add up to,
        which is only the least it can take."""
        return self.heading_time if self.heading_time is not None else self.parts_time


def segment_times(module: Module) -> list[SegmentTime]:
    """For every segment: its own time and the sum of the timed things inside it."""
    top = timed_activities(module)
    out: list[SegmentTime] = []
    for seg in module.segments:
        written = heading_time(module, seg) if seg.title is not None else None
        subs = [h for h in module.headings if h.level >= 3 and seg.line < h.line <= seg.end_line and not h.bold_paragraph]
        sub_spans: list[tuple[int, int, float]] = []
        for i, h in enumerate(subs):
            t = heading_time(module, h).minutes
            if t is None:
                continue
            end = seg.end_line
            for later in subs[i + 1 :]:
                if later.level <= h.level:
                    end = later.line - 1
                    break
            sub_spans.append((h.line, end, t))
        parts = [t for _, _, t in sub_spans]
        for act, t in top:
            if not seg.line <= act.line <= seg.end_line:
                continue
            if any(start < act.line <= end for start, end, _ in sub_spans):
                continue
            parts.append(t)
        out.append(SegmentTime(
            seg, written.minutes if written else None, sum(parts) if parts else None, unreadable=bool(written and written.unreadable),
        ))
    return out


def _has_content(module: Module, seg: Segment) -> bool:
    return seg.words > 0 or any(a.segment == seg.index for a in module.activities)


def _set_duration(data: CommentedMap, text: str) -> None:
    """Set or add 'duration' in the round-tripped front matter: a quoted value stays quoted,
    a block scalar becomes a plain one, the comment after it stays, and a new key goes
    after 'format' (where the format guide puts it)."""
    if "duration" not in data:
        insert_key(data, "duration", text, after="format")
    elif isinstance(data["duration"], (LiteralScalarString, FoldedScalarString)):
        data["duration"] = text
    else:
        set_value(data, "duration", text)


def _duration_fix(module: Module, minutes: float, description: str, *, safe: bool = False) -> Fix | None:
    """Write 'duration' through ruamel.yaml's round trip, so comments, quoting and key order survive."""
    text = format_minutes(minutes)
    return front_matter_edit(module, lambda data: _set_duration(data, text), description, safe=safe)


def _round_up(minutes: float, step: int = 5) -> float:
    return float(math.ceil(minutes / step) * step)


def section_total(module: Module) -> float:
    """What the author's section times add up to (0 when no '##' heading has a time)."""
    times = segment_times(module)
    if not any(st.heading_time is not None for st in times if st.segment.title is not None):
        return 0.0
    return sum(st.time or 0 for st in times)


# -- TIME001 -----------------------------------------------------------------------


@rule("TIME001")
def duration_missing(module: Module, ctx: RuleContext) -> Iterator[Finding]:
    fm = module.front_matter
    if not isinstance(fm, dict):
        return  # no front matter at all is MOD001/MOD003's business
    how = "Write how long a learner needs in total, e.g. 'duration: 45m' or 'duration: 1h30m', so people with an hour or two a week can plan for it."
    if "duration" not in fm:
        line, col = module.fm_start or 1, 1
        suggestion = _sum_suggestion(module)
        fix = _duration_fix(module, suggestion, f"Add 'duration: {format_minutes(suggestion)}' (the sum of the section times)") if suggestion is not None else None
        extra = f" The section times add up to {format_minutes(suggestion)}." if suggestion is not None else ""
        yield ctx.report(f"The front matter has no 'duration'. {how}{extra}", line, col, fix=fix, snippet="duration")
        return
    value = fm["duration"]
    line, col = module.fm_pos("duration")
    if isinstance(value, (list, dict)) or isinstance(value, bool):
        kind = "a list" if isinstance(value, list) else ("a set of keys" if isinstance(value, dict) else f"'{str(value).lower()}'")
        yield ctx.report(f"'duration' is {kind}, not a length of time. {how}", line, col, snippet="duration")
        return
    try:
        minutes = parse_duration(value)
    except DurationError as err:
        suggestion = _sum_suggestion(module)
        fix = _duration_fix(module, suggestion, f"Set 'duration' to {format_minutes(suggestion)} (the sum of the section times)") if suggestion is not None else None
        extra = f" The section times add up to {format_minutes(suggestion)}." if suggestion is not None else ""
        if value is None or str(value).strip() == "":
            yield ctx.report(f"'duration' is empty. {how}{extra}", line, col, fix=fix, snippet="duration")
        elif err.placeholder:
            yield ctx.report(f"'duration' is '{str(value).strip()}', a placeholder rather than a time. {how}{extra}", line, col, fix=fix, snippet=str(value))
        elif err.clock:
            first, second = str(value).strip().split(":")
            yield ctx.report(
                f"'duration' is '{str(value).strip()}', which reads like a clock: it could mean '{first}h{second}m' or '{first}m{second}s'. "
                f"Write it with units, e.g. 'duration: {first}h{second}m'.{extra}",
                line, col, fix=fix, snippet=str(value),
            )
        else:
            yield ctx.report(
                f"'duration' is '{str(value).strip()}', which modlint cannot read as a length of time. "
                f"Use minutes and hours in figures, e.g. '45m', '90 min' or '1h30m'.{extra}",
                line, col, fix=fix, snippet=str(value),
            )
        return
    if minutes <= 0:
        yield ctx.report(f"'duration' is zero. {how}", line, col, snippet=str(value))


def _sum_suggestion(module: Module) -> float | None:
    """The sum of the section times, but only when every section with content has one."""
    titled = [st for st in segment_times(module) if st.segment.title is not None and _has_content(module, st.segment)]
    if not titled or any(st.heading_time is None for st in titled):
        return None
    total = sum(st.heading_time or 0 for st in titled)
    return total if total > 0 else None


# -- TIME002 -----------------------------------------------------------------------


def _allowed(declared: float, ctx: RuleContext) -> float:
    pct = _num(ctx.param("tolerance_percent"), 10.0)
    flat = _num(ctx.param("tolerance_minutes"), 5.0)
    return max(flat, declared * pct / 100.0)


@rule("TIME002")
def times_do_not_add_up(module: Module, ctx: RuleContext) -> Iterator[Finding]:
    # Unreadable times first: they are why a total cannot be trusted.
    for h in module.headings:
        raw = h.attrs.get("time")
        if raw is not None and try_parse_duration(raw) is None:
            yield ctx.report(
                f"The time '{raw}' on the heading '{h.text}' cannot be read, so the module's timing cannot be checked. "
                "Write it in figures, e.g. {time=15m} or {time=1h}.",
                h.line, h.column, snippet=raw,
            )
    for act in module.activities:
        raw = act.attrs.get("time")
        if raw is not None and try_parse_duration(raw) is None:
            yield ctx.report(
                f"The time '{raw}' on this {act.kind} activity cannot be read, so the module's timing cannot be checked. "
                "Write it in figures, e.g. time=10m.",
                act.line, 1, snippet=raw,
            )
    yield from _unreadable_media_durations(module, ctx)

    declared = declared_duration(module)
    times = segment_times(module)
    # A heading whose attributes could not be read (MOD013 says why) holds an unknown time:
    # what is left of it is no basis for a total, so no gap is reported after it.
    uncertain = any(st.unreadable for st in times)

    # Inside a section: its activities and sub-sections cannot take longer than the section itself.
    for st in times:
        if st.heading_time is not None and st.parts_time is not None and st.parts_time > st.heading_time + _EPSILON:
            yield ctx.report(
                f"The section '{st.segment.title}' is given {_fmt(st.heading_time)}, but the times inside it add up to {_fmt(st.parts_time)}. "
                f"Make the section's time at least {_fmt(st.parts_time)}, or shorten the activities in it.",
                st.segment.line, 1, snippet=st.segment.title or "",
            )

    titled = [st for st in times if st.segment.title is not None]
    heading_timed = [st for st in titled if st.heading_time is not None]
    any_time = any(st.time is not None for st in times)
    if not any_time:
        return  # the author has not timed anything, so there is nothing to add up; TIME003 estimates instead

    # A section without a time, when the author times other sections.
    skip_titles = ctx.param("untimed_titles") or []
    missing: list[SegmentTime] = []
    if heading_timed:
        missing = [
            st for st in titled
            if st.time is None and not st.unreadable and "time" not in st.segment.attrs and _has_content(module, st.segment)
            and not title_in(st.segment.title, skip_titles)
        ]
    # A short stretch of reading with nothing to do in it (a welcome, a running order, a list of
    # where to get support) needs no time of its own when the timed sections already account for
    # the duration: the total can be checked, and it agrees. Only a gap that matters is reported.
    if missing and declared is not None:
        rate = _num(ctx.param("reading_rate"), 200.0) or 200.0
        small = _num(ctx.param("untimed_max_minutes"), 2.0)
        block_words: dict[int, int] = {}
        for block in module.blocks:
            if block.kind in _READ_KINDS:
                block_words[block.segment] = block_words.get(block.segment, 0) + block.words

        def reading_only(st: SegmentTime) -> bool:
            # A content note is read, not done: it is part of the reading, not an activity to time.
            no_activity = not any(a.segment == st.segment.index and a.kind != "content-note" for a in module.activities)
            return no_activity and block_words.get(st.segment.index, 0) / rate <= small + _EPSILON

        timed_total = sum(st.time or 0 for st in times)
        untimed_reading = sum(
            block_words.get(st.segment.index, 0) / rate for st in times if st.time is None
        )
        if abs(declared - (timed_total + untimed_reading)) <= _allowed(declared, ctx):
            missing = [st for st in missing if not reading_only(st)]
    # With one section missing, the duration tells what it should be; otherwise any figure is an example.
    left = (declared - sum(st.time or 0 for st in times)) if declared is not None and len(missing) == 1 else None
    for st in missing:
        if left is not None and left >= 1:
            hint = f"'## {st.segment.title} {{time={format_minutes(left)}}}' (the time 'duration' leaves for it)"
        else:
            hint = f"'## {st.segment.title} {{time=10m}}'"
        yield ctx.report(
            f"The section '{st.segment.title}' has no time, but other sections have one, so the module's total cannot be checked. "
            f"Add its time to the heading, e.g. {hint}.",
            st.segment.line, 1, snippet=st.segment.title or "",
        )

    if declared is None:
        return  # TIME001 reports the duration itself
    total = sum(st.time or 0 for st in times)
    allowed = _allowed(declared, ctx)
    line, col = module.fm_pos("duration")
    untimed_content = [st for st in titled if st.time is None and _has_content(module, st.segment) and not title_in(st.segment.title, skip_titles)]
    # Activity times alone leave out reading and video: TIME003 weighs those against the duration.
    if heading_timed and total > declared + allowed:
        fix = _duration_fix(module, total, f"Set 'duration' to {format_minutes(total)}") if not untimed_content and not uncertain else None
        yield ctx.report(
            f"The section and activity times add up to {_fmt(total)}, but 'duration' says {_fmt(declared)} "
            f"({_fmt(total - declared)} more than declared, counting breaks). "
            f"Set 'duration' to {_fmt(total)}, or shorten the sections so they fit.",
            line, col, fix=fix, snippet="duration",
        )
    elif (
        total < declared - allowed and not untimed_content and not missing and not uncertain
        and heading_timed and len(heading_timed) == len([st for st in titled if st.time is not None])
    ):
        # Only when every section carries its own time: activity times alone leave out reading.
        # Never offer a duration shorter than the live sessions the learner must attend.
        raw_sessions = module.fm("sessions")
        session_total = sum(
            length for s in (raw_sessions if isinstance(raw_sessions, list) else [])
            if isinstance(s, dict) and (length := try_parse_duration(s.get("length"))) is not None
        )
        fix = _duration_fix(module, total, f"Set 'duration' to {format_minutes(total)}") if total + _EPSILON >= session_total else None
        yield ctx.report(
            f"The section times add up to {_fmt(total)}, but 'duration' says {_fmt(declared)} ({_fmt(declared - total)} unaccounted for). "
            f"Give the missing time to the sections it belongs to (or add a break), or set 'duration' to {_fmt(total)}.",
            line, col, fix=fix, snippet="duration",
        )


def _media_label(item: dict[str, Any]) -> str:
    kind = item.get("type") if item.get("type") in ("video", "audio") else "media item"
    name = item.get("title") or item.get("src")
    return f"the {kind} '{name}'" if isinstance(name, str) and name.strip() else f"a {kind}"


def _unreadable_media_durations(module: Module, ctx: RuleContext) -> Iterator[Finding]:
    media = module.fm("media")
    for i, item in enumerate(media if isinstance(media, list) else []):
        # A value of the wrong type (a list, say) is MOD004's to report.
        if not isinstance(item, dict) or not isinstance(item.get("duration"), str):
            continue
        raw = item["duration"]
        try:
            parse_duration(raw, clock=True)
        except DurationError as err:
            what = "a placeholder rather than a length" if err.placeholder else "not a length modlint can read"
            line, col = module.fm_pos("media", i, "duration")
            yield ctx.report(
                f"The duration '{raw}' of {_media_label(item)} is {what}, so the module's timing cannot be checked "
                "and no rule can tell whether it needs chapters. Write it in figures, e.g. 'duration: 12m', "
                "or as the player shows it, e.g. 'duration: \"12:30\"'.",
                line, col, snippet=str(raw),
            )


# -- TIME003 -----------------------------------------------------------------------


@rule("TIME003")
def duration_underestimated(module: Module, ctx: RuleContext) -> Iterator[Finding]:
    declared = declared_duration(module)
    if declared is None:
        return
    rate = _num(ctx.param("reading_rate"), 200.0)
    if rate <= 0:
        rate = 200.0
    # A transcript is another way to take in the media, and references are optional: neither adds time.
    skipped = {seg.index for seg in module.segments if title_in(seg.title, ctx.param("skip_titles"))}
    words = reading_words(module, [b for b in module.blocks if b.segment not in skipped])
    reading = words / rate
    media_items = [m for m in module.fm("media") if isinstance(m, dict)] if isinstance(module.fm("media"), list) else []
    watched_in = _media_watched_in_activities(module, media_items)
    media = sum(t for i, m in enumerate(media_items) if i not in watched_in and (t := try_parse_duration(m.get("duration"), clock=True)) is not None)
    activities = sum(_activity_with_media(act, t, [media_items[i] for i, line in watched_in.items() if line == act.line]) for act, t in timed_activities(module))
    estimate = reading + media + activities
    sessions = module.fm("sessions") if isinstance(module.fm("sessions"), list) else []
    longest_session = max((t for s in sessions if isinstance(s, dict) and (t := try_parse_duration(s.get("length"))) is not None), default=0.0)
    allowed = _allowed(declared, ctx)
    if max(estimate, longest_session) <= declared + allowed:
        return
    if section_total(module) > declared + allowed:
        return  # the author's own section times already disagree with 'duration': TIME002 says so, once
    line, col = module.fm_pos("duration")
    if longest_session > estimate:
        yield ctx.report(
            f"A live session lasts {_fmt(longest_session)}, but 'duration' says the whole module takes {_fmt(declared)}. "
            f"Set 'duration' to at least {_fmt(longest_session)}, so learners can plan for it.",
            line, col, snippet="duration",
        )
        return
    reading_note = "under a minute" if reading < 0.5 else f"about {_fmt(reading)}"
    parts = [f"{words:,} words of reading at {rate:g} words a minute ({reading_note})"]
    if media:
        parts.append(f"{_fmt(media)} of video and audio")
    if activities:
        parts.append(f"{_fmt(activities)} of activities")
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    yield ctx.report(
        f"Learners need about {_fmt(estimate)} for this module, but 'duration' says {_fmt(declared)}: {listed}. "
        f"Raise 'duration' to about {_fmt(_round_up(estimate))}, or cut content so the module fits the time it claims.",
        line, col, snippet="duration",
    )


_MEDIA_NOUN = r"(?:[\w'’-]+\s+){0,3}?(?:video|film|interview|clip|recording|talk|episode|animation|documentary|webinar|presentation|podcast|audio|conversation)s?\b"
# An instruction to take in a recording: "Watch the eight-minute interview", "Listen to the episode".
_WATCH = _regex.compile(rf"\b(?:watch|view|re-?watch)(?:ing)?\s+(?:the\s+|this\s+|a\s+|our\s+){_MEDIA_NOUN}", re.I)
_LISTEN = _regex.compile(rf"\blisten(?:ing)?\s+(?:again\s+)?to\s+(?:the\s+|this\s+|a\s+|our\s+){_MEDIA_NOUN}", re.I)


def _media_kind(item: dict[str, Any]) -> str:
    return item.get("type") if item.get("type") in ("video", "audio") else "video"


def _media_watched_in_activities(module: Module, items: list[dict[str, Any]]) -> dict[int, int]:
    """Media items watched or listened to inside a timed activity, by index, with the line of
    that activity: named there by title or file, or, when only one item of its kind could be
    meant and no prose outside names it, an instruction such as 'Watch the interview'. The
    activity's time then covers the recording, so it is not counted again."""
    if not items:
        return {}
    names = [MediaNames.of(item) for item in items]
    timed = [(act, act.text()) for act, _ in timed_activities(module)]
    found: dict[int, int] = {}
    for act, text in timed:
        normal = normal_text(text)
        for i, name in enumerate(names):
            if i not in found and name.named_in(normal):
                found[i] = act.line
    inside = {b.line for act, _ in timed for b in act.blocks}
    outside = "\n".join(normal_text(b.text) for b in module.blocks if b.line not in inside and b.kind in _READ_KINDS)
    for kind, pattern in (("video", _WATCH), ("audio", _LISTEN)):
        of_kind = [i for i, item in enumerate(items) if _media_kind(item) == kind]
        if len(of_kind) != 1 or of_kind[0] in found or names[of_kind[0]].named_in(outside):
            continue
        for act, text in timed:
            if pattern.search(text):
                found[of_kind[0]] = act.line
                break
    return found


def _activity_with_media(act: Activity, minutes: float, media: list[dict[str, Any]]) -> float:
    """An activity's time, or the recordings watched in it if they are longer."""
    watched = sum(t for m in media if (t := try_parse_duration(m.get("duration"), clock=True)) is not None)
    return max(minutes, watched)


# -- TIME004 -----------------------------------------------------------------------

# Only these are taken in '##' section by section. Live formats sit in their sessions, video and
# audio in their chapters (PAUSE003), and coaching or mentoring are arranged with the learner.
_SECTIONED_FORMATS = frozenset({"self-paced", "blended"})
_ARRANGED_FORMATS = frozenset({"coaching", "mentoring"})


@rule("TIME004")
def sitting_too_long(module: Module, ctx: RuleContext) -> Iterator[Finding]:
    audience = ctx.audience
    # The same figure PAUSE001 holds each section to, so the two never disagree.
    limit = _num(ctx.param("max_sitting_minutes", audience.longest_stretch), 30.0)
    weekly_hours = audience.min_weekly_hours
    weekly = _num(ctx.param("weekly_budget_minutes", weekly_hours * 60 if weekly_hours else None), 60.0)
    rate = _num(ctx.param("reading_rate"), 200.0) or 200.0
    if limit <= 0:
        return
    short_of_time = audience.needing("pauseable", "rest-breaks") or None
    declared = declared_duration(module)

    # A scheduled live session is protected time, so it is not held to the length of a
    # sitting in a gap between shifts; but one longer than a learner's whole week of
    # development time cannot be attended at all, unless a recording lets them take it in parts.
    raw_sessions = module.fm("sessions")
    sessions: list[Any] = raw_sessions if isinstance(raw_sessions, list) and module.fm("format") not in _ARRANGED_FORMATS else []
    session_reported = False
    for i, s in enumerate(sessions):
        if not isinstance(s, dict) or session_recorded(module, s):
            continue
        length = try_parse_duration(s.get("length"))
        if length is not None and length > weekly + _EPSILON:
            session_reported = True
            line, col = module.fm_pos("sessions", i, "length")
            bound = [p for p in audience.personas if p.min_hours * 60 < length]
            # A session the author chose not to record (a confidential set, a safe room) is not told to record it.
            how = "" if session_recorded(module, s) is False else ", or record it (recorded: true) so it can be watched in parts"
            yield ctx.report(
                f"{_session_label(s)} lasts {_fmt(length)} in one go, more than the {_fmt(weekly)} a week some target learners have for development. "
                f"Split it into shorter sessions{how}.",
                line, col, personas=bound or None, snippet="length",
            )

    if declared is None or declared <= limit + _EPSILON or session_reported or len(sessions) >= 2:
        return
    if module.fm("format") not in _SECTIONED_FORMATS:
        return

    # The module as a whole: is it split into sittings that each fit? PAUSE001 speaks for
    # each long section; this rule gives the module's verdict once, at its duration.
    block_by_seg: dict[int, list[TextBlock]] = {}
    for block in module.blocks:
        block_by_seg.setdefault(block.segment, []).append(block)

    def estimate(st: SegmentTime) -> float:
        return reading_words(module, block_by_seg.get(st.segment.index, [])) / rate + (st.parts_time or 0)

    # The live sessions of a blended module are booked, protected time (checked above against
    # the weekly budget), not sittings in a gap: only the self-paced part is taken in sittings.
    live = live_segments(module)
    # A transcript repeats the media and references are optional: neither is a sitting.
    skip = ctx.param("skip_titles") or []
    all_content = [st for st in segment_times(module) if _has_content(module, st.segment) and not title_in(st.segment.title, skip)]
    live_minutes = sum(st.heading_time or 0 for st in all_content if st.segment.index in live)
    content = [st for st in all_content if st.segment.index not in live]
    if live_minutes:
        if live_minutes >= declared:
            return
        declared -= live_minutes
        if declared <= limit + _EPSILON:
            return
    titled = [st for st in content if st.segment.title is not None]
    line, col = module.fm_pos("duration")
    over_week = declared > weekly + _EPSILON
    size = f"the self-paced part of this module, {_fmt(declared)} without its live session," if live_minutes else f"this {_fmt(declared)} module"
    week_note = f" At {_fmt(declared)} it is also longer than the {_fmt(weekly)} a week some target learners have for development, so it cannot be done in one go." if over_week else ""
    who = short_of_time
    if over_week:
        budget_bound = {p.id for p in audience.personas if p.min_hours * 60 < declared}
        who = [p for p in audience.personas if p.id in budget_bound or (short_of_time and p in short_of_time)]
    example = "e.g. '## Why it matters {time=15m}'"

    if len(titled) < 2:
        yield ctx.report(
            f"{size[0].upper()}{size[1:]} is not split into sittings: learners can give only {_fmt(limit)} at a time.{week_note} "
            f"Divide it into '##' sections of {_fmt(limit)} or less, each with a time and a natural stopping point, {example}.",
            line, col, personas=who, snippet="duration",
        )
        return

    long_ones: list[tuple[str, str]] = []
    untimed: list[SegmentTime] = []
    timed_total = 0.0
    presented = media_by_section(module)
    for st in titled:
        # Measured as PAUSE001 measures it: breaks and chaptered recordings are stopping points.
        stretch = section_stretch(module, st.segment, limit, rate, presented)
        if st.heading_time is not None:
            timed_total += st.heading_time
            if stretch.exceeds(limit):
                stopping = stretch.breaks or stretch.media
                long_ones.append((st.segment.title or "", f"about {_fmt(stretch.minutes)} between stopping points" if stopping else _fmt(st.heading_time)))
            continue
        if stretch.exceeds(limit):
            long_ones.append((st.segment.title or "", f"about {_fmt(stretch.minutes)}"))
            timed_total += estimate(st)
        else:
            untimed.append(st)
    if long_ones:
        if len(long_ones) == 1:
            listed = f"the section '{long_ones[0][0]}' takes {long_ones[0][1]}"
        else:
            named = [f"'{title}' ({length})" for title, length in long_ones]
            listed = f"the sections {', '.join(named[:-1])} and {named[-1]} are longer"
        yield ctx.report(
            f"{size[0].upper()}{size[1:]} is not split into sittings of {_fmt(limit)} or less, the most a learner can give at a time: "
            f"{listed}.{week_note} "
            f"Split {'it' if len(long_ones) == 1 else 'them'} into sections of {_fmt(limit)} or less, each ending at a natural stopping point, {example}.",
            line, col, personas=who, snippet="duration",
        )
        return
    if not untimed or any(st.unreadable for st in titled):
        return  # a time that cannot be read leaves the share of the others unknown
    # Sections without a time share what the declared duration leaves; if even an even
    # share is longer than a sitting, at least one of them is.
    intro = [st for st in content if st.segment.title is None]
    average = (declared - timed_total - sum(estimate(st) for st in intro)) / len(untimed)
    if average > limit + _EPSILON:
        yield ctx.report(
            f"{size[0].upper()}{size[1:]} is not split into sittings of {_fmt(limit)} or less: its {len(untimed)} sections without a time "
            f"would take about {_fmt(average)} each.{week_note} Split them into shorter sections and give each a time, {example}.",
            line, col, personas=who, snippet="duration",
        )


# -- TIME005 -----------------------------------------------------------------------


def _clock(value: Any) -> int | None:
    """Minutes after midnight for 'HH:MM'."""
    if not isinstance(value, str):
        return None
    m = re.fullmatch(r"\s*([01]?\d|2[0-3])[:.]([0-5]\d)\s*", value)
    return int(m.group(1)) * 60 + int(m.group(2)) if m else None


_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december")
_ISO_DATE = _regex.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})", re.A)
_UK_DATE = _regex.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})", re.A)
_WORD_DATE = _regex.compile(r"(\d{1,2})\s+([a-z]+)\s+(\d{4})", re.A | re.I)


def parse_date(text: str) -> _dt.date | None:
    """A session date written '2026-03-04', '04/03/2026', '4 March 2026' or '4 Mar 2026'.

    What ``strptime`` reads with those four formats, without it: its first call imports
    the locale machinery and compiles a dozen patterns, a twentieth of a one-file run.
    Month names are English whatever the system's locale, as authors write them."""
    try:
        if m := _ISO_DATE.fullmatch(text):
            return _dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := _UK_DATE.fullmatch(text):
            return _dt.date(int(m[3]), int(m[2]), int(m[1]))
        if m := _WORD_DATE.fullmatch(text):
            name = m[2].lower()
            month = next((i for i, full in enumerate(_MONTHS, 1) if name in (full, full[:3])), 0)
            return _dt.date(int(m[3]), month, int(m[1])) if month else None
    except ValueError:  # 31/02/2026: not a date
        return None
    return None


def _day_names(value: Any) -> list[str]:
    """Weekdays a session's ``day`` names: a date gives one, 'Tuesdays' gives one, 'weekly' gives none."""
    text = str(value or "").strip()
    date = parse_date(text)
    if date is not None:
        return [_WEEKDAYS[date.weekday()]]
    found = []
    for m in _DAY_WORD.finditer(text):
        stem = m.group(1).lower()[:3]
        name = next(d for d in _WEEKDAYS if d.startswith(stem))
        if name not in found:
            found.append(name)
    return found


def _working_days(value: Any) -> set[str]:
    items = value if isinstance(value, (list, tuple)) else str(value or "").split(",")
    days: set[str] = set()
    for item in items:
        days.update(_day_names(item))
    return days or set(_WEEKDAYS[:5])


def _session_label(s: dict[str, Any]) -> str:
    title = f" '{s['title']}'" if isinstance(s.get("title"), str) and s["title"].strip() else ""
    start = f" at {s['start']}" if isinstance(s.get("start"), str) else ""
    return f"The live session{title} on {s.get('day')}{start}"


def _session_date(value: Any) -> _dt.date | None:
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    return parse_date(str(value or "").strip())


def _zone(name: Any) -> _dt.tzinfo | None:
    """A time zone by its IANA name ('Europe/London'); None when it is not one (or the
    system has no time zone data), so an unknown zone is never guessed at."""
    if not isinstance(name, str) or not name.strip():
        return None
    # Imported here: reading the system's zone paths costs every run, and few modules name a zone.
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


# A weekly session has no date, and the gap between two zones can change with daylight
# saving time: it is read in a week of winter and a week of summer.
_REFERENCE_WEEKS = (_dt.date(2026, 1, 12), _dt.date(2026, 7, 13))


@dataclass(frozen=True, slots=True)
class _When:
    """When a session happens in the learners' own time: its weekdays and start."""

    days: tuple[str, ...]
    start: int | None
    shown: str = ""  # e.g. '14:00 America/New_York is 19:00 Europe/London', when converted


def _session_times(s: dict[str, Any], local: _dt.tzinfo | None, local_name: str) -> list[_When]:
    start = _clock(s.get("start"))
    named = tuple(_day_names(s.get("day")))
    there = _zone(s.get("timezone"))
    if start is None or not named or there is None or local is None or str(s.get("timezone")).strip() == local_name:
        return [_When(named, start)]
    date = _session_date(s.get("day"))
    dates = [date] if date else [week + _dt.timedelta(days=_WEEKDAYS.index(d)) for week in _REFERENCE_WEEKS for d in named]
    out: list[_When] = []
    for day in dates:
        moment = _dt.datetime.combine(day, _dt.time(start // 60, start % 60), tzinfo=there).astimezone(local)
        minutes = moment.hour * 60 + moment.minute
        shown = f"{s.get('start')} in {str(s.get('timezone')).strip()} is {_hhmm(minutes)} in {local_name}"
        when = _When((_WEEKDAYS[moment.weekday()],), minutes, shown)
        if when not in out:
            out.append(when)
    return out


@rule("TIME005")
def live_outside_working_hours(module: Module, ctx: RuleContext) -> Iterator[Finding]:
    # Coaching and mentoring sessions are arranged with the learner and move to suit them
    # (as TIME004, TIME006 and the pause rules also hold): a listed slot is not a fixed time.
    if module.fm("format") in ONE_TO_ONE:
        return
    sessions = module.fm("sessions")
    if not isinstance(sessions, list):
        return
    days = _working_days(ctx.param("working_days"))
    configured_start, configured_end = _clock(str(ctx.param("day_start"))), _clock(str(ctx.param("day_end")))
    day_start = 9 * 60 if configured_start is None else configured_start
    day_end = 17 * 60 if configured_end is None else configured_end
    local_name = str(ctx.param("timezone") or "").strip()
    local = _zone(local_name)
    window = f"{_day_span(days)}, {_hhmm(day_start)} to {_hhmm(day_end)}"
    hours_only = ctx.audience.needing("working-hours-only")
    no_evening = ctx.audience.needing("no-evening", "working-hours-only")

    def length(s: dict[str, Any]) -> float:
        return try_parse_duration(s.get("length")) or 0

    def fits(when: _When, s: dict[str, Any]) -> bool:
        if when.start is None or not when.days:
            return True  # unknown is not evidence
        return any(d in days for d in when.days) and when.start >= day_start and when.start + length(s) <= day_end

    def inside(s: dict[str, Any]) -> bool:
        return all(fits(w, s) for w in _session_times(s, local, local_name))

    for i, s in enumerate(sessions):
        if not isinstance(s, dict) or inside(s):
            continue
        title = s.get("title")
        if isinstance(title, str) and title.strip() and any(
            o is not s and isinstance(o, dict) and o.get("title") == title and inside(o) for o in sessions
        ):
            continue  # the same session is also offered in working hours
        when = next(w for w in _session_times(s, local, local_name) if not fits(w, s))
        start = when.start or 0
        end = start + length(s)
        if not any(d in days for d in when.days):
            day = s.get("day") if not when.shown else when.days[0].title()
            why = f"{day} is not a working day"
            who = hours_only
        elif end > day_end or start >= day_end:
            why = f"it runs until {_hhmm(end % (24 * 60))}, into the evening" if start < day_end else f"it starts at {_hhmm(start)}, in the evening"
            who = no_evening
        else:
            why = f"it starts at {_hhmm(start)}, before the working day"
            who = hours_only
        if not who:
            continue
        converted = f" ({when.shown})" if when.shown else ""
        recorded = " A recording helps, but learners who can only learn in working hours still miss the live discussion." if session_recorded(module, s) else ""
        line, col = module.fm_pos("sessions", i, "start")
        yield ctx.report(
            f"{_session_label(s)} is outside working hours ({window}): {why}{converted}.{recorded} "
            f"Move it into working hours, or offer the same session again in working hours.",
            line, col, personas=who, snippet=str(s.get("start", "")),
        )


def _day_span(days: set[str]) -> str:
    idx = sorted(_WEEKDAYS.index(d) for d in days)
    if len(idx) > 2 and idx == list(range(idx[0], idx[-1] + 1)):
        return f"{_WEEKDAYS[idx[0]].title()} to {_WEEKDAYS[idx[-1]].title()}"
    return ", ".join(_WEEKDAYS[i].title() for i in idx)


def _hhmm(minutes: int | float) -> str:
    m = int(minutes)
    return f"{m // 60:02d}:{m % 60:02d}"


# -- TIME006 -----------------------------------------------------------------------


@rule("TIME006")
def single_live_time(module: Module, ctx: RuleContext) -> Iterator[Finding]:
    # A recording is PAUSE002's concern (catching up afterwards); this rule is about
    # whether a learner whose week is decided by a rota or caring can take part at all.
    if module.fm("format") not in _LIVE_FORMATS:
        return
    sessions = module.fm("sessions")
    if not isinstance(sessions, list) or not sessions:
        return
    if _truthy(module.fm("alternatives")):
        return
    fixed: list[int] = []
    for i, s in enumerate(sessions):
        if not isinstance(s, dict):
            continue
        title = s.get("title")
        repeated = isinstance(title, str) and title.strip() and any(
            o is not s and isinstance(o, dict) and o.get("title") == title and (o.get("day"), o.get("start")) != (s.get("day"), s.get("start"))
            for o in sessions
        )
        if not repeated:
            fixed.append(i)
    if not fixed:
        return
    when = [" ".join(str(sessions[i].get(k)) for k in ("day", "start") if sessions[i].get(k)) for i in fixed]
    line, col = module.fm_pos("sessions", fixed[0])
    if len(sessions) == 1:
        lead = f"This live module runs at one time only ({when[0]}), with no other time and no alternative route"
    elif len(fixed) == len(sessions):
        lead = f"Each of the {len(sessions)} live sessions ({'; '.join(when)}) runs at one time only, with no other time and no alternative route"
    else:
        lead = f"{len(fixed)} of the live sessions ({'; '.join(when)}) run at one time only, with no other time and no alternative route"
    recorded = all(isinstance(sessions[i], dict) and session_recorded(module, sessions[i]) for i in fixed)
    note = " A recording lets them catch up, but not take part." if recorded else ""
    if module.fm("format") == "action-learning":
        # A set is one closed group: a second time would split it, so the advice is to agree times with it.
        advice = ("An action learning set meets as one group, so agree the meeting times with its members before they are fixed, "
                  "and add an 'alternatives' entry, such as coaching, for anyone who still cannot come.")
    else:
        advice = "Offer the session at a second time under the same title, or add an 'alternatives' entry, such as a mentor or self-paced route."
    yield ctx.report(
        f"{lead}, so learners whose time is set by a rota, caring, travel or prayer times cannot take part if that slot clashes.{note} {advice}",
        line, col, snippet="sessions",
    )


# -- TIME007 -----------------------------------------------------------------------

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "forty-five": 45, "fifty": 50,
    "sixty": 60, "ninety": 90,
}
_NUM = r"(?:\d+(?:\.\d+)?|forty-five|" + "|".join(sorted((w for w in _NUMBER_WORDS if w != "forty-five"), key=len, reverse=True)) + ")"
_UNIT = r"(?:seconds?|secs?|minutes?|mins?|hours?|hrs?)"
_DUR = rf"{_NUM}[\s-]+{_UNIT}"
_DUR_PARTS = _regex.compile(rf"\b(?P<num>{_NUM})[\s-]+(?P<unit>{_UNIT})\b", re.I)
_TASK = r"(?:quiz|test|questions?|assessment|exercise|task|activity|form|section|exam|this|it|them)"
_LIMIT_PATTERNS = (
    # "you have 10 minutes to ...", "you'll be given twenty minutes for this quiz"
    _regex.compile(
        rf"\byou(?:'ll|’ll|\s+will|\s+now|\s+then)?\s+(?:only\s+|just\s+)?(?:have|get|are\s+given|are\s+allowed|will\s+be\s+given|be\s+given)\s+"
        rf"(?:only\s+|just\s+|up\s+to\s+|a\s+maximum\s+of\s+|exactly\s+|no\s+more\s+than\s+)?{_DUR}\s+"
        rf"(?:to\s+(?!spare\b)|in\s+which\b|for\s+(?:this|the|each|every|all)\b)",
        re.I,
    ),
    # "a 20-minute time limit", "the time limit is 20 minutes"
    _regex.compile(rf"\b{_DUR}\s+time\s+limit\b|\btime\s+limit\s+(?:of|is)\s+{_DUR}", re.I),
    # "a timed quiz"; with an article right before it, so "badly timed questions" is advice, not a limit
    _regex.compile(
        r"\b(?:a|an|the|this|that|each|every|your|our)\s+timed\s+"
        r"(?:quiz|quizzes|test|tests|assessment|assessments|exam|exams|examination|exercise|task|activity|questions?|section)\b",
        re.I,
    ),
    # "Answer the questions within 15 minutes", "you must submit the quiz within 30 minutes";
    # the object must be the learner's task, or "complete the handover within 15 minutes" would count
    _regex.compile(
        rf"(?:^|[.!?:]\s+|\byou\s+(?:must|need\s+to|have\s+to|will\s+need\s+to|should)\s+)"
        rf"(?:complete|finish|answer|submit|attempt)\b[^.!?\n]{{0,60}}?"
        rf"\b{_TASK}\b[^.!?\n]{{0,30}}?"
        rf"\bwithin\s+(?:the\s+)?(?:first\s+)?{_DUR}\b",
        re.I,
    ),
    # "You must finish the quiz in 10 minutes": 'in' is a limit only when it is required of
    # the learner ("you can finish it in 10 minutes" is an estimate)
    _regex.compile(
        rf"\byou\s+(?:must|need\s+to|have\s+to|will\s+need\s+to|’ll\s+need\s+to|'ll\s+need\s+to|are\s+required\s+to)\s+"
        rf"(?:complete|finish|answer|submit|attempt|do)\b[^.!?\n]{{0,60}}?\b{_TASK}\b[^.!?\n]{{0,30}}?\bin\s+(?:the\s+|under\s+)?{_DUR}\b",
        re.I,
    ),
    # "the quiz closes after 20 minutes"
    _regex.compile(rf"\b(?:quiz|test|assessment|exam|form)\b[^.!?\n]{{0,40}}?\b(?:closes|locks|times\s+out|submits(?:\s+itself)?|ends)\s+(?:automatically\s+)?after\s+{_DUR}\b", re.I),
    # "The timer gives you 10 minutes"
    _regex.compile(rf"\b(?:timer|clock|countdown)\b[^.!?\n]{{0,30}}?\b(?:gives|allows|leaves)\s+you\s+(?:only\s+|just\s+)?{_DUR}\b", re.I),
    # "When the 10 minutes are up the quiz submits your answers": time running out ends it for the learner
    _regex.compile(
        rf"\b(?:when|once)\s+(?:the\s+|your\s+)?(?:{_DUR}|time)\s+(?:are|is)\s+up\b[^.!?\n]{{0,40}}?"
        rf"\b(?:quiz|test|assessment|exam|form|timer|system|platform)\b[^.!?\n]{{0,20}}?\b(?:submits|closes|locks|ends|stops|times\s+out)\b",
        re.I,
    ),
)
# Words just before a match that turn it into a condition, a question or a negation.
_NOT_A_LIMIT_BEFORE = _regex.compile(
    r"(?:\b(?:if|when|whenever|whether|unless|once|while|do|did|not|no|non|without|never|imagine|suppose|pretend|picture)\s+(?:a\s+|an\s+)?"
    # a limit learners set on their own meetings is leadership advice, not a limit on them
    r"|\b(?:set|give|agree|use|impose|put)\s+(?:yourself\s+|your\s+team\s+|them\s+|the\s+group\s+)?(?:a\s+|an\s+)?"
    r"|\bun-?)$",
    re.I,
)
_MORE_TIME = r"(?:more|extra|additional)\s+time"
# Wording that can only be about a limit on the learner.
_ABOUT_THE_LIMIT = _regex.compile(
    r"\buntimed\b|\bno\s+time\s+limit\b|\bwithout\s+(?:a\s+|any\s+)?time\s+limit\b"
    r"|\bextend(?:ed|s)?\s+(?:the\s+)?(?:time|deadline|limit)\b|\b(?:turn|switch)\s+off\s+the\s+(?:timer|clock)\b"
    r"|\bpause\s+the\s+(?:timer|clock)\b|\btake\s+as\s+long\s+as\s+you\s+(?:need|like|want)\b|\bat\s+your\s+own\s+pace\b"
    r"|\bextensions?\b(?!\s*(?:no\.?\s*|number\s*)?\d)",  # not a telephone extension
    re.I,
)
# More time offered to the learner: "If you need more time, take it", "ask for extra time".
_OFFERED_TO_YOU = _regex.compile(
    rf"\b(?:if|when|whenever)\s+you\s+(?:need|want|would\s+like)\s+(?:some\s+)?{_MORE_TIME}\b"
    rf"|\b(?:ask|request|apply)\s+(?:for\s+)?(?:some\s+)?{_MORE_TIME}\b"
    rf"|\byou\s+(?:can|may|could|will|are\s+welcome\s+to)\s+(?:also\s+)?(?:have|take|get|be\s+given|ask\s+for|request)\s+(?:some\s+)?{_MORE_TIME}\b"
    rf"|\b{_MORE_TIME}\s+(?:is|will\s+be|can\s+be)\s+(?:available|given|allowed|offered|arranged)\b|\bextra\s+time\s*:",
    re.I,
)
# Any other talk of more time counts only in a sentence about the limit itself: "older staff
# may need extra time to settle in" is about them, not about the quiz.
_MORE_TIME_ANY = _regex.compile(rf"\b{_MORE_TIME}\b", re.I)
_LIMIT_WORDS = _regex.compile(r"\b(?:time\s+limit|timer|clock|quiz|test|assessment|exam|deadline|timed)\b", re.I)
_EXTENSION_ATTRS = ("untimed_route", "untimed", "extension", "extra_time")
# WCAG 2.2.1 exempts a limit longer than 20 hours: a deadline of days is not a timed task.
_EXEMPT_OVER_MINUTES = 20 * 60
_ASSESSMENT_WORDS = _regex.compile(r"\b(?:quiz|quizzes|test|tests|assessment|assessments|exam|exams|examination|timed)\b", re.I)
_LIVE_MODULE_FORMATS = frozenset({"live-online", "live-in-person", "action-learning"}) | ONE_TO_ONE


def _offers_extension(text: str) -> bool:
    """Whether a text offers extra time or an untimed route, sentence by sentence."""
    for _, sentence in sentences(text):
        if _ABOUT_THE_LIMIT.search(sentence) or _OFFERED_TO_YOU.search(sentence):
            return True
        if _MORE_TIME_ANY.search(sentence) and _LIMIT_WORDS.search(sentence):
            return True
    return False


def _minutes_in(text: str) -> float | None:
    """The length a matched limit names ('10 minutes', 'forty-eight hours'), in minutes."""
    m = _DUR_PARTS.search(text)
    if m is None:
        return None
    raw = m.group("num").lower()
    number = float(raw) if raw[0].isdigit() else float(_NUMBER_WORDS.get(raw, 0))
    unit = m.group("unit").lower()
    return number * (60.0 if unit.startswith(("h", "hr")) else 1 / 60 if unit.startswith("s") else 1.0)


# Every limit pattern names a length of time ('10 minutes'), 'timed' or 'the time is up':
# most prose has none of them.
_LIMIT_HINT = _regex.compile(rf"\b{_NUM}[\s-]+{_UNIT}\b|\btimed\b|\btime\s+(?:is|are)\s+up\b", re.I)


_LIMIT_LITERALS = ("min", "sec", "hour", "hr", "timed", "s up")


def _limit_match(text: str) -> re.Match[str] | None:
    lower = text.lower()
    # Substring tests first: a regular expression with many alternatives is slow to try
    # at every word, and most prose names no time at all.
    if not any(word in lower for word in _LIMIT_LITERALS) or not _LIMIT_HINT.search(text):
        return None
    best: re.Match[str] | None = None
    for pattern in _LIMIT_PATTERNS:
        for m in pattern.finditer(text):
            lead = text[max(0, m.start() - 30) : m.start()]
            if _NOT_A_LIMIT_BEFORE.search(lead):
                continue
            minutes = _minutes_in(m.group(0))
            if minutes is not None and minutes > _EXEMPT_OVER_MINUTES:
                continue
            if best is None or m.start() < best.start():
                best = m
            break
    return best


def _limit_value(raw: Any) -> str | None:
    """A time limit as authors wrote it, or None when it says there is none (or it is over 20 hours)."""
    if raw is None or isinstance(raw, bool) and not raw:
        return None
    text = str(raw).strip()
    if text.lower() in _FALSY_WORDS:
        return None
    minutes = try_parse_duration(raw)
    if minutes is not None:
        return _fmt(minutes) if 0 < minutes <= _EXEMPT_OVER_MINUTES else None
    return text


def _facilitated(module: Module, block: TextBlock, live: set[int], sentence: str) -> bool:
    """A timebox a facilitator keeps in a live session ('you'll have 5 minutes to feed back
    to the group') paces a discussion; it is not a time limit on the learner's work, unless
    it is a quiz or test."""
    in_live = module.fm("format") in _LIVE_MODULE_FORMATS or block.segment in live
    return in_live and block.div != "assessment" and not _ASSESSMENT_WORDS.search(sentence)


@rule("TIME007")
def timed_without_extension(module: Module, ctx: RuleContext) -> Iterator[Finding]:
    if _truthy(module.fm("untimed_route")):
        return  # a module-wide untimed route covers every timed part
    prose = list(author_blocks(module, kinds=_READ_KINDS))
    by_segment: dict[int, list[str]] = {}
    for block, text in prose:
        by_segment.setdefault(block.segment, []).append(text)

    def offered(texts: Iterable[str]) -> bool:
        return any(_offers_extension(t) for t in texts)

    how = (
        "Offer extra time or an untimed route and say how to get it, e.g. 'untimed_route: ask your facilitator for the untimed version' "
        "in the front matter, or a line such as 'If you need more time, take it.'"
    )

    limit = _limit_value(module.fm("time_limit"))
    if limit is not None and not offered(t for _, t in prose):
        line, col = module.fm_pos("time_limit")
        yield ctx.report(f"This module has a time limit of {limit}, with no extension or untimed route. {how}", line, col, snippet="time_limit")

    reported: set[int] = set()
    for act in module.activities:
        limit = _limit_value(act.attrs.get("time_limit"))
        if limit is None:
            continue
        reported.add(act.line)
        if any(_truthy(act.attrs.get(k)) for k in _EXTENSION_ATTRS):
            continue
        if offered(by_segment.get(act.segment, [])) or offered(b.text for b in act.blocks if not b.quoted):
            continue
        yield ctx.report(f"This {act.kind} has a time limit of {limit}, with no extension or untimed route. {how}", act.line, 1, snippet="time_limit")

    live = live_segments(module)
    seen_blocks: set[int] = set()
    for block, text in prose:
        if block.div == "case-study":
            continue
        match = _limit_match(text)
        if match is None:
            continue
        start, end = sentence_span(text, match.start())
        if _facilitated(module, block, live, text[start:end]):
            continue
        act = _enclosing(module, block)
        if act is not None:
            if act.line in reported:
                continue
            if any(_truthy(act.attrs.get(k)) for k in _EXTENSION_ATTRS):
                continue
        if offered(by_segment.get(block.segment, [])):
            continue
        key = act.line if act is not None else -block.line
        if key in seen_blocks:
            continue
        seen_blocks.add(key)
        if act is not None:
            reported.add(act.line)
        raw = match.group(0)
        # Pattern 4 starts at the end of the previous sentence; point at the instruction itself.
        start = match.start() + len(raw) - len(raw.lstrip(" .!?:\n"))
        phrase = " ".join(raw.split()).strip(" .!?:")
        line, col = block.position(start)
        yield ctx.report(
            f"'{phrase}' sets a time limit, but nothing here offers extra time or an untimed route. {how}",
            line, col, snippet=phrase,
        )


def _enclosing(module: Module, block: TextBlock) -> Activity | None:
    """The innermost activity a block sits in."""
    inner: Activity | None = None
    for act in module.activities:
        if act.line < block.line <= act.end_line and (inner is None or act.line > inner.line):
            inner = act
    return inner


# -- TIME008 -----------------------------------------------------------------------


def _spelled_durations(module: Module) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """The front matter durations that learners read: the module's, and each session's length.
    (Media durations are left as the player shows them, to the second.)"""
    yield ("duration",), module.fm("duration")
    sessions = module.fm("sessions")
    for i, s in enumerate(sessions if isinstance(sessions, list) else []):
        if isinstance(s, dict) and "length" in s:
            yield ("sessions", i, "length"), s["length"]


@rule("TIME008")
def duration_spelling(module: Module, ctx: RuleContext) -> Iterator[Finding]:
    if not isinstance(module.front_matter, dict):
        return
    for path, value in _spelled_durations(module):
        short = canonical_spelling(value)
        if short is None:
            continue
        what = "'duration'" if path == ("duration",) else f"The 'length' of session {path[1] + 1}"
        fix = front_matter_edit(module, lambda data, p=path, v=short: set_value(data, p, v), f"Write '{short}'", safe=True)
        line, col = module.fm_pos(*path)
        yield ctx.report(
            f"{what} is written '{str(value).strip()}'; write it '{short}', the short form the format guide uses, "
            "so every module's length reads the same way and a learner comparing modules can see at a glance which fits their week.",
            line, col, personas=(), fix=fix, snippet=str(value),
        )
