"""The sale service: submit, upload, every person's step (through the workflow's validated Updates),
the SIMPONI payment notice, and the delivery (downloads: ``api.services.downloads``)."""

from __future__ import annotations

import hmac
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import Client

from api.errors import FieldInvalid, Forbidden, Gone, Invalid, NotFound
from api.sale_schemas import ActionRead, DocumentRead
from api.schemas import SaleCreate, SaleItemIn, SubmittedRead
from api.services.actions import actor_of
from api.services.cases import (
    act,
    allocate_case_id,
    checked_idempotency_key,
    get_office,
    release_connection,
    resent,
    start_case_workflow,
    started_once,
)
from api.services.downloads import with_newest_link
from api.services.institutions import institution_id_for
from api.services.uploads import store_upload
from contracts.case import Actor
from contracts.payments import PaymentNotice
from contracts.sale import DOCUMENT_STEPS, Delivery, SaleInput
from core.case_details import RequestedItem, SaleDetails, sale_details
from core.catalogue import CatalogueRefused, estimate, office_catalogue, resolve_items
from core.enums import ActorKind, CaseStatus, Channel, Role, SaleStep, Service
from core.i18n import gettext as _
from core.models import Applicant, Case, Document, Payment, StaffAccount, utcnow
from core.pricing import Priced
from core.settings import Settings
from workflows.sale import SaleWorkflow

log = logging.getLogger(__name__)

APPLICANT_UPLOADS = set(DOCUMENT_STEPS)
STAFF_UPLOADS = {"sample", "data_package", "abstract", "request_letter"}

Message = TypeVar("Message")


def sale_input(case: Case, settings: Settings) -> SaleInput:
    """The workflow input of a stored sale."""
    details = sale_details(case)
    kinds, abroad = details.kinds(), details.abroad
    return SaleInput(
        case_id=case.id,
        office_code=case.office_code,
        channel=case.channel,
        segment=case.segment,
        abroad=abroad,
        kinds=kinds,
        support_days=settings.support_window_days,
    )


async def start_sale_workflow(*, session: AsyncSession, temporal: Client, settings: Settings, case: Case) -> bool:
    """Start the workflow of a stored sale and mark it started (False: Temporal unreachable, it starts later)."""
    return await start_case_workflow(
        session=session,
        temporal=temporal,
        settings=settings,
        case=case,
        run=SaleWorkflow.run,
        argument=sale_input(case, settings),
        summary=f"Penjualan data mikro/peta {case.id} · kantor {case.office_code} · {case.channel}",
        details=f"Permintaan penjualan data mikro, peta digital wilkerstat atau publikasi di kantor BPS "
        f"{case.office_code}, kanal {case.channel}. Data pemohon ada di basis data PST Flow, bukan di Temporal.",
    )


async def submit_sale(
    *,
    session: AsyncSession,
    temporal: Client,
    settings: Settings,
    request: SaleCreate,
    staff: StaffAccount | None,
    applicant: Applicant | None,
    idempotency_key: str | None = None,
) -> SubmittedRead:
    """Store the request, then start its workflow; if Temporal is down it starts later (recovery), never lost. Sent
    again with its idempotency key, it answers the first request and stores nothing more."""
    key = checked_idempotency_key(idempotency_key)
    office = await get_office(session=session, office_code=request.office_code)
    if request.channel == Channel.WALK_IN:
        if staff is None or staff.role != Role.OFFICER or staff.office_code != office.code:
            raise Forbidden("Permintaan datang langsung (walk-in) dicatat oleh petugas PST kantor tersebut.")
        if request.applicant is None:
            raise Invalid("Isi data pemohon yang datang ke meja PST (nama, email, segmen).")
        if any(item.variables for item in request.items):
            raise Invalid(
                "Layanan datang langsung hanya untuk data mikro lengkap (fullset); kosongkan pilihan variabel "
                "atau ajukan secara online."
            )
        who = request.applicant
        name, email, institution, segment, npwp, abroad = (
            who.name,
            str(who.email).lower(),
            who.institution,
            str(who.segment),
            who.npwp,
            False,
        )
    else:
        if applicant is None:
            raise Forbidden("Masuk dengan akun pemohon yang emailnya sudah terverifikasi untuk mengajukan online.")
        name, email, institution, segment, npwp, abroad = (
            applicant.name,
            applicant.email,
            applicant.institution,
            applicant.segment,
            applicant.npwp,
            applicant.abroad,
        )
    items = await requested_items(session=session, office_code=office.code, items=request.items)
    now = utcnow()
    case_id = await allocate_case_id(session=session, office=office, service=Service.SALE, now=now)
    owner = applicant.id if applicant else None
    if key and (
        earlier := await resent(
            session=session, office_code=office.code, service=Service.SALE, key=key, now=now, applicant_id=owner
        )
    ):
        return await started_once(
            session=session, temporal=temporal, settings=settings, case=earlier, start=start_sale_workflow
        )
    case = Case(
        id=case_id,
        service=Service.SALE,
        office_code=office.code,
        channel=request.channel,
        applicant_id=applicant.id if applicant else None,
        applicant_name=name,
        applicant_email=email,
        applicant_institution=institution,
        institution_id=await institution_id_for(
            session, applicant=applicant, name=institution, segment=segment, npwp=npwp
        ),
        segment=segment,
        details=SaleDetails(
            items=items,
            abstract=request.abstract,
            npwp=npwp,
            abroad=abroad,
            recorded_by=staff.email if staff else "",
            idempotency_key=key or "",
        ).model_dump(mode="json"),
        step=SaleStep.SUBMITTED,
        status=CaseStatus.OPEN,
        assignee_role=Role.OFFICER,
        created_at=now,
        updated_at=now,
    )
    session.add(case)
    await session.commit()
    return await started_once(
        session=session, temporal=temporal, settings=settings, case=case, start=start_sale_workflow
    )


# ---------------------------------------------------------------- the items asked


async def requested_items(
    *, session: AsyncSession, office_code: str, items: Sequence[SaleItemIn]
) -> list[RequestedItem]:
    """The items asked, each checked against the office's catalogue (a row of another office's, or a variable the
    dataset does not have, is a 422 on that item's field)."""
    catalogue = await office_catalogue(session, office_code)
    try:
        return resolve_items(catalogue, items)
    except CatalogueRefused as refused:
        raise FieldInvalid(refused.field, refused.message, refused.message_en) from refused


async def price_estimate(
    *, session: AsyncSession, office_code: str, items: Sequence[SaleItemIn]
) -> tuple[list[RequestedItem], list[Priced]]:
    """The items asked and their price as the invoice will compute it with today's tariffs, before submitting."""
    resolved = await requested_items(session=session, office_code=office_code, items=items)
    try:
        return resolved, await estimate(session, resolved)
    except ValueError as refused:  # a tariff made inactive: the office cannot invoice the item now
        log.warning("no estimate for a request to %s: %s", office_code, refused, extra={"case_id": "-"})
        raise Invalid(
            _("Biaya item ini belum dapat dihitung: tarifnya sedang tidak berlaku. Hubungi kantor BPS yang dipilih.")
        ) from refused


# ---------------------------------------------------------------- who acts


async def sale_case(*, session: AsyncSession, case_id: str) -> Case:
    """The stored sale ``case_id``, or NotFound."""
    case = await session.get(Case, case_id)
    if case is None or case.service != Service.SALE:
        raise NotFound(f"Permintaan penjualan {case_id} tidak ditemukan.")
    return case


def either_actor(case: Case, staff: StaffAccount | None, applicant: Applicant | None) -> Actor:
    """Whoever signed in: staff of the office, or the case's applicant."""
    principal = staff or applicant
    if principal is None:
        raise Forbidden("Masuk sebagai staf kantor ini atau sebagai pemohon permintaan ini.")
    return actor_of(principal, case)


# ---------------------------------------------------------------- uploads


async def upload_document(
    *,
    session: AsyncSession,
    temporal: Client,
    settings: Settings,
    case: Case,
    actor: Actor,
    kind: str,
    filename: str,
    data: bytes,
    idempotency_key: str | None = None,
) -> DocumentRead:
    """Store an uploaded file of the case, once per idempotency key; the applicant's uploads also reach the
    workflow (or are undone)."""
    allowed = APPLICANT_UPLOADS if actor.role == ActorKind.APPLICANT else STAFF_UPLOADS
    return await store_upload(
        session=session,
        temporal=temporal,
        settings=settings,
        case=case,
        actor=actor,
        kind=kind,
        filename=filename,
        data=data,
        allowed=allowed,
        attach=SaleWorkflow.attach_document if kind in APPLICANT_UPLOADS else None,
        idempotency_key=idempotency_key,
    )


async def document_of(*, session: AsyncSession, case: Case, document_id: int, kinds: set[str]) -> Document:
    """A stored document of this case and of one of ``kinds``, or a 422 saying what to attach."""
    document = await session.get(Document, document_id)
    if document is None or document.case_id != case.id or document.kind not in kinds:
        raise Invalid(f"Dokumen #{document_id} bukan {' atau '.join(sorted(kinds))} milik permintaan {case.id}.")
    return document


def document_path(settings: Settings, document: Document) -> Path:
    """Where a stored document lies."""
    return settings.storage_dir / document.path


# ---------------------------------------------------------------- SIMPONI and delivery


async def payment_notice(
    *, session: AsyncSession, temporal: Client, settings: Settings, secret: str, notice: PaymentNotice
) -> str:
    """SIMPONI's payment notice: authenticated by the shared secret, matched to its case by billing code."""
    expected = settings.simponi_webhook_secret.get_secret_value()
    if not hmac.compare_digest(secret.encode(), expected.encode()):
        raise Forbidden("Rahasia webhook SIMPONI salah; pemberitahuan ditolak.")
    payment = await session.scalar(select(Payment).where(Payment.billing_code == notice.billing_code))
    if payment is None:
        raise NotFound(f"Kode billing {notice.billing_code} tidak dikenal.")
    if payment.status == "void":
        raise Gone(f"Kode billing {notice.billing_code} sudah tidak berlaku; kode baru telah diterbitkan.")
    await release_connection(session=session)
    handle = temporal.get_workflow_handle_for(SaleWorkflow.run, payment.case_id)
    await handle.signal(SaleWorkflow.payment_notice, notice)
    return payment.case_id


async def deliver(
    *, session: AsyncSession, temporal: Client, case: Case, message: Delivery, idempotency_key: str | None
) -> ActionRead:
    """The officer delivers the data package; the answer carries the new link's token."""
    action = await act(
        session=session,
        temporal=temporal,
        case=case,
        update=SaleWorkflow.deliver,
        message=message,
        idempotency_key=idempotency_key,
    )
    return await with_newest_link(session=session, action=action)
