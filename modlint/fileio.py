"""Writing files safely: a temporary file beside the target, then a rename."""
from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path
from typing import Iterable


class RefusedWrite(PermissionError):
    """modlint itself declined to write a file (read-only, not a regular file, or
    outside the paths given); ``strerror`` says why in words for the user."""


def _target(path: Path) -> Path:
    """The file a write to ``path`` should replace: a symbolic link is followed, so
    the link stays a link and its target gets the new content."""
    try:
        if path.is_symlink():
            return Path(os.path.realpath(path))
    except OSError:
        pass
    return path


def _umask() -> int:
    """The process's umask, read without changing it where Linux tells it."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def atomic_write_bytes(path: Path, data: bytes, durable: bool = True, mode: int | None = None) -> None:
    """Replace ``path`` with ``data`` so a reader sees the old file or the new one,
    never half of one. Keeps the file's permission bits, and a symbolic link; a
    new file gets the permissions ``open()`` would give it (0o666 less the umask),
    not the owner-only ones of a temporary file.

    ``durable=False`` skips flushing to disk before the rename: for files that may
    be lost in a power cut, because a damaged one is detected and rebuilt (the
    result cache), never for an author's module or report. ``mode`` gives the file
    these permission bits instead, from the moment it appears under its name (a
    cache of compiled code is owner-only, whatever the umask)."""
    path = _target(Path(path))
    st: os.stat_result | None = None
    try:
        st = path.stat()
        bits = st.st_mode & 0o7777
    except FileNotFoundError:
        bits = 0o666 & ~_umask()
    else:
        # A rename would replace a read-only file (or a device) without asking: refuse.
        if not stat.S_ISREG(st.st_mode):
            raise RefusedWrite(errno.EINVAL, "it is not a regular file", str(path))
        # Checked by hand: the superuser's os.access says yes to any file.
        if not bits & 0o222 or not os.access(path, os.W_OK):
            raise RefusedWrite(errno.EACCES, "the file is read-only", str(path))
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".modlint-tmp", dir=path.parent or ".")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.chmod(tmp, bits if mode is None else mode)
        if st is not None and hasattr(os, "chown") and (st.st_uid, st.st_gid) != (os.getuid(), os.getgid()):
            try:
                os.chown(tmp, st.st_uid, st.st_gid)  # the superuser fixing someone's file keeps it theirs
            except OSError:
                pass
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    if durable:
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


def write_report(path: Path, text: str) -> None:
    """Write a report file (``--output``), creating the folders it needs. Raises
    :class:`OSError` (a :class:`RefusedWrite` for a read-only file or one that is
    not a regular file, such as ``/dev/null``)."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        # mkdir's own words ("File exists", "Not a directory") would not say which part is in the way.
        blocker = next((p for p in [path.parent, *path.parent.parents] if p.exists() and not p.is_dir()), path.parent)
        raise NotADirectoryError(errno.ENOTDIR, f"{blocker} is a file, not a folder", str(path)) from None
    # A checked file's name that is not UTF-8 is written as its own bytes, as on standard output.
    atomic_write_bytes(path, text.encode("utf-8", "surrogateescape"))


def within_roots(path: Path, roots: Iterable[Path]) -> bool:
    """Whether ``path``, with every symbolic link followed, lies inside one of ``roots``
    (a root that is a file allows just that file's folder)."""
    real = os.path.realpath(path)
    for root in roots:
        base = os.path.realpath(root)
        if os.path.isfile(base):
            base = os.path.realpath(os.path.dirname(os.path.abspath(root)) or ".")
        if real == base or real.startswith(base.rstrip(os.sep) + os.sep):
            return True
    return False


def atomic_write_bytes_if_unchanged(path: Path, expected: bytes, data: bytes, roots: Iterable[Path] | None = None) -> bool:
    """Write ``data`` only if the file still holds ``expected`` (nobody saved it in
    the meantime). Returns whether it wrote. Writing what is already there is a no-op.

    With ``roots`` (the folders and files a run was given), a path that leads
    outside all of them, through a symbolic link, is refused with :class:`RefusedWrite`.
    So is a read-only file."""
    if roots is not None and not within_roots(Path(path), list(roots)):
        raise RefusedWrite(errno.EACCES, "it leads outside the paths being checked (through a symbolic link), so modlint does not write it", str(path))
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
