"""Errors of the services and their one mapping to HTTP, Temporal's included."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from temporalio.client import WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode


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


def _detail(status: int, message: str) -> JSONResponse:
    return JSONResponse(status_code=status, content={"detail": message})


def update_failure_message(error: WorkflowUpdateFailedError) -> str:
    """The validator's or handler's message of a rejected update."""
    cause = error.cause
    if isinstance(cause, ApplicationError) and cause.message:
        return cause.message
    return str(cause) if cause else "Aksi ditolak pada tahap ini."


def install_error_handlers(app: FastAPI) -> None:
    """Map service and Temporal errors to HTTP in one place."""

    @app.exception_handler(ServiceError)
    async def _service_error(_request: Request, error: ServiceError) -> JSONResponse:
        return _detail(error.status, error.message)

    @app.exception_handler(WorkflowUpdateFailedError)
    async def _update_rejected(_request: Request, error: WorkflowUpdateFailedError) -> JSONResponse:
        return _detail(409, update_failure_message(error))

    @app.exception_handler(RPCError)
    async def _rpc_error(_request: Request, error: RPCError) -> JSONResponse:
        if error.status == RPCStatusCode.NOT_FOUND:
            return _detail(404, "Alur kerja permintaan ini tidak ditemukan di Temporal.")
        return _detail(503, f"Layanan alur kerja (Temporal) tidak tersedia: {error.message}. Coba lagi.")
