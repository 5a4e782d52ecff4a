"""Property-based tests: no input crashes modlint, loses a position or breaks the output.

Inputs are generated modules and mutations of the example modules (truncated front
matter, random bytes, swapped encodings, CRLF and lone CR, BOMs, deep nesting, huge
lines, unterminated fences and divs, stray ``---``, attribute syntax errors). For
each one, every command's code path runs in process: ``check`` (the engine and the
collection rules), ``--fix`` (the fix loop, in memory), ``report`` (the gap
analysis), the JSON and SARIF reporters (validated against their schemas) and the
language server's lint, ranges and fix edits.

Profiles (environment variable ``HYPOTHESIS_PROFILE``):

* ``ci`` (default): derandomised, so every run tries the same cases; 200 per property.
* ``long``: random, 20,000 per property. ``HYPOTHESIS_PROFILE=long pytest tests/test_properties.py``

The number of cases run is printed in the pytest terminal summary.
"""
from __future__ import annotations

import json
import os
import re
from collections import Counter
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, assume, given, note, settings
from hypothesis import strategies as st

from conftest import EXAMPLES, ROOT, _toolkit

# -- profiles ---------------------------------------------------------------------
_COMMON = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much], print_blob=True)
settings.register_profile("ci", max_examples=200, derandomize=True, **_COMMON)
settings.register_profile("long", max_examples=20_000, **_COMMON)
PROFILE_NAME = os.environ.get("HYPOTHESIS_PROFILE", "ci")
if PROFILE_NAME not in ("ci", "long"):
    PROFILE_NAME = "ci"
# Applied per test, never loaded globally: other test modules keep their own settings.
PROFILE = settings(settings.get_profile(PROFILE_NAME))

CASES: Counter[str] = Counter()


class _CaseSummary:
    """Prints how many generated cases each property ran (pytest terminal summary)."""

    def pytest_terminal_summary(self, terminalreporter) -> None:  # noqa: D401 - pytest hook
        if not CASES:
            return
        total = sum(CASES.values())
        terminalreporter.write_sep("-", f"modlint properties: {total} generated cases (profile '{PROFILE_NAME}')")
        for name, count in sorted(CASES.items()):
            terminalreporter.write_line(f"  {name}: {count}")
        out = os.environ.get("MODLINT_PROPERTY_COUNTS")
        if out:
            Path(out).write_text(json.dumps({"profile": PROFILE_NAME, "total": total, "cases": dict(CASES)}, indent=2) + "\n", encoding="utf-8")


@pytest.fixture(scope="module", autouse=True)
def _count_cases(request):
    manager = request.config.pluginmanager
    if not manager.has_plugin("modlint-property-cases"):
        manager.register(_CaseSummary(), "modlint-property-cases")
    yield


# -- the harness --------------------------------------------------------------------
FINDINGS_SCHEMA = json.loads((ROOT / "schemas" / "findings.schema.json").read_text(encoding="utf-8"))
SARIF_SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
_VALIDATORS: dict[str, jsonschema.protocols.Validator] = {}
_VALIDATED_DESCRIPTORS: set[str] = set()


def _validator(name: str) -> jsonschema.protocols.Validator:
    if name not in _VALIDATORS:
        schema = FINDINGS_SCHEMA if name == "json" else SARIF_SCHEMA
        cls = jsonschema.validators.validator_for(schema)
        _VALIDATORS[name] = cls(schema)
    return _VALIDATORS[name]


_LINTER = None


def _linter():
    global _LINTER
    if _LINTER is None:
        from modlint.engine import Linter

        _LINTER = Linter(_toolkit())
    return _LINTER


def _config():
    from modlint.config import Config

    return Config(root=ROOT)


def _line_bound(data: bytes) -> int:
    """More lines than the file can have, however its line breaks are read."""
    return data.count(b"\n") + data.count(b"\r") + 2


def assert_position(finding, bound: int, lines: list[str] | None) -> None:
    assert type(finding.line) is int and 1 <= finding.line <= bound, f"{finding.rule_id} at line {finding.line!r} of a {bound - 2}-line file"
    assert type(finding.column) is int and finding.column >= 1, f"{finding.rule_id} at column {finding.column!r}"
    if lines is not None and finding.line <= len(lines):
        # A column may point just past the end of its line, never further.
        assert finding.column <= len(lines[finding.line - 1]) + 2, f"{finding.rule_id} at {finding.line}:{finding.column}, past the end of its line"
    for end in (finding.end_line, finding.end_column):
        assert end is None or (type(end) is int and end >= 1), f"{finding.rule_id} ends at {end!r}"
    assert isinstance(finding.message, str) and finding.message.strip()


def check_everything(data: bytes, name: str = "module.md") -> list:
    """Run every command's code path on ``data``; assert the promises; return the findings."""
    from modlint.engine import INTERNAL, FileResult
    from modlint.fixing import decode as fix_decode
    from modlint.fixing import fix_bytes
    from modlint.gap import analyse
    from modlint.parsing import decode
    from modlint.reporters import ReportContext
    from modlint.reporters.json_report import as_document as json_document
    from modlint.reporters.sarif import as_document as sarif_document

    linter, cfg = _linter(), _config()
    path = str(ROOT / "examples" / "generated" / name)
    result = linter.check_bytes(data, path, cfg)
    findings = result.findings + linter.check_collection([result], cfg)
    text, _, _ = decode(data)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").split("\n") if text is not None else None
    bound = _line_bound(data)
    crashed = [f.message for f in findings if f.rule_id == INTERNAL]
    assert not crashed, "a rule failed on this input:\n" + "\n".join(crashed)
    for f in findings:
        assert f.rule_id in linter.catalogue.by_id, f.rule_id
        assert_position(f, bound, lines)

    # JSON and SARIF: always valid documents.
    ctx = ReportContext(linter.toolkit, [result])
    doc = json.loads(json.dumps(json_document(findings, ctx), ensure_ascii=False))
    errors = list(_validator("json").iter_errors(doc))
    assert not errors, errors[0].message
    sarif = json.loads(json.dumps(sarif_document(findings, ctx, ROOT), ensure_ascii=False))
    driver = sarif["runs"][0]["tool"]["driver"]
    if _VALIDATED_DESCRIPTORS:
        # The rule descriptors do not depend on the input; validate them once, and
        # the rest of the log (results, locations, notifications) every time.
        driver["rules"] = [d for d in driver["rules"] if d["id"] not in _VALIDATED_DESCRIPTORS]
    errors = list(_validator("sarif").iter_errors(sarif))
    assert not errors, errors[0].message
    _VALIDATED_DESCRIPTORS.update(m.id for m in linter.catalogue)

    # --fix, in memory: never raises; what it would write reads back as a module.
    outcome = fix_bytes(data, path, lambda b: result if b == data else linter.check_bytes(b, path, cfg))
    if outcome.changed:
        assert outcome.writable
        assert fix_decode(outcome.fixed) is not None, "a fix produced bytes that no longer decode"
        assert not [f for f in outcome.result.findings if f.rule_id == INTERNAL]
    else:
        assert outcome.fixed == data

    # report: the gap analysis of this one module.
    analyse([result], linter.toolkit.registry, linter.catalogue, [], version="test").to_dict()

    # The language server lints the buffer as the editor holds it.
    from modlint.lsp.service import Buffer, combine_fixes, finding_range

    if text is not None:
        buf = Buffer(text)
        lsp_findings = result.findings  # check_text on this text gives the same findings
        for f in lsp_findings:
            (l0, c0), (l1, c1) = finding_range(f, buf)
            assert 0 <= l0 <= l1 and c0 >= 0 and c1 >= 0
        combine_fixes([f.fix for f in lsp_findings if f.fix is not None], buf)
    assert isinstance(result, FileResult)
    return findings


# -- generated modules ------------------------------------------------------------------
WORDS = ["the", "team", "leader", "minutes", "reflect", "patient", "ward", "budget", "you", "will", "safe", "care", "5", "30m", "1h", "\u00e9quipe", "\u2019s", "\u201cquoted\u201d", "board", "nurse", "break", "hours", "quickly", "simply", "obviously", "evening", "weekend", "Sunday"]
KEYS = ["id", "title", "stage", "format", "duration", "personas", "resumable", "audience", "tags", "outcomes", "author", "language", "updated", "sessions", "timing", "colour"]
SCALARS = st.one_of(
    st.integers(-10, 10_000), st.booleans(), st.none(), st.floats(allow_nan=True), st.sampled_from(["20m", "1h30m", "2 hours", "self-paced", "live-online", "blended", "face-to-face", "p11", "TODO", "", "~", "[]", "{}", "2024-02-30", "!!python/object:os.system", "*alias", "&anchor x"]),
    st.text(max_size=20),
)

word = st.sampled_from(WORDS)
sentence = st.lists(word, min_size=1, max_size=14).map(lambda ws: " ".join(ws) + ".")
paragraph = st.lists(sentence, min_size=1, max_size=4).map(" ".join)


def _yaml_value(v) -> str:
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False) if v and not re.fullmatch(r"[\w .:-]+", v) else v
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


@st.composite
def front_matter(draw) -> str:
    keys = draw(st.lists(st.sampled_from(KEYS), max_size=8))
    lines = []
    for key in keys:
        kind = draw(st.integers(0, 4))
        if kind == 0:
            lines.append(f"{key}: [{', '.join(_yaml_value(v) for v in draw(st.lists(SCALARS, max_size=4)))}]")
        elif kind == 1:
            lines.append(f"{key}:")
            lines.extend(f"  - {_yaml_value(v)}" for v in draw(st.lists(SCALARS, max_size=3)))
        else:
            lines.append(f"{key}: {_yaml_value(draw(SCALARS))}")
    base = ["id: generated", "title: A generated module", f"stage: {draw(st.integers(0, 6))}", f"format: {draw(st.sampled_from(['self-paced', 'live-online', 'blended', 'face-to-face', 'webinar']))}", f"duration: {draw(st.sampled_from(['20m', '45m', '1h', '3h', '10m', 'TBC']))}"]
    chosen = draw(st.lists(st.sampled_from(base), max_size=5, unique=True))
    return "---\n" + "\n".join(chosen + lines) + "\n---\n"


ATTRS = st.sampled_from(["", " {time=5m}", " {time=1h30m}", " {time=\"5m}", " {.exercise time=x}", " {=}", " {time=5m oops}", " {time='10 minutes'}", " {}"])
KINDS = st.sampled_from(["activity", "exercise", "reflection", "discussion", "break", "quiz", "video", "reading", "case-study", "activty", "{.exercise", ".video", ""])


@st.composite
def block(draw) -> str:
    kind = draw(st.integers(0, 14))
    if kind == 0:
        return f"{'#' * draw(st.integers(1, 7))} {draw(sentence).rstrip('.')}{draw(ATTRS)}"
    if kind == 1:
        return draw(paragraph)
    if kind == 2:
        return "\n".join(f"{draw(st.sampled_from(['-', '*', '1.', '  -', '    -']))} {draw(sentence)}" for _ in range(draw(st.integers(1, 4))))
    if kind == 3:
        return "\n".join(f"{'>' * draw(st.integers(1, 3))} {draw(sentence)}" for _ in range(draw(st.integers(1, 3))))
    if kind == 4:
        fence = draw(st.sampled_from(["```", "~~~", "````"]))
        closed = draw(st.booleans())
        return f"{fence}{draw(st.sampled_from(['', 'python', 'md']))}\n{draw(paragraph)}" + (f"\n{fence}" if closed else "")
    if kind == 5:
        colons = ":" * draw(st.integers(3, 5))
        attrs = draw(st.sampled_from(["", "time=5m", "time=\"5m", "time=10m alt=yes", "{time=5m}", "time=", "=5m", "time=5m time=6m"]))
        inner = "\n\n".join(draw(st.lists(st.one_of(paragraph, block_simple), min_size=0, max_size=3)))
        closed = draw(st.booleans())
        return f"{colons} {draw(KINDS)} {attrs}\n{inner}" + (f"\n{colons}" if closed else "")
    if kind == 6:
        return draw(st.sampled_from(["---", "***", "...", ":::", "```", "<!--", "-->", "<!-- modlint-disable MOD004 -->", "<!-- modlint-disable-next-line TIME001 -- reason -->", "<!-- modlint-enable -->", "<!-- modlint-disable-file -->"]))
    if kind == 7:
        return f"{draw(sentence)} [{draw(word)}]({draw(st.sampled_from(['https://example.org', 'page.md', '', '#x', 'javascript:alert(1)', 'https://example.org/a_(b)']))}) ![{draw(st.sampled_from(['', 'a chart', 'image']))}]({draw(st.sampled_from(['a.png', 'https://example.org/v.mp4', '']))})"
    if kind == 8:
        cols = draw(st.integers(1, 4))
        rows = draw(st.integers(0, 3))
        return "\n".join(["| " + " | ".join(draw(word) for _ in range(cols)) + " |", "|" + "---|" * cols] + ["| " + " | ".join(draw(word) for _ in range(cols)) + " |" for _ in range(rows)])
    if kind == 9:
        return f"**{draw(sentence).rstrip('.')}**"
    if kind == 10:
        return draw(st.text(max_size=60))
    if kind == 11:
        return f"<div>{draw(paragraph)}</div>" if draw(st.booleans()) else f"<details><summary>{draw(word)}</summary>\n\n{draw(paragraph)}"
    if kind == 12:
        return f"Take a {draw(st.sampled_from(['5-minute', '10 minute', 'short', '']))} break. This takes {draw(st.sampled_from(['20 minutes', '1 hour', 'about 2h', 'an hour']))}."
    if kind == 13:
        return f"`{draw(word)}` ``{draw(word)}` {draw(sentence)} <{draw(st.sampled_from(['https://a.b', 'mailto:x@y', 'http:']))}>"
    return "\n".join(draw(st.lists(st.sampled_from(["", " ", "\t", "    code", "\\", "&amp;", "&#0;", "\u200b", "\u00a0"]), max_size=3)))


block_simple = st.one_of(paragraph, st.builds(lambda s: "- " + s, sentence), st.builds(lambda s: "### " + s, sentence))


@st.composite
def generated_module(draw) -> str:
    fm = draw(st.one_of(front_matter(), st.just(""), st.just("---\n"), st.just("---\nid: [x\n---\n")))
    body = "\n\n".join(draw(st.lists(block(), max_size=12)))
    return fm + body + draw(st.sampled_from(["", "\n", "\n\n"]))


NEWLINES = st.sampled_from(["\n", "\r\n", "\r", "mixed"])


def _newlines(text: str, style: str) -> str:
    if style == "mixed":
        # Never a lone CR right before an LF: the two would read as one CRLF.
        return "".join(line + ("\n", "\r", "\r\n")[i % 3] for i, line in enumerate(text.split("\n")))
    return text.replace("\n", style)


def _encode(text: str, encoding: str) -> bytes:
    if encoding == "utf-8-bom":
        return b"\xef\xbb\xbf" + text.encode("utf-8", "surrogatepass")
    if encoding in ("utf-16", "utf-16-le", "utf-16-be"):
        return text.encode(encoding, "surrogatepass")
    if encoding == "latin-1":
        return text.encode("latin-1", "replace")
    return text.encode("utf-8", "surrogatepass")


ENCODINGS = st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-8-bom", "utf-16", "utf-16-le", "latin-1"])


@PROFILE
@given(text=generated_module(), newline=NEWLINES, encoding=ENCODINGS)
def test_generated_modules_never_crash(text, newline, encoding):
    CASES["generated modules"] += 1
    data = _encode(_newlines(text, newline), encoding)
    note(repr(data[:2000]))
    check_everything(data)


# -- mutations of the example modules ------------------------------------------------------
EXAMPLE_FILES = sorted(EXAMPLES.rglob("*.md"))
EXAMPLE_BYTES = [p.read_bytes() for p in EXAMPLE_FILES]


def _mutation_ops():
    pos = st.floats(0, 1)
    return st.one_of(
        st.tuples(st.just("truncate"), pos),
        st.tuples(st.just("insert-bytes"), pos, st.binary(min_size=1, max_size=16)),
        st.tuples(st.just("insert-text"), pos, st.text(min_size=1, max_size=16)),
        st.tuples(st.just("delete"), pos, st.integers(1, 200)),
        st.tuples(st.just("duplicate"), pos, st.integers(1, 400)),
        st.tuples(st.just("insert-line"), pos, st.sampled_from([
            "---", "...", ":::", "::::", "::: exercise time=\"5m", "::: break {time=", "```", "~~~", "<!--", "-->", "# {time=5m", "## Part {time=5m oops}",
            "## {.}", "<!-- modlint-disable -->", "<!-- modlint-disable-line MOD999 -->", "\ufeff", "\x00", "\x1b[31m", "\u202e", "|a|b|\n|-|", "***", "    ", "\t- x",
            "title: !!python/object/apply:os.system ['true']", "a: &a [*a]", "b: *undefined", "? [x]\n: y", "duration: !!binary aGk=",
        ])),
        st.tuples(st.just("deep"), pos, st.sampled_from([">", "- ", "  ", "[", "{", "::: exercise\n", "* ", "![", "<!-- ", "`"]), st.integers(10, 400)),
        st.tuples(st.just("huge-line"), pos, st.sampled_from(["word ", "a", "x" * 7 + " ", "\u00e9", "\"", "*a ", "[x](y) "]), st.integers(1_000, 20_000)),
        st.tuples(st.just("newlines"), NEWLINES),
        st.tuples(st.just("bom"), st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf\xef\xbb\xbf"])),
        st.tuples(st.just("encoding"), st.sampled_from(["utf-16", "utf-16-le", "utf-16-be", "latin-1", "utf-8-bom", "cp1252"])),
        st.tuples(st.just("drop-fence"), st.integers(0, 1)),
    )


def mutate(data: bytes, ops) -> bytes:
    for op in ops:
        kind = op[0]
        at = int(op[1] * len(data)) if len(op) > 1 and isinstance(op[1], float) else 0
        if kind == "truncate":
            data = data[:at]
        elif kind == "insert-bytes":
            data = data[:at] + op[2] + data[at:]
        elif kind == "insert-text":
            data = data[:at] + op[2].encode("utf-8", "surrogatepass") + data[at:]
        elif kind == "delete":
            data = data[:at] + data[at + op[2] :]
        elif kind == "duplicate":
            data = data[:at] + data[at : at + op[2]] * 2 + data[at + op[2] :]
        elif kind == "insert-line":
            nl = data.rfind(b"\n", 0, at) + 1
            data = data[:nl] + op[2].encode("utf-8") + b"\n" + data[nl:]
        elif kind == "deep":
            nl = data.rfind(b"\n", 0, at) + 1
            data = data[:nl] + (op[2] * op[3]).encode("utf-8") + b" x\n" + data[nl:]
        elif kind == "huge-line":
            nl = data.rfind(b"\n", 0, at) + 1
            data = data[:nl] + (op[2] * (op[3] // len(op[2]))).encode("utf-8") + b"\n" + data[nl:]
        elif kind == "newlines":
            text = data.decode("utf-8", "surrogateescape").replace("\r\n", "\n").replace("\r", "\n")
            data = _newlines(text, op[1]).encode("utf-8", "surrogateescape")
        elif kind == "bom":
            data = op[1] + data
        elif kind == "encoding":
            text = data.decode("utf-8", "replace")
            data = _encode(text, op[1]) if op[1] != "cp1252" else text.encode("cp1252", "replace")
        elif kind == "drop-fence":
            fences = [m.start() for m in re.finditer(rb"^---[ \t]*\r?$", data, re.M)]
            if len(fences) > op[1]:
                start = fences[op[1]]
                data = data[:start] + data[start + 3 :]
    return data


@PROFILE
@given(index=st.integers(0, len(EXAMPLE_BYTES) - 1), ops=st.lists(_mutation_ops(), min_size=1, max_size=4))
def test_mutated_examples_never_crash(index, ops):
    CASES["mutated examples"] += 1
    data = mutate(EXAMPLE_BYTES[index], ops)
    note(f"{EXAMPLE_FILES[index].relative_to(ROOT)} mutated by {ops!r}")
    check_everything(data, EXAMPLE_FILES[index].name)


@PROFILE
@given(data=st.binary(max_size=600))
def test_random_bytes_never_crash(data):
    CASES["random bytes"] += 1
    check_everything(data)


@PROFILE
@given(prefix=st.sampled_from([b"", b"---\n", b"---\nid: x\n---\n", b"\xef\xbb\xbf---\r\n"]), data=st.binary(max_size=300))
def test_random_bytes_after_a_front_matter_fence_never_crash(prefix, data):
    CASES["random bytes after a fence"] += 1
    check_everything(prefix + data)


# -- the parser's own promises -----------------------------------------------------------------

@PROFILE
@given(text=generated_module(), newline=NEWLINES, bom=st.booleans())
def test_line_endings_and_bom_do_not_move_findings(text, newline, bom):
    """The same module with CRLF, lone CR or a BOM gives the same findings at the same places."""
    CASES["line endings and BOM"] += 1
    linter, cfg = _linter(), _config()
    assume("\r" not in text)
    plain = linter.check_bytes(text.encode("utf-8", "surrogatepass"), "m.md", cfg).findings
    other = (b"\xef\xbb\xbf" if bom else b"") + _newlines(text, newline).encode("utf-8", "surrogatepass")
    moved = linter.check_bytes(other, "m.md", cfg).findings

    def key(fs):
        return sorted((f.rule_id, f.line, f.column) for f in fs if f.rule_id != "MOD012")

    assert key(moved) == key(plain)


# -- the crash corpus, kept as regression inputs ------------------------------------------------
REGRESSIONS = Path(__file__).parent / "regressions"
CORPUS = sorted(p for p in REGRESSIONS.glob("*") if p.is_file() and p.suffix in (".md", ".bin")) if REGRESSIONS.is_dir() else []
FUZZ_CRASHES = sorted(p for p in (Path(__file__).parent / "fuzz" / "crashes").glob("*") if p.is_file() and not p.name.startswith(".") and p.suffix != ".txt") if (Path(__file__).parent / "fuzz" / "crashes").is_dir() else []


@pytest.mark.parametrize("path", CORPUS + FUZZ_CRASHES, ids=lambda p: p.name)
def test_regression_corpus(path):
    """Every input that once crashed modlint (found by these properties or by the fuzzer)."""
    check_everything(path.read_bytes(), path.name)
