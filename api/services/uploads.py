"""Uploaded files of a case: checked, stored, recorded, and (where a workflow waits for them) announced."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.workflow import UpdateMethodMultiParam

from api.errors import Invalid
from api.sale_schemas import DocumentRead
from api.services.cases import act
from contracts.case import Actor, DocumentAttached, StepResult
from core.models import Case, Document
from core.settings import Settings
from core.storage import check_pdf, store

PDF_KINDS = {"abstract", "transfer_proof", "sppd_signed", "fs3_manual", "request_letter"}


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
) -> DocumentRead:
    """Store the file and its row; with ``attach`` the workflow is told, and a refusal undoes the upload."""
    if kind not in allowed:
        raise Invalid(f"Jenis dokumen '{kind}' tidak dapat diunggah oleh Anda. Pilihan: {', '.join(sorted(allowed))}.")
    check_upload(kind, data, settings)
    name = filename or f"{kind}.bin"
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
    )
    session.add(document)
    await session.commit()
    if attach is not None:
        message = DocumentAttached(actor=actor, document_id=document.id, kind=kind)
        try:
            await act(
                session=session, temporal=temporal, case=case, update=attach, message=message, idempotency_key=None
            )
        except WorkflowUpdateFailedError:
            await session.delete(document)
            await session.commit()
            raise
    return DocumentRead(id=document.id, kind=document.kind, filename=document.filename, size=document.size)
