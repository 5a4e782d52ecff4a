"""Personas as data: the registry, and what a module's target personas need.

Rules never name a persona. They ask the :class:`Audience` of a module (its
target personas) for figures such as the smallest weekly budget, or for the
personas with an access need such as ``working-hours-only``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from modlint import _regex, schemas
from modlint._paths import data_dir
from modlint.findings import PersonaRef
from modlint.yamlio import DataError, key_position, load_yaml_file

_STAGE_SUFFIX = _regex.compile(r"\s*\(Stage \d\)\s*$", re.I)


@dataclass(slots=True)
class Barrier:
    """One barrier of a persona, in the seed's own wording."""

    id: str
    section: str
    text: str
    tags: tuple[str, ...]


@dataclass(slots=True)
class Persona:
    """One learner persona, from personas/."""

    id: str
    number: int
    stage: int
    title: str
    summary: str
    min_hours: float
    max_hours: float
    time_seed: str
    constraints: tuple[str, ...]
    access_needs: tuple[str, ...]
    dimensions: tuple[str, ...]
    learning_preferences: tuple[str, ...]
    target_competencies: tuple[str, ...]
    barriers: tuple[Barrier, ...]
    sitting_minutes: float | None
    source: str
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def ref(self) -> PersonaRef:
        return PersonaRef(self.id, self.title)

    def has(self, tag: str) -> bool:
        return tag in self.access_needs or tag in self.constraints

    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str) -> "Persona":
        time = data["time"]
        return cls(
            id=data["id"],
            number=int(data["number"]),
            stage=int(data["stage"]),
            title=data["title"],
            summary=" ".join(str(data["summary"]).split()),
            min_hours=float(time["min_hours_per_week"]),
            max_hours=float(time["max_hours_per_week"]),
            time_seed=time["seed"],
            constraints=tuple(time.get("constraints", ())),
            access_needs=tuple(data.get("access_needs", ())),
            dimensions=tuple(data.get("dimensions", ())),
            learning_preferences=tuple(data.get("learning_preferences", ())),
            target_competencies=tuple(data.get("target_competencies", ())),
            barriers=tuple(Barrier(b["id"], b["section"], b["text"], tuple(b.get("tags", ()))) for b in data.get("barriers", ())),
            sitting_minutes=time.get("sitting_minutes"),
            source=source,
            raw=data,
        )


def load_persona_file(path: Path) -> Persona:
    data = load_yaml_file(path)
    errs = schemas.file_errors("persona", data, path)
    if errs:
        err = errs[0]
        line, col = key_position(path.read_text(encoding="utf-8"), list(err.absolute_path), value=err.validator not in ("required", "additionalProperties"))
        loc = ".".join(str(p) for p in err.absolute_path) or "the persona"
        raise DataError(path, f"persona is not valid at '{loc}': {err.message}", line, col)
    return Persona.from_dict(data, str(path))


class PersonaRegistry:
    def __init__(self) -> None:
        self.by_id: dict[str, Persona] = {}
        self.barriers: dict[str, tuple[Persona, Barrier]] = {}
        self.framework: dict[int, dict[str, Any]] = {}

    def add(self, persona: Persona) -> None:
        other = self.by_id.get(persona.id)
        if other is not None:
            raise DataError(persona.source, f"persona id '{persona.id}' is already defined in {other.source}; give one of them another id")
        self.by_id[persona.id] = persona
        for barrier in persona.barriers:
            self.barriers[barrier.id] = (persona, barrier)

    def load_dir(self, folder: Path) -> None:
        if not folder.is_dir():
            raise DataError(folder, "the persona folder does not exist")
        for path in sorted(folder.glob("*.yaml")):
            if path.name == "framework.yaml":
                self._load_framework(path)
                continue
            self.add(load_persona_file(path))

    def _load_framework(self, path: Path) -> None:
        data = load_yaml_file(path)
        errs = schemas.file_errors("framework", data, path)
        if errs:
            err = errs[0]
            line, col = key_position(path.read_text(encoding="utf-8"), list(err.absolute_path), value=err.validator not in ("required", "additionalProperties"))
            raise DataError(path, f"framework is not valid: {err.message}", line, col)
        for stage in data.get("stages", []):
            entry = self.framework.setdefault(int(stage["stage"]), {"stage": int(stage["stage"]), "name": "", "description": None, "competencies": []})
            entry["name"] = stage.get("name") or entry["name"]
            if stage.get("description"):
                entry["description"] = stage["description"]
            for comp in stage.get("competencies", []) or []:
                comp = _STAGE_SUFFIX.sub("", comp)
                if comp not in entry["competencies"]:
                    entry["competencies"].append(comp)

    def get(self, pid: str) -> Persona | None:
        return self.by_id.get(str(pid).lower())

    def of_stages(self, stages: Iterable[int]) -> list[Persona]:
        wanted = set(stages)
        return [p for p in self.all() if p.stage in wanted]

    def all(self) -> list[Persona]:
        return sorted(self.by_id.values(), key=lambda p: (p.stage, p.number, p.id))

    def competencies(self) -> dict[str, set[int]]:
        """Every competency name the framework or a persona knows, with its stages."""
        out: dict[str, set[int]] = {}
        for stage, entry in self.framework.items():
            for comp in entry["competencies"]:
                out.setdefault(comp, set()).add(stage)
        for persona in self.by_id.values():
            for comp in persona.target_competencies:
                out.setdefault(comp, set()).add(persona.stage)
        return out


def builtin_registry(extra_dirs: Iterable[Path] = ()) -> PersonaRegistry:
    reg = PersonaRegistry()
    reg.load_dir(data_dir("personas"))
    for folder in extra_dirs:
        reg.load_dir(folder)
    return reg


# No persona document states a sitting in minutes; the pause-able content issue (#5) sets
# 15 minutes as the stretch for learners who need bite-sized or pause-able learning.
PAUSEABLE_STRETCH_MINUTES = 15.0


def _stretch(persona: Persona) -> float | None:
    if persona.sitting_minutes:
        return float(persona.sitting_minutes)
    return PAUSEABLE_STRETCH_MINUTES if persona.has("pauseable") else None


@dataclass(slots=True)
class Audience:
    """A module's target personas and the figures rules derive from them."""

    personas: list[Persona]
    # Every rule asks this of every module, most with the same few tags.
    _needing: dict[tuple[str, ...], list[Persona]] = field(default_factory=dict, repr=False, compare=False)

    def needing(self, *tags: str) -> list[Persona]:
        found = self._needing.get(tags)
        if found is None:
            found = self._needing[tags] = [p for p in self.personas if any(p.has(t) for t in tags)]
        return list(found)

    def with_dimension(self, dim: str) -> list[Persona]:
        return [p for p in self.personas if dim in p.dimensions]

    @property
    def min_weekly_hours(self) -> float | None:
        return min((p.min_hours for p in self.personas), default=None)

    @property
    def shortest_sitting(self) -> float | None:
        """Longest sitting the most time-pressed persona can give, in minutes, where the data says."""
        return min((p.sitting_minutes for p in self.personas if p.sitting_minutes), default=None)

    @property
    def longest_stretch(self) -> float | None:
        """The longest stretch, in minutes, every target persona can give without a stopping
        point: a persona's own ``sitting_minutes`` where the data states one, otherwise
        :data:`PAUSEABLE_STRETCH_MINUTES` for a persona who needs pause-able learning.
        None when no target persona is bound by either.

        TIME004 (sittings) and PAUSE001 (sections) both read this one figure, so for the
        same audience they never disagree about how long a learner can keep going.
        """
        return min((s for p in self.personas if (s := _stretch(p)) is not None), default=None)

    def bound_by_stretch(self, minutes: float) -> list[Persona]:
        """Target personas whose longest stretch is shorter than ``minutes``."""
        return [p for p in self.personas if (s := _stretch(p)) is not None and s < minutes]

    def dimensions(self) -> set[str]:
        out: set[str] = set()
        for p in self.personas:
            out.update(p.dimensions)
        return out
