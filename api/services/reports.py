"""Monthly reports per office: requests by service and outcome, SLA compliance, median completion in working
days, PNBP revenue, complaints and their response times, and the IKM with each element's NRR.

Every figure is an aggregate or an indexed lookup (migration 0009), so a month costs what the month holds, not
what the office ever held; the clocks finished in a period are counted in one place (``finished_clocks``), for
this report and for the dashboard alike.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from statistics import median
from typing import Any, cast
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal
from sqlalchemy import Select, case, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from api.errors import Forbidden, Invalid
from api.services.cases import get_office
from core.enums import OVERSEERS, SERVICE_LABELS, CaseStatus, ClockAction, Service
from core.formatting import month_in_words
from core.i18n import N_, current_language
from core.i18n import gettext as _
from core.ikm import ELEMENTS, IkmResult, from_totals
from core.models import AuditEntry, Case, Payment, StaffAccount, SurveyResponse, utcnow
from core.office_calendars import load_office_calendar

BREACH_NOTICE = "sla_breached"  # the clock's notice (contracts.sla.CLOCK_NOTICES) when a deadline passed
MONTH_HINT = N_("Pilih bulan laporan dengan format TTTT-BB, mis. 2026-11.")


def number(value: int | float | Decimal, places: int = 0) -> str:
    """A number as the reader writes it, with ``places`` decimals: ``1234.5`` → ``1.234,5`` (``1,234.5`` in
    English)."""
    return format_decimal(value, format="#,##0" + ("." + "0" * places if places else ""), locale=current_language())


def _plain(value: float | Decimal, places: int = 0) -> str:
    """A number for a spreadsheet: no thousands separator, a decimal comma (``87,50``)."""
    return f"{value:.{places}f}".replace(".", ",")


def _days(value: float | None) -> str:
    """A count of days for a person: ``2,5``, ``3``, or ``-`` when there is none."""
    return "-" if value is None else f"{value:g}".replace(".", ",")


@dataclass
class ServiceRow:
    """One service's month: the requests submitted in it (and still open of them), those completed or cancelled in
    it, and the clocks that finished in it."""

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
    def compliance_share(self) -> float | None:
        """Percent of finished clocks that met their deadline; None when none finished."""
        return 100 * self.on_time / self.finished_clocks if self.finished_clocks else None

    @property
    def median_working_days(self) -> float | None:
        """Median working days from submission to completion; None when none completed."""
        return float(median(self.working_days)) if self.working_days else None

    @property
    def compliance(self) -> str:
        """Share of finished clocks that met their deadline, e.g. ``50%`` (``-`` when none finished)."""
        share = self.compliance_share
        return "-" if share is None else f"{round(share)}%"

    @property
    def median_days(self) -> str:
        """Median working days from submission to completion, e.g. ``2,5`` (``-`` when none completed)."""
        return _days(self.median_working_days)


@dataclass
class MonthReport:
    """An office's month."""

    office_code: str
    office_name: str
    month: str
    services: list[ServiceRow]
    revenue: int
    complaints: int
    complaint_days: list[int]
    satisfaction: IkmResult | None

    @property
    def month_in_words(self) -> str:
        """``2026-03`` → ``Maret 2026``."""
        year, month = self.month.split("-")
        return month_in_words(int(year), int(month))

    @property
    def previous_month(self) -> str:
        """The month before, ``2026-02`` for ``2026-03``."""
        year, month = (int(part) for part in self.month.split("-"))
        return f"{year - (month == 1)}-{(month - 2) % 12 + 1:02d}"

    @property
    def next_month(self) -> str:
        """The month after, ``2026-04`` for ``2026-03``."""
        year, month = (int(part) for part in self.month.split("-"))
        return f"{year + (month == 12)}-{month % 12 + 1:02d}"

    @property
    def complaint_median_days(self) -> float | None:
        """Median working days to answer a complaint; None when none was answered."""
        return float(median(self.complaint_days)) if self.complaint_days else None

    @property
    def complaint_response_days(self) -> str:
        """Median working days to answer a complaint, e.g. ``3`` (``-`` when none was answered)."""
        return _days(self.complaint_median_days)

    @property
    def filename(self) -> str:
        """The CSV's file name: ``laporan-pst-6202-2026-03.csv``."""
        return f"laporan-pst-{self.office_code}-{self.month}.csv"


def month_bounds(month: str, timezone: str) -> tuple[datetime, datetime]:
    """The first moment of ``month`` (YYYY-MM) and of the next, in the office's zone; Invalid otherwise."""
    try:
        if len(month) != 7:
            raise ValueError(month)
        first = date.fromisoformat(f"{month}-01")
    except ValueError as error:
        raise Invalid(_(MONTH_HINT)) from error
    following = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    zone = ZoneInfo(timezone)
    return datetime.combine(first, time(), zone), datetime.combine(following, time(), zone)


def finished_clocks(office_code: str, start: datetime, end: datetime | None = None) -> Select[Any]:
    """Per service: the cases whose SLA clock stopped in [start, end) and how many of them had passed a
    deadline (a breach notice at any time). Each case is looked up by its key (scalar subqueries run per
    finished case), so the cost follows the period's finished cases, not the office's history."""
    stopped = select(AuditEntry.case_id).where(
        AuditEntry.office_code == office_code, AuditEntry.action == ClockAction.STOPPED, AuditEntry.at >= start
    )
    if end is not None:
        stopped = stopped.where(AuditEntry.at < end)
    finished = stopped.distinct().subquery()
    breach = aliased(AuditEntry)
    late = exists().where(breach.case_id == finished.c.case_id, breach.action == BREACH_NOTICE)
    service = select(Case.service).where(Case.id == finished.c.case_id).scalar_subquery()
    per_case = select(service.label("service"), case((late, 1), else_=0).label("late")).select_from(finished).subquery()
    return select(per_case.c.service, func.count(), func.coalesce(func.sum(per_case.c.late), 0)).group_by(
        per_case.c.service
    )


def closed_in(office_code: str, start: datetime, end: datetime, status: str = CaseStatus.COMPLETED) -> Select[Any]:
    """The office's cases completed (or closed with ``status``) in [start, end), whenever they were submitted: their
    service, submission, closing time and clock unit. One rule for the monthly report and the public performance
    page; the index on (office, status, closed_at) keeps it to the period's closings."""
    statement = select(Case.service, Case.created_at, Case.closed_at, Case.sla_unit).where(
        Case.office_code == office_code,
        Case.status == status,
        Case.closed_at >= start,
        Case.closed_at < end,
    )
    return cast("Select[Any]", statement)


async def month_report(*, session: AsyncSession, staff: StaffAccount, month: str = "") -> MonthReport:
    """The report of the staff member's office for ``month`` (YYYY-MM; empty: this month), office-local."""
    if staff.role not in OVERSEERS:
        raise Forbidden(_("Laporan hanya untuk supervisor dan administrator kantor."))
    office = await get_office(session=session, office_code=staff.office_code)
    month = month or utcnow().astimezone(ZoneInfo(office.timezone)).strftime("%Y-%m")
    start, end = month_bounds(month, office.timezone)
    rows = await _service_rows(session, office.code, start, end)
    complaints = rows[Service.COMPLAINT]
    return MonthReport(
        office_code=office.code,
        office_name=office.name,
        month=month,
        services=list(rows.values()),
        revenue=await _revenue(session, office.code, start, end),
        complaints=complaints.submitted,
        complaint_days=complaints.working_days,
        satisfaction=await _satisfaction(session, office.code, start, end),
    )


async def _service_rows(
    session: AsyncSession, office_code: str, start: datetime, end: datetime
) -> dict[str, ServiceRow]:
    """Each service's requests submitted in the month and those still open of them, the requests completed and
    cancelled in the month (whenever submitted) with their working days to completion, and its clocks that finished
    in the month."""
    found = await load_office_calendar(session, office_code, start)
    assert found is not None
    calendar = found[1]
    rows = {service: ServiceRow(service, label) for service, label in SERVICE_LABELS.items()}
    in_month = (Case.office_code == office_code, Case.created_at >= start, Case.created_at < end)
    counted = await session.execute(
        select(Case.service, Case.status, func.count()).where(*in_month).group_by(Case.service, Case.status)
    )
    for service, status, count in counted:
        if (row := rows.get(service)) is not None:
            row.submitted += count
            row.open += count if status == CaseStatus.OPEN else 0
    for service, created, closed, _unit in await session.execute(closed_in(office_code, start, end)):
        if (row := rows.get(service)) is not None:
            row.completed += 1
            row.working_days.append(calendar.working_days_used(created, closed))
    for service, *_closing in await session.execute(closed_in(office_code, start, end, CaseStatus.CANCELLED)):
        if (row := rows.get(service)) is not None:
            row.cancelled += 1
    for service, finished, late in await session.execute(finished_clocks(office_code, start, end)):
        if (row := rows.get(service)) is not None:
            row.finished_clocks, row.on_time = finished, finished - late
    return rows


async def _revenue(session: AsyncSession, office_code: str, start: datetime, end: datetime) -> int:
    """PNBP settled in the month for the office's cases."""
    paid = await session.scalar(
        select(func.coalesce(func.sum(Payment.amount), 0)).where(
            Payment.status == "paid",
            Payment.settled_at >= start,
            Payment.settled_at < end,
            # per payment, its case's office by key (the month's payments, not the office's cases, are scanned)
            select(Case.office_code).where(Case.id == Payment.case_id).scalar_subquery() == office_code,
        )
    )
    return int(paid or 0)


def survey_totals(office_code: str, start: datetime, end: datetime) -> Select[Any]:
    """Per service: the respondents of [start, end) and each element's sum of scores, added up by the database
    (the answers were checked when they were stored); ``core.ikm.from_totals`` makes the IKM of a row."""
    element_sums = (SurveyResponse.scores[index].as_integer() for index in range(len(ELEMENTS)))
    statement = (
        select(SurveyResponse.service, func.count(), *(func.coalesce(func.sum(score), 0) for score in element_sums))
        .where(
            SurveyResponse.office_code == office_code,
            SurveyResponse.day >= start.date(),
            SurveyResponse.day < end.date(),
        )
        .group_by(SurveyResponse.service)
    )
    return cast("Select[Any]", statement)


async def _satisfaction(session: AsyncSession, office_code: str, start: datetime, end: datetime) -> IkmResult | None:
    """The IKM of the month's survey answers of every service (None without any)."""
    respondents, totals = 0, [0] * len(ELEMENTS)
    for _service, count, *sums in await session.execute(survey_totals(office_code, start, end)):
        respondents += count
        totals = [total + int(value) for total, value in zip(totals, sums, strict=True)]
    return from_totals(respondents, totals) if respondents else None


def _machine(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def report_as_dict(report: MonthReport) -> dict[str, object]:
    """The report for the JSON API (decimal points, as machines read them)."""
    ikm = report.satisfaction
    return {
        "office_code": report.office_code,
        "office_name": report.office_name,
        "month": report.month,
        "services": [
            {
                "service": row.service,
                "label": row.label,
                "submitted": row.submitted,
                "completed": row.completed,
                "cancelled": row.cancelled,
                "open": row.open,
                "finished_clocks": row.finished_clocks,
                "on_time": row.on_time,
                "compliance": row.compliance,
                "median_days": _machine(row.median_working_days),
            }
            for row in report.services
        ],
        "revenue": report.revenue,
        "complaints": report.complaints,
        "complaint_response_days": _machine(report.complaint_median_days),
        "ikm": f"{ikm.ikm:.2f}" if ikm else "-",
        "grade": ikm.grade if ikm else "-",
        "grade_in_words": ikm.grade_in_words if ikm else "-",
        "respondents": ikm.respondents if ikm else 0,
        "elements": [
            {"number": e.number, "name": e.name, "nrr": f"{e.nrr:.2f}", "converted": f"{e.converted:.2f}"}
            | {"grade": e.grade}
            for e in (ikm.elements() if ikm else [])
        ],
    }


def report_csv(report: MonthReport) -> str:
    """The report as a spreadsheet opens it in an Indonesian locale: semicolons between fields, a decimal comma,
    a byte-order mark so that Excel reads UTF-8; one row per service, then the totals and the IKM by element."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            _("Kantor"),
            _("Bulan"),
            _("Layanan"),
            _("Diajukan"),
            _("Selesai"),
            _("Dibatalkan"),
            _("Terbuka"),
            _("Waktu layanan selesai"),
            _("Tepat waktu"),
            _("Kepatuhan waktu (%)"),
            _("Median hari kerja"),
        ]
    )
    for row in report.services:
        share, days = row.compliance_share, row.median_working_days
        writer.writerow(
            [
                report.office_code,
                report.month,
                row.label,
                row.submitted,
                row.completed,
                row.cancelled,
                row.open,
                row.finished_clocks,
                row.on_time,
                "" if share is None else _plain(share, 1),
                "" if days is None else _plain(days, 1),
            ]
        )
    ikm = report.satisfaction
    complaint_days = report.complaint_median_days
    writer.writerow([])
    writer.writerow([_("Ringkasan"), _("Nilai")])
    writer.writerow([_("PNBP diterima (Rp)"), report.revenue])
    writer.writerow([_("Pengaduan"), report.complaints])
    answered = "" if complaint_days is None else _plain(complaint_days, 1)
    writer.writerow([_("Median hari kerja tanggapan pengaduan"), answered])
    writer.writerow([_("Responden survei"), ikm.respondents if ikm else 0])
    writer.writerow(["IKM", _plain(ikm.ikm, 2) if ikm else ""])
    writer.writerow([_("Mutu pelayanan"), _(ikm.grade_in_words) if ikm else ""])
    if ikm:
        writer.writerow([])
        writer.writerow([_("Unsur"), "NRR", _("Nilai konversi"), _("Mutu")])
        for element in ikm.elements():
            writer.writerow(
                [
                    f"U{element.number} {_(element.name)}",
                    _plain(element.nrr, 2),
                    _plain(element.converted, 2),
                    _(element.grade_in_words),
                ]
            )
    return out.getvalue()
