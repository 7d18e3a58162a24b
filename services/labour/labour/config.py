from __future__ import annotations

from mtqg_shared.settings import CommonSettings


class Settings(CommonSettings):
    service_name: str = "labour"
