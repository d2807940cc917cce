"""Dated events through the engine: found at ingest, carried by recycled passages, merged per story."""

import json

import pytest

from storyline import NotFoundError, Storyline
from storyline.records import PassageRef
from storyline.timeline.ports import EventRef
from storyline.stories.stage import story_id_for

PIER = ("On October 17, the harbour authority closed the northern pier after engineers found a crack "
        "in the main support beam of the structure.")
REWORDED = ("Ferries still run to the islands twice a day, and the ticket office has moved to the old customs "
            "house. The harbour authority shut the northern pier on October 17 when engineers discovered a crack "
            "in the structure's main support beam. Tourists who came for the autumn market were disappointed, "
            "and cafe owners along the promenade say takings have halved.")


def _write(tmp_path, rows, name="news.jsonl"):
    path = tmp_path / name
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    return path


def _article(aid, published, *paragraphs, title=None):
    row = {"id": aid, "text": "\n\n".join(paragraphs), "title": title}
    if published:
        row["published"] = published
    return row


def _only_story(sl):
    (story,) = sl.stories()
    return story


def test_a_recycled_passage_carries_its_originals_event(sl, tmp_path):
    sl.ingest([_write(tmp_path, [
        _article("a", "2024-10-20", "Harbour ferry pier crack closure: engineers inspect the northern pier.", PIER),
        _article("b", "2024-10-21", "Harbour ferry pier crack closure continues as engineers inspect the pier.", PIER),
    ])])
    assert sl.article("b").passages[1].status == "recycled"
    index = sl.store.timeline_index()
    (carried,) = index.article_events("b")
    assert carried.origin == EventRef("a", 0) and carried.date == "2024-10-17" and carried.text == PIER
    (entry,) = sl.timeline(_only_story(sl).id)
    assert (entry.date, entry.qualifier, entry.text, entry.article_ids) == ("2024-10-17", None, PIER, ["a", "b"])


def test_a_reworded_report_in_a_new_paragraph_is_the_same_entry(sl, tmp_path):
    sl.ingest([_write(tmp_path, [
        _article("a", "2024-10-20", "Harbour ferry pier crack closure: engineers inspect the northern pier.", PIER),
        _article("c", "2024-10-22", "Northern pier crack: harbour authority engineers keep the ferry pier closed.",
                 REWORDED, title="Harbour ferry pier crack closure"),
    ])])
    assert sl.article("c").passages[1].status == "new"  # reuse did not call it a copy: the sentences did
    (own,) = sl.store.timeline_index().article_events("c")
    assert own.origin == EventRef("c", 0) and own.text.startswith("The harbour authority shut")
    (entry,) = sl.timeline(_only_story(sl).id)
    assert entry.article_ids == ["a", "c"] and entry.text == PIER


def test_dates_resolve_against_the_publication_date_and_undated_articles_keep_only_full_dates(sl, tmp_path):
    sl.ingest([_write(tmp_path, [
        _article("a", "2024-10-20", "Harbour ferry pier crack closure: engineers inspect the northern pier.", PIER),
        _article("u", None, "Harbour ferry pier crack closure: engineers inspect the pier on October 18.",
                 "The harbour pier crack was first reported on 12 October 2024 by ferry crews."),
    ])])
    assert [e.date for e in sl.store.timeline_index().article_events("u")] == ["2024-10-12"]  # not XXXX-10-18
    entries = sl.timeline(_only_story(sl).id)
    assert [(e.date, e.article_ids) for e in entries] == [("2024-10-12", ["u"]), ("2024-10-17", ["a"])]


def test_statements_without_a_calendar_date_make_no_entries(sl, tmp_path):
    sl.ingest([_write(tmp_path, [_article("n", "2024-10-20", "Now the crews wait, as they have for weeks.",
                                          "The pier is currently closed every day.")])])
    assert sl.store.timeline_index().article_events("n") == []
    assert sl.timeline(_only_story(sl).id) == []


def test_events_of_a_passage_not_looked_at_are_unknown_not_empty(sl, tmp_path):
    index = sl.store.timeline_index()
    assert index.passage_events(PassageRef("missing", 0)) is None
    sl.ingest([_write(tmp_path, [_article("n", "2024-10-20", "Nothing dated here.")])])
    assert index.passage_events(PassageRef("n", 0)) == []


def test_merged_stories_have_one_timeline_under_both_ids(db_path, tmp_path):
    from storyline.settings import Settings, StorySettings

    path = _write(tmp_path, [
        _article("a", "2025-03-01", "Harbour bridge pier crack engineers found on 28 February 2025."),
        _article("b", "2025-03-01", "Ferry terminal queues commuters morning since 1 March 2025."),
        _article("c", "2025-03-02", "Harbour bridge pier crack ferry terminal queues"),
    ])
    with Storyline(db_path, Settings(stories=StorySettings(join=0.2, merge=0.0))) as engine:
        engine.ingest([path])
        story = _only_story(engine)
        entries = engine.timeline(story.id)
        assert [(e.date, e.article_ids) for e in entries] == [("2025-02-28", ["a"]), ("2025-03-01", ["b"])]
        other = story_id_for("b") if story.id == story_id_for("a") else story_id_for("a")
        assert engine.timeline(other) == entries


def test_unknown_story(sl):
    with pytest.raises(NotFoundError, match="no story with id 'nope'"):
        sl.timeline("nope")


def test_a_chinese_articles_dates_make_its_timeline(sl, tmp_path):
    sl.ingest([_write(tmp_path, [_article(
        "zh", "2024-10-28", "港口工人于10月21日开始罢工，要求提高工资。",
        "工会主席王伟昨天表示，罢工将持续到11月5日。", "港务局上周五提出加薪百分之四的方案，但被工会拒绝。")])])
    story = _only_story(sl)
    assert [(e.date, e.text) for e in sl.timeline(story.id)] == [
        ("2024-10-21", "港口工人于10月21日开始罢工，要求提高工资。"),
        ("2024-10-25", "港务局上周五提出加薪百分之四的方案，但被工会拒绝。"),
        ("2024-10-27", "工会主席王伟昨天表示，罢工将持续到11月5日。"),
        ("2024-11-05", "工会主席王伟昨天表示，罢工将持续到11月5日。")]


def test_a_german_and_a_russian_articles_days_make_their_timelines(sl, tmp_path):
    # 2024-10-28 is a Monday: "am Freitag" is the 25th, "вчера" the 27th
    sl.ingest([_write(tmp_path, [
        _article("de", "2024-10-28", "Die Hafenarbeiter in Hamburg haben am Freitag ihren Streik begonnen.",
                 "Gestern weitete sich der Ausstand auf Bremen aus."),
        _article("ru", "2024-10-28", "Забастовка в порту Новороссийска началась вчера вечером.",
                 "Переговоры с профсоюзом пройдут в следующую среду.")])])
    dates = sorted((e.date, e.text) for story in sl.stories() for e in sl.timeline(story.id))
    assert dates == [
        ("2024-10-25", "Die Hafenarbeiter in Hamburg haben am Freitag ihren Streik begonnen."),
        ("2024-10-27", "Gestern weitete sich der Ausstand auf Bremen aus."),
        ("2024-10-27TEV", "Забастовка в порту Новороссийска началась вчера вечером."),
        ("2024-10-30", "Переговоры с профсоюзом пройдут в следующую среду.")]
