"""Settings refuse values they cannot work with, naming the setting."""

from __future__ import annotations

import pytest

from storyline.errors import SettingsError
from storyline.settings import ReuseSettings, TimelineSettings


@pytest.mark.parametrize("make", [lambda n: ReuseSettings(cache_keys=n), lambda n: TimelineSettings(cache_keys=n)])
def test_a_key_memo_may_be_off_but_not_negative(make):
    assert make(0).cache_keys == 0
    with pytest.raises(SettingsError, match=r"\.cache_keys must be 0 or more, got -1"):
        make(-1)
