"""The case page shows each service's facts in words: the FS3 in its blocks, a complaint's text and channel with the
case it is about (linked both ways), a sale's payer with the NPWP masked, billing codes and the download log."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import select

from api.services.case_file import mask_npwp
from core.db import SessionFactory
from core.enums import ComplaintStep, RecommendationStep, Role, SaleStep, Service
from core.models import AuditEntry, Case, Document, DownloadLink, DownloadLog, Payment, StaffAccount, utcnow
from tests.api.test_recommendations_api import FS3
from tests.helpers import store_case, store_sale


def test_an_npwp_shows_only_its_last_four_digits() -> None:
    assert mask_npwp("01.234.567.8-901.234") == "•" * 11 + "1234"
    assert mask_npwp("") == ""


async def test_an_fs3_reads_as_its_blocks_in_words(api: httpx.AsyncClient, login: Any, session_factory: Any) -> None:
    case_id = await store_case(
        session_factory, Service.RECOMMENDATION, RecommendationStep.ASSIGNMENT, Role.SUPERVISOR, fs3=FS3
    )

    page = (await api.get(f"/staff/cases/{case_id}", auth=login("6202", "supervisor"))).text

    for words in (
        "Blok I. Penyelenggara dan judul kegiatan",
        "Survei Kesehatan Ibu dan Anak 2027",
        "Blok III. Rancangan kegiatan",
        "Berulang",
        "Survei",
        "1 Maret 2027 sampai 31 Mei 2027",
        "Imunisasi dasar lengkap",
    ):
        assert words in page, words
    assert "cross_sectional" not in page and "2027-03-01" not in page  # no codes, no ISO dates
    assert "Pilih pemeriksa" in page and "Demo examiner 6202" in page  # the examiner is chosen by name


async def test_a_complaint_and_its_case_link_each_other(
    api: httpx.AsyncClient, login: Any, session_factory: SessionFactory
) -> None:
    sale = await store_sale(session_factory)
    complaint_id = await store_case(
        session_factory,
        Service.COMPLAINT,
        ComplaintStep.RESPONSE,
        Role.OFFICER,
        text="Data belum saya terima setelah membayar.",
        channel="suggestion_box",
        linked_case_id=sale.id,
    )
    async with session_factory() as session, session.begin():
        entry = AuditEntry(
            case_id=complaint_id,
            event_key="received",
            at=utcnow(),
            actor="sistem",
            role="system",
            office_code="6202",
            action="complaint_received",
            step=ComplaintStep.RESPONSE,
            note="suggestion_box",
        )
        session.add(entry)
    officer = login("6202", "officer")

    complaint = (await api.get(f"/staff/cases/{complaint_id}", auth=officer)).text
    about = (await api.get(f"/staff/cases/{sale.id}", auth=officer)).text

    assert "Data belum saya terima setelah membayar." in complaint
    assert "Kotak saran dan pengaduan" in complaint and "suggestion_box" not in complaint
    assert f'href="/staff/cases/{sale.id}"' in complaint and "Permintaan yang diadukan" in complaint
    assert f'href="/staff/cases/{complaint_id}"' in about and "Pengaduan tentang permintaan ini" in about


async def test_a_sale_shows_its_payer_billing_codes_and_download_log(
    api: httpx.AsyncClient, login: Any, session_factory: SessionFactory
) -> None:
    sale = await store_sale(session_factory, segment="private", institution="PT Data Nusantara")
    now = utcnow()
    async with session_factory() as session, session.begin():
        row = await session.get(Case, sale.id)
        assert row is not None
        row.details = {**row.details, "npwp": "012345678901234", "fee": 1_250_000}
        row.step = SaleStep.SUPPORT
        row.assignee_role = None
        session.add(
            Payment(
                case_id=sale.id,
                method="simponi",
                amount=1_250_000,
                status="void",
                billing_code="820261127000001",
                expires_at=now,
            )
        )
        session.add(
            Payment(
                case_id=sale.id,
                method="simponi",
                amount=1_250_000,
                status="paid",
                billing_code="820261127000002",
                ntpn="AB12CD34EF56GH78",
                settled_at=now,
            )
        )
        package = Document(
            case_id=sale.id,
            kind="data_package",
            filename="susenas.zip",
            content_type="application/zip",
            size=2048,
            sha256="0" * 64,
            path="x/susenas.zip",
            created_by="sistem",
        )
        session.add(package)
        await session.flush()
        session.add(
            DownloadLink(
                token="t-1",
                case_id=sale.id,
                document_id=package.id,
                expires_at=now + timedelta(days=7),
                max_downloads=5,
                downloads=1,
            )
        )
        await session.flush()
        session.add(DownloadLog(token="t-1", case_id=sale.id, at=now, ip="203.0.113.9"))

    page = (await api.get(f"/staff/cases/{sale.id}", auth=login("6202", "officer"))).text

    assert "PT Data Nusantara" in page and "Swasta" in page
    assert "•" * 11 + "1234" in page and "012345678901234" not in page  # the NPWP masked
    assert "820261127000001" in page and "Diganti kode baru" in page  # an expired code, replaced
    assert "820261127000002" in page and "Lunas" in page and "NTPN AB12CD34EF56GH78" in page
    assert "Rp1.250.000" in page
    assert "1 dari 5 unduhan" in page and "203.0.113.9" in page and "susenas.zip" in page
    assert "WIB" in page and "T0" not in page.split("<main")[1]  # times in words, never ISO


async def test_a_supervisor_is_offered_the_hand_over_and_sees_who_holds_the_task(
    api: httpx.AsyncClient, login: Any, session_factory: SessionFactory, demo_accounts: Any
) -> None:
    sale = await store_sale(session_factory)
    async with session_factory() as session, session.begin():
        row = await session.get(Case, sale.id)
        assert row is not None
        row.step, row.assignee_role = SaleStep.COMPLETENESS, Role.OFFICER

    officer_view = (await api.get(f"/staff/cases/{sale.id}", auth=login("6202", "officer"))).text
    supervisor_view = (await api.get(f"/staff/cases/{sale.id}", auth=login("6202", "supervisor"))).text
    async with session_factory() as session, session.begin():
        row = await session.get(Case, sale.id)
        officer = await session.scalar(
            select(StaffAccount).where(StaffAccount.email == demo_accounts[("6202", "officer")].email)
        )
        assert row is not None and officer is not None
        row.assignee_id, row.assigned_step = officer.id, SaleStep.COMPLETENESS
    handed = (await api.get(f"/staff/cases/{sale.id}", auth=login("6202", "supervisor"))).text

    assert f"/staff/cases/{sale.id}/assign" in supervisor_view and f"/staff/cases/{sale.id}/assign" not in officer_view
    assert "ditugaskan kepada Demo officer 6202" in handed


async def test_a_reference_without_an_account_reads_as_its_role_never_as_a_code(
    api: httpx.AsyncClient, login: Any, session_factory: SessionFactory
) -> None:
    sale = await store_sale(session_factory)
    async with session_factory() as session, session.begin():
        for actor, role, action in (
            ("staff-999999", "officer", "request_complete"),
            ("applicant", "applicant", "submitted"),
        ):
            session.add(
                AuditEntry(
                    case_id=sale.id,
                    event_key=f"{action}-1",
                    at=utcnow(),
                    actor=actor,
                    role=role,
                    office_code="6202",
                    action=action,
                    step=SaleStep.COMPLETENESS,
                )
            )

    timeline = (await api.get(f"/staff/cases/{sale.id}", auth=login("6202", "officer"))).text.split('class="timeline"')[
        1
    ]

    assert "Petugas PST" in timeline and "staff-999999" not in timeline
    assert "Siti Aminah (pemohon)" in timeline and "applicant (" not in timeline


async def test_the_examiner_assigned_reads_by_name_in_the_timeline(
    api: httpx.AsyncClient, login: Any, session_factory: SessionFactory, demo_accounts: Any
) -> None:
    step, role = RecommendationStep.EXAMINATION, Role.EXAMINER
    case_id = await store_case(session_factory, Service.RECOMMENDATION, step, role, fs3=FS3)
    async with session_factory() as session, session.begin():
        email = demo_accounts[("6202", "examiner")].email
        examiner = await session.scalar(select(StaffAccount).where(StaffAccount.email == email))
        assert examiner is not None
        session.add(
            AuditEntry(
                case_id=case_id,
                event_key="examiner_assigned-1",
                at=utcnow(),
                actor="sistem",
                role="supervisor",
                office_code="6202",
                action="examiner_assigned",
                step=step,
                note=f"staff-{examiner.id}",
            )
        )

    page = (await api.get(f"/staff/cases/{case_id}", auth=login("6202", "supervisor"))).text
    timeline = page.split('class="timeline"')[1]

    assert "Pemeriksa ditunjuk" in timeline and "Demo examiner 6202" in timeline and "staff-" not in timeline
