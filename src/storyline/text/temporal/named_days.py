"""Days, weekdays, weeks, weekends, months and years named from the reference date in German,
French, Spanish, Italian, Portuguese, Dutch, Russian, Polish, Turkish and Arabic, normalised as
TimeML values.

News in these languages dates most of what it reports this way, not by a month's name
(:mod:`.month_names`): "gestern", "hier", "ayer", "ieri", "ontem", "gisteren", "вчера",
"wczoraj", "dün", "أمس" (yesterday); "am Montag", "lundi", "el lunes", "lunedì", "na
segunda-feira", "maandag", "в понедельник", "w poniedziałek", "Pazartesi günü", "يوم الاثنين";
"letzte Woche", "la semaine dernière", "el año pasado", "l'anno scorso", "o mês passado", "vorig
jaar", "на прошлой неделе", "w zeszłym tygodniu", "geçen hafta", "الأسبوع الماضي"; "vor drei
Tagen", "il y a trois jours", "hace tres días", "tre giorni fa", "há três dias", "drie dagen
geleden", "три дня назад", "trzy dni temu", "üç gün önce", "قبل ثلاثة أيام". What this finds,
against the reference (the article's date):

- the days named from it (the day before yesterday … the day after tomorrow), alone (DATE) or
  with a part of the day ("gestern Abend", "hier soir", "ayer por la tarde", "ieri sera",
  "ontem à noite", "сегодня утром", "wczoraj wieczorem", "dün akşam": TIME, ``2024-10-27TEV``),
  and the parts of today written as one word ("stamattina", "vanavond", "anoche");
- weekdays, alone or with a part of the day ("Montagabend", "lundi soir"); "next" and "last"
  ("nächsten Montag", "lundi prochain", "el pasado lunes", "в следующий понедельник", "الخميس
  المقبل") choose the week; a bare weekday is the nearest one on or before the reference, or on
  or after it where its sentence speaks of the future ("wird", "va", "será", "sarà", "vai",
  "zal", "будет", "będzie", "-ecek", "سوف" …), as :func:`.calendar.anchor_weekday` anchors
  English ones; the reference's own weekday is the reference day;
- this, last and next week, weekend, month and year (ISO week, ``2024-W43-WE``, ``YYYY-MM``,
  ``YYYY``);
- a count of days, weeks, months or years ago (the day, week, month or year it lands in), the
  count left out where the unit counts itself ("неделю назад", "قبل عامين": two years, Arabic's dual).

Words that mean something else in a language these rules also read are read only where they
cannot: "hier" is yesterday only in French text (German and Dutch "hier" is "here"), "morgen"
(German and Dutch "tomorrow") not after a determiner or "heute"/"gestern" ("am Morgen", "de
morgen": the morning), "mañana" not after "la", "esta", "cada" (the morning), "اليوم" not in "اليوم
التالي" (the next day) or "ذلك اليوم" (that day), Turkish "Pazar" only with "günü" or "next"/"last"
("pazar" is the market). Weekdays are read as each language writes them: capitalised in German
and Turkish, in lower case elsewhere ("Domingo" inside a sentence is a name). The extent holds a
determiner that belongs to the expression ("la semaine dernière", "el próximo lunes") but not a
preposition ("am", "в", "w", "le" before a weekday are kept out as "on" is).

English expressions are :mod:`.timex`'s; where the two overlap the caller keeps the English one.
English text (" the " four times a kilobyte) is passed over at once, and text that holds none of
these languages' trigger words after one scan of its words.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from .calendar import Point, add_months, anchor_weekday, sentence_bounds
from .month_names import tag_month_names

_L = r"[^\W\d_]"  # a letter
_B = rf"(?<!{_L})"  # no letter before
_E = rf"(?!{_L})"  # no letter after
_APOS = "['’]"

# Days named from the reference (offset in days), and the parts of the day that may follow them
# ("gestern Abend", "hier soir"; TimeML's parts), language by language: a part is read only after a
# day of its own language ("demain sera …" is "tomorrow will be", not Italian "sera", the evening).
_LANGUAGES: dict[str, tuple[dict[str, int], dict[str, str]]] = {
    "de": ({"vorgestern": -2, "gestern": -1, "heute": 0, "morgen": 1, "übermorgen": 2},
           {"früh": "MO", "morgen": "MO", "vormittag": "MO", "mittag": "MI", "nachmittag": "AF", "abend": "EV",
            "nacht": "NI"}),
    "fr": ({"avant-hier": -2, "hier": -1, "aujourd'hui": 0, "aujourd’hui": 0, "demain": 1, "après-demain": 2},
           {"matin": "MO", "midi": "MI", "après-midi": "AF", "soir": "EV", "nuit": "NI"}),
    "es": ({"anteayer": -2, "antier": -2, "ayer": -1, "hoy": 0, "mañana": 1, "pasado mañana": 2},
           {"por la mañana": "MO", "a mediodía": "MI", "por la tarde": "AF", "por la noche": "NI"}),
    "it": ({"l'altro ieri": -2, "l’altro ieri": -2, "altroieri": -2, "ieri": -1, "oggi": 0, "domani": 1,
            "dopodomani": 2},
           {"mattina": "MO", "mattino": "MO", "pomeriggio": "AF", "sera": "EV", "notte": "NI"}),
    "pt": ({"anteontem": -2, "ontem": -1, "hoje": 0, "amanhã": 1, "depois de amanhã": 2},
           {"de manhã": "MO", "pela manhã": "MO", "à tarde": "AF", "à noite": "NI"}),
    "nl": ({"eergisteren": -2, "gisteren": -1, "vandaag": 0, "morgen": 1, "overmorgen": 2},
           {"ochtend": "MO", "morgen": "MO", "middag": "AF", "avond": "EV", "nacht": "NI"}),
    "ru": ({"позавчера": -2, "вчера": -1, "сегодня": 0, "завтра": 1, "послезавтра": 2},
           {"утром": "MO", "днём": "AF", "днем": "AF", "вечером": "EV", "ночью": "NI"}),
    "pl": ({"przedwczoraj": -2, "wczoraj": -1, "dziś": 0, "dzisiaj": 0, "jutro": 1, "pojutrze": 2},
           {"rano": "MO", "po południu": "AF", "wieczorem": "EV", "w nocy": "NI"}),
    "tr": ({"dün": -1, "bugün": 0, "yarın": 1},
           {"sabah": "MO", "sabahı": "MO", "öğleden sonra": "AF", "akşam": "EV", "akşamı": "EV", "gece": "NI",
            "gecesi": "NI"}),
    "ar": ({"أول أمس": -2, "أمس": -1, "الأمس": -1, "امس": -1, "اليوم": 0, "غدا": 1, "غداً": 1, "بعد غد": 2}, {}),
}
_DAY_WORDS: dict[str, int] = {w: n for days, _ in _LANGUAGES.values() for w, n in days.items()}
_PART_WORDS: dict[str, str] = {w: p for _, parts in _LANGUAGES.values() for w, p in parts.items()}
# The languages that write each day and each part.
_DAY_LANGUAGES: dict[str, set[str]] = {}
_PART_LANGUAGES: dict[str, set[str]] = {}
for _language, (_days_of, _parts_of) in _LANGUAGES.items():
    for _word in _days_of:
        _DAY_LANGUAGES.setdefault(_word, set()).add(_language)
    for _word in _parts_of:
        _PART_LANGUAGES.setdefault(_word, set()).add(_language)
# Parts of a day written as one word with it: (offset, part).
_ONE_WORD: dict[str, tuple[int, str]] = {
    "stamattina": (0, "MO"), "stamani": (0, "MO"), "stasera": (0, "EV"), "stanotte": (0, "NI"),
    "vanochtend": (0, "MO"), "vanmorgen": (0, "MO"), "vanmiddag": (0, "AF"), "vanavond": (0, "EV"),
    "vannacht": (0, "NI"), "gisteravond": (-1, "EV"), "gisterochtend": (-1, "MO"),
    "gistermiddag": (-1, "AF"), "gisternacht": (-1, "NI"), "anoche": (-1, "NI"), "anteanoche": (-2, "NI"),
    "hoje à noite": (0, "NI"), "ce matin": (0, "MO"), "ce soir": (0, "EV"), "cette nuit": (0, "NI"),
    "cet après-midi": (0, "AF"), "esta mañana": (0, "MO"), "esta tarde": (0, "AF"), "esta noche": (0, "NI"),
    "esta manhã": (0, "MO"), "esta noite": (0, "NI"), "questa mattina": (0, "MO"), "questa sera": (0, "EV"),
    "bu sabah": (0, "MO"), "bu akşam": (0, "EV"), "bu gece": (0, "NI"),
}
# Each language's weekdays, Monday first; "|" between the forms of one (Russian and Polish write
# Wednesday, Friday, Saturday and Sunday otherwise after "в", "w": "в среду", "w środę").
_WEEKDAY_NAMES = {
    "de": "Montag Dienstag Mittwoch Donnerstag Freitag Samstag|Sonnabend Sonntag",
    "fr": "lundi mardi mercredi jeudi vendredi samedi dimanche",
    "es": "lunes martes miércoles|miercoles jueves viernes sábado|sabado domingo",
    "it": "lunedì|lunedi martedì|martedi mercoledì|mercoledi giovedì|giovedi venerdì|venerdi sabato domenica",
    "pt": "segunda-feira terça-feira|terca-feira quarta-feira quinta-feira sexta-feira sábado|sabado domingo",
    "nl": "maandag dinsdag woensdag donderdag vrijdag zaterdag zondag",
    "ru": "понедельник вторник среда|среду четверг пятница|пятницу суббота|субботу воскресенье",
    "pl": "poniedziałek wtorek środa|środę czwartek piątek sobota|sobotę niedziela|niedzielę",
    "tr": "Pazartesi Salı Çarşamba Perşembe Cuma Cumartesi Pazar",
    "ar": "الإثنين|الاثنين الثلاثاء الأربعاء|الاربعاء الخميس الجمعة السبت الأحد|الاحد",
}
_WEEKDAYS: dict[str, int] = {}
_WEEKDAY_LANGUAGES: dict[str, set[str]] = {}
for _language, _days_of_week in _WEEKDAY_NAMES.items():
    for _number, _forms in enumerate(_days_of_week.split(), start=1):
        for _name in _forms.split("|"):
            _WEEKDAYS[_name.lower()] = _number
            _WEEKDAY_LANGUAGES.setdefault(_name.lower(), set()).add(_language)


def _weekday_names(*languages: str) -> str:
    return "|".join(sorted({n for lang in languages for n in _WEEKDAY_NAMES[lang].replace("|", " ").split()},
                           key=len, reverse=True))


# German and Turkish write their weekdays capitalised; the others in lower case (Arabic has no case).
_CAPITALISED_WEEKDAYS = _weekday_names("de", "tr")
_DUTCH_WEEKDAYS = _weekday_names("nl")
_OTHER_WEEKDAYS = _weekday_names("fr", "es", "it", "pt", "ru", "pl")
_ARABIC_WEEKDAYS = _weekday_names("ar")
# "Montagabend", "Freitagmorgen", "maandagavond": German and Dutch write the part into the weekday.
_GERMAN_PARTS = {"morgen": "MO", "vormittag": "MO", "mittag": "MI", "nachmittag": "AF", "abend": "EV", "nacht": "NI"}
_DUTCH_PARTS = {"ochtend": "MO", "morgen": "MO", "middag": "AF", "avond": "EV", "nacht": "NI"}
_THIS = ("diese|dieser|diesen|dieses|diesem|cette|ce|cet|esta|este|questa|questo|quest|deze|dit|"
         "этот|эту|это|этой|этом|эти|текущем|текущей|ten|tę|tym|tej|bieżącym|bu|هذا|هذه|الجاري|الحالي|الحالية")
_NEXT = ("nächsten|nächster|kommenden|kommender|prochain|prochaine|próximo|próxima|proximo|proxima|"
         "prossimo|prossima|volgende|komende|que vem|que viene|entrante|"
         "следующий|следующую|следующее|следующей|следующем|будущей|будущем|"
         "przyszły|przyszłą|przyszłym|przyszłej|najbliższy|najbliższą|najbliższym|"
         "gelecek|önümüzdeki|haftaya|المقبل|المقبلة|القادم|القادمة")
_LAST = ("letzten|letzter|vergangenen|vergangener|vorigen|dernier|dernière|passé|passée|pasado|pasada|"
         "scorso|scorsa|passato|passata|passado|passada|vorige|afgelopen|"
         "прошлый|прошлую|прошлое|прошлой|прошлом|"
         "zeszły|zeszłą|zeszłym|zeszłej|ubiegły|ubiegłą|ubiegłym|ubiegłej|miniony|minioną|minionym|"
         "geçen|الماضي|الماضية")
_PARTS = "|".join(sorted((re.escape(w) for w in _PART_WORDS), key=len, reverse=True))

# A weekday, with "this", "next" or "last" before or after it, and a part of the day after it or
# written into it ("Montagabend", "maandagavond"). Lower-case weekdays may be capitalised only where
# a sentence begins ("Lundi soir, …"; "Domingo" inside a sentence is a name), which the caller checks.
_WEEKDAY = re.compile(
    rf"{_B}(?:(?:(?P<art>(?i:el|la|o|a|il|le))\s+)?(?P<before>(?i:{_NEXT}|{_LAST}|{_THIS}))\s+)?"
    rf"(?:(?P<cap>{_CAPITALISED_WEEKDAYS})(?:(?P<depart>morgen|vormittag|mittag|nachmittag|abend|nacht)|\s+günü)?"
    rf"|(?P<nl>(?i:{_DUTCH_WEEKDAYS}))(?P<nlpart>ochtend|morgen|middag|avond|nacht)?"
    rf"|(?P<other>(?i:{_OTHER_WEEKDAYS}))"
    rf"|(?P<ar>(?:يوم\s+)?(?:{_ARABIC_WEEKDAYS})))"
    rf"(?:\s+(?P<after>(?i:{_NEXT}|{_LAST})))?"
    rf"(?:\s+(?P<part>(?i:{_PARTS})))?{_E}")

_UNIT_WORDS = {
    "woche": "week", "monat": "month", "jahr": "year", "jahres": "year", "monats": "month",
    "semaine": "week", "mois": "month", "an": "year", "année": "year", "annee": "year",
    "semana": "week", "mes": "month", "año": "year", "mês": "month", "ano": "year",
    "settimana": "week", "mese": "month", "anno": "year",
    "week": "week", "maand": "month", "jaar": "year",
    "неделе": "week", "неделю": "week", "неделя": "week", "месяце": "month", "месяц": "month", "году": "year",
    "год": "year", "tygodniu": "week", "tydzień": "week", "miesiącu": "month", "miesiąc": "month", "roku": "year",
    "rok": "year", "hafta": "week", "ay": "month", "yıl": "year", "sene": "year",
    "الأسبوع": "week", "الاسبوع": "week", "الشهر": "month", "العام": "year", "السنة": "year",
    "wochenende": "weekend", "week-end": "weekend", "weekend": "weekend", "fin de semana": "weekend",
    "fine settimana": "weekend", "fim de semana": "weekend", "выходные": "weekend", "hafta sonu": "weekend",
}
# The words for "last" and "next" before a unit, and after one; plain words, which are triggers too.
_UNIT_QUALIFIERS = "|".join(
    [f"{stem}{ending}" for stem in ("letzte", "vergangene", "vorige", "nächste", "kommende") for ending in ("", *"nrsm")]
    + ("próximo próxima proximo proxima pasado pasada passado passada prossimo prossima scorso scorsa vorig afgelopen "
       "volgende volgend komende komend прошлой прошлом прошлые следующей следующем следующие будущей будущем "
       "ближайшие zeszłym ubiegłym minionym przyszłym najbliższym gelecek önümüzdeki geçen").split())
_UNIT_QUALIFIERS_AFTER = ("dernière|dernier|derniere|passée|passé|prochaine|prochain|pasado|pasada|próximo|próxima|"
                          "proximo|proxima|que viene|que vem|entrante|passado|passada|scorso|scorsa|passato|passata|"
                          "prossimo|prossima")
# "letzte Woche", "im vergangenen Jahr", "nächstes Jahr"; "vorig jaar", "volgende week"; "esta semana".
_UNIT_BEFORE = re.compile(
    rf"{_B}(?:(?P<art>la|el|a|o|il|l|lo){_APOS}?\s*)?"
    rf"(?P<q>{_UNIT_QUALIFIERS}|{_THIS})"
    rf"(?:{_APOS}|\s+)(?P<unit>Wochenende|week-end|weekend|fin de semana|fine settimana|fim de semana|выходные|hafta sonu|"
    rf"Woche|Monats?|Jahr(?:es)?|semaine|mois|année|annee|semana|mes|año|mês|ano|settimana|mese|"
    rf"anno|week|maand|jaar|неделе|неделю|месяце|году|tygodniu|miesiącu|roku|hafta|ay|yıl|sene|"
    rf"الأسبوع|الاسبوع|الشهر|العام|السنة)"
    rf"(?:-ci|-là)?{_E}", re.IGNORECASE)
# "la semaine dernière", "el año pasado", "l'anno scorso", "o mês que vem".
_UNIT_AFTER = re.compile(
    rf"{_B}(?P<art>la|le|l|el|a|o|il|lo){_APOS}?\s*(?P<unit>week-end|fin de semana|fine settimana|fim de semana|"
    rf"semaine|mois|an|année|annee|semana|mes|año|mês|ano|"
    rf"settimana|mese|anno)\s+"
    rf"(?P<q>{_UNIT_QUALIFIERS_AFTER}){_E}", re.IGNORECASE)
# "الأسبوع الماضي", "العام المقبل", "الشهر الجاري": Arabic writes the qualifier after the unit.
_UNIT_AFTER_ARABIC = re.compile(
    rf"{_B}(?P<unit>الأسبوع|الاسبوع|الشهر|العام|السنة)\s+"
    rf"(?P<q>الماضي|الماضية|المقبل|المقبلة|القادم|القادمة|الجاري|الحالي|الحالية){_E}")

# The numbers a count ago is written with, a line a number: the first six languages, then Russian,
# Polish, Turkish and Arabic.
_NUMBER_NAMES = ((
        "ein eine einem einer un une uno una um uma een één",
        "zwei deux dos due dois duas twee", "drei trois tres tre três drie",
        "vier quatre cuatro quattro quatro", "fünf cinq cinco cinque vijf", "sechs six seis sei zes",
        "sieben sept siete sette sete zeven", "acht huit ocho otto oito", "neun neuf nueve nove negen",
        "zehn dix diez dieci dez tien", "elf onze once undici", "zwölf douze doce dodici doze twaalf"), (
        "один одна одну jeden jedna jedną bir واحد", "два две dwa dwie iki اثنين اثنان",
        "три trzy üç ثلاثة ثلاث", "четыре cztery dört أربعة أربع اربعة", "пять pięć beş خمسة خمس",
        "шесть sześć altı ستة ست", "семь siedem yedi سبعة سبع", "восемь osiem sekiz ثمانية ثماني",
        "девять dziewięć dokuz تسعة تسع", "десять dziesięć on عشرة عشر"))
_NUMBERS: dict[str, int] = {name: value for table in _NUMBER_NAMES
                            for value, names in enumerate(table, start=1) for name in names.split()}
_NUMBER = r"\d{1,3}|" + "|".join(sorted(_NUMBERS, key=len, reverse=True))
_AGO_UNITS = {
    "tag": "day", "tagen": "day", "woche": "week", "wochen": "week", "monat": "month", "monaten": "month",
    "jahr": "year", "jahren": "year",
    "jour": "day", "jours": "day", "semaine": "week", "semaines": "week", "mois": "month", "an": "year", "ans": "year",
    "année": "year", "années": "year",
    "día": "day", "días": "day", "dia": "day", "dias": "day", "semana": "week", "semanas": "week", "mes": "month",
    "meses": "month", "año": "year", "años": "year", "mês": "month", "ano": "year", "anos": "year",
    "giorno": "day", "giorni": "day", "settimana": "week", "settimane": "week", "mese": "month", "mesi": "month",
    "anno": "year", "anni": "year",
    "dag": "day", "dagen": "day", "week": "week", "weken": "week", "maand": "month", "maanden": "month", "jaar": "year",
    "день": "day", "дня": "day", "дней": "day", "неделю": "week", "недели": "week", "недель": "week",
    "месяц": "month", "месяца": "month", "месяцев": "month", "год": "year", "года": "year", "лет": "year",
    "dzień": "day", "dni": "day", "tydzień": "week", "tygodnie": "week", "tygodni": "week", "miesiąc": "month",
    "miesiące": "month", "miesięcy": "month", "rok": "year", "lata": "year", "lat": "year",
    "gün": "day", "hafta": "week", "ay": "month", "yıl": "year", "sene": "year",
    "يوم": "day", "أيام": "day", "ايام": "day", "يومين": "day", "أسبوع": "week", "اسبوع": "week", "أسابيع": "week",
    "اسابيع": "week", "أسبوعين": "week", "اسبوعين": "week", "شهر": "month", "أشهر": "month", "اشهر": "month",
    "شهور": "month", "شهرين": "month", "عام": "year", "أعوام": "year", "اعوام": "year", "عامين": "year",
    "سنة": "year", "سنوات": "year", "سنتين": "year",
}
# A unit that counts itself: one ("неделю назад", "tydzień temu", "قبل أسبوع") or, Arabic's dual, two ("قبل عامين").
_COUNTED = {"неделю": 1, "месяц": 1, "год": 1, "tydzień": 1, "miesiąc": 1, "rok": 1,
            "يوم": 1, "أسبوع": 1, "اسبوع": 1, "شهر": 1, "عام": 1, "سنة": 1,
            "يومين": 2, "أسبوعين": 2, "اسبوعين": 2, "شهرين": 2, "عامين": 2, "سنتين": 2}
_AGO_UNIT = "|".join(sorted(_AGO_UNITS, key=len, reverse=True))
# Arabic "منذ عامين" is as often "for two years" (a length) as "two years ago": only "قبل" is read.
# "vor drei Tagen", "il y a trois jours", "hace tres días", "há três dias", "قبل ثلاثة أيام" (the
# word first), and "tre giorni fa", "drie dagen geleden", "três dias atrás", "три дня назад", "trzy
# dni temu", "üç gün önce" (the word last); the count left out where the unit counts itself.
_AGO = re.compile(
    rf"{_B}(?:(?P<pre>vor|il y a|hace|há|قبل)\s+(?:(?P<n1>{_NUMBER})\s+)?(?P<u1>{_AGO_UNIT})"
    rf"|(?:(?P<n2>{_NUMBER})\s+)?(?P<u2>{_AGO_UNIT})\s+(?P<post>fa|geleden|atrás|atras|назад|temu|önce)){_E}",
    re.IGNORECASE)

_DAY = re.compile(
    rf"{_B}(?P<day>{'|'.join(sorted((re.escape(w) for w in _DAY_WORDS), key=len, reverse=True))})"
    rf"(?:\s+(?P<part>{'|'.join(sorted((re.escape(w) for w in _PART_WORDS), key=len, reverse=True))}))?{_E}",
    re.IGNORECASE)
_ONE = re.compile(rf"{_B}(?:{'|'.join(sorted((re.escape(w) for w in _ONE_WORD), key=len, reverse=True))}){_E}",
                  re.IGNORECASE)
# A plural or "every" before a weekday makes a set ("los lunes", "tous les lundis" are every Monday), not a date.
_EVERY_BEFORE = re.compile(r"(?:\b(?:los|todos los|les|tous les|chaque|ogni|tutti i|il|aos|às|as|nas|todas as|"
                           r"elke|iedere|jeden|jedem)\s+)\Z", re.IGNORECASE)
# "hoy en día", "aujourd'hui encore" …: nowadays, no day.
_NOWADAYS = re.compile(r"\s+en\s+d[ií]a\b", re.IGNORECASE)
# "اليوم" is today, but not "اليوم التالي" (the next day), "ذلك اليوم" (that day), "اليوم الوطني" (the national day).
_OTHER_DAY_AFTER = re.compile(r"\s+(?:التالي|السابق|نفسه|ذاته|الذي|الوطني|العالمي|الأول|الاول|الثاني|الثالث|الأخير|الاخير)(?!\w)")
_OTHER_DAY_BEFORE = re.compile(r"(?:ذلك|نفس|ذات|تلك)\s+\Z")
# What comes before "morgen" and "mañana" when they are the morning, not tomorrow.
_MORNING_BEFORE = re.compile(r"(?:\b(?:am|den|der|die|dem|jeden|eines|heute|gestern|de|het|deze|die|'s|la|esta|"
                             r"cada|una|por|toda|ayer|hoy)\s+)\Z", re.IGNORECASE)
_FRENCH = frozenset("le la les des du une est et que qui dans pour pas sur au aux il elle a à ont été se ne "
                    "plus par avec ce cette son sa ses leur".split())
_GERMANIC = frozenset("der die das und ist nicht ein eine den dem het een en van niet zijn er ich wir sie "
                      "ook met op wordt werd auch mit auf wird wurde bin".split())
# English news writes " the " about ten times a kilobyte, the languages here almost never: a text
# that writes it this often is English and passed over at once (listing its words to look for these
# languages' cost ~60 µs a kilobyte, a tenth of what the English rules take).
ENGLISH_THE_PER_KB = 4
# How far after a bare weekday (characters) a future auxiliary still governs it.
FUTURE_AFTER = 24
# A sentence that speaks of the future: auxiliaries and future forms of the languages here.
_FUTURE = re.compile(
    r"(?<!\w)(?:wird|werden|will|wollen|plant|geplant|"
    r"va|vont|sera|seront|aura|auront|doit|doivent|devrait|devraient|prévu|prévue|\w{2,}(?:eront|iront)|"
    r"va a|van a|será|serán|habrá|prevé|previsto|prevista|\w+rán|"
    r"sarà|saranno|dovrà|dovranno|\w+ranno|"
    r"vai|vão|serão|deverá|deverão|\w+rão|"
    r"zal|zullen|gaat|gaan|moet|moeten|"
    r"будет|будут|станет|планирует|планируется|намерен|намерена|"
    r"będzie|będą|zostanie|zostaną|planuje|"
    r"\w+(?:ecek|acak|eceğ|acağ)\w*|planlanıyor|"
    r"سوف|سيتم|ستتم|المقرر|يعتزم|تعتزم|"
    r"\w{2,}(?:rá|rà))(?!\w)", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+")
_DATE_AFTER = re.compile(r",?\s*(?:(?:dem|den|le|el|il|o|de)\s+)?(?=\d)", re.IGNORECASE)
# An end of sentence before a word, not an initial's point ("A.J. Ayer").
_SENTENCE_START = re.compile(r"(?:(?<![\s.][A-Z])[.!?:]|\n)[\s\"'«“„]*\Z")
# A word each expression holds (a unit always comes with a qualifier or a word for "ago", which are here).
_TRIGGERS = frozenset(
    {w.split()[0].split("-")[0].split("'")[0].split("’")[0].lower()
     for w in [*_DAY_WORDS, *_ONE_WORD, *_WEEKDAYS]}
    | set("vor il hace há fa geleden atrás atras назад temu önce قبل".split())
    | {w.lower() for w in re.split(r"[|\s]+", f"{_NEXT}|{_LAST}|{_THIS}|{_UNIT_QUALIFIERS}|{_UNIT_QUALIFIERS_AFTER}") if w}
    | {f"{d.lower()}{p}" for d in _weekday_names("de").split("|") for p in _GERMAN_PARTS}
    | {f"{d}{p}" for d in _DUTCH_WEEKDAYS.split("|") for p in _DUTCH_PARTS}
    | {"l", "aujourd"})


def tag_named_days(text: str, reference: dt.date | None) -> Iterator[tuple[int, int, str, str]]:
    """``(start, end, type, value)`` of each expression this module finds in ``text``, in order,
    none overlapping another."""
    if text.count(" the ") * 1000 >= ENGLISH_THE_PER_KB * len(text) or _TRIGGERS.isdisjoint(_WORD.findall(text.lower())):
        return
    found: list[tuple[int, int, str, str]] = []
    for finder in (_ago, _units, _weekdays, _one_words, _days):
        found.extend(finder(text, reference))
    found.sort(key=lambda f: (f[0], -f[1]))
    end = -1
    for item in found:
        if item[0] >= end:  # the longest of those that start first; none overlapping it
            yield item
            end = item[1]


def _day_value(reference: dt.date | None, offset: int, part: str = "") -> tuple[str, str]:
    day = (reference + dt.timedelta(days=offset)).isoformat() if reference is not None else "XXXX-XX-XX"
    return ("TIME", f"{day}T{part}") if part else ("DATE", day)


def _days(text: str, reference: dt.date | None) -> Iterator[tuple[int, int, str, str]]:
    for m in _DAY.finditer(text):
        word = m["day"].lower()
        if m["day"][0].isupper() and not _sentence_start(text, m.start()):
            continue  # "Ayer" inside a sentence is a name; German writes "Morgen" (the morning) so too
        if word == "hier" and not _french(text, m.start()):
            continue
        if word == "hoy" and _NOWADAYS.match(text, m.end("day")) \
                or word == "اليوم" and (_OTHER_DAY_AFTER.match(text, m.end("day"))
                                       or _OTHER_DAY_BEFORE.search(text, max(0, m.start() - 6), m.start())):
            continue
        if word in ("morgen", "mañana") and _MORNING_BEFORE.search(text, max(0, m.start() - 10), m.start()):
            continue
        part = None
        if m["part"] and _DAY_LANGUAGES[word] & _PART_LANGUAGES[m["part"].lower()]:
            part = _PART_WORDS[m["part"].lower()]
        end = m.end() if part else m.end("day")
        kind, value = _day_value(reference, _DAY_WORDS[word], part or "")
        yield m.start(), end, kind, value


def _one_words(text: str, reference: dt.date | None) -> Iterator[tuple[int, int, str, str]]:
    for m in _ONE.finditer(text):
        if m.group()[0].isupper() and not _sentence_start(text, m.start()):
            continue
        offset, part = _ONE_WORD[m.group().lower().replace("’", "'")]
        kind, value = _day_value(reference, offset, part)
        yield m.start(), m.end(), kind, value


def _french(text: str, at: int) -> bool:
    """Whether the words around ``at`` are French rather than German or Dutch."""
    window = _WORD.findall(text.lower(), max(0, at - 200), at + 200)
    french = sum(w in _FRENCH for w in window)
    return french > sum(w in _GERMANIC for w in window)


def _direction(word: str | None) -> int:
    """+1 for "next", -1 for "last", 0 for none and for "this" (the tense chooses)."""
    if word is None or re.fullmatch(_THIS, word.lower()):
        return 0
    return 1 if re.fullmatch(_NEXT, word.lower()) else -1


def _weekdays(text: str, reference: dt.date | None) -> Iterator[tuple[int, int, str, str]]:
    for m in _WEEKDAY.finditer(text):
        group = _group(m)
        name = m[group].split()[-1]  # "يوم الخميس": the weekday is the last word
        if name[0].isupper() and group != "cap" and not _sentence_start(text, m.start(group)):
            continue
        if not m["before"] and _EVERY_BEFORE.search(text, max(0, m.start() - 12), m.start()):
            continue
        if name == "Pazar" and not m["before"] and not m.group().endswith("günü"):
            continue  # Turkish "Pazar" is Sunday, or "pazar" (the market) where a sentence begins
        weekday = _WEEKDAYS[name.lower()]
        direction = _direction(m["before"]) or _direction(m["after"])
        end, part = m.end(), _GERMAN_PARTS.get(m["depart"] or "") or _DUTCH_PARTS.get(m["nlpart"] or "")
        if m["part"]:
            word = m["part"].lower()
            if _WEEKDAY_LANGUAGES[name.lower()] & _PART_LANGUAGES[word]:
                part = _PART_WORDS[word]
            else:  # another language's part: French "lundi sera …" is "Monday will be", not Italian's evening
                end = m.end("after") if m["after"] else m.end(group)
        if not part and (dated := _dated(text, end, reference)) is not None:
            yield m.start(), dated[0], "DATE", dated[1]  # "Mittwoch, dem 10. Juni": the date says which
            continue
        if reference is None:
            value = f"XXXX-WXX-{weekday}"
        elif direction > 0:
            value = (reference + dt.timedelta(days=(weekday - reference.isoweekday() - 1) % 7 + 1)).isoformat()
        elif direction < 0:
            value = (reference - dt.timedelta(days=(reference.isoweekday() - weekday - 1) % 7 + 1)).isoformat()
        else:
            # A future auxiliary before the weekday in its sentence, or the verb just after it ("Am
            # Montag wird …"); one farther on is often another clause's, or German's passive
            # "werden" ("…, dass alle Termine storniert werden").
            left, right = sentence_bounds(text, m.start(), end)
            future = any(not (m.start() <= f.start() < end)
                         for f in _FUTURE.finditer(text, left, min(right, end + FUTURE_AFTER)))
            value = anchor_weekday(weekday, reference, "future" if future else "past").isoformat()
        yield (m.start(), end, "TIME", f"{value}T{part}") if part else (m.start(), end, "DATE", value)


def _dated(text: str, at: int, reference: dt.date | None) -> tuple[int, str] | None:
    """The end and value of a date with a month's name just after ``at`` ("…, dem 10. Juni 2020")."""
    gap = _DATE_AFTER.match(text, at)
    if gap is None:
        return None
    date = next(tag_month_names(text[gap.end():gap.end() + 40], reference), None)
    return (gap.end() + date[1], date[3]) if date is not None and date[0] == 0 else None


def _sentence_start(text: str, at: int) -> bool:
    return _SENTENCE_START.search(text, max(0, at - 6), at) is not None or not text[:at].strip()


def _group(m: re.Match[str]) -> str:
    return next(g for g in ("cap", "nl", "other", "ar") if m[g])


def _unit_value(reference: dt.date | None, unit: str, shift: int) -> str:
    if reference is None:
        return {"week": "XXXX-WXX", "weekend": "XXXX-WXX-WE", "month": "XXXX-XX", "year": "XXXX"}[unit]
    if unit in ("week", "weekend"):
        return Point.of(reference + dt.timedelta(weeks=shift), "week" if unit == "week" else "weekend").value()
    if unit == "month":
        return add_months(reference.replace(day=1), shift).strftime("%Y-%m")
    return f"{reference.year + shift:04d}"


def _qualifier(word: str) -> int:
    word = word.lower()
    if re.fullmatch(_THIS, word):
        return 0
    if re.match(r"(?:nächst|kommend|próxim|proxim|prossim|volgend|komend|prochain|que v|entrante|следующ|будущ|"
                r"przyszł|najbliższ|gelecek|önümüzdeki|المقبل|القادم)", word):
        return 1
    return -1


def _units(text: str, reference: dt.date | None) -> Iterator[tuple[int, int, str, str]]:
    for m in _UNIT_BEFORE.finditer(text):
        unit = _UNIT_WORDS[m["unit"].lower()]
        # "im vergangenen Jahr": the article, fused with "in", stays out; "la próxima semana" keeps "la".
        start = m.start("art") if m["art"] else m.start("q")
        yield start, m.end(), "DATE", _unit_value(reference, unit, _qualifier(m["q"]))
    for after in (_UNIT_AFTER, _UNIT_AFTER_ARABIC):
        for m in after.finditer(text):
            unit = _UNIT_WORDS[m["unit"].lower()]
            yield m.start(), m.end(), "DATE", _unit_value(reference, unit, _qualifier(m["q"]))


def _ago(text: str, reference: dt.date | None) -> Iterator[tuple[int, int, str, str]]:
    for m in _AGO.finditer(text):
        number, unit_word = (m["n1"], m["u1"]) if m["pre"] else (m["n2"], m["u2"])
        if number is not None:
            count = int(number) if number.isdigit() else _NUMBERS[number.lower()]
        elif unit_word.lower() in _COUNTED:
            count = _COUNTED[unit_word.lower()]
        else:
            continue  # "vor Tagen", "il y a des années": no count
        unit = _AGO_UNITS[unit_word.lower()]
        if reference is None:
            yield m.start(), m.end(), "DATE", "PAST_REF"
        elif unit == "day":
            yield m.start(), m.end(), "DATE", (reference - dt.timedelta(days=count)).isoformat()
        else:
            yield m.start(), m.end(), "DATE", _unit_value(reference, unit, -count)
