"""``--statistics``: how many findings per rule, family and persona."""
from __future__ import annotations

import json
from collections import Counter

from modlint.findings import Finding
from modlint.reporters import ReportContext


def counts(findings: list[Finding], ctx: ReportContext | None = None) -> dict[str, object]:
    """Counts of the unsuppressed findings (a finding affecting two personas counts for both)."""
    shown = [f for f in findings if f.suppressed is None]
    rules = Counter(f.rule_id for f in shown)
    aliases = {f.rule_id: f.alias for f in shown}
    families = Counter(f.family for f in shown)
    personas = Counter(p.id for f in shown for p in f.personas)
    titles = {p.id: p.title for f in shown for p in f.personas}
    order = lambda c: sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))  # noqa: E731
    return {
        "total": len(shown),
        "suppressed": len(findings) - len(shown),
        "rules": [{"rule": k, "alias": aliases[k], "count": n} for k, n in order(rules)],
        "families": [{"family": k, "count": n} for k, n in order(families)],
        "personas": [{"persona": k, "title": titles[k], "count": n} for k, n in order(personas)],
        "no_persona": sum(1 for f in shown if not f.personas),
    }


def format_statistics(findings: list[Finding], ctx: ReportContext | None = None) -> str:
    data = counts(findings, ctx)
    lines = [f"Statistics: {data['total']} finding{'s' if data['total'] != 1 else ''}" + (f" ({data['suppressed']} suppressed, not counted)" if data["suppressed"] else "")]
    sections = (
        ("By rule", [(r["count"], f"{r['rule']}  {r['alias']}") for r in data["rules"]]),  # type: ignore[union-attr]
        ("By family", [(r["count"], r["family"]) for r in data["families"]]),  # type: ignore[union-attr]
        ("By persona", [(r["count"], f"{r['persona'].upper()}  {r['title']}") for r in data["personas"]]),  # type: ignore[union-attr]
    )
    for title, rows in sections:
        lines.append(f"{title}:")
        if not rows:
            lines.append("  (none)")
        width = max((len(str(n)) for n, _ in rows), default=1)
        for n, label in rows:
            lines.append(f"  {n:>{width}}  {label}")
    if data["no_persona"]:
        lines.append(f"  ({data['no_persona']} finding{'s affect' if data['no_persona'] != 1 else ' affects'} no target persona)")
    return "\n".join(lines) + "\n"


def format_statistics_json(findings: list[Finding], ctx: ReportContext | None = None) -> str:
    return json.dumps(counts(findings, ctx), indent=2, ensure_ascii=False) + "\n"
