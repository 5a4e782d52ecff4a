"""Check many files fast: cached results first, then the rest in a process pool."""
from __future__ import annotations

import os
import time
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

from modlint import _collector
from modlint.cache import ResultCache, cache_dir, content_key, stat_key, stat_stamp, toolkit_fingerprint
from modlint.engine import FileResult

if TYPE_CHECKING:
    from modlint.commands.check import Session

# Below this many files to lint, starting workers costs more than it saves.
POOL_THRESHOLD = 24

_SESSION: "Session | None" = None


def _lint_one(session: "Session", raw: str, keyed: bool) -> tuple[FileResult, str | None]:
    """Lint one file. With ``keyed``, also return the content hash of exactly the
    bytes linted, so a file saved again while the run reads it is never cached
    under the hash of the other version."""
    path = Path(raw)
    cfg = session.config_for(path)
    linter = session.linter_for(cfg)
    if keyed:
        try:
            with open(path, "rb") as fh:
                data = fh.read(cfg.max_file_size + 1)
        except OSError:
            data = None
        if data is not None and len(data) <= cfg.max_file_size:
            return _detach_fixes(linter.check_bytes(data, raw, cfg)), content_key(data)
    return _detach_fixes(linter.check_file(path, cfg, raw)), None


def _detach_fixes(result: FileResult) -> FileResult:
    """Let go of each lazy fix's parsed module: a run over thousands of files in one
    process must not keep every module alive until it prints."""
    for finding in result.findings:
        if finding.fix is not None:
            finding.fix = finding.fix.detached()
    return result


def _lint_chunk(items: list[tuple[int, str, bool]]) -> list[tuple[int, FileResult, str | None]]:
    session = _SESSION
    assert session is not None
    return [(index, *_lint_one(session, raw, keyed)) for index, raw, keyed in items]


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return os.cpu_count() or 1


def run_files(paths: list[Path], session: "Session", jobs: int | None = None, use_cache: bool = True) -> list[FileResult]:
    if len(paths) < POOL_THRESHOLD:  # see modlint._collector: for a few files freezing costs more
        return _run_files(paths, session, jobs, use_cache, nullcontext())
    with _collector.frozen():
        return _run_files(paths, session, jobs, use_cache, _collector.kept())


def _run_files(
    paths: list[Path], session: "Session", jobs: int | None, use_cache: bool, lookups: AbstractContextManager[None]
) -> list[FileResult]:
    """Results for ``paths``: from the cache where it holds them (inside ``lookups``), the rest linted."""
    results: list[FileResult | None] = [None] * len(paths)
    caches: dict[str, ResultCache] = {}
    scopes: dict[int, str] = {}  # id(config) -> cache scope
    # Misses to lint and cache: (cache, stat stamp to record or None).
    pending: dict[int, tuple[ResultCache, list[int] | None]] = {}
    now_ns = time.time_ns()
    todo: list[tuple[int, str, bool]] = []
    fingerprints: dict[int, str] = {}
    with lookups:
        for index, path in enumerate(paths):
            raw = str(path)
            cfg = session.config_for(path)
            if not (use_cache and cfg.cache):
                todo.append((index, raw, False))
                continue
            scope = scopes.get(id(cfg))
            if scope is None:
                linter = session.linter_for(cfg)
                tk_id = id(linter.toolkit)
                if tk_id not in fingerprints:
                    fingerprints[tk_id] = toolkit_fingerprint(linter.toolkit)
                # Without a config file every folder is its own root; keep one cache for the run instead.
                root = cfg.root if cfg.path is not None else Path.cwd()
                scope = scopes[id(cfg)] = f"{root}|{cfg.fingerprint()}|{fingerprints[tk_id]}"
                if scope not in caches:
                    caches[scope] = ResultCache(cache_dir(root, cfg.path is not None), scope)
            cache = caches[scope]
            try:
                st = os.stat(raw)
                if st.st_size > cfg.max_file_size:
                    todo.append((index, raw, False))
                    continue
                # The warm path: an unchanged stat needs no read and no hash.
                hit = cache.get_by_stat(raw, stat_key(st), session.need_fix_edits)
                if hit is not None:
                    results[index] = hit
                    continue
                if not cache.knows(raw):
                    # A new file (every file, in a cold run): reading and hashing it here would
                    # find nothing, and the worker reads and hashes it anyway.
                    pending[index] = (cache, stat_stamp(st, now_ns))
                    todo.append((index, raw, True))
                    continue
                with open(raw, "rb") as fh:
                    data = fh.read(cfg.max_file_size + 1)
            except OSError:
                todo.append((index, raw, False))
                continue
            stamp = stat_stamp(st, now_ns)
            hit = cache.get(raw, content_key(data), session.need_fix_edits)
            if hit is not None:
                results[index] = hit
                if stamp is not None:
                    cache.set_stamp(raw, stamp)
            else:
                pending[index] = (cache, stamp)
                todo.append((index, raw, True))

    def store(index: int, result: FileResult, key: str | None) -> None:
        results[index] = result
        miss = pending.get(index)
        if miss is not None and key is not None:
            miss[0].put(key, result, miss[1])

    jobs = jobs or default_jobs()
    if jobs > 1 and len(todo) >= POOL_THRESHOLD:
        from concurrent.futures import ProcessPoolExecutor
        from multiprocessing import get_context

        global _SESSION
        _SESSION = session
        # Thirty-two chunks a worker: at the end one worker waits for the other's last chunk,
        # so a small chunk is less time wasted; sending one costs far less than checking it.
        chunk = max(4, len(todo) // (jobs * 32))
        chunks = [todo[i : i + chunk] for i in range(0, len(todo), chunk)]
        # fork shares the loaded catalogue and personas with the workers for free.
        try:
            with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("fork")) as pool:
                # Each chunk's results are cached as they arrive, while the workers go on
                # with the rest, not all at the end with both cores idle but this one.
                for done in pool.map(_lint_chunk, chunks):
                    for index, result, key in done:
                        store(index, result, key)
        finally:
            _SESSION = None
    else:
        for index, raw, keyed in todo:
            store(index, *_lint_one(session, raw, keyed))

    for cache in caches.values():
        cache.save()
    return [r for r in results if r is not None]
