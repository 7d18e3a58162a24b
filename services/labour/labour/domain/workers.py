"""Rules about workers: identity numbers, ages, name search."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from labour.domain.status import MIN_WORKER_AGE, age_on

NATIONAL_ID = re.compile(r"^[0-9]{12}$")
MASK_KEEP = 4


def is_national_id(value: str) -> bool:
    """A citizen identity number (CCCD) is exactly 12 digits."""
    return bool(NATIONAL_ID.fullmatch(value))


def mask_national_id(value: str) -> str:
    """`********1234`: enough to tell two people apart, too little to impersonate one."""
    return "*" * (len(value) - MASK_KEEP) + value[-MASK_KEEP:]


def may_see_national_id(*, is_person: bool, is_officer: bool) -> bool:
    """Officers and above see full identity numbers; viewers and system clients do not."""
    return is_person and is_officer


def old_enough(date_of_birth: dt.date, today: dt.date) -> bool:
    return age_on(date_of_birth, today) >= MIN_WORKER_AGE


def fold_name(name: str) -> str:
    """The form names are searched in: composed Unicode, case folded (so `VÀNG` finds
    `Vàng`, whichever way the accents were typed)."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", name).casefold())
