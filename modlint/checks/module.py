"""The ``module`` family: is this file a well-formed module at all?

MOD001-003, MOD011 and MOD013 are raised by the parser; MOD010 and MOD012 by the
engine. The rules here read the parsed front matter.
"""
from __future__ import annotations

import re
from typing import Any, Iterator

from modlint import _regex, schemas
from modlint.findings import Edit, Finding, Fix
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
        shown = repr(value)
        if len(shown) > 80:
            shown = shown[:77].rstrip() + "…"
        if want == "array":
            # A single entry is the usual slip: say how to make it a list, since rules that read the key skip it until then.
            key = str(err.absolute_path[-1]) if err.absolute_path else path
            return (f"{where} should be a list (it is {shown}). Put each entry on its own line under '{key}:', "
                    f"starting with '- ', even when there is only one.")
        return f"{where} should be a {want.replace('object', 'set of key: value lines').replace('array', 'list')}, not {shown}."
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


# -- a quick check before jsonschema ---------------------------------------------
# Most modules are valid. Proving that with the few keywords the module schema uses
# is much cheaper than jsonschema (and keeps its import off the start-up path); any
# doubt (a keyword not handled here, a value that may be invalid) goes to jsonschema,
# which alone writes the messages.
_UNSURE = object()
_TYPES: dict[str, Any] = {
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "null": lambda v: v is None,
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, float) and v.is_integer()),
}
_HANDLED = frozenset(
    {"type", "required", "additionalProperties", "properties", "items", "enum", "pattern", "minLength", "minimum", "maximum",
     "minItems", "uniqueItems", "oneOf", "$ref", "$schema", "$id", "$defs", "title", "description"}
)


def _surely_valid(schema: dict[str, Any], value: Any, root: dict[str, Any], depth: int = 0, extra_keys_ok: bool = False) -> bool:
    """True only when ``value`` certainly satisfies ``schema``; False when it may not.
    With ``extra_keys_ok``, keys that ``additionalProperties: false`` forbids do not
    count: MOD004 leaves them to MOD005."""
    if depth > 32 or not isinstance(schema, dict) or not _HANDLED.issuperset(schema):
        return False
    ref = schema.get("$ref")
    if ref is not None:
        target: Any = root
        if not isinstance(ref, str) or not ref.startswith("#/"):
            return False
        for part in ref[2:].split("/"):
            if not isinstance(target, dict) or part not in target:
                return False
            target = target[part]
        if not _surely_valid(target, value, root, depth + 1, extra_keys_ok):
            return False
    kind = schema.get("type")
    if kind is not None:
        kinds = [kind] if isinstance(kind, str) else kind
        if not isinstance(kinds, list) or not all(k in _TYPES for k in kinds) or not any(_TYPES[k](value) for k in kinds):
            return False
    if "enum" in schema:
        options = schema["enum"]
        if not isinstance(options, list) or not all(isinstance(o, str) for o in options) or not isinstance(value, str) or value not in options:
            return False
    if isinstance(value, str):
        if "pattern" in schema and re.search(schema["pattern"], value) is None:
            return False
        if "minLength" in schema and len(value) < schema["minLength"]:
            return False
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and not value >= schema["minimum"]:
            return False
        if "maximum" in schema and not value <= schema["maximum"]:
            return False
    if isinstance(value, dict):
        props = schema.get("properties", {})
        if any(key not in value for key in schema.get("required", ())):
            return False
        extra = schema.get("additionalProperties", True)
        for key, item in value.items():
            if not isinstance(key, str):
                return False
            if key in props:
                if not _surely_valid(props[key], item, root, depth + 1, extra_keys_ok):
                    return False
            elif extra is False:
                if not extra_keys_ok:
                    return False
            elif extra is not True and not _surely_valid(extra, item, root, depth + 1, extra_keys_ok):
                return False
    if isinstance(value, list):
        if "items" in schema and not all(_surely_valid(schema["items"], item, root, depth + 1, extra_keys_ok) for item in value):
            return False
        if "minItems" in schema and len(value) < schema["minItems"]:
            return False
        if schema.get("uniqueItems"):
            if not all(isinstance(item, str) for item in value) and not all(type(item) is int for item in value):
                return False
            if len(set(value)) != len(value):
                return False
    if "oneOf" in schema:
        # Exactly one branch must hold: one surely valid and every other surely invalid
        # is more than this check can prove, unless the branches differ by type.
        branches = schema["oneOf"]
        # Strictly: an unknown key that sinks one branch makes the whole oneOf fail, which
        # the validator reports as a oneOf error, not as the key.
        passing = [b for b in branches if _surely_valid(b, value, root, depth + 1)]
        if len(passing) != 1:
            return False
        others = [b for b in branches if b is not passing[0]]
        if not all(_surely_invalid_type(b, value, root) for b in others):
            return False
    return True


def _surely_invalid_type(schema: Any, value: Any, root: dict[str, Any]) -> bool:
    """True when ``schema`` (following one $ref) demands a type ``value`` does not have."""
    if isinstance(schema, dict) and isinstance(schema.get("$ref"), str) and schema["$ref"].startswith("#/") and "type" not in schema:
        target: Any = root
        for part in schema["$ref"][2:].split("/"):
            target = target.get(part) if isinstance(target, dict) else None
        schema = target
    if not isinstance(schema, dict):
        return False
    kind = schema.get("type")
    kinds = [kind] if isinstance(kind, str) else kind
    return isinstance(kinds, list) and all(k in _TYPES for k in kinds) and not any(_TYPES[k](value) for k in kinds)


@rule("MOD004")
def front_matter_schema(module: Module, ctx: RuleContext) -> Iterator[Finding]:
    fm = module.front_matter
    if fm is None:
        return
    module_schema = schemas.schema("module")
    # What MOD004 would report at all: not unknown keys (MOD005's), not 'duration' (TIME001's).
    # When that is surely valid, the full validator (and its import) is not needed.
    owned = {k: v for k, v in fm.items() if k not in _OWNED_ELSEWHERE} if isinstance(fm, dict) else fm
    reported = dict(module_schema, required=[r for r in module_schema.get("required", ()) if r not in _OWNED_ELSEWHERE])
    if _surely_valid(reported, owned, module_schema, extra_keys_ok=True):
        return
    for err in schemas.errors("module", fm):
        path = list(err.absolute_path)
        if err.validator == "additionalProperties":
            continue  # MOD005 explains unknown keys with a suggestion
        if (path and path[0] in _OWNED_ELSEWHERE) or (err.validator == "required" and "'duration'" in err.message):
            continue
        line, col = module.fm_pos(*map(str, path[:1]), *path[1:]) if path else (module.fm_start, 1)
        yield ctx.report(_describe(err), line, col, snippet=".".join(map(str, path)), fix=_schema_fix(module, err, path))


_BOOLEAN_WORDS = {"true": True, "yes": True, "false": False, "no": False}


def _schema_fix(module: Module, err: Any, path: list[Any]) -> Fix | None:
    """Safe fixes for values whose meaning is plain but whose spelling is not:
    an enum value in another case or with spaces ('Self paced'), a stage written as
    text ('2'), a yes/no flag written as text ('true'). Nothing is guessed."""
    from modlint.fixes import front_matter_edit, set_value

    if not path:
        return None
    value = err.instance
    new: Any = None
    if err.validator == "enum" and isinstance(value, str):
        spelt = re.sub(r"[\s_]+", "-", value.strip().lower())
        if spelt != value and spelt in err.validator_value:
            new = spelt
    elif err.validator == "oneOf" and path[0] == "stage":
        if isinstance(value, str) and re.fullmatch(r"\s*[1-4]\s*", value):
            new = int(value)
        elif isinstance(value, list) and value and all(isinstance(v, int) and not isinstance(v, bool) or isinstance(v, str) and re.fullmatch(r"\s*[1-4]\s*", v) for v in value):
            numbers = [int(v) for v in value]
            if len(set(numbers)) == len(numbers) and any(isinstance(v, str) for v in value):
                return front_matter_edit(module, lambda fm: [set_value(fm, ("stage", i), n) for i, n in enumerate(numbers)], "Write the stages as numbers", safe=True)
    elif err.validator == "type" and err.validator_value == "boolean" and isinstance(value, str):
        new = _BOOLEAN_WORDS.get(value.strip().lower())
    if new is None:
        return None
    where = tuple(path)
    shown = str(new).lower() if isinstance(new, bool) else new
    return front_matter_edit(module, lambda fm: set_value(fm, where, new), f"Write '{'.'.join(map(str, path))}' as {shown}", safe=True)


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


def _close_matches(word: str, options: list[str], cutoff: float = 0.6) -> list[str]:
    """The best near spelling of ``word`` among ``options``, for "did you mean" (difflib is
    imported here: only a module with a misspelling needs it)."""
    from difflib import get_close_matches

    return get_close_matches(word, options, n=1, cutoff=cutoff)


def _unknown(module: Module, ctx: RuleContext, data: dict[str, Any], known: dict[str, Any], prefix: tuple[Any, ...]) -> Iterator[Finding]:
    for key in data:
        if key in known:
            continue
        close = _close_matches(key.lower().replace("-", "_"), list(known), cutoff=0.6)
        hint = f" Did you mean '{close[0]}'?" if close else " Remove it, or check the spelling against docs/module-format.md."
        where = ".".join(map(str, prefix)) + ("." if prefix else "")
        line, col = module.fm_pos(*prefix, key)
        fix = _rename_fix(module, prefix, key, close[0]) if close and close[0] not in data else None
        yield ctx.report(f"'{where}{key}' is not a front matter key modlint knows, so nothing checks it.{hint}", line, col, snippet=key, fix=fix)


_PLAIN_KEY = _regex.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


def _rename_fix(module: Module, prefix: tuple[Any, ...], key: str, new: str) -> Fix | None:
    """Rename a misspelt key to the suggestion. Unsafe: the suggestion is a guess,
    and a key that was ignored starts to count (and to be checked)."""
    description = f"Rename '{key}' to '{new}'"
    # A plain key written as itself, on a line with no comment (whose column the round
    # trip keeps), is renamed in place: the same edit the YAML round trip would make,
    # without its cost.
    line, col = module.fm_pos(*prefix, key)
    source = module.lines[line - 1] if module.fm_start < line < module.fm_end else ""
    after = source[col - 1 + len(key):].lstrip(" ")
    if (_PLAIN_KEY.fullmatch(key) and _PLAIN_KEY.fullmatch(new) and source.startswith(key, col - 1)
            and after.startswith(":") and "#" not in source):
        # The whole line is replaced, as the round trip's edits do, so both give the same fix.
        start = module.offset(line, 1)
        renamed = source[: col - 1] + new + source[col - 1 + len(key):]
        return Fix(description, (Edit(start, start + len(source) + 1, renamed + "\n"),), safe=False)
    from modlint.fixes import front_matter_edit, rename_key

    def mutate(fm: Any) -> None:
        node = fm
        for part in prefix:
            node = node[part]
        rename_key(node, key, new)

    return front_matter_edit(module, mutate, description, safe=False)


@rule("MOD006")
def unknown_personas(module: Module, ctx: RuleContext) -> Iterator[Finding]:
    named = module.fm("personas")
    if not isinstance(named, list):
        return
    known = [p.id for p in ctx.registry.all()]
    for i, pid in enumerate(named):
        if ctx.registry.get(str(pid)) is None:
            close = _close_matches(str(pid).lower(), known)
            hint = f" Did you mean '{close[0]}'?" if close else f" Known personas: {', '.join(known)}."
            line, col = module.fm_pos("personas", i)
            yield ctx.report(f"'personas' names '{pid}', which is not a known persona, so no rule can check this module for them.{hint}", line, col, snippet=str(pid))


# The framework writes each competency with the stage it belongs to, "Build
# relationships (Stage 2)", and authors copy it as written.
_STAGE_SUFFIX = _regex.compile(r"\s*\(\s*stage\s*(\d+)\s*\)\s*$", re.I)


def _module_stages(module: Module) -> list[int]:
    """The module's stages, or [] when 'stage' is missing or invalid (MOD004 says so)."""
    stage = module.fm("stage")
    stages = stage if isinstance(stage, list) else [stage]
    if not stages or not all(isinstance(s, int) and not isinstance(s, bool) and 1 <= s <= 4 for s in stages):
        return []
    return sorted(set(stages))


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


_NUMBERS = {2: "two", 3: "three", 4: "four"}


def _split_by_commas(named: list[Any], i: int, lower: dict[str, str]) -> list[Any]:
    """The items from ``i`` that a flow list cut out of one framework name at its
    commas ("[Use data, evidence and critical thinking]"), or [] when there are none."""
    if str(named[i]).lower() in lower:
        return []
    for count in range(2, 5):
        parts = named[i : i + count]
        if len(parts) < count or not all(isinstance(p, str) for p in parts):
            break
        whole = _STAGE_SUFFIX.sub("", ", ".join(parts)).strip().lower()
        if whole in lower:
            return parts
    return []


@rule("MOD007")
def unknown_competencies(module: Module, ctx: RuleContext) -> Iterator[Finding]:
    named = module.fm("competencies")
    if not isinstance(named, list):
        return
    known = ctx.registry.competencies()
    lower = {k.lower(): k for k in known}
    stages = _module_stages(module)
    joined_into: set[int] = set()
    for i, comp in enumerate(named):
        if i in joined_into:
            continue
        text = str(comp)
        parts = _split_by_commas(named, i, lower)
        # Only a list in square brackets cuts at commas; its items share a line.
        if parts and len({module.fm_pos("competencies", j)[0] for j in range(i, i + len(parts))}) == 1:
            joined_into.update(range(i + 1, i + len(parts)))
            whole = ", ".join(str(p) for p in parts)
            line, col = module.fm_pos("competencies", i)
            yield ctx.report(
                f"{_and([repr(str(p)) for p in parts])} are one competency, '{whole}', cut in {_NUMBERS[len(parts)]} by "
                f"{'its comma' if len(parts) == 2 else 'its commas'}: in a list "
                f"written in square brackets a comma starts a new item, so the gap report cannot count it. Put the name in quotes, "
                f'["{whole}"], or write each competency on its own line starting with \'- \'.',
                line, col, snippet=whole,
            )
            continue
        suffix = _STAGE_SUFFIX.search(text)
        name = text[: suffix.start()].strip() if suffix else text
        canonical = name if name in known else lower.get(name.lower())
        line, col = module.fm_pos("competencies", i)
        if canonical is None:
            close = _close_matches(name.lower(), list(lower), cutoff=0.5)
            again = f" (Stage {suffix.group(1)})" if suffix else ""
            hint = f" Did you mean '{lower[close[0]]}{again}'?" if close else " Use a competency name from the framework (see personas/framework.yaml)."
            yield ctx.report(f"'{text}' is not a competency in the framework, so the gap report cannot count it.{hint}", line, col, snippet=text)
            continue
        if suffix is None or not stages:
            continue
        named_stage = int(suffix.group(1))
        if named_stage in stages:
            continue
        listed = _and([str(s) for s in stages])
        yield ctx.report(
            f"'{text}' names stage {named_stage}, but this module is for stage{'s' if len(stages) > 1 else ''} {listed}, so the gap report "
            f"counts it for a stage the module is not part of. Write '{canonical} (Stage {stages[0]})' or just '{canonical}', "
            f"or add {named_stage} to 'stage' if the module is for stage {named_stage} too.",
            line, col, snippet=text,
        )


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


# Markdown that only means something at the start of a line: a heading, a list item, an
# activity fence, a quotation, a table row or an image.
_MARKDOWN_LINE = _regex.compile(r"^ {0,3}(?:#{1,6}(?:\s|$)|[-*+]\s+\S|\d{1,9}[.)]\s+\S|:::|>|!\[|\|)")
# HTML blocks that end at their own closing tag, not at a blank line, or hold text
# that is preformatted on purpose.
_SELF_ENDING = _regex.compile(r"^ {0,3}<(?:pre|script|style|textarea|!--|\?|![A-Za-z]|!\[CDATA\[)", re.I)


@rule("MOD014")
def html_runs_on(module: Module, ctx: RuleContext) -> Iterator[Finding]:
    for block in module.html_blocks:
        lines = block.content.split("\n")
        if not lines or _SELF_ENDING.match(lines[0]):
            continue
        swallowed = [(i, text) for i, text in enumerate(lines[1:], start=1) if _MARKDOWN_LINE.match(text)]
        if not swallowed:
            continue
        first_index, first_text = swallowed[0]
        last_line = block.line + len(lines) - 1 if lines[-1] else block.line + len(lines) - 2
        shown = first_text.strip()
        if len(shown) > 60:
            shown = shown[:57] + "..."
        yield ctx.report(
            f"The HTML on line {block.line} has no blank line after it, so it runs on to line {last_line}: the Markdown "
            f"there, starting with '{shown}' on line {block.line + first_index}, is shown as raw text, not as Markdown, "
            "and modlint cannot check it. Add a blank line after the HTML.",
            block.line,
            1,
            snippet=lines[0].strip()[:80],
        )
