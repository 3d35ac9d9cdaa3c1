"""Uploaded files of a case: checked, stored, recorded, and (where a workflow waits for them) announced."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.workflow import UpdateMethodMultiParam

from api.errors import Forbidden, Invalid, ServiceError
from api.sale_schemas import DocumentRead
from api.services.cases import act, checked_idempotency_key
from contracts.case import Actor, DocumentAttached, StepResult
from core.enums import Role
from core.models import Case, Document
from core.settings import Settings
from core.storage import check_pdf, store
from core.text import clean_filename

PDF_KINDS = {"abstract", "transfer_proof", "sppd_signed", "fs3_manual", "request_letter"}
# What the applicant receives as the data: prepared by the officer, and by no other staff role.
OFFICER_UPLOADS = {"sample", "data_package"}
OFFICER_ONLY = (
    "Contoh data dan paket data hanya diunggah oleh petugas PST (peran officer) kantor ini; "
    "minta petugas yang menangani permintaan ini untuk mengunggahnya."
)


def check_upload(kind: str, data: bytes, settings: Settings) -> None:
    """PDF kinds must be PDFs; every file must be non-empty and within the size limit (Invalid otherwise)."""
    try:
        if kind in PDF_KINDS:
            check_pdf(data, settings.max_upload_bytes)
        elif not data:
            raise ValueError("Berkas kosong; pilih berkas yang berisi data.")
        elif len(data) > settings.max_upload_bytes:
            raise ValueError(f"Berkas lebih besar dari {settings.max_upload_bytes // 1_000_000} MB.")
    except ValueError as error:
        raise Invalid(str(error)) from error


async def store_upload(
    *,
    session: AsyncSession,
    temporal: Client,
    settings: Settings,
    case: Case,
    actor: Actor,
    kind: str,
    filename: str,
    data: bytes,
    allowed: set[str],
    attach: UpdateMethodMultiParam[[Any, DocumentAttached], StepResult] | None,
    idempotency_key: str | None = None,
) -> DocumentRead:
    """Store the file and its row; with ``attach`` the workflow is told, and a refusal undoes the upload. An upload
    sent again with its idempotency key stores nothing more: it answers the first document (and tells the
    workflow again under the same Update id, which acts once)."""
    if kind not in allowed:
        raise Invalid(f"Jenis dokumen '{kind}' tidak dapat diunggah oleh Anda. Pilihan: {', '.join(sorted(allowed))}.")
    if kind in OFFICER_UPLOADS and actor.role != Role.OFFICER:
        raise Forbidden(OFFICER_ONLY)
    key = checked_idempotency_key(idempotency_key)
    document = await _uploaded_before(session, case, key) if key else None
    if document is None:
        check_upload(kind, data, settings)
        document = await _store(session, settings, case, actor, kind, filename, data, key)
    if attach is not None:
        message = DocumentAttached(actor=actor, document_id=document.id, kind=document.kind)
        try:
            await act(
                session=session, temporal=temporal, case=case, update=attach, message=message, idempotency_key=key
            )
        except (WorkflowUpdateFailedError, ServiceError):  # refused, or the case is closed: nothing of it stays
            await _discard(session, settings, document)
            raise
    return DocumentRead(id=document.id, kind=document.kind, filename=document.filename, size=document.size)


async def _discard(session: AsyncSession, settings: Settings, document: Document) -> None:
    """Delete a refused upload's row, then its file unless another document holds the same (content-addressed) one."""
    await session.delete(document)
    await session.commit()
    if await session.scalar(select(Document.id).where(Document.path == document.path)) is None:
        (settings.storage_dir / document.path).unlink(missing_ok=True)


async def _uploaded_before(session: AsyncSession, case: Case, key: str) -> Document | None:
    return await session.scalar(select(Document).where(Document.case_id == case.id, Document.idempotency_key == key))


async def _store(
    session: AsyncSession,
    settings: Settings,
    case: Case,
    actor: Actor,
    kind: str,
    filename: str,
    data: bytes,
    key: str | None,
) -> Document:
    """The file on disk and its row, committed; the row another request with the same key stored first."""
    name = clean_filename(filename, f"{kind}.bin")
    stored = store(settings.storage_dir, case.id, kind, name, data)
    document = Document(
        case_id=case.id,
        kind=kind,
        filename=name,
        content_type="application/pdf" if kind in PDF_KINDS else "application/octet-stream",
        size=stored.size,
        sha256=stored.sha256,
        path=stored.path,
        created_by=actor.name,
        idempotency_key=key,
    )
    session.add(document)
    try:
        await session.commit()
    except IntegrityError:
        await session.rollback()
        first = await _uploaded_before(session, case, key) if key else None
        if first is None:
            raise
        return first
    return document
