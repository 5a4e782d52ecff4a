"""The result cache, on by default: a second run over unchanged files reads
neither their bytes nor their text.

An entry is keyed by the file's content hash; the whole cache file is keyed by
everything else that can change a finding: the configuration, the persona data,
the rule catalogue, plugin versions and modlint's own code. Any change there
starts a fresh cache. The cache is JSON (never pickle: loading it must not be
able to run code) and is replaced atomically, so concurrent runs at worst lose
each other's new entries, never corrupt the file. It is not flushed to disk first:
a file a power cut leaves damaged does not parse, and is read as no cache.

The warm path trusts a file's stat instead of its content hash only under the
rule of :func:`stat_stamp`; anything else falls back to reading and hashing.
Findings are stored as short rows (no key names, personas by index into one
table) because a repository with many findings would otherwise spend most of a
warm run decoding JSON.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from modlint import __version__
from modlint._blake import blake2b
from modlint.engine import FileResult
from modlint.fileio import atomic_write_bytes
from modlint.findings import Edit, Finding, Fix, PersonaRef, Severity, Suppression
from modlint.model import ModuleInfo
from modlint.plugins import Toolkit

CACHE_DIR_NAME = ".modlint_cache"
FORMAT = 5
# A file's stat stands in for its content hash only when the file was last
# written (mtime) and last changed at all (ctime) this long before the run that
# cached it: an edit inside the same timestamp tick as that run, which would keep
# mtime and size, cannot then go unnoticed, because any later edit moves mtime and
# ctime past the recorded ones. (ctime cannot be set back by tools, as mtime can
# by ``touch -d`` or ``cp -p``; it is part of the stamp too.)
STAT_SETTLE_NS = 2_000_000_000
_SEVERITIES = {int(s): s for s in Severity}


def content_key(data: bytes) -> str:
    return blake2b(data, digest_size=16).hexdigest()


def stat_key(st: os.stat_result) -> list[int]:
    """What :meth:`ResultCache.get_by_stat` compares: mtime, ctime, size, inode."""
    return [st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino]


def stat_stamp(st: os.stat_result, now_ns: int) -> list[int] | None:
    """The stat to record with an entry, or None for a file too freshly written
    (or with a timestamp in the future) to be trusted by its stat alone."""
    if now_ns - st.st_mtime_ns < STAT_SETTLE_NS or now_ns - st.st_ctime_ns < STAT_SETTLE_NS:
        return None
    return stat_key(st)


def toolkit_fingerprint(toolkit: Toolkit) -> str:
    h = blake2b(digest_size=16)
    h.update(f"{__version__}|{FORMAT}".encode())
    for name, version in sorted(toolkit.plugins.items()):
        h.update(f"{name}={version};".encode())
    for meta in toolkit.catalogue:
        h.update(json.dumps(meta.raw, sort_keys=True, default=str).encode())
    for persona in toolkit.registry.all():
        h.update(json.dumps(persona.raw, sort_keys=True, default=str).encode())
    h.update(json.dumps(toolkit.registry.framework, sort_keys=True, default=str).encode())
    # Editing modlint's own code in a checkout must invalidate results too.
    pkg = Path(__file__).resolve().parent
    for path in sorted(pkg.rglob("*.py")):
        st = path.stat()
        h.update(f"{path.relative_to(pkg)}:{st.st_mtime_ns}:{st.st_size};".encode())
    return h.hexdigest()


def cache_dir(root: Path, has_config: bool = True) -> Path:
    """``.modlint_cache/`` beside the project's config file, as ruff does; without a
    config file, the platform's cache folder, so no stray folders appear in a tree."""
    override = os.environ.get("MODLINT_CACHE_DIR")
    if override:
        return Path(override)
    if has_config:
        return root / CACHE_DIR_NAME
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("modlint")) / blake2b(os.fsencode(root.resolve()), digest_size=8).hexdigest()


class ResultCache:
    def __init__(self, folder: Path, scope: str) -> None:
        self.folder = folder
        self.scope = scope
        self.path = folder / f"results-{blake2b(scope.encode('utf-8', 'surrogateescape'), digest_size=8).hexdigest()}.json"
        # A loaded entry is a dict; one put() this run is its JSON, already encoded: in a pooled
        # run that happens while the workers still lint, not in save() when all else is done.
        self.entries: dict[str, dict[str, Any] | bytes] = {}
        self.personas: list[list[str]] = []
        self.dirty = False
        try:
            doc = json.loads(self.path.read_text(encoding="utf-8"))
            if (
                isinstance(doc, dict)
                and doc.get("format") == FORMAT
                and doc.get("scope") == scope
                and isinstance(doc.get("entries"), dict)
                and isinstance(doc.get("personas"), list)
            ):
                self.entries = doc["entries"]
                self.personas = doc["personas"]
        except (OSError, ValueError):
            self.entries = {}
        self._persona_index = {(p[0], p[1]): i for i, p in enumerate(self.personas) if isinstance(p, list) and len(p) == 2}
        self._persona_refs: dict[int, PersonaRef] = {}
        self._groups: dict[str, tuple[PersonaRef, ...]] = {}

    def get_by_stat(self, path: str, stamp: list[int], need_edits: bool = False) -> FileResult | None:
        """The cached result when the file's stat matches the one recorded with it
        (no read, no hash: the warm path); None to fall back to the content hash.
        With ``need_edits``, an entry whose fixes were stored without their edits is
        a miss."""
        entry = self.entries.get(path)
        if not isinstance(entry, dict) or entry.get("stat") != stamp or (need_edits and _edits_missing(entry)):
            return None
        return self._result(path, entry)

    def knows(self, path: str) -> bool:
        """Whether anything is cached for ``path``: if not, no content hash can find it."""
        return path in self.entries

    def get(self, path: str, key: str, need_edits: bool = False) -> FileResult | None:
        entry = self.entries.get(path)
        if not isinstance(entry, dict) or entry.get("key") != key or (need_edits and _edits_missing(entry)):
            return None
        return self._result(path, entry)

    def _persona(self, index: int) -> PersonaRef:
        ref = self._persona_refs.get(index)
        if ref is None:
            pid, title = self.personas[index]
            ref = self._persona_refs[index] = PersonaRef(str(pid), str(title))
        return ref

    def _persona_group(self, indexes: str) -> tuple[PersonaRef, ...]:
        """The personas of a one-string row ("0,3,4"): a repository's findings name the
        same few groups over and over, so each group is built once and shared."""
        group = self._groups.get(indexes)
        if group is None:
            group = self._groups[indexes] = tuple(self._persona(int(i)) for i in indexes.split(",")) if indexes else ()
        return group

    def _result(self, path: str, entry: dict[str, Any]) -> FileResult | None:
        try:
            findings = [self._finding(row, path) for row in entry["findings"]]
            raw = entry.get("info")
            info = None
            if isinstance(raw, list):
                front_matter, positions, targets = raw
                info = ModuleInfo(path, front_matter, _Positions(positions), tuple(targets))
            return FileResult(path, findings, info)
        except (KeyError, TypeError, ValueError, IndexError):
            return None

    def _finding(self, row: list[Any] | str, path: str) -> Finding:
        if isinstance(row, str):
            (rule_id, alias, family, sev, message, fpath, line, column, end_line, end_column,
             personas, snippet, segment) = row.split(_SEP)
            return Finding(
                rule_id, alias, family, _SEVERITIES[int(sev)], message, fpath or path,
                int(line), int(column), int(end_line) if end_line else None, int(end_column) if end_column else None,
                self._persona_group(personas),
                None, snippet, segment, None,
            )
        (rule_id, alias, family, severity, message, fpath, line, column, end_line, end_column,
         personas, fix, snippet, segment, suppressed) = row
        return Finding(
            rule_id, alias, family, _SEVERITIES[severity], message, path if fpath is None else fpath,
            line, column, end_line, end_column,
            tuple(self._persona(i) for i in personas),
            _fix(fix) if fix else None,
            snippet, segment,
            Suppression(suppressed[0], suppressed[1]) if suppressed else None,
        )

    def _row(self, f: Finding, path: str) -> list[Any]:
        personas = []
        for p in f.personas:
            index = self._persona_index.get((p.id, p.title))
            if index is None:
                index = self._persona_index[(p.id, p.title)] = len(self.personas)
                self.personas.append([p.id, p.title])
            personas.append(index)
        fix = None
        if f.fix is not None:
            # A lazy fix nobody asked about is stored without edits (None, not []), so
            # a run that prints edits takes the entry for a miss and lints again.
            edits = [[e.start, e.end, e.replacement] for e in f.fix.edits] if f.fix.resolved else None
            fix = [f.fix.description, f.fix.safe, edits]
        sup = [f.suppressed.kind, f.suppressed.justification] if f.suppressed else None
        texts = (f.rule_id, f.alias, f.family, f.message, f.path, f.snippet, f.segment)
        if fix is None and sup is None and not any(_SEP in t for t in texts):
            # Most findings: one string, which JSON reads many times faster than a list.
            return _SEP.join((
                f.rule_id, f.alias, f.family, str(int(f.severity)), f.message, "" if f.path == path else f.path,
                str(f.line), str(f.column), "" if f.end_line is None else str(f.end_line),
                "" if f.end_column is None else str(f.end_column), ",".join(map(str, personas)), f.snippet, f.segment,
            ))
        return [f.rule_id, f.alias, f.family, int(f.severity), f.message, None if f.path == path else f.path,
                f.line, f.column, f.end_line, f.end_column, personas, fix, f.snippet, f.segment, sup]

    def put(self, key: str, result: FileResult, stamp: list[int] | None = None) -> None:
        info = None
        if result.info is not None:
            info = [
                result.info.front_matter,
                json.dumps([[list(k), v[0], v[1]] for k, v in result.info.fm_positions.items()], separators=(",", ":")),
                list(result.info.targets),
            ]
        entry: dict[str, Any] = {"key": key, "findings": [self._row(f, result.path) for f in result.findings], "info": info}
        if stamp is not None:
            entry["stat"] = stamp
        self.entries[result.path] = _dumps(entry).encode()
        self.dirty = True

    def set_stamp(self, path: str, stamp: list[int]) -> None:
        """Record the stat of a file found unchanged by its content hash."""
        entry = self.entries.get(path)
        if isinstance(entry, dict) and entry.get("stat") != stamp:
            entry["stat"] = stamp
            self.dirty = True

    def save(self) -> None:
        if not self.dirty:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            gitignore = self.folder / ".gitignore"
            if not gitignore.exists():
                gitignore.write_text("# Created by modlint\n*\n", encoding="utf-8")
            atomic_write_bytes(self.path, self._document(), durable=False)
        except OSError:
            pass  # a read-only checkout still gets its findings, just no cache

    def _document(self) -> bytes:
        """The cache file, ASCII JSON: the entries put() encoded are spliced in as they are."""
        fresh = {path: entry for path, entry in self.entries.items() if isinstance(entry, bytes)}
        rest = {path: entry for path, entry in self.entries.items() if not isinstance(entry, bytes)}
        head = _dumps({"format": FORMAT, "scope": self.scope, "personas": self.personas, "entries": rest}).encode()
        if not fresh:
            return head
        # "entries" is the document's last key, so its object and the document end the text: "}}".
        added = b",".join(b"%s:%s" % (_dumps(path).encode(), data) for path, data in fresh.items())
        return b"".join((head[:-2], b"," if rest else b"", added, b"}}"))


def _dumps(value: Any) -> str:
    # ASCII, with everything else escaped: a path that is not UTF-8 (a name with a byte
    # the file system holds but UTF-8 cannot, read back as a lone surrogate) is stored
    # and read back exactly, where UTF-8 output could not be written at all.
    return json.dumps(value, ensure_ascii=True, default=str, separators=(",", ":"))


# Parts a finding's fields in the one-string form of a cached row: a control character
# no message, path or snippet holds (a row with one keeps the list form).
_SEP = "\x1f"


class _Positions(Mapping[tuple[Any, ...], tuple[int, int]]):
    """A cached module's front matter positions, kept as the JSON text they were stored as
    until a collection rule asks where a key is: most warm runs never do, and building
    4,000 dictionaries of tuples was a third of a warm run."""

    __slots__ = ("_raw", "_map")

    def __init__(self, raw: str) -> None:
        self._raw = raw
        self._map: dict[tuple[Any, ...], tuple[int, int]] | None = None

    def _load(self) -> dict[tuple[Any, ...], tuple[int, int]]:
        if self._map is None:
            rows = json.loads(self._raw) if isinstance(self._raw, str) else self._raw
            self._map = {tuple(p[0]): (int(p[1]), int(p[2])) for p in rows}
        return self._map

    def __getitem__(self, key: tuple[Any, ...]) -> tuple[int, int]:
        return self._load()[key]

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())

    def __reduce__(self) -> tuple[Any, ...]:
        return (dict, (self._load(),))


def _fix(row: list[Any]) -> Fix:
    description, safe, edits = row
    if edits is None:
        return Fix.lazy(description, lambda: None, safe)  # stored unresolved: edits unknown
    return Fix(description, tuple(Edit(e[0], e[1], e[2]) for e in edits), safe)


def _edits_missing(entry: dict[str, Any]) -> bool:
    rows = entry.get("findings")
    return isinstance(rows, list) and any(isinstance(row, list) and len(row) > 11 and row[11] and row[11][2] is None for row in rows)


def run_clean(args: argparse.Namespace) -> int:
    from modlint.config import find_config

    cfg = find_config(Path.cwd())
    removed = False
    for folder in {cache_dir(cfg.root, cfg.path is not None), cache_dir(cfg.root, False)}:
        if folder.is_dir():
            shutil.rmtree(folder)
            print(f"modlint: removed {folder}")
            removed = True
    if not removed:
        print("modlint: no cache to remove")
    return 0
