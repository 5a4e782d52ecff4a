"""The pre-commit hook: its manifest, --repo-context, and an end-to-end run with the
real pre-commit (``pre-commit try-repo``), no mocks.

The end-to-end test is slow (pre-commit builds a virtualenv and pip-installs
modlint, twice); deselect it with ``-m "not slow"``. It installs from a snapshot of
this checkout's working tree committed to a temporary git repository, so it tests
the code as it is on disk whether or not the checkout is a git repository or has
uncommitted changes (try-repo itself would only carry over changes to files git
already tracks).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from conftest import ROOT, run_cli

GIT_ENV = {
    "GIT_AUTHOR_NAME": "modlint tests", "GIT_AUTHOR_EMAIL": "tests@example.org",
    "GIT_COMMITTER_NAME": "modlint tests", "GIT_COMMITTER_EMAIL": "tests@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
}
needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

EXISTING = """---
id: giving-feedback
title: Giving feedback that helps
stage: 2
format: self-paced
duration: 20m
---
# Giving feedback that helps
"""

NEW_FAILING = """---
id: giving-feedback
title: Feedback for boards
stage: 4
format: self-paced
duration: 20m
---
# Feedback for boards
"""

NEW_FIXED = NEW_FAILING.replace("id: giving-feedback", "id: feedback-for-boards")


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True, env={**os.environ, **GIT_ENV}).stdout


def module_repo(path: Path, init_git: bool = True) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    (path / ".modlint.yaml").write_text("select: [module]\n", encoding="utf-8")
    (path / "modules").mkdir()
    (path / "modules" / "giving-feedback.md").write_text(EXISTING, encoding="utf-8")
    if init_git:
        git(path, "init", "-q")
        git(path, "add", "-A")
        git(path, "commit", "-qm", "modules")
    return path


# -- the manifest --------------------------------------------------------------


def test_manifest_is_valid_for_pre_commit():
    clientlib = pytest.importorskip("pre_commit.clientlib")
    hooks = clientlib.load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))
    hook = {h["id"]: h for h in hooks}["modlint"]
    assert hook["language"] == "python"
    assert hook["types"] == ["markdown"]
    assert hook["entry"].split() == ["modlint", "check", "--repo-context", "--force-exclude"]
    assert hook["pass_filenames"] is True and hook["require_serial"] is True


def test_manifest_entry_is_a_console_script():
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    hook = YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))[0]
    assert hook["entry"].split()[0] in scripts


# -- --repo-context -------------------------------------------------------------


@needs_git
def test_repo_context_finds_duplicate_ids_in_files_not_passed(tmp_path):
    repo = module_repo(tmp_path / "r")
    (repo / "modules" / "boards.md").write_text(NEW_FAILING, encoding="utf-8")
    alone = run_cli("check", "modules/boards.md", cwd=repo)
    assert alone.returncode == 0, alone.stdout
    proc = run_cli("check", "--repo-context", "modules/boards.md", cwd=repo)
    assert proc.returncode == 1
    lines = [line for line in proc.stdout.splitlines() if ": MOD" in line]
    assert len(lines) == 1
    assert lines[0].startswith("modules/boards.md:2:1: MOD009 [error] The module id 'giving-feedback' is also used by modules/giving-feedback.md.")
    # Context modules are read, never reported on.
    assert "modules/giving-feedback.md:" not in proc.stdout


@needs_git
def test_repo_context_from_a_subdirectory_and_with_all_files(tmp_path):
    repo = module_repo(tmp_path / "r")
    (repo / "modules" / "boards.md").write_text(NEW_FAILING, encoding="utf-8")
    proc = run_cli("check", "--repo-context", "boards.md", cwd=repo / "modules")
    assert "boards.md:2:1: MOD009" in proc.stdout and "also used by giving-feedback.md" in proc.stdout
    # Passing every file: each duplicate is reported once, as without --repo-context.
    both = run_cli("check", "--repo-context", ".", cwd=repo)
    assert sorted(line.split(":")[0] for line in both.stdout.splitlines() if "MOD009" in line) == ["modules/boards.md", "modules/giving-feedback.md"]


@needs_git
def test_repo_context_honours_gitignore_and_excludes(tmp_path):
    repo = module_repo(tmp_path / "r")
    (repo / "build").mkdir()
    (repo / "build" / "copy.md").write_text(NEW_FIXED, encoding="utf-8")
    (repo / "drafts").mkdir()
    (repo / "drafts" / "draft.md").write_text(NEW_FIXED, encoding="utf-8")
    (repo / ".gitignore").write_text("build/\n", encoding="utf-8")
    (repo / ".modlint.yaml").write_text("select: [module]\nexclude: ['drafts/']\n", encoding="utf-8")
    (repo / "modules" / "boards.md").write_text(NEW_FIXED, encoding="utf-8")
    proc = run_cli("check", "--repo-context", "modules/boards.md", cwd=repo)
    assert proc.returncode == 0, proc.stdout
    # The unignored, unexcluded copy is context.
    (repo / "modules" / "copy.md").write_text(NEW_FIXED, encoding="utf-8")
    proc = run_cli("check", "--repo-context", "modules/boards.md", cwd=repo)
    assert proc.returncode == 1 and "also used by modules/copy.md." in proc.stdout


def test_repo_context_outside_git_uses_the_config_root(tmp_path):
    repo = module_repo(tmp_path / "r", init_git=False)
    (repo / "modules" / "boards.md").write_text(NEW_FAILING, encoding="utf-8")
    (repo / "modules" / "broken.md").write_text("---\nid: [unclosed\n---\n", encoding="utf-8")
    (repo / "modules" / "no-front-matter.md").write_text("# Notes\n", encoding="utf-8")
    proc = run_cli("check", "--repo-context", "modules/boards.md", cwd=repo, env={"GIT_CEILING_DIRECTORIES": str(tmp_path)})
    assert proc.returncode == 1
    assert [line.split(" [")[0] for line in proc.stdout.splitlines() if ": MOD" in line] == ["modules/boards.md:2:1: MOD009"]


def test_read_front_matter_stops_at_the_fence(tmp_path):
    from modlint.repo_context import read_front_matter

    path = tmp_path / "m.md"
    path.write_text("\ufeff---\r\nid: a-b\r\ntitle: T\r\n---\r\n" + "body\n" * 10 + "---\nid: not-this\n---\n", encoding="utf-8")
    info = read_front_matter(path, "m.md", 10**6)
    assert info is not None and info.fm("id") == "a-b" and info.fm_pos("id") == (2, 1)
    (tmp_path / "bin.md").write_bytes(b"---\nid: \xff\n---\n")
    assert read_front_matter(tmp_path / "bin.md", "bin.md", 10**6) is None


# -- end to end, with the real pre-commit ------------------------------------------


def _snapshot_checkout(dest: Path) -> Path:
    """Copy what building modlint needs (per pyproject.toml) and the hook manifest into a
    fresh git repository with one commit."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    wheel = pyproject.get("tool", {}).get("hatch", {}).get("build", {}).get("targets", {}).get("wheel", {})
    names = {"pyproject.toml", ".pre-commit-hooks.yaml"}
    readme = pyproject["project"].get("readme")
    if isinstance(readme, str):
        names.add(readme)
    names.update(wheel.get("packages", ["modlint"]))
    names.update(wheel.get("force-include", {}))
    dest.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", ".modlint_cache")
    for name in sorted(names):
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=ignore)
        elif src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    git(dest, "init", "-q")
    git(dest, "add", "-A")
    git(dest, "commit", "-qm", "snapshot of the modlint checkout")
    return dest


def _try_repo(hook_repo: Path, module_repo_path: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, **GIT_ENV, "NO_COLOR": "1", "PRE_COMMIT_COLOR": "never", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    env.pop("VIRTUAL_ENV", None)
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), "modlint", "--verbose", "--color", "never"],
        cwd=module_repo_path, capture_output=True, text=True, env=env, timeout=900,
    )


@pytest.mark.slow
@needs_git
def test_pre_commit_try_repo_fails_then_passes(tmp_path):
    pytest.importorskip("pre_commit")
    hook_repo = _snapshot_checkout(tmp_path / "modlint")
    repo = module_repo(tmp_path / "modules-repo")
    # A new module whose id is taken by a module pre-commit will not pass to the hook.
    (repo / "modules" / "boards.md").write_text(NEW_FAILING, encoding="utf-8")
    git(repo, "add", "modules/boards.md")

    failed = _try_repo(hook_repo, repo)
    out = failed.stdout + failed.stderr
    assert failed.returncode == 1, out
    assert "modlint" in out and "Failed" in out
    assert "modules/boards.md:2:1: MOD009 [error] The module id 'giving-feedback' is also used by modules/giving-feedback.md." in out
    assert "modules/giving-feedback.md:" not in out  # only the staged file is reported

    (repo / "modules" / "boards.md").write_text(NEW_FIXED, encoding="utf-8")
    git(repo, "add", "modules/boards.md")
    passed = _try_repo(hook_repo, repo)
    out = passed.stdout + passed.stderr
    assert passed.returncode == 0, out
    assert "Passed" in out
