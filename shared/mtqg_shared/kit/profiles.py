"""A commune's figures for a year, put whole (`PUT .../commune-profiles/{commune_code}/{year}`),
the same for every service that keeps them (labour's population and poverty, digital's
officials and connections): created the first time, replaced after, named by the commune as
given (its code in the geography its year implies, old and new units sharing codes) and the
year, with rates drawn from the figures.

A service declares its table with `ProfileColumns` and its figures' columns (unique on
geography, unit code and year), its answer (the figures, the rates, `year` and `geography`),
and one `YearlyProfiles` naming the figures, how the rates are drawn and which figures cannot
be true together; `profiles_router` gives its routes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Annotated, Any, Generic, TypeVar

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field, create_model
from sqlalchemy import Integer, String, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from mtqg_shared.admin_units import Area
from mtqg_shared.areas import filter_area, geography_of, place_commune
from mtqg_shared.auth import Principal, Reader
from mtqg_shared.db import ReadSession
from mtqg_shared.errors import FieldError, Problem
from mtqg_shared.fields import AreaFilter, GeographyFilter
from mtqg_shared.kit.areas import InCommune
from mtqg_shared.kit.http import READ, answer, created, record, saved
from mtqg_shared.kit.importing import Existing, Importable, existing_by
from mtqg_shared.kit.present import present as from_record
from mtqg_shared.kit.resource import Resource
from mtqg_shared.kit.rows import AnyRow, AnySelect, AreaConditions, Equal, Params, Rows
from mtqg_shared.messages import msg, word
from mtqg_shared.openapi import problems
from mtqg_shared.pagination import Listing, ListParams, Page
from mtqg_shared.rules import RuleViolation
from mtqg_shared.schemas import CommuneCode, Geography, StrictInput
from mtqg_shared.types import PlacedMixin, RecordMixin, today_vn
from mtqg_shared.writes import Change, WriteContext, diff, require_version


class ProfileColumns(RecordMixin, PlacedMixin):
    """A commune's profile for one year, for the unit as it was that year."""

    # The commune as given: its code in `geography` (old and new units share codes).
    unit_code: Mapped[str] = mapped_column(String(5), nullable=False)
    geography: Mapped[str] = mapped_column(String(7), nullable=False)
    year: Mapped[int] = mapped_column(Integer, nullable=False, index=True)


def rate(part: int | None, whole: int | None) -> float:
    """A fraction (0.404, not 40.4); 0 when there is nothing to divide by."""
    return part / whole if part is not None and whole else 0.0


def year_geography(geography: str | None, year: int, field: str) -> str:
    """A profile's year decides its geography: before 2025 the old units, from 2025 the new
    ones (the year ends after the reorganisation)."""
    return geography_of(geography, dt.date(year, 12, 31), field)


# The years a profile may be for (the path's and an imported row's).
FIRST_YEAR, LAST_YEAR = 1990, 2100


class ProfileWhere(StrictInput):
    """What the PUT's path says, as an imported row's columns."""

    commune_code: CommuneCode = Field(description="In the profile's geography.")
    year: Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR)]


P = TypeVar("P", bound=ProfileColumns)
R = TypeVar("R", bound=BaseModel)
Figures = Mapping[str, Any]


class YearlyProfiles(Generic[P, R]):
    """`figures` are the columns a PUT sets (all of them, every time); `rates` draws the
    answer's rates from them; `check` lists the rules they break together (field, rule)."""

    def __init__(
        self,
        model: type[P],
        read: type[R],
        *,
        figures: Sequence[str],
        rates: Callable[[Figures], Mapping[str, float]],
        check: Callable[[Figures], Sequence[RuleViolation]],
        prefix: str,
    ) -> None:
        self.model = model
        self.read_model = read
        self.figures = tuple(figures)
        self.rates = rates
        self.check = check
        m: Any = model
        self.resource: Resource[P] = Resource(
            model,
            "commune profile",
            area=InCommune(m.commune_code, m.legacy_commune_code),
            audited=self.figures,
            prefix=prefix,
            path="commune-profiles",
            item="commune-profiles/{unit_code}/{year}?geography={geography}",
        )
        # Reads load plain rows of the profile's columns the answer shows, from statements
        # built once: a request passes only values.
        table = m.__table__
        columns = [table.c[name] for name in read.model_fields if name in table.c]
        self._rows = Rows(self.resource, columns)
        self._area = AreaConditions.in_commune(table.c.commune_code, table.c.legacy_commune_code)
        self._filters = Equal(table.c.year)
        self._named: AnySelect = select(*columns).where(
            table.c.geography == bindparam("geography"),
            table.c.unit_code == bindparam("unit_code"),
            table.c.year == bindparam("year"),
        )

    def location(self, unit_code: str, year: int, geography: str) -> str:
        return f"{self.resource.collection}/{unit_code}/{year}?geography={geography}"

    # Answers.

    def _with_rates(self, values: dict[str, Any]) -> dict[str, Any]:
        values.update(self.rates({name: values[name] for name in self.figures}))
        return values

    def present(self, profile: P) -> R:
        figures = {name: getattr(profile, name) for name in self.figures}
        return from_record(self.read_model, profile, **self.rates(figures))

    def present_row(self, row: AnyRow) -> R:
        """A profile read as a row, with its rates, validated once into its answer."""
        return self.read_model.model_validate(self._with_rates(dict(row._mapping)))

    # Reads.

    async def find(
        self, session: AsyncSession, geography: str, unit_code: str, year: int, *, lock: bool
    ) -> P | None:
        m: Any = self.model
        stmt = select(m).where(m.geography == geography, m.unit_code == unit_code, m.year == year)
        if lock:
            stmt = stmt.with_for_update()
        return (await session.scalars(stmt)).first()

    async def existing_many(
        self, session: AsyncSession, names: Sequence[str], keys: Sequence[tuple[Any, ...]]
    ) -> dict[tuple[Any, ...], Existing]:
        """An import's natural-key lookup (`Importable.existing_many`): the profile of each
        (commune_code, year) of a chunk's rows, in the geography its year implies, in one
        query."""
        m: Any = self.model
        at = {name: i for i, name in enumerate(names)}
        named = {}
        for key in keys:
            commune, year = key[at["commune_code"]], key[at["year"]]
            named[(year_geography(None, year, "body.year"), commune, year)] = key
        columns = [m.geography, m.unit_code, m.year]
        found = await existing_by(session, m, columns, list(named))
        return {named[key]: one for key, one in found.items()}

    async def read(
        self,
        session: AsyncSession,
        principal: Principal,
        commune_code: str,
        year: int,
        geography: str | None,
    ) -> AnyRow:
        geo = year_geography(geography, year, "query.geography")
        values = {"geography": geo, "unit_code": commune_code, "year": year}
        row = (await session.execute(self._named, values)).first()
        if row is None or not self.resource.area.may_read(principal, row):
            raise self.resource.not_found()
        return row

    async def page(
        self,
        session: AsyncSession,
        principal: Principal,
        listing: ListParams,
        *,
        area: Area | None,
        year: int | None,
    ) -> Page[R]:
        params: Params = {}
        conditions = self._area.where(principal, area, params)
        self._filters.add(conditions, params, year=year)
        items, cursor = await self._rows.page(session, listing, conditions, params)
        items = [self._with_rates(values) for values in items]
        return Page[self.read_model].model_validate(  # type: ignore[name-defined]
            {"items": items, "next_cursor": cursor}
        )

    # The PUT.

    async def put(
        self, ctx: WriteContext, commune_code: str, year: int, body: BaseModel, *, at: str = "path"
    ) -> tuple[P, bool]:
        """(the profile, whether it was created). If-Match is optional here: a PUT may
        create, and a replace without it is the caller's choice; when sent it must name the
        current version (412 otherwise, and always when there is no profile yet). `at` is
        where the commune and the year were given (`path`; an imported row's `body`)."""
        if year > today_vn().year:
            raise RuleViolation(f"{at}.year", "in_future.year")
        geo = year_geography(getattr(body, "geography", None), year, "body.geography")
        # Outside the caller's areas is 422 whether or not a profile exists there, so the
        # answer says nothing about records the caller cannot read.
        placed = place_commune(ctx.principal, commune_code, geo, None, field=f"{at}.commune_code")
        figures = {name: getattr(body, name) for name in self.figures}
        problems = self.check(figures)
        if problems:
            errors = [FieldError(rule.field, rule.code, rule.message) for rule in problems]
            raise Problem(422, errors=errors)
        profile = await self.find(ctx.session, geo, commune_code, year, lock=True)
        if profile is not None:
            if ctx.if_match is not None:
                require_version(ctx.if_match, profile.version)
            self.resource.apply(ctx, profile, figures)
            await ctx.session.flush()
            return profile, False
        if ctx.if_match is not None:
            # If-Match names a version; there is none yet (RFC 9110: the condition is false).
            raise Problem(412, msg("profile_none_to_match"))
        make: Any = self.model
        profile = make(
            id=await self.resource.new_id(ctx.session, None),
            created_by=ctx.principal.key,
            version=1,
            commune_code=placed.commune_code,
            legacy_commune_code=placed.legacy_commune_code,
            legacy_district_code=placed.legacy_district_code,
            unit_code=commune_code,
            geography=geo,
            year=year,
            **figures,
        )
        where = {"commune_code": commune_code, "geography": geo, "year": year}
        added = await self.resource.add(
            ctx, profile, conflict=msg("profile_created_meanwhile"), extra=diff({}, where)
        )
        return added, True

    # Imports.

    def importable(self, put_body: type[BaseModel], *, example: Mapping[str, Any]) -> Importable:
        """The profiles imported from a spreadsheet (API.md section 10): a row is the PUT's
        body with the path's `commune_code` and `year` as columns, named by them (and its
        geography, by default the year's); a row is `put` as the PUT, creating the profile,
        or with `on_existing=update` replacing it at its current version."""
        # The place and year first, then the PUT's fields: the template's columns in order.
        row: type[BaseModel] = create_model(
            f"{put_body.__name__}Row", __base__=(put_body, ProfileWhere)
        )

        async def add(ctx: WriteContext, body: Any) -> P:
            profile, new = await self.put(ctx, body.commune_code, body.year, body, at="body")
            if not new:
                # A profile the key did not find (the row gives the geography its year does
                # not imply) is not replaced unasked: the row's error, its write undone.
                fields = "commune_code, year, geography"
                what = word("commune_profile")
                raise RuleViolation("body.commune_code", "exists", what=what, fields=fields)
            return profile

        async def change(ctx: WriteContext, _id: Any, body: Any) -> P:
            profile, _ = await self.put(ctx, body.commune_code, body.year, body, at="body")
            return profile

        return Importable(
            name="commune-profiles",
            resource=self.resource,
            create=row,
            add=add,
            natural_key=("commune_code", "year"),
            example=example,
            existing_many=self.existing_many,
            update=row,
            change=change,
        )


CommunePath = Annotated[str, Path(pattern=r"^[0-9]{5}$", description="In the profile's geography.")]
YearPath = Annotated[int, Path(ge=FIRST_YEAR, le=LAST_YEAR)]
YearFilter = Annotated[int | None, Query(ge=FIRST_YEAR, le=LAST_YEAR)]


def profiles_router(
    book: YearlyProfiles[Any, Any], put_body: type[BaseModel], what: str
) -> APIRouter:
    """`PUT`, `GET` one and the list of `book`'s profiles (`what` names them in summaries:
    "labour", "digital")."""
    read_model: Any = book.read_model
    router = APIRouter(prefix=book.resource.collection, tags=["commune profiles"])

    async def put(commune_code: CommunePath, year: YearPath, body: Any, ctx: Change) -> Response:
        profile, new = await book.put(ctx, commune_code, year, body)
        if new:
            location = book.location(commune_code, year, profile.geography)
            return await created(ctx, book.present(profile), location=location)
        return await saved(ctx, book.present(profile), version=profile.version)

    # The body's model is the service's: FastAPI reads it from the signature.
    put.__annotations__["body"] = put_body

    async def list_profiles(
        principal: Reader,
        session: ReadSession,
        listing: Listing,
        area_code: AreaFilter = None,
        geography: GeographyFilter = None,
        year: YearFilter = None,
    ) -> Response:
        area = filter_area(principal, area_code, geography)
        return answer(await book.page(session, principal, listing, area=area, year=year))

    async def read(
        principal: Reader,
        session: ReadSession,
        commune_code: CommunePath,
        year: YearPath,
        geography: Annotated[Geography | None, Query()] = None,
    ) -> Response:
        row = await book.read(session, principal, commune_code, year, geography)
        return record(book.present_row(row), row.version)

    router.add_api_route(
        "/{commune_code}/{year}",
        put,
        methods=["PUT"],
        response_model=read_model,
        responses={201: {"description": "Created", "model": read_model}, **problems(409, 412)},
        summary=f"Create or replace a commune's {what} profile for a year",
    )
    router.add_api_route(
        "",
        list_profiles,
        methods=["GET"],
        response_model=Page[read_model],
        responses=READ,
        summary="List commune profiles",
    )
    router.add_api_route(
        "/{commune_code}/{year}",
        read,
        methods=["GET"],
        response_model=read_model,
        responses=READ,
        summary=f"Read a commune's {what} profile for a year",
    )
    return router
