"""Run the rules over modules: selection, parameters, isolation, suppressions."""
from __future__ import annotations

import math
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable


from modlint.discovery import glob_spec
from modlint import suppressions
from modlint.catalogue import RuleMeta
from modlint.config import Config
from modlint.findings import Edit, Finding, Fix, PersonaRef, Severity
from modlint.model import Module, ModuleInfo
from modlint.parsing import ParseProblem, parse_module, parse_text
from modlint.parsing.budget import CallLimits, TimeLimitExceeded, handler_installed, time_limit
from modlint.personas import Audience
from modlint.plugins import Toolkit
from modlint.rule import CollectionContext, RuleContext

INTERNAL = "MOD012"
UNUSED_SUPPRESSION = "MOD010"
UNREADABLE = "MOD011"
# A file that cannot be read, front matter that is not YAML, and a rule that broke
# are reported whatever is selected (as ruff reports syntax errors): a run that
# selects only TIME005 must not pass a file none of its rules could read. Only an
# explicit ignore, by id, alias or family, turns them off.
ALWAYS_REPORTED = frozenset({"MOD002", UNREADABLE, INTERNAL})
_PARAMS_CONFIGS_KEPT = 8

# Seconds one rule may spend on one file before it is stopped and reported as an
# internal error. MODLINT_RULE_TIME_BUDGET overrides it; 0 turns the budget off.
DEFAULT_RULE_TIME_BUDGET = 5.0
# Seconds all the rules together may spend on one file (MODLINT_FILE_TIME_BUDGET):
# a hundred rules each just under their own budget would otherwise take minutes.
DEFAULT_FILE_TIME_BUDGET = 60.0


def _budget_from_env(name: str = "MODLINT_RULE_TIME_BUDGET", default: float = DEFAULT_RULE_TIME_BUDGET) -> float:
    raw = os.environ.get(name, "")
    try:
        value = float(raw) if raw.strip() else default
    except ValueError:
        return default
    return value if math.isfinite(value) and value > 0 else 0.0


@dataclass(slots=True)
class FileResult:
    """The findings of one file, with what the collection rules need to know of it."""

    path: str
    findings: list[Finding]
    info: ModuleInfo | None = None
    text: str | None = field(default=None, repr=False)

    def __reduce__(self) -> tuple[Any, ...]:
        return (FileResult, (self.path, self.findings, self.info, self.text))


def _stages(value: Any) -> list[int]:
    items = value if isinstance(value, list) else [value]
    return [int(s) for s in items if isinstance(s, int) and not isinstance(s, bool)]


class Linter:
    def __init__(
        self, toolkit: Toolkit, rule_time_budget: float | None = None, file_time_budget: float | None = None, resolve_fixes: bool = False
    ) -> None:
        self.toolkit = toolkit
        # Work out every lazy fix before results leave this process (JSON output,
        # which prints the edits, run in a pool or stored in the cache).
        self.resolve_fixes = resolve_fixes
        self.rule_time_budget = _budget_from_env() if rule_time_budget is None else max(0.0, float(rule_time_budget))
        self.file_time_budget = (
            _budget_from_env("MODLINT_FILE_TIME_BUDGET", DEFAULT_FILE_TIME_BUDGET) if file_time_budget is None else max(0.0, float(file_time_budget))
        )
        self.catalogue = toolkit.catalogue
        self._enabled_cache: dict[tuple[str, str], set[str]] = {}
        self._params_cache: dict[int, tuple[Config, dict[str, dict[str, Any]]]] = {}

    # -- selection ------------------------------------------------------------
    def enabled(self, cfg: Config, rel_path: str) -> set[str]:
        key = (cfg.fingerprint(), rel_path)
        cached = self._enabled_cache.get(key)
        if cached is not None:
            return cached
        chosen: set[str] = {rule_id for rule_id in ALWAYS_REPORTED if rule_id in self.catalogue.by_id}
        for sel in cfg.select:
            chosen |= self.catalogue.expand(sel)
        for ign in cfg.ignore:
            chosen -= self.catalogue.expand(ign)
        for glob, ids in cfg.per_file_ignores.items():
            if glob_spec([glob]).match_file(rel_path):
                for ign in ids:
                    chosen -= self.catalogue.expand(ign)
        self._enabled_cache[key] = chosen
        return chosen

    def severity(self, meta: RuleMeta, cfg: Config) -> Severity:
        override = cfg.severity.get(meta.id) or cfg.severity.get(meta.alias)
        return Severity.parse(override) if override else meta.severity

    def params(self, meta: RuleMeta, cfg: Config) -> dict[str, Any]:
        # The same for every file under one config: worked out once per rule and config.
        # The config is kept with its entry, so its id cannot be reused by another, and only
        # the last few configs are kept: the language server makes one per edit.
        entry = self._params_cache.get(id(cfg))
        if entry is None or entry[0] is not cfg:
            while len(self._params_cache) >= _PARAMS_CONFIGS_KEPT:
                self._params_cache.pop(next(iter(self._params_cache)))
            entry = self._params_cache[id(cfg)] = (cfg, {})
        params = entry[1].get(meta.id)
        if params is None:
            params = entry[1][meta.id] = self._params(meta, cfg)
        return params

    def _params(self, meta: RuleMeta, cfg: Config) -> dict[str, Any]:
        params = meta.defaults()
        configured = {**cfg.parameters.get(meta.family, {}), **cfg.parameters.get(meta.alias, {}), **cfg.parameters.get(meta.id, {})}
        configured = {k.replace("-", "_"): v for k, v in configured.items() if k.replace("-", "_") in params}
        params.update(configured)
        params["__configured__"] = frozenset(configured)
        return params

    def audience(self, module: Module | ModuleInfo) -> Audience:
        reg = self.toolkit.registry
        named = module.fm("personas")
        if isinstance(named, list) and named:
            return Audience([p for p in (reg.get(str(x)) for x in named) if p is not None])
        return Audience(reg.of_stages(_stages(module.fm("stage"))))

    # -- findings -------------------------------------------------------------
    def problem_finding(self, problem: ParseProblem, path: str, cfg: Config) -> Finding:
        meta = self.catalogue.get(problem.rule_id)
        assert meta is not None, problem.rule_id
        return Finding(meta.id, meta.alias, meta.family, self.severity(meta, cfg), problem.message, path, problem.line, problem.column, snippet=problem.snippet)

    def internal_error(self, path: str, message: str, line: int = 1) -> Finding:
        meta = self.catalogue.get(INTERNAL)
        assert meta is not None
        return Finding(meta.id, meta.alias, meta.family, meta.severity, message, path, line, 1)

    # -- checking -------------------------------------------------------------
    def check_bytes(self, data: bytes, path: str, cfg: Config, rel_path: str | None = None) -> FileResult:
        module, problems = parse_module(data, path)
        return self._check(module, problems, path, cfg, rel_path)

    def check_text(self, text: str, path: str, cfg: Config, rel_path: str | None = None) -> FileResult:
        module, problems = parse_text(text, path)
        return self._check(module, problems, path, cfg, rel_path)

    def check_file(self, path: Path, cfg: Config, display: str | None = None) -> FileResult:
        shown = display or str(path)
        rel = _relative(path, cfg.root)
        limit = cfg.max_file_size

        def too_big(size: int) -> FileResult:
            message = (
                f"This file is {_size(size)}, larger than the {_size(limit)} limit for a module, so it was not checked. "
                "Split it into smaller modules or raise 'max-file-size' in the configuration."
            )
            return FileResult(shown, self._filtered([self.problem_finding(ParseProblem(UNREADABLE, message, 1, 1), shown, cfg)], cfg, rel))

        try:
            size = path.stat().st_size
            if size > limit:
                return too_big(size)
            with open(path, "rb") as fh:
                # Never more than the limit, even from a file that grew after stat.
                data = fh.read(limit + 1)
            if len(data) > limit:
                return too_big(max(size, len(data)))
        except OSError as exc:
            return FileResult(shown, self._filtered([self.problem_finding(ParseProblem(UNREADABLE, f"This file cannot be read ({exc.strerror or exc}). Check that it exists and that you may read it.", 1, 1), shown, cfg)], cfg, rel))
        return self.check_bytes(data, shown, cfg, rel)

    def _filtered(self, findings: list[Finding], cfg: Config, rel: str) -> list[Finding]:
        enabled = self.enabled(cfg, rel)
        return [f for f in findings if f.rule_id in enabled]

    def _check(self, module: Module | None, problems: list[ParseProblem], path: str, cfg: Config, rel_path: str | None) -> FileResult:
        rel = rel_path if rel_path is not None else _relative(Path(path), cfg.root)
        enabled = self.enabled(cfg, rel)
        findings = [self.problem_finding(p, path, cfg) for p in problems]
        if module is None:
            return FileResult(path, [f for f in findings if f.rule_id in enabled])
        audience = self.audience(module)
        # Without front matter read as a mapping, nothing says who the module is for
        # or what it is: only the module family, which says so, has anything to add.
        readable = isinstance(module.front_matter, dict)
        deadline = time.monotonic() + self.file_time_budget if self.file_time_budget else math.inf
        skipped: list[str] = []
        shortest = min(x for x in (self.rule_time_budget, self.file_time_budget) if x) if (self.rule_time_budget or self.file_time_budget) else 0.0
        with handler_installed(), CallLimits(shortest) as limits:
            for rule_id in sorted(enabled):
                impl = self.toolkit.rules.get(rule_id)
                if impl is None or impl.check is None:
                    continue
                meta = self.catalogue.by_id[rule_id]
                if not readable and meta.family != "module":
                    continue
                if meta.needs and not audience.needing(*meta.needs):
                    continue
                left = deadline - time.monotonic()
                if left <= 0:
                    skipped.append(rule_id)
                    continue
                ctx = RuleContext(meta, module, self.params(meta, cfg), audience, self.toolkit.registry, self.severity(meta, cfg))
                findings.extend(self._run_rule(impl.plugin, rule_id, lambda: impl.check(module, ctx), path, left, limits))
        if skipped:
            findings.append(
                self.internal_error(
                    path,
                    f"Checking this module took longer than {self.file_time_budget:g} s, so {len(skipped)} rules were not run "
                    f"({', '.join(skipped[:8])}{', ...' if len(skipped) > 8 else ''}). It is unusually large or complex; split it into smaller modules.",
                )
            )
        findings = [f for f in findings if f.rule_id in enabled]
        unused_meta = self.catalogue.get(UNUSED_SUPPRESSION)

        def make_unused(line: int, column: int, message: str) -> Finding:
            assert unused_meta is not None
            return Finding(unused_meta.id, unused_meta.alias, unused_meta.family, self.severity(unused_meta, cfg), message, path, line, column)

        findings = suppressions.apply(module, findings, self.catalogue, enabled, make_unused)
        findings = [f for f in findings if f.rule_id in enabled]
        if self.resolve_fixes:
            for f in findings:
                if f.fix is not None and not f.fix.resolved and not f.fix.edits:
                    f.fix = None  # it could not be placed after all
        findings.sort(key=Finding.sort_key)
        info = ModuleInfo(path, module.front_matter, module.fm_positions, tuple(p.id for p in audience.personas))
        return FileResult(path, findings, info)

    def _run_rule(
        self, plugin: str, rule_id: str, call: Any, path: str, time_left: float = math.inf, limits: CallLimits | None = None
    ) -> list[Finding]:
        """Run one rule; whatever goes wrong comes back as one internal-error finding
        naming the plugin and the rule, so every other rule's findings still appear.
        ``limits`` is the file's shared timer; without it the rule gets a timer of its own."""
        budget = self.rule_time_budget
        limit = min(budget or math.inf, time_left)
        try:
            if limits is not None and limits.active:
                limits.start(limit)
                try:
                    out = list(call() or [])
                finally:
                    limits.stop()
            else:
                with time_limit(0 if math.isinf(limit) else limit):
                    out = list(call() or [])
        except TimeLimitExceeded:
            if not budget or limit < budget:  # the file's budget ran out, not the rule's own
                return [self.internal_error(path, f"Rule {rule_id} from plugin '{plugin}' was stopped after {limit:.1f} s: checking this module took longer than {self.file_time_budget:g} s in all. It is unusually large or complex; split it into smaller modules.")]
            return [self.internal_error(path, f"Rule {rule_id} from plugin '{plugin}' took longer than {budget:g} s on this file and was stopped. The other rules still ran; report this to the plugin's authors.")]
        except (Exception, SystemExit) as exc:  # one rule's bug must not hide every other rule's findings, nor end the run
            return [self.internal_error(path, f"Rule {rule_id} from plugin '{plugin}' failed on this file ({_describe(exc)}). The other rules still ran; report this to the plugin's authors.")]
        good: list[Finding] = []
        for item in out:
            problem = _malformed(item)
            if problem:
                return [self.internal_error(path, f"Rule {rule_id} from plugin '{plugin}' returned {problem}, not a finding made with ctx.report. The other rules still ran; report this to the plugin's authors.")]
            good.append(item)
        return good

    def check_collection(self, results: list[FileResult], cfg: Config, context: list[ModuleInfo] | None = None) -> list[Finding]:
        infos = [r.info for r in results if r.info is not None]
        findings: list[Finding] = []
        with handler_installed():
            for rule_id, impl in sorted(self.toolkit.rules.items()):
                if impl.collect is None:
                    continue
                meta = self.catalogue.by_id[rule_id]
                ctx = CollectionContext(meta, self.severity(meta, cfg), self.params(meta, cfg), context)
                for finding in self._run_rule(impl.plugin, rule_id, lambda: impl.collect(infos, ctx), "<collection>"):
                    rel = _relative(Path(finding.path), cfg.root)
                    if rule_id in self.enabled(cfg, rel):
                        findings.append(finding)
        return findings

    def load_errors(self, cfg: Config | None = None) -> list[Finding]:
        if cfg is not None and INTERNAL not in self.enabled(cfg, ""):
            return []
        return [self.internal_error(f"<plugin {e.plugin}>", f"The plugin '{e.plugin}' {e.message}. Its rules were not run; the other rules still ran.") for e in self.toolkit.load_errors]


def _describe(exc: BaseException) -> str:
    """``Type: message`` for an exception from plugin code, on one short line. Its
    ``str`` is plugin code too, so it may fail or run to megabytes."""
    try:
        text = " ".join(str(exc).split())
    except Exception:
        text = ""
    if len(text) > 300:
        text = text[:300] + "..."
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _malformed_fix(fix: Any) -> str:
    if fix is None:
        return ""
    if not isinstance(fix, Fix) or not isinstance(fix.description, str):
        return "a finding with a malformed fix"
    if not fix.resolved:
        return ""  # Fix.edits keeps only well-formed edits when it works them out
    if not isinstance(fix.edits, tuple):
        return "a finding with a malformed fix"
    for edit in fix.edits:
        if not isinstance(edit, Edit) or type(edit.start) is not int or type(edit.end) is not int or not isinstance(edit.replacement, str):
            return "a finding with a malformed fix"
    return ""


def _malformed(item: Any) -> str:
    """What is wrong with something a rule returned as a finding ("" if nothing)."""
    if not isinstance(item, Finding):
        return type(item).__name__

    def position(value: Any, optional: bool = False) -> bool:
        if value is None:
            return optional
        return type(value) is int and value >= 1

    if not isinstance(item.message, str) or not item.message.strip():
        return "a finding with no message"
    if not position(item.line) or not position(item.column) or not position(item.end_line, True) or not position(item.end_column, True):
        return f"a finding at an invalid position (line {item.line!r}, column {item.column!r})"
    if not isinstance(item.severity, Severity) or not isinstance(item.path, str) or not isinstance(item.rule_id, str):
        return "a malformed finding"
    if not isinstance(item.personas, tuple) or not all(isinstance(p, PersonaRef) for p in item.personas):
        return "a finding with malformed personas"
    if not isinstance(item.snippet, str) or not isinstance(item.segment, str) or not isinstance(item.alias, str) or not isinstance(item.family, str):
        return "a malformed finding"
    return _malformed_fix(item.fix)


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / 1048576:.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n:,} bytes"


def _relative(path: Path, root: Path) -> str:
    try:
        return os.path.relpath(os.path.abspath(path), os.path.abspath(root)).replace(os.sep, "/")
    except ValueError:
        return str(path)


def iter_findings(results: Iterable[FileResult]) -> Iterable[Finding]:
    for result in results:
        yield from result.findings
