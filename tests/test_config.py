"""Configuration files: every rule they name and every parameter they set is checked
against the catalogue (built-in, plugin and extra-rules rules) when they are loaded;
a problem is an error naming the file, key and line (exit 2), never a silent no-op."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import ORG_RULE, ROOT, _toolkit, run_cli

MODULE = "---\nid: a\ntitle: A\nstage: 2\nformat: self-paced\nduration: 5m\n---\n# A\n"

EVENING = """---
id: late-huddle
title: A late huddle
stage: 2
format: live-online
duration: 20m
sessions:
  - day: Tuesday
    start: "17:30"
    length: 20m
    recorded: true
---
# A late huddle

## Talk {time=20m}

::: discussion time=20m
Bring one question about your own service.
:::
"""


def _project(tmp_path: Path, config: str, name: str = ".modlint.yaml") -> Path:
    (tmp_path / name).write_text(config, encoding="utf-8")
    (tmp_path / "m.md").write_text(MODULE, encoding="utf-8")
    return tmp_path


def _error(tmp_path: Path, config: str, name: str = ".modlint.yaml") -> str:
    _project(tmp_path, config, name)
    result = run_cli("check", "m.md", cwd=tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stdout == "" and "Traceback" not in result.stderr
    prefix = f"modlint: error: {tmp_path / name}:"
    assert result.stderr.startswith(prefix), result.stderr
    return result.stderr[len(prefix) :].rstrip("\n")


@pytest.mark.parametrize(
    "config,expected",
    [
        ("select: [TIMEX]\n", "1:10: 'select' names 'TIMEX', which is not a rule id, alias or family. Did you mean 'time'? See 'modlint rules' for the rules."),
        ("select: [module]\nignore:\n  - time\n  - duration-misisng\n", "4:5: 'ignore' names 'duration-misisng', which is not a rule id, alias or family. Did you mean 'duration-missing'?"),
        ("per-file-ignores:\n  'archive/**': [TIME003, NOPE001]\n", "2:27: 'per-file-ignores' names 'NOPE001', which is not a rule id, alias or family. See 'modlint rules' for the rules."),
        ("severity:\n  TIME05: warning\n", "2:3: 'severity' names 'TIME05', which is not a rule id or alias. Did you mean 'TIME005'?"),
        ("severity:\n  time: warning\n", "2:3: 'severity' sets one rule at a time, but 'time' names several. Name each rule by its id or alias."),
        ("parameters:\n  TIME05: {day_start: '08:00'}\n", "2:3: 'parameters' names 'TIME05', which is not a rule id, alias or family. Did you mean 'TIME005'?"),
    ],
)
def test_unknown_rules_in_a_config_file_name_file_key_and_line(tmp_path: Path, config: str, expected: str):
    assert _error(tmp_path, config).startswith(expected)


@pytest.mark.parametrize(
    "config,expected",
    [
        (  # the snippet README.md used to show
            'parameters:\n  TIME005: {start: "08:00", end: "18:00"}\n',
            "2:13: 'start' is not a parameter of TIME005 (live-outside-working-hours). Did you mean 'day_start'? "
            "Its parameters are: {TIME005} (see 'modlint explain').",
        ),
        (
            'parameters:\n  TIME005:\n    day_start: "nine"\n',
            "3:16: 'parameters.TIME005.day_start' must be a time of day such as \"09:00\" (24-hour HH:MM, in quotes), not 'nine'. Its default is '09:00'.",
        ),
        (
            "parameters:\n  TIME005:\n    day_end: 17\n",
            "3:14: 'parameters.TIME005.day_end' must be a time of day such as \"09:00\" (24-hour HH:MM, in quotes), not 17. Its default is '17:00'.",
        ),
        (
            'parameters:\n  PAUSE001: {max_segment_minutes: "ten"}\n',
            "2:35: 'parameters.PAUSE001.max_segment_minutes' must be a number, not 'ten'. Its default is 15.",
        ),
        (  # a family sets each of its rules that has the parameter
            "parameters:\n  pause: {max_segment_minutes: true}\n",
            "2:32: 'parameters.pause.max_segment_minutes' must be a number for PAUSE001, not true. Its default is 15.",
        ),
        (
            "parameters:\n  live-outside-working-hours:\n    working_days: [Monday, Funday]\n",
            "3:28: 'parameters.live-outside-working-hours.working_days' must be a list of days of the week such as Monday, but 'Funday' is not a day of the week such as Monday.",
        ),
    ],
)
def test_parameters_are_checked_against_the_rules_declared_parameters(tmp_path: Path, config: str, expected: str):
    declared = {m.id: ", ".join(m.parameters) for m in _toolkit().catalogue}
    assert _error(tmp_path, config) == re.sub(r"\{([A-Z]+\d+)\}", lambda m: declared[m.group(1)], expected)


def test_a_parameter_for_a_rule_without_parameters(tmp_path: Path):
    meta = next(m for m in _toolkit().catalogue if not m.parameters)
    message = _error(tmp_path, f"parameters:\n  {meta.id}: {{max_minutes: 5}}\n")
    assert message == f"2:{len(meta.id) + 6}: 'max_minutes' is not a parameter of {meta.id} ({meta.alias}): it has no parameters to set."


def test_pyproject_errors_name_the_line_too(tmp_path: Path):
    toml = '[project]\nname = "x"\n\n[tool.modlint]\nselect = ["module", "TIMEX"]\n'
    assert _error(tmp_path, toml, "pyproject.toml").startswith("5:21: 'select' names 'TIMEX'")
    table = '[tool.modlint]\nselect = ["module"]\n\n[tool.modlint.parameters.TIME005]\nday_start = "nine"\n'
    assert _error(tmp_path, table, "pyproject.toml").startswith("5:13: 'parameters.TIME005.day_start' must be a time of day")


def test_an_explicit_config_is_checked_too(tmp_path: Path):
    (tmp_path / "ci.yaml").write_text("select: [TIMEX]\n", encoding="utf-8")
    (tmp_path / "m.md").write_text(MODULE, encoding="utf-8")
    result = run_cli("check", "m.md", "--config", "ci.yaml", cwd=tmp_path)
    assert result.returncode == 2 and result.stderr.startswith("modlint: error: ci.yaml:1:10: 'select' names 'TIMEX'")


def _evening_findings(tmp_path: Path, config: str) -> list[tuple[str, int]]:
    (tmp_path / ".modlint.yaml").write_text(config, encoding="utf-8")
    (tmp_path / "evening.md").write_text(EVENING, encoding="utf-8")
    result = run_cli("check", "--no-cache", "evening.md", "--format", "json", cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    return [(f["rule"], f["line"]) for f in json.loads(result.stdout)["findings"]]


def test_parameters_in_a_config_file_change_findings(tmp_path: Path):
    assert _evening_findings(tmp_path, "select: [TIME005]\n") == [("TIME005", 9)]  # 17:30 to 17:50, after 17:00
    assert _evening_findings(tmp_path, "select: [TIME005]\nparameters:\n  TIME005: {day_end: '18:00'}\n") == []
    # Rule keys are read in any case, and parameter names with hyphens as with underscores.
    assert _evening_findings(tmp_path, "select: [TIME005]\nparameters:\n  time005: {day-end: '18:00'}\n") == []
    assert _evening_findings(tmp_path, "select: [TIME005]\nparameters:\n  time: {day_end: '18:00'}\n") == []
    assert _evening_findings(tmp_path, "select: [TIME005]\nseverity: {live-outside-working-hours: warning}\n") == [("TIME005", 9)]


def test_severity_keys_are_read_in_any_case(tmp_path: Path):
    (tmp_path / ".modlint.yaml").write_text("select: [TIME005]\nseverity: {time005: info}\n", encoding="utf-8")
    (tmp_path / "evening.md").write_text(EVENING, encoding="utf-8")
    result = run_cli("check", "--no-cache", "evening.md", cwd=tmp_path)
    assert result.returncode == 0 and result.stdout.startswith("evening.md:9:5: TIME005 [info]")


def test_readme_configuration_snippet_is_valid_and_applies(tmp_path: Path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    snippet = next(m.group(1) for m in re.finditer(r"^```yaml\n(.*?)^```", readme, re.S | re.M) if "parameters:" in m.group(1))
    for folder in re.findall(r"extra-(?:personas|rules): \[([^\]]+)\]", snippet):
        (tmp_path / folder.strip()).mkdir(parents=True, exist_ok=True)
    assert "day_end: \"18:00\"" in snippet
    findings = _evening_findings(tmp_path, snippet.replace("select: [ALL]", "select: [TIME005]"))
    assert findings == []  # 17:30 to 17:50 is inside the snippet's 08:00 to 18:00


def test_config_is_found_upward_from_the_file_not_the_working_directory(tmp_path: Path):
    repo = tmp_path / "repo"
    (repo / "modules" / "stage2").mkdir(parents=True)
    (repo / ".modlint.yaml").write_text("select: [TIME005]\nseverity: {TIME005: warning}\nfail-on: warning\n", encoding="utf-8")
    (repo / "modules" / "stage2" / "evening.md").write_text(EVENING, encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / ".modlint.yaml").write_text("select: [MOD001]\n", encoding="utf-8")
    result = run_cli("check", "--no-cache", "../repo/modules/stage2/evening.md", cwd=elsewhere)
    assert result.returncode == 1  # the repository's fail-on: warning, not the working directory's default
    assert result.stdout.splitlines()[0].startswith("../repo/modules/stage2/evening.md:9:5: TIME005 [warning]")


def test_extra_rules_barriers_must_resolve(tmp_path: Path):
    (tmp_path / "lint-rules").mkdir()
    rule = ORG_RULE.replace("barriers: [p11.new-to-nhs-credibility]", "barriers: [p11.new-to-nhs-credibility, p11.does-not-exist]")
    (tmp_path / "lint-rules" / "org.yaml").write_text(rule, encoding="utf-8")
    (tmp_path / ".modlint.yaml").write_text("extra-rules: [lint-rules]\n", encoding="utf-8")
    (tmp_path / "m.md").write_text("---\nid: a\n---\nAsk the SLT.\n", encoding="utf-8")
    expected = f"modlint: error: {tmp_path / 'lint-rules' / 'org.yaml'}:8:40: rule ORG101 cites the barrier 'p11.does-not-exist', which no persona has. See 'modlint personas p11' for its barrier ids.\n"
    for args in (("check", "m.md"), ("explain", "ORG101"), ("rules",)):
        result = run_cli(*args, cwd=tmp_path)
        assert result.returncode == 2 and result.stdout == "", args
        assert result.stderr == expected, args


def test_phrase_entry_barriers_must_resolve_in_a_list_file(tmp_path: Path):
    (tmp_path / "lint-rules").mkdir()
    second = ORG_RULE.replace("ORG101", "ORG102").replace("no-acronym-soup", "no-jargon").replace(
        "{phrase: SLT, suggestion: senior leadership team}", "{phrase: QIP, suggestion: improvement plan, barriers: [p11.new-to-nhs-credibilty]}"
    )
    listed = "".join("- " + "\n  ".join(r.rstrip("\n").split("\n")) + "\n" for r in (ORG_RULE, second))
    (tmp_path / "lint-rules" / "org.yaml").write_text(listed, encoding="utf-8")
    (tmp_path / ".modlint.yaml").write_text("extra-rules: [lint-rules]\n", encoding="utf-8")
    (tmp_path / "m.md").write_text(MODULE, encoding="utf-8")
    result = run_cli("check", "m.md", cwd=tmp_path)
    line = listed.splitlines().index(next(ln for ln in listed.splitlines() if "QIP" in ln)) + 1
    assert result.returncode == 2
    assert result.stderr.startswith(
        f"modlint: error: {tmp_path / 'lint-rules' / 'org.yaml'}:{line}:"
    ) and "rule ORG102 cites the barrier 'p11.new-to-nhs-credibilty', which no persona has. Did you mean 'p11.new-to-nhs-credibility'?" in result.stderr


def test_rules_of_extra_rules_folders_count_as_known_in_config(tmp_path: Path):
    (tmp_path / "lint-rules").mkdir()
    (tmp_path / "lint-rules" / "org.yaml").write_text(ORG_RULE, encoding="utf-8")
    (tmp_path / ".modlint.yaml").write_text("extra-rules: [lint-rules]\nselect: [no-acronym-soup]\nseverity: {ORG101: error}\n", encoding="utf-8")
    (tmp_path / "m.md").write_text("---\nid: a\n---\nAsk the SLT.\n", encoding="utf-8")
    result = run_cli("check", "--no-cache", "m.md", cwd=tmp_path)
    assert result.returncode == 1 and result.stdout.startswith("m.md:4:9: ORG101 [error]")


STAGE1_FRAMEWORK = """stages:
  - stage: 1
    name: First-line managers
    description: Our own description of stage 1.
    competencies:
      - Run a safety huddle (Stage 1)
"""


def test_a_repository_extends_the_framework_competencies_from_its_own_folder(tmp_path: Path):
    (tmp_path / "m.md").write_text(MODULE.replace("stage: 2", "stage: 2\ncompetencies: [Run a safety huddle]"), encoding="utf-8")
    (tmp_path / ".modlint.yaml").write_text("select: [MOD007]\n", encoding="utf-8")
    before = run_cli("check", "--no-cache", "m.md", "--format", "json", cwd=tmp_path)
    assert [(f["rule"], f["line"]) for f in json.loads(before.stdout)["findings"]] == [("MOD007", 5)]
    (tmp_path / "our-personas").mkdir()
    (tmp_path / "our-personas" / "framework.yaml").write_text(STAGE1_FRAMEWORK, encoding="utf-8")
    (tmp_path / ".modlint.yaml").write_text("select: [MOD007]\nextra-personas: [our-personas]\n", encoding="utf-8")
    after = run_cli("check", "--no-cache", "m.md", "--format", "json", cwd=tmp_path)
    assert json.loads(after.stdout)["findings"] == []
