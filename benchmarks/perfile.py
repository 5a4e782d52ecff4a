"""The per-file work of target 2: the parse floor and modlint's full check of one module.

``bench.py`` times both in process. Run on its own, this does one of them over a list
of files, so that ``valgrind --tool=callgrind`` can count the instructions it takes:

    python benchmarks/perfile.py none|floor|full FILE_LIST

``none`` loads and warms up everything, then stops: the difference between it and
the other two is the work on the listed files alone. Instruction counts do not drift
with the machine's load, as times on a shared machine do.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Callable


def make(first: Path) -> tuple[Callable[[Path], None], Callable[[Path], None], Any, Any]:
    """(floor, full, the linter full uses, its configuration) for modules under ``first``'s configuration."""
    from ruamel.yaml import YAML

    from modlint.config import find_config
    from modlint.engine import Linter
    from modlint.parsing import frontmatter
    from modlint.parsing.body import _md
    from modlint.parsing.module import decode
    from modlint.plugins import build_toolkit

    cfg = find_config(first.parent)
    linter = Linter(build_toolkit())
    md = _md()
    # The floor is the issue's: ruamel.yaml's round-trip loader (one instance, reused)
    # and markdown-it-py. modlint's own check reads plain front matter with ruamel's
    # C composer instead (modlint/parsing/frontmatter.py), and runs markdown-it's
    # inline pass only where it can find something (modlint/parsing/body.py): both
    # are part of what it is measured on, not part of the floor.
    round_trip = YAML(typ="rt")

    def floor(path: Path) -> None:
        text, _, _ = decode(path.read_bytes())
        if text is None:
            return
        lines = text.split("\n")
        fences = frontmatter.split(lines)
        if isinstance(fences, tuple):
            round_trip.load("\n".join(lines[fences[0] : fences[1] - 1]))
        md.parse(text)

    def full(path: Path) -> None:
        linter.check_bytes(path.read_bytes(), str(path), cfg)

    return floor, full, linter, cfg


def main() -> None:
    mode, listing = sys.argv[1], Path(sys.argv[2])
    files = [Path(line) for line in listing.read_text(encoding="utf-8").splitlines() if line]
    floor, full, _, _ = make(files[0])
    for path in files[:5]:  # lazy set-up (patterns, caches) belongs to the baseline
        floor(path)
        full(path)
    if mode == "floor":
        for path in files:
            floor(path)
    elif mode == "full":
        for path in files:
            full(path)


if __name__ == "__main__":
    main()
