"""Every snippet in docs/ci.md and docs/pre-commit.md works: YAML snippets parse (and
pre-commit configs validate with pre-commit itself), and every ``modlint check``
command line in them runs in a module repository with the CI variables filled in."""
from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from conftest import ROOT

DOCS = [ROOT / "docs" / "ci.md", ROOT / "docs" / "pre-commit.md"]
FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```", re.S | re.M)
COMMAND = re.compile(r"(modlint check\b[^\n#]*)")
# What the CI systems put in these expressions and variables.
GITHUB_EXPRESSIONS = {"github.base_ref": "main", "github.event_name": "pull_request"}
CI_VARIABLES = {"CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main", "CI_PIPELINE_SOURCE": "merge_request_event"}
GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}

GOOD = """---
id: giving-feedback
title: Giving feedback that helps
stage: 2
format: self-paced
duration: 20m
---
# Giving feedback that helps
"""
BAD = GOOD.replace("giving-feedback", "leading-change").replace("stage: 2", "stage: 5")


def snippets() -> list[tuple[str, str, str]]:
    out = []
    for doc in DOCS:
        for m in FENCE.finditer(doc.read_text(encoding="utf-8")):
            out.append((f"{doc.name}:{doc.read_text(encoding='utf-8')[: m.start()].count(chr(10)) + 1}", m.group(1), m.group(2)))
    return out


def commands() -> list[tuple[str, str]]:
    found = []
    for where, _lang, body in snippets():
        for line in body.splitlines():
            m = COMMAND.search(line)
            if m:
                found.append((where, m.group(1).strip()))
    return found


def _expand(command: str) -> str:
    def github(m: re.Match) -> str:
        return GITHUB_EXPRESSIONS[m.group(1).strip()]

    return re.sub(r"\$\{\{(.*?)\}\}", github, command)


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, env={**os.environ, **GIT_ENV})


@pytest.fixture
def module_repo(tmp_path) -> Path:
    """A module repository as the snippets expect it: git history with origin/main,
    a committed baseline, and a change on top."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "modules-repo"
    repo.mkdir()
    (repo / ".modlint.yaml").write_text("select: [module]\n", encoding="utf-8")
    (repo / "modules").mkdir()
    (repo / "modules" / "giving-feedback.md").write_text(GOOD, encoding="utf-8")
    (repo / "modules" / "leading-change.md").write_text(BAD, encoding="utf-8")
    git(repo, "init", "-q")
    subprocess.run([sys.executable, "-m", "modlint", "check", "--baseline", "modlint-baseline.json", "--update-baseline"], cwd=repo, check=True, capture_output=True)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "modules")
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    (repo / "modules" / "leading-change.md").write_text(BAD.replace("format: self-paced", "format: self-paced\ncolour: red"), encoding="utf-8")
    return repo


def test_docs_have_snippets():
    langs = [lang for _, lang, _ in snippets()]
    assert langs.count("yaml") >= 5 and "sh" in langs
    assert len(commands()) >= 6
    text = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    assert "upload-sarif" in text and ".gitlab-ci.yml" in text


@pytest.mark.parametrize("where,lang,body", [s for s in snippets() if s[1] == "yaml"], ids=[s[0] for s in snippets() if s[1] == "yaml"])
def test_yaml_snippets_parse(where, lang, body, tmp_path):
    data = YAML(typ="safe").load(body)
    assert data is not None, where
    if isinstance(data, dict) and "repos" in data:
        clientlib = pytest.importorskip("pre_commit.clientlib")
        config = tmp_path / ".pre-commit-config.yaml"
        config.write_text(body, encoding="utf-8")
        loaded = clientlib.load_config(str(config))  # raises on an invalid config
        assert loaded["repos"][0]["hooks"][0]["id"] == "modlint"


@pytest.mark.parametrize("where,command", commands(), ids=[f"{w} {c}" for w, c in commands()])
def test_command_lines_run(module_repo, where, command):
    argv = shlex.split(_expand(command), posix=True)
    env = {**os.environ, **CI_VARIABLES, "NO_COLOR": "1"}
    argv = [os.path.expandvars(a) if "$" in a else a for a in argv]
    for key, value in CI_VARIABLES.items():
        argv = [a.replace(f"${key}", value) for a in argv]
    assert argv[:2] == ["modlint", "check"], where
    proc = subprocess.run([sys.executable, "-m", "modlint", *argv[1:]], cwd=module_repo, capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode in (0, 1), f"{where}: {command}\n{proc.stdout}\n{proc.stderr}"
    assert "Traceback" not in proc.stderr
    fmt = argv[argv.index("--format") + 1] if "--format" in argv else "text"
    report = proc.stdout
    if "--output" in argv:
        out = module_repo / argv[argv.index("--output") + 1]
        assert out.is_file() and out.stat().st_size > 0
        report = out.read_text(encoding="utf-8")
    if fmt == "github":
        annotations = [line for line in report.splitlines() if line.startswith("::")]
        assert annotations and all(re.match(r"::(error|warning|notice) file=modules/[\w.-]+\.md,line=\d+,col=\d+", a) for a in annotations), report
        # The new MOD005 warning on leading-change.md's line 6 is always among them.
        assert any(a.startswith("::warning file=modules/leading-change.md,line=6,") for a in annotations), report
    if fmt == "sarif":
        from test_ci_formats import sarif_validator

        doc = json.loads(report)
        errors = [f"{list(e.path)}: {e.message}" for e in sarif_validator().iter_errors(doc)]
        assert not errors, errors[:5]
        assert any(r["ruleId"] == "MOD005" and not r.get("suppressions") for r in doc["runs"][0]["results"])
    if "--diff-only" in argv:
        narrowed = _json_findings(module_repo, argv[1:], env)
        everything = _json_findings(module_repo, _without(argv[1:], "--diff-only"), env)
        # Only the line changed on top of the commit: the old MOD004 on line 4 is left out.
        assert narrowed == [("MOD005", "modules/leading-change.md", 6)], narrowed
        assert ("MOD004", "modules/leading-change.md", 4) in everything and set(narrowed) < set(everything)


def _without(argv: list[str], option: str) -> list[str]:
    """``argv`` without ``option`` and the value after it."""
    if option not in argv:
        return list(argv)
    i = argv.index(option)
    return argv[:i] + argv[i + 2 :]


def _json_findings(repo: Path, argv: list[str], env: dict[str, str]) -> list[tuple[str, str, int]]:
    """The unsuppressed findings a ``check`` command line gives, read as JSON."""
    args = _without(_without(_without(argv, "--format"), "--output"), "--baseline") + ["--format", "json"]
    proc = subprocess.run([sys.executable, "-m", "modlint", *args], cwd=repo, capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode in (0, 1), proc.stderr
    return sorted((f["rule"], f["path"], f["line"]) for f in json.loads(proc.stdout)["findings"] if not f.get("suppressed"))


def test_pre_commit_args_snippet_runs_with_the_hook_entry(module_repo):
    """The hook's entry plus the documented args, as pre-commit would call it."""
    hook = YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))[0]
    doc = (ROOT / "docs" / "pre-commit.md").read_text(encoding="utf-8")
    configs = [YAML(typ="safe").load(body) for _, lang, body in snippets() if lang == "yaml" and "args:" in body]
    args = next(h["args"] for c in configs if isinstance(c, dict) and "repos" in c for h in c["repos"][0]["hooks"] if "args" in h)
    assert hook["entry"] in doc
    argv = shlex.split(hook["entry"]) + list(args) + ["modules/leading-change.md"]
    proc = subprocess.run([sys.executable, "-m", "modlint", *argv[1:]], cwd=module_repo, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr  # baselined; the new MOD005 is a warning
    assert "MOD005" in proc.stdout


def test_readme_sample_finding_is_real_output():
    """The finding quoted at the top of README.md is what modlint prints today, word for word."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"^```text\n(.*?)^```", readme, re.S | re.M)
    assert block, "README.md has no ```text block with a sample finding"
    sample = block.group(1).strip()
    path, rule = sample.split(":", 1)[0], sample.split(": ", 1)[1].split(" ", 1)[0]
    from conftest import run_cli

    out = run_cli("check", "--no-cache", "--select", rule, path)
    assert sample in out.stdout.splitlines(), out.stdout
