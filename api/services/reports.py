"""Monthly reports per office: requests by service and outcome, SLA compliance, median completion in working
days, PNBP revenue, complaints and their response times, and the IKM."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime, time
from statistics import median
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.errors import Forbidden, Invalid
from api.services.cases import get_office
from core.enums import SERVICE_LABELS, CaseStatus, ClockAction, Role, Service
from core.ikm import compute
from core.models import AuditEntry, Case, Payment, StaffAccount, SurveyResponse
from core.office_calendars import load_office_calendar

READERS = {Role.SUPERVISOR, Role.PROVINCIAL_SUPERVISOR, Role.ADMINISTRATOR}


@dataclass
class ServiceRow:
    """One service's month."""

    service: str
    label: str
    submitted: int = 0
    completed: int = 0
    cancelled: int = 0
    open: int = 0
    finished_clocks: int = 0
    on_time: int = 0
    working_days: list[int] = field(default_factory=list)

    @property
    def compliance(self) -> str:
        """Share of finished clocks that met their deadline."""
        return f"{round(100 * self.on_time / self.finished_clocks)}%" if self.finished_clocks else "-"

    @property
    def median_days(self) -> str:
        """Median working days from submission to completion."""
        return f"{median(self.working_days):g}" if self.working_days else "-"


@dataclass
class MonthReport:
    """An office's month."""

    office_code: str
    office_name: str
    month: str
    services: list[ServiceRow]
    revenue: int
    complaints: int
    complaint_response_days: str
    ikm: str
    grade: str
    respondents: int


def _month_bounds(month: str, timezone: str) -> tuple[datetime, datetime]:
    try:
        first = date.fromisoformat(f"{month}-01")
    except ValueError as error:
        raise Invalid("Bulan harus berformat YYYY-MM, mis. 2026-11.") from error
    following = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    zone = ZoneInfo(timezone)
    return datetime.combine(first, time(), zone), datetime.combine(following, time(), zone)


async def month_report(*, session: AsyncSession, staff: StaffAccount, month: str) -> MonthReport:
    """The report of the staff member's office for ``month`` (YYYY-MM), office-local."""
    if staff.role not in READERS:
        raise Forbidden("Laporan hanya untuk supervisor dan administrator kantor.")
    office = await get_office(session=session, office_code=staff.office_code)
    start, end = _month_bounds(month, office.timezone)
    found = await load_office_calendar(session, office.code, start)
    assert found is not None
    calendar = found[1]
    cases = (
        await session.scalars(
            select(Case).where(Case.office_code == office.code, Case.created_at >= start, Case.created_at < end)
        )
    ).all()
    events = (
        await session.execute(
            select(AuditEntry.case_id, AuditEntry.action, AuditEntry.at).where(
                AuditEntry.office_code == office.code, AuditEntry.at >= start, AuditEntry.at < end
            )
        )
    ).all()
    breached = {case_id for case_id, action, _ in events if action == "sla_breached"}
    stopped = {case_id for case_id, action, _ in events if action == ClockAction.STOPPED}
    rows = {service: ServiceRow(service, label) for service, label in SERVICE_LABELS.items()}
    for case in cases:
        row = rows[case.service]
        row.submitted += 1
        row.completed += case.status == CaseStatus.COMPLETED
        row.cancelled += case.status == CaseStatus.CANCELLED
        row.open += case.status == CaseStatus.OPEN
        if case.status == CaseStatus.COMPLETED:
            row.working_days.append(calendar.working_days_used(case.created_at, case.updated_at))
    for case_id in stopped:
        service = next((c.service for c in cases if c.id == case_id), None)
        if service is not None:
            rows[service].finished_clocks += 1
            rows[service].on_time += case_id not in breached
    paid = (
        await session.scalars(
            select(Payment.amount).where(
                Payment.status == "paid",
                Payment.settled_at >= start,
                Payment.settled_at < end,
                Payment.case_id.in_(select(Case.id).where(Case.office_code == office.code)),
            )
        )
    ).all()
    complaints = [case for case in cases if case.service == Service.COMPLAINT]
    answered = [
        calendar.working_days_used(c.created_at, c.updated_at) for c in complaints if c.status == CaseStatus.COMPLETED
    ]
    answers = (
        await session.scalars(
            select(SurveyResponse.scores).where(
                SurveyResponse.office_code == office.code,
                SurveyResponse.day >= start.date(),
                SurveyResponse.day < end.date(),
            )
        )
    ).all()
    ikm = compute([list(scores) for scores in answers]) if answers else None
    return MonthReport(
        office_code=office.code,
        office_name=office.name,
        month=month,
        services=list(rows.values()),
        revenue=sum(paid),
        complaints=len(complaints),
        complaint_response_days=f"{median(answered):g}" if answered else "-",
        ikm=f"{ikm.ikm:.2f}" if ikm else "-",
        grade=ikm.grade if ikm else "-",
        respondents=ikm.respondents if ikm else 0,
    )


def report_csv(report: MonthReport) -> str:
    """The report as CSV: one row per service, then the office's totals."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "kantor",
            "bulan",
            "layanan",
            "diajukan",
            "selesai",
            "dibatalkan",
            "terbuka",
            "tepat_waktu",
            "median_hari_kerja",
        ]
    )
    for row in report.services:
        writer.writerow(
            [
                report.office_code,
                report.month,
                row.service,
                row.submitted,
                row.completed,
                row.cancelled,
                row.open,
                row.compliance,
                row.median_days,
            ]
        )
    writer.writerow([])
    writer.writerow(["pnbp_rupiah", report.revenue])
    writer.writerow(["pengaduan", report.complaints, "median_hari_kerja_tanggapan", report.complaint_response_days])
    writer.writerow(["ikm", report.ikm, report.grade, "responden", report.respondents])
    return out.getvalue()
