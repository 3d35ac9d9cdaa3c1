"""Applicant accounts through the JSON API: register, the mailed link verifies, only then may they sign in."""

from __future__ import annotations

import asyncio
import re
import uuid
from datetime import timedelta
from email.message import EmailMessage
from typing import Any

import httpx
from sqlalchemy import delete, select

from core.db import SessionFactory
from core.models import Applicant, OutboxMail, utcnow
from core.security import sign_token, verify_password
from core.verification import VERIFY_PURPOSE
from tests.conftest import TEST_SECRET, SmtpSink
from tests.helpers import TokenAuth, wait_for_mail

PASSWORD = "rahasia-sekali-123"
LINK = re.compile(r"http://pst\.test/verify-email\?token=([A-Za-z0-9_.-]+)")
NOT_VERIFIED = (
    "Verifikasi email Anda dulu: buka tautan yang kami kirim ke {email}, "
    "atau minta tautan baru di /akun/verifikasi-ulang"
)


def _email() -> str:
    return f"pemohon-{uuid.uuid4().hex[:10]}@example.com"


def _body(email: str, **changes: Any) -> dict[str, Any]:
    return {
        "name": "Budi Santoso",
        "email": email,
        "password": PASSWORD,
        "institution": "Universitas Palangka Raya",
        "segment": "education",
        **changes,
    }


def _plain(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())  # type: ignore[attr-defined]


def _html(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("html",))
    assert part is not None
    return str(part.get_content())  # type: ignore[attr-defined]


def _token(message: EmailMessage) -> str:
    found = LINK.search(_plain(message))
    assert found, _plain(message)
    return found.group(1)


async def _register(api: httpx.AsyncClient, smtp: SmtpSink, email: str) -> tuple[int, str]:
    """Register and return the account id and the token of the mailed link."""
    response = await api.post("/api/v1/applicants", json=_body(email.upper()))
    assert response.status_code == 201, response.text
    await wait_for_mail(smtp, 1)
    [mail] = smtp.to(email)
    return int(response.json()["id"]), _token(mail)


async def test_register_mail_verify_then_sign_in(
    api: httpx.AsyncClient, smtp: SmtpSink, session_factory: SessionFactory
) -> None:
    email = _email()
    response = await api.post("/api/v1/applicants", json=_body(email.upper(), npwp=""))
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["email"] == email and body["verified"] is False and body["segment"] == "education"
    assert email in body["message"] and "48 jam" in body["message"]
    assert "password" not in body and "password_hash" not in body

    async with session_factory() as session:
        row = await session.scalar(select(Applicant).where(Applicant.email == email))
    assert row is not None and row.id == body["id"]
    assert row.password_hash.startswith("$argon2") and verify_password(row.password_hash, PASSWORD)
    assert row.email_verified_at is None

    await wait_for_mail(smtp, 1)
    [mail] = smtp.messages
    assert str(mail["To"]) == email
    assert str(mail["Subject"]) == "Verifikasi email akun PST Flow Anda"
    text = _plain(mail)
    assert "Yth. Budi Santoso" in text and "berlaku 48 jam" in text
    token = _token(mail)
    assert f'<a href="http://pst.test/verify-email?token={token}">Verifikasi email saya</a>' in _html(mail)
    for _ in range(100):  # the SMTP server has it; the outbox row is marked sent right after
        async with session_factory() as session:
            queued = (await session.scalars(select(OutboxMail).where(OutboxMail.to_addr == email))).all()
        if [m.status for m in queued] == ["sent"]:
            break
        await asyncio.sleep(0.05)
    assert [(m.case_id, m.status) for m in queued] == [(None, "sent")]

    auth = TokenAuth(email, PASSWORD)
    refused = await api.get("/api/v1/applicants/me", auth=auth)
    assert refused.status_code == 403
    assert refused.json()["detail"] == NOT_VERIFIED.format(email=email)

    verified = await api.post("/api/v1/applicants/verify", json={"token": token})
    assert verified.status_code == 200, verified.text
    assert verified.json()["verified"] is True and "terverifikasi" in verified.json()["message"]
    again = await api.post("/api/v1/applicants/verify", json={"token": token})
    assert again.status_code == 200 and again.json()["verified"] is True
    assert again.json()["email_verified_at"] == verified.json()["email_verified_at"]

    me = await api.get("/api/v1/applicants/me", auth=TokenAuth(email.upper(), PASSWORD))
    assert me.status_code == 200, me.text
    assert me.json()["email"] == email and me.json()["verified"] is True
    assert me.json()["institution"] == "Universitas Palangka Raya"

    wrong = await api.get("/api/v1/applicants/me", auth=TokenAuth(email, "salah-sekali-123"))
    assert wrong.status_code == 401
    assert wrong.headers["WWW-Authenticate"] == "Bearer"
    assert wrong.json()["detail"] == "Email atau kata sandi salah."
    unknown = await api.get("/api/v1/applicants/me", auth=TokenAuth(_email(), PASSWORD))
    assert unknown.status_code == 401 and unknown.json()["detail"] == "Email atau kata sandi salah."
    anonymous = await api.get("/api/v1/applicants/me")
    assert anonymous.status_code == 401 and anonymous.headers["WWW-Authenticate"] == "Bearer"
    assert "Masuk sebagai pemohon" in anonymous.json()["detail"]

    # An applicant's login is no staff login.
    staff_only = await api.get("/api/v1/cases/sale-6202-2026-000001", auth=auth)
    assert staff_only.status_code == 401


async def test_the_link_page_verifies(api: httpx.AsyncClient, smtp: SmtpSink) -> None:
    email = _email()
    _id, token = await _register(api, smtp, email)

    page = await api.get("/verify-email", params={"token": token})
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "Email terverifikasi" in page.text
    assert (await api.get("/api/v1/applicants/me", auth=TokenAuth(email, PASSWORD))).status_code == 200

    reopened = await api.get("/verify-email", params={"token": token})
    assert reopened.status_code == 200 and "sudah terverifikasi" in reopened.text


async def test_tampered_and_expired_tokens_are_refused(
    api: httpx.AsyncClient, smtp: SmtpSink, session_factory: SessionFactory
) -> None:
    email = _email()
    applicant_id, token = await _register(api, smtp, email)
    payload, signature = token.split(".")
    tampered = f"{payload}.{signature[:-2]}{'AA' if signature[-2:] != 'AA' else 'BB'}"
    other_account = sign_token("another-secret", VERIFY_PURPOSE, str(applicant_id), utcnow())
    expired = sign_token(TEST_SECRET, VERIFY_PURPOSE, str(applicant_id), utcnow() - timedelta(hours=49))

    for bad in (tampered, other_account):
        refused = await api.post("/api/v1/applicants/verify", json={"token": bad})
        assert refused.status_code == 400
        assert "Tautan verifikasi ini tidak valid" in refused.json()["detail"]
        assert "/akun/verifikasi-ulang" in refused.json()["detail"]
    late = await api.post("/api/v1/applicants/verify", json={"token": expired})
    assert late.status_code == 400
    assert "kedaluwarsa (berlaku 48 jam)" in late.json()["detail"]

    page = await api.get("/verify-email", params={"token": tampered})
    assert page.status_code == 400 and "Verifikasi belum berhasil" in page.text and "tidak valid" in page.text
    page = await api.get("/verify-email", params={"token": expired})
    assert page.status_code == 400 and "kedaluwarsa" in page.text
    assert (await api.get("/verify-email")).status_code == 400

    async with session_factory() as session:
        row = await session.get(Applicant, applicant_id)
    assert row is not None and row.email_verified_at is None
    assert (await api.get("/api/v1/applicants/me", auth=TokenAuth(email, PASSWORD))).status_code == 403

    # One issued 47 hours ago still works.
    fresh_enough = sign_token(TEST_SECRET, VERIFY_PURPOSE, str(applicant_id), utcnow() - timedelta(hours=47))
    assert (await api.post("/api/v1/applicants/verify", json={"token": fresh_enough})).status_code == 200


async def test_duplicate_email_is_a_conflict(api: httpx.AsyncClient, smtp: SmtpSink) -> None:
    email = _email()
    assert (await api.post("/api/v1/applicants", json=_body(email))).status_code == 201
    for same in (email, email.upper()):
        again = await api.post("/api/v1/applicants", json=_body(same, name="Orang Lain"))
        assert again.status_code == 409
        assert again.json()["detail"] == "Email ini sudah terdaftar; masuk atau minta tautan verifikasi baru"
    await wait_for_mail(smtp, 1)
    await asyncio.sleep(0.5)
    assert len(smtp.to(email)) == 1


async def test_private_segment_needs_a_valid_npwp(api: httpx.AsyncClient, session_factory: SessionFactory) -> None:
    email = _email()
    missing = await api.post("/api/v1/applicants", json=_body(email, segment="private"))
    assert missing.status_code == 422
    assert {"field": "npwp", "message": "NPWP wajib diisi untuk pemohon swasta."}.items() <= missing.json()["errors"][
        0
    ].items()
    bad = await api.post("/api/v1/applicants", json=_body(email, segment="private", npwp="12.345"))
    assert bad.status_code == 422
    assert "NPWP tidak valid" in bad.json()["detail"]
    short = await api.post("/api/v1/applicants", json=_body(email, password="pendek"))
    assert short.status_code == 422
    assert "password: terlalu pendek: minimal 10 karakter" in short.json()["detail"]
    unknown_segment = await api.post("/api/v1/applicants", json=_body(email, segment="alien"))
    assert unknown_segment.status_code == 422 and "segment" in unknown_segment.json()["detail"]
    async with session_factory() as session:
        assert await session.scalar(select(Applicant).where(Applicant.email == email)) is None

    good = await api.post(
        "/api/v1/applicants", json=_body(email, segment="private", npwp="01.312.166.0-091.000", abroad=True)
    )
    assert good.status_code == 201, good.text
    assert good.json()["npwp"] == "013121660091000" and good.json()["abroad"] is True


async def test_resend_sends_a_new_link_only_to_an_unverified_account(
    api: httpx.AsyncClient, smtp: SmtpSink, session_factory: SessionFactory
) -> None:
    email = _email()
    registered = await api.post("/api/v1/applicants", json=_body(email))
    assert registered.status_code == 201
    # At once, before the registration's mail may even be in the outbox: still a second mail.
    resent = await api.post("/api/v1/applicants/verify/resend", json={"email": email.upper()})
    assert resent.status_code == 202
    await wait_for_mail(smtp, 2)
    first, second = smtp.to(email)
    assert _token(first) and _token(second)

    stranger = _email()
    neutral = await api.post("/api/v1/applicants/verify/resend", json={"email": stranger})
    assert neutral.status_code == 202 and neutral.json() == resent.json()
    assert "Jika email tersebut terdaftar" in neutral.json()["message"]

    third = await api.post("/api/v1/applicants/verify/resend", json={"email": email})
    assert third.status_code == 202
    await wait_for_mail(smtp, 3)
    assert len(smtp.to(email)) == 3 and smtp.to(stranger) == []
    async with session_factory() as session:
        assert await session.scalar(select(OutboxMail).where(OutboxMail.to_addr == stranger)) is None
        keys = sorted((await session.scalars(select(OutboxMail.key).where(OutboxMail.to_addr == email))).all())
    assert len(set(keys)) == 3

    # The newest link verifies; then a resend sends nothing and answers the same.
    assert (await api.post("/api/v1/applicants/verify", json={"token": _token(smtp.to(email)[-1])})).status_code == 200
    after = await api.post("/api/v1/applicants/verify/resend", json={"email": email})
    assert after.status_code == 202 and after.json() == resent.json()
    await asyncio.sleep(1.0)
    assert len(smtp.to(email)) == 3


async def test_a_staff_login_is_no_applicant_login(api: httpx.AsyncClient, login: Any) -> None:
    staff = login("6202", "officer")
    refused = await api.get("/api/v1/applicants/me", auth=staff)
    assert refused.status_code == 401 and refused.headers["WWW-Authenticate"] == "Bearer"
    assert "pemohon" in refused.json()["detail"]
    # ... and the staff login still works where it belongs.
    missing_case = await api.get("/api/v1/cases/sale-6202-2026-999999", auth=staff)
    assert missing_case.status_code == 404


async def test_an_account_registered_again_after_deletion_gets_its_mail(
    api: httpx.AsyncClient, smtp: SmtpSink, session_factory: SessionFactory
) -> None:
    email = _email()
    first_id, _token_1 = await _register(api, smtp, email)
    async with session_factory() as session, session.begin():
        await session.execute(delete(OutboxMail).where(OutboxMail.to_addr == email))
        await session.execute(delete(Applicant).where(Applicant.id == first_id))
    smtp.messages.clear()

    second_id, token = await _register(api, smtp, email)  # on SQLite the id comes back: the mail key must differ
    assert (await api.post("/api/v1/applicants/verify", json={"token": token})).json()["id"] == second_id
