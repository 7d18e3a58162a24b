"""The production service's programme money (API.md section 11): its capital plans and the
disbursement report over them and its money entries (the kit's, declared here)."""

from __future__ import annotations

from mtqg_shared.kit.capital import CapitalBook
from mtqg_shared.kit.disbursement import Counted, Disbursement, Places
from production.models import CapitalPlan, ProjectPlace
from production.models import Disbursement as Entry
from production.projects.repository import disbursements
from production.web import PREFIX

plans = CapitalBook("production", CapitalPlan, prefix=PREFIX)
report = Disbursement(
    plans,
    [
        Counted(
            disbursements,
            Entry.on,
            places=Places(ProjectPlace, Entry.project_id, owner="project_id"),
        )
    ],
)
