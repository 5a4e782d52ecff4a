"""Helpers for rule authors who attach fixes to findings.

Every helper returns a :class:`~modlint.findings.Fix` (or ``None`` when there is
nothing to change) whose edits index :attr:`Module.text` (the decoded file, line
endings normalised to ``\\n``, no byte order mark). ``modlint check --fix`` puts the
file's own line endings, byte order mark and encoding back when it writes.

Front matter
    :func:`front_matter_edit` round-trips the front matter with ruamel.yaml and
    hands the rule a ``CommentedMap`` to change. Only the lines that change are
    replaced, so comments, key order, quoting, indentation and every line the rule
    did not touch stay exactly as the author wrote them. :func:`set_value`,
    :func:`rename_key` and :func:`insert_key` are mutations that keep a value's
    quoting and a key's comments.

Body
    :func:`replace_span`, :func:`replace_range` and :func:`insert_at` make exact
    text replacements at a finding's range.

See docs/fixes.md.
"""
from __future__ import annotations

import io
import re
from functools import lru_cache
from typing import Any, Callable

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    PlainScalarString,
    SingleQuotedScalarString,
)

from modlint.findings import Edit, Fix
from modlint.model import Module

__all__ = [
    "front_matter_edit",
    "set_value",
    "rename_key",
    "insert_key",
    "delete_key",
    "replace_span",
    "replace_range",
    "insert_at",
    "detect_indent",
    "CommentedMap",
    "CommentedSeq",
]

Mutate = Callable[[CommentedMap], Any]

_KEY_WITH_BLOCK = re.compile(r"^(\s*)(?:-\s+)*[^\s#-][^#]*:\s*(?:#.*)?$")
_SEQ_ITEM = re.compile(r"^(\s*)-(\s+)\S")


# -- front matter ---------------------------------------------------------------

def detect_indent(lines: list[str]) -> tuple[int, int, int]:
    """Guess ruamel.yaml's ``(mapping, sequence, offset)`` indentation from the text.

    ``offset`` is how far a ``-`` sits inside its parent key; ``sequence`` is where
    the item's content starts. ``key:\\n  - a`` gives (2, 4, 2); ``key:\\n- a`` gives
    (2, 2, 0).
    """
    mapping: int | None = None
    sequence: int | None = None
    offset: int | None = None
    content = [(i, ln) for i, ln in enumerate(lines) if ln.strip() and not ln.lstrip().startswith("#")]
    for pos, (_, line) in enumerate(content[:-1]):
        parent = _KEY_WITH_BLOCK.match(line)
        if not parent:
            continue
        # the column of the key itself, after any "- " of a sequence item it starts
        key_col = len(line) - len(line.lstrip(" -")) if line.lstrip().startswith("-") else len(parent.group(1))
        child = content[pos + 1][1]
        child_col = len(child) - len(child.lstrip(" "))
        if child_col < key_col:
            continue
        item = _SEQ_ITEM.match(child)
        if item and offset is None:
            offset = child_col - key_col
            sequence = offset + 1 + len(item.group(2))
        elif not item and child_col > key_col and mapping is None:
            mapping = child_col - key_col
        if mapping is not None and offset is not None:
            break
    mapping = mapping or 2
    if offset is None:
        offset, sequence = 2, mapping + 2
    assert sequence is not None
    sequence = max(sequence, offset + 2)
    return mapping, sequence, offset


def _yaml(indent: tuple[int, int, int]) -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.allow_duplicate_keys = False
    yaml.width = 4096  # never fold a long line the author kept on one line
    yaml.indent(mapping=indent[0], sequence=indent[1], offset=indent[2])
    return yaml


def _dump(yaml: YAML, data: Any) -> str:
    if isinstance(data, CommentedMap) and not data and not data.ca.comment:
        return ""
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _round_trip(source: str, lines: list[str]) -> tuple[YAML, str] | None:
    """Find the indentation settings that reproduce ``source`` best; return the
    YAML instance and the unmutated dump."""
    found = _best_indent(source)
    return None if found is None else (_yaml(found[0]), found[1])


@lru_cache(maxsize=64)
def _best_indent(source: str) -> tuple[tuple[int, int, int], str] | None:
    """The indentation that reproduces ``source`` best, and the unmutated dump. Cached, as
    several fixes to one module (a duration, a session length, a placeholder) start from the
    same front matter and each try would load and dump it up to six times."""
    lines = source.split("\n")[:-1]
    detected = detect_indent(lines)
    candidates = [detected] + [c for c in ((2, 4, 2), (2, 2, 0), (4, 4, 2), (4, 6, 4), (4, 4, 0)) if c != detected]
    best: tuple[float, tuple[int, int, int], str] | None = None
    for indent in candidates:
        yaml = _yaml(indent)
        try:
            data = yaml.load(source) if source.strip() else CommentedMap()
            dumped = _dump(yaml, data if data is not None else CommentedMap())
        except (YAMLError, ValueError, RecursionError, TypeError):
            return None
        if dumped == source:
            return indent, dumped
        from difflib import SequenceMatcher  # only fixes need it, not the start-up of a check

        ratio = SequenceMatcher(None, source.splitlines(), dumped.splitlines(), autojunk=False).ratio()
        if best is None or ratio > best[0]:
            best = (ratio, indent, dumped)
    assert best is not None
    return best[1], best[2]


def front_matter_edit(module: Module, mutate: Mutate, description: str, safe: bool = True) -> Fix | None:
    """A fix that changes the front matter through ruamel.yaml's round trip.

    ``mutate`` receives the front matter as a ``CommentedMap`` and changes it in
    place (its return value is ignored). The result is compared with an unchanged
    round trip line by line, and only the lines that differ are replaced in the
    author's text, so nothing the rule did not touch is reformatted. Returns
    ``None`` when the front matter is missing or invalid.

    The fix is lazy (:meth:`Fix.lazy`): the round trip runs only when its edits are
    asked for, and they come out empty when ``mutate`` changes nothing or a change
    cannot be placed without disturbing other lines.
    """
    if module.fm_start == 0 or module.fm_end <= module.fm_start or not isinstance(module.front_matter, dict):
        return None
    return Fix.lazy(description, lambda: _front_matter_edits(module, mutate), safe)


def _front_matter_edits(module: Module, mutate: Mutate) -> list[Edit] | None:
    lines = module.lines[module.fm_start : module.fm_end - 1]
    source = "".join(line + "\n" for line in lines)
    found = _round_trip(source, lines)
    if found is None:
        return None
    yaml, base = found
    try:
        data = yaml.load(source) if source.strip() else None
        if data is None:
            data = CommentedMap()
        if not isinstance(data, CommentedMap):
            return None
        mutate(data)
        changed = _dump(yaml, data)
    except (YAMLError, ValueError, RecursionError, TypeError):
        return None
    if changed == base:
        return None
    return _line_edits(module, lines, base.splitlines(), changed.splitlines())


def _line_edits(module: Module, source: list[str], base: list[str], changed: list[str]) -> list[Edit] | None:
    """Edits that turn ``source`` into ``changed``, given that ``base`` is how the
    round trip renders ``source``. Every changed line must map back to the author's
    own lines; otherwise None."""
    from difflib import SequenceMatcher

    mapping: dict[int, int] = {}
    for block in SequenceMatcher(None, source, base, autojunk=False).get_matching_blocks():
        for k in range(block.size):
            mapping[block.b + k] = block.a + k
    first = module.fm_start + 1  # file line of the first front matter line

    def offset(index: int) -> int:
        return module.offset(first + index, 1)

    edits: list[Edit] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, base, changed, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        new = "".join(line + "\n" for line in changed[j1:j2])
        if i1 < i2:
            starts = [mapping.get(i) for i in range(i1, i2)]
            if starts[0] is None or any(s != starts[0] + k for k, s in enumerate(starts)):
                return None
            a, b = starts[0], starts[0] + (i2 - i1)
        elif i1 > 0 and (i1 - 1) in mapping:
            a = b = mapping[i1 - 1] + 1
        elif i1 < len(base) and i1 in mapping:
            a = b = mapping[i1]
        elif not base:
            a = b = len(source)
        else:
            return None
        edits.append(Edit(offset(a), offset(b), new))
    return edits


def _styled(old: Any, new: Any) -> Any:
    """``new`` written in the quoting style of ``old`` (a string stays quoted)."""
    if not isinstance(new, str) or type(new) is not str:
        return new
    for style in (DoubleQuotedScalarString, SingleQuotedScalarString, LiteralScalarString, FoldedScalarString):
        if isinstance(old, style):
            return style(new)
    if isinstance(old, PlainScalarString):
        return PlainScalarString(new)
    return new


def _container(data: CommentedMap, path: tuple[Any, ...]) -> tuple[Any, Any]:
    node: Any = data
    for part in path[:-1]:
        node = node[part]
    return node, path[-1]


def set_value(data: CommentedMap, path: str | tuple[Any, ...], value: Any) -> None:
    """Set a key (or list item) that already exists, keeping the old value's quoting
    and the comment after it. ``path`` is a key or a tuple such as ``("media", 0, "type")``."""
    parent, last = _container(data, path if isinstance(path, tuple) else (path,))
    parent[last] = _styled(parent[last], value)


def insert_key(data: CommentedMap, key: str, value: Any, *, after: str | None = None, before: str | None = None, comment: str | None = None) -> None:
    """Add ``key`` (does nothing if it is there), after or before a named key when
    given and present, otherwise at the end. ``comment`` goes after the value."""
    if key in data:
        return
    keys = list(data)
    if after is not None and after in data:
        pos = keys.index(after) + 1
    elif before is not None and before in data:
        pos = keys.index(before)
    else:
        pos = len(keys)
    if pos >= len(keys):
        data[key] = value
    else:
        data.insert(pos, key, value)
    if comment:
        data.yaml_add_eol_comment(comment, key)


def rename_key(data: CommentedMap, old: str, new: str) -> None:
    """Rename a key in place: same position, same value, same comments. Does
    nothing if ``old`` is missing or ``new`` exists already."""
    if old not in data or new in data:
        return
    pos = list(data).index(old)
    comments = data.ca.items.pop(old, None)
    value = data.pop(old)
    data.insert(pos, new, value)
    if comments is not None:
        data.ca.items[new] = comments


def delete_key(data: CommentedMap, key: str) -> None:
    """Remove a key and its own end-of-line comment."""
    if key in data:
        data.ca.items.pop(key, None)
        del data[key]


# -- body -----------------------------------------------------------------------

def replace_span(module: Module, start: int, end: int, replacement: str, description: str, safe: bool = True) -> Fix | None:
    """Replace ``module.text[start:end]``; None when that changes nothing."""
    if not (0 <= start <= end <= len(module.text)):
        raise ValueError(f"edit {start}:{end} is outside the module text (length {len(module.text)})")
    if module.text[start:end] == replacement:
        return None
    return Fix(description, (Edit(start, end, replacement),), safe)


def replace_range(module: Module, line: int, column: int, end_line: int, end_column: int, replacement: str, description: str, safe: bool = True) -> Fix | None:
    """Replace the text from (line, column) up to, not including, (end_line,
    end_column): the same 1-based positions a finding reports."""
    return replace_span(module, module.offset(line, column), module.offset(end_line, end_column), replacement, description, safe)


def insert_at(module: Module, line: int, column: int, text: str, description: str, safe: bool = True) -> Fix | None:
    """Insert ``text`` before (line, column)."""
    pos = module.offset(line, column)
    return replace_span(module, pos, pos, text, description, safe) if text else None
