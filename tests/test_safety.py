"""Safety: modlint reads untrusted modules and configuration without running them,
never touches the network, loads only the plugins that are installed, and never
writes outside the paths it is given. Unreadable files and folders, and symbolic
link loops, are reported and skipped. A misbehaving plugin rule is isolated.

Related tests kept where they were written first: a ``!!python`` tag in front
matter and an alias bomb (test_bad_input.py), a symlink loop (test_bad_input.py),
a plugin that cannot be imported, a rule that raises and one that returns a
string (test_plugins.py).
"""
from __future__ import annotations

import ctypes
import json
import os
import shutil
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT, _toolkit, run_cli
from test_plugins import _fake_dist

GOOD = "---\nid: {id}\ntitle: Good\nstage: 2\nformat: self-paced\nduration: 20m\n---\n# Good\n\nRead this.\n"
FIXABLE = '---\nid: {id}\ntitle: Fixable\nstage: "2"\nformat: Self paced\nduration: 20m\n---\n# Fixable\n'
FIXED = "---\nid: {id}\ntitle: Fixable\nstage: 2\nformat: self-paced\nduration: 20m\n---\n# Fixable\n"


# -- front matter and configuration are data ----------------------------------------------

TAGS = {
    "python-apply": "!!python/object/apply:os.system ['echo pwned']",
    "python-new": "!!python/object/new:subprocess.Popen [['true']]",
    "python-name": "!!python/name:os.system",
    "python-module": "!!python/module:os",
    "custom-scalar": "!Secret value",
    "custom-map": "!Thing {a: 1}",
    "custom-seq": "!Things [1, 2]",
}


@pytest.mark.parametrize("name", sorted(TAGS))
def test_front_matter_tags_are_never_constructed(name):
    """Every tagged value comes back as plain data (str, list, dict...) with a MOD002
    finding on its line; nothing is imported, called or built."""
    from modlint.parsing import parse_text

    module, problems = parse_text(f"---\nid: x\ntitle: {TAGS[name]}\n---\n# Body\n", "m.md")
    assert module is not None
    value = module.front_matter["title"]

    def plain(v) -> bool:
        if isinstance(v, dict):
            return all(type(k) is str and plain(x) for k, x in v.items())
        if isinstance(v, list):
            return all(plain(x) for x in v)
        return v is None or type(v) in (str, int, float, bool)

    assert plain(value), type(value)
    tagged = [p for p in problems if p.rule_id == "MOD002"]
    assert tagged and tagged[0].line == 3, problems
    assert "never runs or builds" in tagged[0].message


def test_config_never_executes_code(tmp_path: Path):
    """A configuration file with a Python tag, and a folder of extra rules holding a
    Python file, run nothing: the tag is an error in plain words, the .py is ignored."""
    marker = tmp_path / "pwned"
    project = tmp_path / "project"
    project.mkdir()
    (project / "m.md").write_text(GOOD.format(id="m"), encoding="utf-8")
    (project / ".modlint.yaml").write_text(f"select: !!python/object/apply:os.system ['touch {marker}']\n", encoding="utf-8")
    result = run_cli("check", "--no-cache", str(project / "m.md"))
    assert "Traceback" not in result.stderr
    assert result.returncode == 2 and "modlint: error:" in result.stderr, result.stderr
    assert not marker.exists()

    rules = project / "lint-rules"
    rules.mkdir()
    (rules / "evil.py").write_text(f"open({str(marker)!r}, 'w').write('ran')\n", encoding="utf-8")
    (project / ".modlint.yaml").write_text("extra-rules: [lint-rules/]\n", encoding="utf-8")
    (project / "pyproject.toml").write_text(f'[tool.modlint]\nselect = ["ALL"]\n# import os; os.system("touch {marker}")\n', encoding="utf-8")
    result = run_cli("check", "--no-cache", str(project / "m.md"))
    assert "Traceback" not in result.stderr
    assert not marker.exists()


def test_only_installed_plugins_are_loaded(tmp_path: Path):
    """A plugin comes in only through an installed distribution's ``modlint`` entry
    point: a Python file lying beside the modules, in the working folder, or
    installed under another entry point group is never imported."""
    marker = tmp_path / "imported"
    code = f"open({str(marker)!r}, 'a').write(__name__ + '\\n')\n"
    work = tmp_path / "work"
    work.mkdir()
    (work / "m.md").write_text(GOOD.format(id="m"), encoding="utf-8")
    for name in ("modlint_plugin.py", "modlint_evil.py", "conftest.py", "plugin.py"):
        (work / name).write_text(code, encoding="utf-8")
    site = tmp_path / "site"
    site.mkdir()
    _fake_dist(site, "other_group", code, "other_group")
    entry = site / "other_group-1.0.dist-info" / "entry_points.txt"
    entry.write_text("[not-modlint]\nother_group = other_group\n", encoding="utf-8")
    result = run_cli("check", "--no-cache", "m.md", cwd=work, env={"PYTHONPATH": str(site)})
    assert "Traceback" not in result.stderr
    assert result.returncode == 0, result.stdout + result.stderr
    assert not marker.exists(), marker.read_text()

    # The same module, now under the modlint group, is loaded: the test can tell.
    entry.write_text("[modlint]\nother_group = other_group\n", encoding="utf-8")
    run_cli("check", "--no-cache", "m.md", cwd=work, env={"PYTHONPATH": str(site)})
    assert marker.read_text() == "other_group\n"


# -- no network ----------------------------------------------------------------------------

NO_NETWORK = textwrap.dedent(
    """
    import runpy, socket, sys

    LOG = sys.argv.pop(1)

    def deny(what):
        with open(LOG, "a") as fh:
            fh.write(what + "\\n")
        raise OSError("network access is blocked in this test")

    def audit(event, args):
        # Every way into the network passes one of these, from Python or C code.
        if event in ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "socket.sendto", "socket.sendmsg", "urllib.Request", "http.client.connect"):
            deny(event + " " + repr(args)[:200])

    sys.addaudithook(audit)
    socket.socket.connect = lambda self, *a: deny("connect")
    socket.create_connection = lambda *a, **k: deny("create_connection")
    sys.argv = ["modlint"] + sys.argv[1:]
    runpy.run_module("modlint", run_name="__main__", alter_sys=True)
    """
)


def test_no_network_access_in_check_report_or_fix(tmp_path: Path):
    """check (every output format, with the process pool), report and --fix, run
    with the network blocked and every attempt logged: the log stays empty."""
    wrapper = tmp_path / "no_network.py"
    wrapper.write_text(NO_NETWORK, encoding="utf-8")
    log = tmp_path / "network.log"
    tree = tmp_path / "modules"
    shutil.copytree(EXAMPLES, tree)
    runs = [
        ["check", "--no-cache", "--jobs", "2", "--format", "sarif", str(tree)],
        ["check", "--no-cache", "--format", "json", "--repo-context", str(tree)],
        ["check", "--no-cache", "--format", "junit", str(tree)],
        ["report", str(tree), "--format", "html", "-o", str(tmp_path / "report.html")],
        ["check", "--no-cache", "--fix", "--unsafe-fixes", str(tree)],
        ["explain", "TIME005"],
    ]
    import subprocess

    for args in runs:
        done = subprocess.run([sys.executable, str(wrapper), str(log), *args], cwd=tmp_path, capture_output=True, text=True, timeout=300)
        assert "Traceback" not in done.stderr, done.stderr[-3000:]
        assert done.returncode in (0, 1), (args, done.stderr[-2000:])
    assert (tmp_path / "report.html").stat().st_size > 0
    assert not log.exists(), log.read_text()


def test_the_network_guard_would_notice(tmp_path: Path):
    """The guard above is live: a connection attempt under it is logged."""
    import subprocess

    wrapper = tmp_path / "no_network.py"
    wrapper.write_text(NO_NETWORK.replace('runpy.run_module("modlint", run_name="__main__", alter_sys=True)', 'socket.getaddrinfo("example.org", 80)'), encoding="utf-8")
    log = tmp_path / "network.log"
    subprocess.run([sys.executable, str(wrapper), str(log)], capture_output=True, timeout=60)
    assert "socket.getaddrinfo" in log.read_text()


# -- unreadable files and folders ------------------------------------------------------------

def _without_root_powers() -> None:
    """Run the child as a user for whom mode 000 means unreadable: the superuser
    loses the capabilities that let it read and search anything (prctl
    PR_CAPBSET_DROP of CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH)."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (1, 2):
        if libc.prctl(24, cap, 0, 0, 0) != 0:
            os._exit(97)


def _run_unprivileged(*args: str, cwd: Path) -> "subprocess.CompletedProcess[str]":
    import subprocess

    env = {k: v for k, v in os.environ.items() if k != "FORCE_COLOR"}
    env["NO_COLOR"] = "1"
    done = subprocess.run([sys.executable, "-m", "modlint", *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=300, preexec_fn=_without_root_powers)
    if done.returncode == 97:
        pytest.skip("cannot drop the superuser's file capabilities here")
    return done


def test_unreadable_files_and_folders_are_reported_and_skipped(tmp_path: Path):
    tree = tmp_path / "tree"
    (tree / "locked").mkdir(parents=True)
    (tree / "locked" / "inside.md").write_text(GOOD.format(id="inside"), encoding="utf-8")
    (tree / "secret.md").write_text(GOOD.format(id="secret"), encoding="utf-8")
    (tree / "good.md").write_text(GOOD.format(id="good"), encoding="utf-8")
    (tree / "broken.md").symlink_to(tree / "missing.md")
    (tree / "loop").symlink_to(tree, target_is_directory=True)
    os.mkfifo(tree / "pipe.md")  # reading a pipe would block forever
    os.chmod(tree / "secret.md", 0)
    os.chmod(tree / "locked", 0)
    try:
        result = _run_unprivileged("check", "--no-cache", "--format", "json", "--select", "module", str(tree), cwd=tmp_path)
        fixed = _run_unprivileged("check", "--no-cache", "--fix", "--select", "module", str(tree), cwd=tmp_path)
    finally:
        os.chmod(tree / "locked", 0o755)
        os.chmod(tree / "secret.md", 0o644)
    assert "Traceback" not in result.stderr + fixed.stderr, result.stderr + fixed.stderr
    doc = json.loads(result.stdout)
    by_file = {Path(f["path"]).name: f for f in doc["findings"]}
    assert by_file["secret.md"]["rule"] == "MOD011" and "cannot be read (Permission denied)" in by_file["secret.md"]["message"]
    assert by_file["broken.md"]["rule"] == "MOD011" and "cannot be read" in by_file["broken.md"]["message"]
    assert "good.md" not in by_file  # and the readable file was still checked
    assert doc["files_checked"] == 3
    assert f"skipped {tree / 'locked'}: cannot be read (Permission denied)" in result.stderr
    assert "a loop" in result.stderr
    assert f"skipped {tree / 'pipe.md'}: is not a regular file" in result.stderr
    assert f"{tree / 'secret.md'}: not fixed, the file cannot be read" in fixed.stderr


def test_read_only_folder_is_reported_when_fixing(tmp_path: Path):
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "m.md"
    path.write_text(FIXABLE.format(id="m"), encoding="utf-8")
    os.chmod(folder, 0o555)
    try:
        result = _run_unprivileged("check", "--no-cache", "--fix", "--select", "MOD004", str(path), cwd=tmp_path)
    finally:
        os.chmod(folder, 0o755)
    assert "Traceback" not in result.stderr
    assert f"{path}: not fixed, it cannot be written (Permission denied)" in result.stderr
    assert "applied 0 fixes" in result.stderr
    assert path.read_text(encoding="utf-8") == FIXABLE.format(id="m")
    assert result.returncode == 1


# -- never write outside the paths given ----------------------------------------------------

def test_fix_never_writes_outside_the_paths_given(tmp_path: Path):
    outside = tmp_path / "outside"
    outside.mkdir()
    victim = outside / "victim.md"
    victim.write_text(FIXABLE.format(id="victim"), encoding="utf-8")
    (outside / "deep").mkdir()
    (outside / "deep" / "deeper.md").write_text(FIXABLE.format(id="deeper"), encoding="utf-8")
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "own.md").write_text(FIXABLE.format(id="own"), encoding="utf-8")
    (tree / "link.md").symlink_to(victim)
    (tree / "folder-link").symlink_to(outside / "deep", target_is_directory=True)
    (tree / "inner.md").symlink_to(tree / "own.md")  # inside: a link to a file in the tree is fine
    before = {p: p.read_bytes() for p in outside.rglob("*.md")}

    walked = run_cli("check", "--no-cache", "--fix", "--select", "MOD004", str(tree))
    named = run_cli("check", "--no-cache", "--fix", "--select", "MOD004", str(tree / "link.md"))
    assert "Traceback" not in walked.stderr + named.stderr
    assert {p: p.read_bytes() for p in outside.rglob("*.md")} == before
    assert (tree / "own.md").read_text(encoding="utf-8") == FIXED.format(id="own")
    assert (tree / "link.md").is_symlink() and (tree / "inner.md").is_symlink()
    assert f"skipped {tree / 'link.md'}: is a symbolic link to {victim}, outside {tree}" in walked.stderr
    assert f"skipped {tree / 'folder-link'}: is a symbolic link to {outside / 'deep'}" in walked.stderr
    assert f"{tree / 'link.md'}: not fixed, it leads outside the paths being checked" in named.stderr
    # Two names for one file inside the tree: fixed once, and said so.
    assert f"{tree / 'own.md'}: fixed through {tree / 'inner.md'}, the same file" in walked.stderr
    assert "applied 2 fixes in 1 file." in walked.stderr
    assert not list(tmp_path.rglob("*.modlint-tmp"))


def test_within_roots():
    from modlint.fileio import within_roots

    assert within_roots(ROOT / "README.md", [ROOT])
    assert within_roots(ROOT / "docs" / "fixes.md", [ROOT / "docs" / "ci.md"])  # a file allows its folder
    assert not within_roots(ROOT / "README.md", [ROOT / "docs"])
    assert not within_roots(Path("/etc/passwd"), [ROOT])
    assert not within_roots(ROOT.parent / (ROOT.name + "-other") / "x.md", [ROOT])  # a prefix is not a parent


# -- a misbehaving plugin rule is isolated -----------------------------------------------------

def _linter_with(rule_id: str, check, plugin: str = "misbehaving", **budgets):
    from dataclasses import replace

    from modlint.engine import Linter
    from modlint.rule import Rule

    tk = _toolkit()
    rules = dict(tk.rules)
    rules[rule_id] = Rule(rule_id, check=check, plugin=plugin)
    return Linter(replace(tk, rules=rules), **budgets)


def _lint(linter, text: str):
    from modlint.config import Config

    return linter.check_text(text, "m.md", Config(root=ROOT)).findings


MODULE = EXAMPLES / "access" / "links-headings-fail.md"


def _loop_forever(module, ctx):
    while True:
        pass


def _swallow_and_loop(module, ctx):
    # A rule that catches everything, even the time limit, the first few times.
    for _ in range(3):
        try:
            while True:
                pass
        except BaseException:
            pass
    while True:
        pass


def _raise(module, ctx):
    raise KeyError("no such key")


def _exit(module, ctx):
    raise SystemExit(3)


def _huge_message(module, ctx):
    raise ValueError("x\n" * 1_000_000)


def _bad_str(module, ctx):
    class Nasty(Exception):
        def __str__(self):
            raise RuntimeError("even the message fails")

    raise Nasty()


def _returns(value):
    def check(module, ctx):
        return value(ctx) if callable(value) else value

    return check


def _bad_position(ctx):
    f = ctx.report("fine", 1, 1)
    f.line = 0  # ctx.report clamps; a plugin can still build a finding by hand
    return [f]


def _bad_column(ctx):
    f = ctx.report("fine", 1, 1)
    f.column = "3"
    return [f]


def _bad_fix(ctx):
    from modlint.findings import Edit, Fix

    f = ctx.report("fine", 1, 1)
    f.fix = Fix("break it", (Edit("0", 5, "x"),))
    return [f]


def _empty_message(ctx):
    return [ctx.report("   ", 1, 1)]


CASES = {
    "raises": (_raise, "failed on this file (KeyError: 'no such key')"),
    "exits": (_exit, "failed on this file (SystemExit: 3)"),
    "huge message": (_huge_message, "failed on this file (ValueError: x x x"),
    "unprintable exception": (_bad_str, "failed on this file (Nasty)"),
    "loops": (_loop_forever, "took longer than 0.5 s on this file and was stopped"),
    "swallows the limit": (_swallow_and_loop, "took longer than 0.5 s on this file and was stopped"),
    "returns a string": (_returns("oops"), "returned str, not a finding"),
    "returns an int": (_returns(42), "failed on this file (TypeError"),
    "returns None in a list": (_returns([None]), "returned NoneType, not a finding"),
    "line 0": (_returns(_bad_position), "returned a finding at an invalid position (line 0, column 1)"),
    "column is text": (_returns(_bad_column), "returned a finding at an invalid position (line 1, column '3')"),
    "malformed fix": (_returns(_bad_fix), "returned a finding with a malformed fix"),
    "empty message": (_returns(_empty_message), "returned a finding with no message"),
}


# pytest-timeout's default method arms the same alarm timer the budgets use, and a
# budget never replaces someone else's timer: these tests need the thread method.
@pytest.mark.timeout(300, method="thread")
@pytest.mark.parametrize("case", sorted(CASES))
def test_a_misbehaving_rule_becomes_one_internal_error(case):
    """One MOD012 finding names the plugin and the rule, on one short line; every
    other rule's findings are exactly what they are without the bad rule."""
    check, expected = CASES[case]
    text = MODULE.read_text(encoding="utf-8")
    good = _linter_with("ACCESS001", _returns([]), plugin="quiet", rule_time_budget=0.5)
    bad = _linter_with("ACCESS001", check, rule_time_budget=0.5)
    started = time.monotonic()
    findings = _lint(bad, text)
    assert time.monotonic() - started < 20
    internal = [f for f in findings if f.rule_id == "MOD012"]
    assert len(internal) == 1, [f.message for f in internal]
    message = internal[0].message
    assert message.startswith("Rule ACCESS001 from plugin 'misbehaving' "), message
    assert expected in message, message
    assert "\n" not in message and len(message) < 600
    others = [(f.rule_id, f.line, f.column, f.message) for f in findings if f.rule_id != "MOD012"]
    assert others == [(f.rule_id, f.line, f.column, f.message) for f in _lint(good, text)]
    assert others, "the module should have findings from other rules"


@pytest.mark.timeout(300, method="thread")
def test_the_file_budget_stops_the_rules_left():
    """Rules that are each within their own budget but together take too long: the
    rest are skipped and named in one finding, the ones that ran still report."""
    from modlint.engine import Linter

    def slow(module, ctx):
        time.sleep(0.3)
        return []

    linter = _linter_with("ACCESS001", slow, rule_time_budget=5, file_time_budget=0.2)
    findings = _lint(linter, MODULE.read_text(encoding="utf-8"))
    internal = [f.message for f in findings if f.rule_id == "MOD012"]
    assert any("Rule ACCESS001 from plugin 'misbehaving' was stopped after" in m for m in internal), internal
    assert any(m.startswith("Checking this module took longer than 0.2 s, so ") and "rules were not run (ACCESS002" in m for m in internal), internal
    assert isinstance(linter, Linter)


def test_a_looping_plugin_from_an_installed_package(tmp_path: Path):
    """End to end: an installed plugin whose rule never returns is stopped, reported
    by name, and the built-in rules' findings still appear."""
    site = tmp_path / "site"
    site.mkdir()
    _fake_dist(
        site,
        "looping_rule",
        """
        from modlint.hookspecs import hookimpl
        from modlint.rule import rule

        @rule("LOOP001")
        def spin(module, ctx):
            while True:
                pass

        META = {"id": "LOOP001", "alias": "spin", "family": "custom", "severity": "error", "summary": "s", "rationale": "r",
                "barriers": [], "standards": [], "examples": {"fail": "f", "pass": "p"}}

        @hookimpl
        def modlint_rule_metadata():
            return [META]

        @hookimpl
        def modlint_rules():
            return [spin]
        """,
        "looping_rule",
    )
    module = tmp_path / "m.md"
    module.write_text(GOOD.format(id="m").replace("duration: 20m\n", "duration: 20m\nresumeable: true\n"), encoding="utf-8")
    result = run_cli("check", "--no-cache", str(module), "--select", "MOD005,MOD012,LOOP001", env={"PYTHONPATH": str(site), "MODLINT_RULE_TIME_BUDGET": "1"})
    assert "Traceback" not in result.stdout + result.stderr
    assert "MOD012 [error] Rule LOOP001 from plugin 'looping_rule' took longer than 1 s on this file and was stopped." in result.stdout
    assert "MOD005" in result.stdout
    assert result.returncode == 1
