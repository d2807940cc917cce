"""Dates with a month's name in German, French, Spanish, Italian, Portuguese and Dutch, on
sentences written for these tests, normalised against the article's date."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyline.text.temporal.month_names import tag_month_names
from storyline.text.temporal.timex import tag

REFERENCE = dt.date(2024, 10, 28)


def _dates(text: str, reference: dt.date | None = REFERENCE) -> list[tuple[str, str]]:
    return [(t.text, t.value) for t in tag(text, reference) if t.type == "DATE"]


@pytest.mark.parametrize("text, expected", [
    ("Der Streik begann am 21. Oktober 2024 im Hafen.", [("21. Oktober 2024", "2024-10-21")]),
    ("Die Gewerkschaft will bis zum 5. November streiken.", [("5. November", "2024-11-05")]),
    ("Im März 2023 wurde der Vertrag unterschrieben.", [("März 2023", "2023-03")]),
    ("La grève a commencé le 21 octobre 2024.", [("21 octobre 2024", "2024-10-21")]),
    ("Les négociations reprendront le 1er novembre.", [("1er novembre", "2024-11-01")]),
    ("La huelga empezó el 21 de octubre de 2024.", [("21 de octubre de 2024", "2024-10-21")]),
    ("El contrato se firmó en marzo de 2023.", [("marzo de 2023", "2023-03")]),
    ("Lo sciopero è iniziato il 21 ottobre 2024.", [("21 ottobre 2024", "2024-10-21")]),
    ("A greve começou em 21 de outubro de 2024.", [("21 de outubro de 2024", "2024-10-21")]),
    ("De staking begon op 21 oktober.", [("21 oktober", "2024-10-21")]),
    ("Le 3 mars, le port a rouvert.", [("3 mars", "2025-03-03")]),  # the 3 March nearest the reference
    ("Am 3. Mai wurde gewählt.", [("3. Mai", "2024-05-03")]),
    ("Die Frist endet am 28.10.2024 um Mitternacht.", [("28.10.2024", "2024-10-28")]),  # day first, with points
    ("Il decreto del 1.3.2023 è scaduto.", [("1.3.2023", "2023-03-01")]),
    ("Le contrat a été signé le 25/03/2020 à Paris.", [("25/03/2020", "2020-03-25")]),  # only a day is 25
    ("بتاريخ 26/4/2020 أعلنت الوزارة.", [("26/4/2020", "2020-04-26")]),
    ("Die Frist lief am 3-3-2020 ab.", [("3-3-2020", "2020-03-03")]),  # the same either way
    ("The deal closed 31/12/2019.", [("31/12/2019", "2019-12-31")]),
    # either could be the month: the day first in text mostly in another language, the month in English
    ("El contrato se firmó el 02/01/2020 en Madrid.", [("02/01/2020", "2020-01-02")]),
    ("Der Vertrag wurde am 02/01/2020 in Berlin unterschrieben, und das ist nicht neu.", [("02/01/2020", "2020-01-02")]),
    ("Sales rose on 02/01/2020 in New York.", [("02/01/2020", "2020-02-01")]),
    ("02/01/2020", [("02/01/2020", "2020-02-01")]),  # no words to tell
    ("Забастовка началась 21 октября 2024 года в порту.", [("21 октября 2024", "2024-10-21")]),
    ("Переговоры возобновятся 5 ноября.", [("5 ноября", "2024-11-05")]),
    ("Договор подписали в марте 2023 года.", [("марте 2023", "2023-03")]),
    ("Strajk rozpoczął się 21 października 2024 r.", [("21 października 2024", "2024-10-21")]),
    ("Umowę podpisano w marcu 2023 roku.", [("marcu 2023", "2023-03")]),
    ("Grev 21 Ekim 2024'te başladı.", [("21 Ekim 2024", "2024-10-21")]),
    ("Görüşmeler 5 Kasım'da sürecek.", [("5 Kasım", "2024-11-05")]),
    ("بدأ الإضراب في 21 أكتوبر 2024 في الميناء.", [("21 أكتوبر 2024", "2024-10-21")]),
    ("بدأ الإضراب في ٢١ أكتوبر ٢٠٢٤.", [("٢١ أكتوبر ٢٠٢٤", "2024-10-21")]),  # Arabic-Indic digits
    ("وقعت الاتفاقية في 3 تشرين الأول 2023.", [("3 تشرين الأول 2023", "2023-10-03")]),
    ("في آذار 2023 وقعت الاتفاقية.", [("آذار 2023", "2023-03")]),
])
def test_dates(text, expected):
    assert _dates(text) == expected


@pytest.mark.parametrize("text", [
    "The 2 Mars rovers landed.",  # only German writes its months capitalised
    "Version v2 mars et 1.5 mai",  # a number inside a word or after a point
    "Le 31 février, rien.",  # no such day
    "Im Mai wurde gewählt.",  # a month's name alone
    "Die Werte 31.02.2020 und v1.2.2020 und 1.2.2020.5",  # no such day; inside a word; a longer number
])
def test_no_date(text):
    assert _dates(text) == []


def test_english_dates_stay_the_english_rules():
    assert _dates("On October 17 and on 28 September 2024 the strike went on.") == [
        ("October 17", "2024-10-17"), ("28 September 2024", "2024-09-28")]


def test_without_a_reference_a_date_without_its_year_keeps_xxxx():
    assert [v for *_, v in tag_month_names("le 1er mars et le 21 octobre 2024", None)] == ["XXXX-03-01", "2024-10-21"]


@given(st.text(st.sampled_from("0123456789 .,deOktobermarsoctubreMai"), max_size=60))
def test_any_text_gives_dates_inside_it_that_do_not_overlap(text):
    found = sorted(tag_month_names(text, REFERENCE))
    for (start, end, kind, value), following in zip(found, found[1:] + [None]):
        assert 0 <= start < end <= len(text) and kind == "DATE" and value
        assert following is None or following[0] >= end
