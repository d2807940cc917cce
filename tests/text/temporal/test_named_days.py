"""Days, weekdays, weeks, weekends, months and years named from the reference in German, French,
Spanish, Italian, Portuguese, Dutch, Russian, Polish, Turkish and Arabic, on sentences written for
these tests. The reference is a
Wednesday, so that "last", "next" and a bare weekday land on different days."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyline.text.temporal.named_days import tag_named_days
from storyline.text.temporal.timex import tag

REFERENCE = dt.date(2024, 10, 30)  # a Wednesday


def _found(text: str, reference: dt.date | None = REFERENCE) -> list[tuple[str, str, str]]:
    return [(t.text, t.type, t.value) for t in tag(text, reference)]


@pytest.mark.parametrize("text, expected", [
    # the days named from the reference
    ("Der Streik begann gestern im Hafen.", [("gestern", "DATE", "2024-10-29")]),
    ("Vorgestern wurde gewählt.", [("Vorgestern", "DATE", "2024-10-28")]),
    ("Morgen wird weiter verhandelt.", [("Morgen", "DATE", "2024-10-31")]),
    ("Er kommt morgen früh zurück.", [("morgen früh", "TIME", "2024-10-31TMO")]),
    ("Heute Abend spricht der Kanzler.", [("Heute Abend", "TIME", "2024-10-30TEV")]),
    ("La grève a commencé hier dans le port.", [("hier", "DATE", "2024-10-29")]),
    ("Il arrivera demain matin à Paris.", [("demain matin", "TIME", "2024-10-31TMO")]),
    ("Le ministre a parlé hier soir.", [("hier soir", "TIME", "2024-10-29TEV")]),
    ("Aujourd'hui, le port est fermé.", [("Aujourd'hui", "DATE", "2024-10-30")]),
    ("La huelga empezó ayer.", [("ayer", "DATE", "2024-10-29")]),
    ("Mañana habrá huelga.", [("Mañana", "DATE", "2024-10-31")]),
    ("El presidente habló anoche.", [("anoche", "TIME", "2024-10-29TNI")]),
    ("Esta mañana llovió en Madrid.", [("Esta mañana", "TIME", "2024-10-30TMO")]),
    ("Lo sciopero è iniziato ieri sera.", [("ieri sera", "TIME", "2024-10-29TEV")]),
    ("Il governo decide oggi.", [("oggi", "DATE", "2024-10-30")]),
    ("A greve começou ontem à noite.", [("ontem à noite", "TIME", "2024-10-29TNI")]),
    ("O governo decide amanhã.", [("amanhã", "DATE", "2024-10-31")]),
    ("De staking begon gisteren.", [("gisteren", "DATE", "2024-10-29")]),
    ("Vanavond spreekt de premier.", [("Vanavond", "TIME", "2024-10-30TEV")]),
    # weekdays: a bare one is the nearest before the reference, or after it in a future sentence
    ("Am Montag sagte die Gewerkschaft nichts.", [("Montag", "DATE", "2024-10-28")]),
    ("Die Gespräche werden am Freitag fortgesetzt.", [("Freitag", "DATE", "2024-11-01")]),
    ("Am Montagabend kam es zu Protesten.", [("Montagabend", "TIME", "2024-10-28TEV")]),
    ("Am Montag Abend kam es zu Protesten.", [("Montag Abend", "TIME", "2024-10-28TEV")]),
    ("Nächsten Montag wird gewählt.", [("Nächsten Montag", "DATE", "2024-11-04")]),
    ("Lundi soir, la police a arrêté deux hommes.", [("Lundi soir", "TIME", "2024-10-28TEV")]),
    ("Il a parlé mardi dernier.", [("mardi dernier", "DATE", "2024-10-29")]),
    ("Le vote aura lieu dimanche prochain.", [("dimanche prochain", "DATE", "2024-11-03")]),
    ("El lunes, el gobierno anunció nuevas medidas.", [("lunes", "DATE", "2024-10-28")]),
    ("El próximo lunes se votará la ley.", [("El próximo lunes", "DATE", "2024-11-04")]),
    ("La reunión será el domingo.", [("domingo", "DATE", "2024-11-03")]),
    ("Lunedì prossimo si vota.", [("Lunedì prossimo", "DATE", "2024-11-04")]),
    ("Il ministro ha parlato martedì pomeriggio.", [("martedì pomeriggio", "TIME", "2024-10-29TAF")]),
    ("Na segunda-feira, o governo anunciou cortes.", [("segunda-feira", "DATE", "2024-10-28")]),
    ("Maandagavond werd er geprotesteerd.", [("Maandagavond", "TIME", "2024-10-28TEV")]),
    ("Het kabinet zal vrijdag beslissen.", [("vrijdag", "DATE", "2024-11-01")]),
    ("Woensdag viel het besluit.", [("Woensdag", "DATE", "2024-10-30")]),  # the reference's own weekday
    # a weekday before a date: the date says which day
    ("Die Versammlung findet am Mittwoch, dem 10. Juni 2020 statt.",
     [("Mittwoch, dem 10. Juni 2020", "DATE", "2020-06-10")]),
    ("Fränkische Nachrichten, Mittwoch, 11.03.2020", [("Mittwoch, 11.03.2020", "DATE", "2020-03-11")]),
    # this, last and next week, month and year
    ("Letzte Woche stieg der Preis.", [("Letzte Woche", "DATE", "2024-W43")]),
    ("Im vergangenen Jahr wuchs die Wirtschaft.", [("vergangenen Jahr", "DATE", "2023")]),
    ("Die Wahl findet diese Woche statt.", [("diese Woche", "DATE", "2024-W44")]),
    ("La semaine dernière, le ministre a démissionné.", [("La semaine dernière", "DATE", "2024-W43")]),
    ("L'an dernier, les ventes ont baissé.", [("L'an dernier", "DATE", "2023")]),
    ("Cette année, le budget baisse.", [("Cette année", "DATE", "2024")]),
    ("El año pasado hubo elecciones.", [("El año pasado", "DATE", "2023")]),
    ("La próxima semana se vota.", [("La próxima semana", "DATE", "2024-W45")]),
    ("Este mes subió el paro.", [("Este mes", "DATE", "2024-10")]),
    ("L'anno scorso la crescita è stata debole.", [("L'anno scorso", "DATE", "2023")]),
    ("Quest'anno è diverso.", [("Quest'anno", "DATE", "2024")]),
    ("O mês que vem haverá eleições.", [("O mês que vem", "DATE", "2024-11")]),
    ("Vorig jaar daalde de omzet.", [("Vorig jaar", "DATE", "2023")]),
    ("Volgende week wordt er gestemd.", [("Volgende week", "DATE", "2024-W45")]),
    # a count ago
    ("Vor drei Tagen begann der Streik.", [("Vor drei Tagen", "DATE", "2024-10-27")]),
    ("Vor einem Jahr war alles anders.", [("Vor einem Jahr", "DATE", "2023")]),
    ("Il y a deux semaines, le port a fermé.", [("Il y a deux semaines", "DATE", "2024-W42")]),
    ("Hace 34 años que empezó.", [("Hace 34 años", "DATE", "1990")]),
    ("Tre giorni fa è iniziato lo sciopero.", [("Tre giorni fa", "DATE", "2024-10-27")]),
    ("Há três meses começou a greve.", [("Há três meses", "DATE", "2024-07")]),
    ("Drie dagen geleden begon de staking.", [("Drie dagen geleden", "DATE", "2024-10-27")]),
    # Russian, Polish, Turkish, Arabic
    ("Забастовка началась вчера в порту.", [("вчера", "DATE", "2024-10-29")]),
    ("Сегодня утром президент выступил.", [("Сегодня утром", "TIME", "2024-10-30TMO")]),
    ("В пятницу профсоюз объявил забастовку.", [("пятницу", "DATE", "2024-10-25")]),
    ("Переговоры продолжатся в следующий понедельник.", [("следующий понедельник", "DATE", "2024-11-04")]),
    ("На прошлой неделе цены выросли.", [("прошлой неделе", "DATE", "2024-W43")]),
    ("Три дня назад началась забастовка.", [("Три дня назад", "DATE", "2024-10-27")]),
    ("Неделю назад всё было иначе.", [("Неделю назад", "DATE", "2024-W43")]),
    ("Strajk zaczął się wczoraj wieczorem.", [("wczoraj wieczorem", "TIME", "2024-10-29TEV")]),
    ("W przyszły poniedziałek rząd zdecyduje.", [("przyszły poniedziałek", "DATE", "2024-11-04")]),
    ("W tym roku jest inaczej.", [("tym roku", "DATE", "2024")]),
    ("Rok temu było inaczej.", [("Rok temu", "DATE", "2023")]),
    ("Grev dün limanda başladı.", [("dün", "DATE", "2024-10-29")]),
    ("Cuma günü sendika grev ilan etti.", [("Cuma günü", "DATE", "2024-10-25")]),
    ("Cuma günü grev yapılacak.", [("Cuma günü", "DATE", "2024-11-01")]),  # a future verb
    ("Haftaya Salı karar verilecek.", [("Haftaya Salı", "DATE", "2024-11-05")]),
    ("Geçen hafta fiyatlar yükseldi.", [("Geçen hafta", "DATE", "2024-W43")]),
    ("Üç gün önce grev başladı.", [("Üç gün önce", "DATE", "2024-10-27")]),
    ("بدأ الإضراب أمس في الميناء.", [("أمس", "DATE", "2024-10-29")]),
    ("أعلنت النقابة يوم الخميس الإضراب.", [("يوم الخميس", "DATE", "2024-10-24")]),
    ("سيعقد الاجتماع الخميس المقبل.", [("الخميس المقبل", "DATE", "2024-10-31")]),
    ("ارتفعت الأسعار الأسبوع الماضي.", [("الأسبوع الماضي", "DATE", "2024-W43")]),
    ("بدأ الإضراب قبل ثلاثة أيام.", [("قبل ثلاثة أيام", "DATE", "2024-10-27")]),
    ("وقع الاتفاق قبل عامين.", [("قبل عامين", "DATE", "2022")]),  # the dual: two years
    ("الاجتماع الأربعاء 19 فبراير 2020 في القاهرة.", [("الأربعاء 19 فبراير 2020", "DATE", "2020-02-19")]),
    # weekends
    ("Letztes Wochenende gab es Proteste.", [("Letztes Wochenende", "DATE", "2024-W43-WE")]),
    ("Le week-end dernier, il a plu.", [("Le week-end dernier", "DATE", "2024-W43-WE")]),
    ("Este fin de semana habrá protestas.", [("Este fin de semana", "DATE", "2024-W44-WE")]),
    ("В эти выходные прошли протесты.", [("эти выходные", "DATE", "2024-W44-WE")]),
    ("Bu hafta sonu hava güzel olacak.", [("Bu hafta sonu", "DATE", "2024-W44-WE")]),
])
def test_expressions(text, expected):
    assert _found(text) == expected


@pytest.mark.parametrize("text", [
    "Er ist hier in Berlin.",  # German "hier" is "here"
    "Het is hier koud.",  # so is Dutch
    "Am Morgen war es ruhig.",  # the morning, not tomorrow
    "Por la mañana llovió.",
    "A.J. Ayer wrote it.",  # a name inside a sentence
    "Plácido Domingo sang in Vienna.",
    "El museo cierra los lunes.",  # every Monday
    "Il museo è chiuso il lunedì.",
    "Hoy en día nadie lee periódicos.",  # nowadays
    "Demain sera une journée difficile à oublier.",  # "sera" here is "will be", not Italian's evening
    "Pazar yerinde kalabalık vardı.",  # the market, not Sunday
    "في اليوم التالي انتهى الإضراب.",  # the next day
    "وهو اليوم الذي شهد مظاهرات.",  # the day that …
    "Vor Tagen war es anders.",  # no count
    "يعمل في الشركة منذ عامين.",  # for two years, a length
])
def test_no_expression_or_not_that_one(text):
    found = _found(text)
    assert found in ([], [("Demain", "DATE", "2024-10-31")])


def test_english_text_is_the_english_rules_alone():
    text = ("The minister said on Monday that the talks would resume next week, and the union, which met the "
            "workers at the port, said the strike would go on. Hier, the French word, is not read here.")
    assert _found(text) == [("Monday", "DATE", "2024-10-28"), ("next week", "DATE", "2024-W45")]
    assert list(tag_named_days(text, REFERENCE)) == []


def test_without_a_reference_values_keep_x():
    found = [(s, v) for s, _, _, v in tag_named_days("Gestern und am Montag, vor drei Tagen, letzte Woche.", None)]
    assert [v for _, v in found] == ["XXXX-XX-XX", "XXXX-WXX-1", "PAST_REF", "XXXX-WXX"]


def test_a_german_article_gets_its_timeline_dates():
    text = ("Die Hafenarbeiter in Hamburg haben am Montag ihren Streik begonnen. Gestern weitete sich der "
            "Ausstand auf Bremen aus. Die Gewerkschaft will am Freitag erneut verhandeln; vor zwei Wochen "
            "waren die Gespräche gescheitert.")
    assert [v for _, _, v in _found(text)] == ["2024-10-28", "2024-10-29", "2024-11-01", "2024-W42"]


_ALPHABET = st.sampled_from(["gestern", "Gestern", "hier", "Montag", "lundi", "Lundi", "prochain", "dernier",
                             "vor", "drei", "Tagen", "il y a", "la", "semaine", "dernière", "mañana", "la",
                             "los", "lunes", "Abend", "soir", "sera", "10.", "Juni", "2020", ",", ".", " ",
                             "the", "de", "morgen", "früh", "'", "anno", "scorso", "hace", "34", "años",
                             "вчера", "три", "дня", "назад", "Pazar", "günü", "Bu", "hafta", "sonu", "قبل",
                             "عامين", "اليوم", "التالي", "الخميس", "المقبل"])


@given(st.lists(_ALPHABET, max_size=30).map(" ".join))
def test_any_text_gives_expressions_inside_it_that_do_not_overlap(text):
    found = list(tag_named_days(text, REFERENCE))
    for (start, end, kind, value), following in zip(found, found[1:] + [None]):
        assert 0 <= start < end <= len(text) and kind in ("DATE", "TIME") and value
        assert following is None or following[0] >= end


def test_linear_in_the_text():
    # the shape that made taggers quadratic: no sentence break; a generous bound, not a speed target
    words = "die Gewerkschaft hat gestern am Montag vor drei Tagen letzte Woche hier la semaine dernière lunes".split()
    text = " ".join(words[i % len(words)] for i in range(40_000))
    started = time.monotonic()
    found = list(tag_named_days(text, REFERENCE))
    assert len(found) > 10_000
    assert time.monotonic() - started < 30
