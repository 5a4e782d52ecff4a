"""An example modlint plugin with one rule."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

from modlint.findings import Finding
from modlint.hookspecs import hookimpl
from modlint.model import Module
from modlint.rule import Rule, RuleContext, rule


@rule("ORG001")
def title_fits_mobile_list(module: Module, ctx: RuleContext) -> Iterator[Finding]:
    title = module.fm("title")
    limit = int(ctx.param("max_characters"))
    if isinstance(title, str) and len(title) > limit:
        line, col = module.fm_pos("title")
        yield ctx.report(
            f"The title is {len(title)} characters long; the mobile course list shows only the first {limit}. "
            "Shorten it so the important words come first.",
            line,
            col,
        )


@hookimpl
def modlint_rule_metadata() -> list[Path]:
    return [Path(__file__).parent / "rules"]


@hookimpl
def modlint_rules() -> list[Rule]:
    return [title_fits_mobile_list]
