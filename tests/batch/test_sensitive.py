"""A batch gives no way around the `protection` rule (API.md section 12): a holder records a
case and its first step in one batch; anyone else, admins and system clients included, is
answered by each operation as by its own request: 403 to a create, 404 to a case it cannot
see."""

from __future__ import annotations

import uuid
from typing import Any

from tests.gender.helpers import API, NEW_TA_VAN, admin, system
from tests.gender.test_cases import SUMMARY, case_body, holder

BATCH = f"{API}/batch"
CASES = f"{API}/cases"


async def test_only_protection_holders_write_cases_through_a_batch(service_client: Any) -> None:
    case_id = str(uuid.uuid4())
    made = [
        {"method": "POST", "path": CASES, "body": case_body(id=case_id)},
        {"method": "POST", "path": f"{CASES}/{case_id}/transitions", "body": {"to": "verified"}},
    ]
    async with service_client("gender") as client:
        answer = await client.post(BATCH, json={"operations": made}, headers=holder(NEW_TA_VAN))
        assert answer.status_code == 200, answer.text
        created, stepped = answer.json()["results"]
        assert (created["status"], stepped["status"]) == (201, 201)
        assert created["body"]["summary"] == SUMMARY

        again = [
            {"method": "POST", "path": CASES, "body": case_body()},
            {"method": "POST", "path": f"{CASES}/{case_id}/transitions", "body": {"to": "closed"}},
        ]
        for outsider in (admin(), system("gender:read", "gender:write")):
            answer = await client.post(BATCH, json={"operations": again}, headers=outsider)
            assert answer.status_code == 200, answer.text
            assert [r["status"] for r in answer.json()["results"]] == [403, 404]
            assert SUMMARY not in answer.text
        read = await client.get(f"{CASES}/{case_id}", headers=holder(NEW_TA_VAN))
        assert read.json()["status"] == "verified"
