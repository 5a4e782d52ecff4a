"""A one-file check (the pre-commit and editor-save case) keeps heavy imports off its start-up."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Each is needed only off the common path: schema validation of unusual front matter,
# did-you-mean suggestions and fixes, or the language server.
KEPT_OFF = ("jsonschema", "difflib", "pkgutil", "pygls")


def test_checking_one_clean_module_imports_none_of_the_heavy_modules() -> None:
    module = sorted((ROOT / "examples" / "modules" / "pass").glob("*.md"))[0]
    code = (
        "import sys, json, io, contextlib\n"
        "from modlint.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    status = main(['check', '--no-cache', {str(module)!r}])\n"
        f"print(json.dumps([status, sorted(m for m in sys.modules if m.split('.')[0] in {KEPT_OFF!r})]))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert run.returncode == 0, run.stderr
    status, imported = json.loads(run.stdout.strip().splitlines()[-1])
    assert status == 0, f"{module.name} should pass"
    assert imported == []
