"""Bad input gives a clear finding with a position, never a traceback; other files are still checked."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import run_cli

GOOD = "---\nid: good-{n}\ntitle: Good\nstage: 2\nformat: self-paced\nduration: 20m\n---\n# Good\n"

BOMB = "---\n" + "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
    for i in range(8)
) + "---\n# Bomb\n"

CASES: dict[str, tuple[bytes, str, int]] = {
    "empty.md": (b"", "MOD001", 1),
    "no-front-matter.md": (b"# Just text\n", "MOD001", 1),
    "latin1.md": ("---\nid: caf\u00e9\n---\n".encode("latin-1"), "MOD011", 2),
    "binary.md": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "MOD011", 1),
    "list.md": (b"---\n- a\n- b\n---\n", "MOD003", 2),
    "python-tag.md": (b"---\nid: x\ntitle: !!python/object/apply:os.system ['touch /tmp/modlint-pwned']\nstage: 2\nformat: self-paced\nduration: 5m\n---\n", "MOD002", 3),
    "bomb.md": (BOMB.encode(), "MOD002", 2),
    "unclosed.md": (b"---\nid: x\ntitle: y\n", "MOD001", 1),
    "bad-yaml.md": (b"---\nid: [x\n---\n", "MOD002", 2),
}


@pytest.fixture(scope="module")
def bad_tree(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("bad")
    for name, (data, _, _) in CASES.items():
        (root / name).write_bytes(data)
    (root / "crlf-bom.md").write_bytes(b"\xef\xbb\xbf" + GOOD.format(n=1).replace("\n", "\r\n").encode())
    (root / "good.md").write_text(GOOD.format(n=2), encoding="utf-8")
    with open(root / "huge.md", "wb") as fh:
        fh.write(GOOD.format(n=3).encode())
        fh.write((b"word " * 20 + b"\n") * (50 * 1024 * 1024 // 101))
    return root


@pytest.fixture(scope="module")
def report(bad_tree: Path) -> dict:
    result = run_cli("check", str(bad_tree), "--select", "module", "--format", "json")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_bad_file_gets_a_clear_finding(report, bad_tree, name):
    _, rule, line = CASES[name]
    found = [(f["rule"], f["line"]) for f in report["findings"] if f["path"].endswith("/" + name)]
    assert found == [(rule, line)]


def test_other_files_are_still_checked(report):
    assert report["files_checked"] == len(CASES) + 3
    for name in ("good.md", "crlf-bom.md"):
        assert not [f for f in report["findings"] if f["path"].endswith("/" + name)]


def test_huge_file_is_reported_not_read(report):
    huge = [f for f in report["findings"] if f["path"].endswith("/huge.md")]
    assert [(f["rule"], f["line"]) for f in huge] == [("MOD011", 1)]
    assert "larger than the 5.0 MB limit" in huge[0]["message"]


def test_python_tag_is_never_run():
    assert not Path("/tmp/modlint-pwned").exists()


def test_alias_bomb_message_is_plain(report):
    bomb = next(f for f in report["findings"] if f["path"].endswith("/bomb.md"))
    assert "anchors and aliases" in bomb["message"]


def test_missing_path_is_a_usage_error_not_a_pass(tmp_path: Path):
    """A typo in a CI job's path must fail the job (exit 2), not check nothing and pass."""
    (tmp_path / "m.md").write_text("# no front matter\n", encoding="utf-8")
    result = run_cli("check", str(tmp_path / "nope.md"), str(tmp_path), "--select", "module")
    assert result.returncode == 2
    assert result.stderr == f"modlint: error: {tmp_path / 'nope.md'} does not exist, so nothing was checked. Check the path.\n"
    assert result.stdout == ""
    both = run_cli("check", "nope.md", "gone/", "--select", "module", cwd=tmp_path)
    assert both.returncode == 2 and "nope.md, gone/ do not exist" in both.stderr


def test_broken_symlink_named_directly_is_an_unreadable_file(tmp_path: Path):
    (tmp_path / "dangling.md").symlink_to(tmp_path / "gone.md")
    result = run_cli("check", "dangling.md", "--select", "module", "--format", "json", cwd=tmp_path)
    assert result.returncode == 1
    assert [(f["rule"], f["line"]) for f in json.loads(result.stdout)["findings"]] == [("MOD011", 1)]


def test_symlink_loop_is_reported_and_skipped(tmp_path: Path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "loop").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "m.md").write_text(GOOD.format(n=9), encoding="utf-8")
    result = run_cli("check", str(tmp_path), "--select", "module")
    assert result.returncode == 0
    assert "a loop" in result.stderr


def test_a_file_name_that_is_not_utf8_is_checked_reported_and_baselined(tmp_path: Path):
    """Linux keeps any bytes in a name: every output and the baseline take it, with no traceback."""
    name = b"bad\xffname.md"
    try:
        with open(os.path.join(os.fsencode(tmp_path), name), "wb") as fh:
            fh.write(GOOD.format(n=1).encode())
    except OSError:
        pytest.skip("this file system does not take a name that is not UTF-8")
    (tmp_path / "good.md").write_text(GOOD.format(n=2), encoding="utf-8")
    (tmp_path / ".modlint.yaml").write_text("select: [module, access]\n", encoding="utf-8")
    outputs = {}
    for fmt in ("text", "json", "sarif", "github"):
        out = tmp_path / f"report.{fmt}"
        run = run_cli("check", ".", "--no-cache", "--format", fmt, "--output", str(out), cwd=tmp_path, input=b"")
        assert run.returncode in (0, 1) and b"Traceback" not in run.stderr, (fmt, run.stderr)
        outputs[fmt] = out.read_bytes()
    assert b"bad\xffname.md" in outputs["text"]  # the name's own bytes, as on standard output
    sarif = json.loads(outputs["sarif"].decode("utf-8", "surrogateescape"))
    assert "bad%FFname.md" in {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]}
    report = run_cli("report", ".", "--format", "html", "-o", str(tmp_path / "report.html"), cwd=tmp_path, input=b"")
    assert report.returncode == 0 and b"Traceback" not in report.stderr, report.stderr
    baseline = tmp_path / "baseline.json"
    made = run_cli("check", ".", "--no-cache", "--baseline", str(baseline), "--update-baseline", cwd=tmp_path, input=b"")
    assert made.returncode == 0 and b"Traceback" not in made.stderr, made.stderr
    assert "\\udcff" in baseline.read_text(encoding="utf-8")  # valid UTF-8: the byte kept as its escape
    again = run_cli("check", ".", "--no-cache", "--baseline", str(baseline), cwd=tmp_path, input=b"")
    assert again.returncode == 0 and b"No problems found in 2 files." in again.stdout, again.stdout
