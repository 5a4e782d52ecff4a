"""Patterns compiled from the cache behave exactly as re.compile's, and a damaged cache
is only ever a slower start."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from modlint import _regex

PATTERNS = [
    (r"\b(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>hours?|mins?|minutes?)\b", re.I),
    (r"(?<![\w-])fresh\s+blood(?![\w-])", re.I),
    (r"^(?:[-*+]\s+)?(?:take|have)\s+an?\s+break\b", re.I | re.M),
    (r"[“”«»]|'(?=\w)", 0),
]
TEXTS = ["Allow 1.5 hours, then 10 mins", "We need FRESH blood", "- take a break now\nhave a break", "“quoted” and 'single'"]


@pytest.fixture()
def fresh_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MODLINT_DATA_CACHE", str(tmp_path))
    monkeypatch.setattr(_regex, "_entries", None)
    monkeypatch.setattr(_regex, "_path", None)
    monkeypatch.setattr(_regex, "_dirty", False)
    return tmp_path


def _reload() -> None:
    _regex._entries = None
    _regex._path = None


def _same(a: re.Pattern[str], b: re.Pattern[str]) -> None:
    assert (a.pattern, a.flags, a.groups, a.groupindex) == (b.pattern, b.flags, b.groups, b.groupindex)
    for text in TEXTS:
        assert [m.span() for m in a.finditer(text)] == [m.span() for m in b.finditer(text)]
        assert [m.groupdict() for m in a.finditer(text)] == [m.groupdict() for m in b.finditer(text)]


@pytest.mark.skipif(not _regex._ENABLED, reason="the cache is for CPython's engine only")
def test_patterns_from_the_cache_match_as_re_compile_does(fresh_cache: Path):
    first = [_regex.compile(p, f) for p, f in PATTERNS]
    _regex.save()
    files = list(fresh_cache.glob("regex-*.json"))
    assert len(files) == 1 and len(json.loads(files[0].read_text())) == len(PATTERNS)
    _reload()
    compiled: list[re.Pattern[str]] = []
    real = re.compile
    calls: list[str] = []

    def spy(pattern, flags=0):  # type: ignore[no-untyped-def]
        calls.append(pattern)
        return real(pattern, flags)

    pytest.MonkeyPatch().setattr(_regex.re, "compile", spy)
    try:
        compiled = [_regex.compile(p, f) for p, f in PATTERNS]
    finally:
        _regex.re.compile = real  # type: ignore[assignment]
    assert calls == []  # every pattern came from the cache
    for cached, made, (pattern, flags) in zip(compiled, first, PATTERNS):
        _same(cached, real(pattern, flags))
        _same(made, real(pattern, flags))


@pytest.mark.skipif(not _regex._ENABLED, reason="the cache is for CPython's engine only")
def test_a_damaged_cache_falls_back_to_compiling(fresh_cache: Path):
    pattern, flags = PATTERNS[0]
    _regex.compile(pattern, flags)
    _regex.save()
    path = next(fresh_cache.glob("regex-*.json"))
    data = json.loads(path.read_text())
    key = next(iter(data))
    data[key][1] = "AAAAAP////8="  # SRE code that is not a program: _sre refuses it
    path.write_text(json.dumps(data))
    _reload()
    _same(_regex.compile(pattern, flags), re.compile(pattern, flags))
    path.write_text("{not json")
    _reload()
    _same(_regex.compile(pattern, flags), re.compile(pattern, flags))


def test_derived_facts_come_back_as_they_were_stored(fresh_cache: Path):
    from modlint import prose

    pattern = re.compile(r"\bwheelchair[\s-]+bound\b|\bconfined\s+to\s+a\s+wheelchair\b", re.I)
    prose.required_literals.cache_clear()
    worked_out = prose.required_literals(pattern)
    _regex.save()
    _reload()
    prose.required_literals.cache_clear()
    assert prose.required_literals(pattern) == worked_out and worked_out


def test_another_python_build_reads_another_cache_file(fresh_cache: Path, monkeypatch: pytest.MonkeyPatch):
    here = _regex._cache_path()
    monkeypatch.setattr(_regex.sys, "version", _regex.sys.version + " (another build)")
    elsewhere = _regex._cache_path()
    assert here.parent == elsewhere.parent and here.name != elsewhere.name
