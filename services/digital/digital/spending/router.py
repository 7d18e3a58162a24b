"""/api/v1/digital/spending (the kit's spending routes)."""

from __future__ import annotations

from digital.spending.repository import book
from digital.spending.schemas import SpendingCreate
from mtqg_shared.kit.spending_routes import spending_router

router = spending_router(book, SpendingCreate)
