"""Realistic rows for the scale bench: cases of the four offices over two years, with their audit entries,
payments and survey answers in proportion (``python -m bench.scale`` inserts them with Core bulk inserts).

Deterministic (one seeded ``random.Random``): two runs make the same data, up to "now".
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from core.enums import CaseStatus, ClockAction, Role, Service, SlaState

HISTORY_DAYS = 730
# A desk's month: many guests, a quarter sales, FS3 requests and complaints fewer.
SERVICE_SHARES = (
    (Service.VISIT, 0.55),
    (Service.SALE, 0.25),
    (Service.RECOMMENDATION, 0.10),
    (Service.COMPLAINT, 0.10),
)
# The open steps of each service and who they wait on (None: the applicant).
OPEN_STEPS: dict[str, tuple[tuple[str, str | None], ...]] = {
    Service.SALE: (
        ("completeness", Role.OFFICER),
        ("abstract_review", Role.OFFICER),
        ("offer", Role.OFFICER),
        ("sample_review", None),
        ("payment", Role.TREASURER),
        ("sppd", Role.OFFICER),
        ("receipt", Role.TREASURER),
        ("delivery", Role.OFFICER),
        ("returned", None),
    ),
    Service.RECOMMENDATION: (
        ("completeness", Role.OPERATOR),
        ("assignment", Role.SUPERVISOR),
        ("examination", Role.EXAMINER),
        ("revision", None),
    ),
    Service.COMPLAINT: (("response", Role.OFFICER),),
    Service.VISIT: (("waiting", Role.OFFICER), ("serving", Role.OFFICER)),
}
DONE_STEP: dict[str, str] = {
    Service.SALE: "completed",
    Service.RECOMMENDATION: "recommended",
    Service.COMPLAINT: "resolved",
}
# The actions a finished case went through, beside the clock's (its audit trail, in order).
TRAILS: dict[str, tuple[str, ...]] = {
    Service.SALE: (
        "submitted",
        "abstract",
        "request_complete",
        "abstract_approved",
        "offer",
        "sample_accepted",
        "billing_issued",
        "paid",
        "sppd_signed",
        "sppd_accepted",
        "receipt_issued",
        "delivered",
    ),
    Service.RECOMMENDATION: ("submitted", "recorded_complete", "examiner_assigned", "returned_round", "recommended"),
    Service.COMPLAINT: ("submitted", "follow_up_recorded"),
    Service.VISIT: ("guest_registered", "guest_called", "guest_served"),
}
# How long a service usually takes, and its standard's limit (for the clock's deadline).
DURATION: dict[str, timedelta] = {
    Service.SALE: timedelta(days=9),
    Service.RECOMMENDATION: timedelta(days=10),
    Service.COMPLAINT: timedelta(days=4),
    Service.VISIT: timedelta(minutes=25),
}
LIMIT: dict[str, timedelta] = {
    Service.SALE: timedelta(days=14),
    Service.RECOMMENDATION: timedelta(days=15),
    Service.COMPLAINT: timedelta(days=7),
    Service.VISIT: timedelta(minutes=60),
}
NAMES = ("Siti Aminah", "Budi Santoso", "Dewi Lestari", "Agus Salim", "Rina Wati", "Yusuf Hidayat", "Nur Aini")
INSTITUTIONS = ("", "", "Universitas Palangka Raya", "Dinas Kominfo", "PT Sawit Makmur", "Bappeda")
DATASETS = ("Susenas Maret 2024", "Sakernas Agustus 2024", "Podes 2024", "SE2016 UMK")
PRICES = (0, 30_000, 70_000, 150_000, 250_000, 1_250_000)


@dataclass
class Rows:
    """What one office's cases add to each table."""

    cases: list[dict[str, Any]] = field(default_factory=list)
    audit: list[dict[str, Any]] = field(default_factory=list)
    payments: list[dict[str, Any]] = field(default_factory=list)
    surveys: list[dict[str, Any]] = field(default_factory=list)


def _service(rng: random.Random) -> str:
    pick = rng.random()
    for service, share in SERVICE_SHARES:
        if pick < share:
            return service
        pick -= share
    return Service.VISIT


def _details(rng: random.Random, service: str, number: int) -> dict[str, Any]:
    if service == Service.SALE:
        item = {"kind": "microdata", "name": rng.choice(DATASETS), "variables": []}
        return {"items": [item], "abstract": "Analisis kemiskinan tingkat kecamatan untuk skripsi."}
    if service == Service.RECOMMENDATION:
        return {"unit": "Bidang Statistik", "title": "Survei kepuasan masyarakat kabupaten"}
    if service == Service.COMPLAINT:
        return {"text": "Tautan unduhan data sudah kedaluwarsa sebelum saya sempat mengunduh."}
    return {"queue_number": f"A{number % 1000:03d}", "purpose": "Konsultasi data", "service_wanted": "consultation"}


def _open_clock(rng: random.Random, service: str, created: datetime, now: datetime) -> dict[str, Any]:
    """The clock columns of an open case: running, near its end, late or paused."""
    deadline = created + LIMIT[service]
    if rng.random() < 0.12:
        return {"sla_state": SlaState.PAUSED, "sla_deadline": None, "sla_warning_at": None, "sla_remaining": 3.0}
    state = SlaState.BREACHED if deadline <= now else SlaState.RUNNING
    warning_at = deadline - LIMIT[service] / 5
    if state == SlaState.RUNNING and warning_at <= now:
        state = SlaState.WARNING
    return {"sla_state": state, "sla_deadline": deadline, "sla_warning_at": warning_at, "sla_remaining": None}


def office_rows(office_code: str, count: int, now: datetime, rng: random.Random, staff: str) -> Rows:
    """``count`` cases of one office created over the last two years, with what happened to them."""
    rows = Rows()
    numbers: dict[tuple[str, int], int] = {}
    moments = sorted(now - timedelta(seconds=rng.uniform(60, HISTORY_DAYS * 86400)) for _ in range(count))
    for created in moments:
        service = _service(rng)
        key = (service, created.year)
        numbers[key] = numbers.get(key, 0) + 1
        case_id = f"{service}-{office_code}-{created.year}-{numbers[key]:06d}"
        age = now - created
        # most requests finish within their limit; a few linger, none past three months (every wait has an end)
        open_share = 0.8 if age < timedelta(days=5) else 0.3 if age < timedelta(days=30) else 0.03
        open_share = open_share if age < timedelta(days=90) else 0.0
        if service == Service.VISIT:
            open_share = 0.9 if age < timedelta(hours=2) else 0.0
        status = CaseStatus.OPEN if rng.random() < open_share else CaseStatus.COMPLETED
        if status == CaseStatus.COMPLETED and service != Service.VISIT and rng.random() < 0.08:
            status = CaseStatus.CANCELLED
        took = DURATION[service] * rng.uniform(0.3, 1.8)
        finished = min(created + took, now - timedelta(seconds=30))
        row: dict[str, Any] = {
            "id": case_id,
            "service": service,
            "office_code": office_code,
            "channel": "walk_in" if service == Service.VISIT or rng.random() < 0.3 else "online",
            "applicant_name": rng.choice(NAMES),
            "applicant_email": f"pemohon{len(rows.cases)}@example.com",
            "applicant_institution": rng.choice(INSTITUTIONS),
            "applicant_id": None,
            "segment": rng.choice(("education", "government", "private", "individual")),
            "details": _details(rng, service, numbers[key]),
            "workflow_started": True,
            "outcome_reason": "",
            "assignee_id": None,
            "assigned_step": None,
            "sla_unit": "minutes" if service == Service.VISIT else "working_days",
            "created_at": created,
        }
        trail = TRAILS[service]
        if status == CaseStatus.OPEN:
            step, role = rng.choice(OPEN_STEPS[service])
            row |= {"step": step, "status": status, "assignee_role": role, "updated_at": created + took / 3}
            row |= _open_clock(rng, service, created, now)
            done = trail[: rng.randint(1, max(1, len(trail) // 2))]
            late = row["sla_state"] == SlaState.BREACHED
            stopped_at = None
        else:
            step = DONE_STEP.get(service, "done") if status == CaseStatus.COMPLETED else "cancelled"
            row |= {"step": step, "status": status, "assignee_role": None, "updated_at": finished}
            row |= {"sla_state": SlaState.STOPPED, "sla_deadline": None, "sla_warning_at": None, "sla_remaining": None}
            done = trail if status == CaseStatus.COMPLETED else trail[:2]
            late = took > LIMIT[service] or rng.random() < 0.05
            stopped_at = finished
        rows.cases.append(row)
        rows.audit.extend(_trail(case_id, office_code, service, created, took, done, late, stopped_at, staff))
        if service == Service.SALE and status == CaseStatus.COMPLETED:
            rows.payments.append(_payment(rng, case_id, created + took * 0.6, len(rows.payments), office_code))
        if status == CaseStatus.COMPLETED and rng.random() < 0.3:
            scores = [min(4, max(1, round(rng.gauss(3.4, 0.6)))) for _ in range(9)]
            day = finished.date()
            rows.surveys.append(
                {"office_code": office_code, "service": service, "day": day, "scores": scores, "source": "online"}
                | {"case_id": case_id, "created_at": finished}
            )
    return rows


def _trail(
    case_id: str,
    office_code: str,
    service: str,
    created: datetime,
    took: timedelta,
    done: tuple[str, ...],
    late: bool,
    stopped_at: datetime | None,
    staff: str,
) -> Iterator[dict[str, Any]]:
    def entry(index: int, action: str, at: datetime, role: str = Role.OFFICER) -> dict[str, Any]:
        return {
            "case_id": case_id,
            "event_key": f"{action}-{index}",
            "at": at,
            "actor": staff,
            "role": role,
            "office_code": office_code,
            "action": action,
            "step": "x",
            "note": "",
        }

    yield entry(0, ClockAction.STARTED, created, "system")
    for index, action in enumerate(done, start=1):
        yield entry(index, action, created + took * index / (len(done) + 1))
    if late:
        yield entry(90, "sla_breached", created + LIMIT[service], "system")
    if stopped_at is not None:
        yield entry(99, ClockAction.STOPPED, stopped_at, "system")


def _payment(rng: random.Random, case_id: str, settled: datetime, index: int, office_code: str) -> dict[str, Any]:
    simponi = rng.random() < 0.7
    return {
        "case_id": case_id,
        "method": "simponi" if simponi else "cash",
        "amount": rng.choice(PRICES),
        "status": "paid",
        "billing_code": f"8{office_code}{index:010d}" if simponi else None,
        "expires_at": None,
        "ntpn": "",
        "reason": "",
        "recorded_by": "",
        "created_at": settled - timedelta(days=1),
        "settled_at": settled,
    }
