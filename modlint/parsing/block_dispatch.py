"""markdown-it's block rules, tried only on lines whose first character lets them match.

markdown-it-py tries every block rule in turn on each line, and on each line a
paragraph continues onto it tries every rule that could end the paragraph. Most
of those calls return at once: the fence rule wants a '`' or '~', the heading rule
a '#', and so on; on the benchmark's modules, which are mostly paragraphs,
skipping them makes block parsing a quarter faster. :func:`dispatch_by_first_char`
gives the parser one rule per chain instead, which looks at the line's first
character and tries only the rules that can start with it, in the parser's order.
A rule it skips is one that would have returned False without changing anything,
so the tokens are the same. A test holds this to markdown-it's own parser on
generated Markdown, so a release of markdown-it-py whose rules start differently
fails the tests rather than the parse.
"""
from __future__ import annotations

from typing import Callable

from markdown_it import MarkdownIt
from markdown_it.rules_block.state_block import StateBlock

BlockRule = Callable[[StateBlock, int, int, bool], bool]

# The characters each rule needs at the start of the line's text (bMarks + tShift),
# as each one checks first, after the indent that would make the line a code block.
# A rule missing here (a plugin's, a paragraph) is tried on every line.
_FIRST_CHARS: dict[str, str] = {
    "fence": "`~",
    "blockquote": ">",
    "hr": "*-_",
    "list": "*-+0123456789",  # a bullet, or the ASCII digits of an ordered marker
    "reference": "[",
    "html_block": "<",
    "heading": "#",
    "container_div": ":",  # modlint's '::: kind' divs (mdit-py-plugins' container)
}
# Rules whose test is about something other than the first character.
_PLAIN, _TABLE, _CODE = 0, 1, 2
_KINDS = {"table": _TABLE, "code": _CODE}
_TABLE_DELIMITER_STARTS = ("|", "-", ":")


def dispatch_by_first_char(md: MarkdownIt) -> MarkdownIt:
    """Make ``md``'s block parser try only the rules a line can match; returns ``md``.

    Call it once the rules are configured: the chains are fixed here, so rules
    enabled or disabled afterwards are not seen."""
    ruler = md.block.ruler
    names = {id(rule.fn): rule.name for rule in ruler.__rules__}
    chain_names = {""} | {alt for rule in ruler.__rules__ for alt in rule.alt}
    chains: dict[str, list[BlockRule]] = {}
    for chain in chain_names:
        rules = ruler.getRules(chain)
        if rules:
            chains[chain] = [_dispatcher([(names.get(id(fn), ""), fn) for fn in rules])]
    # An instance attribute: only this parser changes, not markdown-it's class.
    ruler.getRules = lambda chainName: chains.get(chainName, [])  # type: ignore[method-assign]
    return md


def _dispatcher(rules: list[tuple[str, BlockRule]]) -> BlockRule:
    """One block rule that tries, in order, those of ``rules`` a line can match."""

    def candidates(ch: str) -> tuple[tuple[BlockRule, int], ...]:
        return tuple(
            (fn, _KINDS.get(name, _PLAIN))
            for name, fn in rules
            if name not in _FIRST_CHARS or ch in _FIRST_CHARS[name]
        )

    by_char = {ch: candidates(ch) for ch in set("".join(_FIRST_CHARS.values()))}
    anything_else = candidates("\n")  # a character no rule here starts with

    def rule(state: StateBlock, line: int, end_line: int, silent: bool) -> bool:
        pos = state.bMarks[line] + state.tShift[line]
        for fn, kind in by_char.get(state.src[pos : pos + 1], anything_else):
            if kind == _TABLE:
                # A table needs its next line to start a delimiter row ('|---|', ':--').
                after = line + 1
                if after >= state.lineMax:
                    continue
                start = state.bMarks[after] + state.tShift[after]
                if start >= state.eMarks[after] or state.src[start] not in _TABLE_DELIMITER_STARTS:
                    continue
            elif kind == _CODE and state.sCount[line] - state.blkIndent < 4:
                continue
            if fn(state, line, end_line, silent):
                return True
        return False

    return rule
