"""The microdata and digital map sale (seeds 000, 001, 002, 004): one workflow per transaction.

Online: completeness → abstract check → offer (sample, invoice, SPPD draft) → sample review (one
revision) → payment (SIMPONI billing code, or transfer proof from abroad, or Rp0) → signed SPPD → receipt
→ delivery → 30-day support window (new links, rating, follow-up). Walk-in (recorded by the officer, full
sets only): abstract check → SPPD signed at the desk → invoice → payment → receipt → delivery.
Publications (softcopy) take the short path: no abstract, sample or SPPD.

The SLA clock runs on BPS's steps and pauses while BPS waits on the applicant.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.records import RecordActivities
    from contracts.case import (
        Actor,
        CompletenessCheck,
        DocumentAttached,
        FollowUpDone,
        RatingRecord,
        StepEffects,
        StepOutcome,
        StepResult,
    )
    from contracts.documents import CorrectionRequest, DocumentRequest, InvoiceRequest, ReceiptRequest
    from contracts.payments import BillingRequest, LinkRequest, PaymentNotice, Settlement, ZeroRupiahRequest
    from contracts.sale import (
        DOCUMENT_STEPS,
        SALE_RULES,
        AbstractReview,
        ApplicantWaits,
        CorrectedDelivery,
        Delivery,
        FollowUpRecord,
        NewLinkRequest,
        Offer,
        PaymentRecord,
        RatingIn,
        ReceiptIssue,
        SaleInput,
        SaleStatus,
        SampleReview,
        SignedSppdReview,
        SppdReceived,
        TransferReview,
        WaitsRequest,
    )
    from contracts.sale_items import ItemsRevision
    from core.enums import (
        ActorKind,
        CaseStatus,
        Channel,
        Decision,
        PaymentMethod,
        PaymentStatus,
        Role,
        SaleStep,
        Segment,
        Service,
    )
    from core.i18n import N_
    from core.validators import validate_ntpn
    from workflows.case import CaseCore, CaseState, ClosableCase, run_activity
    from workflows.sla import ClockMove
    from workflows.waits import wait_on_applicant

S = SaleStep
APPLICANT_STEPS = {S.RETURNED, S.SAMPLE_REVIEW, S.PAYMENT, S.SPPD}
# From this change on, every wait on the applicant ends (a reminder, then the case closes): workflows started
# before it keep waiting as they did (README, "Changing a workflow").
WAITS_PATCH = "sale-applicant-waits"
# From this change on, the officer's follow-up of a rating after the support window has an end too: the supervisor
# is told at once, and after FOLLOW_UP_DAYS the sale completes with the follow-up recorded as overdue.
FOLLOW_UP_PATCH = "sale-follow-up-ends"
BILLING_LOCK_PATCH = "sale-billing-under-lock"  # a billing code is written under the case's lock
FOLLOW_UP_DAYS = 14
# What the applicant was waited on for, in the words of a closure's timeline note.
WAITED_FOR: dict[str, str] = {
    S.RETURNED: "melengkapi permintaan",
    S.SAMPLE_REVIEW: "memeriksa contoh data",
    S.PAYMENT: "pembayaran",
    S.SPPD: "SPPD bertanda tangan",
}
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
class SaleState(CaseState):
    """Everything the sale remembers between events (besides what every case remembers)."""

    step: str = S.SUBMITTED
    assignee: str | None = Role.OFFICER
    reason: str = ""
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
    corrections: int = 0  # corrected packages delivered in the support window (issue 14)
    waits: ApplicantWaits | None = None  # the office's limits on waiting for the applicant, read at the first wait
    reminders: int = 0


@workflow.defn
class SaleWorkflow(ClosableCase):
    """Carries one sale from the request to the end of its support window."""

    closed_step = S.CANCELLED  # where the staff's close (ClosableCase) takes a sale

    @workflow.init
    def __init__(self, sale: SaleInput) -> None:
        self.sale = sale
        self.state = SaleState()
        self.core = CaseCore(case_id=sale.case_id, office_code=sale.office_code, service=Service.SALE, state=self.state)

    # ------------------------------------------------------------ the path of this sale

    @property
    def walk_in(self) -> bool:
        return self.sale.channel == Channel.WALK_IN

    def path(self, *, zero_rupiah: bool | None = None) -> list[str]:
        """The steps of this sale in order, from its channel, items and whether it is (or would be) Rp0."""
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
        if self.state.zero_rupiah if zero_rupiah is None else zero_rupiah:
            skipped.add(S.PAYMENT)
        return [step for step in steps if step not in skipped]

    def next_step(self, after: str, *, zero_rupiah: bool | None = None) -> str:
        steps = self.path(zero_rupiah=zero_rupiah)
        return steps[steps.index(after) + 1]

    # ------------------------------------------------------------ run

    @workflow.run
    async def run(self, sale: SaleInput) -> SaleStatus:
        """Receive the request, then follow the people's actions until the support window closes."""
        self.core.start_clock_watch()
        async with self.core.lock:  # a walk-in was recorded complete at the desk: its clock starts now
            await self._move(
                self.path()[0],
                "submitted",
                self.core.actor(ActorKind.APPLICANT),
                clock=ClockMove.START if self.walk_in else None,
            )

        while self.state.step not in FINAL_STEPS or await self.core.reopened(days=self.sale.support_days):
            step = self.state.step
            if step in APPLICANT_STEPS and workflow.patched(WAITS_PATCH):
                await self._wait_on_applicant(step)
            elif step == S.PAYMENT and self._pays_by_billing_code():
                await self._billing_cycle()
            elif step == S.SUPPORT:
                await self._support_window()
            else:
                await workflow.wait_condition(lambda step=step: self.state.step != step)  # type: ignore[misc]

        await self.core.finish()
        return self.status()

    def _pays_by_billing_code(self) -> bool:
        return not self.sale.abroad and not self.state.zero_rupiah

    def _settled_by_simponi(self, step: str) -> bool:
        """A domestic online payment: SIMPONI settles it by itself, so the treasurer gets no task for it, neither a
        mail nor a place in their inbox (they act on cash at the desk, an abroad applicant's transfer, and receipts).
        Only the step activity's input changes, no command: a running sale replays as before."""
        return step == S.PAYMENT and not self.walk_in and self._pays_by_billing_code()

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
                code = self.state.billing_code
                await self.core.event(f"billing_expired_{self.state.billings}", self.core.system, f"Kode {code}")

    async def _issue_billing_code(self) -> None:
        """A billing code and the mail that carries it, in one step, under the case's lock: a staff step that runs
        at the same moment can neither take the billing mail as its own nor be passed by a code for a payment it
        has just settled."""
        if not workflow.patched(BILLING_LOCK_PATCH):
            await self._write_billing_code()
            return
        async with self.core.lock:
            if self.state.step == S.PAYMENT and self.state.notice is None:
                await self._write_billing_code()

    async def _write_billing_code(self) -> None:
        """A billing code and the mail that carries it, in one step; the code and its expiry come back."""
        self.state.billings += 1
        request = BillingRequest(self.sale.case_id, self.state.fee, self.state.billings, workflow.now())
        self.core.owe("sale_billing", f"billing{self.state.billings}")
        outcome = await self.core.event(
            f"billing_issued_{self.state.billings}", self.core.system, effects=StepEffects(billing=request)
        )
        assert outcome.billing is not None
        self.state.billing_code, self.state.billing_expires_at = (
            outcome.billing.billing_code,
            outcome.billing.expires_at,
        )

    async def _settle_notice(self, notice: PaymentNotice) -> None:
        async with self.core.lock:
            if self.state.step != S.PAYMENT:
                return
            settlement = Settlement(
                self.sale.case_id,
                PaymentMethod.SIMPONI,
                self.state.fee,
                "SIMPONI",
                billing_code=notice.billing_code,
                ntpn=notice.ntpn,
            )
            await self._move(
                self.next_step(S.PAYMENT),
                "paid",
                self.core.actor(ActorKind.SYSTEM, "SIMPONI"),
                f"NTPN {notice.ntpn}",
                effects=StepEffects(settlement=settlement),
            )

    async def _support_window(self) -> None:
        """Thirty days of new links and rating; then the sale ends once any follow-up is recorded."""
        assert self.state.support_ends_at is not None
        await workflow.sleep(self.state.support_ends_at - workflow.now())
        if workflow.patched(FOLLOW_UP_PATCH):
            await self._follow_up_or_overdue()
        else:
            await workflow.wait_condition(lambda: not self.state.follow_up_open)
        async with self.core.lock:
            await self._move(S.COMPLETED, "support_window_closed", self.core.system)

    async def _follow_up_or_overdue(self) -> None:
        """The support window is over and a rating still waits for the officer's follow-up: the supervisor is told
        (a task mail and an audit entry), and after ``FOLLOW_UP_DAYS`` the follow-up is recorded as overdue and the
        sale completes (no workflow waits forever on the staff either)."""
        if not self.state.follow_up_open:
            return
        async with self.core.lock:
            if self.state.follow_up_open:
                self.core.owe("staff_task", "follow_up_due", to_role=Role.SUPERVISOR, step=S.SUPPORT)
                note = f"Tindak lanjut penilaian belum dicatat; supervisor diberi tahu (batas {FOLLOW_UP_DAYS} hari)"
                await self.core.event("follow_up_due", self.core.system, note)
        try:
            await workflow.wait_condition(lambda: not self.state.follow_up_open, timeout=timedelta(days=FOLLOW_UP_DAYS))
        except TimeoutError:
            async with self.core.lock:
                if self.state.follow_up_open:
                    note = f"Tindak lanjut penilaian tidak dicatat dalam {FOLLOW_UP_DAYS} hari setelah masa layanan"
                    await self.core.event("follow_up_overdue", self.core.system, note)
                    self.state.follow_up_open = False

    # ------------------------------------------------------------ waits on the applicant (issue 14)

    async def _wait_on_applicant(self, step: str) -> None:
        """Wait in ``step`` for the applicant, up to the office's limit: a reminder before the end, then the case
        closes (a sale paid by billing code ends after the last code expires unpaid instead)."""
        if self.state.waits is None:
            self.state.waits = await run_activity(RecordActivities.applicant_waits, WaitsRequest(self.sale.office_code))
        waits = self.state.waits
        if step == S.PAYMENT and self._pays_by_billing_code():
            await self._limited_billing_cycle(waits)
            return
        limits: dict[str, int] = {
            S.RETURNED: waits.returned_days,
            S.SAMPLE_REVIEW: waits.sample_review_days,
            S.PAYMENT: waits.payment_days,
            S.SPPD: waits.sppd_days,
        }
        days = limits[step]
        await wait_on_applicant(
            answered=lambda: self.state.step != step,
            staff_turn=lambda: self.state.transfer_pending or self.state.signed_sppd_pending,
            limit=timedelta(days=days),
            reminder=timedelta(days=waits.reminder_days),
            remind=lambda ends_at: self._remind(step, ends_at),
            close=lambda ends_at: self._close_unanswered(step, ends_at, days),
        )

    async def _limited_billing_cycle(self, waits: ApplicantWaits) -> None:
        """Issue a billing code, and a new one each time one expires, at most ``waits.billing_codes`` codes; the
        applicant is reminded before the last one expires, and when it expires unpaid the case closes as unpaid."""
        reminded, issued = False, 0  # codes of this cycle (a sale reopened after closing unpaid starts a new one)
        while self.state.step == S.PAYMENT:
            if self.state.notice is not None:
                await self._settle_notice(self.state.notice)
                return
            now, expires = workflow.now(), self.state.billing_expires_at
            last = issued >= waits.billing_codes
            if expires is None or expires <= now:
                if not last:
                    await self._issue_billing_code()
                    issued += 1
                elif await self._close_unanswered(S.PAYMENT, expires or now, 0):
                    return
                continue
            remind_at = expires - timedelta(days=waits.reminder_days)
            remind = last and not reminded and waits.reminder_days > 0 and remind_at > now
            try:
                await workflow.wait_condition(
                    lambda: self.state.notice is not None or self.state.step != S.PAYMENT,
                    timeout=(remind_at if remind else expires) - now,
                )
            except TimeoutError:
                if remind:
                    await self._remind(S.PAYMENT, expires)
                    reminded = True
                elif not last:
                    code = self.state.billing_code
                    await self.core.event(f"billing_expired_{self.state.billings}", self.core.system, f"Kode {code}")

    def _still_waiting(self, step: str) -> bool:
        """Whether the sale still waits on the applicant in ``step`` (a payment notice that arrived counts as paid)."""
        return self.state.step == step and not (step == S.PAYMENT and self.state.notice is not None)

    async def _remind(self, step: str, ends_at: datetime) -> bool:
        """The applicant is reminded that the case closes at ``ends_at`` unless they act (an audit entry and a
        mail, in one step); False if they acted meanwhile."""
        async with self.core.lock:
            if not self._still_waiting(step):
                return False
            self.state.reminders += 1
            self.core.owe("sale_reminder", f"{step}-{self.state.reminders}", step=step, expires_at=ends_at.isoformat())
            note = f"Permintaan ditutup {ends_at:%Y-%m-%d} bila pemohon tidak menanggapi"
            await self.core.event(f"wait_reminder_{self.state.reminders}", self.core.system, note)
            return True

    async def _close_unanswered(self, step: str, ends_at: datetime, days: int) -> bool:
        """The applicant never answered in ``step``: the case closes (unpaid, after the last billing code) with a
        mail; ``closed_by_timeout`` keeps the step for a supervisor's reopen. False if they answered meanwhile."""
        async with self.core.lock:
            if not self._still_waiting(step):
                return False
            unpaid = step == S.PAYMENT and self._pays_by_billing_code()
            if unpaid:
                note = f"Ditutup: tidak dibayar setelah {self.state.billings} kode billing kedaluwarsa"
            else:
                note = f"Ditutup: tidak ada jawaban dari pemohon dalam {days} hari ({WAITED_FOR[step]})"
            self.state.closed_by_timeout = step
            self.core.owe(
                "sale_closed_timeout",
                f"{step}-{self.state.moves}",
                step=step,
                unpaid="1" if unpaid else "",
                days=str(days),
            )
            effects = StepEffects(void_billing=self.sale.case_id) if unpaid else None
            await self._move(S.CANCELLED, "closed_timeout", self.core.system, note, effects=effects)
            return True

    # ------------------------------------------------------------ completeness and abstract

    @workflow.update
    async def attach_document(self, attached: DocumentAttached) -> StepResult:
        """Sent by the applicant after an upload: the abstract, a transfer proof or the e-meterai SPPD."""
        async with self.core.lock:
            self.core.still(self._document_steps(attached.kind))
            note = attached.note or f"Dokumen {attached.kind} #{attached.document_id}"
            if attached.kind == "abstract":
                self.state.abstract_document_id = attached.document_id
                if self.state.step == S.RETURNED:
                    await self._move(S.COMPLETENESS, "request_completed", attached.actor, note)
                else:
                    await self.core.event(f"abstract_{attached.document_id}", attached.actor, note)
            elif attached.kind == "transfer_proof":
                self.state.transfer_pending = True
                self.core.owe("staff_task", f"transfer{attached.document_id}", to_role=Role.TREASURER)
                await self.core.event(f"transfer_proof_{attached.document_id}", attached.actor, note)
            else:
                self.state.signed_sppd_pending = True
                self.core.owe("staff_task", f"sppd{attached.document_id}", to_role=Role.OFFICER)
                await self.core.event(f"sppd_signed_{attached.document_id}", attached.actor, note)
            return self.core.result()

    def _document_steps(self, kind: str) -> set[str]:
        return set(DOCUMENT_STEPS.get(kind, ()))

    @attach_document.validator
    def _validate_attach(self, attached: DocumentAttached) -> None:
        steps = self._document_steps(attached.kind)
        if not steps:
            raise ValueError(N_("Jenis dokumen harus abstract, transfer_proof atau sppd_signed."))
        self.core.expect(SALE_RULES["attach_document"], attached.actor, steps=steps)
        if attached.kind == "transfer_proof" and not self.sale.abroad:
            raise ValueError(
                N_("Bukti transfer hanya untuk pemohon di luar negeri; bayar dengan kode billing SIMPONI.")
            )
        if attached.kind == "transfer_proof" and self.state.transfer_pending:
            raise ValueError(N_("Bukti transfer sebelumnya masih diperiksa bendahara; tunggu hasilnya."))
        if attached.kind == "sppd_signed" and self.walk_in:
            raise ValueError(N_("SPPD layanan datang langsung ditandatangani di meja PST."))

    @workflow.update
    async def check_completeness(self, check: CompletenessCheck) -> StepResult:
        """Sent by the officer: complete starts the clock; otherwise the request goes back to the applicant."""
        async with self.core.lock:
            self.core.still(SALE_RULES["check_completeness"].steps)
            if check.complete:
                await self._move(self.next_step(S.COMPLETENESS), "request_complete", check.actor, clock=ClockMove.START)
            else:
                await self._move(S.RETURNED, "request_returned", check.actor, check.missing.strip())
            return self.core.result()

    @check_completeness.validator
    def _validate_completeness(self, check: CompletenessCheck) -> None:
        self.core.expect(SALE_RULES["check_completeness"], check.actor)
        if check.complete and self.state.abstract_document_id is None and self._needs_abstract():
            raise ValueError(N_("Abstraksi penggunaan data (PDF) belum diunggah; kembalikan permintaan ke pemohon."))
        if not check.complete and not check.missing.strip():
            raise ValueError(N_("Tuliskan apa yang kurang; pesan ini dikirim ke pemohon."))

    def _needs_abstract(self) -> bool:
        return S.ABSTRACT_REVIEW in self.path()

    @workflow.update
    async def review_abstract(self, review: AbstractReview) -> StepResult:
        """Sent by the officer: the abstract fits the data asked, or not (online: cancel; walk-in: refer)."""
        async with self.core.lock:
            self.core.still(SALE_RULES["review_abstract"].steps)
            if review.decision == Decision.APPROVE:
                await self._move(self.next_step(S.ABSTRACT_REVIEW), "abstract_approved", review.actor)
            elif self.walk_in:
                self.core.owe("sale_referred", "abstract", reason=review.reason)
                await self._move(S.REFERRED_TO_CONSULTATION, "referred_to_consultation", review.actor, review.reason)
            else:
                self.core.owe("sale_cancelled", "abstract", reason=review.reason)
                await self._move(S.CANCELLED, "abstract_rejected", review.actor, review.reason)
            self.state.reason = review.reason
            return self.core.result()

    @review_abstract.validator
    def _validate_review(self, review: AbstractReview) -> None:
        self.core.expect(SALE_RULES["review_abstract"], review.actor)
        if review.decision not in (Decision.APPROVE, Decision.REJECT):
            raise ValueError(N_("Keputusan harus 'approve' (sesuai) atau 'reject' (tidak sesuai)."))
        if review.decision == Decision.REJECT and not review.reason.strip():
            raise ValueError(N_("Tuliskan alasan mengapa abstraksi tidak sesuai; alasan dikirim ke pemohon."))

    # ------------------------------------------------------------ offer and sample

    @workflow.update
    async def make_offer(self, offer: Offer) -> StepResult:
        """Sent by the officer: the invoice from the tariff table, the sample and the SPPD draft."""
        async with self.core.lock:
            self.core.still(SALE_RULES["make_offer"].steps)
            version, zero = self.state.offers + 1, offer.zero_rupiah
            effects = StepEffects(invoice=InvoiceRequest(self.sale.case_id, offer.lines, version, zero))
            if zero:
                datasets = [line.item for line in offer.lines]
                effects.zero_rupiah = ZeroRupiahRequest(
                    self.sale.case_id,
                    offer.institution,
                    datasets,
                    offer.actor.name,
                    institution_id=offer.institution_id,
                    request_letter_id=offer.request_letter_id,
                )
            if S.SPPD in self.path(zero_rupiah=zero):
                effects.sppd_draft = DocumentRequest(case_id=self.sale.case_id, kind="sppd_draft", version=version)
            outcome = await self._move(
                self.next_step(S.OFFER, zero_rupiah=zero), f"offer_{version}", offer.actor, effects=effects
            )
            assert outcome.invoice is not None
            self.state.offers, self.state.fee, self.state.zero_rupiah = version, outcome.invoice.amount, zero
            self.state.sample = offer.sample_document_id is not None
            return self.core.result()

    @make_offer.validator
    def _validate_offer(self, offer: Offer) -> None:
        self.core.expect(SALE_RULES["make_offer"], offer.actor)
        if not offer.lines:
            raise ValueError(N_("Isi paling sedikit satu baris harga (item, kode tarif, jumlah)."))
        if any(line.quantity < 1 for line in offer.lines):
            raise ValueError(N_("Jumlah setiap baris harga harus 1 atau lebih."))
        if S.SAMPLE_REVIEW in self.path() and offer.sample_document_id is None and not self.walk_in:
            raise ValueError(N_("Lampirkan contoh data mikro untuk diperiksa pemohon."))
        if offer.zero_rupiah and self.sale.segment not in ZERO_RUPIAH_SEGMENTS:
            raise ValueError(
                N_(
                    "Penjualan Rp0 hanya untuk instansi pemerintah, lembaga pendidikan dalam negeri dan lembaga "
                    "internasional/perwakilan asing untuk keperluan nonkomersial; perorangan dan mahasiswa membayar."
                )
            )

    @workflow.update
    async def review_sample(self, review: SampleReview) -> StepResult:
        """Sent by the applicant: the sample fits (go on to pay), or the one revision of the request."""
        async with self.core.lock:
            self.core.still(SALE_RULES["review_sample"].steps)
            if review.accept:
                await self._move(self.next_step(S.SAMPLE_REVIEW), "sample_accepted", review.actor)
            else:
                self.state.revisions += 1
                effects = None
                if review.items:  # the request's items as revised: the next offer, invoice and SPPD list them
                    effects = StepEffects(revision=ItemsRevision(self.sale.case_id, review.items))
                    self.sale.kinds = sorted({item.kind for item in review.items})
                await self._move(S.OFFER, "revision_requested", review.actor, review.revision.strip(), effects=effects)
            return self.core.result()

    @review_sample.validator
    def _validate_sample(self, review: SampleReview) -> None:
        self.core.expect(SALE_RULES["review_sample"], review.actor)
        if not review.accept and self.state.revisions >= 1:
            raise ValueError(
                N_(
                    "Kesempatan revisi permintaan hanya satu kali dan sudah digunakan. Terima contoh data, atau "
                    "buat transaksi baru bila data tetap tidak sesuai."
                )
            )
        if not review.accept and not review.revision.strip() and not review.items:
            raise ValueError(N_("Tuliskan revisi permintaan Anda: variabel atau data apa yang perlu diubah."))

    # ------------------------------------------------------------ payment

    @workflow.signal
    def payment_notice(self, notice: PaymentNotice) -> None:
        """Sent by the SIMPONI webhook (through the API): the current billing code was paid."""
        if self.state.step == S.PAYMENT and notice.billing_code == self.state.billing_code:
            self.state.notice = notice

    @workflow.update
    async def record_payment(self, payment: PaymentRecord) -> StepResult:
        """Sent by the treasurer: the payment was received in cash, or by SIMPONI with its NTPN."""
        async with self.core.lock:
            self.core.still(SALE_RULES["record_payment"].steps)
            ntpn = payment.ntpn.strip().upper()
            code = self.state.billing_code if payment.method == PaymentMethod.SIMPONI else ""
            settlement = Settlement(self.sale.case_id, payment.method, self.state.fee, payment.actor.name, code, ntpn)
            await self._move(
                self.next_step(S.PAYMENT),
                "paid",
                payment.actor,
                f"NTPN {ntpn}" if ntpn else "Tunai",
                effects=StepEffects(settlement=settlement),
            )
            return self.core.result()

    @record_payment.validator
    def _validate_payment(self, payment: PaymentRecord) -> None:
        self.core.expect(SALE_RULES["record_payment"], payment.actor)
        if payment.method not in (PaymentMethod.CASH, PaymentMethod.SIMPONI):
            raise ValueError(N_("Cara bayar harus 'cash' (tunai) atau 'simponi' (kode billing dengan NTPN)."))
        if payment.method == PaymentMethod.SIMPONI:
            validate_ntpn(payment.ntpn)
        if self.sale.abroad:
            raise ValueError(N_("Pemohon luar negeri membayar dengan transfer; periksa bukti transfernya."))

    @workflow.update
    async def review_transfer(self, review: TransferReview) -> StepResult:
        """Sent by the treasurer: the abroad applicant's transfer proof is accepted, or rejected with why."""
        async with self.core.lock:
            self.core.still(SALE_RULES["review_transfer"].steps)
            reason = review.reason.strip()
            status = PaymentStatus.PAID if review.accept else PaymentStatus.REJECTED
            settlement = Settlement(
                self.sale.case_id,
                PaymentMethod.TRANSFER,
                self.state.fee,
                review.actor.name,
                status=status,
                reason=reason,
            )
            if review.accept:
                await self._move(
                    self.next_step(S.PAYMENT),
                    "paid",
                    review.actor,
                    "Bukti transfer diterima",
                    effects=StepEffects(settlement=settlement),
                )
            else:
                self.core.owe("sale_rejected_document", f"transfer{self.state.moves}", reason=reason)
                await self.core.event(
                    f"transfer_rejected_{self.state.moves}",
                    review.actor,
                    reason,
                    effects=StepEffects(settlement=settlement),
                )
            self.state.transfer_pending = False
            return self.core.result()

    @review_transfer.validator
    def _validate_transfer(self, review: TransferReview) -> None:
        self.core.expect(SALE_RULES["review_transfer"], review.actor)
        if not self.state.transfer_pending:
            raise ValueError(N_("Belum ada bukti transfer yang menunggu pemeriksaan."))
        if not review.accept and not review.reason.strip():
            raise ValueError(N_("Tuliskan alasan penolakan bukti transfer; alasan dikirim ke pemohon."))

    # ------------------------------------------------------------ SPPD

    @workflow.update
    async def record_sppd(self, received: SppdReceived) -> StepResult:
        """Sent by the officer: the two signed originals arrived by post, or were signed at the desk."""
        async with self.core.lock:
            self.core.still(SALE_RULES["record_sppd"].steps)
            note = (
                f"SPPD asli diterima {received.received_on}, resi {received.tracking_number.strip()}"
                if received.method == "post"
                else "SPPD ditandatangani di atas meterai di meja PST"
            )
            await self._move(self.next_step(S.SPPD), "sppd_received", received.actor, note)
            return self.core.result()

    @record_sppd.validator
    def _validate_sppd(self, received: SppdReceived) -> None:
        self.core.expect(SALE_RULES["record_sppd"], received.actor)
        if received.method == "on_site" and not self.walk_in:
            raise ValueError(N_("SPPD permintaan online dikirim pos atau diunggah dengan e-meterai."))
        if received.method == "post":
            try:
                datetime.fromisoformat(received.received_on)
            except ValueError as error:
                raise ValueError(N_("Isi tanggal terima SPPD (YYYY-MM-DD).")) from error
            if not received.tracking_number.strip():
                raise ValueError(N_("Isi nomor resi pengiriman SPPD."))
        elif received.method != "on_site":
            raise ValueError(N_("Cara penerimaan SPPD harus 'post' atau 'on_site'."))

    @workflow.update
    async def review_signed_sppd(self, review: SignedSppdReview) -> StepResult:
        """Sent by the officer: the uploaded e-meterai SPPD is accepted, or rejected with why."""
        async with self.core.lock:
            self.core.still(SALE_RULES["review_signed_sppd"].steps)
            self.state.signed_sppd_pending = False
            if review.accept:
                await self._move(self.next_step(S.SPPD), "sppd_accepted", review.actor, "SPPD e-meterai diterima")
            else:
                self.core.owe("sale_rejected_document", f"sppd{self.state.moves}", reason=review.reason.strip())
                await self.core.event(f"sppd_rejected_{self.state.moves}", review.actor, review.reason.strip())
            return self.core.result()

    @review_signed_sppd.validator
    def _validate_signed_sppd(self, review: SignedSppdReview) -> None:
        self.core.expect(SALE_RULES["review_signed_sppd"], review.actor)
        if not self.state.signed_sppd_pending:
            raise ValueError(N_("Belum ada SPPD e-meterai yang diunggah pemohon."))
        if not review.accept and not review.reason.strip():
            raise ValueError(N_("Tuliskan alasan penolakan SPPD; alasan dikirim ke pemohon."))

    # ------------------------------------------------------------ receipt and delivery

    @workflow.update
    async def issue_receipt(self, issue: ReceiptIssue) -> StepResult:
        """Sent by the treasurer: the numbered receipt (kuitansi) is issued."""
        async with self.core.lock:
            self.core.still(SALE_RULES["issue_receipt"].steps)
            receipt = ReceiptRequest(case_id=self.sale.case_id, issued_by=issue.actor.name)
            outcome = await self._move(
                self.next_step(S.RECEIPT), "receipt_issued", issue.actor, effects=StepEffects(receipt=receipt)
            )
            assert outcome.receipt is not None
            self.state.receipt_number = outcome.receipt.number
            return self.core.result(outcome.receipt.number)

    @issue_receipt.validator
    def _validate_receipt(self, issue: ReceiptIssue) -> None:
        self.core.expect(SALE_RULES["issue_receipt"], issue.actor)

    @workflow.update
    async def deliver(self, delivery: Delivery) -> StepResult:
        """Sent by the officer: the data package is attached; the applicant gets a download link."""
        async with self.core.lock:
            self.core.still(SALE_RULES["deliver"].steps)
            self.state.package_document_id = delivery.document_id
            self.state.support_ends_at = workflow.now() + timedelta(days=self.sale.support_days)
            link = self._new_link("delivered")
            await self._move(
                S.SUPPORT,
                "delivered",
                delivery.actor,
                f"Paket data #{delivery.document_id}",
                clock=ClockMove.STOP,
                effects=StepEffects(link=link),
            )
            return self.core.result()

    @deliver.validator
    def _validate_delivery(self, delivery: Delivery) -> None:
        self.core.expect(SALE_RULES["deliver"], delivery.actor)

    def _new_link(self, phase: str, notice: str = "sale_link") -> LinkRequest:
        """A new download link for the step to write, and the mail (``notice``) that carries it (its token is made
        and read outside the workflow)."""
        assert self.state.package_document_id is not None and self.state.support_ends_at is not None
        self.state.links += 1
        self.core.owe(
            notice,
            phase,
            link_document=str(self.state.package_document_id),
            link_sequence=str(self.state.links),
            receipt_number=self.state.receipt_number,
            support_ends_at=self.state.support_ends_at.isoformat(),
        )
        return LinkRequest(self.sale.case_id, self.state.package_document_id, self.state.links, workflow.now())

    # ------------------------------------------------------------ support window

    @workflow.update
    async def request_new_link(self, request: NewLinkRequest) -> StepResult:
        """Sent by the applicant within 30 days, quoting the receipt: a new link at once; the officer is told."""
        async with self.core.lock:
            self.core.still(SALE_RULES["request_new_link"].steps)
            link = self._new_link(f"link{self.state.links + 1}")
            self.core.owe("staff_task", f"link{self.state.links}", to_role=Role.OFFICER)
            await self.core.event(
                f"link_{self.state.links}", request.actor, "Tautan unduhan baru", effects=StepEffects(link=link)
            )
            return self.core.result()

    @request_new_link.validator
    def _validate_new_link(self, request: NewLinkRequest) -> None:
        self.core.expect(SALE_RULES["request_new_link"], request.actor)
        if request.receipt_number.strip().upper() != self.state.receipt_number:
            raise ValueError(N_("Nomor kuitansi tidak cocok dengan transaksi ini; periksa kuitansi Anda."))

    @workflow.update
    async def rate(self, rating: RatingIn) -> StepResult:
        """Sent by the applicant: the satisfaction survey; low scores or a follow-up wish reach the officer."""
        async with self.core.lock:
            self.core.still(SALE_RULES["rate"].steps)
            low = [str(index + 1) for index, score in enumerate(rating.scores) if score <= 2]
            reason = ""
            if low:
                reason = f"Nilai rendah pada unsur {', '.join(low)}"
            if rating.follow_up:
                reason = "; ".join(filter(None, [reason, "Pemohon meminta tindak lanjut"]))
            record = RatingRecord(self.sale.case_id, rating.scores, rating.feedback.strip(), rating.follow_up, reason)
            if reason:  # a follow-up task for the officer
                self.core.owe(
                    "sale_follow_up", "rating", to_role=Role.OFFICER, reason=reason, feedback=rating.feedback.strip()
                )
            await self.core.event(
                "rated", rating.actor, reason or "Penilaian diterima", effects=StepEffects(rating=record)
            )
            self.state.rated, self.state.follow_up_open = True, bool(reason)
            return self.core.result()

    @rate.validator
    def _validate_rating(self, rating: RatingIn) -> None:
        self.core.expect(SALE_RULES["rate"], rating.actor)
        if self.state.rated:
            raise ValueError(N_("Penilaian untuk transaksi ini sudah diberikan; terima kasih."))
        if len(rating.scores) != 9 or any(score not in (1, 2, 3, 4) for score in rating.scores):
            raise ValueError(N_("Isi sembilan unsur penilaian, masing-masing 1 sampai 4."))

    @workflow.update
    async def record_follow_up(self, follow_up: FollowUpRecord) -> StepResult:
        """Sent by the officer: what was done about a rating that needed follow-up."""
        async with self.core.lock:
            note = follow_up.note.strip()
            done = FollowUpDone(case_id=self.sale.case_id, note=note, actor=follow_up.actor.name)
            # The applicant is told what was done (seed 004, online step 12); the mail reads the note the step stores.
            self.core.owe("sale_follow_up_applicant", "follow_up")
            await self.core.event("follow_up_recorded", follow_up.actor, note, effects=StepEffects(follow_up=done))
            self.state.follow_up_open = False
            return self.core.result()

    @record_follow_up.validator
    def _validate_follow_up(self, follow_up: FollowUpRecord) -> None:
        self.core.expect(SALE_RULES["record_follow_up"], follow_up.actor)
        if not self.state.follow_up_open:
            raise ValueError(N_("Tidak ada penilaian yang menunggu tindak lanjut."))
        if not follow_up.note.strip():
            raise ValueError(N_("Tuliskan tindak lanjut yang dilakukan."))

    # ------------------------------------------------------------ corrected delivery (issue 14)

    @workflow.update
    async def deliver_correction(self, correction: CorrectedDelivery) -> StepResult:
        """Sent by the officer within the support window: a corrected package replaces the delivered one; the
        applicant gets a new link by mail (a walk-in guest without an account, a new code on a reprinted receipt),
        and the earlier links stop serving the earlier package. The window itself is not moved."""
        async with self.core.lock:
            self.core.still(SALE_RULES["deliver_correction"].steps)
            if refusal := self._support_window_over():
                raise ApplicationError(refusal, non_retryable=True)
            replaced = self.state.package_document_id
            assert replaced is not None
            self.state.corrections += 1
            sequence = self.state.corrections
            self.state.package_document_id = correction.document_id
            link = self._new_link(f"correction{sequence}", notice="sale_corrected")
            request = CorrectionRequest(self.sale.case_id, correction.document_id, replaced, sequence)
            await self.core.event(
                f"corrected_{sequence}",
                correction.actor,
                correction.reason.strip(),
                effects=StepEffects(link=link, correction=request),
            )
            return self.core.result()

    @deliver_correction.validator
    def _validate_correction(self, correction: CorrectedDelivery) -> None:
        self.core.expect(SALE_RULES["deliver_correction"], correction.actor)
        if refusal := self._support_window_over():
            raise ValueError(refusal)
        if correction.document_id == self.state.package_document_id:
            raise ValueError(N_("Berkas ini sudah dikirim; unggah paket data yang sudah diperbaiki."))
        if not correction.reason.strip():
            raise ValueError(N_("Tuliskan apa yang diperbaiki; keterangan ini dikirim ke pemohon."))

    def _support_window_over(self) -> str:
        """Why a correction is too late (only within the days after the delivery, the seed's 30), or ""."""
        ends = self.state.support_ends_at
        if ends is None or workflow.now() >= ends:
            return N_("Masa layanan setelah data dikirim sudah berakhir; data perbaikan tidak dapat dikirim lagi.")
        return ""

    def reopen_plan(self, step: str) -> tuple[str | None, ClockMove | None]:
        """A reopened sale waits on whom the step waits on, with its clock paused while that is the applicant."""
        return ASSIGNEES.get(step), ClockMove.PAUSE if step in APPLICANT_STEPS else ClockMove.RESUME

    # ------------------------------------------------------------ calendar and queries

    @workflow.signal
    def calendar_changed(self) -> None:
        """Sent by the API when an administrator edits the office's calendar: recompute the deadline."""
        self.core.clock.calendar_changed()

    @workflow.query
    def status(self) -> SaleStatus:
        """Read by the API and developers: the step the sale is in."""
        return SaleStatus(case_id=self.sale.case_id, step=self.state.step, done=self.state.done)

    # ------------------------------------------------------------ helpers

    async def _move(
        self,
        step: str,
        action: str,
        actor: Actor,
        note: str = "",
        *,
        clock: ClockMove | None = None,
        effects: StepEffects | None = None,
    ) -> StepOutcome:
        """Record the step, tell the people, and run, pause or stop the clock (paused while BPS waits on the
        applicant)."""
        status = CaseStatus.OPEN
        if step in (S.CANCELLED, S.REFERRED_TO_CONSULTATION):
            status = CaseStatus.CANCELLED
        elif step == S.COMPLETED:
            status = CaseStatus.COMPLETED
        # SIMPONI settles a domestic online payment by itself: it waits on the applicant, not in the treasurer's
        # inbox (the activity's input changes, no command: running sales replay as before)
        assignee = None if self._settled_by_simponi(step) else ASSIGNEES.get(step)
        phase = f"{step}-{self.state.moves + 1}"
        if step not in FINAL_STEPS and step != S.SUPPORT:
            self.core.owe("sale_step", phase, note=note, step=step)
        if assignee is not None:
            self.core.owe("staff_task", phase, to_role=assignee, step=step)
        if clock is None:
            clock = ClockMove.PAUSE if step in APPLICANT_STEPS else ClockMove.RESUME
            clock = ClockMove.STOP if step in FINAL_STEPS else clock
        return await self.core.move(
            step,
            action,
            actor,
            note,
            assignee=assignee,
            status=status,
            clock=clock,
            clock_note=f"Menunggu pemohon: {step}",
            effects=effects,
        )
