import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyline.ingest.page_title import headline

HOST = "www.halvek-courier.example"


@pytest.mark.parametrize("extracted, tag, site, host, expected", [
    # the extractor's part of the <title> taken back whole, the site's name dropped
    ("Halvek Courier", "Halvek Courier - Bridge closed after crack found", None, HOST, "Bridge closed after crack found"),
    ("Bridge closed", "Bridge closed | Halvek Courier", None, HOST, "Bridge closed"),
    ("Why the bridge - and the tunnel", "Why the bridge - and the tunnel - closed", None, HOST,
     "Why the bridge - and the tunnel - closed"),
    ("Why the bridge - and the tunnel - closed", "Why the bridge - and the tunnel - closed - BBC News", None,
     "www.bbc.co.uk", "Why the bridge - and the tunnel - closed"),
    ("BBC News", "BBC News - Bridge closed", None, "news.bbc.co.uk", "Bridge closed"),
    # the site named by og:site_name, not by the host
    ("Bridge closed – The Harbour Post", "Bridge closed – The Harbour Post", "The Harbour Post", "thp.example",
     "Bridge closed"),
    # a section between the headline and the site
    ("Bridge closed: a crack found | News", "Bridge closed: a crack found | News | Halvek Courier", None, HOST,
     "Bridge closed: a crack found"),
    # the first part is the headline even when it starts with the site's name
    ("Courier chief resigns", "Courier chief resigns | Halvek Courier", None, HOST, "Courier chief resigns"),
    ("CNN chief resigns", "CNN chief resigns | CNN", None, "edition.cnn.com", "CNN chief resigns"),
    # a colon is the headline's own
    ("Mayor: the bridge stays shut", "Mayor: the bridge stays shut", None, HOST, "Mayor: the bridge stays shut"),
    # a <h1> or metadata title that is not a part of the <title> is kept
    ("Load tests completed", "Halvek Courier | Home", None, HOST, "Load tests completed"),
    # a site unknown to us: nothing dropped
    ("Bridge closed - Other Paper", "Bridge closed - Other Paper", None, HOST, "Bridge closed - Other Paper"),
    # all site: kept as it was
    ("Halvek Courier", "Halvek Courier", "Halvek Courier", HOST, "Halvek Courier"),
    (None, "  Bridge   closed\n| Halvek Courier ", None, HOST, "Bridge closed"),
    (None, None, "Halvek Courier", HOST, None),
])
def test_headline(extracted, tag, site, host, expected):
    assert headline(extracted, tag, [site], host) == expected


_part = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=20)


@given(st.lists(_part, min_size=1, max_size=4), st.sampled_from([" | ", " - ", " – ", " · ", ": "]),
       st.booleans(), st.one_of(st.none(), _part), st.one_of(st.none(), st.just(HOST), _part))
def test_a_headline_is_never_lost(parts, sep, cut, site, host):
    tag = sep.join(parts)
    extracted = parts[0].strip() if cut else None
    got = headline(extracted, tag, [site], host)
    normal = " ".join(tag.split())
    if normal:
        assert got and got.strip() and " ".join(got.split()) in normal


def test_long_runs_of_space_cost_no_more_than_their_length():
    # a separator's pattern tried at each space of a run was quadratic: 20,000 spaces took 4 s
    assert headline("Bridge" + " " * 500_000 + "closed - Halvek Courier", "x " * 200_000, ["Halvek Courier"],
                    HOST) == "Bridge closed"
