"""Money rules of linkage projects: the state's share of the cost is capped, and what is
disbursed never exceeds the approved state support. All arithmetic is exact on integers."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from mtqg_shared.rules import RuleViolation


def max_state_support(total_cost_vnd: int, share: float) -> int:
    """The largest state support allowed for a total cost: floor(total x share), exactly.

    The share is read as the decimal it was written as (0.7, not 0.69999...)."""
    exact = Fraction(Decimal(repr(share))) * total_cost_vnd
    return exact.numerator // exact.denominator


def check_state_support(total_cost_vnd: int, state_support_vnd: int, share: float) -> None:
    cap = max_state_support(total_cost_vnd, share)
    if state_support_vnd > cap:
        raise RuleViolation(
            "body.state_support_vnd",
            "over_cap.state_share",
            share=f"{share:g}",
            cap=cap,
        )


def check_households(households: int, poor: int, near_poor: int) -> None:
    if poor + near_poor > households:
        raise RuleViolation(
            "body.poor_households",
            "over_cap.households",
        )


def check_disbursement(amount_vnd: int, disbursed_vnd: int, state_support_vnd: int) -> None:
    """A new disbursement keeps the project's total within its approved state support."""
    remaining = state_support_vnd - disbursed_vnd
    if amount_vnd > remaining:
        raise RuleViolation(
            "body.amount_vnd",
            "over_cap.disbursement",
            remaining=max(remaining, 0),
        )


def check_support_covers_disbursed(state_support_vnd: int, disbursed_vnd: int) -> None:
    if state_support_vnd < disbursed_vnd:
        raise RuleViolation(
            "body.state_support_vnd",
            "out_of_range.below_disbursed",
            disbursed=disbursed_vnd,
        )
