"""Dataclasses whose methods come from the code cache behave exactly as compiled ones,
and a damaged cache is only ever a slower start."""
from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from modlint import _dataclass_code

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(sys.implementation.name != "cpython", reason="the cache is for CPython only")


@pytest.fixture()
def hooked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The hook installed afresh on an empty cache folder, and taken out afterwards."""
    monkeypatch.setenv("MODLINT_DATA_CACHE", str(tmp_path))
    monkeypatch.delattr(dataclasses, "exec", raising=False)
    monkeypatch.setattr(_dataclass_code, "_codes", None)
    monkeypatch.setattr(_dataclass_code, "_path", None)
    monkeypatch.setattr(_dataclass_code, "_dirty", False)
    monkeypatch.setattr(_dataclass_code, "_used", set())
    _dataclass_code.install()
    yield tmp_path
    # monkeypatch puts back what was there before: nothing, or the hook of an earlier CLI run.


def _restart() -> None:
    """What a new process does: read the file again and install the hook."""
    if "exec" in vars(dataclasses):
        del dataclasses.exec  # type: ignore[attr-defined]
    _dataclass_code._codes = None
    _dataclass_code._path = None
    _dataclass_code._dirty = False
    _dataclass_code._used = set()
    _dataclass_code.install()


def _compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []

    def spy(source: str, *args: Any, **kwargs: Any) -> Any:
        calls.append(source)
        return compile(source, *args, **kwargs)

    monkeypatch.setattr(_dataclass_code, "compile", spy, raising=False)
    return calls


def _make_classes() -> list[type]:
    @dataclasses.dataclass(frozen=True, slots=True)
    class Point:
        x: int
        y: int = 0
        tags: tuple[str, ...] = ()

    @dataclasses.dataclass(order=True)
    class Item:
        rank: int
        name: str = dataclasses.field(default="", compare=False)
        parts: list[int] = dataclasses.field(default_factory=list)

    @dataclasses.dataclass(kw_only=True, eq=False)
    class Options:
        strict: bool = False
        limit: int | None = None

    return [Point, Item, Options]


def _behaviour(classes: list[type]) -> list[Any]:
    point, item, options = classes
    p = point(1, tags=("a",))
    seen: list[Any] = [repr(p), p == point(1, 0, ("a",)), hash(p) == hash(point(1, 0, ("a",))), p.__slots__]
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.x = 2  # type: ignore[misc]
    with pytest.raises(TypeError):
        point()
    a, b = item(1, "a"), item(2, "b", [3])
    seen += [repr(b), a < b, a == item(1, "other"), item(1).parts is not item(1).parts, sorted([b, a]) == [a, b]]
    o = options(limit=3)
    seen += [repr(o), o == options(limit=3), o == o]
    with pytest.raises(TypeError):
        options(True)  # type: ignore[misc]
    return seen


def test_classes_from_the_cache_behave_as_compiled_ones(hooked: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = _behaviour(_make_classes())
    _dataclass_code.save()
    assert len(list(hooked.glob("dataclass-code-*.bin"))) == 1
    _restart()
    calls = _compiles(monkeypatch)
    cached = _behaviour(_make_classes())
    assert calls == []  # every method came from the file
    assert cached == fresh
    monkeypatch.delattr(dataclasses, "exec")
    assert _behaviour(_make_classes()) == fresh  # and as without the hook at all


def test_the_code_is_compiled_without_the_hooks_future_flags(hooked: Path) -> None:
    # The hook's own module has ``from __future__ import annotations``; exec in dataclasses
    # does not, so an annotation must stay an object, not become a string.
    namespace: dict[str, Any] = {}
    _dataclass_code._exec("def f(x: int) -> int:\n    return x\n", {"int": int}, namespace)
    assert namespace["f"].__annotations__ == {"x": int, "return": int}


_CALLERS_GLOBAL = "the test module's"


def test_exec_without_globals_uses_the_callers_as_exec_does(hooked: Path) -> None:
    namespace: dict[str, Any] = {}
    _dataclass_code._exec("result = _CALLERS_GLOBAL", None, namespace)
    assert namespace["result"] == "the test module's"


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[:-7],  # cut short
        lambda data: data[:30] + bytes([data[30] ^ 0xFF]) + data[31:],  # a byte changed
        lambda data: b"not the header\n" + data,
        # An intact body under a checksum that does not match it: not trusted either.
        lambda data: data[: len(_dataclass_code._HEADER)] + bytes(b ^ 0xFF for b in data[len(_dataclass_code._HEADER) : len(_dataclass_code._HEADER) + 4]) + data[len(_dataclass_code._HEADER) + 4 :],
        lambda data: b"",
    ],
    ids=["truncated", "flipped", "foreign", "checksum", "empty"],
)
def test_a_damaged_file_means_compiling_again(hooked: Path, monkeypatch: pytest.MonkeyPatch, damage: Callable[[bytes], bytes]) -> None:
    fresh = _behaviour(_make_classes())
    _dataclass_code.save()
    (path,) = hooked.glob("dataclass-code-*.bin")
    path.write_bytes(damage(path.read_bytes()))
    _restart()
    calls = _compiles(monkeypatch)
    assert _behaviour(_make_classes()) == fresh
    assert calls  # nothing was taken from the damaged file
    _dataclass_code.save()  # and it is rewritten whole
    _restart()
    assert _dataclass_code._codes and all(source in _dataclass_code._codes for source in calls)


def test_a_file_that_holds_no_code_is_ignored(hooked: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import binascii
    import marshal

    _make_classes()
    _dataclass_code.save()
    (path,) = hooked.glob("dataclass-code-*.bin")
    body = marshal.dumps({"def f(): pass": "a string, not code", 3: None})
    path.write_bytes(_dataclass_code._HEADER + binascii.crc32(body).to_bytes(4, "big") + body)
    _restart()
    assert _dataclass_code._codes == {}


def test_another_exec_already_given_to_dataclasses_is_left_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    own = object()
    monkeypatch.setattr(dataclasses, "exec", own, raising=False)
    monkeypatch.setattr(_dataclass_code, "_codes", None)
    _dataclass_code.install()
    assert dataclasses.exec is own  # type: ignore[attr-defined]
    assert _dataclass_code._codes is None


def test_a_one_file_run_writes_the_cache_once_and_then_only_reads_it(hooked: Path) -> None:
    tmp_path = hooked
    module = sorted((ROOT / "examples" / "modules" / "access").glob("*.md"))[0]
    env = dict(os.environ, MODLINT_DATA_CACHE=str(tmp_path))
    outputs: list[str] = []
    stamps: list[int] = []
    for seed in ("1", "2", "3"):
        # Different hash seeds: no text dataclasses write may depend on the order of a set.
        run = subprocess.run(
            [sys.executable, "-m", "modlint", "check", "--no-cache", "--format", "json", str(module)],
            capture_output=True, text=True, cwd=ROOT, env=dict(env, PYTHONHASHSEED=seed), timeout=120,
        )
        assert run.returncode in (0, 1), run.stderr
        outputs.append(run.stdout)
        (path,) = tmp_path.glob("dataclass-code-*.bin")
        stamps.append(path.stat().st_mtime_ns)
    assert outputs[0] == outputs[1] == outputs[2] and json.loads(outputs[0])["findings"]
    assert stamps[0] == stamps[1] == stamps[2]
    _restart()
    assert len(_dataclass_code._codes or {}) >= 100  # modlint's own classes, and the libraries'


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="permission bits and owners are POSIX's")
def test_the_file_is_owner_only_and_one_others_may_write_is_never_read(hooked: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = _behaviour(_make_classes())
    with monkeypatch.context() as umask:
        from modlint import fileio

        umask.setattr(fileio, "_umask", lambda: 0o002)  # a group-writable umask: not for this file
        _dataclass_code.save()
    (path,) = hooked.glob("dataclass-code-*.bin")
    assert path.stat().st_mode & 0o777 == 0o600
    for file_mode, folder_mode in [(0o620, 0o755), (0o602, 0o755), (0o600, 0o777), (0o600, 0o1777)]:
        path.chmod(file_mode)
        hooked.chmod(folder_mode)
        _restart()
        assert _dataclass_code._codes == {}, (oct(file_mode), oct(folder_mode))
        calls = _compiles(monkeypatch)
        assert _behaviour(_make_classes()) == fresh and calls
    hooked.chmod(0o755)
    path.chmod(0o600)
    _restart()
    assert _dataclass_code._codes


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="owners are POSIX's")
def test_a_file_of_another_users_is_never_read(hooked: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _make_classes()
    _dataclass_code.save()
    _restart()
    assert _dataclass_code._codes
    me = os.getuid()
    real_fstat = os.fstat

    def someone_elses(fd: int) -> Any:
        st = real_fstat(fd)
        fields = list(st)
        fields[4] = me + 1  # st_uid: neither this user nor (see getuid below) the superuser
        return os.stat_result(fields)

    monkeypatch.setattr(os, "fstat", someone_elses)
    monkeypatch.setattr(os, "getuid", lambda: me if me != 0 else 5)  # as a user who is not the superuser
    _restart()
    assert _dataclass_code._codes == {}


def test_a_full_file_keeps_what_the_run_used_and_takes_new_texts(hooked: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Texts no version writes any more (an older release's classes) fill the file up.
    monkeypatch.setattr(_dataclass_code, "_MAX_ENTRIES", 5)
    for n in range(5):
        _dataclass_code._exec(f"def stale_{n}(): pass\n", {}, {})
    _dataclass_code.save()
    _restart()
    assert len(_dataclass_code._codes or {}) == 5
    fresh = _behaviour(_make_classes())  # new texts beyond the limit
    _dataclass_code.save()
    _restart()
    codes = _dataclass_code._codes or {}
    assert codes and not any(source.startswith("def stale_") for source in codes)
    calls = _compiles(monkeypatch)
    assert _behaviour(_make_classes()) == fresh and calls == []  # the classes' texts were kept
