"""A command tunes the cycle collector for its run, and puts it back as it was."""
from __future__ import annotations

import gc
import weakref
from contextlib import contextmanager
from typing import Iterator

import pytest

from modlint import _collector


class _Node:
    def __init__(self) -> None:
        self.me = self


def test_batch_puts_the_collector_back_even_after_an_error() -> None:
    before, frozen, enabled = gc.get_threshold(), gc.get_freeze_count(), gc.isenabled()
    with pytest.raises(RuntimeError):
        with _collector.batch(freeze=True):
            assert gc.get_threshold()[0] >= _collector.BATCH_THRESHOLD
            assert gc.get_freeze_count() > frozen
            raise RuntimeError("a rule failed")
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == frozen
    assert gc.isenabled() == enabled


def test_a_run_of_a_few_files_raises_the_threshold_but_freezes_nothing() -> None:
    frozen = gc.get_freeze_count()
    with _collector.batch(freeze=False):
        assert gc.get_threshold()[0] >= _collector.BATCH_THRESHOLD
        assert gc.get_freeze_count() == frozen


def test_garbage_with_a_cycle_is_still_collected_during_a_batch() -> None:
    with _collector.batch(freeze=True):
        node = _Node()
        gone = weakref.ref(node)
        del node
        kept = [[] for _ in range(3 * _collector.BATCH_THRESHOLD)]  # new containers, as a module's check makes
        assert gone() is None
        del kept


def test_a_check_runs_with_the_collector_tuned_and_restores_it(tmp_path, monkeypatch, capsys) -> None:
    from modlint.cli import main

    seen: list[tuple[int, int, int]] = []
    real = _collector.batch

    @contextmanager
    def spy(freeze: bool) -> Iterator[None]:
        with real(freeze):
            seen.append(gc.get_threshold())
            yield

    monkeypatch.setattr(_collector, "batch", spy)
    before = gc.get_threshold()
    (tmp_path / "m.md").write_text("---\nid: m\ntitle: M\nstage: 2\nformat: self-paced\nduration: 10m\n---\n# M\n", encoding="utf-8")
    main(["check", "--no-cache", str(tmp_path / "m.md")])
    assert seen and seen[0][0] >= _collector.BATCH_THRESHOLD
    assert gc.get_threshold() == before


def test_the_language_server_keeps_the_collectors_usual_pace(monkeypatch) -> None:
    import modlint.lsp.server as server
    from modlint.cli import main

    seen: list[tuple[int, int, int]] = []
    monkeypatch.setattr(server, "run_lsp", lambda args: seen.append(gc.get_threshold()) or 0)
    assert main(["lsp"]) == 0
    assert seen == [gc.get_threshold()] and seen[0][0] < _collector.BATCH_THRESHOLD
