"""Request and answer bodies of the identity endpoints (create, update and read apart)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING, Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from gateway.config import MIN_PASSWORD_LENGTH
from mtqg_shared.admin_units import admin_units
from mtqg_shared.auth import BESIDE_ROLES, PROTECTION, ROLES, SCOPES
from mtqg_shared.messages.pydantic import invalid

Role = Literal["viewer", "officer", "approver", "admin", "protection"]
if TYPE_CHECKING:
    Scope = str
else:  # `<service>:read` and `<service>:write` of every service in the registry
    Scope = Literal[SCOPES]
assert get_args(Role) == (*ROLES, *BESIDE_ROLES)  # kept in step with mtqg_shared


def _caller_area(code: str) -> str:
    if not admin_units().is_valid_caller_area(code):
        raise invalid("not_in_geography.caller_area")
    return code


def _sorted_roles(roles: list[str]) -> list[str]:
    # `protection` is held beside a ranked role, never alone: alone it would read the records
    # of victims without any other part in the programmes.
    if not any(r in ROLES for r in roles):
        raise invalid("invalid_choice.protection_alone", role=PROTECTION)
    return [r for r in (*ROLES, *BESIDE_ROLES) if r in roles]


def _sorted_scopes(scopes: list[str]) -> list[str]:
    return [s for s in SCOPES if s in scopes]


def _sorted_unique(codes: list[str]) -> list[str]:
    return sorted(set(codes))


AreaCode = Annotated[str, StringConstraints(max_length=5), AfterValidator(_caller_area)]
Areas = Annotated[
    list[AreaCode],
    Field(min_length=1, max_length=200, description="`15` or 2025-07 commune codes."),
    AfterValidator(_sorted_unique),
]
Roles = Annotated[
    list[Role],
    Field(
        min_length=1,
        max_length=len(ROLES) + len(BESIDE_ROLES),
        description=(
            "Ranked roles (`viewer` < `officer` < `approver` < `admin`), and `protection` "
            "(reads and handles protection cases) beside one of them, never alone."
        ),
    ),
    AfterValidator(_sorted_roles),
]
Scopes = Annotated[
    list[Scope], Field(min_length=1, max_length=len(SCOPES)), AfterValidator(_sorted_scopes)
]
Username = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._@-]{2,63}$"),
    AfterValidator(str.lower),
    Field(description="3-64 letters, digits, '.', '_', '@' or '-'; case does not matter."),
]
Password = Annotated[
    str,
    StringConstraints(min_length=MIN_PASSWORD_LENGTH, max_length=1024),
    Field(description=f"{MIN_PASSWORD_LENGTH} or more characters."),
]
FullName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _no_nulls(model: BaseModel, nullable: frozenset[str] = frozenset()) -> None:
    for name in model.model_fields_set:
        if name not in nullable and getattr(model, name) is None:
            raise invalid("not_null.named", name=name)


class UserCreate(_Body):
    id: uuid.UUID | None = None
    username: Username
    password: Password
    full_name: FullName | None = None
    roles: Roles
    areas: Areas


class UserUpdate(_Body):
    full_name: FullName | None = None
    roles: Roles | None = None
    areas: Areas | None = None
    disabled: bool | None = None
    password: Password | None = None

    @model_validator(mode="after")
    def _explicit_nulls(self) -> UserUpdate:
        _no_nulls(self, frozenset({"full_name"}))
        return self


class UserRead(BaseModel):
    id: uuid.UUID
    username: str
    full_name: str | None
    roles: list[str]
    areas: list[str]
    disabled: bool
    created_at: dt.datetime
    updated_at: dt.datetime
    created_by: str
    version: int


class UserPage(BaseModel):
    items: list[UserRead]
    next_cursor: str | None


class ClientCreate(_Body):
    id: uuid.UUID | None = None
    name: Name
    scopes: Scopes
    areas: Areas


class ClientUpdate(_Body):
    name: Name | None = None
    scopes: Scopes | None = None
    areas: Areas | None = None
    disabled: bool | None = None
    rotate_secret: bool = Field(
        default=False, description="Make a new secret; the answer shows it once."
    )

    @model_validator(mode="after")
    def _explicit_nulls(self) -> ClientUpdate:
        _no_nulls(self)
        return self


class ClientRead(BaseModel):
    id: uuid.UUID
    client_id: str
    name: str
    scopes: list[str]
    areas: list[str]
    disabled: bool
    created_at: dt.datetime
    updated_at: dt.datetime
    created_by: str
    version: int


class ClientWithSecret(ClientRead):
    client_secret: str = Field(description="Shown only in this answer; it is not kept in clear.")


class ClientPage(BaseModel):
    items: list[ClientRead]
    next_cursor: str | None


class PublicKey(BaseModel):
    """One RSA public key (RFC 7517) that verifies the access tokens it names by `kid`."""

    kty: Literal["RSA"]
    kid: str
    alg: Literal["RS256"]
    use: Literal["sig"]
    n: str
    e: str


class PublicKeys(BaseModel):
    keys: list[PublicKey]


class TokenAnswer(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int
    refresh_token: str | None = None
    scope: str | None = None


TOKEN_REQUEST_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "required": ["grant_type"],
                    "properties": {
                        "grant_type": {
                            "type": "string",
                            "enum": ["password", "client_credentials", "refresh_token"],
                        },
                        "username": {"type": "string"},
                        "password": {"type": "string", "format": "password"},
                        "client_id": {"type": "string"},
                        "client_secret": {"type": "string", "format": "password"},
                        "refresh_token": {"type": "string"},
                        "scope": {"type": "string"},
                    },
                }
            }
        },
    }
}
