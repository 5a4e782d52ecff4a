"""Turn file bytes into a :class:`~modlint.model.Module` plus parse problems."""
from __future__ import annotations

from modlint.parsing.problems import ParseProblem
from modlint.parsing.module import decode, parse_module, parse_text

__all__ = ["ParseProblem", "decode", "parse_module", "parse_text"]
