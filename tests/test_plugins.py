"""Plugins: found through the entry point group, loaded loudly, isolated when they fail."""
from __future__ import annotations

import os
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
    assert without.returncode == 0 and "ORG001" not in without.stdout


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
