"""Bodies of `/api/v1/webhooks` (API.md section 9)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from mtqg_shared.registry import SERVICE_NAMES

if TYPE_CHECKING:
    Service = str
else:  # every programme service of the registry
    Service = Literal[SERVICE_NAMES]


def _registry_order(services: list[str]) -> list[str]:
    return [s for s in SERVICE_NAMES if s in services]


def _sorted_unique(names: list[str]) -> list[str]:
    return sorted(set(names))


Url = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=2048),
    Field(
        description=(
            "Where deliveries are POSTed: `https`, its host resolving to public addresses only "
            "(private ones only where the gateway allows them)."
        ),
        examples=["https://hooks.example.gov.vn/mtqg"],
    ),
]
Services = Annotated[
    list[Service],
    Field(min_length=1, max_length=len(SERVICE_NAMES), description="Whose feeds to follow."),
    AfterValidator(_registry_order),
]
ResourceName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]{0,63}$")]
Resources = Annotated[
    list[ResourceName],
    Field(
        min_length=1,
        max_length=100,
        description="Only changes of these collections (`cases`, `workers`, ...); all if absent.",
    ),
    AfterValidator(_sorted_unique),
]
Description = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class WebhookCreate(_Body):
    url: Url
    services: Services
    resources: Resources | None = None
    description: Description | None = None
    client_id: Annotated[str, StringConstraints(max_length=64)] | None = Field(
        default=None,
        description="The system client it is for: an admin names it; a client may omit it.",
    )


class WebhookUpdate(_Body):
    url: Url | None = None
    description: Description | None = None
    disabled: bool | None = Field(
        default=None, description="false again resumes where deliveries stopped."
    )
    rotate_secret: bool = Field(
        default=False,
        description="Make a new secret, shown once; the old one also signs for 24 hours.",
    )


class WebhookRead(BaseModel):
    id: uuid.UUID
    client_id: str
    url: str
    services: list[str]
    resources: list[str] | None
    description: str | None
    disabled: bool
    disabled_at: dt.datetime | None
    failing_since: dt.datetime | None = Field(
        description="Since when the event held back now has been failing (null: none is)."
    )
    next_attempt_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime
    created_by: str
    version: int


class WebhookWithSecret(WebhookRead):
    secret: str = Field(
        description="`whsec_...`: verifies `webhook-signature`; shown only in this answer."
    )


class WebhookPage(BaseModel):
    items: list[WebhookRead]
    next_cursor: str | None


class DeliveryRead(BaseModel):
    id: uuid.UUID
    webhook_id: str = Field(description="The event's `webhook-id`: `<service>:<seq>`.")
    type: str = Field(description="`<service>.<resource>.<action>`.")
    attempt: int = Field(description="1 for the first attempt of this event, then 2, 3, ...")
    succeeded: bool
    status: int | None = Field(description="The receiver's HTTP status; null if none came.")
    duration_ms: int
    error: str | None
    at: dt.datetime


class DeliveryPage(BaseModel):
    items: list[DeliveryRead]
    next_cursor: str | None


class ReplayRequest(_Body):
    service: Service
    after: int = Field(ge=0, le=2**62, description="Deliver again every change after this seq.")


class ReplayAnswer(BaseModel):
    service: str
    after: int
