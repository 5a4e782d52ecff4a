"""``--diff-only REV``: keep only findings on lines changed since a git revision.

The working tree (staged or not) is compared with the merge base of ``REV`` and
``HEAD``, the commit the branch started from, as ``git diff REV...`` and a pull
request's "Files changed" do: what ``REV`` gained since (another branch's work)
is not a change of this branch. Without a common ancestor (a shallow clone) the
comparison is with ``REV`` itself, and a note says so.

The lines that count as changed:

- every line the diff shows as added or modified;
- where lines were deleted, the line before and the line after the gap, since
  joining them is what changed;
- the front matter's opening ``---`` line, when anything between the fences was
  added, modified or deleted: a key missing from the front matter (a deleted or
  misspelt ``duration``) is reported there;
- every line of a file git does not track yet (untracked, not ignored).

Findings that name no file (a plugin that failed to load) are always kept: they
are about the tool, not about a line.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
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


@dataclass(slots=True)
class FileChanges:
    """One file's hunks, in the new file's line numbers."""

    lines: set[int] = field(default_factory=set)  # added or modified
    gaps: set[int] = field(default_factory=set)  # lines were deleted just after this line (0: at the top)

    def touched(self) -> set[int]:
        """The changed lines, and the two lines either side of every deletion."""
        out = set(self.lines)
        for gap in self.gaps:
            out.update(n for n in (gap, gap + 1) if n >= 1)
        return out


def parse_diff(text: str) -> dict[str, FileChanges]:
    """Per path, the added or modified lines and the deletion points in the new file,
    from ``git diff -U0`` output."""
    changed: dict[str, FileChanges] = {}
    current: FileChanges | None = None
    for line in text.splitlines():
        if line.startswith("+++ "):
            target = line[4:]
            if target == "/dev/null":
                current = None
                continue
            target = _unquote(target)
            if target.startswith("b/"):
                target = target[2:]
            current = changed.setdefault(target, FileChanges())
            continue
        if current is None:
            continue
        m = _HUNK.match(line)
        if m:
            start = int(m.group(1))
            count = int(m.group(2)) if m.group(2) is not None else 1
            if count == 0:
                current.gaps.add(start)  # '+N,0': the old lines are gone from after line N
            current.lines.update(range(start, start + count))
    return changed


def front_matter_lines(path: str) -> tuple[int, int] | None:
    """The 1-based lines of the file's opening and closing front matter fences (an
    unclosed front matter runs to the end), or None when it has none or cannot be read."""
    from modlint.parsing import frontmatter
    from modlint.parsing.module import decode

    try:
        with open(path, "rb") as fh:
            data = fh.read(_FRONT_MATTER_READ)
    except OSError:
        return None
    text, _, problem = decode(data)
    if text is None or problem is not None:
        return None
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    fences = frontmatter.split(lines)
    if fences is None:
        return None
    if fences == "unclosed":
        return (1, len(lines))
    assert isinstance(fences, tuple)
    return fences


# Front matter is at the top of a module: this much of the file always holds it.
_FRONT_MATTER_READ = 1 << 20


def _lines_counted(path: str, changes: FileChanges) -> set[int]:
    """:meth:`FileChanges.touched`, plus the front matter's opening line when the
    change reaches between its fences."""
    lines = changes.touched()
    fences = front_matter_lines(path)
    if fences is not None:
        first, last = fences
        inside = any(first < n < last for n in changes.lines) or any(first <= gap < last for gap in changes.gaps)
        if inside:
            lines.add(first)
    return lines


def _compared_with(rev: str, root: Path) -> str:
    """The merge base of ``rev`` and ``HEAD``; ``rev`` itself when there is none."""
    try:
        base = _git(["merge-base", rev, "HEAD"], root).strip()
    except subprocess.CalledProcessError:
        base = ""
    if not base and rev not in _WARNED:
        _WARNED.add(rev)  # --fix compares twice: before fixing and for the report after
        print(
            f"modlint: --diff-only: {rev} and HEAD have no common ancestor in this clone (a shallow clone?), so the "
            f"comparison is with {rev} itself and changes made on {rev} since the branch started count as changed lines. "
            "Fetch the whole history (fetch-depth: 0) to compare with the point the branch started from.",
            file=sys.stderr,
        )
    return base or rev


_WARNED: set[str] = set()


def changed_lines(rev: str, start: Path | None = None) -> tuple[Path, dict[str, set[int] | None]]:
    """The git root and, per real path (resolved), the lines changed since the merge
    base of ``rev`` and ``HEAD`` (``None``: the whole file is new)."""
    where = (start or Path.cwd()).resolve()
    root = toplevel(where)
    if root is None:
        raise _usage(f"--diff-only {rev} needs a git repository, and {where} is not in one")
    try:
        _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], root)
    except subprocess.CalledProcessError:
        raise _usage(f"--diff-only: '{rev}' is not a commit in the git repository at {root} (in CI, fetch it first, e.g. 'git fetch origin main' or a checkout with fetch-depth: 0)") from None
    base = _compared_with(rev, root)
    diff = _git(["diff", "--no-color", "--no-ext-diff", "--no-textconv", "--unified=0", "--find-renames", base, "--"], root)
    result: dict[str, set[int] | None] = {}
    for rel, changes in parse_diff(diff).items():
        real = os.path.realpath(root / rel)
        result[real] = _lines_counted(real, changes)
    untracked = _git(["ls-files", "--others", "--exclude-standard", "-z"], root)
    for rel in untracked.split("\0"):
        if rel:
            result[os.path.realpath(root / rel)] = ALL_LINES
    return root, result


def on_changed_line(finding: Finding, lines: set[int] | None) -> bool:
    """Whether any line the finding spans is in ``lines`` (``None``: all are)."""
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
        if key in changed and on_changed_line(finding, changed[key]):
            kept.append(finding)
    return kept
