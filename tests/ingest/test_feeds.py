import time

from tests.golden import check_golden


def _extraction(sl):
    return {a.id: {"title": a.title, "source": a.source, "url": a.url, "published": a.published,
                   "passages": [p.text for p in a.passages]} for a in sl.articles()}


def test_rss(sl, fixtures, update_golden):
    report = sl.ingest([fixtures / "feed.rss"])
    assert report.ok and len(report.added) == 3
    articles = {a.id: a for a in sl.articles()}
    closed = articles["https://halvek-courier.example/news/2025/03/01/harbor-bridge-closed"]
    assert closed.published == "2025-03-01T08:30:00Z"
    assert closed.source == "Halvek Courier - Port Halvek news"
    assert len(closed.passages) == 3
    assert closed.passages[0].text.startswith("The Halvek Harbor Bridge was closed to all traffic at 6 a.m. on Saturday")
    # content:encoded (5 paragraphs) wins over the 2-paragraph description.
    funds = articles["https://halvek-courier.example/news/2025/03/04/cabinet-bridge-funds"]
    assert len(funds.passages) == 5 and funds.passages[-1].text.endswith("as early as March 15.")
    assert len(articles["hc-2025-03-03-ferries"].passages) == 2
    check_golden("feed_rss", _extraction(sl), update_golden)


def test_atom(sl, fixtures, update_golden):
    report = sl.ingest([fixtures / "feed.atom"])
    assert report.ok and len(report.added) == 2
    entries = sorted(sl.articles(), key=lambda a: a.published)
    assert [a.published for a in entries] == ["2025-03-04T10:00:00Z", "2025-03-09T07:30:00Z"]
    assert [len(a.passages) for a in entries] == [3, 3]
    assert entries[0].source == "Lindmark Post - Infrastructure"
    check_golden("feed_atom", _extraction(sl), update_golden)


def test_atom_entries_with_the_same_body_are_both_stored(sl, tmp_path):
    """A wire story syndicated in one feed under two titles and links: both entries are articles;
    the second is a copy of the first, with its own title, link and date."""
    body = ("&lt;p&gt;Brennholt Construction will send some 300 workers to repair the damaged Pier 4 of the Halvek "
            "Harbor Bridge, Transport Minister Yuri Grabovan said on Tuesday.&lt;/p&gt;"
            "&lt;p&gt;The crews will work in three shifts around the clock.&lt;/p&gt;")
    entries = "".join(
        f"<entry><id>tag:wire.example,2025:{n}</id><title>{title}</title>"
        f"<link rel='alternate' href='https://wire.example/{n}'/><published>{when}</published>"
        f"<content type='html'>{body}</content></entry>"
        for n, title, when in ((1, "Repair crews sent to Halvek", "2025-03-04T10:00:00Z"),
                               (2, "300 workers for Pier 4", "2025-03-04T11:15:00Z")))
    path = tmp_path / "wire.atom"
    path.write_text(f"<feed xmlns='http://www.w3.org/2005/Atom'><title>Wire</title>{entries}</feed>")
    report = sl.ingest([path])
    assert report.ok and report.duplicates == [] and len(report.added) == 2
    first, second = (sl.article(a) for a in report.added)
    assert report.copies == {second.id: first.id}
    assert (second.title, second.url, second.published) == (
        "300 workers for Pier 4", "https://wire.example/2", "2025-03-04T11:15:00Z")
    assert (second.duplicate_of, second.similarity, second.story_id) == (first.id, 1.0, first.story_id)
    assert first.duplicate_of is None


def test_a_title_in_html_loses_its_tags_and_a_plain_one_keeps_its_characters(sl, tmp_path):
    body = "<description>The harbour authority closed the pier after divers found a crack.</description>"
    items = "".join(f"<item><guid>g{n}</guid><title>{title}</title>{body}</item>" for n, title in enumerate((
        "A &amp; B &lt;b&gt;bold&lt;/b&gt; and 5 &lt; 6",  # escaped markup: RSS's HTML title
        "<![CDATA[Pier <i>closed</i> & ferries]]>",
        "AT&amp;T &lt;script&gt;alert(1)&lt;/script&gt; it")))  # read as plain text: its characters are the title
    path = tmp_path / "titles.rss"
    path.write_text(f"<rss version='2.0'><channel><title>T</title>{items}</channel></rss>")
    atom = tmp_path / "title.atom"
    atom.write_text("<feed xmlns='http://www.w3.org/2005/Atom'><title>A</title><entry><id>tag:a,2024:1</id>"
                    "<title type='html'>&lt;b&gt;Bold&lt;/b&gt; title</title><updated>2024-03-01T10:00:00Z</updated>"
                    "<content>The pier reopened on Monday after the repairs.</content></entry></feed>")
    report = sl.ingest([path, atom])
    assert report.ok and len(report.added) == 4
    assert [sl.article(a).title for a in report.added] == [
        "A & B bold and 5 < 6", "Pier closed & ferries", "AT&T <script>alert(1)</script> it", "Bold title"]


def test_xml_bomb_is_refused_quickly(sl, fixtures):
    started = time.monotonic()
    report = sl.ingest([fixtures / "feed_bomb.xml"])
    assert time.monotonic() - started < 10  # an expanded bomb takes gigabytes and minutes
    (rejection,) = report.rejected
    assert "possible XML bomb" in rejection.reason and rejection.origin.location.endswith("feed_bomb.xml")
    assert not report.added


def test_not_xml_is_not_a_feed(sl, fixtures):
    (rejection,) = sl.ingest([fixtures / "not_a_feed.rss"]).rejected
    assert rejection.reason.startswith("not an RSS/Atom feed: the file is not well-formed XML")


def test_well_formed_xml_that_is_not_a_feed(sl, tmp_path):
    path = tmp_path / "data.xml"
    path.write_text("<?xml version='1.0'?><catalog><book>Words</book></catalog>")
    (rejection,) = sl.ingest([path]).rejected
    assert "no <rss>, <rdf:RDF> or <feed> root" in rejection.reason


def test_feed_without_entries(sl, tmp_path):
    path = tmp_path / "empty.rss"
    path.write_text("<rss version='2.0'><channel><title>Quiet</title></channel></rss>")
    (rejection,) = sl.ingest([path]).rejected
    assert rejection.reason == "the feed (rss20) has no entries"


def test_external_entity_is_refused(sl, tmp_path):
    path = tmp_path / "xxe.rss"
    path.write_text('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                    "<rss version='2.0'><channel><item><title>&x;</title><description>d</description></item></channel></rss>")
    (rejection,) = sl.ingest([path]).rejected
    assert "possible XML bomb" in rejection.reason


def test_a_feed_date_that_does_not_exist_is_warned_about_not_rolled_over(sl, tmp_path):
    """feedparser reads "30 Feb" as 1 March; the article is kept undated, with the warning."""
    items = "".join(f"<item><description>{body}</description><pubDate>{when}</pubDate></item>"
                    for body, when in (("The first item has a date that does not exist.", "Fri, 30 Feb 2024 10:00:00 GMT"),
                                       ("The second item is dated in another zone.", "Thu, 29 Feb 2024 23:00:00 -0500")))
    path = tmp_path / "dates.rss"
    path.write_text(f"<rss version='2.0'><channel><title>Dates</title>{items}</channel></rss>")
    report = sl.ingest([path])
    assert len(report.added) == 2
    (warning,) = report.warnings
    assert warning.origin.line == 1 and "is not a valid date (day is out of range for month)" in warning.message
    assert sorted(str(sl.article(a).published) for a in report.added) == ["2024-03-01T04:00:00Z", "None"]


def test_an_aggregators_entry_is_titled_by_its_headline_and_sourced_to_its_outlet(sl, tmp_path):
    # As news aggregators write them: the outlet after the headline, and in <source>.
    body = "The port of Velmora stopped on Monday as dockers walked out over pay, the union said."
    items = "".join(
        f"<item><title>{title}</title><link>https://news.aggregator.example/a/{n}</link>"
        f"<guid>agg-{n}</guid><description>{body} ({n})</description>"
        f"<source url=\"{url}\">{outlet}</source></item>"
        for n, (title, outlet, url) in enumerate([
            ("Dockers walk out - and the port stops - Harbour Times", "Harbour Times", "https://harbour-times.example"),
            ("Port stops as dockers strike - BBC News", "BBC", "https://www.bbc.co.uk/news"),
            ("Port stops as dockers strike - Other Wire", "Harbour Times", "http://[broken"),
        ]))
    path = tmp_path / "agg.rss"
    path.write_text(f"<rss version='2.0'><channel><title>Top stories</title>{items}</channel></rss>")
    report = sl.ingest([path])
    assert report.ok
    assert [(sl.article(f"agg-{n}").title, sl.article(f"agg-{n}").source) for n in range(3)] == [
        ("Dockers walk out - and the port stops", "Harbour Times"),
        ("Port stops as dockers strike", "BBC"),
        ("Port stops as dockers strike - Other Wire", "Harbour Times")]
