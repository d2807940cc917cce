from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyline.ingest import DateParseError, parse_published
from storyline.ingest.dates import invalid_day


@pytest.mark.parametrize(("raw", "expected"), [
    ("2024-10-28", "2024-10-28"),
    ("2024-10-28T14:05:00Z", "2024-10-28T14:05:00Z"),
    ("2024-10-28T16:05:00+02:00", "2024-10-28T14:05:00Z"),
    ("2024-10-28 14:05", "2024-10-28T14:05:00"),
    ("Sat, 01 Mar 2025 09:30:00 +0100", "2025-03-01T08:30:00Z"),
    (1394470370698, "2014-03-10T16:52:50.698Z"),   # epoch milliseconds (UCI news)
    ("1394470370698", "2014-03-10T16:52:50.698Z"),
    (1394470370, "2014-03-10T16:52:50Z"),           # epoch seconds
    ("March 5, 2024", "2024-03-05T00:00:00"),
    (None, None),
    ("", None),
    ("   ", None),
])
def test_known_forms(raw, expected):
    assert parse_published(raw) == expected


@pytest.mark.parametrize("raw", ["yesterday", "not a date", "2024-13-45", "We", "may", "99999999999999999999",
                                 "1066-10-14", True])
def test_unreadable_dates_raise(raw):
    with pytest.raises(DateParseError):
        parse_published(raw)


def test_a_parsed_date_out_of_range_is_named_as_a_date():
    # A feed's dates arrive parsed; the message shows the date, not Python's repr of it.
    with pytest.raises(DateParseError) as raised:
        parse_published(datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone.utc))
    assert str(raised.value) == "date 9999-12-31T23:59:59+00:00 is out of range (year 9999; 1800-2200 are read)"
    with pytest.raises(DateParseError, match=r"^date '1066-10-14' is out of range \(year 1066; "):
        parse_published("1066-10-14")


@given(st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2199, 1, 1),
                    timezones=st.sampled_from([timezone.utc, timezone(timedelta(hours=5, minutes=30)),
                                               timezone(timedelta(hours=-8))])))
def test_aware_datetimes_round_trip_through_iso(value):
    parsed = parse_published(value.isoformat())
    back = datetime.fromisoformat(parsed.replace("Z", "+00:00"))
    assert back == value.replace(microsecond=(value.microsecond // 1000) * 1000) or back == value


@given(st.one_of(st.integers(min_value=0, max_value=7_000_000_000),                 # seconds, up to 2191
                 st.integers(min_value=100_000_000_000, max_value=4_102_444_800_000)))  # milliseconds
def test_epoch_seconds_or_milliseconds(ms):
    parsed = parse_published(ms)
    if ms >= 1e11:
        expected = datetime.fromtimestamp(ms / 1000, tz=timezone.utc)
    else:
        expected = datetime.fromtimestamp(ms, tz=timezone.utc)
    assert abs(datetime.fromisoformat(parsed.replace("Z", "+00:00")) - expected) < timedelta(milliseconds=1)


@pytest.mark.parametrize(("raw", "reason"), [
    ("2024-02-30T10:00:00Z", "day is out of range for month"),
    ("Fri, 30 Feb 2024 10:00:00 GMT", "day is out of range for month"),
    ("31 Apr. 2024", "day is out of range for month"),
    ("2024-13-45T00:00:00", "month must be in 1..12"),
])
def test_a_day_that_does_not_exist_is_named_as_such(raw, reason):
    with pytest.raises(DateParseError, match=f"is not a valid date \\({reason}\\)"):
        parse_published(raw)


_MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@given(st.integers(1900, 2199), st.integers(1, 12), st.integers(1, 31), st.booleans())
def test_invalid_day_agrees_with_the_calendar(year, month, day, rfc822):
    text = (f"Mon, {day:02d} {_MONTH_NAMES[month - 1]} {year} 10:00:00 GMT" if rfc822
            else f"{year:04d}-{month:02d}-{day:02d}T10:00:00Z")
    try:
        date(year, month, day)
        exists = True
    except ValueError:
        exists = False
    assert (invalid_day(text) is None) == exists
