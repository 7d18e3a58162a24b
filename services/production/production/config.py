from __future__ import annotations

from pydantic import Field

from mtqg_shared.settings import CommonSettings


class Settings(CommonSettings):
    """The production service's settings: the common ones and its own rules."""

    service_name: str = "production"
    max_state_support_share: float = Field(
        default=0.7,
        gt=0,
        le=1,
        description=(
            "Largest share (a fraction) of a linkage project's total cost that state support "
            "may cover."
        ),
    )
    ocop_validity_months: int = Field(
        default=36,
        ge=1,
        le=120,
        description="How long an OCOP certificate is valid when no expiry date is given.",
    )
