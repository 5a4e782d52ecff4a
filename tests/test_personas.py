"""Personas drive the rules: registry, audience, traceability commands."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import ROOT, _toolkit, run_cli
from modlint.catalogue import RuleMeta
from modlint.parsing import parse_text
from modlint.personas import Audience, PersonaRegistry, builtin_registry
from modlint.rule import RuleContext
from modlint.findings import Severity
from modlint.yamlio import DataError

SEED_IDS = ["p10", "p11", "p12", "p13", "p14", "p15", "p16", "p23", "p24", "p25"]


def test_every_seed_persona_is_loaded():
    reg = builtin_registry()
    assert [p.id for p in reg.all()] == SEED_IDS
    assert {p.stage for p in reg.all()} == {2, 4}
    assert reg.get("P11").title == "HR Manager"


def test_audience_defaults_to_the_stage_and_derives_figures():
    from modlint.engine import Linter

    linter = Linter(_toolkit())
    module, _ = parse_text("---\nid: a\ntitle: A\nstage: 2\nformat: self-paced\nduration: 5m\n---\n", "a.md")
    audience = linter.audience(module)
    assert [p.id for p in audience.personas] == SEED_IDS[:7]
    assert audience.min_weekly_hours == 1
    assert {p.id for p in audience.needing("working-hours-only")} == {"p12"}
    named, _ = parse_text("---\nid: a\ntitle: A\nstage: 2\nformat: self-paced\nduration: 5m\npersonas: [p13, p10]\n---\n", "a.md")
    assert [p.id for p in linter.audience(named).personas] == ["p13", "p10"]
    assert linter.audience(named).min_weekly_hours == 3


def _meta(**kw) -> RuleMeta:
    base = dict(id="TST001", alias="test-rule", family="custom", severity="warning", summary="s", rationale="r",
                barriers=["p11.time-scarcity", "p14.time-available"], standards=[], examples={"fail": "", "pass": ""})
    base.update(kw)
    return RuleMeta.from_dict(base, "test")


def test_findings_list_only_targets_whose_barriers_the_rule_cites():
    reg = builtin_registry()
    module, _ = parse_text("---\nid: a\n---\n", "a.md")
    audience = Audience([reg.get(x) for x in ("p11", "p12", "p14")])
    ctx = RuleContext(_meta(), module, {}, audience, reg, Severity.WARNING)
    assert [p.id for p in ctx.report("m", 1).personas] == ["p11", "p14"]
    narrowed = ctx.report("m", 1, personas=[reg.get("p14"), reg.get("p12")])
    assert [p.id for p in narrowed.personas] == ["p14"]
    gated = RuleContext(_meta(needs=["variable-by-rota"]), module, {}, audience, reg, Severity.WARNING)
    assert [p.id for p in gated.report("m", 1).personas] == ["p14"]


def test_extra_persona_folder_and_clash(tmp_path: Path):
    folder = tmp_path / "personas"
    folder.mkdir()
    p11 = (ROOT / "personas" / "p11.yaml").read_text(encoding="utf-8")
    stage1 = p11.replace("id: p11", "id: p01").replace("number: 11", "number: 1").replace("stage: 2", "stage: 1").replace("p11.", "p01.")
    (folder / "p01.yaml").write_text(stage1, encoding="utf-8")
    reg = builtin_registry([folder])
    assert reg.get("p01").stage == 1 and reg.of_stages([1])[0].id == "p01"
    (folder / "p11-copy.yaml").write_text(p11, encoding="utf-8")
    with pytest.raises(DataError) as info:
        builtin_registry([folder])
    assert "p11-copy.yaml" in str(info.value) and "p11.yaml" in str(info.value)


def test_invalid_persona_file_names_file_line_and_key(tmp_path: Path):
    folder = tmp_path / "personas"
    folder.mkdir()
    (folder / "bad.yaml").write_text("id: p77\nnumber: 77\nstage: 9\ntitle: T\nsummary: S\ntime: {min_hours_per_week: 1, max_hours_per_week: 2, seed: x}\naccess_needs: []\nbarriers: []\n", encoding="utf-8")
    reg = PersonaRegistry()
    with pytest.raises(DataError) as info:
        reg.load_dir(folder)
    assert "bad.yaml:3:8" in str(info.value) and "'stage'" in str(info.value)


def test_config_extra_personas_used_by_check(tmp_path: Path):
    shutil.copytree(ROOT / "personas", tmp_path / "unused")  # not named: must not load
    own = tmp_path / "our-personas"
    own.mkdir()
    p11 = (ROOT / "personas" / "p11.yaml").read_text(encoding="utf-8")
    (own / "p31.yaml").write_text(p11.replace("id: p11", "id: p31").replace("number: 11", "number: 31").replace("stage: 2", "stage: 3").replace("p11.", "p31."), encoding="utf-8")
    (tmp_path / ".modlint.yaml").write_text("extra-personas: [our-personas]\nselect: [MOD006, MOD008]\n", encoding="utf-8")
    (tmp_path / "m.md").write_text("---\nid: m\ntitle: M\nstage: 3\nformat: self-paced\nduration: 10m\npersonas: [p31, p11]\n---\n# M\n", encoding="utf-8")
    result = run_cli("check", "m.md", cwd=tmp_path)
    assert "MOD006" not in result.stdout
    assert "m.md:7:17: MOD008" in result.stdout
    listed = run_cli("personas", cwd=tmp_path)
    assert "p31" in listed.stdout


def test_persona_card_and_coverage_commands():
    card = run_cli("personas", "p11")
    assert card.returncode == 0
    assert card.stdout.startswith("P11 HR Manager (stage 2)")
    assert "1-2 hours weekly maximum, must be flexible" in card.stdout
    coverage = run_cli("personas", "--coverage")
    assert coverage.returncode == 0 and "Not yet addressed by any rule" in coverage.stdout
    unknown = run_cli("personas", "p99")
    assert unknown.returncode == 2 and "no persona 'p99'" in unknown.stderr


def test_uncovered_barriers_are_pinned():
    """The list of barriers no rule addresses may only change on purpose: update the pin."""
    tk = _toolkit()
    cited = {b for m in tk.catalogue for b in m.barriers}
    uncovered = sorted(b for b in tk.registry.barriers if b not in cited)
    pin = ROOT / "tests" / "golden" / "uncovered_barriers.txt"
    pinned = [line.strip() for line in pin.read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")]
    assert uncovered == pinned, (
        f"newly uncovered: {sorted(set(uncovered) - set(pinned))}; newly covered: {sorted(set(pinned) - set(uncovered))}. "
        "If this is on purpose, regenerate tests/golden/uncovered_barriers.txt"
    )


def _rules_citing(barrier_id: str) -> list[str]:
    tk = _toolkit()
    return [f"{m.id} {m.alias}" for m in tk.catalogue if barrier_id in m.barriers]


def test_persona_card_lists_each_barrier_with_the_rules_that_address_it():
    card = run_cli("personas", "p11").stdout.splitlines()
    p11 = _toolkit().registry.get("p11")
    start = card.index("Barriers, and the rules that address them:") + 1
    expected = [f"  - \"{b.text}\" ({b.id}, {b.section}): {', '.join(_rules_citing(b.id)) or 'no rule yet'}" for b in p11.barriers]
    assert card[start:] == expected
    assert any(_rules_citing(b.id) for b in p11.barriers) and any(not _rules_citing(b.id) for b in p11.barriers)
    time_line = next(line for line in expected if "(p11.no-evening-availability," in line)
    assert "TIME005 live-outside-working-hours" in time_line


def test_coverage_lists_every_barrier_no_rule_addresses():
    out = run_cli("personas", "--coverage").stdout.splitlines()
    tk = _toolkit()
    cited = {b for m in tk.catalogue for b in m.barriers}
    barriers = [b for p in tk.registry.all() for b in p.barriers]
    uncovered = [b for b in barriers if b.id not in cited]
    heading = f"Not yet addressed by any rule ({len(uncovered)} of {len(barriers)} barriers):"
    assert out[out.index(heading) + 1 :] == [f"  {b.id}: \"{b.text}\"" for b in uncovered]
    covered = out[: out.index(heading) - 1]
    assert [line.split()[0] for line in covered] == [b.id for b in barriers if b.id in cited]
    assert all(line.split(None, 1)[1] == ", ".join(m.id for m in tk.catalogue if line.split()[0] in m.barriers) for line in covered)


def test_explain_shows_personas_barriers_in_the_seeds_words_standards_and_examples():
    tk = _toolkit()
    meta = tk.catalogue.get("TIME005")
    out = run_cli("explain", "TIME005").stdout.splitlines()
    whom = out.index("Whom it protects (the personas' own words):")
    expected = []
    for bid in meta.barriers:
        persona, barrier = tk.registry.barriers[bid]
        expected.append(f"  - {persona.id.upper()} {persona.title}: \"{barrier.text}\" ({bid})")
    assert out[whom + 1 : whom + 1 + len(expected)] == expected
    assert "P11 HR Manager" in expected[0] and "no evening availability" in expected[0]
    assert f"Standards: {', '.join(meta.standards)}" in out
    fails, passes = out.index("Fails:"), out.index("Passes:")
    assert out[fails + 1 : passes - 1] == ["    " + ln for ln in meta.examples["fail"].rstrip().splitlines()]
    assert out[passes + 1 :] == ["    " + ln for ln in meta.examples["pass"].rstrip().splitlines()]


def test_explain_text_for_every_rule_quotes_its_barriers():
    from modlint.commands.info import explain_text

    tk = _toolkit()
    for meta in tk.catalogue:
        text = explain_text(meta, tk.registry)
        for bid in meta.barriers:
            persona, barrier = tk.registry.barriers[bid]
            assert f"{persona.id.upper()} {persona.title}: \"{barrier.text}\" ({bid})" in text, (meta.id, bid)
        assert "(unknown barrier)" not in text, meta.id
