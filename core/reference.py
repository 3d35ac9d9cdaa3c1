"""Reference data of the four offices in the seeds (../shared/seeds, ../shared/DOMAIN.md).

This is seed data, loaded into the database by ``pst seed``; after that the database is the source and an
administrator edits it there. The offices' service standards are in ``core.standards_seed``.
"""

from __future__ import annotations

from typing import Any

from core.i18n import N_

VISIT_SERVICES = {  # the walk-in services a guest names; translated where read
    "consultation": N_("Konsultasi statistik"),
    "purchase": N_("Pembelian data mikro/peta"),
    "publication": N_("Publikasi"),
    "recommendation": N_("Rekomendasi kegiatan statistik"),
    "library": N_("Perpustakaan"),
}

OFFICES: list[dict[str, Any]] = [
    {
        "code": "6202",
        "name": "BPS Kabupaten Kotawaringin Timur",
        "province": "Kalimantan Tengah",
        "timezone": "Asia/Pontianak",
        "address": "Jl. A.Yani No.5, Sampit, Kel. Mentawa Baru Hulu, Kec. Mentawa Baru Ketapang, "
        "Kab. Kotawaringin Timur, Kalimantan Tengah 74322",
        "phone": "053121221",
        "email": "ipds6202@bps.go.id",
        "website": "https://kotimkab.bps.go.id",
        "whatsapp": "0816666202",
        "complaint_channels": [
            "Kotak saran dan pengaduan di PST BPS Kabupaten Kotawaringin Timur",
            "Website https://kotimkab.bps.go.id dan LiveChat",
            "WhatsApp SISUKA 0816666202",
            "Email ipds6202@bps.go.id",
            "Media sosial (Facebook, Instagram) BPS Kabupaten Kotawaringin Timur",
            "SP4N-LAPOR! (lapor.go.id)",
        ],
    },
    {
        "code": "6302",
        "name": "BPS Kabupaten Kotabaru",
        "province": "Kalimantan Selatan",
        "timezone": "Asia/Makassar",
        "address": "Jalan Jamrud, Dirgahayu, Kec. Pulau Laut Utara, Kab. Kotabaru, Kalimantan Selatan 72113",
        "phone": "08561116302",
        "email": "bps6302@bps.go.id",
        "website": "http://kotabarukab.bps.go.id",
        "whatsapp": "08561116302",
        "complaint_channels": [
            "Kotak saran dan pengaduan pada unit PST BPS Kabupaten Kotabaru",
            "Website pengaduan https://s.bps.go.id/laporbpskotabaru",
            "Email bps6302@bps.go.id",
            "SMS/Telepon 0856-1116-302",
        ],
    },
    {
        "code": "1906",
        "name": "BPS Kabupaten Belitung Timur",
        "province": "Kepulauan Bangka Belitung",
        "timezone": "Asia/Jakarta",
        "address": "Jl. Raya Manggarawan Desa Padang Manggar, Belitung Timur 33512",
        "phone": "07199220090",
        "email": "bps1906@bps.go.id",
        "website": "https://belitungtimurkab.bps.go.id",
        "whatsapp": "081278563877",
        "complaint_channels": [
            "Kotak saran dan pengaduan pada unit PST BPS Kabupaten Belitung Timur",
            "SP4N-LAPOR! https://lapor.go.id",
            "Email bps1906@bps.go.id",
            "SMS/WhatsApp 081278563877 (Kasubbag Umum)",
        ],
    },
    {
        "code": "3304",
        "name": "BPS Kabupaten Banjarnegara",
        "province": "Jawa Tengah",
        "timezone": "Asia/Jakarta",
        "address": "Jl Selamanik No. 33, Banjarnegara, Jawa Tengah 53415",
        "phone": "(0286) 591893",
        "email": "bps3304@bps.go.id",
        "website": "https://banjarnegarakab.bps.go.id",
        "whatsapp": "",
        "complaint_channels": [
            "Kotak saran dan pengaduan di PST",
            "Website https://webapps.bps.go.id/pengaduan",
            "Email bps3304@bps.go.id",
            "SP4N-LAPOR! (lapor.go.id)",
        ],
    },
]

# The receiving account an applicant abroad transfers the fee to (Bendahara Penerimaan of each office). DEMO
# values: an administrator replaces them with the office's real account before going live.
BANK_ACCOUNTS: dict[str, dict[str, str]] = {
    code: {
        "bank_name": "Bank Rakyat Indonesia (BRI)",
        "bank_account_number": number,
        "bank_account_holder": f"Bendahara Penerimaan {name}",
        "bank_swift": "BRINIDJA",
    }
    for code, number, name in (
        ("6202", "0072-01-000620-30-2", "BPS Kabupaten Kotawaringin Timur"),
        ("6302", "0093-01-000630-30-9", "BPS Kabupaten Kotabaru"),
        ("1906", "0361-01-000190-30-6", "BPS Kabupaten Belitung Timur"),
        ("3304", "0074-01-000330-30-4", "BPS Kabupaten Banjarnegara"),
    )
}
for _office in OFFICES:
    _office.update(BANK_ACCOUNTS.get(_office["code"], {}))

DEMO_PASSWORD_NOTE = "Demo accounts are for development only; change or disable them in production."

# PNBP tariffs (PP 13/2024 per DOMAIN.md, marked "check": editable by an administrator in the database).
# fee = base_price for up to ``included`` units, then extra_price per started ``extra_step`` units.
# Names and units are marked for translation: a document in English prints them in English (activities/documents.py).
TARIFFS: list[dict[str, Any]] = [
    {
        "code": "publication",
        "name": N_("Publikasi elektronik"),
        "unit": N_("halaman"),
        "base_price": 50_000,
        "included": 50,
        "extra_price": 15_000,
        "extra_step": 50,
    },
    {
        "code": "microdata",
        "name": N_("Data mikro tanpa pengolahan, per dataset"),
        "unit": N_("byte"),
        "base_price": 20_000,
        "included": 1_000_000,
        "extra_price": 20,
        "extra_step": 1_000,
    },
    {
        "code": "microdata_table",
        "name": N_("Data mikro dengan pengolahan (tabulasi), per tabel"),
        "unit": N_("byte"),
        "base_price": 22_000,
        "included": 1_000_000,
        "extra_price": 22,
        "extra_step": 1_000,
    },
    {
        "code": "map_regency_kecamatan",
        "name": N_("Peta digital wilkerstat satu kabupaten per kecamatan"),
        "unit": N_("peta"),
        "base_price": 30_000,
        "included": 1,
        "extra_price": 30_000,
        "extra_step": 1,
    },
    {
        "code": "map_regency_desa",
        "name": N_("Peta digital wilkerstat satu kabupaten per desa"),
        "unit": N_("peta"),
        "base_price": 70_000,
        "included": 1,
        "extra_price": 70_000,
        "extra_step": 1,
    },
    {
        "code": "map_national_kecamatan",
        "name": N_("Peta digital wilkerstat Indonesia per kecamatan"),
        "unit": N_("peta"),
        "base_price": 12_000_000,
        "included": 1,
        "extra_price": 12_000_000,
        "extra_step": 1,
    },
    {
        "code": "map_national_desa",
        "name": N_("Peta digital wilkerstat Indonesia per desa"),
        "unit": N_("peta"),
        "base_price": 36_000_000,
        "included": 1,
        "extra_price": 36_000_000,
        "extra_step": 1,
    },
]
