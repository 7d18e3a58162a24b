from __future__ import annotations

from mtqg_shared.settings import CommonSettings


class Settings(CommonSettings):
    """The digital service's settings: the common ones."""

    service_name: str = "digital"
