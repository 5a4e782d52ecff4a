"""Baselines: adopt modlint on a repository that already has findings.

``modlint check --baseline modlint-baseline.json --update-baseline`` records the
current findings; later runs with ``--baseline`` treat findings already recorded as
suppressed (``Suppression("baseline", "baseline")``: hidden from the text report,
kept in SARIF as external suppressions) and fail only on new ones. Baseline
entries that no longer match a finding are reported so the baseline can shrink.

A finding is matched by a content-based fingerprint: the rule id, the file's path
relative to the baseline file, the segment title, and the normalised offending
text (``Finding.snippet``, or the message with its digits normalised when a rule
gives no snippet). Line numbers are not part of it, so adding a line above a
finding does not make it new. Identical fingerprints are counted: a file with
three of the same finding and a baseline with two has one new finding.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from modlint.findings import Finding, Suppression

if TYPE_CHECKING:
    from modlint.engine import FileResult

FORMAT_VERSION = 1
JUSTIFICATION = "baseline"
_DIGITS = re.compile(r"\d+")


def _is_file_path(path: str) -> bool:
    """``<plugin x>``, ``<collection>`` and ``<stdin>`` name no file."""
    return not (path.startswith("<") and path.endswith(">"))


def relative_path(path: str, base: Path) -> str:
    """``path`` (as reported, relative to the working directory or absolute) relative to
    ``base``, with forward slashes; non-file paths are returned unchanged."""
    if not _is_file_path(path):
        return path
    absolute = os.path.abspath(path)
    try:
        rel = os.path.relpath(absolute, os.path.abspath(base))
    except ValueError:  # another drive on Windows
        return Path(absolute).as_posix()
    return rel.replace(os.sep, "/")


def normalise(text: str) -> str:
    return " ".join(text.split())


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def fingerprint_text(finding: Finding) -> str:
    """The offending text as it goes into the fingerprint."""
    if finding.snippet.strip():
        return normalise(finding.snippet)
    return normalise(_DIGITS.sub("0", finding.message))


def fingerprint(finding: Finding, base: Path | None = None) -> str:
    """A stable id for ``finding``, independent of its line and column."""
    rel = relative_path(finding.path, base if base is not None else Path.cwd())
    key = "\x1f".join((finding.rule_id, rel, normalise(finding.segment), fingerprint_text(finding)))
    # surrogateescape: a path that is not UTF-8 hashes as its own bytes; every other key as before.
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:32]


class BaselineError(Exception):
    pass


def _usage(message: str) -> Exception:
    from modlint.cli import UsageError

    return UsageError(message)


def load(path: Path) -> list[dict[str, Any]]:
    """The entries of a baseline file. Raises the CLI's usage error if it is missing or invalid."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise _usage(f"the baseline {path} does not exist; create it with 'modlint check --baseline {path} --update-baseline'") from None
    except OSError as exc:
        raise _usage(f"cannot read the baseline {path}: {exc.strerror or exc}") from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise _usage(f"the baseline {path} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    entries = data.get("findings") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not all(isinstance(e, dict) and isinstance(e.get("fingerprint"), str) for e in entries):
        raise _usage(f"{path} is not a modlint baseline (it needs a 'findings' list of entries with a 'fingerprint')")
    version = data.get("version", FORMAT_VERSION)
    if version != FORMAT_VERSION:
        raise _usage(f"the baseline {path} has format version {version}; this modlint reads version {FORMAT_VERSION}. Recreate it with --update-baseline")
    return entries


def _entry(finding: Finding, base: Path) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "fingerprint": fingerprint(finding, base),
        "rule": finding.rule_id,
        "path": relative_path(finding.path, base),
    }
    if finding.segment:
        entry["segment"] = finding.segment
    entry["message"] = finding.message
    return entry


def _checked_paths(results: "Iterable[FileResult]", base: Path) -> set[str]:
    return {relative_path(r.path, base) for r in results}


def _exists(entry_path: str, base: Path) -> bool:
    return not _is_file_path(entry_path) or (base / entry_path).exists()


def write(path: Path, findings: list[Finding], results: "list[FileResult]") -> int:
    """Write the unsuppressed ``findings`` as the baseline at ``path``.

    Entries for files this run did not check (pre-commit passes only some) are kept
    while those files exist, so updating from a partial run never loses them.
    Returns the number of entries written."""
    base = path.resolve().parent
    checked = _checked_paths(results, base)
    kept: list[dict[str, Any]] = []
    if path.exists():
        try:
            old = load(path)
        except Exception:
            old = []
        kept = [e for e in old if e.get("path") not in checked and _exists(str(e.get("path", "")), base)]
    entries = kept + [_entry(f, base) for f in findings if f.suppressed is None]
    entries.sort(key=lambda e: (str(e.get("path", "")), str(e.get("rule", "")), str(e.get("segment", "")), e["fingerprint"]))
    from modlint import __version__

    doc = {
        "version": FORMAT_VERSION,
        "tool": {"name": "modlint", "version": __version__},
        "comment": "Findings recorded by 'modlint check --update-baseline'. They do not fail 'modlint check --baseline' runs; new findings do. Regenerate after fixing to shrink it.",
        "findings": entries,
    }
    from modlint.fileio import atomic_write_text

    if not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(doc, indent=2, ensure_ascii=False)
    # Readable UTF-8, but a path that is not UTF-8 (a lone surrogate, which only a JSON
    # string can hold) is written as its escape, so the file is valid and reads back exactly.
    atomic_write_text(path, _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text) + "\n")
    return len(entries)


def apply(path: Path, findings: list[Finding], results: "list[FileResult]", report_fixed: bool = True) -> tuple[list[Finding], list[str]]:
    """Mark findings recorded in the baseline as suppressed; return them with notes
    for the terminal: how many were baselined, and the entries fixed since (ratchet).

    ``report_fixed=False`` when the findings were narrowed after the rules ran
    (``--diff-only``, ``--persona``): unmatched entries then prove nothing."""
    entries = load(path)
    base = path.resolve().parent
    remaining = Counter(e["fingerprint"] for e in entries)
    matched = 0
    for finding in sorted(findings, key=Finding.sort_key):
        if finding.suppressed is not None:
            continue
        fp = fingerprint(finding, base)
        if remaining[fp] > 0:
            remaining[fp] -= 1
            finding.suppressed = Suppression("baseline", JUSTIFICATION)
            matched += 1
    notes: list[str] = []
    if matched:
        notes.append(f"modlint: {matched} finding{'s' if matched != 1 else ''} recorded in the baseline {path} did not fail the run.")
    checked = _checked_paths(results, base) if report_fixed else set()
    fixed: list[dict[str, Any]] = []
    for entry in entries if report_fixed else ():
        fp = entry["fingerprint"]
        if remaining[fp] <= 0:
            continue
        entry_path = str(entry.get("path", ""))
        # Only files this run checked (or that are gone) can tell that a finding was fixed.
        if entry_path in checked or not _exists(entry_path, base):
            remaining[fp] -= 1
            fixed.append(entry)
    if fixed:
        notes.append(
            f"modlint: {len(fixed)} finding{'s' if len(fixed) != 1 else ''} in the baseline {path} "
            f"{'are' if len(fixed) != 1 else 'is'} fixed; shrink the baseline with 'modlint check --baseline {path} --update-baseline':"
        )
        for entry in fixed:
            notes.append(f"  fixed: {entry.get('path', '?')}: {entry.get('rule', '?')} {entry.get('message', '')}".rstrip())
    return findings, notes
