"""``path:line:col: ID [severity] message (affects: P11 HR Manager, ...)``"""
from __future__ import annotations

from collections import Counter

from modlint.findings import Finding, PersonaRef, Severity
from modlint.reporters import ReportContext

_COLOURS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m", Severity.INFO: "\033[36m"}
_BOLD = "\033[1m"
_RESET = "\033[0m"
_TAGS = {s: f"[{s}]" for s in Severity}


def format_finding(f: Finding, color: bool = False) -> str:
    where = f"{f.path}:{f.line}:{f.column}:"
    sev = _TAGS[f.severity]
    rid = f.rule_id
    if color:
        where = f"{_BOLD}{where}{_RESET}"
        sev = f"{_COLOURS[f.severity]}{sev}{_RESET}"
        rid = f"{_BOLD}{rid}{_RESET}"
    line = f"{where} {rid} {sev} {f.message}"
    if f.personas:
        line += _affects(f.personas)
    return line


_AFFECTS: dict[tuple[PersonaRef, ...], str] = {}


def _affects(personas: tuple[PersonaRef, ...]) -> str:
    # A repository's findings name the same few groups of personas tens of thousands of times.
    text = _AFFECTS.get(personas)
    if text is None:
        if len(_AFFECTS) > 1024:
            _AFFECTS.clear()
        text = _AFFECTS[personas] = " (affects: " + ", ".join(p.label() for p in personas) + ")"
    return text


def summary(findings: list[Finding], files: int) -> str:
    if not findings:
        return f"No problems found in {files} file{'s' if files != 1 else ''}."
    counts = Counter(f.severity for f in findings)
    parts = [f"{counts[s]} {s}{'s' if counts[s] != 1 else ''}" for s in (Severity.ERROR, Severity.WARNING, Severity.INFO) if counts[s]]
    fixable = sum(1 for f in findings if f.fix is not None and f.fix.safe)
    tail = f" {fixable} fixable with 'modlint check --fix'." if fixable else ""
    return f"Found {len(findings)} problem{'s' if len(findings) != 1 else ''} ({', '.join(parts)}) in {files} file{'s' if files != 1 else ''}.{tail}"


def format_text(findings: list[Finding], ctx: ReportContext) -> str:
    shown = [f for f in findings if f.suppressed is None]
    lines = [format_finding(f, ctx.color) for f in shown]
    lines.append(summary(shown, len(ctx.results)))
    return "\n".join(lines) + "\n"
