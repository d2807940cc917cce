"""TimeML conventions the tagger follows: what a TIMEX3 spans, which type it has, how its value
is found. Every sentence here is written for the test; none comes from an evaluation set."""

from __future__ import annotations

import datetime as dt

import pytest

from storyline.text.temporal.timex import tag

REF = dt.date(2003, 6, 11)  # a Wednesday


def found(text: str, reference: dt.date | None = REF) -> list[tuple[str, str, str, str | None]]:
    return [(t.text, t.type, t.value, t.mod) for t in tag(text, reference)]


@pytest.mark.parametrize("text, expected", [
    # A part of a year named relatively is one expression, as "the third quarter of 1984" is.
    ("Output grew in the first half of this year.", [("the first half of this year", "DATE", "2003-H1", None)]),
    ("Sales fell in the third quarter of last year.", [("the third quarter of last year", "DATE", "2002-Q3", None)]),
    ("Growth should pick up in the second half of the year.",
     [("the second half of the year", "DATE", "2003-H2", None)]),
    ("The vote took place on Dec. 12 last year.", [("Dec. 12 last year", "DATE", "2002-12-12", None)]),
    ("The trial opens on 3 March next year.", [("3 March next year", "DATE", "2004-03-03", None)]),
    ("Imports rose from the same period last year.", [("the same period last year", "DATE", "2002-Q1", None)]),
    # The edges of the reference's own week, month or year.
    ("The troops will leave by the end of the month.", [("the end of the month", "DATE", "2003-06", "END")]),
    ("Prices peaked at the beginning of the year.", [("the beginning of the year", "DATE", "2003", "START")]),
    # A weekday before a date is part of it.
    ("The paper said in an editorial on Sunday, May 25: the court erred.", [("Sunday, May 25", "DATE", "2003-05-25", None)]),
    ("Shares fell sharply on Friday June 6.", [("Friday June 6", "DATE", "2003-06-06", None)]),
])
def test_one_expression_spans_the_whole_phrase(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize("text, expected", [
    # "the" before early/late/mid is part of the phrase, as before a bare decade.
    ("The fund was set up in the late 1980s.", ("the late 1980s", "DATE", "198", "END")),
    ("Rates were high in the early summer.", ("the early summer", "DATE", "2003-SU", "START")),
    ("The goal is a balanced budget by the mid-1990s.", ("the mid-1990s", "DATE", "199", "MID")),
    # Approximations of a point are inside it; so are those of a count before "ago".
    ("The shop was robbed around 9:30 p.m.", ("around 9:30 p.m.", "TIME", "2003-06-11T21:30", "APPROX")),
    ("The dam was finished nearly three years ago.", ("nearly three years ago", "DATE", "2000", "EQUAL_OR_LESS")),
    ("The company was sold about five months ago.", ("about five months ago", "DATE", "2003-01", "APPROX")),
    # "over" is "more than" after a preposition; after a verb it is the preposition.
    ("The ceasefire has held for over a month.", ("over a month", "DURATION", "P1M", "MORE_THAN")),
    ("The rules changed over several years.", ("several years", "DURATION", "PXY", None)),
    ("The loan is repaid over five years.", ("five years", "DURATION", "P5Y", None)),
    # A duration qualifying a noun leaves the noun phrase's "the" out; a duration that is the
    # noun phrase keeps it.
    ("Both sides observed the two-week truce.", ("two-week", "DURATION", "P2W", None)),
    ("The delegates left the three day meeting early.", ("three day", "DURATION", "P3D", None)),
    ("Profit doubled in the six months to June.", ("the six months", "DURATION", "P6M", None)),
])
def test_extent_of_modifiers_and_determiners(text, expected):
    assert found(text)[0] == expected


@pytest.mark.parametrize("text, expected", [
    # Frequencies are SETs, the count of occurrences inside; an amount per period is a rate, not a time.
    ("The committee meets twice a year.", [("twice a year", "SET", "P1Y", None)]),
    ("The ferry sails three times a week.", [("three times a week", "SET", "P1W", None)]),
    ("The index is revised every three months.", [("every three months", "SET", "P3M", None)]),
    ("The council meets every other week.", [("every other week", "SET", "P2W", None)]),
    ("The plant will save $40 million a year.", []),
    ("The route adds 900 seats a week.", []),
    # A count of periods in a row is a duration.
    ("The firm has lost money for four consecutive years.", [("four consecutive years", "DURATION", "P4Y", None)]),
])
def test_sets_rates_and_durations(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize("text, value", [
    # A future auxiliary makes the verb group future however it ends.
    ("Colonel Ames will be named to lead a mission in December.", "2003-12"),
    ("The bonus would be paid on a date in January.", "2004-01"),
    # "effective" and "payable" date what is still to come.
    ("The board created a new office, effective Feb. 1.", "2004-02-01"),
    ("The reduced dividend is payable Jan. 5.", "2004-01-05"),
    # An "-ed" word after a determiner is an adjective, not a past verb.
    ("The company will pay the dividend on an unspecified date in January.", "2004-01"),
])
def test_tense_of_the_governing_verb(text, value):
    assert [t.value for t in tag(text, REF)] == [value]


@pytest.mark.parametrize("text, value", [
    # Irregular past forms are the past, like the "-ed" ones: said in December, a year-less
    # March is the one gone by, though the coming one is nearer.
    ("He spoke on March 3 about the plan.", "2026-03-03"),
    ("The man died in February.", "2026-02"),
    ("They fled in February.", "2026-02"),
    ("The bridge stood empty in March.", "2026-03"),
    # A date right beside a reporting verb in the past dates the report, not what it reports.
    ("The minister said on March 3 that the talks would resume.", "2026-03-03"),
    ("The ministry, in a statement on March 3, said it would resume.", "2026-03-03"),
    ("Officials told reporters in February that nothing had been decided.", "2026-02"),
    # What is reported keeps its own tense.
    ("He said the talks will resume on March 3.", "2027-03-03"),
    ("The company will report its results on March 3.", "2027-03-03"),
])
def test_irregular_past_forms_and_the_date_of_a_report(text, value):
    assert [t.value for t in tag(text, dt.date(2026, 12, 2))] == [value]


def test_a_far_month_against_a_past_tense_stays_in_the_past():
    # Against the tense, a candidate more than a month away is a misreading: said in late
    # October, a past January is this year's, though the coming one is nearer.
    autumn = dt.date(2003, 10, 27)
    assert [t.value for t in tag("In January, the firm hired a new chief.", autumn)] == ["2003-01"]
    assert [t.value for t in tag("The firm will hire a new chief in January.", autumn)] == ["2004-01"]


def test_the_governing_verb_before_the_date_outweighs_a_participle_after_it():
    february = dt.date(2003, 2, 13)
    text = "The airline will double all of its flights by August in a hunt for markets untouched by the slump."
    assert [t.value for t in tag(text, february)] == ["2003-08"]


@pytest.mark.parametrize("text, expected", [
    # Halves are written in the next smaller unit; ranges and "or two" leave the count open.
    ("The refugees lived in camps for 2 1/2 years.", ("2 1/2 years", "DURATION", "P2Y6M", None)),
    ("The hearing lasted two and a half hours.", ("two and a half hours", "DURATION", "PT2H30M", None)),
    ("He was held for a year and a half.", ("a year and a half", "DURATION", "P1Y6M", None)),
    ("Repairs will take two to three weeks.", ("two to three weeks", "DURATION", "PXW", None)),
    ("The count may take a day or two.", ("a day or two", "DURATION", "PXD", None)),
    # "or so" and "or more" after the expression are its modifier, inside it.
    ("The strike lasted a month or so.", ("a month or so", "DURATION", "P1M", "APPROX")),
    ("The envoy arrived a week or so ago.", ("a week or so ago", "DATE", "2003-W23", "APPROX")),
    ("The mine will close over the next year or so.", ("the next year or so", "DATE", "2004", "APPROX")),
    ("The ban could last ten years or more.", ("ten years or more", "DURATION", "P10Y", "EQUAL_OR_MORE")),
    # "later" is a signal: the count before it is a duration of its own.
    ("Three days later, the rebels withdrew.", ("Three days", "DURATION", "P3D", None)),
    # "soon" looks ahead; "overnight" is the night before the report.
    ("Talks will resume soon.", ("soon", "DATE", "FUTURE_REF", None)),
    ("Rebels shelled the town overnight.", ("overnight", "TIME", "2003-06-10TNI", None)),
])
def test_fractions_ranges_and_vague_points(text, expected):
    assert found(text)[0] == expected


@pytest.mark.parametrize("text", [
    "He left as soon as the talks ended.",
    "She resigned soon after the vote.",
    "It is vital for the future of the region.",
    "Shares rose 2 1/2 to 37.",
])
def test_not_times(text):
    assert found(text) == []


@pytest.mark.parametrize("text, reference, expected", [
    # "this <season>" is the reference year's, whether it is over or still to come.
    ("Shares began trading this summer.", dt.date(2003, 11, 4), ("this summer", "DATE", "2003-SU", None)),
    ("The dam will be finished this summer.", dt.date(2003, 3, 2), ("this summer", "DATE", "2003-SU", None)),
    ("Snow has been scarce this winter.", dt.date(2003, 1, 20), ("this winter", "DATE", "2002-WI", None)),
    # A quarter not yet begun is last year's unless the sentence looks ahead.
    ("The firm reported a drop in profit for the fourth quarter.", dt.date(2003, 1, 27),
     ("the fourth quarter", "DATE", "2002-Q4", None)),
    ("The firm expects to return to profit in the fourth quarter.", dt.date(2003, 1, 27),
     ("the fourth quarter", "DATE", "2003-Q4", None)),
    # "a couple of" is two, approximately.
    ("Prices will not recover for a couple of years.", REF, ("a couple of years", "DURATION", "P2Y", "APPROX")),
    ("The envoy left a couple of weeks ago.", REF, ("a couple of weeks ago", "DATE", "2003-W22", "APPROX")),
])
def test_values_against_the_reference(text, reference, expected):
    assert found(text, reference)[0] == expected


@pytest.mark.parametrize("text", [
    # A quarter that is a share of something, not of a year.
    "Nearly three-quarters of the crop was lost.",
    "Only a quarter of the members voted.",
    "The old Jewish quarter of the city burned.",
    "The reform has critics in some quarters.",
    # "a second" before a noun is an ordinal.
    "She is seeking a second term.",
    "The team came a second-place finisher.",
    # A quarter counted in a row names no quarter (TimeBank leaves "the third consecutive month" untagged).
    "Sales rose for the third straight quarter.",
    "Margins widened for a fifth successive quarter.",
])
def test_shares_and_ordinals_are_not_times(text):
    assert found(text) == []


@pytest.mark.parametrize("text, expected", [
    ("Hold the line a second.", [("a second", "DURATION", "PT1S", None)]),
    ("The lights dimmed for a second or two.", [("a second or two", "DURATION", "PTXS", None)]),
    ("The firm has lost money for several quarters.", [("several quarters", "DURATION", "PXQ", None)]),
    # A share of a unit is written in the next smaller unit.
    ("The bridge stood for half a century.", [("half a century", "DURATION", "P50Y", None)]),
    ("The tribe ruled the valley for a quarter of a century.",
     [("a quarter of a century", "DURATION", "P25Y", None)]),
    ("The hearing was adjourned for three quarters of an hour.",
     [("three quarters of an hour", "DURATION", "PT45M", None)]),
    ("The mill closed a quarter-century ago.", [("a quarter-century ago", "DATE", "1978", None)]),
    ("The convoy left half an hour ago.", [("half an hour ago", "DATE", "2003-06-11", None)]),
])
def test_seconds_quarters_and_shares_of_units(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize("text, expected", [
    # PRESENT_REF and PAST_REF are points: a duration's modifier ("up to") stays outside.
    ("Up to now the rebels have held the pass.", [("now", "DATE", "PRESENT_REF", None)]),
])
def test_reference_points_take_no_duration_modifiers(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize("text, expected", [
    # A time zone after a clock time is part of it.
    ("The polls closed at 8 p.m. EDT.", [("8 p.m. EDT", "TIME", "2003-06-11T20:00", None)]),
    ("The blast was heard at 10:15 a.m. local time.", [("10:15 a.m. local time", "TIME", "2003-06-11T10:15", None)]),
    # A clock time on a weekday takes the tense of the whole sentence, not of the day alone.
    ("The council will vote at 9 a.m. on Tuesday.", [("9 a.m. on Tuesday", "TIME", "2003-06-17T09:00", None)]),
    ("The council voted at 9 a.m. on Tuesday.", [("9 a.m. on Tuesday", "TIME", "2003-06-10T09:00", None)]),
    # A part of the day after "that" or a preposition is a TIME on the day the text is on.
    ("The storm hit on June 2. That night, the river rose.",
     [("June 2", "DATE", "2003-06-02", None), ("That night", "TIME", "2003-06-02TNI", None)]),
    ("The storm hit on June 2. Later that evening, the river rose.",
     [("June 2", "DATE", "2003-06-02", None), ("Later that evening", "TIME", "2003-06-02TEV", "END")]),
    ("The market rallied in the afternoon.", [("the afternoon", "TIME", "2003-06-11TAF", None)]),
    ("By mid-afternoon the square was empty.", [("mid-afternoon", "TIME", "2003-06-11TAF", "MID")]),
    ("The convoy arrived in the early morning.", [("the early morning", "TIME", "2003-06-11TMO", "START")]),
    ("The talks broke up in the late evening yesterday.",
     [("the late evening yesterday", "TIME", "2003-06-10TEV", "END")]),
])
def test_times_of_day(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize("text", [
    "Viewers prefer late-night comedy.",
    "She recalled the night the dam broke.",
    "The evening of the gala was cold.",
])
def test_parts_of_day_that_are_not_times(text):
    assert found(text) == []


@pytest.mark.parametrize("text, value", [
    # Verbs of intent, promise and likelihood look ahead through their infinitive.
    ("The talks are supposed to conclude by March.", "2004-03"),
    ("The rebels vowed to retake the town in December.", "2003-12"),
    ("The merger is to be completed by Dec. 15.", "2003-12-15"),
])
def test_infinitives_of_intent_look_ahead(text, value):
    assert [t.value for t in tag(text, REF)] == [value]


@pytest.mark.parametrize("text, expected", [
    # An amount per period is a rate, not a time; the frequency of an event is a SET.
    ("The plant turns out 40,000 cars annually.", []),
    ("Exports are expected to grow 6% annually.", []),
    ("The report is published annually.", [("annually", "SET", "P1Y", None)]),
])
def test_rates_are_not_sets(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize("text, expected", [
    # "the day before yesterday" names one day, counted from the reference.
    ("The day before yesterday, the ferry sank.", [("The day before yesterday", "DATE", "2003-06-09", None)]),
    ("The envoy lands the day after tomorrow.", [("the day after tomorrow", "DATE", "2003-06-13", None)]),
    # "this" before "past" or "coming" belongs to the phrase.
    ("The mill reopened this past spring.", [("this past spring", "DATE", "2003-SP", None)]),
    ("The vote is this coming Sunday.", [("this coming Sunday", "DATE", "2003-06-15", None)]),
    ("Fares rose this past March.", [("this past March", "DATE", "2003-03", None)]),
    # The part of a named day is one TIME.
    ("The dam burst on the night of May 3.", [("the night of May 3", "TIME", "2003-05-03TNI", None)]),
    ("The strike began on the morning of Monday.", [("the morning of Monday", "TIME", "2003-06-09TMO", None)]),
    # "the year" before a year is part of it.
    ("The bridge will open in the year 2005.", [("the year 2005", "DATE", "2005", None)]),
])
def test_phrases_that_name_one_day_or_year(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize("text, expected", [
    # A date open at one end is one expression; its mod says which end.
    ("The mine will not pay until 2008 or later.", [("2008 or later", "DATE", "2008", "ON_OR_AFTER")]),
    ("The plan covers 2005 and beyond.", [("2005 and beyond", "DATE", "2005", "ON_OR_AFTER")]),
    ("Files from 1990 or earlier were burned.", [("1990 or earlier", "DATE", "1990", "ON_OR_BEFORE")]),
    # "or after" followed by a noun phrase is a second preposition, not the bound.
    ("Talks may resume in 2004 or after the vote.", [("2004", "DATE", "2004", None)]),
    # Two vague lengths joined are one expression.
    ("A verdict is due within weeks or months.", [("weeks or months", "DURATION", "PXW", None)]),
    # A plural weekday recurs: a SET.
    ("The market opens on Saturdays.", [("Saturdays", "SET", "XXXX-WXX-6", None)]),
    ("The club meets Friday nights.", [("Friday nights", "SET", "XXXX-WXX-5TNI", None)]),
])
def test_open_bounds_coordinated_lengths_and_plural_weekdays(text, expected):
    assert found(text) == expected
