"""``pst demo sale --office 6202``: one whole online sale through the HTTP API of a running ``make dev``.

It plays the applicant, the officer, the treasurer and SIMPONI, printing each step, and reads what
people would read in their mail from the outbox page of the local SMTP server.
"""

from __future__ import annotations

import html
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

import httpx

from core.security import demo_password
from core.seeding import demo_email
from core.settings import Settings

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
WAIT_SECONDS = 60.0


class DemoError(Exception):
    """The demo could not go on; the message says where and why."""


class SaleDemo:
    """The people of one sale, talking to the API at ``base_url``."""

    def __init__(self, base_url: str, office: str, settings: Settings, say: Callable[[str], None] = print) -> None:
        self.http = httpx.Client(base_url=base_url, timeout=30)
        self.office = office
        self.settings = settings
        self.say = say
        secret = settings.secret_key.get_secret_value()
        self.staff = {role: (demo_email(role, office), demo_password(secret, demo_email(role, office)))
                      for role in ("officer", "treasurer")}  # fmt: skip
        self.applicant = (f"demo-{uuid.uuid4().hex[:8]}@example.com", "demo-pemohon-2026")

    def call(self, method: str, path: str, auth: tuple[str, str] | None = None, **kwargs: Any) -> dict[str, Any]:
        response = self.http.request(method, path, auth=auth, **kwargs)
        if response.status_code >= 400:
            raise DemoError(f"{method} {path} → {response.status_code}: {response.text}")
        return dict(response.json()) if response.content else {}

    def wait_for(self, case_id: str, step: str) -> None:
        deadline = time.monotonic() + WAIT_SECONDS
        while self.call("GET", f"/api/v1/cases/{case_id}", auth=self.staff["officer"])["step"] != step:
            if time.monotonic() > deadline:
                raise DemoError(f"{case_id} did not reach step {step} in {WAIT_SECONDS:.0f}s: is the worker running?")
            time.sleep(0.3)

    def from_outbox(self, pattern: str, to: str) -> str:
        """The first match of ``pattern`` in a mail to ``to`` kept by the local SMTP server."""
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            page = html.unescape(self.http.get("/staff/outbox").text)
            for mail in re.findall(r"<article.*?</article>", page, flags=re.DOTALL):
                found = re.search(pattern, mail) if f"Kepada {to}" in mail else None
                if found:
                    return found.group(1)
            time.sleep(0.3)
        raise DemoError(f"no mail matching {pattern!r} on /staff/outbox (is PST_SHOW_OUTBOX on?)")

    def run(self) -> str:
        """The whole sale; returns the download link."""
        email, password = self.applicant
        self.call("POST", "/api/v1/applicants", json={
            "name": "Pemohon Demo", "email": email, "password": password, "institution": "Universitas Demo",
            "segment": "education",
        })  # fmt: skip
        token = self.from_outbox(r"verify-email\?token=([\w.\-]+)", to=email)
        self.call("POST", "/api/v1/applicants/verify", json={"token": token})
        self.say(f"1. pemohon {email} terdaftar dan emailnya terverifikasi")

        case = self.call("POST", "/api/v1/sales", auth=self.applicant, json={
            "office_code": self.office, "channel": "online",
            "items": [{"kind": "microdata", "name": "Susenas Maret 2025"}],
            "abstract": "Penelitian tentang pengeluaran rumah tangga untuk tugas akhir.",
        })  # fmt: skip
        case_id = case["id"]
        base = f"/api/v1/sales/{case_id}"
        self.wait_for(case_id, "completeness")
        self.call("POST", f"{base}/documents", auth=self.applicant, params={"kind": "abstract"},
                  files={"file": ("abstraksi.pdf", PDF)})  # fmt: skip
        self.say(f"2. permintaan {case_id} diajukan dengan abstraksi (PDF)")

        officer, treasurer = self.staff["officer"], self.staff["treasurer"]
        self.call("POST", f"{base}/completeness", auth=officer, json={"complete": True})
        self.call("POST", f"{base}/abstract-review", auth=officer, json={"decision": "approve"})
        sample = self.call("POST", f"{base}/documents", auth=officer, params={"kind": "sample"},
                           files={"file": ("contoh.csv", b"id,umur\n1,30\n")})  # fmt: skip
        offer = self.call("POST", f"{base}/offer", auth=officer, json={
            "lines": [{"item": "Susenas Maret 2025", "tariff_code": "microdata", "quantity": 1_500_000}],
            "sample_document_id": sample["id"],
        })  # fmt: skip
        self.say(f"3. petugas: lengkap, abstraksi sesuai, contoh data dan invoice dikirim → {offer['step_label']}")

        self.call("POST", f"{base}/sample-review", auth=self.applicant, json={"accept": True})
        code = self.from_outbox(rf"Kode billing pembayaran permintaan {case_id}: (\d{{15}})", to=email)
        self.say(f"4. pemohon menerima contoh data; kode billing SIMPONI {code}")
        secret = {"X-Simponi-Secret": self.settings.simponi_webhook_secret.get_secret_value()}
        notice = {"billing_code": code, "ntpn": "DEMO1234NTPN5678", "paid_at": "2026-01-01T00:00:00Z"}
        self.call("POST", "/api/v1/payments/simponi/notify", headers=secret, json=notice)
        self.wait_for(case_id, "sppd")
        self.say("5. SIMPONI: dibayar (NTPN DEMO1234NTPN5678)")

        self.call("POST", f"{base}/documents", auth=self.applicant, params={"kind": "sppd_signed"},
                  files={"file": ("sppd-emeterai.pdf", PDF)})  # fmt: skip
        self.call("POST", f"{base}/sppd-review", auth=officer, json={"accept": True})
        receipt = self.call("POST", f"{base}/receipt", auth=treasurer)
        self.say(f"6. SPPD e-meterai diterima; bendahara menerbitkan kuitansi {receipt['detail']}")

        package = self.call("POST", f"{base}/documents", auth=officer, params={"kind": "data_package"},
                            files={"file": ("susenas-2025.zip", b"PK\x03\x04demo")})  # fmt: skip
        delivered = self.call("POST", f"{base}/delivery", auth=officer, json={"document_id": package["id"]})
        link = f"{str(self.http.base_url).rstrip('/')}/api/v1/downloads/{delivered['detail']}"
        self.say(f"7. data dikirim: {link}")
        self.say(f"8. {delivered['step_label']} (tautan ulang dengan kuitansi {receipt['detail']})")
        return link


def run_sale_demo(base_url: str, office: str, settings: Settings, say: Callable[[str], None] = print) -> int:
    """Run the demo; 0 when the link was delivered, 1 with the reason otherwise."""
    try:
        SaleDemo(base_url, office, settings, say).run()
    except (DemoError, httpx.HTTPError) as error:
        say(f"demo berhenti: {error}")
        return 1
    return 0
