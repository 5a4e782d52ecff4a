"""Fixes: the edit machinery, the front matter round trip, golden pairs for every
fixable rule, the command line, and properties (idempotent, no new findings)."""
from __future__ import annotations

import json
import os
import re
from collections import Counter
from pathlib import Path
from typing import Callable

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES, ROOT, _toolkit, run_cli
from modlint.config import Config
from modlint.engine import FileResult, Linter
from modlint.findings import Edit, Finding, Fix, Severity
from modlint.fixes import delete_key, detect_indent, front_matter_edit, insert_at, insert_key, rename_key, replace_range, replace_span, set_value
from modlint.fixing import FixOutcome, apply_edits, decode, encode, fix_bytes, fix_text, select_fixes, unified_diff
from modlint.parsing import parse_text

GOLDEN = Path(__file__).parent / "golden" / "fixes"


def _linter() -> Linter:
    return Linter(_toolkit())


def _fix(text: str, select: tuple[str, ...] = ("ALL",), unsafe: bool = False) -> str:
    return fix_text(text, _linter(), Config(root=ROOT, select=select), unsafe=unsafe)


def _findings(text: str, select: tuple[str, ...] = ("ALL",)) -> list[Finding]:
    cfg = Config(root=ROOT, select=select)
    return [f for f in _linter().check_text(text, "module.md", cfg).findings if f.suppressed is None]


def _module(text: str):
    module, _ = parse_text(text, "m.md")
    return module


# -- applying edits ---------------------------------------------------------------

def test_apply_edits_in_any_order():
    text = "one two three"
    assert apply_edits(text, [Edit(8, 13, "3"), Edit(0, 3, "1")]) == "1 two 3"
    assert apply_edits(text, [Edit(3, 3, ",")]) == "one, two three"
    assert apply_edits(text, []) == text


def test_apply_edits_refuses_overlap():
    with pytest.raises(ValueError):
        apply_edits("abcdef", [Edit(0, 3, "x"), Edit(2, 4, "y")])
    with pytest.raises(ValueError):
        apply_edits("abcdef", [Edit(2, 2, "x"), Edit(2, 2, "y")])


def test_select_keeps_the_first_by_position_and_defers_the_rest():
    a = Fix("a", (Edit(0, 5, "A"),))
    b = Fix("b", (Edit(3, 8, "B"),))  # overlaps a
    c = Fix("c", (Edit(8, 9, "C"),))  # touches b's end, not a
    d = Fix("d", (Edit(20, 20, "D"),))
    e = Fix("e", (Edit(20, 22, "E"),))  # starts where d inserts: order would be a guess
    chosen, deferred = select_fixes([e, d, c, b, a])
    assert [f.description for f in chosen] == ["a", "c", "d"]
    assert sorted(f.description for f in deferred) == ["b", "e"]


def test_select_applies_identical_fixes_once_and_multi_edit_fixes_whole():
    one = Fix("x", (Edit(0, 1, "X"),))
    same = Fix("x again", (Edit(0, 1, "X"),))
    multi = Fix("m", (Edit(2, 3, "M"), Edit(10, 11, "N")))
    blocker = Fix("b", (Edit(9, 12, "B"),))
    chosen, deferred = select_fixes([one, same, multi, blocker])
    assert [f.description for f in chosen] == ["x", "m"]
    assert [f.description for f in deferred] == ["b"]


# -- bytes, encodings and line endings --------------------------------------------

@pytest.mark.parametrize(
    "data",
    [
        b"a\nb\n",
        b"a\r\nb\r\n",
        b"a\rb\r",
        b"a\r\nb\nc\rd",
        b"\xef\xbb\xbf---\r\nid: x\r\n---\r\n",
        "---\nid: é\n---\n".encode("utf-16"),
        b"\xfe\xff" + "x\r\ny".encode("utf-16-be"),
        b"no newline at all",
        b"",
    ],
)
def test_decode_encode_round_trip(data):
    enc = decode(data)
    assert enc is not None
    assert encode(enc, enc.text) == data
    module, _ = parse_text(data.decode("utf-16") if data.startswith((b"\xff\xfe", b"\xfe\xff")) else data.decode("utf-8-sig"), "m.md")
    assert module.text == enc.text


def test_undecodable_bytes_are_never_fixable():
    assert decode(b"\x00\x01binary") is None
    assert decode("caf\xe9".encode("latin-1")) is None


def test_untouched_lines_keep_their_own_endings():
    data = b"one\r\ntwo\nthree\r\nfour\r\n"
    enc = decode(data)
    assert enc is not None and enc.default == "\r\n"
    out = encode(enc, "one\ntwo\nTHREE\nextra\nfour\n")
    assert out == b"one\r\ntwo\nTHREE\r\nextra\r\nfour\r\n"


@given(st.lists(st.tuples(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n\ufeff"), max_size=8), st.sampled_from(["\n", "\r\n", "\r"])), max_size=8), st.booleans())
def test_decode_encode_round_trip_property(lines, bom):
    data = (b"\xef\xbb\xbf" if bom else b"") + "".join(a + b for a, b in lines).encode("utf-8")
    enc = decode(data)
    assume(enc is not None)
    assert encode(enc, enc.text) == data


# -- front matter through ruamel.yaml ----------------------------------------------

FM = """---
# Owner: leadership team
id: giving-feedback
title: 'Giving feedback'   # working title
stage: 2
format: self-paced
duration: 20m
competencies:
  - Build relationships
sessions:
  - day: Tuesday
    start: "10:00"
    length: 20m
tags: [a, b]
---
# Giving feedback
"""


def _apply(module, fix):
    assert fix is not None
    return apply_edits(module.text, fix.edits)


def test_front_matter_edit_changes_only_the_line_it_must():
    module = _module(FM)
    fix = front_matter_edit(module, lambda fm: set_value(fm, "duration", "25m"), "d")
    out = _apply(module, fix)
    assert out == FM.replace("duration: 20m", "duration: 25m")
    assert len(fix.edits) == 1 and module.text[fix.edits[0].start : fix.edits[0].end] == "duration: 20m\n"


def test_front_matter_edit_keeps_quotes_comments_and_nesting():
    module = _module(FM)
    out = _apply(module, front_matter_edit(module, lambda fm: (set_value(fm, "title", "Giving good feedback"), set_value(fm, ("sessions", 0, "start"), "10:30")), "t"))
    # The comment keeps its column where the longer value leaves room, else one space.
    assert "title: 'Giving good feedback' # working title\n" in out
    assert '    start: "10:30"\n' in out
    assert "# Owner: leadership team\n" in out and "tags: [a, b]\n" in out


def test_front_matter_insert_and_rename_keep_order_and_comments():
    text = FM.replace("stage: 2", "stage: 2  # framework stage")
    module = _module(text)

    def mutate(fm):
        insert_key(fm, "resumable", False, after="duration", comment="decide: can a learner stop and come back?")
        rename_key(fm, "stage", "stages")

    out = _apply(module, front_matter_edit(module, mutate, "m"))
    assert "stages: 2 # framework stage\n" in out  # the comment keeps its column where it can
    assert "duration: 20m\nresumable: false  # decide: can a learner stop and come back?\ncompetencies:" in out


def test_front_matter_edit_is_none_when_nothing_changes_or_fm_is_broken():
    module = _module(FM)
    # Lazy: a change that changes nothing is found out when the edits are asked for.
    same = front_matter_edit(module, lambda fm: set_value(fm, "duration", "20m"), "same")
    assert same is not None and not same.resolved and same.edits == () and same.resolved
    assert front_matter_edit(_module("# no front matter\n"), lambda fm: fm.update(x=1), "x") is None
    assert front_matter_edit(_module("---\nid: [\n---\n"), lambda fm: fm.update(x=1), "x") is None


def test_front_matter_edit_on_empty_front_matter():
    module = _module("---\n---\n# Title\n")
    out = _apply(module, front_matter_edit(module, lambda fm: insert_key(fm, "id", "x"), "add"))
    assert out == "---\nid: x\n---\n# Title\n"


@pytest.mark.parametrize(
    "yaml_text, expected",
    [
        ("a:\n  - x\n", (2, 4, 2)),
        ("a:\n- x\n", (2, 2, 0)),
        ("a:\n    b: 1\n    c:\n        - x\n", (4, 6, 4)),
        ("a:\n    -   x: 1\n        y: 2\n", (2, 8, 4)),
        ("a: 1\n", (2, 4, 2)),
    ],
)
def test_detect_indent(yaml_text, expected):
    assert detect_indent(yaml_text.splitlines()) == expected


@pytest.mark.parametrize("items", ["  - ", "- ", "    - ", "    -   "])
def test_front_matter_edit_keeps_any_list_indentation(items):
    pad = " " * (len(items) - 2 + 2)
    text = f"---\nid: x\ntitle: T\nstage: 2\nformat: self-paced\nduration: 5m\nmedia:\n{items}src: a.mp4\n{pad}type: video\n{items}src: b.mp3\n{pad}type: audio\n---\n"
    module = _module(text)
    out = _apply(module, front_matter_edit(module, lambda fm: set_value(fm, ("media", 1, "type"), "video"), "m"))
    assert out == text.replace("type: audio", "type: video")


def test_front_matter_edit_does_not_reformat_what_ruamel_would():
    # Odd spacing the round trip would normalise stays as written on lines not changed.
    text = "---\nid:   spaced-out\ntitle:  T\nstage: 2\nformat: self-paced\nduration: 5m\n---\n"
    module = _module(text)
    out = _apply(module, front_matter_edit(module, lambda fm: set_value(fm, "duration", "10m"), "d"))
    assert out == text.replace("5m", "10m")


def test_body_helpers():
    module = _module("---\nid: x\n---\nClick here now.\n")
    fix = replace_range(module, 4, 1, 4, 11, "Read the guide", "r", safe=False)
    assert fix is not None and not fix.safe
    assert apply_edits(module.text, fix.edits) == "---\nid: x\n---\nRead the guide now.\n"
    assert replace_span(module, 0, 3, "---", "same") is None
    ins = insert_at(module, 4, 1, "> ", "quote")
    assert ins is not None and apply_edits(module.text, ins.edits).endswith("> Click here now.\n")
    with pytest.raises(ValueError):
        replace_span(module, 0, 10_000, "", "too far")


# -- passes ---------------------------------------------------------------------------

def _fake(rules):
    """A lint function driven by ``rules``: callables text -> [Fix]."""

    def lint(data: bytes) -> FileResult:
        enc = decode(data)
        assert enc is not None
        text = enc.text
        found = []
        for i, rule in enumerate(rules):
            for fix in rule(text):
                found.append(Finding(f"TST00{i}", "t", "custom", Severity.ERROR, "m", "f.md", 1, fix=fix))
        return FileResult("f.md", found)

    return lint


def test_conflicting_fixes_are_applied_in_later_passes():
    def upper_words(text):
        return [Fix("up", (Edit(m.start(), m.end(), m.group().upper()),)) for m in re.finditer(r"\b[a-z]+\b", text)]

    def wrap(text):
        return [] if text.startswith("[") else [Fix("wrap", (Edit(0, len(text), "[" + text + "]"),))]

    out = fix_bytes(b"ab cd", "f.md", _fake([wrap, upper_words]))
    assert out.fixed == b"[AB CD]"
    assert out.passes >= 2
    assert not out.notes


def test_passes_are_bounded_and_loops_stop():
    def grow(text):
        return [Fix("grow", (Edit(len(text), len(text), "x"),))]

    out = fix_bytes(b"a", "f.md", _fake([grow]), max_passes=4)
    assert out.fixed == b"axxxx" and out.passes == 4
    assert any("after 4 passes" in n for n in out.notes)

    def flip(text):
        return [Fix("flip", (Edit(0, 1, "b" if text[0] == "a" else "a"),))]

    out = fix_bytes(b"a", "f.md", _fake([flip]))
    assert out.fixed == b"b" and any("undo each other" in n for n in out.notes)


def test_unsafe_fixes_only_when_asked():
    def unsafe(text):
        return [] if "X" in text else [Fix("u", (Edit(0, 1, "X"),), safe=False)]

    assert fix_bytes(b"abc", "f.md", _fake([unsafe])).fixed == b"abc"
    assert fix_bytes(b"abc", "f.md", _fake([unsafe])).unsafe_left == 1
    assert fix_bytes(b"abc", "f.md", _fake([unsafe]), unsafe=True).fixed == b"Xbc"


def test_bad_edits_are_ignored_not_applied():
    def bad(text):
        return [Fix("outside", (Edit(0, 999, ""),)), Fix("self-overlap", (Edit(0, 2, "a"), Edit(1, 3, "b")))]

    out = fix_bytes(b"abc", "f.md", _fake([bad]))
    assert out.fixed == b"abc" and len(out.notes) == 2


def test_a_fix_that_breaks_the_front_matter_is_undone():
    text = "---\nid: giving-feedback\ntitle: T\nstage: '2'\nformat: self-paced\nduration: 5m\n---\n# T\n"
    linter, cfg = _linter(), Config(root=ROOT, select=("module",))

    def lint(data: bytes) -> FileResult:
        result = linter.check_bytes(data, "f.md", cfg)
        enc = decode(data)
        assert enc is not None
        if "title: T\n" in enc.text:
            start = enc.text.index("title: T")
            result.findings.append(Finding("TST001", "t", "custom", Severity.ERROR, "m", "f.md", 3, fix=Fix("break", (Edit(start, start + 8, "title: [T"),))))
        return result

    out = fix_bytes(text.encode(), "f.md", lint)
    fixed = out.fixed.decode()
    assert "title: T\n" in fixed and "stage: 2\n" in fixed  # the good fix still applied
    assert any("TST001" in n for n in out.notes)


def test_suppressed_findings_are_not_fixed():
    text = "---\nid: x\ntitle: T\nstage: 2\n# modlint-disable-next-line MOD004 -- house style\nformat: Self-paced\nduration: 5m\n---\n# T\n"
    assert _fix(text, ("module",)) == text


def test_undecodable_file_result_is_not_writable():
    out = fix_bytes("---\nid: caf\xe9\n---\n".encode("latin-1"), "f.md", lambda b: _linter().check_bytes(b, "f.md", Config(root=ROOT)))
    assert not out.writable and not out.changed


def test_unified_diff_keeps_the_file_s_own_lines():
    # CRLF lines keep their \r; no phantom empty line after the final newline.
    assert unified_diff("m.md", b"a\r\nb\r\n", b"a\r\nc\r\n") == "--- m.md\n+++ m.md\n@@ -1,2 +1,2 @@\n a\r\n-b\r\n+c\r\n"
    assert unified_diff("m.md", b"a\nb", b"a\nc") == "--- m.md\n+++ m.md\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n"
    assert unified_diff("m.md", b"a\n", b"") == "--- m.md\n+++ m.md\n@@ -1 +0,0 @@\n-a\n"
    assert unified_diff("m.md", b"same\n", b"same\n") == ""
    assert unified_diff("a dir/m.md", b"a\n", b"b\n").startswith("--- a dir/m.md\t\n+++ a dir/m.md\t\n")


def test_lines_now_follows_lines_through_earlier_fixes():
    from modlint.fixing import lines_now

    original = ("a", "b", "c", "d")
    # 'b' became two lines a fix wrote (they count), 'c' and 'd' moved down one.
    assert lines_now(original, ("a", "X", "Y", "c", "d"), {3}) == {2, 3, 4}
    assert lines_now(original, original, {1, 4}) == {1, 4}
    assert lines_now(original, ("a", "c", "d"), {4}) == {3}


# Hunks that reach the end of the file, in each of the line-ending forms a patch must survive.
DIFF_FORMS = {
    "lf": ("\n", True),
    "crlf": ("\r\n", True),
    "lf, no final newline": ("\n", False),
    "crlf, no final newline": ("\r\n", False),
}


def _diff_case(tmp_path: Path, form: str, name: str) -> tuple[Path, bytes, bytes]:
    newline, final = DIFF_FORMS[form]
    text = BEFORE + "Another line about the chairman.\n"
    data = text.replace("\n", newline).encode("utf-8")
    if not final:
        data = data[: -len(newline)]
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    run_cli("check", "--no-cache", "--fix", "--unsafe-fixes", name, cwd=tmp_path)
    fixed = path.read_bytes()
    path.write_bytes(data)
    assert fixed != data and fixed.endswith(b"chair." + (newline.encode() if final else b""))
    return path, data, fixed


@pytest.mark.parametrize("tool", ["patch", "git apply"])
@pytest.mark.parametrize("form", sorted(DIFF_FORMS))
def test_diff_applies_with_patch_and_git_apply(tmp_path: Path, form: str, tool: str):
    """The diff --diff prints, applied by patch or git apply, gives exactly the
    bytes --fix writes, with a hunk that reaches the last line of the file."""
    import shutil
    import subprocess

    if shutil.which(tool.split()[0]) is None:
        pytest.skip(f"{tool} is not installed")
    # One file in a folder with a space in its name: the names in the diff must survive too.
    name = "a folder/m.md" if form == "lf" else "m.md"
    path, data, fixed = _diff_case(tmp_path, form, name)
    diff = run_cli("check", "--no-cache", "--diff", "--unsafe-fixes", name, cwd=tmp_path, input=b"")
    assert diff.returncode == 1, diff.stderr
    (tmp_path / "fixes.diff").write_bytes(diff.stdout)
    command = ["patch", "-p0", "--batch", "-i", "fixes.diff"] if tool == "patch" else ["git", "apply", "-p0", "--whitespace=nowarn", "fixes.diff"]
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, env={**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"})
    assert done.returncode == 0, done.stdout + done.stderr
    assert path.read_bytes() == fixed


# -- golden pairs: every fixable rule ---------------------------------------------------

def _fixable_rules():
    return sorted((m.id, m.fix) for m in _toolkit().catalogue if m.fix in ("safe", "unsafe") and m.plugin == "builtin")


@pytest.mark.parametrize("rule_id, kind", _fixable_rules())
def test_golden_pair(rule_id, kind):
    before, after = GOLDEN / f"{rule_id}.before.md", GOLDEN / f"{rule_id}.after.md"
    missing = [p.name for p in (before, after) if not p.exists()]
    if missing:
        pytest.fail(f"{rule_id} says 'fix: {kind}' but has no golden pair: add {', '.join(f'tests/golden/fixes/{m}' for m in missing)} (the module before and after 'modlint check --fix{' --unsafe-fixes' if kind == 'unsafe' else ''} --select {rule_id}').")
    src, want = before.read_text(encoding="utf-8"), after.read_text(encoding="utf-8")
    assert src != want, "the pair should show a change"
    assert any(f.fix is not None and f.rule_id == rule_id for f in _findings(src, (rule_id,))), f"{rule_id} attaches no fix to {before.name}"
    got = _fix(src, (rule_id,), unsafe=kind == "unsafe")
    assert got == want
    if kind == "unsafe":
        assert _fix(src, (rule_id,), unsafe=False) == src, "an unsafe fix was applied without --unsafe-fixes"
    assert _fix(want, (rule_id,), unsafe=True) == want, "fixing the fixed module again changes it"
    assert not [f for f in _findings(want, (rule_id,)) if f.fix is not None], "a fixable finding is left"


def test_golden_pairs_belong_to_fixable_rules():
    fixable = {rid for rid, _ in _fixable_rules()}
    names = {p.name.split(".")[0] for p in GOLDEN.glob("*.md")}
    assert names <= fixable, f"golden pairs for rules that are not fixable: {sorted(names - fixable)}"


# -- properties: fixing twice is fixing once, and adds no findings -----------------------

def _example_texts() -> list[str]:
    texts = []
    for path in sorted(EXAMPLES.rglob("*.md")):
        try:
            texts.append(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            continue
    for meta in _toolkit().catalogue:
        texts.extend(v for v in meta.examples.values() if isinstance(v, str))
    for path in sorted(GOLDEN.glob("*.before.md")):
        texts.append(path.read_text(encoding="utf-8"))
    return texts


EXAMPLE_TEXTS = _example_texts()


def _phrases() -> list[str]:
    out = ["click here", "chairman", "manpower"]
    for meta in _toolkit().catalogue:
        out.extend(str(p["phrase"]) for p in meta.phrases)
    return sorted(set(out))


def _mutations():
    swaps = [
        ("format: self-paced", "format: Self paced"),
        ("format: blended", "format: Blended"),
        ("stage: 2", 'stage: "2"'),
        ("resumable: true", "resumeable: true"),
        ("autoplay: false", "autoplay: true"),
        ("type: video", "type: Video"),
        ("captions:", "captons:"),
        ("duration: 60m", "duration: 1 hour"),
    ]
    return st.lists(st.sampled_from(swaps), max_size=4)


@st.composite
def modules(draw):
    text = draw(st.sampled_from(EXAMPLE_TEXTS))
    for old, new in draw(_mutations()):
        text = text.replace(old, new, 1)
    lines = text.split("\n")
    for phrase in draw(st.lists(st.sampled_from(_phrases()), max_size=2)):
        body = [i for i, ln in enumerate(lines) if ln and not ln.startswith(("---", "#", ":::", " ", "-", "`", "<")) and ":" not in ln]
        if body:
            i = draw(st.sampled_from(body))
            lines[i] = lines[i] + f" Ask the {phrase} for help."
    return "\n".join(lines)


# Rules whose fixes make an unreadable or ignored front matter value readable.
REPAIRS = frozenset({"MOD004", "MOD005", "TIME001"})
_ABSENT = object()


def _front_matter_of(text: str) -> dict:
    module = _module(text)
    return module.front_matter if module is not None and isinstance(module.front_matter, dict) else {}


def _with_keys(text: str, keys: frozenset[str], values: dict) -> str:
    """``text`` with the front matter keys ``keys`` as they are in ``values`` (absent
    there: removed), every other line as it was."""
    module = _module(text)

    def mutate(fm) -> None:
        for key in keys:
            if key not in values:
                delete_key(fm, key)
            elif key in fm:
                fm[key] = values[key]
            else:
                insert_key(fm, key, values[key])

    fix = front_matter_edit(module, mutate, "isolate the repaired keys")
    assert fix is not None, f"cannot set only {sorted(keys)} in the front matter"
    return apply_edits(module.text, fix.edits)


def _readers_of_repaired_keys(text: str, fixed: str, count: Callable[[str], Counter]) -> set[str]:
    """The rules that read a front matter key the fixes changed, found by changing
    that key alone: a rule reads ``k`` if its findings grow when ``k`` takes its fixed
    value in the original module, or shrink when ``k`` alone goes back to its old
    value in the module with every repaired key (so a rule needing two repaired
    keys, such as a format and the stage that picks its audience, reads both). The
    body is the original's, so a new finding that a body edit causes is never excused."""
    before, after = _front_matter_of(text), _front_matter_of(fixed)
    keys = frozenset(k for k in set(before) | set(after) if before.get(k, _ABSENT) != after.get(k, _ABSENT))
    if not keys:
        return set()
    base, full = count(text), count(_with_keys(text, keys, after))
    readers: set[str] = set()
    for key in keys:
        alone = count(_with_keys(text, frozenset({key}), after))
        without = count(_with_keys(text, keys - {key}, after)) if len(keys) > 1 else base
        readers |= {rid for rid, n in alone.items() if n > base[rid]}
        readers |= {rid for rid, n in full.items() if n > without[rid]}
    return readers


def _check_fix_properties(data: bytes, unsafe: bool) -> "FixOutcome":
    linter, cfg = _linter(), Config(root=ROOT)

    def lint(b: bytes) -> FileResult:
        return linter.check_bytes(b, "module.md", cfg)

    def count(text: str) -> Counter:
        return Counter(f.rule_id for f in lint(text.encode("utf-8")).findings if f.suppressed is None)

    once = fix_bytes(data, "module.md", lint, unsafe=unsafe)
    twice = fix_bytes(once.fixed, "module.md", lint, unsafe=unsafe)
    assert twice.fixed == once.fixed, "fixing twice differs from fixing once"
    assert not twice.applied and not once.notes, once.notes
    original = Counter(f.rule_id for f in lint(data).findings if f.suppressed is None)
    fixed_now = Counter(f.rule_id for f in once.result.findings if f.suppressed is None)
    new = {rid: n for rid, n in fixed_now.items() if n > original[rid]}
    # The fixed module must parse as well as before.
    assert not {rid for rid in new if rid in ("MOD001", "MOD002", "MOD003", "MOD011", "MOD012", "MOD013")}, new
    # A repaired front matter value ('Self paced' -> 'self-paced', a renamed key, a
    # 'TBC' duration) is read for the first time, so the rules that read that key may
    # now speak: that is the point of the repair. Any other new finding is a fault.
    allowed: set[str] = set()
    if any(f.rule_id in REPAIRS for f in once.applied):
        before, after = decode(data), decode(once.fixed)
        assert before is not None and after is not None
        allowed = _readers_of_repaired_keys(before.text, after.text, count)
    assert not set(new) - allowed, f"fixing added findings from rules that read no repaired key: { {k: n for k, n in new.items() if k not in allowed} } (readers of the repaired keys: {sorted(allowed)})"
    return once


def test_the_repair_allowance_covers_only_rules_that_read_a_repaired_key():
    """Counted by stand-in rules: one reads 'format', one needs 'format' and 'stage'
    together, one reads 'title' (not repaired) and one reads the body."""
    text = '---\nid: x\ntitle: T\nstage: "2"\nformat: Self paced\n---\n# T\n\nBody.\n'
    fixed = "---\nid: x\ntitle: T\nstage: 2\nformat: self-paced\n---\n# T\n\nBody, edited.\n"

    def count(t: str) -> Counter:
        fm = _front_matter_of(t)
        found = Counter()
        found["READS_FORMAT"] = fm.get("format") == "self-paced"
        found["NEEDS_BOTH"] = fm.get("format") == "self-paced" and fm.get("stage") == 2
        found["READS_TITLE"] = fm.get("title") == "T"
        found["READS_BODY"] = "edited" in t
        return +found

    assert _readers_of_repaired_keys(text, fixed, count) == {"READS_FORMAT", "NEEDS_BOTH"}
    assert _readers_of_repaired_keys(text, text, count) == set()


@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
@pytest.mark.parametrize("index", range(len(EXAMPLE_TEXTS)))
def test_every_example_module_fixes_once_and_for_all(index, unsafe):
    _check_fix_properties(EXAMPLE_TEXTS[index].encode("utf-8"), unsafe)


@pytest.mark.parametrize("unsafe", [False, True])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(text=modules(), newline=st.sampled_from(["\n", "\r\n"]), bom=st.booleans())
def test_fixing_twice_is_fixing_once(unsafe, text, newline, bom):
    data = (b"\xef\xbb\xbf" if bom else b"") + text.replace("\n", newline).encode("utf-8")
    once = _check_fix_properties(data, unsafe)
    if once.changed:
        assert once.fixed.startswith(b"\xef\xbb\xbf") == bom
        body = once.fixed.decode("utf-8-sig")
        assert (newline == "\r\n") == ("\r\n" in body) and "\r" not in body.replace("\r\n", "")


# -- the command line --------------------------------------------------------------------

BEFORE = (GOLDEN / "MOD004.before.md").read_text(encoding="utf-8")
AFTER = (GOLDEN / "MOD004.after.md").read_text(encoding="utf-8")


def _write(tmp_path: Path, text: str, name: str = "m.md", newline: str = "\n", bom: bool = False) -> Path:
    path = tmp_path / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.replace("\n", newline).encode("utf-8"))
    return path


def test_cli_fix_writes_and_a_second_fix_changes_nothing(tmp_path):
    path = _write(tmp_path, BEFORE, newline="\r\n", bom=True)
    os.chmod(path, 0o640)
    res = run_cli("check", "--fix", "--select", "MOD004", str(path))
    assert "applied 4 fixes in 1 file" in res.stderr, res.stderr
    assert path.read_bytes() == b"\xef\xbb\xbf" + AFTER.replace("\n", "\r\n").encode()
    assert path.stat().st_mode & 0o777 == 0o640
    stamp = path.stat().st_mtime_ns
    res2 = run_cli("check", "--fix", "--select", "MOD004", str(path))
    assert "applied 0 fixes" in res2.stderr
    assert path.stat().st_mtime_ns == stamp
    assert not list(tmp_path.glob("*.modlint-tmp"))


def test_cli_fix_exit_code_follows_the_findings_left(tmp_path):
    path = _write(tmp_path, BEFORE.replace('stage: "2"', "stage: 7"))
    res = run_cli("check", "--fix", "--select", "MOD004", str(path))
    assert res.returncode == 1 and "MOD004" in res.stdout  # stage 7 cannot be fixed
    ok = _write(tmp_path, BEFORE, name="ok.md")
    res = run_cli("check", "--fix", "--select", "MOD004", str(ok))
    if "MOD012" not in res.stdout:  # a plugin still being written fails every run
        assert res.returncode == 0, res.stdout


def test_cli_diff_writes_nothing(tmp_path):
    path = _write(tmp_path, BEFORE)
    res = run_cli("check", "--diff", "--select", "MOD004", str(path))
    assert res.returncode == 1
    out = res.stdout
    assert out.startswith(f"--- {path}\n+++ {path}\n")
    assert "\n-format: Self paced\n" in out and "\n+format: self-paced\n" in out
    assert path.read_text(encoding="utf-8") == BEFORE
    assert "would apply 4 fixes" in res.stderr
    clean = _write(tmp_path, AFTER, name="clean.md")
    res = run_cli("check", "--diff", "--select", "MOD004", str(clean))
    assert res.returncode == 0 and res.stdout == ""


def test_cli_unsafe_fixes(tmp_path):
    src = (GOLDEN / "MOD005.before.md").read_text(encoding="utf-8")
    path = _write(tmp_path, src)
    res = run_cli("check", "--fix", "--select", "MOD005", str(path))
    assert path.read_text(encoding="utf-8") == src
    assert "available with --unsafe-fixes" in res.stderr
    run_cli("check", "--fix", "--unsafe-fixes", "--select", "MOD005", str(path))
    assert path.read_text(encoding="utf-8") == (GOLDEN / "MOD005.after.md").read_text(encoding="utf-8")


def test_cli_never_writes_an_unreadable_file(tmp_path):
    data = BEFORE.encode("utf-8").replace(b"Giving feedback that helps\"", b"Giving feedback caf\xe9\"")
    path = tmp_path / "latin.md"
    path.write_bytes(data)
    res = run_cli("check", "--fix", "--unsafe-fixes", str(path))
    assert path.read_bytes() == data
    assert "MOD011" in res.stdout


def test_cli_fix_keeps_a_symlink(tmp_path):
    real = _write(tmp_path, BEFORE, name="real.md")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    run_cli("check", "--fix", "--select", "MOD004", str(link))
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == AFTER


def test_json_says_which_findings_are_fixable_and_how_safely(tmp_path):
    path = _write(tmp_path, (GOLDEN / "MOD005.before.md").read_text(encoding="utf-8"))
    res = run_cli("check", "--format", "json", "--select", "MOD005", str(path))
    doc = json.loads(res.stdout)
    fixes = {f["snippet"] if "snippet" in f else f["line"]: f["fix"] for f in doc["findings"]}
    assert any(fix and fix["safe"] is False and fix["edits"] for fix in fixes.values())
    assert any(fix is None for fix in fixes.values())  # 'made_up_setting' has no suggestion
    # A safe fix says so, with the edit that --fix would make.
    safe = _write(tmp_path, BEFORE, name="safe.md")
    doc = json.loads(run_cli("check", "--format", "json", "--select", "MOD004", str(safe)).stdout)
    by_line = {f["line"]: f["fix"] for f in doc["findings"]}
    assert sorted(by_line) == [5, 6, 8, 11]
    assert by_line[6] == {"description": "Write 'format' as self-paced", "safe": True, "edits": [{"start": BEFORE.index("format:"), "end": BEFORE.index("duration:"), "replacement": "format: self-paced\n"}]}
    assert all(fix["safe"] is True for fix in by_line.values())


# -- a rule's 'fix' metadata is what its findings carry -----------------------------------

# Rules whose findings disagree with their metadata, in code this test does not own:
# rule id -> what disagrees. Each is an expected failure, which fails once mended.
KNOWN_FIX_DISAGREEMENTS: dict[str, str] = {}


def _findings_on_sample_modules() -> dict[str, list[Finding]]:
    """Every unsuppressed finding on the example modules and tests/data/unseen, by rule."""
    linter, cfg = _linter(), Config(root=ROOT)
    by_rule: dict[str, list[Finding]] = {}
    for path in sorted(EXAMPLES.rglob("*.md")) + sorted((ROOT / "tests" / "data" / "unseen").rglob("*.md")):
        for f in linter.check_bytes(path.read_bytes(), str(path.relative_to(ROOT)), cfg).findings:
            by_rule.setdefault(f.rule_id, []).append(f)
    return by_rule


_SAMPLE_FINDINGS: dict[str, list[Finding]] = {}


def _builtin_rules() -> list:
    return [pytest.param(m.id, marks=pytest.mark.xfail(strict=True, reason=KNOWN_FIX_DISAGREEMENTS[m.id])) if m.id in KNOWN_FIX_DISAGREEMENTS else m.id for m in _toolkit().catalogue if m.plugin == "builtin"]


@pytest.mark.parametrize("rule_id", _builtin_rules())
def test_findings_carry_the_fix_their_rule_declares(rule_id):
    """'fix: none' attaches no fix; 'safe' only safe fixes; 'unsafe' only unsafe ones
    (a finding may have no fix where none can be worked out)."""
    if not _SAMPLE_FINDINGS:
        _SAMPLE_FINDINGS.update(_findings_on_sample_modules())
    declared = _toolkit().catalogue.get(rule_id).fix
    wrong = [
        f"{f.path}:{f.line}: a {'safe' if f.fix.safe else 'unsafe'} fix ('{f.fix.description}')"
        for f in _SAMPLE_FINDINGS.get(rule_id, [])
        if f.fix is not None and ("safe" if f.fix.safe else "unsafe") != declared
    ]
    assert not wrong, f"{rule_id} declares 'fix: {declared}' but attaches " + "; ".join(wrong[:5])


DECLARATIVE_RULE = """\
id: CUST001
alias: plain-utilise
family: custom
severity: warning
kind: phrase-substitution
{fix}summary: "Say 'use', not 'utilise'."
rationale: "Plain words help readers who are tired or busy."
barriers: [p11.called-intimidating]
standards: [udl-3.1]
phrases:
  - phrase: utilise
    suggestion: use
message: "Write '{{suggestion}}' instead of '{{phrase}}'."
examples:
  fail: "We utilise this."
  pass: "We use this."
"""


@pytest.mark.parametrize(
    "fix",
    [
        "none",
        "",  # a rule that leaves 'fix' out: none by default
        "safe",
        "unsafe",
    ],
)
def test_a_declarative_rule_attaches_the_fix_it_declares(tmp_path: Path, fix: str):
    from modlint.plugins import build_toolkit

    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "CUST001.yaml").write_text(DECLARATIVE_RULE.format(fix=f"fix: {fix}\n" if fix else ""), encoding="utf-8")
    linter = Linter(build_toolkit((tmp_path / "rules",), ()))
    text = "---\nid: x\ntitle: T\nstage: 2\nformat: self-paced\nduration: 5m\n---\n# T\n\nWe utilise it.\n"
    found = [f for f in linter.check_text(text, "m.md", Config(root=tmp_path, select=("CUST001",))).findings if f.rule_id == "CUST001"]
    assert [(f.line, f.column) for f in found] == [(10, 4)]
    kind = "none" if found[0].fix is None else ("safe" if found[0].fix.safe else "unsafe")
    assert kind == (fix or "none")


def test_fix_from_standard_input_needs_the_text(tmp_path):
    res = run_cli("check", "--fix", "--stdin", "--select", "MOD004", input=BEFORE)
    # Either the fixed module comes back on standard output, or a clear usage error.
    assert (res.returncode != 2 and res.stdout == AFTER) or (res.returncode == 2 and "standard input" in res.stderr)


def test_fix_with_an_output_file_that_cannot_be_written(tmp_path):
    """The report after --fix goes through the same writer as 'check -o': an error
    in plain words and exit 2, never a traceback; the fixes themselves are kept."""
    path = _write(tmp_path, BEFORE)
    res = run_cli("check", "--fix", "--select", "MOD004", "--format", "sarif", "-o", str(path / "report.sarif"), str(path))
    assert "Traceback" not in res.stderr
    assert res.returncode == 2
    assert res.stderr.strip().splitlines()[-1] == f"modlint: error: cannot write the report to {path / 'report.sarif'}: {path} is a file, not a folder"
    assert path.read_text(encoding="utf-8") == AFTER


def test_front_matter_fixes_are_worked_out_only_when_asked_for(tmp_path):
    """A plain check never pays for a round trip; JSON output and --fix get the edits,
    and a cached result stored without edits does not stand in for them."""
    from modlint.engine import Linter
    from modlint.findings import Fix

    text = FM.replace("duration: 20m", "duration: 20 minutes")
    calls: list[int] = []
    original = Fix.lazy.__func__  # type: ignore[attr-defined]

    def counting(cls, description, make, safe=True):  # type: ignore[no-untyped-def]
        return original(cls, description, lambda: (calls.append(1), make())[1], safe)

    import pytest

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Fix, "lazy", classmethod(counting))
        cfg = Config(root=ROOT, select=("TIME008",))
        plain = Linter(_toolkit()).check_text(text, "m.md", cfg)
        spelled = [f for f in plain.findings if f.rule_id == "TIME008"]
        assert spelled and spelled[0].fix is not None and not spelled[0].fix.resolved and calls == []
        resolving = Linter(_toolkit(), resolve_fixes=True).check_text(text, "m.md", cfg)
        fixed = [f for f in resolving.findings if f.rule_id == "TIME008"]
        assert calls and fixed[0].fix is not None and fixed[0].fix.resolved and fixed[0].fix.edits

    module_path = tmp_path / "m.md"
    module_path.write_text(text, encoding="utf-8")
    (tmp_path / ".modlint.yaml").write_text("select: [TIME008]\n", encoding="utf-8")
    run_cli("check", ".", cwd=tmp_path)  # fills the cache without edits
    doc = json.loads(run_cli("check", ".", "--format", "json", cwd=tmp_path).stdout)
    assert [f["fix"]["edits"][0]["replacement"].strip() for f in doc["findings"]] == ["duration: 20m"]

