import re

from hypothesis import given
from hypothesis import strategies as st

from storyline.text import normalise_text
from storyline.text.normalise import _tidy


def test_repairs_utf8_read_as_cp1252():
    # "Zelenskyy’s café" encoded as UTF-8 and decoded as Windows-1252: classic mojibake.
    broken = "Zelenskyy’s café".encode("utf-8").decode("cp1252")
    assert broken != "Zelenskyy’s café"
    assert normalise_text(broken) == "Zelenskyy’s café"


def test_leaves_correct_text_and_typography_alone():
    text = "“Bottom line: listen to Ukraine,” the statement said — Sybiha, Kyiv, 10–11 Oct. Ａ"
    assert normalise_text(text) == text


def test_nfc_and_whitespace():
    decomposed = "Cafe\u0301\u00a0 \t on  the\u200b quay \n\n  second\tline  "
    assert normalise_text(decomposed) == "Café on the quay\n\nsecond line"


def test_keeps_line_structure_and_drops_control_characters():
    assert normalise_text("a\r\nb\x07c\r\n\r\nd") == "a\nbc\n\nd"


@given(st.text())
def test_idempotent(text):
    once = normalise_text(text)
    assert normalise_text(once) == once


@given(st.text())
def test_no_edge_whitespace_or_runs_of_spaces(text):
    result = normalise_text(text)
    assert result == result.strip()
    assert "  " not in result and "\t" not in result


_SPACES = " \t\n\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2009\u202f\u205f\u3000\u200bab"


@given(st.text() | st.text(alphabet=_SPACES))
def test_tidy_is_the_regex_form(text):
    # The reference _tidy was first written with: each line's runs of horizontal whitespace one
    # space, the line stripped.
    text = text.replace("\r", "")  # _clean has made every line break "\n" before _tidy
    hspace = re.compile(r"[^\S\n]+")
    assert _tidy(text) == "\n".join(hspace.sub(" ", line).strip() for line in text.split("\n")).strip()
