"""Applicant accounts: register, verify the email by a signed link, send a new link, a new password by mail."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from api.applicant_schemas import ApplicantRead, ApplicantRegister, MessageRead
from api.errors import Conflict, NotFound, ServiceError
from api.services.institutions import link_applicant
from core.i18n import ENGLISH, N_, current_language
from core.i18n import gettext as _
from core.models import Applicant, OutboxMail, utcnow
from core.outbox import Outbox
from core.security import TokenExpired, hash_password, read_token
from core.settings import Settings
from core.verification import VERIFY_NOTICE, VERIFY_PURPOSE, VERIFY_VALID_FOR

log = logging.getLogger(__name__)

RESEND_PATH = "/akun/verifikasi-ulang"
MAX_VERIFY_MAILS_PER_DAY = 5

DUPLICATE_MESSAGE = N_("Email ini sudah terdaftar; masuk atau minta tautan verifikasi baru")
RESEND_MESSAGE = N_(
    "Jika email tersebut terdaftar dan belum diverifikasi, tautan verifikasi baru sudah kami kirim. "
    "Periksa kotak masuk dan folder spam Anda."
)


class LinkExpired(ServiceError):
    """A well-made link past its time: the person asks for a new one."""


def applicant_read(applicant: Applicant, message: str = "") -> ApplicantRead:
    """The account as the applicant sees it."""
    return ApplicantRead(
        id=applicant.id,
        email=applicant.email,
        name=applicant.name,
        institution=applicant.institution,
        segment=applicant.segment,
        npwp=applicant.npwp,
        abroad=applicant.abroad,
        verified=applicant.email_verified_at is not None,
        email_verified_at=applicant.email_verified_at,
        created_at=applicant.created_at,
        message=message,
    )


def _mail_key_prefix(applicant: Applicant) -> str:
    """Mail keys of the account: id and creation time, as an id may come back after an account is deleted."""
    return f"applicant-verify-{applicant.id}-{applicant.created_at.astimezone(UTC):%Y%m%d%H%M%S%f}-"


async def _write_verification(
    *, session: AsyncSession, settings: Settings, applicant: Applicant, sequence: int
) -> None:
    """The verification mail into the outbox, in the caller's transaction: it is sent once that commits."""
    await Outbox(settings).add_applicant_mail(
        session, key=f"{_mail_key_prefix(applicant)}{sequence}", notice=VERIFY_NOTICE, applicant=applicant, at=utcnow()
    )


async def register_applicant(*, session: AsyncSession, settings: Settings, request: ApplicantRegister) -> ApplicantRead:
    """Create an unverified account (one per email) and its verification mail, in one transaction."""
    email = str(request.email).strip().lower()
    if await session.scalar(select(Applicant.id).where(Applicant.email == email)) is not None:
        raise Conflict(_(DUPLICATE_MESSAGE))
    applicant = Applicant(
        email=email,
        name=request.name.strip(),
        institution=request.institution.strip(),
        segment=request.segment.value,
        npwp=request.npwp,
        abroad=request.abroad,
        language=request.language or (ENGLISH if request.abroad else current_language()),
        password_hash=await asyncio.to_thread(hash_password, request.password),
        created_at=utcnow(),
    )
    session.add(applicant)
    try:
        await session.flush()
        await link_applicant(session, applicant)  # its institution as a record, resolved from the name entered
        await _write_verification(session=session, settings=settings, applicant=applicant, sequence=0)
        await session.commit()
    except IntegrityError as error:
        await session.rollback()
        raise Conflict(_(DUPLICATE_MESSAGE)) from error
    return applicant_read(
        applicant,
        _(
            "Akun dibuat. Kami mengirim tautan verifikasi ke %(email)s; buka tautan itu dalam %(hours)s jam untuk "
            "mengaktifkan akun."
        )
        % {"email": email, "hours": int(VERIFY_VALID_FOR.total_seconds() // 3600)},
    )


async def verify_email(*, session: AsyncSession, token: str, settings: Settings) -> ApplicantRead:
    """Mark the email of the token's account as verified (a second time changes nothing)."""
    try:
        subject = read_token(settings.secret_key.get_secret_value(), VERIFY_PURPOSE, token, VERIFY_VALID_FOR)
        applicant_id = int(subject)
    except TokenExpired as error:
        raise LinkExpired(
            _("Tautan verifikasi ini sudah kedaluwarsa (berlaku %(hours)s jam). Minta tautan baru di %(path)s.")
            % {"hours": int(VERIFY_VALID_FOR.total_seconds() // 3600), "path": RESEND_PATH}
        ) from error
    except ValueError as error:
        raise ServiceError(
            _(
                "Tautan verifikasi ini tidak valid: mungkin terpotong saat disalin. Salin tautan lengkap dari email, "
                "atau minta tautan baru di %(path)s."
            )
            % {"path": RESEND_PATH}
        ) from error
    applicant = await session.get(Applicant, applicant_id)
    if applicant is None:
        raise NotFound(_("Akun untuk tautan verifikasi ini tidak ditemukan. Daftar lagi."))
    if applicant.email_verified_at is not None:
        return applicant_read(applicant, _("Email ini sudah terverifikasi sebelumnya. Silakan masuk."))
    applicant.email_verified_at = utcnow()
    await session.commit()
    log.info("applicant %s verified the email", applicant.id)
    return applicant_read(applicant, _("Email terverifikasi. Akun Anda aktif; silakan masuk."))


async def resend_verification(*, session: AsyncSession, settings: Settings, email: str) -> MessageRead:
    """Send a new link if the account exists and is unverified; the answer is the same either way."""
    applicant = await session.scalar(select(Applicant).where(Applicant.email == email.strip().lower()))
    if applicant is None or applicant.email_verified_at is not None:
        return MessageRead(message=_(RESEND_MESSAGE))
    prefix = _mail_key_prefix(applicant)
    sent_before = int(
        await session.scalar(select(func.count()).select_from(OutboxMail).where(OutboxMail.key.startswith(prefix))) or 0
    )
    sent_today = int(
        await session.scalar(
            select(func.count())
            .select_from(OutboxMail)
            .where(OutboxMail.key.startswith(prefix), OutboxMail.created_at > utcnow() - timedelta(days=1))
        )
        or 0
    )
    if sent_today >= MAX_VERIFY_MAILS_PER_DAY:
        log.warning("applicant %s asked too many verification mails today", applicant.id)
        return MessageRead(message=_(RESEND_MESSAGE))
    # Sequence 0 is the registration's mail (accounts made before 2026-11-28 may have it outside the outbox still).
    try:
        await _write_verification(session=session, settings=settings, applicant=applicant, sequence=max(sent_before, 1))
        await session.commit()
    except IntegrityError:  # a resend asked at the same moment wrote this mail: one is enough
        await session.rollback()
    return MessageRead(message=_(RESEND_MESSAGE))
