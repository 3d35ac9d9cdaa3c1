"""The OpenAPI document shows the error bodies the API really sends: real refusals of bad input, on a sample of
routes, have a documented status, the documented headers and a body valid against the documented schema."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
import jsonschema_rs
import pytest
from temporalio.testing import WorkflowEnvironment

from tests.api.conftest import submit_online
from tests.helpers import TokenAuth


@pytest.fixture
async def document(api: httpx.AsyncClient) -> dict[str, Any]:
    answer = await api.get("/openapi.json")
    assert answer.status_code == 200
    return dict(answer.json())


def _operation(document: dict[str, Any], method: str, url: str) -> dict[str, Any]:
    """The operation of ``document`` that ``method url`` reaches (its path template matched)."""
    for template, operations in document["paths"].items():
        if re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", template), url) and method.lower() in operations:
            return dict(operations[method.lower()])
    raise AssertionError(f"{method} {url} is not in the document")


def assert_documented(document: dict[str, Any], response: httpx.Response) -> dict[str, Any]:
    """``response``'s status is documented for its operation, with the headers and the body's schema it shows."""
    request = response.request
    responses = _operation(document, request.method, request.url.path)["responses"]
    status = str(response.status_code)
    assert status in responses, f"{request.method} {request.url.path} answered {status}, documented {list(responses)}"
    documented = responses[status]
    for header in documented.get("headers", {}):
        assert header in response.headers, f"{status} of {request.url.path} documents {header}"
    media_type = response.headers["content-type"].split(";")[0]
    assert media_type in documented["content"], f"{request.url.path} {status} answered {media_type}"
    if media_type != "application/json":
        return {}
    schema = documented["content"]["application/json"]["schema"]
    body = response.json()
    errors = [error.message for error in jsonschema_rs.validator_for({**schema, **document}).iter_errors(body)]
    assert errors == [], f"{request.method} {request.url.path} {status}: {body} does not fit {schema}"
    return dict(body)


async def test_the_document_shows_the_apps_error_bodies_not_fastapis_default(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    assert "HTTPValidationError" not in json.dumps(document)
    assert schemas["ErrorRead"]["properties"]["detail"]["type"] == "string"
    assert schemas["ErrorRead"]["required"] == ["detail"]
    invalid = schemas["ValidationErrorRead"]
    assert invalid["properties"]["detail"]["type"] == "string"
    assert invalid["properties"]["errors"]["items"] == {"$ref": "#/components/schemas/FieldErrorRead"}
    assert set(schemas["FieldErrorRead"]["required"]) >= {"field", "message"}

    bodies = {
        (path, method, status): answer["content"]["application/json"]["schema"]
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        for status, answer in operation["responses"].items()
        if status >= "400" and path != "/healthz"
    }
    assert bodies, "no error is documented"
    for (path, method, status), schema in bodies.items():
        expected = "ValidationErrorRead" if status == "422" else "ErrorRead"
        assert schema == {"$ref": f"#/components/schemas/{expected}"}, (path, method, status)
    # What a route can answer is listed on it: a step refused in the case's state, a missing case, an expired link.
    sales = document["paths"]["/api/v1/sales/{case_id}/payment"]["post"]["responses"]
    assert {"400", "401", "403", "404", "409", "422", "503"} <= set(sales)
    assert "410" in document["paths"]["/api/v1/sales/{case_id}/new-link"]["post"]["responses"]
    for submission in ("/api/v1/sales", "/api/v1/recommendations", "/api/v1/complaints"):
        stored = document["paths"][submission]["post"]["responses"]["202"]  # Temporal down: stored, starts later
        assert stored["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/SubmittedRead"}
    assert "Retry-After" in sales["503"]["headers"]
    assert "WWW-Authenticate" in sales["401"]["headers"]


async def test_real_refusals_have_the_documented_status_headers_and_body(
    api: httpx.AsyncClient,
    document: dict[str, Any],
    login: Any,
    applicant_auth: TokenAuth,
    dev_env: WorkflowEnvironment,
) -> None:
    officer = login("6202", "officer")

    empty_sale = assert_documented(document, await api.post("/api/v1/sales", json={}, auth=officer))
    assert {"office_code", "items"} <= {error["field"] for error in empty_sale["errors"]}

    too_small = assert_documented(document, await api.get("/api/v1/inbox", params={"limit": 0}, auth=officer))
    assert [error["field"] for error in too_small["errors"]] == ["limit"]

    unknown_filter = await api.get("/api/v1/inbox", params={"state": "sideways"}, auth=officer)
    assert unknown_filter.status_code == 422
    assert "sideways" in assert_documented(document, unknown_filter)["detail"]

    stranger = await api.get("/api/v1/inbox")
    assert stranger.status_code == 401
    assert_documented(document, stranger)

    wrong_password = await api.post("/api/v1/auth/token", data={"username": "nobody@example.com", "password": "x"})
    assert wrong_password.status_code == 401
    assert_documented(document, wrong_password)

    missing = await api.get("/api/v1/cases/sale-6202-2026-999999", auth=officer)
    assert missing.status_code == 404
    assert_documented(document, missing)

    # Found by the fuzzer: a number past the database's integer was a 500 (OverflowError), now a field error.
    huge = await api.get("/api/v1/sales/sale-6202-2026-000001/documents/300830900809638856359936", auth=officer)
    assert [error["field"] for error in assert_documented(document, huge)["errors"]] == ["document_id"]

    not_utf8 = await api.post(
        "/api/v1/sales", content=b"\xff\xfe{", headers={"Content-Type": "application/json"}, auth=officer
    )
    assert not_utf8.status_code == 400
    assert_documented(document, not_utf8)

    wrong_secret = await api.post(
        "/api/v1/payments/simponi/notify",
        json={"billing_code": "820260000000001", "ntpn": "0123456789ABCDEF", "paid_at": "2026-11-27T10:00:00+07:00"},
        headers={"X-Simponi-Secret": "guessed"},
    )
    assert wrong_secret.status_code in (403, 422), wrong_secret.text
    assert_documented(document, wrong_secret)

    case_id = await submit_online(api, applicant_auth, dev_env.client)
    too_early = await api.post(
        f"/api/v1/sales/{case_id}/transfer-review", json={"accept": True}, auth=login("6202", "treasurer")
    )
    assert too_early.status_code == 409, too_early.text
    assert_documented(document, too_early)


async def test_a_report_as_csv_has_a_documented_media_type(
    api: httpx.AsyncClient, document: dict[str, Any], login: Any
) -> None:
    supervisor = login("6202", "supervisor")
    as_csv = await api.get("/api/v1/reports/2026-11", params={"format": "csv"}, auth=supervisor)
    assert as_csv.status_code == 200, as_csv.text
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert_documented(document, as_csv)
    assert_documented(document, await api.get("/api/v1/reports/2026-11", auth=supervisor))


async def test_numbers_past_the_databases_integer_are_field_errors_not_500s(
    api: httpx.AsyncClient, document: dict[str, Any], login: Any
) -> None:
    """Found by the fuzzer: a tariff's price past the database's INTEGER was stored and failed (OverflowError)."""
    tariff = (await api.get("/api/v1/tariffs")).json()[0]
    changes = {key: tariff[key] for key in ("name", "base_price", "included", "extra_price", "extra_step", "active")}
    answer = await api.put(
        f"/api/v1/tariffs/{tariff['code']}",
        json={**changes, "base_price": 2**70},
        auth=login("6202", "national_administrator"),
    )
    assert [error["field"] for error in assert_documented(document, answer)["errors"]] == ["base_price"]
    assert (await api.get("/api/v1/tariffs")).json()[0]["base_price"] == tariff["base_price"]


async def test_an_offer_naming_rows_past_the_databases_integer_is_refused_by_field(
    api: httpx.AsyncClient, document: dict[str, Any], login: Any
) -> None:
    """Found after the fuzzer's first find: a sample or an institution numbered past INTEGER was looked up and
    failed (a 500) on a case at the offer step; the body is refused by field before any step is looked at."""
    line = {"item": "Susenas Maret 2025", "tariff_code": "microdata_file", "quantity": 1}
    officer = login("6202", "officer")
    for field in ("sample_document_id", "institution_id"):
        offer = {"lines": [line], field: 2**70}
        answer = await api.post("/api/v1/sales/sale-6202-2026-000001/offer", json=offer, auth=officer)
        assert [error["field"] for error in assert_documented(document, answer)["errors"]] == [field]
