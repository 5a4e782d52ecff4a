"""Safe YAML loading for modlint's own data files (rules, personas, config)."""
from __future__ import annotations

import json
import os
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


class _ParsedCache:
    """Parsed data files kept as JSON in the user cache folder, keyed by path, size and
    modification time: parsing the rule catalogue and personas with a pure-Python YAML
    parser on every start would cost more than checking a file."""

    def __init__(self) -> None:
        self.entries: dict[str, Any] | None = None
        self.dirty = False
        self.path: Path | None = None

    def _load(self) -> dict[str, Any]:
        if self.entries is None:
            self.entries = {}
            try:
                from platformdirs import user_cache_dir

                from modlint import __version__

                folder = Path(os.environ.get("MODLINT_DATA_CACHE") or user_cache_dir("modlint"))
                self.path = folder / f"data-{__version__}.json"
                self.entries = json.loads(self.path.read_text(encoding="utf-8"))
            except (OSError, ValueError, ImportError):
                pass
        return self.entries

    @staticmethod
    def _key(path: Path) -> str:
        # The absolute path, symbolic links left as they are: Path.resolve costs more
        # than reading the entry, and there are a hundred data files per start.
        return os.path.abspath(path)

    def get(self, path: Path) -> tuple[bool, Any, str]:
        try:
            st = os.stat(path)
        except OSError:
            return False, None, ""
        stamp = f"{st.st_mtime_ns}:{st.st_size}"
        entry = self._load().get(self._key(path))
        if isinstance(entry, dict) and entry.get("stamp") == stamp:
            return True, entry.get("data"), stamp
        return False, None, stamp

    def is_valid(self, path: Path, schema: str) -> bool:
        hit, _, stamp = self.get(path)
        entry = self._load().get(self._key(path)) if hit else None
        return bool(entry) and schema in entry.get("valid", ())  # type: ignore[union-attr]

    def mark_valid(self, path: Path, schema: str) -> None:
        entry = self._load().get(self._key(path))
        if isinstance(entry, dict) and schema not in entry.setdefault("valid", []):
            entry["valid"].append(schema)
            self.dirty = True

    # Stamps kept per name: one run from a checkout and one from an install, under
    # 'modlint' and 'python -m modlint' (each sees its own sys.path), do not evict each other.
    STAMPS_KEPT = 8

    def lookup(self, name: str, stamp: str) -> Any:
        """Data stored under ``name`` (not a file) with this ``stamp``, else None."""
        entry = self._load().get(f"<{name}>")
        if isinstance(entry, dict) and isinstance(entry.get(stamp), dict):
            return entry[stamp].get("data")
        return None

    def store(self, name: str, stamp: str, data: Any) -> None:
        entries = self._load()
        entry = entries.get(f"<{name}>")
        if not isinstance(entry, dict):
            entry = entries[f"<{name}>"] = {}
        entry.pop(stamp, None)
        entry[stamp] = {"data": data}
        while len(entry) > self.STAMPS_KEPT:
            entry.pop(next(iter(entry)))
        self.dirty = True

    def put(self, path: Path, stamp: str, data: Any) -> None:
        if stamp:
            entries = self._load()
            key = self._key(path)
            entries.pop(key, None)  # re-stored entries move to the end: the newest are kept
            entries[key] = {"stamp": stamp, "data": data}
            self.dirty = True

    # Files kept: the catalogue and personas, with room for a few repositories' own. Every
    # start reads the whole cache, so files that are gone (a temporary rules folder) are
    # dropped and the rest bounded, the most recently stored kept.
    MAX_FILES = 400

    def save(self) -> None:
        if not self.dirty or self.path is None or self.entries is None:
            return
        self.dirty = False

        files = [key for key in self.entries if not key.startswith("<")]
        gone = [key for key in files if not os.path.exists(key)]
        for key in gone + [k for k in files if k not in gone][: max(0, len(files) - len(gone) - self.MAX_FILES)]:
            self.entries.pop(key, None)
        try:
            from modlint.fileio import atomic_write_text

            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(self.path, json.dumps(self.entries, default=str))
        except OSError:
            pass


PARSED = _ParsedCache()


def load_yaml_file(path: Path) -> Any:
    hit, data, stamp = PARSED.get(path)
    if hit:
        return data
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(path, f"cannot read the file: {exc}") from None
    data = load_yaml_text(text, path)
    try:
        json.dumps(data)
    except (TypeError, ValueError):
        return data  # not JSON-shaped (dates, say): parse it each time
    PARSED.put(path, stamp, data)
    return data


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
