"""Resource bounds: hostile or merely huge modules finish in bounded time and
memory, with a clear finding. Each run is a child process that reports its own
peak memory (``VmHWM`` in ``/proc/self/status``) as it exits. ``getrusage`` would not
do: Linux folds the memory of the process that forked the child (this test run,
hundreds of MB after the property tests) into the child's ``ru_maxrss``.

Bounds in force (see docs/security.md): ``max-file-size`` (5 MB by default), the
front matter's size, depth and alias expansion, a parse time budget
(MODLINT_PARSE_TIME_BUDGET, 10 s), a per-rule budget (MODLINT_RULE_TIME_BUDGET,
5 s) and a per-file budget for all rules (MODLINT_FILE_TIME_BUDGET, 60 s).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import ROOT

FM = "---\nid: {id}\ntitle: A module\nstage: 2\nformat: self-paced\nduration: 20m\n---\n"
# A bare run of modlint peaks near 35 MB (the interpreter, markdown-it, the catalogue);
# a file read whole, or an alias bomb expanded, would go far past this.
BASELINE_MB = 80


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float

    def findings(self) -> list[dict]:
        return json.loads(self.stdout)["findings"]


# Runs modlint in the child and writes the child's own peak RSS (kB) to argv[1] on exit.
_LAUNCHER = """
import atexit, runpy, sys
report = sys.argv.pop(1)

def _peak():
    with open("/proc/self/status") as fh:
        kb = next(line.split()[1] for line in fh if line.startswith("VmHWM:"))
    with open(report, "w") as out:
        out.write(kb)

atexit.register(_peak)
sys.argv[0] = "modlint"
runpy.run_module("modlint", run_name="__main__", alter_sys=True)
"""


def measure(*args: str, env: dict[str, str] | None = None, cwd: Path = ROOT) -> Run:
    """Run modlint in a child process and return its output, wall time and peak RSS."""
    if not Path("/proc/self/status").exists():
        pytest.skip("peak memory is read from /proc (Linux)")
    out_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"modlint-measure-{os.getpid()}"
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-c", _LAUNCHER, f"{out_path}.peak", *args], cwd=cwd, env=full_env, capture_output=True, text=True
    )
    seconds = time.monotonic() - started
    peak = int(Path(f"{out_path}.peak").read_text()) / 1024
    os.unlink(f"{out_path}.peak")
    run = Run(proc.returncode, proc.stdout, proc.stderr, seconds, peak)
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    print(f"modlint {' '.join(a if len(a) < 40 else '...' for a in args)}: {seconds:.1f} s, {peak:.0f} MB")
    return run


def _alias_bomb(levels: int) -> str:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    return "---\n" + "\n".join(lines) + "\n---\n# Bomb\n"


def test_yaml_alias_bomb(tmp_path: Path):
    """10^30 values from 3 KB of YAML: refused after 20,000, in small memory."""
    path = tmp_path / "bomb.md"
    path.write_text(_alias_bomb(30), encoding="utf-8")
    run = measure("check", "--no-cache", "--format", "json", str(path))
    found = [(f["rule"], f["line"]) for f in run.findings()]
    assert ("MOD002", 2) in found
    message = next(f["message"] for f in run.findings() if f["rule"] == "MOD002")
    assert "more than 20000 values" in message and "anchors and aliases" in message
    assert run.seconds < 30 and run.peak_mb < BASELINE_MB


def test_hundred_megabyte_file_is_not_read(tmp_path: Path):
    """A 100 MB file is refused by its size before it is read: memory stays at
    the baseline, not 100 MB more. The limit is the ``max-file-size`` setting."""
    path = tmp_path / "huge.md"
    line = b"The team will reflect on the ward's budget and the patient's care. " * 15 + b"\n"
    with open(path, "wb") as fh:
        fh.write(FM.format(id="huge").encode())
        chunk = line * (1024 * 1024 // len(line))
        for _ in range(100):
            fh.write(chunk)
    assert path.stat().st_size > 99 * 1024 * 1024
    run = measure("check", "--no-cache", "--format", "json", str(path))
    assert [(f["rule"], f["line"], f["column"]) for f in run.findings()] == [("MOD011", 1, 1)]
    assert "larger than the 5.0 MB limit" in run.findings()[0]["message"]
    assert run.seconds < 30 and run.peak_mb < BASELINE_MB
    fixed = measure("check", "--no-cache", "--fix", str(path))
    assert fixed.peak_mb < BASELINE_MB and "applied 0 fixes" in fixed.stderr

    # The limit is a setting: lower it, and a small module is refused in the same words.
    (tmp_path / ".modlint.yaml").write_text("max-file-size: 2048\n", encoding="utf-8")
    small = tmp_path / "small.md"
    small.write_text(FM.format(id="small") + "Some words. " * 400, encoding="utf-8")
    run = measure("check", "--no-cache", "--format", "json", str(small))
    assert [f["message"].split(",")[0] for f in run.findings()] == ["This file is 4.8 KB"]
    assert "larger than the 2.0 KB limit" in run.findings()[0]["message"]


@pytest.mark.slow
@pytest.mark.timeout(600, method="thread")
def test_ten_thousand_headings(tmp_path: Path):
    """10,000 sections: checked within the time budgets, every finding valid."""
    path = tmp_path / "headings.md"
    path.write_text(FM.format(id="headings") + "".join(f"## Part {i}\n\nRead this part.\n\n" for i in range(10_000)), encoding="utf-8")
    run = measure("check", "--no-cache", "--format", "json", str(path), env={"MODLINT_RULE_TIME_BUDGET": "3", "MODLINT_FILE_TIME_BUDGET": "20"})
    findings = run.findings()
    assert findings and all(f["line"] >= 1 and f["column"] >= 1 for f in findings)
    # A rule slower than its budget is named; it does not stop the others.
    for f in findings:
        if f["rule"] == "MOD012":
            assert "took longer than" in f["message"] or "was stopped after" in f["message"], f["message"]
    assert any(f["rule"] != "MOD012" for f in findings)
    # Parse (10 s) + the file's rules (20 s) + start-up: bounded whatever the rules do.
    assert run.seconds < 90, run.seconds
    assert run.peak_mb < 600


LONG_LINES = {
    "words": "word " * 20_000,
    "one word": "a" * 100_000,
    "links": "".join(f"[link {i}](page{i}.md) " for i in range(5_000)),
    "brackets": "[" * 100_000,
    "backticks": "`a`` " * 20_000,
    "comment openers": "<!-- " * 20_000,
    "emphasis": "*a " * 33_333,
    "heading braces": "## Title " + "{" * 99_000 + "}",
    "quotes": "> " * 50_000 + "x",
    "angle links": "<https://example.org/" + "a" * 99_980 + ">",
}


@pytest.mark.slow
@pytest.mark.timeout(900, method="thread")
def test_hundred_thousand_character_lines(tmp_path: Path):
    """One 100,000-character line of each shape in its own module, checked in one run."""
    for name, line in LONG_LINES.items():
        assert len(line) >= 99_000
        (tmp_path / f"{name.replace(' ', '-')}.md").write_text(FM.format(id=name.replace(" ", "-")) + line + "\n", encoding="utf-8")
    env = {"MODLINT_RULE_TIME_BUDGET": "3", "MODLINT_FILE_TIME_BUDGET": "15"}
    run = measure("check", "--no-cache", "--jobs", "1", "--format", "json", str(tmp_path), env=env)
    doc = json.loads(run.stdout)
    assert doc["files_checked"] == len(LONG_LINES)
    lines_of = {}
    for f in doc["findings"]:
        assert f["line"] >= 1 and f["column"] >= 1
        lines_of.setdefault(Path(f["path"]).name, set()).add(f["line"])
        if f["rule"] in ("MOD011", "MOD012"):
            assert "took longer than" in f["message"] or "was stopped after" in f["message"], f["message"]
    # Every module was read (no MOD011 with 'not checked' for a line a module may have).
    assert not [f for f in doc["findings"] if f["rule"] == "MOD011"], [f["path"] for f in doc["findings"] if f["rule"] == "MOD011"]
    # Each module: parse + rules within their budgets; in all far under 10 modules x 25 s.
    assert run.seconds < 240, run.seconds
    assert run.peak_mb < 600


def test_links_on_one_line_are_placed_each_at_its_own_column():
    """Found while bounding long lines: each link is located after the one before,
    so a link repeated on a line is reported at each copy, not twice at the first."""
    from modlint.parsing import parse_text

    text = FM.format(id="x") + "See [here](a.md) and [here](b.md), ![chart](c.png) [![x](i.png)](d.md).\n"
    module, _ = parse_text(text, "m.md")
    assert module is not None
    body = text.split("\n")[7]
    assert [(link.href, link.line, link.column) for link in module.links] == [
        ("a.md", 8, body.index("[here](a") + 1),
        ("b.md", 8, body.index("[here](b") + 1),
        ("d.md", 8, body.index("[![x]") + 1),
    ]
    assert [(img.src, img.column) for img in module.images] == [("c.png", body.index("![chart]") + 1), ("i.png", body.index("![x]") + 1)]


def test_oversized_front_matter_is_refused_before_loading():
    """The YAML loader reads about 3,000 keys a second: 70,000 characters of front
    matter are refused by size at once, with the line the front matter starts on."""
    from modlint.parsing import parse_text

    text = "---\n" + "".join(f"key{i}: value {i}\n" for i in range(5_000)) + "---\n# Body\n"
    started = time.monotonic()
    module, problems = parse_text(text, "m.md")
    assert time.monotonic() - started < 2
    assert module is not None and module.front_matter is None
    assert [(p.rule_id, p.line) for p in problems] == [("MOD002", 2)]
    assert "more than the 65,536 a module's details can need" in problems[0].message
