"""Result objects: findings and fixes, kept apart from the reporters that print them."""
from __future__ import annotations

import enum
from dataclasses import dataclass, field


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


@dataclass(frozen=True, slots=True)
class Fix:
    description: str
    edits: tuple[Edit, ...]
    safe: bool = True


@dataclass(frozen=True, slots=True)
class PersonaRef:
    id: str
    title: str

    def label(self) -> str:
        return f"{self.id.upper()} {self.title}"


@dataclass(frozen=True, slots=True)
class Suppression:
    kind: str  # "inline" or "baseline"
    justification: str = ""


@dataclass(slots=True)
class Finding:
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
