"""modlint: a rule-based linter for learning modules.

The public API is deliberately small: :func:`check_text`, :func:`check_paths`,
:class:`Finding` and :class:`Severity`. Names are imported on first use so that
``modlint --version`` and the pre-commit hook start fast.
"""
from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

__all__ = ["Finding", "Fix", "Severity", "check_paths", "check_text", "__version__"]


def __getattr__(name: str) -> Any:
    if name in ("Finding", "Fix", "Severity"):
        from modlint import findings

        return getattr(findings, name)
    if name in ("check_paths", "check_text"):
        from modlint import api

        return getattr(api, name)
    raise AttributeError(name)
