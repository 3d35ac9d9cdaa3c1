"""The error answers of the JSON API as the OpenAPI document shows them: the shapes ``api.errors`` sends.

Routers take their ``responses=`` from :func:`errors`; :func:`install_openapi` puts the app's own 422 shape in place
of FastAPI's default ``HTTPValidationError`` (``detail`` as a list), which the app never sends, and gives every error a
route lists with a description only (``{409: {"description": ...}}``) the body the app sends.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel, Field
from pydantic.json_schema import models_json_schema

from api.schemas import SubmittedRead

REF = "#/components/schemas/"


class ErrorRead(BaseModel):
    """An error answer: one sentence a person can read, in Indonesian."""

    detail: str = Field(description="What went wrong and what to do now")


class FieldErrorRead(BaseModel):
    """One invalid field of a request."""

    field: str = Field(description="Dotted path of the field (`items.0.name`), or `body` for the request as a whole")
    message: str = Field(description="What is wrong with it, in Indonesian")
    message_en: str = Field(description="The same in English")


class ValidationErrorRead(BaseModel):
    """A request that breaks the rules of its fields; nothing was recorded."""

    detail: str = Field(description="One line naming each invalid field and what is wrong with it")
    errors: list[FieldErrorRead] = Field(
        default_factory=list,
        description="Each invalid field; absent when a rule of the service refuses the request as a whole",
    )


_BEARER = {
    "WWW-Authenticate": {"description": "`Bearer`: sign in at POST /api/v1/auth/token", "schema": {"type": "string"}}
}
_RETRY = {
    "Retry-After": {"description": "Seconds to wait before sending again, when known", "schema": {"type": "integer"}}
}
_DEFAULTS: dict[int, tuple[str, dict[str, Any]]] = {
    400: ("The request body could not be read (a broken form or upload)", {}),
    401: ("No bearer token where one is needed, or an expired, revoked or wrong one", _BEARER),
    403: ("Signed in, but this is not yours to see or do (another office's case, another role)", {}),
    404: ("No such case, document or record", {}),
    409: ("Not allowed in the case's current step, or by your role; the reason is in detail", {}),
    410: ("Its time is over (an expired link or window)", {}),
    422: ("A field or rule is broken; nothing was recorded", {}),
    429: ("Too many failed sign-ins; wait and try again", _RETRY),
    503: ("Temporal or another part is unreachable for now: send again, with the same Idempotency-Key", _RETRY),
}


def errors(*statuses: int, said: dict[int, str] | None = None) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a router or route: each status with its real body (``ErrorRead``, or
    ``ValidationErrorRead`` for 422; :func:`install_openapi` adds the headers); ``said`` (``{409: "..."}``) words a
    status for that route."""
    said = said or {}
    return {
        status: {
            "model": ValidationErrorRead if status == 422 else ErrorRead,
            "description": said.get(status, _DEFAULTS[status][0]),
        }
        for status in sorted({*statuses, *said})
    }


# A route that reads a bearer token (even an optional one) answers 401 to a bad one; one that reaches Temporal
# answers 503 while it is down.
SIGNED_IN = errors(401, 403)
CASE = errors(401, 403, 404, 409, 503)


# A submission Temporal could not take yet is stored and answered 202; the recovery loop starts it.
STORED_FOR_LATER: dict[int | str, dict[str, Any]] = {
    202: {"model": SubmittedRead, "description": "Stored while Temporal is unreachable; it starts shortly by itself"}
}


def file_body(media_type: str = "*/*", description: str = "The file") -> dict[int | str, dict[str, Any]]:
    """``responses=`` of a route that answers a file (with ``response_class=FileResponse``): its media type."""
    return {
        200: {"description": description, "content": {media_type: {"schema": {"type": "string", "format": "binary"}}}}
    }


def _with_body(status: int, answer: dict[str, Any]) -> None:
    """A documented error answer gets the body ``api.errors`` sends and its headers, unless its route documents a
    body of its own (``/healthz``)."""
    body = {"application/json": {"schema": {"$ref": REF + ("ValidationErrorRead" if status == 422 else "ErrorRead")}}}
    if answer.setdefault("content", body) != body:
        return
    headers = _DEFAULTS.get(status, ("", {}))[1]
    if headers:
        answer["headers"] = {**headers, **answer.get("headers", {})}


def _with_app_errors(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` with the app's 422 body wherever FastAPI put its default one (without the default's schemas),
    a 400 on every operation with a body (one that is not UTF-8 cannot be read), and the app's error body on every
    error a route lists without one."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    _, defined = models_json_schema(
        [(ErrorRead, "serialization"), (ValidationErrorRead, "serialization")], ref_template=REF + "{model}"
    )
    for name, schema in defined.get("$defs", {}).items():
        schemas.setdefault(name, schema)
    default_body = {"$ref": REF + "HTTPValidationError"}
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            if "requestBody" in operation:
                responses.setdefault("400", {"description": _DEFAULTS[400][0]})
            if responses.get("422", {}).get("content", {}).get("application/json", {}).get("schema") == default_body:
                responses["422"] = {"description": _DEFAULTS[422][0]}
            for status, answer in responses.items():
                if status.isdigit() and int(status) >= 400:
                    _with_body(int(status), answer)
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    return document


def install_openapi(app: FastAPI) -> None:
    """Make ``app.openapi()`` (``/openapi.json``, ``/docs``) show the error bodies the app really sends."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = _with_app_errors(
                get_openapi(
                    title=app.title,
                    version=app.version,
                    openapi_version=app.openapi_version,
                    description=app.description,
                    routes=app.routes,
                    tags=app.openapi_tags,
                    servers=app.servers,
                )
            )
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
