"""An applicant's account in the browser: registration errors beside their fields, the verification link's page,
a new verification link, and a forgotten password set again by a mailed link."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx
from sqlalchemy import select

from api.services.password_reset import RESET_PURPOSE
from core.db import SessionFactory
from core.models import Applicant, OutboxMail, utcnow
from core.security import password_stamp, sign_token
from core.verification import VERIFY_PURPOSE
from tests.api.conftest import form_csrf, ui_login
from tests.conftest import TEST_SECRET
from tests.helpers import make_applicant

RESET_LINK = re.compile(r"http://pst\.test/akun/atur-kata-sandi\?token=([A-Za-z0-9_.-]+)")


async def _mails_to(session_factory: SessionFactory, email: str) -> list[OutboxMail]:
    async with session_factory() as session:
        return list((await session.scalars(select(OutboxMail).where(OutboxMail.to_addr == email))).all())


async def test_a_private_company_with_a_wrong_npwp_sees_why_beside_the_field_and_keeps_its_input(
    api: httpx.AsyncClient, session_factory: SessionFactory
) -> None:
    page = await api.get("/register")
    form = {
        "csrf": form_csrf(page.text),
        "name": "PT Data Nusantara",
        "email": "data@nusantara.co.id",
        "password": "kata-sandi-panjang",
        "institution": "PT Data Nusantara",
        "segment": "private",
    }

    missing = await api.post("/register", data=form)
    wrong = await api.post("/register", data={**form, "npwp": "12345"})
    bad_email = await api.post("/register", data={**form, "email": "bukan-email", "npwp": "01.312.166.0-091.000"})

    assert missing.status_code == 422
    assert 'id="npwp-error"' in missing.text and "NPWP wajib diisi untuk pemohon swasta." in missing.text
    assert '<a href="#npwp">' in missing.text  # the summary leads to the field
    assert 'value="PT Data Nusantara"' in missing.text and 'value="data@nusantara.co.id"' in missing.text
    assert "kata-sandi-panjang" not in missing.text  # never the password
    assert wrong.status_code == 422 and "NPWP tidak valid" in wrong.text and 'value="12345"' in wrong.text
    assert bad_email.status_code == 422 and 'id="email-error"' in bad_email.text
    assert "Isi alamat email yang benar" in bad_email.text and "not a valid email" not in bad_email.text
    async with session_factory() as session:
        assert await session.scalar(select(Applicant).where(Applicant.email == "data@nusantara.co.id")) is None


async def test_the_verification_link_leads_to_sign_in_and_a_used_up_link_to_a_new_one(
    api: httpx.AsyncClient, session_factory: SessionFactory
) -> None:
    email, _password = await make_applicant(session_factory, email="baru@example.com", verified=False)
    async with session_factory() as session:
        account = await session.scalar(select(Applicant).where(Applicant.email == email))
        assert account is not None
    fresh = sign_token(TEST_SECRET, VERIFY_PURPOSE, str(account.id), utcnow())
    old = sign_token(TEST_SECRET, VERIFY_PURPOSE, str(account.id), utcnow() - timedelta(days=3))

    expired = await api.get(f"/verify-email?token={old}")
    verified = await api.get(f"/verify-email?token={fresh}")
    cut = await api.get(f"/verify-email?token={fresh[:20]}")

    assert expired.status_code == 400 and "kedaluwarsa" in expired.text
    assert 'href="/akun/verifikasi-ulang"' in expired.text
    assert verified.status_code == 200 and "Email terverifikasi" in verified.text and 'href="/login"' in verified.text
    assert cut.status_code == 400 and "tidak valid" in cut.text and 'href="/akun/verifikasi-ulang"' in cut.text


async def test_a_new_verification_link_from_the_portal_answers_the_same_for_any_email(
    api: httpx.AsyncClient, session_factory: SessionFactory
) -> None:
    email, _password = await make_applicant(session_factory, email="lupa.verifikasi@example.com", verified=False)
    page = await api.get("/akun/verifikasi-ulang")
    csrf = form_csrf(page.text)

    known = await api.post("/akun/verifikasi-ulang", data={"csrf": csrf, "email": email})
    unknown = await api.post("/akun/verifikasi-ulang", data={"csrf": csrf, "email": "siapa@example.com"})
    invalid = await api.post("/akun/verifikasi-ulang", data={"csrf": csrf, "email": "siapa"})
    for _ in range(8):
        await api.post("/akun/verifikasi-ulang", data={"csrf": csrf, "email": email})

    assert known.status_code == unknown.status_code == 200
    assert "tautan verifikasi baru sudah kami kirim" in known.text
    assert known.text.replace(email, "X") == unknown.text.replace("siapa@example.com", "X")
    assert invalid.status_code == 422 and 'id="email-error"' in invalid.text
    mails = await _mails_to(session_factory, email)
    assert 1 <= len(mails) <= 5  # throttled
    assert "/verify-email?token=" in mails[0].body_text


async def test_a_forgotten_password_is_set_again_by_a_mailed_link_that_works_once(
    api: httpx.AsyncClient, session_factory: SessionFactory
) -> None:
    email, old_password = await make_applicant(session_factory, email="lupa.sandi@example.com")
    other_browser = httpx.AsyncClient(transport=api._transport, base_url=str(api.base_url))
    assert (await ui_login(other_browser, email, old_password)).status_code == 303
    page = await api.get("/akun/lupa-kata-sandi")
    csrf = form_csrf(page.text)

    asked = await api.post("/akun/lupa-kata-sandi", data={"csrf": csrf, "email": email.upper()})
    nobody = await api.post("/akun/lupa-kata-sandi", data={"csrf": csrf, "email": "tidak.ada@example.com"})
    [mail] = await _mails_to(session_factory, email)
    found = RESET_LINK.search(mail.body_text)
    assert found is not None, mail.body_text
    link = f"/akun/atur-kata-sandi?token={found.group(1)}"
    form_page = await api.get(link)
    form = {"csrf": form_csrf(form_page.text), "token": found.group(1)}
    short = await api.post(
        "/akun/atur-kata-sandi", data={**form, "new_password": "pendek", "repeat_password": "pendek"}
    )
    differ = await api.post(
        "/akun/atur-kata-sandi", data={**form, "new_password": "sandi-baru-yang-panjang", "repeat_password": "lain"}
    )
    saved = await api.post(
        "/akun/atur-kata-sandi",
        data={**form, "new_password": "sandi-baru-yang-panjang", "repeat_password": "sandi-baru-yang-panjang"},
    )
    used = await api.get(link)

    assert asked.status_code == nobody.status_code == 200
    assert "Jika email tersebut terdaftar" in asked.text and "Jika email tersebut terdaftar" in nobody.text
    assert mail.subject == "Atur kata sandi baru akun PST Flow Anda" and "60 menit" in mail.body_text
    assert form_page.status_code == 200 and 'name="new_password"' in form_page.text
    assert short.status_code == 422 and 'id="new_password-error"' in short.text
    assert differ.status_code == 422 and 'id="repeat_password-error"' in differ.text
    assert saved.status_code == 303 and saved.headers["location"] == "/login?reset=1"
    assert "Kata sandi baru tersimpan" in (await api.get("/login?reset=1")).text
    assert used.status_code == 400 and "sudah dipakai" in used.text and 'href="/akun/lupa-kata-sandi"' in used.text
    assert (await other_browser.get("/portal")).status_code == 303  # the other session ended
    assert (await ui_login(api, email, old_password)).status_code == 401
    assert (await ui_login(api, email, "sandi-baru-yang-panjang")).status_code == 303
    await other_browser.aclose()


async def test_an_expired_password_link_says_so_and_leads_to_a_new_one(
    api: httpx.AsyncClient, session_factory: SessionFactory
) -> None:
    email, _password = await make_applicant(session_factory, email="kedaluwarsa@example.com")
    async with session_factory() as session:
        account = await session.scalar(select(Applicant).where(Applicant.email == email))
        assert account is not None
    subject = f"{account.id}:{password_stamp(account.password_hash)}"
    old = sign_token(TEST_SECRET, RESET_PURPOSE, subject, utcnow() - timedelta(hours=2))

    page = await api.get(f"/akun/atur-kata-sandi?token={old}")

    assert page.status_code == 400 and "kedaluwarsa" in page.text and 'href="/akun/lupa-kata-sandi"' in page.text
    assert 'name="new_password"' not in page.text
