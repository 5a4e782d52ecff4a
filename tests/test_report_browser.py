"""The HTML gap report in a real browser: headless Chromium renders the report of
``examples/``; the matrix cells are read back from the browser's DOM and compared
with counts made independently from ``modlint check --format json``; a screenshot
is saved; axe-core, run inside the page, must find no serious or critical
accessibility violation.

Needs Debian's ``chromium`` and ``npm ci --prefix tests/browser`` (axe-core); the
tests skip, saying which is missing, without them. The screenshot goes to the
test's temporary folder, or to docs/images/report.png with
``MODLINT_UPDATE_SCREENSHOT=1``.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import ROOT, run_cli

AXE = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOT = ROOT / "docs" / "images" / "report.png"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
    "--mute-audio",
]
SYMBOLS = {"blocked": "✗", "warning": "!", "clear": "✓", "not-targeted": "–"}


def _chromium() -> str | None:
    for name in (os.environ.get("MODLINT_CHROMIUM"), "chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


CHROMIUM = _chromium()
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium: install Debian's 'chromium' package (apt-get install -y chromium) or set MODLINT_CHROMIUM")
needs_axe = pytest.mark.skipif(not AXE.is_file(), reason="no axe-core: run 'npm ci --prefix tests/browser'")


def _text(value) -> str:
    return value.decode() if isinstance(value, bytes) else value


def chromium(tmp: Path, *args: str, timeout: float = 180) -> str:
    profile = tmp / f"profile-{len(list(tmp.glob('profile-*')))}"
    profile.mkdir()
    proc = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args], capture_output=True, timeout=timeout)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")[-3000:]
    return proc.stdout.decode("utf-8", errors="replace")


class Cells(HTMLParser):
    """The matrix cells of a DOM: (module, persona) -> attributes and visible text."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: dict[tuple[str, str], dict[str, str]] = {}
        self.ids: set[str] = set()
        self._cell: tuple[str, str] | None = None
        self._hidden = 0
        self._depth = 0

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "td" and "data-module" in a:
            self._cell = (a["data-module"], a.get("data-persona", ""))
            self.cells[self._cell] = {**a, "text": "", "visible": "", "href": ""}
            return
        if self._cell is None:
            return
        if tag == "a":
            self.cells[self._cell]["href"] = a.get("href", "")
        if tag == "span":
            self._depth += 1
            if a.get("aria-hidden") == "true":
                self._hidden = self._depth

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if tag == "td":
            self._cell = None
        elif tag == "span" and self._cell is not None:
            if self._hidden == self._depth:
                self._hidden = 0
            self._depth -= 1

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        if self._cell is not None:
            self.cells[self._cell]["visible"] += data
            if not self._hidden:
                self.cells[self._cell]["text"] += data


def _words(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def expected_cells() -> tuple[dict[tuple[str, str], dict[str, object]], list[str]]:
    """Each cell's counts and words, from the findings of ``modlint check`` and the
    targets of ``modlint report --format json``."""
    report = run_cli("report", "examples", "--format", "json")
    assert report.returncode == 0, _text(report.stderr)
    doc = json.loads(_text(report.stdout))
    check = run_cli("check", "examples", "--format", "json")
    assert check.returncode in (0, 1), _text(check.stderr)
    findings = [f for f in json.loads(_text(check.stdout))["findings"] if "suppressed" not in f]
    errors: Counter[tuple[str, str]] = Counter()
    warnings: Counter[tuple[str, str]] = Counter()
    whole: dict[str, Counter[str]] = {}
    for f in findings:
        if not f["personas"]:
            whole.setdefault(f["path"], Counter())[f["severity"]] += 1
        for p in f["personas"]:
            if f["severity"] == "error":
                errors[(f["path"], p["id"])] += 1
            elif f["severity"] == "warning":
                warnings[(f["path"], p["id"])] += 1
    personas = [p["id"] for p in doc["personas"]]
    out: dict[tuple[str, str], dict[str, object]] = {}
    for m in doc["modules"]:
        for pid in personas:
            e, w = errors[(m["path"], pid)], warnings[(m["path"], pid)]
            if pid not in m["targets"]:
                status, words = "not-targeted", "not targeted"
            else:
                status = "blocked" if e else "warning" if w else "clear"
                words = ", ".join(x for x in (e and _words(e, "error"), w and _words(w, "warning")) if x) or "no findings"
            out[(m["path"], pid)] = {"status": status, "errors": e, "warnings": w, "text": words}
        counts = whole.get(m["path"], Counter())
        e, w = counts["error"], counts["warning"]
        out[(m["path"], "")] = {"errors": e, "warnings": w, "text": ", ".join(x for x in (e and _words(e, "error"), w and _words(w, "warning")) if x) or "none"}
    return out, [m["path"] for m in doc["modules"]]


_EXPECTED: dict[str, object] = {}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("report")
    page = tmp / "report.html"
    # the expected cells are made next to the page, so both see the same examples/
    _EXPECTED["cells"] = expected_cells()
    proc = run_cli("report", "examples", "--format", "html", "-o", str(page))
    assert proc.returncode == 0, _text(proc.stderr)
    return page


@needs_chromium
def test_matrix_cells_in_the_dom(rendered: Path, tmp_path: Path):
    dom = chromium(tmp_path, "--dump-dom", rendered.as_uri())
    parser = Cells()
    parser.feed(dom)
    expected, modules = _EXPECTED["cells"]  # type: ignore[misc]
    assert modules, "examples/ has no modules"
    assert set(parser.cells) == set(expected)
    for key, want in expected.items():
        got = parser.cells[key]
        where = f"cell {key}"
        assert " ".join(got["text"].split()) == want["text"], where
        assert int(got["data-errors"]) == want["errors"] and int(got["data-warnings"]) == want["warnings"], where
        if key[1]:
            assert got["data-status"] == want["status"], where
            assert f"st-{want['status']}" in got["class"].split(), where
            # colour is never the only signal: a symbol and words
            assert got["visible"].strip().startswith(SYMBOLS[want["status"]]), where
        if want["errors"] or want["warnings"]:
            assert got["href"].startswith("#") and got["href"][1:] in parser.ids, f"{where}: its link leads nowhere"
        else:
            assert not got["href"], where


@needs_chromium
def test_screenshot(rendered: Path, tmp_path: Path):
    target = SCREENSHOT if os.environ.get("MODLINT_UPDATE_SCREENSHOT") == "1" else tmp_path / "report.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    chromium(tmp_path, "--window-size=1440,1500", f"--screenshot={target}", rendered.as_uri())
    data = target.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
    narrow = tmp_path / "phone.png"
    chromium(tmp_path, "--window-size=390,844", f"--screenshot={narrow}", rendered.as_uri())
    assert narrow.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


AXE_RUNNER = """
<script>
axe.run(document, {resultTypes: ["violations"]}).then(function (r) {
  var out = document.createElement("pre");
  out.id = "axe-results";
  out.textContent = JSON.stringify(r.violations.map(function (v) {
    return {id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map(function (n) { return n.target.join(" "); })};
  }));
  document.body.appendChild(out);
}, function (e) {
  var out = document.createElement("pre");
  out.id = "axe-results";
  out.textContent = JSON.stringify({error: String(e)});
  document.body.appendChild(out);
});
</script>
"""


@needs_chromium
@needs_axe
@pytest.mark.parametrize("width", [1280, 390])
def test_axe_finds_no_serious_violation(rendered: Path, tmp_path: Path, width: int):
    page = rendered.read_text(encoding="utf-8")
    script = AXE.read_text(encoding="utf-8").replace("</script", "<\\/script")
    probe = tmp_path / "axe.html"
    probe.write_text(page.replace("</body>", f"<script>{script}</script>{AXE_RUNNER}</body>"), encoding="utf-8")
    dom = chromium(tmp_path, f"--window-size={width},900", "--virtual-time-budget=60000", "--run-all-compositor-stages-before-draw", "--dump-dom", probe.as_uri())
    start = dom.find('<pre id="axe-results">')
    assert start >= 0, "axe-core did not report (did it load?)"
    raw = dom[start + len('<pre id="axe-results">') : dom.index("</pre>", start)]
    import html

    result = json.loads(html.unescape(raw))
    assert not (isinstance(result, dict) and "error" in result), result
    serious = [v for v in result if v["impact"] in ("serious", "critical")]
    assert serious == [], json.dumps(serious, indent=2)
    minor = [v["id"] for v in result]
    assert minor == [], f"axe-core found lesser violations: {minor}"
