"""What a broken rule looks like to the layers above, without any web vocabulary."""

from __future__ import annotations


class RuleBroken(ValueError):
    """A data rule is broken (a date, an amount, a cap): the request must be corrected."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class InvalidMove(Exception):
    """The record's present state does not allow the request."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
