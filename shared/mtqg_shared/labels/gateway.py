"""Headers of the gateway's own fields: people and clients, admin units, programmes, its audit
trail, webhooks and their deliveries, and the overview's parts (a sheet per programme, each headed
by the programme's own catalogue)."""

from __future__ import annotations

from mtqg_shared.labels.types import Catalogue, Maps

LABELS: Catalogue = {
    # People and clients.
    "username": ("Tên đăng nhập", "Username"),
    "password": ("Mật khẩu", "Password"),
    "full_name": ("Họ và tên", "Full name"),
    "roles": ("Vai trò", "Roles"),
    "areas": ("Địa bàn phụ trách", "Areas"),
    "disabled": ("Đã khóa", "Disabled"),
    "client_id": ("Mã ứng dụng", "Client ID"),
    "scopes": ("Quyền truy cập", "Scopes"),
    "rotate_secret": ("Cấp lại khóa bí mật", "Rotate secret"),
    # Admin units and programmes (each sheet holds one kind of code).
    "code": ("Mã", "Code"),
    "level": ("Cấp hành chính", "Level"),
    "parent_code": ("Mã đơn vị cấp trên", "Parent unit code"),
    "unit_type": ("Loại đơn vị hành chính", "Unit type"),
    "successor_code": ("Mã xã mới (từ 01/07/2025)", "Successor commune code"),
    "predecessor_codes": ("Mã các xã cũ đã nhập vào", "Predecessor commune codes"),
    # Programmes and their projects.
    "decision.number": ("Số quyết định phê duyệt", "Approving decision"),
    "decision.signed_on": ("Ngày ký quyết định", "Decision signed on"),
    "projects": ("Dự án, tiểu dự án", "Projects and sub-projects"),
    "projects.code": ("Mã dự án", "Project code"),
    "projects.name": ("Tên dự án", "Project name"),
    "projects.service": ("Lĩnh vực ghi nhận kinh phí", "Service recording its money"),
    "projects.parent_code": ("Mã dự án (của tiểu dự án)", "Project of the sub-project"),
    # Webhooks and their deliveries.
    "url": ("Địa chỉ nhận (URL)", "URL"),
    "services": ("Lĩnh vực", "Services"),
    "resources": ("Loại dữ liệu", "Resources"),
    "disabled_at": ("Thời điểm khóa", "Disabled at"),
    "failing_since": ("Lỗi gửi từ thời điểm", "Failing since"),
    "next_attempt_at": ("Lần gửi tiếp theo", "Next attempt at"),
    "webhook_id": ("Mã sự kiện", "Event ID"),
    "type": ("Loại sự kiện", "Event type"),
    "attempt": ("Lần gửi thứ", "Attempt"),
    "succeeded": ("Gửi thành công", "Succeeded"),
    "status": ("Mã trạng thái HTTP", "HTTP status"),
    "duration_ms": ("Thời gian phản hồi (ms)", "Duration (ms)"),
    "error": ("Lỗi", "Error"),
    "service": ("Lĩnh vực", "Service"),
    "after": ("Gửi lại các thay đổi sau số thứ tự", "Replay changes after"),
    # The overview: a part per programme, and the programmes left out.
    "housing": ("Xóa nhà tạm, nhà dột nát", "Removing temporary and dilapidated houses"),
    "labour": ("Đưa người lao động đi làm việc ở nước ngoài", "Working abroad under contract"),
    "production": ("Phát triển sản xuất theo chuỗi giá trị", "Value chains"),
    "gender": (
        "Bình đẳng giới và giải quyết vấn đề cấp thiết đối với phụ nữ, trẻ em",
        "Gender equality and urgent issues of women and children",
    ),
    "digital": (
        "Chuyển đổi số trong xây dựng nông thôn mới, thôn thông minh",
        "Digital transformation and smart villages",
    ),
    "unavailable": ("Lĩnh vực không có số liệu (lỗi kết nối)", "Unavailable programmes"),
    "forbidden": ("Lĩnh vực không có quyền xem", "Programmes not permitted"),
}

MAPS: Maps = frozenset()
