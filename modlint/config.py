"""Configuration: defaults, then the nearest config file, then the command line.

A config file is ``.modlint.yaml`` (or ``.modlint.yml``) or a ``[tool.modlint]``
table in ``pyproject.toml``, found upward from each checked file.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from modlint import schemas
from modlint.yamlio import DataError, key_position, load_yaml_text

if TYPE_CHECKING:
    from modlint.catalogue import Catalogue, RuleMeta

CONFIG_NAMES = (".modlint.yaml", ".modlint.yml", "pyproject.toml")
DEFAULT_MAX_BYTES = 5 * 1024 * 1024


@dataclass(slots=True)
class Config:
    """Configuration in effect for a file: defaults, then the config file, then the command line."""

    path: Path | None = None
    root: Path = field(default_factory=Path.cwd)
    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    severity: dict[str, str] = field(default_factory=dict)
    per_file_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict)
    exclude: tuple[str, ...] = ()
    extra_personas: tuple[Path, ...] = ()
    extra_rules: tuple[Path, ...] = ()
    parameters: dict[str, dict[str, Any]] = field(default_factory=dict)
    fail_on: str = "error"
    max_file_size: int = DEFAULT_MAX_BYTES
    cache: bool = True

    def fingerprint(self) -> str:
        """A stable text of every setting, for cache keys."""
        return repr(
            (
                self.select, self.ignore, sorted(self.severity.items()), sorted(self.per_file_ignores.items()),
                self.exclude, self.extra_personas, self.extra_rules, repr(sorted(self.parameters.items())),
                self.fail_on, self.max_file_size,
            )
        )


def _from_mapping(data: Any, path: Path, text: str, key_prefix: list[str]) -> Config:
    if data is None:
        data = {}
    errs = schemas.errors("config", data)
    if errs:
        err = errs[0]
        where = list(err.absolute_path)
        if not where and err.validator == "additionalProperties":
            extra = sorted(set(data) - set(schemas.schema("config")["properties"]))
            where = extra[:1]
            from difflib import get_close_matches

            close = get_close_matches(extra[0], schemas.schema("config")["properties"], n=1) if extra else []
            hint = f" Did you mean '{close[0]}'?" if close else ""
            message = f"'{extra[0]}' is not a modlint setting.{hint}" if extra else err.message
        else:
            message = f"'{'.'.join(map(str, where)) or 'config'}': {err.message}"
        line, col = (1, 1)
        if path.suffix in (".yaml", ".yml"):
            line, col = key_position(text, where, value=err.validator != "additionalProperties")
        else:
            line, col = _toml_position(text, where)
        raise DataError(path, message, line, col)
    base = path.parent
    return Config(
        path=path,
        root=base,
        select=tuple(data.get("select", ("ALL",))),
        ignore=tuple(data.get("ignore", ())),
        severity=dict(data.get("severity", {})),
        per_file_ignores={k: tuple(v) for k, v in data.get("per-file-ignores", {}).items()},
        exclude=tuple(data.get("exclude", ())),
        extra_personas=tuple((base / p).resolve() for p in data.get("extra-personas", ())),
        extra_rules=tuple((base / p).resolve() for p in data.get("extra-rules", ())),
        parameters={k: dict(v) for k, v in data.get("parameters", {}).items()},
        fail_on=data.get("fail-on", "error"),
        max_file_size=int(data.get("max-file-size", DEFAULT_MAX_BYTES)),
        cache=bool(data.get("cache", True)),
    )


def _toml_key_at(line: str, key: str) -> int:
    """Column (0-based) where ``key = `` starts on a TOML line, or -1."""
    m = re.search(r'(?:^|[\s{,])(["\']?)' + re.escape(key) + r'\1\s*=', line)
    return -1 if m is None else m.start() + (0 if line[m.start()] not in " \t{," else 1)


def _toml_position(text: str, where: list[Any], needle: str | None = None) -> tuple[int, int]:
    """Best-effort line and column of a key path of ``[tool.modlint]`` (and, with
    ``needle``, of that quoted value after it) in pyproject.toml text."""
    lines = text.splitlines()
    start = next((i for i, ln in enumerate(lines) if ln.strip().startswith("[tool.modlint")), 0)
    line_no, col = start, 0
    keys = [str(part) for part in where if not isinstance(part, int)]
    for depth, key in enumerate(keys):
        header = "[tool.modlint." + ".".join(keys[: depth + 1]) + "]"
        for i in range(line_no, len(lines)):
            if lines[i].strip().replace('"', "") == header:
                line_no, col = i, lines[i].index("[")
                break
            at = _toml_key_at(lines[i], key)
            if at >= 0:
                line_no, col = i, at
                break
    if needle is not None:
        for i in range(line_no, len(lines)):
            found = max(lines[i].find(f'"{needle}"', col if i == line_no else 0), lines[i].find(f"'{needle}'", col if i == line_no else 0))
            if found >= 0:
                return i + 1, found + 1
    return line_no + 1, col + 1


def load_config_file(path: Path) -> Config | None:
    """Load one config file; ``None`` for a pyproject.toml with no ``[tool.modlint]``."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(path, f"cannot read the configuration: {exc}") from None
    if path.name == "pyproject.toml":
        try:  # imported here: most runs read .modlint.yaml or no config at all
            import tomllib
        except ImportError:  # Python 3.10
            import tomli as tomllib  # type: ignore[no-redef]
        try:
            doc = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise DataError(path, f"not valid TOML: {exc}", getattr(exc, "lineno", 1) or 1, getattr(exc, "colno", 1) or 1) from None
        section = doc.get("tool", {}).get("modlint")
        if section is None:
            return None
        return _from_mapping(section, path, text, ["tool", "modlint"])
    return _from_mapping(load_yaml_text(text, path), path, text, [])


@lru_cache(maxsize=256)
def find_config(directory: Path) -> Config:
    """The configuration that applies to files in ``directory`` (nearest wins)."""
    for folder in (directory, *directory.parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if candidate.is_file():
                cfg = load_config_file(candidate)
                if cfg is not None:
                    return cfg
    return Config(root=directory)


def apply_overrides(cfg: Config, overrides: dict[str, Any]) -> Config:
    """Layer command-line settings over a file's configuration."""
    from dataclasses import replace

    changes = {k: v for k, v in overrides.items() if v is not None}
    if "extend_ignore" in changes:
        changes["ignore"] = tuple(cfg.ignore) + tuple(changes.pop("extend_ignore"))
    return replace(cfg, **changes) if changes else cfg


# -- rule names and parameters, checked against the loaded catalogue -----------------
#
# A misspelt rule id in 'select' or a parameter the rule does not have would otherwise
# be ignored in silence: the run passes and nobody learns that the setting did nothing.
# Plugins and extra-rules folders add rules, so this runs once the catalogue is built.

_CLOCK = re.compile(r"\s*([01]?\d|2[0-3])[:.]([0-5]\d)\s*")
_CLOCK_DEFAULT = re.compile(r"([01]\d|2[0-3]):[0-5]\d")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY_WORDS = frozenset(_WEEKDAYS) | {d + "s" for d in _WEEKDAYS} | {d[:3] for d in _WEEKDAYS} | {"tues", "thur", "thurs"}


@dataclass(frozen=True, slots=True)
class ValueKind:
    """What a parameter's value must be, inferred from its default when no type is declared."""

    one: str  # "a number"
    many: str  # "numbers", for lists and mappings of it
    accepts: Callable[[Any], bool] = field(compare=False)
    item: "ValueKind | None" = None  # what each item of a list, or value of a mapping, must be


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


ANY = ValueKind("any value", "values", lambda v: True)
BOOLEAN = ValueKind("true or false", "true or false values", lambda v: isinstance(v, bool))
NUMBER = ValueKind("a number", "numbers", _is_number)
INTEGER = ValueKind("a whole number", "whole numbers", lambda v: isinstance(v, int) and not isinstance(v, bool))
TEXT = ValueKind("text", "texts", lambda v: isinstance(v, str))
CLOCK = ValueKind('a time of day such as "09:00" (24-hour HH:MM, in quotes)', 'times of day such as "09:00"', lambda v: isinstance(v, str) and _CLOCK.fullmatch(v) is not None)
WEEKDAY = ValueKind("a day of the week such as Monday", "days of the week such as Monday", lambda v: isinstance(v, str) and v.strip().lower() in _DAY_WORDS)


def _list_of(item: ValueKind) -> ValueKind:
    return ValueKind(f"a list of {item.many}", f"lists of {item.many}", lambda v: isinstance(v, list) and all(item.accepts(x) for x in v), item)


def _mapping_of(item: ValueKind) -> ValueKind:
    return ValueKind(
        f"a mapping of names to {item.many}", f"mappings of names to {item.many}",
        lambda v: isinstance(v, dict) and all(isinstance(k, str) and item.accepts(x) for k, x in v.items()), item,
    )


def _first_bad_item(kind: ValueKind, value: Any) -> tuple[Any, Any] | None:
    """The index (or key) and value of the first item of a list or mapping that is not
    what the parameter's items must be, when the container itself is the right shape."""
    if kind.item is None:
        return None
    if isinstance(value, list) and kind.one.startswith("a list"):
        pairs = list(enumerate(value))
    elif isinstance(value, dict) and kind.one.startswith("a mapping"):
        pairs = list(value.items())
    else:
        return None
    return next(((k, v) for k, v in pairs if not kind.item.accepts(v)), None)


def _common_kind(values: list[Any]) -> ValueKind:
    kinds = {kind_of(v) for v in values}
    return kinds.pop() if len(kinds) == 1 else ANY


def kind_of(default: Any) -> ValueKind:
    """The kind of value a parameter takes, read from its default: a number, text, a time
    of day like "09:00", a day of the week, or lists and mappings of them."""
    if isinstance(default, bool):
        return BOOLEAN
    if _is_number(default):
        return NUMBER
    if isinstance(default, str):
        if _CLOCK_DEFAULT.fullmatch(default):
            return CLOCK
        return WEEKDAY if default.strip().lower() in _WEEKDAYS else TEXT
    if isinstance(default, list):
        return _list_of(_common_kind(default)) if default else _list_of(ANY)
    if isinstance(default, dict):
        return _mapping_of(_common_kind(list(default.values()))) if default else _mapping_of(ANY)
    return ANY


_DECLARED = {
    "boolean": BOOLEAN, "number": NUMBER, "integer": INTEGER, "string": TEXT, "time": CLOCK, "weekday": WEEKDAY,
    "array": _list_of(ANY), "object": _mapping_of(ANY),
}


def parameter_kind(spec: dict[str, Any]) -> ValueKind:
    """A parameter's declared ``type`` if it has one, else the kind of its default."""
    declared = spec.get("type")
    if isinstance(declared, str) and declared in _DECLARED:
        return _DECLARED[declared]
    return kind_of(spec.get("default"))


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return f"'{value}'"
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def _did_you_mean(close: str | None) -> str:
    return f" Did you mean '{close}'?" if close else ""


@dataclass(frozen=True, slots=True)
class _Problem:
    """One thing wrong in a configuration file, with where to point at it."""

    where: tuple[Any, ...]
    message: str
    at_value: bool = True
    needle: str | None = None  # the offending text, to find it in TOML


def _selector_problems(key: str, where: tuple[Any, ...], values: tuple[str, ...], catalogue: "Catalogue") -> list[_Problem]:
    out = []
    for index, selector in enumerate(values):
        if not catalogue.knows(selector):
            hint = _did_you_mean(catalogue.suggestion(selector))
            out.append(_Problem((*where, index), f"'{key}' names '{selector}', which is not a rule id, alias or family.{hint} See 'modlint rules' for the rules.", needle=selector))
    return out


def _severity_problems(cfg: Config, catalogue: "Catalogue") -> list[_Problem]:
    out = []
    for key in cfg.severity:
        if catalogue.get(key) is not None:
            continue
        if catalogue.knows(key):
            message = f"'severity' sets one rule at a time, but '{key}' names several. Name each rule by its id or alias."
        else:
            message = f"'severity' names '{key}', which is not a rule id or alias.{_did_you_mean(catalogue.suggestion(key))} See 'modlint rules' for the rules."
        out.append(_Problem(("severity", key), message, at_value=False, needle=key))
    return out


def _parameter_targets(key: str, catalogue: "Catalogue") -> list["RuleMeta"]:
    """The rules a 'parameters' key sets: a rule by id or alias, or every rule of a family."""
    meta = catalogue.get(key)
    if meta is not None:
        return [meta]
    return [m for m in catalogue if m.family == key.lower()]


def _parameter_problems(cfg: Config, catalogue: "Catalogue") -> list[_Problem]:
    out: list[_Problem] = []
    for key, values in cfg.parameters.items():
        targets = _parameter_targets(key, catalogue)
        if not targets:
            hint = _did_you_mean(catalogue.suggestion(key))
            out.append(_Problem(("parameters", key), f"'parameters' names '{key}', which is not a rule id, alias or family.{hint} See 'modlint rules' for the rules.", at_value=False, needle=key))
            continue
        label = f"{targets[0].id} ({targets[0].alias})" if len(targets) == 1 and catalogue.get(key) else f"the {key.lower()} rules"
        declared: dict[str, list[tuple["RuleMeta", dict[str, Any]]]] = {}
        for meta in targets:
            for name, spec in meta.parameters.items():
                declared.setdefault(name, []).append((meta, spec))
        for name, value in values.items():
            problem = _one_parameter_problem(key, str(name), value, label, declared)
            if problem is not None:
                out.append(problem)
    return out


def _one_parameter_problem(key: str, name: str, value: Any, label: str, declared: dict[str, list[tuple["RuleMeta", dict[str, Any]]]]) -> _Problem | None:
    where = ("parameters", key, name)
    canonical = name.replace("-", "_")
    if canonical not in declared:
        if not declared:
            return _Problem(where, f"'{name}' is not a parameter of {label}: it has no parameters to set.", at_value=False, needle=name)
        from difflib import get_close_matches

        hint = _did_you_mean(next(iter(get_close_matches(canonical, list(declared), n=1, cutoff=0.5)), None))
        return _Problem(where, f"'{name}' is not a parameter of {label}.{hint} Its parameters are: {', '.join(declared)} (see 'modlint explain').", at_value=False, needle=name)
    for meta, spec in declared[canonical]:
        kind = parameter_kind(spec)
        if kind.accepts(value):
            continue
        rule = "" if meta.id == label.split(" ", 1)[0] else f" for {meta.id}"
        bad = _first_bad_item(kind, value)
        if bad is not None and kind.item is not None:
            index, item = bad
            return _Problem(
                (*where, index),
                f"'parameters.{key}.{name}' must be {kind.one}{rule}, but {_shown(item)} is not {kind.item.one}.",
                needle=item if isinstance(item, str) else None,
            )
        return _Problem(
            where,
            f"'parameters.{key}.{name}' must be {kind.one}{rule}, not {_shown(value)}. Its default is {_shown(spec.get('default'))}.",
            needle=value if isinstance(value, str) else None,
        )
    return None


def _canonical_keys(cfg: Config, catalogue: "Catalogue") -> Config:
    """Write rule keys the way the engine looks them up (ids upper case, aliases and
    families lower case), so ``time005:`` works as ``TIME005:`` does."""

    def canonical(key: str) -> str:
        meta = catalogue.get(key)
        if meta is None:
            return key.lower()
        return meta.id if key.upper() == meta.id else meta.alias

    severity = {canonical(k): v for k, v in cfg.severity.items()}
    parameters = {canonical(k): {str(n).replace("-", "_"): v for n, v in values.items()} for k, values in cfg.parameters.items()}
    if severity == cfg.severity and parameters == cfg.parameters:
        return cfg
    return replace(cfg, severity=severity, parameters=parameters)


def check_rule_names(cfg: Config, catalogue: "Catalogue", note: str = "") -> Config:
    """Check every rule a config file names (select, ignore, per-file-ignores, severity
    and parameters) and every parameter name and value against the catalogue. Raises
    :class:`DataError` naming the file, key and line of the first problem; ``note`` is
    added to it (for example, that a plugin failed to load). Returns the configuration
    with its rule keys written the way the engine reads them."""
    if cfg.path is None:
        return cfg
    problems = [
        *_selector_problems("select", ("select",), cfg.select, catalogue),
        *_selector_problems("ignore", ("ignore",), cfg.ignore, catalogue),
        *[p for glob, ids in cfg.per_file_ignores.items() for p in _selector_problems("per-file-ignores", ("per-file-ignores", glob), ids, catalogue)],
        *_severity_problems(cfg, catalogue),
        *_parameter_problems(cfg, catalogue),
    ]
    if problems:
        raise _config_error(cfg.path, problems[0], note)
    return _canonical_keys(cfg, catalogue)


def _config_error(path: Path, problem: _Problem, note: str) -> DataError:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = ""
    if path.name == "pyproject.toml":
        line, col = _toml_position(text, list(problem.where), problem.needle)
    else:
        line, col = key_position(text, list(problem.where), value=problem.at_value)
    return DataError(path, problem.message + (f" {note}" if note else ""), line, col)
