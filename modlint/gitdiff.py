"""``--diff-only REV``: keep only findings on lines changed since a git revision.

The lines that count as changed are those ``git diff REV`` shows as added or
modified in the working tree (staged or not), and every line of a file git does
not track yet (untracked, not ignored). Findings that name no file (a plugin that
failed to load) are always kept: they are about the tool, not about a line.
"""
from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path
from typing import Iterable

from modlint.findings import Finding

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
ALL_LINES = None  # marker: every line of the file changed

_ESCAPES = {"a": "\a", "b": "\b", "t": "\t", "n": "\n", "v": "\v", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}


def _usage(message: str) -> Exception:
    from modlint.cli import UsageError

    return UsageError(message)


def _git(args: list[str], cwd: Path) -> str:
    try:
        proc = subprocess.run(
            ["git", "-c", "core.quotePath=false", *args],
            cwd=cwd, capture_output=True, check=False,
            env={**os.environ, "GIT_EXTERNAL_DIFF": "", "LC_ALL": "C"},
        )
    except FileNotFoundError:
        raise _usage("--diff-only needs git, which is not installed or not on PATH") from None
    if proc.returncode != 0:
        raise subprocess.CalledProcessError(proc.returncode, args, proc.stdout, proc.stderr)
    return proc.stdout.decode("utf-8", errors="surrogateescape")


def toplevel(start: Path) -> Path | None:
    """The root of the git work tree holding ``start``, or None outside one."""
    try:
        out = _git(["rev-parse", "--show-toplevel"], start)
    except subprocess.CalledProcessError:
        return None
    text = out.strip()
    return Path(text) if text else None


def _unquote(path: str) -> str:
    """Undo git's C-style quoting of unusual paths (``"a\\tb.md"``)."""
    if not (path.startswith('"') and path.endswith('"')):
        return path
    body = path[1:-1]
    out = bytearray()
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            if nxt in "01234567" and i + 4 <= len(body):
                out.append(int(body[i + 1 : i + 4], 8))
                i += 4
                continue
            out.extend(_ESCAPES.get(nxt, nxt).encode("utf-8", errors="surrogateescape"))
            i += 2
            continue
        out.extend(ch.encode("utf-8", errors="surrogateescape"))
        i += 1
    return out.decode("utf-8", errors="surrogateescape")


def parse_diff(text: str) -> dict[str, set[int]]:
    """Added or changed line numbers (in the new file) per path, from ``git diff -U0`` output."""
    changed: dict[str, set[int]] = {}
    current: set[int] | None = None
    for line in text.splitlines():
        if line.startswith("+++ "):
            target = line[4:]
            if target == "/dev/null":
                current = None
                continue
            target = _unquote(target)
            if target.startswith("b/"):
                target = target[2:]
            current = changed.setdefault(target, set())
            continue
        if current is None:
            continue
        m = _HUNK.match(line)
        if m:
            start = int(m.group(1))
            count = int(m.group(2)) if m.group(2) is not None else 1
            current.update(range(start, start + count))
    return changed


def changed_lines(rev: str, start: Path | None = None) -> tuple[Path, dict[str, set[int] | None]]:
    """The git root and, per real path (resolved), the lines changed since ``rev``
    (``None``: the whole file is new)."""
    where = (start or Path.cwd()).resolve()
    root = toplevel(where)
    if root is None:
        raise _usage(f"--diff-only {rev} needs a git repository, and {where} is not in one")
    try:
        _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], root)
    except subprocess.CalledProcessError:
        raise _usage(f"--diff-only: '{rev}' is not a commit in the git repository at {root} (in CI, fetch it first, e.g. 'git fetch origin main' or a checkout with fetch-depth: 0)") from None
    diff = _git(["diff", "--no-color", "--no-ext-diff", "--no-textconv", "--unified=0", "--find-renames", rev, "--"], root)
    result: dict[str, set[int] | None] = {}
    for rel, lines in parse_diff(diff).items():
        result[os.path.realpath(root / rel)] = lines
    untracked = _git(["ls-files", "--others", "--exclude-standard", "-z"], root)
    for rel in untracked.split("\0"):
        if rel:
            result[os.path.realpath(root / rel)] = ALL_LINES
    return root, result


def _on_changed_line(finding: Finding, lines: set[int] | None) -> bool:
    if lines is None:
        return True
    last = finding.end_line if finding.end_line and finding.end_line >= finding.line else finding.line
    return any(n in lines for n in range(finding.line, last + 1))


def keep_changed(findings: Iterable[Finding], rev: str, start: Path | None = None) -> list[Finding]:
    """The findings on lines changed since ``rev`` (see the module docstring)."""
    _, changed = changed_lines(rev, start)
    kept: list[Finding] = []
    for finding in findings:
        if finding.path.startswith("<") and finding.path.endswith(">"):
            kept.append(finding)
            continue
        key = os.path.realpath(finding.path)
        if key in changed and _on_changed_line(finding, changed[key]):
            kept.append(finding)
    return kept
