"""Check many files fast: cached results first, then the rest in a process pool."""
from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import TYPE_CHECKING

from modlint.cache import ResultCache, cache_dir, content_key, toolkit_fingerprint
from modlint.engine import FileResult

if TYPE_CHECKING:
    from modlint.commands.check import Session

# Below this many files to lint, starting workers costs more than it saves.
POOL_THRESHOLD = 24

_SESSION: "Session | None" = None


def _lint_chunk(items: list[tuple[int, str]]) -> list[tuple[int, FileResult]]:
    session = _SESSION
    assert session is not None
    out = []
    for index, raw in items:
        path = Path(raw)
        cfg = session.config_for(path)
        out.append((index, session.linter_for(cfg).check_file(path, cfg, raw)))
    return out


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return os.cpu_count() or 1


def run_files(paths: list[Path], session: "Session", jobs: int | None = None, use_cache: bool = True) -> list[FileResult]:
    results: list[FileResult | None] = [None] * len(paths)
    caches: dict[str, ResultCache] = {}
    keys: dict[int, tuple[ResultCache, str]] = {}
    todo: list[tuple[int, str]] = []
    fingerprints: dict[int, str] = {}
    for index, path in enumerate(paths):
        cfg = session.config_for(path)
        if not (use_cache and cfg.cache):
            todo.append((index, str(path)))
            continue
        linter = session.linter_for(cfg)
        tk_id = id(linter.toolkit)
        if tk_id not in fingerprints:
            fingerprints[tk_id] = toolkit_fingerprint(linter.toolkit)
        # Without a config file every folder is its own root; keep one cache for the run instead.
        root = cfg.root if cfg.path is not None else Path.cwd()
        scope = f"{root}|{cfg.fingerprint()}|{fingerprints[tk_id]}"
        cache = caches.get(scope)
        if cache is None:
            cache = caches[scope] = ResultCache(cache_dir(root, cfg.path is not None), scope)
        try:
            if path.stat().st_size > cfg.max_file_size:
                todo.append((index, str(path)))
                continue
            key = content_key(path.read_bytes())
        except OSError:
            todo.append((index, str(path)))
            continue
        hit = cache.get(str(path), key)
        if hit is not None:
            results[index] = hit
        else:
            keys[index] = (cache, key)
            todo.append((index, str(path)))

    jobs = jobs or default_jobs()
    if jobs > 1 and len(todo) >= POOL_THRESHOLD:
        global _SESSION
        _SESSION = session
        chunk = max(4, len(todo) // (jobs * 8))
        chunks = [todo[i : i + chunk] for i in range(0, len(todo), chunk)]
        # fork shares the loaded catalogue and personas with the workers for free.
        with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("fork")) as pool:
            for done in pool.map(_lint_chunk, chunks):
                for index, result in done:
                    results[index] = result
        _SESSION = None
    else:
        for index, raw in todo:
            path = Path(raw)
            cfg = session.config_for(path)
            results[index] = session.linter_for(cfg).check_file(path, cfg, raw)

    for index, (cache, key) in keys.items():
        result = results[index]
        if result is not None:
            cache.put(key, result)
    for cache in caches.values():
        cache.save()
    return [r for r in results if r is not None]
