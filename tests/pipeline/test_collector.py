import gc

import pytest

from storyline.pipeline.collector import THRESHOLD, fewer_collections


def test_the_threshold_is_raised_while_writing_and_put_back_after_even_on_error():
    before = gc.get_threshold()
    with fewer_collections():
        assert gc.get_threshold() == THRESHOLD
    assert gc.get_threshold() == before
    with pytest.raises(RuntimeError), fewer_collections():
        raise RuntimeError("a write failed")
    assert gc.get_threshold() == before


def test_ingest_runs_under_the_raised_threshold_and_leaves_the_process_as_it_was(sl, seeds_dir, monkeypatch):
    seen = []
    write = sl.runner.write

    def spy(*args, **kwargs):
        seen.append(gc.get_threshold())
        return write(*args, **kwargs)

    monkeypatch.setattr(sl.runner, "write", spy)
    before = gc.get_threshold()
    sl.ingest([seeds_dir])
    assert seen and all(t == THRESHOLD for t in seen)
    assert gc.get_threshold() == before
