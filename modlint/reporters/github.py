"""GitHub Actions workflow commands: one ``::error file=...,line=...,col=...::message``
annotation per finding, then the text summary.

Data is escaped as the runner expects (``%``, ``\\r``, ``\\n``); property values
also escape ``:`` and ``,``. Suppressed findings are not annotated.
"""
from __future__ import annotations

from modlint.findings import Finding, Severity
from modlint.reporters import ReportContext
from modlint.reporters.text import summary

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(f: Finding) -> str:
    props: list[tuple[str, str]] = []
    if not (f.path.startswith("<") and f.path.endswith(">")):
        props.append(("file", f.path.replace("\\", "/")))
        props.append(("line", str(f.line)))
        props.append(("col", str(f.column)))
        if f.end_line is not None and f.end_line >= f.line:
            props.append(("endLine", str(f.end_line)))
            if f.end_column is not None:
                props.append(("endColumn", str(f.end_column)))
    props.append(("title", f"{f.rule_id} {f.alias}".strip()))
    message = f.message
    if f.personas:
        message += " (affects: " + ", ".join(p.label() for p in f.personas) + ")"
    if f.path.startswith("<") and f.path.endswith(">"):
        message = f"{f.path}: {message}"
    head = ",".join(f"{k}={escape_property(v)}" for k, v in props)
    return f"::{COMMANDS.get(f.severity, 'warning')} {head}::{escape_data(message)}"


def format_github(findings: list[Finding], ctx: ReportContext) -> str:
    shown = [f for f in findings if f.suppressed is None]
    lines = [annotation(f) for f in shown]
    lines.append(summary(shown, len(ctx.results)))
    return "\n".join(lines) + "\n"
