"""Who copied whom in a story, read from a real store: edges to first sightings (in the story or
outside it), whole-text copies, time lags, and each outlet's recycled share."""

from __future__ import annotations

from storyline import Storyline
from storyline.store.provenance import lag_seconds

BLOCK = ("The ministry said the bridge over the Vell river would reopen to traffic in the spring of next "
         "year, after engineers finish replacing the cracked bearings under its central span.")
LEAD = "Engineers shut the Vell bridge on Monday after a routine inspection found cracked bearings."


def test_edges_point_at_first_sightings_with_their_lag_and_copies(sl: Storyline):
    report = sl.ingest_records([
        {"id": "wire", "source": "Wire", "published": "2024-03-01T08:00:00Z", "text": f"{LEAD}\n\n{BLOCK}"},
        {"id": "times", "source": "Vell Times", "published": "2024-03-02",
         "text": f"Crews began replacing the bearings of the Vell bridge on Tuesday morning.\n\n{BLOCK}"},
        {"id": "post", "source": "River Post", "published": "2024-03-01T20:00:00Z",
         "text": f"{LEAD}\n\n{BLOCK}"},  # a copy of the wire's whole text, twelve hours on
    ], "test")
    assert report.ok and report.copies == {"post": "wire"}
    story = sl.article("wire").story_id
    assert {sl.article(a).story_id for a in ("times", "post")} == {story}
    provenance = sl.queries.provenance(story)
    assert [a.id for a in provenance.articles] == ["wire", "post", "times"]  # publication order
    edges = {(e.article, e.first_seen): e for e in provenance.edges}
    assert set(edges) == {("times", "wire"), ("post", "wire")}
    assert edges[("times", "wire")].passages == 1 and edges[("times", "wire")].chars == len(BLOCK)
    assert edges[("times", "wire")].lag_s == 16 * 3600 and not edges[("times", "wire")].copy
    copy = edges[("post", "wire")]
    assert copy.copy and copy.passages == 2 and copy.lag_s == 12 * 3600
    shares = {o.outlet: o for o in provenance.outlets}
    assert shares["Wire"].recycled_share == 0.0 and shares["River Post"].recycled_share == 1.0
    assert shares["River Post"].copies == 1
    assert 0 < shares["Vell Times"].recycled_share < 1
    assert provenance.as_dict()["edges"][0]["article"] in ("post", "times")


def test_text_first_seen_in_another_story_is_an_article_outside_it(sl: Storyline):
    sl.ingest_records([
        {"id": "sport", "source": "Sport Daily", "published": "2024-01-05",
         "text": "The Vell rowing club won the regional final by two lengths on Saturday.\n\n" + BLOCK},
        {"id": "later", "source": "Vell Times", "published": "2024-04-01",
         "text": "Astronomers at the Vell observatory photographed a faint comet on Sunday night.\n\n" + BLOCK},
    ], "test")
    later = sl.article("later")
    assert later.story_id != sl.article("sport").story_id  # three months apart: past the active window
    provenance = sl.queries.provenance(later.story_id)
    outside = [a for a in provenance.articles if not a.in_story]
    assert [a.id for a in outside] == ["sport"] and outside[0].source == "Sport Daily"
    (edge,) = provenance.edges
    assert (edge.article, edge.first_seen, edge.lag_s) == ("later", "sport", 87 * 86400)


def test_lags_read_days_and_datetimes_and_undated_is_none():
    assert lag_seconds("2024-03-01", "2024-03-01T06:30:00Z") == 6.5 * 3600
    assert lag_seconds("2024-03-02T00:00:00+02:00", "2024-03-01T22:00:00Z") == 0
    assert lag_seconds(None, "2024-03-01") is None and lag_seconds("2024-03-01", "soon") is None
