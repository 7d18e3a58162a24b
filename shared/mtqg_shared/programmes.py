"""The national target programmes and their projects (API.md section 11), listed once.

A money entry of a service carries the `project_code` of one of that service's projects (422
otherwise), by default the service's own; the gateway's `GET /api/v1/programmes` and the
capital plans read the same list. Only the standard library, like the registry.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Project:
    code: str
    name: str  # Vietnamese, as the programme's decision names it
    service: str  # the service of the registry whose money entries belong to it


@dataclass(frozen=True, slots=True)
class Programme:
    code: str
    name: str
    projects: tuple[Project, ...]


PROGRAMMES: tuple[Programme, ...] = (
    Programme(
        "90",
        "Chương trình mục tiêu quốc gia giảm nghèo bền vững",
        (
            Project(
                "90.DA4",
                "Dự án 4: Phát triển giáo dục nghề nghiệp, việc làm bền vững "
                "(đưa người lao động đi làm việc ở nước ngoài theo hợp đồng)",
                "labour",
            ),
            Project("90.DA5", "Dự án 5: Hỗ trợ nhà ở cho hộ nghèo, hộ cận nghèo", "housing"),
        ),
    ),
    Programme(
        "1719",
        "Chương trình mục tiêu quốc gia phát triển kinh tế - xã hội vùng đồng bào dân tộc "
        "thiểu số và miền núi",
        (
            Project(
                "1719.DA3",
                "Dự án 3: Phát triển sản xuất nông, lâm nghiệp bền vững, phát huy tiềm năng, "
                "thế mạnh của các vùng miền để sản xuất hàng hóa theo chuỗi giá trị",
                "production",
            ),
            Project(
                "1719.DA8",
                "Dự án 8: Thực hiện bình đẳng giới và giải quyết những vấn đề cấp thiết đối "
                "với phụ nữ và trẻ em",
                "gender",
            ),
        ),
    ),
    Programme(
        "263",
        "Chương trình mục tiêu quốc gia xây dựng nông thôn mới",
        (
            Project("263.OCOP", "Chương trình mỗi xã một sản phẩm (OCOP)", "production"),
            Project(
                "263.CDS",
                "Chuyển đổi số trong xây dựng nông thôn mới, nông thôn mới thông minh",
                "digital",
            ),
        ),
    ),
)

# The project every money entry of a service carries when it names none.
DEFAULT_PROJECT: dict[str, str] = {
    "housing": "90.DA5",
    "labour": "90.DA4",
    "production": "1719.DA3",
    "gender": "1719.DA8",
    "digital": "263.CDS",
}

PROJECTS: dict[str, Project] = {p.code: p for prog in PROGRAMMES for p in prog.projects}


def projects_of(service: str) -> tuple[str, ...]:
    """The codes of the projects whose money a service records, in the list's order."""
    return tuple(code for code, p in PROJECTS.items() if p.service == service)


def default_project(service: str) -> str:
    return DEFAULT_PROJECT[service]


for _service, _code in DEFAULT_PROJECT.items():
    if PROJECTS[_code].service != _service:  # pragma: no cover - a mistake in the list above
        raise RuntimeError(f"{_code} is no project of the {_service} service")
