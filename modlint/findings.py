"""Result objects: findings and fixes, kept apart from the reporters that print them."""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable


class Severity(enum.IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, text: str) -> "Severity":
        return cls[text.strip().upper()]

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``text[start:end]`` (offsets into the decoded file text) with ``replacement``."""

    start: int
    end: int
    replacement: str

    def __reduce__(self) -> tuple[Any, ...]:
        return (Edit, (self.start, self.end, self.replacement))


def _edits_lost() -> None:
    """Stands in for the edits of a lazy fix sent to another process unresolved."""
    return None


class Fix:
    """A change that resolves a finding: ``edits`` to the decoded file text.

    A fix may be lazy (:meth:`lazy`): its edits are worked out the first time they
    are asked for. A front matter fix costs a ruamel.yaml round trip, more than all
    the rules together spend on a module, and a plain ``check`` never applies one;
    ``--fix``, ``--diff``, JSON output and the editor ask for the edits. A lazy fix
    whose edits come out empty could not be placed after all.
    """

    __slots__ = ("description", "safe", "_edits", "_make")

    def __init__(self, description: str, edits: tuple[Edit, ...] = (), safe: bool = True) -> None:
        self.description = description
        self.safe = safe
        self._edits = edits
        self._make: Callable[[], Iterable[Edit] | None] | None = None

    @classmethod
    def lazy(cls, description: str, make: Callable[[], Iterable[Edit] | None], safe: bool = True) -> "Fix":
        fix = cls(description, (), safe)
        fix._make = make
        return fix

    @property
    def resolved(self) -> bool:
        """Whether the edits are known (always, for a fix that is not lazy)."""
        return self._make is None

    @property
    def edits(self) -> tuple[Edit, ...]:
        if self._make is not None:
            make, self._make = self._make, None
            try:
                made = tuple(make() or ())
            except Exception:  # a fix that cannot be worked out is no fix; the finding stands
                made = ()
            self._edits = made if all(isinstance(e, Edit) for e in made) else ()
        return self._edits

    def detached(self) -> "Fix":
        """This fix without its maker (and so without the parsed module it holds), as
        it would arrive in another process: for results kept after the module is done."""
        return self if self._make is None else _unresolved_fix(self.description, self.safe)

    def __reduce__(self) -> tuple[Any, ...]:
        # The maker holds the parsed module: it stays in this process. Edits asked
        # for later, elsewhere, come out empty; the runner resolves fixes first
        # whenever its output needs them.
        if self._make is None:
            return (Fix, (self.description, self._edits, self.safe))
        return (_unresolved_fix, (self.description, self.safe))

    def _key(self) -> tuple[str, tuple[Edit, ...], bool]:
        return (self.description, self.edits, self.safe)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Fix) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        edits = repr(self._edits) if self._make is None else "<lazy>"
        return f"Fix(description={self.description!r}, edits={edits}, safe={self.safe!r})"


def _unresolved_fix(description: str, safe: bool) -> Fix:
    return Fix.lazy(description, _edits_lost, safe)


@dataclass(frozen=True, slots=True)
class PersonaRef:
    """A persona a finding affects, as the finding names it."""

    id: str
    title: str

    def label(self) -> str:
        return f"{self.id.upper()} {self.title}"

    def __reduce__(self) -> tuple[Any, ...]:
        return (PersonaRef, (self.id, self.title))


@dataclass(frozen=True, slots=True)
class Suppression:
    """Why a finding is not reported: an inline directive or the baseline."""

    kind: str  # "inline" or "baseline"
    justification: str = ""

    def __reduce__(self) -> tuple[Any, ...]:
        return (Suppression, (self.kind, self.justification))


@dataclass(slots=True)
class Finding:
    """One problem a rule found: where it is, who it affects, how to fix it."""

    rule_id: str
    alias: str
    family: str
    severity: Severity
    message: str
    path: str
    line: int
    column: int = 1
    end_line: int | None = None
    end_column: int | None = None
    personas: tuple[PersonaRef, ...] = ()
    fix: Fix | None = None
    snippet: str = ""
    segment: str = ""
    suppressed: Suppression | None = field(default=None)

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.rule_id)

    def __reduce__(self) -> tuple[Any, ...]:
        # Results cross from the pool's workers in bulk: the constructor takes a tuple of
        # fields far faster than a slotted dataclass's default unpickling, which looks up
        # its fields anew for every object.
        return (Finding, (
            self.rule_id, self.alias, self.family, self.severity, self.message, self.path, self.line, self.column,
            self.end_line, self.end_column, self.personas, self.fix, self.snippet, self.segment, self.suppressed,
        ))

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "rule": self.rule_id,
            "alias": self.alias,
            "family": self.family,
            "severity": str(self.severity),
            "message": self.message,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "personas": [{"id": p.id, "title": p.title} for p in self.personas],
            "fix": None,
        }
        if self.fix is not None:
            out["fix"] = {
                "description": self.fix.description,
                "safe": self.fix.safe,
                "edits": [{"start": e.start, "end": e.end, "replacement": e.replacement} for e in self.fix.edits],
            }
        if self.suppressed is not None:
            out["suppressed"] = {"kind": self.suppressed.kind, "justification": self.suppressed.justification}
        return out


def finding_from_dict(data: dict[str, object]) -> Finding:
    """Rebuild a finding from :meth:`Finding.to_dict` (the cache stores that form)."""
    fix = None
    raw_fix = data.get("fix")
    if isinstance(raw_fix, dict):
        fix = Fix(
            str(raw_fix["description"]),
            tuple(Edit(int(e["start"]), int(e["end"]), str(e["replacement"])) for e in raw_fix["edits"]),  # type: ignore[index, union-attr]
            bool(raw_fix["safe"]),
        )
    suppressed = None
    raw_sup = data.get("suppressed")
    if isinstance(raw_sup, dict):
        suppressed = Suppression(str(raw_sup["kind"]), str(raw_sup.get("justification", "")))
    return Finding(
        rule_id=str(data["rule"]),
        alias=str(data["alias"]),
        family=str(data["family"]),
        severity=Severity.parse(str(data["severity"])),
        message=str(data["message"]),
        path=str(data["path"]),
        line=int(data["line"]),  # type: ignore[arg-type]
        column=int(data["column"]),  # type: ignore[arg-type]
        end_line=data.get("end_line"),  # type: ignore[arg-type]
        end_column=data.get("end_column"),  # type: ignore[arg-type]
        personas=tuple(PersonaRef(str(p["id"]), str(p["title"])) for p in data.get("personas", [])),  # type: ignore[index, union-attr]
        fix=fix,
        snippet=str(data.get("snippet", "")),
        segment=str(data.get("segment", "")),
        suppressed=suppressed,
    )
