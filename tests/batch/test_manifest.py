"""A batch job's identity: what is left out of it, and what a refused job is told differs."""

from __future__ import annotations

import json
from dataclasses import fields, replace

from hypothesis import given
from hypothesis import strategies as st

from storyline.batch.manifest import RUN_ONLY, RUN_ONLY_SECTIONS, JobManifest, shaping_settings
from storyline.ingest import ReadOptions
from storyline.settings import BatchSettings, ReuseSettings, Settings, StorySettings


def _manifest(tmp_path, settings=None, names=("a.jsonl", "b.jsonl"), options=None, features=7) -> JobManifest:
    locations = []
    for name in names:
        path = tmp_path / name
        if not path.exists():
            path.write_text('{"text": "x"}\n')
        locations.append(str(path))
    return JobManifest.of(locations, settings or Settings(), options or ReadOptions(), features)


def test_what_shapes_results_is_in_and_how_the_job_runs_is_out():
    shaping = shaping_settings(Settings())
    assert shaping["reuse.recycled"] == 0.5 and shaping["stories.join"] == 0.13
    assert shaping["batch.write_batch"] == 500 and shaping["ingest.max_article_chars"] == 1_000_000
    assert not [key for key in shaping if key.rsplit(".", 1)[-1].startswith("cache_")]
    assert not RUN_ONLY & set(shaping)
    assert not [key for key in shaping if key.split(".")[0] in RUN_ONLY_SECTIONS]
    # Every name left out is a setting (a renamed one would silently shape the job again).
    sections = {f.name: f for f in fields(Settings)}
    for key in RUN_ONLY:
        section, _, name = key.partition(".")
        assert section in sections
        if name:
            assert name in {f.name for f in fields(getattr(Settings(), section))}
    assert json.loads(json.dumps(shaping)) == shaping


# The settings that make a job what it is, as released: a setting added since makes every job begun
# before it another job, refused on resume by the storyline that added it, unless it is named in
# ``RUN_ONLY`` (``reuse.check_later_roots`` was not, for one commit). A setting that does shape
# results is added here on purpose.
SHAPING = frozenset("""
batch.chunk_articles batch.featurize_batch batch.near_duplicates batch.pair_checks
batch.pair_rows batch.partitions batch.write_batch ingest.batch_size ingest.encoding
ingest.max_article_chars ingest.max_file_bytes ingest.max_html_attributes ingest.max_html_depth
ingest.max_html_elements ingest.max_record_bytes ingest.min_page_words ingest.text_dictionary
reuse.bands reuse.boilerplate_max_words reuse.boilerplate_repeats reuse.candidate_keys
reuse.copied_span reuse.copies_per_root reuse.index_copies_below reuse.level_ratio
reuse.max_candidates reuse.max_sentences reuse.mid_bands reuse.min_fuzzy_keys
reuse.min_sentence_keys reuse.min_shared_bigrams reuse.near_duplicate reuse.num_perm
reuse.partial reuse.passage_bands reuse.passage_num_perm reuse.passage_postings
reuse.recent_article_bands reuse.recent_bands reuse.recycled reuse.related_passages
reuse.same_story reuse.seed reuse.sentence_bands reuse.sentence_num_perm reuse.shingle
reuse.unrelated reuse.verify statements.same_claim stories.candidate_stories
stories.candidate_terms stories.dense_join stories.dense_merge stories.dense_split
stories.dense_weight stories.embeddings stories.join stories.max_terms stories.merge
stories.recent stories.recent_terms stories.split stories.split_max_articles
stories.split_min_articles stories.title_weight stories.vector_terms stories.window_days
timeline.budget_s timeline.same_event
""".split())


def test_a_setting_added_is_classed_as_shaping_or_run_only_on_purpose():
    assert set(shaping_settings(Settings())) == SHAPING


def test_run_only_settings_keep_the_job_and_shaping_ones_change_it(tmp_path):
    base = _manifest(tmp_path)
    runs_otherwise = Settings(batch=BatchSettings(master="local[1]", driver_memory="12g", progress_s=1.0),
                              reuse=ReuseSettings(cache_passages=5, cache_band_keys=9, cache_cold_passages=0,
                                                  check_later_roots=True),
                              stories=StorySettings(cache_terms=3))
    assert _manifest(tmp_path, runs_otherwise).job == base.job
    assert _manifest(tmp_path, Settings(reuse=ReuseSettings(recycled=0.55))).job != base.job
    assert _manifest(tmp_path, Settings(batch=BatchSettings(pair_checks=20))).job != base.job
    assert _manifest(tmp_path, features=8).job != base.job
    assert _manifest(tmp_path, options=ReadOptions(mapping={"text": "body"})).job != base.job


def test_what_differs_is_named(tmp_path):
    before = _manifest(tmp_path, names=("a.jsonl", "b.jsonl", "c.jsonl"))
    (tmp_path / "a.jsonl").write_text('{"text": "rewritten"}\n')
    now = _manifest(tmp_path, Settings(reuse=ReuseSettings(recycled=0.6)), names=("a.jsonl", "b.jsonl", "d.jsonl"),
                    options=ReadOptions(mapping={"text": "body"}), features=8)
    said = now.differences(before)
    assert said[0] == "its features are another storyline's (version 7; this one writes 8)"
    assert said[1] == f"inputs changed since (size or modification time): {tmp_path / 'a.jsonl'}"
    assert said[2] == f"inputs it did not read: {tmp_path / 'd.jsonl'}"
    assert said[3] == f"inputs it read that are not given now: {tmp_path / 'c.jsonl'}"
    assert said[4] == "reuse.recycled 0.5 then, 0.6 now"
    assert said[5].startswith("the format or field map: ")
    assert len(said) == 6
    assert before.differences(before) == []


def test_inputs_in_another_order_and_a_setting_one_storyline_did_not_have(tmp_path):
    before = _manifest(tmp_path, names=("a.jsonl", "b.jsonl"))
    saved = before.as_json()
    del saved["settings"]["reuse.recycled"]  # as a storyline before that setting saved it
    old = JobManifest.from_json(saved)
    assert old is not None
    now = _manifest(tmp_path, names=("b.jsonl", "a.jsonl"))
    assert now.differences(old) == ["the same inputs in another order",
                                    "reuse.recycled '(not a setting then)' then, 0.5 now"]


def test_many_inputs_are_named_by_the_first_three(tmp_path):
    before = _manifest(tmp_path, names=("a.jsonl",))
    now = _manifest(tmp_path, names=("a.jsonl", *(f"n{i}.jsonl" for i in range(5))))
    assert now.differences(before) == [f"inputs it did not read: {tmp_path / 'n0.jsonl'}, {tmp_path / 'n1.jsonl'}, "
                                       f"{tmp_path / 'n2.jsonl'} and 2 more"]


def test_a_manifest_without_its_parts_is_an_older_storylines():
    assert JobManifest.from_json({"job": "fdd9d662184a3237", "inputs": ["a.jsonl"]}) is None


@given(recycled=st.floats(0.01, 1.0), join=st.floats(0.001, 0.999), verify=st.integers(1, 1000),
       mapping=st.dictionaries(st.sampled_from(["text", "title", "published"]), st.text(min_size=1, max_size=8)))
def test_the_digest_survives_being_saved_and_read_back(tmp_path_factory, recycled, join, verify, mapping):
    folder = tmp_path_factory.mktemp("m")
    settings = replace(Settings(), reuse=ReuseSettings(recycled=recycled, verify=verify),
                       stories=StorySettings(join=join))
    made = _manifest(folder, settings, options=ReadOptions(mapping=mapping))
    read = JobManifest.from_json(json.loads(json.dumps(made.as_json())))
    assert read is not None and read.job == made.job == made.as_json()["job"]
    assert read.differences(made) == []


def test_parts_that_cannot_be_read_are_an_older_storylines():
    assert JobManifest.from_json({"job": "x", "files": [["a.jsonl", 1]], "settings": {}, "options": {},
                                  "features": 7}) is None
    assert JobManifest.from_json({"job": "x", "files": [], "settings": {}, "options": {}, "features": "seven"}) is None
