"""Tests for the ``time`` family (TIME001-TIME007): exact findings on the example
modules, and focused cases for edge conditions and false-positive traps."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES, ROOT, ids_lines, lint, lint_file
from modlint.checks.time import parse_date

TIME_EXAMPLES = EXAMPLES / "time"

EXPECTED: dict[str, list[tuple[str, int]]] = {
    "bite-sized-appraisals.md": [],
    "duration-missing.md": [("TIME001", 1)],
    "duration-placeholder.md": [("TIME001", 6)],
    "duration-spellings.md": [("TIME008", 6)],
    "estimates-not-limits.md": [],
    "evening-webinar.md": [("TIME006", 10), ("TIME005", 11)],
    "exec-cohort-check.md": [],
    "long-unsplit-module.md": [("TIME004", 6)],
    "timed-module.md": [("TIME007", 9)],
    "timed-quiz.md": [("TIME007", 21), ("TIME007", 28)],
    "times-dont-add-up.md": [("TIME002", 6), ("TIME002", 23), ("TIME002", 33)],
    "underestimated-video.md": [("TIME003", 6), ("TIME002", 27)],
    "weekend-and-early-sessions.md": [("TIME005", 17)],
}


def module(body: str = "", *, duration: str | None = "30m", stage: int = 2, fmt: str = "self-paced", extra: str = "") -> str:
    """A valid module; ``extra`` is more front matter, already indented as top-level YAML."""
    lines = ["---", "id: test-module", "title: Test module", f"stage: {stage}", f"format: {fmt}"]
    if duration is not None:
        lines.append(f"duration: {duration}")
    if extra:
        lines.extend(extra.strip("\n").split("\n"))
    lines += ["---", "# Test module", ""]
    return "\n".join(lines) + "\n" + body.lstrip("\n")


def found(text: str, rule_id: str, parameters: dict | None = None) -> list:
    return [f for f in lint(text, select=rule_id, parameters=parameters) if f.rule_id == rule_id]


def apply_fix(text: str, fix) -> str:
    for edit in sorted(fix.edits, key=lambda e: e.start, reverse=True):
        text = text[: edit.start] + edit.replacement + text[edit.end :]
    return text


# -- the examples -------------------------------------------------------------------


def test_every_example_is_listed() -> None:
    assert sorted(p.name for p in TIME_EXAMPLES.glob("*.md")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_findings(name: str) -> None:
    assert ids_lines(lint_file(TIME_EXAMPLES / name, select="time")) == EXPECTED[name]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_examples_are_valid_modules(name: str) -> None:
    assert ids_lines(lint_file(TIME_EXAMPLES / name, select="module")) == []


def test_every_rule_fires_somewhere_and_is_quiet_somewhere() -> None:
    for rule_id in (f"TIME00{n}" for n in range(1, 9)):
        firing = [n for n, exp in EXPECTED.items() if any(r == rule_id for r, _ in exp)]
        quiet = [n for n, exp in EXPECTED.items() if all(r != rule_id for r, _ in exp)]
        assert firing and quiet, rule_id


@pytest.mark.parametrize("path", sorted((EXAMPLES / "pass").glob("*.md")), ids=lambda p: p.name)
def test_passing_examples_have_no_time_findings(path: Path) -> None:
    assert ids_lines(lint_file(path, select="time")) == []


@pytest.mark.parametrize("path", sorted((ROOT / "rules" / "time").glob("*.yaml")), ids=lambda p: p.stem)
def test_metadata_examples(path: Path) -> None:
    meta = yaml.safe_load(path.read_text(encoding="utf-8"))
    fail = lint(meta["examples"]["fail"], select="time")
    assert meta["id"] in {f.rule_id for f in fail}
    assert ids_lines(lint(meta["examples"]["pass"], select="time")) == []
    assert ids_lines(lint(meta["examples"]["pass"], select="module")) == []


def test_findings_name_the_right_people() -> None:
    findings = lint_file(TIME_EXAMPLES / "weekend-and-early-sessions.md", select="TIME005")
    assert [p.id for p in findings[0].personas] == ["p12"]  # p14 has no working-hours need
    findings = lint_file(TIME_EXAMPLES / "long-unsplit-module.md", select="TIME004")
    assert {"p11", "p14"} <= {p.id for p in findings[0].personas}


# -- TIME001 ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("TBC", "placeholder"),
        ('"??"', "placeholder"),
        ("about an hour", "cannot read"),
        ("0", "zero"),
        ("0m", "zero"),
        ('""', "empty"),
        ("[20m, 30m]", "a list"),
        ("true", "not a length"),
    ],
)
def test_time001_bad_durations(value: str, words: str) -> None:
    out = found(module(duration=value), "TIME001")
    assert len(out) == 1 and out[0].line == 6
    assert words in out[0].message


@pytest.mark.parametrize("value", ["45m", "1h30m", "90", "PT45M", "1h 15m", "2 hours"])
def test_time001_good_durations(value: str) -> None:
    assert found(module(duration=value), "TIME001") == []


def test_time001_missing_duration_and_mod004_stays_quiet() -> None:
    text = module(duration=None)
    out = lint(text, select=("time", "module"))
    assert ids_lines(out) == [("TIME001", 1)]


def test_time001_no_front_matter_is_not_its_business() -> None:
    assert found("# Just a heading\n\nSome text.\n", "TIME001") == []


def test_time001_placeholder_fix_uses_section_times() -> None:
    text = module("## One {time=10m}\n\nRead this.\n\n## Two {time=15m}\n\nAnd this.\n", duration="TBC  # ask Priya")
    (finding,) = found(text, "TIME001")
    assert finding.fix is not None and not finding.fix.safe
    fixed = apply_fix(text, finding.fix)
    assert "duration: 25m  # ask Priya" in fixed
    assert found(fixed, "TIME001") == []


def test_time001_missing_fix_inserts_a_key() -> None:
    text = module("## One {time=10m}\n\nRead this.\n\n## Two {time=5m}\n\nAnd this.\n", duration=None)
    (finding,) = found(text, "TIME001")
    fixed = apply_fix(text, finding.fix)
    assert found(fixed, "TIME001") == []
    assert ids_lines(lint(fixed, select="module")) == []


def test_time001_no_fix_when_a_section_is_untimed() -> None:
    text = module("## One {time=10m}\n\nRead this.\n\n## Two\n\nAnd this.\n", duration="TBC")
    (finding,) = found(text, "TIME001")
    assert finding.fix is None


# -- TIME002 ------------------------------------------------------------------------


def test_time002_activities_in_a_timed_section_are_not_double_counted() -> None:
    body = """
## Read {time=10m}

::: reflection time=5m
Think about it.
:::

## Do {time=20m}

::: exercise time=20m
Outer task.

::: discussion time=10m
Nested inside the exercise.
:::
:::
"""
    assert found(module(body, duration="30m"), "TIME002") == []


def test_time002_breaks_count() -> None:
    body = "## Part one {time=10m}\n\nRead.\n\n## Pause {time=5m}\n\n::: break time=5m\nStretch.\n:::\n\n## Part two {time=10m}\n\nRead more.\n"
    assert found(module(body, duration="25m"), "TIME002") == []
    out = found(module(body, duration="15m"), "TIME002")
    assert [(f.line, "25m" in f.message and "15m" in f.message) for f in out] == [(6, True)]


def test_time002_sections_short_of_duration_with_fix() -> None:
    body = "## One {time=10m}\n\nRead.\n\n## Two {time=10m}\n\nRead more.\n"
    (finding,) = found(module(body, duration="45m"), "TIME002")
    assert finding.line == 6 and "20m" in finding.message and "25m unaccounted" in finding.message
    assert found(apply_fix(module(body, duration="45m"), finding.fix), "TIME002") == []


def test_time002_no_fix_below_the_live_sessions() -> None:
    # The sections cover only the pre-work; the 1h session must still count in the duration.
    body = "## Before the session {time=10m}\n\nRead.\n\n## After it {time=10m}\n\nWrite.\n"
    extra = "sessions:\n  - day: Tuesday\n    start: \"10:00\"\n    length: 1h\n    recorded: true\n"
    (finding,) = found(module(body, duration="1h30m", fmt="blended", extra=extra), "TIME002")
    assert "20m" in finding.message and finding.fix is None
    (with_fix,) = found(module(body, duration="45m", fmt="blended"), "TIME002")
    assert with_fix.fix is not None


def test_time002_activity_times_alone_are_not_a_total() -> None:
    # Without section times the reading is untimed, so fewer minutes than declared is normal.
    body = "## One\n\nRead a long passage.\n\n::: exercise time=5m\nTry it.\n:::\n"
    assert found(module(body, duration="30m"), "TIME002") == []


def test_time002_optional_and_empty_sections_need_no_time() -> None:
    body = "## One {time=15m}\n\nRead.\n\n## Two {time=15m}\n\nMore.\n\n## Further reading\n\nA list of links.\n\n## Notes\n"
    assert found(module(body, duration="30m"), "TIME002") == []


def test_time002_missing_section_time_suggests_the_remainder() -> None:
    body = "## One {time=15m}\n\nRead.\n\n## Two\n\nMore to read.\n"
    (finding,) = found(module(body, duration="25m"), "TIME002")
    assert finding.line == 14 and "{time=10m}" in finding.message


def test_time002_unreadable_time() -> None:
    body = "## One {time=ten}\n\nRead.\n\n::: exercise time=soon\nDo.\n:::\n"
    out = found(module(body), "TIME002")
    assert [f.line for f in out] == [10, 14]
    assert "'ten'" in out[0].message


def test_time002_sub_headings_are_not_double_counted() -> None:
    body = "## One {time=20m}\n\n### Read {time=10m}\n\nRead.\n\n::: exercise time=10m\nInside the sub-section's time.\n:::\n\n### Try {time=10m}\n\nTry.\n"
    assert found(module(body, duration="20m"), "TIME002") == []


def test_time002_tolerance_is_a_parameter() -> None:
    body = "## One {time=20m}\n\nRead.\n\n## Two {time=15m}\n\nMore.\n"
    text = module(body, duration="30m")
    assert found(text, "TIME002") == []  # 5m over is within the default tolerance
    assert len(found(text, "TIME002", parameters={"TIME002": {"tolerance_minutes": 2}})) == 1


# -- TIME003 ------------------------------------------------------------------------


def test_time003_reading_time_with_figures() -> None:
    prose = ("Leaders in integrated care systems work across organisational boundaries every day. " * 40).strip()
    body = "## Reading\n\n" + "\n\n".join([prose] * 6) + "\n"
    (finding,) = found(module(body, duration="5m"), "TIME003")
    assert finding.line == 6
    assert "2,640 words" in finding.message and "'duration' says 5m" in finding.message and "about 13m" in finding.message


def test_time003_code_is_not_reading() -> None:
    code = "\n".join(["```text", *(["word " * 20] * 200), "```"])
    assert found(module(f"## Sample\n\n{code}\n", duration="10m"), "TIME003") == []


def test_time003_transcripts_and_references_are_not_extra_reading() -> None:
    prose = "The chair explains how the board tested the assurance it was given on waiting lists. " * 150
    extra = "media:\n  - src: media/chair.mp4\n    type: video\n    duration: 10m\n    captions: true"
    body = f"## Watch {{time=10m}}\n\nWatch the interview.\n\n## Transcript of the interview\n\n{prose}\n"
    assert found(module(body, duration="10m", extra=extra), "TIME003") == []
    assert len(found(module(body.replace("Transcript of", "Notes on"), duration="10m", extra=extra), "TIME003")) == 1


def test_time003_reading_rate_parameter() -> None:
    prose = "Compassionate leadership means attending, understanding, empathising and helping. " * 80
    text = module(f"## Read\n\n{prose}\n", duration="5m")
    assert found(text, "TIME003") == []  # 720 words at 200 a minute is under 4 minutes
    assert len(found(text, "TIME003", parameters={"time": {"reading_rate": 60}})) == 1


def test_time003_live_session_is_a_floor() -> None:
    extra = 'sessions:\n  - day: Monday\n    start: "10:00"\n    length: 1h\n    recorded: true'
    (finding,) = found(module("Join the session.\n", duration="20m", fmt="live-online", extra=extra), "TIME003")
    assert "1h" in finding.message


def test_time003_leaves_section_totals_to_time002() -> None:
    body = "## One {time=20m}\n\n::: exercise time=20m\nDo.\n:::\n\n## Two {time=20m}\n\n::: exercise time=20m\nDo.\n:::\n"
    text = module(body, duration="20m")
    assert ids_lines(lint(text, select=("TIME002", "TIME003"))) == [("TIME002", 6)]


# -- TIME004 ------------------------------------------------------------------------


def test_time004_sitting_follows_pauseable_personas() -> None:
    body = "Read the case and make notes.\n"
    # p10 has no pauseable need: the default 30m sitting applies.
    assert found(module(body, duration="25m", extra="personas: [p10]"), "TIME004") == []
    (finding,) = found(module(body, duration="25m", extra="personas: [p11]"), "TIME004")
    assert "only 15m at a time" in finding.message and [p.id for p in finding.personas] == ["p11"]


def test_time004_config_wins_over_personas() -> None:
    text = module("Read the case.\n", duration="25m", extra="personas: [p11]")
    assert found(text, "TIME004", parameters={"TIME004": {"max_sitting_minutes": 30}}) == []


def test_time004_split_module_passes() -> None:
    body = "## One {time=15m}\n\nRead.\n\n## Two {time=15m}\n\nMore.\n\n## Three {time=15m}\n\nAnd more.\n\n## Four {time=15m}\n\nLast.\n"
    assert found(module(body, duration="1h"), "TIME004") == []


def test_time004_untimed_sections_averaging_too_long() -> None:
    body = "## One\n\nRead.\n\n## Two\n\nMore.\n"
    (finding,) = found(module(body, duration="1h"), "TIME004")
    assert "30m each" in finding.message and "1h a week" not in finding.message


def test_time004_weekly_budget_named_only_when_exceeded() -> None:
    (finding,) = found(module("One long read.\n", duration="2h"), "TIME004")
    assert "1h a week" in finding.message


@pytest.mark.parametrize("fmt", ["video", "coaching", "live-online"])
def test_time004_sections_only_for_formats_taken_section_by_section(fmt: str) -> None:
    assert found(module("One long piece.\n", duration="45m", fmt=fmt), "TIME004") == []


def test_time004_sessions() -> None:
    # An hour's live session is protected time, not a sitting between shifts.
    hour = 'sessions:\n  - day: Monday\n    start: "10:00"\n    length: 1h'
    assert found(module("Join.\n", duration="1h", fmt="live-online", extra=hour), "TIME004") == []
    # Three hours is more than the smallest weekly budget of stage 2 (1 hour).
    day = hour.replace("length: 1h", "length: 3h")
    out = found(module("Join.\n", duration="3h", fmt="live-online", extra=day), "TIME004")
    assert [f.line for f in out] == [10] and "1h a week" in out[0].message
    assert {p.id for p in out[0].personas} == {"p11", "p12", "p14", "p15"}  # all with under 3h a week
    assert found(module("Join.\n", duration="3h", fmt="live-online", extra=day + "\n    recorded: true"), "TIME004") == []
    several = 'sessions:\n  - day: Monday\n    start: "10:00"\n    length: 45m\n  - day: Wednesday\n    start: "10:00"\n    length: 45m'
    assert found(module("Join.\n", duration="1h30m", fmt="blended", extra=several), "TIME004") == []


# -- TIME005 ------------------------------------------------------------------------


def _sessions(*items: tuple[str, str, str]) -> str:
    out = ["sessions:"]
    for day, start, length in items:
        out += [f"  - day: {day}", f'    start: "{start}"', f"    length: {length}"]
    return "\n".join(out)


@pytest.mark.parametrize(
    ("day", "start", "length", "why"),
    [
        ("Tuesday", "18:00", "1h", "in the evening"),
        ("Tuesday", "16:30", "1h", "until 17:30"),
        ("Saturday", "10:00", "1h", "not a working day"),
        ("2026-03-08", "10:00", "1h", "not a working day"),  # a Sunday
        ("Wednesday", "08:00", "30m", "before the working day"),
    ],
)
def test_time005_outside_hours(day: str, start: str, length: str, why: str) -> None:
    text = module(duration="1h", fmt="live-online", extra=_sessions((day, start, length)))
    (finding,) = found(text, "TIME005")
    assert why in finding.message and finding.line == 9


@pytest.mark.parametrize("day", ["Tuesday", "Thursdays", "2026-03-04", "Fri"])
def test_time005_inside_hours(day: str) -> None:
    text = module(duration="1h", fmt="live-online", extra=_sessions((day, "09:00", "8h")))
    assert found(text, "TIME005") == []


def test_time005_unknown_day_is_not_evidence() -> None:
    assert found(module(duration="1h", fmt="live-online", extra=_sessions(("weekly", "19:00", "1h"))), "TIME005") == []


def test_time005_working_hours_are_configurable() -> None:
    text = module(duration="1h", fmt="live-online", extra=_sessions(("Tuesday", "17:30", "1h")))
    assert len(found(text, "TIME005")) == 1
    assert found(text, "TIME005", parameters={"TIME005": {"day_end": "19:00"}}) == []
    saturday = module(duration="1h", fmt="live-online", extra=_sessions(("Saturday", "10:00", "1h")))
    days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
    assert found(saturday, "TIME005", parameters={"time": {"working_days": days}}) == []


def test_time005_only_for_personas_who_need_working_hours() -> None:
    evening = _sessions(("Tuesday", "19:00", "1h"))
    assert found(module(duration="1h", fmt="live-online", extra=evening + "\npersonas: [p13, p15]"), "TIME005") == []
    # p11 cannot do evenings, but nothing says she cannot do a Saturday morning.
    saturday = _sessions(("Saturday", "10:00", "1h"))
    assert found(module(duration="1h", fmt="live-online", extra=saturday + "\npersonas: [p11]"), "TIME005") == []
    assert len(found(module(duration="1h", fmt="live-online", extra=evening + "\npersonas: [p11]"), "TIME005")) == 1


def test_time005_same_session_repeated_in_hours() -> None:
    extra = 'sessions:\n  - day: Tuesday\n    start: "19:00"\n    title: Huddle practice\n  - day: Wednesday\n    start: "11:00"\n    title: Huddle practice'
    assert found(module(duration="1h", fmt="live-online", extra=extra), "TIME005") == []


# -- TIME006 ------------------------------------------------------------------------


def test_time006_single_time() -> None:
    one = _sessions(("Tuesday", "14:00", "20m"))
    (finding,) = found(module(duration="20m", fmt="live-online", extra=one), "TIME006")
    assert finding.line == 8 and "Tuesday 14:00" in finding.message
    recorded = one + "\n    recorded: true"
    (finding,) = found(module(duration="20m", fmt="live-online", extra=recorded), "TIME006")
    assert "catch up" in finding.message


def test_time006_alternatives_or_second_time() -> None:
    one = _sessions(("Tuesday", "14:00", "20m"))
    alt = one + "\nalternatives:\n  - format: mentoring\n    description: With your mentor."
    assert found(module(duration="20m", fmt="live-online", extra=alt), "TIME006") == []
    twin = 'sessions:\n  - day: Tuesday\n    start: "14:00"\n    title: Set\n  - day: Friday\n    start: "10:00"\n    title: Set'
    assert found(module(duration="20m", fmt="action-learning", extra=twin), "TIME006") == []


@pytest.mark.parametrize("fmt", ["self-paced", "coaching", "mentoring"])
def test_time006_not_for_formats_arranged_by_the_learner(fmt: str) -> None:
    assert found(module(duration="20m", fmt=fmt, extra=_sessions(("Tuesday", "14:00", "20m"))), "TIME006") == []


# -- TIME007 ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "You have 10 minutes to answer all five questions.",
        "You will have twenty minutes for this quiz.",
        "There is a 15-minute time limit.",
        "The time limit is 20 minutes.",
        "This is a timed quiz.",
        "Answer the six questions within 15 minutes.",
        "The quiz closes after 30 minutes.",
    ],
)
def test_time007_prose_limits(sentence: str) -> None:
    body = f"## Check {{time=30m}}\n\n::: assessment time=30m\n{sentence}\n:::\n"
    (finding,) = found(module(body), "TIME007")
    assert finding.line == 13


@pytest.mark.parametrize(
    "body",
    [
        "This takes about 10 minutes.",
        "Allow 10 minutes for the reading, and spend 15 minutes on the exercise.",
        "If you have ten minutes to spare, read the staff story.",
        "Do you have 10 minutes to talk to a colleague this week?",
        "You have 20 minutes of protected time each week.",
        "There is no time limit.",
        "This is not a timed test.",
        "The untimed quiz checks what you remember.",
        "Patients should be triaged within 15 minutes of arrival.",
        "You have about 10 minutes to read this, but take longer if you like.",
        '> "You have five minutes to decide," the nurse said.',
        'She said: "you have 10 minutes to explain yourself."',
        "::: case-study\nThe manager said: you have 10 minutes to tell me why.\n:::",
        "The platform setting `you have 10 minutes to` is off.",
        "```text\nyou have 10 minutes to set up the room\n```",
        "Imagine you have 10 minutes to brief the chief executive.",
        "Badly timed questions can derail a board meeting, and well-timed questions can rescue one.",
        "Set yourself a 10-minute time limit for each agenda item in your own team meetings.",
        "Complete the handover within 15 minutes of the shift starting.",
        "You have 10 minutes before the next patient arrives.",
    ],
)
def test_time007_traps(body: str) -> None:
    assert found(module(f"## Part {{time=30m}}\n\n{body}\n"), "TIME007") == []


def test_time007_extension_in_the_same_section() -> None:
    body = "## Quiz {time=15m}\n\n::: assessment time=15m time_limit=10m\nAnswer the questions.\n:::\n\nIf you need more time, take it: the quiz is not scored on speed.\n"
    assert found(module(body), "TIME007") == []
    other = "## Quiz {time=15m}\n\n::: assessment time=15m time_limit=10m\nAnswer.\n:::\n\n## Later {time=15m}\n\nAsk for extra time if you need it.\n"
    assert [f.line for f in found(module(other), "TIME007")] == [12]


def test_time007_activity_attributes_and_front_matter() -> None:
    body = "## Quiz {time=15m}\n\n::: assessment time=15m time_limit=10m untimed_route=yes\nYou have 10 minutes to answer.\n:::\n"
    assert found(module(body), "TIME007") == []
    body = "## Quiz {time=15m}\n\n::: assessment time=15m time_limit=10m\nYou have 10 minutes to answer.\n:::\n"
    assert [f.line for f in found(module(body), "TIME007")] == [12]  # one finding per activity
    assert found(module(body, extra="untimed_route: true"), "TIME007") == []
    assert found(module(body.replace("time_limit=10m", "time_limit=none").replace("You have 10 minutes to answer.", "Answer.")), "TIME007") == []


def test_time007_front_matter_limit() -> None:
    (finding,) = found(module("Answer the questions.\n", extra="time_limit: 20m"), "TIME007")
    assert finding.line == 7 and "20m" in finding.message
    assert found(module("Answer the questions.\n", extra="time_limit: 20m\nuntimed_route: Ask for the untimed paper version."), "TIME007") == []
    assert len(found(module("Answer the questions.\n", extra="time_limit: 20m\nuntimed_route: false"), "TIME007")) == 1


# -- TIME002: short untimed sections ------------------------------------------------


def test_time002_short_untimed_reading_is_fine_when_the_total_agrees() -> None:
    # A running order and a signposting list need no time when the timed sections fill the duration.
    body = (
        "## How the session runs\n\nWe start at 10 and finish at 11.\n\n"
        "## The work {time=30m}\n\nRead the guide.\n\n"
        "## Support for you\n\nThe Employee Assistance Programme is free and confidential.\n"
    )
    assert found(module(body, duration="30m"), "TIME002") == []


def test_time002_short_untimed_section_is_reported_when_the_total_is_off() -> None:
    # The duration leaves 20 minutes the sections do not account for: the gap matters.
    body = "## The work {time=30m}\n\nRead the guide.\n\n## Support for you\n\nThe helpline is free.\n"
    assert ids_lines(found(module(body, duration="50m"), "TIME002")) == [("TIME002", 14)]


def test_time002_untimed_section_with_an_activity_is_still_reported() -> None:
    body = (
        "## The work {time=25m}\n\nRead the guide.\n\n"
        "## Reflect\n\n::: reflection\nThink about your own team and note one thing.\n:::\n"
    )
    assert ids_lines(found(module(body, duration="30m"), "TIME002")) == [("TIME002", 14)]


def test_time004_live_session_declined_recording_is_not_told_to_record() -> None:
    extra = 'sessions:\n  - day: Tuesday\n    start: "10:00"\n    length: 3h\n    recorded: false\n'
    findings = lint(module("Text.\n", fmt="live-online", duration="3h", extra=extra), select="TIME004")
    assert findings and all("recorded: true" not in f.message for f in findings)
    kept = extra.replace("    recorded: false\n", "")
    assert any("recorded: true" in f.message for f in lint(module("Text.\n", fmt="live-online", duration="3h", extra=kept), select="TIME004"))


def test_time006_action_learning_advice_does_not_split_the_set() -> None:
    extra = 'sessions:\n  - day: Tuesday\n    start: "14:00"\n    length: 2h\n'
    [finding] = lint(module("Text.\n", fmt="action-learning", duration="2h", extra=extra), select="TIME006")
    assert "second time" not in finding.message and "agree the meeting times" in finding.message


# -- one notion of how long a learner can keep going (TIME004 and PAUSE001) -------------


def test_sittings_and_sections_are_held_to_the_same_stretch() -> None:
    # A stage 2 audience has learners who need pause-able content: both rules use 15 minutes.
    long = module("## One {time=20m}\n\nRead.\n\n## Two {time=10m}\n\nMore.\n", duration="30m", extra="resumable: true")
    assert sorted(ids_lines(lint(long, select=("TIME004", "PAUSE001")))) == [("PAUSE001", 11), ("TIME004", 6)]
    split = module("## One {time=15m}\n\nRead.\n\n## Two {time=15m}\n\nMore.\n", duration="30m", extra="resumable: true")
    assert lint(split, select=("TIME004", "PAUSE001")) == []


def test_longest_stretch_comes_from_the_personas() -> None:
    from conftest import _toolkit
    from modlint.personas import PAUSEABLE_STRETCH_MINUTES, Audience, Persona

    registry = _toolkit().registry
    p10, p11 = registry.get("p10"), registry.get("p11")
    assert Audience([p10]).longest_stretch is None  # no pause-able need and no stated sitting
    assert Audience([p10, p11]).longest_stretch == PAUSEABLE_STRETCH_MINUTES == 15
    # A persona whose data states a sitting is held to it, whatever the default.
    stated = Persona.from_dict({**p11.raw, "id": "p99", "time": {**p11.raw["time"], "sitting_minutes": 10}}, "test")
    assert Audience([p11, stated]).longest_stretch == 10
    assert [p.id for p in Audience([p10, p11, stated]).bound_by_stretch(12)] == ["p99"]


def test_time004_counts_breaks_as_stopping_points_as_pause001_does() -> None:
    body = "## Practice {time=35m}\n\nStart.\n\n::: break time=5m\nRest.\n:::\n\nGo on.\n\n## Close {time=10m}\n\nNote one thing.\n"
    text = module(body, duration="45m", extra="resumable: true")
    assert lint(text, select=("TIME004", "PAUSE001")) == []  # (35 - 5) / 2 = 15 either side of the break
    longer = text.replace("{time=35m}", "{time=45m}").replace("duration: 45m", "duration: 55m")
    assert sorted(ids_lines(lint(longer, select=("TIME004", "PAUSE001")))) == [("PAUSE001", 11), ("TIME004", 6)]


# -- TIME004: a recording declared for the whole module ---------------------------------

_LONG_SESSIONS = 'sessions:\n  - day: Tuesday\n    start: "10:00"\n    length: 1h30m\n  - day: Thursday\n    start: "13:00"\n    length: 1h30m'


def test_time004_module_recording_covers_its_sessions() -> None:
    recorded = module("Join.\n", duration="1h30m", fmt="live-online", extra="recording: true\n" + _LONG_SESSIONS)
    assert found(recorded, "TIME004") == []
    note = module("Join.\n", duration="1h30m", fmt="live-online", extra="recording: Shared on the platform the next day\n" + _LONG_SESSIONS)
    assert found(note, "TIME004") == []
    unsaid = found(module("Join.\n", duration="1h30m", fmt="live-online", extra=_LONG_SESSIONS), "TIME004")
    assert [f.line for f in unsaid] == [10, 13] and all("record it (recorded: true)" in f.message for f in unsaid)
    declined = found(module("Join.\n", duration="1h30m", fmt="live-online", extra="recording: false\n" + _LONG_SESSIONS), "TIME004")
    assert [f.line for f in declined] == [11, 14] and not any("record it" in f.message for f in declined)


# -- TIME003: a recording watched inside a timed activity ------------------------------

_ONE_VIDEO = "media:\n  - src: media/chair.mp4\n    type: video\n    duration: 8m\n    captions: media/chair.vtt"
_WATCH_BODY = (
    "## Watch and note {time=10m}\n\n::: exercise time=10m\n{watch} and note three claims she makes about assurance.\n:::\n\n"
    "## Apply it {time=10m}\n\n::: exercise time=10m\nTake one claim and write how you would test it at your next board meeting.\n:::\n"
)


def test_time003_media_watched_in_a_timed_activity_is_not_counted_twice() -> None:
    text = module(_WATCH_BODY.replace("{watch}", "Watch the eight-minute interview with the chair"), duration="20m", stage=4, extra=_ONE_VIDEO)
    assert found(text, "TIME003") == []
    # Outside any activity the video is more time on top of the activities.
    outside = text.replace("::: exercise time=10m\nWatch the eight-minute interview with the chair and note", "Watch the interview.\n\n::: exercise time=10m\nNote")
    assert ids_lines(found(outside, "TIME003")) == [("TIME003", 6)]


def test_time003_a_generic_instruction_is_not_enough_when_two_videos_could_be_meant() -> None:
    two = _ONE_VIDEO + "\n  - src: media/ceo.mp4\n    type: video\n    duration: 8m\n    captions: media/ceo.vtt"
    text = module(_WATCH_BODY.replace("{watch}", "Watch the interview"), duration="20m", stage=4, extra=two)
    assert ids_lines(found(text, "TIME003")) == [("TIME003", 6)]
    named = two.replace("    type: video\n    duration: 8m\n    captions: media/chair.vtt", "    type: video\n    title: What the chair asks\n    duration: 8m\n    captions: media/chair.vtt")
    by_title = module(_WATCH_BODY.replace("{watch}", "Watch 'What the chair asks'"), duration="20m", stage=4, extra=named)
    (finding,) = found(by_title, "TIME003")  # the chair's video is covered; the other one still adds 8m
    assert "8m of video and audio" in finding.message


def test_time003_reads_a_player_clock_duration() -> None:
    extra = 'media:\n  - src: media/ep1.mp3\n    type: audio\n    duration: "25:30"\n    transcript: media/ep1.txt'
    (finding,) = found(module("Listen to the episode.\n", duration="10m", fmt="audio", extra=extra), "TIME003")
    assert finding.line == 6 and "26m of video and audio" in finding.message


# -- TIME002: times that cannot be read --------------------------------------------------


def test_time002_reports_an_unreadable_media_duration() -> None:
    extra = "media:\n  - src: media/ep1.mp3\n    type: audio\n    title: Running on empty\n    duration: about 25 minutes\n    transcript: media/ep1.txt"
    (finding,) = found(module("Listen.\n", duration="30m", fmt="audio", extra=extra), "TIME002")
    assert finding.line == 11 and "'about 25 minutes'" in finding.message and "Running on empty" in finding.message
    assert found(module("Listen.\n", duration="30m", fmt="audio", extra=extra.replace("about 25 minutes", '"25:30"')), "TIME002") == []


@pytest.mark.parametrize("attrs", ["{time=5h 50m}", '{time=5h "50m}'])
def test_time002_no_gap_reported_after_a_heading_attribute_error(attrs: str) -> None:
    # The parser reports the attributes (MOD013); what it kept of them is no basis for a total.
    body = (
        "## What this programme is {time=10m}\n\nSix coaching sessions over six months.\n\n"
        "## Before your first session {time=20m}\n\n::: reflection time=20m\nWrite short answers to three questions.\n:::\n\n"
        f"## The coaching sessions {attrs}\n\nYou and your coach agree the dates.\n\n"
        "## Closing the programme {time=10m}\n\n::: action-plan time=10m\nAgree two actions with your coach and share them with your manager.\n:::\n"
    )
    assert found(module(body, duration="6h30m", fmt="coaching"), "TIME002") == []


def test_time002_a_section_time_that_cannot_be_read_still_counts_as_written() -> None:
    body = '## One {time=15m}\n\nRead.\n\n## Two {time=10m "later}\n\nMore.\n'
    assert found(module(body, duration="30m"), "TIME002") == []  # not "has no time", and no gap
    assert ("MOD013", 14) in ids_lines(lint(module(body, duration="30m"), select="module"))


# -- TIME001 and TIME002 fixes go through the front matter round trip --------------------


def test_duration_fixes_keep_quotes_and_comments() -> None:
    body = "## One {time=10m}\n\nRead this.\n\n## Two {time=15m}\n\nAnd this.\n"
    (finding,) = found(module(body, duration='"TBC"  # ask Priya'), "TIME001")
    assert 'duration: "25m"  # ask Priya\n' in apply_fix(module(body, duration='"TBC"  # ask Priya'), finding.fix)
    # The comment keeps its column, as every front matter fix does.
    text = module(body, duration="'1h'   # old figure")
    (finding,) = found(text, "TIME002")
    assert "duration: '25m'  # old figure\n" in apply_fix(text, finding.fix)


def test_time001_a_short_clock_form_is_ambiguous() -> None:
    (finding,) = found(module(duration='"1:30"'), "TIME001")
    assert finding.line == 6 and "'1h30m' or '1m30s'" in finding.message
    assert found(module(duration='"1:30:00"'), "TIME001") == []


# -- TIME005: coaching, and time zones ---------------------------------------------------


def test_time005_coaching_and_mentoring_sessions_are_arranged_with_the_learner() -> None:
    evening = _sessions(("Tuesday", "18:00", "1h"))
    assert found(module(duration="1h", fmt="coaching", extra=evening), "TIME005") == []
    assert found(module(duration="1h", fmt="mentoring", extra=evening), "TIME005") == []
    assert ids_lines(found(module(duration="1h", fmt="live-online", extra=evening), "TIME005")) == [("TIME005", 9)]


def _zoned(day: str, start: str, zone: str, length: str = "1h") -> str:
    return f'sessions:\n  - day: {day}\n    start: "{start}"\n    length: {length}\n    timezone: {zone}'


def test_time005_reads_a_session_in_the_learners_time_zone() -> None:
    (finding,) = found(module(duration="1h", fmt="live-online", extra=_zoned("Tuesday", "14:00", "America/New_York")), "TIME005")
    assert finding.line == 9 and "it starts at 19:00, in the evening (14:00 in America/New_York is 19:00 in Europe/London)." in finding.message
    assert found(module(duration="1h", fmt="live-online", extra=_zoned("Tuesday", "14:00", "Europe/London")), "TIME005") == []
    # Learners in New York: the same session is in their working day.
    learners_there = {"TIME005": {"timezone": "America/New_York"}}
    assert found(module(duration="1h", fmt="live-online", extra=_zoned("Tuesday", "14:00", "America/New_York")), "TIME005", learners_there) == []


def test_time005_a_dated_session_is_converted_on_its_own_date() -> None:
    # On 10 March 2026 New York has moved its clocks and London has not: 12:00 there is 16:00 here.
    assert found(module(duration="1h", fmt="live-online", extra=_zoned("2026-03-10", "12:00", "America/New_York")), "TIME005") == []
    # A weekly Tuesday 12:00 is 17:00 in London in both winter and summer: it starts as the day ends.
    (finding,) = found(module(duration="1h", fmt="live-online", extra=_zoned("Tuesday", "12:00", "America/New_York")), "TIME005")
    assert "starts at 17:00" in finding.message


def test_time005_an_unknown_time_zone_is_not_guessed_at() -> None:
    assert found(module(duration="1h", fmt="live-online", extra=_zoned("Tuesday", "14:00", "Mars/Olympus")), "TIME005") == []


# -- TIME007: what is and is not a time limit -----------------------------------------------

_LIVE = 'recording: true\nsessions:\n  - day: Tuesday\n    start: "10:00"\n    length: 45m\n  - day: Thursday\n    start: "14:00"\n    length: 45m'


def test_time007_a_facilitators_timebox_in_a_live_session_is_not_a_limit() -> None:
    body = "## Practice {time=45m}\n\n::: discussion time=45m\nIn threes, give feedback on a real example. You'll have 5 minutes to feed back to the whole group at the end.\n:::\n"
    assert found(module(body, duration="45m", fmt="live-online", extra=_LIVE), "TIME007") == []
    # Self-paced, the same words are a limit on the learner's own work.
    assert ids_lines(found(module(body, duration="45m"), "TIME007")) == [("TIME007", 13)]
    # A quiz in a live session is still timed.
    quiz = body.replace("You'll have 5 minutes to feed back to the whole group at the end.", "You have 10 minutes to complete the quiz.")
    assert ids_lines(found(module(quiz, duration="45m", fmt="live-online", extra=_LIVE), "TIME007")) == [("TIME007", 21)]


def test_time007_the_live_part_of_a_blended_module_is_facilitated() -> None:
    extra = 'recording: true\nsessions:\n  - day: Tuesday\n    start: "10:00"\n    length: 30m\n    title: Feedback practice'
    body = "## Feedback practice {time=30m}\n\nYou'll have 5 minutes to feed back to the whole group.\n"
    assert found(module(body, duration="30m", fmt="blended", extra=extra), "TIME007") == []


@pytest.mark.parametrize("sentence", ["After the session you have 48 hours to post your action plan on the forum.", "You will have 21 hours to send it."])
def test_time007_a_deadline_over_20_hours_is_not_a_timed_task(sentence: str) -> None:
    assert found(module(f"## Plan {{time=15m}}\n\n{sentence}\n"), "TIME007") == []


def test_time007_limits_over_20_hours_are_exempt_but_not_shorter_ones() -> None:
    assert found(module("## Plan {time=15m}\n\nYou have 2 hours to submit the form.\n"), "TIME007") != []
    assert found(module("Answer the questions.\n", extra="time_limit: 48h"), "TIME007") == []


@pytest.mark.parametrize(
    "sentence",
    ["You must finish the quiz in 10 minutes.", "The timer gives you 10 minutes.", "When the 10 minutes are up the quiz submits your answers."],
)
def test_time007_more_ways_to_say_a_limit(sentence: str) -> None:
    body = f"## Check {{time=15m}}\n\n::: assessment time=15m\n{sentence}\n:::\n"
    assert ids_lines(found(module(body), "TIME007")) == [("TIME007", 13)]


@pytest.mark.parametrize(
    "sentence",
    [
        "You can finish the quiz in 10 minutes.",
        "You must finish the quiz in about 10 minutes.",
        "Set a timer for 10 minutes. When the 10 minutes are up, stop writing and read it back.",
    ],
)
def test_time007_estimates_and_own_timeboxes_are_not_limits(sentence: str) -> None:
    assert found(module(f"## Check {{time=15m}}\n\n{sentence}\n"), "TIME007") == []


@pytest.mark.parametrize(
    "other",
    [
        "Older staff may need extra time to settle in.",
        "You may need to spend extra time bringing them along.",
        "For help, call the learning team on extension 4410.",
    ],
)
def test_time007_extra_time_must_be_about_the_limit(other: str) -> None:
    body = f"## Quiz {{time=15m}}\n\n{other}\n\nYou have 10 minutes to complete the quiz. If you don't pass you will need to do the whole module again.\n"
    assert ids_lines(found(module(body), "TIME007")) == [("TIME007", 14)]


@pytest.mark.parametrize("offer", ["If you need more time, take it.", "Ask for extra time if you need it.", "Extra time is available on request.", "You can take more time on the quiz."])
def test_time007_extra_time_offered_to_the_learner(offer: str) -> None:
    body = f"## Quiz {{time=15m}}\n\nYou have 10 minutes to complete the quiz. {offer}\n"
    assert found(module(body), "TIME007") == []


# -- TIME008: duration spellings --------------------------------------------------------


def test_time008_normalises_duration_and_session_lengths_safely() -> None:
    extra = 'resumable: true\nsessions:\n  - day: Tuesday\n    start: "10:00"\n    length: 1 hour\n    recorded: true\n    title: Practice'
    text = module("## Practice {time=1h}\n\nJoin.\n", duration='"90 mins"  # agreed', fmt="blended", extra=extra)
    findings = found(text, "TIME008")
    assert ids_lines(findings) == [("TIME008", 6), ("TIME008", 11)]
    assert all(f.fix is not None and f.fix.safe for f in findings) and findings[0].personas == ()
    fixed = apply_fix(apply_fix(text, findings[1].fix), findings[0].fix)
    assert 'duration: "90m"      # agreed\n' in fixed and "    length: 1h\n" in fixed
    assert found(fixed, "TIME008") == []


@pytest.mark.parametrize("value", ["45m", "90m", "1h30m", "2h", "TBC", "90s"])
def test_time008_leaves_short_and_unreadable_durations_alone(value: str) -> None:
    assert found(module(duration=value), "TIME008") == []


def test_time004_no_share_of_the_duration_is_guessed_past_an_unreadable_time() -> None:
    # '{time=15 min}' is an attribute error (MOD013): the section's time is unknown, so neither
    # a gap in the total nor the share of the duration left for it can be worked out.
    body = (
        "## Why rotas feel unfair {time=15m}\n\nRead the survey summary.\n\n"
        "## Who carries the load {time=15 min}\n\n::: exercise time=15m\nMark who worked the most nights.\n:::\n"
    )
    text = module(body, duration="45m", extra="resumable: true")
    assert lint(text, select=("TIME002", "TIME004")) == []
    # Once it can be read, the 15 minutes the sections leave out are reported.
    assert ids_lines(lint(text.replace("{time=15 min}", "{time=15m}"), select=("TIME002", "TIME004"))) == [("TIME002", 6)]


def _strptime_date(text: str) -> dt.date | None:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d %B %Y", "%d %b %Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    return None


@pytest.mark.parametrize(
    "text",
    ["2026-03-04", "2026-3-4", "2026-02-30", "2026-13-01", "04/03/2026", "4/3/2026", "31/02/2026", "0/3/2026",
     "4 March 2026", "4 march 2026", "04 MAR 2026", "4  Mar   2026", "4 Sept 2026", "4 Marc 2026", "29 February 2028",
     "29 February 2027", "Tuesday", "2026-03-04T10:00", "4 March", "", "2026/03/04", "12 May 2026"],
)
def test_session_dates_read_as_strptime_reads_them(text: str):
    assert parse_date(text) == _strptime_date(text)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.dates(min_value=dt.date(1000, 1, 1)), st.sampled_from(["%Y-%m-%d", "%d/%m/%Y", "%d %B %Y", "%d %b %Y", "%-d %B %Y"]))
def test_every_written_date_reads_back(day: dt.date, fmt: str):
    text = day.strftime(fmt)
    assert parse_date(text) == _strptime_date(text) == day
