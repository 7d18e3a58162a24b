"""Headers of the digital transformation programme's own fields (assets, digital technology
teams, online sellers, smart villages, commune profiles, spending and the overview)."""

from __future__ import annotations

from mtqg_shared.labels.types import Catalogue, Maps

LABELS: Catalogue = {
    # Assets.
    "installed_on": ("Ngày lắp đặt", "Installed on"),
    "connected_to_ioc": ("Kết nối Trung tâm IOC", "Connected to the IOC"),
    "status_on": ("Ngày chuyển trạng thái", "Status since"),
    "asset_id": ("ID thiết bị", "Asset ID"),
    # Community digital technology teams.
    "members": ("Số thành viên", "Members"),
    # Online sellers.
    "platforms": ("Sàn thương mại điện tử", "Platforms"),
    "ocop_products_online": ("Số sản phẩm OCOP bán trực tuyến", "OCOP products online"),
    "since": ("Bán trực tuyến từ ngày", "Selling online since"),
    # Smart villages.
    "started_on": ("Ngày bắt đầu xây dựng", "Started on"),
    "recognised_on": ("Ngày công nhận", "Recognised on"),
    "decision_number": ("Số quyết định công nhận", "Decision number"),
    "village_id": ("ID thôn thông minh", "Smart village ID"),
    # Commune profiles.
    "households_fibre": ("Số hộ có cáp quang", "Households with fibre"),
    "adults_with_smartphone": (
        "Số người trưởng thành có điện thoại thông minh",
        "Adults with a smartphone",
    ),
    "officials": ("Số cán bộ, công chức xã", "Commune officials"),
    "officials_it_certified": (
        "Số cán bộ, công chức có chứng chỉ CNTT",
        "Officials with an IT certificate",
    ),
    "online_dossier_rate": ("Tỷ lệ hồ sơ trực tuyến (0-1)", "Online dossier rate (0-1)"),
    "it_certified_rate": (
        "Tỷ lệ cán bộ có chứng chỉ CNTT (0-1)",
        "IT-certified rate (0-1)",
    ),
    # The overview.
    "infrastructure": ("Hạ tầng số", "Infrastructure"),
    "infrastructure.cameras": ("Số camera", "Cameras"),
    "infrastructure.cameras_to_ioc": ("Số camera kết nối IOC", "Cameras connected to the IOC"),
    "infrastructure.computers": ("Số máy tính", "Computers"),
    "infrastructure.speaker_clusters": ("Số cụm loa", "Speaker clusters"),
    "infrastructure.wifi_points": ("Số điểm wifi công cộng", "Public wifi points"),
    "government": ("Chính quyền số", "Digital government"),
    "economy": ("Kinh tế số", "Digital economy"),
    "economy.sellers": ("Số hộ, cơ sở bán hàng trực tuyến", "Online sellers"),
    "society": ("Xã hội số", "Digital society"),
    "society.teams": ("Số tổ công nghệ số cộng đồng", "Digital technology teams"),
    "society.team_members": ("Số thành viên tổ công nghệ số", "Team members"),
    "society.smart_villages": ("Thôn thông minh", "Smart villages"),
    "society.smart_villages.building": ("Số thôn đang xây dựng", "Smart villages being built"),
    "society.smart_villages.recognised": ("Số thôn được công nhận", "Smart villages recognised"),
}

MAPS: Maps = frozenset()
