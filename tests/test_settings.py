"""Settings refuse values they cannot work with, naming the setting."""

from __future__ import annotations

import math
import re

import pytest

from storyline.errors import SettingsError
from storyline.settings import BatchSettings, IngestSettings, ReuseSettings, StorySettings, TimelineSettings


@pytest.mark.parametrize("make", [lambda n: ReuseSettings(cache_keys=n), lambda n: TimelineSettings(cache_keys=n)])
def test_a_key_memo_may_be_off_but_not_negative(make):
    assert make(0).cache_keys == 0
    with pytest.raises(SettingsError, match=r"\.cache_keys must be 0 or more, got -1"):
        make(-1)


@pytest.mark.parametrize(("make", "name"), [
    (lambda v: IngestSettings(fetch_timeout_s=v), "ingest.fetch_timeout_s"),
    (lambda v: IngestSettings(lock_wait_s=v), "ingest.lock_wait_s"),
    (lambda v: StorySettings(window_days=v), "stories.window_days"),
    (lambda v: StorySettings(title_weight=v), "stories.title_weight"),
    (lambda v: StorySettings(dense_weight=v), "stories.dense_weight"),
    (lambda v: StorySettings(dense_join=v), "stories.dense_join"),
    (lambda v: StorySettings(dense_merge=v), "stories.dense_merge"),
    (lambda v: BatchSettings(progress_s=v), "batch.progress_s"),
])
@pytest.mark.parametrize("value", [math.nan, math.inf, -1.0, 1e308])
def test_a_number_setting_refuses_nan_infinity_and_values_out_of_its_range(make, name, value):
    # NaN passed checks written "x < 0"; 1e308 seconds overflowed the socket's clock.
    with pytest.raises(SettingsError, match=rf"^{re.escape(name)} must be "):
        make(value)


def test_number_settings_take_their_bounds():
    assert IngestSettings(fetch_timeout_s=86_400, lock_wait_s=0).lock_wait_s == 0
    assert StorySettings(window_days=0.5, title_weight=0, dense_weight=1.0).window_days == 0.5
    assert BatchSettings(progress_s=0).progress_s == 0 and BatchSettings(progress_s=86_400).progress_s == 86_400


def test_workers_are_bounded():
    assert IngestSettings(workers=256).workers == 256
    with pytest.raises(SettingsError, match=r"^ingest.workers must be at most 256, got 257"):
        IngestSettings(workers=257)
