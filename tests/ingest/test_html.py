from tests.golden import check_golden


def test_page_main_text_title_date_source(sl, fixtures, update_golden):
    report = sl.ingest([fixtures / "page.html"])
    assert report.ok and report.added == ["page"]
    page = sl.article("page")
    assert page.title == "Halvek Harbor Bridge load tests completed, sensors show no movement"
    assert page.source == "Halvek Courier"
    assert page.published == "2025-03-08"
    assert page.url == "https://halvek-courier.example/news/2025/03/08/load-tests-completed"
    assert len(page.passages) == 6
    assert page.passages[0].text.startswith("Two days of load tests on the Halvek Harbor Bridge ended on Saturday")
    for boilerplate in ("We use cookies", "Most read", "Halvek Rovers", "All rights reserved", "Subscribe"):
        assert boilerplate not in page.text
    check_golden("page_html", {"title": page.title, "passages": [p.text for p in page.passages]}, update_golden)


def test_page_with_no_article_text_is_rejected(sl, fixtures):
    report = sl.ingest([fixtures / "empty_page.html"])
    (rejection,) = report.rejected
    assert rejection.origin.location.endswith("empty_page.html")
    assert "no article text found in the HTML page" in rejection.reason
    assert sl.store.count_articles() == 0


def test_script_text_never_becomes_article_text(sl, tmp_path):
    path = tmp_path / "s.html"
    body = "".join(f"<p>Paragraph {i} of a real story about the harbour, long enough to keep. It has two sentences.</p>"
                   for i in range(4))
    path.write_text(f"<html><head><title>T</title><script>var secret = 1;</script></head>"
                    f"<body><article><h1>T</h1>{body}</article></body></html>")
    sl.ingest([path])
    assert "secret" not in sl.article("s").text


def test_a_page_titled_site_then_headline_is_titled_by_its_headline(sl, tmp_path):
    # No <h1> and no og:title: the headline is in the <title>, after the site's name.
    body = "".join(f"<p>Paragraph {i} of a report on the harbour strike, long enough to keep. It has two sentences.</p>"
                   for i in range(3))
    path = tmp_path / "strike.html"
    path.write_text("<html><head><title>Halvek Courier - Dockers walk out - and the port stops</title>"
                    "<meta property='og:site_name' content='Halvek Courier'></head>"
                    f"<body><article>{body}</article></body></html>")
    sl.ingest([path])
    article = sl.article("strike")
    assert (article.title, article.source) == ("Dockers walk out - and the port stops", "Halvek Courier")
