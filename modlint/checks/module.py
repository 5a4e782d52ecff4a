"""The ``module`` family: is this file a well-formed module at all?

MOD001-003, MOD011 and MOD013 are raised by the parser; MOD010 and MOD012 by the
engine. The rules here read the parsed front matter.
"""
from __future__ import annotations

from difflib import get_close_matches
from typing import Any, Iterator

from modlint import schemas
from modlint.findings import Finding
from modlint.model import Module, ModuleInfo
from modlint.rule import CollectionContext, RuleContext, collection_rule, rule

# TIME001 owns every problem with 'duration', so authors get one message, not two.
_OWNED_ELSEWHERE = {"duration"}


def _key_path(parts: Any) -> str:
    out = ""
    for part in parts:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _describe(err: Any) -> str:
    path = _key_path(err.absolute_path)
    where = f"'{path}'" if path else "The front matter"
    value = err.instance
    if err.validator == "required":
        missing = err.message.split("'")[1] if "'" in err.message else "a key"
        hints = {
            "id": "a short unique slug such as 'difficult-conversations'",
            "title": "the module's title",
            "stage": "the framework stage, 1 to 4",
            "format": "how it is delivered, e.g. self-paced",
        }
        at = f" in {where}" if path else ""
        return f"The front matter{at} has no '{missing}'. Add '{missing}:' with {hints.get(missing, 'a value')}."
    if err.validator == "enum":
        return f"{where} is '{value}', which is not one of: {', '.join(map(str, err.validator_value))}."
    if err.validator == "type":
        want = err.validator_value if isinstance(err.validator_value, str) else " or ".join(err.validator_value)
        return f"{where} should be a {want.replace('object', 'set of key: value lines').replace('array', 'list')}, not {value!r}."
    if err.validator == "pattern":
        if path.endswith("start"):
            return f"{where} is '{value}'; write the start time as HH:MM on a 24-hour clock, e.g. 09:30."
        if path == "id":
            return f"{where} is '{value}'; an id is a slug of lowercase letters, digits and hyphens, e.g. 'leading-through-change'."
        return f"{where} is '{value}', which is not in the expected form."
    if err.validator in ("minimum", "maximum"):
        return f"{where} is {value}; it must be {'at least' if err.validator == 'minimum' else 'at most'} {err.validator_value}."
    if err.validator == "oneOf" and path.startswith("stage"):
        return f"{where} is {value!r}; give a stage from 1 to 4, or a list of them such as [2, 3]."
    if err.validator == "uniqueItems":
        return f"{where} lists the same value twice."
    return f"{where}: {err.message}."


@rule("MOD004")
def front_matter_schema(module: Module, ctx: RuleContext) -> Iterator[Finding]:
    fm = module.front_matter
    if fm is None:
        return
    for err in schemas.errors("module", fm):
        path = list(err.absolute_path)
        if err.validator == "additionalProperties":
            continue  # MOD005 explains unknown keys with a suggestion
        if (path and path[0] in _OWNED_ELSEWHERE) or (err.validator == "required" and "'duration'" in err.message):
            continue
        line, col = module.fm_pos(*map(str, path[:1]), *path[1:]) if path else (module.fm_start, 1)
        yield ctx.report(_describe(err), line, col, snippet=".".join(map(str, path)))


_NESTED = {"media": "media", "sessions": "sessions", "access": "access"}


@rule("MOD005")
def unknown_keys(module: Module, ctx: RuleContext) -> Iterator[Finding]:
    fm = module.front_matter
    if not isinstance(fm, dict):
        return
    props = schemas.schema("module")["properties"]
    yield from _unknown(module, ctx, fm, props, ())
    for key in ("media", "sessions"):
        items = fm.get(key)
        if isinstance(items, list):
            sub = props[key]["items"]["properties"]
            for i, item in enumerate(items):
                if isinstance(item, dict):
                    yield from _unknown(module, ctx, item, sub, (key, i))
    if isinstance(fm.get("access"), dict):
        yield from _unknown(module, ctx, fm["access"], props["access"]["properties"], ("access",))


def _unknown(module: Module, ctx: RuleContext, data: dict[str, Any], known: dict[str, Any], prefix: tuple[Any, ...]) -> Iterator[Finding]:
    for key in data:
        if key in known:
            continue
        close = get_close_matches(key.lower().replace("-", "_"), list(known), n=1, cutoff=0.6)
        hint = f" Did you mean '{close[0]}'?" if close else " Remove it, or check the spelling against docs/module-format.md."
        where = ".".join(map(str, prefix)) + ("." if prefix else "")
        line, col = module.fm_pos(*prefix, key)
        yield ctx.report(f"'{where}{key}' is not a front matter key modlint knows, so nothing checks it.{hint}", line, col, snippet=key)


@rule("MOD006")
def unknown_personas(module: Module, ctx: RuleContext) -> Iterator[Finding]:
    named = module.fm("personas")
    if not isinstance(named, list):
        return
    known = [p.id for p in ctx.registry.all()]
    for i, pid in enumerate(named):
        if ctx.registry.get(str(pid)) is None:
            close = get_close_matches(str(pid).lower(), known, n=1)
            hint = f" Did you mean '{close[0]}'?" if close else f" Known personas: {', '.join(known)}."
            line, col = module.fm_pos("personas", i)
            yield ctx.report(f"'personas' names '{pid}', which is not a known persona, so no rule can check this module for them.{hint}", line, col, snippet=str(pid))


@rule("MOD007")
def unknown_competencies(module: Module, ctx: RuleContext) -> Iterator[Finding]:
    named = module.fm("competencies")
    if not isinstance(named, list):
        return
    known = ctx.registry.competencies()
    lower = {k.lower(): k for k in known}
    for i, comp in enumerate(named):
        text = str(comp)
        if text in known or text.lower() in lower:
            continue
        close = get_close_matches(text.lower(), list(lower), n=1, cutoff=0.5)
        hint = f" Did you mean '{lower[close[0]]}'?" if close else " Use a competency name from the framework (see personas/framework.yaml)."
        line, col = module.fm_pos("competencies", i)
        yield ctx.report(f"'{text}' is not a competency in the framework, so the gap report cannot count it.{hint}", line, col, snippet=text)


@rule("MOD008")
def persona_stage_mismatch(module: Module, ctx: RuleContext) -> Iterator[Finding]:
    named = module.fm("personas")
    stage = module.fm("stage")
    stages = stage if isinstance(stage, list) else [stage]
    stages = [s for s in stages if isinstance(s, int) and not isinstance(s, bool)]
    if not isinstance(named, list) or not stages or any(not 1 <= s <= 4 for s in stages):
        return
    for i, pid in enumerate(named):
        persona = ctx.registry.get(str(pid))
        if persona is not None and persona.stage not in stages:
            line, col = module.fm_pos("personas", i)
            listed = ", ".join(map(str, stages))
            yield ctx.report(
                f"'{persona.id}' ({persona.title}) is a stage {persona.stage} persona, but this module is for stage {listed}. "
                f"Add {persona.stage} to 'stage', or remove '{persona.id}' from 'personas'.",
                line, col, snippet=persona.id,
            )


@collection_rule("MOD009")
def duplicate_ids(infos: list[ModuleInfo], ctx: CollectionContext) -> Iterator[Finding]:
    seen: dict[str, list[ModuleInfo]] = {}
    for info in [*infos, *ctx.context]:
        mid = info.fm("id")
        if isinstance(mid, str) and mid:
            bucket = seen.setdefault(mid, [])
            if all(other.path != info.path for other in bucket):
                bucket.append(info)
    reported = {i.path for i in infos}
    for mid, group in seen.items():
        if len(group) < 2:
            continue
        for info in group:
            if info.path not in reported:
                continue
            others = ", ".join(o.path for o in group if o is not info)
            line, col = info.fm_pos("id")
            yield ctx.report(info, f"The module id '{mid}' is also used by {others}. Each module needs its own id, or links and reports mix them up.", line, col, snippet=mid)
