"""Python's cyclic garbage collector, kept off what would only make it slower.

Reference counting frees nearly everything a request or an import makes; the cyclic
collector is there for the rest, and each of its full collections walks every object the
process holds. Two kinds of objects make those walks long without giving them anything to
free: what start-up made (`freeze_start_up_objects`) and what a bulk write holds until its
commit (`bulk_write`), which makes only a few cycles for the collector to find.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_frozen = False
_lock = threading.Lock()
_bulk = 0
# Whether the collector ran when the first of the bulk writes running began.
_enabled = False


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
    """No cyclic collection while a bulk write runs. An import of 100,000 rows holds its rows,
    their records, audit rows and change notes until its commit: millions of objects that
    each full collection walked again (50,000 housing cases went from about 7,000 to 14,000 a
    second without them), and that the young collections walk once or twice each on their
    way to the oldest generation: 0.5 s of the 5.5 s of CPU of 100,000 cases' import, for
    about 850 objects of cycles made and dropped by its rows (measured with `gc.callbacks`
    and `gc.collect()` after it). Reference counting frees all else as it always does; the
    few cycles wait for the first collection after the last bulk write of the process ends.
    Bulk writes may overlap (two jobs, one event loop): the collector comes back, as it was,
    when the last one ends."""
    global _bulk, _enabled
    with _lock:
        if _bulk == 0:
            _enabled = gc.isenabled()
            gc.disable()
        _bulk += 1
    try:
        yield
    finally:
        with _lock:
            _bulk -= 1
            if _bulk == 0 and _enabled:
                gc.enable()
