"""Records cross process boundaries (featurize workers, Spark) as pickles: each comes back whole."""

from __future__ import annotations

import copy
import pickle
from dataclasses import dataclass, field, fields

import pytest

from storyline.records import Article, Passage, PassageRef, SourceRef, Span, pickled_by_fields
from storyline.text.temporal.timex import Timex

_SAMPLES = [
    Span(3, 9),
    SourceRef("feed.xml", 12),
    PassageRef("a1", 4),
    Passage(2, 10, 40, "Thirty characters of a passage", (Span(0, 12), Span(13, 30)), "recycled",
            PassageRef("a0", 1), 0.93, Span(0, 12), Span(5, 17)),
    Article("a1", "Title\n\nText", [Passage(0, 7, 11, "Text")], "Title", "outlet", "https://x.test/a1",
            "2024-10-28", "hash", SourceRef("feed.xml", 3), {"lang": "en"}, "s1", "a0", 0.97),
    Timex(4, 14, "October 17", "DATE", "2024-10-17", "START"),
]


@pytest.mark.parametrize("record", _SAMPLES, ids=lambda r: type(r).__name__)
def test_a_record_with_every_field_set_comes_back_equal(record):
    # every field differs from its default, so a field left out of the pickle would show
    for f in fields(record):
        assert getattr(record, f.name) != f.default
    assert pickle.loads(pickle.dumps(record, pickle.HIGHEST_PROTOCOL)) == record
    assert copy.deepcopy(record) == record and copy.copy(record) == record


def test_a_copy_of_a_mutable_record_is_its_own():
    article = _SAMPLES[4]
    again = pickle.loads(pickle.dumps(article))
    again.metadata["lang"] = "fr"
    again.passages[0].status = "boilerplate"
    assert article.metadata == {"lang": "en"} and article.passages[0].status == "new"


def test_a_class_whose_constructor_does_not_take_every_field_is_refused():
    with pytest.raises(TypeError, match="constructor argument"):
        @pickled_by_fields
        @dataclass(slots=True)
        class Counted:
            name: str
            size: int = field(default=0, init=False)

