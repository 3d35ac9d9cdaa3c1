"""A forgotten password: a signed, single-use, time-limited link by mail, then a new password that ends every
other session. The answer to the request is the same whether or not the email has an account."""

from __future__ import annotations

import hmac
import logging
from datetime import UTC, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from api.applicant_schemas import MessageRead
from api.errors import ServiceError
from api.services.applicants import LinkExpired
from api.services.auth import new_password
from core.i18n import N_, using_language
from core.i18n import gettext as _
from core.models import Applicant, OutboxMail, utcnow
from core.outbox import Outbox
from core.security import TokenExpired, password_stamp, read_token, sign_token
from core.settings import Settings

log = logging.getLogger(__name__)

RESET_PURPOSE = "applicant-password-reset"
RESET_VALID_FOR = timedelta(hours=1)
RESET_NOTICE = "applicant_password_reset"
REQUEST_PATH = "/akun/lupa-kata-sandi"
SET_PATH = "/akun/atur-kata-sandi"
MAX_RESET_MAILS_PER_DAY = 5

SENT_MESSAGE = N_(
    "Jika email tersebut terdaftar, kami sudah mengirim tautan untuk mengatur kata sandi baru. Periksa kotak masuk "
    "dan folder spam Anda; tautannya berlaku 60 menit."
)


def reset_link(*, settings: Settings, applicant: Applicant) -> str:
    """The link that sets a new password: it names the account and its password's fingerprint, so it works once."""
    subject = f"{applicant.id}:{password_stamp(applicant.password_hash)}"
    token = sign_token(settings.secret_key.get_secret_value(), RESET_PURPOSE, subject, utcnow())
    return f"{settings.public_base_url}{SET_PATH}?token={token}"


def _key_prefix(applicant: Applicant) -> str:
    return f"applicant-reset-{applicant.id}-{applicant.created_at.astimezone(UTC):%Y%m%d%H%M%S%f}-"


async def request_password_reset(*, session: AsyncSession, settings: Settings, email: str) -> MessageRead:
    """Mail a link to set a new password to the account of ``email``, at most a few a day; the same answer for an
    email with no account."""
    applicant = await session.scalar(select(Applicant).where(Applicant.email == email.strip().lower()))
    if applicant is None:
        return MessageRead(message=_(SENT_MESSAGE))
    prefix = _key_prefix(applicant)
    count = select(func.count()).select_from(OutboxMail).where(OutboxMail.key.startswith(prefix))
    sent_ever = int(await session.scalar(count) or 0)
    sent_today = int(await session.scalar(count.where(OutboxMail.created_at > utcnow() - timedelta(days=1))) or 0)
    if sent_today >= MAX_RESET_MAILS_PER_DAY:
        log.warning("applicant %s asked too many password links today", applicant.id)
        return MessageRead(message=_(SENT_MESSAGE))
    context = {
        "link": reset_link(settings=settings, applicant=applicant),
        "applicant_name": applicant.name,
        "public_base_url": settings.public_base_url,
        "valid_minutes": int(RESET_VALID_FOR.total_seconds() // 60),
    }
    try:
        with using_language(applicant.language):
            await Outbox(settings).add(
                session,
                key=f"{prefix}{sent_ever}",
                to=[applicant.email],
                notice=RESET_NOTICE,
                context=context,
                case_id=None,
            )
        await session.commit()
    except IntegrityError:  # the same request at the same moment wrote this mail: one is enough
        await session.rollback()
    return MessageRead(message=_(SENT_MESSAGE))


async def account_of_link(*, session: AsyncSession, settings: Settings, token: str) -> Applicant:
    """The account whose password the link may set, or a ServiceError saying why not (expired, used, broken)."""
    again = _("Minta tautan baru di %(path)s.") % {"path": REQUEST_PATH}
    try:
        subject = read_token(settings.secret_key.get_secret_value(), RESET_PURPOSE, token, RESET_VALID_FOR)
    except TokenExpired as expired:
        raise LinkExpired(_("Tautan ini sudah kedaluwarsa (berlaku 60 menit).") + " " + again) from expired
    except ValueError as broken:
        raise ServiceError(_("Tautan ini tidak valid: mungkin terpotong saat disalin.") + " " + again) from broken
    account_id, _colon, stamp = subject.partition(":")
    applicant = await session.get(Applicant, int(account_id)) if account_id.isdigit() else None
    if applicant is None or not hmac.compare_digest(stamp, password_stamp(applicant.password_hash)):
        raise LinkExpired(_("Tautan ini sudah dipakai atau tidak berlaku lagi.") + " " + again)
    return applicant


async def set_password_by_link(*, session: AsyncSession, settings: Settings, token: str, password: str) -> Applicant:
    """Set the link's account's new password: the link and every session and token of the account end; the email
    is verified, as the link came to it."""
    applicant = await account_of_link(session=session, settings=settings, token=token)
    await new_password(session=session, account=applicant, password=password)
    if applicant.email_verified_at is None:
        applicant.email_verified_at = utcnow()
    await session.commit()
    log.info("applicant %s set a new password by a mailed link", applicant.id)
    return applicant
