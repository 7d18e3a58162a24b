"""Headers of the housing programme's own fields (cases, funding, norms, plans, obstacles and
the progress report)."""

from __future__ import annotations

from mtqg_shared.labels.types import Catalogue, Maps

LABELS: Catalogue = {
    # Cases.
    "head_of_household": ("Chủ hộ", "Head of household"),
    "beneficiary_group": ("Đối tượng hỗ trợ", "Beneficiary group"),
    "support_type": ("Hình thức hỗ trợ", "Support type"),
    "funding_vnd": ("Kinh phí đã nhận (đồng)", "Funding received (VND)"),
    "total_funding_vnd": ("Tổng kinh phí đã nhận (đồng)", "Total funding received (VND)"),
    "state_budget_vnd": ("Kinh phí ngân sách nhà nước (đồng)", "State budget funding (VND)"),
    "norm_vnd": ("Mức hỗ trợ theo định mức (đồng)", "Support norm (VND)"),
    "handed_over_on": ("Ngày bàn giao", "Handed over on"),
    "case_id": ("ID hồ sơ", "Case ID"),
    # Norms.
    "valid_from": ("Áp dụng từ ngày", "Valid from"),
    "valid_until": ("Áp dụng đến ngày", "Valid until"),
    "basis": ("Căn cứ pháp lý", "Legal basis"),
    # Plans.
    "title": ("Tiêu đề", "Title"),
    "target_new_build": ("Chỉ tiêu xây mới (căn)", "Target: new builds (houses)"),
    "target_repair": ("Chỉ tiêu sửa chữa (căn)", "Target: repairs (houses)"),
    "deadline": ("Thời hạn hoàn thành", "Deadline"),
    "milestones": ("Mốc tiến độ", "Milestones"),
    "milestones.due_on": ("Mốc tiến độ - Ngày đến hạn", "Milestone - due on"),
    "milestones.completed_target": (
        "Mốc tiến độ - Số căn hoàn thành (lũy kế)",
        "Milestone - houses completed (cumulative)",
    ),
    # Obstacles.
    "severity": ("Mức độ", "Severity"),
    "reported_on": ("Ngày phát hiện", "Reported on"),
    "resolution": ("Biện pháp tháo gỡ", "Resolution"),
    "resolved_on": ("Ngày tháo gỡ", "Resolved on"),
    # The progress report's rows: an area each.
    "code": ("Mã địa bàn", "Area code"),
    "name": ("Tên địa bàn", "Area name"),
    "cases": ("Số hồ sơ", "Cases"),
    "by_status": ("Số hồ sơ theo trạng thái", "Cases by status"),
    "new_build": ("Số căn xây mới", "New builds"),
    "repair": ("Số căn sửa chữa", "Repairs"),
    "completed": ("Số căn đã hoàn thành", "Houses completed"),
    "completion_rate": ("Tỷ lệ hoàn thành (0-1)", "Completion rate (0-1)"),
}

MAPS: Maps = frozenset()
