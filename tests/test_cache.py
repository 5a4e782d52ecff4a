"""The result cache: on by default, invalidated by any change, never changes the answer."""
from __future__ import annotations

import json
from pathlib import Path

from conftest import run_cli

MODULE = "---\nid: m{n}\ntitle: M\nstage: 2\nformat: self-paced\nduration: 10m\nresumeable: true\n---\n# M\n"


def _setup(tmp_path: Path, count: int = 30) -> Path:
    (tmp_path / ".modlint.yaml").write_text("select: [module]\n", encoding="utf-8")
    for n in range(count):
        (tmp_path / f"m{n}.md").write_text(MODULE.format(n=n), encoding="utf-8")
    return tmp_path / ".modlint_cache"


def _json(tmp_path: Path, *extra: str) -> dict:
    return json.loads(run_cli("check", ".", "--format", "json", *extra, cwd=tmp_path).stdout)


def test_warm_run_matches_cold_and_changes_invalidate(tmp_path: Path):
    cache = _setup(tmp_path)
    cold = _json(tmp_path)
    assert cache.is_dir() and list(cache.glob("results-*.json"))
    assert _json(tmp_path) == cold
    assert _json(tmp_path, "--no-cache") == cold
    # A changed file is linted again.
    (tmp_path / "m3.md").write_text(MODULE.format(n=3).replace("resumeable: true\n", ""), encoding="utf-8")
    after = _json(tmp_path)
    assert after["summary"]["total"] == cold["summary"]["total"] - 1
    # A config change invalidates everything.
    (tmp_path / ".modlint.yaml").write_text("select: [module]\nseverity: {MOD005: error}\n", encoding="utf-8")
    assert {f["severity"] for f in _json(tmp_path)["findings"]} == {"error"}


def test_duplicate_ids_stay_correct_when_only_one_file_changes(tmp_path: Path):
    _setup(tmp_path, 3)
    assert _json(tmp_path)["summary"]["error"] == 0
    (tmp_path / "m2.md").write_text(MODULE.format(n=1), encoding="utf-8")
    rules = [(f["rule"], Path(f["path"]).name) for f in _json(tmp_path)["findings"] if f["rule"] == "MOD009"]
    assert sorted(rules) == [("MOD009", "m1.md"), ("MOD009", "m2.md")]


def test_no_cache_writes_nothing_and_clean_removes(tmp_path: Path):
    cache = _setup(tmp_path, 2)
    run_cli("check", ".", "--no-cache", cwd=tmp_path)
    assert not cache.exists()
    run_cli("check", ".", cwd=tmp_path)
    assert cache.exists()
    result = run_cli("clean", cwd=tmp_path)
    assert result.returncode == 0 and not cache.exists()


def test_corrupt_cache_is_ignored(tmp_path: Path):
    cache = _setup(tmp_path, 2)
    cold = _json(tmp_path)
    for path in cache.glob("results-*.json"):
        path.write_text("{not json", encoding="utf-8")
    assert _json(tmp_path) == cold


def test_parallel_jobs_give_the_same_answer(tmp_path: Path):
    _setup(tmp_path, 60)
    one = _json(tmp_path, "--no-cache", "--jobs", "1")
    two = _json(tmp_path, "--no-cache", "--jobs", "2")
    assert one == two and one["files_checked"] == 60
