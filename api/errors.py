"""Errors of the services and their one mapping to HTTP, Temporal's included."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from temporalio.client import WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode

from core.i18n import N_
from core.i18n import gettext as _


class ServiceError(Exception):
    """A business error a person can read; ``status`` is the HTTP status it maps to."""

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(ServiceError):
    status = 404


class Forbidden(ServiceError):
    status = 403


class Conflict(ServiceError):
    status = 409


class Invalid(ServiceError):
    status = 422


class FieldInvalid(Invalid):
    """A rule refused one field of the input: on a form its message stands beside that field."""

    def __init__(self, field: str, message: str, message_en: str = "") -> None:
        super().__init__(message)
        self.field = field
        self.message_en = message_en or message


class Gone(ServiceError):
    """The thing asked for existed, but its time is over (an expired link, a closed window)."""

    status = 410


def _detail(status: int, message: str) -> JSONResponse:
    return JSONResponse(status_code=status, content={"detail": message})


UPDATE_TIMED_OUT = N_(
    "Langkah ini belum selesai diproses: layanan alur kerja sedang sibuk atau pekerjanya sedang dimulai ulang. "
    "Kirim lagi sebentar lagi dengan Idempotency-Key yang sama; langkah yang sudah tercatat tidak dijalankan dua kali."
)


WORKFLOW_NOT_FOUND = N_(
    "Permintaan ini tidak menerima aksi saat ini: prosesnya sudah ditutup atau belum dimulai. Muat ulang halaman "
    "permintaannya untuk melihat keadaannya; bila prosesnya belum dimulai, coba lagi sebentar lagi."
)


def update_failure_message(error: WorkflowUpdateFailedError) -> str:
    """The person-readable reason of a rejected update: the innermost business error (validator, handler or
    an activity's non-retryable failure)."""
    cause: BaseException | None = error.cause
    message = ""
    while cause is not None:
        if isinstance(cause, ApplicationError) and cause.message:
            message = cause.message
        cause = cause.__cause__ or getattr(cause, "cause", None)
    # A workflow writes its refusals in Indonesian, marked with N_: the visitor reads them in their language.
    return _(message) if message else _("Aksi ditolak pada tahap ini.")


_FIELD_MESSAGES = {
    "missing": N_("wajib diisi"),
    "string_too_short": N_("terlalu pendek: minimal {min_length} karakter"),
    "string_too_long": N_("terlalu panjang: maksimal {max_length} karakter"),
    "too_short": "minimal {min_length} item",
    "too_long": "maksimal {max_length} item",
    "string_pattern_mismatch": N_("formatnya tidak sesuai ({pattern})"),
    "enum": N_("harus salah satu dari {expected}"),
    "literal_error": N_("harus salah satu dari {expected}"),
    "json_invalid": N_("JSON tidak valid"),
    "int_parsing": N_("harus berupa bilangan bulat"),
    "greater_than_equal": "minimal {ge}",
    "greater_than": N_("harus lebih dari {gt}"),
    "less_than_equal": "maksimal {le}",
    "less_than": N_("harus kurang dari {lt}"),
    "bool_parsing": N_("harus true atau false"),
}


def _field_message(error: dict[str, Any]) -> str:
    kind = str(error.get("type", ""))
    if kind == "value_error":
        return str(error.get("msg", "")).removeprefix("Value error, ")
    template = _FIELD_MESSAGES.get(kind)
    if template is None:
        return str(error.get("msg", ""))
    try:
        return _(template).format(**error.get("ctx", {}))
    except KeyError:
        return str(error.get("msg", ""))


def validation_errors(errors: Sequence[Any]) -> list[dict[str, str]]:
    """Each invalid field with a message in Indonesian (first) and the validator's English text."""
    described = []
    for error in errors:
        location = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path")]
        described.append(
            {"field": ".".join(location) or "body", "message": _field_message(error), "message_en": str(error["msg"])}
        )
    return described


def validation_summary(errors: Sequence[Any]) -> str:
    """One line naming each invalid field and what is wrong with it, in Indonesian."""
    return "; ".join(f"{item['field']}: {item['message']}" for item in validation_errors(errors))


PageRenderer = Callable[[Request, int, str], Response]
WantsPage = Callable[[Request], bool]
UNEXPECTED = N_(
    "Terjadi kesalahan yang tidak terduga di sistem kami; tidak ada data yang hilang. Coba lagi sebentar lagi."
)
log = logging.getLogger("pst.api")


def install_error_handlers(
    app: FastAPI, *, page: PageRenderer | None = None, wants_page: WantsPage = lambda _request: False
) -> None:
    """Map service, validation and Temporal errors to HTTP in one place: JSON for the API, and for a person's
    browser (``wants_page``) the page ``page`` renders."""

    def answer(request: Request, status: int, message: str, headers: dict[str, str] | None = None) -> Response:
        response = page(request, status, message) if page is not None and wants_page(request) else None
        if response is None:
            response = _detail(status, message)
        response.headers.update(headers or {})
        return response

    @app.exception_handler(RequestValidationError)
    async def _invalid_request(request: Request, error: RequestValidationError) -> Response:
        errors = validation_errors(error.errors())
        summary = validation_summary(error.errors())
        if page is not None and wants_page(request):
            return page(request, 422, summary)
        return JSONResponse(
            status_code=422,
            content={
                "detail": _("Data tidak valid, perbaiki lalu kirim lagi. %(summary)s") % {"summary": summary},
                "errors": errors,
            },
        )

    @app.exception_handler(ServiceError)
    async def _service_error(request: Request, error: ServiceError) -> Response:
        if isinstance(error, FieldInvalid) and not (page is not None and wants_page(request)):
            errors = [{"field": error.field, "message": error.message, "message_en": error.message_en}]
            return JSONResponse(status_code=error.status, content={"detail": error.message, "errors": errors})
        return answer(
            request, error.status, error.message, {"WWW-Authenticate": "Bearer"} if error.status == 401 else None
        )

    @app.exception_handler(WorkflowUpdateFailedError)
    async def _update_rejected(request: Request, error: WorkflowUpdateFailedError) -> Response:
        return answer(request, 409, update_failure_message(error))

    @app.exception_handler(WorkflowUpdateRPCTimeoutOrCancelledError)
    async def _update_timed_out(request: Request, _error: WorkflowUpdateRPCTimeoutOrCancelledError) -> Response:
        return answer(request, 503, _(UPDATE_TIMED_OUT), {"Retry-After": "5"})

    @app.exception_handler(RPCError)
    async def _rpc_error(request: Request, error: RPCError) -> Response:
        if error.status == RPCStatusCode.NOT_FOUND:  # its workflow ended or has not started: no RPC words for people
            return answer(request, 409, _(WORKFLOW_NOT_FOUND))
        return answer(
            request,
            503,
            _("Layanan alur kerja (Temporal) tidak tersedia: %(message)s. Coba lagi.") % {"message": error.message},
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, error: StarletteHTTPException) -> Response:
        message = "" if error.status_code in (404, 405) else str(error.detail)
        if page is not None and wants_page(request):
            return page(request, error.status_code, message)
        return JSONResponse({"detail": error.detail}, status_code=error.status_code, headers=error.headers)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=error)
        return answer(request, 500, _(UNEXPECTED))
