"""Headers of the production programme's own fields (value-chain zones, linkage projects and
their disbursements, facilities, OCOP products and the overview)."""

from __future__ import annotations

from mtqg_shared.labels.types import Catalogue, Maps

LABELS: Catalogue = {
    # Zones.
    "crop": ("Cây trồng, vật nuôi", "Crop or livestock"),
    "area_ha": ("Diện tích (ha)", "Area (ha)"),
    "certified_area_ha": ("Diện tích được chứng nhận (ha)", "Certified area (ha)"),
    "linked_area_ha": ("Diện tích liên kết (ha)", "Linked area (ha)"),
    "certification": ("Chứng nhận", "Certification"),
    "commune_codes": ("Mã các xã", "Commune codes"),
    "legacy_commune_codes": ("Mã các xã cũ (trước 01/07/2025)", "Former commune codes"),
    "legacy_district_codes": ("Mã các huyện cũ (trước 01/07/2025)", "Former district codes"),
    # Linkage projects.
    "code": ("Mã dự án", "Project code"),
    # The disbursement report's rows by commune name a place, not a project.
    "rows.code": ("Mã địa bàn", "Area code"),
    "rows.name": ("Tên địa bàn", "Area name"),
    "product": ("Sản phẩm liên kết", "Product"),
    "lead_entity": ("Đơn vị chủ trì liên kết", "Lead entity"),
    "lead_entity_type": ("Loại hình đơn vị chủ trì", "Lead entity type"),
    "start_on": ("Ngày bắt đầu", "Start date"),
    "end_on": ("Ngày kết thúc", "End date"),
    "total_cost_vnd": ("Tổng kinh phí (đồng)", "Total cost (VND)"),
    "state_support_vnd": ("Kinh phí nhà nước hỗ trợ (đồng)", "State support (VND)"),
    "disbursed_vnd": ("Đã giải ngân (đồng)", "Disbursed (VND)"),
    "proposed_on": ("Ngày đề xuất", "Proposed on"),
    "status": ("Trạng thái dự án", "Project status"),
    "suspended_from": ("Trạng thái trước khi tạm dừng", "Suspended from status"),
    "approved_on": ("Ngày phê duyệt", "Approved on"),
    "project_id": ("ID dự án", "Project ID"),
    # An import row's linkage project, by its code (its money's own project_code is the
    # programme's).
    "linkage_project_code": ("Mã dự án liên kết", "Linkage project code"),
    # Facilities.
    "kind": ("Loại hình cơ sở", "Facility type"),
    "jobs": ("Số lao động", "Jobs"),
    "products": ("Sản phẩm", "Products"),
    # OCOP products.
    "producer": ("Chủ thể sản xuất", "Producer"),
    "category": ("Nhóm sản phẩm", "Category"),
    "stars": ("Hạng sao OCOP", "OCOP stars"),
    "score": ("Điểm đánh giá", "Score"),
    "certified_on": ("Ngày công nhận", "Certified on"),
    "expires_on": ("Ngày hết hạn công nhận", "Certification expires on"),
    # The overview.
    "zones_year": ("Năm thống kê vùng sản xuất", "Year of the zones counted"),
    "zones_by_crop": ("Vùng sản xuất theo cây trồng, vật nuôi", "Zones by crop"),
    "projects": ("Dự án liên kết", "Linkage projects"),
    "projects.count": ("Số dự án liên kết", "Linkage projects"),
    "projects.disbursed_by_year": ("Giải ngân theo năm (đồng)", "Disbursed by year (VND)"),
    "facilities": ("Cơ sở sản xuất", "Facilities"),
    "facilities.count": ("Số cơ sở sản xuất", "Facilities"),
    "facilities.jobs": ("Số lao động của cơ sở", "Facility jobs"),
    "ocop": ("Sản phẩm OCOP", "OCOP products"),
    "ocop.count": ("Số sản phẩm OCOP", "OCOP products"),
    "ocop.by_stars": ("Số sản phẩm OCOP theo hạng sao", "OCOP products by stars"),
    "ocop.expiring_within_90_days": (
        "Sản phẩm OCOP hết hạn trong 90 ngày",
        "OCOP products expiring within 90 days",
    ),
}

# Maps keyed by data or by a value: a column `<map>.<key>` is the map's header and the key's.
MAPS: Maps = frozenset({"ocop.by_stars", "projects.disbursed_by_year", "zones_by_crop"})
