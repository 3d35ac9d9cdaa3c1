"""An offer whose total no payment row can hold (over Rp2.147.483.647, PostgreSQL's INTEGER) is refused with a 422
beside the quantity of its dearest line, from the JSON API and from the officer's form, before anything is sent; an
offer just under the limit goes through to its invoice."""

from __future__ import annotations

import asyncio
import html
from typing import Any

import httpx
from sqlalchemy import select
from temporalio.testing import WorkflowEnvironment

from core.case_details import sale_details
from core.db import SessionFactory
from core.enums import SaleStep
from core.models import Payment
from core.pricing import TOTAL_LIMIT
from tests.api.conftest import form_csrf, submit_online, ui_login
from tests.helpers import TokenAuth, read_case_row, wait_for_step


def _offer(maps: int) -> dict[str, Any]:
    return {
        "lines": [
            {"item": "Peta Kotawaringin Timur per desa", "tariff_code": "map_regency_desa", "quantity": 2},
            {"item": "Peta Indonesia per desa", "tariff_code": "map_national_desa", "quantity": maps},
        ],
        "zero_rupiah": False,
    }


async def test_an_offer_over_the_limit_is_refused_beside_its_line_and_one_under_it_is_sent(
    api: httpx.AsyncClient,
    dev_env: WorkflowEnvironment,
    login: Any,
    applicant_auth: TokenAuth,
    demo_accounts: Any,
    session_factory: SessionFactory,
) -> None:
    case_id = await submit_online(api, applicant_auth, dev_env.client)
    officer = login("6202", "officer")
    for path, body in (("completeness", {"complete": True}), ("abstract-review", {"decision": "approve"})):
        assert (await api.post(f"/api/v1/sales/{case_id}/{path}", json=body, auth=officer)).status_code == 200
    await wait_for_step(dev_env.client, case_id, SaleStep.OFFER)

    too_much = await api.post(f"/api/v1/sales/{case_id}/offer", json=_offer(60), auth=officer)  # Rp2.160.140.000
    account = demo_accounts[("6202", "officer")]
    await ui_login(api, account.email, account.password)
    token = form_csrf((await api.get(f"/staff/cases/{case_id}")).text)
    form = {"csrf": token, "lines.0.item": "Peta desa", "lines.0.tariff_code": "map_national_desa"}
    from_form = await api.post(f"/staff/cases/{case_id}/actions/offer", data={**form, "lines.0.quantity": "60"})

    assert too_much.status_code == 422, too_much.text
    errors = {error["field"]: error for error in too_much.json()["errors"]}
    assert list(errors) == ["lines.1.quantity"]
    assert "Rp2.160.140.000" in errors["lines.1.quantity"]["message"]
    assert "Rp2.147.483.647" in errors["lines.1.quantity"]["message"]
    assert "Rp2,160,140,000" in errors["lines.1.quantity"]["message_en"]
    assert from_form.status_code == 422
    page = html.unescape(from_form.text)
    assert 'id="offer-lines-0-quantity-error"' in page and "melebihi batas satu transaksi PNBP Rp2.147.483.647" in page
    assert (await read_case_row(session_factory, case_id)).step == SaleStep.OFFER  # nothing was sent

    sample = await api.post(
        f"/api/v1/sales/{case_id}/documents",
        params={"kind": "sample"},
        files={"file": ("contoh.csv", b"R101,R102\n62,02")},
        auth=officer,
    )
    offer = _offer(59) | {"sample_document_id": sample.json()["id"]}
    under = await api.post(f"/api/v1/sales/{case_id}/offer", json=offer, auth=officer)  # Rp2.124.140.000
    assert under.status_code == 200, under.text
    await wait_for_step(dev_env.client, case_id, SaleStep.SAMPLE_REVIEW)
    fee = sale_details(await read_case_row(session_factory, case_id)).fee
    assert fee == 2_124_140_000 and fee <= TOTAL_LIMIT
    accepted = await api.post(f"/api/v1/sales/{case_id}/sample-review", json={"accept": True}, auth=applicant_auth)
    assert accepted.status_code == 200, accepted.text
    billed = None
    for _ in range(100):  # the billing code of the whole total is stored (an INTEGER amount on PostgreSQL too)
        async with session_factory() as session:
            billed = await session.scalar(select(Payment.amount).where(Payment.case_id == case_id))
        if billed is not None:
            break
        await asyncio.sleep(0.1)
    assert billed == fee
