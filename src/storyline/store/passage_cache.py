"""Stored passages kept in memory for re-checking candidates, in two tiers.

A passage ready to be checked (:class:`~storyline.reuse.ports.StoredPassage`) holds the sets
its scores intersect: its key unigrams and bigrams, and its sentences' (~13 kB a passage of
~300 characters). Most of that is made again from its keys in ~20 µs, against ~80 µs to read
the passage back from SQLite and key its text, and ~100 µs more to key its sentences. So the
most recently used passages stay whole (``hot``, those asked for again kept longest), and those
pushed out keep only their text, keys and the key range of each sentence (``cold``, ~1.1 kB),
from which a passage asked for again is made whole without reading or keying anything. A cold passage's sentences are packed in
one bytes object, not tuples of objects: the cold tier is the largest of the caches (400,000 passages by
default), and the tuples were a third of each entry (1.47 kB before, a deep count over 11,307 of
the stream benchmark's passages). A stream's candidates are the earliest
occurrences of what it recycles, spread over its whole history: ten times as many passages
fit in the same memory.

A cold passage's keys are the cache's own key strings, one for each distinct key
(``_Strings``): an article's features arrive unpickled, and pickling shares a string only
within one batch, so the same key held by passages of different batches was a string of its
own in each. Over the 103,361 cold passages of an 8,000-article stream of the stream
benchmark, 3.06 million keys were 1.11 million string objects for 24,840 distinct keys: 567
bytes a passage, against 13 shared (``sys.getsizeof`` over the tier, a one-off count).

Once the compiled pair check runs in the process, a passage goes cold with its keys' hashes
instead (what the check reads, :func:`~storyline.text.passages.key_hashes`), and comes back with
keys whose strings are made from its text only if asked for (:class:`~storyline.text.passages.KeysOfText`):
a cold passage is warmed for one check and left cold, and it was hashed again at every ask
(README, "Cold passages kept by their key hashes").
"""

from __future__ import annotations

from array import array
from collections import OrderedDict
from typing import Final

import numpy as np

from ..pipeline.ports import SentenceKeys, StoredPassage
from ..records import PassageRef, Span
from ..text.passages import KeysOfText, PassageKeys, key_hashes


# A stored passage without its sets: (article id, text, status, root's article id, root's
# passage index, root seq, keys, words, spans, runs, layout). ``layout`` packs (native ints) its
# sentence spans and, after them when ``runs`` is true, each sentence's (start, end, first key,
# last key + 1, words); the runs are missing when its sentences were never keyed (or their keys
# are not a run of the passage's). An exact tuple of strings, numbers and bytes, not a dataclass:
# the garbage collector stops tracking such a tuple at the first collection it survives, and a
# full collection walked every cold passage and its parts (three objects each: with the tier full
# of 400,000 of the stream benchmark's passages, 1.24 million tracked objects and 0.37 s a full
# collection, against 43,000 and 0.09 s as tuples; README, "Cold passages the collector does not
# walk").
# ``keys`` is a bytearray of the keys' hashes (``text.passages.key_hashes``) instead of the key
# strings once the compiled pair check runs in this process (see PassageCache).
_Cold = tuple[str, str, str, str, int, int, tuple[str, ...] | bytearray, int, int, bool, bytes]
_STATUS: Final = 2
_ROOT_ID: Final = 3
_ROOT_INDEX: Final = 4
_ROOT_SEQ: Final = 5
_RUNS: Final = 9


def _sentence_runs(keys: tuple[str, ...],
                   sentences: tuple[SentenceKeys, ...]) -> tuple[tuple[int, int, int, int, int], ...] | None:
    """Where each sentence's keys lie in the passage's, in order; ``None`` when one does not."""
    out = []
    at = 0
    for s in sentences:
        own = s.keys.keys
        n = len(own)
        while at + n <= len(keys) and keys[at:at + n] != own:
            at += 1
        if at + n > len(keys):
            return None
        out.append((s.start, s.end, at, at + n, s.keys.words))
        at += n
    return tuple(out)


class _Strings:
    """One string object for each distinct key of the cold tier (see the module's docstring):
    at most ``limit`` held, all dropped at once past it (the tier's passages keep theirs, and
    only passages cooled after share new ones), so it holds no more than the tier could need."""

    __slots__ = ("_held", "_limit")

    def __init__(self, limit: int) -> None:
        self._held: dict[str, str] = {}
        self._limit = limit

    def shared(self, keys: tuple[str, ...]) -> tuple[str, ...]:
        if len(self._held) >= self._limit:
            self._held.clear()
        get = self._held.setdefault
        return tuple([get(k, k) for k in keys])

    def clear(self) -> None:
        self._held.clear()

    def __len__(self) -> int:
        return len(self._held)


def _cool(stored: StoredPassage, strings: _Strings, hashed: bool = False) -> _Cold:
    """``hashed``: keep the keys' hashes, not their strings, where the sentences are runs of them."""
    held = stored.keys
    runs = _sentence_runs(held.keys, stored.known_sentences) if stored.known_sentences is not None \
        else stored.sentence_runs
    keys: tuple[str, ...] | bytearray
    if hashed and runs is not None:
        keys = bytearray((held.hashes if isinstance(held, KeysOfText) else key_hashes(held.keys)).tobytes())
    else:
        keys = strings.shared(held.keys)
    layout = array("i")
    for span in stored.spans:
        layout.append(span.start)
        layout.append(span.end)
    for run in runs or ():
        layout.extend(run)
    return (stored.article_id, stored.text, stored.status, stored.root.article_id, stored.root.index,
            stored.root_seq, keys, stored.keys.words, len(stored.spans), runs is not None, layout.tobytes())


def _warm(seq: int, index: int, cold: _Cold) -> StoredPassage:
    # Its sentences' sets are made only if a partial match asks for them (``sentence_runs``).
    article_id, text, status, root_id, root_index, root_seq, keys, words, spans, has_runs, layout = cold
    flat = memoryview(layout).cast("i").tolist()
    at = 2 * spans
    # map and zip, not generator expressions: ~80 cold passages an article are warmed late in a stream
    held = KeysOfText(text, words, np.frombuffer(keys, dtype=np.uint64)) if isinstance(keys, bytearray) \
        else PassageKeys(keys, words)
    return StoredPassage(seq, article_id, index, text, status, PassageRef(root_id, root_index), root_seq,
                         held, None, tuple(map(Span, flat[0:at:2], flat[1:at:2])),
                         tuple(zip(flat[at::5], flat[at + 1::5], flat[at + 2::5], flat[at + 3::5], flat[at + 4::5]))
                         if has_runs else None)


class PassageCache:
    """(article seq, passage index) -> stored passage: ``hot`` whole, ``cold`` more without their
    sets (see the module's docstring).

    The hot tier is a segmented LRU: a passage comes in on probation and is kept (up to
    ``PROTECTED`` of the tier) once asked for again; the least recently used on probation moves
    down first. Late in a stream the candidates asked for are spread over its whole history, and
    a passage asked for once (a new article's, one met by chance) pushed out the recycled blocks'
    first occurrences that every copy asks for: on the last 500 of 5,000 articles of the stream
    benchmark, 43,056 of 68,385 asks were answered by the cold tier with one recency order,
    35,306 with these two (a replay of the asks, not checked in).

    A cold passage comes up to the hot tier only when asked for a second time while it is among
    the latest ``hot`` cold passages asked for once (``_asked``); asked once, it is answered made
    whole and left cold. Late in a 30,000-article stream, 83 of the ~124 asks an article were
    answered by the cold tier, and each moved up then, pushing a hot passage, sets and all, down
    to be cooled and freed (README, "A cold passage moves up on its second ask")."""

    PROTECTED = 0.9

    def __init__(self, hot: int, cold: int) -> None:
        self._hot_limit = hot
        self._protected_limit = int(hot * self.PROTECTED)
        self._cold_limit = cold
        self._probation: OrderedDict[tuple[int, int], StoredPassage] = OrderedDict()
        self._protected: OrderedDict[tuple[int, int], StoredPassage] = OrderedDict()
        self._cold: OrderedDict[tuple[int, int], _Cold] = OrderedDict()
        # The cold form a hot passage was warmed from: pushed out again, it goes back as it came
        # (late in a stream most hot passages were cold a moment before, and cooling one costs
        # what warming it does). Dropped when its sentences were keyed since and it had no runs.
        self._was: dict[tuple[int, int], _Cold] = {}
        # Cold passages asked for once lately, the oldest first (at most ``hot`` of them).
        self._asked: OrderedDict[tuple[int, int], None] = OrderedDict()
        # A key string for each distinct key the cold tier holds: as many as it holds passages
        # is more than it meets (24,840 keys over its first 103,361 passages, above).
        self._strings = _Strings(max(cold, 1))
        # Set once a passage pushed out of the hot tier was checked by the compiled pair check
        # (its keys carry what the check prepared): from then on, passages go cold with their
        # keys' hashes instead of their key strings, about the same size, so that one warmed for a
        # check is not hashed again (63 cold passages an article over the last 1,000 of a
        # 10,000-article stream of the stream benchmark, a one-off count). The set code
        # would make the strings again from each text, so the tier keeps strings until then.
        self._hashed = False

    def get(self, key: tuple[int, int]) -> StoredPassage | None:
        stored = self._protected.get(key)
        if stored is not None:
            self._protected.move_to_end(key)
            return stored
        stored = self._probation.pop(key, None)
        if stored is not None:
            self._protect(key, stored)
            return stored
        cold = self._cold.get(key)
        if cold is None:
            return None
        if key not in self._asked:
            self._cold.move_to_end(key)
            self._asked[key] = None
            if len(self._asked) > self._hot_limit:
                self._asked.popitem(last=False)
            return _warm(key[0], key[1], cold)
        del self._asked[key]
        del self._cold[key]
        stored = self.put(key, _warm(key[0], key[1], cold))
        if key in self._probation:  # (a hot tier of none pushes it straight out again)
            self._was[key] = cold
        return stored

    def root_and_status(self, key: tuple[int, int]) -> tuple[PassageRef, str, int] | None:
        """The root, status and root's seq of the passage held under ``key``, whole or cold,
        leaving it where it is (no tier or recency changes)."""
        held = self._protected.get(key) or self._probation.get(key)
        if held is not None:
            return held.root, held.status, held.root_seq
        cold = self._cold.get(key)
        return None if cold is None else (PassageRef(cold[_ROOT_ID], cold[_ROOT_INDEX]), cold[_STATUS],
                                          cold[_ROOT_SEQ])

    def _protect(self, key: tuple[int, int], stored: StoredPassage) -> None:
        self._protected[key] = stored
        if len(self._protected) > self._protected_limit:
            # back on probation, as its most recent
            old_key, old = self._protected.popitem(last=False)
            self._probation[old_key] = old

    def put(self, key: tuple[int, int], stored: StoredPassage) -> StoredPassage:
        self._was.pop(key, None)
        if key in self._protected:
            self._protected[key] = stored
            self._protected.move_to_end(key)
            return stored
        self._probation[key] = stored
        self._probation.move_to_end(key)
        if len(self._probation) + len(self._protected) > self._hot_limit:
            old_key, old = (self._probation if self._probation else self._protected).popitem(last=False)
            was = self._was.pop(old_key, None)
            if self._cold_limit:
                self._cold[old_key] = was if was is not None and (was[_RUNS] or old.known_sentences is None) \
                    else _cool(old, self._strings, self._hashed or self._hashing(old))
                if len(self._cold) > self._cold_limit:
                    self._cold.popitem(last=False)
        return stored

    def _hashing(self, old: StoredPassage) -> bool:
        self._hashed = old.keys.prepared is not None
        return self._hashed

    @property
    def hashed(self) -> bool:
        """Whether passages go cold with their keys' hashes (see ``__init__``)."""
        return self._hashed

    def clear(self) -> None:
        self._probation.clear()
        self._protected.clear()
        self._cold.clear()
        self._was.clear()
        self._asked.clear()
        self._strings.clear()

    def __len__(self) -> int:
        return len(self._probation) + len(self._protected) + len(self._cold)
