"""Spending entries as a resource and a ledger (the kit's `SpendingBook`): every query about
them."""

from __future__ import annotations

from digital.assets.repository import assets
from digital.models import SpendingEntry
from digital.spending.schemas import SpendingRead
from digital.web import PREFIX
from mtqg_shared.kit.spending import SpendingBook

book = SpendingBook(
    "digital",
    SpendingEntry,
    SpendingRead,
    link="asset_id",
    linked=assets,
    linked_word="asset",
    prefix=PREFIX,
)
spending = book.resource
