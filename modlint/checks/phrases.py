"""Declarative phrase rules: ``kind: phrase-existence`` and ``phrase-substitution``.

A repository can add such rules as YAML, with no Python, from a folder named in
its configuration (``extra-rules``). Built-in rules (the ``power`` family's
phrase lists) use the same engine, so a phrase list is data that anyone can extend.

A phrase entry has:

- ``phrase``: matched on word boundaries, case-insensitively, across line breaks;
- ``pattern`` (optional): a regular expression used instead of ``phrase``
  (case-insensitive; a group named ``phrase`` marks the part to report);
- ``suggestion``, ``note``: wording for the message;
- ``replacement`` (optional, substitution rules): the drop-in text a fix puts in;
  without it the ``suggestion`` is used, and ``null`` or ``""`` means no fix;
- ``barriers``: persona barrier ids whose lived experience the phrase comes from.
  They fill ``{who}`` (the personas) and ``{experience}`` (the barrier's words),
  and narrow the personas a finding names to those barriers' personas;
- ``context`` / ``unless`` (optional): words or phrases of which at least one
  must / none may appear in the same sentence, or table cell (``scope: paragraph``
  widens both).

A rule may also give ``unless`` for every entry. Message templates may use
``{phrase}``, ``{suggestion}``, ``{note}``, ``{who}``, ``{experience}``,
``{barriers}`` and ``{replacement}``; an unknown field is left as written rather
than failing the run.

A match is not reported when the author mentions the phrase rather than uses it
("the phrase fresh blood", "do not describe anyone as wheelchair-bound", "we say
chair, not chairman", a list under "Phrases to avoid:", a table column headed
"Heard at work"): see :func:`modlint.prose.mention`. A rule with ``quoted:
include`` checks quotations and mentions too. A match that is part of a name in
title case ("Chairman Mao", "the Manpower Services Commission") is never reported.

Speed: each pattern knows, from when it is compiled, the literal text any match
must contain (:func:`modlint.prose.required_literals`); a pattern whose text is
not in the module is not searched for at all.
"""
from __future__ import annotations

import bisect
import re
import string
from dataclasses import dataclass, field
from typing import Any, Iterator

from modlint import _regex
from modlint.catalogue import RuleMeta
from modlint.findings import Edit, Finding, Fix
from modlint.model import Module
from modlint.personas import Persona
from modlint.prose import Literal, TextView, has_phrase, key_word, match_case, mention, phrase_pattern, proper_name, prose_of, required_literals
from modlint.rule import Rule, RuleContext
from modlint.yamlio import DataError, key_position

_FIELDS = ("phrase", "suggestion", "note", "who", "experience", "barriers", "replacement")


@dataclass(slots=True)
class _Entry:
    """One phrase of a phrase rule, with its pattern and suggestion."""

    index: int
    phrase: str
    regex: re.Pattern[str]
    suggestion: str
    note: str
    barriers: tuple[str, ...]
    replacement: str | None
    context: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()
    paragraph: bool = False
    raw: dict[str, Any] = field(default_factory=dict)
    # Literal text every match contains (see prose.required_literals): absent text, no search.
    literals: tuple[frozenset[Literal], ...] = ()
    # A whole word every match contains, if one is certain: the first, cheapest test.
    key: str | None = None


class _Template(string.Formatter):
    """``str.format`` that leaves unknown or malformed fields as written."""

    def __init__(self, values: dict[str, str]) -> None:
        self.values = values

    def render(self, template: str) -> str:
        try:
            return self.vformat(template, (), self.values)
        except (ValueError, IndexError, AttributeError, TypeError):
            out = template
            for key, value in self.values.items():
                out = out.replace("{" + key + "}", value)
            return out

    def get_value(self, key: int | str, args: Any, kwargs: Any) -> Any:
        if isinstance(key, str) and key in self.values:
            return self.values[key]
        return "{" + str(key) + "}"

    def get_field(self, field_name: str, args: Any, kwargs: Any) -> Any:
        if field_name in self.values:
            return self.values[field_name], field_name
        return "{" + field_name + "}", field_name


def _words(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,) if value.strip() else ()
    if isinstance(value, (list, tuple)):
        return tuple(str(v) for v in value if str(v).strip())
    return ()


def _data_error(meta: RuleMeta, where: list[Any], message: str) -> DataError:
    line, col = 1, 1
    try:
        with open(meta.source, encoding="utf-8") as handle:
            line, col = key_position(handle.read(), where)
    except OSError:
        pass
    return DataError(meta.source, f"rule {meta.id}: {message}", line, col)


def compile_entries(meta: RuleMeta) -> list[_Entry]:
    """Check and compile a rule's phrase list once, when the rule is loaded."""
    entries: list[_Entry] = []
    for index, raw in enumerate(meta.phrases):
        if not isinstance(raw, dict):
            continue
        phrase = str(raw.get("phrase", "")).strip()
        pattern = raw.get("pattern")
        if pattern:
            try:
                regex = _regex.compile(str(pattern), re.IGNORECASE)
            except re.error as exc:
                raise _data_error(meta, ["phrases", index, "pattern"], f"the pattern for '{phrase}' is not a valid regular expression ({exc})") from None
            if regex.search("") is not None:
                raise _data_error(meta, ["phrases", index, "pattern"], f"the pattern for '{phrase}' matches empty text, so it would match everywhere")
        elif phrase:
            regex = phrase_pattern(phrase)
        else:
            continue  # an entry with no words would match everywhere
        if "replacement" in raw:
            replacement = raw["replacement"] if isinstance(raw["replacement"], str) and raw["replacement"] else None
        else:
            replacement = str(raw.get("suggestion") or "") or None
        entries.append(
            _Entry(
                index=index,
                phrase=phrase,
                regex=regex,
                suggestion=str(raw.get("suggestion") or ""),
                note=str(raw.get("note") or ""),
                barriers=_words(raw.get("barriers")),
                replacement=replacement,
                context=_words(raw.get("context")),
                unless=_words(raw.get("unless")) + _words(meta.raw.get("unless")),
                paragraph=raw.get("scope") == "paragraph",
                raw=raw,
                literals=required_literals(regex),
                key=key_word(required_literals(regex)),
            )
        )
    return entries


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _lived_experience(entry: _Entry, ctx: RuleContext) -> tuple[list[Persona], str, str]:
    """The personas whose barriers an entry cites, their labels and the barriers' own words."""
    personas: list[Persona] = []
    texts: list[str] = []
    for bid in entry.barriers:
        found = ctx.registry.barriers.get(bid)
        if found is None:
            continue
        persona, barrier = found
        if persona not in personas:
            personas.append(persona)
        if barrier.text not in texts:
            texts.append(barrier.text)
    return personas, _join([p.ref.label() for p in personas]), "; ".join(texts)


def _span(match: re.Match[str]) -> tuple[int, int]:
    if "phrase" in match.re.groupindex and match.group("phrase") is not None:
        return match.start("phrase"), match.end("phrase")
    return match.start(), match.end()


class _Spans:
    """Reported spans of one block, kept sorted, so that an overlap test is a binary search
    (a block with thousands of matches must not cost their square)."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        index = bisect.bisect_left(self.starts, end)
        # Spans never overlap each other, so only the one starting last before ``end`` can reach ``start``.
        return index > 0 and self.ends[index - 1] > start

    def add(self, start: int, end: int) -> None:
        index = bisect.bisect_left(self.starts, start)
        self.starts.insert(index, start)
        self.ends.insert(index, end)


def phrase_rule(meta: RuleMeta) -> Rule:
    entries = compile_entries(meta)
    include_quoted = meta.quoted == "include"

    def check(module: Module, ctx: RuleContext) -> Iterator[Finding]:
        prose = prose_of(module)
        view = prose.everything if include_quoted else prose.author
        words = view.tokens
        live = [e for e in entries if (e.key is None or e.key in words) and view.could_match(e.literals)]
        if not live:
            return
        lived: dict[int, tuple[list[Persona], str, str]] = {}
        blocks = [(b, b.text) for b in module.blocks] if include_quoted else prose.voice
        for block, text in blocks:
            here = TextView(text)
            taken = _Spans()
            for entry in live:
                if not here.could_match(entry.literals):
                    continue
                for match in entry.regex.finditer(text):
                    start, end = _span(match)
                    if start == end or taken.overlaps(start, end):
                        continue
                    lo, hi = (0, len(block.text)) if entry.paragraph else prose.unit_span(block, start)
                    around = block.text[lo:hi]
                    if entry.context and not has_phrase(around, entry.context):
                        continue
                    if entry.unless and has_phrase(around, entry.unless):
                        continue
                    if proper_name(prose, block, start, end) or (not include_quoted and mention(prose, block, start, end)):
                        continue
                    taken.add(start, end)
                    if entry.index not in lived:
                        lived[entry.index] = _lived_experience(entry, ctx)
                    yield _finding(meta, module, ctx, block, entry, lived[entry.index], start, end)

    check.__qualname__ = f"phrase_rule[{meta.id}]"
    return Rule(id=meta.id, check=check, plugin=meta.plugin)


def _finding(meta: RuleMeta, module: Module, ctx: RuleContext, block: Any, entry: _Entry, lived: tuple[list[Persona], str, str], start: int, end: int) -> Finding:
    found = block.text[start:end]
    shown = " ".join(found.split())
    personas, who, experience = lived
    replacement = match_case(entry.replacement, shown, entry.phrase) if entry.replacement else ""
    values = {
        "phrase": shown,
        "suggestion": entry.suggestion,
        "note": entry.note,
        "who": who,
        "experience": experience,
        "barriers": ", ".join(entry.barriers),
        "replacement": replacement,
    }
    template = meta.message or "'{phrase}' was found. {suggestion}"
    message = " ".join(_Template(values).render(template).split())
    line, col = block.position(start)
    end_line, end_col = block.position(end)
    fix = None
    # A rule that declares no fix ('fix: none', or none given) still suggests the
    # replacement in its message, but never edits the text.
    if meta.kind == "phrase-substitution" and entry.replacement and meta.fix in ("safe", "unsafe"):
        lo = module.offset(line, col)
        hi = module.offset(end_line, end_col)
        fix = Fix(f"Replace '{shown}' with '{replacement}'", (Edit(lo, hi, replacement),), safe=meta.fix == "safe")
    return ctx.report(
        message,
        line,
        col,
        end_line,
        end_col,
        personas=personas if entry.barriers and personas else None,
        fix=fix,
        snippet=shown.lower(),
    )
