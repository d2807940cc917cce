import pytest

from storyline.reuse.boilerplate import looks_like_boilerplate


@pytest.mark.parametrize("text", [
    'Watch more: Rutte confirms presence of DPRK military in Kursk region: "This is significant escalation". VIDEO',
    "Subscribe to our newsletter for the latest news from Port Halvek.",
    "Read also: Bridge to reopen next week",
    "By Mira Tallen, transport correspondent",
    "Photo: Reuters",
    "© 2025 Halvek Courier Media Ltd. All rights reserved.",
    "Advertisement",
    "Realistic concept for a 4.7-inch iPhone Air [Video]",
])
def test_promotional_and_credit_lines(text):
    assert looks_like_boilerplate(text)


@pytest.mark.parametrize("text", [
    "By October 27, the first units will reach the front, officials said.",
    "By the way, the minister did not answer the question.",
    "The video showed soldiers crossing the border.",
    "The attack was caught on video.",
    "Subscribers to the service were told of the change on Monday, the company said in a statement.",
    "Participation of the DPRK military in Russia's war against Ukraine",
])
def test_news_sentences_are_not_boilerplate(text):
    assert not looks_like_boilerplate(text)


def test_long_passages_are_never_boilerplate_by_form():
    assert not looks_like_boilerplate("Watch more: " + "word " * 60)
