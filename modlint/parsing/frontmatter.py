"""Front matter: split it off, load it safely, and record where every key sits.

Most front matter is plain mappings, lists and scalars. That is composed into
nodes by ruamel.yaml's C parser where it is installed (ruamel.yaml.clib, seven
times faster than the pure-Python loader) and read into plain data here, with the
line and column of every key and item from the nodes' marks. Anything less plain
(an error, a tag, an anchor or alias, a merge key, a duplicate key) is read again
by the round-trip loader, whose messages and handling are the reference: it keeps
line and column for each key and item and never constructs arbitrary Python
objects (an unknown tag becomes a tagged scalar, which is reported and read as
plain text).
"""
from __future__ import annotations

import datetime as _dt
from functools import lru_cache
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq, TaggedScalar
from ruamel.yaml.constructor import SafeConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

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


_TAG = "tag:yaml.org,2002:"
_STR, _NULL = _TAG + "str", _TAG + "null"
# The scalar tags the fast path builds itself; any other tag goes to the round trip.
_SCALARS = {_TAG + name: SafeConstructor.yaml_constructors[_TAG + name] for name in ("bool", "int", "float", "timestamp")}


class _NotPlain(Exception):
    """The front matter needs the round-trip loader (see the module docstring)."""


@lru_cache(maxsize=1)
def _c_loader_class() -> type | None:
    """ruamel.yaml's C reader, scanner and parser with its safe constructor and
    resolver, or None where ruamel.yaml.clib is not installed.

    ``YAML(typ="safe", pure=False).compose`` builds this very class anew on every call,
    and each instance points at itself, so every module's nodes waited for the cycle
    collector. Here it is made once, and :func:`_compose` breaks the loops after use."""
    try:
        from ruamel.yaml.cyaml import CParser
    except ImportError:
        return None
    from ruamel.yaml.resolver import VersionedResolver

    class CLoader(CParser, SafeConstructor, VersionedResolver):  # type: ignore[misc, valid-type]
        # What ruamel's own class resolves with: it asks the scanner for a %YAML version,
        # the C parser has none to give, and it falls back to 1.2 after two exceptions.
        processing_version = (1, 2)

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            self._parser = self._composer = self
            SafeConstructor.__init__(self, loader=self)
            VersionedResolver.__init__(self, loadumper=self)

    return CLoader


@lru_cache(maxsize=1)
def _safe_yaml() -> YAML:
    """The pure-Python safe loader: its constructor builds scalars (as YAML 1.2 reads
    them), and it composes where there is no C parser, still faster than the round trip."""
    return YAML(typ="safe", pure=True)


def _compose(text: str) -> Any:
    """The node tree of ``text``, composed by the C parser where there is one."""
    loader_class = _c_loader_class()
    if loader_class is not None:
        loader = loader_class(text)
        try:
            return loader.get_single_node()
        finally:
            loader.dispose()
            vars(loader).clear()  # the parser, composer, constructor and resolver are itself
    yaml = _safe_yaml()
    try:
        return yaml.compose(text)
    finally:
        # ruamel keeps a record of each document it has read: a language server
        # would keep one per keystroke.
        del yaml.doc_infos[:]


class _Builder:
    """Plain data from composed nodes, with each key's and item's position."""

    __slots__ = ("first_line", "positions", "seen", "constructor")

    def __init__(self, first_line: int, positions: Positions) -> None:
        self.first_line = first_line
        self.positions = positions
        self.seen: set[int] = set()
        self.constructor = _safe_yaml().constructor

    def build(self, node: Node, path: tuple[Any, ...], depth: int) -> Any:
        if id(node) in self.seen or depth > MAX_DEPTH:  # an alias, or absurd nesting
            raise _NotPlain()
        self.seen.add(id(node))
        if isinstance(node, ScalarNode):
            if node.tag == _STR:
                return node.value
            if node.tag == _NULL:
                return None
            make = _SCALARS.get(node.tag)
            if make is None:
                raise _NotPlain()
            value = make(self.constructor, node)
            return value.isoformat() if isinstance(value, (_dt.date, _dt.datetime)) else value
        if isinstance(node, MappingNode):
            if node.tag != _TAG + "map":
                raise _NotPlain()
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, ScalarNode) or key_node.tag not in (_STR, _TAG + "int", _TAG + "float", _TAG + "bool", _NULL):
                    raise _NotPlain()  # merge keys, complex keys, tagged keys
                key = self.build(key_node, path, depth + 1)
                skey = key if isinstance(key, str) else str(key)
                if skey in out:
                    raise _NotPlain()  # the round trip reports the duplicate in its own words
                mark = key_node.start_mark
                self.positions[path + (skey,)] = (self.first_line + mark.line, mark.column + 1)
                out[skey] = self.build(value_node, path + (skey,), depth + 1)
            return out
        if isinstance(node, SequenceNode):
            if node.tag != _TAG + "seq":
                raise _NotPlain()
            items = []
            for i, item in enumerate(node.value):
                mark = item.start_mark
                self.positions[path + (i,)] = (self.first_line + mark.line, mark.column + 1)
                items.append(self.build(item, path + (i,), depth + 1))
            return items
        raise _NotPlain()


def _load_plain(text: str, first_line: int, positions: Positions) -> Any:
    """Plain data from plain front matter, filling ``positions``; raises
    :class:`_NotPlain` for anything the round-trip loader must read."""
    try:
        root = _compose(text)
    except (YAMLError, RecursionError, ValueError) as exc:
        raise _NotPlain() from exc
    if root is None:
        return None
    if len(text) > MAX_NODES:  # cannot hold more nodes than characters; past this, count them
        count = 0
        stack = [root]
        while stack:
            node = stack.pop()
            count += 1
            if count > MAX_NODES:
                raise _NotPlain()
            if isinstance(node, MappingNode):
                stack.extend(n for pair in node.value for n in pair)
            elif isinstance(node, SequenceNode):
                stack.extend(node.value)
    try:
        return _Builder(first_line, positions).build(root, (), 0)
    except (YAMLError, ValueError, TypeError, RecursionError) as exc:
        raise _NotPlain() from exc


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
    fast_positions: Positions = {}
    try:
        return _load_plain(text, first_line, fast_positions), fast_positions, problems
    except _NotPlain:
        pass
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
