"""The plugin API: every hook modlint calls, in one place.

A plugin is a Python module or object registered under the ``modlint`` entry
point group, for example in its ``pyproject.toml``::

    [project.entry-points.modlint]
    my_rules = "my_package.rules"

modlint's own rules are registered the same way (``builtin = "modlint.checks"``),
so a plugin can do anything the built-in rules do. Implement hooks with
:data:`hookimpl`::

    from modlint.hookspecs import hookimpl
    from modlint.rule import rule

    @rule("ORG001")
    def check_owner(module, ctx):
        if not module.fm("owner"):
            yield ctx.report("This module names no owner. Add 'owner:' to the front matter.", *module.fm_pos("title"))

    @hookimpl
    def modlint_rules():
        return [check_owner]

    @hookimpl
    def modlint_rule_metadata():
        return [Path(__file__).parent / "rules"]   # YAML files, validated like the built-in ones

A rule that raises, or returns something that is not a finding, becomes an
internal-error finding (MOD012) naming the plugin and the rule; every other
rule still runs.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

import pluggy

if TYPE_CHECKING:
    from modlint.catalogue import RuleMeta
    from modlint.rule import Rule

PROJECT = "modlint"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def modlint_rule_metadata() -> "list[RuleMeta | dict[str, Any] | Path]":
    """Return rule metadata: :class:`RuleMeta` objects, dicts in the shape of
    ``schemas/rule.schema.json``, or paths to YAML files or folders of them.

    Every rule implementation needs metadata with the same id; metadata with
    ``kind: phrase-existence`` or ``phrase-substitution`` needs no Python at all.
    Every barrier id a rule cites must be a persona's (built in, or from
    :func:`modlint_persona_dirs`): a rule citing an unknown one is not run and is
    reported as a load error. A parameter's ``default`` also sets what a
    configuration may give it (a number, text, a time of day like ``"09:00"``, a
    list or mapping of them); a wrong name or kind in a config is an error there.
    """


@hookspec
def modlint_rules() -> "list[Rule]":
    """Return rule implementations made with :func:`modlint.rule.rule` (one module at a
    time) or :func:`modlint.rule.collection_rule` (all modules of a run together)."""


@hookspec
def modlint_persona_dirs() -> list[Path]:
    """Return folders of persona YAML files (``schemas/persona.schema.json``) to add
    to the registry. An id that clashes with a known persona is an error naming both files."""


@hookspec
def modlint_formatters() -> "dict[str, Callable[..., str]]":
    """Return output formats by name: ``{"name": format(findings, context) -> str}``,
    selectable with ``modlint check --format name``. ``context`` is a
    :class:`modlint.reporters.ReportContext`."""
