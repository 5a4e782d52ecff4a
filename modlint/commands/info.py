"""``modlint rules``, ``explain`` and ``personas``: the catalogue and personas, read aloud."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from modlint.catalogue import RuleMeta
from modlint.cli import EXIT_OK, EXIT_USAGE, UsageError
from modlint.config import find_config
from modlint.personas import Persona, PersonaRegistry
from modlint.plugins import Toolkit, build_toolkit


def _toolkit() -> Toolkit:
    cfg = find_config(Path.cwd())
    return build_toolkit(cfg.extra_rules, cfg.extra_personas)


def run_rules(args: argparse.Namespace) -> int:
    tk = _toolkit()
    metas = [m for m in tk.catalogue if not args.family or m.family == args.family]
    if args.format == "json":
        json.dump([_meta_dict(m) for m in metas], sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return EXIT_OK
    width = max((len(m.alias) for m in metas), default=10)
    for m in metas:
        fix = {"safe": " (fix)", "unsafe": " (unsafe fix)"}.get(m.fix, "")
        print(f"{m.id:<10} {m.alias:<{width}}  {m.family:<8} {str(m.severity):<7}  {m.summary}{fix}")
    return EXIT_OK


def _meta_dict(m: RuleMeta) -> dict[str, object]:
    return {
        "id": m.id, "alias": m.alias, "family": m.family, "severity": str(m.severity), "summary": m.summary,
        "rationale": m.rationale, "barriers": list(m.barriers), "standards": list(m.standards),
        "needs": list(m.needs), "parameters": m.parameters, "fix": m.fix, "plugin": m.plugin,
    }


def barrier_lines(meta: RuleMeta, registry: PersonaRegistry) -> list[str]:
    lines = []
    for bid in meta.barriers:
        found = registry.barriers.get(bid)
        if found is None:
            lines.append(f"  - {bid}: (unknown barrier)")
            continue
        persona, barrier = found
        lines.append(f"  - {persona.id.upper()} {persona.title}: \"{barrier.text}\" ({bid})")
    return lines


def explain_text(meta: RuleMeta, registry: PersonaRegistry) -> str:
    out = [f"{meta.id} ({meta.alias})", "", meta.summary, "", f"Family: {meta.family}    Default severity: {meta.severity}    Fix: {meta.fix}"]
    out += ["", "Why:", f"  {meta.rationale}"]
    if meta.barriers:
        out += ["", "Whom it protects (the personas' own words):", *barrier_lines(meta, registry)]
    if meta.needs:
        out += ["", f"Runs when a target persona needs: {', '.join(meta.needs)}"]
    if meta.seed_passages:
        out += ["", "Source passages:", *[f"  - \"{p}\"" for p in meta.seed_passages]]
    if meta.standards:
        out += ["", f"Standards: {', '.join(meta.standards)}"]
    if meta.parameters:
        out += ["", "Parameters (set under 'parameters: {" + meta.id + ": {...}}' in .modlint.yaml):"]
        for name, spec in meta.parameters.items():
            derived = f" Derived from the personas: {spec['from_personas']}." if spec.get("from_personas") else ""
            out.append(f"  {name} = {spec['default']!r}: {spec['description']}{derived}")
    out += ["", "Fails:", *["    " + ln for ln in meta.examples["fail"].rstrip().splitlines()]]
    out += ["", "Passes:", *["    " + ln for ln in meta.examples["pass"].rstrip().splitlines()]]
    return "\n".join(out) + "\n"


def run_explain(args: argparse.Namespace) -> int:
    tk = _toolkit()
    meta = tk.catalogue.get(args.rule)
    if meta is None:
        from difflib import get_close_matches

        names = list(tk.catalogue.by_id) + list(tk.catalogue.by_alias)
        close = get_close_matches(args.rule, names, n=1)
        hint = f"; did you mean {close[0]}?" if close else "; see 'modlint rules'"
        raise UsageError(f"no rule '{args.rule}'{hint}")
    sys.stdout.write(explain_text(meta, tk.registry))
    return EXIT_OK


def rules_for_barriers(tk: Toolkit) -> dict[str, list[RuleMeta]]:
    out: dict[str, list[RuleMeta]] = {}
    for meta in tk.catalogue:
        for bid in meta.barriers:
            out.setdefault(bid, []).append(meta)
    return out


def persona_card(p: Persona, tk: Toolkit) -> str:
    by_barrier = rules_for_barriers(tk)
    out = [f"{p.id.upper()} {p.title} (stage {p.stage})", "", p.summary, ""]
    out.append(f"Time: {p.time_seed} ({p.min_hours:g} to {p.max_hours:g} hours a week{'; ' + ', '.join(p.constraints) if p.constraints else ''})")
    if p.access_needs:
        out.append(f"Access needs: {', '.join(p.access_needs)}")
    if p.target_competencies:
        out.append(f"Target competencies: {'; '.join(p.target_competencies)}")
    out += ["", "Barriers, and the rules that address them:"]
    for b in p.barriers:
        rules = by_barrier.get(b.id, [])
        names = ", ".join(f"{m.id} {m.alias}" for m in rules) if rules else "no rule yet"
        out.append(f"  - \"{b.text}\" ({b.id}, {b.section}): {names}")
    return "\n".join(out) + "\n"


def run_personas(args: argparse.Namespace) -> int:
    tk = _toolkit()
    reg = tk.registry
    if args.coverage:
        by_barrier = rules_for_barriers(tk)
        rows = []
        for p in reg.all():
            for b in p.barriers:
                rows.append({"barrier": b.id, "persona": p.id, "section": b.section, "text": b.text, "rules": [m.id for m in by_barrier.get(b.id, [])]})
        if args.format == "json":
            json.dump(rows, sys.stdout, indent=2, ensure_ascii=False)
            sys.stdout.write("\n")
            return EXIT_OK
        covered = [r for r in rows if r["rules"]]
        for r in covered:
            print(f"{r['barrier']:<52} {', '.join(r['rules'])}")
        print()
        print(f"Not yet addressed by any rule ({len(rows) - len(covered)} of {len(rows)} barriers):")
        for r in rows:
            if not r["rules"]:
                print(f"  {r['barrier']}: \"{r['text']}\"")
        return EXIT_OK
    if args.persona:
        p = reg.get(args.persona)
        if p is None:
            raise UsageError(f"no persona '{args.persona}'; known: {', '.join(x.id for x in reg.all())}")
        if args.format == "json":
            json.dump(p.raw, sys.stdout, indent=2, ensure_ascii=False, default=str)
            sys.stdout.write("\n")
        else:
            sys.stdout.write(persona_card(p, tk))
        return EXIT_OK
    if args.format == "json":
        json.dump([{"id": p.id, "title": p.title, "stage": p.stage} for p in reg.all()], sys.stdout, indent=2)
        sys.stdout.write("\n")
        return EXIT_OK
    for p in reg.all():
        print(f"{p.id:<5} stage {p.stage}  {p.title:<40} {p.min_hours:g}-{p.max_hours:g} h/week  {', '.join(p.access_needs)}")
    return EXIT_OK if reg.all() else EXIT_USAGE
