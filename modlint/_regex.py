"""Regular expressions compiled once per Python build, not once per run.

CPython's ``re`` parses and compiles a pattern in Python code, a fraction of a
millisecond each. modlint's rules hold several hundred patterns, so a one-file run
(the pre-commit and editor-save case) would spend a third of its time compiling
them. The compiled form (the SRE code ``re`` hands to ``_sre.compile``) depends
only on the pattern, its flags and the Python build, so it is kept in the user
cache folder, keyed by all three, and handed to ``_sre.compile`` directly on
later runs.

Nothing here can change what a pattern matches: the cache file is JSON (no code
is loaded from it), ``_sre`` validates any code it is given and rejects what is
malformed, and whatever fails, or any Python that is not CPython, falls back to
:func:`re.compile`. A cache written by another Python is never read (its name
holds a hash of the exact Python build and the SRE magic number).
"""
from __future__ import annotations

import base64
import binascii
import json
import os
import re
import sys
from array import array
from pathlib import Path
from typing import Any

try:  # CPython's engine and the two halves of re that feed it
    import _sre
    from re import _compiler, _parser
except ImportError:  # pragma: no cover - another implementation: plain re.compile
    _sre = None  # type: ignore[assignment]

_entries: dict[str, list[Any]] | None = None
_dirty = False
_path: Path | None = None
# The SRE code is a list of unsigned ints of this size, stored as base64 of their bytes:
# a JSON string decodes many times faster than a JSON list of a hundred thousand numbers.
_CODE_TYPE = "I" if array("I").itemsize == 4 else "L"
_ENABLED = _sre is not None and sys.implementation.name == "cpython" and getattr(_sre, "CODESIZE", 4) == array(_CODE_TYPE).itemsize


def _cache_path() -> Path:
    from platformdirs import user_cache_dir

    folder = Path(os.environ.get("MODLINT_DATA_CACHE") or user_cache_dir("modlint"))
    # The exact build, not just the minor version: a patch release may compile a pattern
    # to different code that the engine would still accept.
    identity = f"{sys.version}|{sys.implementation.cache_tag}|{getattr(_sre, 'MAGIC', 0)}|{sys.byteorder}"
    # crc32 rather than hashlib, whose OpenSSL import would cost every run a few milliseconds;
    # the key only has to tell builds apart, the engine validates whatever it loads.
    build = binascii.crc32(identity.encode())
    return folder / f"regex-{sys.implementation.cache_tag}-{build:08x}.json"


def _load() -> dict[str, list[Any]]:
    global _entries, _path
    if _entries is None:
        _entries = {}
        try:
            _path = _cache_path()
            data = json.loads(_path.read_text(encoding="utf-8"))
            if isinstance(data, dict):
                _entries = data
        except (OSError, ValueError, ImportError):
            pass
    return _entries


def compile(pattern: str, flags: int = 0) -> re.Pattern[str]:  # noqa: A001 - the same name as re's, on purpose
    """:func:`re.compile`, from the cache where it can."""
    if not _ENABLED or not isinstance(pattern, str):
        return re.compile(pattern, flags)
    flags = int(flags)
    key = f"{flags}:{pattern}"
    entry = _load().get(key)
    if entry is not None:
        rebuilt = _rebuild(pattern, entry)
        if rebuilt is not None:
            return rebuilt
    compiled = re.compile(pattern, flags)
    _record(_load(), key, pattern, flags, compiled)
    return compiled


def _rebuild(pattern: str, entry: Any) -> re.Pattern[str] | None:
    try:
        final_flags, code, groups, groupindex, indexgroup = entry
        return _sre.compile(pattern, final_flags, array(_CODE_TYPE, base64.b64decode(code)).tolist(), groups, groupindex, tuple(indexgroup))
    except Exception:  # a stale or damaged entry: the caller compiles it again
        return None


# Patterns that the libraries modlint imports (markdown-it-py, ruamel.yaml, the standard
# library) compile when they load: a twentieth of a one-file run. re looks each
# pattern up in its own cache before compiling it, so :func:`seed` puts them there first.
_LIBRARY = "<re>"
_LIBRARY_MAX = 400  # re's own cache holds 512; patterns built from text must not crowd it
_NEW_LIBRARY_PATTERNS = 5


def seed() -> None:
    """Fill ``re``'s pattern cache with the library patterns earlier runs compiled, before
    those libraries are imported. Any surprise in re's internals leaves it empty."""
    cache = getattr(re, "_cache", None)
    if not _ENABLED or not isinstance(cache, dict):
        return
    stored = _load().get(_LIBRARY)
    if not isinstance(stored, dict):
        return
    for key, entry in stored.items():
        flags_text, _, pattern = key.partition(":")
        if not flags_text.isdigit() or (str, pattern, int(flags_text)) in cache:
            continue
        rebuilt = _rebuild(pattern, entry)
        if rebuilt is not None:
            cache[str, pattern, int(flags_text)] = rebuilt


def _learn_library_patterns() -> None:
    """Keep, for the next run's :func:`seed`, the patterns now in re's cache.

    A library may build a pattern from a set, whose order changes with every process's
    hash seed: that one is new on every run. So the set is only rewritten when this run
    writes the cache anyway, when there is none yet, or when several patterns are new (a
    library was upgraded), and it is rewritten whole, so stale patterns do not pile up."""
    global _dirty
    cache = getattr(re, "_cache", None)
    if not _ENABLED or not isinstance(cache, dict):
        return
    own = _load()
    stored = own.get(_LIBRARY)
    if not isinstance(stored, dict):
        stored = {}
    current: list[tuple[str, str, int, re.Pattern[str]]] = []
    for cache_key, compiled in list(cache.items()):
        if not (isinstance(cache_key, tuple) and len(cache_key) == 3 and cache_key[0] is str):
            continue
        _, pattern, flags = cache_key
        if not isinstance(flags, int) or flags & re.DEBUG or not isinstance(compiled, re.Pattern):
            continue
        key = f"{flags}:{pattern}"
        if key not in own:  # modlint's own are read back by compile()
            current.append((key, pattern, flags, compiled))
    unknown = sum(key not in stored for key, *_ in current)
    if _LIBRARY in own and not _dirty and unknown < _NEW_LIBRARY_PATTERNS:
        return
    fresh: dict[str, Any] = {}
    for key, pattern, flags, compiled in current[:_LIBRARY_MAX]:
        if key in stored:
            fresh[key] = stored[key]
        else:
            _record(fresh, key, pattern, flags, compiled)
    own[_LIBRARY] = fresh
    _dirty = True


def _record(store: dict[str, Any], key: str, pattern: str, flags: int, compiled: re.Pattern[str]) -> None:
    global _dirty
    try:
        parsed = _parser.parse(pattern, flags)
        code = _compiler._code(parsed, flags)
        groupindex = dict(parsed.state.groupdict)
        indexgroup: list[str | None] = [None] * parsed.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        final_flags = flags | parsed.state.flags
        # Only what rebuilds the very pattern re.compile made is kept.
        rebuilt = _sre.compile(pattern, final_flags, code, parsed.state.groups - 1, groupindex, tuple(indexgroup))
        if (rebuilt.flags, rebuilt.groups, rebuilt.groupindex) != (compiled.flags, compiled.groups, compiled.groupindex):
            return
        packed = base64.b64encode(array(_CODE_TYPE, code).tobytes()).decode("ascii")
    except Exception:  # internals that changed shape: this pattern is simply not cached
        return
    store[key] = [final_flags, packed, parsed.state.groups - 1, groupindex, indexgroup]
    _dirty = True


def derived(name: str, pattern: re.Pattern[str]) -> Any:
    """What was stored with :func:`remember` for ``pattern`` under ``name``, else None:
    facts about a pattern that take parsing it to learn (the words any match holds)."""
    if not _ENABLED:
        return None
    return _load().get(f"{name}|{pattern.flags}:{pattern.pattern}")


def remember(name: str, pattern: re.Pattern[str], value: Any) -> None:
    """Keep a JSON value about ``pattern`` for later runs (see :func:`derived`)."""
    global _dirty
    if _ENABLED and isinstance(pattern.pattern, str):
        _load()[f"{name}|{pattern.flags}:{pattern.pattern}"] = value
        _dirty = True


def save() -> None:
    """Write the cache if this run compiled something new; a read-only home is fine."""
    global _dirty
    if _entries is None:
        return
    _learn_library_patterns()
    if not _dirty:
        return
    _dirty = False
    try:
        from modlint.fileio import atomic_write_text

        path = _path or _cache_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(path, json.dumps(_entries, separators=(",", ":")))
    except (OSError, ImportError):
        pass
