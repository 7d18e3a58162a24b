"""Headers of the gender programme's own fields (community models, activities, materials,
protection cases, spending and the overview)."""

from __future__ import annotations

from mtqg_shared.labels.types import Catalogue, Maps

LABELS: Catalogue = {
    # Community models.
    "members": ("Số thành viên", "Members"),
    "members_female": ("Số thành viên nữ", "Female members"),
    # Activities.
    "model_id": ("ID mô hình", "Model ID"),
    "topics": ("Chủ đề", "Topics"),
    "languages": ("Ngôn ngữ", "Languages"),
    "participants": ("Số người tham gia", "Participants"),
    "participants_female": ("Số người tham gia là nữ", "Female participants"),
    "online_reach": ("Số lượt tiếp cận trực tuyến", "Online reach"),
    "activity_id": ("ID hoạt động", "Activity ID"),
    # Materials.
    "format": ("Hình thức tài liệu", "Format"),
    "published_on": ("Ngày phát hành", "Published on"),
    "versions": ("Bản ngôn ngữ", "Language versions"),
    "versions.language": ("Bản ngôn ngữ - Ngôn ngữ", "Version - language"),
    "versions.title": ("Bản ngôn ngữ - Tiêu đề", "Version - title"),
    "versions.text": ("Bản ngôn ngữ - Nội dung", "Version - text"),
    "versions.url": ("Bản ngôn ngữ - Đường dẫn", "Version - link"),
    # A material as an import row: each language version in its own columns.
    "title_vi": ("Tiêu đề (tiếng Việt)", "Title (Vietnamese)"),
    "text_vi": ("Nội dung (tiếng Việt)", "Text (Vietnamese)"),
    "url_vi": ("Đường dẫn (tiếng Việt)", "Link (Vietnamese)"),
    "title_dao": ("Tiêu đề (tiếng Dao)", "Title (Dao)"),
    "text_dao": ("Nội dung (tiếng Dao)", "Text (Dao)"),
    "url_dao": ("Đường dẫn (tiếng Dao)", "Link (Dao)"),
    "title_hmn": ("Tiêu đề (tiếng Mông)", "Title (Hmong)"),
    "text_hmn": ("Nội dung (tiếng Mông)", "Text (Hmong)"),
    "url_hmn": ("Đường dẫn (tiếng Mông)", "Link (Hmong)"),
    # Protection cases.
    "reported_on": ("Ngày tiếp nhận", "Reported on"),
    "victim_sex": ("Giới tính nạn nhân", "Victim's sex"),
    "victim_age": ("Tuổi nạn nhân", "Victim's age"),
    "victim_ethnicity": ("Dân tộc của nạn nhân", "Victim's ethnicity"),
    "summary": ("Tóm tắt vụ việc", "Summary"),
    "outcome": ("Kết quả xử lý", "Outcome"),
    "case_id": ("ID vụ việc", "Case ID"),
    "status": ("Trạng thái vụ việc", "Case status"),
    # The access log of protection cases.
    "reader": ("Người xem", "Reader"),
    "case_ids": ("ID các vụ việc đã xem", "Cases read (IDs)"),
    # The overview.
    "models": ("Mô hình", "Models"),
    "activities": ("Hoạt động", "Activities"),
    "activities.count": ("Số hoạt động", "Activities"),
    "activities.participants": ("Số người tham gia hoạt động", "Activity participants"),
    "activities.participants_female": (
        "Số nữ tham gia hoạt động",
        "Female activity participants",
    ),
    "activities.by_topic": ("Số hoạt động theo chủ đề", "Activities by topic"),
    "activities.by_language": ("Số hoạt động theo ngôn ngữ", "Activities by language"),
    "materials": ("Tài liệu", "Materials"),
    "materials.count": ("Số tài liệu", "Materials"),
    "materials.by_language": ("Số tài liệu theo ngôn ngữ", "Materials by language"),
    "cases": ("Vụ việc", "Cases"),
    "cases.by_kind": ("Số vụ việc theo loại", "Cases by kind"),
    "cases.child_marriages_prevented": (
        "Số vụ tảo hôn được ngăn chặn",
        "Child marriages prevented",
    ),
}

# Maps keyed by data or by a value: a column `<map>.<key>` is the map's header and the key's.
MAPS: Maps = frozenset(
    {
        "activities.by_language",
        "activities.by_topic",
        "cases.by_kind",
        "materials.by_language",
        "models",
    }
)
