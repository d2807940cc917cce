"""The reuse stage end to end: near-duplicates, provenance chains, boilerplate by recurrence, both indexes."""

import json
import random

from hypothesis import given
from hypothesis import strategies as st

from storyline import Storyline
from storyline.ingest.raw import RawArticle, build_article
from storyline.records import Article, SourceRef
from storyline.reuse.memory_index import MemoryReuseIndex
from storyline.reuse.stage import ReuseStage
from storyline.settings import IngestSettings, ReuseSettings
from storyline.store.reuse_index import band_rows

def _article(aid, text, published="2025-03-01"):
    (article,) = [x for x in build_article(RawArticle(SourceRef("t"), text=text, id=aid, published=published),
                                           IngestSettings()) if isinstance(x, Article)]
    return article


VOCAB = ("council mayor budget harbour bridge ferry union strike minister report crack pier steel cable "
         "engineer inspector contract election court judge police protest school hospital nurse tax rail tunnel "
         "airport storm flood drought harvest price market bank loan factory mine port ship cargo fuel power "
         "grid water river park museum library theatre festival league match coach player season").split()


def _body(seed, paragraphs=8):
    """Distinct paragraphs of real words, reproducible from the seed."""
    rng = random.Random(seed)
    return "\n\n".join(" ".join(rng.choice(VOCAB) for _ in range(rng.randint(18, 30))).capitalize() + "."
                       for _ in range(paragraphs))


def test_lightly_edited_copy_is_a_near_duplicate_of_the_root(sl, tmp_path):
    original = _body(1, 12)
    paragraphs = original.split("\n\n")
    paragraphs[3] = "Officials said that " + paragraphs[3]
    copy = "\n\n".join(paragraphs)
    paragraphs[7] += " Reuters contributed reporting."
    copy_of_copy = "\n\n".join(paragraphs)
    path = tmp_path / "a.jsonl"
    path.write_text("".join(json.dumps({"id": i, "text": t}) + "\n"
                            for i, t in (("orig", original), ("copy", copy), ("copy2", copy_of_copy))))
    sl.ingest([path])
    assert sl.article("orig").duplicate_of is None
    copy_article, second = sl.article("copy"), sl.article("copy2")
    assert copy_article.duplicate_of == "orig" and 0.8 <= copy_article.similarity < 1.0
    assert second.duplicate_of == "orig"  # the root, not the intermediate copy
    assert all(p.status == "recycled" and p.first_seen.article_id == "orig" for p in second.passages)


def test_shared_block_alone_is_not_a_near_duplicate(sl, tmp_path):
    block = _body(2, 6)
    path = tmp_path / "b.jsonl"
    path.write_text(json.dumps({"id": "x", "text": _body(3, 8) + "\n\n" + block}) + "\n"
                    + json.dumps({"id": "y", "text": _body(4, 8) + "\n\n" + block}) + "\n")
    sl.ingest([path])
    later = sl.article("y")
    assert later.duplicate_of is None
    assert [p.status for p in later.passages] == ["new"] * 8 + ["recycled"] * 6


def test_short_line_repeated_across_unrelated_articles_becomes_boilerplate(db_path):
    promo = "Halvek Courier is on every platform, find us wherever you read."
    texts = [f"{_body(10 + i, 6)}\n\n{promo}" for i in range(4)]
    with Storyline(db_path) as engine:
        engine.ingest_articles([_article(f"u{i}", t) for i, t in enumerate(texts)])
        statuses = [engine.article(f"u{i}").passages[-1].status for i in range(4)]
    assert statuses[0] == "new"
    assert statuses[1] == "recycled"  # seen once: could be a recycled sentence
    assert statuses[2:] == ["boilerplate", "boilerplate"]


def test_near_exact_copies_stay_out_of_the_passage_index_and_lose_nothing(db_path):
    """A background block recycled under new leads: each copy is traced to the first article, but
    only the first article's long passages are indexed (copies would lead nowhere new); a short
    line is indexed each time (boilerplate is told by how many unrelated articles repeat one:
    ``test_short_line_repeated_across_unrelated_articles_becomes_boilerplate``)."""
    short = _body(40, 10).split("\n\n")
    block = "\n\n".join(f"{a} {b}" for a, b in zip(short[::2], short[1::2]))  # 5 paragraphs, each over 40 words
    promo = "Halvek Courier is on every platform, find us wherever you read."
    texts = {f"a{i}": f"{_body(50 + i, 3)}\n\n{block}\n\n{promo}" for i in range(4)}
    with Storyline(db_path) as engine:
        engine.ingest_articles([_article(aid, text) for aid, text in texts.items()])
        for aid in ("a1", "a2", "a3"):
            recycled = [p for p in engine.article(aid).passages[3:8]]
            assert all(p.status == "recycled" and p.first_seen.article_id == "a0" for p in recycled)
            assert [p.first_seen.index for p in recycled] == [3, 4, 5, 6, 7]
        assert engine.article("a3").passages[-1].status == "recycled"  # related articles: not boilerplate
        conn = engine.store._conn
        ids = dict(conn.execute("SELECT seq, id FROM articles").fetchall())
        passages = {(ids[seq], idx) for _, _, seq, idx in band_rows(conn)}
        indexed = {aid: sum(1 for a, _ in passages if a == aid) for aid in ids.values()}
    assert indexed["a0"] == 9  # its own lead, the block and the promo
    assert all(indexed[aid] == 4 for aid in ("a1", "a2", "a3"))  # the new lead and the short line only


def test_every_copy_is_indexed_when_asked(db_path):
    from storyline.settings import Settings

    short = _body(40, 10).split("\n\n")
    block = "\n\n".join(f"{a} {b}" for a, b in zip(short[::2], short[1::2]))
    with Storyline(db_path, Settings(reuse=ReuseSettings(index_copies_below=1.01))) as engine:
        engine.ingest_articles([_article(f"a{i}", f"{_body(50 + i, 3)}\n\n{block}") for i in range(2)])
        rows = {idx for _, _, seq, idx in band_rows(engine.store._conn) if seq == 2}
    assert len(rows) == 8


def test_memory_index_gives_the_sqlite_answers(sl, seeds_dir, fixtures):
    sl.ingest([seeds_dir, fixtures / "articles.jsonl", fixtures / "feed.rss"])
    stored = list(sl.articles())
    stage = ReuseStage(ReuseSettings())
    index = MemoryReuseIndex()
    fresh = [_article(a.id, a.text, a.published) for a in stored]
    marked = []
    for seq, (article, feats) in enumerate(zip(fresh, stage.featurize(fresh)), start=1):
        before = (article.duplicate_of, [(p.status, p.first_seen) for p in article.passages])
        result = stage.resolve(article, feats, index)
        marked.append(result.marked(article))
        assert (article.duplicate_of, [(p.status, p.first_seen) for p in article.passages]) == before  # unchanged
        index.remember(seq, marked[-1])
        stage.index(seq, feats, index, result)
    for mine, theirs in zip(marked, stored):
        assert [(p.status, p.first_seen, p.score) for p in mine.passages] == \
               [(p.status, p.first_seen, p.score) for p in theirs.passages]
        assert (mine.duplicate_of, mine.similarity) == (theirs.duplicate_of, theirs.similarity)


def test_store_refuses_other_signature_settings(db_path, seeds_dir):
    import pytest

    from storyline.errors import StoreError
    from storyline.settings import Settings

    with Storyline(db_path) as engine:
        engine.ingest([seeds_dir / "000_28c5dd749a0a6b13.txt"])
    with Storyline(db_path, Settings(reuse=ReuseSettings(num_perm=64, bands=8))) as engine, \
            pytest.raises(StoreError, match="reuse index was built with"):
        engine.ingest([seeds_dir / "001_5a9cac7b8d2db75a.txt"])


def test_duplicate_points_at_the_earliest_qualifying_original(sl, tmp_path):
    # A is the original; C is A lightly edited; B is C edited further. Streamed A, B, C:
    # B is too far from A to count, so B is an original; C copies both A and B: A is earlier.
    words = [f"w{i}" for i in range(400)]
    a = " ".join(words)
    c = " ".join(w if i % 35 else "x" for i, w in enumerate(words))
    b = " ".join(w if (i + 7) % 50 else "y" for i, w in enumerate(c.split()))
    # Exact Jaccard: A–B 0.749 (no copy), A–C 0.843, B–C 0.886 (the better, later match).
    path = tmp_path / "chain.jsonl"
    path.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in (("A", a), ("B", b), ("C", c))))
    sl.ingest([path])
    assert sl.article("B").duplicate_of is None
    copy = sl.article("C")
    assert copy.duplicate_of == "A" and copy.similarity == 0.8426


def _resolve_all(articles, settings=None):
    """The reuse stage over an in-memory index, as the pipeline calls it; the marked articles."""
    stage = ReuseStage(settings or ReuseSettings())
    index = MemoryReuseIndex()
    index.check_algorithm(stage.version)
    out = []
    for seq, (article, features) in enumerate(zip(articles, stage.featurize(articles)), start=1):
        result = stage.resolve(article, features, index)
        marked = result.marked(article)
        stage.index(seq, features, index, result)
        index.remember(seq, marked, features.passages)
        out.append(marked)
    return out


HARBOUR = ("The harbour authority closed the northern pier on Tuesday after divers found cracks in three "
           "steel pylons. Engineers expect repairs to take at least six weeks and to cost the port about "
           "two million euros. Ferry services to the islands will leave from the southern terminal meanwhile. "
           "The pier was last rebuilt in 1987, when a storm tore away its western half.")


def test_a_trimmed_half_is_recycled_and_its_span_located_in_both_passages():
    sentences = HARBOUR.split(". ")
    half = ". ".join(sentences[2:])  # the last two sentences: under half the keys of the whole
    added = "The mayor will open the new library in the old customs house next spring, her office announced."
    first = _article("first", f"{_body(60, 3)}\n\n{HARBOUR}")
    trimmed = _article("trimmed", f"{_body(61, 3)}\n\n{half}")
    grown = _article("grown", f"{_body(62, 3)}\n\n{added} {half}")
    _, t, g = _resolve_all([first, trimmed, grown])
    source = first.passages[3].text
    for article, passage in ((t, t.passages[3]), (g, g.passages[3])):
        assert passage.status == "recycled", article.id
        assert (passage.first_seen.article_id, passage.first_seen.index) == ("first", 3)
        assert passage.text[passage.copied.start:passage.copied.end] == half
        assert source[passage.first_seen_span.start:passage.first_seen_span.end] == half
    assert all(p.status == "new" for p in t.passages[:3] + g.passages[:3])


def test_a_whole_copy_spans_both_passages():
    first = _article("first", f"{_body(63, 3)}\n\n{HARBOUR}")
    copy = _article("copy", f"{_body(64, 3)}\n\n{HARBOUR.replace('Tuesday', 'Tuesday morning')}")
    _, c = _resolve_all([first, copy])
    p = c.passages[3]
    assert p.status == "recycled"
    assert (p.copied.start, p.copied.end) == (0, len(p.text))
    assert (p.first_seen_span.start, p.first_seen_span.end) == (0, len(first.passages[3].text))
    assert all(q.copied is None and q.first_seen_span is None for q in c.passages[:3])


def test_short_lines_of_a_shared_block_are_recycled_not_boilerplate():
    """Articles sharing several recycled lines are related, however far their leads set them apart
    at article level: the lines are their shared block, not an outlet's boilerplate."""
    block = [f"{' '.join(random.Random(k).choice(VOCAB) for _ in range(12)).capitalize()}." for k in range(5)]
    texts = [f"{_body(70 + i, 8)}\n\n" + "\n\n".join(block) for i in range(3)]
    articles = _resolve_all([_article(f"b{i}", t) for i, t in enumerate(texts)])
    for article in articles[1:]:
        assert [p.status for p in article.passages[8:]] == ["recycled"] * 5, article.id


def test_the_store_and_the_export_keep_the_copied_spans(db_path):
    from storyline.export import article_record

    sentences = HARBOUR.split(". ")
    half = ". ".join(sentences[2:])
    with Storyline(db_path) as engine:
        engine.ingest_articles([_article("first", f"{_body(65, 3)}\n\n{HARBOUR}"),
                                _article("trimmed", f"{_body(66, 3)}\n\n{half}")])
        stored = engine.article("trimmed")
    p = stored.passages[3]
    start = HARBOUR.index(half)
    assert (p.copied.start, p.copied.end) == (0, len(half))
    assert (p.first_seen_span.start, p.first_seen_span.end) == (start, start + len(half))
    record = article_record(stored)["passages"]
    assert record[3]["copied"] == {"start": 0, "end": len(half)}
    assert record[3]["first_seen"] == {"article_id": "first", "index": 3, "start": start, "end": start + len(half)}
    assert record[0]["copied"] is None and record[0]["first_seen"] is None


def _match_as_before(stage, text_a, a, text_b, b):
    """The check as first written: passage_similarity, then match_sentences' score."""
    from storyline.reuse.sentences import match_sentences
    from storyline.text.passages import passage_similarity

    s = stage.settings
    if min(len(a.keys), len(b.keys)) < s.min_fuzzy_keys:
        return (1.0, False) if a.keys == b.keys else None
    whole = passage_similarity(a, b)
    if whole >= s.recycled:
        return whole, False
    if len(a.bigrams & b.bigrams) < s.min_shared_bigrams:
        return None
    part = match_sentences(text_a, a, text_b, b, min_keys=s.min_sentence_keys, min_bigrams=s.min_shared_bigrams,
                           span_threshold=s.copied_span)
    return (part.score, True) if part.score >= s.partial else None


_PIECES = ["The harbour authority closed the northern pier on Tuesday.", "Divers found cracks in three steel pylons.",
           "Engineers expect repairs to take at least six weeks and to cost the port two million euros.",
           "Ferry services to the islands will leave from the southern terminal meanwhile.",
           "The mayor will open the new library next spring.", "Sybiha met Sibiga in Kyiv.", "It rained.",
           "Divers inspecting the harbour found no damage to the southern terminal."]


@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=6), st.lists(st.sampled_from(_PIECES), min_size=1,
                                                                          max_size=6),
       st.integers(0, 6), st.integers(1, 5), st.integers(0, 4))
def test_a_pair_is_checked_as_it_was_before(a, b, min_fuzzy_keys, min_sentence_keys, min_shared_bigrams):
    """The check's inlined similarity and score-only sentence pass give what the first version
    of it gave, with any settings."""
    from storyline.text.passages import passage_keys

    stage = ReuseStage(ReuseSettings(min_fuzzy_keys=min_fuzzy_keys, min_sentence_keys=min_sentence_keys,
                                     min_shared_bigrams=min_shared_bigrams))
    ta, tb = " ".join(a), " ".join(b)
    ka, kb = passage_keys(ta), passage_keys(tb)
    assert stage._match(ta, ka, tb, kb) == _match_as_before(stage, ta, ka, tb, kb)


def _count_checks(stage):
    """Wraps the stage's pair check; the list it returns grows by one a check."""
    calls = []
    real = stage._match

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    stage._match = counted
    return calls


def _resolve_counting(articles, settings):
    stage = ReuseStage(settings)
    calls = _count_checks(stage)
    index = MemoryReuseIndex()
    index.check_algorithm(stage.version)
    out = []
    for seq, (article, features) in enumerate(zip(articles, stage.featurize(articles)), start=1):
        result = stage.resolve(article, features, index)
        out.append(result.marked(article))
        stage.index(seq, features, index, result)
        index.remember(seq, out[-1], features.passages)
    return out, len(calls)


def _reworded(paragraph, seed):
    """The paragraph with two of its words replaced: a copy, not an exact one."""
    rng = random.Random(seed)
    words = paragraph.split()
    for _ in range(2):
        words[rng.randrange(1, len(words) - 1)] = rng.choice(VOCAB)
    return " ".join(words)


def _lead(seed):
    """A paragraph of made-up words, shared with no other article."""
    rng = random.Random(seed)
    return " ".join("".join(rng.choice("bcdfgklmnprstvz") + rng.choice("aeiou") for _ in range(3))
                    for _ in range(30)).capitalize() + "."


def test_copies_per_root_checks_fewer_copies_and_finds_the_same_first_occurrences():
    """A block recycled, re-worded, in every article of a story: with every copy indexed, each new
    copy meets all the earlier ones as candidates. Bounding the copies checked a first occurrence
    keeps every status, first occurrence and copied span, and the score never rises."""
    short = _body(80, 12).split("\n\n")
    block = [" ".join(short[k:k + 3]) for k in range(0, 12, 3)]  # 4 paragraphs of over 40 words
    articles = [_article(f"s{i}", f"{_lead(90 + i)}\n\n" + "\n\n".join(_reworded(p, 100 * i + k)
                                                                     for k, p in enumerate(block)))
                for i in range(12)]
    full, full_checks = _resolve_counting(articles, ReuseSettings(index_copies_below=1.01, copies_per_root=0,
                                                                  check_later_roots=True))
    bounded, bounded_checks = _resolve_counting(articles, ReuseSettings(index_copies_below=1.01, copies_per_root=2))
    assert bounded_checks < full_checks * 2 / 3  # 237 of 408 when written
    for a, b in zip(full, bounded):
        assert [(p.status, p.first_seen, p.copied, p.first_seen_span) for p in a.passages] == \
               [(p.status, p.first_seen, p.copied, p.first_seen_span) for p in b.passages], a.id
        assert all(q.score <= p.score for p, q in zip(a.passages, b.passages) if p.score is not None)
    assert all(p.status == "recycled" and p.first_seen.article_id == "s0" for a in full[1:] for p in a.passages[3:])


def test_a_copy_left_unchecked_still_makes_its_article_related():
    """A short line shared with articles that are unrelated at article level (long, different
    leads) is part of their block when they share a long passage too: the bound on copies checked
    must not turn it into boilerplate. The long passage's skipped copies are checked when the
    boilerplate rule needs to know."""
    long_block = " ".join(_body(120, 2).split("\n\n"))  # one paragraph of over 40 words
    line = "Harbour ferry union strike ends as council budget passes, minister says."
    articles = [_article(f"r{i}", f"{_body(130 + i, 24)}\n\n{long_block}\n\n{line}") for i in range(6)]
    stage = ReuseStage(ReuseSettings())
    assert all(stage.article_similarity(articles[0], a) < ReuseSettings().unrelated for a in articles[1:])
    for settings in (ReuseSettings(index_copies_below=1.01, copies_per_root=0),
                     ReuseSettings(index_copies_below=1.01, copies_per_root=1)):
        marked, _ = _resolve_counting(articles, settings)
        assert [a.passages[-1].status for a in marked] == ["new"] + ["recycled"] * 5, settings
        assert all(a.passages[-2].status == "recycled" for a in marked[1:])


def _made_up(seed, words):
    """A sentence of made-up words, reproducible from the seed."""
    rng = random.Random(seed)
    return " ".join("".join(rng.choice("bcdfgklmnprstvz") + rng.choice("aeiou") for _ in range(rng.randint(2, 3)))
                    for _ in range(words)).capitalize() + "."


def _recurring(seed, n):
    """Articles made of 40 sentences recurring in every combination (a word or two replaced), each
    under a lead of its own: lines that become boilerplate, blocks copied whole and in part."""
    rng = random.Random(seed)
    pool = [_made_up(rng.random(), rng.randint(8, 18)) for _ in range(40)]

    def sentence():
        words = rng.choice(pool).rstrip(".").split()
        for _ in range(rng.choice((0, 0, 1, 2))):
            words[rng.randrange(len(words))] = rng.choice(VOCAB)
        return " ".join(words) + "."

    return [_article(f"a{i:03d}", "\n\n".join([_made_up(rng.random(), 20)] + [
        " ".join(sentence() for _ in range(rng.choice((1, 1, 2, 3, 4, 5)))) for _ in range(rng.randint(2, 8))]))
        for i in range(n)]


def _verdicts(article):
    return [(p.status, p.first_seen, p.score, p.copied, p.first_seen_span) for p in article.passages]


def test_candidates_leading_to_later_first_occurrences_are_left_unchecked_and_no_verdict_changes():
    """Past the earliest first occurrence a passage matched, a candidate can change nothing of
    its verdict: every passage's status, first occurrence, score and spans are what checking every
    candidate gives (``reuse.check_later_roots``), with fewer checks."""
    for seed in (1, 3):
        articles = _recurring(seed, 150)
        every, every_checks = _resolve_counting(articles, ReuseSettings(check_later_roots=True))
        fewer, fewer_checks = _resolve_counting(articles, ReuseSettings())
        assert fewer_checks < every_checks * 0.9, seed  # 8,006 of 9,407 and 7,242 of 9,091 when written
        assert [_verdicts(a) for a in fewer] == [_verdicts(a) for a in every], seed
        assert {p.status for a in every for p in a.passages} == {"new", "recycled", "boilerplate"}


def test_a_line_s_unchecked_copy_still_makes_its_article_related():
    """A line left unchecked in an article (its passage already boilerplate, the copy leading to
    a later first occurrence) still counts towards that article sharing three passages with this
    one: another short line they share stays recycled, not boilerplate."""
    long_words = 120

    def lead(seed):
        return f"{_made_up(10 * seed, long_words)}\n\n{_made_up(10 * seed + 1, long_words)}"

    tagline, part, line2, line3, shared = (_made_up(k, words) for k, words in ((1, 18), (2, 10), (3, 14), (4, 14),
                                                                                 (5, 14)))
    articles = [_article(f"b{i}", f"{lead(10 + i)}\n\n{tagline}") for i in range(3)]  # the tagline: boilerplate
    articles.append(_article("x", f"{lead(20)}\n\n{part}\n\n{line2}\n\n{line3}\n\n{shared}"))
    articles.append(_article("y", f"{lead(21)}\n\n{shared}"))
    articles.append(_article("a", f"{lead(22)}\n\n{tagline} {part}\n\n{line2}\n\n{line3}\n\n{shared}"))
    stage = ReuseStage(ReuseSettings())
    assert stage.article_similarity(articles[-1], articles[3]) < ReuseSettings().unrelated
    for settings in (ReuseSettings(), ReuseSettings(check_later_roots=True)):
        marked, _ = _resolve_counting(articles, settings)
        assert [(p.status, p.first_seen.article_id) for p in marked[-1].passages[2:]] == [
            ("boilerplate", "b0"), ("recycled", "x"), ("recycled", "x"), ("recycled", "x")], settings


def test_copies_per_root_is_not_negative():
    import pytest

    from storyline.errors import SettingsError

    with pytest.raises(SettingsError, match="copies_per_root"):
        ReuseSettings(copies_per_root=-1)


# Written for this test: a report's own paragraph, and background the outlet carries in every
# report on the strike, the second time with characters changed as a re-translation changes them.
_ZH_NEW = ["港务局周三表示，已与工会代表重新开始谈判，双方同意在本周末之前提出各自的方案，货轮仍在港外等待。",
           "一名码头工人说，他们不会在工资问题解决之前返回工作岗位，许多家庭已经感受到了压力。"]
_ZH_BACKGROUND = ["港口工人于本月初开始罢工，要求提高工资并缩短轮班时间。罢工导致数十艘集装箱船在港外锚地等待，"
                  "部分航运公司已将货物转往邻近港口。",
                  "港务局此前提出加薪百分之四的方案，但工会认为这一幅度远远不够，并表示将继续罢工直到获得更好的条件。"]
_ZH_EDITED = ["港口工人于本月初发起罢工，要求提高薪资并缩短轮班时间。罢工使数十艘集装箱船在港外锚地等候，"
              "部分航运公司已把货物转往邻近港口。",
              "港务局之前提出加薪百分之四的方案，但工会认为这一幅度远远不足，并表示会继续罢工直到获得更好的条件。"]


def test_chinese_background_reworded_is_recycled(sl, tmp_path):
    path = tmp_path / "zh.jsonl"
    first = "\n\n".join(["工会周一宣布，罢工进入第二周，港口的装卸作业几乎全部停止。", *_ZH_BACKGROUND])
    later = "\n\n".join([*_ZH_NEW, *_ZH_EDITED])
    path.write_text(json.dumps({"id": "zh1", "text": first}, ensure_ascii=False) + "\n"
                    + json.dumps({"id": "zh2", "text": later}, ensure_ascii=False) + "\n", encoding="utf-8")
    sl.ingest([path])
    article = sl.article("zh2")
    assert article.duplicate_of is None
    assert [p.status for p in article.passages] == ["new", "new", "recycled", "recycled"]
    assert [(p.first_seen.article_id, p.first_seen.index) for p in article.passages[2:]] == [("zh1", 1), ("zh1", 2)]


def test_each_passage_s_boilerplate_form_comes_with_its_features():
    """The pattern test runs in featurize (outside the write transaction); resolve reads it from
    the features, and features without it (made by hand) get the same verdicts."""
    from dataclasses import replace

    from storyline.reuse.boilerplate import looks_like_boilerplate

    text = _body(5, 4) + "\n\nSubscribe to our newsletter for the latest updates.\n\nWATCH: the mayor's speech"
    article = _article("promo", text)
    stage = ReuseStage(ReuseSettings())
    (features,) = stage.featurize([article])
    assert features.boilerplate_form == tuple(looks_like_boilerplate(p.text) for p in article.passages)
    assert features.boilerplate_form[-2:] == (True, True) and not any(features.boilerplate_form[:4])
    statuses = [v.status for v in stage.resolve(article, features, MemoryReuseIndex()).passages]
    assert statuses == ["new"] * 4 + ["boilerplate"] * 2
    assert stage.resolve(article, replace(features, boilerplate_form=()), MemoryReuseIndex()).passages == \
        stage.resolve(article, features, MemoryReuseIndex()).passages
    # what resolve goes by is the features' form
    flipped = replace(features, boilerplate_form=(True,) + features.boilerplate_form[1:])
    assert stage.resolve(article, flipped, MemoryReuseIndex()).passages[0].status == "boilerplate"
