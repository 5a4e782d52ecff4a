"""JUnit XML: one test case per module, failing when it has a finding at or above
the ``fail-on`` severity. The shape (``testsuites/testsuite/testcase/failure``) is the
one Jenkins, GitLab, Azure Pipelines and the common JUnit report actions read.

Findings below the threshold are listed in the test case's ``system-out``;
suppressed findings are left out. Findings that name no module (a plugin that
failed to load) get a test case of their own.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from modlint.findings import Finding, Severity
from modlint.reporters import ReportContext
from modlint.reporters.text import format_finding

if TYPE_CHECKING:
    import xml.etree.ElementTree as ET

# Characters XML 1.0 cannot carry at all, even escaped.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _INVALID_XML.sub("\ufffd", text)


def as_element(findings: list[Finding], ctx: ReportContext) -> ET.Element:
    # Imported here: ElementTree costs every run a few milliseconds, and few runs ask for JUnit.
    import xml.etree.ElementTree as ET

    threshold = Severity.parse(ctx.fail_on)
    shown = [f for f in findings if f.suppressed is None]
    by_path: dict[str, list[Finding]] = {}
    order: list[str] = []
    for r in ctx.results:
        if r.path not in by_path:
            by_path[r.path] = []
            order.append(r.path)
    for f in shown:
        if f.path not in by_path:
            by_path[f.path] = []
            order.append(f.path)
        by_path[f.path].append(f)

    suite = ET.Element("testsuite", name="modlint")
    failures = 0
    for path in order:
        items = by_path[path]
        case = ET.SubElement(suite, "testcase", classname="modlint", name=_clean(path), file=_clean(path), time="0")
        failing = [f for f in items if f.severity >= threshold]
        if failing:
            failures += 1
            first = failing[0]
            summary = f"{len(failing)} finding{'s' if len(failing) != 1 else ''} at or above {threshold}: {first.rule_id} {first.message}"
            failure = ET.SubElement(case, "failure", message=_clean(summary), type=first.rule_id)
            failure.text = _clean("\n".join(format_finding(f) for f in failing))
        rest = [f for f in items if f.severity < threshold]
        if rest:
            out = ET.SubElement(case, "system-out")
            out.text = _clean("\n".join(format_finding(f) for f in rest))
    counts = {"tests": str(len(order)), "failures": str(failures), "errors": "0", "skipped": "0", "time": "0"}
    suite.attrib.update(counts)
    root = ET.Element("testsuites", name="modlint", **counts)
    root.append(suite)
    return root


def format_junit(findings: list[Finding], ctx: ReportContext) -> str:
    import xml.etree.ElementTree as ET

    root = as_element(findings, ctx)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
