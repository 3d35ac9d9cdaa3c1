"""The sale's actions: one service function each, sending the sale workflow's Update; and their catalogue."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import WorkflowUpdateFailedError

from api.errors import FieldInvalid, Invalid
from api.sale_schemas import (
    ActionRead,
    CompletenessIn,
    CorrectionIn,
    DecisionIn,
    DeliveryIn,
    FollowUpIn,
    NewLinkIn,
    NoInput,
    OfferIn,
    PaymentIn,
    RatingIn,
    SampleReviewIn,
    SppdIn,
)
from api.schemas import AbstractReviewIn
from api.services import downloads, institutions, sales
from api.services.actions import ActionCall, CaseAction, Consequence
from contracts.case import CompletenessCheck
from contracts.documents import PriceLine
from contracts.sale import (
    SALE_RULES,
    AbstractReview,
    CorrectedDelivery,
    Delivery,
    FollowUpRecord,
    NewLinkRequest,
    Offer,
    PaymentRecord,
    ReceiptIssue,
    SampleReview,
    SignedSppdReview,
    SppdReceived,
    TransferReview,
)
from contracts.sale import RatingIn as Rating
from contracts.sale_items import RevisedItem
from core.case_details import sale_details
from core.enums import Channel, Decision, Segment, Service
from core.formatting import rupiah
from core.i18n import N_
from core.i18n import gettext as _
from core.models import Case, Document, Institution
from core.pricing import Priced, TotalTooHigh, price_lines
from workflows.sale import SaleWorkflow


async def check_completeness(*, call: ActionCall) -> ActionRead:
    """The officer: the request is clear and complete (the clock starts), or what is missing."""
    body: CompletenessIn = call.body
    return await call.send(SaleWorkflow.check_completeness, CompletenessCheck(call.actor, body.complete, body.missing))


async def review_abstract(*, call: ActionCall) -> ActionRead:
    """The officer: the usage abstract fits the data asked, or not (with the reason sent to the applicant)."""
    body: AbstractReviewIn = call.body
    message = AbstractReview(decision=body.decision, actor=call.actor, reason=body.reason.strip())
    return await call.send(SaleWorkflow.review_abstract, message)


async def make_offer(*, call: ActionCall) -> ActionRead:
    """The officer: the priced items, the sample of the case and whether it is Rp0 (for the institution confirmed,
    on its request letter; the institution travels as its id)."""
    body: OfferIn = call.body
    if body.sample_document_id is not None:
        await sales.document_of(
            session=call.session, case=call.case, document_id=body.sample_document_id, kinds={"sample"}
        )
    zero = await institutions.check_zero_rupiah(session=call.session, case=call.case, body=body)
    await _priced_offer(call.session, body)  # a total no payment can hold is refused beside its line, not sent
    lines = [PriceLine(item=line.item, tariff_code=line.tariff_code, quantity=line.quantity) for line in body.lines]
    message = Offer(
        call.actor,
        lines,
        body.sample_document_id,
        body.zero_rupiah,
        institution_id=zero.institution_id if zero else None,
        request_letter_id=zero.request_letter_id if zero else None,
    )
    try:
        return await call.send(SaleWorkflow.make_offer, message)
    except WorkflowUpdateFailedError:
        # A Rp0 offer that lost a race to another case's offer: the earlier grant is named beside the field.
        await institutions.check_zero_rupiah(session=call.session, case=call.case, body=body)
        raise


async def record_payment(*, call: ActionCall) -> ActionRead:
    """The treasurer: paid in cash, or by SIMPONI with its NTPN."""
    body: PaymentIn = call.body
    return await call.send(SaleWorkflow.record_payment, PaymentRecord(call.actor, body.method, body.ntpn))


async def review_transfer(*, call: ActionCall) -> ActionRead:
    """The treasurer: the transfer proof of an applicant abroad is accepted, or rejected with why."""
    body: DecisionIn = call.body
    return await call.send(SaleWorkflow.review_transfer, TransferReview(call.actor, body.accept, body.reason))


async def record_sppd(*, call: ActionCall) -> ActionRead:
    """The officer: the signed SPPD originals arrived by post (date and tracking number), or signed at the desk."""
    body: SppdIn = call.body
    received_on = body.received_on.isoformat() if body.received_on else ""
    message = SppdReceived(call.actor, body.method, received_on, body.tracking_number)
    return await call.send(SaleWorkflow.record_sppd, message)


async def review_signed_sppd(*, call: ActionCall) -> ActionRead:
    """The officer: the uploaded e-meterai SPPD is accepted, or rejected with why."""
    body: DecisionIn = call.body
    return await call.send(SaleWorkflow.review_signed_sppd, SignedSppdReview(call.actor, body.accept, body.reason))


async def issue_receipt(*, call: ActionCall) -> ActionRead:
    """The treasurer: the numbered receipt (kuitansi) is issued."""
    return await call.send(SaleWorkflow.issue_receipt, ReceiptIssue(call.actor))


async def deliver(*, call: ActionCall) -> ActionRead:
    """The officer: the stored data package goes out; the answer carries the new link's token."""
    body: DeliveryIn = call.body
    await sales.document_of(session=call.session, case=call.case, document_id=body.document_id, kinds={"data_package"})
    return await sales.deliver(
        session=call.session,
        temporal=call.temporal,
        case=call.case,
        message=Delivery(call.actor, body.document_id),
        idempotency_key=call.idempotency_key,
    )


async def record_follow_up(*, call: ActionCall) -> ActionRead:
    """The officer: what was done about a rating that needed follow-up."""
    body: FollowUpIn = call.body
    return await call.send(SaleWorkflow.record_follow_up, FollowUpRecord(call.actor, body.note))


async def deliver_correction(*, call: ActionCall) -> ActionRead:
    """The officer, within the support window: a corrected data package replaces the delivered one, with what was
    corrected; the answer carries the new link's token (a walk-in guest's reprinted receipt is in the documents)."""
    body: CorrectionIn = call.body
    await downloads.ensure_correction_window(session=call.session, settings=call.settings, case=call.case)
    await sales.document_of(session=call.session, case=call.case, document_id=body.document_id, kinds={"data_package"})
    action = await call.send(
        SaleWorkflow.deliver_correction, CorrectedDelivery(call.actor, body.document_id, body.reason)
    )
    return await downloads.with_newest_link(session=call.session, action=action)


async def confirm_correction(*, session: AsyncSession, case: Case, body: CorrectionIn) -> Consequence:
    """What a corrected delivery does, before it goes out: the earlier package's links stop, the applicant is told."""
    package = await sales.document_of(session=session, case=case, document_id=body.document_id, kinds={"data_package"})
    if case.applicant_id is None:
        told = _(
            "Tamu tanpa akun: kuitansi dengan kode unduhan baru dibuat di bagian Dokumen; cetak dan serahkan kepada "
            "tamu bersama data perbaikan. Kode pada kuitansi lama tidak berlaku lagi."
        )
    else:
        told = _("Pemohon menerima surel berisi keterangan di atas dan tautan unduhan baru.")
    return Consequence(
        consequence=_(
            "Paket data perbaikan menggantikan paket yang sudah dikirim: tautan unduhan lama tidak dapat dipakai lagi. "
            "%(told)s Pengiriman ini tidak dapat dibatalkan."
        )
        % {"told": told},
        button=_("Ya, kirim data perbaikan"),
        answers=[(_("Paket data perbaikan"), package.filename), (_("Yang diperbaiki"), body.reason)],
    )


async def review_sample(*, call: ActionCall) -> ActionRead:
    """The applicant: the sample fits, or the one revision of the request."""
    body: SampleReviewIn = call.body
    items: list[RevisedItem] = []
    if body.items and not body.accept:
        asked = await sales.requested_items(session=call.session, office_code=call.case.office_code, items=body.items)
        items = [RevisedItem(**item.model_dump()) for item in asked]
    return await call.send(SaleWorkflow.review_sample, SampleReview(call.actor, body.accept, body.revision, items))


async def request_new_link(*, call: ActionCall) -> ActionRead:
    """The applicant, within the support window, quoting the receipt: a new download link."""
    body: NewLinkIn = call.body
    return await downloads.request_new_link(
        session=call.session,
        temporal=call.temporal,
        settings=call.settings,
        case=call.case,
        message=NewLinkRequest(call.actor, body.receipt_number),
        idempotency_key=call.idempotency_key,
    )


async def rate(*, call: ActionCall) -> ActionRead:
    """The applicant: the satisfaction survey (nine elements, 1 to 4) and feedback."""
    body: RatingIn = call.body
    return await call.send(SaleWorkflow.rate, Rating(call.actor, body.scores, body.feedback, body.follow_up))


async def confirm_abstract(*, session: AsyncSession, case: Case, body: AbstractReviewIn) -> Consequence | None:
    """A rejected abstract ends the sale (online: cancelled; walk-in: referred to consultation)."""
    if body.decision == Decision.APPROVE:
        return None
    walk_in = case.channel == Channel.WALK_IN
    ends = (
        _("Pemohon dialihkan ke layanan konsultasi statistik dan transaksi ini selesai.")
        if walk_in
        else _("Transaksi dibatalkan dan pemohon menerima surel berisi alasan di atas.")
    )
    return Consequence(
        consequence=_("%(ends)s Keputusan ini tidak dapat dibatalkan.") % {"ends": ends},
        button=_("Ya, alihkan ke konsultasi") if walk_in else _("Ya, batalkan transaksi"),
        answers=[(_("Keputusan"), _("Abstraksi tidak sesuai")), (_("Alasan"), body.reason)],
    )


async def _priced_offer(session: AsyncSession, body: OfferIn) -> list[Priced]:
    """The offer's lines priced as the invoice will be; a total over the limit is a 422 beside its dearest line's
    quantity, another refusal (an unknown tariff) a 422."""
    try:
        return await price_lines(session, body.lines, zero_rupiah=body.zero_rupiah)
    except TotalTooHigh as refused:
        raise FieldInvalid(refused.field, refused.message, refused.message_en) from refused
    except ValueError as refused:
        raise Invalid(str(refused)) from refused


async def confirm_offer(*, session: AsyncSession, case: Case, body: OfferIn) -> Consequence:
    """The offer priced as the invoice will be, with its total, before it goes to the applicant; a Rp0 offer the rule
    refuses is refused here, beside its field, before anything is confirmed."""
    zero = await institutions.check_zero_rupiah(session=session, case=case, body=body)
    priced = await _priced_offer(session, body)
    sample = _(" dan contoh data") if body.sample_document_id is not None else ""
    billing = "" if _abroad(case) or body.zero_rupiah else _(" Kode billing SIMPONI diterbitkan untuk pembayaran.")
    answers = [
        (line.item, f"{line.tariff_name}; {line.quantity} {line.unit}; {rupiah(line.amount)}") for line in priced
    ]
    return Consequence(
        consequence=_(
            "Invoice, draf SPPD%(sample)s dikirim ke pemohon.%(billing)s Penawaran yang terkirim tidak dapat "
            "ditarik; perubahan hanya melalui revisi yang diminta pemohon."
        )
        % {"sample": sample, "billing": billing},
        button=_("Ya, kirim penawaran"),
        answers=answers + (await _zero_rupiah_answers(session, zero)),
        total=rupiah(sum(line.amount for line in priced)),
    )


async def _zero_rupiah_answers(
    session: AsyncSession, zero: institutions.ZeroRupiahOffer | None
) -> list[tuple[str, str]]:
    if zero is None:
        return []
    institution = await session.get(Institution, zero.institution_id)
    letter = await session.get(Document, zero.request_letter_id)
    return [
        ("Penjualan Rp0", f"Ya, untuk {institution.name if institution else '-'}"),
        (_("Surat permohonan"), letter.filename if letter else "-"),
    ]


def _abroad(case: Case) -> bool:
    return case.segment == Segment.FOREIGN or sale_details(case).abroad


def _online(case: Case) -> bool:
    return case.channel == Channel.ONLINE


SALE = Service.SALE
SALE_ACTIONS: tuple[CaseAction, ...] = (
    CaseAction(
        "completeness",
        N_("Pemeriksaan kelengkapan"),
        SALE,
        SALE_RULES["check_completeness"],
        CompletenessIn,
        check_completeness,
    ),
    CaseAction(
        "abstract",
        N_("Pemeriksaan abstraksi"),
        SALE,
        SALE_RULES["review_abstract"],
        AbstractReviewIn,
        review_abstract,
        confirm=confirm_abstract,
    ),
    CaseAction(
        "offer",
        N_("Contoh data, invoice dan SPPD"),
        SALE,
        SALE_RULES["make_offer"],
        OfferIn,
        make_offer,
        uploads=(("sample_document_id", "sample"), ("request_letter_document_id", "request_letter")),
        confirm=confirm_offer,
    ),
    CaseAction(
        "payment",
        N_("Catat pembayaran"),
        SALE,
        SALE_RULES["record_payment"],
        PaymentIn,
        record_payment,
        applies=lambda case: not _abroad(case),
    ),
    CaseAction(
        "transfer",
        N_("Periksa bukti transfer"),
        SALE,
        SALE_RULES["review_transfer"],
        DecisionIn,
        review_transfer,
        applies=_abroad,
    ),
    CaseAction("sppd", N_("SPPD asli diterima"), SALE, SALE_RULES["record_sppd"], SppdIn, record_sppd),
    CaseAction(
        "signed_sppd",
        "Periksa SPPD e-meterai",
        SALE,
        SALE_RULES["review_signed_sppd"],
        DecisionIn,
        review_signed_sppd,
        applies=_online,
    ),
    CaseAction("receipt", N_("Terbitkan kuitansi"), SALE, SALE_RULES["issue_receipt"], NoInput, issue_receipt),
    CaseAction(
        "delivery",
        N_("Kirim data"),
        SALE,
        SALE_RULES["deliver"],
        DeliveryIn,
        deliver,
        uploads=(("document_id", "data_package"),),
    ),
    CaseAction(
        "follow_up",
        N_("Catat tindak lanjut penilaian"),
        SALE,
        SALE_RULES["record_follow_up"],
        FollowUpIn,
        record_follow_up,
    ),
    CaseAction(
        "correction",
        N_("Kirim data perbaikan"),
        SALE,
        SALE_RULES["deliver_correction"],
        CorrectionIn,
        deliver_correction,
        uploads=(("document_id", "data_package"),),
        guard=downloads.correction_window_open,
        confirm=confirm_correction,
    ),
    CaseAction("sample", N_("Periksa contoh data"), SALE, SALE_RULES["review_sample"], SampleReviewIn, review_sample),
    CaseAction(
        "new_link",
        N_("Minta tautan unduhan baru"),
        SALE,
        SALE_RULES["request_new_link"],
        NewLinkIn,
        request_new_link,
        guard=downloads.support_window_open,
    ),
    CaseAction("rating", N_("Penilaian layanan"), SALE, SALE_RULES["rate"], RatingIn, rate),
)
