"""Function words of the languages besides English that storyline reads: articles, pronouns,
prepositions, conjunctions and auxiliaries, which say nothing of what a story is about.

The story terms (:func:`storyline.text.similarity.content_words`) drop them as they drop English
stop words. Weighting by IDF alone does not make them harmless: a word in every article still
weighs 1 (``log((N + 1) / (df + 1)) + 1``), so two unrelated German articles shared "der", "die",
"und", "nicht" … and looked closer than two reports of one event in German and English. On
SemEval-2022 task 8's tune pairs (``storyline eval pairs --part tune``) dropping them raised the
Pearson correlation over all pairs from 0.5163 to 0.5647.

Words that English writes as content words are left out of every list ("war", "die", "man",
"hat", "son", "era", "plus", "come", "van", "per", "con", …): the lists apply to every text,
whatever its language, and an English article about a war keeps "war". Each word is at most six
letters, so that it is its own story term (:data:`storyline.text.similarity.TERM_PREFIX`): the
store removes those terms by name. Schema 25 brought stores to these lists; a word added to them
later is a new migration that removes it likewise (``tests/text/test_function_words.py`` pins
the lists), and a word taken out needs none (it is counted again from then on).
"""

from __future__ import annotations

from .passages import STOP_WORDS

FUNCTION_WORDS: dict[str, frozenset[str]] = {language: frozenset(words.split()) for language, words in {
    "de": "der das und ist nicht ein eine einen einem einer dem des zu von auf für sich im in an als auch es "
          "er sie wir ich nach bei aus wie noch wird werden wurde wurden haben hatte sind waren sein kann nur "
          "oder aber vor zum zur bis durch über um so dass daß mehr schon sehr diese dieser dieses seine ihre "
          "ihr",
    "fr": "le la les un une des du de et est à au aux en que qui dans pour par sur pas ne se ce cette il elle "
          "ils elles nous vous sont ont été être avoir a mais ou avec sa ses leur leurs comme tout aussi très "
          "fait y d l qu c n s",
    "es": "el la los las un una unos unas y de del en que es por para no se su sus al lo como más pero o "
          "este esta ha han ser son muy le les ya entre sobre hasta desde",
    "it": "il lo la i gli le un una uno di del della dei delle e è che in per non si su al alla da dal ma o "
          "anche più sono stato ha hanno questo questa essere nel nella tra fra",
    "pt": "o a os as um uma de do da dos das e é que em no na nos nas por para com não se seu sua ao à como "
          "mais mas ou foi ser são também muito já entre sobre",
    "nl": "de het een en van in is dat op te voor met zijn niet aan er die als ook bij door maar om nog naar "
          "uit wordt worden werd heeft hebben was tot over dan dit deze",
    "ru": "и в не на что с по как это он она они из к за от а но для же то все так его ее их был была были "
          "было быть при до уже или бы мы вы я о об у",
    "pl": "i w z na nie się że do to jest o jak a od za dla co przez tak już był była było są być jego jej "
          "ich oraz lub czy tym tego",
    "tr": "ve bir bu da de ile için olarak olan gibi daha çok en ama ya ki o ne her şu kadar sonra değil",
    "ar": "في من على إلى الى عن أن ان مع هذا هذه التي الذي كان كانت ما لا أو ثم قد كما بين بعد عند حتى ذلك "
          "هو هي وقد وفي ومن الذين إن لم لن",
}.items()}

# English's own content words that a list above would otherwise hold (kept out of them by hand):
# "war" (German "was"), "die" ("the"), "man" ("one"), "hat" ("has"), "son" (French "his"), ...
ENGLISH_CONTENT_WORDS = frozenset("war die man hat bin den son sin era plus come per con van op tot co ale po var "
                                  "dan mit art".split())

# Single Latin letters stay too: English abbreviations are read as them ("U.S." is "u" and "s"), and
# dropping them cost UCI's headline stream its "U.S." stories (``storyline eval clusters``, tune part
# 0.7125 -> 0.7086 with them dropped, 0.7135 without).
OTHER_LANGUAGES: frozenset[str] = frozenset(
    w for w in frozenset().union(*FUNCTION_WORDS.values()) - ENGLISH_CONTENT_WORDS
    if not (len(w) == 1 and w.isascii()))
# The function words that are no English word at all: evidence that a text is in another language.
_FOREIGN_ONLY = OTHER_LANGUAGES - STOP_WORDS


def mostly_other_language(words: list[str]) -> bool:
    """Whether lower-case ``words`` (a text's first few hundred) hold more function words of the
    other languages than English stop words, and at least three: "02/01/2020" is then 2 January."""
    other = sum(w in _FOREIGN_ONLY for w in words)
    return other >= 3 and other > sum(w in STOP_WORDS for w in words)
