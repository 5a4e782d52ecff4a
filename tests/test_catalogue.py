"""Meta-tests: every rule has valid metadata, resolvable barriers, docs, and examples that behave."""
from __future__ import annotations

import pytest

from conftest import EXAMPLES, ROOT, _toolkit, lint
from modlint.docs_gen import generate

# Their failing example is a situation, not a single module text.
NOT_A_SINGLE_MODULE = {"MOD009": "needs two files", "MOD011": "needs undecodable bytes", "MOD012": "needs a failing plugin"}


def builtin_metas():
    return [m for m in _toolkit().catalogue if m.plugin == "builtin"]


def test_catalogue_loads_without_plugin_errors():
    tk = _toolkit()
    assert tk.load_errors == [], [e.message for e in tk.load_errors]
    assert len(tk.catalogue) >= 13


@pytest.mark.parametrize("meta", builtin_metas(), ids=lambda m: m.id)
def test_barriers_resolve(meta):
    registry = _toolkit().registry
    missing = [b for b in meta.barriers if b not in registry.barriers]
    assert not missing, f"{meta.id} cites unknown barriers {missing}"


@pytest.mark.parametrize("meta", [m for m in builtin_metas() if m.family != "module"], ids=lambda m: m.id)
def test_persona_rules_cite_barriers_and_standards(meta):
    assert meta.barriers, f"{meta.id} cites no persona barrier"
    assert meta.standards, f"{meta.id} cites no standard"


@pytest.mark.parametrize("meta", [m for m in builtin_metas() if m.needs], ids=lambda m: m.id)
def test_needs_match_cited_personas(meta):
    """A rule switched on by a need must cite a barrier of someone who has that need,
    or its findings would name nobody."""
    registry = _toolkit().registry
    cited = {b.split(".")[0] for b in meta.barriers}
    needing = {p.id for p in registry.all() if any(p.has(n) for n in meta.needs)}
    assert needing, f"{meta.id} needs {meta.needs}, which no persona has"
    assert cited & needing, f"{meta.id} cites none of the personas with {meta.needs}: {sorted(needing)}"


@pytest.mark.parametrize("meta", [m for m in builtin_metas() if m.id not in NOT_A_SINGLE_MODULE], ids=lambda m: m.id)
def test_metadata_examples_behave(meta):
    fail = [f for f in lint(meta.examples["fail"], select=meta.id)]
    assert any(f.rule_id == meta.id for f in fail), f"{meta.id}'s failing example does not trigger it"
    passing = [f for f in lint(meta.examples["pass"], select=meta.id)]
    assert not any(f.rule_id == meta.id for f in passing), f"{meta.id}'s passing example triggers it: {[f.message for f in passing]}"


def test_every_rule_triggers_on_some_example_module():
    fired: set[str] = set()
    for path in sorted(EXAMPLES.rglob("*.md")):
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # not-utf8.md: its MOD011 is asserted in test_rules_module
        fired.update(f.rule_id for f in lint(text, path=str(path.relative_to(ROOT))))
    missing = sorted(m.id for m in builtin_metas() if m.id not in fired and m.id not in NOT_A_SINGLE_MODULE and m.id != "MOD012")
    assert not missing, f"no example module under examples/modules triggers {missing}"


def test_every_rule_has_an_up_to_date_docs_page():
    folder = ROOT / "docs" / "rules"
    pages = generate(folder)
    stale = [p.name for p, text in pages.items() if not p.is_file() or p.read_text(encoding="utf-8") != text]
    assert not stale, f"docs/rules is out of date for {stale}; run: python -m modlint.docs_gen"
    extra = sorted(p.name for p in folder.glob("*.md") if p not in pages)
    assert not extra, f"docs/rules has pages for rules that no longer exist: {extra}"


def test_passing_examples_are_clean():
    for path in sorted((EXAMPLES / "pass").glob("*.md")):
        found = lint(path.read_text(encoding="utf-8"), path=str(path.relative_to(ROOT)))
        assert found == [], f"{path.name}: {[(f.rule_id, f.line, f.message) for f in found]}"
