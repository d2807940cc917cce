"""Days, weekdays, weeks, months and years named from the reference date in German, French,
Spanish, Italian, Portuguese and Dutch, normalised as TimeML values.

News in these languages dates most of what it reports this way, not by a month's name
(:mod:`.europe`): "gestern", "hier", "ayer", "ieri", "ontem", "gisteren" (yesterday); "am
Montag", "lundi", "el lunes", "lunedì", "na segunda-feira", "maandag"; "letzte Woche", "la semaine
dernière", "el año pasado", "l'anno scorso", "o mês passado", "vorig jaar"; "vor drei Tagen",
"il y a trois jours", "hace tres días", "tre giorni fa", "há três dias", "drie dagen geleden".
What this finds, against the reference (the article's date):

- the days named from it (the day before yesterday … the day after tomorrow), alone (DATE) or
  with a part of the day ("gestern Abend", "hier soir", "ayer por la tarde", "ieri sera",
  "ontem à noite", "gisteravond": TIME, ``2024-10-27TEV``), and the parts of today written as one
  word ("stamattina", "vanavond", "anoche");
- weekdays, alone or with a part of the day ("Montagabend", "lundi soir"); "next" and "last"
  ("nächsten Montag", "lundi prochain", "el pasado lunes") choose the week; a bare weekday is the
  nearest one on or before the reference, or on or after it where its sentence speaks of the
  future ("wird", "va", "será", "sarà", "vai", "zal" …), as :func:`.calendar.anchor_weekday`
  anchors English ones; the reference's own weekday is the reference day;
- this, last and next week, month and year (ISO week, ``YYYY-MM``, ``YYYY``);
- a count of days, weeks, months or years ago (the day, week, month or year it lands in).

Words that mean something else in a language these rules also read are read only where they
cannot: "hier" is yesterday only in French text (German and Dutch "hier" is "here"), "morgen"
(German and Dutch "tomorrow") not after a determiner or "heute"/"gestern" ("am Morgen", "de
morgen": the morning), "mañana" not after "la", "esta", "cada" (the morning). Weekdays are read
as each language writes them: capitalised in German, in lower case elsewhere ("Domingo" is a
name). The extent holds a determiner that belongs to the expression ("la semaine dernière", "el
próximo lunes") but not a preposition ("am", "le" before a weekday is kept out as "on" is).

English expressions are :mod:`.timex`'s; where the two overlap the caller keeps the English one.
English text (" the " four times a kilobyte) is passed over at once, and text that holds none of
these languages' trigger words after one scan of its words.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from .calendar import Point, add_months, anchor_weekday, sentence_bounds
from .europe import tag_europe

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
}
_WEEKDAYS: dict[str, int] = {}
for _number, _names in enumerate((
        "Montag lundi lunes lunedì lunedi segunda-feira maandag",
        "Dienstag mardi martes martedì martedi terça-feira terca-feira dinsdag",
        "Mittwoch mercredi miércoles miercoles mercoledì mercoledi quarta-feira woensdag",
        "Donnerstag jeudi jueves giovedì giovedi quinta-feira donderdag",
        "Freitag vendredi viernes venerdì venerdi sexta-feira vrijdag",
        "Samstag Sonnabend samedi sábado sabado zaterdag",
        "Sonntag dimanche domingo domenica zondag"), start=1):
    for _name in _names.split():
        _WEEKDAYS[_name.lower()] = _number
_ITALIAN_WEEKDAYS = frozenset("lunedì lunedi martedì martedi mercoledì mercoledi giovedì giovedi venerdì venerdi "
                              "sabato domenica".split())
_GERMAN_WEEKDAYS = "Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonnabend|Sonntag"
_DUTCH_WEEKDAYS = "maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag"
_OTHER_WEEKDAYS = "|".join(sorted(set(_WEEKDAYS) - set(_GERMAN_WEEKDAYS.lower().split("|")) - set(_DUTCH_WEEKDAYS.split("|")),
                                  key=len, reverse=True))
# "Montagabend", "Freitagmorgen" (German writes the part into the weekday), "lundi soir", "maandagavond".
_GERMAN_PARTS = {"morgen": "MO", "vormittag": "MO", "mittag": "MI", "nachmittag": "AF", "abend": "EV", "nacht": "NI"}
_DUTCH_PARTS = {"ochtend": "MO", "morgen": "MO", "middag": "AF", "avond": "EV", "nacht": "NI"}
_THIS = "diese|dieser|diesen|dieses|diesem|cette|ce|cet|esta|este|questa|questo|quest|deze|dit"
_NEXT = ("nächsten|nächster|kommenden|kommender|prochain|prochaine|próximo|próxima|proximo|proxima|"
         "prossimo|prossima|volgende|komende|que vem|que viene|entrante")
_LAST = ("letzten|letzter|vergangenen|vergangener|vorigen|dernier|dernière|passé|passée|pasado|pasada|"
         "scorso|scorsa|passato|passata|passado|passada|vorige|afgelopen")

# German weekdays are capitalised; the others in lower case, or capitalised where a sentence begins
# ("Lundi soir, …"; "Domingo" inside a sentence is a name).
_WEEKDAY = re.compile(
    rf"{_B}(?:(?:(?P<art>(?i:el|la|o|a|il|le))\s+)?(?P<before>(?i:{_NEXT}|{_LAST}|{_THIS}))\s+)?"
    rf"(?:(?P<de>{_GERMAN_WEEKDAYS})(?P<depart>morgen|vormittag|mittag|nachmittag|abend|nacht)?"
    rf"|(?P<nl>(?i:{_DUTCH_WEEKDAYS}))"
    rf"(?P<nlpart>ochtend|morgen|middag|avond|nacht)?"
    rf"|(?P<other>(?i:{_OTHER_WEEKDAYS})))"
    rf"(?:\s+(?P<after>(?i:{_NEXT}|{_LAST})))?"
    rf"(?:\s+(?P<part>soir|matin|après-midi|sera|mattina|pomeriggio|por la (?:mañana|tarde|noche)|à (?:tarde|noite)|"
    rf"Morgen|Vormittag|Mittag|Nachmittag|Abend|Nacht))?{_E}")

_UNIT_WORDS = {
    "woche": "week", "monat": "month", "jahr": "year", "jahres": "year", "monats": "month",
    "semaine": "week", "mois": "month", "an": "year", "année": "year", "annee": "year",
    "semana": "week", "mes": "month", "año": "year", "mês": "month", "ano": "year",
    "settimana": "week", "mese": "month", "anno": "year",
    "week": "week", "maand": "month", "jaar": "year",
}
# "letzte Woche", "im vergangenen Jahr", "nächstes Jahr"; "vorig jaar", "volgende week"; "esta semana".
_UNIT_BEFORE = re.compile(
    rf"{_B}(?:(?P<art>la|el|a|o|il|l|lo){_APOS}?\s*)?"
    rf"(?P<q>letzte[nrsm]?|vergangene[nrsm]?|vorige[nrsm]?|nächste[nrsm]?|kommende[nrsm]?|"
    rf"próxim[oa]|proxim[oa]|pasad[oa]|passad[oa]|prossim[oa]|scors[oa]|"
    rf"vorig|afgelopen|volgende|volgend|komende|komend|{_THIS})"
    rf"(?:{_APOS}|\s+)(?P<unit>Woche|Monats?|Jahr(?:es)?|semaine|mois|année|annee|semana|mes|año|mês|ano|settimana|mese|"
    rf"anno|week|maand|jaar)"
    rf"(?:-ci|-là)?{_E}", re.IGNORECASE)
# "la semaine dernière", "el año pasado", "l'anno scorso", "o mês que vem".
_UNIT_AFTER = re.compile(
    rf"{_B}(?P<art>la|le|l|el|a|o|il|lo){_APOS}?\s*(?P<unit>semaine|mois|an|année|annee|semana|mes|año|mês|ano|"
    rf"settimana|mese|anno)\s+"
    rf"(?P<q>dernière|dernier|derniere|passée|passé|prochaine|prochain|pasad[oa]|próxim[oa]|proxim[oa]|"
    rf"que viene|que vem|entrante|passad[oa]|scors[oa]|passat[oa]|prossim[oa]){_E}", re.IGNORECASE)

_NUMBERS: dict[str, int] = {}
for _value, _names in enumerate((
        "ein eine einem einer un une uno una um uma een één",
        "zwei deux dos due dois duas twee", "drei trois tres tre três drie",
        "vier quatre cuatro quattro quatro", "fünf cinq cinco cinque vijf", "sechs six seis sei zes",
        "sieben sept siete sette sete zeven", "acht huit ocho otto oito", "neun neuf nueve nove negen",
        "zehn dix diez dieci dez tien", "elf onze once undici", "zwölf douze doce dodici doze twaalf"), start=1):
    for _name in _names.split():
        _NUMBERS[_name] = _value
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
}
_AGO_UNIT = "|".join(sorted(_AGO_UNITS, key=len, reverse=True))
# "vor drei Tagen", "il y a trois jours", "hace tres días", "há três dias" (the word first), and
# "tre giorni fa", "drie dagen geleden", "três dias atrás" (the word last).
_AGO = re.compile(
    rf"{_B}(?:(?P<pre>vor|il y a|hace|há)\s+(?P<n1>{_NUMBER})\s+(?P<u1>{_AGO_UNIT})"
    rf"|(?P<n2>{_NUMBER})\s+(?P<u2>{_AGO_UNIT})\s+(?P<post>fa|geleden|atrás|atras)){_E}", re.IGNORECASE)

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
# What comes before "morgen" and "mañana" when they are the morning, not tomorrow.
_MORNING_BEFORE = re.compile(r"(?:\b(?:am|den|der|die|dem|jeden|eines|heute|gestern|de|het|deze|die|'s|la|esta|"
                             r"cada|una|por|toda|ayer|hoy)\s+)\Z", re.IGNORECASE)
_FRENCH = frozenset("le la les des du une est et que qui dans pour pas sur au aux il elle a à ont été se ne "
                    "plus par avec ce cette son sa ses leur".split())
_GERMANIC = frozenset("der die das und ist nicht ein eine den dem het een en van niet zijn er ich wir sie "
                      "ook met op wordt werd auch mit auf wird wurde bin".split())
# English news writes " the " about ten times a kilobyte, the six languages almost never: a text
# that writes it this often is English and passed over at once (listing its words to look for these
# languages' cost ~60 µs a kilobyte, a tenth of what the English rules take).
ENGLISH_THE_PER_KB = 4
# How far after a bare weekday (characters) a future auxiliary still governs it.
FUTURE_AFTER = 24
# A sentence that speaks of the future: auxiliaries and future forms of the six languages.
_FUTURE = re.compile(
    r"(?<!\w)(?:wird|werden|will|wollen|plant|geplant|"
    r"va|vont|sera|seront|aura|auront|doit|doivent|devrait|devraient|prévu|prévue|\w{2,}(?:eront|iront)|"
    r"va a|van a|será|serán|habrá|prevé|previsto|prevista|\w+rán|"
    r"sarà|saranno|dovrà|dovranno|\w+ranno|"
    r"vai|vão|serão|deverá|deverão|\w+rão|"
    r"zal|zullen|gaat|gaan|moet|moeten|"
    r"\w{2,}(?:rá|rà))(?!\w)", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+")
_DATE_AFTER = re.compile(r",?\s*(?:(?:dem|den|le|el|il|o|de)\s+)?(?=\d)", re.IGNORECASE)
# An end of sentence before a word, not an initial's point ("A.J. Ayer").
_SENTENCE_START = re.compile(r"(?:(?<![\s.][A-Z])[.!?:]|\n)[\s\"'«“„]*\Z")
_TRIGGERS = frozenset(
    {w.split()[0].split("-")[0].split("'")[0].split("’")[0].lower()
     for w in [*_DAY_WORDS, *_ONE_WORD, *_WEEKDAYS]}
    | {w.split("'")[0] for w in _UNIT_WORDS if w not in ("week", "an", "mes", "ano")}
    | set("vor il hace há fa geleden atrás atras".split())
    | {w.lower() for w in re.split(r"\W+", f"{_NEXT}|{_LAST}|{_THIS}") if w}
    | {f"{d.lower()}{p}" for d in _GERMAN_WEEKDAYS.split("|") for p in _GERMAN_PARTS}
    | {f"{d}{p}" for d in _DUTCH_WEEKDAYS.split("|") for p in _DUTCH_PARTS}
    | {"l", "aujourd"})


def tag_europe_days(text: str, reference: dt.date | None) -> Iterator[tuple[int, int, str, str]]:
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
        if word == "hoy" and _NOWADAYS.match(text, m.end("day")):
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
        name = m["de"] or m["nl"] or m["other"]
        if name[0].isupper() and not m["de"] and not _sentence_start(text, m.start(_group(m))):
            continue
        if not m["before"] and _EVERY_BEFORE.search(text, max(0, m.start() - 12), m.start()):
            continue
        weekday = _WEEKDAYS[name.lower()]
        direction = _direction(m["before"]) or _direction(m["after"])
        end, part = m.end(), _GERMAN_PARTS.get(m["depart"] or "") or _DUTCH_PARTS.get(m["nlpart"] or "")
        if m["part"]:
            word = m["part"].lower()
            if (word in ("sera", "mattina", "pomeriggio") and name.lower() not in _ITALIAN_WEEKDAYS
                    or m["part"][0].isupper() and not m["de"]):
                end = m.end("after") if m["after"] else m.end(_group(m))  # French "lundi sera …": will be
            else:
                part = _PART_WORDS[word]
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
    date = next(tag_europe(text[gap.end():gap.end() + 40], reference), None)
    return (gap.end() + date[1], date[3]) if date is not None and date[0] == 0 else None


def _sentence_start(text: str, at: int) -> bool:
    return _SENTENCE_START.search(text, max(0, at - 6), at) is not None or not text[:at].strip()


def _group(m: re.Match[str]) -> str:
    return "de" if m["de"] else "nl" if m["nl"] else "other"


def _unit_value(reference: dt.date | None, unit: str, shift: int) -> str:
    if reference is None:
        return {"week": "XXXX-WXX", "month": "XXXX-XX", "year": "XXXX"}[unit]
    if unit == "week":
        return Point.of(reference + dt.timedelta(weeks=shift), "week").value()
    if unit == "month":
        return add_months(reference.replace(day=1), shift).strftime("%Y-%m")
    return f"{reference.year + shift:04d}"


def _qualifier(word: str) -> int:
    word = word.lower()
    if re.fullmatch(_THIS, word):
        return 0
    if re.match(r"(?:nächst|kommend|próxim|proxim|prossim|volgend|komend|prochain|que v|entrante)", word):
        return 1
    return -1


def _units(text: str, reference: dt.date | None) -> Iterator[tuple[int, int, str, str]]:
    for m in _UNIT_BEFORE.finditer(text):
        unit = _UNIT_WORDS[m["unit"].lower()]
        # "im vergangenen Jahr": the article, fused with "in", stays out; "la próxima semana" keeps "la".
        start = m.start("art") if m["art"] else m.start("q")
        yield start, m.end(), "DATE", _unit_value(reference, unit, _qualifier(m["q"]))
    for m in _UNIT_AFTER.finditer(text):
        unit = _UNIT_WORDS[m["unit"].lower()]
        yield m.start(), m.end(), "DATE", _unit_value(reference, unit, _qualifier(m["q"]))


def _ago(text: str, reference: dt.date | None) -> Iterator[tuple[int, int, str, str]]:
    for m in _AGO.finditer(text):
        number, unit_word = (m["n1"], m["u1"]) if m["pre"] else (m["n2"], m["u2"])
        count = int(number) if number.isdigit() else _NUMBERS[number.lower()]
        unit = _AGO_UNITS[unit_word.lower()]
        if reference is None:
            yield m.start(), m.end(), "DATE", "PAST_REF"
        elif unit == "day":
            yield m.start(), m.end(), "DATE", (reference - dt.timedelta(days=count)).isoformat()
        else:
            yield m.start(), m.end(), "DATE", _unit_value(reference, unit, -count)
