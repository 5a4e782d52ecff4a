import pytest

from modlint.durations import DurationError, format_minutes, parse_duration


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
