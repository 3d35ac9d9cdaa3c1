"""The public performance page of an office: for each of the last 12 months and each service, the requests served,
the share finished within the standard's time, the median time, complaints answered in time and the IKM with its
grade, as a table and as a chart; figures of a hand-made set of cases against numbers worked out by hand."""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from decimal import Decimal

import httpx
import pytest

from api.services.performance import last_months, office_performance
from core.db import SessionFactory
from core.enums import CaseStatus, ClockAction, Service, TimeUnit
from core.models import AuditEntry, Case, SurveyResponse

OFFICE = "6302"  # Kotabaru, WITA (UTC+8); the office closes at 16:00
NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
BREACH = "sla_breached"


# (id, service, created WITA, completed WITA or None, status, late?)
CASES = [
    ("A", Service.SALE, "2026-10-05 09:00", "2026-10-07 15:00", CaseStatus.COMPLETED, False),  # 1 working day
    ("B", Service.SALE, "2026-10-05 09:00", "2026-10-12 17:00", CaseStatus.COMPLETED, True),  # 5, late
    ("C", Service.SALE, "2026-10-20 09:00", "2026-10-23 17:00", CaseStatus.COMPLETED, False),  # 3
    ("D", Service.SALE, "2026-10-21 09:00", None, CaseStatus.CANCELLED, False),  # not served
    ("E", Service.SALE, "2026-09-30 09:00", "2026-10-01 17:00", CaseStatus.COMPLETED, False),  # Sept; done Oct
    ("F", Service.SALE, "2026-11-01 00:30", "2026-11-02 17:00", CaseStatus.COMPLETED, False),  # 31 Oct in UTC
    ("G", Service.COMPLAINT, "2026-10-06 09:00", "2026-10-08 17:00", CaseStatus.COMPLETED, False),
    ("H", Service.COMPLAINT, "2026-10-06 09:00", "2026-10-20 17:00", CaseStatus.COMPLETED, True),
]
SURVEYS = [
    (Service.SALE, date(2026, 10, 15), [4] * 9),
    (Service.SALE, date(2026, 10, 15), [3] * 9),  # October's sale IKM: (4 + 3) / 2 × 25 = 87.50, B
    (Service.COMPLAINT, date(2026, 10, 15), [2] * 9),  # 50.00, D
    (Service.SALE, date(2026, 11, 1), [4] * 9),  # 100.00, A
]


@pytest.fixture
async def cases(session_factory: SessionFactory) -> AsyncIterator[None]:
    """The hand-made cases, their clocks' audit entries and the survey answers (removed after the test by the
    shared clean-up of case tables)."""
    async with session_factory() as session, session.begin():
        for key, service, created, completed, status, late in CASES:
            case_id = f"{service}-{OFFICE}-2026-perf{key}"
            start = datetime.fromisoformat(f"{created}+08:00").astimezone(UTC)
            end = datetime.fromisoformat(f"{completed}+08:00").astimezone(UTC) if completed else start
            session.add(
                Case(
                    id=case_id,
                    service=service,
                    office_code=OFFICE,
                    channel="online",
                    applicant_name="Penguji Kinerja",
                    applicant_email="kinerja@example.id",
                    step="done" if completed else "cancelled",
                    status=status,
                    sla_unit=TimeUnit.WORKING_DAYS,
                    created_at=start,
                    updated_at=end,
                    closed_at=end,
                )
            )
            await session.flush()
            entries = [(ClockAction.STOPPED.value, end)] if completed else []
            entries += [(BREACH, end)] if late else []
            for action, moment in entries:
                session.add(
                    AuditEntry(
                        case_id=case_id,
                        event_key=f"{action}-1",
                        at=moment,
                        actor="system",
                        role="system",
                        office_code=OFFICE,
                        action=action,
                        step="done",
                    )
                )
        for service, day, scores in SURVEYS:
            session.add(SurveyResponse(office_code=OFFICE, service=service, day=day, scores=scores, source="paper"))
    yield


def test_the_last_twelve_months_are_the_office_zones() -> None:
    assert last_months(NOW, "Asia/Makassar") == [
        "2025-12",
        *(f"2026-{month:02d}" for month in range(1, 12)),
    ]
    assert last_months(datetime(2026, 12, 31, 17, 0, tzinfo=UTC), "Asia/Makassar")[-1] == "2027-01"  # 01:00 WITA


async def test_the_figures_equal_the_hand_computed_ones(session_factory: SessionFactory, cases: None) -> None:
    async with session_factory() as session:
        view = await office_performance(session=session, office_code=OFFICE, now=NOW)
    services = {service.service: service for service in view.services}
    assert list(services) == [Service.SALE, Service.VISIT, Service.COMPLAINT]  # 6302 has no recommendation
    sale = {month.month: month for month in services[Service.SALE].months}
    complaint = {month.month: month for month in services[Service.COMPLAINT].months}
    assert len(sale) == 12 and view.first == "Desember 2025" and view.last == "November 2026"
    assert services[Service.SALE].unit == TimeUnit.WORKING_DAYS

    october = sale["2026-10"]
    # E, asked in September, was completed (and its clock stopped) in October: served in October
    assert (october.served, october.finished, october.on_time) == (4, 4, 3)
    assert october.median == 2.0 and october.share == 75.0  # A 1, E 1, C 3, B 5 working days
    assert october.ikm == Decimal("87.50") and october.grade_text == "B (Baik)" and october.respondents == 2
    assert (october.share_text, october.median_text, october.ikm_text) == ("75%", "2", "87,50")
    september, november = sale["2026-09"], sale["2026-11"]
    assert (september.served, september.median, september.share, september.share_text) == (0, None, None, "-")
    assert (november.served, november.median, november.share, november.ikm) == (1, 1.0, 100.0, Decimal("100.00"))
    assert november.grade_text == "A (Sangat Baik)"
    assert sale["2026-08"].served == 0 and sale["2026-08"].ikm_text == "-" and sale["2026-08"].grade_text == "-"

    answered = complaint["2026-10"]
    assert (answered.served, answered.finished, answered.on_time, answered.share_text) == (2, 2, 1, "50%")
    assert answered.median == 6.0  # G: 2 working days (7 and 8 Oct), H: 10 (7 to 20 Oct) → median 6
    assert answered.ikm == Decimal("50.00") and answered.grade_text == "D (Tidak Baik)"


def _row(page: str, service: str, month: str) -> list[str]:
    """The cells of ``month``'s row in ``service``'s table, as text."""
    section = re.search(rf'<section class="performance-service" id="kinerja-{service}".*?</section>', page, re.S)
    assert section is not None
    for row in re.findall(r"<tr>(.*?)</tr>", section.group(0), re.S):
        cells = [
            " ".join(html.unescape(re.sub(r"<[^>]+>", " ", cell)).split())
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        if cells and cells[0] == month:
            return cells
    raise AssertionError(f"no row {month}")


async def test_the_page_shows_the_table_and_an_accessible_chart(api: httpx.AsyncClient, cases: None) -> None:
    office = await api.get(f"/offices/{OFFICE}")
    home = await api.get("/")
    page = (await api.get(f"/offices/{OFFICE}/kinerja")).text
    api.cookies.set("lang", "en")
    english = (await api.get(f"/offices/{OFFICE}/kinerja")).text

    assert f'href="/offices/{OFFICE}/kinerja"' in office.text and f'href="/offices/{OFFICE}/kinerja"' in home.text
    assert _row(page, "sale", "Oktober 2026") == [
        "Oktober 2026",
        "4",
        "75% (3 dari 4)",
        "2",
        "87,50 (2 responden)",
        "B (Baik)",
    ]
    assert _row(page, "complaint", "Oktober 2026")[2:] == [
        "50% (1 dari 2)",
        "6",
        "50,00 (1 responden)",
        "D (Tidak Baik)",
    ]
    assert _row(english, "sale", "October 2026")[4:] == ["87.50 (2 respondents)", "B (Good)"]
    chart = re.search(r'<svg[^>]*role="img"[^>]*aria-labelledby="([^"]+)"', page)
    assert chart is not None
    for part in chart.group(1).split():
        assert f'id="{part}"' in page  # the title and the description the chart is named by
    # a bar per month with a figure: share on time for sale in October and November and complaints in October;
    # the IKM for the same three; a month without a figure has none (the table says "-")
    assert page.count("chart-bar chart-share") == 3 and page.count("chart-bar chart-ikm") == 3
