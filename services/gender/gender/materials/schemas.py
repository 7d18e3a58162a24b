"""Material bodies and answers."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from gender.domain.vocabulary import Language, MaterialFormat, Topic
from gender.schemas import Body, Title, Url
from mtqg_shared.fields import Day
from mtqg_shared.schemas import CommuneCode, Geography, PlacedRead, RecordRead, StrictInput


class Version(StrictInput):
    language: Language
    title: Title
    text: Body | None = None
    url: Url | None = Field(default=None, description="Where the audio, video or post is.")


Versions = Annotated[
    list[Version],
    Field(min_length=1, max_length=len(Language), description="One per language."),
]


class MaterialCreate(StrictInput):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "topic": "child_marriage",
                    "format": "leaflet",
                    "commune_code": "03006",
                    "published_on": "2025-08-20",
                    "versions": [
                        {"language": "vi", "title": "Nói không với tảo hôn"},
                        {"language": "hmn", "title": "Tsis txhob yuav poj niam thaum tseem yau"},
                    ],
                }
            ]
        }
    )

    id: uuid.UUID | None = None
    topic: Topic
    format: MaterialFormat
    commune_code: CommuneCode
    geography: Geography | None = None
    published_on: Day
    versions: Versions


class MaterialUpdate(StrictInput):
    """Any of these; `versions` replaces every version; giving `commune_code` or `geography`
    moves the material."""

    topic: Topic | None = None
    format: MaterialFormat | None = None
    commune_code: CommuneCode | None = None
    geography: Geography | None = None
    published_on: Day | None = None
    versions: Versions | None = None


class VersionRead(BaseModel):
    language: Language
    title: str
    text: str | None
    url: str | None


class MaterialRead(RecordRead, PlacedRead):
    topic: Topic
    format: MaterialFormat
    geography: Geography
    published_on: dt.date
    versions: list[VersionRead]
