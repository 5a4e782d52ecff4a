"""Plugins: found through the entry point group, loaded loudly, isolated when they fail."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import ROOT, run_cli

LONG_TITLE = """---
id: long-title
title: An introduction to the many and varied ways of holding a difficult conversation
stage: 2
format: self-paced
duration: 20m
---
# Long title
"""


def _fake_dist(site: Path, name: str, module_source: str, entry: str) -> None:
    """Write a minimal installed distribution: a module plus dist-info with an entry point."""
    (site / f"{name}.py").write_text(textwrap.dedent(module_source), encoding="utf-8")
    info = site / f"{name}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(f"[modlint]\n{entry} = {name}\n", encoding="utf-8")


@pytest.fixture(scope="module")
def plugin_site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("site")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation", "--target", str(site), str(ROOT / "examples" / "plugin")],
        check=True, capture_output=True, timeout=300,
    )
    return site


def test_example_plugin_adds_a_rule(plugin_site, tmp_path):
    env = {"PYTHONPATH": str(plugin_site)}
    listed = run_cli("rules", "--family", "custom", env=env)
    assert "ORG001" in listed.stdout and "title-fits-mobile-list" in listed.stdout
    module = tmp_path / "long.md"
    module.write_text(LONG_TITLE, encoding="utf-8")
    result = run_cli("check", str(module), "--select", "ORG001", env=env)
    assert result.returncode == 0, result.stderr  # a warning does not fail at the default level
    assert f"{module}:3:1: ORG001 [warning] The title is 79 characters long" in result.stdout
    assert "P11 HR Manager" in result.stdout
    without = run_cli("check", str(module), "--select", "ORG001")
    assert without.returncode == 2 and without.stdout == ""
    assert without.stderr == "modlint: error: --select names 'ORG001', which is not a rule id, alias or family. See 'modlint rules' for the rules.\n"


def test_broken_plugins_are_reported_and_others_still_run(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    _fake_dist(site, "broken_import", "raise RuntimeError('cannot start')\n", "broken_import")
    _fake_dist(
        site,
        "raising_rule",
        """
        from pathlib import Path
        from modlint.hookspecs import hookimpl
        from modlint.rule import rule

        @rule("BAD001")
        def explode(module, ctx):
            raise ValueError("boom")

        @rule("BAD002")
        def not_a_finding(module, ctx):
            yield "just a string"

        META = {"alias": "x", "family": "custom", "severity": "error", "summary": "s", "rationale": "r",
                "barriers": [], "standards": [], "examples": {"fail": "f", "pass": "p"}}

        @hookimpl
        def modlint_rule_metadata():
            return [dict(META, id="BAD001", alias="explode"), dict(META, id="BAD002", alias="not-a-finding")]

        @hookimpl
        def modlint_rules():
            return [explode, not_a_finding]
        """,
        "raising_rule",
    )
    module = tmp_path / "m.md"
    module.write_text(LONG_TITLE.replace("duration: 20m\n", "duration: 20m\nresumeable: true\n"), encoding="utf-8")
    result = run_cli("check", str(module), "--select", "MOD005,MOD012,BAD001,BAD002", env={"PYTHONPATH": str(site)})
    out = result.stdout
    assert result.returncode == 1
    assert "Traceback" not in out + result.stderr
    assert "MOD005" in out  # the built-in rules still ran
    assert "The plugin 'broken_import' could not be loaded (RuntimeError: cannot start)" in out
    assert "Rule BAD001 from plugin 'raising_rule' failed on this file (ValueError: boom)" in out
    assert "Rule BAD002 from plugin 'raising_rule' returned str, not a finding" in out


def test_builtin_rules_come_through_the_entry_point():
    from importlib.metadata import entry_points

    eps = [ep for ep in entry_points(group="modlint") if ep.value == "modlint.checks"]
    assert eps, "modlint is not installed with its entry point; run pip install -e ."


PERSONA_AND_FORMAT_PLUGIN = """
from pathlib import Path
from modlint.hookspecs import hookimpl

HERE = Path(__file__).parent / "acme_personas"

def count_format(findings, context):
    shown = [f for f in findings if f.suppressed is None]
    return "".join(f"{f.rule_id} {f.line} {','.join(p.id for p in f.personas)}\\n" for f in shown) + f"{len(shown)} findings\\n"

@hookimpl
def modlint_persona_dirs():
    return [HERE]

@hookimpl
def modlint_formatters():
    return {"count": count_format}
"""


def test_plugin_adds_personas_and_an_output_format(tmp_path: Path):
    site = tmp_path / "site"
    site.mkdir()
    _fake_dist(site, "acme_plugin", PERSONA_AND_FORMAT_PLUGIN, "acme")
    folder = site / "acme_personas"
    folder.mkdir()
    p11 = (ROOT / "personas" / "p11.yaml").read_text(encoding="utf-8")
    (folder / "p31.yaml").write_text(p11.replace("id: p11", "id: p31").replace("number: 11", "number: 31").replace("stage: 2", "stage: 3").replace("p11.", "p31."), encoding="utf-8")
    env = {"PYTHONPATH": str(site)}
    listed = run_cli("personas", env=env)
    assert listed.returncode == 0 and any(line.startswith("p31   stage 3  HR Manager") for line in listed.stdout.splitlines())
    module = tmp_path / "m.md"
    module.write_text("---\nid: m\ntitle: M\nstage: 3\nformat: live-online\nduration: 20m\npersonas: [p31, p11]\nsessions:\n  - {day: Tuesday, start: '18:30', length: 20m, recorded: true}\n---\n# M\n", encoding="utf-8")
    result = run_cli("check", "--no-cache", str(module), "--select", "TIME005,MOD006,MOD008", "--format", "count", env=env)
    # p31 is known (no MOD006); p11 is of another stage (MOD008) and cannot learn in the evening (TIME005).
    assert result.stdout == "MOD008 7 \nTIME005 9 p11\n2 findings\n", result.stderr
    assert result.returncode == 1
    without = run_cli("check", str(module), "--format", "count")
    assert without.returncode == 2 and "unknown format 'count'" in without.stderr


def test_plugin_rule_citing_an_unknown_barrier_is_not_run(tmp_path: Path):
    site = tmp_path / "site"
    site.mkdir()
    _fake_dist(
        site,
        "typo_plugin",
        """
        from modlint.hookspecs import hookimpl
        from modlint.rule import rule

        @rule("TYP001")
        def always(module, ctx):
            yield ctx.report("Always.", 1)

        @hookimpl
        def modlint_rule_metadata():
            return [{"id": "TYP001", "alias": "always", "family": "custom", "severity": "error", "summary": "s", "rationale": "r",
                     "barriers": ["p11.time-scarcty"], "standards": [], "examples": {"fail": "f", "pass": "p"}}]

        @hookimpl
        def modlint_rules():
            return [always]
        """,
        "typo",
    )
    module = tmp_path / "m.md"
    module.write_text(LONG_TITLE, encoding="utf-8")
    result = run_cli("check", "--no-cache", str(module), "--select", "TYP001,MOD012", "--format", "json", env={"PYTHONPATH": str(site)})
    import json

    found = [(f["rule"], f["path"], f["message"]) for f in json.loads(result.stdout)["findings"]]
    assert found == [(
        "MOD012", "<plugin typo>",
        "The plugin 'typo' cites the barrier 'p11.time-scarcty' in rule TYP001, which no persona has (did you mean 'p11.time-scarcity'). "
        "Its rules were not run; the other rules still ran.",
    )]
