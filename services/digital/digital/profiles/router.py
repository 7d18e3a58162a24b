"""`/api/v1/digital/commune-profiles` (the kit's profile routes)."""

from __future__ import annotations

from digital.profiles.repository import book
from digital.profiles.schemas import ProfilePut
from mtqg_shared.kit.profiles import profiles_router

router = profiles_router(book, ProfilePut, "digital")
