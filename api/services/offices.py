"""Offices for the public: the list, and one office's contacts with its published service standards, item by item
in the language of the page; and an administrator's edit of a standard's items."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.admin_schemas import ServiceStandardIn
from api.errors import FieldInvalid
from api.services.cases import get_office
from api.services.office_admin import standard_of
from api.services.tariffs import describe
from core.enums import SERVICE_LABELS, Channel, Service, TimeUnit
from core.formatting import zone_label
from core.i18n import ENGLISH, N_, Labels, current_language
from core.i18n import gettext as _
from core.models import Office, ServiceStandard, StaffAccount, StandardItem, Tariff
from core.standards_seed import SECTIONS

TIME_UNIT_LABELS: Labels[str] = Labels(
    {TimeUnit.WORKING_DAYS: N_("hari kerja"), TimeUnit.DAYS: N_("hari"), TimeUnit.MINUTES: N_("menit")}
)
SECTION_LABELS: Labels[str] = Labels(
    {
        "requirement": N_("Persyaratan"),
        "procedure": N_("Sistem, mekanisme dan prosedur"),
        "time": N_("Jangka waktu penyelesaian"),
        "fee": N_("Biaya/tarif"),
        "product": N_("Produk layanan"),
        "complaint": N_("Penanganan pengaduan, saran dan masukan"),
    }
)
CHANNEL_LABELS: Labels[str] = Labels(
    {"": N_("Semua layanan"), Channel.WALK_IN: N_("Layanan datang langsung"), Channel.ONLINE: N_("Layanan online")}
)
_SERVICE_ORDER = {service.value: position for position, service in enumerate(Service)}
_CHANNEL_ORDER = {"": 0, Channel.WALK_IN.value: 1, Channel.ONLINE.value: 2}
ORDERED_LISTS = ("requirement", "procedure")  # numbered lists (ol); the other sections are plain lists


@dataclass(frozen=True)
class TariffLine:
    """One active PNBP tariff line as the public reads it."""

    name: str
    description: str


@dataclass(frozen=True)
class ItemGroup:
    """One list of a section: all of it, or its walk-in or online part (``label`` empty for a single list)."""

    channel: str
    label: str
    items: list[str]


@dataclass(frozen=True)
class SectionView:
    """One component of a standard (requirements, procedure, ...) with its lists."""

    section: str
    heading: str
    ordered: bool
    groups: list[ItemGroup]


@dataclass(frozen=True)
class StandardView:
    """One service standard of an office, in the page's language."""

    standard: ServiceStandard
    label: str
    title: str
    decree: str
    time_limit: str
    sections: list[SectionView]
    tariffs: list[TariffLine] = field(default_factory=list)


@dataclass(frozen=True)
class OfficeView:
    """An office, the name of its time zone, and its service standards ordered by service."""

    office: Office
    zone: str
    standards: list[StandardView]


_DECREE = re.compile(r"^(?:sk\s+)?(?:nomor\s+|no\.?\s+)?(?P<number>.+?)\s+tahun\s+(?P<year>\d{4})$", re.IGNORECASE)


def decree_text(decree_number: str) -> str:
    """``006.01 Tahun 2024`` or ``Nomor 006.01 Tahun 2024`` → ``SK Nomor 006.01 Tahun 2024`` (``Decree (SK) No.
    006.01 of 2024`` in English); empty stays empty, any other wording is shown as written."""
    number = " ".join(decree_number.split())
    if not number:
        return ""
    found = _DECREE.match(number)
    if found is None:
        return number
    return _("SK Nomor %(number)s Tahun %(year)s") % {"number": found["number"], "year": found["year"]}


def time_limit_text(time_limit: int, time_unit: str) -> str:
    """``10``, ``working_days`` → ``10 hari kerja`` (``10 working days`` in English)."""
    unit = TIME_UNIT_LABELS[time_unit] if time_unit in TIME_UNIT_LABELS else time_unit
    return f"{time_limit} {unit}"


def item_text(item: StandardItem) -> str:
    """An item in the page's language: its English on an English page where it has one, else as published."""
    return item.text_en if current_language() == ENGLISH and item.text_en else item.text


def standard_title(standard: ServiceStandard) -> str:
    """A standard's title in the page's language."""
    return standard.title_en if current_language() == ENGLISH and standard.title_en else standard.title


def grouped(items: list[StandardItem]) -> dict[str, dict[str, list[StandardItem]]]:
    """Items by section (in ``SECTIONS`` order), then by channel (all, walk-in, online), each list in order."""
    ordered = sorted(items, key=lambda item: (_CHANNEL_ORDER.get(item.channel, 3), item.channel, item.position))
    by_section: dict[str, dict[str, list[StandardItem]]] = {section: {} for section in SECTIONS}
    for item in ordered:
        by_section.setdefault(item.section, {}).setdefault(item.channel, []).append(item)
    return by_section


def _sections(items: list[StandardItem]) -> list[SectionView]:
    sections: list[SectionView] = []
    for section, channels in grouped(items).items():
        groups = [
            ItemGroup(
                channel=channel,
                label=CHANNEL_LABELS[channel] if channel and channel in CHANNEL_LABELS else "",
                items=[item_text(item) for item in lines],
            )
            for channel, lines in channels.items()
        ]
        if groups:
            heading = SECTION_LABELS[section] if section in SECTION_LABELS else section
            sections.append(SectionView(section, heading, section in ORDERED_LISTS, groups))
    return sections


async def items_of(session: AsyncSession, standard_ids: list[int]) -> dict[int, list[StandardItem]]:
    """The items of some standards, by standard (one indexed query)."""
    found: dict[int, list[StandardItem]] = {standard_id: [] for standard_id in standard_ids}
    if standard_ids:
        rows = await session.scalars(select(StandardItem).where(StandardItem.standard_id.in_(standard_ids)))
        for item in rows:
            found[item.standard_id].append(item)
    return found


async def office_page(*, session: AsyncSession, office_code: str) -> OfficeView:
    """The office's contacts and its service standards (the sale with its active tariffs), or NotFound."""
    office = await get_office(session=session, office_code=office_code)
    rows = (await session.scalars(select(ServiceStandard).where(ServiceStandard.office_code == office.code))).all()
    standards = sorted(rows, key=lambda row: (_SERVICE_ORDER.get(row.service, len(_SERVICE_ORDER)), row.service))
    items = await items_of(session, [row.id for row in standards])
    tariffs: list[TariffLine] = []
    if any(row.service == Service.SALE for row in standards):
        active = await session.scalars(
            select(Tariff).where(Tariff.active.is_(True)).order_by(Tariff.base_price, Tariff.code)
        )
        tariffs = [TariffLine(name=_(tariff.name), description=describe(tariff)) for tariff in active]
    return OfficeView(
        office=office,
        zone=zone_label(office.timezone),
        standards=[
            StandardView(
                standard=row,
                label=SERVICE_LABELS[row.service] if row.service in SERVICE_LABELS else standard_title(row),
                title=standard_title(row),
                decree=decree_text(row.decree_number),
                time_limit=time_limit_text(row.time_limit, row.time_unit),
                sections=_sections(items[row.id]),
                tariffs=tariffs if row.service == Service.SALE else [],
            )
            for row in standards
        ],
    )


# ---------------------------------------------------------------- an administrator's edit


def field_name(section: str, channel: str, english: bool = False) -> str:
    """The form field of one list: ``requirement-walk_in`` (Indonesian), ``requirement-walk_in-en`` (English)."""
    return f"{section}-{channel or 'all'}{'-en' if english else ''}"


def editable_groups(items: list[StandardItem]) -> list[tuple[str, str]]:
    """The (section, channel) lists an administrator edits: those the standard has, and a single list for a
    section it has none of."""
    groups: list[tuple[str, str]] = []
    for section, channels in grouped(items).items():
        groups += [(section, channel) for channel in channels] or [(section, "")]
    return groups


def form_lists(items: list[StandardItem]) -> dict[str, str]:
    """A standard's items as the edit form's textareas: one item per line, the English in its own field."""
    values: dict[str, str] = {}
    by_section = grouped(items)
    for section, channel in editable_groups(items):
        lines = by_section.get(section, {}).get(channel, [])
        values[field_name(section, channel)] = "\n".join(item.text for item in lines)
        values[field_name(section, channel, english=True)] = "\n".join(item.text_en for item in lines)
    return values


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def items_from_form(groups: list[tuple[str, str]], values: Mapping[str, str]) -> list[tuple[str, str, str, str]]:
    """(section, channel, text, English) of every line of the form's lists; an English list must have as many
    lines as its Indonesian one (FieldInvalid beside it), or none at all."""
    parsed: list[tuple[str, str, str, str]] = []
    for section, channel in groups:
        texts = _lines(values.get(field_name(section, channel), ""))
        english = _lines(values.get(field_name(section, channel, english=True), ""))
        if english and len(english) != len(texts):
            raise FieldInvalid(
                field_name(section, channel, english=True),
                _("Tulis satu terjemahan per baris: %(expected)d baris, sama dengan teks bahasa Indonesia di atasnya.")
                % {"expected": len(texts)},
            )
        parsed += [(section, channel, text, english[index] if english else "") for index, text in enumerate(texts)]
    return parsed


async def standard_form(
    *, session: AsyncSession, staff: StaffAccount, standard_id: int
) -> tuple[ServiceStandard, list[StandardItem]]:
    """One standard of the administrator's office with its items, for the edit form."""
    standard = await standard_of(session=session, staff=staff, standard_id=standard_id)
    return standard, (await items_of(session, [standard.id]))[standard.id]


async def save_standard(
    *,
    session: AsyncSession,
    staff: StaffAccount,
    standard_id: int,
    changes: ServiceStandardIn,
    values: Mapping[str, str],
) -> ServiceStandard:
    """A standard's title, decree, time limit (it counts for new clocks) and every list of items, in one commit."""
    standard, items = await standard_form(session=session, staff=staff, standard_id=standard_id)
    lines = items_from_form(editable_groups(items), values)
    for name, value in changes.model_dump().items():
        setattr(standard, name, value)
    await session.execute(delete(StandardItem).where(StandardItem.standard_id == standard.id))
    positions: dict[tuple[str, str], int] = {}
    rows = []
    for section, channel, text, english in lines:
        positions[(section, channel)] = positions.get((section, channel), 0) + 1
        position = positions[(section, channel)]
        rows.append(
            {"standard_id": standard.id, "section": section, "channel": channel}
            | {"position": position, "text": text, "text_en": english}
        )
    if rows:
        await session.execute(insert(StandardItem), rows)
    await session.commit()
    return standard
