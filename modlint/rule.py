"""How a rule is written: a function decorated with :func:`rule`, given the parsed
module and a :class:`RuleContext`, yielding findings made with ``ctx.report``."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterable

from modlint.findings import Finding, Fix, PersonaRef, Severity

if TYPE_CHECKING:
    from modlint.catalogue import RuleMeta
    from modlint.model import Module, ModuleInfo
    from modlint.personas import Audience, Persona, PersonaRegistry

CheckFn = Callable[["Module", "RuleContext"], Iterable[Finding]]
CollectionFn = Callable[[list["ModuleInfo"], "CollectionContext"], Iterable[Finding]]


@dataclass(slots=True)
class Rule:
    """A rule's code: a per-file check, a collection check, or both."""

    id: str
    check: CheckFn | None = None
    collect: CollectionFn | None = None
    plugin: str = ""

    @property
    def name(self) -> str:
        fn = self.check or self.collect
        return getattr(fn, "__qualname__", self.id)


def rule(rule_id: str) -> Callable[[CheckFn], Rule]:
    """Mark a function as the implementation of rule ``rule_id`` (one module at a time)."""

    def wrap(fn: CheckFn) -> Rule:
        return Rule(id=rule_id, check=fn)

    return wrap


def collection_rule(rule_id: str) -> Callable[[CollectionFn], Rule]:
    """Mark a function as a check across all modules of a run (e.g. duplicate ids)."""

    def wrap(fn: CollectionFn) -> Rule:
        return Rule(id=rule_id, collect=fn)

    return wrap


class RuleContext:
    """What a rule may read (parameters, audience) and the one way it reports."""

    def __init__(
        self,
        meta: "RuleMeta",
        module: "Module",
        params: dict[str, Any],
        audience: "Audience",
        registry: "PersonaRegistry",
        severity: Severity,
    ) -> None:
        self.meta = meta
        self.module = module
        self.params = params
        self.audience = audience
        self.registry = registry
        self.severity = severity
        self._affected: list["Persona"] | None = None

    @property
    def affected(self) -> list["Persona"]:
        """The target personas whose barriers this rule cites: who a finding shuts out.
        Worked out on the first report; most rules report nothing on most modules."""
        if self._affected is None:
            cited = {b.split(".", 1)[0] for b in self.meta.barriers}
            meta = self.meta
            pool = self.audience.needing(*meta.needs) if meta.needs else self.audience.personas
            self._affected = [p for p in pool if p.id in cited]
        return self._affected

    def param(self, name: str, derived: Any = None) -> Any:
        """A parameter: configuration first, then ``derived`` (from the personas), then the default."""
        if name in self.params.get("__configured__", ()):
            return self.params[name]
        if derived is not None:
            return derived
        return self.params.get(name)

    def report(
        self,
        message: str,
        line: int,
        column: int = 1,
        end_line: int | None = None,
        end_column: int | None = None,
        *,
        personas: "Iterable[Persona] | None" = None,
        fix: Fix | None = None,
        snippet: str = "",
        severity: Severity | None = None,
    ) -> Finding:
        """Make a finding of this rule. ``personas`` narrows who it affects; only
        target personas whose barriers the rule cites are ever listed."""
        chosen = self.affected
        if personas is not None:
            ids = {p.id for p in personas}
            chosen = [p for p in self.affected if p.id in ids]
        seg = self.module.segment_at(line) if self.module.segments and line >= self.module.body_line else None
        return Finding(
            rule_id=self.meta.id,
            alias=self.meta.alias,
            family=self.meta.family,
            severity=severity or self.severity,
            message=message,
            path=self.module.path,
            line=max(1, int(line)),
            column=max(1, int(column)),
            end_line=end_line,
            end_column=end_column,
            personas=tuple(PersonaRef(p.id, p.title) for p in chosen),
            fix=fix,
            snippet=snippet,
            segment=(seg.title or "") if seg else "",
        )


class CollectionContext:
    """What a collection rule gets: its metadata and a report function per module."""

    def __init__(self, meta: "RuleMeta", severity: Severity, params: dict[str, Any], context: "list[ModuleInfo] | None" = None) -> None:
        self.meta = meta
        self.severity = severity
        self.params = params
        # Modules outside this run (pre-commit passes only the changed files): read, never reported on.
        self.context = context or []

    def report(self, module: "ModuleInfo", message: str, line: int, column: int = 1, *, snippet: str = "") -> Finding:
        return Finding(
            rule_id=self.meta.id,
            alias=self.meta.alias,
            family=self.meta.family,
            severity=self.severity,
            message=message,
            path=module.path,
            line=line,
            column=column,
            snippet=snippet,
        )
