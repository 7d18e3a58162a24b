"""The resource kit: what every resource of every service is built from.

- `Resource` (kit.resource): reads within the caller's areas, locked writes with If-Match,
  keyset lists, creates with client ids and audit, changes with audit.
- area rules (kit.areas): `InCommune`, `InCommunes`, `Province`.
- `Write` and `Change` (mtqg_shared.writes): the transaction of a POST (Idempotency-Key) or of
  a PATCH/PUT (If-Match); `ReadSession` (mtqg_shared.db) for reads.
- `StatusPath` (kit.status), `Ledger` (kit.ledger), answers and route kinds (kit.http).
- Records only holders of a role read, every read logged (kit.sensitive): `Sensitive`,
  `LoggedRead`.
- Built-once row reads for the busiest lists and reads (kit.rows): `Rows`, `AreaConditions`,
  `Equal`, `Contains`.
"""

from mtqg_shared.db import ReadSession
from mtqg_shared.kit.areas import AreaRule, InCommune, InCommunes, Province
from mtqg_shared.kit.http import CHANGE, CREATE, READ, STEP, answer, created, record, saved
from mtqg_shared.kit.ledger import Ledger
from mtqg_shared.kit.resource import Resource
from mtqg_shared.kit.sensitive import LoggedRead, Sensitive
from mtqg_shared.kit.status import StatusPath
from mtqg_shared.pagination import Listing, ListParams, Page
from mtqg_shared.writes import Change, Write, WriteContext

__all__ = [
    "CHANGE",
    "CREATE",
    "READ",
    "STEP",
    "AreaRule",
    "Change",
    "InCommune",
    "InCommunes",
    "Ledger",
    "ListParams",
    "Listing",
    "LoggedRead",
    "Page",
    "Province",
    "ReadSession",
    "Resource",
    "Sensitive",
    "StatusPath",
    "Write",
    "WriteContext",
    "answer",
    "created",
    "record",
    "saved",
]
