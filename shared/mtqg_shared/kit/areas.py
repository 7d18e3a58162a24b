"""Where a kind of record lies, declared once per resource: the rule the kit applies when it
reads one record (404 outside the caller's areas), takes one for a write (403 when only
readable), filters a list, and writes the communes of an audit row."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import ColumnElement, true

from mtqg_shared.admin_units import Area
from mtqg_shared.areas import in_area, readable
from mtqg_shared.auth import Principal


class AreaRule(Protocol):
    """How a resource's records relate to the caller's areas."""

    def communes(self, record: Any) -> Sequence[str]:
        """The record's current communes (kept on its audit rows)."""
        ...

    def may_read(self, principal: Principal, record: Any) -> bool: ...

    def may_write(self, principal: Principal, record: Any) -> bool: ...

    def readable(self, principal: Principal) -> ColumnElement[bool]:
        """SQL: the records of this resource the caller may read."""
        ...

    def within(self, area: Area) -> ColumnElement[bool]:
        """SQL: the records lying in `area` (a list's or report's `area_code`)."""
        ...


@dataclass(frozen=True, slots=True)
class InCommune:
    """A record in one commune (`PlacedMixin` columns, or a copy of its parent's)."""

    commune: Any
    legacy_commune: Any = None

    def communes(self, record: Any) -> Sequence[str]:
        if isinstance(record, dict):  # a record written set-based, its columns by name
            return (record[self.commune.key],)
        return (getattr(record, self.commune.key),)

    def may_read(self, principal: Principal, record: Any) -> bool:
        return principal.can_read_any(self.communes(record))

    def may_write(self, principal: Principal, record: Any) -> bool:
        return principal.can_write_all(self.communes(record))

    def readable(self, principal: Principal) -> ColumnElement[bool]:
        return readable(principal, self.commune)

    def within(self, area: Area) -> ColumnElement[bool]:
        return in_area(area, self.commune, self.legacy_commune)


@dataclass(frozen=True, slots=True)
class InCommunes:
    """A record spanning several communes: readable when one of them is the caller's,
    writable only when all are. `of` reads them from a loaded record; `sql_readable` and
    `sql_within` say the same in SQL (usually through a places table)."""

    of: Callable[[Any], Sequence[str]]
    sql_readable: Callable[[Principal], ColumnElement[bool]]
    sql_within: Callable[[Area], ColumnElement[bool]]

    def communes(self, record: Any) -> Sequence[str]:
        return tuple(self.of(record))

    def may_read(self, principal: Principal, record: Any) -> bool:
        return principal.can_read_any(self.communes(record))

    def may_write(self, principal: Principal, record: Any) -> bool:
        return principal.can_write_all(self.communes(record))

    def readable(self, principal: Principal) -> ColumnElement[bool]:
        return self.sql_readable(principal)

    def within(self, area: Area) -> ColumnElement[bool]:
        return self.sql_within(area)


@dataclass(frozen=True, slots=True)
class Province:
    """Province-wide reference data in no commune: every reader reads it, and only writers
    whose areas cover the whole province change it."""

    def communes(self, record: Any) -> Sequence[str]:
        return ()

    def may_read(self, principal: Principal, record: Any) -> bool:
        return True

    def may_write(self, principal: Principal, record: Any) -> bool:
        return principal.communes is None

    def readable(self, principal: Principal) -> ColumnElement[bool]:
        return true()

    def within(self, area: Area) -> ColumnElement[bool]:
        return true()
