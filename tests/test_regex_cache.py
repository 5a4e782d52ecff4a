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
    re.purge()  # re's cache as a fresh process has it, not full of the other tests' patterns
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
    assert len(files) == 1 and len([k for k in json.loads(files[0].read_text()) if k != "<re>"]) == len(PATTERNS)
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


LIBRARY_PATTERN = (r"^(?P<tag>[a-z][a-z0-9-]*)\s*=\s*(?:\"[^\"]*\"|'[^']*')", re.I)


@pytest.mark.skipif(not _regex._ENABLED, reason="the cache is for CPython's engine only")
def test_library_patterns_are_in_res_cache_before_the_libraries_compile_them(fresh_cache: Path):
    pattern, flags = LIBRARY_PATTERN
    own = _regex.compile(*PATTERNS[0])
    re.compile(pattern, flags)  # as a library does at import
    _regex.save()
    stored = json.loads(next(fresh_cache.glob("regex-*.json")).read_text())
    assert f"{int(flags)}:{pattern}" in stored["<re>"]
    assert f"{int(PATTERNS[0][1])}:{PATTERNS[0][0]}" not in stored["<re>"]  # modlint's own: read by compile()
    re.purge()
    _reload()
    _regex.seed()
    assert (str, pattern, int(flags)) in re._cache
    assert (str, own.pattern, int(PATTERNS[0][1])) not in re._cache
    seeded = re.compile(pattern, flags)
    assert seeded is re._cache[str, pattern, int(flags)]  # re looked it up, not compiled it
    fresh = re._compiler.compile(pattern, int(flags))
    assert (seeded.flags, seeded.groups, seeded.groupindex) == (fresh.flags, fresh.groups, fresh.groupindex)
    for text in ['alt = "a picture"', "Title='x'", "x=y", ' id = "1"']:
        assert [m.span() for m in seeded.finditer(text)] == [m.span() for m in fresh.finditer(text)]


@pytest.mark.skipif(not _regex._ENABLED, reason="the cache is for CPython's engine only")
def test_a_damaged_library_entry_is_left_for_re_to_compile(fresh_cache: Path):
    pattern, flags = LIBRARY_PATTERN
    _regex.seed()  # as the command line starts
    re.compile(pattern, flags)
    _regex.save()
    path = next(fresh_cache.glob("regex-*.json"))
    data = json.loads(path.read_text())
    data["<re>"][f"{int(flags)}:{pattern}"][1] = "AAAAAP////8="
    data["<re>"]["not-a-number:x"] = [0, "", 0, {}, []]
    path.write_text(json.dumps(data))
    re.purge()
    _reload()
    _regex.seed()
    assert (str, pattern, int(flags)) not in re._cache
    assert re.compile(pattern, flags).match('alt="x"')


@pytest.mark.skipif(not _regex._ENABLED, reason="the cache is for CPython's engine only")
def test_one_pattern_new_each_run_does_not_rewrite_the_cache(fresh_cache: Path):
    _regex.seed()
    re.compile(LIBRARY_PATTERN[0], LIBRARY_PATTERN[1])
    _regex.save()
    path = next(fresh_cache.glob("regex-*.json"))
    before = path.read_text()
    # A library that builds a pattern from a set: another order in every process.
    re.compile("[" + "".join(sorted("abc", reverse=True)) + "]+x-unique-run-1")
    _regex.save()
    assert path.read_text() == before
    # A library upgrade: many patterns new at once. The set is rewritten whole.
    for n in range(_regex._NEW_LIBRARY_PATTERNS):
        re.compile(rf"upgraded-library-{n}\d+")
    _regex.save()
    stored = json.loads(path.read_text())["<re>"]
    assert all(f"0:upgraded-library-{n}\\d+" in stored for n in range(_regex._NEW_LIBRARY_PATTERNS))
