"""A repository's own phrase rules, in YAML, from a folder named in its config."""
from __future__ import annotations

from pathlib import Path

from conftest import run_cli

RULE = """\
id: ORG101
alias: no-acronym-soup
family: custom
severity: warning
kind: phrase-substitution
fix: unsafe
summary: Spell out internal acronyms learners from other trusts will not know.
rationale: Learners new to the organisation are shut out by unexplained acronyms.
barriers: [p11.new-to-nhs-credibility]
standards: [udl-2.1]
message: "'{phrase}' may be unknown to a learner new to the trust; write '{suggestion}'."
phrases:
  - {phrase: SLT, suggestion: senior leadership team}
examples:
  fail: "Ask the SLT."
  pass: "Ask the senior leadership team."
"""

MODULE = """---
id: acronyms
title: Acronyms
stage: 2
format: self-paced
duration: 10m
---
# Acronyms

Ask the SLT before you start. Your manager said "ask the SLT" too.

```text
SLT in code is fine
```
"""


def _repo(tmp_path: Path, rule: str = RULE) -> Path:
    (tmp_path / "lint-rules").mkdir()
    (tmp_path / "lint-rules" / "ORG101.yaml").write_text(rule, encoding="utf-8")
    (tmp_path / ".modlint.yaml").write_text("extra-rules: [lint-rules]\nselect: [ORG101]\nfail-on: warning\n", encoding="utf-8")
    (tmp_path / "m.md").write_text(MODULE, encoding="utf-8")
    return tmp_path


def test_yaml_rule_runs_skips_quotes_and_code(tmp_path: Path):
    _repo(tmp_path)
    result = run_cli("check", "m.md", cwd=tmp_path)
    assert result.returncode == 1
    lines = [line for line in result.stdout.splitlines() if "ORG101" in line]
    assert lines == ["m.md:10:9: ORG101 [warning] 'SLT' may be unknown to a learner new to the trust; write 'senior leadership team'. (affects: P11 HR Manager)"]
    explain = run_cli("explain", "no-acronym-soup", cwd=tmp_path)
    assert explain.returncode == 0 and "Spell out internal acronyms" in explain.stdout


def test_unsafe_fix_applies_only_when_asked(tmp_path: Path):
    _repo(tmp_path)
    run_cli("check", "m.md", "--fix", cwd=tmp_path)
    assert (tmp_path / "m.md").read_text(encoding="utf-8") == MODULE
    run_cli("check", "m.md", "--fix", "--unsafe-fixes", cwd=tmp_path)
    assert "Ask the senior leadership team before you start." in (tmp_path / "m.md").read_text(encoding="utf-8")
    assert '"ask the SLT"' in (tmp_path / "m.md").read_text(encoding="utf-8")


def test_invalid_rule_file_is_a_usage_error_with_position(tmp_path: Path):
    _repo(tmp_path, RULE.replace("severity: warning", "severity: loud"))
    result = run_cli("check", "m.md", cwd=tmp_path)
    assert result.returncode == 2
    assert "ORG101.yaml:4:11" in result.stderr and "severity" in result.stderr


def test_python_rules_are_not_accepted_from_config_folders(tmp_path: Path):
    _repo(tmp_path, RULE.replace("kind: phrase-substitution\n", ""))
    result = run_cli("check", "m.md", cwd=tmp_path)
    assert result.returncode == 2 and "must be declarative" in result.stderr


TEACHING = """---
id: acronyms
title: Acronyms
stage: 2
format: self-paced
duration: 10m
---
# Acronyms

The word SLT means nothing to a learner from another trust. Do not write SLT in a module.

Ask the SLT before you start.
"""


def test_a_repository_rule_shares_the_teaching_guard(tmp_path: Path):
    _repo(tmp_path)
    (tmp_path / "m.md").write_text(TEACHING, encoding="utf-8")
    result = run_cli("check", "--no-cache", "m.md", cwd=tmp_path)
    assert [line.split(" ")[0] for line in result.stdout.splitlines() if "ORG101" in line] == ["m.md:12:9:"]


def test_quoted_include_checks_mentions_too(tmp_path: Path):
    _repo(tmp_path, RULE.replace("kind: phrase-substitution\n", "kind: phrase-substitution\nquoted: include\n"))
    (tmp_path / "m.md").write_text(TEACHING, encoding="utf-8")
    result = run_cli("check", "--no-cache", "m.md", cwd=tmp_path)
    assert [line.split(" ")[0] for line in result.stdout.splitlines() if "ORG101" in line] == ["m.md:10:10:", "m.md:10:74:", "m.md:12:9:"]


def test_a_name_in_title_case_is_not_the_phrase(tmp_path: Path):
    rule = RULE.replace("  - {phrase: SLT, suggestion: senior leadership team}", "  - {phrase: synergy, suggestion: working together}")
    _repo(tmp_path, rule)
    (tmp_path / "m.md").write_text(MODULE.replace("Ask the SLT before you start.", "Synergy Partners Ltd run the course. We want synergy."), encoding="utf-8")
    result = run_cli("check", "--no-cache", "m.md", cwd=tmp_path)
    assert [line.split(" ")[0] for line in result.stdout.splitlines() if "ORG101" in line] == ["m.md:10:46:"]
