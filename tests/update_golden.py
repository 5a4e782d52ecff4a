"""Regenerate golden files on purpose: ``python tests/update_golden.py``."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))


def main() -> None:
    from conftest import _toolkit

    golden = ROOT / "tests" / "golden"
    run = lambda *a: subprocess.run([sys.executable, "-m", "modlint", *a], cwd=ROOT, capture_output=True, text=True, env={"NO_COLOR": "1", "PATH": ""}).stdout  # noqa: E731
    (golden / "check.txt").write_text(run("check", "tests/data/core", "--select", "module"), encoding="utf-8")
    doc = json.loads(run("check", "tests/data/core", "--select", "module", "--format", "json"))
    doc["tool"]["version"] = "X"
    (golden / "check.json").write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tk = _toolkit()
    cited = {b for m in tk.catalogue for b in m.barriers}
    uncovered = sorted(b for b in tk.registry.barriers if b not in cited)
    (golden / "uncovered_barriers.txt").write_text(
        "# Barriers no rule addresses yet. Regenerate on purpose when rules change.\n" + "\n".join(uncovered) + "\n", encoding="utf-8"
    )
    print(f"golden files rewritten; {len(uncovered)} of {len(tk.registry.barriers)} barriers not yet addressed")


if __name__ == "__main__":
    main()
