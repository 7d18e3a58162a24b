"""Spending entries as a resource and a ledger (the kit's `SpendingBook`): every query about
them."""

from __future__ import annotations

from gender.activities.repository import activities
from gender.models import SpendingEntry
from gender.spending.schemas import SpendingRead
from gender.web import PREFIX
from mtqg_shared.kit.spending import SpendingBook

book = SpendingBook(
    "gender",
    SpendingEntry,
    SpendingRead,
    link="activity_id",
    linked=activities,
    linked_word="activity",
    prefix=PREFIX,
)
spending = book.resource
