"""The result cache, on by default: a second run over unchanged files re-reads
nothing but the files' bytes.

An entry is keyed by the file's content hash; the whole cache file is keyed by
everything else that can change a finding: the configuration, the persona data,
the rule catalogue, plugin versions and modlint's own code. Any change there
starts a fresh cache. The cache is JSON (never pickle: loading it must not be
able to run code) and is replaced atomically, so concurrent runs at worst lose
each other's new entries, never corrupt the file.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any

from modlint import __version__
from modlint.engine import FileResult
from modlint.fileio import atomic_write_text
from modlint.findings import Finding, finding_from_dict
from modlint.model import ModuleInfo
from modlint.plugins import Toolkit

CACHE_DIR_NAME = ".modlint_cache"
FORMAT = 1


def content_key(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def toolkit_fingerprint(toolkit: Toolkit) -> str:
    h = hashlib.blake2b(digest_size=16)
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

    return Path(user_cache_dir("modlint")) / hashlib.blake2b(str(root.resolve()).encode(), digest_size=8).hexdigest()


class ResultCache:
    def __init__(self, folder: Path, scope: str) -> None:
        self.folder = folder
        self.scope = scope
        self.path = folder / f"results-{hashlib.blake2b(scope.encode(), digest_size=8).hexdigest()}.json"
        self.entries: dict[str, Any] = {}
        self.dirty = False
        try:
            doc = json.loads(self.path.read_text(encoding="utf-8"))
            if isinstance(doc, dict) and doc.get("scope") == scope and isinstance(doc.get("entries"), dict):
                self.entries = doc["entries"]
        except (OSError, ValueError):
            self.entries = {}

    def get(self, path: str, key: str) -> FileResult | None:
        entry = self.entries.get(path)
        if not isinstance(entry, dict) or entry.get("key") != key:
            return None
        try:
            findings = [finding_from_dict(f) for f in entry["findings"]]
            raw = entry.get("info")
            info = None
            if isinstance(raw, dict):
                positions = {tuple(p[0]): (int(p[1]), int(p[2])) for p in raw.get("positions", [])}
                info = ModuleInfo(path, raw.get("front_matter"), positions, tuple(raw.get("targets", ())))
            return FileResult(path, findings, info)
        except (KeyError, TypeError, ValueError):
            return None

    def put(self, key: str, result: FileResult) -> None:
        info = None
        if result.info is not None:
            info = {
                "front_matter": result.info.front_matter,
                "positions": [[list(k), v[0], v[1]] for k, v in result.info.fm_positions.items()],
                "targets": list(result.info.targets),
            }
        entry = {"key": key, "findings": [_finding_dict(f) for f in result.findings], "info": info}
        self.entries[result.path] = entry
        self.dirty = True

    def save(self) -> None:
        if not self.dirty:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            gitignore = self.folder / ".gitignore"
            if not gitignore.exists():
                gitignore.write_text("# Created by modlint\n*\n", encoding="utf-8")
            atomic_write_text(self.path, json.dumps({"scope": self.scope, "entries": self.entries}, ensure_ascii=False, default=str))
        except OSError:
            pass  # a read-only checkout still gets its findings, just no cache


def _finding_dict(f: Finding) -> dict[str, Any]:
    out = f.to_dict()
    out["snippet"] = f.snippet
    out["segment"] = f.segment
    return out


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
