"""Find the Markdown files to check: walk folders, honour .gitignore and excludes."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator

if TYPE_CHECKING:
    import pathspec

SKIP_DIRS = frozenset({".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", ".modlint_cache", ".tox", ".mypy_cache", ".pytest_cache"})


@dataclass(frozen=True, slots=True)
class Skipped:
    """A path that was not checked, and why."""

    path: str
    reason: str


def glob_spec(lines: "Iterable[str]") -> "pathspec.PathSpec":
    """Gitignore-style globs (``.gitignore``, ``exclude``, ``per-file-ignores``).
    pathspec is imported here, not at start-up: checking one named file needs none."""
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(lines)


def _gitignore(folder: Path) -> "pathspec.PathSpec | None":
    path = folder / ".gitignore"
    try:
        # is_file() raises, not returns False, inside a folder that cannot be searched.
        if not path.is_file():
            return None
        return glob_spec(path.read_text(encoding="utf-8", errors="replace").splitlines())
    except (OSError, ValueError):
        return None


NOT_REGULAR = "is not a regular file (a pipe, device or socket), so it was not read"


def _inside(real: str, real_root: str) -> bool:
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


def walk(root: Path, exclude: "pathspec.PathSpec | None" = None, exclude_root: Path | None = None) -> Iterator[Path | Skipped]:
    """Yield Markdown files under ``root`` in a stable order, or :class:`Skipped` entries
    for what could not be entered (symlink loops, unreadable folders), for symbolic
    links that lead outside ``root`` (never read, so never fixed: modlint does not
    write outside the folders it is given) and for pipes, devices and sockets (reading
    one could block forever or never end)."""
    specs: list[tuple[Path, "pathspec.PathSpec"]] = []
    seen: set[tuple[int, int]] = set()
    base = exclude_root or root
    real_root = os.path.realpath(root)

    def outside(entry: os.DirEntry[str]) -> str | None:
        """The target of a symbolic link that leads outside ``root``, else None."""
        try:
            if not entry.is_symlink():
                return None
        except OSError:
            return None
        real = os.path.realpath(entry.path)
        return None if _inside(real, real_root) else real

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
                target = outside(entry)
                if target is not None:
                    yield Skipped(str(path), f"is a symbolic link to {target}, outside {root}, so it was skipped")
                    continue
                yield from visit(path)
            elif entry.name.lower().endswith((".md", ".markdown")) and not ignored(path, False):
                target = outside(entry)
                if target is not None and os.path.lexists(target) and os.path.exists(path):
                    yield Skipped(str(path), f"is a symbolic link to {target}, outside {root}, so it was skipped")
                    continue
                try:
                    regular = entry.is_file() or not os.path.exists(path)  # a broken link is reported when read
                except OSError:
                    regular = True
                if not regular:
                    yield Skipped(str(path), NOT_REGULAR)
                    continue
                yield path
        if pushed:
            specs.pop()

    yield from visit(root)


def collect(paths: list[str], exclude_globs: tuple[str, ...] = (), exclude_root: Path | None = None, force_exclude: bool = False) -> tuple[list[Path], list[Skipped]]:
    """Files named directly are checked (unless ``force_exclude`` and excluded); folders are walked."""
    exclude = glob_spec(exclude_globs) if exclude_globs else None
    files: list[Path] = []
    skipped: list[Skipped] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for item in walk(path, exclude, exclude_root):
                (skipped if isinstance(item, Skipped) else files).append(item)  # type: ignore[arg-type]
        elif path.exists() or path.is_symlink():
            if path.exists() and not path.is_file():
                skipped.append(Skipped(raw, NOT_REGULAR))
                continue
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
