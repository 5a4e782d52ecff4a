"""Gradual adoption: --baseline / --update-baseline (content fingerprints, ratchet)
and --diff-only REV. Modules are written here; only module-family rules run."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from modlint import baseline
from modlint.findings import Finding, Severity

from conftest import run_cli

BASE = "modlint-baseline.json"

MODULE = """---
id: leading-change
title: Leading change
stage: 5
format: webinar
duration: 20m
colour: red
---
# Leading change
"""

CLEAN = """---
id: giving-feedback
title: Giving feedback that helps
stage: 2
format: self-paced
duration: 20m
---
# Giving feedback that helps
"""


def make_repo(tmp_path: Path) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / ".modlint.yaml").write_text("select: [module]\n", encoding="utf-8")
    (tmp_path / "modules").mkdir()
    (tmp_path / "modules" / "change.md").write_text(MODULE, encoding="utf-8")
    (tmp_path / "modules" / "feedback.md").write_text(CLEAN, encoding="utf-8")
    return tmp_path


def check(repo: Path, *args: str):
    return run_cli("check", *args, cwd=repo)


def finding(**kw) -> Finding:
    base = dict(rule_id="TIME003", alias="a", family="time", severity=Severity.ERROR, message="Segment 2 runs 25 minutes.", path="m/a.md", line=10)
    base.update(kw)
    return Finding(**base)


# -- fingerprints ---------------------------------------------------------------


def test_fingerprint_ignores_line_and_column(tmp_path):
    a = finding(line=10, column=3, snippet="must attend", segment="Practice")
    b = finding(line=14, column=7, snippet="must  attend\n", segment="Practice")
    assert baseline.fingerprint(a, tmp_path) == baseline.fingerprint(b, tmp_path)


@pytest.mark.parametrize("change", [
    {"rule_id": "TIME004"},
    {"path": "m/b.md"},
    {"segment": "Reflection"},
    {"snippet": "must join"},
])
def test_fingerprint_changes_with_rule_path_segment_and_text(tmp_path, change):
    a = finding(snippet="must attend", segment="Practice")
    b = finding(**{"snippet": "must attend", "segment": "Practice", **change})
    assert baseline.fingerprint(a, tmp_path) != baseline.fingerprint(b, tmp_path)


def test_fingerprint_without_snippet_uses_message_with_digits_normalised(tmp_path):
    a = finding(message="Segment 2 runs 25 minutes, over the 20 allowed.")
    b = finding(message="Segment 3 runs 26 minutes, over the 20 allowed.")
    c = finding(message="Segment 3 has no time.")
    assert baseline.fingerprint(a, tmp_path) == baseline.fingerprint(b, tmp_path)
    assert baseline.fingerprint(a, tmp_path) != baseline.fingerprint(c, tmp_path)


def test_fingerprint_path_is_relative_to_the_baseline_not_the_working_directory(tmp_path, monkeypatch):
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path)
    a = baseline.fingerprint(finding(path="m/a.md"), tmp_path)
    monkeypatch.chdir(tmp_path / "sub")
    b = baseline.fingerprint(finding(path="../m/a.md"), tmp_path)
    assert a == b


# -- the CLI ----------------------------------------------------------------------


def test_baseline_hides_old_findings_and_fails_on_new(tmp_path):
    repo = make_repo(tmp_path)
    assert check(repo, ".").returncode == 1
    proc = check(repo, ".", "--baseline", BASE, "--update-baseline")
    assert proc.returncode == 0 and "wrote 3 findings" in proc.stderr
    doc = json.loads((repo / BASE).read_text(encoding="utf-8"))
    assert [(e["rule"], e["path"]) for e in doc["findings"]] == [("MOD004", "modules/change.md"), ("MOD004", "modules/change.md"), ("MOD005", "modules/change.md")]

    proc = check(repo, ".", "--baseline", BASE)
    assert proc.returncode == 0, proc.stdout
    assert "No problems found in 2 files." in proc.stdout
    assert "3 findings recorded in the baseline" in proc.stderr

    # Lines added above the findings do not make them new.
    text = (repo / "modules" / "change.md").read_text(encoding="utf-8")
    (repo / "modules" / "change.md").write_text(text.replace("title: Leading change\n", "title: Leading change\n# a comment\n# another\n"), encoding="utf-8")
    assert check(repo, ".", "--baseline", BASE).returncode == 0

    # A new finding fails the run and is the only one shown.
    (repo / "modules" / "feedback.md").write_text(CLEAN.replace("format: self-paced", "format: podcast"), encoding="utf-8")
    proc = check(repo, ".", "--baseline", BASE)
    assert proc.returncode == 1
    shown = [line for line in proc.stdout.splitlines() if ": MOD" in line]
    assert len(shown) == 1 and shown[0].startswith("modules/feedback.md:5:1: MOD004")


def test_fixed_findings_are_reported_and_update_shrinks_the_baseline(tmp_path):
    repo = make_repo(tmp_path)
    check(repo, ".", "--baseline", BASE, "--update-baseline")
    text = (repo / "modules" / "change.md").read_text(encoding="utf-8")
    (repo / "modules" / "change.md").write_text(text.replace("colour: red\n", ""), encoding="utf-8")
    proc = check(repo, ".", "--baseline", BASE)
    assert proc.returncode == 0
    assert "1 finding in the baseline modlint-baseline.json is fixed" in proc.stderr
    assert "fixed: modules/change.md: MOD005 'colour'" in proc.stderr
    check(repo, ".", "--baseline", BASE, "--update-baseline")
    doc = json.loads((repo / BASE).read_text(encoding="utf-8"))
    assert [e["rule"] for e in doc["findings"]] == ["MOD004", "MOD004"]
    proc = check(repo, ".", "--baseline", BASE)
    assert "fixed" not in proc.stderr


def test_same_finding_twice_counts_twice(tmp_path):
    repo = make_repo(tmp_path)
    check(repo, ".", "--baseline", BASE, "--update-baseline")
    # The same unknown key in a second place (media item) is a second finding with the same text.
    text = MODULE.replace("colour: red\n", "colour: red\nmedia:\n  - src: a.mp4\n    type: video\n    colour: blue\n")
    (repo / "modules" / "change.md").write_text(text, encoding="utf-8")
    proc = check(repo, ".", "--baseline", BASE)
    assert proc.returncode == 0  # warnings do not fail
    assert [line.split(": ")[0] for line in proc.stdout.splitlines() if "MOD005" in line] == ["modules/change.md:11:5"]


def test_partial_run_does_not_call_other_files_fixed_or_drop_them(tmp_path):
    repo = make_repo(tmp_path)
    (repo / "modules" / "other.md").write_text(MODULE.replace("leading-change", "other-change"), encoding="utf-8")
    check(repo, ".", "--baseline", BASE, "--update-baseline")
    proc = check(repo, "modules/feedback.md", "--baseline", BASE)
    assert proc.returncode == 0 and "fixed" not in proc.stderr
    check(repo, "modules/feedback.md", "--baseline", BASE, "--update-baseline")
    doc = json.loads((repo / BASE).read_text(encoding="utf-8"))
    assert sorted({e["path"] for e in doc["findings"]}) == ["modules/change.md", "modules/other.md"]
    # A file that is gone: its entries are fixed and dropped on update.
    (repo / "modules" / "other.md").unlink()
    proc = check(repo, "modules/feedback.md", "--baseline", BASE)
    assert "3 findings in the baseline" in proc.stderr and "fixed: modules/other.md" in proc.stderr
    check(repo, "modules/feedback.md", "--baseline", BASE, "--update-baseline")
    doc = json.loads((repo / BASE).read_text(encoding="utf-8"))
    assert {e["path"] for e in doc["findings"]} == {"modules/change.md"}


def test_baseline_works_from_another_directory(tmp_path):
    repo = make_repo(tmp_path)
    check(repo, ".", "--baseline", BASE, "--update-baseline")
    proc = check(repo / "modules", ".", "--baseline", f"../{BASE}")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_inline_suppressed_findings_are_not_baselined(tmp_path):
    repo = make_repo(tmp_path)
    text = MODULE.replace("colour: red\n", "# modlint-disable-next-line MOD005 -- legacy\ncolour: red\n")
    (repo / "modules" / "change.md").write_text(text, encoding="utf-8")
    check(repo, ".", "--baseline", BASE, "--update-baseline")
    doc = json.loads((repo / BASE).read_text(encoding="utf-8"))
    assert [e["rule"] for e in doc["findings"]] == ["MOD004", "MOD004"]


def test_missing_or_broken_baseline_is_a_usage_error(tmp_path):
    repo = make_repo(tmp_path)
    proc = check(repo, ".", "--baseline", "nope.json")
    assert proc.returncode == 2 and "--update-baseline" in proc.stderr
    (repo / "bad.json").write_text("{not json", encoding="utf-8")
    proc = check(repo, ".", "--baseline", "bad.json")
    assert proc.returncode == 2 and "not valid JSON" in proc.stderr
    (repo / "other.json").write_text('{"findings": "x"}', encoding="utf-8")
    assert check(repo, ".", "--baseline", "other.json").returncode == 2
    assert check(repo, ".", "--update-baseline").returncode == 2


# -- --diff-only ---------------------------------------------------------------

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True, env={**os.environ, **GIT_ENV}).stdout


def git_repo(tmp_path: Path) -> Path:
    repo = make_repo(tmp_path)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "modules")
    return repo


@needs_git
def test_diff_only_keeps_findings_on_changed_lines(tmp_path):
    repo = git_repo(tmp_path)
    assert check(repo, ".", "--diff-only", "HEAD").returncode == 0  # nothing changed
    text = (repo / "modules" / "change.md").read_text(encoding="utf-8")
    (repo / "modules" / "change.md").write_text(text.replace("colour: red", "colour: blue").replace("title: Leading change\n", "title: Leading change\n# new line\n"), encoding="utf-8")
    proc = check(repo, ".", "--diff-only", "HEAD")
    assert proc.returncode == 0  # MOD005 is a warning; the MOD004 lines did not change
    assert [line.split(" [")[0] for line in proc.stdout.splitlines() if ": MOD" in line] == ["modules/change.md:8:1: MOD005"]
    # Staged changes count too, and so does a new, untracked module (all of it).
    git(repo, "add", "-A")
    (repo / "modules" / "new.md").write_text(CLEAN.replace("giving-feedback", "new-one").replace("stage: 2", "stage: 9"), encoding="utf-8")
    proc = check(repo, ".", "--diff-only", "HEAD")
    assert proc.returncode == 1
    assert sorted(line.split(" [")[0] for line in proc.stdout.splitlines() if ": MOD" in line) == ["modules/change.md:8:1: MOD005", "modules/new.md:4:1: MOD004"]


@needs_git
def test_diff_only_against_an_older_revision_from_a_subdirectory(tmp_path):
    repo = git_repo(tmp_path)
    (repo / "modules" / "feedback.md").write_text(CLEAN.replace("stage: 2", "stage: 7"), encoding="utf-8")
    git(repo, "commit", "-qam", "oops")
    git(repo, "branch", "-f", "main-before", "HEAD~1")
    proc = check(repo / "modules", ".", "--diff-only", "main-before")
    assert proc.returncode == 1
    assert [line.split(" [")[0] for line in proc.stdout.splitlines() if ": MOD" in line] == ["feedback.md:4:1: MOD004"]


@needs_git
def test_diff_only_errors(tmp_path):
    repo = git_repo(tmp_path / "r")
    proc = check(repo, ".", "--diff-only", "no-such-rev")
    assert proc.returncode == 2 and "'no-such-rev' is not a commit" in proc.stderr
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "m.md").write_text(CLEAN, encoding="utf-8")
    proc = run_cli("check", ".", "--diff-only", "HEAD", cwd=plain, env={"GIT_CEILING_DIRECTORIES": str(tmp_path)})
    assert proc.returncode == 2 and "needs a git repository" in proc.stderr


def test_parse_diff_handles_hunks_and_quoted_paths():
    from modlint.gitdiff import parse_diff

    diff = "\n".join([
        "diff --git a/a.md b/a.md",
        "--- a/a.md",
        "+++ b/a.md",
        "@@ -3 +3 @@",
        "@@ -10,2 +11,3 @@ heading",
        "@@ -20,4 +22,0 @@",
        "diff --git a/gone.md b/gone.md",
        "--- a/gone.md",
        "+++ /dev/null",
        "@@ -1,2 +0,0 @@",
        '+++ "b/sp\\303\\251cial\\tname.md"',
        "@@ -0,0 +1,2 @@",
        "@@ -1 +0,0 @@",
    ])
    parsed = parse_diff(diff)
    assert sorted(parsed) == ["a.md", "sp\u00e9cial\tname.md"]
    assert parsed["a.md"].lines == {3, 11, 12, 13} and parsed["a.md"].gaps == {22}
    # The lines either side of a deletion count as changed: 22 and 23; a deletion at the top, line 1.
    assert parsed["a.md"].touched() == {3, 11, 12, 13, 22, 23}
    assert parsed["sp\u00e9cial\tname.md"].touched() == {1, 2}


MISSING_TITLE = CLEAN.replace("title: Giving feedback that helps\n", "")


@needs_git
def test_diff_only_sees_a_deleted_front_matter_key(tmp_path):
    """A key deleted (or misspelt) is reported at the front matter's opening line,
    which the change did not touch: a change between the fences counts for it."""
    repo = git_repo(tmp_path)
    feedback = repo / "modules" / "feedback.md"
    feedback.write_text(CLEAN.replace("duration: 20m\n", ""), encoding="utf-8")
    proc = check(repo, ".", "--diff-only", "HEAD", "--select", "module,TIME001")
    assert [line.split(" [")[0] for line in proc.stdout.splitlines() if ": " in line and "[" in line] == ["modules/feedback.md:1:1: TIME001"]
    assert proc.returncode == 1
    feedback.write_text(CLEAN.replace("title:", "titel:"), encoding="utf-8")
    proc = check(repo, ".", "--diff-only", "HEAD")
    assert [line.split(" [")[0] for line in proc.stdout.splitlines() if ": MOD" in line] == ["modules/feedback.md:1:1: MOD004", "modules/feedback.md:3:1: MOD005"]


@needs_git
def test_diff_only_a_body_change_leaves_the_front_matter_findings_out(tmp_path):
    repo = git_repo(tmp_path)
    feedback = repo / "modules" / "feedback.md"
    feedback.write_text(MISSING_TITLE, encoding="utf-8")
    git(repo, "commit", "-qam", "no title")
    assert check(repo, ".").stdout.count("MOD004") == 3  # 'no title' at 1:1, and change.md's two
    feedback.write_text(MISSING_TITLE + "\nA new paragraph.\n", encoding="utf-8")
    proc = check(repo, ".", "--diff-only", "HEAD")
    assert proc.returncode == 0 and "MOD004" not in proc.stdout, proc.stdout
    # Deleting the closing fence opens the front matter to the end of the file: the change reaches it.
    feedback.write_text(MISSING_TITLE.replace("duration: 20m\n---\n", "duration: 20m\n"), encoding="utf-8")
    proc = check(repo, ".", "--diff-only", "HEAD")
    assert [line.split(" [")[0] for line in proc.stdout.splitlines() if ": MOD" in line] == ["modules/feedback.md:1:1: MOD001"]


@needs_git
def test_diff_only_compares_with_the_merge_base(tmp_path):
    """On a branch, what the other branch changed since the branch started is not a
    change of this branch (as 'git diff main...' and a pull request see it)."""
    repo = git_repo(tmp_path)
    git(repo, "branch", "-M", "main")
    git(repo, "checkout", "-qb", "feature")
    feedback = repo / "modules" / "feedback.md"
    feedback.write_text(CLEAN.replace("stage: 2", "stage: 8"), encoding="utf-8")
    git(repo, "commit", "-qam", "feature work")
    git(repo, "checkout", "-q", "main")
    change = repo / "modules" / "change.md"
    change.write_text(MODULE.replace("colour: red", "duration_note: fixed on main"), encoding="utf-8")
    git(repo, "commit", "-qam", "main moves on")
    git(repo, "checkout", "-q", "feature")
    proc = check(repo, ".", "--diff-only", "main")
    assert [line.split(" [")[0] for line in proc.stdout.splitlines() if ": MOD" in line] == ["modules/feedback.md:4:1: MOD004"]
    assert "no common ancestor" not in proc.stderr
    # Compared with main's tip, change.md's line 7 would differ and its MOD005 show.
    tip = git(repo, "diff", "--unified=0", "main", "--", "modules/change.md")
    assert "+colour: red" in tip


@needs_git
def test_diff_only_without_a_common_ancestor_compares_with_the_revision(tmp_path):
    repo = git_repo(tmp_path)
    git(repo, "branch", "-M", "main")
    git(repo, "checkout", "-q", "--orphan", "other")
    git(repo, "commit", "-qm", "unrelated history, the same files")
    proc = check(repo, ".", "--diff-only", "main")
    assert "main and HEAD have no common ancestor in this clone" in proc.stderr
    assert proc.returncode == 0 and "No problems found" in proc.stdout


@needs_git
def test_diff_only_limits_fix_and_diff_to_the_changed_lines(tmp_path):
    """--fix and --diff with --diff-only fix only findings on changed lines, as
    --persona fixes only findings for that persona."""
    repo = git_repo(tmp_path)
    feedback = repo / "modules" / "feedback.md"
    committed = CLEAN.replace("stage: 2", 'stage: "2"')  # fixable, and old
    feedback.write_text(committed, encoding="utf-8")
    git(repo, "commit", "-qam", "quoted stage")
    feedback.write_text(committed.replace("format: self-paced", "format: Self paced"), encoding="utf-8")  # fixable, and new
    diff = check(repo, "modules/feedback.md", "--diff", "--diff-only", "HEAD")
    assert diff.returncode == 1
    assert "-format: Self paced\n+format: self-paced\n" in diff.stdout and "stage" not in diff.stdout.replace(' stage: "2"', ""), diff.stdout
    assert "would apply 1 fix in 1 file" in diff.stderr
    proc = check(repo, "modules/feedback.md", "--fix", "--diff-only", "HEAD")
    assert "applied 1 fix in 1 file" in proc.stderr, proc.stderr
    assert feedback.read_text(encoding="utf-8") == committed
    # A file with no change gets no fix; without --diff-only the old line is fixed too.
    assert "applied 0 fixes" in check(repo, ".", "--fix", "--diff-only", "HEAD").stderr
    assert "applied 1 fix in 1 file" in check(repo, "modules/feedback.md", "--fix").stderr
    assert feedback.read_text(encoding="utf-8") == CLEAN


@needs_git
def test_diff_only_with_baseline(tmp_path):
    repo = git_repo(tmp_path)
    check(repo, ".", "--baseline", BASE, "--update-baseline")
    (repo / "modules" / "feedback.md").write_text(CLEAN.replace("stage: 2", "stage: 6"), encoding="utf-8")
    proc = check(repo, ".", "--diff-only", "HEAD", "--baseline", BASE)
    assert proc.returncode == 1
    assert [line.split(" [")[0] for line in proc.stdout.splitlines() if ": MOD" in line] == ["modules/feedback.md:4:1: MOD004"]


@needs_git
def test_diff_only_with_baseline_reports_nothing_fixed_and_refuses_update(tmp_path):
    repo = git_repo(tmp_path)
    check(repo, ".", "--baseline", BASE, "--update-baseline")
    proc = check(repo, ".", "--diff-only", "HEAD", "--baseline", BASE)
    assert proc.returncode == 0 and "fixed" not in proc.stderr
    proc = check(repo, ".", "--diff-only", "HEAD", "--baseline", BASE, "--update-baseline")
    assert proc.returncode == 2 and "cannot be combined" in proc.stderr
