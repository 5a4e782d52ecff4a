"""The warm path of the result cache: a file's stat stands in for its content hash,
but never lets an edit go unnoticed."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from modlint import cache as cache_mod
from modlint import runner
from modlint.cli import main

MODULE = "---\nid: m{n}\ntitle: M\nstage: 2\nformat: self-paced\nduration: 10m\nresumable: true\n---\n# M\n"


def _setup(tmp_path: Path, count: int = 3) -> None:
    (tmp_path / ".modlint.yaml").write_text("select: [module]\n", encoding="utf-8")
    for n in range(count):
        (tmp_path / f"m{n}.md").write_text(MODULE.format(n=n), encoding="utf-8")


@pytest.fixture
def check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    """Run ``modlint check . --format json`` in process (so the cache module can be patched)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MODLINT_CACHE_DIR", raising=False)

    def run(*extra: str) -> dict:
        capsys.readouterr()
        main(["check", ".", "--format", "json", "--jobs", "1", *extra])
        return json.loads(capsys.readouterr().out)

    return run


def _entries(tmp_path: Path) -> dict:
    (path,) = (tmp_path / ".modlint_cache").glob("results-*.json")
    return json.loads(path.read_text(encoding="utf-8"))["entries"]


def _stat(mtime_ns: int, ctime_ns: int, size: int = 10, ino: int = 7) -> os.stat_result:
    # st_mode, st_ino, st_dev, st_nlink, st_uid, st_gid, st_size, then the float and ns times
    return os.stat_result((0o100644, ino, 1, 1, 0, 0, size, 0, 0, 0, 0.0, 0.0, 0.0, mtime_ns, mtime_ns, ctime_ns))


def test_stat_stamp_only_for_settled_files():
    now = 100 * 10**9
    settle = cache_mod.STAT_SETTLE_NS
    assert cache_mod.stat_stamp(_stat(now - settle, now - settle), now) == [now - settle, now - settle, 10, 7]
    assert cache_mod.stat_stamp(_stat(now - settle + 1, now - settle), now) is None  # written just now
    assert cache_mod.stat_stamp(_stat(now - settle, now - 1), now) is None  # changed just now (chmod, touch -r)
    assert cache_mod.stat_stamp(_stat(now + 10**9, now + 10**9), now) is None  # a timestamp in the future


def test_fresh_files_are_not_trusted_by_stat(tmp_path: Path, check):
    _setup(tmp_path)
    check()
    assert all("stat" not in entry for entry in _entries(tmp_path).values())


def test_edit_in_the_same_tick_is_seen(tmp_path: Path, check):
    """An edit that keeps size and mtime (same timestamp tick, or mtime put back)
    is found: the first run recorded no stat for a file written that recently."""
    _setup(tmp_path)
    path = tmp_path / "m1.md"
    before = os.stat(path)
    assert check()["summary"]["total"] == 0
    text = path.read_text(encoding="utf-8").replace("resumable: true\n", "resumeable: tru\n")
    assert len(text.encode()) == before.st_size  # same size
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = os.stat(path)
    assert (after.st_mtime_ns, after.st_size, after.st_ino) == (before.st_mtime_ns, before.st_size, before.st_ino)
    assert check()["summary"]["total"] == 1


def test_settled_files_skip_the_read_and_ctime_catches_a_restored_mtime(tmp_path: Path, check, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(cache_mod, "STAT_SETTLE_NS", -(10**12))  # treat every file as settled
    _setup(tmp_path)
    cold = check()
    assert all("stat" in entry for entry in _entries(tmp_path).values())

    def no_hashing(data: bytes) -> str:
        raise AssertionError("a file with an unchanged stat was read and hashed")

    real = runner.content_key
    monkeypatch.setattr(runner, "content_key", no_hashing)
    assert check() == cold
    monkeypatch.setattr(runner, "content_key", real)

    # Same size, mtime put back by hand (as ``touch -r`` or ``cp -p`` can): ctime still moves.
    path = tmp_path / "m1.md"
    before = os.stat(path)
    path.write_text(path.read_text(encoding="utf-8").replace("resumable: true\n", "resumeable: tru\n"), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    if os.stat(path).st_ctime_ns == before.st_ctime_ns:
        pytest.skip("this file system keeps ctime in coarse ticks")
    assert check()["summary"]["total"] == 1


def test_a_cold_run_reads_and_hashes_each_file_once(tmp_path: Path, check, monkeypatch: pytest.MonkeyPatch):
    """With nothing cached for a file no content hash can find it, so only the lint reads it."""
    _setup(tmp_path, 4)
    hashed: list[bytes] = []
    real = cache_mod.content_key

    def counting(data: bytes) -> str:
        hashed.append(data)
        return real(data)

    monkeypatch.setattr(runner, "content_key", counting)
    cold = check()
    assert len(hashed) == 4 and len(set(hashed)) == 4
    assert {entry["key"] for entry in _entries(tmp_path).values()} == {real(data) for data in hashed}
    # Files known to the cache are still looked up by their content: these are too fresh to
    # be trusted by their stat, so each is hashed once, found, and not linted again.
    hashed.clear()
    assert check() == cold
    assert sorted(hashed) == sorted(set(hashed)) and len(hashed) == 4


def test_touch_without_change_is_a_hit_by_content(tmp_path: Path, check, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(cache_mod, "STAT_SETTLE_NS", -(10**12))
    _setup(tmp_path)
    cold = check()
    path = tmp_path / "m0.md"
    os.utime(path, ns=(1, 1))
    linted: list[str] = []
    real = runner._lint_one

    def spy(session, raw, keyed):  # type: ignore[no-untyped-def]
        linted.append(raw)
        return real(session, raw, keyed)

    monkeypatch.setattr(runner, "_lint_one", spy)
    assert check() == cold
    assert linted == []  # found by its content hash, not linted again
    (entry,) = [e for p, e in _entries(tmp_path).items() if p.endswith("m0.md")]
    assert entry["stat"][0] == 1  # the new stat is recorded


def test_duplicate_ids_when_only_some_files_change(tmp_path: Path, check, monkeypatch: pytest.MonkeyPatch):
    """Checks across modules see cached and fresh modules alike, in both directions."""
    monkeypatch.setattr(cache_mod, "STAT_SETTLE_NS", -(10**12))
    _setup(tmp_path, 4)
    assert check()["summary"]["total"] == 0
    (tmp_path / "m3.md").write_text(MODULE.format(n=1), encoding="utf-8")  # m3 now claims id m1
    dupes = sorted(Path(f["path"]).name for f in check()["findings"] if f["rule"] == "MOD009")
    assert dupes == ["m1.md", "m3.md"]
    # Unchanged again (both from the cache, one by stat): still reported.
    dupes = sorted(Path(f["path"]).name for f in check()["findings"] if f["rule"] == "MOD009")
    assert dupes == ["m1.md", "m3.md"]
    # Fixing the one file clears the finding on the file that did not change.
    (tmp_path / "m3.md").write_text(MODULE.format(n=3), encoding="utf-8")
    assert check()["summary"]["total"] == 0


def test_worker_returns_the_key_of_the_bytes_it_linted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from modlint.commands.check import Session

    _setup(tmp_path, 1)
    monkeypatch.chdir(tmp_path)
    result, key = runner._lint_one(Session({}, None), "m0.md", True)
    assert key == cache_mod.content_key((tmp_path / "m0.md").read_bytes())
    assert result.path == "m0.md"
    _, key = runner._lint_one(Session({}, None), "m0.md", False)
    assert key is None


def test_concurrent_runs_leave_a_valid_cache(tmp_path: Path):
    _setup(tmp_path, 40)
    env = {k: v for k, v in os.environ.items() if k not in ("MODLINT_CACHE_DIR", "FORCE_COLOR")}
    cmd = [sys.executable, "-m", "modlint", "check", ".", "--format", "json"]
    procs = [subprocess.Popen(cmd + ["--jobs", str(1 + i % 2)], cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for i in range(4)]
    outs = [json.loads(p.communicate(timeout=300)[0]) for p in procs]
    assert all(o == outs[0] for o in outs)
    assert len(_entries(tmp_path)) == 40
    again = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, timeout=300)
    assert json.loads(again.stdout) == outs[0]


def test_entries_encoded_as_they_are_put_make_the_same_file_as_one_dump(tmp_path: Path):
    from modlint.engine import FileResult
    from modlint.findings import Finding, PersonaRef, Severity
    from modlint.model import ModuleInfo

    def result(name: str, message: str) -> FileResult:
        finding = Finding("ACCESS001", "image-alt-text", "access", Severity.ERROR, message, name, 3, 1,
                          personas=(PersonaRef("p12", "Screen reader user"),))
        return FileResult(name, [finding], ModuleInfo(name, {"id": name, "title": "Café ü"}, {("id",): (2, 1)}, ("p12",)))

    first = cache_mod.ResultCache(tmp_path, "scope")
    first.put("k-old", result("old.md", "An image has no alt text."))
    first.put("k-both", result("both.md", "first version"))
    first.save()
    second = cache_mod.ResultCache(tmp_path, "scope")  # old.md and both.md loaded from the file
    second.put("k-both2", result("both.md", "second version, with a “quote”"), [1, 2, 3, 4])
    second.put("k-new", result("new.md", "Tab\there"))
    second.save()
    doc = json.loads(second.path.read_text(encoding="utf-8"))
    entries = {path: json.loads(e) if isinstance(e, bytes) else e for path, e in second.entries.items()}
    assert {path for path, e in second.entries.items() if isinstance(e, bytes)} == {"both.md", "new.md"}
    assert doc == json.loads(json.dumps({"format": cache_mod.FORMAT, "scope": "scope", "personas": second.personas, "entries": entries}))
    assert set(doc["entries"]) == {"old.md", "both.md", "new.md"} and doc["entries"]["both.md"]["key"] == "k-both2"
    third = cache_mod.ResultCache(tmp_path, "scope")
    assert third.get("both.md", "k-both2").findings[0].message == "second version, with a “quote”"
    assert third.get("old.md", "k-old").findings[0].personas == (PersonaRef("p12", "Screen reader user"),)


def test_a_file_name_that_is_not_utf8_is_cached_and_found_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    # Linux keeps any bytes in a name; Python reads the one UTF-8 cannot hold as a lone surrogate.
    name = os.fsdecode(b"bad\xffname.md")
    try:
        (tmp_path / name).write_text(MODULE.format(n=1), encoding="utf-8")
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system does not take a name that is not UTF-8")
    (tmp_path / ".modlint.yaml").write_text("select: [module]\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MODLINT_CACHE_DIR", raising=False)
    assert main(["check", ".", "--jobs", "1"]) == 0
    assert list(_entries(tmp_path)) == [name]
    linted: list[str] = []
    real = runner._lint_one
    monkeypatch.setattr(runner, "_lint_one", lambda session, raw, keyed: linted.append(raw) or real(session, raw, keyed))
    assert main(["check", ".", "--jobs", "1"]) == 0
    assert linted == []
    assert "No problems found in 1 file." in capsys.readouterr().out
