"""CI formats: SARIF (validated against the official schema), GitHub workflow commands,
JUnit XML, --output and --statistics. Modules are written here and only module-family
rules are selected, so the findings do not move while other rule families grow."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from modlint.findings import Finding, PersonaRef, Severity, Suppression

from conftest import ROOT, _toolkit, run_cli

SARIF_SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"

CLEAN = """---
id: giving-feedback
title: Giving feedback that helps
stage: 2
format: self-paced
duration: 20m
---
# Giving feedback that helps
"""

# line 4: MOD004 (stage), line 5: MOD004 (format), line 7: MOD005 suppressed inline, line 8: MOD005
FAULTY = """---
id: leading-change
title: Leading change
stage: 5
format: webinar
duration: 20m
colour: red
flavour: mint
---
# Leading change
"""

SUPPRESSED = """---
id: leading-change-two
title: Leading change again
stage: 2
format: self-paced
duration: 20m
# modlint-disable-next-line MOD005 -- kept for the old catalogue export
legacy: yes
---
# Leading change again
"""

DUPLICATE = CLEAN.replace("Giving feedback that helps", "Giving feedback, again")


def make_repo(tmp_path: Path) -> Path:
    (tmp_path / ".modlint.yaml").write_text("select: [module]\n", encoding="utf-8")
    mods = tmp_path / "modules"
    mods.mkdir()
    (mods / "clean.md").write_text(CLEAN, encoding="utf-8")
    (mods / "faulty.md").write_text(FAULTY, encoding="utf-8")
    (mods / "suppressed.md").write_text(SUPPRESSED, encoding="utf-8")
    return tmp_path


def check(tmp_path: Path, *args: str):
    return run_cli("check", *args, cwd=tmp_path)


# -- SARIF --------------------------------------------------------------------


def sarif_validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def test_sarif_is_valid_against_the_official_schema(tmp_path):
    repo = make_repo(tmp_path)
    proc = check(repo, ".", "--format", "sarif")
    assert proc.returncode == 1, proc.stderr
    doc = json.loads(proc.stdout)
    errors = sorted(sarif_validator().iter_errors(doc), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    assert doc["version"] == "2.1.0"


def test_sarif_describes_every_rule(tmp_path):
    repo = make_repo(tmp_path)
    doc = json.loads(check(repo, ".", "--format", "sarif").stdout)
    rules = doc["runs"][0]["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    catalogue = _toolkit().catalogue
    assert sorted(ids) == sorted(m.id for m in catalogue)
    assert len(ids) == len(set(ids))
    mod004 = next(r for r in rules if r["id"] == "MOD004")
    meta = catalogue.get("MOD004")
    assert mod004["name"] == "front-matter-schema"
    assert mod004["shortDescription"]["text"] == meta.summary
    assert mod004["fullDescription"]["text"] == meta.rationale
    assert mod004["helpUri"].endswith("/MOD004.md")
    assert mod004["defaultConfiguration"]["level"] == "error"
    assert mod004["properties"]["family"] == "module"
    assert mod004["properties"]["standards"] == list(meta.standards)
    assert mod004["properties"]["barriers"] == list(meta.barriers)
    assert "module" in mod004["properties"]["tags"]
    # a rule with barriers and standards carries them (any family; others write them)
    for rule in rules:
        m = catalogue.get(rule["id"])
        assert rule["properties"]["barriers"] == list(m.barriers)
        assert rule["properties"]["standards"] == list(m.standards)
        assert rule["defaultConfiguration"]["level"] == {"error": "error", "warning": "warning", "info": "note"}[str(m.severity)]


def test_sarif_results_have_locations_and_rule_indexes(tmp_path):
    repo = make_repo(tmp_path)
    run = json.loads(check(repo, ".", "--format", "sarif").stdout)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    results = run["results"]
    got = sorted((r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in results)
    assert got == [
        ("MOD004", "modules/faulty.md", 4),
        ("MOD004", "modules/faulty.md", 5),
        ("MOD005", "modules/faulty.md", 7),
        ("MOD005", "modules/faulty.md", 8),
        ("MOD005", "modules/suppressed.md", 8),
    ]
    for r in results:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
        loc = r["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert loc["region"]["startColumn"] >= 1
        assert r["partialFingerprints"]["modlint/v1"]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == repo.resolve().as_uri() + "/"


def test_sarif_keeps_inline_suppressions_with_their_reason(tmp_path):
    repo = make_repo(tmp_path)
    run = json.loads(check(repo, ".", "--format", "sarif").stdout)["runs"][0]
    suppressed = [r for r in run["results"] if r.get("suppressions")]
    assert len(suppressed) == 1
    r = suppressed[0]
    assert r["ruleId"] == "MOD005"
    assert r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "modules/suppressed.md"
    assert r["suppressions"] == [{"kind": "inSource", "status": "accepted", "justification": "kept for the old catalogue export"}]


def test_sarif_keeps_baselined_findings_as_external_suppressions(tmp_path):
    repo = make_repo(tmp_path)
    assert check(repo, ".", "--baseline", "modlint-baseline.json", "--update-baseline").returncode == 0
    proc = check(repo, ".", "--format", "sarif", "--baseline", "modlint-baseline.json")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    doc = json.loads(proc.stdout)
    assert not list(sarif_validator().iter_errors(doc))
    results = doc["runs"][0]["results"]
    assert len(results) == 5
    kinds = sorted(r["suppressions"][0]["kind"] for r in results)
    assert kinds == ["external"] * 4 + ["inSource"]
    for r in results:
        if r["suppressions"][0]["kind"] == "external":
            assert r["suppressions"][0]["justification"] == "baseline"


def test_sarif_says_which_results_are_fixable_and_how_safely(tmp_path):
    """properties.fix on a result: the fix's description and whether --fix applies it
    (safe) or only --unsafe-fixes; no property for a finding with no fix. Each rule's
    descriptor says the kind of fix it offers."""
    golden = ROOT / "tests" / "golden" / "fixes"
    (tmp_path / "safe.md").write_text((golden / "MOD004.before.md").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "unsafe.md").write_text((golden / "MOD005.before.md").read_text(encoding="utf-8"), encoding="utf-8")
    doc = json.loads(check(tmp_path, ".", "--format", "sarif", "--select", "MOD004,MOD005").stdout)
    assert not list(sarif_validator().iter_errors(doc))
    run = doc["runs"][0]
    got = sorted(
        (r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], r["locations"][0]["physicalLocation"]["region"]["startLine"], r["ruleId"], r["properties"].get("fix"))
        for r in run["results"]
    )
    assert got == [
        ("safe.md", 5, "MOD004", {"description": "Write 'stage' as 2", "safe": True}),
        ("safe.md", 6, "MOD004", {"description": "Write 'format' as self-paced", "safe": True}),
        ("safe.md", 8, "MOD004", {"description": "Write 'resumable' as true", "safe": True}),
        ("safe.md", 11, "MOD004", {"description": "Write 'media.0.type' as video", "safe": True}),
        ("unsafe.md", 7, "MOD005", {"description": "Rename 'resumeable' to 'resumable'", "safe": False}),
        ("unsafe.md", 11, "MOD005", {"description": "Rename 'captons' to 'captions'", "safe": False}),
        ("unsafe.md", 13, "MOD005", {"description": "Rename 'moble' to 'mobile'", "safe": False}),
        ("unsafe.md", 14, "MOD005", None),  # 'made_up_setting': no key to rename it to
    ]
    kinds = {r["id"]: r["properties"]["fix"] for r in run["tool"]["driver"]["rules"]}
    assert (kinds["MOD004"], kinds["MOD005"], kinds["MOD001"]) == ("safe", "unsafe", "none")


PLUGIN_META = {"id": "ORG001", "alias": "org-rule", "family": "custom", "severity": "warning", "summary": "An organisation's rule.",
               "rationale": "Because.", "barriers": [], "standards": [], "examples": {"fail": "f", "pass": "p"}}


def test_sarif_help_uri_only_for_rules_with_documentation():
    """A built-in rule links to its generated page; a plugin rule to the page its
    metadata names (docs_url); a plugin rule that names none gets no link, since
    docs/rules/ has no page for it."""
    from modlint.catalogue import RuleMeta
    from modlint.reporters.sarif import descriptor

    builtin = descriptor(_toolkit().catalogue.get("MOD004"))
    assert builtin["helpUri"] == "https://github.com/modlint/modlint/blob/main/docs/rules/MOD004.md"
    own = descriptor(RuleMeta.from_dict({**PLUGIN_META, "docs_url": "https://example.org/lint/ORG001"}, "<plugin org>", "org"))
    assert own["helpUri"] == "https://example.org/lint/ORG001"
    assert own["help"]["markdown"].endswith("[Rule documentation](https://example.org/lint/ORG001)")
    bare = descriptor(RuleMeta.from_dict(PLUGIN_META, "<plugin org>", "org"))
    assert "helpUri" not in bare and "markdown" not in bare["help"]
    odd = descriptor(RuleMeta.from_dict({**PLUGIN_META, "docs_url": "javascript:alert(1)"}, "<plugin org>", "org"))
    assert "helpUri" not in odd


def test_sarif_extra_rules_have_no_dead_links(tmp_path):
    rules = tmp_path / "lint-rules"
    rules.mkdir()
    (rules / "CUST001.yaml").write_text(
        "id: CUST001\nalias: plain-utilise\nfamily: custom\nseverity: warning\nkind: phrase-existence\n"
        "summary: Say use.\nrationale: Plain words.\nbarriers: []\nstandards: []\nphrases:\n  - phrase: utilise\n"
        "message: \"'{phrase}' was found.\"\nexamples: {fail: We utilise it., pass: We use it.}\n",
        encoding="utf-8",
    )
    (tmp_path / ".modlint.yaml").write_text("select: [module, CUST001]\nextra-rules: [lint-rules/]\n", encoding="utf-8")
    (tmp_path / "m.md").write_text(CLEAN + "\nWe utilise it.\n", encoding="utf-8")
    doc = json.loads(check(tmp_path, ".", "--format", "sarif").stdout)
    assert not list(sarif_validator().iter_errors(doc))
    rules_out = {r["id"]: r for r in doc["runs"][0]["tool"]["driver"]["rules"]}
    assert [r["ruleId"] for r in doc["runs"][0]["results"]] == ["CUST001"]
    assert "helpUri" not in rules_out["CUST001"]
    assert rules_out["MOD004"]["helpUri"].endswith("/docs/rules/MOD004.md")

    # A rule file may name its own page; the rule schema accepts it and SARIF links it.
    text = (rules / "CUST001.yaml").read_text(encoding="utf-8")
    (rules / "CUST001.yaml").write_text(text + "docs_url: https://example.org/style/utilise\n", encoding="utf-8")
    doc = json.loads(check(tmp_path, ".", "--format", "sarif", "--no-cache").stdout)
    rules_out = {r["id"]: r for r in doc["runs"][0]["tool"]["driver"]["rules"]}
    assert rules_out["CUST001"]["helpUri"] == "https://example.org/style/utilise"


def test_sarif_non_file_findings_become_notifications():
    from modlint.reporters import ReportContext
    from modlint.reporters.sarif import as_document

    finding = Finding("MOD012", "internal-error", "module", Severity.ERROR, "The plugin 'x' could not be loaded.", "<plugin x>", 1)
    doc = as_document([finding], ReportContext(_toolkit(), []))
    run = doc["runs"][0]
    assert run["results"] == []
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert notes[0]["descriptor"]["id"] == "MOD012" and "plugin 'x'" in notes[0]["message"]["text"]
    assert not list(sarif_validator().iter_errors(doc))


def test_sarif_with_personas_and_odd_paths_is_valid(tmp_path):
    from modlint.reporters import ReportContext
    from modlint.reporters.sarif import as_document

    f = Finding("MOD004", "front-matter-schema", "module", Severity.WARNING, "Bad.\nTwo lines", "dir with space/é#1.md", 3, 2, 3, 9,
                personas=(PersonaRef("p11", "HR Manager"),), segment="Intro")
    doc = as_document([f], ReportContext(_toolkit(), []), base=tmp_path)
    assert not list(sarif_validator().iter_errors(doc))
    r = doc["runs"][0]["results"][0]
    assert r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].startswith("file:")  # outside the base
    assert r["locations"][0]["physicalLocation"]["region"] == {"startLine": 3, "startColumn": 2, "endLine": 3, "endColumn": 9}
    assert r["properties"]["personas"] == [{"id": "p11", "title": "HR Manager"}]
    assert "P11 HR Manager" in r["message"]["text"]


# -- GitHub workflow commands --------------------------------------------------


def test_github_annotations(tmp_path):
    repo = make_repo(tmp_path)
    proc = check(repo, ".", "--format", "github")
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("::error file=modules/faulty.md,line=4,col=1,title=MOD004 front-matter-schema::'stage' is 5")
    assert lines[2].startswith("::warning file=modules/faulty.md,line=7,col=1,title=MOD005 unknown-front-matter-key::")
    assert sum(1 for line in lines if line.startswith("::")) == 4  # the inline-suppressed finding is not annotated
    assert lines[-1].startswith("Found 4 problems")


def test_github_escaping():
    from modlint.reporters.github import annotation, escape_data, escape_property

    assert escape_data("50% a\r\nb") == "50%25 a%0D%0Ab"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    f = Finding("MOD005", "unknown-front-matter-key", "module", Severity.INFO, "100% wrong:\nsee, here", "odd:dir,x/m.md", 2, 3,
                personas=(PersonaRef("p3", "Ward Sister"),))
    line = annotation(f)
    assert line == "::notice file=odd%3Adir%2Cx/m.md,line=2,col=3,title=MOD005 unknown-front-matter-key::100%25 wrong:%0Asee, here (affects: P3 Ward Sister)"
    assert "\n" not in line
    tool = annotation(Finding("MOD012", "internal-error", "module", Severity.ERROR, "boom", "<plugin x>", 1))
    assert tool == "::error title=MOD012 internal-error::<plugin x>: boom"


# -- JUnit XML -----------------------------------------------------------------


def test_junit_one_test_case_per_module(tmp_path):
    repo = make_repo(tmp_path)
    proc = check(repo, ".", "--format", "junit")
    assert proc.returncode == 1
    assert proc.stdout.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    root = ET.fromstring(proc.stdout.encode("utf-8"))
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert len(suites) == 1
    cases = {c.get("name"): c for c in suites[0].findall("testcase")}
    assert sorted(cases) == ["modules/clean.md", "modules/faulty.md", "modules/suppressed.md"]
    assert suites[0].get("tests") == "3" and suites[0].get("failures") == "1" and root.get("failures") == "1"
    assert cases["modules/clean.md"].find("failure") is None
    assert cases["modules/suppressed.md"].find("failure") is None
    failure = cases["modules/faulty.md"].find("failure")
    assert failure is not None and failure.get("type") == "MOD004"
    assert "modules/faulty.md:4:1: MOD004" in failure.text and "modules/faulty.md:5:1: MOD004" in failure.text
    # warnings below fail-on are listed, not failed
    assert "MOD005" in cases["modules/faulty.md"].find("system-out").text


def test_junit_fail_on_warning_and_control_characters(tmp_path):
    from modlint.engine import FileResult
    from modlint.reporters import ReportContext
    from modlint.reporters.junit import format_junit

    f = Finding("MOD005", "unknown-front-matter-key", "module", Severity.WARNING, "bad \x01 <key> & more", "m.md", 1)
    xml = format_junit([f], ReportContext(_toolkit(), [FileResult("m.md", [f])], fail_on="warning"))
    root = ET.fromstring(xml.encode("utf-8"))
    failure = root.find("testsuite/testcase/failure")
    assert failure is not None and "<key> & more" in failure.text


# -- --output and --statistics ------------------------------------------------


def test_output_file_gets_the_report_and_terminal_the_text(tmp_path):
    repo = make_repo(tmp_path)
    proc = check(repo, ".", "--format", "sarif", "--output", "reports/modlint.sarif")
    assert proc.returncode == 1
    doc = json.loads((repo / "reports" / "modlint.sarif").read_text(encoding="utf-8"))
    assert doc["version"] == "2.1.0"
    assert "modules/faulty.md:4:1: MOD004 [error]" in proc.stdout
    assert "Found 4 problems (2 errors, 2 warnings) in 3 files." in proc.stdout
    assert not proc.stdout.lstrip().startswith("{")


def test_output_text_format_prints_only_the_summary(tmp_path):
    repo = make_repo(tmp_path)
    proc = check(repo, ".", "--output", "out.txt")
    assert proc.stdout.strip() == "Found 4 problems (2 errors, 2 warnings) in 3 files."
    assert "modules/faulty.md:4:1: MOD004" in (repo / "out.txt").read_text(encoding="utf-8")


def test_statistics(tmp_path):
    repo = make_repo(tmp_path)
    proc = check(repo, ".", "--statistics")
    out = proc.stdout
    assert "Statistics: 4 findings (1 suppressed, not counted)" in out
    by_rule = out.split("By rule:")[1].split("By family:")[0]
    assert "2  MOD004  front-matter-schema" in by_rule and "2  MOD005  unknown-front-matter-key" in by_rule
    assert "4  module" in out.split("By family:")[1]


def test_statistics_keep_json_on_stdout_parseable(tmp_path):
    repo = make_repo(tmp_path)
    proc = check(repo, ".", "--format", "json", "--statistics")
    assert json.loads(proc.stdout)["summary"]["total"] == 4
    assert "By rule:" in proc.stderr


def test_statistics_per_persona():
    from modlint.reporters.statistics import counts, format_statistics

    p11, p3 = PersonaRef("p11", "HR Manager"), PersonaRef("p3", "Ward Sister")
    fs = [
        Finding("TIME001", "a", "time", Severity.ERROR, "m", "x.md", 1, personas=(p11, p3)),
        Finding("TIME001", "a", "time", Severity.ERROR, "m", "x.md", 2, personas=(p11,)),
        Finding("ACCESS001", "b", "access", Severity.WARNING, "m", "x.md", 3),
        Finding("ACCESS001", "b", "access", Severity.WARNING, "m", "x.md", 4, personas=(p3,), suppressed=Suppression("inline", "ok")),
    ]
    data = counts(fs)
    assert data["rules"] == [{"rule": "TIME001", "alias": "a", "count": 2}, {"rule": "ACCESS001", "alias": "b", "count": 1}]
    assert data["families"] == [{"family": "time", "count": 2}, {"family": "access", "count": 1}]
    assert data["personas"] == [{"persona": "p11", "title": "HR Manager", "count": 2}, {"persona": "p3", "title": "Ward Sister", "count": 1}]
    text = format_statistics(fs)
    assert "2  P11  HR Manager" in text and "1  P3  Ward Sister" in text
    assert "(1 finding affects no target persona)" in text


def test_formats_are_registered():
    assert {"text", "json", "sarif", "github", "junit"} <= set(_toolkit().formatters)


@pytest.mark.parametrize("fmt", ["sarif", "github", "junit", "json", "text"])
def test_every_format_handles_no_findings(tmp_path, fmt):
    (tmp_path / ".modlint.yaml").write_text("select: [module]\n", encoding="utf-8")
    (tmp_path / "m.md").write_text(CLEAN, encoding="utf-8")
    proc = check(tmp_path, ".", "--format", fmt)
    assert proc.returncode == 0, proc.stderr
    if fmt == "sarif":
        doc = json.loads(proc.stdout)
        assert doc["runs"][0]["results"] == [] and not list(sarif_validator().iter_errors(doc))
    if fmt == "junit":
        assert ET.fromstring(proc.stdout.encode()).get("failures") == "0"
