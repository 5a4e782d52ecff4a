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


def test_attribute_values_with_spaces_and_quotes():
    from modlint.parsing.body import parse_attrs

    assert parse_attrs('time=5h 50m') == ({"time": "5h 50m"}, None)  # a duration written with a space
    assert parse_attrs('time="1h 30m" output="a short list"') == ({"time": "1h 30m", "output": "a short list"}, None)
    assert parse_attrs("who='the whole team' time=10m") == ({"who": "the whole team", "time": "10m"}, None)
    assert parse_attrs(".discussion time=10m") == ({"class": "discussion", "time": "10m"}, None)
    attrs, err = parse_attrs("time=10m pairs")  # a stray word is not a duration part
    assert attrs == {"time": "10m"} and err is not None and "'pairs' is not of the form key=value" in err
    assert 'time="1h 30m"' in err  # the message shows how to write a value with spaces
    attrs, err = parse_attrs('time="10m')
    assert attrs == {} and err is not None and "No closing quotation" in err


def test_heading_time_with_a_space_is_read_whole():
    m, problems = parse_text("---\nid: a\n---\n## The coaching sessions {time=5h 50m}\n\nText.\n", "m.md")
    assert problems == []
    assert [(s.title, s.attrs) for s in m.segments[1:]] == [("The coaching sessions", {"time": "5h 50m"})]


def test_html_blocks_are_recorded_with_their_lines():
    text = "---\nid: a\n---\n# T\n\n<iframe src=\"https://www.youtube.com/embed/x\"></iframe>\n## Swallowed heading\n\nAfter.\n"
    m, _ = parse_text(text, "m.md")
    assert [(b.line, b.end_line, b.content.splitlines()[1]) for b in m.html_blocks] == [(6, 7, "## Swallowed heading")]
    assert [h.text for h in m.headings] == ["T"]  # CommonMark: the heading is part of the HTML block


def test_plain_front_matter_matches_the_round_trip_loader():
    """The fast path (C composer) and the round-trip loader agree on values, positions and problems."""
    from modlint.parsing import frontmatter

    cases = [
        "id: a\ntitle: T\nstage: [2, 4]\nduration: 1h30m\n",
        "sessions:\n  - day: Monday\n    start: '09:00'\n    recorded: true\n  - day: Tue\n    length: 45\n",
        "a: |\n  line1\n  line2\nb: >\n  folded\nc: ~\nd: ''\ne: 2024-01-05\nf: 1.5\ng: 0x1F\n",
        "a: {b: 1, c: [1, 2, {d: e}]}\n'quoted key': v\n",
        "a: 1\na: 2\n",  # duplicate: the round trip's own message
        "a: &x 1\nb: *x\n",  # aliases: the round trip
        "a: !!python/object:os.system x\n",  # a tag: reported, never built
        "title: Leading: a guide\n",  # a syntax error
        "- a\n- b\n",
        "resumable: yes\ncount: 010\nmode: 0o17\nwhen: 2024-01-05 10:30:00\n",  # YAML 1.2 as the round trip reads it
    ]

    def key(result: tuple) -> tuple:
        data, positions, problems = result
        return data, positions, [(p.rule_id, p.message, p.line, p.column) for p in problems]

    def round_trip(text: str) -> tuple:
        original = frontmatter._load_plain

        def refuse(*args: object) -> None:
            raise frontmatter._NotPlain()

        frontmatter._load_plain = refuse
        try:
            return frontmatter.load(text, 2)
        finally:
            frontmatter._load_plain = original

    for text in cases:
        assert key(frontmatter.load(text, 2)) == key(round_trip(text)), text
    fast: dict = {}
    assert frontmatter._load_plain(cases[1], 2, fast)["sessions"][0] == {"day": "Monday", "start": "09:00", "recorded": True}
    assert fast[("sessions", 1, "length")] == (7, 5)


def test_the_shared_composer_keeps_nothing_per_document(monkeypatch):
    """Without the C parser one YAML instance reads every module's front matter; ruamel
    records each document it reads, which in a language server would grow by one record
    a keystroke."""
    from modlint.parsing import frontmatter

    monkeypatch.setattr(frontmatter, "_c_loader_class", lambda: None)
    for n in range(50):
        frontmatter.load(f"id: m{n}\ntitle: T\n", 2)
    assert frontmatter._safe_yaml().doc_infos == []


def test_the_pure_composer_reads_front_matter_as_the_c_one_does(monkeypatch):
    """Where ruamel.yaml.clib is missing the pure parser composes: same values, same positions."""
    from modlint.parsing import frontmatter

    cases = [
        "id: a\ntitle: T\nstage: [2, 4]\nduration: 1h30m\nresumable: yes\ncount: 010\n",
        "sessions:\n  - day: Monday\n    start: '09:00'\n    recorded: true\n  - day: Tue\n    length: 45\n",
        "a: |\n  line1\n  line2\nb: >\n  folded\nc: ~\nd: ''\ne: 2024-01-05\nf: 1.5\ng: 0x1F\nh: 0o17\n",
    ]
    assert frontmatter._c_loader_class() is not None  # ruamel.yaml.clib comes with ruamel.yaml here
    with_c = [frontmatter.load(text, 2) for text in cases]
    monkeypatch.setattr(frontmatter, "_c_loader_class", lambda: None)
    assert [frontmatter.load(text, 2) for text in cases] == with_c
    assert with_c[0][0]["resumable"] == "yes" and with_c[0][0]["count"] == 10  # YAML 1.2: no yes/no booleans, no octal 010


def test_checking_a_module_leaves_nothing_for_the_cycle_collector():
    """Each module's nodes, tokens, blocks and prose are freed as soon as its check ends:
    objects in reference cycles would wait for the collector, which then walks every live
    object again and again over a large repository."""
    import gc

    from conftest import EXAMPLES, ROOT, _toolkit
    from modlint.config import find_config
    from modlint.engine import Linter

    linter = Linter(_toolkit())
    paths = sorted((EXAMPLES / "pass").glob("*.md")) + sorted((ROOT / "tests" / "data" / "unseen").glob("*.md"))
    cfg = find_config(paths[0].parent)
    for path in paths:  # first checks compile and cache what later ones reuse
        linter.check_bytes(path.read_bytes(), str(path), cfg)
    left: dict[str, int] = {}
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        for path in paths:
            gc.set_debug(gc.DEBUG_SAVEALL)
            linter.check_bytes(path.read_bytes(), str(path), cfg)
            found = gc.collect()
            gc.set_debug(0)
            if found:
                left[path.name] = found
            gc.garbage.clear()
            gc.collect()  # what DEBUG_SAVEALL kept is freed now, not counted for the next module
    finally:
        gc.set_debug(0)
        if was_enabled:
            gc.enable()
    assert len(paths) > 20 and left == {}
