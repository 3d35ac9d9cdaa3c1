"""Every person's action goes through one act(...): idempotent by key, and with no database connection held
while the API waits on Temporal."""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from temporalio.client import Client, Interceptor, OutboundInterceptor, StartWorkflowUpdateInput, WorkflowUpdateHandle
from temporalio.testing import WorkflowEnvironment

from api.main import create_app
from core.db import SessionFactory, create_session_factory
from core.settings import Settings
from tests.api.conftest import form_csrf, submit_online, ui_login
from tests.helpers import TokenAuth, audit_actions, make_applicant, read_case_row
from worker import build_worker

COMPLETE = {"complete": True}


def _completeness(case_id: str) -> str:
    return f"/api/v1/sales/{case_id}/completeness"


async def test_the_same_idempotency_key_acts_once_and_answers_the_first_result(
    api: httpx.AsyncClient,
    dev_env: WorkflowEnvironment,
    login: Any,
    applicant_auth: TokenAuth,
    session_factory: SessionFactory,
) -> None:
    case_id = await submit_online(api, applicant_auth, dev_env.client)
    officer = login("6202", "officer")
    key = {"Idempotency-Key": str(uuid.uuid4())}

    first = await api.post(_completeness(case_id), json=COMPLETE, auth=officer, headers=key)
    retried = await api.post(_completeness(case_id), json=COMPLETE, auth=officer, headers=key)
    other_key = {"Idempotency-Key": str(uuid.uuid4())}
    another = await api.post(_completeness(case_id), json=COMPLETE, auth=officer, headers=other_key)
    without_key = await api.post(_completeness(case_id), json=COMPLETE, auth=officer)

    assert first.status_code == 200, first.text
    assert retried.status_code == 200 and retried.json() == first.json()
    assert first.json()["step"] == "abstract_review"
    assert another.status_code == 409 and without_key.status_code == 409
    assert (await audit_actions(session_factory, case_id)).count("request_complete") == 1


async def test_a_bad_idempotency_key_is_refused_before_anything_happens(
    api: httpx.AsyncClient,
    dev_env: WorkflowEnvironment,
    login: Any,
    applicant_auth: TokenAuth,
    session_factory: SessionFactory,
) -> None:
    case_id = await submit_online(api, applicant_auth, dev_env.client)
    for bad in ("dua kata", "x" * 101, "kunci-ü".encode("latin-1")):
        refused = await api.post(
            _completeness(case_id), json=COMPLETE, auth=login("6202", "officer"), headers={"Idempotency-Key": bad}
        )
        assert refused.status_code == 422, bad
        assert "Idempotency-Key tidak valid" in refused.json()["detail"] and "100 karakter" in refused.json()["detail"]
    assert "request_complete" not in await audit_actions(session_factory, case_id)
    longest = {"Idempotency-Key": "k" * 100}
    accepted = await api.post(_completeness(case_id), json=COMPLETE, auth=login("6202", "officer"), headers=longest)
    assert accepted.status_code == 200, accepted.text


async def test_a_staff_form_sent_twice_acts_once(
    api: httpx.AsyncClient,
    dev_env: WorkflowEnvironment,
    demo_accounts: Any,
    applicant_auth: TokenAuth,
    session_factory: SessionFactory,
) -> None:
    case_id = await submit_online(api, applicant_auth, dev_env.client)
    officer = demo_accounts[("6202", "officer")]
    await ui_login(api, officer.email, officer.password)
    page = (await api.get(f"/staff/cases/{case_id}")).text
    form = re.search(rf'action="/staff/cases/{case_id}/actions/completeness".*?</form>', page, re.DOTALL)
    assert form is not None
    fields = dict(re.findall(r'<input type="hidden" name="(csrf|idempotency_key)" value="([^"]+)"', form.group(0)))
    assert set(fields) == {"csrf", "idempotency_key"}
    uuid.UUID(fields["idempotency_key"])  # a fresh uuid4 per rendered form

    data = {**fields, "complete": "true"}
    action = f"/staff/cases/{case_id}/actions/completeness"
    double_click = await asyncio.gather(api.post(action, data=data), api.post(action, data=data))
    retried = await api.post(action, data=data)
    again_without_key = await api.post(action, data={"csrf": fields["csrf"], "complete": "true"})

    for sent in (*double_click, retried):
        assert sent.status_code == 303, sent.text
        assert sent.headers["location"].startswith(f"/staff/cases/{case_id}?done=")
    assert again_without_key.status_code == 409 and "tidak tersedia" in again_without_key.text
    assert (await audit_actions(session_factory, case_id)).count("request_complete") == 1
    assert fields["idempotency_key"] not in (await api.get(f"/staff/cases/{case_id}")).text  # a new key per page


async def test_a_queue_button_pressed_twice_moves_the_guest_once(
    api: httpx.AsyncClient, demo_accounts: Any, session_factory: SessionFactory
) -> None:
    desk = await api.get("/desk/1906")
    taken = await api.post(
        "/desk/1906",
        data={
            "csrf": form_csrf(desk.text),
            "name": "Dedi",
            "contact": "0811222333",
            "purpose": "Konsultasi data kemiskinan",
            "service": "consultation",
        },
    )
    assert taken.status_code == 303, taken.text
    officer = demo_accounts[("1906", "officer")]
    await ui_login(api, officer.email, officer.password)
    queue = (await api.get("/staff/queue")).text
    form = re.search(r'action="/staff/queue/([\w-]+)/advance".*?</form>', queue, re.DOTALL)
    assert form is not None
    fields = dict(re.findall(r'<input type="hidden" name="(csrf|idempotency_key)" value="([^"]+)"', form.group(0)))

    pressed = [await api.post(f"/staff/queue/{form.group(1)}/advance", data=fields) for _ in range(2)]

    assert [answer.status_code for answer in pressed] == [303, 303]
    assert (await read_case_row(session_factory, form.group(1))).step == "called"  # not "serving"


# ---------------------------------------------------------------- no connection held while Temporal works


class _UpdatesSent(Interceptor):
    """Counts the Updates the API's Temporal client has sent (it sends them on, unchanged)."""

    def __init__(self, expected: int) -> None:
        self.expected = expected
        self.sent = 0
        self.all_sent = asyncio.Event()

    def intercept_client(self, next: OutboundInterceptor) -> OutboundInterceptor:
        return _Counting(next, self)


class _Counting(OutboundInterceptor):
    def __init__(self, next: OutboundInterceptor, counter: _UpdatesSent) -> None:
        super().__init__(next)
        self.counter = counter

    async def start_workflow_update(self, input: StartWorkflowUpdateInput) -> WorkflowUpdateHandle[Any]:
        self.counter.sent += 1
        if self.counter.sent >= self.counter.expected:
            self.counter.all_sent.set()
        return await super().start_workflow_update(input)


@pytest.fixture
async def tiny_pool(database_url: str) -> AsyncIterator[AsyncEngine]:
    """An engine with ONE connection: a request that kept it while waiting would starve every other one."""
    engine = create_async_engine(database_url, pool_size=1, max_overflow=0, pool_timeout=10)
    yield engine
    await engine.dispose()


async def test_actions_waiting_on_temporal_leave_the_database_to_other_requests(
    settings: Settings,
    dev_env: WorkflowEnvironment,
    session_factory: SessionFactory,
    demo_accounts: Any,
    tiny_pool: AsyncEngine,
) -> None:
    waiting = 3
    counter = _UpdatesSent(expected=waiting)
    app: FastAPI = create_app(settings)
    async with app.router.lifespan_context(app):
        app.state.session_factory = create_session_factory(tiny_pool)
        app.state.temporal = Client(**{**dev_env.client.config(), "interceptors": [counter]})
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://pst.test") as api:
            applicant = TokenAuth(*await make_applicant(session_factory))
            officer = demo_accounts[("6202", "officer")]
            staff = TokenAuth(officer.email, officer.password)
            async with build_worker(dev_env.client, settings, session_factory):
                case_ids = [await submit_online(api, applicant, dev_env.client) for _ in range(waiting + 1)]
                assert (await api.get(f"/api/v1/cases/{case_ids[0]}", auth=staff)).status_code == 200  # signed in
            # No worker now: each Update waits in Temporal until one comes back.
            actions = [
                asyncio.create_task(api.post(_completeness(case_id), json=COMPLETE, auth=staff))
                for case_id in case_ids[:waiting]
            ]
            await asyncio.wait_for(counter.all_sent.wait(), timeout=30)
            assert not any(action.done() for action in actions)

            unrelated = await api.get(f"/api/v1/cases/{case_ids[-1]}", auth=staff)
            assert unrelated.status_code == 200 and unrelated.json()["step"] == "completeness"

            async with build_worker(dev_env.client, settings, session_factory):
                answers = await asyncio.wait_for(asyncio.gather(*actions), timeout=60)
    assert [answer.status_code for answer in answers] == [200] * waiting, [a.text for a in answers]
    assert {answer.json()["step"] for answer in answers} == {"abstract_review"}
