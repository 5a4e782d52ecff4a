"""The rule catalogue: metadata for every rule, read from YAML, one source for all.

The CLI's ``rules`` and ``explain``, the generated docs, SARIF rule descriptors and
the language server's hover all read :class:`RuleMeta` from here.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from modlint import schemas
from modlint._paths import data_dir
from modlint.findings import Severity
from modlint.yamlio import DataError, key_position, load_yaml_file

if TYPE_CHECKING:
    from modlint.personas import PersonaRegistry

FAMILIES = ("module", "time", "pause", "access", "power", "coverage", "custom")


@dataclass(slots=True)
class RuleMeta:
    """One rule's metadata from the catalogue: what the CLI, docs, SARIF and editor hover show."""

    id: str
    alias: str
    family: str
    severity: Severity
    summary: str
    rationale: str
    barriers: tuple[str, ...]
    standards: tuple[str, ...]
    parameters: dict[str, dict[str, Any]]
    examples: dict[str, str]
    needs: tuple[str, ...] = ()
    seed_passages: tuple[str, ...] = ()
    fix: str = "none"
    kind: str = "python"
    quoted: str = "skip"
    phrases: tuple[dict[str, Any], ...] = ()
    message: str = ""
    needs_review: bool = False
    source: str = ""
    plugin: str = "builtin"
    # Where the rule sits in a file that holds a list of rules (None: the file is one rule).
    list_index: int | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str, plugin: str = "builtin") -> "RuleMeta":
        return cls(
            id=data["id"],
            alias=data["alias"],
            family=data["family"],
            severity=Severity.parse(data["severity"]),
            summary=data["summary"].strip(),
            rationale=" ".join(data["rationale"].split()),
            barriers=tuple(data.get("barriers", ())),
            standards=tuple(data.get("standards", ())),
            parameters=dict(data.get("parameters", {}) or {}),
            examples=dict(data["examples"]),
            needs=tuple(data.get("needs", ())),
            seed_passages=tuple(data.get("seed_passages", ())),
            fix=data.get("fix", "none"),
            kind=data.get("kind", "python"),
            quoted=data.get("quoted", "skip"),
            phrases=tuple(data.get("phrases", ())),
            message=data.get("message", ""),
            needs_review=bool(data.get("needs_review", False)),
            source=source,
            plugin=plugin,
            raw=data,
        )

    def defaults(self) -> dict[str, Any]:
        return {name: spec["default"] for name, spec in self.parameters.items()}

    def cited_barriers(self) -> list[tuple[list[Any], str]]:
        """Every barrier id the rule cites, with where it is written in the rule's YAML:
        the rule's own ``barriers`` and those of each phrase entry."""
        found: list[tuple[list[Any], str]] = [(["barriers", i], bid) for i, bid in enumerate(self.barriers)]
        for index, entry in enumerate(self.phrases):
            cited = entry.get("barriers") if isinstance(entry, dict) else None
            if isinstance(cited, list):
                found.extend((["phrases", index, "barriers", i], str(bid)) for i, bid in enumerate(cited))
        return found

    def unknown_barriers(self, registry: "PersonaRegistry") -> list[tuple[list[Any], str]]:
        """The cited barrier ids no persona has (a typo, or a persona folder not configured)."""
        return [(where, bid) for where, bid in self.cited_barriers() if bid not in registry.barriers]

    def position(self, where: list[Any], value: bool = True) -> tuple[int, int]:
        """Line and column of a key path of this rule inside its YAML file; 1:1 when the
        rule did not come from a file (a plugin's dict)."""
        path = [self.list_index, *where] if self.list_index is not None else list(where)
        try:
            text = Path(self.source).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError, ValueError):
            return 1, 1
        return key_position(text, path, value=value)

    @property
    def sarif_tags(self) -> list[str]:
        """axe-core style tags: ``wcag111`` for WCAG 1.1.1, ``udl8.4`` and the family."""
        tags = [self.family]
        for std in self.standards:
            if std.startswith("wcag-"):
                tags.append("wcag" + std[5:].replace(".", ""))
            else:
                tags.append(std)
        return tags


def load_rule_file(path: Path, plugin: str = "builtin") -> list[RuleMeta]:
    """Load one YAML file holding a rule (a mapping) or several (a list)."""
    data = load_yaml_file(path)
    items = data if isinstance(data, list) else [data]
    out = []
    text = None
    for index, item in enumerate(items):
        errs = schemas.errors("rule", item) if isinstance(data, list) else schemas.file_errors("rule", item, path)
        if errs:
            err = errs[0]
            where = list(err.absolute_path)
            if isinstance(data, list):
                where = [index, *where]
            text = text if text is not None else path.read_text(encoding="utf-8")
            line, col = key_position(text, where, value=err.validator not in ("required", "additionalProperties"))
            loc = ".".join(str(p) for p in err.absolute_path) or "the rule"
            raise DataError(path, f"rule metadata is not valid at '{loc}': {err.message}", line, col)
        meta = RuleMeta.from_dict(item, str(path), plugin)
        meta.list_index = index if isinstance(data, list) else None
        out.append(meta)
    return out


def load_rule_dir(folder: Path, plugin: str = "builtin") -> list[RuleMeta]:
    metas: list[RuleMeta] = []
    for path in sorted(folder.rglob("*.yaml")):
        metas.extend(load_rule_file(path, plugin))
    return metas


def builtin_rule_dir() -> Path:
    return data_dir("rules")


class Catalogue:
    """Every known rule by id and alias."""

    def __init__(self, metas: list[RuleMeta]) -> None:
        self.by_id: dict[str, RuleMeta] = {}
        self.by_alias: dict[str, RuleMeta] = {}
        for meta in metas:
            other = self.by_id.get(meta.id) or self.by_alias.get(meta.alias)
            if other is not None:
                raise DataError(meta.source, f"rule {meta.id} ({meta.alias}) clashes with {other.id} ({other.alias}) from {other.source}")
            self.by_id[meta.id] = meta
            self.by_alias[meta.alias] = meta

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(sorted(self.by_id.values(), key=lambda m: (FAMILIES.index(m.family) if m.family in FAMILIES else 99, m.id)))

    def __len__(self) -> int:
        return len(self.by_id)

    def get(self, key: str) -> RuleMeta | None:
        return self.by_id.get(key.upper()) or self.by_alias.get(key.lower())

    def knows(self, selector: str) -> bool:
        """Whether a selector (id, alias, family, ALL or id prefix) names at least one rule."""
        return bool(self.expand(selector))

    def suggestion(self, selector: str) -> str | None:
        """The known selector closest to a misspelt one, for a did-you-mean."""
        from difflib import get_close_matches  # only a misspelt selector needs it

        names: dict[str, str] = {"all": "ALL"}
        names.update({f: f for f in FAMILIES if any(m.family == f for m in self.by_id.values())})
        names.update({rid.lower(): rid for rid in self.by_id})
        names.update({alias: alias for alias in self.by_alias})
        close = get_close_matches(selector.strip().lower(), list(names), n=1, cutoff=0.75)
        return names[close[0]] if close else None

    def expand(self, selector: str) -> set[str]:
        """Rule ids named by an id, an alias, a family, ``ALL`` or an id prefix like ``TIME``."""
        key = selector.strip()
        if key.upper() == "ALL":
            return set(self.by_id)
        meta = self.get(key)
        if meta is not None:
            return {meta.id}
        if key.lower() in FAMILIES:
            return {m.id for m in self.by_id.values() if m.family == key.lower()}
        prefix = key.upper()
        return {rid for rid in self.by_id if rid.startswith(prefix)} if prefix.isalpha() or prefix.isalnum() else set()
