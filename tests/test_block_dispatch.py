"""Block rules tried by a line's first character give markdown-it's own tokens.

modlint's block parser skips the rules a line cannot start (modlint/parsing/block_dispatch.py).
These tests hold it to the same parser without the shortcut, token for token, on the
bundled modules and on generated Markdown dense in what starts a block: fences, quotes,
lists, tables, headings, rules, HTML, references, '::: divs' and indented code, nested.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it.rules_block.state_block import StateBlock

from conftest import BUNDLED_MARKDOWN
from modlint.parsing.block_dispatch import _dispatcher
from modlint.parsing.body import _block_md, _configured

_SOURCES = BUNDLED_MARKDOWN

_INDENTS = st.sampled_from(["", "", "", " ", "  ", "   ", "    ", "     ", "\t", " \t"])
_CONTAINERS = st.lists(st.sampled_from(["> ", ">", "- ", "* ", "1. ", "2) ", "   ", "  "]), max_size=3)
_STARTS = st.sampled_from([
    "Plain words", "a", "9 items", "10. ten", "1. one", "1) one", "3. three", "- item", "+ item", "* item", "-", "*",
    "```", "```python", "~~~", "````", "``` a`b", "# Heading", "## Two", "#no space", "###### Six", "#",
    "***", "---", "___", "- - -", "* * *", "-- x", "===", "= a", "> quote", ">", "<div>", "</div>", "<!-- note -->",
    "<!--", "<pre>", "<p>a</p>", "<x y='z'>", "[ref]: /url", "[ref]: /url 'title'", "[a]", "[", "::: note",
    "::: discussion time=5m", ":::", "::::", ":: x", "| a | b |", "|---|---|", "| --- | :-: |", ":--|--:", "|-",
    "a | b", "--- | ---", "|", "\\# not", "&amp;", "", "",
    # Tables whole, as their header and delimiter rows rarely meet by chance.
    "a | b\n:--|--:", "| a | b |\n| --- | --- |\n| c | d |", "x | y\n-- | --", "a|b\n|:-:|:-:|",
])
_LINE = st.tuples(_CONTAINERS, _INDENTS, _STARTS).map(lambda t: "".join(t[0]) + t[1] + t[2])


@lru_cache(maxsize=1)
def _stock() -> Any:
    return _configured().disable(["inline", "text_join"])


def _tokens(md: Any, text: str) -> list[dict[str, Any]]:
    return [tok.as_dict() for tok in md.parse(text, {})]


def test_the_dispatching_parser_matches_markdown_it_on_every_bundled_module():
    stock, fast = _stock(), _block_md()
    for path in _SOURCES:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert _tokens(fast, text) == _tokens(stock, text), path


@settings(max_examples=1500, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(_LINE, max_size=14))
def test_the_dispatching_parser_matches_markdown_it_on_generated_blocks(lines: list[str]):
    text = "\n".join(lines)
    assert _tokens(_block_md(), text) == _tokens(_stock(), text)


def _spy(calls: list[str], name: str, result: bool = False) -> Any:
    def rule(state: StateBlock, line: int, end: int, silent: bool) -> bool:
        calls.append(name)
        return result

    return rule


def _state(text: str) -> StateBlock:
    return StateBlock(text, _configured(), {}, [])


def test_a_rule_is_tried_only_on_a_line_that_starts_as_it_needs():
    calls: list[str] = []
    rule = _dispatcher([("heading", _spy(calls, "heading")), ("fence", _spy(calls, "fence")), ("paragraph", _spy(calls, "paragraph", True))])
    assert rule(_state("Plain words\n"), 0, 1, False)
    assert calls == ["paragraph"]
    calls.clear()
    assert rule(_state("   # Heading\n"), 0, 1, False)
    assert calls == ["heading", "paragraph"]  # the heading spy declines; order is kept
    calls.clear()
    assert rule(_state("~~~\n"), 0, 1, False)
    assert calls == ["fence", "paragraph"]


def test_a_table_is_tried_only_above_a_delimiter_row_and_code_only_when_indented():
    calls: list[str] = []
    rule = _dispatcher([("table", _spy(calls, "table")), ("code", _spy(calls, "code")), ("paragraph", _spy(calls, "paragraph", True))])
    rule(_state("a | b\nno delimiter\n"), 0, 2, False)
    assert calls == ["paragraph"]
    calls.clear()
    rule(_state("a | b\n|---|---|\n"), 0, 2, False)
    rule(_state("a | b\n  :--|--:\n"), 0, 2, False)
    assert calls == ["table", "paragraph", "table", "paragraph"]
    calls.clear()
    rule(_state("    indented\n"), 0, 1, False)
    rule(_state("   not quite\n"), 0, 1, False)
    assert calls == ["code", "paragraph", "paragraph"]


def test_a_rule_it_does_not_know_is_tried_on_every_line():
    calls: list[str] = []
    rule = _dispatcher([("a_plugins_rule", _spy(calls, "plugin")), ("paragraph", _spy(calls, "paragraph", True))])
    for text in ("words\n", "# h\n", "> q\n", "::: note\n"):
        rule(_state(text), 0, 1, False)
    assert calls == ["plugin", "paragraph"] * 4


@settings(max_examples=400, derandomize=True, deadline=None)
@given(pieces=st.lists(st.sampled_from(["a", "# h", "- i", "> q", "|x|", "\n", "\r", "\r\n", "\r\r\n", "\n\r", "\0", " ", "```", "\t"]), max_size=30))
def test_line_breaks_and_nul_are_normalized_as_markdown_it_does(pieces: list[str]):
    # modlint's normalize rule replaces only where there is something to replace.
    text = "".join(pieces)
    assert _tokens(_block_md(), text) == _tokens(_stock(), text)
