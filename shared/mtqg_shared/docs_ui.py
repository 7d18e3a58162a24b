"""Swagger UI at `/docs` and ReDoc at `/redoc`, served whole by the process itself.

A machine without internet (a commune office, a closed network) must still read and try the
API, so the pages name no other host: their scripts, style and icon are the files of the pinned
`fastapi-offline` package (Swagger UI and ReDoc as their projects publish them, under the
Apache-2.0 and MIT licences), served under `/docs/assets/<digest>/<file>`. The digest of the
files is in the path, so a browser keeps them for a year without asking again and a new version
of the package is a new address. What would call other hosts is off: ReDoc's web fonts,
Swagger UI's online validator badge, and the Redocly logo that ReDoc's menu loads from a CDN
(no option turns it off: its address is blanked as the file is read, and ReDoc then hides the
image).

Every process (the gateway with the merged document, each service with its own) mounts the same
`docs_router`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

from fastapi import APIRouter
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse, Response

from mtqg_shared.errors import not_found

ASSETS_PATH = "/docs/assets"
# The files the two pages load, with their media types.
_MEDIA_TYPES = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
    "redoc.standalone.js": "text/javascript; charset=utf-8",
    "favicon.png": "image/png",
}
# Content-addressed: the same address always holds the same bytes.
ASSET_CACHE = "public, max-age=31536000, immutable"
# The pages name the assets' current digest: asked again every time.
PAGE_CACHE = "no-cache"
# (file, what it holds, what is served instead)
_OFFLINE = (("redoc.standalone.js", b'src:"https://cdn.redoc.ly/redoc/logo-mini.svg"', b'src:""'),)
SWAGGER_UI_PARAMETERS: dict[str, Any] = {
    "validatorUrl": None,  # its badge is an image from validator.swagger.io
    "displayRequestDuration": True,
}


@dataclass(frozen=True, slots=True)
class Assets:
    digest: str
    contents: dict[str, bytes]

    def url(self, name: str) -> str:
        return f"{ASSETS_PATH}/{self.digest}/{name}"


@cache
def assets() -> Assets:
    """The packaged files, read once (about 2.8 MB) the first time a page is asked for."""
    folder = files("fastapi_offline").joinpath("static")
    contents = {name: folder.joinpath(name).read_bytes() for name in _MEDIA_TYPES}
    for name, given, served in _OFFLINE:
        contents[name] = contents[name].replace(given, served)
    digest = hashlib.sha256()
    for name, body in contents.items():
        digest.update(name.encode() + b"\0" + hashlib.sha256(body).digest())
    return Assets(digest.hexdigest()[:16], contents)


def _page(html: HTMLResponse) -> HTMLResponse:
    html.headers["Cache-Control"] = PAGE_CACHE
    return html


def docs_router(*, title: str, openapi_url: str = "/openapi.json") -> APIRouter:
    """`/docs`, `/redoc` and their assets, for the document at `openapi_url`."""
    router = APIRouter(include_in_schema=False)

    @router.get("/docs")
    async def swagger_ui() -> HTMLResponse:
        found = assets()
        return _page(
            get_swagger_ui_html(
                openapi_url=openapi_url,
                title=f"{title} - Swagger UI",
                swagger_js_url=found.url("swagger-ui-bundle.js"),
                swagger_css_url=found.url("swagger-ui.css"),
                swagger_favicon_url=found.url("favicon.png"),
                swagger_ui_parameters=SWAGGER_UI_PARAMETERS,
            )
        )

    @router.get("/redoc")
    async def redoc() -> HTMLResponse:
        found = assets()
        return _page(
            get_redoc_html(
                openapi_url=openapi_url,
                title=f"{title} - ReDoc",
                redoc_js_url=found.url("redoc.standalone.js"),
                redoc_favicon_url=found.url("favicon.png"),
                with_google_fonts=False,
            )
        )

    @router.get(ASSETS_PATH + "/{digest}/{name}")
    async def asset(digest: str, name: str) -> Response:
        found = assets()
        body = found.contents.get(name)
        if digest != found.digest or body is None:
            raise not_found()  # as any unknown path
        return Response(body, media_type=_MEDIA_TYPES[name], headers={"Cache-Control": ASSET_CACHE})

    return router
