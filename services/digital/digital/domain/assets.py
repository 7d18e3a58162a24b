"""What an asset is and how its status moves, as plain rules.

An asset's status holds from a day on: the status it was recorded with from `installed_on`,
each later one from the day it was set. A report as of a day reads the status in force then.
Only cameras connect to the province's operations centre (IOC).
"""

from __future__ import annotations

import datetime as dt

from digital.domain.vocabulary import AssetKind
from mtqg_shared.rules import RuleViolation, check_not_before, check_not_future


def check_ioc(kind: str, connected_to_ioc: bool) -> None:
    """Only a camera is connected to the IOC (422 on another kind)."""
    if connected_to_ioc and kind != AssetKind.camera:
        raise RuleViolation("body.connected_to_ioc", "invalid.cameras_only")


def check_status_day(on: dt.date, *, today: dt.date, current_from: dt.date) -> None:
    """A new status holds from a day between the current one's first day and today."""
    check_not_future(on, today, "body.status_on")
    check_not_before(on, current_from, "body.status_on", "current status")


def check_installed_on(
    installed_on: dt.date, *, today: dt.date, first_change: dt.date | None
) -> None:
    """An asset is installed by today, and before its status first changed."""
    check_not_future(installed_on, today, "body.installed_on")
    if first_change is not None and installed_on > first_change:
        raise RuleViolation(
            "body.installed_on", "out_of_range.status_change", earliest=first_change
        )
