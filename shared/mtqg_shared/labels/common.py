"""Headers of the fields many processes share: a record's own fields, its place, the audit
trail, a status path's steps, a ledger's entries and a report's area."""

from __future__ import annotations

from mtqg_shared.labels.types import Catalogue, Maps

COMMON: Catalogue = {
    # Every record (API.md section 2, "Writes").
    "id": ("ID", "ID"),
    "version": ("Phiên bản", "Version"),
    "created_at": ("Thời điểm tạo", "Created at"),
    "updated_at": ("Thời điểm cập nhật", "Updated at"),
    "created_by": ("Người tạo", "Created by"),
    "name": ("Tên", "Name"),
    "code": ("Mã", "Code"),
    "notes": ("Ghi chú", "Notes"),
    "note": ("Ghi chú", "Note"),
    "description": ("Mô tả", "Description"),
    "status": ("Trạng thái", "Status"),
    "kind": ("Loại", "Kind"),
    # Spreadsheet imports (section 10): a job and what it found.
    "resource": ("Loại dữ liệu nhập", "Resource"),
    "fields": ("Các cột", "Fields"),
    "natural_key": ("Khóa nhận diện", "Natural key"),
    "mode": ("Chế độ nhập", "Mode"),
    "on_existing": ("Khi bản ghi đã có", "On existing"),
    "file_name": ("Tên tệp", "File name"),
    "total_rows": ("Tổng số dòng", "Total rows"),
    "processed_rows": ("Số dòng đã xử lý", "Processed rows"),
    "created": ("Số bản ghi tạo mới", "Created"),
    "updated": ("Số bản ghi cập nhật", "Updated"),
    "skipped": ("Số dòng bỏ qua", "Skipped"),
    "error_count": ("Số lỗi", "Errors"),
    "message": ("Thông báo", "Message"),
    "started_at": ("Thời điểm bắt đầu", "Started at"),
    "finished_at": ("Thời điểm kết thúc", "Finished at"),
    # Places (section 2, "Administrative units").
    "commune_code": ("Mã xã", "Commune code"),
    "legacy_commune_code": ("Mã xã cũ (trước 01/07/2025)", "Former commune code"),
    "legacy_district_code": ("Mã huyện cũ (trước 01/07/2025)", "Former district code"),
    "geography": ("Địa giới hành chính", "Geography"),
    "area_code": ("Mã địa bàn", "Area code"),
    "area": ("Địa bàn", "Area"),
    "area.code": ("Địa bàn - Mã", "Area - code"),
    "area.name": ("Địa bàn - Tên", "Area - name"),
    "village": ("Thôn/bản", "Village"),
    "year": ("Năm", "Year"),
    "as_of": ("Tính đến ngày", "As of"),
    # Households.
    "household_code": ("Mã hộ", "Household code"),
    "households": ("Số hộ", "Households"),
    "poor_households": ("Số hộ nghèo", "Poor households"),
    "near_poor_households": ("Số hộ cận nghèo", "Near-poor households"),
    "household_poverty": ("Tình trạng nghèo của hộ", "Household poverty status"),
    # Dates and counts several programmes' records have.
    "registered_on": ("Ngày đăng ký", "Registered on"),
    "established_on": ("Ngày thành lập", "Established on"),
    "completed_on": ("Ngày hoàn thành", "Completed on"),
    "held_on": ("Ngày tổ chức", "Held on"),
    "topic": ("Chủ đề", "Topic"),
    "count": ("Số lượng", "Count"),
    # The audit trail (`GET .../audit`).
    "at": ("Thời điểm", "At"),
    "actor": ("Người thực hiện", "Actor"),
    "action": ("Thao tác", "Action"),
    "entity_type": ("Loại bản ghi", "Record type"),
    "entity_id": ("ID bản ghi", "Record ID"),
    "changes": ("Nội dung thay đổi", "Changes"),
    "request_id": ("Mã yêu cầu", "Request ID"),
    # A status path's steps (kit/status.py).
    "seq": ("Số thứ tự", "Step number"),
    "from": ("Trạng thái trước", "From status"),
    "to": ("Trạng thái mới", "To status"),
    "on": ("Ngày", "Date"),
    # A ledger's entries (kit/ledger.py).
    "amount_vnd": ("Số tiền (đồng)", "Amount (VND)"),
    "source": ("Nguồn vốn", "Funding source"),
    "reverses": ("Hủy bút toán (ID)", "Reverses entry (ID)"),
    "reversed_by": ("Bị hủy bởi bút toán (ID)", "Reversed by entry (ID)"),
    # Period reports (kit/periods.py).
    "period": ("Kỳ báo cáo", "Period"),
    "period_start": ("Ngày đầu kỳ", "Period start"),
    "period_end": ("Ngày cuối kỳ", "Period end"),
    "submission": ("Lần gửi", "Submission"),
    "snapshot": ("Số liệu chốt khi gửi", "Snapshot"),
    "submitted_by": ("Người gửi", "Submitted by"),
    "submitted_at": ("Thời điểm gửi", "Submitted at"),
    "decided_by": ("Người duyệt", "Decided by"),
    "decided_at": ("Thời điểm duyệt", "Decided at"),
    "report_id": ("ID báo cáo kỳ", "Period report ID"),
    # A programme's spending (kit/spending.py: gender, digital).
    "purpose": ("Nội dung chi", "Purpose"),
    "project_code": ("Mã dự án thành phần (chương trình MTQG)", "Programme project code"),
    "capital_type": ("Loại vốn", "Capital type"),
    "spent_vnd": ("Kinh phí đã chi (đồng)", "Spent (VND)"),
    # Capital plans and the disbursement report (kit/capital.py, kit/disbursement.py).
    "area_name": ("Tên địa bàn", "Area name"),
    "decision_number": ("Số quyết định giao vốn", "Decision number"),
    "decision_on": ("Ngày quyết định", "Decision date"),
    "carried_over": ("Vốn năm trước chuyển sang", "Carried over"),
    "planned_vnd": ("Kế hoạch vốn (đồng)", "Planned (VND)"),
    "disbursed_vnd": ("Đã giải ngân (đồng)", "Disbursed (VND)"),
    "disbursement_rate": ("Tỷ lệ giải ngân", "Disbursement rate"),
}

# The audit trail's `changes` is keyed by the record's field names.
COMMON_MAPS: Maps = frozenset({"changes"})
