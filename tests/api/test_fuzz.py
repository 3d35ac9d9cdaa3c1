"""A schema-based fuzzer (schemathesis) over every operation of /openapi.json, in-process against the ASGI app with
Temporal and a worker up: signed in as an officer, then as an applicant, then without a token, no answer may be a
5xx, have a status, media type or body the document does not list, or miss a header it documents.

A short budget runs with the suite (``PST_FUZZ_EXAMPLES``, default 4 cases per operation and principal); a longer
run: ``PST_FUZZ_EXAMPLES=25 pytest tests/api/test_fuzz.py`` (about 1,000 cases per principal)."""

from __future__ import annotations

import asyncio
import logging
import os
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.generation.modes import GenerationMode
from schemathesis.python import asgi
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.main import create_app
from core.db import SessionFactory
from core.seeding import DemoAccount
from core.settings import Settings
from tests.api.conftest import SALE_REQUEST
from tests.helpers import make_applicant

EXAMPLES = int(os.environ.get("PST_FUZZ_EXAMPLES", "4"))
STAFF_ROLE = os.environ.get("PST_FUZZ_STAFF_ROLE", "officer")  # or supervisor, treasurer, ... of office 6202
LOGOUT = "/api/v1/auth/logout"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    response_schema_conformance,
    content_type_conformance,
    response_headers_conformance,
]
log = logging.getLogger("pst.fuzz")


@dataclass
class Findings:
    """What one principal's run asked and what it found."""

    cases: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)


def _sign_in(app: Any, email: str, password: str) -> str:
    with asgi.get_client(app) as client:
        answer = client.post("/api/v1/auth/token", data={"username": email, "password": password})
    assert answer.status_code == 200, answer.text
    return str(answer.json()["access_token"])


def _submit_sale(app: Any, token: str) -> str:
    """A real online sale, so that the fuzzer's actions also reach a live case in its first steps."""
    with asgi.get_client(app) as client:
        answer = client.post("/api/v1/sales", json=SALE_REQUEST, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 201, answer.text
    return str(answer.json()["id"])


def _fuzz(schema: Any, token: str | None, case_id: str) -> Findings:
    """Every operation, ``EXAMPLES`` generated cases each (valid and invalid data, on a generated case id or the
    live ``case_id``), with the bearer ``token`` or none."""
    found = Findings()
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    operations = [result.ok() for result in schema.get_all_operations()]
    # Signing out ends the token: last.
    for operation in sorted(operations, key=lambda operation: operation.path == LOGOUT):
        strategies = [
            operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
            operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
        ]
        if "{case_id}" in operation.path:
            strategies.append(operation.as_strategy(path_parameters={"case_id": case_id}))
        cases = st.one_of(strategies)

        @given(case=cases)
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def one(case: Any) -> None:
            found.cases += 1
            try:
                response = case.call(headers=headers)
            except Exception as error:  # the app raised past its error handlers: a 500 to a client
                found.failures.append(f"{case.operation.label}: raised {error!r}")
                return
            found.statuses[response.status_code] += 1
            try:
                case.validate_response(response, checks=CHECKS, headers=headers)
            except (AssertionError, FailureGroup) as failure:
                found.failures.append(f"{case.operation.label}: {failure}"[:2000])

        one()
    return found


def _run(settings_: Settings, staff: DemoAccount, applicant: tuple[str, str]) -> dict[str, Findings]:
    app = create_app(settings_)
    try:
        schema = schemathesis.openapi.from_asgi("/openapi.json", app)
        applicant_token = _sign_in(app, *applicant)
        case_id = _submit_sale(app, applicant_token)
        return {
            STAFF_ROLE: _fuzz(schema, _sign_in(app, staff.email, staff.password), case_id),
            "applicant": _fuzz(schema, applicant_token, case_id),
            "anonymous": _fuzz(schema, None, case_id),
        }
    finally:
        asgi.shutdown_lifespans()


# The app's loop and the worker use `random` in their threads while Hypothesis draws; it blames the strategy.
@pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisDeprecationWarning")
async def test_no_server_error_nor_undocumented_answer_as_officer_applicant_or_stranger(
    settings: Settings,
    dev_worker: object,
    demo_accounts: dict[tuple[str, str], DemoAccount],
    session_factory: SessionFactory,
) -> None:
    applicant = await make_applicant(session_factory)
    # The app runs on schemathesis' own event loop; this loop keeps the worker polling meanwhile.
    runs = await asyncio.to_thread(_run, settings, demo_accounts[("6202", STAFF_ROLE)], applicant)

    for who, found in runs.items():
        log.info("fuzzed as %s: %d cases, statuses %s", who, found.cases, dict(sorted(found.statuses.items())))
        assert found.failures == [], f"as {who}:\n" + "\n\n".join(found.failures)
        assert found.cases >= EXAMPLES * 40, f"as {who} only {found.cases} cases ran"
        assert not any(status >= 500 for status in found.statuses)
        # The fuzzer got past the door: some answers are successes, some are refusals of bad input.
        assert any(status < 300 for status in found.statuses), found.statuses
        assert 422 in found.statuses, found.statuses
