"""The small public API for programs that embed modlint."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from modlint.config import Config, check_rule_names, find_config
from modlint.engine import Linter
from modlint.findings import Finding
from modlint.plugins import build_toolkit


def check_text(text: str, path: str = "module.md", config: Config | None = None) -> list[Finding]:
    """Check one module given as text; ``path`` is used for messages and per-file settings.
    Suppressed findings are included, marked with ``suppressed``."""
    cfg = config or find_config(Path(path).resolve().parent)
    toolkit = build_toolkit(cfg.extra_rules, cfg.extra_personas)
    cfg = check_rule_names(cfg, toolkit.catalogue)  # a misspelt rule raises DataError, as check exits 2
    linter = Linter(toolkit)
    result = linter.check_text(text, path, cfg)
    return result.findings + linter.check_collection([result], cfg)


def check_paths(paths: Iterable[str | Path], config: Config | None = None) -> list[Finding]:
    """Check files and folders as ``modlint check`` does, returning every finding."""
    from modlint.discovery import collect

    out: list[Finding] = []
    results = []
    cfg0 = config or find_config(Path.cwd())
    toolkit = build_toolkit(cfg0.extra_rules, cfg0.extra_personas)
    cfg0 = check_rule_names(cfg0, toolkit.catalogue)
    linter = Linter(toolkit)
    files, _ = collect([str(p) for p in paths], cfg0.exclude, cfg0.root)
    for path in files:
        cfg = config or check_rule_names(find_config(path.resolve().parent), toolkit.catalogue)
        result = linter.check_file(path, cfg)
        results.append(result)
        out.extend(result.findings)
    out.extend(linter.check_collection(results, cfg0))
    return sorted(out, key=Finding.sort_key)
