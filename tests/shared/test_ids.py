"""New record ids (`types.new_id`): version 4 UUIDs, never repeated, also across a fork."""

from __future__ import annotations

import os
import pickle
import threading
import uuid

from mtqg_shared.types import new_id


def test_new_ids_are_random_version_4_uuids_like_uuid4s() -> None:
    ids = [new_id() for _ in range(5_000)]  # several of the batches it reads at once
    assert len(set(ids)) == len(ids)
    for made in ids:
        assert made.version == 4
        assert made.variant == uuid.RFC_4122
        same = uuid.UUID(str(made))
        assert same == made and hash(same) == hash(made) and same.bytes == made.bytes
        assert pickle.loads(pickle.dumps(made)) == made
    # Every random bit takes both values: no bit of the 122 is stuck.
    ones = 0
    for made in ids:
        ones |= made.int
    zeros = 0
    for made in ids:
        zeros |= ~made.int & ((1 << 128) - 1)
    assert ones | zeros == (1 << 128) - 1
    assert ones & zeros == ~((0xF000 << 64) | (0xC000 << 48)) & ((1 << 128) - 1)


def test_a_forked_process_never_makes_its_parents_next_ids() -> None:
    new_id()  # the parent holds ids read but not yet given
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover (the child's report is checked below)
        os.close(read)
        os.write(write, "\n".join(str(new_id()) for _ in range(10)).encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        childs = {uuid.UUID(line) for line in pipe.read().split()}
    os.waitpid(child, 0)
    parents = {new_id() for _ in range(10)}
    assert len(childs) == 10
    assert not childs & parents


def test_threads_making_ids_at_once_never_share_one() -> None:
    made: list[list[uuid.UUID]] = [[] for _ in range(4)]

    def make(into: list[uuid.UUID]) -> None:
        for _ in range(20_000):
            into.append(new_id())

    threads = [threading.Thread(target=make, args=(into,)) for into in made]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    every = [made_id for into in made for made_id in into]
    assert len(every) == 80_000
    assert len(set(every)) == len(every)
