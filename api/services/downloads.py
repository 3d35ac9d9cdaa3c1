"""Downloads of a sale's data package: who may download (the owner signed in, or a walk-in guest with the
receipt's one-time code), each download counted atomically against the link's limit and logged, and the
support window of new links counted in days from the delivery."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import Client

from api.errors import Forbidden, Gone, Invalid, NotFound, ServiceError
from api.sale_schemas import ActionRead
from api.services.auth import Unauthorized
from api.services.cases import act
from contracts.sale import NewLinkRequest
from core.download_code import code_matches
from core.enums import SaleStep
from core.formatting import date_in_words, local_time
from core.i18n import N_
from core.i18n import gettext as _
from core.models import (
    Applicant,
    AuditEntry,
    Case,
    Document,
    DownloadCode,
    DownloadLink,
    DownloadLog,
    Office,
    StaffAccount,
    utcnow,
)
from core.settings import Settings
from workflows.sale import SaleWorkflow

MAX_CODE_FAILURES = 5  # wrong codes in a row before the code is locked
CODE_LOCK = timedelta(minutes=15)
DELIVERED = "delivered"  # the audit action of the delivery: the day the transaction completed
ASK_THE_DESK = N_("Hubungi meja PST kantor BPS yang melayani permintaan ini.")


class CodeLocked(ServiceError):
    """Too many wrong download codes: the link is locked for a while."""

    status = 429


@dataclass(frozen=True)
class Served:
    """A counted download: the file to send and the name it is sent under."""

    path: Path
    filename: str


# ---------------------------------------------------------------- the support window (new links)


async def office_zone(*, session: AsyncSession, case: Case) -> ZoneInfo:
    """The time zone of the case's office: its days are the office's days."""
    office = await session.get(Office, case.office_code)
    return ZoneInfo(office.timezone if office is not None else "Asia/Jakarta")


def support_window_open(case: Case) -> None:
    """Gone once the sale has ended (its step says so); the date is checked by ``ensure_support_window``."""
    if case.step == SaleStep.COMPLETED:
        raise Gone(
            _(
                "Masa layanan tautan ulang 30 hari untuk %(id)s sudah berakhir; tautan baru tidak dapat diberikan. "
                "%(desk)s"
            )
            % {"id": case.id, "desk": _(ASK_THE_DESK)}
        )


async def support_window_last_day(*, session: AsyncSession, settings: Settings, case: Case) -> date | None:
    """The last day (in the office's zone) on which a new link is served: the delivery's day plus the window's
    days; None before the delivery."""
    delivered_at = await session.scalar(
        select(AuditEntry.at).where(AuditEntry.case_id == case.id, AuditEntry.action == DELIVERED).limit(1)
    )
    if delivered_at is None:
        return None
    zone = await office_zone(session=session, case=case)
    return delivered_at.astimezone(zone).date() + timedelta(days=settings.support_window_days)


async def ensure_support_window(*, session: AsyncSession, settings: Settings, case: Case) -> None:
    """Gone when the 30 days after the delivery are over (by the date, whatever step the case is in)."""
    support_window_open(case)
    last_day = await support_window_last_day(session=session, settings=settings, case=case)
    if last_day is None:
        return
    today = utcnow().astimezone(await office_zone(session=session, case=case)).date()
    if today > last_day:
        raise Gone(
            _(
                "Masa %(support_window_days)s hari untuk meminta tautan unduhan baru bagi %(id)s berakhir pada "
                "%(last_day)s; tautan baru tidak dapat diberikan lagi. %(desk)s"
            )
            % {
                "support_window_days": settings.support_window_days,
                "id": case.id,
                "last_day": date_in_words(last_day),
                "desk": _(ASK_THE_DESK),
            }
        )


CORRECTION_TOO_LATE = N_(
    "Masa layanan 30 hari setelah data %(id)s dikirim sudah berakhir; data perbaikan tidak dapat dikirim lagi. "
    "Pemohon yang masih memerlukan perbaikan dapat mengajukan permintaan baru."
)


def correction_window_open(case: Case) -> None:
    """Gone once the sale has ended: a corrected package is delivered only within the support window."""
    if case.step == SaleStep.COMPLETED:
        raise Gone(_(CORRECTION_TOO_LATE) % {"id": case.id})


async def ensure_correction_window(*, session: AsyncSession, settings: Settings, case: Case) -> None:
    """Gone when the days after the delivery are over (by the date, whatever step the case is in)."""
    correction_window_open(case)
    last_day = await support_window_last_day(session=session, settings=settings, case=case)
    if last_day is not None and utcnow().astimezone(await office_zone(session=session, case=case)).date() > last_day:
        raise Gone(
            _(
                "Masa %(days)s hari setelah data %(id)s dikirim berakhir pada %(last_day)s; data perbaikan tidak dapat "
                "dikirim lagi. Pemohon yang masih memerlukan perbaikan dapat mengajukan permintaan baru."
            )
            % {"days": settings.support_window_days, "id": case.id, "last_day": date_in_words(last_day)}
        )


async def is_replaced(*, session: AsyncSession, link: DownloadLink) -> bool:
    """Whether the package of ``link`` was replaced by a corrected one: the case's newest link names another file."""
    newest = await session.scalar(
        select(DownloadLink.document_id)
        .where(DownloadLink.case_id == link.case_id)
        .order_by(DownloadLink.created_at.desc())
        .limit(1)
    )
    return newest is not None and newest != link.document_id


async def request_new_link(
    *,
    session: AsyncSession,
    temporal: Client,
    settings: Settings,
    case: Case,
    message: NewLinkRequest,
    idempotency_key: str | None,
) -> ActionRead:
    """A new link within the support window (counted from the delivery's date); after it, a clear refusal."""
    await ensure_support_window(session=session, settings=settings, case=case)
    action = await act(
        session=session,
        temporal=temporal,
        case=case,
        update=SaleWorkflow.request_new_link,
        message=message,
        idempotency_key=idempotency_key,
    )
    return await with_newest_link(session=session, action=action)


async def with_newest_link(*, session: AsyncSession, action: ActionRead) -> ActionRead:
    """``action`` with the token of the case's newest download link as its detail (no workflow carries it)."""
    token = await session.scalar(
        select(DownloadLink.token).where(DownloadLink.case_id == action.id).order_by(DownloadLink.created_at.desc())
    )
    return action.model_copy(update={"detail": token or ""})


# ---------------------------------------------------------------- who may download


async def link_and_case(*, session: AsyncSession, token: str) -> tuple[DownloadLink, Case]:
    """The link of ``token`` and its case; an unknown token says so."""
    link = await session.get(DownloadLink, token)
    case = await session.get(Case, link.case_id) if link is not None else None
    if link is None or case is None:
        raise NotFound(_("Tautan unduhan tidak dikenal. Periksa tautan pada email Anda."))
    return link, case


def ensure_owner(case: Case, account: StaffAccount | Applicant | None) -> None:
    """Only the applicant whose request it is downloads through a link: 401 unsigned, 403 anyone else."""
    if account is None:
        if case.applicant_id is None:
            raise Unauthorized(
                _(
                    "Unduhan ini memerlukan kode unduhan yang tercetak pada kuitansi Anda: buka tautan pada email "
                    "di peramban dan masukkan kodenya."
                )
            )
        raise Unauthorized(_("Masuk dengan akun pemohon yang mengajukan permintaan ini untuk mengunduh datanya."))
    if isinstance(account, StaffAccount):
        raise Forbidden(_("Tautan unduhan hanya untuk pemohon; staf membuka berkas dari halaman permintaan."))
    if case.applicant_id != account.id:
        raise Forbidden(_("Data ini milik permintaan akun lain; tautan unduhan hanya berlaku bagi pemohonnya."))


async def check_code(*, session: AsyncSession, case: Case, code: str) -> None:
    """The receipt's one-time code of a walk-in guest: wrong codes are counted, and after MAX_CODE_FAILURES the
    code is locked for CODE_LOCK (each try claims an attempt first, so parallel guesses cannot pass the limit)."""
    if case.applicant_id is not None:
        raise Forbidden(_("Permintaan ini milik akun pemohon: masuk dengan akun itu untuk mengunduh datanya."))
    stored = await session.get(DownloadCode, case.id)
    if stored is None:
        raise Forbidden(_("Kuitansi permintaan ini tidak memuat kode unduhan. %(desk)s") % {"desk": _(ASK_THE_DESK)})
    now = utcnow()
    claimed = await session.execute(
        update(DownloadCode)
        .where(
            DownloadCode.case_id == case.id,
            DownloadCode.failures < MAX_CODE_FAILURES,
            (DownloadCode.locked_until.is_(None)) | (DownloadCode.locked_until <= now),
        )
        .values(failures=DownloadCode.failures + 1)
        .returning(DownloadCode.failures)
        .execution_options(synchronize_session=False)
    )
    tries = claimed.scalar()
    await session.commit()
    if tries is None:
        await session.refresh(stored)
        until = stored.locked_until or now + CODE_LOCK
        zone = await office_zone(session=session, case=case)
        raise CodeLocked(
            _("Terlalu banyak kode salah. Tautan ini dikunci sampai %(until)s; coba lagi setelahnya. %(desk)s")
            % {"until": local_time(until, zone.key), "desk": _(ASK_THE_DESK)}
        )
    if code_matches(stored.code_hash, case.id, code):
        await session.execute(update(DownloadCode).where(DownloadCode.case_id == case.id).values(failures=0))
        await session.commit()
        return
    if tries >= MAX_CODE_FAILURES:
        await session.execute(
            update(DownloadCode).where(DownloadCode.case_id == case.id).values(failures=0, locked_until=now + CODE_LOCK)
        )
        await session.commit()
        raise CodeLocked(
            _(
                "Kode unduhan salah %(count)s kali. Tautan ini dikunci %(minutes)s menit; periksa kode pada kuitansi "
                "dan coba lagi setelahnya."
            )
            % {"count": MAX_CODE_FAILURES, "minutes": int(CODE_LOCK.total_seconds() // 60)}
        )
    left = MAX_CODE_FAILURES - tries
    raise Invalid(
        _(
            "Kode unduhan salah. Masukkan 8 karakter yang tercetak pada kuitansi Anda (mis. ABCD-EFGH); sisa "
            "%(left)s percobaan sebelum tautan dikunci."
        )
        % {"left": left}
    )


# ---------------------------------------------------------------- the download itself


async def take_download(*, session: AsyncSession, settings: Settings, link: DownloadLink, ip: str) -> Served:
    """Count one download in one conditional UPDATE (so the limit holds under any concurrency), log it, and
    return the file; a link expired or used up is refused with what to do."""
    now, expires_at, limit = utcnow(), link.expires_at, link.max_downloads
    if await is_replaced(session=session, link=link):
        raise Gone(
            _(
                "Data pada tautan ini sudah diganti dengan data perbaikan. Gunakan tautan pada email terbaru kami, "
                "atau minta tautan baru dengan nomor kuitansi Anda."
            )
        )
    counted = await session.execute(
        update(DownloadLink)
        .where(
            DownloadLink.token == link.token,
            DownloadLink.downloads < DownloadLink.max_downloads,
            DownloadLink.expires_at > now,
        )
        .values(downloads=DownloadLink.downloads + 1)
        .execution_options(synchronize_session=False)
    )
    if counted.rowcount != 1:  # type: ignore[attr-defined]
        await session.rollback()
        if expires_at <= now:
            raise Gone(_("Tautan unduhan sudah kedaluwarsa. Minta tautan baru dengan nomor kuitansi Anda."))
        raise Gone(
            _(
                "Tautan ini sudah dipakai %(limit)s kali. Minta tautan baru dengan nomor kuitansi dalam 30 hari "
                "setelah data dikirim."
            )
            % {"limit": limit}
        )
    session.add(DownloadLog(token=link.token, case_id=link.case_id, ip=ip))
    document = await session.get(Document, link.document_id)
    assert document is not None
    await session.commit()
    return Served(settings.storage_dir / document.path, document.filename)


async def download_as(
    *, session: AsyncSession, settings: Settings, token: str, account: StaffAccount | Applicant | None, ip: str
) -> Served:
    """The data package of a link, for the signed-in applicant whose request it is."""
    link, case = await link_and_case(session=session, token=token)
    ensure_owner(case, account)
    return await take_download(session=session, settings=settings, link=link, ip=ip)


async def newest_link(*, session: AsyncSession, case_id: str) -> tuple[DownloadLink, Case]:
    """The newest download link of a case named by its number (as printed on the receipt), and the case."""
    case = await session.get(Case, case_id.strip().lower())
    if case is None:
        raise NotFound(_("Nomor permintaan tidak dikenal. Salin nomor dari kuitansi, mis. sale-6202-2026-000123."))
    link = await session.scalar(
        select(DownloadLink).where(DownloadLink.case_id == case.id).order_by(DownloadLink.created_at.desc()).limit(1)
    )
    if link is None:
        raise NotFound(
            _("Data permintaan %(id)s belum dikirim. Coba lagi setelah petugas mengirim datanya.") % {"id": case.id}
        )
    return link, case


async def download_case_with_code(
    *, session: AsyncSession, settings: Settings, case_id: str, code: str, ip: str
) -> Served:
    """The data package of a walk-in guest's case (its number and code both from the receipt): the newest link."""
    link, case = await newest_link(session=session, case_id=case_id)
    await check_code(session=session, case=case, code=code)
    return await take_download(session=session, settings=settings, link=link, ip=ip)


async def download_with_code(*, session: AsyncSession, settings: Settings, token: str, code: str, ip: str) -> Served:
    """The data package of a link, for a walk-in guest who gives the receipt's one-time code."""
    link, case = await link_and_case(session=session, token=token)
    await check_code(session=session, case=case, code=code)
    return await take_download(session=session, settings=settings, link=link, ip=ip)
