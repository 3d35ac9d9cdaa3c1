"""No personal data and no secret in Temporal: workflows carry ids and roles, never a name, an email, a phone number,
an NPWP/NIK, a token or a link (issue 12, item 6).

Every recorded history is scanned, and so are the histories of fresh cases run through the HTTP API: an online sale
(an applicant registered and verified by the mailed link, to delivery and a new download link), a walk-in sale
recorded at the desk (with its receipt's one-time download code), a complaint with the complainant's contacts, a
recommendation with its contact person, and a walk-in guest who left a phone number. A scan reads every payload
(inputs, results, update arguments and answers, signals, search attributes, memo and summaries: JSON in the base64
``data`` of a payload) and every failure message, and names the event and the field of each hit. A database error,
whose text quotes its statement's parameters, reaches Temporal by its kind only (activities/failures.py).

What may travel: a SIMPONI billing code and an NTPN are payment references of the state treasury, not personal data
(they identify a payment, not a person): a 15/16-digit number is forgiven only when the history carries it as one
(under the key ``billing_code`` or ``ntpn``).
"""

from __future__ import annotations

import asyncio
import base64
import json
import re
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx
import pytest
from google.protobuf.json_format import MessageToJson
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from temporalio.api.failure.v1 import Failure
from temporalio.client import WorkflowHistory
from temporalio.converter import DataConverter
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment

from activities import documents
from api.main import create_app
from contracts.case import StepRecord
from contracts.sla import ClockChange
from core import download_code
from core.db import SessionFactory
from core.enums import SaleStep
from core.models import DownloadLink, OutboxMail, Payment, utcnow
from core.seeding import DemoAccount
from core.settings import Settings
from tests.api.conftest import PDF, SALE_REQUEST, WALK_IN_REQUEST, form_csrf, ui_login
from tests.api.test_recommendations_api import FS3
from tests.helpers import TokenAuth, make_applicant, officer, read_case_row, wait_for_step
from tests.workflows.test_replay import HISTORIES
from worker import record_activities

PATTERNS: dict[str, re.Pattern[str]] = {
    "email": re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    "npwp": re.compile(r"(?<!\d)\d{2}\.\d{3}\.\d{3}\.\d-\d{3}\.\d{3}(?!\d)"),
    "npwp/nik": re.compile(r"(?<![\d.])\d{15,16}(?![\d.])"),  # not the digits of a measure (12.999997997685185)
    "phone": re.compile(r"(?<![\w+])(?:\+62|62|0)8\d{1,2}[ -]?\d{3,4}[ -]?\d{3,5}(?!\d)"),
    "link": re.compile(r"https?://\S+|verify-email\?token=|/(?:downloads|unduh)/[\w-]{8,}"),
}
# Payment references, not personal data: a 15/16-digit value under these keys is allowed (where else it recurs too).
PAYMENT_REFERENCE_KEYS = ("billing_code", "ntpn")


@dataclass(frozen=True)
class Hit:
    """Personal data or a secret found in a history: where, what kind, and the text."""

    event: str
    field: str
    kind: str
    text: str

    def __str__(self) -> str:
        return f"event {self.event}, {self.field}: {self.kind} {self.text!r}"


def _texts(node: Any, path: str) -> Iterator[tuple[str, str]]:
    """(field path, text) of every payload (decoded) and failure message under ``node``."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "data" and isinstance(value, str):
                yield path, base64.b64decode(value).decode("utf-8", "replace")
            elif key == "message" and isinstance(value, str):
                yield f"{path}.message", value
            else:
                yield from _texts(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _texts(item, f"{path}[{index}]")


def _payment_references(text: str) -> set[str]:
    found: set[str] = set()
    for key in PAYMENT_REFERENCE_KEYS:
        found |= set(re.findall(rf'"{key}"\s*:\s*"([^"]+)"', text))
    return found


def scan(history: dict[str, Any], forbidden: dict[str, str] | None = None) -> list[Hit]:
    """Every hit of the patterns, and of the ``forbidden`` strings (kind → exact text, e.g. the applicant's name or
    a token), in a history as exported to JSON (``WorkflowHistory.to_json``)."""
    wanted = {kind: text for kind, text in (forbidden or {}).items() if text}
    found: list[tuple[str, str, str]] = []
    for number, event in enumerate(history.get("events", []), start=1):
        where = f"{event.get('eventId', number)} {event.get('eventType', '')}".strip()
        found += [(where, field, text) for field, text in _texts(event, "")]
    allowed = set().union(*(_payment_references(text) for _, _, text in found))
    hits: list[Hit] = []
    for where, field, text in found:
        for kind, pattern in PATTERNS.items():
            hits += [
                Hit(where, field.lstrip("."), kind, match.group(0))
                for match in pattern.finditer(text)
                if match.group(0) not in allowed
            ]
        hits += [
            Hit(where, field.lstrip("."), kind, value)
            for kind, value in wanted.items()
            if value.lower() in text.lower()
        ]
    return hits


def assert_clean(
    history: dict[str, Any], forbidden: dict[str, str] | None = None, *, actors: tuple[str, ...] = ()
) -> None:
    """No hit in ``history``; and, so that a scan of nothing cannot pass, the people's references (``staff-``,
    ``applicant-``) that their actions carry are found where the scan reads."""
    for reference in actors:
        assert scan(history, {"reference": reference}), f"the scan read no action of {reference}…"
    hits = scan(history, forbidden)
    assert not hits, "Temporal holds personal data or a secret:\n" + "\n".join(map(str, hits))


def _recorded(name: str) -> dict[str, Any]:
    return dict(json.loads((HISTORIES / name).read_text()))


# ---------------------------------------------------------------- the scanner finds what it must


def _plant(history: dict[str, Any], old: str, new: str) -> str:
    """Put ``new`` in place of ``old`` in the first payload holding it; the event it went into."""
    for event in history["events"]:
        for payload in _payloads(event):
            text = base64.b64decode(payload["data"]).decode()
            if old in text:
                payload["data"] = base64.b64encode(text.replace(old, new, 1).encode()).decode()
                return f"{event['eventId']} {event['eventType']}"
    raise AssertionError(f"{old!r} is in no payload")


def _payloads(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        if isinstance(node.get("data"), str):
            yield node
        for value in node.values():
            yield from _payloads(value)
    elif isinstance(node, list):
        for item in node:
            yield from _payloads(item)


@pytest.mark.parametrize(
    ("planted", "kind"),
    [
        ("budi.santoso@example.com", "email"),
        ("01.312.166.0-091.000", "npwp"),
        ("3204110101900001", "npwp/nik"),
        ("013121660091000", "npwp/nik"),
        ("0812 3456 7890", "phone"),
        ("+6281234567890", "phone"),
        ("http://pst.test/api/v1/downloads/Zm9vYmFyYmF6cXV4", "link"),
        ("http://pst.test/verify-email?token=abc.def", "link"),
        ("/unduh/Zm9vYmFyYmF6cXV4", "link"),  # the mailed link's path, without its host
    ],
)
def test_the_scan_finds_personal_data_in_a_payload_and_names_its_event_and_field(planted: str, kind: str) -> None:
    history = _recorded("sale_approved.json")
    assert scan(history) == []
    event = _plant(history, '"name":"staff-', f'"name":"{planted} staff-')

    hits = scan(history)
    assert [(hit.event, hit.kind, hit.text) for hit in hits] == [(event, kind, planted)]
    assert re.fullmatch(r"\w+EventAttributes(\.\w+)+\.payloads\[0\]", hits[0].field), hits[0].field


def test_the_scan_takes_a_measure_with_many_decimals_for_no_identity_number() -> None:
    history = _recorded("sale_approved.json")
    _plant(history, '"name":"staff-', '"name":"12.999997997685185 staff-')
    assert scan(history) == []


def test_the_scan_finds_a_named_person_or_token_and_forgives_only_payment_references() -> None:
    history = _recorded("sale_completed.json")
    assert scan(history) == []  # its billing codes and NTPN are payment references
    event = _plant(history, '"name":"staff-', '"name":"Siti Aminah 817173653980774 staff-')

    hits = scan(history, {"applicant name": "siti aminah", "download token": "unused-token"})
    assert sorted((hit.event, hit.kind, hit.text) for hit in hits) == [
        (event, "applicant name", "siti aminah"),
        (event, "npwp/nik", "817173653980774"),
    ]


# ---------------------------------------------------------------- the recorded histories


# The people the recording tests make (tests/helpers.py): their names must not be in what was recorded.
RECORDED_PEOPLE = {"applicant's name": "Siti Aminah", "agency contact's name": "Rina Marlina"}


@pytest.mark.parametrize("name", sorted(path.name for path in HISTORIES.glob("*.json")))
def test_no_recorded_history_carries_personal_data_or_a_secret(name: str) -> None:
    assert_clean(_recorded(name), RECORDED_PEOPLE)


# ---------------------------------------------------------------- fresh histories through the HTTP API

APPLICANT = {
    "name": "Rahmawati Kusumadewi",
    "email": "rahmawati.kusumadewi@contoh.co.id",
    "password": "kata-sandi-rahmawati-2026",
    "institution": "PT Data Sejahtera",
    "segment": "private",
    "npwp": "01.312.166.0-091.000",
}
SIMPONI = {"X-Simponi-Secret": "dev-only-simponi"}


@pytest.fixture
async def api(settings: Settings, dev_worker: object) -> AsyncIterator[httpx.AsyncClient]:
    """The API with Temporal, the worker, the database and SMTP all up."""
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://pst.test") as client:
            yield client


async def _history(client: Any, workflow_id: str) -> dict[str, Any]:
    history: WorkflowHistory = await client.get_workflow_handle(workflow_id).fetch_history()
    return dict(json.loads(history.to_json()))


async def _row(session_factory: SessionFactory, query: Any) -> Any:
    for _ in range(100):
        async with session_factory() as session:
            found = await session.scalar(query)
        if found:
            return found
        await asyncio.sleep(0.1)
    raise AssertionError(f"nothing found: {query}")


async def _post(api: httpx.AsyncClient, path: str, auth: Any, body: dict[str, Any] | None = None) -> dict[str, Any]:
    response = await api.post(path, json=body or {}, auth=auth)
    assert response.status_code == 200, response.text
    return dict(response.json())


async def _upload(api: httpx.AsyncClient, case_id: str, kind: str, auth: Any, data: bytes = PDF) -> int:
    """Upload a file named, as people name them, after the applicant (the name must stay with the document)."""
    name = f"{kind} {APPLICANT['name']}.pdf"
    response = await api.post(
        f"/api/v1/sales/{case_id}/documents", params={"kind": kind}, files={"file": (name, data)}, auth=auth
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def _signed_in(account: DemoAccount) -> TokenAuth:
    return TokenAuth(account.email, account.password)


async def _registered_applicant(api: httpx.AsyncClient, session_factory: SessionFactory) -> tuple[TokenAuth, str]:
    """An applicant registered through the API and verified by the token of the mailed link; the token."""
    registered = await api.post("/api/v1/applicants", json=APPLICANT)
    assert registered.status_code == 201, registered.text
    body = await _row(session_factory, select(OutboxMail.body_text).where(OutboxMail.to_addr == APPLICANT["email"]))
    found = re.search(r"token=([^\s\"&<]+)", body)
    assert found is not None
    verified = await api.post("/api/v1/applicants/verify", json={"token": found.group(1)})
    assert verified.status_code == 200, verified.text
    return TokenAuth(APPLICANT["email"], APPLICANT["password"]), found.group(1)


async def test_a_fresh_online_sale_to_delivery_leaves_no_personal_data_or_secret_in_temporal(
    api: httpx.AsyncClient,
    dev_env: WorkflowEnvironment,
    demo_accounts: dict[tuple[str, str], DemoAccount],
    session_factory: SessionFactory,
) -> None:
    staff = {role: demo_accounts[("6202", role)] for role in ("officer", "treasurer")}
    officer, treasurer = (_signed_in(account) for account in staff.values())
    applicant, verification_token = await _registered_applicant(api, session_factory)
    created = await api.post("/api/v1/sales", json=SALE_REQUEST, auth=applicant)
    assert created.status_code == 201, created.text
    case_id = str(created.json()["id"])
    base = f"/api/v1/sales/{case_id}"
    await wait_for_step(dev_env.client, case_id, SaleStep.COMPLETENESS)
    await _upload(api, case_id, "abstract", applicant)
    await _post(api, f"{base}/completeness", officer, {"complete": True})
    await _post(api, f"{base}/abstract-review", officer, {"decision": "approve"})
    sample = await _upload(api, case_id, "sample", officer, b"id,umur\n1,30\n")
    lines = [{"item": "Susenas Maret 2025", "tariff_code": "microdata", "quantity": 1}]
    lines += [{"item": "Peta Sampit", "tariff_code": "map_regency_desa", "quantity": 1}]
    await _post(api, f"{base}/offer", officer, {"lines": lines, "sample_document_id": sample})
    await _post(api, f"{base}/sample-review", applicant, {"accept": True})
    code = await _row(session_factory, select(Payment.billing_code).where(Payment.case_id == case_id))
    notice = {"billing_code": code, "ntpn": "AB12CD34EF56GH78", "paid_at": "2026-11-27T03:00:00Z"}
    assert (await api.post("/api/v1/payments/simponi/notify", json=notice, headers=SIMPONI)).status_code == 202
    await wait_for_step(dev_env.client, case_id, SaleStep.SPPD)
    await _upload(api, case_id, "sppd_signed", applicant)
    await _post(api, f"{base}/sppd-review", officer, {"accept": True})
    receipt = (await _post(api, f"{base}/receipt", treasurer))["detail"]
    package = await _upload(api, case_id, "data_package", officer, b"PK\x03\x04data")
    assert (await _post(api, f"{base}/delivery", officer, {"document_id": package}))["step"] == SaleStep.SUPPORT
    await _post(api, f"{base}/new-link", applicant, {"receipt_number": receipt})
    await _post(api, f"{base}/rating", applicant, {"scores": [4] * 9, "feedback": "Cepat dan jelas"})
    async with session_factory() as session:
        tokens = list((await session.scalars(select(DownloadLink.token).where(DownloadLink.case_id == case_id))).all())
    assert len(tokens) == 2  # the delivery's link and the new one

    secrets = {f"download token {number}": token for number, token in enumerate(tokens, start=1)}
    assert_clean(
        await _history(dev_env.client, case_id),
        {
            "applicant name": APPLICANT["name"],
            "applicant email": APPLICANT["email"],
            "npwp": "013121660091000",
            "verification token": verification_token,
            "applicant's bearer token": applicant.token,
            "officer's email": staff["officer"].email,
            "treasurer's email": staff["treasurer"].email,
            **secrets,
        },
        actors=("staff-", "applicant-"),
    )


async def test_a_fresh_complaint_leaves_no_personal_data_in_temporal(
    api: httpx.AsyncClient,
    dev_env: WorkflowEnvironment,
    demo_accounts: dict[tuple[str, str], DemoAccount],
    session_factory: SessionFactory,
) -> None:
    account = demo_accounts[("1906", "officer")]
    officer = _signed_in(account)
    complainant = {"name": "Yohanes Pratama", "email": "yohanes.pratama@contoh.id", "phone": "081278563877"}
    body = {"office_code": "1906", "channel": "sms_whatsapp", "text": "Antrean terlalu lama, lebih dari 30 menit."}
    recorded = await api.post("/api/v1/complaints", json=body | complainant, auth=officer)
    assert recorded.status_code == 201, recorded.text
    case_id = str(recorded.json()["id"])
    for _ in range(100):
        if (await read_case_row(session_factory, case_id)).step == "response":
            break
        await asyncio.sleep(0.1)
    response = "Petugas tambahan kini berjaga pada jam sibuk; terima kasih atas masukannya."
    resolved = await _post(api, f"/api/v1/complaints/{case_id}/resolution", officer, {"response": response})
    assert resolved["step"] == "resolved"
    await dev_env.client.get_workflow_handle(case_id).result()

    forbidden = {f"complainant's {field}": value for field, value in complainant.items()}
    assert_clean(
        await _history(dev_env.client, case_id), forbidden | {"officer's email": account.email}, actors=("staff-",)
    )


async def test_a_fresh_visit_leaves_no_personal_data_in_temporal(
    api: httpx.AsyncClient,
    dev_env: WorkflowEnvironment,
    demo_accounts: dict[tuple[str, str], DemoAccount],
) -> None:
    guest = {"name": "Dewi Anggraini", "contact": "0812 3456 7890", "institution": "Warung Dewi"}
    kiosk = await api.get("/desk/6302")
    taken = await api.post(
        "/desk/6302",
        data=guest | {"csrf": form_csrf(kiosk.text), "purpose": "Membeli data mikro", "service": "purchase"},
    )
    assert taken.status_code == 303, taken.text
    case_id = taken.headers["location"].rsplit("/", 1)[1]
    account = demo_accounts[("6302", "officer")]
    await ui_login(api, account.email, account.password)
    for step in ("waiting", "called", "serving"):
        csrf = form_csrf((await api.get("/staff/queue")).text)
        form = {"csrf": csrf, "expected_step": step, "idempotency_key": str(uuid.uuid4())}
        assert (await api.post(f"/staff/queue/{case_id}/advance", data=form)).status_code == 303
    await dev_env.client.get_workflow_handle(case_id).result()

    forbidden = {f"guest's {field}": value for field, value in guest.items()} | {"phone": "081234567890"}
    assert_clean(
        await _history(dev_env.client, case_id), forbidden | {"officer's email": account.email}, actors=("staff-",)
    )


CONTACT = {
    "name": "Rina Marlina",
    "position": "Kepala Seksi",
    "phone": "0812-5566-7788",
    "email": "rina@dinkes.contoh.id",
}


async def test_a_fresh_recommendation_leaves_no_personal_data_in_temporal(
    api: httpx.AsyncClient,
    dev_env: WorkflowEnvironment,
    demo_accounts: dict[tuple[str, str], DemoAccount],
    session_factory: SessionFactory,
) -> None:
    agency = TokenAuth(*await make_applicant(session_factory, email="kesmas@dinkes.contoh.id", segment="government"))
    fs3 = FS3 | {"contact_person": CONTACT, "survey_manager": CONTACT, "organiser_email": "kesmas@dinkes.contoh.id"}
    submitted = await api.post(
        "/api/v1/recommendations", json={"office_code": "6202", "unit": "Bidang Kesmas", "fs3": fs3}, auth=agency
    )
    assert submitted.status_code == 201, submitted.text
    case_id = str(submitted.json()["id"])
    base = f"/api/v1/recommendations/{case_id}"
    operator, supervisor, examiner = (demo_accounts[("6202", role)] for role in ("operator", "supervisor", "examiner"))
    for _ in range(100):
        if (await read_case_row(session_factory, case_id)).step == "completeness":
            break
        await asyncio.sleep(0.1)
    await _post(api, f"{base}/completeness", _signed_in(operator), {"complete": True})
    await _post(api, f"{base}/assign", _signed_in(supervisor), {"examiner_email": examiner.email})
    assert (await _post(api, f"{base}/examination", _signed_in(examiner), {"recommend": True}))["step"] == "recommended"
    await dev_env.client.get_workflow_handle(case_id).result()

    forbidden = {f"contact's {field}": value for field, value in CONTACT.items() if field != "position"}
    forbidden |= {"agency's email": "kesmas@dinkes.contoh.id", "examiner's email": examiner.email}
    assert_clean(await _history(dev_env.client, case_id), forbidden, actors=("staff-",))


WALK_IN_GUEST = {
    "name": "Agus Setiawan",
    "email": "agus.setiawan@contoh.id",
    "institution": "CV Agus Data",
    "segment": "private",
    "npwp": "3204110101900001",
}


async def test_a_fresh_walk_in_sale_leaves_no_personal_data_in_temporal(
    api: httpx.AsyncClient,
    dev_env: WorkflowEnvironment,
    demo_accounts: dict[tuple[str, str], DemoAccount],
    session_factory: SessionFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    codes: list[str] = []  # the one-time download codes printed on the guest's receipt

    def new_code() -> str:
        codes.append(download_code.new_code())
        return codes[-1]

    monkeypatch.setattr(documents, "new_code", new_code)
    officer, treasurer = (_signed_in(demo_accounts[("6202", role)]) for role in ("officer", "treasurer"))
    request = WALK_IN_REQUEST | {"applicant": WALK_IN_GUEST}
    recorded = await api.post("/api/v1/sales", json=request, auth=officer)
    assert recorded.status_code == 201, recorded.text
    case_id = str(recorded.json()["id"])
    base = f"/api/v1/sales/{case_id}"
    await wait_for_step(dev_env.client, case_id, SaleStep.ABSTRACT_REVIEW)
    await _post(api, f"{base}/abstract-review", officer, {"decision": "approve"})
    await _post(api, f"{base}/sppd", officer, {"method": "on_site"})
    lines = [{"item": "Susenas Maret 2025", "tariff_code": "microdata", "quantity": 1}]
    await _post(api, f"{base}/offer", officer, {"lines": lines})
    await _post(api, f"{base}/payment", treasurer, {"method": "cash"})
    await _post(api, f"{base}/receipt", treasurer)
    package = await _upload(api, case_id, "data_package", officer, b"PK\x03\x04data")
    assert (await _post(api, f"{base}/delivery", officer, {"document_id": package}))["step"] == SaleStep.SUPPORT
    async with session_factory() as session:
        tokens = list((await session.scalars(select(DownloadLink.token).where(DownloadLink.case_id == case_id))).all())

    assert codes  # a guest without an account gets a code on the receipt
    forbidden = {f"guest's {field}": value for field, value in WALK_IN_GUEST.items() if field != "segment"}
    forbidden |= {f"download token {number}": token for number, token in enumerate(tokens, start=1)}
    forbidden |= {f"download code {number}": code for number, code in enumerate(codes, start=1)}
    forbidden |= {f"download code {number} typed": code.replace("-", "") for number, code in enumerate(codes, start=1)}
    assert_clean(await _history(dev_env.client, case_id), forbidden, actors=("staff-",))


# ---------------------------------------------------------------- failures


def _as_in_history(error: BaseException) -> str:
    """The failure Temporal writes for ``error`` (message, stack trace, causes), as JSON."""
    failure = Failure()
    converter = DataConverter.default
    converter.failure_converter.to_failure(error, converter.payload_converter, failure)
    return MessageToJson(failure)


async def test_a_database_error_reaches_temporal_without_the_statements_parameters(
    settings: Settings, session_factory: SessionFactory
) -> None:
    link = "http://pst.test/api/v1/downloads/Zm9vYmFyYmF6cXV4cXV1eA"
    error = IntegrityError(
        "INSERT INTO outbox (key, to_addr, body_text) VALUES (?, ?, ?)",
        ("sale-6202-2026-000001:sale_link:delivered", APPLICANT["email"], f"Unduh data Anda: {link}"),
        Exception("UNIQUE constraint failed: outbox.key"),
    )

    class FailingCalendar:
        async def reading(self, change: ClockChange, at: datetime) -> None:
            raise error

    records = record_activities(settings, session_factory)
    records._calendar = FailingCalendar()  # type: ignore[assignment]
    change = ClockChange("sla_started", "sla:1:sla_started", "running", "6202", "sale")
    record = StepRecord(
        "sale-6202-2026-000001", "delivered:9", "delivered", "support", "open", None, officer(), utcnow()
    )
    record.clock = change
    with pytest.raises(ApplicationError) as raised:
        await records.record_step(record)

    assert APPLICANT["email"] in _as_in_history(error)  # what the bare error would have told Temporal
    told = _as_in_history(raised.value)
    assert APPLICANT["email"] not in told and "downloads/" not in told and "INSERT" not in told
    assert raised.value.message == "Kesalahan basis data (Exception); dicoba lagi." and not raised.value.non_retryable
