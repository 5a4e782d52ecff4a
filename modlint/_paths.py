"""Where the bundled data (rules, schemas, personas) lives.

An installed wheel carries the data inside the package as ``modlint/_data``; a
checkout (or an editable install) reads it from the repository root.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

_PKG = Path(__file__).resolve().parent


@lru_cache(maxsize=None)
def data_dir(name: str) -> Path:
    """Return the folder holding bundled ``rules``, ``schemas`` or ``personas``."""
    installed = _PKG / "_data" / name
    if installed.is_dir():
        return installed
    return _PKG.parent / name


DOCS_BASE_URL = "https://github.com/modlint/modlint/blob/main/docs/rules/"


def rule_doc_url(rule_id: str) -> str:
    return f"{DOCS_BASE_URL}{rule_id}.md"
