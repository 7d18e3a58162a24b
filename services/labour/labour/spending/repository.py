"""Spending entries as a resource and a ledger (the kit's `SpendingBook`): every query about
them."""

from __future__ import annotations

from labour.common import PREFIX
from labour.models import SpendingEntry
from labour.placements.repository import placements
from labour.spending.schemas import SpendingRead
from mtqg_shared.kit.spending import SpendingBook

book = SpendingBook(
    "labour",
    SpendingEntry,
    SpendingRead,
    link="placement_id",
    linked=placements,
    linked_word="placement",
    prefix=PREFIX,
)
spending = book.resource
