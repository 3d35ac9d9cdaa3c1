"""The office's catalogue: the microdata datasets (survey, year, level, variables), the wilkerstat maps and the
publications an administrator maintains; what an applicant chooses from it as the items of a sale, each with the
tariff and the units that price it; and the price estimate, by the same function the invoice uses."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.case_details import RequestedItem
from core.i18n import ENGLISH, N_, using_language
from core.i18n import gettext as _
from core.models import CatalogueDataset, CatalogueMap, CataloguePublication
from core.pricing import Priced, price_lines

VARIABLE_CODE = re.compile(r"^[A-Za-z0-9_]{1,32}$")  # a form field's name carries it: no dots, no spaces
LEVELS = ("kecamatan", "desa")


class CatalogueRefused(ValueError):
    """An item that is not in the office's catalogue: ``field`` names the item's field (``items.0.dataset_id``);
    the message in the language of the moment, and in English."""

    def __init__(self, field: str, message: str, message_en: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message
        self.message_en = message_en


def _refused(field: str, message: str, **values: str) -> CatalogueRefused:
    """A refusal of ``field`` with ``message`` (marked with N_) said in the language of the moment and in English."""
    said = _(message) % values if values else _(message)
    with using_language(ENGLISH):
        english = _(message) % values if values else _(message)
    return CatalogueRefused(field, said, english)


class ItemAsked(Protocol):
    """An item as asked (the API's SaleItemIn): a catalogue row by id, or a name in words."""

    @property
    def kind(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def variables(self) -> list[str]: ...
    @property
    def level(self) -> str | None: ...
    @property
    def dataset_id(self) -> int | None: ...
    @property
    def map_id(self) -> int | None: ...
    @property
    def publication_id(self) -> int | None: ...


@dataclass(frozen=True)
class Catalogue:
    """What one office offers."""

    datasets: Sequence[CatalogueDataset]
    maps: Sequence[CatalogueMap]
    publications: Sequence[CataloguePublication]

    def dataset(self, dataset_id: int | None) -> CatalogueDataset | None:
        return next((row for row in self.datasets if row.id == dataset_id), None)

    def map(self, map_id: int | None) -> CatalogueMap | None:
        return next((row for row in self.maps if row.id == map_id), None)

    def publication(self, publication_id: int | None) -> CataloguePublication | None:
        return next((row for row in self.publications if row.id == publication_id), None)


async def office_catalogue(session: AsyncSession, office_code: str, *, active_only: bool = True) -> Catalogue:
    """The office's catalogue, datasets by survey and year, maps by area, publications newest first."""

    async def rows(model: Any, *order: Any) -> Sequence[Any]:
        query = select(model).where(model.office_code == office_code)
        if active_only:
            query = query.where(model.active.is_(True))
        return (await session.scalars(query.order_by(*order, model.id))).all()

    return Catalogue(
        datasets=await rows(CatalogueDataset, CatalogueDataset.survey, CatalogueDataset.year.desc()),
        maps=await rows(CatalogueMap, CatalogueMap.id),
        publications=await rows(CataloguePublication, CataloguePublication.year.desc(), CataloguePublication.title),
    )


def dataset_title(dataset: CatalogueDataset) -> str:
    """A dataset as a person reads it, e.g. 'Susenas Maret 2024 (level kabupaten)'."""
    return f"{dataset.survey} {dataset.year} (level {dataset.level})"


def variable_codes(dataset: CatalogueDataset) -> list[str]:
    """The dataset's variable codes, in its order."""
    return [str(variable["code"]) for variable in dataset.variables]


def dataset_bytes(dataset: CatalogueDataset, chosen: Sequence[str]) -> int:
    """The bytes that price a dataset: the full set's size, or its share for the variables chosen."""
    total = len(dataset.variables)
    if not chosen or not total:
        return max(dataset.size_bytes, 1)
    return max(-(-dataset.size_bytes * len(chosen) // total), 1)  # ceiling


def resolve_items(catalogue: Catalogue, items: Sequence[ItemAsked]) -> list[RequestedItem]:
    """The items asked as a sale stores them, each catalogue row checked against the office's catalogue (its name,
    its variables and its units taken from there); an item named in words stays as it was asked."""
    resolved: list[RequestedItem] = []
    for index, item in enumerate(items):
        where = f"items.{index}"
        if item.kind == "microdata" and item.dataset_id is not None:
            dataset = catalogue.dataset(item.dataset_id)
            if dataset is None:
                raise _refused(f"{where}.dataset_id", N_("Dataset ini tidak ada dalam katalog kantor yang dipilih."))
            codes = variable_codes(dataset)
            unknown = [code for code in item.variables if code not in codes]
            if unknown:
                raise _refused(
                    f"{where}.variables",
                    N_("Variabel %(codes)s tidak ada dalam dataset %(dataset)s."),
                    codes=", ".join(unknown),
                    dataset=dataset_title(dataset),
                )
            chosen = [code for code in codes if code in set(item.variables)]
            chosen = [] if len(chosen) == len(codes) else chosen  # every variable: the full set
            resolved.append(
                RequestedItem(
                    kind="microdata",
                    name=dataset_title(dataset),
                    variables=chosen,
                    dataset_id=dataset.id,
                    quantity=dataset_bytes(dataset, chosen),
                )
            )
        elif item.kind == "map" and item.map_id is not None:
            area = catalogue.map(item.map_id)
            if area is None:
                raise _refused(f"{where}.map_id", N_("Peta ini tidak ada dalam katalog kantor yang dipilih."))
            name = f"{area.area} {area.year}"
            resolved.append(
                RequestedItem.model_validate(
                    {"kind": "map", "name": name, "level": item.level or "kecamatan", "map_id": area.id, "quantity": 1}
                )
            )
        elif item.kind == "publication" and item.publication_id is not None:
            publication = catalogue.publication(item.publication_id)
            if publication is None:
                raise _refused(
                    f"{where}.publication_id", N_("Publikasi ini tidak ada dalam katalog kantor yang dipilih.")
                )
            resolved.append(
                RequestedItem(
                    kind="publication",
                    name=publication.title,
                    publication_id=publication.id,
                    quantity=max(publication.pages, 1),
                )
            )
        else:
            level = item.level if item.level in LEVELS else None
            asked = {"kind": item.kind, "name": item.name, "level": level, "variables": list(item.variables)}
            resolved.append(RequestedItem.model_validate(asked))
    return resolved


def tariff_code_for(item: RequestedItem) -> str:
    """The PNBP tariff of an item: a dataset, a publication, or a map of one regency or of Indonesia by level."""
    if item.kind == "map":
        scope = "national" if "indonesia" in item.name.lower() else "regency"
        return f"map_{scope}_{item.level or 'desa'}"
    return item.kind  # "microdata" or "publication": the tariff codes are the kinds' names


@dataclass
class _Line:
    item: str
    tariff_code: str
    quantity: int


async def estimate(session: AsyncSession, items: Sequence[RequestedItem]) -> list[Priced]:
    """Each item priced with the active tariffs as the invoice will price it (core.pricing.price_lines); an item
    named in words, whose units the officer counts, at the tariff's least."""
    lines = [_Line(item.label()[:200], tariff_code_for(item), item.quantity or 1) for item in items]
    return await price_lines(session, lines, zero_rupiah=False)
