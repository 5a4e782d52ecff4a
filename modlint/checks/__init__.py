"""The built-in rules, registered through the ``modlint`` entry point like any plugin."""
from __future__ import annotations

import importlib
from pathlib import Path

from modlint.catalogue import builtin_rule_dir
from modlint.hookspecs import hookimpl
from modlint.rule import Rule


def _rule_modules() -> list[str]:
    here = Path(__file__).parent
    # A listing of the folder, not pkgutil, whose import costs a one-file run more than the listing.
    return sorted(p.stem for p in here.glob("*.py") if not p.stem.startswith("_") and p.stem != "phrases")


@hookimpl
def modlint_rule_metadata() -> list[Path]:
    return [builtin_rule_dir()]


@hookimpl
def modlint_rules() -> list[Rule]:
    rules: list[Rule] = []
    for name in _rule_modules():
        mod = importlib.import_module(f"{__name__}.{name}")
        rules.extend(v for v in vars(mod).values() if isinstance(v, Rule))
    return rules


@hookimpl
def modlint_formatters() -> dict[str, object]:
    from modlint.reporters import builtin_formatters

    return builtin_formatters()
