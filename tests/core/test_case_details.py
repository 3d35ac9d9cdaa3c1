"""Case details are read and written through one typed model per service."""

from __future__ import annotations

import pytest

from core.case_details import RequestedItem, SaleDetails, VisitDetails, sale_details, save_details, visit_details
from core.models import Case


def _case(service: str, details: dict[str, object]) -> Case:
    return Case(id=f"{service}-6202-2026-000001", service=service, details=details)


def test_a_sale_reads_its_items_and_writes_its_fee_back_whole() -> None:
    case = _case("sale", {"items": [{"kind": "map", "name": "Kab. Kotawaringin Timur", "level": "desa"}]})
    details = sale_details(case)
    assert details.items == [RequestedItem(kind="map", name="Kab. Kotawaringin Timur", level="desa")]
    assert details.items[0].label() == "Peta digital wilkerstat Kab. Kotawaringin Timur (per desa)"
    details.fee = 36_000
    save_details(case, details)
    assert case.details["fee"] == 36_000 and case.details["items"][0]["level"] == "desa"
    assert sale_details(case).kinds() == ["map"]


def test_another_service_or_model_is_refused() -> None:
    visit = _case("visit", {"queue_number": "K-001"})
    assert visit_details(visit).queue_number == "K-001"
    with pytest.raises(ValueError, match="is a visit"):
        sale_details(visit)
    with pytest.raises(ValueError, match="VisitDetails"):
        save_details(visit, SaleDetails())
    save_details(visit, VisitDetails(queue_number="K-002", case_ids=["sale-6202-2026-000009"]))
    assert visit.details["case_ids"] == ["sale-6202-2026-000009"]
