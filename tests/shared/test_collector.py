"""A bulk write runs without the cyclic collector's full collections, and leaves the
collector as it found it, however the writes overlap or end."""

from __future__ import annotations

import gc

import pytest

from mtqg_shared.collector import bulk_write


def test_a_bulk_write_keeps_the_young_collections_and_no_full_one() -> None:
    before = gc.get_threshold()
    with bulk_write():
        young0, young1, full = gc.get_threshold()
        assert (young0, young1) == before[:2]
        assert full > 10**9
    assert gc.get_threshold() == before


def test_overlapping_bulk_writes_give_the_thresholds_back_when_the_last_ends() -> None:
    before = gc.get_threshold()
    first, second = bulk_write(), bulk_write()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert gc.get_threshold()[2] > 10**9  # the second still runs
    second.__exit__(None, None, None)
    assert gc.get_threshold() == before


def test_a_bulk_write_that_fails_gives_the_thresholds_back() -> None:
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), bulk_write():
        raise RuntimeError("the import failed")
    assert gc.get_threshold() == before
