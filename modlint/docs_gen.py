"""Generate the rule reference in ``docs/rules/`` from the catalogue.

``python -m modlint.docs_gen`` rewrites the pages; the test suite fails when they
are out of date, so the docs never drift from the metadata.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from modlint.catalogue import FAMILIES, RuleMeta
from modlint.personas import PersonaRegistry
from modlint.plugins import Toolkit, build_toolkit

FAMILY_TITLES = {
    "module": "Module format",
    "time": "Time-bounded formats",
    "pause": "Pause-able content",
    "access": "Access needs",
    "power": "Power and difference coverage",
    "coverage": "Coverage",
    "custom": "Custom",
}

_STANDARD_LINKS = {
    "wcag": "https://www.w3.org/WAI/WCAG22/Understanding/",
}


def _standard(std: str) -> str:
    if std.startswith("wcag-"):
        return f"WCAG 2.2 success criterion {std[5:]}"
    if std.startswith("udl-"):
        return f"UDL guidelines, checkpoint {std[4:]}"
    return f"Source document: {std[5:].replace('-', ' ')}" if std.startswith("seed-") else std


def _yaml_lines(name: str, value: object, indent: str) -> list[str]:
    """A parameter default written as YAML an author can paste."""
    if isinstance(value, dict):
        lines = [f"{indent}{name}:"]
        for key, item in value.items():
            lines += _yaml_lines(str(key), item, indent + "  ")
        return lines
    if isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value):
        return [f"{indent}{name}: {json.dumps(value, ensure_ascii=False)}"]
    return [f"{indent}{name}: {json.dumps(value, ensure_ascii=False)}"]


def _fence(text: str) -> list[str]:
    return ["````markdown", *text.rstrip("\n").splitlines(), "````"]


def rule_page(meta: RuleMeta, registry: PersonaRegistry) -> str:
    out = [f"# {meta.id}: {meta.alias}", "", meta.summary, ""]
    out += [
        "| | |",
        "|---|---|",
        f"| Family | {FAMILY_TITLES.get(meta.family, meta.family)} (`{meta.family}`) |",
        f"| Default severity | {meta.severity} |",
        f"| Fix | {meta.fix} |",
    ]
    if meta.needs:
        out.append(f"| Runs when a target persona needs | {', '.join(f'`{n}`' for n in meta.needs)} |")
    if meta.needs_review:
        out.append("| Kind | needs review: a person should look |")
    out += ["", "## Why", "", meta.rationale, ""]
    if meta.barriers:
        out += ["## Whom it protects", "", "In the personas' own words:", ""]
        for bid in meta.barriers:
            found = registry.barriers.get(bid)
            if found is None:
                out.append(f"- `{bid}` (unknown barrier)")
                continue
            persona, barrier = found
            out.append(f"- **{persona.id.upper()} {persona.title}**: \"{barrier.text}\" (`{bid}`)")
        out.append("")
    if meta.seed_passages:
        out += ["## Source passages", ""] + [f"> {p}\n" for p in meta.seed_passages]
    if meta.standards:
        out += ["## Standards", ""] + [f"- {_standard(s)} (`{s}`)" for s in meta.standards] + [""]
    if meta.parameters:
        out += ["## Parameters", "", "Set them in `.modlint.yaml` (shown with their defaults):", "", "```yaml", "parameters:", f"  {meta.id}:"]
        for name, spec in meta.parameters.items():
            out += _yaml_lines(name, spec["default"], "    ")
        out += ["```", "", "| Parameter | Default | Meaning |", "|---|---|---|"]
        for name, spec in meta.parameters.items():
            derived = f" From the personas: {spec['from_personas']}." if spec.get("from_personas") else ""
            default = json.dumps(spec["default"], ensure_ascii=False)
            default = default if len(default) <= 40 else "see above"
            out.append(f"| `{name}` | `{default}` | {spec['description']}{derived} |")
        out.append("")
    out += ["## Example that fails", "", *_fence(meta.examples["fail"]), "", "## Example that passes", "", *_fence(meta.examples["pass"]), ""]
    out += ["## Suppressing it", "", f"`<!-- modlint-disable-next-line {meta.id} -- reason -->` above the line, or `ignore: [{meta.id}]` in `.modlint.yaml`.", ""]
    return "\n".join(out)


def index_page(toolkit: Toolkit) -> str:
    out = ["# Rule reference", "", "Generated from `rules/` by `python -m modlint.docs_gen`; do not edit by hand.", ""]
    for family in FAMILIES:
        metas = [m for m in toolkit.catalogue if m.family == family and m.plugin == "builtin"]
        if not metas:
            continue
        out += [f"## {FAMILY_TITLES[family]}", "", "| Rule | Alias | Severity | Summary |", "|---|---|---|---|"]
        out += [f"| [{m.id}]({m.id}.md) | `{m.alias}` | {m.severity} | {m.summary} |" for m in metas]
        out.append("")
    return "\n".join(out)


def generate(folder: Path) -> dict[Path, str]:
    toolkit = build_toolkit()
    pages = {folder / f"{m.id}.md": rule_page(m, toolkit.registry) for m in toolkit.catalogue if m.plugin == "builtin"}
    pages[folder / "README.md"] = index_page(toolkit)
    return pages


def main() -> int:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "docs" / "rules"
    folder.mkdir(parents=True, exist_ok=True)
    pages = generate(folder)
    for old in folder.glob("*.md"):
        if old not in pages:
            old.unlink()
    for path, text in pages.items():
        path.write_text(text, encoding="utf-8")
    print(f"wrote {len(pages)} pages to {folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
