"""JSON Schemas bundled with modlint, loaded once."""
from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from modlint._paths import data_dir


@lru_cache(maxsize=None)
def schema(name: str) -> dict[str, Any]:
    with open(data_dir("schemas") / f"{name}.schema.json", encoding="utf-8") as fh:
        return json.load(fh)


@lru_cache(maxsize=None)
def validator(name: str) -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(schema(name))


def errors(name: str, data: Any) -> list[Any]:
    """Validation errors sorted by where they occur."""
    return sorted(validator(name).iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])


def file_errors(name: str, data: Any, path: Any) -> list[Any]:
    """Like :func:`errors` for a data file, remembering files already found valid."""
    from modlint.yamlio import PARSED

    if PARSED.is_valid(path, name):
        return []
    found = errors(name, data)
    if not found:
        PARSED.mark_valid(path, name)
    return found
