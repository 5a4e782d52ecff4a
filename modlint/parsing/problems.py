from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ParseProblem:
    """Something wrong with the file itself, reported under a ``module`` family rule."""

    rule_id: str
    message: str
    line: int
    column: int = 1
    snippet: str = ""
