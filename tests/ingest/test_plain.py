from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from storyline.ingest.plain import split_date_prefix
from tests.golden import check_golden


def test_seeds_ingest_with_date_and_passages(sl, seeds_dir):
    report = sl.ingest([seeds_dir])
    assert sorted(report.added) == ["000_28c5dd749a0a6b13", "001_5a9cac7b8d2db75a"]
    assert report.ok and not report.warnings
    first, second = sl.article("000_28c5dd749a0a6b13"), sl.article("001_5a9cac7b8d2db75a")
    assert first.published == second.published == "2024-10-28"
    assert len(first.passages) == 18
    assert len(second.passages) == 21
    assert first.passages[0].text.startswith("Ukraine's Foreign Minister Andriy Sybiha has called")
    assert second.passages[0].text.startswith("The fact that Russia is forced")
    assert "date 2024" not in first.text and "date 2024" not in second.text


def test_seed_passages_golden(sl, seeds_dir, update_golden):
    sl.ingest([seeds_dir])
    actual = {}
    for article in sl.articles():
        actual[article.id] = {
            "published": article.published,
            "passages": [
                {"text": p.text, "sentences": [p.text[s.start:s.end] for s in p.sentences]}
                for p in article.passages
            ],
        }
    check_golden("seeds_ingest", actual, update_golden)


def test_passage_offsets_index_the_article_text(sl, seeds_dir):
    sl.ingest([seeds_dir])
    for article in sl.articles():
        for p in article.passages:
            assert article.text[p.start:p.end] == p.text


def test_prefix_on_its_own_line():
    assert split_date_prefix("date 2025-03-02\nBody text.") == ("2025-03-02", "Body text.")


def test_no_prefix_keeps_text():
    assert split_date_prefix("The date 2025-03-02 was cold.") == (None, "The date 2025-03-02 was cold.")


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
       st.text(min_size=1).filter(lambda t: t.strip() and not t[0].isspace()))
def test_prefix_round_trip(day, body):
    assert split_date_prefix(f" date {day.isoformat()} {body}") == (day.isoformat(), body)
