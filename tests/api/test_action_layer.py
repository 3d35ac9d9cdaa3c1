"""One action layer: the JSON route and the HTML form of an action share one input model and one service
function, so the same bad input gets the same field errors; the pages offer what the workflow's rule allows."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import httpx
from temporalio.testing import WorkflowEnvironment

from api.services.case_actions import ACTIONS
from contracts.case import CLOSE_RULES, REOPEN_RULE
from contracts.complaint import COMPLAINT_RULES
from contracts.recommendation import RECOMMENDATION_RULES
from contracts.sale import SALE_RULES
from contracts.visit import VISIT_RULES
from core.db import SessionFactory
from core.enums import Role, SaleStep, Service
from tests.api.conftest import form_csrf, submit_online, ui_login
from tests.helpers import TokenAuth, read_case_row, wait_for_step

BAD_OFFER = {"lines": [{"item": "S", "tariff_code": "microdata", "quantity": 0}], "zero_rupiah": False}
BAD_OFFER_FORM = {"lines.0.item": "S", "lines.0.tariff_code": "microdata", "lines.0.quantity": "0"}


def _field_errors(page: str, form: str) -> dict[str, str]:
    """The messages shown beside the fields of the action form ``form``, by field name."""
    found = re.findall(
        rf'<span class="field-error" id="{form}-([\w-]+)-error"><span class="visually-hidden">Kesalahan: </span>'
        r"([^<]*)</span>",
        page,
    )
    return {field.replace("-", "."): html.unescape(message) for field, message in found}


async def test_the_same_bad_input_gets_the_same_field_errors_from_the_api_and_the_form(
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

    from_api = await api.post(f"/api/v1/sales/{case_id}/offer", json=BAD_OFFER, auth=officer)
    account = demo_accounts[("6202", "officer")]
    await ui_login(api, account.email, account.password)
    token = form_csrf((await api.get(f"/staff/cases/{case_id}")).text)
    from_form = await api.post(f"/staff/cases/{case_id}/actions/offer", data={"csrf": token, **BAD_OFFER_FORM})

    assert from_api.status_code == 422 and from_form.status_code == 422
    api_errors = {error["field"]: error["message"] for error in from_api.json()["errors"]}
    assert set(api_errors) == {"lines.0.item", "lines.0.quantity"}
    assert _field_errors(from_form.text, "offer") == api_errors
    page = from_form.text
    assert 'aria-describedby="offer-lines-0-quantity-error"' in page  # the message is read with the field
    assert 'name="lines.0.item" type="text" value="S"' in page  # what the officer typed is kept
    assert 'class="error-summary"' in page and 'href="#offer-lines-0-quantity"' in page
    assert (await read_case_row(session_factory, case_id)).step == SaleStep.OFFER  # nothing happened
    timeline = page[page.index('class="timeline"') :]
    assert "Demo officer 6202 (Petugas PST)" in timeline and "staff-" not in timeline  # names, not the workflow's ids


def test_every_action_of_the_pages_uses_its_workflows_own_rule() -> None:
    rules = {
        Service.SALE: SALE_RULES,
        Service.RECOMMENDATION: RECOMMENDATION_RULES,
        Service.COMPLAINT: COMPLAINT_RULES,
        Service.VISIT: VISIT_RULES,
    }
    for action in ACTIONS:  # the close and reopen every service has (workflows.case.ClosableCase) use the case rules
        case_rules = [CLOSE_RULES[action.service], REOPEN_RULE]
        assert any(action.rule is rule for rule in [*rules[action.service].values(), *case_rules]), action.name
    names = [(action.service, action.name) for action in ACTIONS]
    assert len(names) == len(set(names))
    offered_to_officer_at_offer = {a.name for a in ACTIONS if a.rule.allows(SaleStep.OFFER, Role.OFFICER)}
    assert offered_to_officer_at_offer == {"offer", "close"}


def test_every_action_has_its_form_in_its_wings_folder() -> None:
    folder = Path(__file__).resolve().parents[2] / "api" / "ui" / "templates" / "actions"
    missing = [f"{a.service}/{a.name}.html" for a in ACTIONS if not (folder / a.service / f"{a.name}.html").exists()]
    assert missing == []
