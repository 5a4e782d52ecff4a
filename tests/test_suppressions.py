"""Inline suppressions and unused-suppression detection (MOD010)."""
from __future__ import annotations

from conftest import ids_lines, lint

BASE = """---
id: suppress-me
title: Suppress me
stage: 2
format: self-paced
duration: 20m
{extra}
---
# Suppress me
{body}
"""


def module(extra: str = "", body: str = "") -> str:
    return BASE.format(extra=extra, body=body)


def test_next_line_in_front_matter_suppresses_and_keeps_reason():
    text = module(extra="# modlint-disable-next-line MOD005 -- kept for the old platform\nresumeable: true")
    found = lint(text, select="module", include_suppressed=True)
    assert ids_lines(found) == [("MOD005", 8)]
    assert found[0].suppressed is not None and found[0].suppressed.justification == "kept for the old platform"
    assert lint(text, select="module") == []


def test_alias_and_file_level():
    text = module(extra="resumeable: true", body="<!-- modlint-disable-file unknown-front-matter-key -->")
    assert lint(text, select="module") == []


def test_disable_enable_range():
    body = "<!-- modlint-disable MOD013 -->\n\n::: discusion\nx\n:::\n\n<!-- modlint-enable MOD013 -->\n\n::: reflektion\ny\n:::"
    found = lint(module(body=body), select="module")
    assert ids_lines(found) == [("MOD013", 18)]


def test_unused_suppression_is_reported():
    body = "<!-- modlint-disable-next-line MOD013 -- no activity here -->\nPlain text."
    assert ids_lines(lint(module(body=body), select="module")) == [("MOD010", 10)]


def test_unknown_rule_in_suppression():
    body = "<!-- modlint-disable-next-line NOPE999 -->\nPlain text."
    found = lint(module(body=body), select="module")
    assert ids_lines(found) == [("MOD010", 10)] and "NOPE999" in found[0].message


def test_blanket_suppression_that_suppresses_nothing():
    body = "<!-- modlint-disable-file -->"
    assert ids_lines(lint(module(body=body), select="module")) == [("MOD010", 10)]


def test_suppression_for_unselected_rule_is_not_unused():
    body = "<!-- modlint-disable-next-line MOD013 -->\nPlain text."
    assert lint(module(body=body), select="MOD004") == []


def test_unused_suppression_cannot_suppress_itself():
    body = "<!-- modlint-disable-file MOD010 -->"
    assert ids_lines(lint(module(body=body), select="module")) == [("MOD010", 10)]


def test_suppression_in_code_block_is_ignored():
    body = "```\n<!-- modlint-disable-file -->\n```\n\n::: discusion\nx\n:::"
    assert ids_lines(lint(module(body=body), select="module")) == [("MOD013", 14)]
