"""The ``power`` family: does the module genuinely address power, difference and inclusion?

POWER003 to POWER006 are declarative phrase rules (``rules/power/*.yaml``, run by
:mod:`modlint.checks.phrases`); the rules here need more than a phrase list.

Precision comes first. The coverage rules (POWER001, POWER002) read generously,
since a module that mentions a dimension of difference in passing is better
left alone than told it ignores it; the rules about the author's own wording
(POWER009) never read quotations or case studies, because a module that teaches
about harm has to show it.
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache
from typing import Any, Iterable, Iterator

from modlint import _regex
from modlint.durations import try_parse_duration
from modlint.findings import Finding
from modlint.model import Activity, Module
from modlint.prose import (
    PhraseList,
    TextView,
    fold_lower,
    has_phrase,
    phrase_list,
    prose_of,
    sentences,
    teaching_frame,
)
from modlint.rule import RuleContext, rule

DIMENSION_LABELS = {
    "ethnicity": "ethnicity and race",
    "gender": "gender",
    "gender-identity": "gender identity",
    "sexual-orientation": "sexual orientation",
    "disability": "disability and neurodivergence",
    "age": "age",
    "religion": "religion and belief",
    "class": "class",
    "caring": "caring responsibilities",
}

# Activities that carry no learning of their own, so they do not decide how a module ends.
_NOT_LEARNING = frozenset({"break", "content-note"})


def _label(dim: str) -> str:
    return DIMENSION_LABELS.get(dim, dim.replace("-", " "))


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _words(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if str(v).strip()]
    return []


# Parameter lists are the same objects for every module of a run: read each once.
_WORD_TUPLES: dict[int, tuple[Any, tuple[str, ...]]] = {}


def _word_tuple(value: Any) -> tuple[str, ...]:
    """:func:`_words` as a tuple, remembered for the list object it was read from."""
    if not isinstance(value, list):
        return tuple(_words(value))
    hit = _WORD_TUPLES.get(id(value))
    if hit is not None and hit[0] is value:
        return hit[1]
    if len(_WORD_TUPLES) > 256:
        _WORD_TUPLES.clear()
    words = tuple(_words(value))
    _WORD_TUPLES[id(value)] = (value, words)
    return words


def _module_line(module: Module) -> int:
    """Where a finding about the whole module goes: its title heading, else the body's start."""
    for heading in module.headings:
        if heading.level == 1:
            return heading.line
    return module.body_line


def _too_short(module: Module, ctx: RuleContext) -> bool:
    """A module shorter than ``min_minutes`` is a quick read, not a learning journey."""
    minutes = try_parse_duration(module.fm("duration"))
    limit = ctx.param("min_minutes")
    return minutes is not None and isinstance(limit, (int, float)) and minutes < limit


# -- POWER001 -------------------------------------------------------------------

_WORD_RE = _regex.compile(r"[\w'’+-]+")
# Words after a power word that make it the learner's: "the power you hold", "privilege I have".
_SELF_AFTER = frozenset({"you", "yourself", "yourselves", "i", "me", "we", "us"})


class _PowerPrompt:
    """The parameter lists POWER001 reads, compiled once per set of values (see :func:`_power_prompt`)."""

    def __init__(self, keywords: tuple[str, ...], positions: tuple[str, ...], effects: tuple[str, ...], others: tuple[str, ...], self_words: tuple[str, ...], identities: tuple[str, ...]) -> None:
        self.strong = phrase_list(keywords)
        self.position = phrase_list(positions)
        self.effects = phrase_list(effects)
        self.others = phrase_list(others)
        self.self_words = frozenset(w.lower() for w in self_words)
        # "If you are heterosexual or cisgender", "whether you are disabled or non-disabled".
        self.self_location = _regex.compile(
            rf"\b(?:if|whether|as|when|because)\s+you(?:['’]re|\s+are)\s+(?:not\s+)?{_group_regex(identities)}",
            re.IGNORECASE,
        ) if identities else None

    def asks(self, sentence: str) -> bool:
        """True when the sentence asks the learner about their own position, advantage or power."""
        view = TextView(sentence)
        if self.self_words.isdisjoint(view.tokens):
            return False
        words = [(m.start(), m.group(0).lower()) for m in _WORD_RE.finditer(sentence)]
        if not any(w in self.self_words for _, w in words):
            return False
        if self.others.first_in(view) or (self.self_location is not None and self.self_location.search(sentence)):
            return True
        if any(self._owned(sentence, words, p) for p in self.strong.candidates(view)):
            return True
        positions = self.position.candidates(view)
        return bool(positions) and self.effects.first_in(view) is not None and any(self._owned(sentence, words, p) for p in positions)

    def _owned(self, sentence: str, words: list[tuple[int, str]], pattern: re.Pattern[str]) -> bool:
        """The word is the learner's: a self word just before it ("your own position", "you hold
        power") or "you" just after it ("the power your grade gives you")."""
        starts = [start for start, _ in words]
        for match in pattern.finditer(sentence):
            first = bisect.bisect_left(starts, match.start())
            last = bisect.bisect_left(starts, match.end()) - 1
            before = [w for _, w in words[max(0, first - 4) : first]]
            after = [w for _, w in words[last + 1 : last + 5]]
            if any(w in self.self_words for w in before) or any(w in _SELF_AFTER for w in after):
                return True
        return False


@lru_cache(maxsize=32)
def _cached_prompt(*lists: tuple[str, ...]) -> _PowerPrompt:
    return _PowerPrompt(*lists)


def _power_prompt(ctx: RuleContext) -> _PowerPrompt:
    names = ("keywords", "position_words", "effect_words", "others_cues", "self_words", "identity_words")
    return _cached_prompt(*(_word_tuple(ctx.param(name)) for name in names))


def _asks_about_power(act: Activity, prompt: _PowerPrompt) -> bool:
    # The prompt is the author's, even when it is written as a quotation, so nothing is masked.
    return any(prompt.asks(sentence) for block in act.blocks for _, sentence in sentences(block.text))


@rule("POWER001")
def no_power_reflection(module: Module, ctx: RuleContext) -> Iterator[Finding]:
    if _too_short(module, ctx):
        return
    kinds = set(_words(ctx.param("activity_kinds")))
    candidates = [a for a in module.activities if a.kind in kinds]
    if candidates:
        prompt = _power_prompt(ctx)
        if any(_asks_about_power(a, prompt) for a in candidates):
            return
    example = (
        "'Think about the power you hold in this situation: how do your role, grade and identity "
        "shape what others can safely say to you?'"
    )
    reflections = [a for a in module.activities if a.kind == "reflection"]
    if reflections:
        count = len(reflections)
        which = "This reflection does not ask" if count == 1 else f"None of the module's {count} reflections asks"
        where = "it" if count == 1 else "this one"
        yield ctx.report(
            f"{which} learners to consider their own power, privilege or positionality. Add a prompt to {where} such as {example}",
            reflections[0].line,
        )
        return
    yield ctx.report(
        "This module has no reflection that asks learners to consider their own power, privilege or "
        f"positionality. Add a '::: reflection' block with a prompt such as {example}",
        _module_line(module),
    )


# -- POWER002 -------------------------------------------------------------------


def _module_view(module: Module) -> TextView:
    # Quotations and case studies count: engaging with difference through a case study is engaging.
    parts = [block.text for block in module.blocks]
    extra = [value for value in (module.fm(key) for key in ("title", "description")) if isinstance(value, str)]
    view = TextView("\n".join(parts + extra))
    # Its words are the body's, which other rules have already read, and the front matter's.
    view.seed_tokens(prose_of(module).everything.tokens | TextView("\n".join(extra)).tokens)
    return view


def _without(view: TextView, everyday: PhraseList) -> TextView:
    """The text with every everyday phrase ("the age of the estate") blanked, so its words do not count."""
    present = everyday.candidates(view)
    if not present:
        return view
    text = view.text.replace("’", "'").replace("‘", "'")
    for pattern in present:
        text = pattern.sub(lambda m: " " * len(m.group(0)), text)
    return TextView(text)


@rule("POWER002")
def narrow_difference(module: Module, ctx: RuleContext) -> Iterator[Finding]:
    if _too_short(module, ctx):
        return
    lexicon = ctx.param("lexicon")
    if not isinstance(lexicon, dict):
        return
    wanted = ctx.audience.dimensions()
    # Lexicon order is the display order; a dimension with no words cannot be judged either way.
    dims = [d for d in lexicon if d in wanted and _word_tuple(lexicon[d])]
    if not dims:
        return
    view = _without(_module_view(module), phrase_list(_word_tuple(ctx.param("not_counted"))))
    found = [d for d in dims if phrase_list(_word_tuple(lexicon[d])).first_in(view)]
    default = ctx.params.get("min_dimensions") or 0
    required = ctx.param("min_dimensions", min(int(default), len(dims)))
    try:
        required = min(int(required), len(dims))
    except (TypeError, ValueError):
        return
    if len(found) >= required:
        return
    missing = [d for d in dims if d not in found]
    engaged = f" ({_join([_label(d) for d in found])})" if found else ""
    personas = [p for p in ctx.audience.personas if set(p.dimensions) & set(missing)]
    yield ctx.report(
        f"This module engages with {len(found)} of the {len(dims)} dimensions of difference its target personas "
        f"bring{engaged}; at least {required} are expected. Bring in {_join([_label(d) for d in missing])} "
        "through examples, case studies or reflection prompts, so that learners who live with them see themselves in it.",
        _module_line(module),
        personas=personas,
    )


# -- POWER007 -------------------------------------------------------------------


def _truthy_front_matter(value: Any) -> bool:
    if isinstance(value, str):
        return bool(value.strip()) and value.strip().lower() not in ("no", "false", "none", "n/a")
    return bool(value)


def _front_matter_text(value: Any, depth: int = 0) -> str:
    """The words of a front matter value written as text, a list of texts or a mapping
    (nested a few levels at most: front matter is untrusted input)."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list) and depth < 4:
        return "\n".join(_front_matter_text(v, depth + 1) for v in value)
    return ""


# "Use the case, not your own experience": the discussion steers people away from themselves.
_STEERED_AWAY = _regex.compile(r"\b(?:not|rather\s+than|instead\s+of|without)\s+(?:[\w'’-]+\s+)?$", re.IGNORECASE)


def _asks_for_own_experience(text: str, personal: PhraseList) -> bool:
    plain = text.replace("’", "'").replace("‘", "'")
    for pattern in personal.candidates(TextView(plain)):
        for match in pattern.finditer(plain):
            if not _STEERED_AWAY.search(plain, max(0, match.start() - 40), match.start()):
                return True
    return False


@rule("POWER007")
def unsafe_discussion(module: Module, ctx: RuleContext) -> Iterator[Finding]:
    kinds = set(_words(ctx.param("activity_kinds")))
    discussions = [a for a in module.activities if a.kind in kinds]
    if not discussions:
        return
    everything = prose_of(module).everything
    ground_rules = module.fm("ground_rules")
    # Ground rules written in the front matter can hold the opt-out too ("You can pass on any question").
    written = TextView(_front_matter_text(ground_rules))
    has_rules = _truthy_front_matter(ground_rules) or phrase_list(_word_tuple(ctx.param("ground_rule_cues"))).first_in(everything) is not None
    opt_out = phrase_list(_word_tuple(ctx.param("opt_out_cues")))
    has_opt_out = opt_out.first_in(everything) is not None or opt_out.first_in(written) is not None
    if has_rules and has_opt_out:
        return
    personal = phrase_list(_word_tuple(ctx.param("personal_cues")))
    topics = _words(ctx.param("topic_cues"))
    for act in discussions:
        text = act.text()
        if _asks_for_own_experience(text, personal):
            what = "asks people to share their own experience"
        else:
            topic = has_phrase(text, topics)
            if not topic:
                continue  # nothing personal or sensitive is asked for
            what = f"is about {' '.join(topic.split()).lower()}"
        if not has_rules and not has_opt_out:
            message = (
                f"This discussion {what}, but the module sets no ground rules and does not say that people can "
                "choose what to share. Before it, add ground rules (for example 'what is said here stays here'), or "
                "set 'ground_rules:' in the front matter, and tell people they can pass, or use a made-up example, "
                "without giving a reason."
            )
        elif not has_rules:
            message = (
                f"This discussion {what}, but the module sets no ground rules for it. Add ground rules before it, "
                "such as confidentiality and respect for what others share, or set 'ground_rules:' in the front matter."
            )
        else:
            message = (
                f"This discussion {what}, but nothing tells people they can choose what to share. Add a line such as "
                "'You choose what to share: you can pass, or use a made-up example, without giving a reason.'"
            )
        yield ctx.report(message, act.line)


# -- POWER008 -------------------------------------------------------------------

# The people a learner can be accountable to.
_HOLDERS = (
    r"(?:line\s+manager|manager|mentor|coach|supervisor|buddy|sponsor|accountability\s+partner|critical\s+friend|"
    r"action\s+learning\s+set|appraiser|team\s+leader|chief\s+executive|director|chair)"
)
_WHO = _regex.compile(
    r"\b(?:who\s+will|name\s+(?:someone|a\s+person|the\s+person|who)|with\s+whom|hold\s+you|holds\s+you|"
    # Plans are written to the learner ("share it with") or about them ("the director shares it with").
    r"accountab\w*|(?:share|discuss|agree|review)s?\s+(?:it|this|them|these|(?:your|their|his|her)\s+(?:plan|action|actions|commitment|commitments))\s+with|"
    r"check\s+in\s+with|reports?\s+back\s+to|review\s+(?:your|their|his|her)\s+progress\s+with|"
    # "ask the committee chair to review your progress": the holder is named and given the job.
    rf"(?:ask|asks|asking|invite|invites)\s+(?:the|your|a|an|one|their)\s+(?:[\w-]+\s+){{0,2}}{_HOLDERS}\s+to|"
    # Telling someone the plan is how the rule's own advice makes it accountable ("tell one person, such as your PA").
    rf"(?:tell|show)\s+(?:(?:your|a|one|another|at\s+least\s+one)\s+(?:[\w-]+\s+)?(?:{_HOLDERS}|colleague|peer|team|person|friend)|someone|somebody)|"
    # "your line manager", "your clinical supervisor", "your medical director": one describing word is allowed.
    rf"your\s+(?:[\w-]+\s+)?{_HOLDERS})\b",
    re.IGNORECASE,
)
_WHEN = _regex.compile(
    r"\b(?:review\s+date|dates?|deadline|by\s+when|by\s+(?:the\s+end\s+of|next|this|your\s+next|\d)|"
    r"within\s+(?:\d+|a|one|two|three|four|five|six|nine|twelve|the\s+next)|"
    r"in\s+(?:the\s+next\s+)?(?:\d+|one|two|three|four|five|six|nine|twelve|a)\s+(?:days?|weeks?|months?)|"
    # "three months after your final session", "six weeks from today".
    r"(?:\d+|a|one|two|three|four|five|six|nine|twelve)\s+(?:days?|weeks?|months?)\s+(?:after|from|later|on\s+from)|"
    r"next\s+(?:week|month|meeting|supervision|appraisal|one-to-one|team\s+meeting|session|board|committee|panel)|"
    r"monday|tuesday|wednesday|thursday|friday|"
    r"january|february|march|april|june|july|august|september|october|november|december|"
    r"\d{1,2}/\d{1,2}(?:/\d{2,4})?|\d{4}-\d{2}-\d{2}|follow[-\s]up|check[-\s]in|revisit|weekly|monthly|"
    r"every\s+(?:week|month|fortnight)|"
    # "ask them to check with you after the meeting": the meeting is the review point.
    r"after\s+(?:the|that|your|each)\s+(?:next\s+)?(?:meeting|session|shift|board|conversation|walkround|handover|huddle|"
    r"appointment|interview|interviews|panel|pilot|course|programme|placement|rotation))\b",
    re.IGNORECASE,
)


def _missing_accountability(act: Activity, require: set[str]) -> list[str]:
    text = act.text()
    missing = []
    if "who" in require and not _WHO.search(text):
        missing.append("who will hold the learner to it (such as their line manager, mentor or a peer)")
    if "when" in require and not _WHEN.search(text):
        missing.append("when it will be reviewed (a date, or a time such as 'in the next two weeks')")
    return missing


@rule("POWER008")
def no_accountable_action(module: Module, ctx: RuleContext) -> Iterator[Finding]:
    require = set(_words(ctx.param("require")))
    plans = [a for a in module.activities if a.kind == "action-plan"]
    gaps = [(plan, _missing_accountability(plan, require)) for plan in plans]
    if any(not missing for _, missing in gaps):
        return
    for plan, missing in gaps:
        yield ctx.report(
            f"This action plan does not say {_join(missing)}. Add it, so the action is more than good intentions: "
            "for example 'Share your action with your line manager and agree a date to review it.'",
            plan.line,
        )
    if plans:
        return
    # An action learning set is itself the accountability: members commit to actions and
    # report back to the set at its next meeting, so no separate plan block is asked for.
    if module.fm("format") == "action-learning":
        return
    reflections = [a for a in module.activities if a.kind == "reflection"]
    if not reflections:
        return
    learning = [a for a in module.activities if a.kind not in _NOT_LEARNING]
    last = reflections[-1]
    opening = (
        "The module ends with this reflection and has no action-plan activity."
        if learning and learning[-1] is last
        else "The module asks learners to reflect (last here) but has no action-plan activity."
    )
    yield ctx.report(
        f"{opening} Add a '::: action-plan' block at the end that asks for one specific action, who will hold the "
        "learner to it (such as their line manager or mentor) and the date they will review it.",
        last.line,
    )


# -- POWER009 -------------------------------------------------------------------

_BURDEN_ALWAYS = ("educate", "represent", "speak for", "speak on behalf of")
_FIX_VERBS = ("fix", "solve")
_LEAD_VERBS = ("lead", "run", "deliver", "facilitate", "present", "train")
_VERB_PHRASES = {
    "explain": "explain their experience",
    "educate": "educate others",
    "teach": "teach others about their identity",
    "represent": "represent their group",
    "speak for": "speak for their group",
    "speak on behalf of": "speak for their group",
    "share": "share their experience",
    "describe": "describe their experience",
    "tell": "describe their experience",
    "talk about": "describe their experience",
    "fix": "fix the problem",
    "solve": "fix the problem",
    **{verb: "lead the learning about their own identity" for verb in _LEAD_VERBS},
}
_VERBS = r"explain|educate|teach|represent|speak\s+(?:for|on\s+behalf\s+of)|share|describe|tell|talk\s+about|fix|solve|lead|run|deliver|facilitate|present|train"
# What the group is asked to explain must be about their identity or experience of it:
# "invite disabled colleagues to explain the new rota" is not a burden.
_IDENTITY_OBJECTS = (
    "experience", "experiences", "racism", "discrimination", "what it is like", "what it's like", "how it feels",
    "feels like", "perspective", "point of view", "viewpoint", "culture", "cultural", "religion", "faith", "identity",
    "prejudice", "microaggression", "microaggressions", "bias", "community", "on behalf of", "lived experience",
    "background", "heritage", "transition", "Islam", "Ramadan", "homophobia", "transphobia", "ableism", "sexism",
    "Islamophobia", "their group", "their community", "being Black", "being Muslim", "being trans", "being gay",
    "being disabled", "being autistic", "menopause",
)
_FIX_OBJECTS = ("racism", "discrimination", "inequality", "inequalities", "inequity", "the problem", "bias", "exclusion")
# Anywhere in the sentence, these make the request optional, agreed to, or part of someone's paid role.
_OPTIONAL = (
    "if they wish", "if they choose", "if they want", "only if", "optional", "who wish to", "who want to", "should they wish",
    "if they are comfortable", "part of their role", "part of their paid role", "part of their job",
    "have agreed", "has agreed", "who have volunteered", "who volunteer", "have volunteered", "has volunteered",
)
# Before the request, in the same clause, these say it must not be made: "No one is expected to",
# "Do not ask", "Rather than asking". After it ("..., not the chair") they are about something else.
_REFUSED = _regex.compile(
    r"\b(?:no\s+one|nobody|not|never|don['’]t|do\s+not|avoid|avoiding|without|rather\s+than|instead\s+of|shouldn['’]t|mustn['’]t|stop|stopping)\b",
    re.IGNORECASE,
)
_CLAUSE_BREAK = _regex.compile(r"[;:]|\s[—–]\s|—|,\s*(?:but|so|yet)\b", re.IGNORECASE)
# When the people asked are everyone, nobody is singled out.
_EVERYONE = _regex.compile(r"\b(?:everyone|everybody|all\s+participants|every\s+participant|each\s+participant|each\s+person|the\s+whole\s+group|all\s+of\s+you)\b", re.IGNORECASE)
_ASK = r"ask|asks|asking|invite|invites|inviting|encourage|encourages|encouraging|get|gets|call\s+on|nominate|choose|pick|select|rely\s+on|expect|expects|expecting|want|wants"
_ASKED = r"asked|expected|invited|encouraged|required|told"


def _group_regex(groups: Iterable[str]) -> str:
    parts = sorted((r"\s+".join(re.escape(w) for w in g.split()) for g in groups if g.split()), key=len, reverse=True)
    return r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])" if parts else r"(?!)"


@lru_cache(maxsize=32)
def _group_pattern(groups: tuple[str, ...]) -> re.Pattern[str]:
    return _regex.compile(_group_regex(groups), re.IGNORECASE)


@lru_cache(maxsize=32)
def _burden_patterns(groups: tuple[str, ...]) -> list[re.Pattern[str]]:
    group = _group_regex(groups)
    flags = re.IGNORECASE
    return [
        # "Ask the Black participants to explain ...", "invite a Muslim colleague to give ..."
        _regex.compile(rf"\b(?:{_ASK})\b(?P<mid>[^.;:!?]{{0,100}}?)\bto\s+(?P<verb>{_VERBS}|give)\b", flags),
        # "Have the disabled colleagues explain ..." (an instruction at the start of a sentence)
        _regex.compile(rf"^[\s>*+-]*(?:\d+[.)]\s+)?(?:have|let|get|make)\s+(?P<mid>[^.;:!?]{{0,80}}?)\s+(?P<verb>{_VERBS})\b", flags | re.MULTILINE),
        # "Black participants should explain ...", "colleagues from minority ethnic backgrounds will represent ...",
        # "Board members from a global majority background will be asked to share ..."
        _regex.compile(
            rf"(?P<mid>{group}(?:\s+[\w-]+){{0,4}}?)\s+(?:(?:should|could|can|will|would|must|may|might)(?:\s+(?:not\s+)?be\s+(?:{_ASKED}))?|"
            rf"(?:are|is|were|was|get|gets|being)\s+(?:{_ASKED}))\s+(?:to\s+)?(?:\w+\s+)?(?P<verb>{_VERBS})\b",
            flags,
        ),
        # "give the Muslim perspective", "represent the BME view"
        _regex.compile(rf"\b(?P<verb>give|giving|offer|provide|bring|represent|representing|speak\s+for)\s+(?:the|a|an)\s+(?P<mid>{group})\s+(?:perspective|view|voice|point\s+of\s+view|viewpoint|experience|side)\b", flags),
    ]


@rule("POWER009")
def minoritised_burden(module: Module, ctx: RuleContext) -> Iterator[Finding]:
    groups = _word_tuple(ctx.param("groups"))
    if not groups:
        return
    prose = prose_of(module)
    # Every pattern needs a group named in the sentence: a module that names none is done.
    present = [g for g in groups if phrase_list((g,)).first_in(prose.author)]
    if not present:
        return
    # A block can only hold a request if it holds one of the groups the module names.
    needles = tuple(" ".join(fold_lower(g.replace("’", "'")).split()) for g in present)
    group_re = _group_pattern(groups)
    patterns = _burden_patterns(groups)
    optional = phrase_list(_OPTIONAL)
    # Name the group as the configuration writes it ("disabled", "Black"), not as the sentence began.
    spelling = {" ".join(g.lower().split()): g for g in groups}
    for block, text in prose.voice:
        if block.kind == "heading" or not any(n in " ".join(fold_lower(text.replace("’", "'")).split()) for n in needles):
            continue
        for start, sentence in prose.units(block, text):
            if not sentence.strip() or not group_re.search(sentence) or optional.first_in(TextView(sentence)):
                continue
            hit = _burden(sentence, patterns, group_re)
            if hit is None or _refused(sentence, hit[0], hit[1]) or teaching_frame(prose, block, start + hit[0]):
                continue
            offset, _, group, verb = hit
            group = spelling.get(group.lower(), group)
            line, col = block.position(start + offset)
            yield ctx.report(
                f"This asks {group} colleagues to {_VERB_PHRASES.get(verb, verb)} for everyone else's learning. Expecting people from a minoritised "
                "group to explain, educate others about or represent it is an extra, unpaid burden; the race equality "
                "source asks leaders to stop 'Asking Black, Asian and other minority ethnic (BME) people to fix the "
                "problem of racism'. Give the learning to everyone instead: for example, have all participants read "
                "first-person accounts or research, and let anyone share their own experience only if they choose.",
                line,
                col,
                snippet=" ".join(sentence.split())[:80],
            )


def _refused(sentence: str, start: int, verb_end: int) -> bool:
    """True when a negation governs the request: between the start of its clause and its verb."""
    clause_start = 0
    for match in _CLAUSE_BREAK.finditer(sentence, 0, start):
        clause_start = match.end()
    return _REFUSED.search(sentence, clause_start, verb_end) is not None


def _burden(sentence: str, patterns: list[re.Pattern[str]], group_re: re.Pattern[str]) -> tuple[int, int, str, str] | None:
    """(start, end of the verb, group, verb) of the first request in the sentence that burdens a group."""
    for pattern in patterns:
        for match in pattern.finditer(sentence):
            mid = match.group("mid")
            if pattern is patterns[0]:
                # The group must be who is asked, not who an earlier clause is about.
                mid = re.split(r"\bto\b", mid, maxsplit=1, flags=re.IGNORECASE)[0]
            group = group_re.search(mid)
            if group is None or (pattern is not patterns[3] and _EVERYONE.search(mid)):
                continue
            verb = " ".join(match.group("verb").lower().split())
            if pattern is patterns[3]:
                always, label = True, "represent"
            else:
                always, label = verb.startswith(_BURDEN_ALWAYS), ("represent" if verb == "give" else verb)
            if not always:
                objects = _FIX_OBJECTS if verb in _FIX_VERBS else _IDENTITY_OBJECTS
                if not has_phrase(sentence[match.start():], objects):
                    continue
            return match.start(), match.end("verb"), " ".join(group.group(0).split()), label
    return None
