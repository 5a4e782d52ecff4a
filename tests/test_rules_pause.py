"""The ``pause`` family: exact findings on the example modules, and the edge cases
and false-positive traps of each rule."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT, ids_lines, lint, lint_file

PAUSE = EXAMPLES / "pause"

EXPECTED: dict[str, list[tuple[str, int]]] = {
    "fail-managing-sickness-absence.md": [
        ("PAUSE004", 6),  # 60m, resumable not declared
        ("PAUSE001", 18),  # {time=25m}
        ("PAUSE001", 22),  # estimated: 27 words + 12m + 6m of activities
        ("PAUSE006", 36),  # discussion runs over '## Agreeing next steps'
    ],
    "fail-action-learning-set.md": [
        ("PAUSE002", 11),  # recording declined, only a mentoring alternative
    ],
    "fail-leading-change-blended.md": [
        ("PAUSE004", 10),  # resumable: false, 40m (info)
        ("PAUSE002", 19),  # Thursday session recorded: false
        ("PAUSE003", 26),  # 24m video with a single chapter marker
        ("PAUSE005", 31),  # media autoplay: true
        ("PAUSE005", 35),  # <marquee>
        ("PAUSE005", 39),  # <video autoplay muted loop>
        ("PAUSE005", 45),  # iframe ?autoplay=1
        ("PAUSE005", 47),  # <video controls autoplay>
    ],
    "pass-bite-sized-ward-huddles.md": [],
    "pass-blended-practice-session.md": [],  # the 45m practice section is the live session by its length and title words
    "pass-podcast-chapters.md": [],  # episodes over 15m are chaptered: their chapters are stopping points
    "pass-live-online-with-alternative.md": [],
    "pass-coaching-p25-audience.md": [],
}


def test_every_example_is_listed() -> None:
    assert sorted(p.name for p in PAUSE.glob("*.md")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_findings(name: str) -> None:
    assert ids_lines(lint_file(PAUSE / name, select="pause")) == EXPECTED[name]


@pytest.mark.parametrize("path", sorted(PAUSE.glob("*.md")), ids=lambda p: p.name)
def test_example_is_a_valid_module(path: Path) -> None:
    assert [f for f in lint_file(path) if f.family == "module"] == []


@pytest.mark.parametrize("path", sorted((EXAMPLES / "pass").glob("*.md")), ids=lambda p: p.name)
def test_shared_passing_examples_are_clean(path: Path) -> None:
    assert lint_file(path, select="pause") == []


def test_every_rule_has_a_failing_and_a_passing_example_module() -> None:
    fired = {rid for name, found in EXPECTED.items() for rid, _ in found}
    assert fired == {f"PAUSE00{n}" for n in range(1, 7)}
    assert any(not found for found in EXPECTED.values())


@pytest.mark.parametrize("rule_id", [f"PAUSE00{n}" for n in range(1, 7)])
def test_metadata_examples(rule_id: str) -> None:
    from conftest import _toolkit

    meta = _toolkit().catalogue.by_id[rule_id]
    assert rule_id in [f.rule_id for f in lint(meta.examples["fail"], select=rule_id)]
    assert lint(meta.examples["pass"], select=rule_id) == []
    registry = _toolkit().registry
    assert all(b in registry.barriers for b in meta.barriers)


# -- helpers ------------------------------------------------------------------

def module(front: str = "", body: str = "", stage: int = 2, fmt: str = "self-paced", duration: str = "15m") -> str:
    head = f"---\nid: sample\ntitle: Sample\nstage: {stage}\nformat: {fmt}\nduration: {duration}\n{front}---\n# Sample\n\n"
    return head + body


def found(text: str, rule_id: str, **kw) -> list[tuple[str, int]]:
    return ids_lines(lint(text, select=rule_id, **kw))


def apply_fixes(text: str, findings) -> str:
    edits = sorted((e for f in findings if f.fix for e in f.fix.edits), key=lambda e: e.start, reverse=True)
    for e in edits:
        text = text[: e.start] + e.replacement + text[e.end :]
    return text


def words(n: int) -> str:
    return " ".join(["ward"] * n) + "."


# -- PAUSE001 -----------------------------------------------------------------

def test_pause001_declared_time_boundary() -> None:
    assert found(module(body="## Part {time=15m}\n\nRead.\n"), "PAUSE001") == []
    assert found(module(body="## Part {time=16m}\n\nRead.\n"), "PAUSE001") == [("PAUSE001", 10)]


def test_pause001_estimate_from_words_says_so() -> None:
    findings = lint(module(body="## Reading\n\n" + words(3400) + "\n"), select="PAUSE001")
    assert ids_lines(findings) == [("PAUSE001", 10)]
    assert "estimated at about 17 minutes" in findings[0].message
    assert "3400 words" in findings[0].message
    assert found(module(body="## Reading\n\n" + words(2800) + "\n"), "PAUSE001") == []


def test_pause001_unreadable_time_falls_back_to_an_estimate() -> None:
    findings = lint(module(body="## Reading {time=TBC}\n\n" + words(3400) + "\n"), select="PAUSE001")
    assert ids_lines(findings) == [("PAUSE001", 10)]
    assert "time=TBC cannot be read" in findings[0].message
    assert found(module(body="## Reading {time=TBC}\n\nShort.\n"), "PAUSE001") == []


def test_pause001_activity_words_are_not_counted_twice() -> None:
    # 500 words outside (2.5m) plus a 10m activity whose 1000 words its time covers.
    body = "## Practice\n\n" + words(500) + "\n\n::: exercise time=10m\n" + words(1000) + "\n:::\n"
    assert found(module(body=body), "PAUSE001") == []


def test_pause001_break_is_a_stopping_point() -> None:
    body = "## Practice\n\n::: exercise time=12m\nDo it.\n:::\n\n::: break time=5m\nRest.\n:::\n\n::: exercise time=12m\nAgain.\n:::\n"
    assert found(module(body=body), "PAUSE001") == []
    no_break = body.replace("::: break time=5m\nRest.\n:::\n\n", "")
    assert found(module(body=no_break), "PAUSE001") == [("PAUSE001", 10)]


def test_pause001_declared_time_with_break_uses_an_even_split() -> None:
    ok = "## Practice {time=35m}\n\nStart.\n\n::: break time=5m\nRest.\n:::\n\nGo on.\n"
    assert found(module(body=ok), "PAUSE001") == []  # 30 / 2 = 15
    bad = ok.replace("35m", "41m")
    findings = lint(module(body=bad), select="PAUSE001")
    assert ids_lines(findings) == [("PAUSE001", 10)]
    assert "evenly" in findings[0].message


def test_pause001_opening_section_is_measured_too() -> None:
    text = module(body=words(3600) + "\n")
    findings = lint(text, select="PAUSE001")
    assert ids_lines(findings) == [("PAUSE001", 8)]
    assert "opening section" in findings[0].message


def test_pause001_parameter_override_and_persona_gating() -> None:
    text = module(body="## Part {time=25m}\n\nRead.\n")
    assert found(text, "PAUSE001", parameters={"PAUSE001": {"max_segment_minutes": 30}}) == []
    # A stage 4 module for a persona who has no need for pause-able content.
    only_p25 = module("personas: [p25]\n", "## Part {time=25m}\n\nRead.\n", stage=4)
    assert found(only_p25, "PAUSE001") == []


def test_pause001_live_sessions_are_paced_by_the_facilitator() -> None:
    body = "## Part {time=25m}\n\nDiscuss.\n"
    assert found(module(body=body, fmt="live-online"), "PAUSE001") == []
    assert found(module(body=body, fmt="coaching"), "PAUSE001") == []
    assert found(module(body=body, fmt="blended"), "PAUSE001") == [("PAUSE001", 10)]


def test_pause001_and_time004_derive_the_limit_from_the_longest_stretch(monkeypatch: pytest.MonkeyPatch) -> None:
    from modlint.personas import Audience

    monkeypatch.setattr(Audience, "longest_stretch", property(lambda self: 10.0))
    text = module("resumable: true\n", "## Part {time=12m}\n\nRead.\n\n## Close {time=3m}\n\nNote it.\n")
    assert found(text, "PAUSE001") == [("PAUSE001", 11)]
    assert found(text, "TIME004") == [("TIME004", 6)]
    assert found(text, "PAUSE001", parameters={"PAUSE001": {"max_segment_minutes": 15}}) == []


# -- PAUSE002 -----------------------------------------------------------------

def test_pause002_live_format_without_sessions() -> None:
    assert found(module(fmt="live-online"), "PAUSE002") == [("PAUSE002", 5)]
    assert found(module("recording: true\n", fmt="live-online"), "PAUSE002") == []
    text = module("recording: Shared on the platform within two working days\n", fmt="live-in-person")
    assert found(text, "PAUSE002") == []


def test_pause002_declined_recording_is_acknowledged() -> None:
    findings = lint(module("recording: Not recorded, to keep the set confidential\n", fmt="action-learning"), select="PAUSE002")
    assert ids_lines(findings) == [("PAUSE002", 7)]
    assert "chosen not to record" in findings[0].message
    undecided = lint(module("recording: TBC\n", fmt="action-learning"), select="PAUSE002")
    assert ids_lines(undecided) == [("PAUSE002", 7)]
    assert "chosen not to record" not in undecided[0].message


@pytest.mark.parametrize(
    "alternative, fires",
    [
        ("  - format: self-paced\n", False),
        ("  - Watch the recording on the platform\n", False),
        ("  - A written summary with a reflection task\n", False),
        ("  - format: mentoring\n", True),
        ("  - A face-to-face catch-up with your mentor\n", True),
        ("  - No recording; join the next cohort instead\n", True),
        ("  - format: live-online\n    description: A second live slot\n", True),
    ],
)
def test_pause002_alternatives(alternative: str, fires: bool) -> None:
    text = module("alternatives:\n" + alternative, fmt="live-online")
    assert bool(found(text, "PAUSE002")) is fires


def test_pause002_sessions() -> None:
    sessions = 'sessions:\n  - day: Monday\n    start: "10:00"\n  - day: Friday\n    start: "14:00"\n'
    # Neither recorded and nothing said per session: one finding, at 'sessions'.
    assert found(module(sessions, fmt="blended"), "PAUSE002") == [("PAUSE002", 7)]
    assert found(module("recording: true\n" + sessions, fmt="blended"), "PAUSE002") == []
    one_off = sessions + "    recorded: false\n"
    findings = lint(module("recording: true\n" + one_off, fmt="blended"), select="PAUSE002")
    assert ids_lines(findings) == [("PAUSE002", 13)]
    assert "Friday at 14:00" in findings[0].message
    # Coaching sessions are arranged with the learner.
    assert found(module(sessions, fmt="coaching"), "PAUSE002") == []
    assert found(module(), "PAUSE002") == []


# -- PAUSE003 -----------------------------------------------------------------

def media(extra: str = "", duration: str = "12m") -> str:
    return f"media:\n  - src: media/talk.mp4\n    type: video\n    duration: {duration}\n{extra}"


def test_pause003_threshold_and_chapters() -> None:
    assert found(module(media(duration="10m")), "PAUSE003") == []
    assert found(module(media()), "PAUSE003") == [("PAUSE003", 10)]
    assert found(module(media("    chapters: true\n")), "PAUSE003") == []
    assert found(module(media('    chapters: ["00:00 Start", "05:00 Middle"]\n')), "PAUSE003") == []
    assert found(module(media('    chapters: ["00:00 Start"]\n')), "PAUSE003") == [("PAUSE003", 11)]
    assert found(module(media("    chapters: false\n")), "PAUSE003") == [("PAUSE003", 11)]


def test_pause003_unknown_duration_and_override() -> None:
    assert found(module("media:\n  - src: media/talk.mp4\n    type: video\n"), "PAUSE003") == []
    assert found(module(media(duration="TBC")), "PAUSE003") == []
    assert found(module(media()), "PAUSE003", parameters={"PAUSE003": {"max_media_minutes": 15}}) == []


# -- PAUSE004 -----------------------------------------------------------------

def test_pause004_threshold() -> None:
    assert found(module(duration="20m"), "PAUSE004") == []
    assert found(module(duration="21m"), "PAUSE004") == [("PAUSE004", 6)]
    assert found(module("resumable: true\n", duration="1h"), "PAUSE004") == []
    assert found(module(duration="TBC"), "PAUSE004") == []


def test_pause004_explicit_false_is_information() -> None:
    from modlint.findings import Severity

    findings = lint(module("resumable: false\n", duration="45m"), select="PAUSE004")
    assert ids_lines(findings) == [("PAUSE004", 7)]
    assert findings[0].severity is Severity.INFO
    assert "resumable: false" in findings[0].message
    plain = lint(module(duration="45m"), select="PAUSE004")
    assert plain[0].severity is Severity.WARNING


def test_pause004_explicit_false_respects_configured_severity() -> None:
    from modlint.config import Config
    from modlint.engine import Linter
    from modlint.findings import Severity

    from conftest import _toolkit

    cfg = Config(root=ROOT, select=("PAUSE004",), severity={"PAUSE004": "error"})
    result = Linter(_toolkit()).check_text(module("resumable: false\n", duration="45m"), "m.md", cfg)
    assert [f.severity for f in result.findings] == [Severity.ERROR]


def test_pause004_live_formats_are_not_checked() -> None:
    assert found(module(fmt="live-in-person", duration="2h"), "PAUSE004") == []
    assert found(module(fmt="mentoring", duration="1h"), "PAUSE004") == []


# -- PAUSE005 -----------------------------------------------------------------

def test_pause005_front_matter_fix() -> None:
    text = module(media("    autoplay: true\n", duration="3m"))
    findings = lint(text, select="PAUSE005")
    assert ids_lines(findings) == [("PAUSE005", 11)]
    fixed = apply_fixes(text, findings)
    assert "    autoplay: false\n" in fixed
    assert lint(fixed, select="PAUSE005") == []


def test_pause005_html_fixes() -> None:
    body = (
        '<video src="a.mp4" autoplay></video>\n\n'
        '<audio src="b.mp3" controls autoplay="autoplay"></audio>\n\n'
        '<iframe src="https://player.example.org/embed/9?rel=0&autoplay=true"></iframe>\n'
    )
    text = module(body=body)
    findings = lint(text, select="PAUSE005")
    assert ids_lines(findings) == [("PAUSE005", 10), ("PAUSE005", 12), ("PAUSE005", 14)]
    fixed = apply_fixes(text, findings)
    assert '<video src="a.mp4" controls></video>' in fixed
    assert '<audio src="b.mp3" controls></audio>' in fixed
    assert "autoplay=0" in fixed
    assert lint(fixed, select="PAUSE005") == []


def test_pause005_multi_line_tag_and_refresh() -> None:
    body = '<video\n  src="a.mp4"\n  autoplay>\n</video>\n\n<meta http-equiv="Refresh" content="20; url=next.html">\n\n<blink>New</blink>\n'
    assert found(module(body=body), "PAUSE005") == [("PAUSE005", 10), ("PAUSE005", 15), ("PAUSE005", 17)]


@pytest.mark.parametrize(
    "body",
    [
        "Do not set media to autoplay, and avoid pages that refresh by themselves.\n",
        "Templates sometimes add `<video autoplay>` by default.\n",
        '```html\n<video src="a.mp4" autoplay></video>\n<marquee>x</marquee>\n```\n',
        '    <video src="a.mp4" autoplay></video>\n',
        '<!-- <video src="a.mp4" autoplay></video> -->\n',
        '<video src="a.mp4" controls data-autoplay="true"></video>\n',
        '<video src="a.mp4" controls title="no autoplay here"></video>\n',
        '<iframe src="https://player.example.org/embed/9?autoplay=0" allow="autoplay"></iframe>\n',
        '<meta name="viewport" content="width=device-width">\n',
        "<metadata>not a tag we know</metadata>\n",
    ],
)
def test_pause005_traps(body: str) -> None:
    assert found(module(media("    autoplay: false\n", duration="3m"), body), "PAUSE005") == []


def test_pause005_runs_for_every_audience() -> None:
    text = module("personas: [p25]\n", '<video src="a.mp4" autoplay></video>\n', stage=4)
    findings = lint(text, select="PAUSE005")
    assert ids_lines(findings) == [("PAUSE005", 11)]
    assert findings[0].personas == ()  # p25 has no barrier this rule cites


# -- PAUSE006 -----------------------------------------------------------------

def test_pause006_heading_inside_activity() -> None:
    body = "## One {time=5m}\n\n::: reflection time=5m\nThink.\n\n## Two {time=5m}\n\nWrite.\n:::\n"
    findings = lint(module(body=body), select="PAUSE006")
    assert ids_lines(findings) == [("PAUSE006", 12)]
    assert "'## Two' at line 15" in findings[0].message


def test_pause006_traps() -> None:
    closed = "## One {time=5m}\n\n::: reflection time=5m\nThink.\n:::\n\n## Two {time=5m}\n\nWrite.\n"
    assert found(module(body=closed), "PAUSE006") == []
    sub = "## One {time=5m}\n\n::: reflection time=5m\nThink.\n\n### Prompts\n\nWrite.\n:::\n"
    assert found(module(body=sub), "PAUSE006") == []
    # An unclosed div is MOD013's to report, not this rule's.
    unclosed = "## One {time=5m}\n\n::: reflection time=5m\nThink.\n\n## Two {time=5m}\n\nWrite.\n"
    assert found(module(body=unclosed), "PAUSE006") == []
    assert ("MOD013", 12) in ids_lines(lint(module(body=unclosed)))


# -- the live part of a blended module ------------------------------------------


_BLENDED_SESSION = 'sessions:\n  - day: Tuesday\n    start: "10:00"\n    length: 1h\n    recorded: true\n    title: Team workshop\n'


@pytest.mark.parametrize(
    "heading",
    ["Live session: practising the conversation", "Part 3 (live): role-play", "The webinar", "Session 2: in practice", "Team workshop"],
)
def test_live_section_of_a_blended_module_is_not_a_sitting(heading: str) -> None:
    from modlint.checks.pause import live_segments
    from modlint.parsing.module import parse_text

    text = module(_BLENDED_SESSION, f"## {heading} {{time=60m}}\n\nWe meet online.\n", fmt="blended", duration="60m")
    assert found(text, "PAUSE001") == []
    parsed, _ = parse_text(text, "m.md")
    assert parsed is not None and live_segments(parsed) == {1}


@pytest.mark.parametrize(
    "heading",
    ["How we live our values", "Face-to-face conversations that work", "Before the workshop", "After the live session"],
)
def test_self_paced_sections_that_mention_live_words_are_still_sittings(heading: str) -> None:
    text = module(_BLENDED_SESSION, f"## {heading} {{time=30m}}\n\nRead the guide.\n", fmt="blended", duration="30m")
    assert found(text, "PAUSE001") == [("PAUSE001", 16)]


def test_declined_recording_is_not_told_to_record() -> None:
    # recorded: false on a session is a choice (a confidential room); only the alternative is asked for.
    front = 'sessions:\n  - day: Tuesday\n    start: "10:00"\n    length: 1h\n    recorded: false\n'
    [finding] = lint(module(front, "Text.\n", fmt="live-online", duration="1h"), select="PAUSE002")
    assert "recorded: true" not in finding.message and "chosen not to record" in finding.message
    undecided = front.replace("    recorded: false\n", "    recorded: false\n  - day: Thursday\n    start: \"10:00\"\n")
    messages = [f.message for f in lint(module(undecided, "Text.\n", fmt="live-online", duration="1h"), select="PAUSE002")]
    assert any("Set recorded: true" in m for m in messages)


# -- PAUSE001: transcripts, chaptered media, the live part of a blended module -----------


def test_pause001_skips_a_transcript() -> None:
    media_front = 'resumable: true\nmedia:\n  - src: media/story.mp4\n    type: video\n    duration: 20m\n    captions: media/story.vtt\n    chapters: ["00:00 Joining", "07:00 The crisis", "14:00 What changed"]\n'
    body = "Watch the interview.\n\n## Transcript\n\n" + words(3400) + "\n"
    assert found(module(media_front, body, fmt="video", duration="25m"), "PAUSE001") == []
    assert found(module(media_front, body.replace("## Transcript", "## Notes"), fmt="video", duration="25m"), "PAUSE001") == [("PAUSE001", 19)]


def _episode(chapters: str) -> str:
    return (
        "resumable: true\nmedia:\n  - src: media/ep1.mp3\n    type: audio\n    title: \"Episode 1: Running on empty\"\n"
        f"    duration: 22m\n    transcript: media/ep1.html\n{chapters}"
    )


_EPISODE_BODY = "## Episode 1: Running on empty {time=27m}\n\nListen to the episode.\n\n::: reflection time=5m\nWrite down three signs that tell you to stop.\n:::\n"


def test_pause001_chapters_of_a_recording_are_stopping_points() -> None:
    listed = _episode('    chapters: ["00:00", "04:30", "11:15", "17:40"]\n')
    assert found(module(listed, _EPISODE_BODY, fmt="audio", duration="27m"), "PAUSE001") == []
    assert found(module(_episode("    chapters: true\n"), _EPISODE_BODY, fmt="audio", duration="27m"), "PAUSE001") == []
    # Without chapters the 27 minutes have no stopping point.
    assert found(module(_episode(""), _EPISODE_BODY, fmt="audio", duration="27m"), "PAUSE001") == [("PAUSE001", 17)]
    # A chapter of 18 minutes is itself longer than a learner can give.
    long_chapter = _episode('    chapters: ["00:00", "04:00"]\n')
    assert found(module(long_chapter, _EPISODE_BODY, fmt="audio", duration="27m"), "PAUSE001") == [("PAUSE001", 18)]


def test_pause001_a_section_presents_media_named_by_the_part_of_its_title_after_a_colon() -> None:
    front = _episode('    chapters: ["00:00", "04:30", "11:15", "17:40"]\n')
    renamed = _EPISODE_BODY.replace("## Episode 1: Running on empty", "## Listening 1: Running on empty")
    assert found(module(front, renamed, fmt="audio", duration="27m"), "PAUSE001") == []
    unrelated = _EPISODE_BODY.replace("## Episode 1: Running on empty", "## Looking after yourself")
    assert found(module(front, unrelated, fmt="audio", duration="27m"), "PAUSE001") == [("PAUSE001", 18)]


def test_pause001_other_time_beside_chaptered_media_still_counts() -> None:
    front = _episode('    chapters: ["00:00", "04:30", "11:15", "17:40"]\n')
    body = _EPISODE_BODY.replace("{time=27m}", "{time=60m}").replace("reflection time=5m", "reflection time=38m")
    findings = lint(module(front, body, fmt="audio", duration="60m"), select="PAUSE001")
    assert ids_lines(findings) == [("PAUSE001", 18)]
    assert "even if the chapters of its recording fall evenly, a stretch of about 19 minutes" in findings[0].message


_PRACTICE = 'recording: true\nsessions:\n  - day: Tuesday\n    start: "10:00"\n    length: 45m\n    title: Appraisal practice\n'


def test_pause001_a_section_as_long_as_a_session_and_named_for_it_is_live() -> None:
    body = "## Practising appraisals together {time=45m}\n\n::: discussion time=45m\nIn pairs, open an appraisal conversation.\n:::\n"
    assert found(module(_PRACTICE, body, fmt="blended", duration="45m"), "PAUSE001") == []
    # Not the session's length, or not all of its title: self-paced.
    assert found(module(_PRACTICE, body.replace("45m", "40m"), fmt="blended", duration="40m"), "PAUSE001") == [("PAUSE001", 16)]
    assert found(module(_PRACTICE, body.replace("Practising appraisals together", "Practising together"), fmt="blended", duration="45m"), "PAUSE001") == [("PAUSE001", 16)]


def test_pause001_live_attribute_on_a_heading() -> None:
    body = "## Practise together {time=45m live=true}\n\nJoin the session or rehearse with your mentor.\n"
    assert found(module(_PRACTICE, body, fmt="blended", duration="45m"), "PAUSE001") == []
    named_live = "## Live session {time=45m live=false}\n\nWork through the recording on your own.\n"
    assert found(module(_PRACTICE, named_live, fmt="blended", duration="45m"), "PAUSE001") == [("PAUSE001", 16)]


def test_pause001_an_unreadable_attribute_falls_back_to_an_estimate() -> None:
    findings = lint(module(body='## Reading {time=20m "later}\n\n' + words(3400) + "\n"), select="PAUSE001")
    assert ids_lines(findings) == [("PAUSE001", 10)]
    assert "the attributes after its heading cannot be read" in findings[0].message


# -- PAUSE003: player clock durations ------------------------------------------------------


def test_pause003_reads_a_player_clock_duration() -> None:
    assert found(module(media(duration='"25:30"')), "PAUSE003") == [("PAUSE003", 10)]
    assert found(module(media(duration='"1:30:00"')), "PAUSE003") == [("PAUSE003", 10)]
    assert found(module(media(duration='"09:30"')), "PAUSE003") == []


# -- PAUSE004: the decision placeholder ------------------------------------------------------


def test_pause004_offers_resumable_false_as_an_unsafe_placeholder() -> None:
    text = module("competencies: [Lead a collaborative team]\n", duration="45m")
    (finding,) = lint(text, select="PAUSE004")
    assert finding.fix is not None and not finding.fix.safe
    fixed = apply_fixes(text, [finding])
    assert "duration: 45m\nresumable: false  # set to true if the platform keeps a learner's progress\ncompetencies:" in fixed
    # Once there, it reads as the author's decision: information, with no fix to offer again.
    from modlint.findings import Severity

    (after,) = lint(fixed, select="PAUSE004")
    assert after.severity is Severity.INFO and after.fix is None and after.line == 7


def test_pause004_no_placeholder_beside_a_misspelt_key() -> None:
    # MOD005 would rename 'resumeable' to 'resumable': adding one too would make two keys.
    (finding,) = lint(module("resumeable: true\n", duration="45m"), select="PAUSE004")
    assert finding.fix is None
