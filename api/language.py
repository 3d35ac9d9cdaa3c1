"""The visitor's language for the whole request: Bahasa Indonesia unless they chose English (the ``lang`` cookie
set by ``/lang/en``). Every page, form error, label and API error message of the request is written in it."""

from __future__ import annotations

from http.cookies import SimpleCookie

from starlette.applications import Starlette
from starlette.types import ASGIApp, Receive, Scope, Send

from core.i18n import INDONESIAN, language_of, using_language

LANG_COOKIE = "lang"


def requested_language(cookie_header: str) -> str:
    """The language a ``Cookie`` header asks for (``id`` when it asks for none or for one we do not have)."""
    cookies: SimpleCookie = SimpleCookie()
    try:
        cookies.load(cookie_header)
    except Exception:  # a malformed cookie header is a visitor who chose nothing
        return INDONESIAN
    chosen = cookies.get(LANG_COOKIE)
    return language_of(chosen.value if chosen is not None else None)


class RequestLanguage:
    """ASGI middleware: runs each HTTP request in the language its visitor chose."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cookie = next((value.decode("latin-1") for name, value in scope["headers"] if name == b"cookie"), "")
        with using_language(requested_language(cookie)):
            await self.app(scope, receive, send)


def install_request_language(app: Starlette) -> None:
    """Every request of ``app`` is answered in its visitor's language."""
    app.add_middleware(RequestLanguage)
