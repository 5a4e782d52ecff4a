"""The body parser skips markdown-it's inline pass where nothing it reads can come of it.

Rules take prose from the source lines; only images, links and bold lines come from
inline tokens. These tests hold the shortcut to the full parse: every inline token it
skips has no image, link or lone bold text in the full parse, and the children it does
parse are the full parse's, token for token.
"""
from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import BUNDLED_MARKDOWN
from modlint.parsing import parse_text
from modlint.parsing.body import _block_md, _Inlines, _may_link, _md

_SOURCES = BUNDLED_MARKDOWN

# Markdown's inline syntax, densely: brackets, bangs, angles, stars, underscores,
# backticks, escapes, entities and reference definitions.
_PIECES = st.sampled_from(
    ["[", "]", "(", ")", "![", "<", ">", "*", "**", "_", "__", "`", "\\", "&amp;", "a", "word ", " ", "\n", "\n\n",
     "http://x.org", "<https://x.org>", "[ref]", "[ref]: /u\n", "|", "| a | b |\n|---|---|\n", "- ", "> ", "# ", "::: note\n", ":::\n"]
)


def _kinds(children: list[Any]) -> list[str]:
    return [c.type for c in children if not (c.type == "text" and not c.content.strip())]


def _has_link(children: list[Any]) -> bool:
    return any(c.type in ("image", "link_open") or _has_link(c.children or []) for c in children)


def _dump(children: list[Any]) -> list[dict[str, Any]]:
    return [c.as_dict() for c in children]


def _check(text: str) -> int:
    """Asserts the shortcut on ``text``; returns how many inline tokens it skipped."""
    full = [t for t in _md().parse(text) if t.type == "inline"]
    env: dict[str, Any] = {}
    lazy_md = _block_md()
    lazy = [t for t in lazy_md.parse(text, env) if t.type == "inline"]
    inlines = _Inlines(lazy_md, env)
    assert [t.content for t in lazy] == [t.content for t in full]
    skipped = 0
    for done, later in zip(full, lazy):
        children = done.children or []
        if not _may_link(done.content):
            assert not _has_link(children), done.content
        if not done.content.lstrip().startswith(("**", "__")):
            assert _kinds(children) != ["strong_open", "text", "strong_close"], done.content
        if not _may_link(done.content) and not done.content.lstrip().startswith(("**", "__")):
            skipped += 1
        assert _dump(inlines.children(later)) == _dump(children), done.content
    return skipped


def test_the_shortcut_matches_the_full_parse_on_every_bundled_module():
    skipped = sum(_check(path.read_text(encoding="utf-8", errors="replace")) for path in _SOURCES)
    assert skipped > 100  # the shortcut is taken, not just harmless


@settings(max_examples=300, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pieces=st.lists(_PIECES, max_size=40))
def test_the_shortcut_matches_the_full_parse_on_generated_markdown(pieces: list[str]):
    _check("".join(pieces))


def test_links_images_and_bold_lines_still_come_through():
    text = (
        "---\nid: x\n---\n# T\n\n[ref]: https://example.org/ref\n\n"
        "See [the guide][ref] and <https://example.org/auto>.\n\n"
        "**A bold line**\n\n"
        "| a | b |\n|---|---|\n| ![Chart of rotas](rota.png) | \\[not a link\\] |\n\n"
        "Plain words with a star * and an underscore _ only.\n"
    )
    module, _ = parse_text(text, "m.md")
    assert [(link.href, link.text, link.line, link.column) for link in module.links] == [
        ("https://example.org/ref", "the guide", 8, 5),
        ("https://example.org/auto", "https://example.org/auto", 8, 26),
    ]
    assert [(img.src, img.alt, img.line, img.column) for img in module.images] == [("rota.png", "Chart of rotas", 14, 3)]
    assert [(h.text, h.line) for h in module.headings if h.bold_paragraph] == [("A bold line", 10)]
