"""Billing codes, payment notices, settlements, Rp0 grants and download links.

Pure stdlib dataclasses that cross a boundary (workflow, activity, API), annotated without
``from __future__ import annotations`` so that the workflow sandbox decodes them. Add fields only with defaults:
running workflows must keep decoding what they already hold.
"""

from dataclasses import dataclass
from datetime import datetime


@dataclass
class PaymentNotice:
    """Signal sent by the SIMPONI webhook: the billing code was paid, with its NTPN."""

    billing_code: str
    ntpn: str
    paid_at: datetime


@dataclass
class LinkRequest:
    """Sent by the sale to PaymentActivities.create_link: a signed link to the data package."""

    case_id: str
    document_id: int
    sequence: int
    issued_at: datetime


@dataclass
class LinkRef:
    """A download link: its number within the case and its expiry (its token never enters a workflow)."""

    sequence: int
    expires_at: datetime


@dataclass
class BillingRequest:
    """Sent by the sale to PaymentActivities.issue_billing: a SIMPONI billing code for the amount."""

    case_id: str
    amount: int
    sequence: int
    issued_at: datetime


@dataclass
class Billing:
    """A SIMPONI billing code and when it expires."""

    billing_code: str
    expires_at: datetime


@dataclass
class Settlement:
    """Sent by the sale to PaymentActivities.settle: how the case was paid."""

    case_id: str
    method: str
    amount: int
    actor: str
    billing_code: str = ""
    ntpn: str = ""
    document_id: int | None = None
    status: str = "paid"
    reason: str = ""


@dataclass
class ZeroRupiahRequest:
    """Sent by the sale to PaymentActivities.grant_zero_rupiah: once per institution and dataset, on the
    institution's request letter. The institution travels as its id (``institution``, its name, is no longer sent)."""

    case_id: str
    institution: str
    datasets: list[str]
    granted_by: str
    institution_id: int | None = None
    request_letter_id: int | None = None
