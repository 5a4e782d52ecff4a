"""One parser for every duration an author can write.

Accepted: ``45m``, ``45 min``, ``90 minutes``, ``1h30m``, ``1h 30m``, ``1.5h``,
``2 hours 15 minutes``, ISO 8601 ``PT1H30M``, and a bare number (minutes).

A player's ``1:30:00`` (hours, minutes and seconds) is read everywhere. With
``clock=True`` (media durations, which authors copy from a player) ``25:30`` is
read too, as minutes and seconds; elsewhere it is refused, because
``duration: 1:30`` could as well mean an hour and a half as ninety seconds.
"""
from __future__ import annotations

import math
import re
from functools import lru_cache

from modlint import _regex

PLACEHOLDERS = frozenset({"?", "??", "???", "tbc", "tbd", "todo", "tba", "n/a", "na", "x", "xx", "-", "..."})

_ISO = _regex.compile(r"^P(?:(?P<d>\d+(?:\.\d+)?)D)?(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<m>\d+(?:\.\d+)?)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$", re.I)
_PART = _regex.compile(
    r"(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>hours?|hrs?|h|minutes?|mins?|m|seconds?|secs?|s)(?![a-z])",
    re.I,
)
_UNIT_MINUTES = {"h": 60.0, "m": 1.0, "s": 1 / 60}
# A player's display: M:SS (minutes may run past 59) or H:MM:SS.
_CLOCK = _regex.compile(r"^(?:(?P<h>\d+):(?P<m2>[0-5]\d)|(?P<m>\d+)):(?P<s>[0-5]\d)$")
# The short form every spelling is normalised to, and forms that are already as short.
_COMPACT = _regex.compile(r"^(?=\d)(?:\d+h)?(?:\d+m)?$")


class DurationError(ValueError):
    """A duration that cannot be read; ``placeholder`` says it was a stand-in like TBC,
    ``clock`` that it was a clock form such as ``1:30`` where none is accepted."""

    def __init__(self, message: str, placeholder: bool = False, clock: bool = False) -> None:
        super().__init__(message)
        self.placeholder = placeholder
        self.clock = clock


def _clock_minutes(text: str, short: bool) -> float | None:
    """Minutes of ``H:MM:SS``, and of ``M:SS`` when ``short`` (else a DurationError)."""
    m = _CLOCK.match(text)
    if m is None:
        return None
    if m.group("h") is not None:
        return int(m.group("h")) * 60 + int(m.group("m2")) + int(m.group("s")) / 60
    if not short:
        raise DurationError(f"'{text}' is written like a clock, which could mean hours and minutes or minutes and seconds", clock=True)
    return int(m.group("m")) + int(m.group("s")) / 60


def parse_duration(value: object, *, clock: bool = False) -> float:
    """Return the duration in minutes, or raise :class:`DurationError`.

    ``clock`` also accepts ``M:SS``, as a media player shows a length under an hour.
    """
    if isinstance(value, bool) or value is None:
        raise DurationError("no duration given")
    if isinstance(value, (int, float)):
        if not math.isfinite(value) or value < 0:
            raise DurationError(f"{value!r} is not a duration")
        return float(value)
    text = str(value).strip()
    if not text:
        raise DurationError("no duration given")
    if text.lower() in PLACEHOLDERS or set(text) <= {"?", "x", "X", "-", "."}:
        raise DurationError(f"'{text}' is a placeholder, not a duration", placeholder=True)
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    on_clock = _clock_minutes(text, short=clock)
    if on_clock is not None:
        return on_clock
    iso = _ISO.match(text)
    if iso and text.upper() not in ("P", "PT"):
        d, h, m, s = (float(iso.group(k) or 0) for k in "dhms")
        return d * 24 * 60 + h * 60 + m + s / 60
    total = 0.0
    pos = 0
    found = False
    for match in _PART.finditer(text):
        gap = text[pos:match.start()]
        if gap.strip(" ,and+") :
            raise DurationError(f"'{text}' is not a duration this tool can read")
        total += float(match.group("num")) * _UNIT_MINUTES[match.group("unit")[0].lower()]
        pos = match.end()
        found = True
    if not found or text[pos:].strip(" ,."):
        if re.search(r"\b(tbc|tbd|todo|tba)\b", text, re.I):
            raise DurationError(f"'{text}' is a placeholder, not a duration", placeholder=True)
        raise DurationError(f"'{text}' is not a duration this tool can read")
    return total


def try_parse_duration(value: object, *, clock: bool = False) -> float | None:
    if type(value) is str:
        return _try_parse_text(value, clock)
    try:
        return parse_duration(value, clock=clock)
    except DurationError:
        return None


@lru_cache(maxsize=1024)
def _try_parse_text(value: str, clock: bool) -> float | None:
    # Several rules read the same section and activity times on every module.
    try:
        return parse_duration(value, clock=clock)
    except DurationError:
        return None


def format_minutes(minutes: float) -> str:
    """Write minutes the way authors do: ``45m``, ``1h30m``, ``2h``."""
    whole = int(round(minutes))
    hours, mins = divmod(whole, 60)
    if hours and mins:
        return f"{hours}h{mins:02d}m"
    if hours:
        return f"{hours}h"
    return f"{mins}m"


def canonical_spelling(value: object) -> str | None:
    """The short spelling of a readable duration written some other way, or None when it is
    already short (``45m``, ``90m``, ``1h30m``), cannot be read, is zero, or is not a whole
    number of minutes (rewriting ``90s`` as ``2m`` would change it).

    Figures and a unit letter, no spaces: ``90 mins`` becomes ``90m`` and ``1 hour`` ``1h``
    (the author's choice of unit is kept), ``1h 30m``, ``1.5h`` and ``PT1H30M`` become ``1h30m``,
    a bare number of minutes ``45m``."""
    if isinstance(value, bool):
        return None
    text = str(value).strip()
    if isinstance(value, str) and _COMPACT.match(text):
        return None
    minutes = try_parse_duration(value)
    if minutes is None or minutes <= 0 or abs(minutes - round(minutes)) > 1e-9:
        return None
    in_hours = bool(re.search(r"\d\s*(?:h|hours?|hrs?)(?![a-z])|T\d+(?:\.\d+)?H|^P\d", text, re.I)) or _CLOCK.match(text) is not None
    return format_minutes(minutes) if in_hours else f"{int(round(minutes))}m"
