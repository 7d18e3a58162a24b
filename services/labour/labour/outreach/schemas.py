"""Outreach event bodies and answers."""

from __future__ import annotations

import datetime as dt
import uuid

from labour.common import Count
from mtqg_shared.fields import Day, Name, Note
from mtqg_shared.schemas import CommuneCode, Geography, PlacedRead, RecordRead, StrictInput


class OutreachEventCreate(StrictInput):
    id: uuid.UUID | None = None
    commune_code: CommuneCode
    geography: Geography | None = None
    held_on: Day
    partner_id: uuid.UUID | None = None
    topic: Name
    village: Name | None = None
    participants: Count
    registered_interest: Count
    notes: Note | None = None


class OutreachEventUpdate(StrictInput):
    commune_code: CommuneCode | None = None
    geography: Geography | None = None
    held_on: Day | None = None
    partner_id: uuid.UUID | None = None
    topic: Name | None = None
    village: Name | None = None
    participants: Count | None = None
    registered_interest: Count | None = None
    notes: Note | None = None


class OutreachEventRead(PlacedRead, RecordRead):
    held_on: dt.date
    partner_id: uuid.UUID | None
    topic: str
    village: str | None
    participants: int
    registered_interest: int
    notes: str | None
