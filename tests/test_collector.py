"""A command tunes the cycle collector for its run, and puts it back as it was."""
from __future__ import annotations

import gc
import weakref
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

from modlint import _collector

MODULE = "---\nid: m{n}\ntitle: M\nstage: 2\nformat: self-paced\nduration: 10m\n---\n# M\n"


class _Node:
    def __init__(self) -> None:
        self.me = self


def test_batch_and_frozen_put_the_collector_back_even_after_an_error() -> None:
    before, frozen, enabled = gc.get_threshold(), gc.get_freeze_count(), gc.isenabled()
    with pytest.raises(RuntimeError):
        with _collector.batch(), _collector.frozen():
            assert gc.get_threshold()[0] >= _collector.BATCH_THRESHOLD
            assert gc.get_freeze_count() > frozen
            raise RuntimeError("a rule failed")
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == frozen
    assert gc.isenabled() == enabled


def test_garbage_with_a_cycle_is_still_collected_during_a_batch() -> None:
    with _collector.batch(), _collector.frozen():
        node = _Node()
        gone = weakref.ref(node)
        del node
        kept = [[] for _ in range(3 * _collector.BATCH_THRESHOLD)]  # new containers, as a module's check makes
        assert gone() is None
        del kept


def _spy(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, tuple[int, int, int], int]]:
    """Record, as each of the two is entered, the collector's threshold and freeze count."""
    seen: list[tuple[str, tuple[int, int, int], int]] = []
    for name in ("batch", "frozen"):
        real = getattr(_collector, name)

        def spy(real=real, name=name) -> Iterator[None]:  # type: ignore[no-untyped-def]
            with real():
                seen.append((name, gc.get_threshold(), gc.get_freeze_count()))
                yield

        monkeypatch.setattr(_collector, name, contextmanager(spy))
    return seen


def test_a_one_file_check_raises_the_threshold_and_freezes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    from modlint.cli import main

    seen = _spy(monkeypatch)
    before = gc.get_threshold()
    (tmp_path / "m.md").write_text(MODULE.format(n=1), encoding="utf-8")
    main(["check", "--no-cache", str(tmp_path / "m.md")])
    assert [name for name, _, _ in seen] == ["batch"]
    assert seen[0][1][0] >= _collector.BATCH_THRESHOLD
    assert gc.get_threshold() == before


def test_a_check_of_many_files_also_freezes_what_start_up_loaded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    from modlint.cli import main

    seen = _spy(monkeypatch)
    frozen = gc.get_freeze_count()
    for n in range(30):
        (tmp_path / f"m{n}.md").write_text(MODULE.format(n=n), encoding="utf-8")
    main(["check", "--no-cache", "--jobs", "1", str(tmp_path)])
    assert [name for name, _, _ in seen] == ["batch", "frozen"]
    assert seen[1][2] > frozen
    assert gc.get_freeze_count() == frozen


def test_the_language_server_keeps_the_collectors_usual_pace(monkeypatch: pytest.MonkeyPatch) -> None:
    import modlint.lsp.server as server
    from modlint.cli import main

    seen: list[tuple[int, int, int]] = []
    monkeypatch.setattr(server, "run_lsp", lambda args: seen.append(gc.get_threshold()) or 0)
    assert main(["lsp"]) == 0
    assert seen == [gc.get_threshold()] and seen[0][0] < _collector.BATCH_THRESHOLD


def test_kept_work_runs_without_collection_and_is_frozen_after() -> None:
    frozen, enabled = gc.get_freeze_count(), gc.isenabled()
    with _collector.frozen():
        with pytest.raises(RuntimeError):
            with _collector.kept():
                assert not gc.isenabled()
                made = [[] for _ in range(1000)]
                raise RuntimeError("a damaged cache entry")
        assert gc.isenabled() == enabled
        assert gc.get_freeze_count() >= frozen + len(made)
    assert gc.get_freeze_count() == frozen


def test_a_warm_check_of_many_files_makes_its_cached_results_with_the_collector_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    from modlint.cache import ResultCache
    from modlint.cli import main

    for n in range(30):
        (tmp_path / f"m{n}.md").write_text(MODULE.format(n=n), encoding="utf-8")
    main(["check", "--jobs", "1", str(tmp_path)])  # fills the cache
    seen: list[bool] = []
    real = ResultCache._result

    def spy(self: ResultCache, path: str, entry: dict) -> object:  # type: ignore[type-arg]
        seen.append(gc.isenabled())
        return real(self, path, entry)

    monkeypatch.setattr(ResultCache, "_result", spy)
    enabled = gc.isenabled()
    main(["check", "--jobs", "1", str(tmp_path)])
    assert len(seen) == 30 and not any(seen)
    assert gc.isenabled() == enabled
