"""The CLI through a subprocess: output formats, exit codes, selection, config, stdin."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import ROOT, run_cli

DATA = ROOT / "tests" / "data" / "core"
GOLDEN = ROOT / "tests" / "golden"


def _check(*args: str, **kw):
    return run_cli("check", *args, **kw)


def test_text_output_matches_golden():
    result = _check("tests/data/core", "--select", "module")
    assert result.returncode == 1
    assert result.stdout == (GOLDEN / "check.txt").read_text(encoding="utf-8")


def test_json_output_matches_golden_and_schema():
    from jsonschema import Draft202012Validator

    result = _check("tests/data/core", "--select", "module", "--format", "json")
    doc = json.loads(result.stdout)
    schema = json.loads((ROOT / "schemas" / "findings.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator(schema).validate(doc)
    doc["tool"]["version"] = "X"
    assert doc == json.loads((GOLDEN / "check.json").read_text(encoding="utf-8"))


def test_exit_codes_and_fail_on():
    assert _check("tests/data/core/clean.md", "--select", "module").returncode == 0
    assert _check("tests/data/core/faulty.md", "--select", "MOD005").returncode == 0  # warnings only
    assert _check("tests/data/core/faulty.md", "--select", "MOD005", "--fail-on", "warning").returncode == 1
    usage = _check("tests/data/core", "--format", "nope")
    assert usage.returncode == 2 and "unknown format 'nope'" in usage.stderr


def test_select_by_alias_and_family_and_ignore():
    by_alias = _check("tests/data/core/faulty.md", "--select", "unknown-front-matter-key")
    assert "MOD005" in by_alias.stdout and "MOD004" not in by_alias.stdout
    ignored = _check("tests/data/core/faulty.md", "--select", "module", "--ignore", "MOD004,malformed-activity")
    assert "MOD004" not in ignored.stdout and "MOD013" not in ignored.stdout and "MOD005" in ignored.stdout


def test_persona_filter():
    result = _check("tests/data/core/faulty.md", "--select", "module", "--persona", "p11")
    assert "No problems found" in result.stdout  # module-family findings affect no persona
    bad = _check("tests/data/core/faulty.md", "--persona", "p99")
    assert bad.returncode == 2 and "unknown persona p99" in bad.stderr


def test_stdin_with_filename():
    text = (DATA / "faulty.md").read_text(encoding="utf-8")
    result = _check("--stdin", "--stdin-filename", "docs/faulty.md", "--select", "MOD005", input=text)
    assert result.stdout.startswith("docs/faulty.md:8:1: MOD005 [warning]")


def test_config_file_select_severity_and_per_file_ignores(tmp_path: Path):
    (tmp_path / "mods").mkdir()
    (tmp_path / "mods" / "faulty.md").write_text((DATA / "faulty.md").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "legacy").mkdir()
    (tmp_path / "legacy" / "old.md").write_text((DATA / "faulty.md").read_text(encoding="utf-8").replace("faulty-module", "old-module"), encoding="utf-8")
    (tmp_path / ".modlint.yaml").write_text(
        "select: [module]\nignore: [MOD013]\nseverity:\n  MOD005: error\nper-file-ignores:\n  'legacy/**': [MOD004, MOD005]\n",
        encoding="utf-8",
    )
    result = _check(".", cwd=tmp_path)
    lines = result.stdout.splitlines()
    assert "mods/faulty.md:8:1: MOD005 [error]" in result.stdout
    assert not any(line.startswith("legacy/old.md") and ("MOD004" in line or "MOD005" in line) for line in lines)
    assert "MOD013" not in result.stdout


def test_pyproject_config(tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text('[tool.modlint]\nselect = ["MOD005"]\nfail-on = "warning"\n', encoding="utf-8")
    (tmp_path / "m.md").write_text((DATA / "faulty.md").read_text(encoding="utf-8"), encoding="utf-8")
    result = _check("m.md", cwd=tmp_path)
    assert result.returncode == 1 and "MOD005" in result.stdout and "MOD004" not in result.stdout


@pytest.mark.parametrize(
    "content,expected",
    [
        ("selct: [module]\n", ".modlint.yaml:1:1: 'selct' is not a modlint setting. Did you mean 'select'?"),
        ("select: [module]\nfail-on: sometimes\n", ".modlint.yaml:2:10: 'fail-on':"),
        ("select: [module\n", ".modlint.yaml:2:1: not valid YAML"),
    ],
)
def test_config_errors_name_file_line_and_key(tmp_path: Path, content: str, expected: str):
    (tmp_path / ".modlint.yaml").write_text(content, encoding="utf-8")
    (tmp_path / "m.md").write_text("# x\n", encoding="utf-8")
    result = _check("m.md", cwd=tmp_path)
    assert result.returncode == 2
    assert expected in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_gitignore_and_exclude_are_honoured(tmp_path: Path):
    for name in ("keep.md", "build/gen.md", "drafts/wip.md"):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("# no front matter\n", encoding="utf-8")
    (tmp_path / ".gitignore").write_text("build/\n", encoding="utf-8")
    (tmp_path / ".modlint.yaml").write_text("exclude: ['drafts/']\n", encoding="utf-8")
    result = _check(".", "--select", "MOD001", cwd=tmp_path)
    assert "keep.md" in result.stdout and "gen.md" not in result.stdout and "wip.md" not in result.stdout


def test_rules_explain_personas_version():
    rules = run_cli("rules")
    assert rules.returncode == 0 and "MOD005" in rules.stdout
    explain = run_cli("explain", "unknown-front-matter-key")
    assert explain.returncode == 0 and explain.stdout.startswith("MOD005 (unknown-front-matter-key)")
    wrong = run_cli("explain", "MOD05")
    assert wrong.returncode == 2 and "did you mean" in wrong.stderr
    personas = run_cli("personas")
    assert personas.returncode == 0 and "p11" in personas.stdout and "HR Manager" in personas.stdout
    version = run_cli("--version")
    assert version.stdout.startswith("modlint ")


def test_check_never_writes(tmp_path: Path):
    path = tmp_path / "m.md"
    path.write_bytes((DATA / "faulty.md").read_bytes())
    before = path.stat().st_mtime_ns, path.read_bytes()
    _check(str(path))
    assert (path.stat().st_mtime_ns, path.read_bytes()) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.md"]


def test_colour_only_when_asked():
    plain = _check("tests/data/core/faulty.md", "--select", "MOD005")
    assert "\033[" not in plain.stdout
    coloured = _check("tests/data/core/faulty.md", "--select", "MOD005", env={"FORCE_COLOR": "1", "NO_COLOR": ""})
    assert "\033[" in coloured.stdout


def _on_a_terminal(*args: str, env: dict[str, str]) -> str:
    """Run ``modlint check`` with standard output on a pseudo-terminal; return what it wrote."""
    import os
    import pty
    import subprocess
    import sys

    main, child = pty.openpty()
    base = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    try:
        proc = subprocess.run([sys.executable, "-m", "modlint", "check", *args], cwd=ROOT, stdout=child, stderr=subprocess.PIPE, env={**base, **env}, timeout=300)
        os.close(child)
        child = -1
        out = b""
        while True:
            try:
                chunk = os.read(main, 65536)
            except OSError:  # the terminal was closed after the last byte
                break
            if not chunk:
                break
            out += chunk
    finally:
        os.close(main)
        if child >= 0:
            os.close(child)
    assert proc.returncode == 0, proc.stderr
    return out.decode("utf-8")


@pytest.mark.parametrize(
    "env,colour",
    [
        ({}, True),  # a terminal
        ({"NO_COLOR": "1"}, False),
        ({"NO_COLOR": "1", "FORCE_COLOR": "1"}, False),  # NO_COLOR wins, as in Python's own colour output
        ({"NO_COLOR": ""}, True),  # an empty NO_COLOR does not count (no-color.org)
    ],
)
def test_colour_on_a_terminal_unless_no_color(env: dict[str, str], colour: bool):
    out = _on_a_terminal("tests/data/core/faulty.md", "--select", "MOD005", env=env)
    assert "MOD005" in out
    assert ("\033[" in out) is colour


def test_no_colour_when_piped_and_with_no_color_flag():
    piped = run_cli("check", "tests/data/core/faulty.md", "--select", "MOD005", env={"NO_COLOR": ""})
    assert "MOD005" in piped.stdout and "\033[" not in piped.stdout
    flag = _on_a_terminal("tests/data/core/faulty.md", "--select", "MOD005", "--no-color", env={})
    assert "MOD005" in flag and "\033[" not in flag


def test_force_exclude_applies_to_named_files(tmp_path: Path):
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "wip.md").write_text("# no front matter\n", encoding="utf-8")
    (tmp_path / ".modlint.yaml").write_text("exclude: ['drafts/']\nselect: [MOD001]\n", encoding="utf-8")
    named = _check("drafts/wip.md", cwd=tmp_path)
    assert "MOD001" in named.stdout
    forced = _check("drafts/wip.md", "--force-exclude", cwd=tmp_path)
    assert forced.returncode == 0 and "MOD001" not in forced.stdout
