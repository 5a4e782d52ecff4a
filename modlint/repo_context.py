"""``--repo-context``: the rest of the repository, for checks across modules.

pre-commit passes only the changed files, so a collection rule such as MOD009
(duplicate module ids) would never see the module a new file clashes with. With
``--repo-context`` the other modules of the repository are read as context: only
their front matter, parsed with :mod:`modlint.parsing.frontmatter`, never their
body, and never reported on.

The repository is the git work tree holding the checked files (files git tracks,
plus untracked ones it does not ignore), or outside git the configuration's root
walked with ``.gitignore`` honoured. The configuration's ``exclude`` globs apply.
"""
from __future__ import annotations

import os
import subprocess
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Iterable


from modlint.discovery import glob_spec
from modlint.config import Config, find_config
from modlint.discovery import SKIP_DIRS, Skipped, walk
from modlint.model import ModuleInfo
from modlint.parsing import frontmatter

if TYPE_CHECKING:
    import pathspec
    from modlint.engine import FileResult

SUFFIXES = (".md", ".markdown")
MAX_FRONT_MATTER_LINES = 2000


def repository_root(start: Path, cfg: Config) -> tuple[Path, bool]:
    """(root, is_git): the git top level holding ``start``, else the configuration's root."""
    try:
        proc = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=start, capture_output=True, check=False)
        if proc.returncode == 0 and proc.stdout.strip():
            return Path(proc.stdout.decode("utf-8", errors="surrogateescape").strip()), True
    except (FileNotFoundError, NotADirectoryError, PermissionError):
        pass
    return (cfg.root if cfg.path is not None else start), False


def _git_files(root: Path) -> list[Path]:
    proc = subprocess.run(
        ["git", "-c", "core.quotePath=false", "ls-files", "--cached", "--others", "--exclude-standard", "-z", "--", *(f"*{s}" for s in SUFFIXES)],
        cwd=root, capture_output=True, check=False,
    )
    if proc.returncode != 0:
        return [path for path in walk(root) if not isinstance(path, Skipped)]
    out: list[Path] = []
    for rel in proc.stdout.decode("utf-8", errors="surrogateescape").split("\0"):
        if not rel or not rel.lower().endswith(SUFFIXES):
            continue
        if any(part in SKIP_DIRS for part in Path(rel).parts[:-1]):
            continue
        path = root / rel
        if path.is_file():  # tracked but deleted in the work tree: gone
            out.append(path)
    return sorted(out)


def candidate_files(root: Path, is_git: bool) -> list[Path]:
    if is_git:
        return _git_files(root)
    return [path for path in walk(root) if not isinstance(path, Skipped)]


@lru_cache(maxsize=64)
def _spec(globs: tuple[str, ...]) -> "pathspec.PathSpec":
    return glob_spec(globs)


def _excluded(path: Path, cfg: Config) -> bool:
    if not cfg.exclude:
        return False
    try:
        rel = os.path.relpath(path, cfg.root.resolve()).replace(os.sep, "/")
    except ValueError:
        return False
    if rel.startswith("../"):
        return False
    spec = _spec(cfg.exclude)
    if spec.match_file(rel):
        return True
    parts = rel.split("/")
    return any(spec.match_file("/".join(parts[:i]) + "/") for i in range(1, len(parts)))


def read_front_matter(path: Path, display: str, max_bytes: int) -> ModuleInfo | None:
    """A module's front matter only, stopping at its closing fence. None when the
    file has none, cannot be read, or its front matter is not valid YAML."""
    try:
        if path.stat().st_size > max_bytes:
            return None
        lines: list[str] = []
        with path.open("r", encoding="utf-8-sig", errors="strict", newline=None) as fh:
            first = fh.readline()
            if first.rstrip("\r\n").rstrip() != "---":
                return None
            lines.append("---")
            for raw in fh:
                line = raw.rstrip("\r\n")
                lines.append(line)
                if line.rstrip() in ("---", "...") or len(lines) > MAX_FRONT_MATTER_LINES:
                    break
    except (OSError, UnicodeDecodeError):
        return None
    fences = frontmatter.split(lines)
    if not isinstance(fences, tuple):
        return None
    start, end = fences
    data, positions, problems = frontmatter.load("\n".join(lines[start : end - 1]), start + 1)
    if not isinstance(data, dict):
        return None
    return ModuleInfo(display, data, positions)


def _display(path: Path, cwd: Path) -> str:
    try:
        rel = os.path.relpath(path, cwd)
    except ValueError:
        return str(path)
    return str(path) if rel.startswith("..") else rel


def other_modules(results: "Iterable[FileResult]", cfg: Config, start: Path | None = None) -> list[ModuleInfo]:
    """Front matter of the repository's modules that are not among ``results``."""
    results = list(results)
    cwd = Path.cwd().resolve()
    if start is None:
        start = cwd
        for r in results:
            parent = Path(r.path).parent
            if not r.path.startswith("<") and parent.is_dir():
                start = parent.resolve()
                break
    root, is_git = repository_root(start, cfg)
    checked = {os.path.realpath(r.path) for r in results if not r.path.startswith("<")}
    infos: list[ModuleInfo] = []
    for path in candidate_files(root, is_git):
        real = os.path.realpath(path)
        if real in checked:
            continue
        if _excluded(path, cfg):
            continue
        local = find_config(path.parent.resolve())
        if local is not cfg and _excluded(path, local):
            continue
        info = read_front_matter(path, _display(path.absolute(), cwd), local.max_file_size)
        if info is not None:
            infos.append(info)
    return infos
