"""`/api/v1/labour/commune-profiles` (the kit's profile routes)."""

from __future__ import annotations

from labour.profiles.repository import book
from labour.profiles.schemas import ProfilePut
from mtqg_shared.kit.profiles import profiles_router

router = profiles_router(book, ProfilePut, "labour")
