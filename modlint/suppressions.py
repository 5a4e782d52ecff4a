"""Inline suppressions, decided in one place.

In the body, as HTML comments::

    <!-- modlint-disable TIME003 -- reason -->   ... <!-- modlint-enable TIME003 -->
    <!-- modlint-disable-next-line ACCESS001 -- decorative picture -->
    <!-- modlint-disable-file POWER002 -- covered by the programme's other modules -->

In the front matter, as YAML comments: ``# modlint-disable-next-line TIME001 -- reason``.
With no rule named, every rule is meant. A suppression that suppresses nothing is
itself a finding (MOD010), so stale ones do not pile up.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from modlint import _regex
from modlint.catalogue import Catalogue
from modlint.findings import Finding, Suppression
from modlint.model import Module

_DIRECTIVE = _regex.compile(r"^\s*modlint-(disable-next-line|disable-file|disable|enable)\b(.*)$", re.S)
_FM_DIRECTIVE = _regex.compile(r"#\s*(modlint-(?:disable-next-line|disable-file|disable|enable)\b.*)$")
UNSUPPRESSIBLE = frozenset({"MOD010"})


@dataclass(slots=True)
class Directive:
    """A ``modlint-disable`` comment and the lines it covers."""

    kind: str
    rules: frozenset[str] | None  # None means every rule
    reason: str
    line: int
    column: int
    end_line: int
    unknown: tuple[str, ...] = ()
    used: set[str] = field(default_factory=set)
    range_end: int = 10**9


def parse_directives(module: Module, catalogue: Catalogue) -> list[Directive]:
    raw: list[tuple[str, int, int, int]] = []
    for comment in module.comments:
        raw.append((comment.text, comment.line, comment.column, comment.end_line))
    for number in range(module.fm_start + 1, module.fm_end):
        m = _FM_DIRECTIVE.search(module.lines[number - 1])
        if m:
            raw.append((m.group(1), number, m.start() + 1, number))
    directives: list[Directive] = []
    for text, line, col, end_line in raw:
        m = _DIRECTIVE.match(text)
        if not m:
            continue
        kind, rest = m.group(1), m.group(2)
        names, _, reason = rest.partition("--")
        ids: set[str] = set()
        unknown: list[str] = []
        for name in re.split(r"[\s,]+", names.strip()):
            if not name:
                continue
            expanded = catalogue.expand(name)
            if expanded:
                ids.update(expanded)
            else:
                unknown.append(name)
        rules = frozenset(ids) if (ids or unknown) else None
        directives.append(Directive(kind, rules, reason.strip(), line, col, end_line, tuple(unknown)))
    # Close each disable range at the next enable that names the same rules (or all).
    for i, d in enumerate(directives):
        if d.kind != "disable":
            continue
        for later in directives[i + 1 :]:
            if later.kind == "enable" and (later.rules is None or d.rules is None or d.rules & later.rules):
                d.range_end = later.line
                break
    return directives


def _covers(d: Directive, finding: Finding) -> bool:
    if d.rules is not None and finding.rule_id not in d.rules:
        return False
    if d.kind == "disable-file":
        return True
    if d.kind == "disable-next-line":
        return finding.line == d.end_line + 1
    if d.kind == "disable":
        return d.line < finding.line < d.range_end or (finding.line == d.line and finding.column > d.column)
    return False


def apply(module: Module, findings: list[Finding], catalogue: Catalogue, enabled: set[str], make_unused: "callable") -> list[Finding]:  # type: ignore[valid-type]
    """Mark suppressed findings and add a MOD010 finding for each directive that did nothing."""
    directives = parse_directives(module, catalogue)
    if not directives:
        return findings
    for finding in findings:
        if finding.rule_id in UNSUPPRESSIBLE:
            continue
        for d in directives:
            if d.kind != "enable" and _covers(d, finding):
                finding.suppressed = Suppression("inline", d.reason)
                d.used.add(finding.rule_id)
                break
    extra: list[Finding] = []
    for d in directives:
        if d.kind == "enable":
            continue
        where = f"modlint-{d.kind}"
        for name in d.unknown:
            extra.append(make_unused(d.line, d.column, f"The suppression '{where} {name}' names no known rule. Check the rule id or alias with 'modlint rules'."))
        if d.rules is None:
            if not d.used:
                extra.append(make_unused(d.line, d.column, f"This '{where}' comment suppresses nothing. Remove it, so real problems here are not hidden later."))
            continue
        unused = sorted(r for r in d.rules if r in enabled and r not in d.used)
        if unused and len(d.rules) <= 50:
            extra.append(make_unused(d.line, d.column, f"This '{where}' comment suppresses nothing for {', '.join(unused)}. Remove {'it' if len(unused) == 1 else 'them'}, so real problems here are not hidden later."))
    return findings + extra
