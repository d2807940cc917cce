"""Words: the runs of letters and digits that passage keys and story terms are made of.

Chinese and Japanese write words without spaces between them, so a run of Han or kana is one
regex "word" a clause long, which no other text shares: two reports of one event in Chinese had
no word in common, and a recycled paragraph with one character changed had no key in common with
its first occurrence. Such runs are taken as overlapping character pairs instead, as CJK search
engines index them (most words there are one or two characters): 习近平主席 is 习近, 近平, 平主,
主席; a run of one character is itself. Korean separates its words with spaces and keeps them.

The search index (SQLite FTS5, whose tokenizer keeps a run of letters whole) is given such text
with a space on each side of every Han or kana character (:func:`spaced`), and a query's words
likewise, so that a word is found as the phrase of its characters; what the index gives back is
read without those spaces (:func:`unspaced`). The index holds the stored articles in that form
(schema 22): a change to :func:`spaced` is a new migration that indexes them again, or their
removal from the index (a change of title, a deletion) no longer matches what was put in.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W_]+")
# Kana and Han (extension A, the unified ideographs, compatibility ideographs) in the Basic
# Multilingual Plane, then Han beyond it (extensions B and later).
_BMP_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_CHAR = re.compile(f"[{_BMP_CJK}\U00020000-\U0002ffff]")
_CJK = re.compile(f"[{_BMP_CJK}\U00020000-\U0002ffff]+")
# Whether a text holds any: the Basic Multilingual Plane's, a character class the regex engine
# scans twice as fast as one reaching past it (~1.8 µs a paragraph of news text that is not
# ASCII). Han beyond it (rare characters) comes among common ones.
_ANY_CJK = re.compile(f"[{_BMP_CJK}]")


def words(text: str, start: int = 0, end: int | None = None) -> list[str]:
    """The words of ``text[start:end]`` in order (the caller lower-cases), runs of Han or kana as
    overlapping character pairs."""
    end = len(text) if end is None else end
    found = _WORD.findall(text, start, end)
    if text.isascii() or _ANY_CJK.search(text, start, end) is None:  # a flag, then a scan in C
        return found
    out: list[str] = []
    for w in found:
        last = 0
        for m in _CJK.finditer(w):
            if m.start() > last:
                out.append(w[last:m.start()])
            run = m.group()
            out.extend([run] if len(run) == 1 else [run[i:i + 2] for i in range(len(run) - 1)])
            last = m.end()
        if last < len(w):
            out.append(w[last:])
    return out


def spaced(text: str) -> str:
    """``text`` with a space before and after each Han or kana character (the search index's form)."""
    if not has_cjk(text):
        return text
    return _CJK_CHAR.sub(r" \g<0> ", text)


def unspaced(text: str, marks: str = "") -> str:
    """:func:`spaced` undone on ``text`` or a stretch of it (a snippet may begin or end at a
    character, without its space): one space before and one after each Han or kana character
    dropped, where there is one. ``marks`` are characters the index put around matched words,
    between a character and its spaces."""
    if not has_cjk(text):
        return text
    between = f"[{re.escape(marks)}]*" if marks else ""
    pattern = re.compile(f" ?({between}{_CJK_CHAR.pattern}{between}) ?")
    return pattern.sub(r"\1", text)


def has_cjk(text: str) -> bool:
    """Whether ``text`` holds Han or kana (in the Basic Multilingual Plane)."""
    return not text.isascii() and _ANY_CJK.search(text) is not None
