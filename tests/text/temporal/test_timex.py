"""The temporal tagger: the forms the issue names, resolved against the article's date."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.golden import check_golden
from storyline.timex_files import tag_file, tag_text
from storyline.text.temporal.timex import Timex, tag

REF = dt.date(2024, 10, 28)  # the seeds' date, a Monday


def one(text: str, reference: dt.date | None = REF) -> Timex:
    found = tag(text, reference)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("text, expected_text, type_, value, mod", [
    # Absolute dates in the common news forms; year-less ones take the year the tense points to.
    ("On October 17, Zelenskyy said that Russia was preparing troops.", "October 17", "DATE", "2024-10-17", None),
    ("They will be ready for combat as early as November 1.", "November 1", "DATE", "2024-11-01", None),
    ("The summit opened on Oct. 3, 2023 in Vilnius.", "Oct. 3, 2023", "DATE", "2023-10-03", None),
    ("The talks ended on 17 October 2024.", "17 October 2024", "DATE", "2024-10-17", None),
    ("The vote was held in March 2022.", "March 2022", "DATE", "2022-03", None),
    ("Prices rose sharply in 1998.", "1998", "DATE", "1998", None),
    ("The report is dated 2024-09-30.", "2024-09-30", "DATE", "2024-09-30", None),
    ("The treaty was signed in the 1990s.", "the 1990s", "DATE", "199", None),
    # Ranges.
    ("Troops would be used in combat zones on October 27-28.", "October 27-28", "DATE",
     "2024-10-27/2024-10-28", None),
    ("The fair ran between March 3 and 5.", "March 3 and 5", "DATE", "2024-03-03/2024-03-05", None),
    # Partial and fuzzy ones.
    ("In early October, the minister said the troops had arrived.", "early October", "DATE", "2024-10", "START"),
    ("Prices fell in late August.", "late August", "DATE", "2024-08", "END"),
    ("Talks resumed in mid-September.", "mid-September", "DATE", "2024-09", "MID"),
    ("Gas use peaked last winter.", "last winter", "DATE", "2023-WI", None),
    ("Fighting will intensify in the coming weeks.", "the coming weeks", "DURATION", "PXW", None),
    ("The plant closed at the end of 2023.", "the end of 2023", "DATE", "2023", "END"),
    # Relative ones, against the article's date.
    ("The minister said yesterday that talks had failed.", "yesterday", "DATE", "2024-10-27", None),
    ("Officials met today.", "today", "DATE", "2024-10-28", None),
    ("He resigned last week.", "last week", "DATE", "2024-W43", None),
    ("The ministry said on Friday that it had no comment.", "Friday", "DATE", "2024-10-25", None),
    ("The ministry will answer on Friday.", "Friday", "DATE", "2024-11-01", None),
    ("The bridge collapsed two days ago.", "two days ago", "DATE", "2024-10-26", None),
    ("Sales fell last year.", "last year", "DATE", "2023", None),
    ("Parliament votes next month.", "next month", "DATE", "2024-11", None),
    ("Profit rose in the third quarter.", "the third quarter", "DATE", "2024-Q3", None),
    ("He spoke on Sunday night.", "Sunday night", "TIME", "2024-10-27TNI", None),
    ("The strike began at 3 p.m.", "3 p.m.", "TIME", "2024-10-28T15:00", None),
    ("Prices are falling now.", "now", "DATE", "PRESENT_REF", None),
    # Durations and sets.
    ("The siege lasted three years.", "three years", "DURATION", "P3Y", None),
    ("Talks went on for more than 24 hours.", "more than 24 hours", "DURATION", "PT24H", "MORE_THAN"),
    ("For weeks, Ukraine has warned of this.", "weeks", "DURATION", "PXW", None),
    ("The paper is published daily.", "daily", "SET", "P1D", None),
    ("The council meets every Monday.", "every Monday", "SET", "XXXX-WXX-1", None),
])
def test_forms(text, expected_text, type_, value, mod):
    found = one(text)
    assert (found.text, found.type, found.value, found.mod) == (expected_text, type_, value, mod)
    assert text[found.start:found.end] == found.text


def test_anaphoric_dates_follow_the_last_date_named():
    text = "The ceasefire was signed on March 3, 2022. The previous day, shelling had stopped. " \
           "The next day, prisoners were exchanged."
    values = [t.value for t in tag(text, REF)]
    assert values == ["2022-03-03", "2022-03-02", "2022-03-04"]


@pytest.mark.parametrize("text, values", [
    # "that year", "that month", ... name the period of the last date named (TimeML: anchored).
    ("The plant opened in 1996. That year, wages fell.", ["1996", "1996"]),
    ("The ceasefire was signed on March 3, 2022. Prices doubled that month.", ["2022-03-03", "2022-03"]),
    ("The ceasefire was signed on March 3, 2022. The talks collapsed that week.", ["2022-03-03", "2022-W09"]),
    ("Sales fell in the second quarter of 2021, and profit fell that quarter too.", ["2021-Q2", "2021-Q2"]),
    # Without a date before it, the period is the article's own.
    ("The deal closed that week.", ["2024-W44"]),
    # "that" not before a period, or a period's compound, is no date.
    ("He said that years of war had passed.", []),
])
def test_that_year_names_the_period_of_the_last_date(text, values):
    assert [t.value for t in tag(text, REF)] == values


def test_that_before_a_compound_of_a_period_stays_out():
    assert [t.text for t in tag("The firm said that year-end sales rose.", REF)] == ["year-end"]


def test_a_year_earlier_in_an_earnings_report_is_the_same_quarter():
    text = "Third-quarter profit rose 12%. A year earlier the company lost money."
    assert [t.value for t in tag(text, dt.date(1989, 11, 2))] == ["1989-Q3", "1988-Q3"]


@pytest.mark.parametrize("text", [
    "We may see more fighting, and we may not.",
    "We said it would happen.",
    "Protesters march on the capital; they will march again.",
    "The army sent 2000 troops and 1500 tanks.",
    "The 6-year-old boy was found safe.",
    "Sun and Wed are abbreviations nobody writes here.",
    "He won 50% of the vote, up from 44.",
])
def test_no_false_dates(text):
    assert tag(text, REF) == []


def test_may_and_march_as_months_need_a_preposition():
    assert [t.value for t in tag("Elections are due in May.", REF)] == ["2025-05"]
    assert [t.value for t in tag("It began in March.", REF)] == ["2024-03"]
    assert [t.text for t in tag("May 9 is a holiday in Russia.", REF)] == ["May 9"]


def test_without_reference_year_less_values_keep_x():
    assert [t.value for t in tag("On October 17 he spoke, and yesterday he left.", None)] == \
        ["XXXX-10-17", "XXXX-XX-XX"]
    assert one("In 1999 the euro was born.", None).value == "1999"


def test_tense_moves_a_year_less_date_across_the_new_year():
    # Said on 2 January: a past event of "December 28" is last year's, a future "January 14" this year's.
    jan = dt.date(2025, 1, 2)
    assert one("The fire broke out on December 28.", jan).value == "2024-12-28"
    assert one("The hearing will be held on January 14.", jan).value == "2025-01-14"
    assert one("The court said the hearing is set for Jan. 14.", jan).value == "2025-01-14"


def test_as_dict_is_the_cli_record():
    record = one("In early October it began.").as_dict()
    assert record == {"start": 3, "end": 16, "text": "early October", "type": "DATE", "value": "2024-10", "mod": "START"}
    assert "mod" not in one("On October 17 it began.").as_dict()


_WORDS = st.sampled_from(["On", "October", "17", "27-28", "early", "last", "week", "year", "We", "may", "May",
                          "Friday", "night", "two", "days", "ago", "the", "previous", "day", "said", "will",
                          "2024", "1990s", "3", "p.m.", "every", "Monday", ",", ".", "-", "quarter", "third",
                          "a", "year", "earlier", "daily", "now", "between", "and", "5", "of", "mid-"])


def test_an_offset_that_leaves_the_calendar_is_no_date():
    """Found by the property test below: 2024 years before 2000 is year -24, which no date holds."""
    assert tag("2024 year earlier", dt.date(2000, 1, 1)) == []
    assert tag("3000000 days ago", dt.date(2000, 1, 1)) == []


@settings(max_examples=300, deadline=None)
@example(words=["2024", "year", "earlier"], reference=dt.date(2000, 1, 1))
@given(st.lists(_WORDS, max_size=30), st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_offsets_order_and_types_hold_for_any_text(words, reference):
    text = " ".join(words)
    found = tag(text, reference)
    assert all(text[t.start:t.end] == t.text and t.text.strip() == t.text for t in found)
    assert all(a.end <= b.start for a, b in zip(found, found[1:]))
    assert all(t.type in ("DATE", "TIME", "DURATION", "SET") and t.value for t in found)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200), st.dates())
def test_any_text_is_tagged_without_error(text, reference):
    for t in tag(text, reference):
        assert text[t.start:t.end] == t.text


def test_seed_prefix_gives_the_reference_and_offsets_count_from_the_file(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(" date 2024-10-28 On October 17, he spoke. Yesterday he left.", encoding="utf-8")
    tagged = tag_file(path)
    text = path.read_text(encoding="utf-8")
    assert tagged.reference == REF
    assert [(text[t.start:t.end], t.value) for t in tagged.timexes] == [("October 17", "2024-10-17"),
                                                                      ("Yesterday", "2024-10-27")]
    # An explicit date wins over the prefix.
    assert tag_text(text, dt.date(2025, 1, 1))[1][1].value == "2024-12-31"


def test_seeds_golden(seeds_dir, update_golden):
    actual = {f.name: [t.as_dict() for t in tag_file(f).timexes] for f in sorted(seeds_dir.glob("*.txt"))}
    check_golden("seeds_timex", actual, update_golden)
    dates = {t["value"] for found in actual.values() for t in found if t["type"] == "DATE"}
    assert {"2024-10-15", "2024-10-17", "2024-10-25", "2024-10-27/2024-10-28", "2024-11-01", "2024-10"} <= dates


def test_trigger_windows_find_what_a_full_scan_finds(data_dir, seeds_dir, monkeypatch):
    # Rules run only in windows around trigger words, and skip windows without their words;
    # both are speed-ups that must not change a single expression.
    from storyline.eval.timeml import read_timeml_dir
    from storyline.text.temporal import timex as module

    docs = [(d.text, d.dct) for d in read_timeml_dir(data_dir / "tempeval3" / "TBAQ-cleaned" / "TimeBank")]
    docs += [(p.read_text(encoding="utf-8"), dt.date(2016, 10, 1))
             for p in sorted((data_dir / "polnear" / "dev" / "text").glob("*.txt"))]
    docs += [(p.read_text(encoding="utf-8"), REF) for p in sorted(seeds_dir.glob("*.txt"))]
    windowed = [tag(text, ref) for text, ref in docs]
    monkeypatch.setattr(module, "_windows", lambda text: [(0, len(text))])
    monkeypatch.setattr(module, "_NEEDS", {})
    assert [tag(text, ref) for text, ref in docs] == windowed
