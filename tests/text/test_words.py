import re

from hypothesis import given
from hypothesis import strategies as st

from storyline.text.similarity import content_similarity, content_words
from storyline.text.words import has_cjk, words


def test_han_and_kana_runs_are_character_pairs():
    assert words("习近平主席3月访问了东京タワー and the pier") == [
        "习近", "近平", "平主", "主席", "3", "月访", "访问", "问了", "了东", "东京", "京タ", "タワ", "ワー", "and", "the",
        "pier"]
    assert words("桥") == ["桥"]
    assert words("abc漢字def") == ["abc", "漢字", "def"]
    assert words("\U00020000\U00020001") == ["\U00020000\U00020001"]  # Han beyond the BMP, among none in it
    assert words("\U00020000桥梁") == ["\U00020000桥", "桥梁"]


def test_korean_keeps_its_spaced_words():
    assert words("서울 시장이 다리를 폐쇄했다") == ["서울", "시장이", "다리를", "폐쇄했다"]


def test_a_span_is_read_in_place():
    text = "前言。港口工人罢工。后记"
    start = text.index("港")
    assert words(text, start, start + 6) == ["港口", "口工", "工人", "人罢", "罢工"]


@given(st.text(st.characters(max_codepoint=0x2FFF)))
def test_text_without_cjk_is_split_as_before(text):
    assert words(text) == re.findall(r"[^\W_]+", text)


@given(st.text(st.sampled_from("港口工人罢工ab 1。タ")))
def test_runs_become_pairs_and_no_letter_is_lost(text):
    got = words(text)
    assert all(len(w) <= 2 for w in got if not w.isascii())  # a run of Han or kana: its pairs
    assert set("".join(got)) == {c for c in text if c.isalnum()}


# Two reports of one event, and one of another, written for this test.
STRIKE_A = "港口工人周一开始罢工，要求提高工资。工会表示，罢工将持续到港务局提出新的方案。"
STRIKE_B = "周一，港口的工人举行罢工，他们要求加薪。工会说，在港务局给出新方案之前，罢工不会结束。"
FLOOD = "暴雨导致河水上涨，山谷公路周二被洪水冲毁，救援人员正在疏散附近村庄的居民。"


def test_two_chinese_reports_of_one_event_share_words():
    assert content_similarity(STRIKE_A, STRIKE_B) > 0.3 > 0.1 > content_similarity(STRIKE_A, FLOOD)
    assert "罢工" in content_words(STRIKE_A)


_MIXED = st.text(st.sampled_from("港口工人罢工タab 1。\n"), max_size=30)


@given(_MIXED)
def test_the_search_form_is_undone_exactly(text):
    from storyline.text.words import spaced, unspaced

    assert unspaced(spaced(text)) == text
    # the index's tokenizer splits at white space: each Han or kana character is then a word of its own
    assert all(len(w) == 1 for w in re.findall(r"[^\W_]+", spaced(text)) if has_cjk(w))


@given(_MIXED, st.integers(0, 30), st.integers(0, 30))
def test_a_stretch_of_the_search_form_from_a_word_to_a_word_is_undone_exactly(text, a, b):
    from storyline.text.words import spaced, unspaced

    # a snippet runs from the start of a word to the end of one: cut where a character is
    form = spaced(text)
    starts = [i for i, c in enumerate(form) if c != " "]
    if len(starts) < 2:
        return
    i, j = sorted((starts[a % len(starts)], starts[b % len(starts)]))
    stretch = unspaced(form[i:j + 1])
    assert stretch in text
