"""Paragraphs (blank-line separated) and sentences (a trained splitter, not a regex on full stops)."""

from __future__ import annotations

import ctypes
import re
from functools import lru_cache

import blingfire

from ..records import Span

_BLANK_LINES = re.compile(r"\n\s*\n")


def paragraphs(text: str) -> list[str]:
    """Split normalised text into paragraphs at blank lines.

    Lines inside a paragraph are joined with a space, since a single newline in plain
    text is almost always a hard wrap, not a paragraph break.
    """
    out: list[str] = []
    for block in _BLANK_LINES.split(text):
        joined = " ".join(line.strip() for line in block.split("\n") if line.strip())
        if joined:
            out.append(joined)
    return out


def sentences(text: str) -> list[Span]:
    """Sentence spans of one paragraph.

    Blingfire's model knows abbreviations and domain names ("Censor.NET", "U.S.",
    "p.m."); it does split after a quoted exclamation (``"Go!" he said``), so a piece
    that starts in lower case is glued back to the sentence before it.
    """
    if not text.strip():
        return []
    spans: list[Span] = []
    for start, end in _offsets(text):
        if spans and text[start:end][:1].islower():
            spans[-1] = Span(spans[-1].start, end)
        else:
            spans.append(Span(start, end))
    return spans


def _offsets(text: str) -> list[tuple[int, int]]:
    """Sentence offsets. Blingfire's own offset function walks the text in Python (slow);
    its sentences are substrings of normalised text, so finding them in order is exact."""
    found: list[tuple[int, int]] = []
    position = 0
    for sentence in _text_to_sentences(text).split("\n"):
        if not sentence:
            continue
        start = text.find(sentence, position)
        if start < 0:
            return list(blingfire.text_to_sentences_and_offsets(text)[1])
        found.append((start, start + len(sentence)))
        position = start + len(sentence)
    return found


def _text_to_sentences(text: str) -> str:
    """``blingfire.text_to_sentences``, its output buffer of a type made once per power of two.
    Blingfire's own makes a ctypes array type for each length it meets (``c_char * n``): a class,
    in reference cycles, that only the cyclic collector frees. ~14 of them an article were the
    ~3,800 garbage objects each young collection of the stream benchmark's ingest process found
    (a probe with ``gc.callbacks``); without them the collections free nothing, which lets
    ``pipeline.collector`` collect less often. (The collections took as long without them.)"""
    data = text.encode("utf-8")
    size = _buffer_size(2 * len(data))  # blingfire's own allows twice the input, at least
    out = _buffer_type(size)()
    written = blingfire.blingfire.TextToSentences(ctypes.c_char_p(data), ctypes.c_int(len(data)),
                                                  ctypes.byref(out), ctypes.c_int(size))
    if written == -1 or written > size:
        return ""
    return out.value.decode("utf-8")


def _buffer_size(at_least: int) -> int:
    return 1 << max(8, (at_least - 1).bit_length())


@lru_cache(maxsize=64)  # a size per power of two: 64 covers any text a process can hold
def _buffer_type(size: int) -> type[ctypes.Array[ctypes.c_char]]:
    return ctypes.c_char * size
