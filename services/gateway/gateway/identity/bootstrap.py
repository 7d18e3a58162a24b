"""First start: user `admin` from MTQG_ADMIN_PASSWORD when no user exists. Nothing else."""

from __future__ import annotations

import logging

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from gateway.config import Settings
from gateway.identity.accounts import users
from gateway.identity.passwords import hash_password
from gateway.models import User, audit_log
from mtqg_shared.admin_units import NEW_PROVINCE_CODE
from mtqg_shared.audit import SecretChange
from mtqg_shared.db import Database
from mtqg_shared.types import utcnow

log = logging.getLogger("mtqg.gateway.bootstrap")

FIRST_ADMIN = "admin"
SYSTEM_ACTOR = "system:gateway"


async def ensure_first_admin(db: Database, settings: Settings) -> bool:
    """Create `admin` (role admin, area 15) if no user exists; True when it was created."""
    password = settings.admin_password.get_secret_value()
    if not password:
        return False
    try:
        async with db.session(write=False) as session:
            anyone = await session.scalar(select(User.id).limit(1))
    except (OperationalError, ProgrammingError):
        log.error(
            "cannot look for users: the gateway's tables are missing or its database does not "
            "answer; run `python -m mtqg_shared.migrations gateway upgrade` first. "
            "The first admin was not created."
        )
        return False
    if anyone is not None:
        return False
    password_hash = await hash_password(password)
    try:
        async with db.session() as session:
            user = User(
                username=FIRST_ADMIN,
                full_name="Administrator",
                password_hash=password_hash,
                roles=["admin"],
                disabled=False,
                credentials_version=1,
                created_by=SYSTEM_ACTOR,
                version=1,
            )
            session.add(user)
            await session.flush()
            await users.set_areas(session, user.id, [NEW_PROVINCE_CODE])
            await session.execute(
                insert(audit_log).values(
                    at=utcnow(),
                    actor=SYSTEM_ACTOR,
                    action="create",
                    entity_type="user",
                    entity_id=str(user.id),
                    changes={
                        "username": [None, FIRST_ADMIN],
                        "roles": [None, ["admin"]],
                        "areas": [None, [NEW_PROVINCE_CODE]],
                        "password": SecretChange.SET,
                    },
                    communes=" ",
                )
            )
            await session.commit()
    except IntegrityError:
        return False  # another replica made it at the same moment
    log.info("created the first user %r (role admin, area %s)", FIRST_ADMIN, NEW_PROVINCE_CODE)
    return True
