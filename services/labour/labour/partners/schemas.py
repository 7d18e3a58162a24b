"""Partner bodies and answers."""

from __future__ import annotations

import uuid
from typing import Literal

from labour.common import LongText, ShortText
from mtqg_shared.fields import Name
from mtqg_shared.schemas import RecordRead, StrictInput

PartnerKind = Literal["employment_service_centre", "licensed_company", "other"]


class PartnerCreate(StrictInput):
    id: uuid.UUID | None = None
    name: Name
    kind: PartnerKind
    licence_number: ShortText | None = None
    address: LongText | None = None


class PartnerUpdate(StrictInput):
    name: Name | None = None
    kind: PartnerKind | None = None
    licence_number: ShortText | None = None
    address: LongText | None = None


class PartnerRead(RecordRead):
    name: str
    kind: PartnerKind
    licence_number: str | None
    address: str | None
