"""Dataclass methods compiled once per Python build, not once per run.

:mod:`dataclasses` writes each class's ``__init__``, ``__repr__``, ``__eq__`` (and, for
a frozen class, ``__setattr__``, ``__delattr__`` and ``__hash__``) as source text and
compiles it with ``exec`` as the class is defined. A one-file run defines some forty
dataclasses, and compiling their 170 methods was a tenth of its time. The compiled code
depends only on that text and the Python build, so, as Python keeps a module's
bytecode in ``__pycache__``, it is kept in the user cache folder, keyed by the exact
text and stored in a file named for the build, and later runs hand ``exec`` the code.

Nothing else changes: ``dataclasses`` still writes the text and runs ``exec`` on it,
in the same namespaces; only the compiling is skipped when the same text was compiled
before. The file starts with a checksum of the rest and is replaced whole, never
edited in place; whatever is damaged, missing or not code is compiled afresh. Like a
``.pyc`` file it holds code that runs, so it lives in the user's own cache folder,
never in a checked repository, and it is read only when it and its folder are the
user's and no one else may write them.
"""
from __future__ import annotations

import binascii
import builtins
import marshal
import os
import sys
from pathlib import Path
from types import CodeType
from typing import Any

_HEADER = b"modlint-dataclass-code\n"
# Each release of modlint (or of a library) that changes a class adds texts; past this many
# the file is rewritten with only those this run used, so it neither grows without end nor
# fills up with texts no version still writes.
_MAX_ENTRIES = 2000

_codes: dict[str, CodeType] | None = None
_used: set[str] = set()
_dirty = False
_path: Path | None = None


def _cache_path() -> Path:
    from platformdirs import user_cache_dir

    folder = Path(os.environ.get("MODLINT_DATA_CACHE") or user_cache_dir("modlint"))
    # The exact build: marshal's format and the bytecode it holds are only good for the
    # interpreter that wrote them (the bytecode's format changes only between the minor
    # versions that cache_tag names, once a version is released).
    identity = f"{sys.version}|{sys.implementation.cache_tag}|{sys.byteorder}"
    return folder / f"dataclass-code-{sys.implementation.cache_tag}-{binascii.crc32(identity.encode()):08x}.bin"


def _private(st: os.stat_result, shared_bits: int) -> bool:
    """Whether what ``st`` describes is this user's (or the superuser's) and none of
    ``shared_bits`` are set: code is run from the file, so a file another user could
    have put there or could write is never read (a cache folder moved to a shared
    place such as /tmp)."""
    if not hasattr(os, "getuid"):  # Windows: the profile's folders are the user's own
        return True
    return st.st_uid in (os.getuid(), 0) and not st.st_mode & shared_bits


# Written owner-only; a folder made under a group-writable umask (0o002) still keeps out
# everyone else, and another user cannot make a file that is this user's.
_FILE_SHARED = 0o022
_FOLDER_SHARED = 0o002


def _read(path: Path) -> dict[str, CodeType]:
    try:
        if not _private(os.stat(path.parent), _FOLDER_SHARED):
            return {}
        with open(path, "rb") as fh:
            if not _private(os.fstat(fh.fileno()), _FILE_SHARED):
                return {}
            data = fh.read()
    except OSError:
        return {}
    head = len(_HEADER) + 4
    if len(data) < head or not data.startswith(_HEADER):
        return {}
    body = data[head:]
    if int.from_bytes(data[len(_HEADER) : head], "big") != binascii.crc32(body):
        return {}
    try:
        loaded = marshal.loads(body)
    except (ValueError, EOFError, TypeError):
        return {}
    if not isinstance(loaded, dict):
        return {}
    return {k: v for k, v in loaded.items() if isinstance(k, str) and isinstance(v, CodeType)}


def _exec(source: Any, globals: Any = None, locals: Any = None, /) -> None:  # noqa: A002 - exec's own names
    """``exec`` for :mod:`dataclasses`: the same, but a text compiled before is not compiled again."""
    global _dirty
    if isinstance(source, str) and _codes is not None:
        code = _codes.get(source)
        if code is None:
            # dont_inherit: compiled as dataclasses' own exec would compile it, without
            # this module's ``from __future__`` flags.
            code = _codes[source] = compile(source, "<string>", "exec", dont_inherit=True)
            _dirty = True
        _used.add(source)
        source = code
    if globals is None:  # exec's default: the caller's namespaces, not this module's
        frame = sys._getframe(1)
        globals = frame.f_globals
        if locals is None:
            locals = frame.f_locals
    builtins.exec(source, globals, locals)


def install() -> None:
    """Give :mod:`dataclasses` the cached ``exec``; call before the classes are defined.
    Does nothing on an interpreter other than CPython, or where something else already
    gave ``dataclasses`` an ``exec`` of its own."""
    global _codes, _path
    if _codes is not None or sys.implementation.name != "cpython":
        return
    import dataclasses

    if "exec" in vars(dataclasses):
        return
    try:
        _path = _cache_path()
    except ImportError:  # pragma: no cover - platformdirs is a dependency
        return
    _codes = _read(_path)
    dataclasses.exec = _exec  # type: ignore[attr-defined]


def save() -> None:
    """Write the file if this run compiled something new; a read-only home is fine."""
    global _dirty
    if not _dirty or _codes is None or _path is None:
        return
    _dirty = False
    try:
        from modlint.fileio import atomic_write_bytes

        kept = _codes if len(_codes) <= _MAX_ENTRIES else {k: v for k, v in _codes.items() if k in _used}
        body = marshal.dumps(kept)
        _path.parent.mkdir(parents=True, exist_ok=True)
        if not _private(os.stat(_path.parent), _FOLDER_SHARED):
            return  # it would never be read back (see _private)
        atomic_write_bytes(_path, _HEADER + binascii.crc32(body).to_bytes(4, "big") + body, durable=False, mode=0o600)
    except (OSError, ValueError):
        pass
