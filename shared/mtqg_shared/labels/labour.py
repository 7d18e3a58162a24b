"""Headers of the labour programme's own fields (workers, partners, placements, remittances,
outreach events, commune profiles and the reports)."""

from __future__ import annotations

from mtqg_shared.labels.types import Catalogue, Maps

LABELS: Catalogue = {
    # Workers.
    "full_name": ("Họ và tên", "Full name"),
    "date_of_birth": ("Ngày sinh", "Date of birth"),
    "gender": ("Giới tính", "Gender"),
    "ethnicity": ("Dân tộc", "Ethnicity"),
    "national_id": ("Số CCCD", "National ID number"),
    "phone": ("Số điện thoại", "Phone number"),
    "remittances_vnd": ("Tiền gửi về (đồng)", "Remittances (VND)"),
    # Partners.
    "kind": ("Loại đơn vị", "Partner type"),
    "address": ("Địa chỉ", "Address"),
    "licence_number": ("Số giấy phép", "Licence number"),
    # Placements.
    "worker_id": ("ID người lao động", "Worker ID"),
    "partner_id": ("ID đơn vị phối hợp", "Partner ID"),
    "placement_id": ("ID hồ sơ đi làm việc", "Placement ID"),
    "scheme": ("Hình thức đi làm việc", "Scheme"),
    "destination_country": ("Nước đến làm việc", "Destination country"),
    "sector": ("Ngành nghề", "Sector"),
    "employer": ("Chủ sử dụng lao động", "Employer"),
    "contract_months": ("Thời hạn hợp đồng (tháng)", "Contract length (months)"),
    "monthly_salary_vnd": ("Lương tháng (đồng)", "Monthly salary (VND)"),
    "departed_on": ("Ngày xuất cảnh", "Departed on"),
    "returned_on": ("Ngày về nước", "Returned on"),
    "withdrawn_on": ("Ngày rút hồ sơ", "Withdrawn on"),
    "status": ("Trạng thái hồ sơ", "Placement status"),
    # Remittances.
    "month": ("Tháng (YYYY-MM)", "Month (YYYY-MM)"),
    "amount_vnd": ("Số tiền gửi về (đồng)", "Amount remitted (VND)"),
    # Outreach events.
    "participants": ("Số người tham dự", "Participants"),
    "registered_interest": ("Số người đăng ký tham gia", "Registered interest"),
    # Commune profiles.
    "population": ("Dân số (người)", "Population"),
    "working_age": ("Số người trong độ tuổi lao động", "Working-age people"),
    "employed_elsewhere": ("Số lao động làm việc ngoài địa phương", "Employed elsewhere"),
    "working_age_rate": ("Tỷ lệ trong độ tuổi lao động (0-1)", "Working-age rate (0-1)"),
    "employed_elsewhere_rate": (
        "Tỷ lệ lao động làm việc ngoài địa phương (0-1)",
        "Employed-elsewhere rate (0-1)",
    ),
    "poor_rate": ("Tỷ lệ hộ nghèo (0-1)", "Poor household rate (0-1)"),
    "near_poor_rate": ("Tỷ lệ hộ cận nghèo (0-1)", "Near-poor household rate (0-1)"),
    # The overview report.
    "departures": ("Số lao động xuất cảnh", "Departures"),
    "departures.total": ("Tổng số lao động xuất cảnh", "Departures: total"),
    "departures.by_country": ("Số lao động xuất cảnh theo nước", "Departures by country"),
    "in_preparation": ("Đang chuẩn bị xuất cảnh", "In preparation"),
    "abroad": ("Đang làm việc ở nước ngoài", "Abroad"),
    "returned": ("Đã về nước", "Returned"),
    "remittances_by_country": (
        "Tiền gửi về theo nước (đồng)",
        "Remittances by country (VND)",
    ),
    "avg_monthly_salary_vnd": ("Lương tháng bình quân (đồng)", "Average monthly salary (VND)"),
    "departures_from_poor_or_near_poor": (
        "Số lao động thuộc hộ nghèo, cận nghèo xuất cảnh",
        "Departures from poor or near-poor households",
    ),
    "outreach": ("Tư vấn, tuyển sinh", "Outreach"),
    "outreach.events": ("Số buổi tư vấn", "Outreach events"),
    "outreach.participants": ("Số người tham dự tư vấn", "Outreach participants"),
    "profile": ("Hồ sơ xã", "Commune profile"),
    # The remittances report.
    "group_by": ("Nhóm theo", "Grouped by"),
    "key": ("Nhóm", "Group"),
    "total_vnd": ("Tổng tiền gửi về (đồng)", "Total remitted (VND)"),
}

# Maps keyed by data or by a value: a column `<map>.<key>` is the map's header and the key's.
MAPS: Maps = frozenset({"departures.by_country", "remittances_by_country"})
