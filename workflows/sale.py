"""The microdata and digital map sale (seeds 000, 001, 002, 004): one workflow per transaction.

Online: completeness → abstract check → offer (sample, invoice, SPPD draft) → sample review (one
revision) → payment (SIMPONI billing code, or transfer proof from abroad, or Rp0) → signed SPPD → receipt
→ delivery → 30-day support window (new links, rating, follow-up). Walk-in (recorded by the officer, full
sets only): abstract check → SPPD signed at the desk → invoice → payment → receipt → delivery.
Publications (softcopy) take the short path: no abstract, sample or SPPD.

The SLA clock runs on BPS's steps and pauses while BPS waits on the applicant.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.documents import DocumentActivities
    from activities.payments import PaymentActivities
    from activities.records import RecordActivities
    from core import search_attributes as sa
    from core.enums import Channel, Decision, Role, SaleStep, Segment, Service
    from core.formatting import rupiah
    from core.validators import validate_ntpn
    from workflows.notices import send_notice
    from workflows.shared import (
        DB_ACTIVITY_TIMEOUT,
        RETRY_FOREVER,
        AbstractReview,
        Actor,
        BillingRequest,
        CompletenessCheck,
        Delivery,
        DocumentAttached,
        DocumentRequest,
        FollowUpDone,
        FollowUpRecord,
        InvoiceRequest,
        LinkRequest,
        NewLinkRequest,
        Notice,
        Offer,
        PaymentNotice,
        PaymentRecord,
        RatingIn,
        RatingRecord,
        ReceiptIssue,
        ReceiptRequest,
        SaleInput,
        SaleStatus,
        SampleReview,
        Settlement,
        SignedSppdReview,
        SppdReceived,
        StepRecord,
        StepResult,
        TransferReview,
        ZeroRupiahRequest,
    )
    from workflows.sla import SlaClock, SlaState

Arg = TypeVar("Arg")
Result = TypeVar("Result")
S = SaleStep
APPLICANT_STEPS = {S.RETURNED, S.SAMPLE_REVIEW, S.PAYMENT, S.SPPD}
FINAL_STEPS = {S.COMPLETED, S.CANCELLED, S.REFERRED_TO_CONSULTATION}
ZERO_RUPIAH_SEGMENTS = {Segment.GOVERNMENT, Segment.EDUCATION, Segment.FOREIGN}
ASSIGNEES: dict[str, str | None] = {
    S.COMPLETENESS: Role.OFFICER,
    S.RETURNED: None,
    S.ABSTRACT_REVIEW: Role.OFFICER,
    S.OFFER: Role.OFFICER,
    S.SAMPLE_REVIEW: None,
    S.PAYMENT: Role.TREASURER,
    S.SPPD: Role.OFFICER,
    S.RECEIPT: Role.TREASURER,
    S.DELIVERY: Role.OFFICER,
    S.SUPPORT: None,
}


@dataclass
class SaleState:
    """Everything the sale remembers between events."""

    step: str = S.SUBMITTED
    assignee: str | None = Role.OFFICER
    done: bool = False
    reason: str = ""
    sla: SlaState = field(default_factory=SlaState)
    moves: int = 0
    abstract_document_id: int | None = None
    offers: int = 0
    revisions: int = 0
    fee: int = 0
    zero_rupiah: bool = False
    sample: bool = False
    billings: int = 0
    billing_code: str = ""
    billing_expires_at: datetime | None = None
    notice: PaymentNotice | None = None
    transfer_pending: bool = False
    signed_sppd_pending: bool = False
    receipt_number: str = ""
    package_document_id: int | None = None
    links: int = 0
    support_ends_at: datetime | None = None
    rated: bool = False
    follow_up_open: bool = False
    outbox: list[Notice] = field(default_factory=list)


@workflow.defn
class SaleWorkflow:
    """Carries one sale from the request to the end of its support window."""

    @workflow.init
    def __init__(self, sale: SaleInput) -> None:
        self.sale = sale
        self.state = SaleState()
        self.lock = asyncio.Lock()
        self.clock = SlaClock(
            case_id=sale.case_id,
            office_code=sale.office_code,
            service=Service.SALE,
            state=self.state.sla,
            waits_on=lambda: self.state.assignee,
        )

    # ------------------------------------------------------------ the path of this sale

    @property
    def walk_in(self) -> bool:
        return self.sale.channel == Channel.WALK_IN

    def path(self) -> list[str]:
        """The steps of this sale in order, from its channel, items and whether it is Rp0."""
        publications_only = bool(self.sale.kinds) and set(self.sale.kinds) == {"publication"}
        if self.walk_in:
            steps = [S.ABSTRACT_REVIEW, S.SPPD, S.OFFER, S.PAYMENT, S.RECEIPT, S.DELIVERY, S.SUPPORT]
        else:
            steps = [S.COMPLETENESS, S.ABSTRACT_REVIEW, S.OFFER, S.SAMPLE_REVIEW, S.PAYMENT, S.SPPD]
            steps += [S.RECEIPT, S.DELIVERY, S.SUPPORT]
        skipped = set()
        if publications_only:
            skipped |= {S.ABSTRACT_REVIEW, S.SAMPLE_REVIEW, S.SPPD}
        if "microdata" not in self.sale.kinds:
            skipped.add(S.SAMPLE_REVIEW)
        if self.state.zero_rupiah:
            skipped.add(S.PAYMENT)
        return [step for step in steps if step not in skipped]

    def next_step(self, after: str) -> str:
        steps = self.path()
        return steps[steps.index(after) + 1]

    # ------------------------------------------------------------ run

    @workflow.run
    async def run(self, sale: SaleInput) -> SaleStatus:
        """Receive the request, then follow the people's actions until the support window closes."""
        watcher = asyncio.create_task(self.clock.watch())
        mailer = asyncio.create_task(self._mailer())
        first = self.path()[0]
        applicant = Actor(name="applicant", role="applicant", office_code=sale.office_code)
        async with self.lock:
            await self._move(first, "submitted", applicant)
        if self.walk_in:
            await self.clock.start(self.clock.system)  # the officer recorded it complete at the desk

        while self.state.step not in FINAL_STEPS:
            step = self.state.step
            if step == S.PAYMENT and self._pays_by_billing_code():
                await self._billing_cycle()
            elif step == S.SUPPORT:
                await self._support_window()
            else:
                await workflow.wait_condition(lambda step=step: self.state.step != step)  # type: ignore[misc]

        self.state.done = True
        await workflow.wait_condition(lambda: not self.state.outbox and workflow.all_handlers_finished())
        await self.clock.stop(self.clock.system)
        await watcher
        mailer.cancel()
        return self.status()

    def _pays_by_billing_code(self) -> bool:
        return not self.sale.abroad and not self.state.zero_rupiah

    async def _billing_cycle(self) -> None:
        """Issue a billing code, and a new one each time one expires, until the payment notice arrives."""
        while self.state.step == S.PAYMENT:
            if self.state.notice is not None:
                await self._settle_notice(self.state.notice)
                return
            now = workflow.now()
            if self.state.billing_expires_at is None or self.state.billing_expires_at <= now:
                await self._issue_billing_code()
                continue
            try:
                await workflow.wait_condition(
                    lambda: self.state.notice is not None or self.state.step != S.PAYMENT,
                    timeout=self.state.billing_expires_at - now,
                )
            except TimeoutError:
                await self._record_event(
                    f"billing_expired_{self.state.billings}",
                    self.clock.system,
                    f"Kode billing {self.state.billing_code}",
                )

    async def _issue_billing_code(self) -> None:
        self.state.billings += 1
        billing = await workflow.execute_activity_method(
            PaymentActivities.issue_billing,
            BillingRequest(
                case_id=self.sale.case_id, amount=self.state.fee, sequence=self.state.billings, issued_at=workflow.now()
            ),
            start_to_close_timeout=DB_ACTIVITY_TIMEOUT,
            retry_policy=RETRY_FOREVER,
        )
        self.state.billing_code, self.state.billing_expires_at = billing.billing_code, billing.expires_at
        await self._record_event(f"billing_issued_{self.state.billings}", self.clock.system, billing.billing_code)
        self._notify(
            "sale_billing",
            f"billing{self.state.billings}",
            billing_code=billing.billing_code,
            expires_at=billing.expires_at.isoformat(),
        )

    async def _settle_notice(self, notice: PaymentNotice) -> None:
        async with self.lock:
            if self.state.step != S.PAYMENT:
                return
            await self._settle(
                Settlement(
                    case_id=self.sale.case_id,
                    method="simponi",
                    amount=self.state.fee,
                    actor="SIMPONI",
                    billing_code=notice.billing_code,
                    ntpn=notice.ntpn,
                )
            )
            await self._move(
                self.next_step(S.PAYMENT),
                "paid",
                Actor("SIMPONI", "system", self.sale.office_code),
                f"NTPN {notice.ntpn}",
            )

    async def _support_window(self) -> None:
        """Thirty days of new links and rating; then the sale ends once any follow-up is recorded."""
        assert self.state.support_ends_at is not None
        await workflow.sleep(self.state.support_ends_at - workflow.now())
        await workflow.wait_condition(lambda: not self.state.follow_up_open)
        async with self.lock:
            await self._move(S.COMPLETED, "support_window_closed", self.clock.system)

    # ------------------------------------------------------------ completeness and abstract

    @workflow.update
    async def attach_document(self, attached: DocumentAttached) -> StepResult:
        """Sent by the applicant after an upload: the abstract, a transfer proof or the e-meterai SPPD."""
        async with self.lock:
            self._still(self._document_steps(attached.kind))
            note = attached.note or f"Dokumen {attached.kind} #{attached.document_id}"
            if attached.kind == "abstract":
                self.state.abstract_document_id = attached.document_id
                if self.state.step == S.RETURNED:
                    await self._move(S.COMPLETENESS, "request_completed", attached.actor, note)
                else:
                    await self._record_event(f"abstract_{attached.document_id}", attached.actor, note)
            elif attached.kind == "transfer_proof":
                self.state.transfer_pending = True
                await self._record_event(f"transfer_proof_{attached.document_id}", attached.actor, note)
                self._notify("staff_task", f"transfer{attached.document_id}", to_role=Role.TREASURER)
            else:
                self.state.signed_sppd_pending = True
                await self._record_event(f"sppd_signed_{attached.document_id}", attached.actor, note)
                self._notify("staff_task", f"sppd{attached.document_id}", to_role=Role.OFFICER)
            return self._result()

    def _document_steps(self, kind: str) -> set[str]:
        steps: dict[str, set[str]] = {
            "abstract": {S.SUBMITTED, S.COMPLETENESS, S.RETURNED},
            "transfer_proof": {S.PAYMENT},
            "sppd_signed": {S.SPPD},
        }
        return steps.get(kind, set())

    @attach_document.validator
    def _validate_attach(self, attached: DocumentAttached) -> None:
        steps = self._document_steps(attached.kind)
        if not steps:
            raise ValueError("Jenis dokumen harus abstract, transfer_proof atau sppd_signed.")
        self._expect(steps, attached.actor, {"applicant", Role.OFFICER})
        if attached.kind == "transfer_proof" and not self.sale.abroad:
            raise ValueError("Bukti transfer hanya untuk pemohon di luar negeri; bayar dengan kode billing SIMPONI.")
        if attached.kind == "transfer_proof" and self.state.transfer_pending:
            raise ValueError("Bukti transfer sebelumnya masih diperiksa bendahara; tunggu hasilnya.")
        if attached.kind == "sppd_signed" and self.walk_in:
            raise ValueError("SPPD layanan datang langsung ditandatangani di meja PST.")

    @workflow.update
    async def check_completeness(self, check: CompletenessCheck) -> StepResult:
        """Sent by the officer: complete starts the clock; otherwise the request goes back to the applicant."""
        async with self.lock:
            self._still({S.COMPLETENESS})
            if check.complete:
                await self._move(self.next_step(S.COMPLETENESS), "request_complete", check.actor)
                await self.clock.start(check.actor)
            else:
                await self._move(S.RETURNED, "request_returned", check.actor, check.missing.strip())
            return self._result()

    @check_completeness.validator
    def _validate_completeness(self, check: CompletenessCheck) -> None:
        self._expect({S.COMPLETENESS}, check.actor, {Role.OFFICER})
        if check.complete and self.state.abstract_document_id is None and self._needs_abstract():
            raise ValueError("Abstraksi penggunaan data (PDF) belum diunggah; kembalikan permintaan ke pemohon.")
        if not check.complete and not check.missing.strip():
            raise ValueError("Tuliskan apa yang kurang; pesan ini dikirim ke pemohon.")

    def _needs_abstract(self) -> bool:
        return S.ABSTRACT_REVIEW in self.path()

    @workflow.update
    async def review_abstract(self, review: AbstractReview) -> StepResult:
        """Sent by the officer: the abstract fits the data asked, or not (online: cancel; walk-in: refer)."""
        async with self.lock:
            self._still({S.ABSTRACT_REVIEW})
            if review.decision == Decision.APPROVE:
                await self._move(self.next_step(S.ABSTRACT_REVIEW), "abstract_approved", review.actor)
            elif self.walk_in:
                self._notify("sale_referred", "abstract", reason=review.reason)
                await self._move(S.REFERRED_TO_CONSULTATION, "referred_to_consultation", review.actor, review.reason)
            else:
                self._notify("sale_cancelled", "abstract", reason=review.reason)
                await self._move(S.CANCELLED, "abstract_rejected", review.actor, review.reason)
            self.state.reason = review.reason
            return self._result()

    @review_abstract.validator
    def _validate_review(self, review: AbstractReview) -> None:
        self._expect({S.ABSTRACT_REVIEW}, review.actor, {Role.OFFICER})
        if review.decision not in (Decision.APPROVE, Decision.REJECT):
            raise ValueError("Keputusan harus 'approve' (sesuai) atau 'reject' (tidak sesuai).")
        if review.decision == Decision.REJECT and not review.reason.strip():
            raise ValueError("Tuliskan alasan mengapa abstraksi tidak sesuai; alasan dikirim ke pemohon.")

    # ------------------------------------------------------------ offer and sample

    @workflow.update
    async def make_offer(self, offer: Offer) -> StepResult:
        """Sent by the officer: the invoice from the tariff table, the sample and the SPPD draft."""
        async with self.lock:
            self._still({S.OFFER})
            if offer.zero_rupiah:
                await self._activity(
                    PaymentActivities.grant_zero_rupiah,
                    ZeroRupiahRequest(
                        case_id=self.sale.case_id,
                        institution=offer.institution,
                        datasets=[line.item for line in offer.lines],
                        granted_by=offer.actor.name,
                    ),
                )
            self.state.offers += 1
            invoice = await self._activity(
                DocumentActivities.issue_invoice,
                InvoiceRequest(
                    case_id=self.sale.case_id,
                    lines=offer.lines,
                    version=self.state.offers,
                    zero_rupiah=offer.zero_rupiah,
                ),
            )
            if S.SPPD in self.path():
                await self._activity(
                    DocumentActivities.issue_sppd_draft,
                    DocumentRequest(case_id=self.sale.case_id, kind="sppd_draft", version=self.state.offers),
                )
            self.state.fee, self.state.zero_rupiah = invoice.amount, offer.zero_rupiah
            self.state.sample = offer.sample_document_id is not None
            note = f"Invoice {rupiah(invoice.amount)}"
            await self._move(self.next_step(S.OFFER), f"offer_{self.state.offers}", offer.actor, note)
            return self._result()

    @make_offer.validator
    def _validate_offer(self, offer: Offer) -> None:
        self._expect({S.OFFER}, offer.actor, {Role.OFFICER})
        if not offer.lines:
            raise ValueError("Isi paling sedikit satu baris harga (item, kode tarif, jumlah).")
        if any(line.quantity < 1 for line in offer.lines):
            raise ValueError("Jumlah setiap baris harga harus 1 atau lebih.")
        if S.SAMPLE_REVIEW in self.path() and offer.sample_document_id is None and not self.walk_in:
            raise ValueError("Lampirkan contoh data mikro untuk diperiksa pemohon.")
        if offer.zero_rupiah and self.sale.segment not in ZERO_RUPIAH_SEGMENTS:
            raise ValueError(
                "Penjualan Rp0 hanya untuk instansi pemerintah, lembaga pendidikan dalam negeri dan lembaga "
                "internasional/perwakilan asing untuk keperluan nonkomersial; perorangan dan mahasiswa membayar."
            )

    @workflow.update
    async def review_sample(self, review: SampleReview) -> StepResult:
        """Sent by the applicant: the sample fits (go on to pay), or the one revision of the request."""
        async with self.lock:
            self._still({S.SAMPLE_REVIEW})
            if review.accept:
                await self._move(self.next_step(S.SAMPLE_REVIEW), "sample_accepted", review.actor)
            else:
                self.state.revisions += 1
                await self._move(S.OFFER, "revision_requested", review.actor, review.revision.strip())
            return self._result()

    @review_sample.validator
    def _validate_sample(self, review: SampleReview) -> None:
        self._expect({S.SAMPLE_REVIEW}, review.actor, {"applicant"})
        if not review.accept and self.state.revisions >= 1:
            raise ValueError(
                "Kesempatan revisi permintaan hanya satu kali dan sudah digunakan. Terima contoh data, atau "
                "buat transaksi baru bila data tetap tidak sesuai."
            )
        if not review.accept and not review.revision.strip():
            raise ValueError("Tuliskan revisi permintaan Anda: variabel atau data apa yang perlu diubah.")

    # ------------------------------------------------------------ payment

    @workflow.signal
    def payment_notice(self, notice: PaymentNotice) -> None:
        """Sent by the SIMPONI webhook (through the API): the current billing code was paid."""
        if self.state.step == S.PAYMENT and notice.billing_code == self.state.billing_code:
            self.state.notice = notice

    @workflow.update
    async def record_payment(self, payment: PaymentRecord) -> StepResult:
        """Sent by the treasurer: the payment was received in cash, or by SIMPONI with its NTPN."""
        async with self.lock:
            self._still({S.PAYMENT})
            await self._settle(
                Settlement(
                    case_id=self.sale.case_id,
                    method=payment.method,
                    amount=self.state.fee,
                    actor=payment.actor.name,
                    billing_code=self.state.billing_code if payment.method == "simponi" else "",
                    ntpn=payment.ntpn.strip().upper(),
                )
            )
            note = f"NTPN {payment.ntpn.strip().upper()}" if payment.ntpn else "Tunai"
            await self._move(self.next_step(S.PAYMENT), "paid", payment.actor, note)
            return self._result()

    @record_payment.validator
    def _validate_payment(self, payment: PaymentRecord) -> None:
        self._expect({S.PAYMENT}, payment.actor, {Role.TREASURER})
        if payment.method not in ("cash", "simponi"):
            raise ValueError("Cara bayar harus 'cash' (tunai) atau 'simponi' (kode billing dengan NTPN).")
        if payment.method == "simponi":
            validate_ntpn(payment.ntpn)
        if self.sale.abroad:
            raise ValueError("Pemohon luar negeri membayar dengan transfer; periksa bukti transfernya.")

    @workflow.update
    async def review_transfer(self, review: TransferReview) -> StepResult:
        """Sent by the treasurer: the abroad applicant's transfer proof is accepted, or rejected with why."""
        async with self.lock:
            self._still({S.PAYMENT})
            self.state.transfer_pending = False
            await self._settle(
                Settlement(
                    case_id=self.sale.case_id,
                    method="transfer",
                    amount=self.state.fee,
                    actor=review.actor.name,
                    status="paid" if review.accept else "rejected",
                    reason=review.reason.strip(),
                )
            )
            if review.accept:
                await self._move(self.next_step(S.PAYMENT), "paid", review.actor, "Bukti transfer diterima")
            else:
                self._notify("sale_rejected_document", f"transfer{self.state.moves}", reason=review.reason.strip())
                await self._record_event(f"transfer_rejected_{self.state.moves}", review.actor, review.reason.strip())
            return self._result()

    @review_transfer.validator
    def _validate_transfer(self, review: TransferReview) -> None:
        self._expect({S.PAYMENT}, review.actor, {Role.TREASURER})
        if not self.state.transfer_pending:
            raise ValueError("Belum ada bukti transfer yang menunggu pemeriksaan.")
        if not review.accept and not review.reason.strip():
            raise ValueError("Tuliskan alasan penolakan bukti transfer; alasan dikirim ke pemohon.")

    # ------------------------------------------------------------ SPPD

    @workflow.update
    async def record_sppd(self, received: SppdReceived) -> StepResult:
        """Sent by the officer: the two signed originals arrived by post, or were signed at the desk."""
        async with self.lock:
            self._still({S.SPPD})
            note = (
                f"SPPD asli diterima {received.received_on}, resi {received.tracking_number.strip()}"
                if received.method == "post"
                else "SPPD ditandatangani di atas meterai di meja PST"
            )
            await self._move(self.next_step(S.SPPD), "sppd_received", received.actor, note)
            return self._result()

    @record_sppd.validator
    def _validate_sppd(self, received: SppdReceived) -> None:
        self._expect({S.SPPD}, received.actor, {Role.OFFICER})
        if received.method == "on_site" and not self.walk_in:
            raise ValueError("SPPD permintaan online dikirim pos atau diunggah dengan e-meterai.")
        if received.method == "post":
            try:
                datetime.fromisoformat(received.received_on)
            except ValueError as error:
                raise ValueError("Isi tanggal terima SPPD (YYYY-MM-DD).") from error
            if not received.tracking_number.strip():
                raise ValueError("Isi nomor resi pengiriman SPPD.")
        elif received.method != "on_site":
            raise ValueError("Cara penerimaan SPPD harus 'post' atau 'on_site'.")

    @workflow.update
    async def review_signed_sppd(self, review: SignedSppdReview) -> StepResult:
        """Sent by the officer: the uploaded e-meterai SPPD is accepted, or rejected with why."""
        async with self.lock:
            self._still({S.SPPD})
            self.state.signed_sppd_pending = False
            if review.accept:
                await self._move(self.next_step(S.SPPD), "sppd_accepted", review.actor, "SPPD e-meterai diterima")
            else:
                self._notify("sale_rejected_document", f"sppd{self.state.moves}", reason=review.reason.strip())
                await self._record_event(f"sppd_rejected_{self.state.moves}", review.actor, review.reason.strip())
            return self._result()

    @review_signed_sppd.validator
    def _validate_signed_sppd(self, review: SignedSppdReview) -> None:
        self._expect({S.SPPD}, review.actor, {Role.OFFICER})
        if not self.state.signed_sppd_pending:
            raise ValueError("Belum ada SPPD e-meterai yang diunggah pemohon.")
        if not review.accept and not review.reason.strip():
            raise ValueError("Tuliskan alasan penolakan SPPD; alasan dikirim ke pemohon.")

    # ------------------------------------------------------------ receipt and delivery

    @workflow.update
    async def issue_receipt(self, issue: ReceiptIssue) -> StepResult:
        """Sent by the treasurer: the numbered receipt (kuitansi) is issued."""
        async with self.lock:
            self._still({S.RECEIPT})
            receipt = await self._activity(
                DocumentActivities.issue_receipt, ReceiptRequest(case_id=self.sale.case_id, issued_by=issue.actor.name)
            )
            self.state.receipt_number = receipt.number
            await self._move(self.next_step(S.RECEIPT), "receipt_issued", issue.actor, receipt.number)
            return self._result(receipt.number)

    @issue_receipt.validator
    def _validate_receipt(self, issue: ReceiptIssue) -> None:
        self._expect({S.RECEIPT}, issue.actor, {Role.TREASURER})

    @workflow.update
    async def deliver(self, delivery: Delivery) -> StepResult:
        """Sent by the officer: the data package is attached; the applicant gets a download link."""
        async with self.lock:
            self._still({S.DELIVERY})
            self.state.package_document_id = delivery.document_id
            token = await self._new_link()
            self.state.support_ends_at = workflow.now() + timedelta(days=self.sale.support_days)
            self._notify(
                "sale_link", "delivered", token=token, receipt_number=self.state.receipt_number,
                support_ends_at=self.state.support_ends_at.isoformat(),
            )  # fmt: skip
            await self._move(S.SUPPORT, "delivered", delivery.actor, f"Paket data #{delivery.document_id}")
            await self.clock.stop(delivery.actor)
            return self._result(token)

    @deliver.validator
    def _validate_delivery(self, delivery: Delivery) -> None:
        self._expect({S.DELIVERY}, delivery.actor, {Role.OFFICER})

    async def _new_link(self) -> str:
        assert self.state.package_document_id is not None
        self.state.links += 1
        link = await self._activity(
            PaymentActivities.create_link,
            LinkRequest(
                case_id=self.sale.case_id,
                document_id=self.state.package_document_id,
                sequence=self.state.links,
                issued_at=workflow.now(),
            ),
        )
        return link.token

    # ------------------------------------------------------------ support window

    @workflow.update
    async def request_new_link(self, request: NewLinkRequest) -> StepResult:
        """Sent by the applicant within 30 days, quoting the receipt: a new link at once; the officer is told."""
        async with self.lock:
            self._still({S.SUPPORT})
            token = await self._new_link()
            await self._record_event(f"link_{self.state.links}", request.actor, "Tautan unduhan baru")
            self._notify("sale_link", f"link{self.state.links}", token=token,
                         receipt_number=self.state.receipt_number,
                         support_ends_at=(self.state.support_ends_at or workflow.now()).isoformat())  # fmt: skip
            self._notify("staff_task", f"link{self.state.links}", to_role=Role.OFFICER)
            return self._result(token)

    @request_new_link.validator
    def _validate_new_link(self, request: NewLinkRequest) -> None:
        self._expect({S.SUPPORT}, request.actor, {"applicant"})
        if request.receipt_number.strip().upper() != self.state.receipt_number:
            raise ValueError("Nomor kuitansi tidak cocok dengan transaksi ini; periksa kuitansi Anda.")

    @workflow.update
    async def rate(self, rating: RatingIn) -> StepResult:
        """Sent by the applicant: the satisfaction survey; low scores or a follow-up wish reach the officer."""
        async with self.lock:
            self._still({S.SUPPORT})
            low = [str(index + 1) for index, score in enumerate(rating.scores) if score <= 2]
            reason = ""
            if low:
                reason = f"Nilai rendah pada unsur {', '.join(low)}"
            if rating.follow_up:
                reason = "; ".join(filter(None, [reason, "Pemohon meminta tindak lanjut"]))
            needs = await self._activity(
                RecordActivities.record_rating,
                RatingRecord(self.sale.case_id, rating.scores, rating.feedback.strip(), rating.follow_up, reason),
            )
            self.state.rated = True
            await self._record_event("rated", rating.actor, reason or "Penilaian diterima")
            if needs:
                self.state.follow_up_open = True
                self._notify("sale_follow_up", "rating", to_role=Role.OFFICER, reason=reason,
                             feedback=rating.feedback.strip())  # fmt: skip
            return self._result()

    @rate.validator
    def _validate_rating(self, rating: RatingIn) -> None:
        self._expect({S.SUPPORT}, rating.actor, {"applicant"})
        if self.state.rated:
            raise ValueError("Penilaian untuk transaksi ini sudah diberikan; terima kasih.")
        if len(rating.scores) != 9 or any(score not in (1, 2, 3, 4) for score in rating.scores):
            raise ValueError("Isi sembilan unsur penilaian, masing-masing 1 sampai 4.")

    @workflow.update
    async def record_follow_up(self, follow_up: FollowUpRecord) -> StepResult:
        """Sent by the officer: what was done about a rating that needed follow-up."""
        async with self.lock:
            await self._activity(
                RecordActivities.close_follow_up,
                FollowUpDone(case_id=self.sale.case_id, note=follow_up.note.strip(), actor=follow_up.actor.name),
            )
            self.state.follow_up_open = False
            await self._record_event("follow_up_recorded", follow_up.actor, follow_up.note.strip())
            return self._result()

    @record_follow_up.validator
    def _validate_follow_up(self, follow_up: FollowUpRecord) -> None:
        self._expect({S.SUPPORT}, follow_up.actor, {Role.OFFICER})
        if not self.state.follow_up_open:
            raise ValueError("Tidak ada penilaian yang menunggu tindak lanjut.")
        if not follow_up.note.strip():
            raise ValueError("Tuliskan tindak lanjut yang dilakukan.")

    # ------------------------------------------------------------ calendar and queries

    @workflow.signal
    def calendar_changed(self) -> None:
        """Sent by the API when an administrator edits the office's calendar: recompute the deadline."""
        self.clock.calendar_changed()

    @workflow.query
    def status(self) -> SaleStatus:
        """Read by the API and developers: the step the sale is in."""
        return SaleStatus(case_id=self.sale.case_id, step=self.state.step, done=self.state.done)

    # ------------------------------------------------------------ helpers

    def _expect(self, steps: set[str], actor: Actor, roles: set[str]) -> None:
        """Validator rule: the sale is in one of ``steps`` and ``actor`` may act there."""
        if self.state.step not in steps:
            raise ValueError(
                f"Aksi ini tidak berlaku pada tahap sekarang permintaan {self.sale.case_id} ({self.state.step})."
            )
        if actor.role not in roles:
            allowed = " atau ".join(sorted(roles))
            raise ValueError(f"Aksi ini hanya untuk {allowed}; peran Anda {actor.role}.")
        if actor.office_code != self.sale.office_code:
            raise ValueError(f"Permintaan ini milik kantor {self.sale.office_code}, bukan kantor Anda.")

    def _still(self, steps: set[str]) -> None:
        """Handler rule, checked again under the lock: a double click acts once."""
        if self.state.step not in steps:
            raise ApplicationError(
                f"Permintaan {self.sale.case_id} sudah pindah ke tahap {self.state.step}; muat ulang halaman.",
                non_retryable=True,
            )

    def _result(self, detail: str = "") -> StepResult:
        return StepResult(case_id=self.sale.case_id, step=self.state.step, detail=detail)

    async def _activity(self, method: Callable[[Any, Arg], Awaitable[Result]], argument: Arg) -> Result:
        return await workflow.execute_activity_method(
            method, argument, start_to_close_timeout=DB_ACTIVITY_TIMEOUT, retry_policy=RETRY_FOREVER
        )

    async def _settle(self, settlement: Settlement) -> None:
        await self._activity(PaymentActivities.settle, settlement)

    async def _move(self, step: str, action: str, actor: Actor, note: str = "") -> None:
        """Record the step (audit trail, read model, visibility), tell the people, and run or pause the clock."""
        status = "open"
        if step in (S.CANCELLED, S.REFERRED_TO_CONSULTATION):
            status = "cancelled"
        elif step == S.COMPLETED:
            status = "completed"
        assignee = ASSIGNEES.get(step)
        await self._activity(
            RecordActivities.record_step,
            StepRecord(
                case_id=self.sale.case_id,
                event_key=f"{action}:{self.state.moves}",
                action=action,
                step=step,
                status=status,
                assignee_role=assignee,
                actor=actor,
                at=workflow.now(),
                note=note,
            ),
        )
        self.state.moves += 1
        self.state.step, self.state.assignee = step, assignee
        workflow.upsert_search_attributes([sa.STEP.value_set(step)])
        if step not in FINAL_STEPS and step != S.SUPPORT:
            self._notify("sale_step", f"{step}-{self.state.moves}", note=note, step=step)
        if assignee is not None:
            self._notify("staff_task", f"{step}-{self.state.moves}", to_role=assignee, step=step)
        if step in APPLICANT_STEPS:
            await self.clock.pause(actor, note=f"Menunggu pemohon: {step}")
        else:
            await self.clock.resume(actor)

    async def _record_event(self, key: str, actor: Actor, note: str) -> None:
        """An audit entry that does not change the step."""
        await self._activity(
            RecordActivities.record_step,
            StepRecord(
                case_id=self.sale.case_id,
                event_key=key,
                action=key.rstrip("_0123456789") or key,
                step=self.state.step,
                status="open",
                assignee_role=self.state.assignee,
                actor=actor,
                at=workflow.now(),
                note=note,
                changes_step=False,
            ),
        )

    def _notify(self, notice: str, phase: str, *, to_role: str | None = None, **context: str) -> None:
        """Owe a mail; the mailer sends it (outbox first, then SMTP with retries)."""
        self.state.outbox.append(Notice(notice=notice, phase=phase, to_role=to_role, context=context))

    async def _mailer(self) -> None:
        """Send the owed mails in order, beside the steps, so an update answers without waiting on SMTP."""
        while True:
            await workflow.wait_condition(lambda: bool(self.state.outbox))
            await send_notice(self.sale.case_id, self.state.outbox[0])
            self.state.outbox.pop(0)
