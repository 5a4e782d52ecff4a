"""``modlint check --fix`` and ``--diff``: apply the fixes rules attach to findings.

A file is fixed in passes. Each pass lints the current text, takes the fixes that
may be applied (safe ones, and unsafe ones with ``--unsafe-fixes``), keeps those
that do not overlap an earlier one (by position) and applies them; the fixes it
left out come back, recomputed against the new text, in the next pass. The loop
stops when no fix is left, when a pass changes nothing or would bring back an
earlier text, or after :data:`MAX_PASSES` passes.

Edits index :attr:`Module.text`: the decoded file with ``\\r\\n`` and ``\\r`` read
as ``\\n`` and no byte order mark. Writing puts back the file's encoding, byte
order mark and the line ending of every untouched line (new lines take the
file's most common ending), then replaces the file atomically, and only if the
bytes changed. A file that cannot be decoded (MOD011) is never written.
"""
from __future__ import annotations

import argparse
import difflib
import os
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, TextIO

from modlint.findings import Edit, Finding, Fix

if TYPE_CHECKING:
    from modlint.commands.check import Session
    from modlint.config import Config
    from modlint.engine import FileResult, Linter

MAX_PASSES = 10
# A pass whose fixes make the file unreadable as a module is undone.
_PARSE_RULES = frozenset({"MOD001", "MOD002", "MOD003", "MOD011"})
_NEWLINE = re.compile(r"\r\n|\r|\n")

Lint = Callable[[bytes], "FileResult"]


# -- text and bytes -------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Encoded:
    """How a file's bytes become :attr:`Module.text` and back."""

    encoding: str
    bom: bytes
    bom_char: bool  # a U+FEFF the parser strips, left after the bytes' own BOM
    lines: tuple[str, ...]  # normalised lines (text.split("\n"))
    endings: tuple[str, ...]  # each line's ending; "" for the last
    default: str  # ending for lines a fix adds

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def decode(data: bytes) -> Encoded | None:
    """Split bytes into normalised text and what is needed to write it back
    exactly; None when the bytes are not a text module (never write those)."""
    from modlint.parsing.module import decode as parser_decode

    text, _, problem = parser_decode(data)
    if text is None or problem is not None:
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        encoding, bom = "utf-8", b"\xef\xbb\xbf"
    elif data.startswith(b"\xff\xfe"):
        encoding, bom = "utf-16-le", b"\xff\xfe"
    elif data.startswith(b"\xfe\xff"):
        encoding, bom = "utf-16-be", b"\xfe\xff"
    else:
        encoding, bom = "utf-8", b""
    try:
        raw = data[len(bom) :].decode(encoding)
    except UnicodeDecodeError:
        return None
    bom_char = raw.startswith("\ufeff")
    if bom_char:
        raw = raw[1:]
    lines: list[str] = []
    endings: list[str] = []
    pos = 0
    for match in _NEWLINE.finditer(raw):
        lines.append(raw[pos : match.start()])
        endings.append(match.group(0))
        pos = match.end()
    lines.append(raw[pos:])
    endings.append("")
    counts = Counter(e for e in endings if e)
    default = counts.most_common(1)[0][0] if counts else "\n"
    if "\r\n" in counts and counts["\r\n"] == counts.most_common(1)[0][1]:
        default = "\r\n"  # a tie goes to the parser's choice
    return Encoded(encoding, bom, bom_char, tuple(lines), tuple(endings), default)


def encode(original: Encoded, text: str) -> bytes:
    """Bytes for ``text`` written the way ``original`` was: same encoding and BOM,
    untouched lines keep their own endings."""
    new = text.split("\n")
    old = list(original.lines)
    uniform = len(set(original.endings[:-1])) <= 1
    if uniform:
        ending = original.endings[0] if len(original.endings) > 1 else original.default
        out = ending.join(new)
    else:
        endings = [original.default] * len(new)
        for tag, a1, a2, b1, b2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
            # A line edited in place (one old line for one new) keeps its ending too.
            if tag == "equal" or (tag == "replace" and a2 - a1 == b2 - b1):
                for k in range(a2 - a1):
                    kept = original.endings[a1 + k]
                    if kept:
                        endings[b1 + k] = kept
        endings[-1] = ""
        out = "".join(line + end for line, end in zip(new, endings))
    if original.bom_char:
        out = "\ufeff" + out
    return original.bom + out.encode(original.encoding)


# -- edits ------------------------------------------------------------------------

def _valid(fix: Fix, length: int) -> bool:
    if not fix.edits:
        return False
    spans = sorted((e.start, e.end) for e in fix.edits)
    if any(not (0 <= s <= e <= length) for s, e in spans):
        return False
    return all(_apart(a, b) for a, b in zip(spans, spans[1:]))


def _apart(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Two spans, ``a`` first by position, that can both be applied: no shared
    character, and not two insertions (or an insertion and a replacement) at the
    same place, whose order would be a guess."""
    return a[1] <= b[0] and a[0] != b[0]


def _span(fix: Fix) -> tuple[int, int]:
    return (min(e.start for e in fix.edits), max(e.end for e in fix.edits))


def select_fixes(fixes: Iterable[Fix]) -> tuple[list[Fix], list[Fix]]:
    """Split fixes into those applied together now and those that overlap an
    earlier one (by position) and must wait for the next pass. Identical fixes
    are applied once."""
    chosen: list[Fix] = []
    deferred: list[Fix] = []
    taken: list[tuple[int, int]] = []
    seen: set[tuple[Edit, ...]] = set()
    for fix in sorted(fixes, key=lambda f: (_span(f), f.description)):
        key = tuple(sorted(fix.edits, key=lambda e: (e.start, e.end)))
        if key in seen:
            continue
        spans = [(e.start, e.end) for e in key]
        if all(_apart(*sorted((s, t))) for s in spans for t in taken):
            chosen.append(fix)
            taken.extend(spans)
            seen.add(key)
        else:
            deferred.append(fix)
    return chosen, deferred


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply edits that do not overlap, all indexing the same ``text``."""
    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    for a, b in zip(ordered, ordered[1:]):
        if not _apart((a.start, a.end), (b.start, b.end)):
            raise ValueError(f"edits {a.start}:{a.end} and {b.start}:{b.end} overlap")
    parts: list[str] = []
    pos = 0
    for edit in ordered:
        parts.append(text[pos : edit.start])
        parts.append(edit.replacement)
        pos = edit.end
    parts.append(text[pos:])
    return "".join(parts)


# -- one file ---------------------------------------------------------------------

@dataclass(slots=True)
class FixOutcome:
    """What fixing one file did: the bytes before and after and the fixes applied."""

    path: str
    original: bytes
    fixed: bytes
    result: "FileResult"
    applied: list[Finding] = field(default_factory=list)  # the finding of each fix applied
    passes: int = 0
    unsafe_left: int = 0  # fixes that --unsafe-fixes would also apply
    notes: list[str] = field(default_factory=list)
    writable: bool = True

    @property
    def changed(self) -> bool:
        return self.fixed != self.original


def _usable(finding: Finding, unsafe: bool, keep: Callable[[Finding], bool] | None) -> bool:
    return finding.fix is not None and finding.suppressed is None and (finding.fix.safe or unsafe) and (keep is None or keep(finding))


def fix_bytes(data: bytes, path: str, lint: Lint, *, unsafe: bool = False, keep: Callable[[Finding], bool] | None = None, lines: set[int] | None = None, max_passes: int = MAX_PASSES) -> FixOutcome:
    """Fix one file's bytes in passes; ``lint`` checks bytes and returns a FileResult.

    ``keep`` limits which findings' fixes are applied (e.g. ``--persona``);
    ``lines`` (1-based, of ``data``) limits them to findings on those lines
    (``--diff-only``), followed through the lines earlier passes moved or wrote.
    """
    result = lint(data)
    original = decode(data)
    outcome = FixOutcome(path, data, data, result)
    if original is None or any(f.rule_id == "MOD011" for f in result.findings):
        outcome.writable = False
        return outcome
    text = original.text
    seen = {text}
    rejected: set[tuple[str, tuple[Edit, ...]]] = set()
    one_at_a_time = False
    current = data
    while True:
        wanted = _wanted_in(keep, original.lines, text, lines)
        candidates = []
        for finding in result.findings:
            if not _usable(finding, unsafe, wanted):
                continue
            assert finding.fix is not None
            if (finding.rule_id, finding.fix.edits) in rejected:
                continue
            if not _valid(finding.fix, len(text)):
                outcome.notes.append(f"modlint: {path}: ignored a fix from {finding.rule_id} whose edits fall outside the file or overlap each other; report this to the rule's authors.")
                rejected.add((finding.rule_id, finding.fix.edits))
                continue
            candidates.append(finding)
        if not candidates:
            break
        if outcome.passes >= max_passes:
            outcome.notes.append(f"modlint: {path}: fixes still pending after {max_passes} passes; stopped. Run 'modlint check --fix' again, or report a loop between {', '.join(sorted({f.rule_id for f in candidates}))}.")
            break
        by_fix = {id(f.fix): f for f in candidates}
        chosen, _ = select_fixes(f.fix for f in candidates if f.fix is not None)
        if one_at_a_time:
            chosen = chosen[:1]
        new_text = apply_edits(text, [e for fix in chosen for e in fix.edits])
        outcome.passes += 1
        if new_text == text:
            break
        if new_text in seen:
            outcome.notes.append(f"modlint: {path}: the fixes from {', '.join(sorted({by_fix[id(c)].rule_id for c in chosen}))} undo each other; stopped.")
            break
        new_bytes = encode(original, new_text)
        new_result = lint(new_bytes)
        if _broke(result, new_result):
            # Undo the pass; find the fix at fault by applying one at a time.
            if len(chosen) == 1:
                bad = by_fix[id(chosen[0])]
                assert bad.fix is not None
                rejected.add((bad.rule_id, bad.fix.edits))
                outcome.notes.append(f"modlint: {path}: did not apply the fix from {bad.rule_id} ('{bad.fix.description}'): it would leave the module unreadable. Report this to the rule's authors.")
            one_at_a_time = True
            continue
        outcome.applied.extend(by_fix[id(c)] for c in chosen)
        seen.add(new_text)
        text, current, result = new_text, new_bytes, new_result
    outcome.fixed = current
    outcome.result = result
    wanted = _wanted_in(keep, original.lines, text, lines)
    outcome.unsafe_left = 0 if unsafe else sum(1 for f in result.findings if f.fix is not None and not f.fix.safe and f.suppressed is None and (wanted is None or wanted(f)))
    return outcome


def _wanted_in(keep: Callable[[Finding], bool] | None, original: tuple[str, ...], text: str, lines: set[int] | None) -> Callable[[Finding], bool] | None:
    """``keep``, narrowed to findings on ``lines`` of the original text as they stand in ``text``."""
    if lines is None:
        return keep
    from modlint.gitdiff import on_changed_line

    now = lines_now(original, tuple(text.split("\n")), lines)
    return lambda f: (keep is None or keep(f)) and on_changed_line(f, now)


def lines_now(original: tuple[str, ...], current: tuple[str, ...], lines: set[int]) -> set[int]:
    """The 1-based lines of ``current`` that count as ``lines`` of ``original``: a line
    left as it was keeps its standing, and a line the fixes wrote counts, since every
    fix applied was one for a line that counted."""
    now: set[int] = set()
    for tag, a1, a2, b1, b2 in difflib.SequenceMatcher(None, original, current, autojunk=False).get_opcodes():
        if tag == "equal":
            now.update(b1 + k + 1 for k in range(a2 - a1) if a1 + k + 1 in lines)
        else:
            now.update(range(b1 + 1, b2 + 1))
    return now


def _broke(before: "FileResult", after: "FileResult") -> bool:
    def count(r: "FileResult") -> Counter[str]:
        return Counter(f.rule_id for f in r.findings if f.rule_id in _PARSE_RULES or f.rule_id == "MOD012")

    old, new = count(before), count(after)
    return any(new[k] > old[k] for k in new)


def fix_text(text: str, linter: "Linter", cfg: "Config", path: str = "module.md", *, unsafe: bool = False) -> str:
    """Fix module text in memory (tests, editors): the fixed text, ``\\n`` line endings."""
    outcome = fix_bytes(text.encode("utf-8"), path, lambda data: linter.check_bytes(data, path, cfg), unsafe=unsafe)
    fixed = decode(outcome.fixed)
    return fixed.text if fixed is not None else text


def unified_diff(path: str, before: bytes, after: bytes, context: int = 3) -> str:
    """A unified diff of two versions of a file that ``patch -p0`` and ``git apply -p0``
    apply: lines are the file's own, split at ``\\n`` as those tools split them, so a
    CRLF line keeps its ``\\r`` and a last line without a newline is marked
    ``\\ No newline at end of file``. Empty when nothing changed."""
    a, b = _patch_lines(before), _patch_lines(after)
    out: list[str] = []
    for group in difflib.SequenceMatcher(None, a, b, autojunk=False).get_grouped_opcodes(context):
        out.append(f"@@ -{_hunk_range(group[0][1], group[-1][2])} +{_hunk_range(group[0][3], group[-1][4])} @@\n")
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out.extend(_diff_body(" ", a[i1:i2]))
                continue
            out.extend(_diff_body("-", a[i1:i2]))
            out.extend(_diff_body("+", b[j1:j2]))
    if not out:
        return ""
    # A tab ends the name for patch and git apply, which would otherwise stop at a space.
    name = path + "\t" if any(ch.isspace() for ch in path) else path
    return f"--- {name}\n+++ {name}\n" + "".join(out)


def _patch_lines(data: bytes) -> list[str]:
    """The file's lines as ``patch`` sees them: each up to and including its ``\\n``
    (a ``\\r`` before it, or a lone one, stays part of the line). A UTF-8 byte order
    mark stays at the start of the first line, where the file has it."""
    enc = decode(data)
    if enc is None or enc.encoding == "utf-8":
        text = data.decode("utf-8", "surrogateescape")
    else:
        # UTF-16: shown as text; patch tools cannot apply a diff to such a file anyway.
        text = data[len(enc.bom) :].decode(enc.encoding, "replace")
    parts = text.split("\n")
    return [p + "\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def _hunk_range(start: int, stop: int) -> str:
    """``start,length`` of a hunk (1-based); an empty range names the line before it."""
    length = stop - start
    if length == 1:
        return str(start + 1)
    return f"{start if length == 0 else start + 1},{length}"


def _diff_body(prefix: str, lines: list[str]) -> list[str]:
    out = []
    for line in lines:
        out.append(prefix + line)
        if not line.endswith("\n"):
            out.append("\n\\ No newline at end of file\n")
    return out


# -- the command ------------------------------------------------------------------

def run_fixes(args: argparse.Namespace, session: "Session", results: list["FileResult"], findings: list[Finding], skipped: list[str] | None = None) -> int:
    """Fix the checked files (``--fix``) or show the fixes as a diff (``--diff``),
    then report what is left, as ``check`` would. ``findings`` (the first lint) is
    not reused: every file is read and linted again, pass by pass. ``skipped`` are
    the notes about paths that were not checked (loops, links out of the tree)."""
    from modlint.cli import EXIT_FINDINGS, EXIT_OK, UsageError
    from modlint.engine import _relative
    from modlint.fileio import RefusedWrite, atomic_write_bytes_if_unchanged

    if getattr(args, "update_baseline", False):
        raise UsageError("--update-baseline cannot be combined with --fix or --diff")
    unsafe = bool(args.unsafe_fixes)
    wanted = {p.lower() for p in args.persona} if args.persona else None

    def keep(f: Finding) -> bool:
        return wanted is None or any(p.id in wanted for p in f.personas)

    since: dict[str, set[int] | None] | None = None  # --diff-only: the changed lines per file
    if getattr(args, "diff_only", None):
        from modlint.gitdiff import changed_lines

        _, since = changed_lines(args.diff_only)

    outcomes: list[FixOutcome] = []
    notes: list[str] = list(skipped or [])
    for result in results:
        if args.stdin:
            if result.text is None:
                raise UsageError("--fix and --diff need the module's text from standard input, which this version did not keep")
            data = result.text.encode("utf-8", "surrogateescape")
            path = Path(args.stdin_filename or "stdin.md")
        else:
            path = Path(result.path)
            try:
                with open(path, "rb") as fh:
                    # One byte past the limit is enough to know it is too big to fix.
                    data = fh.read(session.config_for(path).max_file_size + 1)
            except OSError as exc:
                notes.append(f"modlint: {result.path}: not fixed, the file cannot be read ({exc.strerror or exc})")
                outcomes.append(FixOutcome(result.path, b"", b"", result, writable=False))
                continue
        cfg = session.config_for(path)
        if len(data) > cfg.max_file_size:
            outcomes.append(FixOutcome(result.path, data, data, result, writable=False))
            continue
        linter = session.linter_for(cfg)
        rel = _relative(path, cfg.root)
        # --diff-only: a file git shows no change in gets no fix at all.
        lines = None if since is None else since.get(os.path.realpath(path), set())
        outcome = fix_bytes(data, result.path, lambda b, linter=linter, cfg=cfg, rel=rel: linter.check_bytes(b, result.path, cfg, rel), unsafe=unsafe, keep=keep, lines=lines)
        notes.extend(outcome.notes)
        outcomes.append(outcome)

    changed = [o for o in outcomes if o.changed and o.writable]
    applied = sum(len(o.applied) for o in changed)
    unsafe_left = sum(o.unsafe_left for o in outcomes)

    if args.diff:
        sys.stdout.flush()
        for outcome in changed:
            # Bytes, not text: a CRLF line must reach the patch with its \r, whatever the locale.
            sys.stdout.buffer.write(unified_diff(outcome.path, outcome.original, outcome.fixed).encode("utf-8", "surrogateescape"))
        for note in notes:
            print(note, file=sys.stderr)
        print(_summary(applied, len(changed), unsafe_left, would=True), file=sys.stderr)
        sys.stdout.flush()
        return EXIT_FINDINGS if changed else EXIT_OK

    if args.stdin:
        for outcome in outcomes:
            sys.stdout.buffer.write(outcome.fixed)
        sys.stdout.flush()
    else:
        # Only what lies inside the paths given is written, whatever a symbolic link says.
        roots = [Path(p) for p in (args.paths or ["."])]
        written_as: dict[str, str] = {}
        for outcome in changed:
            real = os.path.realpath(outcome.path)
            if real in written_as:
                # Two names (a link inside the tree) for one file: fixed once, through the first.
                notes.append(f"modlint: {outcome.path}: fixed through {written_as[real]}, the same file")
                applied -= len(outcome.applied)
                outcome.fixed = outcome.original
                continue
            try:
                written = atomic_write_bytes_if_unchanged(Path(outcome.path), outcome.original, outcome.fixed, roots)
                why = "the file changed while modlint was working on it"
            except RefusedWrite as exc:
                written, why = False, str(exc.strerror)
            except OSError as exc:
                written, why = False, f"it cannot be written ({exc.strerror or exc})"
            if written:
                written_as[real] = outcome.path
            else:
                notes.append(f"modlint: {outcome.path}: not fixed, {why}")
                applied -= len(outcome.applied)
                outcome.result = results[outcomes.index(outcome)]
                outcome.fixed = outcome.original
    final = [o.result for o in outcomes]
    files = sum(1 for o in changed if o.changed)  # those not written were set back
    return _report(args, session, final, notes, applied, files, unsafe_left, stream=sys.stderr if args.stdin else sys.stdout)


def _summary(applied: int, files: int, unsafe_left: int, would: bool = False) -> str:
    verb = "would apply" if would else "applied"
    text = f"modlint: {verb} {applied} fix{'es' if applied != 1 else ''}"
    if applied:
        text += f" in {files} file{'s' if files != 1 else ''}"
    text += "."
    if unsafe_left:
        text += f" {unsafe_left} more fix{'es' if unsafe_left != 1 else ''} available with --unsafe-fixes."
    return text


def _report(args: argparse.Namespace, session: "Session", results: list["FileResult"], notes: list[str], applied: int, files: int, unsafe_left: int, stream: TextIO) -> int:
    """Report the findings left after fixing, as ``modlint check`` does."""
    from modlint.cli import EXIT_FINDINGS, EXIT_OK, UsageError, use_color
    from modlint.findings import Severity
    from modlint.reporters import ReportContext
    from modlint.reporters.text import format_text, summary

    from modlint.commands.check import _first_config

    cfg0 = _first_config(args, session)  # the same config as check's, so --fix fails on the same terms
    linter0 = session.linter_for(cfg0)
    context = None
    if getattr(args, "repo_context", False):
        from modlint.repo_context import other_modules

        context = other_modules(results, cfg0)
    findings: list[Finding] = [f for r in results for f in r.findings] + linter0.check_collection(results, cfg0, context) + linter0.load_errors()
    if args.persona:
        wanted = {p.lower() for p in args.persona}
        findings = [f for f in findings if any(p.id in wanted for p in f.personas)]
    if getattr(args, "diff_only", None):
        from modlint.gitdiff import keep_changed

        findings = keep_changed(findings, args.diff_only)
    if getattr(args, "baseline", None):
        from modlint import baseline

        findings, fixed = baseline.apply(Path(args.baseline), findings, results)
        notes.extend(fixed)
    findings.sort(key=Finding.sort_key)
    formatters = linter0.toolkit.formatters
    if args.format not in formatters:
        raise UsageError(f"unknown format '{args.format}'; choose from {', '.join(sorted(formatters))}")
    for note in notes:
        print(note, file=sys.stderr)
    print(_summary(applied, files, unsafe_left), file=sys.stderr)
    ctx = ReportContext(linter0.toolkit, results, color=use_color(args, stream), fail_on=cfg0.fail_on)
    report = formatters[args.format](findings, ctx)
    if args.output:
        from modlint.commands.report import write_output

        write_output(Path(args.output), report)
        stream.write(format_text(findings, ctx) if args.format != "text" else summary([f for f in findings if f.suppressed is None], len(results)) + "\n")
    else:
        stream.write(report)
    if getattr(args, "statistics", False):
        from modlint.reporters.statistics import format_statistics

        # Keep a machine-readable report parseable, as 'check' does.
        (stream if args.format == "text" or args.output else sys.stderr).write(format_statistics(findings, ctx))
    stream.flush()
    threshold = Severity.parse(cfg0.fail_on)
    failing = any(f.suppressed is None and f.severity >= threshold for f in findings)
    return EXIT_FINDINGS if failing else EXIT_OK
