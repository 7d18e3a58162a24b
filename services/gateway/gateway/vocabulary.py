"""The words of the gateway's own enums (roles, scopes, sign-in grants, administrative levels,
the services the views name) as officers say them, with their English:
`GET /api/v1/auth/vocabulary`."""

from __future__ import annotations

from collections.abc import Mapping

from gateway.admin_units_router import Level
from gateway.identity.schemas import Role
from mtqg_shared.kit.money import CAPITAL_WORDS, CapitalType
from mtqg_shared.kit.money_routes import MONEY_TERMS
from mtqg_shared.kit.vocabulary import Vocabulary, Words, terms
from mtqg_shared.registry import SCOPES, SERVICE_NAMES

# Each programme service of the registry (a new one needs its words here: import fails without).
PROGRAMMES: Mapping[str, Words] = {
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
}
_SCOPES: dict[str, Words] = {}
for _name, (_vi, _en) in PROGRAMMES.items():
    _SCOPES[f"{_name}:read"] = (f"Xem dữ liệu: {_vi}", f"Read: {_en}")
    _SCOPES[f"{_name}:write"] = (f"Nhập, sửa dữ liệu: {_vi}", f"Write: {_en}")

VOCABULARY = Vocabulary(
    terms(
        Role,
        {
            "viewer": ("Người xem", "Viewer"),
            "officer": ("Cán bộ nghiệp vụ", "Officer"),
            "approver": ("Người phê duyệt", "Approver"),
            "admin": ("Quản trị hệ thống", "Administrator"),
            "protection": (
                "Bảo vệ (xử lý vụ việc bạo lực gia đình, tảo hôn, mua bán người)",
                "Protection (handles cases of domestic violence, child marriage, trafficking)",
            ),
        },
        name="roles",
    ),
    terms(SCOPES, _SCOPES, name="scopes"),
    terms(
        ("password", "client_credentials", "refresh_token"),
        {
            "password": ("Đăng nhập bằng tên và mật khẩu", "Username and password"),
            "client_credentials": (
                "Hệ thống khác (mã và khóa bí mật)",
                "Another system (client id and secret)",
            ),
            "refresh_token": ("Gia hạn phiên đăng nhập", "Renew a sign-in"),
        },
        name="grant_type",
    ),
    terms(
        Level,
        {
            "province": ("Tỉnh", "Province"),
            "district": ("Huyện, thị xã, thành phố", "District, town or city"),
            "commune": ("Xã, phường", "Commune or ward"),
        },
        name="level",
    ),
    # The views name services that failed or that the caller may not read.
    terms(SERVICE_NAMES, PROGRAMMES, name="unavailable"),
    terms(SERVICE_NAMES, PROGRAMMES, name="forbidden"),
    # A webhook follows the feeds of these services; a replay names one of them.
    terms(SERVICE_NAMES, PROGRAMMES, name="services"),
    # The change feed names the service of each change.
    terms(SERVICE_NAMES, PROGRAMMES, name="service"),
    # The disbursement view's rows and grouping (kit.money_routes).
    *MONEY_TERMS,
    terms(CapitalType, CAPITAL_WORDS),
)
