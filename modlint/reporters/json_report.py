"""JSON output, following ``schemas/findings.schema.json`` (versioned)."""
from __future__ import annotations

import json

from modlint import __version__
from modlint.findings import Finding
from modlint.reporters import ReportContext

SCHEMA_VERSION = "1.0"


def as_document(findings: list[Finding], ctx: ReportContext) -> dict[str, object]:
    shown = [f for f in findings if f.suppressed is None]
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "modlint", "version": __version__},
        "files_checked": len(ctx.results),
        "summary": {
            "total": len(shown),
            "error": sum(1 for f in shown if str(f.severity) == "error"),
            "warning": sum(1 for f in shown if str(f.severity) == "warning"),
            "info": sum(1 for f in shown if str(f.severity) == "info"),
            "suppressed": len(findings) - len(shown),
        },
        "findings": [f.to_dict() for f in findings],
    }


def format_json(findings: list[Finding], ctx: ReportContext) -> str:
    return json.dumps(as_document(findings, ctx), indent=2, ensure_ascii=False) + "\n"
