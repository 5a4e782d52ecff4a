"""Decode a file and build its :class:`Module`."""
from __future__ import annotations

import math
import os

from modlint.model import Module
from modlint.parsing import frontmatter
from modlint.parsing.body import parse_body
from modlint.parsing.budget import TimeLimitExceeded, time_limit
from modlint.parsing.problems import ParseProblem

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
# Seconds reading one module may take (MODLINT_PARSE_TIME_BUDGET; 0 for no limit).
# The Markdown parser is superlinear on some inputs (thousands of unclosed '![').
DEFAULT_PARSE_TIME_BUDGET = 10.0


def parse_time_budget() -> float:
    raw = os.environ.get("MODLINT_PARSE_TIME_BUDGET", "")
    try:
        value = float(raw) if raw.strip() else DEFAULT_PARSE_TIME_BUDGET
    except ValueError:
        return DEFAULT_PARSE_TIME_BUDGET
    return value if math.isfinite(value) and value > 0 else 0.0


def decode(data: bytes) -> tuple[str | None, bool, ParseProblem | None]:
    """Return (text, had_bom, problem). ``text`` is None when the bytes are not a text module."""
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, False, ParseProblem("MOD011", "This file looks binary (it contains NUL bytes), so it is not a module. Remove it or exclude it in the configuration.", 1, 1)
    bom = data.startswith(b"\xef\xbb\xbf")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), True, None
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig"), bom, None
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        return None, bom, ParseProblem(
            "MOD011",
            f"This file is not UTF-8 text: byte 0x{data[exc.start]:02x} at line {line}, column {col} cannot be read. "
            "Save the file as UTF-8 in your editor.",
            line,
            col,
        )


def parse_text(text: str, path: str, bom: bool = False, time_budget: float | None = None) -> tuple[Module | None, list[ParseProblem]]:
    """Parse decoded text; every problem comes back as a :class:`ParseProblem`.

    The module is None (with one MOD011 problem) when reading it takes longer than
    ``time_budget`` seconds (default :func:`parse_time_budget`)."""
    budget = parse_time_budget() if time_budget is None else time_budget
    try:
        with time_limit(budget):
            return _parse_text(text, path, bom)
    except (TimeLimitExceeded, RecursionError) as exc:
        why = f"took longer than {budget:g} s to read" if isinstance(exc, TimeLimitExceeded) else "nests too deeply to read"
        return None, [
            ParseProblem(
                "MOD011",
                f"This module {why} (its Markdown is unusually complex, for example thousands of unclosed "
                "'[' or '![' or deeply nested lists and quotes), so it was not checked. Simplify the module or split it.",
                1,
                1,
            )
        ]


def _parse_text(text: str, path: str, bom: bool) -> tuple[Module, list[ParseProblem]]:
    newline = "\r\n" if "\r\n" in text else ("\r" if "\r" in text else "\n")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.startswith("\ufeff"):
        text = text[1:]
        bom = True
    lines = text.split("\n")
    problems: list[ParseProblem] = []
    module = Module(path=path, text=text, lines=lines, front_matter=None, fm_positions={}, fm_start=0, fm_end=0, body_line=1, newline=newline, bom=bom)
    fences = frontmatter.split(lines)
    if fences is None:
        problems.append(
            ParseProblem(
                "MOD001",
                "This module has no front matter. Start the file with a '---' line, the module's details "
                "(id, title, stage, format, duration), and another '---' line.",
                1,
                1,
            )
        )
    elif fences == "unclosed":
        problems.append(ParseProblem("MOD001", "The front matter opened with '---' on line 1 is never closed. Add a '---' line after the last front matter key.", 1, 1))
    else:
        start, end = fences
        module.fm_start, module.fm_end, module.body_line = start, end, end + 1
        data, positions, fm_problems = frontmatter.load("\n".join(lines[start : end - 1]), start + 1)
        problems.extend(fm_problems)
        module.fm_positions = positions
        if data is None and not fm_problems:
            data = {}
        if data is not None and not isinstance(data, dict):
            kind = "a list" if isinstance(data, list) else "a single value"
            problems.append(ParseProblem("MOD003", f"The front matter is {kind}, not a set of 'key: value' lines. Write each detail as 'key: value'.", start + 1, 1))
            data = None
        module.front_matter = data
    parse_body(module, problems)
    return module, problems


def parse_module(data: bytes, path: str, time_budget: float | None = None) -> tuple[Module | None, list[ParseProblem]]:
    text, bom, problem = decode(data)
    if text is None:
        return None, [problem] if problem else []
    return parse_text(text, path, bom, time_budget)
