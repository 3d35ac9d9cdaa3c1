"""Every cookie the pages set, set here: HttpOnly, SameSite=Lax, for the whole site, and ``Secure`` whenever the
public address is https (so a session never travels in clear text)."""

from __future__ import annotations

from starlette.responses import Response

from core.settings import Settings


def is_secure(settings: Settings) -> bool:
    """True when people reach the site over https (``PST_PUBLIC_BASE_URL``)."""
    return settings.public_base_url.lower().startswith("https://")


def set_cookie(response: Response, settings: Settings, name: str, value: str, *, max_age: int | None = None) -> None:
    """Set cookie ``name`` on ``response`` (a session cookie unless ``max_age`` seconds are given)."""
    response.set_cookie(
        name, value, max_age=max_age, path="/", httponly=True, samesite="lax", secure=is_secure(settings)
    )


def clear_cookie(response: Response, settings: Settings, name: str) -> None:
    """Remove cookie ``name`` in the browser (same attributes as it was set with)."""
    response.delete_cookie(name, path="/", httponly=True, samesite="lax", secure=is_secure(settings))
