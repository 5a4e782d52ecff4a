"""Reporters turn findings into text; they never decide what is a finding."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from modlint.engine import FileResult
    from modlint.plugins import Toolkit


@dataclass(slots=True)
class ReportContext:
    """What a reporter needs beside the findings."""

    toolkit: "Toolkit"
    results: "list[FileResult]"
    color: bool = False
    fail_on: str = "error"
    extra: dict[str, object] = field(default_factory=dict)


def builtin_formatters() -> dict[str, Callable[..., str]]:
    from modlint.reporters import github, json_report, junit, sarif, text

    return {
        "text": text.format_text,
        "json": json_report.format_json,
        "sarif": sarif.format_sarif,
        "github": github.format_github,
        "junit": junit.format_junit,
    }
