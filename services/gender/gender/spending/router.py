"""/api/v1/gender/spending (the kit's spending routes)."""

from __future__ import annotations

from gender.spending.repository import book
from gender.spending.schemas import SpendingCreate
from mtqg_shared.kit.spending_routes import spending_router

router = spending_router(book, SpendingCreate)
