"""Support norms: how much a household of a group gets for a new build or a repair, valid
from a date until the next norm for the same group and type."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from housing.domain.vocabulary import BeneficiaryGroup, SupportType

G = BeneficiaryGroup
T = SupportType

# The shipped defaults apply from this date, so every case (past years included) has a norm
# until an admin records a dated change.
DEFAULTS_VALID_FROM = dt.date(2000, 1, 1)

_MERITORIOUS = "Decision 21/2024/QĐ-TTg"
_POOR = "Circular 01/2022/TT-BXD"
_CAMPAIGN = "Campaign value for the other groups"


@dataclass(frozen=True, slots=True)
class Norm:
    beneficiary_group: str
    support_type: str
    valid_from: dt.date
    amount_vnd: int
    basis: str | None = None


DEFAULT_NORMS: tuple[Norm, ...] = (
    Norm(G.MERITORIOUS, T.NEW_BUILD, DEFAULTS_VALID_FROM, 60_000_000, _MERITORIOUS),
    Norm(G.MERITORIOUS, T.REPAIR, DEFAULTS_VALID_FROM, 30_000_000, _MERITORIOUS),
    Norm(G.POOR, T.NEW_BUILD, DEFAULTS_VALID_FROM, 40_000_000, _POOR),
    Norm(G.POOR, T.REPAIR, DEFAULTS_VALID_FROM, 20_000_000, _POOR),
    Norm(G.NEAR_POOR, T.NEW_BUILD, DEFAULTS_VALID_FROM, 40_000_000, _POOR),
    Norm(G.NEAR_POOR, T.REPAIR, DEFAULTS_VALID_FROM, 20_000_000, _POOR),
    Norm(G.DISASTER, T.NEW_BUILD, DEFAULTS_VALID_FROM, 60_000_000, _CAMPAIGN),
    Norm(G.DISASTER, T.REPAIR, DEFAULTS_VALID_FROM, 30_000_000, _CAMPAIGN),
    Norm(G.OTHER, T.NEW_BUILD, DEFAULTS_VALID_FROM, 60_000_000, _CAMPAIGN),
    Norm(G.OTHER, T.REPAIR, DEFAULTS_VALID_FROM, 30_000_000, _CAMPAIGN),
)


def norm_in_force(
    norms: Iterable[Norm], beneficiary_group: str, support_type: str, on: dt.date
) -> int | None:
    """The amount of the latest norm for the group and type valid on `on`; None before any."""
    best: Norm | None = None
    for norm in norms:
        if (
            norm.beneficiary_group == beneficiary_group
            and norm.support_type == support_type
            and norm.valid_from <= on
            and (best is None or norm.valid_from > best.valid_from)
        ):
            best = norm
    return best.amount_vnd if best is not None else None
