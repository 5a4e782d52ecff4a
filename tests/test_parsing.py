"""The Module model: positions, segments, activities, prose that knows quotes and code."""
from __future__ import annotations

from modlint.parsing import parse_text

MODULE = """---
id: parse-me
title: Parse me
stage: 2
format: self-paced
duration: 30m
media:
  - src: talk.mp4
    duration: 12m
---
# Parse me

Intro with `inline code` and a [useful guide](https://example.org/guide).

## Opening {time=10m}

::: discussion time=5m
Talk in pairs.
:::

> A quoted "fresh blood" remark. ![Two nurses at a handover](handover.png)

```text
code that says fresh blood
```

## Closing {time=20m}

::: reflection time=5m
Unclosed reflection.
"""


def test_front_matter_positions():
    m, problems = parse_text(MODULE, "m.md")
    assert m.fm("id") == "parse-me"
    assert m.fm_pos("duration") == (6, 1)
    assert m.fm_pos("media", 0, "duration") == (9, 5)
    assert m.fm_pos("media", 0, "nothing") == (8, 5)  # falls back to the item
    assert m.body_line == 11


def test_segments_and_activities():
    m, problems = parse_text(MODULE, "m.md")
    assert [(s.title, s.line, s.attrs.get("time")) for s in m.segments] == [(None, 11, None), ("Opening", 15, "10m"), ("Closing", 27, "20m")]
    assert [(a.kind, a.line, a.attrs, a.segment, a.closed) for a in m.activities] == [
        ("discussion", 17, {"time": "5m"}, 1, True),
        ("reflection", 29, {"time": "5m"}, 2, False),
    ]
    assert [(p.rule_id, p.line) for p in problems] == [("MOD013", 29)]


def test_prose_knows_quotes_and_code():
    m, _ = parse_text(MODULE, "m.md")
    quoted = [b for b in m.blocks if b.quoted]
    assert len(quoted) == 1 and "fresh blood" in quoted[0].text
    assert all("code that says" not in b.text for b in m.blocks)
    intro = next(b for b in m.blocks if b.text.startswith("Intro"))
    assert "inline code" not in intro.text and "example.org" not in intro.text
    assert len(intro.text) == len("Intro with `inline code` and a [useful guide](https://example.org/guide).")
    assert [c.info for c in m.code_blocks] == ["text"]


def test_images_and_links_with_columns():
    m, _ = parse_text(MODULE, "m.md")
    assert [(i.src, i.alt, i.line, i.column) for i in m.images] == [("handover.png", "Two nurses at a handover", 21, 34)]
    assert [(link.href, link.text, link.line, link.column) for link in m.links] == [("https://example.org/guide", "useful guide", 13, 32)]


def test_text_block_position_maps_offsets():
    m, _ = parse_text("---\nid: a\n---\nfirst line\nsecond line here\n", "m.md")
    block = m.blocks[0]
    assert block.position(block.text.index("here")) == (5, 13)


def test_crlf_and_bom_are_normalised():
    text = "\ufeff" + MODULE.replace("\n", "\r\n")
    m, problems = parse_text(text, "m.md")
    assert m.newline == "\r\n" and m.bom
    assert m.fm_pos("duration") == (6, 1)
    assert [s.line for s in m.segments] == [11, 15, 27]


def test_activity_spanning_segment_is_marked():
    m, _ = parse_text("---\nid: a\n---\n## One\n\n::: exercise time=5m\nDo it.\n\n## Two\n\nMore.\n:::\n", "m.md")
    assert m.activities[0].crosses_segment


def test_bold_paragraph_heading_recorded():
    m, _ = parse_text("---\nid: a\n---\n**Next steps**\n\nText.\n", "m.md")
    assert [(h.level, h.text, h.bold_paragraph) for h in m.headings] == [(0, "Next steps", True)]


def test_attribute_errors_reported():
    _, problems = parse_text('---\nid: a\n---\n## Part {time=5m oops}\n', "m.md")
    assert [(p.rule_id, p.line) for p in problems] == [("MOD013", 4)]


def test_comments_outside_code_only():
    m, _ = parse_text("---\nid: a\n---\n<!-- modlint-disable-file -->\n\n```\n<!-- not me -->\n```\n", "m.md")
    assert [(c.text.strip(), c.line) for c in m.comments] == [("modlint-disable-file", 4)]
