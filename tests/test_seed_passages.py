"""Every passage a rule quotes from the source documents is really in them.

``seed_passages`` are shown to authors as the evidence for a rule (``modlint explain``, the
rule reference, editor hovers), so each must be the source's own words: verbatim, apart
from Markdown emphasis and line breaks or other white space. The source documents are
kept beside the checkout, in ``../shared/seeds``; without them there is nothing to check.
"""
from __future__ import annotations

import re

import pytest

from conftest import ROOT
from modlint.yamlio import load_yaml_file

SEEDS = ROOT.parent / "shared" / "seeds"
RULE_FILES = sorted((ROOT / "rules").glob("*/*.yaml"))

# Markdown emphasis (* and _) and the backslash escapes the sources use ("\'") are not words.
_MARKUP = re.compile(r"\\(?=\S)|[*_]")


def normalise(text: str) -> str:
    return " ".join(_MARKUP.sub("", text).split())


def _seed_text() -> str:
    if not SEEDS.is_dir():
        pytest.skip(f"the source documents are not here ({SEEDS} is absent), so seed passages cannot be checked")
    files = sorted(SEEDS.glob("*.txt"))
    if not files:
        pytest.skip(f"{SEEDS} holds no source documents (*.txt)")
    return normalise("\n".join(f.read_text(encoding="utf-8") for f in files))


def _passages() -> list[tuple[str, str]]:
    out = []
    for path in RULE_FILES:
        data = load_yaml_file(path)
        for passage in (data.get("seed_passages") or []) if isinstance(data, dict) else []:
            out.append((f"{path.parent.name}/{path.name}", str(passage)))
    return out


def test_rules_quote_seed_passages():
    assert _passages(), "no rule quotes a seed passage, so this test checks nothing"


@pytest.mark.parametrize(("rule_file", "passage"), _passages(), ids=lambda v: v if v.endswith(".yaml") else v[:40])
def test_seed_passage_is_verbatim_in_the_sources(rule_file: str, passage: str):
    assert normalise(passage) in _seed_text(), f"{rule_file} quotes a passage that is not in {SEEDS}: {passage!r}"


def test_normalising_keeps_words_and_punctuation():
    # Curly and straight apostrophes are different characters: a quotation must keep the source's.
    assert normalise("Action speaks louder than words- we don’t") != normalise("Action speaks louder than words- we don't")
    assert normalise("Jokes about **retirement**,\n  being \"past it\"") == 'Jokes about retirement, being "past it"'
