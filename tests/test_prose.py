"""The shared prose layer: what every phrase rule reads, how it is made cheap, and how a
phrase that is used is told from one that is mentioned."""
from __future__ import annotations

import random
import re
import textwrap

import pytest

from conftest import EXAMPLES, ROOT, _toolkit
from modlint.checks.phrases import compile_entries
from modlint.parsing import parse_text
from modlint.prose import (
    _TOKEN,
    PhraseList,
    TextView,
    _tokens_of,
    author_blocks,
    fold_lower,
    has_phrase,
    key_word,
    mask_quotes,
    mention,
    phrase_pattern,
    proper_name,
    prose_of,
    required_literals,
    teaching_frame,
)


def parsed(body: str):
    text = "---\nid: p\ntitle: P\nstage: 2\nformat: self-paced\nduration: 30m\n---\n# P\n\n" + textwrap.dedent(body).lstrip("\n")
    module, _ = parse_text(text, "p.md")
    assert module is not None
    return module


def _builtin_patterns() -> list[re.Pattern[str]]:
    out: list[re.Pattern[str]] = []
    for meta in _toolkit().catalogue:
        if meta.kind in ("phrase-existence", "phrase-substitution"):
            out += [e.regex for e in compile_entries(meta)]
        for spec in (meta.parameters or {}).values():
            default = spec.get("default") if isinstance(spec, dict) else None
            for words in default.values() if isinstance(default, dict) else [default]:
                if isinstance(words, list):
                    out += [phrase_pattern(str(w)) for w in words if str(w).strip()]
    return list(dict.fromkeys(out))


def _sample_texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.rglob("*.md")) if p.name != "not-utf8.md"]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests" / "data" / "unseen").glob("*.md"))]
    return texts


# -- the quick "could it match?" test never says no to a text the pattern matches -----------

def test_required_literals_never_rule_out_a_real_match():
    """Every match of every built-in phrase pattern in the example modules, and each listed
    phrase written in other ways (capitals, a line break, curly apostrophes, brackets, emphasis),
    passes the quick test: skipping a pattern can never lose a finding."""
    patterns = _builtin_patterns()
    texts = _sample_texts()
    samples = []
    for pattern in patterns:
        for text in texts:
            samples += [text[max(0, m.start() - 40) : m.end() + 40] for m in pattern.finditer(text)]
    for meta in _toolkit().catalogue:
        for entry in meta.phrases:
            phrase = str(entry.get("phrase", ""))
            for form in (phrase, phrase.upper(), phrase.title(), phrase.replace(" ", "\n"), phrase.replace(" ", "  "), phrase.replace("'", "’")):
                samples += [f"They said {form} here.", f"He is {form} now; she's ({form}), *{form}*."]
    checked = 0
    for pattern in patterns:
        literals = required_literals(pattern)
        key = key_word(literals)
        for text in samples:
            if pattern.search(text):
                checked += 1
                view = TextView(text)
                assert view.could_match(literals), (pattern.pattern, text)
                assert key is None or key in view.tokens, (pattern.pattern, key, text)
    assert checked > 1000


@pytest.mark.parametrize(
    ("pattern", "absent", "present"),
    [
        (phrase_pattern("chairman"), "The chair opens the meeting.", "The Chairman opens it."),
        (re.compile(r"\b(?P<phrase>(?:his\s+or\s+her|her\s+or\s+his|his/her))\b", re.I), "The chair or her deputy.", "His  or\nher view."),
        (re.compile(r"\b(?P<phrase>sufferers?)\b", re.I), "She suffered in silence.", "Sufferers of pain."),
        (phrase_pattern("best man for the job"), "The best person for the job.", "The best man for the job."),
    ],
)
def test_required_literals_rule_out_absent_phrases(pattern, absent, present):
    literals = required_literals(pattern)
    assert literals, pattern.pattern
    assert TextView(absent).could_match(literals) is False
    assert TextView(present).could_match(literals) is True


def test_a_phrase_rule_searches_only_for_patterns_whose_words_are_there(monkeypatch):
    """The speed of the phrase rules: a module that holds none of a pattern's words is never
    searched with it. Counted by wrapping each entry's pattern."""
    from modlint.checks import phrases

    meta = _toolkit().catalogue.get("POWER005")
    searched: list[str] = []

    class Counting:
        def __init__(self, entry):
            self.entry, self.regex = entry, entry.regex

        def finditer(self, text):
            searched.append(self.entry.phrase)
            return self.regex.finditer(text)

    real = phrases.compile_entries

    def counted(m):
        entries = real(m)
        for entry in entries:
            entry.regex = Counting(entry)  # type: ignore[assignment]
        return entries

    monkeypatch.setattr(phrases, "compile_entries", counted)
    rule = phrases.phrase_rule(meta)
    from modlint.personas import Audience
    from modlint.rule import RuleContext

    module = parsed("The chair opens the meeting. Each director briefs their deputy.\n\nThe chairman closes it.\n")
    ctx = RuleContext(meta, module, {}, Audience([]), _toolkit().registry, meta.severity)
    assert [f.snippet for f in rule.check(module, ctx)] == ["chairman"]
    assert searched == ["chairman"]  # one block, one pattern: the only one whose words are there


def test_a_pattern_with_no_certain_text_always_runs():
    assert required_literals(re.compile(r"\w+\s*\d", re.I)) == ()
    assert TextView("anything").could_match(()) is True


def test_words_are_the_runs_of_letters_and_digits():
    random.seed(12)
    noise = "".join(chr(random.randrange(0, 0x2FFF)) for _ in range(5000))
    for text in ["naïve café — “quoted” words’ don't x_y LGBT+ 3.5 hours ½ ² ﬁ", "a\u00a0b\u2009c\u2028d", "snake_case __init__", noise]:
        lower = fold_lower(text)
        assert _tokens_of(lower) == frozenset(_TOKEN.findall(lower))


def test_phrase_list_answers_as_has_phrase_does():
    lexicon = _toolkit().catalogue.get("POWER002").parameters["lexicon"]["default"]
    for text in _sample_texts()[:30] + ["Colleagues who are older, who are parents and who are Black.", "LGBT+ and anti-racist’s work"]:
        for words in lexicon.values():
            assert PhraseList(words).first_in(TextView(text)) == has_phrase(text, words)


# -- one module's prose, worked out once -------------------------------------------------

def test_prose_is_worked_out_once_per_module():
    module = parsed("Some prose.\n")
    assert prose_of(module) is prose_of(module)
    again = parsed("Some prose.\n")
    assert prose_of(again) is not prose_of(module)


def test_author_blocks_mask_as_before():
    module = parsed(
        """
        He said "we need fresh blood" and left.

        > Quoted in full.

        ::: case-study
        A story.
        :::

        | Said | Meant |
        |---|---|
        | 'past it' | old |
        """
    )
    expected = []
    cases = [(a.line, a.end_line) for a in module.activities if a.kind == "case-study"]
    for block in module.blocks:
        if block.quoted or block.div == "case-study" or any(s < block.line <= e for s, e in cases):
            continue
        expected.append((block, mask_quotes(block.text)))
    assert list(author_blocks(module)) == expected
    assert [b.kind for b, _ in author_blocks(module, kinds=("table",))] == ["table"]
    assert list(author_blocks(module, include_quoted=True)) == [(b, b.text) for b in module.blocks]


def test_table_cells_are_separate_sentences():
    module = parsed(
        """
        | Option | Notes |
        |---|---|
        | Promote from within | Jo is past it, so not Jo |
        | Leave vacant | See the board comments |
        """
    )
    [table] = [b for b in module.blocks if b.kind == "table"]
    prose = prose_of(module)
    cells = [" ".join(t.split()) for _, t in prose.units(table, table.text)]
    assert cells == ["Option", "Notes", "Promote from within", "Jo is past it, so not Jo", "Leave vacant", "See the board comments"]
    offset = table.text.index("past it")
    lo, hi = prose.unit_span(table, offset)
    assert table.text[lo:hi].strip() == "Jo is past it, so not Jo"
    assert prose.column_header(table, offset) == "Notes"
    assert prose.column_header(table, table.text.index("Notes")) is None  # the header row has no header


def test_a_list_is_read_with_its_lead_in():
    module = parsed(
        """
        Phrases to avoid:

        - fresh blood
        - past it

        Our plan.

        - bring fresh blood

        ## Words to avoid

        - chairman
        """
    )
    prose = prose_of(module)
    items = [b for b in module.blocks if b.kind == "list-item"]
    assert [prose.lead_in(b) for b in items] == ["Phrases to avoid:", "Phrases to avoid:", None, "## Words to avoid"]


# -- used or mentioned -------------------------------------------------------------------

def _mentioned(body: str, phrase: str) -> bool:
    module = parsed(body)
    prose = prose_of(module)
    for block in module.blocks:
        start = block.text.find(phrase)
        if start >= 0:
            return mention(prose, block, start, start + len(phrase))
    raise AssertionError(f"{phrase!r} not in {body!r}")


@pytest.mark.parametrize(
    ("body", "phrase"),
    [
        ("Reasonable adjustments are not special treatment: they are an entitlement.", "special treatment"),
        ("Nobody with an adjustment is failing to pull their weight.", "pull their weight"),
        ("Adjustments are an entitlement, and calling them special treatment undermines that.", "special treatment"),
        ("Do not describe anyone as wheelchair-bound.", "wheelchair-bound"),
        ("Instead of writing that someone suffers from depression, write that they live with it.", "suffers from"),
        ("We say chair, not chairman.", "chairman"),
        ("Avoid phrases like the BAME community.", "the BAME community"),
        ("Deficit language such as *suffers from* and **wheelchair-bound** frames disability as tragedy.", "wheelchair-bound"),
        ("Deficit language such as *suffers from* and **wheelchair-bound** frames disability as tragedy.", "suffers from"),
        ("The phrase fresh blood appears in 40% of exit interviews.", "fresh blood"),
        ("Remarks to avoid include: fresh blood, OK boomer and so articulate.", "so articulate"),
        ("She was told she was past it.", "past it"),
        ("A trans colleague is asked for their born name.", "born name"),
        ("Phrases to avoid:\n\n- fresh blood\n", "fresh blood"),
        ("| Heard at work | Try instead |\n|---|---|\n| We need fresh blood | We need new skills |\n", "fresh blood"),
    ],
)
def test_mentions(body, phrase):
    assert _mentioned(body, phrase)


@pytest.mark.parametrize(
    ("body", "phrase"),
    [
        ("We never want to lose fresh blood from the board.", "fresh blood"),
        ("Don't worry: we need fresh blood on the board anyway.", "fresh blood"),
        ("Don't give Dev special treatment for his adjustments.", "special treatment"),
        ("Dev is not pulling his weight.", "pulling his weight"),
        ("I asked the panel to find fresh blood for the department.", "fresh blood"),
        ("We asked the BME community for its view.", "the BME community"),
        ("In the long term, fresh blood will help.", "fresh blood"),
        ("*Note:* we need fresh blood *now*.", "fresh blood"),
        ("Next steps:\n\n- bring fresh blood\n", "fresh blood"),
        ("| Heard at work | Try instead |\n|---|---|\n| fine | We need fresh blood |\n", "fresh blood"),
    ],
)
def test_uses(body, phrase):
    assert not _mentioned(body, phrase)


def test_a_list_of_things_to_stop_is_a_teaching_frame():
    module = parsed("Leaders must stop doing these. Two of them:\n\n1. Asking Black colleagues to fix racism.\n")
    [item] = [b for b in module.blocks if b.kind == "list-item"]
    assert teaching_frame(prose_of(module), item, 3)


@pytest.mark.parametrize(
    ("body", "phrase", "name"),
    [
        ("Sir Alan, then Chairman of the NHS Confederation, led the review.", "Chairman", True),
        ("Minutes of the Chairman's Committee are filed.", "Chairman", True),
        ("The Chairman Mao exhibition is unrelated.", "Chairman", True),
        ("The Manpower Services Commission funded it.", "Manpower", True),
        ("Read *The Chairman's Handbook* (1978).", "Chairman", True),
        ("The Fresh Blood Donor campaign runs in June.", "Fresh Blood", True),
        ("Chairman and staff agree the manpower plan.", "Chairman", False),
        ("Ask the Chairman. The board meets later.", "Chairman", False),
        ("## Bringing In Fresh Blood Quickly", "Fresh Blood", False),
    ],
)
def test_proper_names(body, phrase, name):
    module = parsed(body)
    block = next(b for b in module.blocks if phrase in b.text)
    start = block.text.index(phrase)
    assert proper_name(prose_of(module), block, start, start + len(phrase)) is name
