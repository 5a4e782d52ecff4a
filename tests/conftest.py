from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

# The user cache folder (compiled patterns, parsed data files, results of runs without a
# config file) is the tests' own (on Linux, where platformdirs follows XDG_CACHE_HOME),
# set before anything of modlint's is imported: the suite's hundreds of temporary rule
# files and patterns would otherwise fill the developer's cache, which every run reads.
os.environ["XDG_CACHE_HOME"] = os.path.join(tempfile.gettempdir(), f"modlint-tests-cache-{os.getuid() if hasattr(os, 'getuid') else 0}")

import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "modules"
# Every bundled Markdown file: the example modules and the test data, for parser comparisons.
BUNDLED_MARKDOWN = sorted(EXAMPLES.rglob("*.md")) + sorted((ROOT / "tests" / "data").rglob("*.md"))


def lint(text: str, select: str | tuple[str, ...] | None = None, path: str = "module.md", parameters: dict | None = None, include_suppressed: bool = False):
    """Check module text; return the findings (suppressed ones left out unless asked)."""
    from modlint.config import Config
    from modlint.engine import Linter

    sel = (select,) if isinstance(select, str) else (select or ("ALL",))
    cfg = Config(root=ROOT, select=tuple(sel), parameters=parameters or {})
    linter = Linter(_toolkit())
    result = linter.check_text(textwrap.dedent(text).lstrip("\n") if text.startswith("\n") else text, path, cfg)
    out = result.findings + linter.check_collection([result], cfg)
    return [f for f in out if include_suppressed or f.suppressed is None]


def ids_lines(findings) -> list[tuple[str, int]]:
    return [(f.rule_id, f.line) for f in findings]


_TK = None


def _toolkit():
    global _TK
    if _TK is None:
        from modlint.plugins import build_toolkit

        _TK = build_toolkit()
    return _TK


def lint_file(path: Path, select=None, parameters=None):
    return lint(path.read_text(encoding="utf-8"), select, path=str(path.relative_to(ROOT)), parameters=parameters)


def run_cli(*args: str, cwd: Path | None = None, input: str | bytes | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run ``python -m modlint`` in a subprocess; output is text unless ``input`` is bytes."""
    base = {k: v for k, v in os.environ.items() if k != "FORCE_COLOR"}
    full_env = {**base, "NO_COLOR": "1", **(env or {})}
    as_text = not isinstance(input, bytes)
    return subprocess.run(
        [sys.executable, "-m", "modlint", *args], cwd=cwd or ROOT, input=input, capture_output=True, env=full_env, timeout=300,
        **({"text": True, "encoding": "utf-8"} if as_text else {}),
    )


@pytest.fixture
def cli():
    return run_cli


# A repository's own declarative rule, as the writing-rules guide shows one.
ORG_RULE = """id: ORG101
alias: no-acronym-soup
family: custom
severity: info
kind: phrase-substitution
summary: Spell out internal acronyms learners from other trusts will not know.
rationale: Learners new to the organisation are shut out by unexplained acronyms.
barriers: [p11.new-to-nhs-credibility]
standards: [udl-2.1]
message: "'{phrase}' may be unknown to a learner new to the trust; write '{suggestion}'."
phrases:
  - {phrase: SLT, suggestion: senior leadership team}
examples:
  fail: "---\\nid: a\\n---\\nAsk the SLT.\\n"
  pass: "---\\nid: a\\n---\\nAsk the senior leadership team.\\n"
"""
