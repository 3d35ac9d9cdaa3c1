"""No workflow waits forever on a person (issue 14, "Done when"). Every ``workflow.wait_condition`` of every workflow
is listed here with whom it waits on and how that wait ends:

- a wait on the applicant, the agency or the guest ends by itself: a reminder and then a closure (sale,
  recommendation), or the office's close of business (visit); each is shown on the time-skipping server;
- a wait on the staff is bounded by the service standard's clock, whose warning and breach mails go to the staff
  within the standard's time (shown here for every service), and by the staff's close of the case;
- the few other waits wait on no person (the clock's watcher, the handlers of the moment) and say why they end.

A static check keeps the list honest: a ``workflow.wait_condition(`` without ``timeout=`` in ``workflows/*.py`` that
is not named below (with why it ends) fails the test, and so does a named one that is gone.
"""

from __future__ import annotations

import ast
import asyncio
import inspect
import os
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from sqlalchemy import select
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

import tests.workflows.test_case_close as case_close
import tests.workflows.test_recommendation_waits as recommendation_waits
import tests.workflows.test_sale_waits as sale_waits
import tests.workflows.test_visit_day_end as visit_day_end
from api.services import visits
from api.services.visits import closes_at_for
from contracts.case import CaseClosing
from contracts.complaint import ComplaintInput
from contracts.sale import RatingIn
from contracts.visit import VisitInput
from core.db import SessionFactory
from core.enums import CLOSED_STEP, Role, SaleStep, Service
from core.models import AuditEntry, OutboxMail
from core.settings import Settings
from tests.conftest import SmtpSink
from tests.helpers import applicant, approved_sale, officer, read_case_row, store_case
from tests.workflows.test_recommendation import _recorded_complete
from tests.workflows.test_replay import HISTORIES
from tests.workflows.test_sale_correction import _walk_in_delivered
from worker import build_worker
from workflows.case import ClosableCase
from workflows.complaint import ComplaintWorkflow
from workflows.sale import SaleWorkflow
from workflows.visit import VisitWorkflow

WORKFLOWS = Path(__file__).resolve().parents[2] / "workflows"


@dataclass(frozen=True)
class Wait:
    """One untimed ``workflow.wait_condition`` (by file, enclosing function and how many there are in it)."""

    count: int
    on: str  # "staff", "applicant" (the applicant, agency or guest, ended by a timer around it) or "nobody"
    ends: str  # why it ends


# Every wait_condition without timeout= in workflows/*.py, by "file:Class.function".
UNTIMED_WAITS: dict[str, Wait] = {
    "sale.py:SaleWorkflow.run": Wait(
        1,
        "staff",
        "a step on the staff (completeness, abstract review, offer, receipt, delivery...; the applicant's steps go to "
        "wait_on_applicant): the 10-working-day clock warns the officer and breaches to the supervisor and province "
        "once the officer records the request complete; the online completeness check itself runs before the "
        "standard's clock (it counts from a complete request) and is bounded by the staff close only; the officer "
        "or supervisor may close the case in any of these steps",
    ),
    "sale.py:SaleWorkflow._support_window": Wait(
        1,
        "staff",
        "the old path of runs started before 'sale-follow-up-ends' (replay only): the officer's follow-up of a "
        "rating after the support window. New runs tell the supervisor and end after 14 days (timeout=)",
    ),
    "recommendation.py:RecommendationWorkflow.run": Wait(
        2,
        "staff",
        "(1) the old path of runs started before 'recommendation-agency-waits' (replay only); (2) a step on the staff "
        "(completeness by the operator, assignment by the supervisor, examination): from 'recorded complete' the "
        "15-day clock warns and breaches (the completeness check itself precedes the standard's clock, seed 003, "
        "and is bounded by the staff close only); the operator or supervisor may close the FS3 in any of them. "
        "The agency's steps (returned, revision) go to wait_on_applicant",
    ),
    "complaint.py:ComplaintWorkflow.run": Wait(
        1,
        "staff",
        "the officer's response: the 5-working-day clock starts on receipt, warns and breaches; the officer or "
        "supervisor may close it. The complainant is never waited on",
    ),
    "visit.py:VisitWorkflow.run": Wait(
        2,
        "staff",
        "(1) the guest's turn (the guest ahead finishes, or the officer calls) and (2) the officer's steps: the "
        "queue's minute clock warns the officer and breaches to the supervisor; at the office's close of business a "
        "guest not served closes as not served and a service never finished ends with the day (_close_unserved_at)",
    ),
    "visit.py:VisitWorkflow.advance": Wait(
        1,
        "nobody",
        "an officer's click that came before the guest's registration was recorded waits for that first move, "
        "which the run makes at once",
    ),
    "waits.py:wait_on_applicant": Wait(
        2,
        "staff",
        "(1) the staff's turn inside a wait on the applicant (a transfer proof or e-meterai SPPD being checked: the "
        "sale's clock runs, the treasurer or officer decides, a refusal gives the applicant the full time again); "
        "(2) an answer that arrived with the closing timer, being recorded under the lock",
    ),
    "case.py:CaseCore.finish": Wait(1, "nobody", "the case is over: the update handlers of the moment finish"),
    "sla.py:SlaClock.watch": Wait(
        1,
        "nobody",
        "the clock's watcher while the clock does not count (paused, stopped, not started): it wakes on the clock's "
        "next change and ends with the case",
    ),
}


class _UntimedWaits(ast.NodeVisitor):
    """Counts the ``workflow.wait_condition(...)`` calls without ``timeout=`` of one file, by enclosing function."""

    def __init__(self, filename: str, found: Counter[str]) -> None:
        self.filename, self.found, self.scopes = filename, found, list[str]()

    def _scoped(self, node: ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.scopes.append(node.name)
        self.generic_visit(node)
        self.scopes.pop()

    visit_ClassDef = visit_FunctionDef = visit_AsyncFunctionDef = _scoped  # noqa: N815

    def visit_Call(self, node: ast.Call) -> None:  # noqa: N802
        func = node.func
        if (
            isinstance(func, ast.Attribute)
            and func.attr == "wait_condition"
            and isinstance(func.value, ast.Name)
            and func.value.id == "workflow"
            and not any(keyword.arg == "timeout" for keyword in node.keywords)
        ):
            self.found[f"{self.filename}:{'.'.join(self.scopes)}"] += 1
        self.generic_visit(node)


def _untimed_waits() -> Counter[str]:
    """Every ``workflow.wait_condition(...)`` call without ``timeout=`` in workflows/*.py, by file and function."""
    found: Counter[str] = Counter()
    for path in sorted(WORKFLOWS.glob("*.py")):
        _UntimedWaits(path.name, found).visit(ast.parse(path.read_text(encoding="utf-8")))
    return found


def test_every_untimed_wait_is_named_with_why_it_ends() -> None:
    found = _untimed_waits()
    assert found, "the static check found no wait at all: it reads the wrong files"
    named = {where: wait.count for where, wait in UNTIMED_WAITS.items()}
    unknown = {where: n for where, n in found.items() if named.get(where) != n}
    assert not unknown, (
        "a workflow.wait_condition without timeout= that is not named in UNTIMED_WAITS (or a new one in a named "
        f"function): give it an end (a timer: reminder and closure) or name why it is bounded: {unknown}"
    )
    gone = set(named) - set(found)
    assert not gone, f"named in UNTIMED_WAITS but no longer in workflows/: {gone}"
    for where, wait in UNTIMED_WAITS.items():
        assert wait.on in ("staff", "nobody") and wait.ends, where


# ------------------------------------------------------------ the waits on a person end (time-skipping)


@pytest.fixture
def day_ends_later(monkeypatch: pytest.MonkeyPatch) -> None:
    """As in test_visit_day_end: the day ends 8 hours after close of business, whenever the test runs."""
    monkeypatch.setattr(visits, "day_ends_at_for", lambda zone, at: closes_at_for(zone, at) + timedelta(hours=8))


# Each wait on the applicant, the agency or the guest, and the time-skipping test that shows its end.
PERSON_WAITS: list[tuple[str, ModuleType, str]] = [
    ("sale: returned, sample review, payment (3 codes), SPPD", sale_waits, "test_every_wait_of_the_sale_ends"),
    ("sale: returned never completed", sale_waits, "test_a_returned_request_never_completed_is_reminded_then_closed"),
    ("sale: sample never reviewed", sale_waits, "test_a_sample_never_reviewed_closes_after_seven_days"),
    ("sale: never paid", sale_waits, "test_a_sale_never_paid_gets_three_billing_codes_then_closes_as_unpaid"),
    ("sale: SPPD never sent", sale_waits, "test_an_sppd_never_sent_by_post_closes_after_thirty_days"),
    ("sale: abroad transfer", sale_waits, "test_an_abroad_transfer_wait_restarts_after_a_rejected_proof_and_then_ends"),
    ("sale: walk-in SPPD", sale_waits, "test_a_walk_in_guest_who_never_signs_the_sppd_is_closed_too"),
    (
        "recommendation: returned incomplete",
        recommendation_waits,
        "test_an_fs3_returned_incomplete_is_reminded_then_closed_and_the_workflow_ends_after_the_window",
    ),
    (
        "recommendation: revision",
        recommendation_waits,
        "test_a_revision_never_sent_closes_in_english_for_an_english_agency_and_a_supervisor_reopens_it",
    ),
    (
        "visit: guest never served",
        visit_day_end,
        "test_a_guest_never_served_closes_at_close_of_business_and_leaves_the_queue",
    ),
    ("visit: service never finished", visit_day_end, "test_a_service_never_marked_finished_ends_with_the_day"),
    ("every service: the reopen window ends", case_close, "test_no_reopen_after_the_window_the_workflow_ends"),
]


@pytest.mark.usefixtures("day_ends_later")
@pytest.mark.parametrize(("wait", "module", "name"), PERSON_WAITS, ids=[w for w, _, _ in PERSON_WAITS])
async def test_every_wait_on_a_person_ends(
    wait: str,
    module: ModuleType,
    name: str,
    time_env: WorkflowEnvironment,
    time_settings: Settings,
    session_factory: SessionFactory,
    smtp: SmtpSink,
) -> None:
    """Walks the wait on the time-skipping server until the person never answers and it ends."""
    test: Callable[..., Awaitable[None]] = getattr(module, name)
    given: dict[str, Any] = {
        "time_env": time_env,
        "time_settings": time_settings,
        "session_factory": session_factory,
        "smtp": smtp,
    }
    await test(**{parameter: given[parameter] for parameter in inspect.signature(test).parameters})


# ------------------------------------------------------------ the waits on the staff escalate (time-skipping)


async def _actions_at(session_factory: SessionFactory, case_id: str) -> dict[str, datetime]:
    """The first moment of each audit action of the case (UTC)."""
    async with session_factory() as session:
        rows = await session.execute(
            select(AuditEntry.action, AuditEntry.at).where(AuditEntry.case_id == case_id).order_by(AuditEntry.id)
        )
    moments: dict[str, datetime] = {}
    for action, at in rows.all():
        moments.setdefault(action, at if at.tzinfo else at.replace(tzinfo=UTC))
    return moments


async def _staff_mails(session_factory: SessionFactory, case_id: str) -> set[str]:
    async with session_factory() as session:
        keys = await session.scalars(select(OutboxMail.key).where(OutboxMail.case_id == case_id))
        return {key.split(":")[1] for key in keys.all()}


async def _until_breached(session_factory: SessionFactory, case_id: str, timeout: float = 20.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while "sla_breached" not in await _actions_at(session_factory, case_id):
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"{case_id}: never breached")
        await asyncio.sleep(0.1)


async def _running(session_factory: SessionFactory, case_id: str, timeout: float = 20.0) -> Any:
    """The case's read model once its clock runs (the workflow's first step is written by the worker)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while (row := await read_case_row(session_factory, case_id)).sla_state != "running":
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"{case_id}: the clock never ran ({row.sla_state})")
        await asyncio.sleep(0.05)
    return row


async def _sale(env: WorkflowEnvironment, settings: Settings, sf: SessionFactory) -> tuple[str, str]:
    """A sale at the offer: the officer's turn, its 10 working days running."""
    return (await approved_sale(sf, env.client, settings)).id, SaleStep.CANCELLED


async def _recommendation(env: WorkflowEnvironment, settings: Settings, sf: SessionFactory) -> tuple[str, str]:
    """An FS3 recorded complete: the supervisor's assignment, its 15 days running."""
    case, _handle = await _recorded_complete(env, settings, sf)
    return case.id, CLOSED_STEP


async def _complaint(env: WorkflowEnvironment, settings: Settings, sf: SessionFactory) -> tuple[str, str]:
    """A complaint received: the officer's response, its 5 working days running."""
    case_id = await store_case(sf, Service.COMPLAINT, "submitted", Role.OFFICER, text="Data tidak bisa diunduh")
    await _start(env.client, settings, ComplaintWorkflow.run, ComplaintInput(case_id, "6202", "email"))
    return case_id, CLOSED_STEP


async def _visit(env: WorkflowEnvironment, settings: Settings, sf: SessionFactory) -> tuple[str, str]:
    """A guest at a free desk: the officer's call, the queue's minutes running."""
    case_id = await store_case(sf, Service.VISIT, "waiting", Role.OFFICER)
    await _start(env.client, settings, VisitWorkflow.run, VisitInput(case_id, "6202", "A-001"))
    return case_id, CLOSED_STEP


async def _start(client: Client, settings: Settings, run: Any, message: Any) -> None:
    await client.start_workflow(run, message, id=message.case_id, task_queue=settings.task_queue)


# service → the case waiting on the staff, how long to let it wait (past the standard's limit)
STAFF_WAITS: dict[str, tuple[Callable[..., Awaitable[tuple[str, str]]], timedelta]] = {
    Service.SALE: (_sale, timedelta(days=20)),  # 10 working days
    Service.RECOMMENDATION: (_recommendation, timedelta(days=16)),  # 15 days
    Service.COMPLAINT: (_complaint, timedelta(days=10)),  # 5 working days
    Service.VISIT: (_visit, timedelta(hours=1)),  # 10 minutes in 6202's standard
}


@pytest.mark.parametrize("service", list(STAFF_WAITS))
async def test_every_wait_on_the_staff_is_warned_and_breached_in_the_standards_time_and_a_staff_close_ends_it(
    service: str,
    time_env: WorkflowEnvironment,
    time_settings: Settings,
    session_factory: SessionFactory,
    smtp: SmtpSink,
) -> None:
    start, wait = STAFF_WAITS[service]
    async with build_worker(time_env.client, time_settings, session_factory):
        case_id, closed_step = await start(time_env, time_settings, session_factory)
        row = await _running(session_factory, case_id)
        assert row.sla_deadline is not None
        deadline = row.sla_deadline if row.sla_deadline.tzinfo else row.sla_deadline.replace(tzinfo=UTC)
        await time_env.sleep(wait)
        await _until_breached(session_factory, case_id)
        handle = time_env.client.get_workflow_handle(case_id)
        closed = await handle.execute_update(
            ClosableCase.close_case, CaseClosing(officer(role=Role.SUPERVISOR), "Ditutup setelah tenggat terlewati")
        )
        assert closed.step == closed_step
        await handle.result()  # the staff's close ends the workflow

    moments = await _actions_at(session_factory, case_id)
    started, warned, breached = moments["sla_started"], moments["sla_warning"], moments["sla_breached"]
    assert started < warned < breached
    assert abs(breached - deadline) < timedelta(seconds=1)  # the breach comes at the standard's deadline
    assert {"sla_warning", "sla_breached"} <= await _staff_mails(session_factory, case_id)
    assert (await read_case_row(session_factory, case_id)).status == "cancelled"


async def test_a_follow_up_never_recorded_tells_the_supervisor_and_ends_after_fourteen_days(
    time_env: WorkflowEnvironment, time_settings: Settings, session_factory: SessionFactory, smtp: SmtpSink
) -> None:
    """The last wait on the staff with no clock: a rating that asked for a follow-up the officer never records."""
    async with build_worker(time_env.client, time_settings, session_factory):
        case_id, handle, _package = await _walk_in_delivered(session_factory, time_env.client, time_settings)
        await handle.execute_update(
            SaleWorkflow.rate, RatingIn(applicant(), [4, 4, 1, 4, 4, 4, 4, 4, 4], "Antre terlalu lama", True)
        )
        await time_env.sleep(timedelta(days=31))  # the support window is over, the follow-up is not
        assert (await handle.query(SaleWorkflow.status)).step == SaleStep.SUPPORT
        assert "follow_up_due" in await _actions_at(session_factory, case_id)
        await time_env.sleep(timedelta(days=14))
        result = await handle.result()
        assert result.step == SaleStep.COMPLETED
        if os.environ.get("PST_RECORD_HISTORIES") == "1":
            (HISTORIES / "sale_follow_up_overdue.json").write_text((await handle.fetch_history()).to_json())

    moments = await _actions_at(session_factory, case_id)
    assert moments["follow_up_due"] < moments["follow_up_overdue"] < moments["support_window_closed"]
    assert abs(moments["follow_up_overdue"] - moments["follow_up_due"] - timedelta(days=14)) < timedelta(seconds=1)
    async with session_factory() as session:
        keys = (await session.scalars(select(OutboxMail.key).where(OutboxMail.case_id == case_id))).all()
        supervisor = await session.scalar(
            select(OutboxMail.to_addr).where(OutboxMail.key.like(f"{case_id}:staff_task:follow_up_due%"))
        )
    assert any(":staff_task:follow_up_due" in key for key in keys)
    assert supervisor is not None and "supervisor.6202@" in supervisor
