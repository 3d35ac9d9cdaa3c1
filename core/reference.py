"""Reference data of the four offices in the seeds (../shared/seeds, ../shared/DOMAIN.md).

This is seed data, loaded into the database by ``pst seed``; after that the database is the source and an
administrator edits it there.
"""

from __future__ import annotations

from typing import Any

from core.enums import Channel, Service, TimeUnit
from core.i18n import N_

_SALE_FEE = (
    "Berbayar sesuai Peraturan Pemerintah tentang Jenis dan Tarif atas Jenis Penerimaan Negara Bukan Pajak "
    "yang berlaku pada Badan Pusat Statistik (PP 7/2015, kini PP 13/2024); Rp0 bagi instansi pemerintah, "
    "lembaga pendidikan dalam negeri dan lembaga internasional untuk keperluan nonkomersial."
)
_SALE_REQUIREMENTS_ONLINE = [
    "Pengguna layanan memiliki alamat email yang masih aktif serta NPWP yang masih aktif bagi pengguna "
    "layanan dengan segmentasi swasta",
    "Pengguna layanan memiliki akun pada Sistem Informasi Layanan Statistik (Silastik) online",
    "Pengguna layanan mengajukan permintaan layanan penjualan data mikro dan/atau peta digital wilayah "
    "kerja statistik pada Silastik",
    "Pengguna layanan menyetujui syarat pembelian: abstraksi penggunaan data, Surat Perjanjian Penggunaan "
    "Data (SPPD), format, biaya dan media",
]
_SALE_REQUIREMENTS_WALK_IN = [
    "Pengguna layanan berkunjung ke unit Pelayanan Statistik Terpadu (PST)",
    "Pengguna layanan memiliki alamat email yang masih aktif",
    "Pengguna layanan mengisi buku tamu elektronik",
    "Pengguna layanan memiliki NPWP yang masih aktif bagi pengguna layanan dengan segmentasi swasta",
    "Pengguna layanan menyiapkan dokumen: abstraksi penggunaan data, SPPD, format, biaya dan media",
]
_SALE_PROCEDURE_ONLINE = [
    "Pengguna layanan masuk ke aplikasi PST online",
    "Pengguna layanan memilih variabel data mikro dan/atau peta digital yang diperlukan dan mengunggah "
    "abstraksi penggunaan data",
    "Petugas memeriksa kesesuaian abstraksi dengan data yang diminta; jika tidak sesuai transaksi dibatalkan "
    "dan pengguna layanan dapat membuat transaksi baru",
    "Petugas mengirimkan contoh data (khusus data mikro), invoice dan SPPD",
    "Pengguna layanan memeriksa contoh data; jika tidak sesuai diberi satu kali kesempatan merevisi permintaan",
    "Pengguna layanan membayar: kode billing SIMPONI (dalam negeri) atau transfer dengan bukti bayar (luar negeri)",
    "Pengguna layanan mengirimkan 2 rangkap SPPD asli bermeterai Rp10.000 (fisik atau e-meterai)",
    "Petugas mengirimkan kuitansi dan data",
    "Pengguna layanan memberikan penilaian; tautan data dapat diminta lagi paling lama 30 hari setelah "
    "transaksi selesai dengan menunjukkan kuitansi",
    "Jika penilaian perlu ditindaklanjuti, petugas mengirimkan email kepada pengguna layanan",
]
_SALE_PROCEDURE_WALK_IN = [
    "Pengguna layanan datang ke PST, mengisi buku tamu elektronik dan mengambil nomor antrean",
    "Pengguna layanan menyampaikan abstraksi penggunaan data dan daftar data yang diperlukan",
    "Petugas memeriksa kesesuaian; jika sesuai SPPD ditandatangani di atas meterai Rp10.000, jika tidak "
    "pengguna layanan dialihkan ke konsultasi statistik",
    "Petugas menyiapkan data dan mencetak invoice; bendahara diberi tahu",
    "Pengguna layanan membayar tunai ke bendahara atau dengan kode billing SIMPONI",
    "Bendahara menyerahkan kuitansi; petugas menyerahkan kuitansi dan data",
    "Pengguna layanan memeriksa data; petugas memperbaiki jika ada kesalahan",
]
_SALE_PRODUCTS = [
    "Data mikro (lengkap/fullset atau variabel terpilih)",
    "Peta digital wilayah kerja statistik",
]


def _sale(
    *, decree: str, time_limit: int, unit: TimeUnit, time_text: str, walk_in: bool, online: bool
) -> dict[str, Any]:
    requirements: list[str] = []
    procedure: list[str] = []
    channels: list[str] = []
    if walk_in:
        requirements += _SALE_REQUIREMENTS_WALK_IN
        procedure += _SALE_PROCEDURE_WALK_IN
        channels.append(Channel.WALK_IN)
    if online:
        requirements += [r for r in _SALE_REQUIREMENTS_ONLINE if r not in requirements]
        procedure += _SALE_PROCEDURE_ONLINE
        channels.append("online")
    return {
        "service": Service.SALE,
        "title": "Penjualan Data Mikro dan Peta Digital Wilayah Kerja Statistik",
        "decree_number": decree,
        "time_limit": time_limit,
        "time_unit": unit,
        "time_text": time_text,
        "fee_text": _SALE_FEE,
        "requirements": requirements,
        "procedure": procedure,
        "products": _SALE_PRODUCTS,
        "channels": channels,
    }


def _complaints(channels: list[str]) -> dict[str, Any]:
    return {
        "service": Service.COMPLAINT,
        "title": "Pengaduan Layanan",
        "decree_number": "",
        "time_limit": 5,
        "time_unit": TimeUnit.WORKING_DAYS,
        "time_text": "Tanggapan paling lambat 5 hari kerja sejak pengaduan diterima (praktik SP4N-LAPOR!)",
        "fee_text": "Tidak dipungut biaya",
        "requirements": ["Identitas dan kontak pelapor", "Uraian pengaduan"],
        "procedure": [
            "Pelapor menyampaikan pengaduan melalui salah satu kanal pengaduan",
            "Petugas mencatat pengaduan dan mengirim tanda terima",
            "Pengaduan ditindaklanjuti dan tanggapan dikirim kepada pelapor",
        ],
        "products": ["Tanggapan atas pengaduan"],
        "channels": channels,
    }


def _visits(minutes: int, decree: str = "") -> dict[str, Any]:
    return {
        "service": Service.VISIT,
        "title": "Layanan Kunjungan PST (buku tamu dan antrean)",
        "decree_number": decree,
        "time_limit": minutes,
        "time_unit": TimeUnit.MINUTES,
        "time_text": f"Dilayani paling lama {minutes} menit sejak pengguna layanan pada antrean sebelumnya selesai",
        "fee_text": "Tidak dipungut biaya",
        "requirements": ["Mengisi buku tamu elektronik", "Mengambil nomor antrean"],
        "procedure": ["Mengisi buku tamu dan mengambil nomor antrean", "Menunggu panggilan", "Dilayani petugas PST"],
        "products": ["Konsultasi statistik", "Pembelian produk statistik", "Perpustakaan", "Rekomendasi"],
        "channels": [Channel.WALK_IN],
    }


VISIT_SERVICES = {
    "consultation": "Konsultasi statistik",
    "purchase": "Pembelian data mikro/peta",
    "publication": "Publikasi",
    "recommendation": "Rekomendasi kegiatan statistik",
    "library": "Perpustakaan",
}

COMPLAINT_CHANNELS = ["suggestion_box", "website", "email", "sms_whatsapp", "social_media", "lapor", "portal"]

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
        "standards": [
            _complaints(COMPLAINT_CHANNELS),
            _visits(10),
            _sale(
                decree="",
                time_limit=10,
                unit=TimeUnit.WORKING_DAYS,
                time_text="10 hari kerja setelah permintaan jelas dan persyaratan pelayanan lengkap",
                walk_in=False,
                online=True,
            ),
            {
                "service": Service.RECOMMENDATION,
                "title": "Layanan Rekomendasi Kegiatan Statistik",
                "decree_number": "",
                "time_limit": 15,
                "time_unit": TimeUnit.DAYS,
                "time_text": "Email hasil pemeriksaan paling lambat 15 hari sejak FS3 terekam lengkap di "
                "Romantik Online",
                "fee_text": "Tidak dipungut biaya",
                "requirements": [
                    "Pengguna layanan adalah instansi pemerintah penyelenggara kegiatan statistik sektoral",
                    "Pengguna layanan memiliki alamat email yang masih aktif untuk akun Romantik Online",
                    "Pengguna layanan mengisi Formulir Pemberitahuan Survei Statistik Sektoral (FS3) secara "
                    "manual atau elektronik",
                    "Layanan offline: datang ke PST dan mengisi buku tamu",
                    "Layanan online: memiliki akun pada aplikasi Romantik Online",
                ],
                "procedure": [
                    "Pengguna layanan mengajukan rancangan kegiatan statistik secara online atau offline",
                    "Jika offline, operator BPS merekam rancangan kegiatan statistik ke Romantik Online",
                    "BPS memeriksa rancangan kegiatan statistik",
                    "Jika layak, BPS menerbitkan surat rekomendasi; jika perlu diperbaiki, FS3 dikembalikan",
                ],
                "products": ["Rekomendasi Kegiatan Statistik"],
                "channels": [Channel.ONLINE, Channel.WALK_IN],
            },
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
        "standards": [
            _complaints(COMPLAINT_CHANNELS),
            _visits(10),
            _sale(
                decree="Nomor 118 Tahun 2023",
                time_limit=10,
                unit=TimeUnit.MINUTES,
                time_text="Dilayani paling lama 10 (sepuluh) menit sejak pengguna layanan pada antrean "
                "sebelumnya selesai",
                walk_in=True,
                online=False,
            ),
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
        "standards": [
            _complaints(COMPLAINT_CHANNELS),
            _visits(5),
            _sale(
                decree="006.01 Tahun 2024",
                time_limit=5,
                unit=TimeUnit.MINUTES,
                time_text="5 menit",
                walk_in=True,
                online=True,
            ),
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
        "standards": [
            _complaints(COMPLAINT_CHANNELS),
            _visits(10),
            _sale(
                decree="",
                time_limit=10,
                unit=TimeUnit.WORKING_DAYS,
                time_text="Layanan online: 10 hari kerja setelah permintaan jelas dan persyaratan lengkap. "
                "Layanan datang langsung: dilayani paling lama 10 menit sejak tamu pada antrean "
                "sebelumnya selesai",
                walk_in=True,
                online=True,
            ),
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
