"""Configuration: defaults, then the nearest config file, then the command line.

A config file is ``.modlint.yaml`` (or ``.modlint.yml``) or a ``[tool.modlint]``
table in ``pyproject.toml``, found upward from each checked file.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from modlint import schemas
from modlint.yamlio import DataError, key_position, load_yaml_text

CONFIG_NAMES = (".modlint.yaml", ".modlint.yml", "pyproject.toml")
DEFAULT_MAX_BYTES = 5 * 1024 * 1024


@dataclass(slots=True)
class Config:
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
            line = _toml_line(text, [*key_prefix, *map(str, where)])
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


def _toml_line(text: str, keys: list[str]) -> int:
    last = keys[-1] if keys else "modlint"
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith((last, f'"{last}"')) or stripped == "[tool.modlint]" and len(keys) <= 2:
            return number
    return 1


def load_config_file(path: Path) -> Config | None:
    """Load one config file; ``None`` for a pyproject.toml with no ``[tool.modlint]``."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(path, f"cannot read the configuration: {exc}") from None
    if path.name == "pyproject.toml":
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
