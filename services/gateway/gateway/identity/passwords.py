"""Argon2 password hashing, off the event loop.

Hashing takes ~0.1 s of CPU and 64 MiB, so it runs in a small dedicated thread pool: the
event loop keeps serving other requests, and a flood of sign-ins queues up instead of
taking all memory.
"""

from __future__ import annotations

import asyncio
import os
import secrets
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import TypeVar

from pwdlib import PasswordHash
from pwdlib.exceptions import UnknownHashError

_hasher = PasswordHash.recommended()
_pool = ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2), thread_name_prefix="argon2")
_dummy_hash: str | None = None

T = TypeVar("T")


async def _run(fn: partial[T]) -> T:
    return await asyncio.get_running_loop().run_in_executor(_pool, fn)


async def hash_password(password: str) -> str:
    return await _run(partial(_hasher.hash, password))


async def dummy_hash() -> str:
    """A hash of a random password, so unknown users cost what known users cost."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = await hash_password(secrets.token_urlsafe(16))
    return _dummy_hash


def _verify(password: str, hashed: str) -> tuple[bool, str | None]:
    try:
        return _hasher.verify_and_update(password, hashed)
    except UnknownHashError:
        return False, None


async def verify_password(password: str, hashed: str | None) -> tuple[bool, str | None]:
    """(matches, a new hash when the stored one uses outdated parameters).

    With `hashed=None` (no such user) a dummy hash is checked and the answer is False, so the
    time taken does not tell whether the username exists."""
    if hashed is None:
        await _run(partial(_verify, password, await dummy_hash()))
        return False, None
    return await _run(partial(_verify, password, hashed))
