"""Working days as BPS counts them: weekdays minus national holidays and cuti bersama, in office time."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from core.calendar import national_days_off, office_calendar

WIB_6202 = "Asia/Pontianak"
WITA_6302 = "Asia/Makassar"


def _deadline(zone: str, start: datetime, days: int, cuti_bersama_is_day_off: bool = True) -> datetime:
    calendar = office_calendar(
        timezone=zone, close_of_business="16:00", cuti_bersama_is_day_off=cuti_bersama_is_day_off, around=start
    )
    return calendar.add_working_days(start, days)


def test_ten_working_days_from_16_march_2026_cross_nyepi_and_idul_fitri() -> None:
    # 17 Mar is day 1; 18 (cuti), 19 (Nyepi), 20 (cuti), 23-24 (cuti) and 3 Apr (Good Friday) are off.
    deadline = _deadline(WIB_6202, datetime(2026, 3, 16, 2, 0, tzinfo=UTC), 10)
    assert deadline.isoformat() == "2026-04-07T16:00:00+07:00"
    assert deadline.astimezone(UTC) == datetime(2026, 4, 7, 9, 0, tzinfo=UTC)


def test_an_office_that_works_cuti_bersama_counts_those_days() -> None:
    deadline = _deadline(WIB_6202, datetime(2026, 3, 16, 2, 0, tzinfo=UTC), 10, cuti_bersama_is_day_off=False)
    assert deadline.date() == date(2026, 3, 31)  # 17, 18, 20, 23, 24, 25, 26, 27, 30, 31


def test_near_midnight_a_wita_office_is_already_on_the_next_day() -> None:
    start = datetime(2026, 3, 9, 16, 30, tzinfo=UTC)  # Mon 23:30 WIB, Tue 00:30 WITA
    wib = _deadline(WIB_6202, start, 1)
    wita = _deadline(WITA_6302, start, 1)
    assert wib.isoformat() == "2026-03-10T16:00:00+07:00"
    assert wita.isoformat() == "2026-03-11T16:00:00+08:00"


def test_holidays_are_named_in_indonesian_and_cuti_bersama_is_optional() -> None:
    with_cuti = national_days_off([2026])
    without_cuti = national_days_off([2026], cuti_bersama_is_day_off=False)
    assert "Nyepi" in with_cuti[date(2026, 3, 19)]
    assert date(2026, 3, 18) in with_cuti and date(2026, 3, 18) not in without_cuti


def test_working_days_used_counts_as_a_walk_over_the_days_would() -> None:
    """The count (weekdays less days off) agrees with walking day by day, over spans from hours to two years."""
    calendar = office_calendar(
        timezone="Asia/Jakarta",
        close_of_business="16:00",
        cuti_bersama_is_day_off=True,
        around=datetime(2026, 6, 1, tzinfo=UTC),
        years_ahead=2,
    )

    def walked(start: datetime, at: datetime) -> int:
        day, used = start.astimezone(calendar.zone).date(), 0
        while True:
            day += timedelta(days=1)
            if calendar.closing(day) > at:
                return used
            used += calendar.is_working_day(day)

    pick = random.Random(11)
    for _ in range(500):
        start = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=pick.randrange(0, 365 * 24 * 60))
        at = start + timedelta(minutes=pick.randrange(0, 2 * 365 * 24 * 60))
        assert calendar.working_days_used(start, at) == walked(start, at), (start, at)
    assert calendar.working_days_used(datetime(2026, 5, 1, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC)) == 0
