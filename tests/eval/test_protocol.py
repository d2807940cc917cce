"""The protocol's parts: which folder, day or seeds each set tunes on and reports on."""

import pytest

from storyline.errors import InputError
from storyline.eval.protocol import (POLNEAR_FOLDERS, REPORT_SEEDS, TIMEX_FOLDERS, TUNE_SEEDS, part_folders, parts,
                                     planted_seeds, split_days)
from storyline.records import Article


def test_parts_and_seeds():
    assert parts("both") == ("tune", "report") and parts("report") == ("report",)
    with pytest.raises(InputError, match="unknown part 'dev'"):
        parts("dev")
    assert planted_seeds("tune") == tuple(range(10)) and planted_seeds("report", 2) == (10, 11)
    assert not set(TUNE_SEEDS) & set(REPORT_SEEDS)
    with pytest.raises(InputError, match="at least 1"):
        planted_seeds("report", 0)


def test_part_folders(tmp_path):
    (tmp_path / "TimeBank").mkdir()
    (tmp_path / "AQUAINT").mkdir()
    assert part_folders(tmp_path, TIMEX_FOLDERS, ("tune", "report")) == {
        "tune": tmp_path / "TimeBank", "report": tmp_path / "AQUAINT"}
    assert part_folders(tmp_path / "AQUAINT", TIMEX_FOLDERS, ("tune", "report")) == {"report": tmp_path / "AQUAINT"}
    with pytest.raises(InputError, match="this is the report part"):
        part_folders(tmp_path / "AQUAINT", TIMEX_FOLDERS, ("tune",))
    (tmp_path / "train").mkdir()
    with pytest.raises(InputError, match="no dev folder"):
        part_folders(tmp_path, POLNEAR_FOLDERS, ("tune", "report"))
    other = tmp_path / "mine"
    other.mkdir()
    assert part_folders(other, POLNEAR_FOLDERS, ("report",)) == {"all": other}


def _article(article_id: str, published: str | None) -> Article:
    return Article(id=article_id, text="Some text.", passages=[], published=published)


def test_split_days_is_by_the_first_utc_day():
    stream = [_article("a", "2014-03-10T23:59:00Z"), _article("b", "2014-03-11T00:01:00Z"),
              _article("c", "2014-03-10T01:00:00Z"), _article("d", "2014-03-12")]
    split = split_days(stream)
    assert [a.id for a in split["tune"]] == ["a", "c"] and [a.id for a in split["report"]] == ["b", "d"]
    with pytest.raises(InputError, match="1 articles have no date"):
        split_days([*stream, _article("e", None)])
