"""The module family on the bundled examples: exact findings."""
from __future__ import annotations

import pytest

from conftest import EXAMPLES, ROOT, ids_lines, lint, lint_file

FOLDER = EXAMPLES / "module"

EXPECTED = {
    "no-front-matter.md": [("MOD001", 1)],
    "broken-yaml.md": [("MOD002", 3)],
    "front-matter-list.md": [("MOD003", 2)],
    "schema-and-keys.md": [
        ("MOD004", 2), ("MOD004", 4), ("MOD004", 5), ("MOD005", 7), ("MOD006", 8),
        ("MOD007", 10), ("MOD004", 14), ("MOD010", 18), ("MOD013", 21), ("MOD013", 25),
    ],
    "persona-from-other-stage.md": [("MOD008", 7)],
    # Only the iframe runs on into Markdown; the div, details and pre blocks hold text, not Markdown.
    "html-runs-on.md": [("MOD014", 12)],
    "duplicate-id-a.md": [],
    "duplicate-id-b.md": [],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_module_examples(name):
    found = lint_file(FOLDER / name, select="module")
    assert sorted(ids_lines(found), key=lambda x: (x[1], x[0])) == sorted(EXPECTED[name], key=lambda x: (x[1], x[0]))


def test_duplicate_ids_across_files():
    from modlint.config import Config
    from modlint.engine import Linter
    from conftest import _toolkit

    cfg = Config(root=ROOT, select=("module",))
    linter = Linter(_toolkit())
    results = [linter.check_file(FOLDER / n, cfg) for n in ("duplicate-id-a.md", "duplicate-id-b.md")]
    found = linter.check_collection(results, cfg)
    assert [(f.rule_id, f.line, f.path.split("/")[-1]) for f in found] == [("MOD009", 2, "duplicate-id-a.md"), ("MOD009", 2, "duplicate-id-b.md")]
    assert "duplicate-id-b.md" in found[0].message


def test_not_utf8_is_reported_with_position():
    from modlint.config import Config
    from modlint.engine import Linter
    from conftest import _toolkit

    result = Linter(_toolkit()).check_file(FOLDER / "not-utf8.md", Config(root=ROOT))
    assert [(f.rule_id, f.line, f.column) for f in result.findings] == [("MOD011", 8, 5)]


GOOD = """---
id: giving-feedback
title: Giving feedback
stage: 2
format: self-paced
duration: 20m
---
# Giving feedback
"""


def test_valid_module_has_no_module_findings():
    assert lint(GOOD, select="module") == []


def test_stage_list_and_personas_of_both_stages_are_fine():
    text = GOOD.replace("stage: 2", "stage: [2, 4]").replace("duration: 20m", "duration: 20m\npersonas: [p11, p23]")
    assert lint(text, select="module") == []


def test_persona_of_other_stage_is_flagged():
    text = GOOD.replace("duration: 20m", "duration: 20m\npersonas: [p11, p23]")
    assert ids_lines(lint(text, select="module")) == [("MOD008", 7)]


def _with_competencies(*names: str, stage: str = "2") -> str:
    listed = "".join(f"\n  - {name}" for name in names)
    return GOOD.replace("stage: 2", f"stage: {stage}").replace("duration: 20m", f"duration: 20m\ncompetencies:{listed}")


def test_competency_as_the_framework_writes_it_is_accepted():
    # personas/framework.yaml writes "Build relationships (Stage 2)"; authors copy it, in any case.
    text = _with_competencies("build relationships", "Build relationships (Stage 2)", "Manage challenges (stage 2)")
    assert lint(text, select="MOD007") == []
    assert lint(_with_competencies("Build relationships (Stage 4)", stage="[2, 4]"), select="MOD007") == []


def test_competency_suffix_naming_another_stage_is_reported():
    found = lint(_with_competencies("Share good practice", "Build relationships (Stage 4)"), select="MOD007")
    assert ids_lines(found) == [("MOD007", 9)]
    assert "'Build relationships (Stage 4)' names stage 4, but this module is for stage 2" in found[0].message
    assert "Write 'Build relationships (Stage 2)' or just 'Build relationships'" in found[0].message


def test_misspelt_competency_keeps_its_suffix_in_the_suggestion():
    (finding,) = lint(_with_competencies("Build relationship (Stage 2)"), select="MOD007")
    assert (finding.rule_id, finding.line) == ("MOD007", 8)
    assert "Did you mean 'Build relationships (Stage 2)'?" in finding.message


def test_competency_cut_at_its_commas_by_a_flow_list_is_one_finding():
    text = GOOD.replace("duration: 20m", "duration: 20m\ncompetencies: [Provide clear purpose, vision, and deliverables, Build engagement]")
    found = lint(text, select="MOD007")
    assert [(f.rule_id, f.line, f.column) for f in found] == [("MOD007", 7, 16)]
    assert "one competency, 'Provide clear purpose, vision, and deliverables', cut in three by its commas" in found[0].message
    # The same names on their own lines are separate items the author chose: each is reported as it is.
    found = lint(_with_competencies("Use data", "evidence and critical thinking"), select="MOD007")
    assert ids_lines(found) == [("MOD007", 8), ("MOD007", 9)]


def test_unknown_key_did_you_mean_nested():
    text = GOOD.replace("duration: 20m", "duration: 20m\nmedia:\n  - src: a.mp4\n    caption: a.vtt")
    found = lint(text, select="MOD005")
    assert ids_lines(found) == [("MOD005", 9)]
    assert "media[1].caption" not in found[0].message and "Did you mean 'captions'" in found[0].message


def test_missing_required_keys_named():
    text = "---\nid: x\n---\n# X\n"
    found = lint(text, select="MOD004")
    messages = " ".join(f.message for f in found)
    for key in ("title", "stage", "format"):
        assert f"'{key}'" in messages
    assert "duration" not in messages  # TIME001 owns duration


def test_yaml_tag_is_not_constructed():
    text = "---\nid: x\ntitle: !!python/object/apply:os.system ['echo pwned']\nstage: 2\nformat: self-paced\nduration: 20m\n---\n# X\n"
    found = lint(text, select="module")
    assert ("MOD002", 3) in ids_lines(found)


def test_single_entry_where_a_list_is_needed_says_how_to_make_it_a_list():
    text = (
        "---\nid: one-alternative\ntitle: T\nstage: 2\nformat: coaching\nduration: 1h\n"
        "alternatives: \"" + "The same content is covered in the self-paced module, for anyone who cannot attend. " * 2 + "\"\n---\n# T\n"
    )
    [finding] = [f for f in lint(text, select="MOD004")]
    assert finding.line == 7 and "starting with '- '" in finding.message and "under 'alternatives:'" in finding.message
    assert len(finding.message) < 300  # a long value is shortened, not pasted whole
