"""Administration pages: one page per subject, each refused to other roles; forms with the message beside the
field and the person's input kept; the office's contacts, standards and settings; its staff accounts."""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy import delete, select, update

from core.db import SessionFactory
from core.models import LoginAttempt, Office, ServiceStandard, StaffAccount
from core.reference import OFFICES
from core.security import hash_password
from core.seeding import DemoAccount
from core.standards_seed import restore_standards
from tests.api.conftest import form_csrf, ui_login

OFFICE_PAGES = ["/staff/admin/office", "/staff/admin/settings", "/staff/admin/calendar", "/staff/admin/accounts"]
EVERY_PAGE = ["/staff/admin", *OFFICE_PAGES, "/staff/admin/tariffs"]
NEW_EMAIL = "petugas.baru@bps.go.id"
MANAGED_EMAIL = "petugas.dikelola@bps.go.id"
SEEDED_SETTINGS = {
    "cuti_bersama_is_day_off": True,
    "close_of_business": "16:00",
    "sla_warning_share": 0.8,
    "escalation_working_days": 2,
}


@pytest.fixture(autouse=True)
async def restore_offices(session_factory: SessionFactory) -> AsyncIterator[None]:
    """The test database is shared: the offices, their standards and staff go back to the seed."""
    yield
    async with session_factory() as session, session.begin():
        for office in OFFICES:
            fields = {name: value for name, value in office.items() if name not in ("standards", "code")}
            await session.execute(
                update(Office).where(Office.code == office["code"]).values(**fields, **SEEDED_SETTINGS)
            )
        await restore_standards(session)
        await session.execute(delete(StaffAccount).where(StaffAccount.email.in_([NEW_EMAIL, MANAGED_EMAIL])))
        await session.execute(delete(LoginAttempt).where(LoginAttempt.email.in_([NEW_EMAIL, MANAGED_EMAIL])))
        await session.execute(
            update(StaffAccount).where(StaffAccount.email.like("%@demo.pst-flow.id")).values(active=True)
        )


async def _as(api: httpx.AsyncClient, demo_accounts: dict[tuple[str, str], DemoAccount], office: str, role: str) -> str:
    """Sign in through the login form as the demo ``role`` of ``office``; the CSRF token of its forms."""
    account = demo_accounts[(office, role)]
    await ui_login(api, account.email, account.password)
    return form_csrf((await api.get("/staff/admin/tariffs")).text) if "administrator" in role else ""


def _field_value(page: str, field: str) -> str:
    """The text of the textarea named ``field``."""
    found = re.search(rf'<textarea[^>]*name="{re.escape(field)}"[^>]*>(.*?)</textarea>', page, re.S)
    assert found is not None, field
    return html.unescape(found.group(1))


def _field_error(page: str, field: str) -> str:
    """The message beside ``field`` (its input points to it with aria-describedby), or ''."""
    hidden = '<span class="visually-hidden">Kesalahan: </span>'
    found = re.search(rf'<span class="field-error" id="admin-{field}-error">{hidden}(.*?)</span>', page, re.S)
    if found is None:
        return ""
    assert re.search(rf'id="admin-{field}"[^>]*aria-describedby="[^"]*admin-{field}-error', page), page
    return found.group(1).strip()


@pytest.mark.parametrize(
    "role", ["officer", "treasurer", "examiner", "operator", "supervisor", "provincial_supervisor"]
)
async def test_other_roles_are_refused_every_admin_page(api: httpx.AsyncClient, login: Any, role: str) -> None:
    answers = {path: (await api.get(path, auth=login("6202", role))).status_code for path in EVERY_PAGE}

    assert answers == dict.fromkeys(EVERY_PAGE, 403)


async def test_a_supervisor_posting_an_admin_form_is_refused_and_nothing_changes(
    api: httpx.AsyncClient, demo_accounts: Any, session_factory: SessionFactory
) -> None:
    supervisor = demo_accounts[("6202", "supervisor")]
    await ui_login(api, supervisor.email, supervisor.password)
    csrf = form_csrf((await api.get("/staff")).text)  # the header's sign-out form carries the session's token
    settings = {"csrf": csrf, "close_of_business": "12:00", "sla_warning_percent": "50", "escalation_working_days": "9"}
    account = {"csrf": csrf, "name": "Penyusup", "email": NEW_EMAIL, "role": "administrator", "password": "x" * 12}

    answers = [
        (await api.post("/staff/admin/settings", data=settings)).status_code,
        (await api.post("/staff/admin/accounts", data=account)).status_code,
        (
            await api.post(
                "/staff/admin/calendar/overrides", data={"csrf": csrf, "day": "2026-07-07", "closed": "true"}
            )
        ).status_code,
    ]

    assert answers == [403, 403, 403]
    async with session_factory() as session:
        office = await session.get(Office, "6202")
        assert office is not None and office.close_of_business == "16:00"
        assert await session.scalar(select(StaffAccount.id).where(StaffAccount.email == NEW_EMAIL)) is None


async def test_the_index_lists_the_pages_each_administrator_may_open(api: httpx.AsyncClient, login: Any) -> None:
    office_admin = await api.get("/staff/admin", auth=login("6202", "administrator"))
    national = await api.get("/staff/admin", auth=login("6202", "national_administrator"))
    national_office_pages = [
        (await api.get(path, auth=login("6202", "national_administrator"))).status_code for path in OFFICE_PAGES
    ]

    assert office_admin.status_code == 200
    links = re.findall(r'<h2><a href="(/staff/admin/[a-z]+)">', office_admin.text)
    assert links == [*OFFICE_PAGES, "/staff/admin/catalogue", "/staff/admin/tariffs"]
    assert re.findall(r'<h2><a href="(/staff/admin/[a-z]+)">', national.text) == ["/staff/admin/tariffs"]
    assert national_office_pages == [403, 403, 403, 403]  # the national role holds no power over its home office


async def test_contacts_are_checked_field_by_field_and_saved(
    api: httpx.AsyncClient, demo_accounts: Any, session_factory: SessionFactory
) -> None:
    csrf = await _as(api, demo_accounts, "1906", "administrator")
    page = await api.get("/staff/admin/office")
    contacts = {
        "csrf": csrf,
        "address": "Jl. Raya Manggarawan",
        "phone": "07199220090",
        "email": "bps1906@bps.go.id",
        "website": "https://belitungtimurkab.bps.go.id",
        "whatsapp": "081278563877",
        "complaint_channels": "Kotak saran di PST\n\nSP4N-LAPOR! (lapor.go.id)\n",
    }

    bad = await api.post("/staff/admin/office", data={**contacts, "email": "bps1906", "website": "belitung"})
    saved = await api.post("/staff/admin/office", data=contacts)
    public = await api.get("/offices/1906")

    assert page.status_code == 200 and "SP4N-LAPOR!" in page.text and "Ubah standar" in page.text
    assert bad.status_code == 422
    assert "format yang benar" in _field_error(bad.text, "email")
    assert "https://" in _field_error(bad.text, "website")
    assert _field_error(bad.text, "phone") == ""
    assert 'value="bps1906"' in bad.text and 'href="#admin-email"' in bad.text  # kept; the summary links to it
    assert saved.status_code == 303 and saved.headers["location"] == "/staff/admin/office?done=contacts"
    assert "Jl. Raya Manggarawan" in public.text
    async with session_factory() as session:
        office = await session.get(Office, "1906")
        assert office is not None
        assert office.complaint_channels == ["Kotak saran di PST", "SP4N-LAPOR! (lapor.go.id)"]


async def test_a_service_standard_is_edited_item_by_item_with_its_english(
    api: httpx.AsyncClient, demo_accounts: Any, session_factory: SessionFactory
) -> None:
    csrf = await _as(api, demo_accounts, "1906", "administrator")
    async with session_factory() as session:
        sale = await session.scalar(
            select(ServiceStandard.id).where(ServiceStandard.office_code == "1906", ServiceStandard.service == "sale")
        )
        other = await session.scalar(select(ServiceStandard.id).where(ServiceStandard.office_code == "6202"))
    url = f"/staff/admin/standards/{sale}"
    form = await api.get(url)
    assert form.status_code == 200 and "Simpan standar" in form.text
    # the seed's lists as the form shows them: walk-in and online requirements apart, the English beside them
    assert "kartu identitas yang masih berlaku" in _field_value(form.text, "requirement-walk_in")
    assert "valid identity card" in _field_value(form.text, "requirement-walk_in-en")
    assert "melalui aplikasi pelayanan" in _field_value(form.text, "requirement-online")
    fields = {
        "csrf": csrf,
        "title": "Pelayanan Penjualan Produk Statistik",
        "title_en": "Sale of statistical products",
        "decree_number": "007 Tahun 2026",
        "time_limit": "7",
        "time_unit": "minutes",
        "requirement-walk_in": "Datang ke PST\nMengisi buku tamu",
        "requirement-walk_in-en": "Come to the PST desk\nFill in the guest book",
        "requirement-online": "Memiliki akun",
        "requirement-online-en": "",
        "procedure-all": "Datang\nDilayani",
        "procedure-all-en": "Come\nBe served",
        "time-all": "7 menit",
        "time-all-en": "7 minutes",
        "fee-all": "Tidak dipungut biaya",
        "fee-all-en": "Free of charge",
        "product-all": "Data",
        "product-all-en": "Data",
        "complaint-all": "Email bps1906@bps.go.id",
        "complaint-all-en": "Email bps1906@bps.go.id",
    }

    bad = await api.post(url, data={**fields, "time_limit": "0", "title": " "})
    uneven = await api.post(url, data={**fields, "procedure-all-en": "Come"})
    saved = await api.post(url, data=fields)
    public = await api.get("/offices/1906")
    api.cookies.set("lang", "en")
    english = await api.get("/offices/1906")

    assert bad.status_code == 422 and "Jangka waktu minimal 1" in _field_error(bad.text, "time_limit")
    assert "judul" in _field_error(bad.text, "title") and "Mengisi buku tamu" in bad.text
    assert uneven.status_code == 422 and "2 baris" in _field_error(uneven.text, "procedure-all-en")
    assert saved.status_code == 303 and saved.headers["location"] == "/staff/admin/office?done=standard"
    assert "SK Nomor 007 Tahun 2026" in public.text and "7 menit" in public.text and "Mengisi buku tamu" in public.text
    assert "Fill in the guest book" in english.text and "Memiliki akun" in english.text  # no English: as published
    assert (await api.get(f"/staff/admin/standards/{other}")).status_code == 404  # another office's standard


async def test_settings_are_a_form_with_each_refusal_beside_its_field(
    api: httpx.AsyncClient, demo_accounts: Any, session_factory: SessionFactory
) -> None:
    csrf = await _as(api, demo_accounts, "6202", "administrator")
    page = await api.get("/staff/admin/settings")
    good = {
        "csrf": csrf,
        "close_of_business": "15:30",
        "sla_warning_percent": "75",
        "escalation_working_days": "3",
    }  # the cuti bersama box left unticked

    bad = await api.post(
        "/staff/admin/settings",
        data={**good, "sla_warning_percent": "150", "escalation_working_days": "dua", "close_of_business": "25:00"},
    )
    async with session_factory() as session:
        unchanged = await session.get(Office, "6202")
        assert unchanged is not None
        kept_before = (unchanged.sla_warning_share, unchanged.escalation_working_days, unchanged.close_of_business)
    saved = await api.post("/staff/admin/settings", data=good)
    calendar = (await api.get("/api/v1/offices/6202/calendar")).json()
    shown = await api.get(saved.headers["location"])

    assert page.status_code == 200 and 'value="80"' in page.text and 'value="16:00"' in page.text
    assert re.search(r'id="admin-cuti_bersama_is_day_off"[^>]*checked', page.text)
    assert bad.status_code == 422
    assert "kurang dari 100" in _field_error(bad.text, "sla_warning_percent")
    assert "0 sampai 30" in _field_error(bad.text, "escalation_working_days")
    assert "JJ:MM" in _field_error(bad.text, "close_of_business")
    assert 'value="150"' in bad.text and 'value="dua"' in bad.text
    assert kept_before == (0.8, 2, "16:00")
    assert saved.status_code == 303
    assert (calendar["sla_warning_share"], calendar["escalation_working_days"]) == (0.75, 3)
    assert (calendar["close_of_business"], calendar["cuti_bersama_is_day_off"]) == ("15:30", False)
    assert "Pengaturan kantor tersimpan" in shown.text and 'value="75"' in shown.text
    assert not re.search(r'id="admin-cuti_bersama_is_day_off"[^>]*checked', shown.text)


async def test_staff_accounts_are_created_with_messages_beside_the_fields(
    api: httpx.AsyncClient, demo_accounts: Any
) -> None:
    csrf = await _as(api, demo_accounts, "6202", "administrator")
    new = {"csrf": csrf, "name": "Petugas Baru", "email": NEW_EMAIL, "role": "officer"}

    listed = await api.get("/staff/admin/accounts")
    short = await api.post("/staff/admin/accounts", data={**new, "password": "pendek", "name": "P"})
    national = await api.post(
        "/staff/admin/accounts", data={**new, "role": "national_administrator", "password": "rahasia-petugas"}
    )
    created = await api.post("/staff/admin/accounts", data={**new, "password": "rahasia-petugas"})
    duplicate = await api.post("/staff/admin/accounts", data={**new, "password": "rahasia-petugas"})

    assert listed.status_code == 200 and "Administrator nasional" in listed.text  # listed, managed nationally
    assert "Dikelola administrator nasional" in listed.text
    assert '<option value="national_administrator"' not in listed.text
    assert short.status_code == 422 and "10 karakter" in _field_error(short.text, "password")
    assert "nama lengkap" in _field_error(short.text, "name")
    assert 'value="petugas.baru@bps.go.id"' in short.text and "pendek" not in short.text  # a password is never shown
    assert national.status_code == 422 and "Pilih peran" in _field_error(national.text, "role")
    assert created.status_code == 303 and NEW_EMAIL in (await api.get("/staff/admin/accounts")).text
    assert duplicate.status_code == 422 and "sudah dipakai" in _field_error(duplicate.text, "email")
    signed_in = await ui_login(api, NEW_EMAIL, "rahasia-petugas")
    assert signed_in.headers["location"] == "/staff"


async def _account_id(session_factory: SessionFactory, email: str) -> int:
    async with session_factory() as session:
        found = await session.scalar(select(StaffAccount.id).where(StaffAccount.email == email))
        assert found is not None
        return found


async def test_an_account_changes_role_gets_a_new_password_and_is_deactivated_after_a_confirmation(
    api: httpx.AsyncClient, demo_accounts: Any, session_factory: SessionFactory
) -> None:
    async with session_factory() as session, session.begin():
        session.add(
            StaffAccount(
                email=MANAGED_EMAIL,
                name="Petugas Dikelola",
                office_code="6202",
                role="officer",
                password_hash=hash_password("sandi-lama-petugas"),
            )
        )
    account = f"/staff/admin/accounts/{await _account_id(session_factory, MANAGED_EMAIL)}"
    csrf = await _as(api, demo_accounts, "6202", "administrator")

    page = await api.get(account)
    role = await api.post(f"{account}/role", data={"csrf": csrf, "role": "examiner"})
    short = await api.post(f"{account}/password", data={"csrf": csrf, "password": "pendek"})
    password = await api.post(f"{account}/password", data={"csrf": csrf, "password": "sandi-baru-petugas"})
    old_password = await ui_login(api, MANAGED_EMAIL, "sandi-lama-petugas")
    new_password = await ui_login(api, MANAGED_EMAIL, "sandi-baru-petugas")
    csrf = await _as(api, demo_accounts, "6202", "administrator")  # a new session: a new token
    confirm = await api.get(f"{account}/deactivate")
    deactivated = await api.post(f"{account}/deactivate", data={"csrf": csrf})
    after = await api.get(account)
    signed_out = await ui_login(api, MANAGED_EMAIL, "sandi-baru-petugas")

    assert page.status_code == 200 and MANAGED_EMAIL in page.text and f'href="{account}/deactivate"' in page.text
    assert role.status_code == 303
    assert short.status_code == 422 and "10 karakter" in _field_error(short.text, "password")
    assert password.status_code == 303
    assert old_password.status_code == 401 and new_password.status_code == 303
    assert (
        confirm.status_code == 200 and "Nonaktifkan akun Petugas Dikelola?" in confirm.text and "Batal" in confirm.text
    )
    assert f'action="{account}/deactivate"' in confirm.text and "tidak dapat masuk lagi" in confirm.text
    assert deactivated.status_code == 303 and deactivated.headers["location"] == f"{account}?done=deactivated"
    assert "Aktifkan kembali" in after.text and "Pemeriksa · Nonaktif" in after.text
    assert signed_out.status_code == 401


async def test_an_administrator_keeps_their_own_account_and_never_manages_a_national_one(
    api: httpx.AsyncClient, demo_accounts: Any, session_factory: SessionFactory
) -> None:
    admin = demo_accounts[("6202", "administrator")]
    national = demo_accounts[("6202", "national_administrator")]
    own = f"/staff/admin/accounts/{await _account_id(session_factory, admin.email)}"
    theirs = f"/staff/admin/accounts/{await _account_id(session_factory, national.email)}"
    csrf = await _as(api, demo_accounts, "6202", "administrator")

    own_page = await api.get(own)
    own_role = await api.post(f"{own}/role", data={"csrf": csrf, "role": "officer"})
    own_off = await api.post(f"{own}/deactivate", data={"csrf": csrf})
    national_reset = await api.post(f"{theirs}/password", data={"csrf": csrf, "password": "ambil-alih-akun"})
    elsewhere = await api.get(
        f"/staff/admin/accounts/{await _account_id(session_factory, 'officer.3304@demo.pst-flow.id')}"
    )

    assert own_page.status_code == 200 and "Nonaktifkan akun" not in own_page.text
    assert own_role.status_code == 422 and 'href="#admin-role"' in own_role.text
    assert "tidak dapat mengubah peran akun Anda sendiri" in own_role.text
    assert own_off.status_code == 422 and "sendiri" in own_off.text
    assert national_reset.status_code == 403 and elsewhere.status_code == 404
    assert (await ui_login(api, national.email, national.password)).status_code == 303
