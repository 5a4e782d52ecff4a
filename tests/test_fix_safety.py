"""``--fix`` never loses data: every file is replaced atomically, keeps its
permissions, owner, encoding, byte order mark and line endings, and a run killed
while it writes leaves each file exactly as it was or exactly fixed.

Also tested in test_fixing.py: CRLF with a BOM and mode 0640 kept, a symbolic
link kept, an undecodable file never written.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, run_cli

BEFORE = '---\nid: {id}\ntitle: Fixable {id}\nstage: "2"\nformat: Self paced\nduration: 20m\n---\n# Fixable\n\nA line of text.\nAnother line.\n'
AFTER = "---\nid: {id}\ntitle: Fixable {id}\nstage: 2\nformat: self-paced\nduration: 20m\n---\n# Fixable\n\nA line of text.\nAnother line.\n"

# (encoding, BOM, newline) -> how the file is written before and must be after.
FORMS = {
    "utf-8 lf": ("utf-8", b"", "\n"),
    "utf-8 crlf bom": ("utf-8", b"\xef\xbb\xbf", "\r\n"),
    "utf-8 lone cr": ("utf-8", b"", "\r"),
    "utf-16-le bom crlf": ("utf-16-le", b"\xff\xfe", "\r\n"),
    "utf-16-be bom lf": ("utf-16-be", b"\xfe\xff", "\n"),
}


def _bytes(template: str, form: str, ident: str) -> bytes:
    encoding, bom, newline = FORMS[form]
    return bom + template.format(id=ident).replace("\n", newline).encode(encoding)


@pytest.mark.parametrize("form", sorted(FORMS))
def test_fix_keeps_encoding_line_endings_and_permissions(tmp_path: Path, form: str):
    path = tmp_path / "m.md"
    path.write_bytes(_bytes(BEFORE, form, "m"))
    os.chmod(path, 0o604)
    inode = path.stat().st_ino
    result = run_cli("check", "--no-cache", "--fix", "--select", "MOD004", str(path))
    assert "applied 2 fixes in 1 file" in result.stderr, result.stderr
    assert path.read_bytes() == _bytes(AFTER, form, "m")
    assert path.stat().st_mode & 0o7777 == 0o604
    assert path.stat().st_ino != inode  # replaced by a rename, not rewritten in place
    assert not list(tmp_path.glob(".*modlint-tmp"))


def test_mixed_line_endings_are_kept_line_by_line(tmp_path: Path):
    lines = BEFORE.format(id="m").split("\n")
    endings = ["\r\n", "\n", "\r", "\n", "\r\n", "\n", "\r\n", "\n", "\r", "\n", "\n"]
    data = "".join(line + end for line, end in zip(lines, endings + [""])).encode()
    path = tmp_path / "m.md"
    path.write_bytes(data)
    run_cli("check", "--no-cache", "--fix", "--select", "MOD004", str(path))
    expected = "".join(line + end for line, end in zip(AFTER.format(id="m").split("\n"), endings + [""])).encode()
    assert path.read_bytes() == expected


@pytest.mark.skipif(os.geteuid() != 0, reason="only the superuser can give a file to someone else")
def test_fix_keeps_the_owner(tmp_path: Path):
    path = tmp_path / "m.md"
    path.write_text(BEFORE.format(id="m"), encoding="utf-8")
    os.chown(path, 4321, 4322)
    run_cli("check", "--no-cache", "--fix", "--select", "MOD004", str(path))
    assert path.read_text(encoding="utf-8") == AFTER.format(id="m")
    assert (path.stat().st_uid, path.stat().st_gid) == (4321, 4322)


def test_read_only_file_is_reported_not_written(tmp_path: Path):
    path = tmp_path / "m.md"
    path.write_text(BEFORE.format(id="m"), encoding="utf-8")
    os.chmod(path, 0o444)
    other = tmp_path / "other.md"
    other.write_text(BEFORE.format(id="other"), encoding="utf-8")
    result = run_cli("check", "--no-cache", "--fix", "--select", "MOD004", str(path), str(other))
    assert "Traceback" not in result.stderr
    assert f"modlint: {path}: not fixed, the file is read-only" in result.stderr
    assert "applied 2 fixes in 1 file" in result.stderr
    assert path.read_text(encoding="utf-8") == BEFORE.format(id="m")  # even the superuser does not write it
    assert other.read_text(encoding="utf-8") == AFTER.format(id="m").replace("id: m\ntitle: Fixable m", "id: other\ntitle: Fixable other")
    assert result.returncode == 1 and f"{path}:4:1: MOD004" in result.stdout  # its findings are still reported


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path, monkeypatch):
    """The rename is the only step that changes the file: a failure before it
    (here, the disk full while writing) leaves the old file and removes the temporary."""
    from modlint import fileio

    path = tmp_path / "m.md"
    path.write_bytes(b"old content\n")

    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fileio.os, "fsync", full)
    with pytest.raises(OSError):
        fileio.atomic_write_bytes(path, b"new content\n")
    assert path.read_bytes() == b"old content\n"
    assert os.listdir(tmp_path) == ["m.md"]


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_a_new_file_gets_the_umask_s_permissions(tmp_path: Path, umask: int, mode: int):
    """A file that did not exist (a report) gets 0o666 less the umask, as open()
    would give it, not the owner-only mode of the temporary it is written through;
    an existing file keeps its own mode whatever the umask."""
    from modlint import fileio

    old = os.umask(umask)
    try:
        fileio.atomic_write_bytes(tmp_path / "new.sarif", b"{}\n")
        existing = tmp_path / "existing.md"
        existing.write_bytes(b"old\n")
        os.chmod(existing, 0o640)
        fileio.atomic_write_bytes(existing, b"new\n")
    finally:
        os.umask(old)
    assert (tmp_path / "new.sarif").stat().st_mode & 0o777 == mode
    assert existing.stat().st_mode & 0o777 == 0o640


def test_check_output_file_follows_the_umask(tmp_path: Path):
    (tmp_path / "m.md").write_text(BEFORE.format(id="m"), encoding="utf-8")
    subprocess.run([sys.executable, "-m", "modlint", "check", "--no-cache", "--select", "MOD004", "m.md", "--format", "sarif", "-o", "new.sarif"],
                   cwd=tmp_path, capture_output=True, timeout=300, preexec_fn=lambda: os.umask(0o022))
    assert (tmp_path / "new.sarif").stat().st_mode & 0o777 == 0o644


# -- killed while writing ------------------------------------------------------------------------

FILES = 150


def _tree(folder: Path) -> dict[str, tuple[bytes, bytes]]:
    """A tree of fixable modules in every form; name -> (old bytes, fixed bytes)."""
    folder.mkdir()
    expected: dict[str, tuple[bytes, bytes]] = {}
    forms = sorted(FORMS)
    for i in range(FILES):
        form = forms[i % len(forms)]
        name = f"m{i:03d}.md"
        # Files of different sizes, so writes take different times.
        filler = "More text to read. " * (i * 37 % 400)
        before = _bytes(BEFORE + filler + "\n", form, name[:-3])
        (folder / name).write_bytes(before)
        expected[name] = (before, _bytes(AFTER + filler + "\n", form, name[:-3]))
    return expected


def _run(folder: Path) -> subprocess.Popen:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "modlint", "check", "--no-cache", "--jobs", "1", "--fix", "--select", "MOD004", str(folder)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


def _writes_seen(folder: Path, inodes: dict[str, int]) -> tuple[int, int]:
    """(modules replaced, temporaries present) in ``folder`` now. A replaced module
    has a new inode (the rename); a temporary exists only while one is being written.
    Read from the directory entries alone, so a poll costs no file read."""
    replaced = temporaries = 0
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.endswith(".modlint-tmp"):
                temporaries += 1
            elif entry.name in inodes and entry.inode() != inodes[entry.name]:
                replaced += 1
    return replaced, temporaries


def _kill_when(proc: subprocess.Popen, folder: Path, inodes: dict[str, int], trigger: str, count: int) -> tuple[int, int]:
    """SIGKILL ``proc`` as soon as ``count`` modules are replaced (``trigger``
    "replaced") or a temporary file is seen once ``count - 1`` are ("temporary": a
    kill inside one file's write). Polls every millisecond; returns what it saw."""
    deadline = time.monotonic() + 300
    while proc.poll() is None and time.monotonic() < deadline:
        replaced, temporaries = _writes_seen(folder, inodes)
        if replaced >= count if trigger == "replaced" else (temporaries and replaced >= count - 1):
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=60)
            return replaced, temporaries
        time.sleep(0.001)
    proc.kill()
    proc.wait(timeout=60)
    pytest.fail(f"modlint finished (status {proc.returncode}) before the {trigger} trigger at {count} was seen: the kill never landed while files were written")


@pytest.mark.slow
@pytest.mark.parametrize("trigger, count", [("temporary", 1), ("replaced", 1), ("temporary", 20), ("replaced", 60)])
def test_a_killed_fix_leaves_every_file_old_or_fixed(tmp_path: Path, trigger: str, count: int):
    """SIGKILL ``modlint check --fix`` over many files while it writes them: at the
    first temporary file, after the first file is replaced, and further on. The
    kill is timed by watching the folder, not by the clock, so it lands in the
    writing phase on a fast machine or a slow one. Afterwards every module is byte
    for byte the old one or the fixed one, and nothing but a temporary is left."""
    expected = _tree(tmp_path / "modules")
    folder = tmp_path / "modules"
    inodes = {name: (folder / name).stat().st_ino for name in expected}
    proc = _run(folder)
    replaced_seen, _ = _kill_when(proc, folder, inodes, trigger, count)
    fixed = 0
    for name, (old, new) in expected.items():
        data = (folder / name).read_bytes()
        assert data in (old, new), f"{name} is neither the old file nor the fixed one after a kill at {trigger} {count}"
        fixed += data == new
    leftovers = [p.name for p in folder.iterdir() if p.name not in expected]
    assert all(p.endswith(".modlint-tmp") for p in leftovers), leftovers  # at most a temporary, never a .md
    print(f"killed at {trigger} {count}: {fixed} of {FILES} files fixed, {len(leftovers)} temporary left")
    # The kill landed while files were being written: some fixed, not all.
    assert replaced_seen <= fixed < FILES, (replaced_seen, fixed)
    if trigger == "replaced":
        assert fixed >= count
    # What the kill left is finished by running again: the run is safe to repeat.
    assert _run(folder).wait(timeout=300) in (0, 1)
    for name, (_, new) in expected.items():
        assert (folder / name).read_bytes() == new, name
