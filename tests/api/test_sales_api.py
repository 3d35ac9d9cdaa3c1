"""The sale through the JSON API: submit, read, the officer's check; errors say what is wrong."""

from __future__ import annotations

import copy
import re
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from temporalio.testing import WorkflowEnvironment

from core.db import SessionFactory
from core.enums import SaleStep
from core.models import Case
from tests.api.conftest import SALE_REQUEST
from tests.conftest import SmtpSink
from tests.helpers import audit_actions, read_case_row, wait_for_mail, wait_for_step


def _request(**changes: Any) -> dict[str, Any]:
    body = copy.deepcopy(SALE_REQUEST)
    for path, value in changes.items():
        target = body
        *parents, leaf = path.split("__")
        for parent in parents:
            target = target[parent]
        target[leaf] = value
    return body


async def _submit(api: httpx.AsyncClient, dev_env: WorkflowEnvironment, **kwargs: Any) -> str:
    response = await api.post("/api/v1/sales", json=_request(), **kwargs)
    assert response.status_code == 201, response.text
    case_id = str(response.json()["id"])
    await wait_for_step(dev_env.client, case_id, SaleStep.ABSTRACT_REVIEW)
    return case_id


async def test_submit_then_approve_through_the_api(
    api: httpx.AsyncClient, dev_env: WorkflowEnvironment, login: Any, smtp: SmtpSink, session_factory: SessionFactory
) -> None:
    response = await api.post("/api/v1/sales", json=_request())
    assert response.status_code == 201
    body = response.json()
    assert re.fullmatch(r"sale-6202-\d{4}-\d{6}", body["id"])
    assert body["workflow_started"] is True
    case_id = body["id"]
    await wait_for_step(dev_env.client, case_id, SaleStep.ABSTRACT_REVIEW)

    decided = await api.post(
        f"/api/v1/sales/{case_id}/abstract-review", json={"decision": "approve"}, auth=login("6202", "officer")
    )
    assert decided.status_code == 200, decided.text
    assert decided.json()["step"] == "offer"

    case = (await api.get(f"/api/v1/cases/{case_id}", auth=login("6202", "supervisor"))).json()
    assert case["step"] == "offer" and case["status"] == "open"
    assert [entry["action"] for entry in case["timeline"]] == ["submitted", "abstract_approved", "sla_started"]
    assert case["timeline"][1]["actor"] == "officer.6202@demo.pst-flow.id"
    assert case["timeline"][0]["at_local"].endswith("WIB")
    assert case["temporal_url"].endswith(f"/namespaces/default/workflows/{case_id}")
    await wait_for_mail(smtp, 3)


async def test_a_refused_action_answers_409_with_the_reason(
    api: httpx.AsyncClient, dev_env: WorkflowEnvironment, login: Any, session_factory: SessionFactory
) -> None:
    case_id = await _submit(api, dev_env)

    refused = await api.post(
        f"/api/v1/sales/{case_id}/abstract-review", json={"decision": "reject"}, auth=login("6202", "officer")
    )

    assert refused.status_code == 409
    assert "alasan" in refused.json()["detail"]
    assert await audit_actions(session_factory, case_id) == ["submitted"]


async def test_roles_and_offices_are_enforced(api: httpx.AsyncClient, dev_env: WorkflowEnvironment, login: Any) -> None:
    case_id = await _submit(api, dev_env)
    review = {"decision": "approve"}

    anonymous = await api.post(f"/api/v1/sales/{case_id}/abstract-review", json=review)
    wrong_password = await api.post(
        f"/api/v1/sales/{case_id}/abstract-review", json=review, auth=("officer.6202@demo.pst-flow.id", "nope")
    )
    other_office = await api.post(
        f"/api/v1/sales/{case_id}/abstract-review", json=review, auth=login("3304", "officer")
    )
    other_office_read = await api.get(f"/api/v1/cases/{case_id}", auth=login("3304", "officer"))
    treasurer = await api.post(f"/api/v1/sales/{case_id}/abstract-review", json=review, auth=login("6202", "treasurer"))

    assert anonymous.status_code == 401 and "Masuk sebagai staf" in anonymous.json()["detail"]
    assert wrong_password.status_code == 401
    assert other_office.status_code == 403 and other_office_read.status_code == 403
    assert treasurer.status_code == 409 and "Hanya petugas PST" in treasurer.json()["detail"]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"applicant__segment": "private"}, "NPWP wajib"),
        ({"applicant__npwp": "12.345"}, "NPWP tidak valid"),
        ({"applicant__email": "bukan-email"}, "email"),
        ({"items": []}, "at least 1"),
        ({"items": [{"kind": "map", "name": "Sampit"}]}, "level"),
        ({"abstract": "pendek"}, "at least 20"),
    ],
)
async def test_bad_input_is_refused_with_what_is_wrong_and_stores_nothing(
    api: httpx.AsyncClient, session_factory: SessionFactory, changes: dict[str, Any], expected: str
) -> None:
    response = await api.post("/api/v1/sales", json=_request(**changes))

    assert response.status_code == 422
    assert expected in response.text
    async with session_factory() as session:
        assert await session.scalar(select(func.count()).select_from(Case)) == 0


async def test_valid_npwp_of_a_private_applicant_is_stored_compact(
    api: httpx.AsyncClient, dev_env: WorkflowEnvironment, session_factory: SessionFactory
) -> None:
    body = _request(applicant__segment="private", applicant__npwp="01.312.166.0-091.000")
    response = await api.post("/api/v1/sales", json=body)
    assert response.status_code == 201
    row = await read_case_row(session_factory, response.json()["id"])
    assert row.details["npwp"] == "013121660091000"


async def test_unknown_office_names_the_known_ones(api: httpx.AsyncClient) -> None:
    response = await api.post("/api/v1/sales", json=_request(office_code="9999"))
    assert response.status_code == 404
    assert "9999" in response.json()["detail"] and "6202" in response.json()["detail"]


async def test_walk_in_is_recorded_by_the_officer_with_full_sets_only(
    api: httpx.AsyncClient, dev_env: WorkflowEnvironment, login: Any
) -> None:
    walk_in = _request(channel="walk_in")
    anonymous = await api.post("/api/v1/sales", json=walk_in)
    chosen_variables = _request(
        channel="walk_in", items=[{"kind": "microdata", "name": "Sakernas", "variables": ["umur"]}]
    )
    with_variables = await api.post("/api/v1/sales", json=chosen_variables, auth=login("6202", "officer"))
    recorded = await api.post("/api/v1/sales", json=walk_in, auth=login("6202", "officer"))

    assert anonymous.status_code == 403
    assert with_variables.status_code == 422 and "fullset" in with_variables.json()["detail"]
    assert recorded.status_code == 201


async def test_unknown_case_is_404(api: httpx.AsyncClient, login: Any) -> None:
    missing = await api.get("/api/v1/cases/sale-6202-2026-999999", auth=login("6202", "officer"))
    review = await api.post(
        "/api/v1/sales/sale-6202-2026-999999/abstract-review",
        json={"decision": "approve"},
        auth=login("6202", "officer"),
    )
    assert missing.status_code == 404 and review.status_code == 404


async def test_openapi_describes_the_json_api(api: httpx.AsyncClient) -> None:
    spec = (await api.get("/openapi.json")).json()
    assert {"/api/v1/sales", "/api/v1/cases/{case_id}", "/api/v1/sales/{case_id}/abstract-review"} <= set(spec["paths"])
    assert (await api.get("/docs")).status_code == 200


async def test_validation_errors_name_the_field_in_indonesian(api: httpx.AsyncClient) -> None:
    body = _request(abstract="pendek", applicant__segment="private")
    del body["items"]

    response = await api.post("/api/v1/sales", json=body)

    assert response.status_code == 422
    payload = response.json()
    assert payload["detail"].startswith("Data tidak valid, perbaiki lalu kirim lagi.")
    messages = {error["field"]: error["message"] for error in payload["errors"]}
    assert messages["items"] == "wajib diisi"
    assert messages["abstract"] == "terlalu pendek: minimal 20 karakter"
    assert messages["applicant"] == "NPWP wajib diisi untuk pemohon segmen swasta (private)."
