"""Where the bundled data (rules, schemas, personas) lives.

An installed wheel carries the data inside the package as ``modlint/_data``; a
checkout (or an editable install) reads it from the repository root.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from modlint.catalogue import RuleMeta

_PKG = Path(__file__).resolve().parent


@lru_cache(maxsize=None)
def data_dir(name: str) -> Path:
    """Return the folder holding bundled ``rules``, ``schemas`` or ``personas``."""
    installed = _PKG / "_data" / name
    if installed.is_dir():
        return installed
    return _PKG.parent / name


DOCS_BASE_URL = "https://github.com/modlint/modlint/blob/main/docs/rules/"
# The metadata key a plugin or extra-rules rule names its own documentation page with.
DOCS_URL_KEY = "docs_url"


def rule_doc_url(rule_id: str) -> str:
    """The page docs_gen writes for a built-in rule."""
    return f"{DOCS_BASE_URL}{rule_id}.md"


def doc_url_for(meta: "RuleMeta | None") -> str | None:
    """Where a rule is documented: the ``docs_url`` its metadata gives (http or
    https), else the generated page of a built-in rule. None for a rule from a
    plugin or an extra-rules folder that names no page: docs/rules/ has no page
    for it, and a link that leads nowhere is worse than none."""
    if meta is None:
        return None
    own = getattr(meta, DOCS_URL_KEY, None) or (meta.raw.get(DOCS_URL_KEY) if isinstance(meta.raw, dict) else None)
    if isinstance(own, str) and own.strip().lower().startswith(("https://", "http://")):
        return own.strip()
    if meta.plugin == "builtin":
        return rule_doc_url(meta.id)
    return None
