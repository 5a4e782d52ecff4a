"""Tests for the ``time`` family (TIME001-TIME007): exact findings on the example
modules, and focused cases for edge conditions and false-positive traps."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import EXAMPLES, ROOT, ids_lines, lint, lint_file

TIME_EXAMPLES = EXAMPLES / "time"

EXPECTED: dict[str, list[tuple[str, int]]] = {
    "bite-sized-appraisals.md": [],
    "duration-missing.md": [("TIME001", 1)],
    "duration-placeholder.md": [("TIME001", 6)],
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
    for rule_id in (f"TIME00{n}" for n in range(1, 8)):
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
    assert "20m" in finding.message and [p.id for p in finding.personas] == ["p11"]


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
