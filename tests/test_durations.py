import pytest

from modlint.durations import DurationError, canonical_spelling, format_minutes, parse_duration


@pytest.mark.parametrize(
    "text,minutes",
    [
        ("45m", 45), ("1h30m", 90), ("1h 30m", 90), ("90 min", 90), ("90 minutes", 90), ("1.5h", 90),
        ("PT1H30M", 90), ("pt45m", 45), ("2 hours 15 minutes", 135), ("1 hour", 60), (45, 45), (1.5, 1.5),
        ("45", 45), ("P1D", 1440), ("30s", 0.5), ("1h, 15m", 75),
    ],
)
def test_parses(text, minutes):
    assert parse_duration(text) == pytest.approx(minutes)


@pytest.mark.parametrize("text", ["??", "TBC", "tbd", "", "  ", "x"])
def test_placeholders(text):
    with pytest.raises(DurationError):
        parse_duration(text)
    if text.strip():
        with pytest.raises(DurationError) as info:
            parse_duration(text)
        assert info.value.placeholder


@pytest.mark.parametrize("text", ["soon", "45 apples", "1h30", "PT", "P", "-5", "h", "about an hour", True, None, float("nan")])
def test_rejects(text):
    with pytest.raises(DurationError):
        parse_duration(text)


@pytest.mark.parametrize("minutes,text", [(45, "45m"), (90, "1h30m"), (120, "2h"), (5, "5m")])
def test_format(minutes, text):
    assert format_minutes(minutes) == text
    assert parse_duration(text) == minutes


# -- clock forms, as a media player shows a length -----------------------------------

@pytest.mark.parametrize("text,minutes", [("25:30", 25.5), ("0:45", 0.75), ("75:00", 75), ("1:30:00", 90), ("0:12:30", 12.5)])
def test_clock_forms_are_read_for_media(text, minutes):
    assert parse_duration(text, clock=True) == pytest.approx(minutes)


def test_hours_minutes_seconds_are_read_everywhere():
    assert parse_duration("1:30:00") == 90


@pytest.mark.parametrize("text", ["1:30", "25:30"])
def test_a_short_clock_form_is_ambiguous_outside_media(text):
    # 'duration: 1:30' could be an hour and a half or ninety seconds: it is refused, and says why.
    with pytest.raises(DurationError) as info:
        parse_duration(text)
    assert info.value.clock and not info.value.placeholder


@pytest.mark.parametrize("text", ["25:61", "1:5", ":30", "1:30:", "1::30"])
def test_malformed_clock_forms_are_rejected(text):
    with pytest.raises(DurationError):
        parse_duration(text, clock=True)


# -- the short spelling TIME008 normalises to ------------------------------------------

@pytest.mark.parametrize(
    "value,short",
    [
        ("90 mins", "90m"), ("50 minutes", "50m"), ("1 hour", "1h"), ("2 hours", "2h"), ("1h 30m", "1h30m"),
        ("2 hours 30 minutes", "2h30m"), ("1.5h", "1h30m"), ("0.25h", "15m"), ("PT45M", "45m"), ("PT1H30M", "1h30m"),
        ("45", "45m"), (45, "45m"), ("1H", "1h"), ("1:30:00", "1h30m"),
    ],
)
def test_canonical_spelling(value, short):
    assert canonical_spelling(value) == short
    assert parse_duration(short) == parse_duration(value)


@pytest.mark.parametrize("value", ["45m", "90m", "1h30m", "2h", "1h5m", "30s", "90s", "TBC", "soon", "0", "0m", True, None, "25:30"])
def test_canonical_spelling_leaves_short_unreadable_and_sub_minute_values(value):
    assert canonical_spelling(value) is None
