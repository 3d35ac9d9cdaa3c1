"""The first pages: offices on the home page, a case with its timeline, the mail outbox."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from temporalio.testing import WorkflowEnvironment

from api.main import create_app
from core.enums import SaleStep
from tests.api.conftest import SALE_REQUEST, _client
from tests.conftest import SmtpSink, make_settings
from tests.helpers import TokenAuth, wait_for_mail, wait_for_step


async def test_home_lists_the_four_offices(api: httpx.AsyncClient) -> None:
    page = (await api.get("/")).text
    for name in ("Kotawaringin Timur", "Kotabaru", "Belitung Timur", "Banjarnegara"):
        assert name in page
    assert (await api.get("/static/pst.css")).status_code == 200


async def test_case_page_shows_step_timeline_in_office_time_and_the_temporal_link_to_administrators(
    api: httpx.AsyncClient, dev_env: WorkflowEnvironment, login: Any, smtp: SmtpSink, applicant_auth: TokenAuth
) -> None:
    case_id = (await api.post("/api/v1/sales", json=SALE_REQUEST, auth=applicant_auth)).json()["id"]
    await wait_for_step(dev_env.client, case_id, SaleStep.COMPLETENESS)

    anonymous = await api.get(f"/staff/cases/{case_id}")
    other_office = await api.get(f"/staff/cases/{case_id}", auth=login("1906", "officer"))
    page = await api.get(f"/staff/cases/{case_id}", auth=login("6202", "officer"))

    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login?next=")
    assert other_office.status_code == 403
    assert page.status_code == 200
    assert "Pemeriksaan kelengkapan permintaan" in page.text and "WIB" in page.text
    assert "/namespaces/default/workflows/" not in page.text  # a developer's tool, not an officer's
    administrator = await api.get(f"/staff/cases/{case_id}", auth=login("6202", "administrator"))
    assert f"/namespaces/default/workflows/{case_id}" in administrator.text
    await wait_for_mail(smtp, 2)
    assert (await api.get("/staff/outbox", auth=login("6202", "officer"))).status_code == 403  # administrators only
    outbox = (await api.get("/staff/outbox", auth=login("6202", "administrator"))).text
    assert f"Permintaan {case_id}: Pemeriksaan kelengkapan permintaan" in outbox and "terkirim" in outbox


async def test_outbox_page_is_off_when_disabled(
    database_url: str, smtp: SmtpSink, task_queue: str, tmp_path: Path, dev_env: WorkflowEnvironment, login: Any
) -> None:
    target = dev_env.client.service_client.config.target_host
    settings = make_settings(database_url, smtp.port, task_queue, tmp_path, temporal_address=target, show_outbox=False)
    async for client in _client(create_app(settings)):
        response = await client.get("/staff/outbox", auth=login("6202", "administrator"))
    assert response.status_code == 404
