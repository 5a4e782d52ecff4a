"""One parser for every duration an author can write.

Accepted: ``45m``, ``45 min``, ``90 minutes``, ``1h30m``, ``1h 30m``, ``1.5h``,
``2 hours 15 minutes``, ISO 8601 ``PT1H30M``, and a bare number (minutes).
"""
from __future__ import annotations

import math
import re

PLACEHOLDERS = frozenset({"?", "??", "???", "tbc", "tbd", "todo", "tba", "n/a", "na", "x", "xx", "-", "..."})

_ISO = re.compile(r"^P(?:(?P<d>\d+(?:\.\d+)?)D)?(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<m>\d+(?:\.\d+)?)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$", re.I)
_PART = re.compile(
    r"(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>hours?|hrs?|h|minutes?|mins?|m|seconds?|secs?|s)(?![a-z])",
    re.I,
)
_UNIT_MINUTES = {"h": 60.0, "m": 1.0, "s": 1 / 60}


class DurationError(ValueError):
    """A duration that cannot be read; ``placeholder`` says it was a stand-in like TBC."""

    def __init__(self, message: str, placeholder: bool = False) -> None:
        super().__init__(message)
        self.placeholder = placeholder


def parse_duration(value: object) -> float:
    """Return the duration in minutes, or raise :class:`DurationError`."""
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


def try_parse_duration(value: object) -> float | None:
    try:
        return parse_duration(value)
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
