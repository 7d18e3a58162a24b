"""The gateway's settings, read from `MTQG_*` environment variables."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from pydantic import Field, SecretStr, create_model, field_validator, model_validator

from mtqg_shared.registry import SERVICES
from mtqg_shared.settings import CommonSettings

MIN_PASSWORD_LENGTH = 12
_URL_FIELDS = tuple(s.url_setting for s in SERVICES)


def _url_fields() -> dict[str, Any]:
    """`<service>_url` (`MTQG_<SERVICE>_URL`) of every programme service in the registry."""
    return {
        s.url_setting: (
            str,
            Field(
                default="",
                description=(
                    f"Base URL of {s.label} (default http://127.0.0.1:{s.name.upper()}_PORT); "
                    "several, comma-separated, for its replicas."
                ),
            ),
        )
        for s in SERVICES
    }


if TYPE_CHECKING:

    class _ServiceUrls(CommonSettings):
        """The fields built below, as type checkers see them (reached by name)."""

else:
    _ServiceUrls = create_model("_ServiceUrls", __base__=CommonSettings, **_url_fields())


class Settings(_ServiceUrls):
    service_name: str = "gateway"

    jwt_private_key: SecretStr = Field(
        default=SecretStr(""),
        description=(
            "PEM of the RSA private key that signs access tokens. When empty, an RSA-2048 key "
            "is generated once into `data_dir/jwt_private.pem` (mode 0600) and reused; "
            "replicas must share it (same file or this setting)."
        ),
    )
    admin_password: SecretStr = Field(
        default=SecretStr(""),
        description=(
            "Password of user `admin` (role admin, area 15), created at start-up only when no "
            "user exists yet. At least 12 characters. Empty: no user is created."
        ),
    )
    access_token_ttl_seconds: int = Field(
        default=900, ge=60, le=900, description="Lifetime of access tokens (60-900 s)."
    )
    refresh_token_ttl_days: int = Field(
        default=30, ge=1, le=90, description="Lifetime of refresh tokens (1-90 days)."
    )
    forward_timeout_seconds: float = Field(
        default=10.0,
        gt=0,
        le=300,
        description=(
            "Deadline of one forwarded request, from connecting to the last byte of the "
            "answer; a service slower than this answers 504."
        ),
    )
    forward_connect_timeout_seconds: float = Field(
        default=2.0,
        gt=0,
        le=60,
        description=(
            "Time allowed to open a connection to a service (at most the forward timeout); "
            "after it, 503."
        ),
    )
    forward_pool_size: int = Field(
        default=100,
        ge=1,
        le=10_000,
        description="Most connections kept open to each service (keep-alive pool).",
    )
    forward_keepalive_seconds: float = Field(
        default=4.0,
        gt=0,
        le=300,
        description=(
            "How long an idle pooled connection is reused; keep it below the services' "
            "keep-alive timeout (uvicorn: 5 s) so that a closed connection is never reused."
        ),
    )
    replica_check_seconds: float = Field(
        default=2.0,
        gt=0,
        le=300,
        description=(
            "How often each replica of a service with several is asked GET /readyz: one that "
            "does not answer 200 is out of the rotation until it does."
        ),
    )
    view_timeout_seconds: float = Field(
        default=5.0,
        gt=0,
        le=120,
        description=(
            "Deadline of each service's part of the overview and household views; a service "
            "that misses it is listed in `unavailable` and the rest is answered."
        ),
    )
    api_document_ttl_seconds: float = Field(
        default=300.0,
        ge=1,
        le=86_400,
        description=(
            "How long a service's OpenAPI document is reused in the merged /openapi.json "
            "before it is fetched again (at once after the service was unreachable)."
        ),
    )
    rate_limit_per_minute: int = Field(
        default=6000,
        ge=0,
        le=1_000_000_000,
        description=(
            "Requests per caller over any 60 seconds (a sliding window, not per calendar "
            "minute), shared between replicas; a caller is the token's subject, else the "
            "client address. 0 turns the limit off."
        ),
    )
    rate_limit_flush_seconds: float = Field(
        default=1.0,
        gt=0,
        le=60,
        description=(
            "How often each replica adds its counts to the shared rate-limit table (database "
            "counters only; with Redis every request is counted there at once)."
        ),
    )
    redis_url: str = Field(
        default="",
        description=(
            "Redis URL (`redis://host:6379/0`, `rediss://` for TLS) of the rate-limit and "
            "sign-in throttle counters shared by every gateway replica: at most one atomic "
            "round trip per request. Empty: the counters live in the gateway's database. While "
            "Redis does not answer, each replica counts on its own (nothing is refused for it)."
        ),
    )
    redis_prefix: str = Field(
        default="mtqg:",
        max_length=100,
        description=(
            "Prefix of every Redis key the gateway writes, so that several deployments (or "
            "test runs) can share one Redis without counting each other's callers."
        ),
    )
    redis_timeout_seconds: float = Field(
        default=0.5,
        gt=0,
        le=30,
        description=(
            "Longest wait for Redis (connecting or answering) before a request is counted in "
            "the replica's own memory instead."
        ),
    )
    cors_origins: str = Field(
        default="",
        description=(
            "Web apps allowed to call the API from a browser (CORS): comma-separated origins "
            "such as `https://app.example.vn`, scheme, host and port only. Empty: none."
        ),
    )
    signin_failures_per_username: int = Field(
        default=5,
        ge=1,
        le=1000,
        description="Failed sign-ins per username (or client id) within the window before 429.",
    )
    signin_failures_per_address: int = Field(
        default=20,
        ge=1,
        le=100_000,
        description="Failed sign-ins per client address within the window before 429.",
    )
    signin_failure_window_seconds: int = Field(
        default=900,
        ge=10,
        le=86_400,
        description="Window over which failed sign-ins are counted (sliding).",
    )

    webhook_allow_private: bool = Field(
        default=False,
        description=(
            "Also allow webhook URLs whose addresses are private or loopback, over http or "
            "https (tests and internal networks). Link-local and IPv4-mapped addresses stay "
            "refused, and a public address always needs https."
        ),
    )
    webhook_disable_after_hours: float = Field(
        default=72,
        gt=0,
        le=24 * 365,
        description=(
            "A webhook whose held-back event keeps failing this long is disabled; its place "
            "is kept and enabling it again resumes there."
        ),
    )
    webhook_poll_seconds: float = Field(
        default=1.0,
        gt=0,
        le=300,
        description="How often each gateway replica looks for webhook events to deliver.",
    )
    webhook_retry_seconds: float = Field(
        default=10.0,
        gt=0,
        le=3600,
        description=(
            "Wait before the first retry of a failed webhook delivery; each further retry "
            "waits twice as long (with jitter), up to webhook_retry_max_seconds."
        ),
    )
    webhook_retry_max_seconds: float = Field(
        default=3600.0,
        gt=0,
        le=86_400,
        description="Longest wait between two attempts of a webhook delivery.",
    )
    webhook_concurrency: int = Field(
        default=20,
        ge=1,
        le=1000,
        description=(
            "Subscriptions one gateway replica delivers at the same time (each has one "
            "delivery in flight at most)."
        ),
    )

    @field_validator("admin_password")
    @classmethod
    def _strong_admin_password(cls, value: SecretStr) -> SecretStr:
        secret = value.get_secret_value()
        if secret and len(secret) < MIN_PASSWORD_LENGTH:
            raise ValueError(f"MTQG_ADMIN_PASSWORD must have {MIN_PASSWORD_LENGTH}+ characters")
        if secret and secret.strip().lower() in {"changeme1234", "admin1234567", "password1234"}:
            raise ValueError("MTQG_ADMIN_PASSWORD must not be a placeholder")
        return value

    @field_validator("jwt_private_key")
    @classmethod
    def _pem_key(cls, value: SecretStr) -> SecretStr:
        pem = value.get_secret_value().strip()
        if pem and "PRIVATE KEY-----" not in pem:
            raise ValueError("MTQG_JWT_PRIVATE_KEY must be a PEM private key")
        return value

    @field_validator("cors_origins")
    @classmethod
    def _origins(cls, value: str) -> str:
        origins = [o.strip().rstrip("/").lower() for o in value.split(",") if o.strip()]
        for origin in origins:
            scheme, _, rest = origin.partition("://")
            if scheme not in ("http", "https") or not rest or "/" in rest:
                raise ValueError(
                    f"MTQG_CORS_ORIGINS lists origins (scheme://host[:port]), not {origin!r}"
                )
        return ",".join(origins)

    @field_validator("redis_url")
    @classmethod
    def _redis_url(cls, value: str) -> str:
        value = value.strip()
        if value and not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("MTQG_REDIS_URL must be a redis://, rediss:// or unix:// URL")
        return value

    @field_validator(*_URL_FIELDS)
    @classmethod
    def _http_url(cls, value: str) -> str:
        urls = [url.strip().rstrip("/") for url in value.split(",")]
        urls = [url for url in urls if url]
        for url in urls:
            if not url.startswith(("http://", "https://")):
                raise ValueError("service URLs must start with http:// or https://")
            if url.count("/") > 2:
                raise ValueError("service URLs are a scheme, host and port only, without a path")
        if len(set(urls)) != len(urls):
            raise ValueError("a replica's URL is listed twice")
        return ",".join(urls)

    @model_validator(mode="after")
    def _default_service_urls(self) -> Self:
        for service in SERVICES:
            if not getattr(self, service.url_setting):
                port = getattr(self, service.port_setting)
                setattr(self, service.url_setting, f"http://127.0.0.1:{port}")
        return self

    def allowed_origins(self) -> frozenset[str]:
        """The origins of `cors_origins`, as browsers send them in `Origin`."""
        return frozenset(o for o in self.cors_origins.split(",") if o)

    def service_urls(self) -> dict[str, tuple[str, ...]]:
        """Where each programme service's replicas listen."""
        return {s.name: tuple(str(getattr(self, s.url_setting)).split(",")) for s in SERVICES}
