"""Closed cases: an action on a completed, cancelled or resolved case answers 409 with a sentence that says the case
is closed, when, and what the person can do (410 for the support window that is over), through the JSON API and the
case page's form alike; the workflow's absence is never shown as a Temporal error."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select, update
from temporalio.service import RPCError, RPCStatusCode
from temporalio.testing import WorkflowEnvironment

from api.errors import install_error_handlers
from api.services.cases import CaseClosed, act
from contracts.sale import AbstractReview
from core.db import SessionFactory
from core.enums import CaseStatus, Decision, SaleStep
from core.formatting import date_in_words
from core.models import Applicant, Case, Office, utcnow
from core.seeding import DemoAccount
from core.settings import Settings
from tests.api.conftest import ui_login
from tests.api.test_complaint_desk import answers, until_answerable
from tests.helpers import (
    APPLICANT_EMAIL,
    TokenAuth,
    make_applicant,
    officer,
    read_case_row,
    sale_at_abstract_review,
    start_sale,
    wait_for_step,
)
from workflows.sale import SaleWorkflow

REASON = "Abstraksi tidak menjelaskan penggunaan data mikro yang diminta."


async def _today(session_factory: SessionFactory) -> str:
    async with session_factory() as session:
        office = await session.get(Office, "6202")
    assert office is not None
    return date_in_words(utcnow(), office.timezone)


async def _page_action(
    api: httpx.AsyncClient, account: DemoAccount, case_id: str, name: str, form: dict[str, str]
) -> httpx.Response:
    """The officer sends an action's form from a case page opened before the case closed (its key included)."""
    await ui_login(api, account.email, account.password)
    page = await api.get(f"/staff/cases/{case_id}")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf is not None
    data = {"csrf": csrf.group(1), "idempotency_key": f"stale-page-{name}", **form}
    return await api.post(f"/staff/cases/{case_id}/actions/{name}", data=data)


def _says_closed(text: str, sentence: str) -> None:
    assert sentence in text, text
    assert "Temporal" not in text and "tidak ditemukan" not in text


async def test_an_action_on_a_cancelled_sale_says_it_was_cancelled_and_what_to_do(
    api: httpx.AsyncClient,
    login: Any,
    demo_accounts: dict[tuple[str, str], DemoAccount],
    dev_env: WorkflowEnvironment,
    settings: Settings,
    session_factory: SessionFactory,
) -> None:
    case = await sale_at_abstract_review(session_factory, dev_env.client, settings)
    base = f"/api/v1/sales/{case.id}/abstract-review"
    rejected = await api.post(base, json={"decision": "reject", "reason": REASON}, auth=login("6202", "officer"))
    assert rejected.status_code == 200 and rejected.json()["step"] == SaleStep.CANCELLED
    await dev_env.client.get_workflow_handle(case.id).result()  # the workflow has ended
    approve = {"decision": "approve"}

    plain = await api.post(base, json=approve, auth=login("6202", "officer"))
    keyed = await api.post(base, json=approve, auth=login("6202", "officer"), headers={"Idempotency-Key": "k-1"})
    form = await _page_action(api, demo_accounts[("6202", "officer")], case.id, "abstract", approve)

    sentence = f"Permintaan {case.id} sudah dibatalkan pada {await _today(session_factory)}."
    for answer in (plain, keyed):
        assert answer.status_code == 409
        _says_closed(answer.json()["detail"], sentence)
        assert "ajukan permintaan baru" in answer.json()["detail"]
    assert form.status_code == 409
    _says_closed(form.text, sentence)


async def test_an_action_racing_the_cancellation_finds_the_workflow_gone_and_says_the_same(
    dev_env: WorkflowEnvironment, dev_worker: object, settings: Settings, session_factory: SessionFactory
) -> None:
    case = await sale_at_abstract_review(session_factory, dev_env.client, settings)
    async with session_factory() as session:
        seen = await session.get(Case, case.id)  # the officer's page, read before the decision below
        assert seen is not None and seen.status == CaseStatus.OPEN
        await session.commit()
        handle = dev_env.client.get_workflow_handle_for(SaleWorkflow.run, case.id)
        await handle.execute_update(
            SaleWorkflow.review_abstract, AbstractReview(decision=Decision.REJECT, actor=officer(), reason=REASON)
        )
        await handle.result()

        with pytest.raises(CaseClosed) as closed:  # the read model this request holds still says open
            await act(
                session=session,
                temporal=dev_env.client,
                case=seen,
                update=SaleWorkflow.review_abstract,
                message=AbstractReview(decision=Decision.APPROVE, actor=officer()),
                idempotency_key="late",
            )
    assert closed.value.status == 409
    _says_closed(closed.value.message, f"Permintaan {case.id} sudah dibatalkan pada {await _today(session_factory)}.")


async def test_a_completed_sale_is_refused_before_anything_reaches_its_workflow_and_its_window_is_gone(
    api: httpx.AsyncClient,
    login: Any,
    demo_accounts: dict[tuple[str, str], DemoAccount],
    dev_env: WorkflowEnvironment,
    settings: Settings,
    session_factory: SessionFactory,
) -> None:
    applicant = TokenAuth(*await make_applicant(session_factory))
    case = await start_sale(session_factory, dev_env.client, settings)
    await wait_for_step(dev_env.client, case.id, SaleStep.COMPLETENESS)
    async with session_factory() as session, session.begin():  # the read model says the sale is over
        owner = await session.scalar(select(Applicant.id).where(Applicant.email == APPLICANT_EMAIL))
        completed = {"status": CaseStatus.COMPLETED, "step": SaleStep.COMPLETED, "applicant_id": owner}
        await session.execute(update(Case).where(Case.id == case.id).values(**completed))
    incomplete = {"complete": False, "missing": "Abstraksi belum ditandatangani."}

    base = f"/api/v1/sales/{case.id}"
    keyed = await api.post(
        f"{base}/completeness", json=incomplete, auth=login("6202", "officer"), headers={"Idempotency-Key": "k-2"}
    )
    form = await _page_action(api, demo_accounts[("6202", "officer")], case.id, "completeness", {"complete": "false"})
    link = await api.post(f"{base}/new-link", json={"receipt_number": "KW-6202-2026-0001"}, auth=applicant)

    sentence = f"Permintaan {case.id} sudah selesai pada {await _today(session_factory)}."
    assert keyed.status_code == 409
    _says_closed(keyed.json()["detail"], sentence)
    assert form.status_code == 409
    _says_closed(form.text, sentence)
    assert link.status_code == 410 and "30 hari" in link.json()["detail"]  # the support window that is over
    status = await dev_env.client.get_workflow_handle_for(SaleWorkflow.run, case.id).query(SaleWorkflow.status)
    assert status.step == SaleStep.COMPLETENESS  # nothing was sent to the workflow


async def test_an_answer_to_a_resolved_complaint_says_it_was_answered_and_what_to_do(
    api: httpx.AsyncClient,
    login: Any,
    demo_accounts: dict[tuple[str, str], DemoAccount],
    dev_env: WorkflowEnvironment,
    session_factory: SessionFactory,
) -> None:
    officer_auth = login("6202", "officer")
    filed = await api.post("/api/v1/complaints", json={**answers(), "office_code": "6202"}, auth=officer_auth)
    case_id = filed.json()["id"]
    await until_answerable(session_factory, case_id)
    response = {"response": "Petugas tambahan kini berjaga pada jam sibuk; terima kasih."}
    resolved = await api.post(f"/api/v1/complaints/{case_id}/resolution", json=response, auth=officer_auth)
    assert resolved.status_code == 200
    await asyncio.wait_for(dev_env.client.get_workflow_handle(case_id).result(), timeout=15)
    assert (await read_case_row(session_factory, case_id)).status == CaseStatus.COMPLETED

    path = f"/api/v1/complaints/{case_id}/resolution"
    plain = await api.post(path, json=response, auth=officer_auth)
    keyed = await api.post(path, json=response, auth=officer_auth, headers={"Idempotency-Key": "k-3"})
    form = await _page_action(api, demo_accounts[("6202", "officer")], case_id, "resolve", response)

    sentence = f"Pengaduan {case_id} sudah dijawab dan selesai pada {await _today(session_factory)}."
    for answer in (plain, keyed):
        assert answer.status_code == 409
        _says_closed(answer.json()["detail"], sentence)
        assert "ajukan pengaduan baru" in answer.json()["detail"]
    assert form.status_code == 409
    _says_closed(form.text, sentence)


async def test_a_workflow_not_found_anywhere_else_is_a_409_without_temporal_words() -> None:
    app = FastAPI()
    install_error_handlers(app)

    @app.post("/signal")
    async def signal() -> None:
        raise RPCError("workflow execution already completed", RPCStatusCode.NOT_FOUND, b"")

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        answer = await client.post("/signal")

    assert answer.status_code == 409
    assert "sudah ditutup" in answer.json()["detail"] and "Temporal" not in answer.json()["detail"]
