"""A bulk write runs without the cyclic collector, and leaves the collector as it found it,
however the writes overlap or end."""

from __future__ import annotations

import gc

import pytest

from mtqg_shared.collector import bulk_write


def test_a_bulk_write_runs_without_the_collector_and_gives_it_back() -> None:
    assert gc.isenabled()
    with bulk_write():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_overlapping_bulk_writes_give_the_collector_back_when_the_last_ends() -> None:
    first, second = bulk_write(), bulk_write()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert not gc.isenabled()  # the second still runs
    second.__exit__(None, None, None)
    assert gc.isenabled()


def test_a_bulk_write_that_fails_gives_the_collector_back() -> None:
    with pytest.raises(RuntimeError), bulk_write():
        raise RuntimeError("the import failed")
    assert gc.isenabled()


def test_a_bulk_write_leaves_a_collector_it_found_off_off() -> None:
    gc.disable()
    try:
        with bulk_write():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
