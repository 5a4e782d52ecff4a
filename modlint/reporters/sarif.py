"""SARIF 2.1.0 output, for GitHub code scanning and other SARIF viewers.

One ``reportingDescriptor`` per rule in the catalogue (id, alias as name, summary
and rationale, ``helpUri`` to the rule's page when it has one (a built-in rule's
generated page, or the ``docs_url`` a plugin's metadata gives), default level, and properties with
the family, standards, persona barriers and tags); one result per finding with a
physical location. Suppressed findings stay in the log with ``suppressions``:
inline ``modlint-disable`` comments as ``inSource`` with their reason, baselined
findings as ``external`` with the justification ``baseline``. Findings that name
no file (a plugin that failed to load) become tool execution notifications.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

from modlint import __version__
from modlint._paths import doc_url_for
from modlint.catalogue import RuleMeta
from modlint.findings import Finding, Severity
from modlint.reporters import ReportContext

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://github.com/modlint/modlint"
FINGERPRINT_KEY = "modlint/v1"
SRCROOT = "%SRCROOT%"

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _level(severity: Severity) -> str:
    return LEVELS.get(severity, "warning")


def descriptor(meta: RuleMeta) -> dict[str, Any]:
    """The SARIF ``reportingDescriptor`` of one rule."""
    help_lines = [meta.summary, "", meta.rationale]
    if meta.barriers:
        help_lines += ["", "Persona barriers: " + ", ".join(meta.barriers)]
    if meta.standards:
        help_lines += ["", "Standards: " + ", ".join(meta.standards)]
    out: dict[str, Any] = {
        "id": meta.id,
        "name": meta.alias,
        "shortDescription": {"text": meta.summary},
        "fullDescription": {"text": meta.rationale or meta.summary},
        "defaultConfiguration": {"level": _level(meta.severity), "enabled": True},
        "help": {"text": "\n".join(help_lines)},
        "properties": {
            "family": meta.family,
            "standards": list(meta.standards),
            "barriers": list(meta.barriers),
            "tags": meta.sarif_tags,
            "fix": meta.fix,
            "plugin": meta.plugin,
        },
    }
    url = doc_url_for(meta)
    if url is not None:
        out["helpUri"] = url
        out["help"]["markdown"] = "\n".join(help_lines) + f"\n\n[Rule documentation]({url})"
    return out


def _is_file(path: str) -> bool:
    return not (path.startswith("<") and path.endswith(">")) or path == "<stdin>"


def artifact_uri(path: str, base: Path) -> tuple[str, str | None]:
    """(uri, uriBaseId): relative to ``base`` (``%SRCROOT%``) when the file is under it,
    else an absolute ``file:`` URI."""
    absolute = os.path.abspath(path)
    try:
        rel = os.path.relpath(absolute, os.path.abspath(base))
    except ValueError:
        rel = None
    if rel is not None and not rel.startswith(".."):
        return quote(os.fsencode(rel.replace(os.sep, "/"))), SRCROOT  # a name that is not UTF-8 keeps its own bytes
    return Path(absolute).as_uri(), None


def _region(f: Finding) -> dict[str, Any]:
    region: dict[str, Any] = {"startLine": max(1, f.line), "startColumn": max(1, f.column)}
    if f.end_line is not None and f.end_line >= f.line:
        region["endLine"] = f.end_line
        if f.end_column is not None and (f.end_line > f.line or f.end_column >= f.column):
            region["endColumn"] = max(1, f.end_column)
    elif f.end_column is not None and f.end_column >= f.column:
        region["endColumn"] = max(1, f.end_column)
    return region


def _suppression(f: Finding) -> dict[str, Any]:
    assert f.suppressed is not None
    kind = "external" if f.suppressed.kind == "baseline" else "inSource"
    out: dict[str, Any] = {"kind": kind, "status": "accepted"}
    if f.suppressed.justification:
        out["justification"] = f.suppressed.justification
    return out


def _message(f: Finding) -> str:
    if f.personas:
        return f"{f.message} (affects: {', '.join(p.label() for p in f.personas)})"
    return f.message


def result(f: Finding, index: dict[str, int], base: Path) -> dict[str, Any]:
    from modlint.baseline import fingerprint

    out: dict[str, Any] = {
        "ruleId": f.rule_id,
        "level": _level(f.severity),
        "message": {"text": _message(f)},
    }
    if f.rule_id in index:
        out["ruleIndex"] = index[f.rule_id]
    uri, base_id = artifact_uri(f.path, base) if f.path != "<stdin>" else ("stdin", None)
    artifact: dict[str, Any] = {"uri": uri}
    if base_id:
        artifact["uriBaseId"] = base_id
    out["locations"] = [{"physicalLocation": {"artifactLocation": artifact, "region": _region(f)}}]
    out["partialFingerprints"] = {FINGERPRINT_KEY: fingerprint(f, base)}
    props: dict[str, Any] = {"alias": f.alias, "family": f.family, "severity": str(f.severity)}
    if f.personas:
        props["personas"] = [{"id": p.id, "title": p.title} for p in f.personas]
    if f.segment:
        props["segment"] = f.segment
    if f.fix is not None:
        props["fix"] = {"description": f.fix.description, "safe": f.fix.safe}
    out["properties"] = props
    if f.suppressed is not None:
        out["suppressions"] = [_suppression(f)]
    return out


def as_document(findings: list[Finding], ctx: ReportContext, base: Path | None = None) -> dict[str, Any]:
    base = base or Path.cwd()
    rules = list(ctx.toolkit.catalogue)
    known = {m.id for m in rules}
    # A finding from a rule with no metadata should not happen; describe it anyway so ruleIndex stays valid.
    extra_ids = sorted({f.rule_id for f in findings} - known)
    descriptors = [descriptor(m) for m in rules] + [{"id": rid, "shortDescription": {"text": rid}} for rid in extra_ids]
    index = {d["id"]: i for i, d in enumerate(descriptors)}
    results: list[dict[str, Any]] = []
    notifications: list[dict[str, Any]] = []
    for f in findings:
        if _is_file(f.path):
            results.append(result(f, index, base))
        else:
            notifications.append({
                "level": _level(f.severity),
                "message": {"text": f"{f.path}: {f.message}"},
                "descriptor": {"id": f.rule_id, "index": index[f.rule_id]} if f.rule_id in index else {"id": f.rule_id},
            })
    invocation: dict[str, Any] = {"executionSuccessful": True}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    driver: dict[str, Any] = {
        "name": "modlint",
        "version": __version__,
        "semanticVersion": __version__,
        "informationUri": INFORMATION_URI,
        "rules": descriptors,
    }
    plugins = {name: v for name, v in getattr(ctx.toolkit, "plugins", {}).items() if name != "builtin"}
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "invocations": [invocation],
        "originalUriBaseIds": {SRCROOT: {"uri": Path(os.path.abspath(base)).as_uri() + "/"}},
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    if plugins:
        driver["properties"] = {"plugins": plugins}
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def format_sarif(findings: list[Finding], ctx: ReportContext) -> str:
    return json.dumps(as_document(findings, ctx), indent=2, ensure_ascii=False) + "\n"
