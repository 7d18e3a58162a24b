"""Bodies and answers of /norms."""

from __future__ import annotations

import datetime as dt

from pydantic import ConfigDict, Field

from housing.domain.vocabulary import BeneficiaryGroup, SupportType
from housing.web import OptionalName
from mtqg_shared.fields import Day
from mtqg_shared.pagination import Page
from mtqg_shared.schemas import RecordRead, StrictInput, Vnd


class NormPut(StrictInput):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "amount_vnd": 60000000,
                    "valid_from": "2025-01-01",
                    "basis": "Decision 21/2024/QĐ-TTg",
                }
            ]
        }
    )

    amount_vnd: Vnd
    valid_from: Day
    basis: OptionalName | None = Field(
        default=None, description="The legal basis, e.g. a decision's number."
    )


class NormRead(RecordRead):
    beneficiary_group: BeneficiaryGroup
    support_type: SupportType
    amount_vnd: int
    valid_from: dt.date
    valid_until: dt.date | None = Field(
        description="The last day before the next norm of the group and type; null if none."
    )
    basis: str | None


NormPage = Page[NormRead]
