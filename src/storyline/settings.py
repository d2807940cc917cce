"""One typed settings object with documented defaults, passed explicitly to every stage.

Every cache that grows with what is read is bounded by a setting below (the ``cache_*`` fields),
but for two memos that the whole process shares, bounded here because every stage and every
open store uses them alike: a word's transliteration key (``text.passages.skeleton``:
:data:`CACHE_WORD_KEYS` words, ~18 MB full by ``tracemalloc`` over random 4-11 letter words, ~25
with the words themselves), and a link's escaped path segment in the web pages
(``web.app._urlpart``: :data:`CACHE_URL_PARTS` ids, ~100 bytes each).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import SettingsError

DEFAULT_DB = Path("storyline.db")
CACHE_WORD_KEYS = 1 << 17  # see the module's docstring
CACHE_URL_PARTS = 1 << 16
MAX_ROWS_PER_BAND = 64  # the LSH banding has one mixing constant per row (``reuse.lsh``)


def check_bands(num_perm: int, bands: int) -> int:
    """Rows per band; the error says how to fix an impossible combination."""
    if bands < 1 or num_perm % bands:
        raise SettingsError(f"bands ({bands}) must divide num_perm ({num_perm}); e.g. 16 bands × 8 rows = 128")
    rows = num_perm // bands
    if rows > MAX_ROWS_PER_BAND:
        raise SettingsError(f"at most {MAX_ROWS_PER_BAND} rows per band, got {rows}; use more bands")
    return rows


# The most featurize worker processes ingest starts (``IngestSettings.workers``, ``--workers``).
MOST_WORKERS = 256


@dataclass(slots=True, frozen=True)
class IngestSettings:
    """Limits and defaults of ingest.

    Attributes:
        max_article_chars: an article whose text is longer is rejected, checked before the
            text is normalised (repairing mis-decoded text costs seconds a megabyte) and again
            after. News articles are rarely over 100k characters; 1M leaves room for
            transcripts while keeping one bad input from filling memory or the store.
        max_file_bytes: a single-article file (plain text, HTML page), a feed, a JSON array
            file or a UTF-16/32 JSONL or CSV file larger than this is rejected before it is
            parsed (at most this much is read).
        max_record_bytes: one JSONL line or CSV record (or one physical line of a CSV file)
            larger than this is rejected without being parsed; CSV fields are bounded by it too.
            Reading stops at the limit, so a file of one giant line costs no more memory.
        max_html_elements: an HTML page with more tags than this is rejected before it is
            parsed (real news pages have a few thousand).
        max_html_attributes: an HTML page with a tag of more attributes than this is rejected
            before it is parsed (the HTML parser is quadratic in one tag's attributes).
        max_html_depth: an HTML page whose elements nest deeper than this is rejected before
            the main text is extracted (real pages nest a few dozen levels).
        fetch_timeout_s: connect and read timeout for URLs (feeds, pages), in seconds (at most a day).
        max_fetch_bytes: a URL whose body is larger than this is rejected.
        allow_private_urls: fetch URLs whose host resolves to a loopback, private, link-local,
            multicast or otherwise reserved address. Off: a URL given to the HTTP API must not
            reach the machine's own services or its network (checked after DNS resolution and
            on every redirect).
        max_redirects: redirects followed when fetching a URL.
        encoding: how files are decoded when neither a byte-order mark nor the page itself (an
            HTML ``<meta charset>``, an HTTP ``Content-Type`` charset) says otherwise; invalid
            bytes are an error, never silently replaced.
        batch_size: articles written per store transaction (the lock is held for its
            resolve and write only, a few milliseconds an article).
        min_page_words: an HTML page is an article only if its main text has a paragraph
            of at least this many words; otherwise the extractor found only navigation.
        user_agent: sent when fetching URLs.
        workers: processes that featurize articles (hashing, date tagging) while the main
            process writes the batch before; 1 does everything in one process. The default
            is the machine's cores, at most 4 (the writer is one process: more featurizers
            than it can keep up with only cost memory). They start at an ingest's third
            batch (starting one costs ~1.5 s of CPU: a shorter ingest is quicker without).
        lock_wait_s: how long a write waits for another writer (an ingest, the web
            server's background analysis) to finish with the store before it gives up.
        cache_mb: SQLite's page cache per open store, in MB (its default is 2), so the band-key
            and story-term indexes, looked up and grown at random places, can stay in memory.
            At 6,000 articles of the stream benchmark it made no difference beyond the run-to-run
            noise (the operating system's file cache held the store either way); it is meant for
            stores larger than that cache.
        cache_texts: article texts each open store keeps decompressed, the least recently read
            dropped (~7 kB each, an estimate: the text and its packed form): the copies of a
            recycled block and a story's statements read the same few texts again, and a
            decompression costs ~50 µs. 0: none.
        text_dictionary: once a store holds this many articles it trains a Zstandard dictionary
            on their texts (the latest this many), and compresses the texts stored after it
            against it (``storyline.store.text_codec``, format 2): PolNeAR dev's texts, with a
            dictionary (256 KiB) trained on PolNeAR train, 25.9% smaller than with zlib alone and read
            back in half the time (``benchmarks/text_codec.py``, README). Training 840 texts took
            0.27 s, once. 0: never (zlib alone).
        summary_statements: when ``storyline ingest`` adds at most this many articles, it
            finds their statements (the parser, ~100 paragraphs a second) so that what it
            prints can count the conflicting claims, unless their stories hold other articles
            not analysed yet (no count could be printed then); a bigger ingest leaves them to the web
            server's background analysis, ``storyline export`` or ``storyline statements
            --story`` (the work is stored either way, never done twice). 0: never.
    """

    max_article_chars: int = 1_000_000
    max_file_bytes: int = 10_000_000
    max_record_bytes: int = 10_000_000
    max_html_elements: int = 200_000
    max_html_attributes: int = 1_000
    max_html_depth: int = 200
    fetch_timeout_s: float = 10.0
    max_fetch_bytes: int = 20_000_000
    allow_private_urls: bool = False
    max_redirects: int = 5
    encoding: str = "utf-8"
    batch_size: int = 100
    min_page_words: int = 10
    user_agent: str = "storyline/0.1 (+https://pypi.org/project/storyline/)"
    workers: int = field(default_factory=lambda: max(1, min(4, os.cpu_count() or 1)))
    lock_wait_s: float = 600.0
    cache_mb: int = 128
    cache_texts: int = 512
    text_dictionary: int = 1_000
    summary_statements: int = 100

    def __post_init__(self) -> None:
        if self.summary_statements < 0:
            raise SettingsError(f"ingest.summary_statements must be ≥ 0, got {self.summary_statements!r}")
        if self.cache_texts < 0:
            raise SettingsError(f"ingest.cache_texts must be ≥ 0, got {self.cache_texts!r}")
        if self.text_dictionary < 0:
            raise SettingsError(f"ingest.text_dictionary must be ≥ 0, got {self.text_dictionary!r}")
        for name in ("max_article_chars", "max_file_bytes", "max_record_bytes", "max_fetch_bytes", "batch_size",
                     "min_page_words", "workers", "cache_mb", "max_html_elements", "max_html_attributes",
                     "max_html_depth"):
            if getattr(self, name) <= 0:
                raise SettingsError(f"ingest.{name} must be a positive number, got {getattr(self, name)!r}")
        if self.workers > MOST_WORKERS:  # processes: "1000" is a slip of the keyboard, not a machine
            raise SettingsError(f"ingest.workers must be at most {MOST_WORKERS}, got {self.workers!r}")
        # "not <": NaN compares false with everything; a day bounds it (a larger one overflowed the socket's clock)
        if not 0 < self.fetch_timeout_s <= 86_400:
            raise SettingsError(f"ingest.fetch_timeout_s must be > 0 and at most 86400 seconds (a day), "
                                f"got {self.fetch_timeout_s!r}")
        if not 0 <= self.lock_wait_s <= 86_400:
            raise SettingsError(f"ingest.lock_wait_s must be ≥ 0 and at most 86400 seconds (a day), "
                                f"got {self.lock_wait_s!r}")
        if self.max_redirects < 0:
            raise SettingsError(f"ingest.max_redirects must be ≥ 0, got {self.max_redirects!r}")


@dataclass(slots=True, frozen=True)
class ReuseSettings:
    """Near-duplicate articles and recycled passages.

    Attributes:
        num_perm, bands, shingle: article signatures: ``bands`` × (num_perm / bands) rows
            over ``shingle``-word shingles. 16 × 8 finds lightly edited copies (measured:
            98% of true pairs, where 9 × 13 found 68%); the S-curve midpoint is ~0.71.
        near_duplicate: exact shingle Jaccard from which an article is a copy of an
            earlier one (``duplicate_of``).
        passage_num_perm, passage_bands: passage signatures over content-word keys;
            16 × 2 makes passages of key Jaccard 0.4 candidates with probability 0.94,
            0.56 (the seeds' most reworded copy) with 0.997. (8 × 3 missed that copy one
            time in five.)
        recycled: passage similarity (see ``reuse.passages``) from which a passage is a
            recycled copy of a stored one. On the seeds copies score ≥ 0.61, the closest
            unrelated pair 0.39.
        min_fuzzy_keys: passages with fewer content words match only when identical.
        sentence_num_perm, sentence_bands: each sentence of at least ``min_sentence_keys``
            content words also gets band keys (its own signature, another seed), so a part of a
            passage (a trimmed half, one half of a split paragraph) finds the whole, and a
            passage with a sentence added (or two merged) finds each source. 8 × 2 makes
            sentences of key Jaccard 0.6 candidates with probability 0.97.
        max_sentences: sentences of one passage given band keys, the first ones (a paragraph
            of more is a text dump, not news copy); it also keeps a passage's keys (16 + 8 a
            sentence) within the 500 terms of one SQLite compound SELECT that looks them up.
        min_sentence_keys, min_shared_bigrams, partial: a passage is also recycled when one
            of its sentences (or the whole of it, when the other is longer) of at least
            ``min_sentence_keys`` content words shares ``min_shared_bigrams`` key bigrams with
            a stored passage and lies in it to ``partial`` (``reuse.sentences.containment``):
            the partial copies whole-passage similarity rates below ``recycled``. A sentence of
            fewer words lies in passages on the same topic by chance. Measured on the planted
            passages' hard level, tune part (seeds 0–9), recall 0.947 at precision 1: 0.973 with
            the sentence scores alone, 0.992 with the sentence band keys too (precision 0.9992
            with any shared bigram, 1.0 with 4).
        copied_span: a sentence lying in the other passage to at least this is part of the
            copied span reported for a recycled passage (``copied``, ``first_seen_span``).
        related_passages: two articles sharing this many other recycled passages (or one
            longer than ``boilerplate_max_words``) are related, so the short lines they also
            share are part of the recycled block, not boilerplate. An outlet's boilerplate is a
            line or two (a credit, a promo); a background block is longer. On the hard level's
            tune part, 25 of the misses above were block lines called boilerplate (the story's
            copies are trimmed below ``unrelated``); with this, none (recall 0.996).
        max_candidates: stored articles read per band key (the earliest first:
            provenance wants the earliest occurrence, and a key shared by thousands of
            passages is boilerplate anyway).
        passage_postings: stored passages read per band key when looking for a passage's
            copies (the earliest first). A key shared by more passages is a recycled block or
            a common sentence, whose earliest copies lead to its first occurrence anyway;
            reading 16 instead of 50 keeps a lookup from growing with the store (3.2 ms an
            article instead of 4.6 in the last 600 of 6,000 articles: ``python
            benchmarks/stage_costs.py --articles 6000 --tail 600``, ``last_sql``) and lifted planted-passage recall on
            PolNeAR train (150 stories, seed 0) from 0.9986 to 1.0: fewer near-misses crowd
            the true copies out of the ``verify`` checked. Since no lookup reads further, a key
            already holding this many rows is given no more (a quarter of the rows of a
            10,000-article stream); the store then records it, and refuses a larger value.
        verify: candidates verified per passage, those sharing the most band keys first
            (a copy shares ~16·J² keys, a passage on the same topic one or two).
        copies_per_root: a passage longer than ``boilerplate_max_words`` checks no more
            candidates leading to a first occurrence once this many of them matched (0: no
            bound): a block recycled in every article of a story otherwise checks each new
            copy against ``verify`` earlier copies that all lead to the same first occurrence.
            The first occurrence, the status and the copied spans are what checking them all
            gives (a copy left unchecked is checked when the boilerplate rule needs to know
            whether its article is related); the score is the best of the copies checked.
        check_later_roots: whether a passage checks candidates leading to a first occurrence
            later than the earliest it has matched. ``False`` (the default) skips them where
            they cannot change its verdict: for a long passage (a boilerplate candidate still
            checked while none of its matches is boilerplate), and for a short one once a
            boilerplate match has made it boilerplate. Its first occurrence, status, score and
            copied spans are the same either way, as are every other passage's (a candidate
            left unchecked is checked when the boilerplate rule needs to know whether its
            article is related); what it saves are the checks of a block, or a line recurring
            in many articles, against copies leading to later first occurrences: on the stream
            benchmark's corpus, whose sentences recur in unrelated articles more as it grows,
            108.5 → 89.4 pair checks an article between its 9,000th and 12,000th articles, and
            the reuse resolve's CPU 5.29 → 4.87 ms an article between 10,000 and 20,000 (README,
            "Candidates past the earliest first occurrence"). ``True`` checks them all, for
            comparison.
        candidate_keys: a stored passage sharing fewer band keys than this is verified only when
            no candidate shares this many, and then only those sharing the most. On the stream
            benchmark's corpus, the last 300 of 3,000 articles, the candidates checked sharing
            two keys were 28 an article, of which 1.8 matched (26.2 of the 46 that matched
            nothing), against 3.8 of 9.6 sharing three (a one-off count, not checked in; ``python
            benchmarks/stage_costs.py --articles 4000 --tail 500 --candidate-keys 2
            --copies-per-root 0`` against the defaults: 119.9 → 73.7 checks an article in the
            last 500, with ``copies_per_root``; the reuse resolve 19.4 → 17.5 CPU ms). On the
            planted passages' tune part (``storyline eval passages
            ../shared/data/polnear/dev/text --part tune``) precision, recall and first_seen are
            the same with 2 (and no bound on copies) as with these defaults (hard level: 1.0 /
            0.9962 / 0.9979).
        unrelated: article-level Jaccard estimate below which two articles are unrelated;
            a short passage repeated in ``boilerplate_repeats`` unrelated articles is
            boilerplate. Articles sharing a story's background block measure 0.15–0.55
            (the seeds 0.48); unrelated ones ~0.03, the shared line itself included.
        index_copies_below: a passage longer than ``boilerplate_max_words`` that is recycled
            with at least this similarity to a stored one is not added to the passage index
            (a near-exact copy: later copies find the passage it copies, and the same first
            occurrence). 1.0 indexes every copy but exact ones; above 1, every passage.
        recent_bands: new passage band keys gather until there are this many (~200 an
            article), then move into the middle level in key order, in the transaction of the
            batch that reached it. Inserted batch by batch, random keys touched pages all over
            the index at every commit. They are kept in a table of one row an article (12
            bytes a row) and, for lookups, in memory (~150 bytes a row, ~30 MB at 200,000: ``tracemalloc`` over 200,000 made-up rows of
            154,000 keys; the 10,000-article stream benchmark's peak RSS grew 23–25 MiB).
        mid_bands, level_ratio: the middle level moves into the big index once it holds at
            least ``mid_bands`` rows and a ``level_ratio``-th of the big index's. A move rewrites
            about every page of the level it goes into, so the big index is rewritten once per
            ``level_ratio``-th of growth instead of once per ``recent_bands`` rows (see
            ``storyline.store.reuse_index``).
        recent_article_bands: new article band keys (16 an article) gather until there are this
            many, then move into the article index in key order, in the transaction of the batch
            that reached it (inserted batch by batch, they dirtied a page of that index each).
            Kept in a table of one row an article and, for lookups, in memory (~85 bytes a
            row, ~14 MB at 160,000: ``tracemalloc`` over 10,000 made-up articles, a fifth of
            them copies).
        cache_passages: stored passages kept in memory ready to be re-checked (their text,
            keys and key sets, and their sentences'), the least recently used of those asked
            for once moved to the cold tier first (see ``storyline.store.passage_cache``); an
            article's passages go in as it is stored (recycled blocks are asked for by every copy). ~13 kB each with their sentences' keys (``tracemalloc``
            over 3,000 of the stream benchmark's passages). 10,000 (130 MB) cost no more CPU
            time than 25,000 late in an 8,000-article stream (``benchmarks/stage_costs.py``):
            the cold tier answers what this one no longer holds. A cold passage moves up
            only when asked for again while among the latest ``cache_passages`` cold passages
            asked for once.
        cache_cold_passages: stored passages kept in memory without their key sets (text,
            keys, sentence spans packed; ~1.2 kB each by ``sys.getsizeof`` over the stream
            benchmark's, the text ~0.7 kB of it, the key strings shared among them), made ready
            again in ~20 µs instead of being read back and keyed (~200 µs with their sentences);
            0 drops them instead.
        cache_band_keys: passage band keys whose earliest ``passage_postings`` rows are kept in
            memory (the least recently used dropped first), so a lookup reads the store only for
            keys it has not met lately. ~90 bytes a key with no row, ~170 with one, ~770 with
            16 (``tracemalloc``). 2,000,000 (1,000,000 before): late in a 100,000-article stream
            of the stream benchmark the keys an article read from the store went from 84 to 51,
            the writer's peak resident size up ~135 MiB (README, "The memo of band key rows doubled").
        cache_keys: new passages' keys kept by text (the least recently used dropped), in
            the ingest process and in each featurize worker: a paragraph copied verbatim is
            keyed once while it recurs. ~4 kB each.
        cache_key_filter: the most band keys of the reuse index's two lower levels that the
            writer keeps a Bloom filter of (10 bits a key, up to twice that as it grows: ~125 MB
            at the default), so a lookup does not read the store for a key held nowhere (a new
            paragraph's); made by reading the levels' keys (~2 µs a key) once the writer has
            read a sixteenth as many keys without it. A store with more goes without it,
            lookups reading every key; 0: never.
        compiled_checks: how the writer checks candidate passage pairs. ``None`` (the default):
            with the compiled check of ``reuse.pair_kernel`` when numba is installed (``pip
            install 'storyline[fast]'``), else with the set code of ``text.passages`` and
            ``reuse.sentences``; ``True``: the compiled check, refused without numba; ``False``:
            the set code. The same verdicts and scores either way. The compiled check takes ~130
            MB more resident (numba and LLVM) for 4-9% less of the writer's CPU (two comparisons
            at 100,000 articles, two pairs at 12,000 and two at 20,000; README, "Pair checks
            compiled" and "The compiled check by default"); the stream benchmark's 100,000
            articles stay under 2 GB with it.
        compiled_after: with ``compiled_checks`` left ``None``, the pairs a writer checks with
            the set code before it makes the compiled check: importing numba and loading the
            compiled check took 0.4-0.6 s in a fresh process (one-off timings), which an ingest of a few files would not win back (~10 µs
            a pair; the stream benchmark checks ~50 pairs an article early on, ~110 later), so a
            long ingest switches after its first few hundred articles. 0: from the first pair.
        same_story: content similarity (``reuse.similarity``) from which ``compare`` calls
            two articles one story: on SemEval-2022 en–en pairs, 0.2 keeps 92% of
            same-story pairs (Overall ≤ 1.5) and lets 7% of different-story pairs (≥ 3.5) through.
    """

    num_perm: int = 128
    bands: int = 16
    shingle: int = 3
    seed: int = 1
    near_duplicate: float = 0.8
    passage_num_perm: int = 32
    passage_bands: int = 16
    recycled: float = 0.5
    min_fuzzy_keys: int = 4
    sentence_num_perm: int = 16
    sentence_bands: int = 8
    max_sentences: int = 32
    min_sentence_keys: int = 6
    min_shared_bigrams: int = 4
    partial: float = 0.7
    copied_span: float = 0.5
    related_passages: int = 3
    max_candidates: int = 50
    passage_postings: int = 16
    verify: int = 10
    copies_per_root: int = 2
    check_later_roots: bool = False
    candidate_keys: int = 3
    unrelated: float = 0.1
    boilerplate_repeats: int = 2
    boilerplate_max_words: int = 40
    index_copies_below: float = 0.95
    recent_bands: int = 200_000
    mid_bands: int = 2_000_000
    level_ratio: int = 10
    recent_article_bands: int = 160_000
    same_story: float = 0.2
    compiled_checks: bool | None = None
    compiled_after: int = 50_000
    cache_passages: int = 10_000
    cache_cold_passages: int = 400_000
    cache_band_keys: int = 2_000_000
    cache_keys: int = 4_096
    cache_key_filter: int = 50_000_000

    def __post_init__(self) -> None:
        check_bands(self.num_perm, self.bands)
        check_bands(self.passage_num_perm, self.passage_bands)
        check_bands(self.sentence_num_perm, self.sentence_bands)
        for name in ("near_duplicate", "recycled", "unrelated", "same_story", "partial", "copied_span"):
            if not 0.0 < getattr(self, name) <= 1.0:
                raise SettingsError(f"reuse.{name} must be in (0, 1], got {getattr(self, name)!r}")
        for name in ("recent_bands", "mid_bands", "level_ratio", "recent_article_bands", "cache_passages", "cache_band_keys",
                     "candidate_keys"):
            if getattr(self, name) < 1:
                raise SettingsError(f"reuse.{name} must be a positive number, got {getattr(self, name)!r}")
        for name in ("cache_cold_passages", "cache_keys", "copies_per_root", "cache_key_filter", "compiled_after"):
            if getattr(self, name) < 0:
                raise SettingsError(f"reuse.{name} must be 0 or more, got {getattr(self, name)!r}")


@dataclass(slots=True, frozen=True)
class StorySettings:
    """Online story clustering (TF-IDF centroids over content words, in arrival order).

    Attributes:
        join: cosine between an article and a story's centroid from which the article joins
            the story (the best one); below it the article starts a new story. Chosen with
            ``merge`` on UCI's tune part (its first day): 0.13 and 0.25 give BCubed F1 0.774
            there, against 0.714 at the earlier 0.15 and 0.3; higher values split stories
            further (README, ``storyline eval clusters``).
        title_weight: how much more a title word counts than a body word.
        max_terms: terms kept per story centroid (the heaviest).
        candidate_terms: an article's heaviest terms used to find candidate stories.
        candidate_stories: of the stories found through those terms, the ones sharing the most
            of them are scored. On the UCI stream 60 scores the same clusters as no bound
            (BCubed F1 0.7822); 30 gives 0.7816, 15 0.7823. The bound keeps an article's cost
            flat as stories pile up under common terms (~100 were scored an article in the last
            600 of 6,000 articles of the stream benchmark, all on one date, counted in a profile).
        window_days: stories not updated within this many days of the article's date are
            not candidates (news stories go quiet; old ones should not absorb new events).
        merge: when an article matches a second story too (≥ ``join``) and the two stories'
            centroids have at least this cosine, the smaller story is merged into the larger
            (logged with the reason). On UCI's tune part, with ``join`` 0.13, merges from 0.2
            to 0.27 give BCubed F1 0.767–0.775, 0.3 gives 0.734 and 0.35 0.725.
        embeddings: also compare all-MiniLM-L6-v2 embeddings of the articles' new text (the
            ``embeddings`` extra). A score is then ``(1 − dense_weight)·tfidf +
            dense_weight·dense`` and ``dense_join``/``dense_merge`` replace ``join``/``merge``.
            On the UCI dev stream 0.85 / 0.35 / 0.5 give BCubed F1 0.854; moving the join to
            0.3 or 0.4 gives 0.864 or 0.845, the merge to 0.6 gives 0.826, a weight of 0.7
            (join 0.3) 0.843, of 1.0 (join 0.4) 0.856.
        recent: with embeddings, the most recently updated stories are candidates too.
        split: a story that grows is checked for a group of its articles that no longer
            holds with the rest: its articles' own vectors (as they joined) fall into two
            groups by 2-means, and the smaller group, when each of its articles would join
            it (``join``) and its centroid scores below ``split`` against the rest's,
            leaves to form a story of its own (logged with the reason). The default is the
            join threshold: a story holds together while its parts would join each other.
            Capped at ``merge``, so a split never undoes what a merge would redo; 0 turns
            splitting off. With embeddings, ``dense_split`` (capped at ``dense_merge``)
            replaces it. On the UCI dev stream 0.15 splits nothing (BCubed F1 stays 0.782);
            0.2 splits 5 stories (0.781), 0.3 splits 17 (0.773).
        split_min_articles: the smallest group that splits off, and the fewest articles a
            split leaves behind (a lone article that drifted is not a story of its own).
        split_max_articles: the check is quadratic in the story's size, so it runs only
            while a story has at most this many articles, when its size reaches 6, 8, 12,
            16, 24, 32, ... (about 1.5× apart: bounded work per article) and after a merge.
        vector_terms: an article's heaviest terms kept for the split check.
        cache_stories: stories the clusterer keeps in memory between articles (the most
            recently used; a story's centroid is read from the store when it is not here).
            ~300 terms each, ~30 kB in memory: 2,000 stories take ~60 MB.
        cache_compact: stories kept in the compact form every candidate is first scored in
            (term ids and float32 weights, ~2.5 kB for 300 terms: 50,000 take ~125 MB); a
            candidate not here is read from the store. The term ids come from a vocabulary of
            at most ``cache_terms`` terms (~100 bytes each), dropped with the compact stories
            when full.
        cache_terms: document frequencies kept in memory (a term's is read from the store
            when it is not here; the cache starts over when full). ~100 bytes each.
        recent_terms: stories whose index terms changed that gather before the term → story
            index is brought up to date in term order, in one pass (changed a story at a time,
            its rows dirtied pages all over that index at every commit). Their terms are held
            in memory by term meanwhile (see ``storyline.store.story_terms``): 4–15 MB at
            2,000 (``tracemalloc`` over 2,000 made-up stories of 40 terms, from a few words
            shared by all to every term drawn from 50,000).
        cache_term_stories: terms whose latest stories in that index are kept in memory (the
            least recently used dropped), up to date as stories change, so a candidate search
            reads the store only for a term it has not met lately: ~300 bytes a term (9.4 MiB
            for all 31,848 terms of a 40,000-article stream benchmark store, ``tracemalloc``),
            a term's kept as deep as twice the stories a lookup takes (50). 0: none.
    """

    join: float = 0.13
    title_weight: float = 2.0
    max_terms: int = 300
    candidate_terms: int = 12
    candidate_stories: int = 60
    window_days: float = 14.0
    merge: float = 0.25
    embeddings: bool = False
    dense_weight: float = 0.85
    dense_join: float = 0.35
    dense_merge: float = 0.5
    recent: int = 200
    split: float = 0.15
    dense_split: float = 0.35
    split_min_articles: int = 3
    split_max_articles: int = 256
    vector_terms: int = 32
    cache_stories: int = 2_000
    cache_compact: int = 50_000
    cache_terms: int = 500_000
    recent_terms: int = 2_000
    cache_term_stories: int = 50_000

    def __post_init__(self) -> None:
        if not 0.0 < self.join < 1.0:
            raise SettingsError(f"stories.join must be in (0, 1), got {self.join!r}")
        if not 0.0 <= self.merge <= 1.0:
            raise SettingsError(f"stories.merge must be in [0, 1], got {self.merge!r}")
        for name in ("split", "dense_split", "dense_weight", "dense_join", "dense_merge"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise SettingsError(f"stories.{name} must be in [0, 1], got {getattr(self, name)!r}")
        # "not <": a NaN compares false with everything, and passed a plain "< 0" check
        if not 0.0 < self.window_days <= 36_500:
            raise SettingsError(f"stories.window_days must be > 0 and at most 36500 (a century), "
                                f"got {self.window_days!r}")
        if not 0.0 <= self.title_weight <= 1_000:
            raise SettingsError(f"stories.title_weight must be in [0, 1000], got {self.title_weight!r}")
        for name in ("max_terms", "candidate_terms", "candidate_stories", "split_min_articles", "split_max_articles",
                     "vector_terms",
                     "cache_stories", "cache_compact", "cache_terms", "recent_terms"):
            if getattr(self, name) < 1:
                raise SettingsError(f"stories.{name} must be at least 1, got {getattr(self, name)!r}")
        if self.cache_term_stories < 0:
            raise SettingsError(f"stories.cache_term_stories must be 0 (none) or more, got {self.cache_term_stories!r}")


@dataclass(slots=True, frozen=True)
class TimelineSettings:
    """Story timelines (dated events, one entry per event however often it is reported).

    Attributes:
        same_event: two events with the same date and qualifier that do not share an
            origin (a recycled passage carries its original's events) are one entry when
            their sentences score at least this passage similarity (``reuse.passages``):
            the same report reworded. The reuse stage calls a passage recycled from 0.5.
        budget_s: the most seconds finding one article's dates may take at ingest; past it the
            article is rejected with the reason instead of holding its batch up (a
            1,000,000-character article without sentence breaks takes ~12 s on 2 cores).
            None: no budget.
        cache_keys: the keys of recycled passages' sentences and of their first occurrences'
            sentences kept by text, to place carried-over events (the least recently used
            dropped): the copies of one block meet the same sentences. An entry is a
            sentence's keys, less than a passage's ~4 kB (not measured on its own).
    """

    same_event: float = 0.5
    budget_s: float | None = 60.0
    cache_keys: int = 16_384

    def __post_init__(self) -> None:
        if not 0.0 < self.same_event <= 1.0:
            raise SettingsError(f"timeline.same_event must be in (0, 1], got {self.same_event!r}")
        if self.budget_s is not None and not self.budget_s > 0:
            raise SettingsError(f"timeline.budget_s must be positive or None, got {self.budget_s!r}")
        if self.cache_keys < 0:
            raise SettingsError(f"timeline.cache_keys must be 0 or more, got {self.cache_keys!r}")


@dataclass(slots=True, frozen=True)
class StatementSettings:
    """A story's statements (who said what, one record per claim however often reported).

    Attributes:
        same_claim: two statements of one speaker that do not share an origin (a recycled
            passage carries its original's statements) are one claim when their contents
            score at least this passage similarity (``reuse.passages``): the same report
            reworded. The reuse stage calls a passage recycled from 0.5.
        chunk: articles parsed before their statements are written in one transaction (the
            parse runs outside it; the write takes milliseconds).
    """

    same_claim: float = 0.5
    chunk: int = 16

    def __post_init__(self) -> None:
        if not 0.0 < self.same_claim <= 1.0:
            raise SettingsError(f"statements.same_claim must be in (0, 1], got {self.same_claim!r}")
        if self.chunk < 1:
            raise SettingsError(f"statements.chunk must be at least 1, got {self.chunk!r}")


@dataclass(slots=True, frozen=True)
class QuerySettings:
    """The read side (:mod:`storyline.queries`: what the CLI, the web UI and the export read).

    Attributes:
        view_cache_stories: how many stories' assembled views (timeline entries; statements
            and their conflicts; the earliest copy in the story of each content its articles
            recycle, ~0.1 MB for a 1,000-article story) are kept in memory, the least recently
            read dropped first.
            A view is kept per story version and put together again only when the story
            changes (an article joins or leaves, events or statements are stored for one of
            its articles). A 1,000-article story's views take about a second to assemble;
            64 stories of that size hold a few tens of MB. 0 turns the cache off.
    """

    view_cache_stories: int = 64

    def __post_init__(self) -> None:
        if self.view_cache_stories < 0:
            raise SettingsError(f"queries.view_cache_stories must be 0 (no cache) or more, "
                                f"got {self.view_cache_stories!r}")


@dataclass(slots=True, frozen=True)
class WebSettings:
    """The HTTP API and web UI (``storyline serve``).

    Attributes:
        host: the address to bind. Loopback by default: the API can write to the store, so
            exposing it is a decision to make explicitly (``--host 0.0.0.0``).
        port: the TCP port.
        token: the bearer token that ``POST /api/articles`` requires; ``None`` turns ingest
            over HTTP off (reads stay open). Read from ``STORYLINE_TOKEN`` by the CLI.
        max_body_bytes: the largest request body accepted (413 beyond it).
        page_size: stories or search results on one page unless the request asks otherwise.
        max_page_size: the most a request may ask for on one page.
        max_offset: the largest ``offset`` a request may ask for (422 beyond it; SQLite
            takes 64-bit offsets and a larger number used to fail the request with 500).
        analyse: find statements of articles not analysed yet in a background thread while
            serving, so story pages never wait for the parser.
        allowed_hosts: the host names (``Host`` header, without the port) requests may use;
            others get 400. The localhost names by default, and the address bound when it
            is a specific one: a web page elsewhere that makes its own name resolve to
            127.0.0.1 (DNS rebinding) cannot read the API through the visitor's browser.
            ``*`` allows any host (behind a proxy that checks it).
    """

    host: str = "127.0.0.1"
    port: int = 8000
    token: str | None = None
    max_body_bytes: int = 5_000_000
    page_size: int = 50
    max_page_size: int = 200
    max_offset: int = 1_000_000_000
    analyse: bool = True
    allowed_hosts: tuple[str, ...] = ("localhost", "127.0.0.1", "::1")

    def __post_init__(self) -> None:
        if not 0 < self.port < 65536:
            raise SettingsError(f"web.port must be in 1..65535, got {self.port!r}")
        if self.token is not None and len(self.token) < 16:
            raise SettingsError("web.token must be at least 16 characters (it guards writes to the store)")
        if not 0 < self.page_size <= self.max_page_size:
            raise SettingsError(f"web.page_size must be in 1..max_page_size ({self.max_page_size}), "
                                f"got {self.page_size!r}")
        if self.max_offset < 0:
            raise SettingsError(f"web.max_offset must be ≥ 0, got {self.max_offset!r}")
        if not self.allowed_hosts:
            raise SettingsError("web.allowed_hosts must name at least one host (or '*' for any)")
        if self.max_body_bytes < 1024:
            raise SettingsError(f"web.max_body_bytes must be at least 1024, got {self.max_body_bytes!r}")


@dataclass(slots=True, frozen=True)
class BatchSettings:
    """The Spark batch job (``storyline batch``, the ``spark`` extra).

    Attributes:
        master: the Spark master when the job starts its own session: ``local[*]`` uses every
            core of this machine; under ``spark-submit`` the session it was given is used and
            this is ignored.
        partitions: partitions the articles are featurized in; 0 means three per core Spark
            offers (``spark.default.parallelism``), so a slow partition does not hold up the rest.
        featurize_batch: articles handed to every stage's ``featurize`` at once inside a
            partition (the kernel is vectorised over a batch; larger batches hold more features
            in memory, about 30 kB an article).
        driver_memory: ``spark.driver.memory`` when the job starts its own local session (in
            local mode the executors live in the driver's JVM). Only read before the JVM starts.
        write_batch: articles resolved and stored per store transaction by the driver, in ingest
            order (as ``ingest.batch_size`` does for the streaming engine).
        statements: also find every article's statements (parsed on the executors after the
            store stage) and write ``statements.parquet`` and ``contradictions.parquet``; off,
            they are found on demand afterwards, as for a streamed store.
        statements_chunk: articles sent to the executors to parse at once; each chunk's
            statements are stored in one transaction before the next is sent.
        pair_rows, pair_checks: with ``pair_checks`` above 0 (``--pair-checks``), into an
            empty store, passage pairs are checked on the executors before the store stage
            (``storyline.batch.pairs``), with the reuse stage's own check: for each passage, the
            ``pair_checks`` earlier passages sharing the most band keys with it among each key's
            earliest ``pair_rows`` rows. The store stage looks up the pairs it checks among these
            and checks any other itself, so they change how much the driver does, never a
            verdict. Its lookups read ``reuse.passage_postings`` (16) rows a key among those
            indexed and check ``reuse.verify`` (10) a passage; more here, as rows the store stage
            leaves out of the index (near-exact copies) are among the earliest and crowd the
            ranking. Counted once on the benchmark corpus (1,000 articles; the job's report counts
            ``checks`` on any run): 20 left 8% of the driver's checks to it, 40 left 2% for 1.8
            times the pairs, 10 with ``pair_rows`` 16 left 13%; 20 is the value to use. Off by
            default: the executors spend ~20 ms an article on the pairs to save the driver ~1 ms
            (README, ``storyline batch``), which pays only where the driver's store stage is what
            the job waits for and the executors have cores to spare (a cluster), not on a
            machine of two cores.
        near_duplicates: into an empty store, find every article's near-duplicate original on
            the executors before the store stage (``storyline.batch.near_duplicates``: the
            candidates, the verdicts and the chains of copies as DataFrame operations, by the
            reuse stage's rule) and write ``near_duplicates.parquet``; the store stage then takes
            these verdicts instead of looking each article up. Off, the driver looks them up.
        progress_s: seconds between the progress lines of a Spark stage while it runs (each
            running Spark stage's tasks done, said when they changed): featurize takes about an
            hour a million articles on two cores. 0: only each stage's first and last lines.
        chunk_articles: the articles of one featurize chunk (``storyline.batch.chunks``): the
            read articles are featurized a chunk at a time, in ingest order, each chunk a Spark
            job writing its own folder, so that a job stopped during featurize goes on from its
            last chunk, and, with ``featurize_ahead``, the store stage can start on the first
            chunks (it waits for the first: 5,000 of the benchmark corpus's articles took 13–18 s
            on two cores at 100,000).
        featurize_ahead: featurize the chunks on a thread beside the store stage, which stores
            each chunk once it is featurized (its band key lookups then go to the store, as the
            streaming engine's do); in local mode those chunks run in the executor cores less
            one, so the driver keeps a core. Off (the default), and whenever the executors check
            pairs or find near-duplicates (both read every article's features first), every
            chunk is featurized before the store stage, whose lookups into an empty store are
            answered from memory. Either way, the same verdicts and the same store. Measured at
            100,000 articles in ``local[2]`` (README, ``storyline batch``): ahead, the job ended
            a few percent sooner, but its store stage cost ~25% more an article (the store's
            lookups grow with it, the memory's do not), so off is the default for archives.
        keep_work: keep the featurized articles and the band keys (``OUT/_work/features``,
            ``keys``, ``pairs``) once the store stage is complete. Off (the default), they are
            removed then: nothing after the store stage reads them (a job run again, with
            ``--statements`` too, reads the store), and they are the job's largest files (27 kB an
            article of the benchmark corpus: 27 GB at a million articles, against the store's ~9).
            The read articles (``_work/read``) stay: a job run again reports its rejections from them.
        compact: compact the store once the job has written it (after the store and statements
            stages, before the tables), as ``storyline compact`` does, leaving the room a stream
            leaves: the store as written has its band keys' middle level unmerged and its tables
            not laid out again, and a new writer's CPU an article streaming on into the 1M
            benchmark store was ~9% lower once compacted. It needs the store alone and free disk
            of up to twice the store's size while it runs (~4 minutes at a million articles); a
            store it cannot compact (another process has it open, the disk is full) is left as
            it was, the job completes and says so. A job run again compacts only where it wrote
            to the store since (or had not compacted it). Off (``--no-compact``), the store is
            left as written.
    """

    master: str = "local[*]"
    partitions: int = 0
    featurize_batch: int = 200
    driver_memory: str = "4g"
    write_batch: int = 500
    statements: bool = False
    statements_chunk: int = 5_000
    pair_rows: int = 32
    pair_checks: int = 0
    near_duplicates: bool = False
    progress_s: float = 30.0
    chunk_articles: int = 5_000
    featurize_ahead: bool = False
    keep_work: bool = False
    compact: bool = True

    def __post_init__(self) -> None:
        if not 0 <= self.progress_s <= 86_400:
            raise SettingsError(f"batch.progress_s must be ≥ 0 (0: no progress lines within a stage) and at most "
                                f"86400 seconds (a day), got {self.progress_s!r}")
        for name in ("featurize_batch", "write_batch", "statements_chunk", "pair_rows", "chunk_articles"):
            if getattr(self, name) < 1:
                raise SettingsError(f"batch.{name} must be at least 1, got {getattr(self, name)!r}")
        if self.pair_checks < 0:
            raise SettingsError(f"batch.pair_checks must be 0 (none checked beforehand) or more, "
                                f"got {self.pair_checks!r}")
        if self.partitions < 0:
            raise SettingsError(f"batch.partitions must be 0 (three per core) or more, got {self.partitions!r}")


@dataclass(slots=True, frozen=True)
class Settings:
    """Everything tunable in storyline, with documented defaults.

    Attributes:
        db_path: the SQLite store.
        ingest: see :class:`IngestSettings`.
        reuse: see :class:`ReuseSettings`.
        stories: see :class:`StorySettings`.
        timeline: see :class:`TimelineSettings`.
        statements: see :class:`StatementSettings`.
        queries: see :class:`QuerySettings`.
        web: see :class:`WebSettings`.
        batch: see :class:`BatchSettings`.
    """

    db_path: Path = DEFAULT_DB
    ingest: IngestSettings = field(default_factory=IngestSettings)
    reuse: ReuseSettings = field(default_factory=ReuseSettings)
    stories: StorySettings = field(default_factory=StorySettings)
    timeline: TimelineSettings = field(default_factory=TimelineSettings)
    statements: StatementSettings = field(default_factory=StatementSettings)
    queries: QuerySettings = field(default_factory=QuerySettings)
    web: WebSettings = field(default_factory=WebSettings)
    batch: BatchSettings = field(default_factory=BatchSettings)

    def with_db(self, db_path: str | Path) -> Settings:
        """A copy pointing at another store (settings are frozen, so callers never share mutations)."""
        return replace(self, db_path=Path(db_path))
