"""``pst demo sale|recommendation --office 6202``: one whole service through the HTTP API of a running
``make dev``.

The demos play every person (applicant or agency, officer, treasurer, operator, supervisor, examiner, and
SIMPONI), printing each step, and read what people would read in their mail from the outbox page of the
local SMTP server.
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


class Demo:
    """The people of one case, talking to the API at ``base_url``."""

    def __init__(self, base_url: str, office: str, settings: Settings, say: Callable[[str], None] = print) -> None:
        self.http = httpx.Client(base_url=base_url, timeout=30)
        self.office = office
        self.settings = settings
        self.say = say
        secret = settings.secret_key.get_secret_value()
        self.staff = {
            role: (demo_email(role, office), demo_password(secret, demo_email(role, office)))
            for role in ("officer", "treasurer", "operator", "supervisor", "examiner", "administrator")
        }
        self.applicant = (f"demo-{uuid.uuid4().hex[:8]}@example.com", "demo-pemohon-2026")
        self.tokens: dict[str, str] = {}

    def bearer(self, login: tuple[str, str]) -> dict[str, str]:
        """The Authorization header of ``login`` (email, password): each person signs in once for a token."""
        email, password = login
        if email not in self.tokens:
            signed_in = self.call("POST", "/api/v1/auth/token", data={"username": email, "password": password})
            self.tokens[email] = str(signed_in["access_token"])
        return {"Authorization": f"Bearer {self.tokens[email]}"}

    def call(
        self, method: str, path: str, auth: tuple[str, str] | httpx.Auth | None = None, **kwargs: Any
    ) -> dict[str, Any]:
        """One request; a (email, password) login signs in once for a bearer token, an httpx.Auth is used as is."""
        if isinstance(auth, tuple):
            kwargs["headers"] = {**kwargs.get("headers", {}), **self.bearer(auth)}
            auth = None
        response = self.http.request(method, path, auth=auth, **kwargs)
        if response.status_code >= 400:
            raise DemoError(f"{method} {path} → {response.status_code}: {response.text}")
        return dict(response.json()) if response.content else {}

    def wait_for(self, case_id: str, step: str) -> None:
        deadline = time.monotonic() + WAIT_SECONDS
        while self.call("GET", self.status_path(case_id), auth=self.staff["officer"])["step"] != step:
            if time.monotonic() > deadline:
                raise DemoError(f"{case_id} did not reach step {step} in {WAIT_SECONDS:.0f}s: is the worker running?")
            time.sleep(0.3)

    def from_outbox(self, pattern: str, to: str) -> str:
        """The first match of ``pattern`` in a mail to ``to`` kept by the local SMTP server."""
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            outbox = self.http.get("/staff/outbox", headers=self.bearer(self.staff["administrator"]))  # theirs to read
            page = html.unescape(outbox.text)
            for mail in re.findall(r"<article.*?</article>", page, flags=re.DOTALL):
                found = re.search(pattern, mail) if f"Kepada {to}" in mail else None
                if found:
                    return found.group(1)
            time.sleep(0.3)
        raise DemoError(f"no mail matching {pattern!r} on /staff/outbox (is PST_SHOW_OUTBOX on?)")

    def status_path(self, case_id: str) -> str:
        return f"/api/v1/cases/{case_id}"

    def run(self) -> str:
        """The whole service; returns what the applicant finally gets (a link, a letter number)."""
        raise NotImplementedError

    def register(self, segment: str, institution: str) -> str:
        """Register the applicant and follow the mailed verification link; their email."""
        email, password = self.applicant
        self.call(
            "POST",
            "/api/v1/applicants",
            json={
                "name": "Pemohon Demo",
                "email": email,
                "password": password,
                "institution": institution,
                "segment": segment,
            },
        )
        token = self.from_outbox(r"verify-email\?token=([\w.\-]+)", to=email)
        self.call("POST", "/api/v1/applicants/verify", json={"token": token})
        return email


class SaleDemo(Demo):
    """One online sale: applicant, officer, treasurer and SIMPONI."""

    def run(self) -> str:
        """The whole sale; returns the download link."""
        email = self.register("education", "Universitas Demo")
        self.say(f"1. pemohon {email} terdaftar dan emailnya terverifikasi")
        return self.serve(self.submit())

    def submit(self) -> str:
        """The registered applicant's request with its abstract, now waiting on the officer; its case id."""
        case = self.call(
            "POST",
            "/api/v1/sales",
            auth=self.applicant,
            json={
                "office_code": self.office,
                "channel": "online",
                "items": [{"kind": "microdata", "name": "Susenas Maret 2025"}],
                "abstract": "Penelitian tentang pengeluaran rumah tangga untuk tugas akhir.",
            },
        )
        case_id = case["id"]
        base = f"/api/v1/sales/{case_id}"
        self.wait_for(case_id, "completeness")
        self.call(
            "POST",
            f"{base}/documents",
            auth=self.applicant,
            params={"kind": "abstract"},
            files={"file": ("abstraksi.pdf", PDF)},
        )
        self.say(f"2. permintaan {case_id} diajukan dengan abstraksi (PDF)")
        return str(case_id)

    def serve(self, case_id: str) -> str:
        """Officer, applicant, SIMPONI and treasurer from the completeness check to delivery; the download link."""
        base, email = f"/api/v1/sales/{case_id}", self.applicant[0]
        officer, treasurer = self.staff["officer"], self.staff["treasurer"]
        self.call("POST", f"{base}/completeness", auth=officer, json={"complete": True})
        self.call("POST", f"{base}/abstract-review", auth=officer, json={"decision": "approve"})
        sample = self.call(
            "POST",
            f"{base}/documents",
            auth=officer,
            params={"kind": "sample"},
            files={"file": ("contoh.csv", b"id,umur\n1,30\n")},
        )
        offer = self.call(
            "POST",
            f"{base}/offer",
            auth=officer,
            json={
                "lines": [{"item": "Susenas Maret 2025", "tariff_code": "microdata", "quantity": 1_500_000}],
                "sample_document_id": sample["id"],
            },
        )
        self.say(f"3. petugas: lengkap, abstraksi sesuai, contoh data dan invoice dikirim → {offer['step_label']}")

        self.call("POST", f"{base}/sample-review", auth=self.applicant, json={"accept": True})
        code = self.from_outbox(rf"Kode billing pembayaran permintaan {case_id}: (\d{{15}})", to=email)
        self.say(f"4. pemohon menerima contoh data; kode billing SIMPONI {code}")
        secret = {"X-Simponi-Secret": self.settings.simponi_webhook_secret.get_secret_value()}
        notice = {"billing_code": code, "ntpn": "DEMO1234NTPN5678", "paid_at": "2026-01-01T00:00:00Z"}
        self.call("POST", "/api/v1/payments/simponi/notify", headers=secret, json=notice)
        self.wait_for(case_id, "sppd")
        self.say("5. SIMPONI: dibayar (NTPN DEMO1234NTPN5678)")

        self.call(
            "POST",
            f"{base}/documents",
            auth=self.applicant,
            params={"kind": "sppd_signed"},
            files={"file": ("sppd-emeterai.pdf", PDF)},
        )
        self.call("POST", f"{base}/sppd-review", auth=officer, json={"accept": True})
        receipt = self.call("POST", f"{base}/receipt", auth=treasurer)
        self.say(f"6. SPPD e-meterai diterima; bendahara menerbitkan kuitansi {receipt['detail']}")

        package = self.call(
            "POST",
            f"{base}/documents",
            auth=officer,
            params={"kind": "data_package"},
            files={"file": ("susenas-2025.zip", b"PK\x03\x04demo")},
        )
        delivered = self.call("POST", f"{base}/delivery", auth=officer, json={"document_id": package["id"]})
        link = f"{str(self.http.base_url).rstrip('/')}/api/v1/downloads/{delivered['detail']}"
        self.say(f"7. data dikirim: {link}")
        self.say(f"8. {delivered['step_label']} (tautan ulang dengan kuitansi {receipt['detail']})")
        return link


class RecommendationDemo(Demo):
    """One FS3: the agency, the operator, the supervisor and the examiner, with one revision round."""

    def status_path(self, case_id: str) -> str:
        return f"/api/v1/recommendations/{case_id}"

    def run(self) -> str:
        """Submission, one revision, the recommendation; returns the letter number."""
        email = self.register("government", "Dinas Kesehatan (demo)")
        self.say(f"1. instansi {email} terdaftar dan emailnya terverifikasi")
        request = {"office_code": self.office, "unit": "Bidang Kesehatan Masyarakat", "fs3": DEMO_FS3}
        case = self.call("POST", "/api/v1/recommendations", auth=self.applicant, json=request)
        case_id = case["id"]
        base = f"/api/v1/recommendations/{case_id}"
        self.wait_for(case_id, "completeness")
        self.say(f"2. FS3 {case_id} diajukan secara elektronik")
        self.call("POST", f"{base}/completeness", auth=self.staff["operator"], json={"complete": True})
        examiner = self.staff["examiner"][0]
        self.call("POST", f"{base}/assign", auth=self.staff["supervisor"], json={"examiner_email": examiner})
        self.say(f"3. operator: terekam lengkap (tenggat berjalan); supervisor menunjuk {examiner}")
        notes = "Lengkapi definisi operasional variabel imunisasi."
        self.call("POST", f"{base}/examination", auth=self.staff["examiner"], json={"recommend": False, "notes": notes})
        self.say(f"4. pemeriksa mengembalikan FS3 untuk perbaikan: {notes}")
        revised = {**DEMO_FS3, "objectives": DEMO_FS3["objectives"] + " Definisi operasional dilengkapi."}
        self.call("POST", f"{base}/resubmit", auth=self.applicant, json={"fs3": revised, "note": "Sudah diperbaiki"})
        self.say("5. instansi mengirim FS3 perbaikan: pemeriksaan baru dengan tenggat baru")
        letter = self.call("POST", f"{base}/examination", auth=self.staff["examiner"], json={"recommend": True})
        self.say(f"6. rekomendasi terbit: {letter['detail']} (surat: {base}/letter)")
        return str(letter["detail"])


DEMO_FS3: dict[str, Any] = {
    "title": "Survei Imunisasi Anak (demo)",
    "year": 2027,
    "organiser_unit": "Bidang Kesehatan Masyarakat",
    "organiser_address": "Jl. Demo No. 1",
    "organiser_phone": "0531-000000",
    "organiser_email": "kesmas@example.com",
    "regency": "Kotawaringin Timur",
    "province": "Kalimantan Tengah",
    "contact_person": {"name": "Rina", "position": "Kepala Seksi", "phone": "0531-000000", "email": "rina@example.com"},
    "survey_manager": {
        "name": "Andi",
        "position": "Kepala Bidang",
        "phone": "0531-000001",
        "email": "andi@example.com",
    },
    "occurrence": "one_off",
    "collection_type": "cross_sectional",
    "method": "survey",
    "sector": "Kesehatan",
    "objectives": "Mengukur cakupan imunisasi dasar lengkap.",
    "schedule_start": "2027-03-01",
    "schedule_end": "2027-04-30",
    "variables": [
        {
            "name": "Imunisasi",
            "concept": "Imunisasi dasar lengkap",
            "definition": "Anak 12-23 bulan yang menerima imunisasi dasar lengkap",
            "reference_period": "Saat pencacahan",
        }
    ],
}
DEMOS: dict[str, type[Demo]] = {"sale": SaleDemo, "recommendation": RecommendationDemo}


def run_demo(service: str, base_url: str, office: str, settings: Settings, say: Callable[[str], None] = print) -> int:
    """Run the demo of ``service``; 0 when it reached its end, 1 with the reason otherwise."""
    try:
        DEMOS[service](base_url, office, settings, say).run()
    except (DemoError, httpx.HTTPError) as error:
        say(f"demo berhenti: {error}")
        return 1
    return 0
