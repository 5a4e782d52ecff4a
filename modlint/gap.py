"""Gap analysis: which learners each module shuts out, and why.

The analysis only reads findings, the modules' front matter and the persona
registry; it never decides what a finding is. Its result objects are rendered by
:mod:`modlint.commands.report` (text here, HTML and Markdown through the Jinja2
templates in ``modlint/templates``, JSON from :meth:`GapReport.to_dict`).

Definitions (see docs/report.md):

* A *cell* is one module and one persona. It is ``not-targeted`` when the module's
  audience (its ``personas``, else every persona of its ``stage``) leaves the persona
  out; otherwise ``blocked`` when an unsuppressed error-level finding lists the
  persona, ``warning`` when only warnings do, and ``clear`` when none does.
* A finding that lists no persona (a broken front matter, a duplicate id) is counted
  in the module's *whole-module* column, not in any persona's cell.
* A barrier is *hit* when a finding lists a persona and its rule cites one of that
  persona's barriers (``RuleMeta.barriers``); barriers of other personas cited by the
  same rule are not counted for this finding.
* A framework competency at stage N is *addressed* when a module of stage N (or
  with N among its stages) lists it in ``competencies``; names are compared without a
  ``(Stage N)`` suffix and case.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable

from modlint.findings import Finding, Severity

if TYPE_CHECKING:
    from modlint.catalogue import Catalogue
    from modlint.engine import FileResult
    from modlint.personas import Persona, PersonaRegistry

REPORT_VERSION = "1.0"
NOT_TARGETED, BLOCKED, WARNING, CLEAR = "not-targeted", "blocked", "warning", "clear"
_STAGE_SUFFIX = re.compile(r"\s*\(Stage (\d)\)\s*$", re.I)


def competency_key(name: str) -> str:
    """A competency name for comparison: no ``(Stage N)`` suffix, spaces and case folded."""
    return " ".join(_STAGE_SUFFIX.sub("", str(name)).split()).casefold()


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "module"


@dataclass(slots=True)
class PersonaColumn:
    """A persona as a column of the gap report."""

    id: str
    label: str  # "P10"
    title: str
    stage: int


@dataclass(slots=True)
class Cell:
    """The findings of one module that shut one persona out."""

    persona: str
    targeted: bool
    errors: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    infos: list[Finding] = field(default_factory=list)
    anchor: str = ""

    @property
    def status(self) -> str:
        if not self.targeted:
            return NOT_TARGETED
        if self.errors:
            return BLOCKED
        if self.warnings:
            return WARNING
        return CLEAR

    @property
    def findings(self) -> list[Finding]:
        return sorted(self.errors + self.warnings + self.infos, key=Finding.sort_key)

    def text(self) -> str:
        """The cell as words, the same in every format: colour is never the only signal."""
        if not self.targeted:
            return "not targeted"
        if not self.errors and not self.warnings:
            return "no findings"
        parts = []
        if self.errors:
            parts.append(f"{len(self.errors)} error{'s' if len(self.errors) != 1 else ''}")
        if self.warnings:
            parts.append(f"{len(self.warnings)} warning{'s' if len(self.warnings) != 1 else ''}")
        return ", ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "persona": self.persona,
            "targeted": self.targeted,
            "status": self.status,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "infos": len(self.infos),
            "text": self.text(),
            "findings": [_finding_ref(f) for f in self.findings],
        }


@dataclass(slots=True)
class ModuleRow:
    """A module as a row of the gap report."""

    path: str
    id: str
    title: str
    anchor: str
    stages: list[int]
    targets: list[str]
    competencies: list[str]
    cells: list[Cell]
    general: list[Finding]  # findings that list no persona
    findings: list[Finding]  # every unsuppressed finding of the module
    parsed: bool = True

    @property
    def general_errors(self) -> int:
        return sum(1 for f in self.general if f.severity == Severity.ERROR)

    @property
    def general_warnings(self) -> int:
        return sum(1 for f in self.general if f.severity == Severity.WARNING)

    def general_text(self) -> str:
        e, w = self.general_errors, self.general_warnings
        if not e and not w:
            return "none"
        parts = []
        if e:
            parts.append(f"{e} error{'s' if e != 1 else ''}")
        if w:
            parts.append(f"{w} warning{'s' if w != 1 else ''}")
        return ", ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "id": self.id,
            "title": self.title,
            "anchor": self.anchor,
            "parsed": self.parsed,
            "stages": self.stages,
            "targets": self.targets,
            "competencies": self.competencies,
            "cells": {c.persona: c.to_dict() for c in self.cells},
            "whole_module": {"errors": self.general_errors, "warnings": self.general_warnings, "findings": [_finding_ref(f) for f in self.general]},
            "findings": [f.to_dict() for f in self.findings],
        }


@dataclass(slots=True)
class BarrierHit:
    """How often the findings cite one persona barrier."""

    id: str
    persona: str
    text: str
    section: str
    errors: int = 0
    warnings: int = 0
    modules: set[str] = field(default_factory=set)
    rules: set[str] = field(default_factory=set)

    @property
    def total(self) -> int:
        return self.errors + self.warnings

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "persona": self.persona,
            "text": self.text,
            "section": self.section,
            "errors": self.errors,
            "warnings": self.warnings,
            "modules": sorted(self.modules),
            "rules": sorted(self.rules),
        }


@dataclass(slots=True)
class PersonaBarriers:
    """A persona's barriers that findings cite, most cited first."""

    persona: PersonaColumn
    hits: list[BarrierHit]  # most hit first
    barriers_total: int  # barriers the persona has

    def to_dict(self) -> dict[str, Any]:
        return {"persona": self.persona.id, "barriers_total": self.barriers_total, "hits": [h.to_dict() for h in self.hits]}


@dataclass(slots=True)
class Competency:
    """A framework competency and the modules that list it."""

    name: str
    modules: list[str]  # paths of modules of this stage that list it

    @property
    def addressed(self) -> bool:
        return bool(self.modules)


@dataclass(slots=True)
class StageCoverage:
    """Which of a stage's competencies its modules address."""

    stage: int
    name: str
    competencies: list[Competency]
    modules: list[str]  # modules at this stage

    @property
    def missing(self) -> list[Competency]:
        return [c for c in self.competencies if not c.addressed]

    @property
    def addressed(self) -> list[Competency]:
        return [c for c in self.competencies if c.addressed]

    def to_dict(self) -> dict[str, Any]:
        return {
            "stage": self.stage,
            "name": self.name,
            "modules": self.modules,
            "competencies": [{"name": c.name, "addressed": c.addressed, "modules": c.modules} for c in self.competencies],
            "missing": [c.name for c in self.missing],
        }


@dataclass(slots=True)
class PersonaAccess:
    """The modules aimed at a persona, and those the persona can take."""

    persona: PersonaColumn
    targeted_by: list[str]  # module paths
    takeable: list[str]  # targeted, no error-level finding lists the persona, no whole-module error
    missing_competencies: list[str]  # target competencies no module aimed at the persona lists

    @property
    def stranded(self) -> bool:
        return not self.takeable

    def to_dict(self) -> dict[str, Any]:
        return {
            "persona": self.persona.id,
            "targeted_by": self.targeted_by,
            "takeable": self.takeable,
            "stranded": self.stranded,
            "missing_competencies": self.missing_competencies,
        }


@dataclass(slots=True)
class GapReport:
    """The whole gap analysis of a set of modules, ready for a reporter."""

    personas: list[PersonaColumn]
    modules: list[ModuleRow]
    barriers: list[PersonaBarriers]
    top_barriers: list[BarrierHit]
    stages: list[StageCoverage]
    access: list[PersonaAccess]
    unknown_competencies: dict[str, list[str]]  # module path -> names the framework does not know
    other_findings: list[Finding]  # findings on no module of the run (plugin load errors)
    version: str = ""

    @property
    def stranded(self) -> list[PersonaAccess]:
        return [a for a in self.access if a.stranded]

    @property
    def totals(self) -> dict[str, int]:
        cells = [c for m in self.modules for c in m.cells]
        return {
            "modules": len(self.modules),
            "personas": len(self.personas),
            "blocked_cells": sum(1 for c in cells if c.status == BLOCKED),
            "warning_cells": sum(1 for c in cells if c.status == WARNING),
            "clear_cells": sum(1 for c in cells if c.status == CLEAR),
            "not_targeted_cells": sum(1 for c in cells if c.status == NOT_TARGETED),
            "stranded_personas": len(self.stranded),
            "missing_competencies": sum(len(s.missing) for s in self.stages),
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "report_version": REPORT_VERSION,
            "tool": {"name": "modlint", "version": self.version},
            "totals": self.totals,
            "personas": [{"id": p.id, "label": p.label, "title": p.title, "stage": p.stage} for p in self.personas],
            "modules": [m.to_dict() for m in self.modules],
            "barriers": [b.to_dict() for b in self.barriers],
            "top_barriers": [h.to_dict() for h in self.top_barriers],
            "coverage": {
                "stages": [s.to_dict() for s in self.stages],
                "personas": [a.to_dict() for a in self.access],
                "stranded": [a.persona.id for a in self.stranded],
                "unknown_competencies": self.unknown_competencies,
            },
            "other_findings": [f.to_dict() for f in self.other_findings],
        }


def _finding_ref(f: Finding) -> dict[str, Any]:
    return {"rule": f.rule_id, "alias": f.alias, "severity": str(f.severity), "line": f.line, "column": f.column, "message": f.message}


def _stages(value: Any) -> list[int]:
    items = value if isinstance(value, list) else [value]
    return sorted({int(s) for s in items if isinstance(s, int) and not isinstance(s, bool)})


def _column(p: "Persona") -> PersonaColumn:
    return PersonaColumn(p.id, p.id.upper(), p.title, p.stage)


def analyse(
    results: "Iterable[FileResult]",
    registry: "PersonaRegistry",
    catalogue: "Catalogue",
    extra: Iterable[Finding] = (),
    version: str = "",
) -> GapReport:
    """Build the gap report from checked files and findings outside them
    (collection rules, plugin load errors). Suppressed findings are left out."""
    results = list(results)
    personas = [_column(p) for p in registry.all()]
    by_path: dict[str, list[Finding]] = {r.path: [f for f in r.findings if f.suppressed is None] for r in results}
    other: list[Finding] = []
    for f in extra:
        if f.suppressed is not None:
            continue
        if f.path in by_path:
            by_path[f.path].append(f)
        else:
            other.append(f)

    rows: list[ModuleRow] = []
    used_anchors: set[str] = set()
    for result in sorted(results, key=lambda r: r.path):
        info = result.info
        findings = sorted(by_path[result.path], key=Finding.sort_key)
        targets = set(info.targets) if info is not None else set()
        fm_id = info.fm("id") if info is not None else None
        fm_title = info.fm("title") if info is not None else None
        comps = info.fm("competencies") if info is not None else None
        anchor = base = "m-" + _slug(str(fm_id) if isinstance(fm_id, str) and fm_id else result.path)
        n = 2
        while anchor in used_anchors:
            anchor, n = f"{base}-{n}", n + 1
        used_anchors.add(anchor)
        cells = {p.id: Cell(p.id, p.id in targets, anchor=f"{anchor}-{p.id}") for p in personas}
        general: list[Finding] = []
        for f in findings:
            ids = [p.id for p in f.personas]
            if not ids:
                general.append(f)
                continue
            for pid in ids:
                cell = cells.get(pid)
                if cell is None:  # a persona the registry does not know: should not happen
                    continue
                {Severity.ERROR: cell.errors, Severity.WARNING: cell.warnings}.get(f.severity, cell.infos).append(f)
        rows.append(
            ModuleRow(
                path=result.path,
                id=str(fm_id) if fm_id is not None else "",
                title=str(fm_title) if isinstance(fm_title, str) and fm_title.strip() else result.path,
                anchor=anchor,
                stages=_stages(info.fm("stage")) if info is not None else [],
                targets=[p.id for p in personas if p.id in targets],
                competencies=[str(c) for c in comps] if isinstance(comps, list) else [],
                cells=[cells[p.id] for p in personas],
                general=general,
                findings=findings,
                parsed=info is not None,
            )
        )

    barriers, top = _barrier_view(rows, personas, registry, catalogue)
    stages, unknown = _coverage(rows, registry)
    access = _access(rows, personas, registry)
    return GapReport(personas, rows, barriers, top, stages, access, unknown, sorted(other, key=Finding.sort_key), version)


def _barrier_view(rows: list[ModuleRow], personas: list[PersonaColumn], registry: "PersonaRegistry", catalogue: "Catalogue") -> tuple[list[PersonaBarriers], list[BarrierHit]]:
    hits: dict[str, BarrierHit] = {}
    for row in rows:
        for f in row.findings:
            if f.severity < Severity.WARNING or not f.personas:
                continue
            meta = catalogue.get(f.rule_id)
            if meta is None:
                continue
            for ref in f.personas:
                for bid in meta.barriers:
                    if bid.split(".", 1)[0] != ref.id:
                        continue
                    known = registry.barriers.get(bid)
                    hit = hits.get(bid)
                    if hit is None:
                        text, section = (known[1].text, known[1].section) if known else (bid, "")
                        hit = hits[bid] = BarrierHit(bid, ref.id, text, section)
                    if f.severity == Severity.ERROR:
                        hit.errors += 1
                    else:
                        hit.warnings += 1
                    hit.modules.add(row.path)
                    hit.rules.add(f.rule_id)

    def order(h: BarrierHit) -> tuple[int, int, int, str]:
        return (-h.errors, -h.warnings, -len(h.modules), h.id)

    out = []
    for col in personas:
        persona = registry.get(col.id)
        mine = sorted((h for h in hits.values() if h.persona == col.id), key=order)
        out.append(PersonaBarriers(col, mine, len(persona.barriers) if persona else 0))
    return out, sorted(hits.values(), key=order)[:10]


def _coverage(rows: list[ModuleRow], registry: "PersonaRegistry") -> tuple[list[StageCoverage], dict[str, list[str]]]:
    # (stage, key) -> module paths; a "(Stage N)" suffix on a module's competency pins it to stage N
    addressed: dict[tuple[int, str], list[str]] = {}
    for row in rows:
        for comp in row.competencies:
            m = _STAGE_SUFFIX.search(comp)
            stages = [int(m.group(1))] if m else row.stages
            for stage in stages:
                addressed.setdefault((stage, competency_key(comp)), []).append(row.path)
    known_keys = {competency_key(c) for c in registry.competencies()}
    unknown: dict[str, list[str]] = {}
    for row in rows:
        names = [c for c in row.competencies if competency_key(c) not in known_keys]
        if names:
            unknown[row.path] = names
    stages = []
    for number in sorted(registry.framework):
        entry = registry.framework[number]
        comps = [Competency(c, sorted(set(addressed.get((number, competency_key(c)), [])))) for c in entry["competencies"]]
        stages.append(StageCoverage(number, entry.get("name") or "", comps, [r.path for r in rows if number in r.stages]))
    return stages, unknown


def _access(rows: list[ModuleRow], personas: list[PersonaColumn], registry: "PersonaRegistry") -> list[PersonaAccess]:
    out = []
    for i, col in enumerate(personas):
        targeted = [r for r in rows if r.cells[i].targeted]
        takeable = [r for r in targeted if not r.cells[i].errors and not r.general_errors]
        persona = registry.get(col.id)
        listed = {competency_key(c) for r in targeted for c in r.competencies}
        missing = [c for c in (persona.target_competencies if persona else ()) if competency_key(c) not in listed]
        out.append(PersonaAccess(col, [r.path for r in targeted], [r.path for r in takeable], missing))
    return out
