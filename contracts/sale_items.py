"""The items of a sale as they cross into a workflow (the one revision of the request) and back to the record.

Pure stdlib dataclasses annotated without ``from __future__ import annotations`` so that the workflow sandbox decodes
them. Add fields only with defaults.
"""

from dataclasses import dataclass, field


@dataclass
class RevisedItem:
    """One item of the request as the applicant revised it: a catalogue row (dataset, map, publication) by id, with
    the variables' codes or the map's level, its name and the units that price it; never anything about a person."""

    kind: str
    name: str
    variables: list[str] = field(default_factory=list)
    level: str | None = None
    dataset_id: int | None = None
    map_id: int | None = None
    publication_id: int | None = None
    quantity: int | None = None


@dataclass
class ItemsRevision:
    """Part of a step: the request's items replaced by the revised ones (the next offer, invoice and SPPD list them)."""

    case_id: str
    items: list[RevisedItem]
