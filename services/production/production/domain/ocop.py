"""OCOP ratings: stars and their score bands, certificate terms."""

from __future__ import annotations

import calendar
import datetime as dt

from mtqg_shared.rules import RuleViolation

# Score bands of the OCOP evaluation (points out of 100).
STAR_BANDS: dict[int, tuple[int, int]] = {
    5: (90, 100),
    4: (70, 89),
    3: (50, 69),
    2: (30, 49),
    1: (0, 29),
}
STARS = tuple(sorted(STAR_BANDS))
# How far ahead the overview warns about certificates running out.
EXPIRY_WARNING_DAYS = 90


def check_score(stars: int, score: int | None) -> None:
    if score is None:
        return
    low, high = STAR_BANDS[stars]
    if not low <= score <= high:
        raise RuleViolation(
            "body.score", "out_of_range.stars", stars=stars, low=low, high=high, score=score
        )


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day when it has no such day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def default_expiry(certified_on: dt.date, months: int) -> dt.date:
    return add_months(certified_on, months)


def check_expiry(certified_on: dt.date, expires_on: dt.date) -> None:
    if expires_on <= certified_on:
        raise RuleViolation("body.expires_on", "before_start.after_field", other="certified_on")


def expiry_window(today: dt.date) -> tuple[dt.date, dt.date]:
    """Certificates expiring from today up to and including this many days ahead."""
    return today, today + dt.timedelta(days=EXPIRY_WARNING_DAYS)
