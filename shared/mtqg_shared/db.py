"""One async engine per process, request-scoped sessions, PostgreSQL or SQLite.

PostgreSQL: one database, one schema per service, chosen per connection with `search_path`,
so models and queries never name a schema. SQLite: one file per service. SQLite's driver opens
transactions lazily and breaks SAVEPOINT; we take over BEGIN ourselves (as SQLAlchemy's docs
advise), and writers take the write lock up front (BEGIN IMMEDIATE) so that two writers never
deadlock on a lock upgrade. Engines never put a statement's parameters into an error or a log
line: they can be identity and phone numbers.

Faults: a session's first statement that finds its pooled PostgreSQL connection broken (the
server or the network closed it while it sat in the pool) is run once more on a fresh one, so a
stale connection never fails a request (`_RetryingSession`). A request whose database fails
under it later (see `is_unavailable`) invalidates its
connection, so the broken one never goes back to the pool; the error handlers answer it 503
with `Retry-After`, and the outermost ASGI layer runs a body-less GET or HEAD once more first
(`mtqg_shared.middleware`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from operator import itemgetter
from typing import Annotated, Any

import orjson
from fastapi import Depends, Request
from sqlalchemy import (
    JSON,
    ColumnElement,
    Index,
    MetaData,
    Table,
    and_,
    bindparam,
    event,
    func,
    insert,
    tuple_,
)
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

log = logging.getLogger("mtqg.db")

# Constraint names are stable across both databases, so migrations can refer to them.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _driver_unavailable_types() -> tuple[type[Exception], ...]:
    try:
        from asyncpg import exceptions as pg
    except ImportError:  # pragma: no cover - asyncpg is a dependency of every service
        return ()
    return (
        pg.PostgresConnectionError,  # 08xxx, ConnectionDoesNotExistError among them
        pg.InterfaceError,  # "connection is closed", "another operation is in progress"
        pg.OperatorInterventionError,  # 57xxx: admin shutdown, cannot connect now, cancel
        pg.InsufficientResourcesError,  # 53xxx: too many connections, disk full
        pg.InternalClientError,  # the protocol's state after a connection broke mid-operation
    )


UNAVAILABLE_TYPES: tuple[type[Exception], ...] = (
    sa_exc.OperationalError,  # SQLite "database is locked", server gone, ...
    sa_exc.InterfaceError,
    sa_exc.DisconnectionError,
    sa_exc.TimeoutError,  # no pooled connection came free in time
    OSError,  # connection refused or reset, DNS, socket timeouts
    *_driver_unavailable_types(),
)


def is_unavailable(exc: BaseException) -> bool:
    """Did the database (or the way to it) fail, rather than the request?

    True for a connection that broke or could not be made, a server shutting down or refusing
    connections, a lock that did not come free, a pool with no connection to give: worth a 503
    and a retry later. False for what the request itself caused (a constraint, bad SQL), which
    stays the error it is. SQLAlchemy wraps driver errors, so the chain is searched.
    """
    seen: set[int] = set()
    pending: list[BaseException] = [exc]
    while pending and len(seen) < 16:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, sa_exc.DBAPIError) and current.connection_invalidated:
            return True
        if isinstance(current, UNAVAILABLE_TYPES):
            return True
        for linked in (getattr(current, "orig", None), current.__cause__, current.__context__):
            if isinstance(linked, BaseException):
                pending.append(linked)
    return False


def new_metadata() -> MetaData:
    return MetaData(naming_convention=NAMING_CONVENTION)


def keyset_indexes(table: str) -> tuple[Index, Index]:
    """The two list orders every collection offers: newest created first, and sync by update
    (a model's `__table_args__`; `migrations.create_keyset_indexes` makes them)."""
    return (
        Index(f"ix_{table}_created_at_id", "created_at", "id"),
        Index(f"ix_{table}_updated_at_id", "updated_at", "id"),
    )


def _sqlite_engine(url: str, echo: bool, begin: str) -> AsyncEngine:
    engine = create_async_engine(url, echo=echo, hide_parameters=True, connect_args={"timeout": 30})

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide where transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql(begin)

    return engine


class Database:
    """The engine(s) and session factories of one service."""

    def __init__(self, url: str, schema: str, *, pool_size: int = 10, echo: bool = False):
        self.url = url
        self.schema = schema
        self.is_postgres = url.startswith("postgresql")
        if self.is_postgres:
            connect_args = {
                "server_settings": {"search_path": schema, "application_name": f"mtqg-{schema}"}
            }
            # No overflow: beyond the pool, requests wait for a pooled connection. With overflow,
            # a load above the pool opened and closed a connection per request (TLS attempt,
            # authentication, settings): measured with `make bench-gateway` on PostgreSQL at 32
            # connections, 391 req/s and 2.15 ms of CPU a request with it, 558 and 1.76 without.
            self.engine = create_async_engine(
                url,
                echo=echo,
                hide_parameters=True,
                pool_size=pool_size,
                max_overflow=0,
                connect_args=connect_args,
            )
            # Reads run without BEGIN and ROLLBACK: under READ COMMITTED every statement sees
            # its own snapshot inside a transaction too, so nothing is lost, and the two round
            # trips and a checkout ping were 0.6 ms of CPU per request (most of a read).
            # Neither engine pings at checkout: a session's first statement that finds its
            # connection broken is run once more on a fresh one (`_RetryingSession`).
            self.read_engine = create_async_engine(
                url,
                echo=echo,
                hide_parameters=True,
                pool_size=pool_size,
                max_overflow=0,
                isolation_level="AUTOCOMMIT",
                pool_reset_on_return=None,
                connect_args=connect_args,
            )
        else:
            self.engine = _sqlite_engine(url, echo, "BEGIN IMMEDIATE")
            self.read_engine = _sqlite_engine(url, echo, "BEGIN")
        self._bound: AsyncConnection | None = None
        session_class = _RetryingSession if self.is_postgres else AsyncSession
        self._writer = async_sessionmaker(self.engine, expire_on_commit=False, class_=session_class)
        self._reader = async_sessionmaker(
            self.read_engine,
            expire_on_commit=False,
            class_=session_class,
        )

    @asynccontextmanager
    async def session(self, *, write: bool = True) -> AsyncIterator[AsyncSession]:
        """A session whose transaction rolls back unless the caller commits."""
        if self._bound is not None:
            session = AsyncSession(
                bind=self._bound,
                expire_on_commit=False,
                join_transaction_mode="create_savepoint",
            )
        else:
            session = (self._writer if write else self._reader)()
        try:
            yield session
        except BaseException as exc:
            # (Never the tests' shared connection: its outer transaction rolls back anyway.)
            if self._bound is None and is_unavailable(exc):
                await _discard(session)
            raise
        finally:
            await self._close(session)

    async def _close(self, session: AsyncSession) -> None:
        """Close the session; when even that fails (the rollback on a connection the server
        ended), invalidate the connection and carry on: the request's answer is decided, and
        often sent already, so the failure must not turn into an error of its own."""
        try:
            await session.close()
        except Exception as exc:
            if self._bound is not None:
                raise
            log.warning(
                "closing a session failed (%s); its connection is dropped", type(exc).__name__
            )
            await _discard(session)

    def bind_to(self, connection: AsyncConnection | None) -> None:
        """Tests: run every session inside `connection`'s outer transaction (then roll back)."""
        self._bound = connection

    async def ping(self) -> None:
        from sqlalchemy import text

        async with self.read_engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()
        if self.read_engine is not self.engine:
            await self.read_engine.dispose()


class _RetryingSession(AsyncSession):
    """A session whose first statement, when it finds its pooled connection broken (closed by
    the server or the network while idle, or killed), is run once more on a fresh connection.

    That is safe while the session has done nothing yet: no record loaded, none pending, so
    the broken transaction held nothing of the request's (a read in autocommit holds nothing
    at all). SQLAlchemy recycles the rest of the pool on that disconnect, so the second try
    does not meet another stale connection. This stands in for a ping at every checkout, which
    cost a round trip (0.4 ms of CPU) on every request to spare the rare one. Later statements
    are not re-run: the request answers 503 (see `is_unavailable`), and a read is run once
    more from the start by the outermost layer."""

    _ran = False  # a statement of this session has run: later ones are never re-run alone

    def _may_retry(self, exc: sa_exc.DBAPIError) -> bool:
        done = self.sync_session
        return (
            exc.connection_invalidated
            and not self._ran
            and not (done.identity_map or done.new or done.dirty or done.deleted)
        )

    async def execute(self, statement: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            result = await super().execute(statement, *args, **kwargs)
        except sa_exc.DBAPIError as exc:
            if not self._may_retry(exc):
                raise
            log.info("a first statement met a broken connection; running it once more")
            await self.rollback()
            result = await super().execute(statement, *args, **kwargs)
        self._ran = True
        return result

    async def scalar(self, statement: Any, *args: Any, **kwargs: Any) -> Any:
        return (await self.execute(statement, *args, **kwargs)).scalar()

    async def get(self, entity: Any, ident: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            found = await super().get(entity, ident, *args, **kwargs)
        except sa_exc.DBAPIError as exc:
            if not self._may_retry(exc):
                raise
            await self.rollback()
            found = await super().get(entity, ident, *args, **kwargs)
        self._ran = True
        return found


async def _discard(session: AsyncSession) -> None:
    """Close the session and invalidate its connection: it is not returned to the pool."""
    try:
        await session.invalidate()
    except Exception:  # the connection is gone already; nothing is left to release
        log.debug("invalidating a failed connection failed too", exc_info=True)


async def read_session(request: Request) -> AsyncIterator[AsyncSession]:
    """A read-only session of the app's database for the request (rolled back at the end)."""
    db: Database = request.app.state.db
    async with db.session(write=False) as session:
        yield session


async def writing_session(request: Request) -> AsyncIterator[AsyncSession]:
    """A session on the writing engine (a transaction, rolled back unless committed): for a
    read that must write too, such as the access log of sensitive records."""
    db: Database = request.app.state.db
    async with db.session() as session:
        yield session


ReadSession = Annotated[AsyncSession, Depends(read_session)]


def json_text(value: Any) -> str:
    """A JSON column's text as COPY sends it: orjson (dates, datetimes and UUIDs as ISO text,
    as `writes.jsonable` makes them), the stdlib for what orjson refuses (an integer past 64
    bits)."""
    try:
        return orjson.dumps(value).decode()
    except TypeError:
        return json.dumps(value)


def on_postgres(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def among(stmt: Any, column: ColumnElement[Any], name: str, *, postgres: bool) -> Any:
    """`stmt` narrowed to the rows whose `column` is one of the values of the list parameter
    `name` (hundreds of a chunk's keys). On PostgreSQL the list is one array, unnested and
    joined, so each row is matched by a hash or an index whatever the planner believes of
    the table: an `= ANY` of 500 values compared every row with every value once its
    statistics were an empty table's (an import's first load), which made each lookup of a
    growing import slower than the last. SQLite has no arrays: an expanded IN list."""
    if postgres:
        wanted = (
            func.unnest(bindparam(name, type_=ARRAY(column.type)))
            .table_valued("value")
            .render_derived(name=f"wanted_{name}")
        )
        return stmt.join(wanted, column == wanted.c.value)
    return stmt.where(column.in_(bindparam(name, expanding=True)))


def among_keys(
    stmt: Any,
    columns: Sequence[Any],
    keys: Sequence[tuple[Any, ...]],
    name: str,
    *,
    postgres: bool,
) -> tuple[Any, dict[str, Any]]:
    """`among` for keys of one or more columns (or mapped attributes, or expressions: a
    chunk's natural keys): the statement narrowed to the rows whose `columns` hold one of
    `keys`, and its parameters. On PostgreSQL one array per column, unnested together and
    joined on every column; on SQLite an expanded IN list of row values."""
    if len(columns) == 1:
        return among(stmt, columns[0], name, postgres=postgres), {name: [k[0] for k in keys]}
    if postgres:
        names = [f"{name}_{i}" for i in range(len(columns))]
        wanted = (
            func.unnest(
                *(bindparam(n, type_=ARRAY(c.type)) for n, c in zip(names, columns, strict=True))
            )
            .table_valued(*names)
            .render_derived(name=f"wanted_{name}")
        )
        on = and_(*(c == wanted.c[n] for n, c in zip(names, columns, strict=True)))
        params = {n: [k[i] for k in keys] for i, n in enumerate(names)}
        return stmt.join(wanted, on), params
    return stmt.where(tuple_(*columns).in_(bindparam(name, expanding=True))), {name: list(keys)}


# From this many rows up, PostgreSQL's COPY writes them; fewer go as one executemany, since
# COPY's own round trips (the table's column types, then the data) cost more than it saves.
COPY_FROM = 200


def _with_json_text(
    keys: Sequence[str], dumped: set[str]
) -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
    """A row's values in `keys` order, those of the `dumped` keys as their JSON text: one
    `itemgetter` call and a JSON text per row (an audit row's `changes`), not a look per key."""
    getter = itemgetter(*keys) if len(keys) > 1 else (lambda row: (row[keys[0]],))
    at = [i for i, key in enumerate(keys) if key in dumped]

    def record(row: Mapping[str, Any]) -> tuple[Any, ...]:
        values = list(getter(row))
        for i in at:
            values[i] = json_text(values[i])
        return tuple(values)

    return record


async def insert_rows(
    session: AsyncSession, table: Table, rows: Sequence[Mapping[str, Any]]
) -> None:
    """Insert rows (each with the same keys; a key that is not a column is left out) in the
    session's transaction: many of them on PostgreSQL by COPY through the session's own
    connection (JSON columns given as their text), else one executemany. A unique rule
    broken is an IntegrityError either way."""
    if not rows:
        return
    connection = await session.connection()
    raw = None
    if connection.dialect.name == "postgresql" and len(rows) >= COPY_FROM:
        raw = (await connection.get_raw_connection()).driver_connection
    # COPY only inside the transaction already begun (asyncpg's BEGIN is sent lazily).
    if raw is None or not raw.is_in_transaction():
        names = table.c.keys()
        if not set(rows[0]).issubset(names):  # a record that holds more than the columns
            rows = [{name: row[name] for name in names if name in row} for row in rows]
        await session.execute(insert(table), list(rows))
        return
    import asyncpg

    columns = [c for c in table.c if c.key in rows[0]]
    keys = [c.key for c in columns]
    dumped = {c.key for c in columns if isinstance(c.type, JSON)}
    # Made while COPY sends them (asyncpg reads an iterable lazily, 512 KB at a time), so
    # the server stores one part of the rows while this process makes the next.
    if dumped:
        records: Iterable[tuple[Any, ...]] = map(_with_json_text(keys, dumped), rows)
    elif len(keys) > 1:
        records = map(itemgetter(*keys), rows)
    else:
        records = ((row[keys[0]],) for row in rows)
    try:
        await raw.copy_records_to_table(
            table.name, records=records, columns=[c.name for c in columns], schema_name=None
        )
    except asyncpg.IntegrityConstraintViolationError as exc:
        raise sa_exc.IntegrityError("COPY", None, exc) from None
