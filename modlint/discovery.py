"""Find the Markdown files to check: walk folders, honour .gitignore and excludes."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pathspec

SKIP_DIRS = frozenset({".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", ".modlint_cache", ".tox", ".mypy_cache", ".pytest_cache"})


@dataclass(frozen=True, slots=True)
class Skipped:
    path: str
    reason: str


def _gitignore(folder: Path) -> pathspec.PathSpec | None:
    path = folder / ".gitignore"
    if not path.is_file():
        return None
    try:
        return pathspec.PathSpec.from_lines("gitwildmatch", path.read_text(encoding="utf-8", errors="replace").splitlines())
    except (OSError, ValueError):
        return None


def walk(root: Path, exclude: pathspec.PathSpec | None = None, exclude_root: Path | None = None) -> Iterator[Path | Skipped]:
    """Yield Markdown files under ``root`` in a stable order, or :class:`Skipped` entries
    for what could not be entered (symlink loops, unreadable folders)."""
    specs: list[tuple[Path, pathspec.PathSpec]] = []
    seen: set[tuple[int, int]] = set()
    base = exclude_root or root

    def ignored(path: Path, is_dir: bool) -> bool:
        for folder, spec in specs:
            try:
                rel = path.relative_to(folder).as_posix()
            except ValueError:
                continue
            if spec.match_file(rel + ("/" if is_dir else "")):
                return True
        if exclude is not None:
            try:
                rel = os.path.relpath(path, base).replace(os.sep, "/")
            except ValueError:
                return False
            if exclude.match_file(rel + ("/" if is_dir else "")) or exclude.match_file(rel):
                return True
        return False

    def visit(folder: Path) -> Iterator[Path | Skipped]:
        try:
            st = folder.stat()
        except OSError as exc:
            yield Skipped(str(folder), f"cannot be read ({exc.strerror or exc})")
            return
        key = (st.st_dev, st.st_ino)
        if key in seen:
            yield Skipped(str(folder), "is a symbolic link back into a folder already checked (a loop), so it was skipped")
            return
        seen.add(key)
        spec = _gitignore(folder)
        pushed = False
        if spec is not None:
            specs.append((folder, spec))
            pushed = True
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            yield Skipped(str(folder), f"cannot be read ({exc.strerror or exc})")
            entries = []
        for entry in entries:
            path = Path(entry.path)
            try:
                is_dir = entry.is_dir()
            except OSError:
                continue
            if is_dir:
                if entry.name in SKIP_DIRS or ignored(path, True):
                    continue
                yield from visit(path)
            elif entry.name.lower().endswith((".md", ".markdown")) and not ignored(path, False):
                yield path
        if pushed:
            specs.pop()

    yield from visit(root)


def collect(paths: list[str], exclude_globs: tuple[str, ...] = (), exclude_root: Path | None = None, force_exclude: bool = False) -> tuple[list[Path], list[Skipped]]:
    """Files named directly are checked (unless ``force_exclude`` and excluded); folders are walked."""
    exclude = pathspec.PathSpec.from_lines("gitwildmatch", exclude_globs) if exclude_globs else None
    files: list[Path] = []
    skipped: list[Skipped] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for item in walk(path, exclude, exclude_root):
                (skipped if isinstance(item, Skipped) else files).append(item)  # type: ignore[arg-type]
        elif path.exists() or path.is_symlink():
            if force_exclude and exclude is not None:
                try:
                    rel = os.path.relpath(path, exclude_root or Path.cwd()).replace(os.sep, "/")
                except ValueError:
                    rel = str(path)
                if exclude.match_file(rel):
                    continue
            files.append(path)
        else:
            skipped.append(Skipped(raw, "does not exist"))
    return files, skipped
