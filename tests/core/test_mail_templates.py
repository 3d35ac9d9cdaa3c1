"""Every mail template, rendered through the real mailer with what a workflow hands it, reads as a finished
product in both languages: no empty or missing value, no ISO timestamp, no bare code, a link to the case.

Templates are discovered from core/mail_templates, so a new one fails here until it has a builder below.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from activities.mailer import Mailer
from activities.notify import NotifyActivities
from api.services.cases import allocate_case_id, get_office
from contracts.mail import Notice
from contracts.sla import DigestRequest
from core import enums
from core.db import SessionFactory
from core.enums import (
    CaseStatus,
    ComplaintStep,
    RecommendationStep,
    Role,
    SaleStep,
    Service,
    SlaState,
    TimeUnit,
)
from core.i18n import ENGLISH, INDONESIAN, LANGUAGES
from core.models import Applicant, Case, Office, OutboxMail, StaffAccount
from core.outbox import TEMPLATES, Outbox
from core.settings import Settings
from tests.conftest import SmtpSink, make_settings

NOW = datetime(2026, 12, 1, 2, 30, tzinfo=UTC)  # 09.30 WIB
DEADLINE = datetime(2026, 12, 11, 9, 0, tzinfo=UTC)  # 16.00 WIB
EXAMINER_NAME = "Dr. Hendra Wijaya"

ISO_TIME = re.compile(r"(?<![\d-])\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?![\d-])([T ]\d{2}:\d{2})?")
MISSING = [
    re.compile(r"(?<![\w])-\s*[.,]"),  # "Tenggat: -."
    re.compile(r":[ \t]+[-–]?[ \t]*$", re.MULTILINE),  # "Alasan: " with nothing after
    re.compile(r"\(\s*\)"),
    re.compile(r"\s[.,;:](\s|$)"),  # a value left out before its punctuation
    re.compile(r"\bNone\b|\bnull\b"),
    re.compile(r"[^\n] {2,}\S"),
]
UNRENDERED = re.compile(r"\{\{|\}\}|\{%|%\}|%\(\w+\)s")
# Codes of closed sets that are no Indonesian word; in English "officer" or "payment" are words of the text.
CODES = {
    str(member.value)
    for value in vars(enums).values()
    if isinstance(value, type) and issubclass(value, enum.StrEnum) and value is not enum.StrEnum
    for member in value
}
INDONESIAN_WORDS = {"sppd", "online", "email", "supervisor", "operator", "administrator"}
ENGLISH_LEFTOVERS = re.compile(
    r"\b(Yth|Anda|pukul|[Pp]ermintaan|Desember|Tenggat|Lihat|[Tt]autan|Jika|jam|dan|untuk)\b"
)

# What people typed (a reason, a note, a response) reaches the mail as they wrote it, in their language.
RETURNED_NOTE = "Unggah abstraksi penggunaan data (PDF)."
CANCELLED_REASON = "Abstraksi untuk penelitian lain"
REFERRED_REASON = "Kebutuhan data belum jelas"
REJECTED_REASON = "Meterai tidak terbaca"
REVISION_NOTE = "Sampel belum mewakili kecamatan"
RESPONSE = "Tautan unduhan baru sudah kami kirim ke email yang terdaftar."
TYPED = (RETURNED_NOTE, CANCELLED_REASON, REFERRED_REASON, REJECTED_REASON, REVISION_NOTE, RESPONSE)

# Where a sale's clock stands at each step a mail can be sent from, as the workflow leaves it.
PAUSED_STEPS = {SaleStep.RETURNED, SaleStep.SAMPLE_REVIEW, SaleStep.PAYMENT, SaleStep.SPPD}


@dataclass
class Mail:
    notice: str
    language: str
    subject: str
    text: str
    html: str
    link: str
    names: tuple[str, ...]


def _problems(mail: Mail) -> list[str]:
    """What a person would notice as unfinished in ``mail``."""
    found: list[str] = []
    readable = "\n".join([mail.subject, mail.text])
    for name in mail.names:
        readable = readable.replace(name, "Nama")
    for pattern in [ISO_TIME, UNRENDERED, *MISSING]:
        found += [f"{pattern.pattern!r}: {match.group(0)!r}" for match in pattern.finditer(readable)]
    found += [f"unrendered in HTML: {m.group(0)!r}" for m in UNRENDERED.finditer(mail.html)]
    words = set(re.findall(r"(?<![\w/.@-])[a-z][a-z_]*(?![\w/.@-])", readable))
    codes = {word for word in words & CODES if "_" in word or mail.language == INDONESIAN}
    found += [f"bare code {code!r}" for code in sorted(codes - INDONESIAN_WORDS)]
    if mail.link and mail.link not in mail.text:
        found.append(f"no link to the case {mail.link}")
    if f'<html lang="{mail.language}">' not in mail.html:
        found.append("HTML not marked with its language")
    return found


def _untyped(text: str) -> str:
    """``text`` without what people typed into it."""
    for typed in TYPED:
        text = text.replace(typed, "")
    return text


# ---------------------------------------------------------------- what workflows hand the mailer, per notice


def _sale(step: str, **context: str) -> Notice:
    return Notice(notice="sale_step", phase=f"{step}-1", context={"step": step, **context})


NoticeBuilder = Callable[[], list[Notice]]
CASE_NOTICES: dict[str, tuple[str, NoticeBuilder]] = {
    "sale_step": (
        Service.SALE,
        lambda: [
            _sale(step, note=RETURNED_NOTE if step == SaleStep.RETURNED else "")
            for step in SaleStep
            if step not in (SaleStep.SUBMITTED, SaleStep.SUPPORT, SaleStep.COMPLETED, SaleStep.CANCELLED)
            and step != SaleStep.REFERRED_TO_CONSULTATION
        ],
    ),
    "sale_billing": (
        Service.SALE,
        lambda: [
            Notice(
                "sale_billing",
                "billing1",
                context={"billing_code": "820261201000123", "expires_at": (NOW + timedelta(days=7)).isoformat()},
            )
        ],
    ),
    "sale_link": (
        Service.SALE,
        lambda: [
            Notice(
                "sale_link",
                "link1",
                context={
                    "link_document": "7",
                    "link_sequence": "1",
                    "receipt_number": "KW-6202-2026-00012",
                    "support_ends_at": (NOW + timedelta(days=30)).isoformat(),
                },
            )
        ],
    ),
    "sale_cancelled": (
        Service.SALE,
        lambda: [Notice("sale_cancelled", "abstract", context={"reason": CANCELLED_REASON})],
    ),
    "sale_reminder": (
        Service.SALE,
        lambda: [
            Notice(
                "sale_reminder",
                f"{step}-1",
                context={"step": step, "expires_at": (NOW + timedelta(days=3)).isoformat()},
            )
            for step in (SaleStep.RETURNED, SaleStep.SAMPLE_REVIEW, SaleStep.PAYMENT, SaleStep.SPPD)
        ],
    ),
    "sale_closed_timeout": (
        Service.SALE,
        lambda: [
            Notice("sale_closed_timeout", "sample_review", context={"step": SaleStep.SAMPLE_REVIEW, "days": "7"}),
            Notice("sale_closed_timeout", "payment", context={"step": SaleStep.PAYMENT, "unpaid": "1", "days": "0"}),
        ],
    ),
    "sale_referred": (
        Service.SALE,
        lambda: [Notice("sale_referred", "abstract", context={"reason": REFERRED_REASON})],
    ),
    "sale_rejected_document": (
        Service.SALE,
        lambda: [Notice("sale_rejected_document", "sppd3", context={"reason": REJECTED_REASON})],
    ),
    "sale_follow_up": (
        Service.SALE,
        lambda: [
            Notice(
                "sale_follow_up",
                "rating",
                to_role=Role.OFFICER,
                context={"reason": "Nilai rendah pada unsur 3", "feedback": "Terlalu lama"},
            ),
            Notice(
                "sale_follow_up", "rating2", to_role=Role.OFFICER, context={"reason": "Pemohon meminta tindak lanjut"}
            ),
        ],
    ),
    "sale_corrected": (
        Service.SALE,
        lambda: [
            Notice(
                "sale_corrected",
                "correction1",
                context={
                    "link_document": "9",
                    "link_sequence": "2",
                    "receipt_number": "KW-6202-2026-00012",
                    "support_ends_at": (NOW + timedelta(days=21)).isoformat(),
                    "note": "Kode kecamatan pada 12 baris diperbaiki",  # the officer's reason, as typed
                },
            )
        ],
    ),
    "sale_follow_up_applicant": (
        Service.SALE,
        lambda: [
            Notice(
                "sale_follow_up_applicant",
                "follow_up",
                # what the officer typed, as the step reads it back from the follow-up it closes
                context={
                    "follow_up_note": "Petugas sudah menghubungi pemohon lewat telepon; waktu layanan dipercepat."
                },
            )
        ],
    ),
    "staff_task": (
        Service.SALE,
        lambda: (
            [
                Notice("staff_task", f"{step}-1", to_role=role, context={"step": step})
                for step, role in (
                    (SaleStep.COMPLETENESS, Role.OFFICER),
                    (SaleStep.OFFER, Role.OFFICER),
                    (SaleStep.PAYMENT, Role.TREASURER),
                    (SaleStep.RECEIPT, Role.TREASURER),
                )
            ]
            + [
                Notice("staff_task", "transfer9", to_role=Role.TREASURER),  # a transfer proof to review
                Notice("staff_task", "sppd12", to_role=Role.OFFICER),  # an e-meterai SPPD to review
                Notice("staff_task", "link2", to_role=Role.OFFICER),  # a new download link was sent
            ]
        ),
    ),
    "sla_warning": (Service.SALE, lambda: [Notice("sla_warning", "clock1", to_role=Role.OFFICER)]),
    "sla_breached": (Service.SALE, lambda: [Notice("sla_breached", "clock1", to_role=Role.SUPERVISOR)]),
    "sla_escalated": (Service.SALE, lambda: [Notice("sla_escalated", "clock1", to_role=Role.PROVINCIAL_SUPERVISOR)]),
    "recommendation_step": (
        Service.RECOMMENDATION,
        lambda: [
            Notice(
                "recommendation_step",
                f"{step}-1",
                context={
                    "step": step,
                    "note": {
                        RecommendationStep.EXAMINATION: "EXAMINER",  # the workflow's note: the examiner assigned
                        RecommendationStep.REVISION: REVISION_NOTE,
                    }.get(step, ""),
                    "letter_number": "B-123/62020/VS.200/2026" if step == RecommendationStep.RECOMMENDED else "",
                },
            )
            for step in RecommendationStep
            if step != RecommendationStep.SUBMITTED
        ],
    ),
    "recommendation_reminder": (
        Service.RECOMMENDATION,
        lambda: [
            Notice(
                "recommendation_reminder",
                f"{step}-1",
                context={"step": step, "expires_at": (NOW + timedelta(days=3)).isoformat()},
            )
            for step in (RecommendationStep.RETURNED, RecommendationStep.REVISION)
        ],
    ),
    "recommendation_closed_timeout": (
        Service.RECOMMENDATION,
        lambda: [
            Notice("recommendation_closed_timeout", f"{step}-3", context={"step": step, "days": "14"})
            for step in (RecommendationStep.RETURNED, RecommendationStep.REVISION)
        ],
    ),
    "complaint_received": (Service.COMPLAINT, lambda: [Notice("complaint_received", "received")]),
    "complaint_resolved": (
        Service.COMPLAINT,
        lambda: [
            Notice(
                "complaint_resolved",
                "resolved",
                context={"response": RESPONSE},
            )
        ],
    ),
    "case_closed": (
        Service.SALE,
        lambda: [Notice("case_closed", "closed-4", context={"reason": "Pemohon meminta permintaannya dibatalkan"})],
    ),
    "case_reopened": (
        Service.SALE,
        lambda: [
            Notice(
                "case_reopened",
                "reopened-6",
                context={"step": SaleStep.PAYMENT, "reason": "Pemohon sudah membayar di bank"},
            )
        ],
    ),
}
DIGEST = "digest"
# The step the case is at when a notice without a step of its own is written (an upload, a new link).
CASE_STEPS: dict[str, str] = {"transfer9": SaleStep.PAYMENT, "sppd12": SaleStep.SPPD, "link2": SaleStep.SUPPORT}
# The step a notice without its own is written at otherwise.
FIRST_STEPS: dict[str, str] = {
    Service.SALE: SaleStep.OFFER,
    Service.COMPLAINT: ComplaintStep.RESPONSE,
    Service.RECOMMENDATION: RecommendationStep.EXAMINATION,
}


async def _verification(session: AsyncSession, settings: Settings, person: Applicant) -> str:
    key = f"verify-{person.id}"
    await Outbox(settings).add_applicant_mail(session, key=key, notice="applicant_verify", applicant=person, at=NOW)
    return key


async def _password_reset(session: AsyncSession, settings: Settings, person: Applicant) -> str:
    from api.services.password_reset import request_password_reset  # noqa: PLC0415 - only once its template exists

    await request_password_reset(session=session, settings=settings, email=person.email)
    return str(
        await session.scalar(select(OutboxMail.key).where(OutboxMail.key.like(f"applicant-reset-{person.id}-%")))
    )


# Mail to an applicant's account outside a case, written the way the API writes it; returns the outbox key.
ACCOUNT_MAILS: dict[str, Callable[[AsyncSession, Settings, Applicant], Awaitable[str]]] = {
    "applicant_verify": _verification,
    "applicant_password_reset": _password_reset,
}


def _templates() -> list[str]:
    return sorted(path.stem for path in Path(TEMPLATES).glob("*.txt"))


def test_every_template_has_a_builder_here() -> None:
    missing = set(_templates()) - set(CASE_NOTICES) - set(ACCOUNT_MAILS) - {DIGEST}
    assert not missing, f"Add a builder for {sorted(missing)} to this test: every mail is read here"


# ---------------------------------------------------------------- the case and its clock


async def _applicant(session_factory: SessionFactory, language: str) -> Applicant:
    async with session_factory() as session, session.begin():
        person = Applicant(
            email=f"nguyen.{language}@example.com",
            name="Nguyễn Văn Thành" if language == ENGLISH else "Siti Aminah",
            institution="Universitas Palangka Raya",
            segment="individual",
            abroad=language == ENGLISH,
            password_hash="x",
            language=language,
            email_verified_at=NOW,
        )
        session.add(person)
    return person


async def _case(session_factory: SessionFactory, service: str, applicant: Applicant, step: str) -> Case:
    async with session_factory() as session, session.begin():
        office = await get_office(session=session, office_code="6202")
        details: dict[str, object] = {}
        if service == Service.SALE:
            details = {
                "items": [{"kind": "microdata", "name": "Susenas Maret 2025"}],
                "abroad": applicant.abroad,
                "fee": 1_500_000,
            }
        case = Case(
            id=await allocate_case_id(session=session, office=office, service=service, now=NOW),
            service=service,
            office_code="6202",
            channel="online",
            applicant_name=applicant.name,
            applicant_email=applicant.email,
            applicant_id=applicant.id,
            segment="individual",
            details=details,
            step=step,
            status=CaseStatus.OPEN,
            created_at=NOW,
            updated_at=NOW,
        )
        _clock(case, step)
        session.add(case)
    return case


def _clock(case: Case, step: str) -> None:
    """The clock as the workflow leaves it at ``step``: not started before completeness, paused while the
    applicant acts, running otherwise."""
    case.sla_unit = TimeUnit.DAYS if case.service == Service.RECOMMENDATION else TimeUnit.WORKING_DAYS
    if step in (SaleStep.COMPLETENESS, RecommendationStep.COMPLETENESS):
        case.sla_state = SlaState.NOT_STARTED
    elif step in PAUSED_STEPS or step in (RecommendationStep.RETURNED, RecommendationStep.REVISION):
        case.sla_state, case.sla_remaining = SlaState.PAUSED, 6.4
    elif step in (RecommendationStep.RECOMMENDED, SaleStep.SUPPORT):
        case.sla_state = SlaState.STOPPED
    else:
        case.sla_state, case.sla_deadline, case.sla_warning_at = (
            SlaState.RUNNING,
            DEADLINE,
            DEADLINE - timedelta(days=2),
        )


async def _examiner(session_factory: SessionFactory) -> str:
    async with session_factory() as session, session.begin():
        found = await session.scalar(select(StaffAccount).where(StaffAccount.email == "hendra.wijaya@bps.go.id"))
        if found is None:
            found = StaffAccount(
                email="hendra.wijaya@bps.go.id",
                name=EXAMINER_NAME,
                office_code="6202",
                role=Role.EXAMINER,
                password_hash="x",
                active=False,  # never a recipient of another test's mail
            )
            session.add(found)
            await session.flush()
        return f"staff-{found.id}"


# ---------------------------------------------------------------- rendering through the mailer


@pytest.fixture
def mail_settings(database_url: str, smtp: SmtpSink, tmp_path: Path) -> Settings:
    return make_settings(database_url, smtp.port, "unused", tmp_path)


async def _staff_names(session_factory: SessionFactory) -> tuple[str, ...]:
    async with session_factory() as session:
        return tuple((await session.scalars(select(StaffAccount.name))).all())


async def _rendered(session_factory: SessionFactory, settings: Settings, language: str) -> list[Mail]:
    mailer = Mailer(settings)
    person = await _applicant(session_factory, language)
    examiner = await _examiner(session_factory)
    names = (person.name, *await _staff_names(session_factory))
    written: list[tuple[str, str, str]] = []  # key, notice, link
    for notice_name, (service, build) in CASE_NOTICES.items():
        for notice in build():
            step = notice.context.get("step") or CASE_STEPS.get(notice.phase) or FIRST_STEPS[service]
            if notice.context.get("note") == "EXAMINER":
                notice.context["note"] = examiner
            case = await _case(session_factory, service, person, step)
            async with session_factory() as session, session.begin():
                row = await session.get(Case, case.id)
                office = await session.get(Office, "6202")
                assert row is not None and office is not None
                await mailer.add_case_notice(session, row, office, notice)
            area = "portal" if notice.to_role is None else "staff"
            written.append((f"{case.id}:{notice.notice}:{notice.phase}", notice_name, f"/{area}/cases/{case.id}"))
    for name in _templates():
        if name in ACCOUNT_MAILS:
            async with session_factory() as session:
                account = await session.get(Applicant, person.id)
                assert account is not None
                written.append((await ACCOUNT_MAILS[name](session, settings, account), name, ""))
                await session.commit()
    if language == INDONESIAN:
        digest_case = await _case(session_factory, Service.SALE, person, SaleStep.OFFER)
        notify = NotifyActivities(settings, session_factory, mailer)
        for queued in await notify.queue_digest(DigestRequest("6202", DEADLINE + timedelta(hours=1))):
            written.append((queued.key, DIGEST, f"/staff/cases/{digest_case.id}"))
    mails: list[Mail] = []
    async with session_factory() as session:
        for key, notice_name, link in written:
            row = await session.scalar(select(OutboxMail).where(OutboxMail.key == key))
            assert row is not None, f"{key} was not written"
            staff = "/staff/" in link
            mails.append(
                Mail(
                    notice_name,
                    INDONESIAN if staff else language,
                    row.subject,
                    row.body_text,
                    row.body_html,
                    f"{settings.public_base_url}{link}" if link else "",
                    names,
                )
            )
    return mails


@pytest.mark.parametrize("language", LANGUAGES)
async def test_every_mail_reads_as_a_finished_product(
    language: str, session_factory: SessionFactory, mail_settings: Settings
) -> None:
    mails = await _rendered(session_factory, mail_settings, language)
    assert {mail.notice for mail in mails} | {DIGEST} == set(_templates())  # the digest is for staff: Indonesian
    problems = [f"{mail.notice} ({mail.language}): {problem}" for mail in mails for problem in _problems(mail)]
    assert not problems, "\n".join(problems) + "\n\n" + "\n\n".join(m.subject + "\n" + m.text for m in mails)
    if language == ENGLISH:  # every mail to the applicant is English through and through
        leftovers = [
            f"{mail.notice}: {match.group(0)}"
            for mail in mails
            if mail.language == ENGLISH
            for match in ENGLISH_LEFTOVERS.finditer(_untyped(mail.subject + mail.text + mail.html))
        ]
        assert not leftovers, leftovers


async def test_the_mails_say_what_the_applicant_and_the_staff_need(
    session_factory: SessionFactory, mail_settings: Settings
) -> None:
    by_notice: dict[str, list[Mail]] = {}
    for language in LANGUAGES:
        for mail in await _rendered(session_factory, mail_settings, language):
            by_notice.setdefault(f"{mail.notice}:{language}", []).append(mail)
    [billing] = by_notice["sale_billing:id"]
    assert "Rp1.500.000" in billing.text and "820261201000123" in billing.text
    assert "8 Desember 2026 pukul 09.30 WIB" in billing.text
    [billing_en] = by_notice["sale_billing:en"]
    assert "Rp1,500,000" in billing_en.text and "8 December 2026 at 09:30 WIB" in billing_en.text
    assert '<html lang="en">' in billing_en.html
    [received] = by_notice["complaint_received:id"]
    assert "paling lambat 11 Desember 2026 pukul 16.00 WIB" in received.text
    sppd = [m for m in by_notice["sale_step:id"] if "SPPD asli" in m.text]
    assert sppd and "Jl. A.Yani No.5" in sppd[0].text
    examined = [m for m in by_notice["recommendation_step:id"] if "diperiksa oleh" in m.text]
    assert examined and EXAMINER_NAME in examined[0].text and "staff-" not in examined[0].text
    tasks = by_notice["staff_task:en"]  # staff read Indonesian whatever the applicant's language
    assert all("Tenggat standar pelayanan: 11 Desember 2026 pukul 16.00 WIB." in m.text for m in tasks[1:2])
    assert "Waktu standar pelayanan (10 hari kerja) mulai dihitung" in tasks[0].text
    assert "sisanya 7 hari kerja" in tasks[2].text
    assert "mengunggah bukti transfer" in tasks[4].text and "mengunggah SPPD" in tasks[5].text
