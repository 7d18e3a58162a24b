"""/api/v1/labour/spending (the kit's spending routes)."""

from __future__ import annotations

from labour.spending.repository import book
from labour.spending.schemas import SpendingCreate
from mtqg_shared.kit.spending_routes import spending_router

router = spending_router(book, SpendingCreate)
