"""Writing files safely: a temporary file beside the target, then a rename."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _target(path: Path) -> Path:
    """The file a write to ``path`` should replace: a symbolic link is followed, so
    the link stays a link and its target gets the new content."""
    try:
        if path.is_symlink():
            return Path(os.path.realpath(path))
    except OSError:
        pass
    return path


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so a reader sees the old file or the new one,
    never half of one. Keeps the file's permission bits, and a symbolic link."""
    path = _target(Path(path))
    mode = None
    try:
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        pass
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".modlint-tmp", dir=path.parent or ".")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    _sync_dir(path.parent)


def _sync_dir(folder: Path) -> None:
    """Make the rename itself durable where the platform allows it."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder or ".", os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write_text(path: Path, text: str, encoding: str = "utf-8") -> None:
    atomic_write_bytes(path, text.encode(encoding))


def atomic_write_bytes_if_unchanged(path: Path, expected: bytes, data: bytes) -> bool:
    """Write ``data`` only if the file still holds ``expected`` (nobody saved it in
    the meantime). Returns whether it wrote. Writing what is already there is a no-op."""
    try:
        current = Path(path).read_bytes()
    except OSError:
        return False
    if current != expected:
        return False
    if data == current:
        return True
    atomic_write_bytes(Path(path), data)
    return True
