"""Nothing orphaned: a request of any wing sent while Temporal is unreachable is stored and answered 202 ("diterima;
diproses segera"), a resend with its key stores nothing more, and the one recovery loop starts it exactly once
when Temporal is back; a refused upload leaves neither a row nor a file."""

from __future__ import annotations

import html
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, update
from temporalio.testing import WorkflowEnvironment

from api.main import create_app
from api.services.recovery import STARTERS, start_unstarted
from core.db import SessionFactory
from core.enums import SaleStep, Service
from core.models import Case, CatalogueDataset, Document
from core.settings import Settings
from tests.api.conftest import PDF, SALE_REQUEST, _client, form_csrf, ui_login
from tests.api.test_complaint_desk import answers
from tests.api.test_recommendations_api import AGENCY, FS3
from tests.conftest import SmtpSink, free_port, make_settings
from tests.helpers import TokenAuth, make_applicant, read_case_row, store_sale, wait_for_step

PROCESSED_SHORTLY = "Diterima; diproses segera."


@pytest.fixture
async def down(database_url: str, smtp: SmtpSink, task_queue: str, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    """The API with Temporal unreachable (nothing listens at its address); the database and SMTP are up."""
    offline = make_settings(database_url, smtp.port, task_queue, tmp_path, temporal_address=f"127.0.0.1:{free_port()}")
    async for client in _client(create_app(offline)):
        yield client


async def _count(session_factory: SessionFactory, service: str) -> int:
    async with session_factory() as session:
        return int(await session.scalar(select(func.count()).where(Case.service == service)) or 0)


async def _stored_not_started(session_factory: SessionFactory, case_id: str, service: str) -> None:
    row = await read_case_row(session_factory, case_id)
    assert row.service == service and row.workflow_started is False
    assert await _count(session_factory, service) == 1


async def _started_once_by_the_loop(
    session_factory: SessionFactory, env: WorkflowEnvironment, settings: Settings, case_id: str
) -> None:
    """Temporal is back: one pass of the loop starts the case; the next finds nothing, and a late second start (a
    resend racing the loop) is a no-op: the same run."""
    async with session_factory() as session:
        assert await start_unstarted(session=session, temporal=env.client, settings=settings, grace=timedelta(0)) == 1
    handle = env.client.get_workflow_handle(case_id)
    first_run = (await handle.describe()).run_id
    async with session_factory() as session:
        assert await start_unstarted(session=session, temporal=env.client, settings=settings, grace=timedelta(0)) == 0
        case = await session.get(Case, case_id)
        assert case is not None
        assert await STARTERS[case.service](session=session, temporal=env.client, settings=settings, case=case)
    assert (await handle.describe()).run_id == first_run
    assert (await read_case_row(session_factory, case_id)).workflow_started is True


async def test_a_sale_sent_while_temporal_is_down_is_accepted_and_started_once_when_it_is_back(
    down: httpx.AsyncClient,
    session_factory: SessionFactory,
    dev_env: WorkflowEnvironment,
    dev_worker: object,
    settings: Settings,
) -> None:
    auth = TokenAuth(*await make_applicant(session_factory))
    headers = {"Idempotency-Key": "penjualan-saat-temporal-mati"}
    sent = await down.post("/api/v1/sales", json=SALE_REQUEST, auth=auth, headers=headers)
    again = await down.post("/api/v1/sales", json=SALE_REQUEST, auth=auth, headers=headers)  # as a client retries

    assert sent.status_code == again.status_code == 202, sent.text
    body = sent.json()
    assert again.json()["id"] == body["id"]
    assert body["workflow_started"] is False and body["message"].startswith(PROCESSED_SHORTLY)
    assert body["id"] in body["message"] and "Temporal" not in body["message"]
    await _stored_not_started(session_factory, body["id"], Service.SALE)

    await _started_once_by_the_loop(session_factory, dev_env, settings, body["id"])
    await wait_for_step(dev_env.client, body["id"], SaleStep.COMPLETENESS)


async def test_a_recommendation_sent_while_temporal_is_down_is_accepted_and_started_once_when_it_is_back(
    down: httpx.AsyncClient,
    session_factory: SessionFactory,
    dev_env: WorkflowEnvironment,
    dev_worker: object,
    settings: Settings,
) -> None:
    agency = TokenAuth(
        *await make_applicant(session_factory, email="dinas@example.com", segment="government", institution=AGENCY)
    )
    fs3 = {"office_code": "6202", "unit": "Bidang", "fs3": FS3}
    headers = {"Idempotency-Key": "fs3-saat-temporal-mati"}
    sent = await down.post("/api/v1/recommendations", json=fs3, auth=agency, headers=headers)
    again = await down.post("/api/v1/recommendations", json=fs3, auth=agency, headers=headers)

    assert sent.status_code == again.status_code == 202, sent.text
    body = sent.json()
    assert again.json()["id"] == body["id"]
    assert body["workflow_started"] is False and body["message"].startswith(PROCESSED_SHORTLY)
    await _stored_not_started(session_factory, body["id"], Service.RECOMMENDATION)

    await _started_once_by_the_loop(session_factory, dev_env, settings, body["id"])


async def test_a_complaint_sent_twice_while_temporal_is_down_is_stored_once_and_started_once_when_it_is_back(
    down: httpx.AsyncClient,
    login: Any,
    session_factory: SessionFactory,
    dev_env: WorkflowEnvironment,
    dev_worker: object,
    settings: Settings,
) -> None:
    officer = login("6202", "officer")
    body = {**answers(), "office_code": "6202"}
    headers = {"Idempotency-Key": "pengaduan-saat-temporal-mati"}
    first = await down.post("/api/v1/complaints", json=body, auth=officer, headers=headers)
    again = await down.post("/api/v1/complaints", json=body, auth=officer, headers=headers)  # as a client retries

    assert first.status_code == again.status_code == 202, first.text
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["message"].startswith(PROCESSED_SHORTLY) and "coba lagi" not in first.json()["message"]
    await _stored_not_started(session_factory, first.json()["id"], Service.COMPLAINT)

    await _started_once_by_the_loop(session_factory, dev_env, settings, first.json()["id"])


async def test_a_guest_who_takes_a_number_while_temporal_is_down_gets_the_ticket_and_the_visit_starts_once_later(
    down: httpx.AsyncClient,
    session_factory: SessionFactory,
    dev_env: WorkflowEnvironment,
    dev_worker: object,
    settings: Settings,
) -> None:
    page = await down.get("/desk/6302")
    form = {"name": "Dewi Lestari", "contact": "0811000000", "purpose": "Membeli data mikro", "service": "purchase"}
    taken = await down.post("/desk/6302", data={"csrf": form_csrf(page.text), **form})

    assert taken.status_code == 303, taken.text  # the ticket, as when every part is up
    ticket = await down.get(taken.headers["location"])
    assert ticket.status_code == 200 and 'class="ticket-number">P-' in ticket.text
    case_id = taken.headers["location"].rsplit("/", 1)[1]
    await _stored_not_started(session_factory, case_id, Service.VISIT)

    await _started_once_by_the_loop(session_factory, dev_env, settings, case_id)


async def test_a_refused_signed_sppd_upload_leaves_neither_row_nor_file(
    api: httpx.AsyncClient,
    applicant_auth: TokenAuth,
    dev_env: WorkflowEnvironment,
    settings: Settings,
    session_factory: SessionFactory,
) -> None:
    sent = await api.post("/api/v1/sales", json=SALE_REQUEST, auth=applicant_auth)
    case_id = sent.json()["id"]
    await wait_for_step(dev_env.client, case_id, SaleStep.COMPLETENESS)

    refused = await api.post(
        f"/api/v1/sales/{case_id}/documents",
        params={"kind": "sppd_signed"},
        files={"file": ("sppd.pdf", PDF)},
        auth=applicant_auth,
    )

    assert refused.status_code == 409, refused.text  # the workflow takes a signed SPPD only in the SPPD step
    async with session_factory() as session:
        rows = (await session.scalars(select(Document).where(Document.case_id == case_id))).all()
    assert rows == []
    stored = settings.storage_dir / case_id
    assert not stored.exists() or not [path.name for path in stored.iterdir() if "sppd" in path.name]


async def test_an_upload_that_cannot_reach_temporal_leaves_neither_row_nor_file_and_says_to_send_it_again(
    down: httpx.AsyncClient, session_factory: SessionFactory, tmp_path: Path
) -> None:
    auth = TokenAuth(*await make_applicant(session_factory))
    case_id = (await down.post("/api/v1/sales", json=SALE_REQUEST, auth=auth)).json()["id"]

    failed = await down.post(
        f"/api/v1/sales/{case_id}/documents",
        params={"kind": "abstract"},
        files={"file": ("abstrak.pdf", PDF)},
        auth=auth,
    )

    assert failed.status_code == 503, failed.text
    assert "Kirim lagi" in failed.json()["detail"] and "Temporal" not in failed.json()["detail"]
    async with session_factory() as session:
        assert (await session.scalars(select(Document).where(Document.case_id == case_id))).all() == []
    stored = tmp_path / "files" / case_id  # the down app's storage (make_settings)
    assert not stored.exists() or list(stored.iterdir()) == []


async def test_a_portal_request_with_its_abstract_sent_while_temporal_is_down_is_stored_once_and_says_what_is_left(
    down: httpx.AsyncClient, session_factory: SessionFactory
) -> None:
    await ui_login(down, *await make_applicant(session_factory))
    page = await down.get("/portal/new?office=6202")
    async with session_factory() as session:
        susenas = await session.scalar(select(CatalogueDataset.id).where(CatalogueDataset.office_code == "6202"))
    form = {
        "csrf": form_csrf(page.text),
        "office_code": "6202",
        f"dataset-{susenas}": "full",
        "abstract": "Skripsi tentang kemiskinan rumah tangga di Kotawaringin Timur tahun 2025.",
    }
    sent = await down.post("/portal/new", data=form, files={"file": ("abstrak.pdf", PDF)})

    assert sent.status_code == 303, sent.text  # to the stored request's page, not the form again (sent twice)
    confirmed = await down.get(sent.headers["location"])
    text = html.unescape(confirmed.text)
    assert PROCESSED_SHORTLY in text and "Abstraksi belum terunggah" in text
    assert await _count(session_factory, Service.SALE) == 1


async def test_a_stored_case_that_cannot_start_blocks_no_other(
    session_factory: SessionFactory, dev_env: WorkflowEnvironment, settings: Settings
) -> None:
    broken = await store_sale(session_factory)  # stored first, with details no workflow input can be made of
    async with session_factory() as session, session.begin():
        await session.execute(update(Case).where(Case.id == broken.id).values(details={"items": "rusak"}))
    waiting = await store_sale(session_factory)

    async with session_factory() as session:
        started = await start_unstarted(session=session, temporal=dev_env.client, settings=settings, grace=timedelta(0))

    assert started == 1
    assert (await read_case_row(session_factory, waiting.id)).workflow_started is True
    assert (await read_case_row(session_factory, broken.id)).workflow_started is False
