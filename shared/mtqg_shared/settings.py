"""Settings shared by every process, read from `MTQG_*` environment variables."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, create_model, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from mtqg_shared.registry import GATEWAY, PROCESSES, process


def _port_fields() -> dict[str, Any]:
    """`<name>_port` (`MTQG_<NAME>_PORT`) of every process in the registry."""
    return {
        p.port_setting: (int, Field(default=p.port, description=f"Port of {p.label}."))
        for p in PROCESSES
    }


if TYPE_CHECKING:

    class _Ports(BaseSettings):
        """The fields built below, as type checkers see them (reached by name)."""

else:
    _Ports = create_model("_Ports", __base__=BaseSettings, **_port_fields())


class CommonSettings(_Ports):
    """What every process needs. Each service subclasses this and names itself. The port of
    every process (`<name>_port`) comes from the registry."""

    model_config = SettingsConfigDict(env_prefix="MTQG_", extra="ignore", env_file=None)

    # Which service this process is; each subclass fixes it.
    service_name: str = Field(default="service", description="Which process this is.")
    host: str = Field(default="127.0.0.1", description="Address to listen on.")
    data_dir: Path = Field(
        default=Path("data"),
        description="Folder of the SQLite files and the generated signing key.",
    )
    # A PostgreSQL URL shared by every service (each uses its own schema); when empty each
    # service keeps a SQLite file in `data_dir`.
    database_url: str = Field(
        default="",
        description="PostgreSQL URL (each service uses its own schema); empty: SQLite files.",
    )
    db_pool_size: int = Field(
        default=10,
        ge=1,
        le=200,
        description=(
            "Database connections per pool; on PostgreSQL a process keeps one pool for reads "
            "and one for writes, and a request beyond them waits for a pooled connection."
        ),
    )
    db_echo: bool = Field(default=False, description="Log every SQL statement (debugging).")
    # Tokens: issuer and audience the gateway signs and every service checks.
    jwt_issuer: str = Field(default="mtqg-gateway", description="`iss` of access tokens.")
    jwt_audience: str = Field(default="mtqg-api", description="`aud` of access tokens.")
    # Where services find the gateway's public keys: a PEM public key given directly, or the
    # gateway's JWKS URL (fetched on first use and again when an unknown key id appears).
    jwt_public_key: str = Field(
        default="", description="PEM public key to verify tokens with, instead of the JWKS URL."
    )
    jwks_url: str = Field(
        default="",
        description=(
            "Where services fetch the gateway's public keys; empty: the gateway on this "
            "machine at `MTQG_GATEWAY_PORT`."
        ),
    )
    log_level: str = Field(default="info", description="debug, info, warning or error.")
    access_log: bool = Field(default=True, description="Write a JSON line per request.")
    # Bodies larger than this are refused with 413 before they are read whole.
    max_body_bytes: int = Field(
        default=1_048_576, ge=1024, description="Larger request bodies are refused (413)."
    )
    # The language of error messages for a request without `Accept-Language`.
    default_language: Literal["vi", "en"] = Field(
        default="vi",
        description="Language of error messages (vi or en) for a request without Accept-Language.",
    )

    idempotency_abandoned_seconds: float = Field(
        default=60.0,
        ge=1,
        le=3600,
        description=(
            "Age after which a write's Idempotency-Key claim whose request never finished "
            "(its process died) is taken over by the key's next request; until then that "
            "request is 409 idempotency-in-flight. Keep it above the longest write."
        ),
    )
    changes_retention_days: int = Field(
        default=90,
        ge=1,
        le=3650,
        description=(
            "Days a change superseded by a later change of the same record stays in a "
            "service's change feed; a cursor older than this is 410 cursor-expired (each "
            "record's latest change is kept for ever)."
        ),
    )

    # Spreadsheet imports (API.md section 10, mtqg_shared.imports).
    import_max_bytes: int = Field(
        default=20 * 1024 * 1024,
        ge=1024,
        description=(
            "Largest file an import takes (413 above it, refused before it is read whole); "
            "the gateway forwards uploads up to it too."
        ),
    )
    import_max_rows: int = Field(
        default=100_000, ge=1, description="Most data rows an imported file may have (422 above)."
    )
    import_runner: bool = Field(
        default=True, description="Run queued import jobs in this process (in the background)."
    )
    import_lease_seconds: int = Field(
        default=120,
        ge=5,
        description=(
            "How long a running import is held by its process before another may take it over "
            "(a restart); renewed with its progress on PostgreSQL, ten times as long on SQLite."
        ),
    )
    import_poll_seconds: float = Field(
        default=5.0, gt=0, description="How often the import runner looks for queued jobs."
    )
    import_progress_rows: int = Field(
        default=200,
        ge=1,
        description=(
            "Rows between two commits of a running import's progress (PostgreSQL; at most "
            "one a second, and one every five seconds however few rows)."
        ),
    )

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        if value and not value.startswith(("postgresql", "postgres://", "sqlite")):
            raise ValueError("MTQG_DATABASE_URL must be a postgresql:// or sqlite:// URL")
        return value

    @property
    def public_keys_url(self) -> str:
        """`jwks_url`, or the gateway's JWKS on this machine when it is not set, so that
        moving the gateway's port moves the address the services fetch its keys from."""
        return self.jwks_url or local_gateway_url(self.port_of(GATEWAY)) + "/.well-known/jwks.json"

    def port_of(self, name: str) -> int:
        """The port process `name` of the registry listens on (`MTQG_<NAME>_PORT`)."""
        return int(getattr(self, process(name).port_setting))

    @property
    def port(self) -> int:
        """The port this process listens on."""
        return self.port_of(self.service_name)

    @property
    def async_database_url(self) -> str:
        """The SQLAlchemy async URL this service connects to."""
        if not self.database_url:
            path = (self.data_dir / f"{self.service_name}.db").resolve()
            return f"sqlite+aiosqlite:///{path}"
        return async_url(self.database_url)

    @property
    def is_postgres(self) -> bool:
        return self.async_database_url.startswith("postgresql")


def local_gateway_url(port: int) -> str:
    """The gateway's address on this machine, as the services and the demo reach it."""
    return f"http://127.0.0.1:{port}"


def async_url(url: str) -> str:
    """Turn a plain PostgreSQL or SQLite URL into the async driver's URL."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        return "postgresql+asyncpg://" + url[len("postgresql://") :]
    if url.startswith("postgresql+psycopg") or url.startswith("postgresql+psycopg2"):
        return "postgresql+asyncpg://" + url.split("://", 1)[1]
    if url.startswith("sqlite://"):
        return "sqlite+aiosqlite://" + url[len("sqlite://") :]
    return url
