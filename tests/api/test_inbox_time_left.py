"""The SLA badge: time left in the unit of the case's standard (minutes, working days, days), or how late;
paused, finished and not started clocks say so."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from api.services.time_left import time_left
from core.calendar import office_calendar
from core.enums import CaseStatus, Service, SlaState, TimeUnit
from core.models import Case

ZONE = ZoneInfo("Asia/Pontianak")  # BPS 6202, WIB
CALENDAR = office_calendar(
    timezone="Asia/Pontianak",
    close_of_business="16:00",
    cuti_bersama_is_day_off=True,
    around=datetime(2026, 11, 1, tzinfo=ZONE),
)
TUESDAY_9 = datetime(2026, 11, 10, 9, 0, tzinfo=ZONE)  # no holiday that week


def _case(
    unit: str,
    deadline: datetime | None,
    *,
    state: str = SlaState.RUNNING,
    warning_at: datetime | None = None,
    status: str = CaseStatus.OPEN,
    service: str = Service.SALE,
) -> Case:
    return Case(
        id="sale-6202-2026-000001",
        service=service,
        office_code="6202",
        status=status,
        step="offer",
        sla_state=state,
        sla_unit=unit,
        sla_deadline=deadline,
        sla_warning_at=warning_at,
    )


def _badge(case: Case, now: datetime = TUESDAY_9) -> tuple[str, str]:
    found = time_left(case, CALENDAR, now)
    return found.state, found.text


@pytest.mark.parametrize(
    ("left", "text"),
    [
        (timedelta(minutes=4), "4 menit lagi"),
        (timedelta(minutes=4, seconds=20), "5 menit lagi"),
        (timedelta(seconds=20), "1 menit lagi"),
    ],
)
def test_the_queue_counts_in_minutes(left: timedelta, text: str) -> None:
    assert _badge(_case(TimeUnit.MINUTES, TUESDAY_9 + left)) == ("on_track", text)


def test_a_late_guest_is_late_by_minutes_not_hours() -> None:
    assert _badge(_case(TimeUnit.MINUTES, TUESDAY_9 - timedelta(minutes=3, seconds=30))) == (
        "breached",
        "terlambat 3 menit",
    )
    assert _badge(_case(TimeUnit.MINUTES, TUESDAY_9 - timedelta(minutes=75))) == ("breached", "terlambat 75 menit")


def test_a_sale_counts_working_days_and_hours_on_its_last_day() -> None:
    friday_close = CALENDAR.add_working_days(TUESDAY_9, 3)  # Friday 13 November, 16.00
    monday_close = CALENDAR.add_working_days(TUESDAY_9, 4)  # over the weekend: Monday 16 November

    assert _badge(_case(TimeUnit.WORKING_DAYS, friday_close)) == ("on_track", "3 hari kerja lagi")
    assert _badge(_case(TimeUnit.WORKING_DAYS, monday_close)) == ("on_track", "4 hari kerja lagi")
    assert _badge(_case(TimeUnit.WORKING_DAYS, CALENDAR.closing(TUESDAY_9.date()))) == ("on_track", "7 jam lagi")
    saturday = datetime(2026, 11, 14, 10, 0, tzinfo=ZONE)
    assert _badge(_case(TimeUnit.WORKING_DAYS, monday_close), saturday) == ("on_track", "1 hari kerja lagi")


def test_a_late_sale_is_late_by_working_days() -> None:
    monday_close = datetime(2026, 11, 9, 16, 0, tzinfo=ZONE)
    wednesday_evening = datetime(2026, 11, 11, 17, 0, tzinfo=ZONE)
    friday_close = datetime(2026, 11, 13, 16, 0, tzinfo=ZONE)

    assert _badge(_case(TimeUnit.WORKING_DAYS, monday_close), wednesday_evening) == (
        "breached",
        "terlambat 2 hari kerja",
    )
    assert _badge(_case(TimeUnit.WORKING_DAYS, monday_close), monday_close + timedelta(minutes=90)) == (
        "breached",
        "terlambat 1 jam",
    )
    monday_morning = datetime(2026, 11, 16, 10, 0, tzinfo=ZONE)  # the weekend is no working day
    assert _badge(_case(TimeUnit.WORKING_DAYS, friday_close), monday_morning) == (
        "breached",
        "terlambat kurang dari 1 hari kerja",
    )


def test_an_fs3_counts_calendar_days() -> None:
    assert _badge(_case(TimeUnit.DAYS, TUESDAY_9 + timedelta(days=5))) == ("on_track", "5 hari lagi")
    assert _badge(_case(TimeUnit.DAYS, TUESDAY_9 + timedelta(days=4, hours=2))) == ("on_track", "5 hari lagi")
    assert _badge(_case(TimeUnit.DAYS, TUESDAY_9 + timedelta(hours=3))) == ("on_track", "3 jam lagi")
    assert _badge(_case(TimeUnit.DAYS, TUESDAY_9 - timedelta(days=2, hours=3))) == ("breached", "terlambat 2 hari")
    assert _badge(_case(TimeUnit.DAYS, TUESDAY_9 - timedelta(minutes=40))) == ("breached", "terlambat 40 menit")


def test_a_case_without_a_recorded_unit_counts_as_its_service_does() -> None:
    assert _badge(_case("", TUESDAY_9 + timedelta(minutes=6), service=Service.VISIT)) == ("on_track", "6 menit lagi")
    assert _badge(_case("", TUESDAY_9 + timedelta(days=6), service=Service.RECOMMENDATION)) == (
        "on_track",
        "6 hari lagi",
    )


def test_the_warning_share_turns_the_badge_amber() -> None:
    deadline = TUESDAY_9 + timedelta(days=2)
    assert _badge(_case(TimeUnit.DAYS, deadline, warning_at=TUESDAY_9 - timedelta(hours=1)))[0] == "warning"
    assert _badge(_case(TimeUnit.DAYS, deadline, state=SlaState.WARNING))[0] == "warning"
    assert _badge(_case(TimeUnit.DAYS, deadline, warning_at=TUESDAY_9 + timedelta(hours=1)))[0] == "on_track"


def test_paused_finished_and_not_started_clocks_say_so() -> None:
    assert _badge(_case(TimeUnit.WORKING_DAYS, None, state=SlaState.PAUSED)) == (
        "paused",
        "dijeda: menunggu pemohon",
    )
    assert _badge(_case(TimeUnit.WORKING_DAYS, None, state=SlaState.STOPPED)) == ("done", "selesai")
    completed = _case(TimeUnit.WORKING_DAYS, TUESDAY_9 - timedelta(days=3), status=CaseStatus.COMPLETED)
    assert _badge(completed) == ("done", "selesai")
    assert _badge(_case("", None, state=SlaState.NOT_STARTED)) == ("none", "belum berjalan")
