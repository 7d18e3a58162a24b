"""Sa Pa's Project 8 (the seed's gender story), through the public API.

The seed says what the Women's Union of Sa Pa town does, not how much: communication models
against domestic violence and child marriage in three languages (Vietnamese, Dao, Hmong),
contests and exchanges on social media, a model of women's economic development for victims
of human trafficking, training planned for grassroots officials. Every count and amount here
is illustrative, made up for the demo, and recorded in the 2025-01 geography (old town 088)
for 2024:
- 6 communication teams, 3 trusted addresses, 4 change-leader clubs, 2 women's livelihood
  groups (one for women returned from trafficking);
- 12 communication sessions, each in Vietnamese and the commune's Dao or Hmong (4 in all
  three), 1 social-media contest, 4 social-media posts, 2 trainings of grassroots officials,
  1 exchange on women's economic development;
- 4 materials, each in Vietnamese, Dao and Hmong;
- 5 spending entries, one of them reversed.
`GET /api/v1/gender/reports/overview?area_code=088&year=2024` then answers these figures.

Every record has a client-made id (uuid5 of a stable name), so running the loader twice
creates nothing new.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import httpx

from demo.loader import Loader, submit_period_report

API = "/api/v1/gender"
SA_PA = "088"
GEOGRAPHY = "2025-01"
YEAR = 2024
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://mtqg.laocai.gov.vn/demo/gender")
# Old communes of Sa Pa (2025-01) and the ethnic-minority language spoken most in each.
COMMUNES = {
    "03001": ("Sa Pa", "hmn"),
    "03004": ("Ngũ Chỉ Sơn", "hmn"),
    "03013": ("Tả Phìn", "dao"),
    "03037": ("Mường Hoa", "hmn"),
    "03040": ("Tả Van", "hmn"),
    "03043": ("Mường Bo", "hmn"),
    "03046": ("Bản Hồ", "dao"),
    "03052": ("Liên Minh", "dao"),
}
CODES = sorted(COMMUNES)
TOWN = "03001"

# (kind, how many, members, women among them, name)
MODELS = [
    ("communication_team", 6, 12, 9, "Đội truyền thông phòng, chống bạo lực gia đình"),
    ("trusted_address", 3, 5, 4, "Địa chỉ tin cậy"),
    ("change_leader_club", 4, 20, 12, "Câu lạc bộ thủ lĩnh của sự thay đổi"),
    ("livelihood_group", 2, 15, 15, "Nhóm sinh kế của phụ nữ"),
]
SESSIONS = 12
SESSION_PEOPLE, SESSION_WOMEN = 60, 42
ALL_THREE_EVERY = 3  # every third session also speaks the other minority language
POSTS = 4
# (title, format, topic)
MATERIALS = [
    ("Phòng, chống bạo lực gia đình", "leaflet", "domestic_violence"),
    ("Nói không với tảo hôn", "poster", "child_marriage"),
    ("Cảnh giác với mua bán người", "audio", "human_trafficking"),
    ("Bình đẳng giới trong gia đình", "video", "gender_equality"),
]
LANGUAGE_NAMES = {"vi": "tiếng Việt", "dao": "tiếng Dao", "hmn": "tiếng Mông"}
# (key, amount, source, purpose), dated two months apart from March
SPENDING = [
    ("sessions", 96_000_000, "central_budget", "Tổ chức 12 buổi truyền thông tại thôn, bản"),
    ("contest", 45_000_000, "central_budget", "Cuộc thi trên mạng xã hội"),
    ("materials", 38_500_000, "local_budget", "In tờ rơi, áp phích ba thứ tiếng"),
    ("training", 52_000_000, "central_budget", "Tập huấn cán bộ cơ sở"),
    ("livelihood", 80_000_000, "mobilised", "Hỗ trợ nhóm sinh kế của phụ nữ"),
]
REVERSED = "materials"  # recorded twice by mistake in this story: once reversed, once again

# Requests in flight at once (the loader's records are independent of each other).
CONCURRENCY = 6


def demo_id(*parts: object) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts)))


def _place(code: str) -> dict[str, str]:
    return {"commune_code": code, "geography": GEOGRAPHY}


async def _models(loader: Loader) -> None:
    jobs = []
    for kind, count, members, women, name in MODELS:
        for n in range(count):
            code = TOWN if kind == "livelihood_group" and n == 0 else CODES[n % len(CODES)]
            label = (
                "Nhóm phụ nữ phát triển kinh tế hòa nhập cộng đồng cho nạn nhân mua bán người"
                if kind == "livelihood_group" and n == 0
                else f"{name} {COMMUNES[code][0]}"
            )
            body = {
                "id": demo_id("model", kind, n),
                "kind": kind,
                "name": f"{label} (demo)",
                **_place(code),
                "established_on": f"{2022 + n % 2}-{3 + n:02d}-08",
                "members": members,
                "members_female": women,
            }
            jobs.append(loader.create("models", body))
    await loader.all(jobs)
    loader.report("community models")


def _session(n: int) -> dict[str, Any]:
    code = CODES[n % len(CODES)]
    own = COMMUNES[code][1]
    other = "dao" if own == "hmn" else "hmn"
    languages = ["vi", own, other] if n % ALL_THREE_EVERY == 0 else ["vi", own]
    topics = ["domestic_violence", "child_marriage"] if n % 2 == 0 else ["gender_equality"]
    return {
        "id": demo_id("session", n),
        "kind": "communication",
        "held_on": f"{YEAR}-{1 + n:02d}-15",
        **_place(code),
        "model_id": demo_id("model", "communication_team", n % 6),
        "topics": topics,
        "languages": languages,
        "participants": SESSION_PEOPLE,
        "participants_female": SESSION_WOMEN,
    }


def _others() -> list[dict[str, Any]]:
    contest = {
        "id": demo_id("contest"),
        "kind": "contest",
        "held_on": f"{YEAR}-11-20",
        **_place(TOWN),
        "topics": ["domestic_violence", "gender_equality", "child_protection"],
        "languages": ["vi", "dao", "hmn"],
        "participants": 320,
        "participants_female": 214,
        "online_reach": 15_000,
    }
    posts = [
        {
            "id": demo_id("post", n),
            "kind": "social_media",
            "held_on": f"{YEAR}-{3 + 2 * n:02d}-01",
            **_place(TOWN),
            "topics": ["child_marriage", "human_trafficking"],
            "languages": ["vi", "hmn"] if n % 2 == 0 else ["vi", "dao"],
            "participants": 0,
            "participants_female": 0,
            "online_reach": 2_500 + 500 * n,
        }
        for n in range(POSTS)
    ]
    trainings = [
        {
            "id": demo_id("training", n),
            "kind": "training",
            "held_on": f"{YEAR}-{6 + 3 * n:02d}-10",
            **_place(TOWN),
            "topics": ["gender_equality", "domestic_violence", "child_protection"],
            "languages": ["vi"],
            "participants": 40,
            "participants_female": 26,
        }
        for n in range(2)
    ]
    exchange = {
        "id": demo_id("exchange"),
        "kind": "dialogue",
        "held_on": f"{YEAR}-10-15",
        **_place(TOWN),
        "model_id": demo_id("model", "livelihood_group", 0),
        "topics": ["women_economy", "human_trafficking"],
        "languages": ["vi", "hmn", "dao"],
        "participants": 75,
        "participants_female": 68,
    }
    return [contest, *posts, *trainings, exchange]


async def _activities(loader: Loader) -> None:
    bodies = [_session(n) for n in range(SESSIONS)] + _others()
    await loader.all([loader.create("activities", body) for body in bodies])
    loader.report("activities")


async def _materials(loader: Loader) -> None:
    jobs = []
    for n, (title, format_, topic) in enumerate(MATERIALS):
        versions = [
            {"language": lang, "title": f"{title} ({name}, demo)"}
            for lang, name in LANGUAGE_NAMES.items()
        ]
        body = {
            "id": demo_id("material", n),
            "topic": topic,
            "format": format_,
            **_place(TOWN),
            "published_on": f"{YEAR}-{2 + 2 * n:02d}-20",
            "versions": versions,
        }
        jobs.append(loader.create("materials", body))
    await loader.all(jobs)
    loader.report("materials")


async def _spending(loader: Loader) -> None:
    for n, (key, amount, source, purpose) in enumerate(SPENDING):
        body = {
            "id": demo_id("spending", key),
            **_place(TOWN),
            "on": f"{YEAR}-{3 + 2 * n:02d}-28",
            "amount_vnd": amount,
            "source": source,
            "purpose": purpose,
        }
        if key == "sessions":
            body["activity_id"] = demo_id("session", 0)
        await loader.create("spending", body)
        if key == REVERSED:
            correction = {"reverses": body["id"], "on": body["on"], "note": "nhập trùng (demo)"}
            await loader.create("spending", {"id": demo_id("reversal", key), **correction})
            await loader.create("spending", {**body, "id": demo_id("spending", key, "again")})
    loader.report("spending entries")


async def load(client: httpx.AsyncClient, log: Callable[[str], None]) -> None:
    loader = Loader(client, log, API, CONCURRENCY)
    await _models(loader)
    await _activities(loader)
    await _materials(loader)
    await _spending(loader)
    # The town's allocation to Project 8 (illustrative, like the rest of this demo).
    await loader.create(
        "capital-plans",
        {
            "id": demo_id("capital-plan", YEAR),
            "year": YEAR,
            "project_code": "1719.DA8",
            "area_code": TOWN,
            "geography": GEOGRAPHY,
            "capital_type": "recurrent",
            "source": "central_budget",
            "amount_vnd": 150_000_000,
            "decision_number": "215/QĐ-UBND",
            "decision_on": f"{YEAR}-02-20",
        },
    )
    loader.report("capital plans")
    answer = await loader.call("GET", "reports/overview", params={"area_code": SA_PA, "year": YEAR})
    answer.raise_for_status()
    overview = answer.json()
    models = overview["models"]
    activities = overview["activities"]
    log(
        f"Sa Pa {YEAR} (illustrative figures): "
        + ", ".join(f"{models[kind]['count']} {kind}" for kind, *_ in MODELS)
        + f"; {activities['count']} activities, {activities['participants']:,} participants "
        f"({activities['participants_female']:,} women), by language "
        + ", ".join(f"{lang} {n}" for lang, n in activities["by_language"].items())
        + f"; {overview['materials']['count']} materials; {overview['spent_vnd']:,} VND spent"
    )
    await submit_period_report(client, log, "gender", "15")
