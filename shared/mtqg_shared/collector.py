"""Python's cyclic garbage collector, kept off what would only make it slower.

Reference counting frees nearly everything a request or an import makes; the cyclic
collector is there for the rest, and each of its full collections walks every object the
process holds. Two kinds of objects make those walks long without giving them anything to
free: what start-up made (`freeze_start_up_objects`) and what a bulk write holds until its
commit (`bulk_write`).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_frozen = False
_lock = threading.Lock()
_bulk = 0
_thresholds: tuple[int, int, int] | None = None
# A full collection's threshold no count of this process reaches.
_NEVER = 2**31 - 1


def freeze_start_up_objects() -> None:
    """What start-up made lives as long as the process: keep it out of the cyclic garbage
    collector's full collections. Measured on the gateway under load, those walked ~140,000
    objects for 80-190 ms each, a few times a minute, and were its p99; after the freeze they
    take about a millisecond. Once per process (tests start many apps)."""
    global _frozen
    if not _frozen:
        _frozen = True
        gc.collect()
        gc.freeze()


@contextmanager
def bulk_write() -> Iterator[None]:
    """No full collection while a bulk write runs (an import of 100,000 rows: its rows, their
    records, audit rows and change notes live until its commit, millions of objects that each
    full collection walked again; 50,000 housing cases went from about 7,000 to 14,000 a
    second with them left out). The young generations are still collected, so a cycle made
    and dropped within a row is freed as before; what reached the oldest generation waits for
    the first full collection after the last bulk write of the process ends. Bulk writes may
    overlap (two jobs, one event loop): the thresholds come back when the last one ends."""
    global _bulk, _thresholds
    with _lock:
        if _bulk == 0:
            _thresholds = gc.get_threshold()
            gc.set_threshold(_thresholds[0], _thresholds[1], _NEVER)
        _bulk += 1
    try:
        yield
    finally:
        with _lock:
            _bulk -= 1
            if _bulk == 0 and _thresholds is not None:
                gc.set_threshold(*_thresholds)
                _thresholds = None
