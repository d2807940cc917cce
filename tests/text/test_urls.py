import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyline.text.urls import url_key

BASE = "https://harbour-times.example/news/2025/03/01/bridge-closed"


@pytest.mark.parametrize("link", [
    BASE,
    BASE + "?utm_source=rss&utm_medium=feed&utm_campaign=daily",
    BASE + "#comments",
    BASE + "?fbclid=IwAR0abc#top",
    "http://" + BASE.removeprefix("https://"),
    "HTTPS://WWW.Harbour-Times.EXAMPLE:443/news/2025/03/01/bridge-closed",
    "https://harbour-times.example./news/2025/03/01/bridge-closed",
    "  " + BASE + "\n",
    BASE + "?",
    "//harbour-times.example/news/2025/03/01/bridge-closed",
])
def test_links_to_one_article_share_a_key(link):
    assert url_key(link) == url_key(BASE) == "//harbour-times.example/news/2025/03/01/bridge-closed"


@pytest.mark.parametrize("a, b", [
    (BASE, BASE + "/"),  # a server may serve another page at the slash
    (BASE, BASE.replace("bridge-closed", "Bridge-Closed")),  # paths are case-sensitive
    (BASE + "?id=1", BASE + "?id=2"),  # a parameter of the content
    (BASE + "?page=2", BASE),
    ("https://example.com/a", "https://example.org/a"),
    ("https://example.com:8443/a", "https://example.com/a"),
    ("http://example.com:443/a", "https://example.com/a"),  # not the scheme's default port
    ("https://news.example/#!/story/1", "https://news.example/#!/story/2"),  # routed by fragment
    ("https://news.example/#/story/1", "https://news.example/"),
    ("https://u@example.com/a", "https://example.com/a"),
])
def test_other_pages_keep_their_own_keys(a, b):
    assert url_key(a) != url_key(b)


def test_query_order_and_escapes():
    assert url_key("https://e.example/a?b=2&a=1") == url_key("https://e.example/a?a=1&b=2") == "//e.example/a?a=1&b=2"
    # a name given twice keeps its values in their order: ?t=x&t=y may not be ?t=y&t=x
    assert url_key("https://e.example/a?t=y&b=1&t=x") == "//e.example/a?b=1&t=y&t=x"
    assert url_key("https://e.example/%7Euser/caf%c3%a9") == "//e.example/~user/caf%C3%A9"
    assert url_key("https://e.example/a%2fb") == "//e.example/a%2Fb"  # an escaped slash stays escaped
    assert url_key("https://[2001:DB8::1]:443/a") == "//[2001:db8::1]/a"


@pytest.mark.parametrize("value", ["article-12", "urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427",
                                   "mailto:desk@example.com", "ftp://files.example/a", "/news/a", "http:///a",
                                   "https://[::1/a", ""])
def test_anything_else_is_its_own_key(value):
    assert url_key(value) == value.strip()


_host = st.from_regex(r"[a-z][a-z0-9-]{0,10}(\.[a-z]{2,6}){1,2}", fullmatch=True)
_path = st.from_regex(r"(/[A-Za-z0-9._~-]{0,8}){0,4}", fullmatch=True)
_params = st.lists(st.from_regex(r"[a-z]{1,5}=[A-Za-z0-9]{0,5}", fullmatch=True), max_size=4)


@given(st.text())
def test_any_text_has_a_key_that_is_its_own(text):
    assert url_key(url_key(text)) == url_key(text)


@given(_host, _path, _params, st.sampled_from(["utm_source=rss", "fbclid=x1", "gclid=Z", "UTM_Medium=email"]),
       st.sampled_from(["http://", "https://", "HTTPS://www.", "http://WWW."]), st.text(max_size=10))
def test_tracking_scheme_and_fragment_do_not_matter(host, path, params, tracker, prefix, fragment):
    fragment = fragment.lstrip("!/")
    plain = "https://" + host + path + ("?" + "&".join(params) if params else "")
    tracked = prefix + host.upper() + path + "?" + "&".join([tracker, *params]) + "#" + fragment
    assert url_key(tracked) == url_key(plain)


@given(_host, _path, _path)
def test_different_paths_different_keys(host, a, b):
    if (a or "/") != (b or "/"):
        assert url_key("https://" + host + a) != url_key("https://" + host + b)
