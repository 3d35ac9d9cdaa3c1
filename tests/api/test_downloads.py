"""Downloads of the data package as an owner, a stranger and an attacker would try them: the link needs its
owner (or a walk-in guest's receipt code), the limit holds under parallel downloads, and new links end 30 days
after the delivery by the date, whatever step the case is in."""

from __future__ import annotations

import asyncio
import io
import re
import secrets
from datetime import timedelta
from zoneinfo import ZoneInfo

import httpx
from pypdf import PdfReader
from sqlalchemy import func, select, update
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from activities.documents import DocumentWriter
from api.services.downloads import MAX_CODE_FAILURES
from contracts.documents import PriceLine, ReceiptRequest
from contracts.sale import AbstractReview, Delivery, Offer, PaymentRecord, ReceiptIssue, SppdReceived
from core.db import SessionFactory
from core.download_code import code_hash
from core.enums import Channel, Decision, Role, SaleStep
from core.formatting import date_in_words
from core.models import Applicant, AuditEntry, Case, Document, DownloadCode, DownloadLink, DownloadLog, utcnow
from core.settings import Settings
from tests.api.conftest import ui_login
from tests.helpers import (
    APPLICANT_EMAIL,
    APPLICANT_PASSWORD,
    TokenAuth,
    make_applicant,
    officer,
    start_sale,
    store_document,
    store_sale,
    wait_for_step,
)
from workflows.sale import SaleWorkflow

PACKAGE = b"PK\x03\x04paket-data"
GUEST_CODE = "HJKM-7Q2X"


async def _applicant_id(session_factory: SessionFactory, email: str = APPLICANT_EMAIL) -> int:
    async with session_factory() as session:
        found = await session.scalar(select(Applicant.id).where(Applicant.email == email))
    assert found is not None
    return found


async def _linked_case(
    session_factory: SessionFactory,
    settings: Settings,
    *,
    owner: int | None,
    max_downloads: int = 5,
    guest_code: str = "",
) -> str:
    """A delivered sale as the database holds it: its package on disk and one fresh link; returns the token."""
    case = await store_sale(session_factory, channel=Channel.ONLINE if owner else Channel.WALK_IN)
    folder = settings.storage_dir / case.id
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "paket.zip").write_bytes(PACKAGE)
    token = secrets.token_urlsafe(24)
    async with session_factory() as session, session.begin():
        row = await session.get(Case, case.id)
        assert row is not None
        row.applicant_id, row.step = owner, SaleStep.SUPPORT
        document = Document(
            case_id=case.id,
            kind="data_package",
            filename="paket.zip",
            content_type="application/zip",
            size=len(PACKAGE),
            sha256="0" * 64,
            path=f"{case.id}/paket.zip",
            created_by="test",
        )
        session.add(document)
        await session.flush()
        session.add(
            DownloadLink(
                token=token,
                case_id=case.id,
                document_id=document.id,
                expires_at=utcnow() + timedelta(days=7),
                max_downloads=max_downloads,
            )
        )
        if guest_code:
            session.add(DownloadCode(case_id=case.id, code_hash=code_hash(case.id, guest_code)))
    return token


async def _counted(session_factory: SessionFactory, token: str) -> tuple[int, int]:
    """The link's counter and how many downloads its log holds."""
    async with session_factory() as session:
        link = await session.get(DownloadLink, token)
        logged = await session.scalar(select(func.count()).select_from(DownloadLog).where(DownloadLog.token == token))
    assert link is not None
    return link.downloads, int(logged or 0)


# ---------------------------------------------------------------- the limit under concurrency


async def test_twelve_parallel_downloads_of_a_five_download_link_serve_exactly_five(
    api: httpx.AsyncClient, session_factory: SessionFactory, settings: Settings, applicant_auth: TokenAuth
) -> None:
    token = await _linked_case(session_factory, settings, owner=await _applicant_id(session_factory))
    signed = await api.post("/api/v1/auth/token", data={"username": APPLICANT_EMAIL, "password": APPLICANT_PASSWORD})
    bearer = {"Authorization": f"Bearer {signed.json()['access_token']}"}

    answers = await asyncio.gather(*(api.get(f"/api/v1/downloads/{token}", headers=bearer) for _ in range(12)))

    served = [answer for answer in answers if answer.status_code == 200]
    refused = [answer for answer in answers if answer.status_code == 410]
    assert len(served) == 5 and len(refused) == 7, [answer.status_code for answer in answers]
    assert all(answer.content == PACKAGE for answer in served)
    assert all("sudah dipakai 5 kali" in answer.json()["detail"] for answer in refused)
    assert await _counted(session_factory, token) == (5, 5)


async def test_an_expired_link_serves_nothing_and_counts_nothing(
    api: httpx.AsyncClient, session_factory: SessionFactory, settings: Settings, applicant_auth: TokenAuth
) -> None:
    token = await _linked_case(session_factory, settings, owner=await _applicant_id(session_factory))
    async with session_factory() as session, session.begin():
        await session.execute(
            update(DownloadLink).where(DownloadLink.token == token).values(expires_at=utcnow() - timedelta(minutes=1))
        )
    expired = await api.get(f"/api/v1/downloads/{token}", auth=applicant_auth)
    assert expired.status_code == 410 and "kedaluwarsa" in expired.json()["detail"]
    assert await _counted(session_factory, token) == (0, 0)


# ---------------------------------------------------------------- the owner


async def test_a_link_serves_only_its_owner(
    api: httpx.AsyncClient,
    session_factory: SessionFactory,
    settings: Settings,
    applicant_auth: TokenAuth,
    login: object,
) -> None:
    token = await _linked_case(session_factory, settings, owner=await _applicant_id(session_factory))
    stranger = TokenAuth(*await make_applicant(session_factory, email="orang.lain@example.com"))

    unsigned = await api.get(f"/api/v1/downloads/{token}")
    other = await api.get(f"/api/v1/downloads/{token}", auth=stranger)
    staff = await api.get(f"/api/v1/downloads/{token}", auth=login("6202", "officer"))  # type: ignore[operator]
    unknown = await api.get("/api/v1/downloads/no-such-token", auth=applicant_auth)
    assert unsigned.status_code == 401 and "Masuk dengan akun pemohon" in unsigned.json()["detail"]
    assert other.status_code == 403 and "akun lain" in other.json()["detail"]
    assert staff.status_code == 403 and "halaman permintaan" in staff.json()["detail"]
    assert unknown.status_code == 404 and "tidak dikenal" in unknown.json()["detail"]
    assert await _counted(session_factory, token) == (0, 0)

    owner = await api.get(f"/api/v1/downloads/{token}", auth=applicant_auth)
    assert owner.status_code == 200 and owner.content == PACKAGE
    async with session_factory() as session:
        ip = await session.scalar(select(DownloadLog.ip).where(DownloadLog.token == token))
    assert ip is not None and await _counted(session_factory, token) == (1, 1)


async def test_the_mailed_link_leads_through_sign_in_and_back(
    api: httpx.AsyncClient, session_factory: SessionFactory, settings: Settings
) -> None:
    email, password = await make_applicant(session_factory)
    token = await _linked_case(session_factory, settings, owner=await _applicant_id(session_factory))

    unsigned = await api.get(f"/unduh/{token}")
    assert unsigned.status_code == 303 and unsigned.headers["location"] == f"/login?next=/unduh/{token}"
    assert await _counted(session_factory, token) == (0, 0)

    stranger_email, stranger_password = await make_applicant(session_factory, email="orang.lain@example.com")
    await ui_login(api, stranger_email, stranger_password)
    assert (await api.get(f"/unduh/{token}")).status_code == 403
    cookie_api = await api.get(f"/api/v1/downloads/{token}")
    assert cookie_api.status_code == 403 and "akun lain" in cookie_api.json()["detail"]

    api.cookies.clear()
    page = await api.get("/login", params={"next": f"/unduh/{token}"})
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf is not None and f'value="/unduh/{token}"' in page.text
    signed = await api.post(
        "/login", data={"email": email, "password": password, "csrf": csrf.group(1), "next": f"/unduh/{token}"}
    )
    assert signed.status_code == 303 and signed.headers["location"] == f"/unduh/{token}"
    downloaded = await api.get(f"/unduh/{token}")
    assert downloaded.status_code == 200 and downloaded.content == PACKAGE
    by_cookie = await api.get(f"/api/v1/downloads/{token}")
    assert by_cookie.status_code == 200 and await _counted(session_factory, token) == (2, 2)


# ---------------------------------------------------------------- a walk-in guest's receipt code


def _code_form_csrf(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


async def test_a_walk_in_guest_downloads_with_the_receipt_code_and_guessing_locks_the_link(
    api: httpx.AsyncClient, session_factory: SessionFactory, settings: Settings, applicant_auth: TokenAuth
) -> None:
    token = await _linked_case(session_factory, settings, owner=None, guest_code=GUEST_CODE)
    unsigned = await api.get(f"/api/v1/downloads/{token}")
    signed_in = await api.get(f"/api/v1/downloads/{token}", auth=applicant_auth)
    assert unsigned.status_code == 401 and "kode unduhan" in unsigned.json()["detail"]
    assert signed_in.status_code == 403  # an account that is not the guest's gets nothing either

    page = await api.get(f"/unduh/{token}")
    assert page.status_code == 200 and 'name="code"' in page.text and "<script>" not in page.text
    csrf = _code_form_csrf(page.text)

    wrong = await api.post(f"/unduh/{token}", data={"csrf": csrf, "code": "AAAA-AAAA"})
    assert wrong.status_code == 422
    assert 'class="error-summary"' in wrong.text and 'id="code-error"' in wrong.text
    assert "Kode unduhan salah" in wrong.text and 'value="AAAA-AAAA"' in wrong.text
    assert wrong.text.count("sisa 4 percobaan") == 2  # in the summary and beside the field
    assert await _counted(session_factory, token) == (0, 0)

    right = await api.post(f"/unduh/{token}", data={"csrf": csrf, "code": GUEST_CODE.lower().replace("-", " ")})
    assert right.status_code == 200 and right.content == PACKAGE
    assert await _counted(session_factory, token) == (1, 1)

    answers = [
        await api.post(f"/unduh/{token}", data={"csrf": csrf, "code": f"WRNG-{index:04d}"})
        for index in range(MAX_CODE_FAILURES)
    ]
    assert [answer.status_code for answer in answers] == [422] * (MAX_CODE_FAILURES - 1) + [429]
    locked = await api.post(f"/unduh/{token}", data={"csrf": csrf, "code": GUEST_CODE})
    assert locked.status_code == 429 and "dikunci sampai" in locked.text and locked.headers["retry-after"] == "900"
    assert await _counted(session_factory, token) == (1, 1)

    async with session_factory() as session, session.begin():
        await session.execute(update(DownloadCode).values(locked_until=utcnow() - timedelta(seconds=1)))
    after = await api.post(f"/unduh/{token}", data={"csrf": csrf, "code": GUEST_CODE})
    assert after.status_code == 200 and await _counted(session_factory, token) == (2, 2)


async def test_parallel_code_guesses_cannot_pass_the_limit(
    api: httpx.AsyncClient, session_factory: SessionFactory, settings: Settings
) -> None:
    token = await _linked_case(session_factory, settings, owner=None, guest_code=GUEST_CODE)
    csrf = _code_form_csrf((await api.get(f"/unduh/{token}")).text)
    guesses = await asyncio.gather(
        *(api.post(f"/unduh/{token}", data={"csrf": csrf, "code": f"WRNG-{index:04d}"}) for index in range(12))
    )
    assert sum(answer.status_code == 422 for answer in guesses) <= MAX_CODE_FAILURES - 1
    assert sum(answer.status_code == 429 for answer in guesses) >= 12 - MAX_CODE_FAILURES + 1
    locked = await api.post(f"/unduh/{token}", data={"csrf": csrf, "code": GUEST_CODE})
    assert locked.status_code == 429 and await _counted(session_factory, token) == (0, 0)


# ---------------------------------------------------------------- the 30 days, by the date


SUSENAS = [PriceLine(item="Susenas Maret 2025", tariff_code="microdata", quantity=1_500_000)]


async def _delivered_sale(
    session_factory: SessionFactory, client: Client, settings: Settings, owner: int
) -> tuple[str, str]:
    """A walk-in sale delivered through its workflow and owned by ``owner``; returns its id and receipt number."""
    case = await start_sale(session_factory, client, settings, channel=Channel.WALK_IN)
    await wait_for_step(client, case.id, SaleStep.ABSTRACT_REVIEW)
    handle = client.get_workflow_handle_for(SaleWorkflow.run, case.id)
    await handle.execute_update(SaleWorkflow.review_abstract, AbstractReview(Decision.APPROVE, officer()))
    await handle.execute_update(SaleWorkflow.record_sppd, SppdReceived(officer(), "on_site"))
    await handle.execute_update(SaleWorkflow.make_offer, Offer(officer(), SUSENAS))
    treasurer = officer(role=Role.TREASURER)
    await handle.execute_update(SaleWorkflow.record_payment, PaymentRecord(treasurer, "cash"))
    receipt = await handle.execute_update(SaleWorkflow.issue_receipt, ReceiptIssue(actor=treasurer))
    package = await store_document(session_factory, case.id, "data_package")
    await handle.execute_update(SaleWorkflow.deliver, Delivery(actor=officer(), document_id=package))
    async with session_factory() as session, session.begin():
        await session.execute(update(Case).where(Case.id == case.id).values(applicant_id=owner))
    return case.id, receipt.detail


async def _delivered_days_ago(session_factory: SessionFactory, case_id: str, days: int) -> str:
    """Move the delivery ``days`` back; returns the last day of the window in words, in the office's zone."""
    delivered_at = utcnow() - timedelta(days=days)
    async with session_factory() as session, session.begin():
        await session.execute(
            update(AuditEntry)
            .where(AuditEntry.case_id == case_id, AuditEntry.action == "delivered")
            .values(at=delivered_at)
        )
    local = delivered_at.astimezone(ZoneInfo("Asia/Jakarta")).date()  # 6202 keeps WIB
    return date_in_words(local + timedelta(days=30))


async def test_new_links_end_thirty_days_after_the_delivery_even_while_a_follow_up_keeps_the_case_open(
    api: httpx.AsyncClient,
    dev_env: WorkflowEnvironment,
    session_factory: SessionFactory,
    settings: Settings,
    applicant_auth: TokenAuth,
) -> None:
    owner = await _applicant_id(session_factory)
    case_id, receipt = await _delivered_sale(session_factory, dev_env.client, settings, owner)
    base = f"/api/v1/sales/{case_id}"
    rated = await api.post(
        f"{base}/rating", json={"scores": [1] * 9, "feedback": "Lambat", "follow_up": True}, auth=applicant_auth
    )
    assert rated.status_code == 200 and rated.json()["step"] == "support", rated.text

    await _delivered_days_ago(session_factory, case_id, 29)
    granted = await api.post(f"{base}/new-link", json={"receipt_number": receipt}, auth=applicant_auth)
    assert granted.status_code == 200 and granted.json()["detail"], granted.text

    last_day = await _delivered_days_ago(session_factory, case_id, 31)
    async with session_factory() as session:
        links_before = await session.scalar(
            select(func.count()).select_from(DownloadLink).where(DownloadLink.case_id == case_id)
        )
    refused = await api.post(f"{base}/new-link", json={"receipt_number": receipt}, auth=applicant_auth)
    assert refused.status_code == 410, refused.text
    detail = refused.json()["detail"]
    assert f"berakhir pada {last_day}" in detail and "meja PST" in detail
    async with session_factory() as session:
        links_after = await session.scalar(
            select(func.count()).select_from(DownloadLink).where(DownloadLink.case_id == case_id)
        )
        step = await session.scalar(select(Case.step).where(Case.id == case_id))
    assert links_after == links_before and step == SaleStep.SUPPORT


# ---------------------------------------------------------------- the code on the receipt


async def _receipt_text(session_factory: SessionFactory, settings: Settings, case_id: str) -> str:
    """Issue the case's receipt as the treasurer's step does, and read its PDF's text."""
    async with session_factory() as session, session.begin():
        receipt = await DocumentWriter(settings).receipt(session, ReceiptRequest(case_id=case_id, issued_by="test"))
    async with session_factory() as session:
        document = await session.get(Document, receipt.document_id)
    assert document is not None
    data = (settings.storage_dir / document.path).read_bytes()
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


async def test_a_walk_in_guest_receipt_prints_a_code_kept_only_as_a_hash_that_opens_the_link(
    api: httpx.AsyncClient, session_factory: SessionFactory, settings: Settings, applicant_auth: TokenAuth
) -> None:
    token = await _linked_case(session_factory, settings, owner=None)
    async with session_factory() as session:
        case_id = await session.scalar(select(DownloadLink.case_id).where(DownloadLink.token == token))
    assert case_id is not None
    receipt_text = await _receipt_text(session_factory, settings, case_id)
    printed = re.search(r"Kode unduhan data: ([A-Z0-9]{4}-[A-Z0-9]{4})", receipt_text)
    assert printed is not None
    code = printed.group(1)
    async with session_factory() as session:
        stored = await session.get(DownloadCode, case_id)
    assert stored is not None and code.replace("-", "") not in stored.code_hash and len(stored.code_hash) == 64

    assert f"http://pst.test/unduh dengan nomor permintaan {case_id}" in receipt_text
    csrf = _code_form_csrf((await api.get(f"/unduh/{token}")).text)
    opened = await api.post(f"/unduh/{token}", data={"csrf": csrf, "code": code})
    assert opened.status_code == 200 and opened.content == PACKAGE

    form = await api.get("/unduh")  # a guest who left no email: the number and the code, both from the receipt
    assert form.status_code == 200 and 'name="case_id"' in form.text and 'name="code"' in form.text
    csrf = _code_form_csrf(form.text)
    unknown = await api.post("/unduh", data={"csrf": csrf, "case_id": "sale-6202-1999-000001", "code": code})
    assert unknown.status_code == 404 and 'id="case_id-error"' in unknown.text and 'id="code-error"' not in unknown.text
    assert "Nomor permintaan tidak dikenal" in unknown.text and 'value="sale-6202-1999-000001"' in unknown.text
    blank = await api.post("/unduh", data={"csrf": csrf, "case_id": case_id, "code": ""})
    assert blank.status_code == 422 and 'id="code-error"' in blank.text
    by_number = await api.post("/unduh", data={"csrf": csrf, "case_id": f" {case_id.upper()} ", "code": code})
    assert by_number.status_code == 200 and by_number.content == PACKAGE
    assert await _counted(session_factory, token) == (2, 2)

    owned = await _linked_case(session_factory, settings, owner=await _applicant_id(session_factory))
    async with session_factory() as session:
        owned_case = await session.scalar(select(DownloadLink.case_id).where(DownloadLink.token == owned))
    assert owned_case is not None
    assert "Kode unduhan" not in await _receipt_text(session_factory, settings, owned_case)  # owners sign in
    async with session_factory() as session:
        assert await session.get(DownloadCode, owned_case) is None
