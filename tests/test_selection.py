"""Choosing what runs and what is shown, from the command line: --select and --ignore
(repeated or comma-separated, names checked), --persona, standard input and paths."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import ORG_RULE, run_cli

# A stage 2 live session on a Tuesday evening: TIME005 names the personas who can only
# learn in working hours (P11, P12), ACCESS012 the one whose barrier is religious
# presumption in scheduling (P16), TIME006 everyone of the stage.
EVENING = """---
id: speaking-up-webinar
title: Speaking up for patient safety
stage: 2
format: live-online
duration: 20m
sessions:
  - day: Tuesday
    start: "18:30"
    length: 20m
    recorded: true
    title: Speaking up in practice
---
# Speaking up for patient safety

## Questions and answers {time=20m}

::: discussion time=20m
Bring one question about speaking up in your own service.
:::
"""

BROKEN: dict[str, bytes] = {
    "latin1.md": "---\nid: caf\u00e9\n---\n".encode("latin-1"),
    "bin.md": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    "badyaml.md": b"---\nid: [x\n---\n",
    "empty.md": b"",
    "list.md": b"---\n- a\n---\n",
}


def _found(result) -> list[tuple[str, str, int]]:
    assert "Traceback" not in result.stderr, result.stderr
    return [(Path(f["path"]).name, f["rule"], f["line"]) for f in json.loads(result.stdout)["findings"]]


@pytest.fixture
def evening(tmp_path: Path) -> Path:
    (tmp_path / "evening.md").write_text(EVENING, encoding="utf-8")
    return tmp_path


def _check(cwd: Path, *args: str):
    return run_cli("check", "--no-cache", "--format", "json", *args, cwd=cwd)


def test_repeated_select_flags_combine_like_comma_lists(evening: Path):
    repeated = _check(evening, "evening.md", "--select", "TIME005", "--select", "ACCESS012")
    assert _found(repeated) == [("evening.md", "ACCESS012", 7), ("evening.md", "TIME005", 9)]
    mixed = _check(evening, "evening.md", "--select", "TIME005,TIME006", "--select", "religious-presumption")
    assert _found(mixed) == [("evening.md", "ACCESS012", 7), ("evening.md", "TIME006", 8), ("evening.md", "TIME005", 9)]


def test_repeated_ignore_flags_combine(evening: Path):
    result = _check(evening, "evening.md", "--select", "TIME005,TIME006,ACCESS012", "--ignore", "TIME005", "--ignore", "religious-presumption")
    assert _found(result) == [("evening.md", "TIME006", 8)]


@pytest.mark.parametrize(
    "args,message",
    [
        (("--select", "NOPE"), "--select names 'NOPE', which is not a rule id, alias or family. See 'modlint rules' for the rules."),
        (("--select", "TIMEX"), "--select names 'TIMEX', which is not a rule id, alias or family. Did you mean 'time'? See 'modlint rules' for the rules."),
        (("--select", "time", "--select", "duration-misisng"), "--select names 'duration-misisng', which is not a rule id, alias or family. Did you mean 'duration-missing'?"),
        (("--ignore", "TIME05"), "--ignore names 'TIME05', which is not a rule id, alias or family. Did you mean 'TIME005'?"),
        (("--select", ""), "--select needs at least one rule id, alias or family"),
        (("--ignore", " , "), "--ignore needs at least one rule id, alias or family"),
    ],
)
def test_unknown_or_empty_selectors_on_the_command_line_are_usage_errors(evening: Path, args: tuple[str, ...], message: str):
    result = run_cli("check", "evening.md", *args, cwd=evening)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("modlint: error: " + message), result.stderr


def test_rules_from_an_extra_rules_folder_can_be_selected(tmp_path: Path):
    (tmp_path / "lint-rules").mkdir()
    (tmp_path / "lint-rules" / "org.yaml").write_text(ORG_RULE, encoding="utf-8")
    (tmp_path / ".modlint.yaml").write_text("extra-rules: [lint-rules]\n", encoding="utf-8")
    (tmp_path / "m.md").write_text("---\nid: a\n---\nAsk the SLT.\n", encoding="utf-8")
    result = _check(tmp_path, "m.md", "--select", "ORG101", "--fail-on", "info")
    assert result.returncode == 1
    assert _found(result) == [("m.md", "ORG101", 4)]


def test_persona_keeps_that_personas_findings_and_drops_the_others(evening: Path):
    select = ("--select", "TIME005,TIME006,ACCESS012")
    assert _found(_check(evening, "evening.md", *select)) == [("evening.md", "ACCESS012", 7), ("evening.md", "TIME006", 8), ("evening.md", "TIME005", 9)]
    assert _found(_check(evening, "evening.md", *select, "--persona", "p12")) == [("evening.md", "TIME006", 8), ("evening.md", "TIME005", 9)]
    assert _found(_check(evening, "evening.md", *select, "--persona", "P16")) == [("evening.md", "ACCESS012", 7), ("evening.md", "TIME006", 8)]
    both = _check(evening, "evening.md", *select, "--persona", "p12", "--persona", "p16")
    assert _found(both) == [("evening.md", "ACCESS012", 7), ("evening.md", "TIME006", 8), ("evening.md", "TIME005", 9)]


def test_persona_never_hides_files_that_are_not_modules(tmp_path: Path):
    """Unreadable files, files with no or broken front matter and internal errors name no
    persona, because they shut out everyone: a persona-filtered CI run must still fail."""
    for name, data in BROKEN.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "faulty.md").write_text("---\nid: faulty\ntitle: F\nstage: 2\nformat: webinar\nduration: 5m\n---\n# F\n", encoding="utf-8")
    result = _check(tmp_path, *BROKEN, "faulty.md", "--persona", "p14")
    assert result.returncode == 1
    assert sorted(_found(result)) == [
        ("badyaml.md", "MOD002", 2), ("bin.md", "MOD011", 1), ("empty.md", "MOD001", 1), ("latin1.md", "MOD011", 2), ("list.md", "MOD003", 2),
    ]  # faulty.md's MOD004 (a module with a wrong format) names no persona and is left out


def test_dash_reads_standard_input(evening: Path):
    result = run_cli("check", "-", "--stdin-filename", "mods/evening.md", "--select", "TIME005", cwd=evening, input=EVENING)
    assert result.returncode == 1
    assert result.stdout.startswith("mods/evening.md:9:5: TIME005 [error] The live session 'Speaking up in practice' on Tuesday at 18:30")
    unnamed = run_cli("check", "-", "--select", "TIME005", "--format", "json", cwd=evening, input=EVENING)
    assert _found(unnamed) == [("<stdin>", "TIME005", 9)]


def test_stdin_config_is_found_from_the_stdin_filename(tmp_path: Path):
    (tmp_path / "mods").mkdir()
    (tmp_path / "mods" / ".modlint.yaml").write_text("select: [TIME006]\nfail-on: warning\n", encoding="utf-8")
    result = run_cli("check", "--stdin", "--stdin-filename", "mods/evening.md", cwd=tmp_path, input=EVENING)
    assert result.returncode == 1  # TIME006 is a warning: the fail-on of mods/.modlint.yaml applies
    assert [line.split(" ", 2)[:2] for line in result.stdout.splitlines()[:-1]] == [["mods/evening.md:8:5:", "TIME006"]]


@pytest.mark.parametrize(
    "args,message",
    [
        (("--stdin", "evening.md"), "standard input (--stdin or -) is one module, so no paths can be checked with it (got evening.md)."),
        (("-", "evening.md"), "standard input (--stdin or -) is one module, so no paths can be checked with it (got evening.md)."),
        (("--stdin-filename", "x.md", "evening.md"), "--stdin-filename names the module read from standard input; add --stdin (or give - as the path)"),
    ],
)
def test_stdin_misuse_is_a_usage_error(evening: Path, args: tuple[str, ...], message: str):
    result = run_cli("check", *args, cwd=evening, input=EVENING)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("modlint: error: " + message), result.stderr
