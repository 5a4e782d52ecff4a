"""The power family: exact findings on the example modules, and the traps that must not fire."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT, _toolkit, ids_lines, lint, lint_file
from modlint.catalogue import RuleMeta
from modlint.checks.phrases import compile_entries, phrase_rule
from modlint.prose import author_blocks, mask_quotes, phrase_pattern
from modlint.yamlio import DataError

POWER = EXAMPLES / "power"

EXPECTED = {
    "microaggressions-teaching-pass.md": [],
    "race-equity-board-pass.md": [],
    "succession-planning-fail.md": [
        ("POWER003", 18),  # past it
        ("POWER003", 19),  # fresh blood
        ("POWER003", 19),  # OK boomer
        ("POWER003", 20),  # so articulate
        ("POWER003", 23),  # too sensitive
        ("POWER003", 24),  # special treatment (of adjustments)
        ("POWER003", 24),  # pulling their weight
        ("POWER003", 29),  # just an engineer
        ("POWER003", 30),  # not real psychology
    ],
    "board-papers-fail.md": [
        ("POWER005", 18),  # chairman
        ("POWER005", 18),  # manpower
        ("POWER005", 19),  # his or her
        ("POWER005", 20),  # husband or wife
        ("POWER004", 22),  # suffers from
        ("POWER004", 22),  # wheelchair-bound
        ("POWER004", 23),  # despite her disability
        ("POWER004", 24),  # normal people
        ("POWER006", 26),  # the BAME community
        ("POWER003", 27),  # where she is really from
        ("POWER003", 27),  # speaks English so well
        ("POWER003", 28),  # angry Black woman
        ("POWER003", 29),  # born name
        ("POWER003", 29),  # past their sell-by date
    ],
    "budget-review-fail.md": [("POWER002", 11), ("POWER001", 31), ("POWER008", 38)],
    "inclusion-workshop-fail.md": [
        ("POWER009", 38),
        ("POWER009", 39),
        ("POWER009", 39),
        ("POWER007", 43),
        ("POWER008", 55),
    ],
    # Teaches by every kind of mention: quotation marks of three kinds, inline code, a blockquote,
    # a case study, a list of phrases to avoid, a "Heard at work" table, emphasis, "the phrase X",
    # negated saying and denial, plus proper names and everyday senses of the words.
    "language-guide-pass.md": [],
    # Board papers: a "Don't say | Say instead" table, a numbered list under "Words to avoid",
    # bold terms, British single quotes, names ("Chairman of the NHS Confederation") and a
    # positionality prompt with no keyword ("If you are white or non-disabled, ...").
    "board-language-pass.md": [],
    "succession-options-fail.md": [
        ("POWER002", 9),  # ethnicity and age only
        ("POWER003", 15),  # table cell: Jo is past it (the row's other cells do not excuse it)
        ("POWER003", 16),  # table cell: Brings fresh blood ("See the board comments" is another row)
        ("POWER003", 19),  # We never want to lose fresh blood (the "never" is about losing)
        ("POWER003", 19),  # Don't worry: we need fresh blood (the "don't" is about worrying)
        ("POWER003", 20),  # Older staff can be stuck in their ways
        ("POWER003", 21),  # Don't give Dev special treatment (the author calls adjustments that)
        ("POWER005", 25),  # chairman, in a list whose lead-in is not about words
        ("POWER005", 25),  # manpower (the Manpower Committee on the next line is a name)
        ("POWER009", 30),  # Ask Black staff to lead the session on racism
        ("POWER009", 30),  # Ask Black colleagues to explain racism ..., not the chair
        ("POWER009", 31),  # ... will be asked to share their experience of racism
        ("POWER001", 36),  # "Write down your grade" asks nothing about power
    ],
}


def test_every_power_example_is_listed():
    assert sorted(p.name for p in POWER.glob("*.md")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_findings(name):
    assert ids_lines(lint_file(POWER / name, select="power")) == EXPECTED[name]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_examples_are_valid_modules(name):
    assert lint_file(POWER / name, select="module") == []


@pytest.mark.parametrize("path", sorted((EXAMPLES / "pass").glob("*.md")), ids=lambda p: p.name)
def test_shared_passing_examples_are_clean(path):
    assert lint_file(path, select="power") == []


@pytest.mark.parametrize("name", sorted(n for n in EXPECTED if n.endswith("-pass.md")))
def test_power_passing_examples_are_clean_in_every_family(name):
    assert [(f.rule_id, f.line, f.message) for f in lint_file(POWER / name)] == []


def test_every_rule_in_the_family_fires_on_an_example():
    fired = {rid for findings in EXPECTED.values() for rid, _ in findings}
    assert fired == {f"POWER00{n}" for n in range(1, 10)}


# -- the teaching example is clean because it quotes, not because the phrases are missed ----

def test_teaching_example_quotes_every_microaggression_phrase():
    """Every listed phrase appears in the teaching module, quoted, so the module is clean because the
    rule skips quotations, not because it misses the phrases."""
    from modlint.parsing import parse_text

    text = (POWER / "microaggressions-teaching-pass.md").read_text(encoding="utf-8")
    parsed, _ = parse_text(text, "teaching.md")
    entries = [e for e in compile_entries(_toolkit().catalogue.get("POWER003")) if e.phrase != "past-it"]
    raw = "\n".join(b.text for b in parsed.blocks)
    # A context pattern ("he's past it") cannot match a bare quotation ("past it"), so look for the words too.
    assert [e.phrase for e in entries if not (e.regex.search(raw) or phrase_pattern(e.phrase).search(raw))] == []
    voiced = "\n".join(t for _, t in author_blocks(parsed))
    # In the author's voice only: the named stereotype, and the everyday-meaning traps at the end
    # ("a sample of fresh blood", "special treatment for being a VIP"), which the rule leaves alone.
    assert [e.phrase for e in entries if e.regex.search(voiced)] == ["fresh blood", "angry Black woman", "special treatment"]
    assert lint(text, select="POWER003") == []


# -- helpers ------------------------------------------------------------------------

def module(body: str, stage: int = 2, extra: str = "", duration: str = "30m") -> str:
    head = f"---\nid: trap\ntitle: Trap\nstage: {stage}\nformat: self-paced\nduration: {duration}\n{extra}---\n# Trap\n\n"
    return head + textwrap.dedent(body).lstrip("\n")


def hits(body: str, rule: str, **kw) -> list[tuple[str, int]]:
    return ids_lines(lint(module(body, **kw), select=rule))


# -- POWER003: microaggressions --------------------------------------------------

@pytest.mark.parametrize(
    "sentence",
    [
        "We moved past it quickly.",
        "Once we're past it, the rota settles.",
        "The team is getting past it now.",
        "It's past it.",
        "A screening test that is too sensitive to light gives false alarms.",
        "They find the topic too sensitive to discuss in a team meeting.",
        "No patient gets special treatment for being a VIP.",
        "Patients on the ward who use a wheelchair may need special treatment for pressure sores.",
        "A sample of fresh blood goes to the lab.",
        "The milk is past its sell-by date.",
        "Only an engineer can sign off the vehicle.",
        "She was told she was past it.",
        "Do not ask colleagues where they are really from.",
        "Being labelled an angry Black woman for being assertive is a stereotype white colleagues escape.",
        "The remark 'OK boomer' shuts people out.",
        "Use `past it` in the search box.",
    ],
)
def test_microaggression_traps_do_not_fire(sentence):
    assert hits(sentence, "POWER003") == []


@pytest.mark.parametrize(
    "sentence",
    [
        "Frankly, Jo is past it.",
        "He's a bit past it.",
        "Is Sam past it?",
        "Some of the team may be past it.",
        "You're being too sensitive.",
        "Staff who ask for adjustments want special treatment.",
        "We need fresh blood on the board.",
        "Ask where she is really from.",
        "She is surprisingly articulate.",
    ],
)
def test_microaggressions_in_author_voice_fire(sentence):
    assert hits(sentence, "POWER003") == [("POWER003", 10)]


def test_quoted_forms_are_skipped():
    body = """
    A colleague said 'you're past it' and another said “fresh blood”.

    > We need fresh blood on the board.

    ::: case-study
    The manager said Dev wanted special treatment for his adjustments.
    :::
    """
    assert hits(body, "POWER003") == []


def test_case_study_inside_another_activity_is_quoted():
    body = """
    :::: discussion time=5m
    Read the case, then discuss it.

    ::: case-study
    The manager said the porter was past it and called for fresh blood.
    :::
    ::::
    """
    assert hits(body, "POWER003") == []


def test_code_is_never_prose():
    body = """
    ```text
    He is past it and we need fresh blood.
    ```
    """
    assert hits(body, "POWER003") == []


def test_finding_names_whose_lived_experience_it_is():
    [finding] = lint(module("We need fresh blood on the board."), select="POWER003")
    assert "P10 Strategic Commissioning Manager" in finding.message
    assert 'Comments about "making way for fresh blood"' in finding.message
    assert [p.id for p in finding.personas] == ["p10"]
    assert (finding.line, finding.column) == (10, 9)


def test_persona_named_in_message_even_when_not_a_target():
    # A stage 4 module: P10 is not in the audience, but the phrase is still his lived experience.
    [finding] = lint(module("We need fresh blood on the board.", stage=4), select="POWER003")
    assert "P10 Strategic Commissioning Manager" in finding.message
    assert finding.personas == ()


# -- POWER004 and POWER005: wording with suggestions and fixes --------------------

def test_suffers_from_a_patient_condition_is_still_deficit_framing():
    assert hits("The patient suffers from dementia and lives alone.", "POWER004") == [("POWER004", 10)]
    assert hits("The rota suffers from gaps in August.", "POWER004") == []
    assert hits("The service suffers from long waits for an autism diagnosis.", "POWER004") == []


def test_deficit_fix_is_unsafe_and_applies():
    text = module("A porter who suffers from arthritis joined the team.")
    [finding] = lint(text, select="POWER004")
    assert finding.fix is not None and finding.fix.safe is False
    [edit] = finding.fix.edits
    assert text[: edit.start] + edit.replacement + text[edit.end :] == module("A porter who has arthritis joined the team.")


def test_chairman_in_quoted_job_title_is_left_alone():
    body = """
    The articles still call the role "Chairman of the Board" and the old 'Chairman's Committee'.
    The chair opens the meeting.
    """
    assert hits(body, "POWER005") == []


def test_exclusive_default_fix_keeps_capitals():
    text = module("Chairman and staff agree the manpower plan.")
    findings = lint(text, select="POWER005")
    assert [f.snippet for f in findings] == ["chairman", "manpower"]
    assert [f.fix.edits[0].replacement for f in findings] == ["Chair", "staffing"]
    assert all(f.fix.safe is False for f in findings)


def test_words_match_on_boundaries():
    assert hits("Her chairmanship of the committee and humankind's future.", "POWER005") == []
    assert hits("He or she needs the form.", "POWER005") == [("POWER005", 10)]
    [finding] = lint(module("He or she needs the form."), select="POWER005")
    assert finding.fix is None  # the verb must change too


# -- POWER006: homogenising ---------------------------------------------------------

def test_named_networks_are_not_homogenising():
    assert hits("The BAME Staff Network and the BAME Community Forum meet monthly.", "POWER006") == []
    assert hits("We asked the BME community for its view.", "POWER006") == [("POWER006", 10)]
    assert hits("The minority view on the board was ignored.", "POWER006") == []


# -- POWER001: reflection on power -----------------------------------------------

def test_an_exercise_about_own_power_counts():
    body = """
    ::: exercise time=10m
    Map the hierarchy in your team and mark where your own position gives you power.
    :::
    """
    assert hits(body, "POWER001") == []


def test_power_in_general_is_not_own_power():
    body = """
    ::: reflection time=10m
    Read the article on how hierarchy works in hospitals and note two ideas.
    :::
    """
    assert hits(body, "POWER001") == [("POWER001", 10)]


def test_short_modules_are_exempt_and_the_limit_is_configurable():
    assert hits("Read the policy.", "POWER001", duration="10m") == []
    text = module("Read the policy.", duration="10m")
    assert ids_lines(lint(text, select="POWER001", parameters={"POWER001": {"min_minutes": 5}})) == [("POWER001", 8)]


# -- POWER002: narrow difference ---------------------------------------------------

def test_required_dimensions_are_capped_by_the_audience():
    # P25 alone brings two dimensions (disability, class): two is enough, one is not.
    two = module("Colleagues with a disability and from a working-class background.", extra="personas: [p25]\n", stage=4)
    one = module("Colleagues with a disability.", extra="personas: [p25]\n", stage=4)
    assert ids_lines(lint(two, select="POWER002")) == []
    assert ids_lines(lint(one, select="POWER002")) == [("POWER002", 9)]
    [finding] = lint(one, select="POWER002")
    assert "1 of the 2 dimensions" in finding.message and "at least 2" in finding.message


def test_case_studies_and_quotes_count_as_engaging():
    body = """
    ::: case-study
    A Muslim nurse who is a carer for her father asks to move a shift during Ramadan; a colleague
    with ADHD asks for written handovers.
    :::
    """
    assert hits(body, "POWER002") == []


def test_config_override_wins():
    text = module("Colleagues with a disability.", stage=4)
    assert ids_lines(lint(text, select="POWER002", parameters={"narrow-difference": {"min_dimensions": 1}})) == []


# -- POWER007: psychological safety ---------------------------------------------

PERSONAL = """
::: discussion time=10m
In groups, share a time when you felt excluded at work.
:::
"""


def test_personal_discussion_needs_ground_rules_and_opt_out():
    assert hits(PERSONAL, "POWER007") == [("POWER007", 10)]
    [finding] = lint(module(PERSONAL, extra="ground_rules: true\n"), select="POWER007")
    assert "choose what to share" in finding.message and "no ground rules" not in finding.message
    safe = PERSONAL + "\nYou do not have to share anything personal; a made-up example is fine.\n"
    assert hits(safe, "POWER007", extra="ground_rules: true\n") == []


def test_discussion_about_nothing_personal_is_not_checked():
    body = """
    ::: discussion time=10m
    In pairs, compare the two rota options and choose one.
    :::
    """
    assert hits(body, "POWER007") == []


def test_runs_only_for_personas_who_need_psychological_safety():
    assert hits(PERSONAL, "POWER007", extra="personas: [p13, p14]\n") == []
    [finding] = lint(module(PERSONAL, extra="personas: [p12, p14]\n"), select="POWER007")
    assert [p.id for p in finding.personas] == ["p12"]


# -- POWER008: action with accountability -----------------------------------------

def test_accountable_plan_before_a_closing_reflection_is_enough():
    body = """
    ::: action-plan time=5m
    Write one action. Share it with your mentor and agree a review date.
    :::

    ::: reflection time=5m
    What will be hardest?
    :::
    """
    assert hits(body, "POWER008") == []


def test_plan_without_a_review_date_says_so():
    body = """
    ::: reflection time=5m
    Whose voice is missing?
    :::

    ::: action-plan time=5m
    Write one action and share it with your line manager.
    :::
    """
    [finding] = lint(module(body), select="POWER008")
    assert finding.line == 14 and "when it will be reviewed" in finding.message and "who will hold" not in finding.message


def test_action_learning_set_needs_no_plan_block_but_a_weak_plan_is_still_reported():
    reflect = """
    ::: reflection time=5m
    What have you learned about your own leadership today?
    :::
    """
    assert hits(reflect, "POWER008") == [("POWER008", 10)]
    text = module(reflect).replace("format: self-paced", "format: action-learning")
    assert ids_lines(lint(text, select="POWER008")) == []
    plan = reflect + """
    ::: action-plan time=5m
    Write one action.
    :::
    """
    text = module(plan).replace("format: self-paced", "format: action-learning")
    assert ids_lines(lint(text, select="POWER008")) == [("POWER008", 14)]


def test_module_without_reflection_or_plan_is_not_checked():
    assert hits("Read the policy and the guidance.", "POWER008") == []


# -- POWER009: burden on minoritised colleagues -------------------------------------

@pytest.mark.parametrize(
    "sentence",
    [
        "No one is expected to speak for a group.",
        "Ask everyone, including Black colleagues, to share their experiences of racism.",
        "Invite disabled colleagues to explain the new rota.",
        "Invite Black colleagues to share their experiences of racism, if they wish.",
        "Ask the team to reflect on how Black colleagues are treated, and to explain their experience of handovers.",
        "Black colleagues often have to explain racism to others, which is exhausting.",
    ],
)
def test_burden_traps_do_not_fire(sentence):
    assert hits(sentence, "POWER009") == []


@pytest.mark.parametrize(
    "sentence",
    [
        "Invite a Muslim colleague to give the Muslim perspective.",
        "Ask the LGBTQ+ members of the team to educate the others.",
        "Have the autistic colleagues describe what it is like to work here.",
        "Colleagues from minority ethnic backgrounds should represent their communities on the panel.",
    ],
)
def test_burden_fires(sentence):
    assert hits(sentence, "POWER009") == [("POWER009", 10)]


def test_burden_in_a_case_study_is_not_the_author_asking():
    body = """
    ::: case-study
    The manager asked the only Black nurse to explain racism to the team.
    :::
    """
    assert hits(body, "POWER009") == []


# -- the prose helpers and the declarative engine --------------------------------

def test_mask_quotes_keeps_offsets_and_apostrophes():
    text = "Sam's team said 'you're past it' and colleagues' views were “fresh blood”."
    masked = mask_quotes(text)
    assert len(masked) == len(text)
    assert "Sam's team" in masked and "colleagues' views" in masked
    assert "past it" not in masked and "fresh blood" not in masked


def test_author_blocks_skip_blockquotes_and_case_studies():
    from modlint.parsing import parse_text

    parsed, _ = parse_text(module("> quoted\n\n::: case-study\nstory\n:::\n\nmine\n"), "m.md")
    assert [t.strip() for _, t in author_blocks(parsed, kinds=("paragraph",))] == ["mine"]


def _meta(**extra) -> RuleMeta:
    data = {
        "id": "ORG900", "alias": "org-phrase", "family": "custom", "severity": "warning",
        "summary": "s", "rationale": "r", "barriers": ["p10.fresh-blood-comments"], "standards": ["seed-x"],
        "examples": {"fail": "", "pass": ""}, "kind": "phrase-existence",
        "phrases": [{"phrase": "synergy", "suggestion": "working together"}], "message": "'{phrase}': {suggestion} {nonsense}",
    }
    data.update(extra)
    return RuleMeta.from_dict(data, "<test>", "config")


def test_declarative_engine_tolerates_unknown_template_fields_and_empty_phrases():
    meta = _meta(phrases=[{"phrase": "   "}, {"phrase": "synergy", "suggestion": "working together"}])
    assert [e.phrase for e in compile_entries(meta)] == ["synergy"]
    rule = phrase_rule(meta)
    from modlint.parsing import parse_text
    from modlint.personas import Audience
    from modlint.rule import RuleContext

    parsed, _ = parse_text(module("We want synergy across teams."), "m.md")
    ctx = RuleContext(meta, parsed, {}, Audience([]), _toolkit().registry, meta.severity)
    [finding] = list(rule.check(parsed, ctx))
    assert finding.message == "'synergy': working together {nonsense}"


def test_declarative_engine_rejects_bad_patterns():
    with pytest.raises(DataError):
        phrase_rule(_meta(phrases=[{"phrase": "x", "pattern": "(unclosed"}]))
    with pytest.raises(DataError):
        phrase_rule(_meta(phrases=[{"phrase": "x", "pattern": "a*"}]))


def test_extra_rules_folder_uses_who_and_quoted_include(tmp_path: Path):
    from modlint.config import Config
    from modlint.engine import Linter
    from modlint.plugins import build_toolkit

    (tmp_path / "ORG901.yaml").write_text(
        textwrap.dedent(
            """
            id: ORG901
            alias: org-fresh-blood
            family: custom
            severity: info
            summary: Fresh blood anywhere.
            rationale: Our trust does not use it even in quotes.
            barriers: [p10.fresh-blood-comments]
            standards: [seed-org]
            kind: phrase-existence
            quoted: include
            message: "'{phrase}' hurts {who}."
            phrases:
              - phrase: fresh blood
                barriers: [p10.fresh-blood-comments]
            examples: {fail: "", pass: ""}
            """
        ),
        encoding="utf-8",
    )
    tk = build_toolkit(extra_rule_dirs=(tmp_path,))
    cfg = Config(root=ROOT, select=("ORG901",))
    result = Linter(tk).check_text(module('They said "fresh blood".'), "m.md", cfg)
    assert [(f.rule_id, f.message) for f in result.findings] == [("ORG901", "'fresh blood' hurts P10 Strategic Commissioning Manager.")]


def test_builtin_phrase_barriers_are_cited_by_their_rule():
    for meta in _toolkit().catalogue:
        if meta.family != "power":
            continue
        for entry in meta.phrases:
            assert set(entry.get("barriers", [])) <= set(meta.barriers), (meta.id, entry["phrase"])


# -- POWER008: accountability written in the ways authors write it ------------------

@pytest.mark.parametrize(
    "plan",
    [
        "Choose one option. Put a first date in your diary now, and tell one person, such as your PA, so that the time is protected.",
        "At your next handover, ask the most junior person to go first. Tell your clinical supervisor how it went at your next supervision.",
        "The director shares it with the chief executive and reports back to the mentor within three months.",
        "Write one question for the board. Share it with your chair, and ask them to check with you after the meeting.",
        "Present them to the people committee at its next meeting, and ask the committee chair to review your progress with you in six months.",
        "Share them with your line manager, and book a review conversation with your manager three months after your final session.",
        "Share it with your line manager and review it with them after the appointment is made.",
        "Share it with your chief executive, who will hold you to it, and review it together at the next board.",
    ],
)
def test_accountability_in_authors_own_words(plan):
    body = f"""
    ::: reflection time=5m
    Whose voice is missing?
    :::

    ::: action-plan time=5m
    {plan}
    :::
    """
    assert hits(body, "POWER008") == []


@pytest.mark.parametrize("plan", ["Tell a story about your week to the group.", "Write one thing you will do in your team."])
def test_words_that_name_nobody_are_not_accountability(plan):
    body = f"""
    ::: action-plan time=5m
    {plan} Review it next month.
    :::
    """
    [finding] = lint(module(body), select="POWER008")
    assert "who will hold" in finding.message


def test_a_male_colleague_is_gender():
    body = "A white male colleague saying the same thing is called robust. Racism and disability are also covered."
    [finding] = lint(module(body, extra="personas: [p23]\n"), select="POWER002")
    assert "(ethnicity and race and gender)" in finding.message and "Bring in caring responsibilities" in finding.message


# -- use and mention: negation is about the phrase, not anywhere in the sentence -------------

@pytest.mark.parametrize(
    "sentence",
    [
        "Reasonable adjustments are not special treatment: they are an entitlement.",
        "Nobody with an adjustment is failing to pull their weight.",
        "Adjustments are an entitlement, and calling them special treatment undermines that.",
        "Do not ask colleagues where they are really from.",
        "She was told she was past it.",
    ],
)
def test_denied_or_reported_phrases_are_not_used(sentence):
    assert hits(sentence, "POWER003") == []


@pytest.mark.parametrize(
    "sentence",
    [
        "We never want to lose fresh blood from the board.",
        "Don't worry: we need fresh blood on the board anyway.",
        "Don't give Dev special treatment for his adjustments.",
        "I asked the panel to find fresh blood for the department.",
        "Dev is not pulling his weight since his adjustments started.",
    ],
)
def test_a_negation_elsewhere_does_not_hide_a_use(sentence):
    assert hits(sentence, "POWER003") == [("POWER003", 10)]


@pytest.mark.parametrize(
    ("sentence", "rule"),
    [
        ("Do not describe anyone as wheelchair-bound.", "POWER004"),
        ("Instead of writing that someone suffers from depression, write that they live with depression.", "POWER004"),
        ("We say chair, not chairman.", "POWER005"),
        ("Avoid phrases like the BAME community.", "POWER006"),
        ("Deficit language such as *suffers from* and **wheelchair-bound** frames disability as tragedy.", "POWER004"),
        ("The phrase fresh blood appears in 40% of exit interviews.", "POWER003"),
        ("Terms like manpower and his or her are outdated.", "POWER005"),
    ],
)
def test_every_phrase_rule_shares_the_teaching_guard(sentence, rule):
    assert hits(sentence, rule) == []


def test_the_guard_does_not_excuse_the_next_sentence():
    body = "Do not describe anyone as wheelchair-bound. Sam is wheelchair-bound and suffers from arthritis."
    assert hits(body, "POWER004") == [("POWER004", 10), ("POWER004", 10)]


# -- lists and tables of phrases to avoid ---------------------------------------------------

TEACHING_LIST = """
Phrases to avoid:

- fresh blood
- suffers from depression
- chairman

| Heard at work | Try instead |
|---|---|
| We need fresh blood | We need new skills |
| The chairman decides | The chair decides |

Next steps:

- Ask the chairman to approve it.
"""


def test_lists_and_tables_of_phrases_to_avoid_are_read_with_their_lead_in_and_header():
    phrase_rules = ("POWER003", "POWER004", "POWER005", "POWER006")
    assert ids_lines(lint(module(TEACHING_LIST), select=phrase_rules)) == [("POWER005", 23)]


def test_unsafe_fixes_leave_the_teaching_list_alone(tmp_path: Path):
    from conftest import run_cli

    path = tmp_path / "m.md"
    text = module(TEACHING_LIST)
    path.write_text(text, encoding="utf-8")
    run_cli("check", "--no-cache", "--select", "power", "--fix", "--unsafe-fixes", str(path), cwd=tmp_path)
    assert path.read_text(encoding="utf-8") == text.replace("- Ask the chairman to approve it.", "- Ask the chair to approve it.")


def test_a_list_of_what_leaders_must_stop_doing_is_not_a_request():
    body = """
    The strategy lists what leaders must stop doing. Three of these matter here:

    1. Staying silent when seeing racist behaviours.
    2. Asking Black, Asian and other minority ethnic people to fix the problem of racism.

    Next, ask Black colleagues to explain racism to the team.
    """
    assert hits(body, "POWER009") == [("POWER009", 15)]


def test_a_table_row_is_not_one_sentence_with_its_neighbours():
    body = """
    | Option | Notes |
    |---|---|
    | Promote from within | Jo is past it, so not Jo |
    | Recruit externally | Brings fresh blood |
    | Leave vacant | See board comments |
    """
    assert hits(body, "POWER003") == [("POWER003", 12), ("POWER003", 13)]


def test_context_words_are_read_in_the_same_cell():
    # "special treatment" is only about adjustments when they are named with it, in its own cell.
    body = """
    | Request | Reply |
    |---|---|
    | Adjustments to the rota | Agreed |
    | A VIP guest | Gets special treatment |
    | A later start for his adjustments, which is special treatment | Refused |
    """
    assert hits(body, "POWER003") == [("POWER003", 14)]


# -- names are not word choices -------------------------------------------------------------

@pytest.mark.parametrize(
    "sentence",
    [
        "Sir Alan, then Chairman of the NHS Confederation, led the review.",
        "Minutes of the Chairman's Committee are in the archive.",
        "The Chairman Mao exhibition at the library is unrelated.",
        "The Manpower Services Commission funded the first scheme in 1983.",
        "Read *The Chairman's Handbook* (1978) for the historical view.",
    ],
)
def test_names_in_title_case_are_left_alone(sentence):
    assert hits(sentence, "POWER005") == []


def test_the_fix_never_touches_a_name():
    text = module("Chairman Mao is unrelated. The chairman opens the meeting.")
    [finding] = lint(text, select="POWER005")
    [edit] = finding.fix.edits
    assert text[edit.start : edit.end] == "chairman" and edit.replacement == "chair"


def test_the_fresh_blood_donor_campaign_is_a_name():
    assert hits("The Fresh Blood Donor campaign runs in June. We need Fresh Blood.", "POWER003") == [("POWER003", 10)]


# -- everyday senses ----------------------------------------------------------------------

def test_people_management_is_not_normal_people():
    assert hits("Under normal working conditions, normal people management processes apply to disabled staff too.", "POWER004") == []
    assert hits("Normal people do not notice the ramp; disabled colleagues do.", "POWER004") == [("POWER004", 10)]


@pytest.mark.parametrize(
    "sentence",
    ["Take a moment: the incident was painful, but the team is past it now.", "The outbreak was bad; the ward is well past it."],
)
def test_a_team_or_ward_that_is_past_it_is_over_it(sentence):
    assert hits(sentence, "POWER003") == []


def test_a_person_past_it_is_still_found():
    assert hits("Mark, who retires next year, is past it.", "POWER003") == [("POWER003", 10)]


def test_stuck_in_their_ways_is_in_the_seeds_and_found():
    [finding] = lint(module("Older staff can be stuck in their ways, so plan extra time."), select="POWER003")
    assert finding.line == 10 and "P10" in finding.message and '"stuck in his ways"' in finding.message
    meta = _toolkit().catalogue.get("POWER003")
    assert any("stuck in his ways" in p for p in meta.seed_passages)
    assert hits("Calling an older colleague stuck in their ways is a stereotype.", "POWER003") == []


# -- POWER002: the words that count --------------------------------------------------------

def test_everyday_words_do_not_count_as_difference():
    body = "Check the age of the estate, the class of medicines, and the parent organisation's policy in good faith."
    [finding] = lint(module(body), select="POWER002")
    assert "engages with 0 of" in finding.message


def test_common_ways_of_naming_difference_count():
    # Three dimensions, the most asked: no finding (the words used to count as one, "gay").
    body = "Plan cover for colleagues who are older, colleagues who are Black, and colleagues who are gay."
    assert hits(body, "POWER002") == []
    body = "Leaders from minoritised groups can use chaplaincy and non-religious pastoral support."
    [finding] = lint(module(body), select="POWER002")
    assert "(ethnicity and race and religion and belief)" in finding.message


def test_a_mental_health_service_is_not_engaging_with_disability():
    [finding] = lint(module("Refer staff to the mental health crisis teams."), select="POWER002")
    assert "engages with 0 of" in finding.message


# -- POWER001: a prompt about the learner's own position, not a keyword ---------------------

@pytest.mark.parametrize(
    "prompt",
    [
        "Whose voice do you silence without meaning to, and why might people defer to you? Note one example.",
        "If you are heterosexual or cisgender, what parts of your life do you talk about at work without thinking?",
        "Think about whether you are disabled or non-disabled. Write down one assumption that your own position has let you take for granted.",
        "Think about how your role and grade might change what staff feel able to tell you on a walkround.",
    ],
)
def test_positionality_prompts_without_keywords_count(prompt):
    assert hits(f"::: reflection time=5m\n{prompt}\n:::\n", "POWER001") == []


@pytest.mark.parametrize(
    "prompt",
    [
        "Write down your grade and your start date.",
        "Think about the hierarchy on your ward. Who is listened to?",
        "What advantages does your team's new rota have? Note two.",
    ],
)
def test_a_lone_keyword_is_not_a_reflection_on_power(prompt):
    assert hits(f"::: reflection time=5m\n{prompt}\n:::\n", "POWER001") == [("POWER001", 10)]


# -- POWER007: steering away from experience, opt-outs in the front matter -----------------

def test_a_discussion_that_steers_away_from_own_experience_asks_nothing_personal():
    body = """
    ::: discussion time=10m
    Discuss the case in groups of three. Use the case, not your own experience, unless you choose to share more.
    :::
    """
    assert hits(body, "POWER007") == []


def test_an_opt_out_among_the_front_matter_ground_rules_counts():
    rules = 'ground_rules:\n  - What is said here stays here.\n  - You can pass on any question without giving a reason.\n'
    assert hits(PERSONAL, "POWER007", extra=rules) == []
    assert hits(PERSONAL, "POWER007", extra="ground_rules:\n  - What is said here stays here.\n") == [("POWER007", 12)]


# -- POWER008: named holders and review times written as authors write them ---------------


# -- POWER009: passive requests, scoped relief, leading the session -----------------------

@pytest.mark.parametrize(
    "sentence",
    [
        "Board members from a global majority background will be asked to share their experience of racism.",
        "Ask Black colleagues to explain racism to the team, not the chair.",
        "Ask Black staff to lead the session on racism.",
        "Ask the women on the team to explain the menopause to the men.",
    ],
)
def test_more_burdens_fire(sentence):
    assert hits(sentence, "POWER009") == [("POWER009", 10)]


@pytest.mark.parametrize(
    "sentence",
    [
        "Rather than asking Black colleagues to explain racism, share the research with everyone.",
        "Black colleagues should not be asked to explain racism to the team.",
        "Invite the Muslim chaplain to explain Ramadan arrangements, which is part of their paid role.",
        "Our LGBT+ network chair will speak for the members about the survey, as they have agreed to do.",
    ],
)
def test_more_burden_traps_do_not_fire(sentence):
    assert hits(sentence, "POWER009") == []
