"""Speakers across a story's articles: one canonical name per person or organisation, with aliases.

A mention is a name as the text gives it ("Andriy Sybiha", "Sibiga", "Jonkuk Hwang",
"the Pentagon") with the role around it ("Ukraine's Foreign Minister"). Names are compared
token by token on transliteration-tolerant keys (:func:`storyline.text.passages.skeleton`:
Sybiha/Sibiga → ``sb``, Jongkook/Jonkuk → ``jnk``):

* two full names are one person when they are spelled alike, or when every token's key
  agrees or differs by one letter (another transliteration) and their roles, where both
  are known, share a word (Anna Petrova the mayor is not Anya Petrova the nurse);
* a one-word name ("Sibiga", "Sikorski") joins the one full name of the story with a token
  of the same key, and stays apart when two people could be meant (two Kims);
* organisations compare without articles and case ("the Pentagon" = "Pentagon").

The canonical name is the full form reported most often, then the earliest; every other
form is an alias. Nothing depends on the order mentions arrive in beyond that tie-break.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..text.groups import DisjointSets
from ..text.passages import STOP_WORDS, skeleton
from .lexicon import SOURCE_NOUNS

# Words of a speaker phrase that are not part of a name.
_HONORIFICS = frozenset("""mr mrs ms dr sir madam prof professor gen general col colonel lt maj major
adm admiral sen senator rep president prime minister secretary chancellor king queen prince
chief head spokesman spokeswoman spokesperson ambassador envoy""".split())
_TOKEN = re.compile(r"[^\W\d_][^\W\d_'’.-]*(?:[-'’][^\W\d_]+)*")
_ORG_WORDS = frozenset("""the ministry department office agency service services council committee
army forces force command government administration pentagon kremlin media press post times guardian
reuters news agency bureau center centre institute party bank university court police panel""".split())


@dataclass(slots=True, frozen=True)
class SpeakerMention:
    name: str  # as resolved in its article ("Andriy Sybiha", "the Pentagon")
    role: str = ""  # the rest of the speaker phrase ("Ukraine's Foreign Minister")
    order: tuple = ()  # a sort key: (published, article id, position), for the tie-break


@dataclass(slots=True)
class Speaker:
    name: str
    aliases: list[str] = field(default_factory=list)
    mentions: list[int] = field(default_factory=list)  # indices into the mentions given


def name_tokens(name: str) -> list[str]:
    """The words of a name, honorifics and possessives dropped: "Mr. Sybiha's" → ["Sybiha"]."""
    words = [w.rstrip(".").removesuffix("'s").removesuffix("’s") for w in _TOKEN.findall(name)]
    return [w for w in words if w and w.lower() not in _HONORIFICS and w.lower() != "the"]


_ROLE_WORDS = _HONORIFICS | frozenset("""foreign defense defence interior finance justice health deputy acting
former vice permanent representative commander director governor mayor leader member head of the and
secretary-general minister-president""".split())
_NAME_TOKEN = re.compile(r"[A-Z][^\W\d_]*(?:[-'’][A-Za-z]+)*\.?|[a-z]{1,3}(?=\s+[A-Z])")


def person_name(phrase: str) -> str:
    """The name at the end of a speaker phrase: "South Korean Defense Minister Kim Yong-hyun" →
    "Kim Yong-hyun"; "the UN Security Council, Jongkook Hwang" → "Jongkook Hwang"; a phrase
    with no name after its role words ("NATO Secretary General") comes back as it is."""
    tail = phrase.rsplit(",", 1)[-1].strip() if "," in phrase else phrase.strip()
    words = tail.split()
    name: list[str] = []
    for word in reversed(words):
        bare = word.strip(".,;:").removesuffix("'s").removesuffix("’s")
        if not bare or not bare[0].isupper() or bare.lower() in _ROLE_WORDS or bare.isupper() and len(bare) > 1:
            break
        name.append(bare)
    name.reverse()
    if len(name) > 3:
        name = name[-2:]  # a name is rarely longer; the words before are the role's ("Countering Disinformation")
    elif len(name) == 3 and len(words) > 3 and words[-4].lower() in ("of", "for", "at", "to", "in"):
        name = name[1:]  # "President of Ukraine Volodymyr Zelenskyy": Ukraine belongs to the role
    if not name or (len(name) == len(words) and len(name) <= 3 and tail == phrase.strip()):
        return phrase.strip() if not name else " ".join(name)
    # A lone word before the role words is a place or a nationality ("Ukrainian President"), not a name.
    return " ".join(name) if len(name) >= 2 or len(words) == 1 else phrase.strip()


def is_organisation(name: str) -> bool:
    """"the Pentagon", "Censor.NET", "NATO", "the Washington Post": not a person's name."""
    words = _TOKEN.findall(name)
    return bool(words) and (words[0].lower() == "the" or any(w.lower() in _ORG_WORDS for w in words)
                            or any(len(w) > 1 and w.isupper() for w in words))


_POSSESSED = re.compile(r"['’]s\s+(?:[a-z][\w-]*\s+)*[a-z][\w-]*\s*$")


def _plain(word: str) -> str:
    """The word without its accents ("Lazăr" → "Lazar"): outlets drop them, a name stays one."""
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def _keys(tokens: Sequence[str]) -> tuple[str, ...]:
    return tuple(skeleton(_plain(t).lower().replace("-", "").replace("'", "")) for t in tokens)


def _close(a: str, b: str) -> bool:
    """Keys one letter apart (insertion, deletion or substitution), for keys long enough to tell."""
    if a == b:
        return True
    if min(len(a), len(b)) < 3 or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def _short_form(a: Sequence[str], b: Sequence[str]) -> bool:
    """Whether two names differ only in their first word, one the start of the other ("Ed" of
    "Edward", "Chris" of "Christopher"): a given name shortened, as headlines do."""
    if len(a) < 2 or len(a) != len(b) or [t.lower() for t in a[1:]] != [t.lower() for t in b[1:]]:
        return False
    x, y = sorted((a[0].lower(), b[0].lower()), key=len)
    return len(x) >= 2 and x != y and y.startswith(x)


def _role_words(role: str) -> frozenset[str]:
    return frozenset(w.lower() for w in _TOKEN.findall(role) if w.lower() not in STOP_WORDS and len(w) > 2)


def _roles_differ(a: frozenset[str], b: frozenset[str]) -> bool:
    return bool(a) and bool(b) and not (a & b)


def cluster_speakers(mentions: Sequence[SpeakerMention]) -> list[Speaker]:
    """Group ``mentions`` into speakers; returns them with canonical names, in first-mention order."""
    # The pairwise comparisons run over distinct (name, role) forms, not mentions: a story of
    # a thousand articles names the same few dozen speakers thousands of times.
    forms: dict[tuple[str, str], int] = {}
    form_of = [forms.setdefault((m.name, m.role), len(forms)) for m in mentions]
    sets = _group_forms(list(forms))
    groups: dict[int, list[int]] = defaultdict(list)
    for i, form in enumerate(form_of):
        groups[sets.find(form)].append(i)

    speakers = []
    for members in sorted(groups.values(), key=lambda ms: min(mentions[i].order or (i,) for i in ms)):
        counts = Counter(_display(mentions[i].name) for i in members)
        first_seen: dict[str, int] = {}
        for i in sorted(members, key=lambda i: mentions[i].order or (i,)):
            first_seen.setdefault(_display(mentions[i].name), len(first_seen))
        longest = max(len(name_tokens(f)) for f in counts)
        # A name in capitals ("CARL ICAHN", "REPORT") is a headline's typography: the same name
        # written in mixed case is shown where the story has it.
        canonical = min(counts, key=lambda f: (len(name_tokens(f)) < longest, _in_capitals(f), -counts[f],
                                               first_seen[f]))
        aliases = sorted((f for f in counts if f != canonical), key=lambda f: first_seen[f])
        speakers.append(Speaker(canonical, aliases, sorted(members)))
    return speakers


def _group_forms(forms: Sequence[tuple[str, str]]) -> DisjointSets:
    """Which (name, role) forms name one speaker."""
    sets = DisjointSets(len(forms))
    find, union = sets.find, sets.union

    tokens = [name_tokens(name) for name, _ in forms]
    keys = [_keys(t) for t in tokens]
    # "Trump's official campaign account" is something of Trump's, not Trump: kept apart, like an
    # organisation, under its own words.
    orgs = [is_organisation(name) or _POSSESSED.search(name) is not None for name, _ in forms]
    roles = [_role_words(role) for _, role in forms]
    full = [i for i, k in enumerate(keys) if len(k) >= 2 and not orgs[i]]
    single = [i for i, k in enumerate(keys) if len(k) == 1 and not orgs[i]]

    # Case variants are one speaker whatever else they are ("CARL ICAHN" / "Carl Icahn", "REPORT" /
    # "Report"): capitals make a name look like an organisation's initials, and a story shows each name once.
    by_case: dict[tuple[str, ...], int] = {}
    for i, t in enumerate(tokens):
        if t:
            union(i, by_case.setdefault(tuple(w.lower() for w in t), i))
    for x, i in enumerate(full):
        for j in full[x + 1:]:
            if len(keys[i]) != len(keys[j]) or find(i) == find(j):
                continue
            if [t.lower() for t in tokens[i]] == [t.lower() for t in tokens[j]]:
                union(i, j)
            elif _short_form(tokens[i], tokens[j]) and not _roles_differ(roles[i], roles[j]):
                union(i, j)  # "Ed Snowden", "Edward Snowden": a given name shortened, the rest the same
            elif (all(_close(a, b) for a, b in zip(keys[i], keys[j]))
                  or len(keys[i]) >= 3 and all(_close(a, b) for a, b in zip(sorted(keys[i]), sorted(keys[j])))) \
                    and not _roles_differ(roles[i], roles[j]):
                # Another spelling of the same sounds, or the same three names in another order
                # ("Marcel Lazăr Lehel", "Marcel Lehel Lazar": family name first or last, as outlets
                # write it): one person unless the roles say otherwise.
                union(i, j)
    # A one-word name joins the one person whose name has a word of that key.
    people: dict[int, set[str]] = defaultdict(set)
    for i in full:
        people[find(i)].update(keys[i])
    for i in single:
        owners = [root for root, words in people.items() if keys[i][0] in words]
        if len(owners) == 1:
            union(i, owners[0])
    for x, i in enumerate(single):
        for j in single[x + 1:]:
            if keys[i] == keys[j] and len({find(i), find(j)} & set(people)) == 0:
                union(i, j)
    org_groups: dict[str, int] = {}
    for i, is_org in enumerate(orgs):
        if is_org or not keys[i]:
            key = " ".join(w.lower() for w in _TOKEN.findall(forms[i][0]) if w.lower() != "the")
            union(i, org_groups.setdefault(key, i))
    return sets


def _in_capitals(name: str) -> bool:
    """Whether a name is written in capitals throughout and is more than initials ("CARL ICAHN",
    "REPORT"; not "NATO" alone, which is read the same in any text)."""
    letters = [c for c in name if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and (len(name.split()) > 1 or len(letters) > 5)


def _display(name: str) -> str:
    """A name as shown: whitespace tidied, a leading "the" dropped for organisations."""
    name = " ".join(name.split()).removesuffix("'s").removesuffix("’s")
    name = name[4:] if name.lower().startswith("the ") else name
    # A source noun is the same source in any case ("REPORT:", "Report:", "- report").
    return name.capitalize() if name.lower() in SOURCE_NOUNS else name
