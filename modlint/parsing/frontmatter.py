"""Front matter: split it off, load it safely, and record where every key sits.

ruamel.yaml's round-trip loader keeps line and column for each key and item and
never constructs arbitrary Python objects: an unknown tag becomes a tagged scalar,
which is reported and read as plain text.
"""
from __future__ import annotations

import datetime as _dt
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq, TaggedScalar
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from modlint.parsing.problems import ParseProblem

MAX_NODES = 20_000  # YAML aliases can make a tiny file expand without limit
MAX_DEPTH = 64
# The round-trip loader reads about 3,000 keys a second; a module's front matter is
# a few hundred characters, so anything past this is not front matter to read.
MAX_CHARS = 64 * 1024
_FENCE = "---"

Positions = dict[tuple[Any, ...], tuple[int, int]]


class _TooLarge(Exception):
    pass


def split(lines: list[str]) -> tuple[int, int] | None | str:
    """Return (start, end) 1-based lines of the ``---`` fences, None if absent, or
    ``"unclosed"`` when the opening fence has no closing one."""
    if not lines or lines[0].rstrip() != _FENCE:
        return None
    for i in range(1, len(lines)):
        if lines[i].rstrip() in (_FENCE, "..."):
            return (1, i + 1)
    return "unclosed"


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    return yaml


def _too_deep(text: str) -> bool:
    """Whether brackets or braces open deeper than :data:`MAX_DEPTH`. Checked before
    loading: the YAML scanner is quadratic in flow nesting (5,000 '[' take seconds)."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return False
    depth = 0
    for ch in text:
        if ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return True
        elif ch in "]}" and depth:
            depth -= 1
    return False


def load(text: str, first_line: int) -> tuple[Any, Positions, list[ParseProblem]]:
    """Load front matter YAML that starts at file line ``first_line``."""
    problems: list[ParseProblem] = []
    if len(text) > MAX_CHARS:
        problems.append(
            ParseProblem(
                "MOD002",
                f"The front matter is {len(text):,} characters long, more than the {MAX_CHARS:,} a module's details "
                "can need, so it was not read. Check that the closing '---' line is where you meant it to be.",
                first_line,
                1,
            )
        )
        return None, {}, problems
    if _too_deep(text):
        problems.append(_too_large_problem(first_line))
        return None, {}, problems
    try:
        raw = _yaml().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark is not None and "end of stream" in (exc.problem or ""):
            # An unclosed quote or bracket: point at where it opened, not at the end of the file.
            mark = exc.context_mark
        line = first_line + (mark.line if mark else 0)
        col = (mark.column + 1) if mark else 1
        what = " ".join(x for x in (exc.context, exc.problem) if x) or "invalid YAML"
        message = f"The front matter is not valid YAML: {what}."
        if "quoted scalar" in (exc.context or "") and "end of stream" in (exc.problem or ""):
            message = "The front matter has a quoted value that is never closed. Add the closing quotation mark."
        elif "mapping values are not allowed" in (exc.problem or ""):
            message = "The front matter has a ':' inside a value. Put the value in quotation marks, e.g. title: \"Leading: a guide\"."
        elif "found character '\\t'" in (exc.problem or ""):
            message = "The front matter is indented with a tab. Indent with spaces."
        problems.append(ParseProblem("MOD002", message, line, col))
        return None, {}, problems
    except (YAMLError, RecursionError, ValueError) as exc:
        problems.append(ParseProblem("MOD002", f"The front matter is not valid YAML: {exc}.", first_line, 1))
        return None, {}, problems
    positions: Positions = {}
    budget = [MAX_NODES]
    try:
        data = _plain(raw, (), positions, first_line, problems, budget, 0)
    except _TooLarge:
        problems.append(_too_large_problem(first_line))
        return None, {}, problems
    return data, positions, problems


def _too_large_problem(first_line: int) -> ParseProblem:
    return ParseProblem(
        "MOD002",
        f"The front matter expands to more than {MAX_NODES} values or nests deeper than "
        f"{MAX_DEPTH} levels (often YAML anchors and aliases repeated inside each other). "
        "Write the values out plainly.",
        first_line,
        1,
    )


def _plain(
    node: Any,
    path: tuple[Any, ...],
    positions: Positions,
    first_line: int,
    problems: list[ParseProblem],
    budget: list[int],
    depth: int,
) -> Any:
    budget[0] -= 1
    if budget[0] < 0 or depth > MAX_DEPTH:
        raise _TooLarge()
    if isinstance(node, (CommentedMap, CommentedSeq)):
        tag = getattr(getattr(node, "tag", None), "value", None)
        if tag:
            line, col = positions.get(path, (first_line, 1))
            problems.append(_tag_problem(path, tag, line, col))
            # Read as text so the one tag problem is not echoed by schema findings.
            return " ".join(str(x) for x in (node.values() if isinstance(node, CommentedMap) else node))
    if isinstance(node, CommentedMap):
        out: dict[Any, Any] = {}
        for key in node:
            try:
                line, col = node.lc.key(key)
                positions[path + (str(key),)] = (first_line + line, col + 1)
            except (KeyError, TypeError, AttributeError):
                pass
            skey = key if isinstance(key, str) else str(key)
            out[skey] = _plain(node[key], path + (skey,), positions, first_line, problems, budget, depth + 1)
        return out
    if isinstance(node, CommentedSeq):
        items = []
        for i, item in enumerate(node):
            try:
                line, col = node.lc.item(i)
                positions[path + (i,)] = (first_line + line, col + 1)
            except (KeyError, TypeError, AttributeError, IndexError):
                pass
            items.append(_plain(item, path + (i,), positions, first_line, problems, budget, depth + 1))
        return items
    if isinstance(node, TaggedScalar):
        line, col = positions.get(path, (first_line, 1))
        problems.append(_tag_problem(path, getattr(node.tag, "value", node.tag), line, col))
        return str(node.value)
    if hasattr(node, "tag") and getattr(node, "tag", None) is not None and not isinstance(
        node, (str, int, float, bool, _dt.date)
    ):
        return str(node)
    if isinstance(node, _dt.datetime):
        return node.isoformat()
    if isinstance(node, _dt.date):
        return node.isoformat()
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, str):
        return str(node)
    return str(node)


def _tag_problem(path: tuple[Any, ...], tag: Any, line: int, col: int) -> ParseProblem:
    where = ".".join(map(str, path)) or "the front matter"
    return ParseProblem(
        "MOD002",
        f"The value of '{where}' carries the YAML tag '{tag}', which modlint never runs or builds; "
        "it is read as plain data. Remove the tag.",
        line,
        col,
    )
