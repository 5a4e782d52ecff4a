"""``--fix`` never loses data: every file is replaced atomically, keeps its
permissions, owner, encoding, byte order mark and line endings, and a run killed
at any moment leaves each file exactly as it was or exactly fixed.

Also tested in test_fixing.py: CRLF with a BOM and mode 0640 kept, a symbolic
link kept, an undecodable file never written.
"""
from __future__ import annotations

import os
import random
import shutil
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


# -- killed at random moments ------------------------------------------------------------------

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


@pytest.mark.slow
def test_a_killed_fix_leaves_every_file_old_or_fixed(tmp_path: Path):
    """SIGKILL ``modlint check --fix`` over many files at random moments, weighted
    towards the writing phase at the end of the run; after each kill, every file
    is byte for byte the old one or the fixed one."""
    expected = _tree(tmp_path / "reference")
    started = time.monotonic()
    done = _run(tmp_path / "reference")
    assert done.wait(timeout=300) in (0, 1)
    full = time.monotonic() - started
    for name, (_, fixed) in expected.items():
        assert (tmp_path / "reference" / name).read_bytes() == fixed, name

    rng = random.Random(20240601)
    states: list[tuple[float, int]] = []  # (kill time, files fixed when killed)
    low, high = 0.3 * full, 1.1 * full
    for trial in range(10):
        folder = tmp_path / f"trial{trial}"
        shutil.copytree(tmp_path / "reference", folder)
        for name, (old, _) in expected.items():
            (folder / name).write_bytes(old)
        proc = _run(folder)
        delay = rng.uniform(low, high)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        fixed = 0
        for name, (old, new) in expected.items():
            data = (folder / name).read_bytes()
            assert data in (old, new), f"{name} is neither the old file nor the fixed one after a kill at {delay:.2f} s"
            fixed += data == new
        leftovers = [p.name for p in folder.iterdir() if p.name not in expected]
        assert all(p.endswith(".modlint-tmp") for p in leftovers), leftovers  # at most a temporary, never a .md
        states.append((delay, fixed))
        # Narrow the window onto the writing phase: killed before it, kill later; after it, earlier.
        if fixed == 0:
            low = delay
        elif fixed == FILES:
            high = delay
        shutil.rmtree(folder)
    print("kills (seconds, files fixed):", [(round(d, 2), n) for d, n in states], f"of a {full:.2f} s run")
    assert any(0 < n < FILES for _, n in states), f"no kill landed while files were being written: {states}"
