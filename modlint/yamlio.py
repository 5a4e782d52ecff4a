"""Safe YAML loading for modlint's own data files (rules, personas, config)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError


class DataError(Exception):
    """A data or config file that cannot be used; the message names file, line and column."""

    def __init__(self, path: str | Path, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(f"{path}:{line}:{column}: {message}")
        self.path = str(path)
        self.line = line
        self.column = column
        self.detail = message


def load_yaml_file(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(path, f"cannot read the file: {exc}") from None
    return load_yaml_text(text, path)


def load_yaml_text(text: str, path: str | Path) -> Any:
    yaml = YAML(typ="safe", pure=True)
    try:
        return yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = " ".join(x for x in (exc.context, exc.problem) if x) or "invalid YAML"
        raise DataError(path, f"not valid YAML: {what}", (mark.line + 1) if mark else 1, (mark.column + 1) if mark else 1) from None
    except YAMLError as exc:
        raise DataError(path, f"not valid YAML: {exc}") from None


def key_position(text: str, dotted: list[Any], value: bool = False) -> tuple[int, int]:
    """Best-effort line and column of a key path inside YAML text (for error messages);
    with ``value``, of the value the last key holds."""
    yaml = YAML(typ="rt")
    try:
        node = yaml.load(text)
    except YAMLError:
        return 1, 1
    pos = (1, 1)
    for part in dotted:
        try:
            last = part is dotted[-1]
            if isinstance(part, int):
                line, col = node.lc.item(part)
            elif value and last:
                line, col = node.lc.value(part)
            else:
                line, col = node.lc.key(part)
            pos = (line + 1, col + 1)
            node = node[part]
        except (KeyError, IndexError, TypeError, AttributeError):
            break
    return pos
