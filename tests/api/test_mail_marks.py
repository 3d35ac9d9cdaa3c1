"""The timeline's marks of a staff mail sent to a stand-in are the office's: the staff case page shows them, the
applicant's portal does not."""

from __future__ import annotations

from typing import Any

import httpx
from temporalio.testing import WorkflowEnvironment

from core.db import SessionFactory
from core.enums import ActorKind, SaleStep
from core.models import AuditEntry, utcnow
from tests.api.conftest import SALE_REQUEST, ui_login
from tests.helpers import APPLICANT_EMAIL, APPLICANT_PASSWORD, TokenAuth, wait_for_step

NOTE = "dikirim ke supervisor karena tidak ada akun Bendahara aktif"


async def test_a_stand_in_mark_shows_to_staff_and_not_to_the_applicant(
    api: httpx.AsyncClient,
    dev_env: WorkflowEnvironment,
    login: Any,
    applicant_auth: TokenAuth,
    session_factory: SessionFactory,
) -> None:
    case_id = (await api.post("/api/v1/sales", json=SALE_REQUEST, auth=applicant_auth)).json()["id"]
    await wait_for_step(dev_env.client, case_id, SaleStep.COMPLETENESS)
    async with session_factory() as session, session.begin():
        session.add(
            AuditEntry(
                case_id=case_id,
                event_key="mail:staff_task:payment-4",
                at=utcnow(),
                actor="sistem",
                role=ActorKind.SYSTEM,
                office_code="6202",
                action="mail_stand_in",
                step="payment",
                note=NOTE,
            )
        )

    staff_page = (await api.get(f"/staff/cases/{case_id}", auth=login("6202", "officer"))).text
    assert "Surat dialihkan" in staff_page and NOTE in staff_page

    await ui_login(api, APPLICANT_EMAIL, APPLICANT_PASSWORD)
    portal_page = await api.get(f"/portal/cases/{case_id}")
    assert portal_page.status_code == 200 and "Permintaan diajukan" in portal_page.text
    assert "Surat dialihkan" not in portal_page.text and NOTE not in portal_page.text
