"""What the language server does, without the protocol.

Everything here works on plain Python values (paths, text, 0-based line and
code point positions) so it can be tested and benchmarked without an editor.
:mod:`modlint.lsp.server` turns the results into LSP messages and converts code
points to the client's position encoding.

Positions: a :class:`~modlint.findings.Finding` carries 1-based lines and columns
counted in code points of the *normalised* text (CRLF and lone CR turned into LF,
a leading BOM removed), and a fix's :class:`~modlint.findings.Edit` carries offsets
into that same text. Line breaks do not change line numbers, so the only shift
back to the buffer is the BOM on the first line; :class:`Buffer` does both.
"""
from __future__ import annotations

import bisect
import functools
import os
import re
import stat as _stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING


from modlint.discovery import glob_spec
from modlint.config import CONFIG_NAMES, Config, find_config, load_config_file
from modlint.findings import Finding, Fix
from modlint.yamlio import DataError

if TYPE_CHECKING:
    import pathspec
    from modlint.catalogue import RuleMeta
    from modlint.engine import Linter
    from modlint.plugins import Toolkit

MARKDOWN_SUFFIXES = (".md", ".markdown")
REASON_PLACEHOLDER = "TODO: say why this is acceptable here"
UNSUPPRESSIBLE = frozenset({"MOD010"})


# -- positions --------------------------------------------------------------
class Buffer:
    """One editor buffer: its text as the editor holds it and as modlint reads it."""

    __slots__ = ("raw", "newline", "bom", "lines", "text", "_starts")

    def __init__(self, raw: str) -> None:
        self.raw = raw
        text = raw
        self.newline = "\r\n" if "\r\n" in text else ("\r" if "\r" in text else "\n")
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        self.bom = text.startswith("\ufeff")
        # Lines as the client counts them (a BOM the editor kept stays on line 0).
        self.lines: list[str] = text.split("\n")
        self.text = text[1:] if self.bom else text  # what the parser sees
        self._starts: list[int] | None = None

    def line_text(self, line0: int) -> str:
        if 0 <= line0 < len(self.lines):
            return self.lines[line0]
        return ""

    def content(self, line0: int) -> str:
        """The line without the BOM: what finding columns count from."""
        text = self.line_text(line0)
        return text[1:] if line0 == 0 and self.bom else text

    def shift(self, line0: int) -> int:
        return 1 if (line0 == 0 and self.bom) else 0

    def position(self, line: int, column: int) -> tuple[int, int]:
        """A finding's 1-based line and column as a 0-based (line, code point) in the buffer."""
        line0 = min(max(int(line) - 1, 0), max(len(self.lines) - 1, 0))
        content = self.content(line0)
        char = min(max(int(column) - 1, 0), len(content))
        return line0, char + self.shift(line0)

    def offset_position(self, offset: int) -> tuple[int, int]:
        """An offset into the normalised text as a 0-based (line, code point) in the buffer."""
        if self._starts is None:
            starts = [0]
            find = self.text.find
            i = find("\n")
            while i != -1:
                starts.append(i + 1)
                i = find("\n", i + 1)
            self._starts = starts
        offset = min(max(offset, 0), len(self.text))
        line0 = bisect.bisect_right(self._starts, offset) - 1
        return line0, offset - self._starts[line0] + self.shift(line0)

    def to_buffer_newlines(self, text: str) -> str:
        return text.replace("\n", self.newline) if self.newline != "\n" and "\n" in text else text


Range = tuple[tuple[int, int], tuple[int, int]]


def finding_range(finding: Finding, buf: Buffer) -> Range:
    """Where to draw a finding: its own end if it has one, else its snippet, else the rest of the line."""
    start = buf.position(finding.line, finding.column)
    if finding.end_line is not None and finding.end_column is not None:
        end = buf.position(finding.end_line, finding.end_column)
        if end >= start:
            return start, end
    line_text = buf.line_text(start[0])
    rest = line_text[start[1] :]
    snippet = finding.snippet
    if snippet and rest[: len(snippet)].lower() == snippet.lower():
        return start, (start[0], start[1] + len(snippet))
    stripped = rest.rstrip()
    return start, (start[0], start[1] + len(stripped))


def overlaps(a: Range, b: Range) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


# -- configuration ------------------------------------------------------------
def _signature(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    if not _stat.S_ISREG(st.st_mode):
        return None
    return (st.st_mtime_ns, st.st_size)


@dataclass(slots=True)
class Resolution:
    """The configuration found for a folder, or the error reading it."""

    config: Config | None
    source: Path | None  # the config file used (or that failed)
    error: DataError | None = None


class ConfigResolver:
    """The CLI's upward search for ``.modlint.yaml`` / ``pyproject.toml``, but
    re-read whenever a file changes on disk (by modification time and size), so an
    edited configuration applies to the next lint without restarting the server.

    Unlike :func:`modlint.config.find_config` it never caches a result across a change
    and it returns a configuration error instead of raising it.
    """

    def __init__(self, explicit: Path | None = None) -> None:
        self.explicit = explicit
        self._loaded: dict[Path, tuple[tuple[int, int], Config | None | DataError]] = {}
        self.generation = 0  # bumped whenever any configuration file is (re)read

    def clear(self) -> None:
        self._loaded.clear()
        self.generation += 1
        find_config.cache_clear()  # anything else in this process sees the change too

    def _load(self, path: Path, sig: tuple[int, int]) -> Config | None | DataError:
        cached = self._loaded.get(path)
        if cached is not None and cached[0] == sig:
            return cached[1]
        try:
            loaded: Config | None | DataError = load_config_file(path)
        except DataError as exc:
            loaded = exc
        except Exception as exc:  # a config file must never take the server down
            loaded = DataError(path, f"cannot read the configuration ({type(exc).__name__}: {exc})")
        if cached is not None:
            find_config.cache_clear()
        self._loaded[path] = (sig, loaded)
        self.generation += 1
        return loaded

    def resolve(self, directory: Path) -> Resolution:
        if self.explicit is not None:
            sig = _signature(self.explicit)
            if sig is None:
                return Resolution(None, self.explicit, DataError(self.explicit, "the configuration file named in the editor's settings does not exist"))
            loaded = self._load(self.explicit, sig)
            if isinstance(loaded, DataError):
                return Resolution(None, self.explicit, loaded)
            if loaded is None:
                return Resolution(None, self.explicit, DataError(self.explicit, "has no [tool.modlint] table"))
            return Resolution(loaded, self.explicit)
        for folder in (directory, *directory.parents):
            for name in CONFIG_NAMES:
                candidate = folder / name
                sig = _signature(candidate)
                if sig is None:
                    continue
                loaded = self._load(candidate, sig)
                if isinstance(loaded, DataError):
                    return Resolution(None, candidate, loaded)
                if loaded is not None:
                    return Resolution(loaded, candidate)
        return Resolution(Config(root=directory), None)

    def errors(self) -> dict[Path, DataError]:
        return {p: v for p, (_, v) in self._loaded.items() if isinstance(v, DataError)}


def is_config_file(path: Path | None) -> bool:
    return path is not None and path.name in CONFIG_NAMES


def is_markdown(path: Path | None, language_id: str | None) -> bool:
    if language_id and language_id.lower() in ("markdown", "md", "mdx", "quarto"):
        return True
    return path is not None and path.name.lower().endswith(MARKDOWN_SUFFIXES)


# -- linting ------------------------------------------------------------------
@dataclass(slots=True)
class Outcome:
    """One lint of one buffer."""

    path: Path | None
    buffer: Buffer
    findings: list[Finding]  # unsuppressed, in order
    ranges: list[Range]
    toolkit: "Toolkit | None" = None
    config_source: Path | None = None
    config_error: DataError | None = None
    excluded: bool = False
    version: int | None = None

    def at(self, rng: Range) -> list[tuple[Finding, Range]]:
        return [(f, r) for f, r in zip(self.findings, self.ranges) if overlaps(r, rng)]


class LintService:
    """Configurations, toolkits and linters for a whole editing session."""

    ENABLED_CACHE_LIMIT = 2048

    def __init__(self, explicit_config: Path | None = None, default_root: Path | None = None) -> None:
        self.resolver = ConfigResolver(explicit_config)
        self.default_root = default_root or Path.cwd()
        self._toolkits: dict[tuple[tuple[Path, ...], tuple[Path, ...]], "Toolkit | DataError"] = {}
        # Keyed by the settings themselves: a reloaded config that changed is checked anew.
        self._checked_configs: dict[tuple[str, str, int], "Config | DataError"] = {}
        self._linters: dict[int, "Linter"] = {}
        self.reported_load_errors: set[str] = set()

    def reload(self) -> None:
        """Forget every configuration and toolkit (a configuration or rule file changed)."""
        self.resolver.clear()
        self._toolkits.clear()
        self._linters.clear()

    def toolkit_for(self, cfg: Config) -> "Toolkit | DataError":
        key = (cfg.extra_rules, cfg.extra_personas)
        found = self._toolkits.get(key)
        if found is None:
            from modlint.plugins import build_toolkit

            try:
                found = build_toolkit(cfg.extra_rules, cfg.extra_personas)
            except DataError as exc:
                found = exc
            except Exception as exc:  # e.g. a persona folder that cannot be read
                found = DataError(cfg.path or cfg.root, f"the rules or personas named in the configuration cannot be loaded ({type(exc).__name__}: {exc})")
            self._toolkits[key] = found
        return found

    def linter_for(self, toolkit: "Toolkit") -> "Linter":
        linter = self._linters.get(id(toolkit))
        if linter is None:
            from modlint.engine import Linter

            linter = Linter(toolkit)
            self._linters[id(toolkit)] = linter
        cache = getattr(linter, "_enabled_cache", None)
        if isinstance(cache, dict) and len(cache) > self.ENABLED_CACHE_LIMIT:
            cache.clear()  # a long session with many configurations must not grow without bound
        return linter

    def lint(self, path: Path | None, text: str, version: int | None = None) -> Outcome:
        """Lint a buffer as ``modlint check --stdin --stdin-filename PATH`` would."""
        try:
            return self._lint(path, text, version)
        finally:
            _trim_text_caches()
            from modlint import _regex

            _regex.save()

    def _lint(self, path: Path | None, text: str, version: int | None) -> Outcome:
        buf = Buffer(text)
        directory = path.parent if path is not None else self.default_root
        res = self.resolver.resolve(directory)
        if res.config is None:
            return Outcome(path, buf, [], [], None, res.source, res.error, version=version)
        cfg = res.config
        toolkit = self.toolkit_for(cfg)
        if isinstance(toolkit, DataError):
            return Outcome(path, buf, [], [], None, res.source, toolkit, version=version)
        checked = self._checked_config(cfg, toolkit)
        if isinstance(checked, DataError):
            return Outcome(path, buf, [], [], toolkit, res.source, checked, version=version)
        cfg = checked
        display = str(path) if path is not None else str(self.default_root / "untitled.md")
        rel = _relative(Path(display), cfg.root)
        if path is not None and cfg.exclude and _excluded(rel, cfg.exclude):
            return Outcome(path, buf, [], [], toolkit, res.source, None, excluded=True, version=version)
        linter = self.linter_for(toolkit)
        findings = self._check(linter, buf, display, cfg, rel)
        findings = [f for f in findings if f.suppressed is None]
        ranges = [finding_range(f, buf) for f in findings]
        return Outcome(path, buf, findings, ranges, toolkit, res.source, None, version=version)

    def _checked_config(self, cfg: Config, toolkit: "Toolkit") -> "Config | DataError":
        """The configuration with its rule names and parameters checked against the
        catalogue, as ``check`` does; a mistake becomes a diagnostic on the file."""
        from modlint.config import check_rule_names

        key = (str(cfg.path), cfg.fingerprint(), id(toolkit))
        found = self._checked_configs.get(key)
        if found is None:
            try:
                found = check_rule_names(cfg, toolkit.catalogue)
            except DataError as exc:
                found = exc
            if len(self._checked_configs) > 64:  # configs reloaded over a long session
                self._checked_configs.clear()
            self._checked_configs[key] = found
        return found

    def _check(self, linter: "Linter", buf: Buffer, display: str, cfg: Config, rel: str) -> list[Finding]:
        from modlint.engine import UNREADABLE
        from modlint.parsing import ParseProblem

        try:
            size = len(buf.raw.encode("utf-8", "surrogatepass")) if len(buf.raw) * 4 > cfg.max_file_size else len(buf.raw)
            if size > cfg.max_file_size:
                problem = ParseProblem(
                    UNREADABLE,
                    f"This file is {size / 1048576:.1f} MB, larger than the {cfg.max_file_size / 1048576:.1f} MB limit for a module, so it was not checked. "
                    "Split it into smaller modules or raise 'max-file-size' in the configuration.",
                    1,
                    1,
                )
                return [f for f in [linter.problem_finding(problem, display, cfg)] if f.rule_id in linter.enabled(cfg, rel)]
            return linter.check_text(buf.raw, display, cfg, rel).findings
        except Exception as exc:  # the engine isolates rules; this catches the engine itself
            return [linter.internal_error(display, f"modlint failed on this file ({type(exc).__name__}: {exc}). Other files are still checked; please report this.")]


# Memo caches keyed on a paragraph's text. Within one check they save the rules from
# repeating work on the same block, and across edits they still hit for the paragraphs
# not being edited. But every edit of a paragraph adds an entry no later check will
# use: bounded at 4,096 for the CLI, that is megabytes of dead paragraphs over a long
# editing session. The server keeps them to a few modules' worth (a 3,000-word module
# has about 80 blocks), so its memory stops growing after a few hundred edits.
TEXT_CACHE_LIMIT = 256


def _trim_text_caches() -> None:
    from modlint.prose import mask_quotes
    from modlint.readability import split_sentences

    # Every memo keyed on a block's text (the others are keyed on phrases, patterns or words,
    # which an editing session does not multiply).
    for cache in (mask_quotes, split_sentences):
        if cache.cache_info().currsize > TEXT_CACHE_LIMIT:
            cache.cache_clear()


def _relative(path: Path, root: Path) -> str:
    try:
        return os.path.relpath(os.path.abspath(path), os.path.abspath(root)).replace(os.sep, "/")
    except ValueError:
        return path.as_posix()


@functools.lru_cache(maxsize=64)
def _exclude_spec(globs: tuple[str, ...]) -> "pathspec.PathSpec":
    # Compiled once per set of globs, not on every keystroke.
    return glob_spec(globs)


def _excluded(rel: str, globs: tuple[str, ...]) -> bool:
    spec = _exclude_spec(tuple(globs))
    if spec.match_file(rel):
        return True
    parts = rel.split("/")
    return any(spec.match_file("/".join(parts[:i]) + "/") for i in range(1, len(parts)))


# -- edits --------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class TextEdit:
    """Replace the buffer text between two 0-based (line, code point) positions."""

    start: tuple[int, int]
    end: tuple[int, int]
    new_text: str


def fix_edits(fix: Fix, buf: Buffer) -> list[TextEdit]:
    return [TextEdit(buf.offset_position(e.start), buf.offset_position(e.end), buf.to_buffer_newlines(e.replacement)) for e in fix.edits]


def combine_fixes(fixes: list[Fix], buf: Buffer) -> list[TextEdit]:
    """The edits of several fixes at once, leaving out any fix that overlaps one already taken."""
    taken: list[tuple[int, int]] = []
    chosen = []
    for fix in fixes:
        spans = [(e.start, e.end) for e in fix.edits]
        if any(s < te and ts < e or (s == e == ts == te) for s, e in spans for ts, te in taken):
            continue
        taken.extend(spans)
        chosen.append(fix)
    edits = [edit for fix in chosen for edit in fix_edits(fix, buf)]
    edits.sort(key=lambda e: (e.start, e.end))
    return edits


_BODY_NEXT_LINE = re.compile(r"<!--\s*modlint-disable-next-line\b")
_FM_NEXT_LINE = re.compile(r"#\s*modlint-disable-next-line\b")
_CONTAINER_PREFIX = re.compile(r"^[ \t]*(?:>[ \t]?)*")


def _merge_into(line: str, match: re.Match[str], rule_id: str, closing: str) -> int | None:
    """Where to add ``rule_id`` to an existing next-line directive, or None if it is there."""
    rest = line[match.end() :]
    if closing and closing in rest:
        rest = rest[: rest.rfind(closing)]
    cut = rest.find("--")
    names = rest if cut == -1 else rest[:cut]
    if rule_id.upper() in {n.upper() for n in re.split(r"[\s,]+", names) if n}:
        return None
    return match.end() + len(names.rstrip())


def suppression_edit(finding: Finding, buf: Buffer, reason: str = REASON_PLACEHOLDER) -> tuple[str, TextEdit] | None:
    """A ``modlint-disable-next-line`` comment above the finding (or added to the one
    already there); for a finding on a front matter fence, a ``modlint-disable-file``
    comment at the top of the front matter. Returns (title, edit), or None."""
    from modlint.parsing.frontmatter import split

    rule_id = finding.rule_id
    if rule_id in UNSUPPRESSIBLE:
        return None
    lines = buf.text.split("\n")
    fences = split(lines)
    if fences == "unclosed":
        return None
    line = min(max(finding.line, 1), len(lines))
    nl = buf.newline
    if isinstance(fences, tuple):
        start, end = fences
        if line in (start, end):
            edit = TextEdit(buf.position(start + 1, 1), buf.position(start + 1, 1), f"# modlint-disable-file {rule_id} -- {reason}{nl}")
            return f"Suppress {rule_id} in this file (modlint-disable-file)", edit
        if start < line < end:
            prev = lines[line - 2]
            m = _FM_NEXT_LINE.search(prev)
            if m:
                at = _merge_into(prev, m, rule_id, "")
                if at is None:
                    return None
                pos = buf.position(line - 1, at + 1)
                return f"Suppress {rule_id} on this line (add to modlint-disable-next-line)", TextEdit(pos, pos, f" {rule_id}")
            indent = re.match(r"[ \t]*", lines[line - 1]).group(0)  # type: ignore[union-attr]
            pos = buf.position(line, 1)
            return f"Suppress {rule_id} on this line (modlint-disable-next-line)", TextEdit(pos, pos, f"{indent}# modlint-disable-next-line {rule_id} -- {reason}{nl}")
    body_first = fences[1] + 1 if isinstance(fences, tuple) else 1
    if line - 1 >= body_first:
        prev = lines[line - 2]
        m = _BODY_NEXT_LINE.search(prev)
        if m and prev.rstrip().endswith("-->"):
            at = _merge_into(prev, m, rule_id, "-->")
            if at is None:
                return None
            pos = buf.position(line - 1, at + 1)
            return f"Suppress {rule_id} on this line (add to modlint-disable-next-line)", TextEdit(pos, pos, f" {rule_id}")
    prefix = _CONTAINER_PREFIX.match(lines[line - 1]).group(0)  # type: ignore[union-attr]
    pos = buf.position(line, 1)
    return f"Suppress {rule_id} on this line (modlint-disable-next-line)", TextEdit(pos, pos, f"{prefix}<!-- modlint-disable-next-line {rule_id} -- {reason} -->{nl}")


# -- hover --------------------------------------------------------------------
def hover_markdown(meta: "RuleMeta", toolkit: "Toolkit", finding: Finding | None = None, doc_url: str | None = None) -> str:
    """The rule explained for a hover: summary, rationale, whom it protects in the
    personas' own words, the standards it serves, and a link to its page."""
    from modlint.commands.info import barrier_lines

    out = [f"**{meta.id}** `{meta.alias}` ({meta.family}, {meta.severity})", "", meta.summary]
    if finding is not None and finding.personas:
        out += ["", "Affects in this module: " + "; ".join(p.label() for p in finding.personas)]
    out += ["", f"**Why:** {meta.rationale}"]
    barriers = barrier_lines(meta, toolkit.registry)
    if barriers:
        out += ["", "**Whom it protects** (the personas' own words):", "", *[ln.replace("  - ", "- ", 1) for ln in barriers]]
    if meta.seed_passages:
        out += ["", "**Source passages:**", "", *[f"- \"{p}\"" for p in meta.seed_passages]]
    if meta.standards:
        out += ["", f"**Standards:** {', '.join(meta.standards)}"]
    if finding is not None and finding.fix is not None:
        out += ["", f"**Fix available:** {finding.fix.description}{'' if finding.fix.safe else ' (may change meaning; check it)'}"]
    if doc_url:
        out += ["", f"[{meta.id} documentation]({doc_url})"]
    return "\n".join(out)


def affected_line(finding: Finding) -> str:
    return "Affects: " + "; ".join(p.label() for p in finding.personas) if finding.personas else ""
