"""``modlint report``: the gap analysis (modlint.gap) and its renderers.

The analysis is tested on findings made here against rules made here (so the
rule families being written elsewhere cannot change the numbers); the command
line on modules written here, with only the MOD rules selected.
"""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from conftest import _toolkit, run_cli
from modlint.catalogue import Catalogue, RuleMeta
from modlint.engine import FileResult
from modlint.findings import Finding, PersonaRef, Severity, Suppression
from modlint.gap import BLOCKED, CLEAR, NOT_TARGETED, WARNING, analyse, competency_key
from modlint.model import ModuleInfo


def _text(value) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _meta(rule_id: str, severity: str, barriers: tuple[str, ...]) -> RuleMeta:
    return RuleMeta.from_dict(
        {
            "id": rule_id,
            "alias": rule_id.lower() + "-alias",
            "family": "custom",
            "severity": severity,
            "summary": "A test rule.",
            "rationale": "Because.",
            "barriers": list(barriers),
            "examples": {"fail": "x", "pass": "y"},
        },
        "<test>",
    )


CATALOGUE = Catalogue(
    [
        _meta("TST001", "error", ("p10.age-assumed-digital-incapability", "p11.new-to-nhs-credibility")),
        _meta("TST002", "warning", ("p10.passed-over", "p11.new-to-nhs-credibility")),
        _meta("MOD001", "error", ()),
    ]
)


def _ref(pid: str) -> PersonaRef:
    persona = _toolkit().registry.get(pid)
    return PersonaRef(persona.id, persona.title)


def _f(rule: str, sev: Severity, path: str, line: int, personas: tuple[str, ...] = (), suppressed: bool = False) -> Finding:
    return Finding(
        rule,
        rule.lower() + "-alias",
        "custom",
        sev,
        f"{rule} message on line {line} | with a pipe & <b>markup</b>",
        path,
        line,
        personas=tuple(_ref(p) for p in personas),
        suppressed=Suppression("inline", "ok") if suppressed else None,
    )


def _info(path: str, targets: tuple[str, ...], **fm) -> ModuleInfo:
    return ModuleInfo(path, fm, {}, targets)


A, B, C = "mods/a.md", "mods/b.md", "mods/c.md"


@pytest.fixture(scope="module")
def report():
    results = [
        FileResult(
            A,
            [
                _f("TST001", Severity.ERROR, A, 3, ("p10",)),
                _f("TST002", Severity.WARNING, A, 4, ("p10", "p11")),
                _f("TST002", Severity.WARNING, A, 9, ("p11",)),
                _f("TST001", Severity.ERROR, A, 5, ("p11",), suppressed=True),
                _f("TST002", Severity.WARNING, A, 6),
            ],
            _info(
                A,
                ("p10", "p11"),
                id="module-a",
                title="Module <A> | pipes",
                stage=2,
                competencies=["Build relationships", "Use data, evidence and critical thinking (Stage 2)", "Juggling"],
            ),
        ),
        FileResult(B, [_f("TST001", Severity.ERROR, B, 2)], _info(B, ("p23",), id="module-b", title="Module B", stage=4, competencies=["build engagement (Stage 4)"])),
        FileResult(C, [_f("MOD001", Severity.ERROR, C, 1)], None),
    ]
    extra = [_f("TST002", Severity.WARNING, B, 7, ("p23",)), _f("MOD001", Severity.ERROR, "<plugin x>", 1)]
    return analyse(results, _toolkit().registry, CATALOGUE, extra, version="9.9")


def _cell(report, path, pid):
    row = next(m for m in report.modules if m.path == path)
    return next(c for c in row.cells if c.persona == pid)


def test_cells_count_errors_and_warnings_per_persona(report):
    p10, p11, p12 = (_cell(report, A, p) for p in ("p10", "p11", "p12"))
    assert (p10.status, len(p10.errors), len(p10.warnings), p10.text()) == (BLOCKED, 1, 1, "1 error, 1 warning")
    # the suppressed error is left out: p11 only has the two warnings
    assert (p11.status, len(p11.errors), len(p11.warnings), p11.text()) == (WARNING, 0, 2, "2 warnings")
    assert (p12.status, p12.text()) == (NOT_TARGETED, "not targeted")
    assert _cell(report, B, "p23").status == WARNING  # a collection finding joins its module
    assert _cell(report, B, "p24").status == NOT_TARGETED


def test_not_targeted_is_distinct_from_zero():
    results = [FileResult(A, [], _info(A, ("p10",), id="a", title="A", stage=2))]
    rep = analyse(results, _toolkit().registry, CATALOGUE)
    assert _cell(rep, A, "p10").status == CLEAR and _cell(rep, A, "p10").text() == "no findings"
    assert _cell(rep, A, "p11").status == NOT_TARGETED


def test_findings_naming_no_persona_go_to_the_whole_module(report):
    a = next(m for m in report.modules if m.path == A)
    assert [f.line for f in a.general] == [6]
    assert (a.general_errors, a.general_warnings, a.general_text()) == (0, 1, "1 warning")
    c = next(m for m in report.modules if m.path == C)
    assert not c.parsed and c.title == C and c.general_errors == 1
    assert all(cell.status == NOT_TARGETED for cell in c.cells)
    assert [f.path for f in report.other_findings] == ["<plugin x>"]


def test_barriers_are_counted_only_for_the_affected_persona(report):
    hits = {h.id: h for h in report.top_barriers}
    # TST001 cites a p11 barrier too, but its unsuppressed finding names only p10
    assert (hits["p10.age-assumed-digital-incapability"].errors, hits["p10.age-assumed-digital-incapability"].warnings) == (1, 0)
    assert (hits["p10.passed-over"].errors, hits["p10.passed-over"].warnings) == (0, 1)
    assert (hits["p11.new-to-nhs-credibility"].errors, hits["p11.new-to-nhs-credibility"].warnings) == (0, 2)
    assert hits["p11.new-to-nhs-credibility"].rules == {"TST002"}
    assert hits["p10.passed-over"].text.startswith("Feeling increasingly")
    by_persona = {b.persona.id: b for b in report.barriers}
    assert [h.id for h in by_persona["p10"].hits] == ["p10.age-assumed-digital-incapability", "p10.passed-over"]  # errors first
    assert by_persona["p10"].barriers_total == len(_toolkit().registry.get("p10").barriers)
    assert by_persona["p12"].hits == []


def test_competency_coverage_by_stage(report):
    stages = {s.stage: s for s in report.stages}
    two = {c.name: c for c in stages[2].competencies}
    assert two["Build relationships"].modules == [A]
    assert two["Use data, evidence and critical thinking"].modules == [A]  # suffix stripped
    assert not two["Build engagement"].addressed
    four = {c.name: c for c in stages[4].competencies}
    assert not four["Build relationships"].addressed  # a stage 2 module does not cover stage 4
    assert four["Build engagement"].modules == [B]  # case and suffix ignored
    assert stages[1].competencies == [] and stages[3].competencies == []
    assert report.unknown_competencies == {A: ["Juggling"]}
    assert competency_key("Build  Relationships (Stage 4)") == competency_key("build relationships")


def test_personas_with_no_module_they_can_take(report):
    access = {a.persona.id: a for a in report.access}
    assert access["p10"].targeted_by == [A] and access["p10"].takeable == [] and access["p10"].stranded
    assert access["p11"].takeable == [A] and not access["p11"].stranded
    assert access["p23"].targeted_by == [B] and access["p23"].stranded  # B has a whole-module error
    assert access["p12"].targeted_by == [] and access["p12"].stranded
    assert "Maximise outputs and get best value for public money" in access["p10"].missing_competencies
    assert "Build relationships" not in access["p10"].missing_competencies
    assert {a.persona.id for a in report.stranded} == {p.id for p in report.personas} - {"p11"}


def test_json_document(report):
    from modlint.commands.report import render

    doc = json.loads(render(report, "json"))
    assert doc["report_version"] == "1.0" and doc["tool"]["version"] == "9.9"
    row = next(m for m in doc["modules"] if m["path"] == A)
    assert row["cells"]["p10"] | {"findings": None} == {"persona": "p10", "targeted": True, "status": "blocked", "errors": 1, "warnings": 1, "infos": 0, "text": "1 error, 1 warning", "findings": None}
    assert row["cells"]["p12"]["status"] == "not-targeted"
    assert row["whole_module"]["warnings"] == 1
    assert doc["coverage"]["unknown_competencies"] == {A: ["Juggling"]}
    assert "p11" not in doc["coverage"]["stranded"] and "p10" in doc["coverage"]["stranded"]
    assert doc["totals"]["blocked_cells"] == 1


def test_html_is_self_contained_escaped_and_labelled(report):
    from modlint.commands.report import render

    page = render(report, "html")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en">' in page
    assert "<script" not in page.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page, re.I)
    assert "@import" not in page and "url(" not in page and 'rel="stylesheet"' not in page
    assert 'name="viewport"' in page
    assert "Module &lt;A&gt; | pipes" in page and "<A>" not in page
    assert "&lt;b&gt;markup&lt;/b&gt;" in page
    # every cell says in words what it holds, and links to its findings when it has any
    cell = re.search(r'<td class="st-blocked" data-module="mods/a.md" data-persona="p10"[^>]*>(.*?)</td>', page, re.S)
    assert cell and "1 error, 1 warning" in html.unescape(re.sub("<[^>]+>", "", cell.group(1)))
    anchor = re.search(r'href="#([^"]+)"', cell.group(1)).group(1)
    assert f'id="{anchor}"' in page
    assert page.count('scope="col"') >= len(report.personas) + 2 and 'scope="row"' in page
    assert "not targeted" in page and "<caption" in page
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), "ids must be unique"


def test_markdown_escapes_table_cells(report):
    from modlint.commands.report import render

    md = render(report, "md")
    header = next(line for line in md.splitlines() if line.startswith("| Module |"))
    rows = [line for line in md.splitlines() if line.startswith("| [")]
    assert len(rows) == 3
    bars = lambda line: len(re.findall(r"(?<!\\)\|", line))  # noqa: E731
    assert all(bars(r) == bars(header) for r in rows)
    assert r"Module \<A\> \| pipes" in md
    assert "1 error, 1 warning" in md and "not targeted" in md
    assert "\n\n\n\n" not in md


def test_text_summary(report):
    from modlint.commands.report import render

    text = render(report, "text")
    lines = text.splitlines()
    header = next(line for line in lines if line.startswith("Module"))
    assert header.split() == ["Module", "Whole"] + [p.label for p in report.personas]
    row = next(line for line in lines if line.startswith("1. module-a"))
    assert row.split()[2:5] == ["1W", "1E1W", "2W"] and row.split()[5] == "-"
    assert "\033[" not in text
    assert "\033[1;31m" in render(report, "text", color=True)
    assert "Personas with no module they can take" in text


MODULE_OK = """\
---
id: good-module
title: A good module
stage: 2
format: self-paced
duration: 20m
personas: [p10, p11]
competencies:
  - Build relationships
---
# A good module

Some text.
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / ".modlint.yaml").write_text("select: [MOD]\n", encoding="utf-8")
    mods = tmp_path / "modules"
    mods.mkdir()
    (mods / "good.md").write_text(MODULE_OK, encoding="utf-8")
    (mods / "bare.md").write_text("# No front matter\n\nText.\n", encoding="utf-8")
    return tmp_path


def test_cli_json(repo: Path):
    proc = run_cli("report", str(repo / "modules"), "--format", "json", cwd=repo)
    assert proc.returncode == 0, _text(proc.stderr)
    doc = json.loads(proc.stdout)
    rows = {Path(m["path"]).name: m for m in doc["modules"]}
    assert set(rows) == {"good.md", "bare.md"}
    good, bare = rows["good.md"], rows["bare.md"]
    assert good["cells"]["p10"]["status"] == "clear" and good["cells"]["p11"]["status"] == "clear"
    assert good["cells"]["p12"]["status"] == "not-targeted"
    assert good["whole_module"]["errors"] == 0
    assert bare["targets"] == [] and bare["whole_module"]["errors"] >= 1
    assert "MOD001" in {f["rule"] for f in bare["whole_module"]["findings"]}
    stage2 = next(s for s in doc["coverage"]["stages"] if s["stage"] == 2)
    assert "Build relationships" not in stage2["missing"] and "Build engagement" in stage2["missing"]
    assert doc["coverage"]["stranded"] == [p["id"] for p in doc["personas"] if p["id"] not in ("p10", "p11")]


def test_cli_text_and_files(repo: Path, tmp_path: Path):
    proc = run_cli("report", str(repo / "modules"), cwd=repo)
    assert proc.returncode == 0, _text(proc.stderr)
    out = _text(proc.stdout)
    assert "modlint gap report: 2 modules x" in out
    good = next(line for line in out.splitlines() if "good-module" in line)
    assert good.split()[2:5] == ["-", "ok", "ok"]
    for fmt in ("html", "md", "json", "text"):
        target = tmp_path / f"out.{fmt}"
        proc = run_cli("report", str(repo / "modules"), "--format", fmt, "-o", str(target), cwd=repo)
        assert proc.returncode == 0, _text(proc.stderr)
        assert target.stat().st_size > 500
        assert _text(proc.stdout) == ""
    assert "A good module" in (tmp_path / "out.html").read_text(encoding="utf-8")
    assert "wrote the html report of 2 modules" in _text(run_cli("report", str(repo / "modules"), "--format", "html", "-o", str(tmp_path / "x.html"), cwd=repo).stderr)


def test_templates_ship_inside_the_package():
    from importlib.resources import files

    folder = files("modlint") / "templates"
    assert (folder / "report.html.j2").is_file() and (folder / "report.md.j2").is_file()


def test_unknown_format_is_refused(report):
    from modlint.commands.report import render

    with pytest.raises(ValueError):
        render(report, "pdf")
    proc = run_cli("report", "--format", "pdf")
    assert proc.returncode == 2



# -- writing the report: errors are usage errors, as for 'check -o' -----------------------------


def _report_to(repo: Path, target: str, cwd: Path | None = None):
    return run_cli("report", str(repo / "modules"), "--format", "html", "-o", target, cwd=cwd or repo)


@pytest.mark.parametrize(
    "target, why",
    [
        ("/dev/null", "it is not a regular file"),
        ("good.txt/report.html", "good.txt is a file, not a folder"),
        ("good.txt/deeper/report.html", "good.txt is a file, not a folder"),
        ("ro.html", "the file is read-only"),
    ],
)
def test_a_report_that_cannot_be_written_is_a_usage_error(repo: Path, target: str, why: str):
    (repo / "good.txt").write_text("in the way\n", encoding="utf-8")
    (repo / "ro.html").write_text("old report\n", encoding="utf-8")
    (repo / "ro.html").chmod(0o444)
    proc = _report_to(repo, target)
    assert "Traceback" not in _text(proc.stderr)
    assert proc.returncode == 2, _text(proc.stderr)
    assert _text(proc.stderr).strip().splitlines()[-1] == f"modlint: error: cannot write the report to {target}: {why}"
    assert (repo / "ro.html").read_text(encoding="utf-8") == "old report\n"


def test_a_report_into_an_unwritable_folder_is_a_usage_error(repo: Path, tmp_path: Path):
    from test_safety import _run_unprivileged

    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        proc = _run_unprivileged("report", str(repo / "modules"), "--format", "md", "-o", str(locked / "report.md"), cwd=repo)
    finally:
        locked.chmod(0o755)
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 2
    assert f"modlint: error: cannot write the report to {locked / 'report.md'}: Permission denied" in proc.stderr
    assert list(locked.iterdir()) == []  # no temporary left behind


def test_report_creates_missing_folders_as_check_does(repo: Path):
    proc = _report_to(repo, "out/reports/gap.html")
    assert proc.returncode == 0, _text(proc.stderr)
    assert "A good module" in (repo / "out" / "reports" / "gap.html").read_text(encoding="utf-8")
    assert run_cli("check", str(repo / "modules"), "--format", "sarif", "-o", "out/sarif/m.sarif", cwd=repo).returncode in (0, 1)
    assert (repo / "out" / "sarif" / "m.sarif").is_file()


def test_a_new_report_file_follows_the_umask(repo: Path):
    """A new report is as readable as any file the user makes (0o666 less the umask),
    not owner-only like the temporary it is written through."""
    import os
    import subprocess
    import sys

    for umask, mode in ((0o022, 0o644), (0o077, 0o600), (0o002, 0o664)):
        target = repo / f"gap-{umask:03o}.html"
        subprocess.run([sys.executable, "-m", "modlint", "report", "modules", "--format", "html", "-o", target.name], cwd=repo, check=True,
                       capture_output=True, preexec_fn=lambda umask=umask: os.umask(umask))
        assert target.stat().st_mode & 0o777 == mode, (oct(umask), oct(target.stat().st_mode))


def test_report_on_a_tree_with_bad_files_reports_them_and_still_writes(tmp_path: Path):
    """An unreadable file, a symbolic link loop and a YAML alias bomb: each is
    reported (a finding or a note), the good module is still analysed, and the
    report is written."""
    import os

    from test_bad_input import BOMB
    from test_safety import _run_unprivileged

    tree = tmp_path / "tree"
    tree.mkdir()
    (tmp_path / ".modlint.yaml").write_text("select: [MOD]\n", encoding="utf-8")
    (tree / "good.md").write_text(MODULE_OK, encoding="utf-8")
    (tree / "bomb.md").write_text(BOMB, encoding="utf-8")
    (tree / "secret.md").write_text(MODULE_OK.replace("good-module", "secret-module"), encoding="utf-8")
    (tree / "loop").symlink_to(tree, target_is_directory=True)
    os.chmod(tree / "secret.md", 0)
    try:
        runs = {fmt: _run_unprivileged("report", "tree", "--format", fmt, "-o", f"gap.{fmt}", cwd=tmp_path) for fmt in ("json", "html")}
    finally:
        os.chmod(tree / "secret.md", 0o644)
    for fmt, proc in runs.items():
        assert "Traceback" not in proc.stderr, proc.stderr
        assert proc.returncode == 0, proc.stderr
        assert "modlint: skipped tree/loop: is a symbolic link back into a folder already checked (a loop)" in proc.stderr
        assert f"wrote the {fmt} report of 3 modules" in proc.stderr
    doc = json.loads((tmp_path / "gap.json").read_text(encoding="utf-8"))
    rows = {Path(m["path"]).name: m for m in doc["modules"]}
    assert sorted(rows) == ["bomb.md", "good.md", "secret.md"]
    whole = {name: [(f["rule"], f["line"]) for f in row["whole_module"]["findings"]] for name, row in rows.items()}
    assert whole == {"bomb.md": [("MOD002", 2)], "good.md": [], "secret.md": [("MOD011", 1)]}
    assert "cannot be read (Permission denied)" in rows["secret.md"]["whole_module"]["findings"][0]["message"]
    assert rows["good.md"]["cells"]["p11"]["status"] == "clear"
    page = (tmp_path / "gap.html").read_text(encoding="utf-8")
    assert "secret.md" in page and "bomb.md" in page and "A good module" in page
