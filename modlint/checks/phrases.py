"""Declarative phrase rules: ``kind: phrase-existence`` and ``phrase-substitution``.

A repository can add such rules as YAML, with no Python, from a folder named in
its configuration (``extra-rules``).
"""
from __future__ import annotations

from typing import Iterator

from modlint.catalogue import RuleMeta
from modlint.findings import Edit, Finding, Fix
from modlint.model import Module
from modlint.prose import author_blocks, find_phrase, match_case
from modlint.rule import Rule, RuleContext


def phrase_rule(meta: RuleMeta) -> Rule:
    def check(module: Module, ctx: RuleContext) -> Iterator[Finding]:
        include_quoted = meta.quoted == "include"
        for block, text in author_blocks(module, include_quoted=include_quoted):
            for entry in meta.phrases:
                phrase = entry["phrase"]
                for match in find_phrase(text, phrase):
                    found = block.text[match.start() : match.end()]
                    suggestion = entry.get("suggestion", "")
                    line, col = block.position(match.start())
                    end_line, end_col = block.position(match.end())
                    message = meta.message.format(phrase=found, suggestion=suggestion, note=entry.get("note", ""))
                    fix = None
                    if meta.kind == "phrase-substitution" and suggestion:
                        start = module.offset(line, col)
                        end = module.offset(end_line, end_col)
                        fix = Fix(f"Replace '{found}' with '{match_case(suggestion, found)}'", (Edit(start, end, match_case(suggestion, found)),), safe=meta.fix == "safe")
                    yield ctx.report(message, line, col, end_line, end_col, fix=fix, snippet=found.lower())

    check.__qualname__ = f"phrase_rule[{meta.id}]"
    return Rule(id=meta.id, check=check, plugin=meta.plugin)
