"""An office's administrator sets how long a sale waits on its applicant (issue 14): the settings form shows the
standard's defaults, refuses a bad number beside its field, and what it saves is what the workflow reads."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy import update

from activities.records import office_waits
from contracts.sale import ApplicantWaits
from core.db import SessionFactory
from core.models import Office
from tests.api.test_admin_pages import _as, _field_error

DEFAULTS = {
    "wait_returned_days": 14,
    "wait_sample_review_days": 7,
    "wait_payment_days": 14,
    "wait_sppd_days": 30,
    "wait_reminder_days": 3,
    "billing_code_limit": 3,
}


@pytest.fixture(autouse=True)
async def standard_waits(session_factory: SessionFactory) -> AsyncIterator[None]:
    """The next test finds the standard's waits again."""
    yield
    async with session_factory() as session, session.begin():
        await session.execute(update(Office).values(**DEFAULTS))


async def test_the_waits_on_the_applicant_are_office_settings(
    api: httpx.AsyncClient, demo_accounts: Any, session_factory: SessionFactory
) -> None:
    csrf = await _as(api, demo_accounts, "6202", "administrator")
    page = await api.get("/staff/admin/settings")
    form = {"csrf": csrf, "close_of_business": "16:00", "sla_warning_percent": "80", "escalation_working_days": "2"}
    changed = {**{name: str(value) for name, value in DEFAULTS.items()}, "wait_sppd_days": "45"}

    bad = await api.post(
        "/staff/admin/settings", data={**form, **changed, "billing_code_limit": "0", "wait_returned_days": "dua"}
    )
    saved = await api.post("/staff/admin/settings", data={**form, **changed, "billing_code_limit": "2"})
    shown = await api.get(saved.headers["location"])
    async with session_factory() as session:
        office = await session.get(Office, "6202")
        assert office is not None
        waits = office_waits(office)

    assert page.status_code == 200 and "Batas waktu menunggu pemohon" in page.text
    assert 'id="admin-wait_sppd_days" name="wait_sppd_days" type="text" value="30"' in page.text
    assert bad.status_code == 422
    assert "1 sampai 12" in _field_error(bad.text, "billing_code_limit")
    assert "1 sampai 365" in _field_error(bad.text, "wait_returned_days")
    assert saved.status_code == 303 and 'value="45"' in shown.text
    assert waits == ApplicantWaits(
        returned_days=14, sample_review_days=7, payment_days=14, sppd_days=45, reminder_days=3, billing_codes=2
    )


async def test_a_settings_form_without_the_waits_leaves_them(
    api: httpx.AsyncClient, demo_accounts: Any, session_factory: SessionFactory
) -> None:
    csrf = await _as(api, demo_accounts, "6202", "administrator")
    form = {"csrf": csrf, "close_of_business": "16:00", "sla_warning_percent": "80", "escalation_working_days": "2"}

    saved = await api.post("/staff/admin/settings", data=form)
    async with session_factory() as session:
        office = await session.get(Office, "6202")
        assert office is not None

    assert saved.status_code == 303 and office_waits(office) == ApplicantWaits()
