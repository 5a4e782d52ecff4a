"""Tests for the ``access`` family (ACCESS001-012).

Every example module under examples/modules/access has its exact findings asserted;
the unit tests below pin the edge cases and, above all, the false-positive traps.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import EXAMPLES, ids_lines, lint, lint_file

from modlint.readability import count_words, reading_grade, split_sentences, syllables

ACCESS = EXAMPLES / "access"

EXPECTED: dict[str, list[tuple[str, int]]] = {
    "images-media-fail.md": [
        ("ACCESS002", 9), ("ACCESS002", 9), ("ACCESS002", 14),
        ("ACCESS001", 22), ("ACCESS001", 26), ("ACCESS001", 28), ("ACCESS001", 30),
    ],
    "images-media-pass.md": [],
    "links-headings-fail.md": [
        ("ACCESS003", 14), ("ACCESS003", 18), ("ACCESS003", 20), ("ACCESS003", 22),
        ("ACCESS004", 24), ("ACCESS004", 28), ("ACCESS004", 32), ("ACCESS004", 36), ("ACCESS004", 38),
    ],
    "links-headings-pass.md": [],
    "mobile-fail.md": [("ACCESS005", 15), ("ACCESS005", 25), ("ACCESS005", 29)],
    "mobile-pass.md": [],
    "readability-fail.md": [("ACCESS006", 13), ("ACCESS006", 15)],
    "readability-pass.md": [],
    "long-module-fail.md": [("ACCESS007", 6)],
    "long-module-pass.md": [],
    # A week of live sessions: only the session with no planned break (at its length), not the week's total.
    "long-sessions-fail.md": [("ACCESS007", 19)],
    "long-sessions-pass.md": [],
    # A YouTube player in the body that the front matter does not list with captions and a transcript.
    "embedded-video-fail.md": [("ACCESS002", 19)],
    "embedded-video-pass.md": [],
    "content-notes-fail.md": [("ACCESS008", 24), ("ACCESS008", 34)],
    "content-notes-pass.md": [],
    "activities-fail.md": [("ACCESS009", 13), ("ACCESS009", 19), ("ACCESS009", 23), ("ACCESS009", 28)],
    "activities-pass.md": [],
    "online-only-fail.md": [("ACCESS010", 5)],
    "online-only-pass.md": [],
    "alcohol-fail.md": [("ACCESS011", 12), ("ACCESS011", 24)],
    "alcohol-pass.md": [],
    "religion-fail.md": [("ACCESS012", 11), ("ACCESS012", 18), ("ACCESS012", 22)],
    "religion-pass.md": [],
}

RULES = [f"ACCESS{n:03d}" for n in range(1, 13)]


def _ids(findings) -> list[str]:
    return [f.rule_id for f in findings]


def module(body: str, *, stage: int = 2, fmt: str = "blended", duration: str = "30m", personas: list[str] | None = None, extra: str = "") -> str:
    """A valid module around ``body``; ``extra`` is more front matter, already in YAML."""
    who = f"personas: [{', '.join(personas)}]\n" if personas else ""
    return f"---\nid: unit-test\ntitle: Unit test\nstage: {stage}\nformat: {fmt}\nduration: {duration}\n{who}{extra}---\n{body}"


def run(rule_id: str, body: str, **kw) -> list[tuple[str, int]]:
    return ids_lines(lint(module(body, **kw), select=rule_id))


# -- the example modules -------------------------------------------------------


def test_every_example_has_expectations() -> None:
    assert sorted(p.name for p in ACCESS.glob("*.md")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_findings(name: str) -> None:
    assert ids_lines(lint_file(ACCESS / name, select="access")) == EXPECTED[name]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_examples_are_valid_modules(name: str) -> None:
    assert ids_lines(lint_file(ACCESS / name, select="module")) == []


@pytest.mark.parametrize("rule_id", RULES)
def test_every_rule_has_a_failing_and_a_passing_example(rule_id: str) -> None:
    failing = [n for n, found in EXPECTED.items() if rule_id in {r for r, _ in found}]
    assert failing, f"no example module triggers {rule_id}"
    assert any(n.endswith("-pass.md") for n in EXPECTED if n.replace("-pass", "-fail") in failing)


@pytest.mark.parametrize("path", sorted((EXAMPLES / "pass").glob("*.md")), ids=lambda p: p.name)
def test_shared_passing_examples_have_no_access_findings(path: Path) -> None:
    assert ids_lines(lint_file(path, select="access")) == []


# -- ACCESS001 image alt text --------------------------------------------------


@pytest.mark.parametrize(
    "markup",
    ["![](a/b/ward.png)", "![ward.png](a/b/ward.png)", "![ward](a/b/ward.png)", "![Ward-Round_Photo](img/ward-round_photo.jpg)", "![IMG_0042](x.jpg)", "![Screenshot 2024-03-01](s.png)", "![Image](x.png)", '<img src="x.png">', '<img src="x.png" alt="x.png">'],
)
def test_alt_text_problems(markup: str) -> None:
    assert _ids(lint(module(f"Intro.\n\n{markup}\n"), select="ACCESS001")) == ["ACCESS001"]


@pytest.mark.parametrize(
    "markup",
    [
        "![Bar chart of vacancy rates by team, highest in district nursing](vacancies.png)",
        '<img src="divider.svg" alt="">',  # HTML's explicit decorative marker
        "`![](inline-code.png)`",
        "```markdown\n![](in-a-code-block.png)\n```",
        "<!-- ![](commented-out.png) -->",
        "![Ward round](ward-round-2024.png)",
        "![Ward round](ward-round.png)",  # the author's words, even if the file has the same name
    ],
)
def test_alt_text_traps(markup: str) -> None:
    assert run("ACCESS001", f"Intro.\n\n{markup}\n") == []


def test_alt_text_position() -> None:
    assert run("ACCESS001", "Intro.\n\nSee the chart: ![](chart.png)\n") == [("ACCESS001", 10)]


# -- ACCESS002 captions and transcripts ----------------------------------------


def test_media_kinds_from_extension_and_host() -> None:
    extra = "media:\n  - src: https://www.youtube.com/watch?v=abc\n    transcript: t.txt\n  - src: talk.m4a\n  - src: slides.pdf\n"
    findings = lint(module("# T\n", extra=extra), select="ACCESS002")
    assert [(f.line, "captions" in f.message) for f in findings] == [(8, True), (10, False)]


@pytest.mark.parametrize("value", ["no", "TBC", "''", "false", "none"])
def test_placeholder_captions_do_not_count(value: str) -> None:
    extra = f"media:\n  - src: v.mp4\n    captions: {value}\n    transcript: v.txt\n"
    assert run("ACCESS002", "# T\n", extra=extra) == [("ACCESS002", 9)]


def test_audio_needs_no_captions() -> None:
    extra = "media:\n  - src: podcast.mp3\n    type: audio\n    transcript: true\n"
    assert run("ACCESS002", "# T\n", extra=extra) == []


_YOUTUBE = '<iframe src="https://www.youtube.com/embed/abc123?autoplay=1" width="560" height="315"></iframe>'


def test_embedded_video_not_in_the_front_matter_is_reported() -> None:
    findings = lint(module(f"# T\n\nWatch the video below.\n{_YOUTUBE}\n"), select="ACCESS002")
    assert [(f.rule_id, f.line, f.column) for f in findings] == [("ACCESS002", 11, 1)]
    assert "is not listed under 'media' in the front matter, and nothing here says it has captions or a transcript" in findings[0].message
    audio = lint(module('# T\n\n<audio controls>\n  <source src="media/ep1.mp3">\n</audio>\n'), select="ACCESS002")
    assert ids_lines(audio) == [("ACCESS002", 10)] and "says it has a transcript." in audio[0].message


@pytest.mark.parametrize(
    "body, extra",
    [
        # Listed under 'media' (by another form of the same YouTube address): the entry is what is checked.
        (_YOUTUBE, "media:\n  - src: https://youtu.be/abc123\n    captions: true\n    transcript: t.html\n"),
        ('<video src="media/tips.mp4" controls></video>', "media:\n  - src: ./media/tips.mp4\n    captions: tips.vtt\n    transcript: tips.html\n"),
        # Captions in a <track> and a transcript linked in the same section.
        ('<video controls>\n  <source src="media/tips.mp4">\n  <track kind="captions" src="tips.vtt">\n</video>\n\n[Read the transcript](tips.html)', ""),
        # Not a recording, or not in the page.
        ('<iframe src="https://forms.office.com/r/abc"></iframe>', ""),
        ("```html\n" + _YOUTUBE + "\n```", ""),
        ("<!-- " + _YOUTUBE + " -->", ""),
    ],
)
def test_embedded_media_traps(body: str, extra: str) -> None:
    assert run("ACCESS002", f"# T\n\n{body}\n", extra=extra) == []


# -- ACCESS003 link text -------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["here", "Click here", "click here.", "this link", "Read more…", "more", "here (PDF, 2 MB)", "**here**", "PDF", "[PDF]", "Download", "this page", "Link"]
)
def test_vague_link_text(text: str) -> None:
    assert run("ACCESS003", f"See [{text}](https://example.nhs.uk/a).\n") == [("ACCESS003", 8)]


@pytest.mark.parametrize(
    "body",
    [
        "Read [the NHS People Plan](https://example.nhs.uk/plan), here in full.",
        "Read the section [here at the start of Our Leadership Way](https://example.nhs.uk/olw).",
        "Email [jo.bloggs@example.nhs.uk](mailto:jo.bloggs@example.nhs.uk) or <jo.bloggs@example.nhs.uk>.",
        "Type `https://example.nhs.uk/portal` into the address bar.",
        "```text\nhttps://example.nhs.uk/portal\n```",
        "Click the blue button, then choose where to go next. More is to come in part two.",
        "Read [the board paper (PDF)](https://example.nhs.uk/paper.pdf) before the meeting.",
    ],
)
def test_link_text_traps(body: str) -> None:
    assert run("ACCESS003", body + "\n") == []


def test_bare_urls_are_reported_once() -> None:
    body = "Go to www.example.nhs.uk/survey, or [https://example.nhs.uk/a](https://example.nhs.uk/a), or <https://example.nhs.uk/b>.\n"
    assert run("ACCESS003", body) == [("ACCESS003", 8), ("ACCESS003", 8), ("ACCESS003", 8)]


def test_bare_url_in_blockquote_is_still_bare() -> None:
    assert run("ACCESS003", "> Source: https://example.nhs.uk/report\n") == [("ACCESS003", 8)]


def test_empty_link_text() -> None:
    assert run("ACCESS003", "See [](https://example.nhs.uk/a).\n") == [("ACCESS003", 8)]


# -- ACCESS004 headings --------------------------------------------------------


def test_first_heading_may_start_at_level_two() -> None:
    assert run("ACCESS004", "## Part one {time=5m}\n\n### Detail\n\n## Part two {time=5m}\n") == []


def test_first_heading_at_level_three_skips_the_title() -> None:
    assert run("ACCESS004", "### Detail\n") == [("ACCESS004", 8)]


def test_same_heading_under_different_parents_is_fine() -> None:
    body = "# T\n\n## Board {time=5m}\n\n### What went well\n\n## Wards {time=5m}\n\n### What went well\n\n### What went well\n"
    assert run("ACCESS004", body) == [("ACCESS004", 18)]


def test_duplicate_ignores_case_and_trailing_punctuation() -> None:
    assert run("ACCESS004", "## Reflection {time=5m}\n\n## reflection: {time=5m}\n") == [("ACCESS004", 10)]


@pytest.mark.parametrize(
    "body",
    [
        "**Do not name individual members of staff**\n\nKeep examples anonymous.",
        "> **A note from a staff governor**\n>\n> We were heard.",
        "Some text with **bold words** inside a sentence.",
        "**This bold paragraph ends with a full stop.**\n\nText.",
        "- **Bold list item**\n- Another item",
        "```markdown\n# Not a heading\n#### Nor this\n```",
        "#hashtag is not a heading",
    ],
)
def test_heading_traps(body: str) -> None:
    assert run("ACCESS004", "# Title\n\n" + body + "\n") == []


def test_bold_paragraph_fix_uses_the_next_level() -> None:
    text = module("# Title\n\n## Part {time=5m}\n\n**Questions for your board**\n\nAsk.\n")
    (finding,) = lint(text, select="ACCESS004")
    assert finding.fix is not None and not finding.fix.safe
    (edit,) = finding.fix.edits
    assert text[edit.start : edit.end] == "**Questions for your board**"
    assert edit.replacement == "### Questions for your board"


def test_bold_paragraph_under_a_skipped_heading_follows_the_corrected_level() -> None:
    # '####' is offered as '###', so the bold line under it becomes '####', not '#####'.
    text = module("# Title\n\n## Part {time=5m}\n\n#### Detail\n\n**Your next step**\n\nAct.\n")
    bold = [f for f in lint(text, select="ACCESS004") if "bold line" in f.message]
    assert len(bold) == 1
    (edit,) = bold[0].fix.edits
    assert edit.replacement == "#### Your next step"
    assert "'#### Your next step'" in bold[0].message


def test_skipped_level_fix_changes_only_the_hashes() -> None:
    text = module("# Title\n\n## Part {time=5m}\n\n#### Detail\n")
    (finding,) = lint(text, select="ACCESS004")
    (edit,) = finding.fix.edits
    assert text[edit.start : edit.end] == "####" and edit.replacement == "###"


# -- ACCESS005 mobile reflow ---------------------------------------------------


def test_mobile_reflow_only_for_phone_learners() -> None:
    table = "| a | b | c | d | e |\n|---|---|---|---|---|\n| 1 | 2 | 3 | 4 | 5 |\n"
    assert run("ACCESS005", table, personas=["p11"]) == [("ACCESS005", 9)]
    assert run("ACCESS005", table, personas=["p13"]) == []


def test_mobile_reflow_parameters_can_be_configured() -> None:
    table = "| a | b | c | d | e |\n|---|---|---|---|---|\n| 1 | 2 | 3 | 4 | 5 |\n"
    findings = lint(module(table, personas=["p11"]), select="ACCESS005", parameters={"ACCESS005": {"max_table_columns": 5}})
    assert findings == []


def test_one_finding_per_code_block_at_its_first_long_line() -> None:
    code = "```\nshort\n" + "x" * 61 + "\n" + "y" * 90 + "\n```\n"
    findings = lint(module(code, personas=["p11"]), select="ACCESS005")
    assert ids_lines(findings) == [("ACCESS005", 11)]
    assert "61 characters" in findings[0].message and "longest has 90" in findings[0].message


def test_long_prose_lines_wrap_and_are_not_reported() -> None:
    assert run("ACCESS005", "word " * 40 + "\n\n`" + "z" * 80 + "`\n", personas=["p11"]) == []


# -- ACCESS006 readability -----------------------------------------------------


def test_sentence_splitting_keeps_abbreviations_and_numbers() -> None:
    sents = split_sentences("Allow 1.5 hours, e.g. two sittings. Then stop! Is that clear? yes it is.")
    assert [s.text for s in sents] == ["Allow 1.5 hours, e.g. two sittings.", "Then stop!", "Is that clear? yes it is."]


def test_hard_breaks_and_colons_end_sentences() -> None:
    assert len(split_sentences("Name: Jo  \nRole: lead  \nTeam: wards\\\nGrade: 8a")) == 4
    assert len(split_sentences("A sentence that is\nwrapped over two lines.")) == 1
    assert len(split_sentences("You will need:\nA pen and paper")) == 2


def test_syllables_and_grade() -> None:
    assert [syllables(w) for w in ("care", "leadership", "NHS", "face-to-face", "the")] == [1, 3, 1, 3, 1]
    assert count_words("Don't use face-to-face ![alt text](x.png) https://x.nhs.uk now.") == 4
    grade = reading_grade("The cat sat on the mat. The dog ran.")
    assert grade is not None and grade.grade < 2


def test_long_sentence_reports_the_count() -> None:
    sentence = " ".join(["word"] * 31) + "."
    (finding,) = lint(module(sentence + "\n", personas=["p14"]), select="ACCESS006")
    assert "31 words" in finding.message and str(finding.severity) == "info"


def test_thirty_words_is_not_too_long() -> None:
    assert run("ACCESS006", " ".join(["word"] * 30) + ".\n") == []


@pytest.mark.parametrize(
    "body",
    [
        "> " + " ".join(["quoted"] * 40) + ".",
        "The policy says \"" + " ".join(["quoted"] * 40) + "\" and we agree.",
        "::: case-study\n" + " ".join(["story"] * 40) + ".\n:::",
        "```\n" + " ".join(["code"] * 40) + ".\n```",
        "| Column |\n|---|\n| " + " ".join(["cell"] * 40) + " |",
        "## " + " ".join(["heading"] * 35),
        "- leaders listening\n- shared understanding\n- taking action\n- empathising with colleagues",
        "What we must stop doing:\n\n  • Seeing racism as other people's business\n  • Staying silent when hearing racist behaviours\n  • Protecting those who cause harm through incivility\n  • Waiting for more data as an excuse not to act\n  • Passing the responsibility to others",
        "Privilege: white, male, professional status, British, stable relationship, no caring duties, access to therapy when needed, secure employment, a home of his own, and a supportive line manager.",
    ],
)
def test_readability_traps(body: str) -> None:
    assert run("ACCESS006", body + "\n") == []


def test_dense_paragraph_gets_a_grade_but_short_ones_do_not() -> None:
    dense = "Organisational escalation frameworks operationalise institutional expectations regarding deterioration. "
    assert run("ACCESS006", dense * 2 + "\n") == []  # under min_paragraph_words
    findings = lint(module(dense * 5 + "\n"), select="ACCESS006")
    assert ids_lines(findings) == [("ACCESS006", 8)] and "reading grade" in findings[0].message


# -- ACCESS007 breaks ----------------------------------------------------------


def test_break_activity_or_heading_counts() -> None:
    assert run("ACCESS007", "::: break time=5m\nStand up and stretch.\n:::\n", duration="1h30m", personas=["p13"]) == []
    assert run("ACCESS007", "## Comfort break {time=10m}\n\nRest.\n", duration="1h30m", personas=["p13"]) == []


def test_breaking_news_is_not_a_break() -> None:
    assert run("ACCESS007", "## Breaking bad news {time=90m}\n\nText.\n", duration="1h30m", personas=["p13"]) == [("ACCESS007", 6)]


def test_no_break_needed_up_to_the_limit_or_without_the_need() -> None:
    assert run("ACCESS007", "Text.\n", duration="45m", personas=["p13"]) == []
    assert run("ACCESS007", "Text.\n", duration="2h", personas=["p11"]) == []
    assert run("ACCESS007", "Text.\n", duration="TBC", personas=["p13"]) == []


def test_one_long_session_is_reported_at_its_length() -> None:
    extra = "sessions:\n  - day: Monday\n    start: \"10:00\"\n    length: 50m\n  - day: Tuesday\n    start: \"10:00\"\n    length: 40m\n"
    (finding,) = lint(module("Text.\n", duration="1h30m", personas=["p13"], extra=extra), select="ACCESS007")
    assert (finding.rule_id, finding.line) == ("ACCESS007", 11)
    assert finding.message.startswith("The live session on Monday at 10:00 lasts 50m (50 minutes) with no planned break.")


# -- ACCESS008 content notes ---------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "We are building an anti-racist organisation with a trauma-informed approach.",
        "Non-violent communication helps in tense meetings.",
        "Patients go to the major trauma centre; the trauma and orthopaedics team is on ward 9.",
        "Rehabilitation after a traumatic brain injury takes months; blunt trauma and traumatic injuries need the same pathway.",
        "Our anti-discrimination policy applies to everyone.",
        "```text\nracism harassment suicide\n```",
        "Use `self-harm` as the search term.",
    ],
)
def test_content_note_traps(body: str) -> None:
    assert run("ACCESS008", body + "\n", stage=4, personas=["p24"]) == []


def test_module_title_is_not_a_mention() -> None:
    body = "# Naming racism\n\n::: content-note\nThis module includes accounts of racism.\n:::\n\n## Racism at work {time=5m}\n"
    assert run("ACCESS008", body, stage=4, personas=["p24"]) == []
    assert run("ACCESS008", "# Naming racism\n", stage=4, personas=["p24"]) == []


def test_quoted_text_counts_as_a_mention() -> None:
    assert run("ACCESS008", "> He said the comment was not racist.\n", stage=4, personas=["p24"]) == [("ACCESS008", 9)]


def test_heading_mention_counts_and_note_must_come_first() -> None:
    body = "## Suicide prevention {time=10m}\n\n::: content-note\nThis section discusses suicide.\n:::\n"
    assert run("ACCESS008", body, stage=4, personas=["p25"]) == [("ACCESS008", 9)]


def test_front_matter_content_notes_count_when_they_name_the_topic() -> None:
    body = "Staff told us about harassment on night shifts.\n"
    assert run("ACCESS008", body, stage=4, personas=["p24"], extra="content_notes:\n  - sexual harassment\n") == []
    assert run("ACCESS008", body, stage=4, personas=["p24"], extra="content_notes:\n  - racism\n") == [("ACCESS008", 11)]


def test_one_finding_per_topic_at_the_first_mention() -> None:
    body = "Line one.\n\nRacism again.\n\nAnd racist remarks.\n"
    findings = lint(module(body, stage=4, personas=["p24"]), select="ACCESS008")
    assert [(f.line, f.column) for f in findings] == [(11, 1)]


def test_not_run_without_the_need() -> None:
    assert run("ACCESS008", "Racism.\n", stage=2, personas=["p11"]) == []


def test_topics_parameter_can_be_a_list() -> None:
    text = module("We discuss bereavement.\n", stage=4, personas=["p24"])
    assert ids_lines(lint(text, select="ACCESS008", parameters={"ACCESS008": {"topics": ["bereavement"]}})) == [("ACCESS008", 9)]


# -- ACCESS009 activity instructions ------------------------------------------


@pytest.mark.parametrize(
    "activity",
    [
        "::: discussion time=10m\nIn pairs, take turns to describe a handover that went wrong. Agree one change and write it down.\n:::",
        "::: reflection\nFor five minutes, think about your last ward round. Note one thing you would do differently.\n:::",
        "::: exercise time=5m\nYou will get a case. Each pair should list the risks they see.\n:::",
        "::: case-study\nA registrar noticed a patient was quiet.\n:::",  # not an instruction kind
        "::: action-plan\nMaybe later.\n:::",
    ],
)
def test_explicit_activities_pass(activity: str) -> None:
    assert run("ACCESS009", activity + "\n", personas=["p14"]) == []


def test_question_alone_is_not_a_task() -> None:
    findings = lint(module("::: reflection time=5m\nWhat would you do?\n:::\n", personas=["p14"]), select="ACCESS009")
    assert ids_lines(findings) == [("ACCESS009", 9)]
    assert "what to do" in findings[0].message and "how long" not in findings[0].message


def test_quoted_instruction_is_not_the_task() -> None:
    body = "::: discussion time=5m\nThe sign said \"Write your name here\".\n:::\n"
    assert run("ACCESS009", body, personas=["p14"]) == [("ACCESS009", 9)]


def test_kinds_parameter() -> None:
    text = module("::: reflection\nHmm.\n:::\n", personas=["p14"])
    assert lint(text, select="ACCESS009", parameters={"ACCESS009": {"kinds": ["discussion"]}}) == []


# -- ACCESS010 alternatives ----------------------------------------------------


@pytest.mark.parametrize(
    "extra",
    [
        "alternatives:\n  - format: coaching\n",
        "alternatives:\n  - An in-person workshop each quarter\n",
        "alternatives:\n  - format: self-paced\n    description: Go through it with your mentor.\n",
        # One entry not written as a list: MOD004 asks for the list, but the route is there.
        "alternatives: Your line manager can take you through it one-to-one.\n",
        "alternatives:\n  format: mentoring\n",
    ],
)
def test_alternative_counts(extra: str) -> None:
    assert run("ACCESS010", "Text.\n", fmt="self-paced", personas=["p10"], extra=extra) == []


def test_online_alternative_does_not_count() -> None:
    extra = "alternatives:\n  - format: video\n    description: Watch the recording.\n"
    assert run("ACCESS010", "Text.\n", fmt="live-online", personas=["p10"], extra=extra) == [("ACCESS010", 5)]


def test_face_to_face_formats_are_not_online_only() -> None:
    for fmt in ("blended", "live-in-person", "mentoring"):
        assert run("ACCESS010", "Text.\n", fmt=fmt, personas=["p10"]) == []


# -- ACCESS011 alcohol ---------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Join us for drinks after the session.",
        "We will head to the pub for a quiz.",
        "There is a wine reception at six.",
        "Networking continues over a glass of wine.",
        "Happy hour starts at five in the hotel bar.",
        "After the workshop, join us at the Red Lion for a pint.",
        "We will go for a drink afterwards.",
        "Networking continues in the bar from 6pm; soft drinks are available.",
    ],
)
def test_alcohol_socials_fire(sentence: str) -> None:
    assert run("ACCESS011", sentence + "\n", stage=4, personas=["p25"]) == [("ACCESS011", 9)]


@pytest.mark.parametrize(
    "sentence",
    [
        "The networking reception is alcohol-free.",
        "No alcohol will be served; join us for drinks and cake in the atrium.",
        "Review your trust's alcohol policy for team drinks and leaving do's.",
        "Some staff feel pressure to socialise at the pub after work.",
        "Take ten minutes for a drink of water and a stretch.",
        "We will raise the bar, and set the bar high; see the bar chart.",
        "She was called to the bar in 2010.",
        "> Every Friday we went to the pub.",
        "Leadership is a cocktail of skills.",
        "There is no drinks reception this year.",
        "Instead of a drinks reception, we will have a networking lunch.",
        "The social will be a walk, with tea, coffee and soft drinks.",
        "Join us for drinks: tea, coffee and juice.",
    ],
)
def test_alcohol_traps(sentence: str) -> None:
    assert run("ACCESS011", sentence + "\n", stage=4, personas=["p25"]) == []


def test_alcohol_only_for_the_need() -> None:
    assert run("ACCESS011", "Join us for drinks after the session.\n", stage=4, personas=["p24"]) == []


# -- ACCESS012 religion --------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    ["Let us pray for our patients.", "We'll open with a prayer.", "We're all blessed to work here.", "God willing, the hub opens in spring.", "Draw on your faith when it gets hard."],
)
def test_religious_presumption_fires(sentence: str) -> None:
    assert run("ACCESS012", sentence + "\n", personas=["p13"]) == [("ACCESS012", 9)]


@pytest.mark.parametrize(
    "sentence",
    [
        "A prayer room is available for those who wish to use it.",
        "There will be no opening prayer.",
        "An optional opening prayer is held in the chapel at 8:30.",
        "Draw on your faith or your values when it gets hard.",
        "Prayer times and Ramadan are respected in scheduling.",
        "> \"We are all blessed\", the chaplain said.",
        "The speaker said \"let us pray\" and some people left.",
    ],
)
def test_religious_presumption_traps(sentence: str) -> None:
    assert run("ACCESS012", sentence + "\n", personas=["p13"]) == []


def test_presumption_check_needs_a_secular_persona() -> None:
    findings = lint(module("Let us pray.\n", personas=["p16"]), select="ACCESS012")
    assert findings == []


def test_live_sessions_need_an_observance_note() -> None:
    sessions = "sessions:\n  - day: Friday\n    start: \"12:30\"\n"
    findings = lint(module("Text.\n", personas=["p16"], extra=sessions), select="ACCESS012")
    assert ids_lines(findings) == [("ACCESS012", 8)] and [p.id for p in findings[0].personas] == ["p16"]
    assert run("ACCESS012", "Text.\n", personas=["p16"], extra=sessions + "religious_observance: true\n") == []
    assert run("ACCESS012", "Text.\n", personas=["p16"], extra=sessions + "religious_observance: TBC\n") == [("ACCESS012", 8)]
    assert run("ACCESS012", "We avoid Friday prayers and can move sessions in Ramadan.\n", personas=["p16"], extra=sessions) == []
    assert run("ACCESS012", "Text.\n", personas=["p13"], extra=sessions) == []
    assert run("ACCESS012", "Text.\n", fmt="live-online", personas=["p16"]) == [("ACCESS012", 5)]
    assert run("ACCESS012", "Text.\n", fmt="self-paced", personas=["p16"]) == []


# -- ACCESS007: stopping points that are already there ---------------------------------


def test_one_to_one_sessions_need_no_planned_break() -> None:
    # The learner and their coach set the pace together, so resting is a word to one person.
    assert run("ACCESS007", "Text.\n", fmt="coaching", duration="1h", personas=["p13"]) == []
    assert run("ACCESS007", "Text.\n", fmt="live-online", duration="1h", personas=["p13"]) == [("ACCESS007", 6)]


def test_resumable_module_in_short_timed_sections_has_its_stopping_points() -> None:
    body = "".join(f"## Part {n} {{time=15m}}\n\nRead the guide.\n\n" for n in range(1, 5))
    assert run("ACCESS007", body, fmt="self-paced", duration="1h", personas=["p13"], extra="resumable: true\n") == []
    # Progress that is not kept, a section over the limit, or an untimed section: no promise of a place to stop.
    assert run("ACCESS007", body, fmt="self-paced", duration="1h", personas=["p13"]) == [("ACCESS007", 6)]
    long_part = body.replace("## Part 4 {time=15m}", "## Part 4 {time=50m}")
    assert run("ACCESS007", long_part, fmt="self-paced", duration="1h35m", personas=["p13"], extra="resumable: true\n") == [("ACCESS007", 6)]
    # An untimed section can take only what the duration leaves over: 15 minutes here, within the limit ...
    untimed = body.replace("## Part 4 {time=15m}", "## Part 4")
    assert run("ACCESS007", untimed, fmt="self-paced", duration="1h", personas=["p13"], extra="resumable: true\n") == []
    # ... but 50 minutes here, which may be one long stretch.
    (finding,) = lint(module(untimed, fmt="self-paced", duration="1h35m", personas=["p13"], extra="resumable: true\n"), select="ACCESS007")
    assert (finding.rule_id, finding.line) == ("ACCESS007", 6)
    assert "It keeps the learner's place, but the section 'Part 4' has no time of its own" in finding.message


@pytest.mark.parametrize("fmt", ["self-paced", "video", "audio"])
def test_resumable_learner_paced_formats_in_short_sections(fmt: str) -> None:
    # Three episodes the learner plays one at a time, and a short untimed signpost at the end.
    body = "Take them one at a time.\n\n" + "".join(f"## Episode {n} {{time=20m}}\n\nListen.\n\n" for n in range(1, 4)) + "## Support\n\nTalk to your GP.\n"
    assert run("ACCESS007", body, fmt=fmt, duration="1h", personas=["p13"], extra="resumable: true\n") == []
    assert run("ACCESS007", body, fmt=fmt, duration="1h", personas=["p13"]) == [("ACCESS007", 6)]


def test_blended_and_live_modules_are_not_exempt_by_their_sections() -> None:
    # The learner does not set the pace of a live part: its sections are not places to stop.
    body = "".join(f"## Part {n} {{time=20m}}\n\nTalk.\n\n" for n in range(1, 4))
    for fmt in ("blended", "live-online"):
        assert run("ACCESS007", body, fmt=fmt, duration="1h", personas=["p13"], extra="resumable: true\n") == [("ACCESS007", 6)]


_WEEK = (
    "sessions:\n"
    "  - {day: Tuesday, start: \"09:30\", length: 60m, title: Why change feels like loss}\n"
    "  - {day: Wednesday, start: \"12:30\", length: 60m, title: Involving the people affected}\n"
)


def test_each_live_session_is_a_sitting_with_its_own_break() -> None:
    body = (
        "## Session 1: Why change feels like loss {time=60m}\n\nThe session has a five-minute break at the halfway point.\n\n"
        "## Between sessions {time=15m}\n\nRead the summary.\n\n"
        "## Session 2: Involving the people affected {time=60m}\n\nWe look at listening events.\n"
    )
    findings = lint(module(body, duration="2h15m", personas=["p13"], extra=_WEEK), select="ACCESS007")
    # Session 2 (its length, on line 10) is the sitting with no break; the 2h15m total is not the point.
    assert [(f.rule_id, f.line, f.column) for f in findings] == [("ACCESS007", 10, 38)]
    assert findings[0].message.startswith("The live session 'Involving the people affected' on Wednesday at 12:30 lasts 1h (60 minutes) with no planned break.")
    with_break = body.replace("We look at listening events.", "We look at listening events. There is a short break after the first half hour.")
    assert run("ACCESS007", with_break, duration="2h15m", personas=["p13"], extra=_WEEK) == []


def test_several_long_sessions_are_one_finding_and_a_repeat_is_not_counted_twice() -> None:
    extra = _WEEK + "  - {day: Tuesday, start: \"18:00\", length: 60m, title: Why change feels like loss}\n"
    (finding,) = lint(module("Text.\n", duration="2h", personas=["p13"], extra=extra), select="ACCESS007")
    assert (finding.rule_id, finding.line) == ("ACCESS007", 9)
    assert "(1 more session is also over 45 minutes with no planned break: 'Involving the people affected')" in finding.message


def test_self_paced_rest_of_a_blended_module_is_one_sitting_when_sessions_are_not_found() -> None:
    # Sessions with no title to find in the headings: what is left of the duration is the self-paced part.
    extra = "sessions:\n  - {day: Monday, start: \"10:00\", length: 30m}\n  - {day: Friday, start: \"10:00\", length: 30m}\n"
    body = "".join(f"## Part {n} {{time=15m}}\n\nRead.\n\n" for n in range(1, 7))
    (finding,) = lint(module(body, duration="2h30m", personas=["p13"], extra=extra), select="ACCESS007")
    assert (finding.rule_id, finding.line) == ("ACCESS007", 6)
    assert finding.message.startswith("Besides its live sessions, this module has about 1h30m (90 minutes) of self-paced work, with no planned break")
    # The platform keeps the place, or the rest fits the limit: nothing to say.
    assert run("ACCESS007", body, duration="2h30m", personas=["p13"], extra=extra + "resumable: true\n") == []
    assert run("ACCESS007", body, duration="1h40m", personas=["p13"], extra=extra) == []


def test_self_paced_module_with_a_short_drop_in_session_is_still_one_long_sitting() -> None:
    extra = "sessions:\n  - {day: Monday, start: \"12:00\", length: 30m, title: Optional drop-in}\n"
    body = "## Part 1 {time=75m}\n\nRead the guide.\n\n## Part 2 {time=75m}\n\nDo the exercise.\n"
    assert run("ACCESS007", body, fmt="self-paced", duration="3h", personas=["p13"], extra=extra) == [("ACCESS007", 6)]


def test_a_break_announced_before_the_sessions_is_for_them_all() -> None:
    body = "Every session has a ten-minute break at the halfway point.\n\n## Session 1: Why change feels like loss {time=60m}\n\nText.\n\n## Session 2: Involving the people affected {time=60m}\n\nText.\n"
    assert run("ACCESS007", body, duration="2h", personas=["p13"], extra=_WEEK) == []


def test_self_paced_work_between_sessions_is_its_own_sitting() -> None:
    short = _WEEK.replace("60m", "40m")
    body = (
        "## Session 1: Why change feels like loss {time=40m}\n\nText.\n\n"
        "## Reading {time=30m}\n\nRead the report.\n\n## Power map {time=30m}\n\nDraw the map.\n\n"
        "## Session 2: Involving the people affected {time=40m}\n\nText.\n"
    )
    findings = lint(module(body, duration="2h20m", personas=["p13"], extra=short), select="ACCESS007")
    assert ids_lines(findings) == [("ACCESS007", 16)]  # the '## Reading' heading: 60 minutes of reading and mapping in one go
    assert findings[0].message.startswith("The self-paced part from 'Reading' to 'Power map' takes about 1h (60 minutes) in one go")
    # Separated by a session, the same work is two sittings of 30 minutes.
    split = (
        "## Session 1: Why change feels like loss {time=40m}\n\nText.\n\n## Reading {time=30m}\n\nRead the report.\n\n"
        "## Session 2: Involving the people affected {time=40m}\n\nText.\n\n## Power map {time=30m}\n\nDraw the map.\n"
    )
    assert run("ACCESS007", split, duration="2h20m", personas=["p13"], extra=short) == []


@pytest.mark.parametrize(
    "text",
    [
        "Take a five-minute break away from the screen.",
        "A comfort break between the two presenters.",
        "There is a 15-minute break at about 3pm.",
        "1. Break (3pm to 3.15pm)",
        "| 40 to 50 min | Break |\n|---|---|\n| 50 to 60 min | Close |",
    ],
)
def test_a_break_written_in_prose_counts(text: str) -> None:
    assert run("ACCESS007", f"## Workshop {{time=90m}}\n\n{text}\n", fmt="live-online", duration="1h30m", personas=["p13"]) == []


@pytest.mark.parametrize(
    "text",
    [
        "Break the ice with a round of names.",
        "Why leaders are the last to take a break.",
        "There is no break in this session.",
        "Do your meetings have a ten-minute break?",
        "::: discussion time=10m\nDiscuss: does your team have a five-minute break on long shifts? Note one idea.\n:::",
    ],
)
def test_talk_about_breaks_is_not_a_planned_break(text: str) -> None:
    assert run("ACCESS007", f"## Workshop {{time=90m}}\n\n{text}\n", fmt="live-online", duration="1h30m", personas=["p13"]) == [("ACCESS007", 6)]


# -- ACCESS009: instructions written the way people write them ----------------------


@pytest.mark.parametrize(
    "text",
    [
        "In mixed groups of managers and directors: think of a time you raised a concern. Write down what helped.",
        "In breakout rooms of three or four, look at the flowchart. Agree where a manager would get stuck.",
        "In small groups, discuss the case and note two questions.",
    ],
)
def test_lead_ins_before_the_instruction(text: str) -> None:
    assert run("ACCESS009", f"::: discussion time=10m\n{text}\n:::\n", personas=["p14"]) == []


@pytest.mark.parametrize(
    "text",
    [
        "Your coach will play one of your managers. Use the model to coach them. Your coach will give you feedback on your questions.",
        "Look at last month's roster and work out who had the most weekend shifts.",
    ],
)
def test_feedback_and_answers_are_outputs(text: str) -> None:
    assert run("ACCESS009", f"::: exercise time=10m\n{text}\n:::\n", personas=["p14"]) == []


def test_an_activity_with_no_output_is_still_reported() -> None:
    text = "Work in threes. One person raises a concern, one listens, one observes. Swap roles."
    assert run("ACCESS009", f"::: exercise time=10m\n{text}\n:::\n", personas=["p14"]) == [("ACCESS009", 9)]


def test_lead_in_pattern_does_not_backtrack_without_end() -> None:
    # Overlapping lead-ins ("in your team" read two ways) once made the pattern try every split
    # of a repeated phrase: 2 to the power of the repetitions. It must stay linear.
    import signal
    import time

    from modlint.checks.access import _IMPERATIVE

    texts = ["in your team " * 300 + "x", "in groups of people " * 300 + "x", "in pairs, " * 500 + "x"]
    previous = signal.signal(signal.SIGALRM, lambda *_: (_ for _ in ()).throw(TimeoutError("the pattern backtracks")))
    signal.alarm(10)
    try:
        start = time.monotonic()
        for text in texts:
            assert _IMPERATIVE.match(text) is None
        assert time.monotonic() - start < 2
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# -- the pre-test that keeps the long patterns cheap --------------------------------


def test_needed_words_are_read_from_the_built_in_patterns() -> None:
    from modlint.checks import access

    # Every built-in long pattern yields words, or the pre-test would never skip anything.
    for pattern in (access._ALCOHOL_SOCIAL, access._PRESUMPTION, access._OBSERVANCE_TEXT):
        assert access.needed_words(pattern)
    assert {"drinks", "pint", "pub"} <= access.needed_words(access._ALCOHOL_SOCIAL)
    # An alternative that needs no word (here "\\d+") means the text must always be searched.
    import re

    assert access.needed_words(re.compile(r"racis[mt]|\d+ incidents?", re.I)) is not None
    assert access.needed_words(re.compile(r"racis[mt]|\d+", re.I)) is None


@pytest.mark.parametrize(
    "text",
    [
        "After the workshop, join us at the Red Lion for a pint.",
        "Happy hour starts at five in the HOTEL BAR.",
        "We are all blessed.",
        "A day of prayer for Ramadan.",
        "Patients with racİsm complaints",  # dotted capital I, which case-insensitive matching equates with i
    ],
)
def test_pre_test_never_rules_out_a_match(text: str) -> None:
    from modlint.checks import access

    topics = access._compiled_topics(access._topic_items({"racism": "racis(?:m|t)"}))
    for pattern in (access._ALCOHOL_SOCIAL, access._PRESUMPTION, access._OBSERVANCE_TEXT, topics[0][1]):
        if pattern.search(text):
            assert access.may_match(access.needed_words(pattern), access.fold(text)), (pattern.pattern[:40], text)

