"""The offices' published service standards (Standar Pelayanan), item by item as the seeds write them
(../shared/seeds), each item with its English beside it.

Seed data: ``pst seed`` (``core.seeding``) and migration 0018 load it into ``service_standards`` and
``standard_items``; from then on the database is the source and an office's administrator edits it there. The
complaint and visit standards are the app's own (no seed publishes them); the sale and recommendation standards
follow seeds 000–004. Obvious typing slips of the published text are corrected ("Kabupatn", "diveri").

A section is one of ``SECTIONS``; a channel splits a section where the seed gives walk-in and online their own
lists ("" where it gives one list).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.enums import Channel, Service, TimeUnit
from core.models import ServiceStandard, StandardItem

REQUIREMENT, PROCEDURE, TIME, FEE, PRODUCT, COMPLAINT = (
    "requirement",
    "procedure",
    "time",
    "fee",
    "product",
    "complaint",
)
SECTIONS = (REQUIREMENT, PROCEDURE, TIME, FEE, PRODUCT, COMPLAINT)
WALK_IN, ONLINE, BOTH = Channel.WALK_IN.value, Channel.ONLINE.value, ""

Item = tuple[str, str]  # (Indonesian as published, English)
Lists = dict[tuple[str, str], list[Item]]  # (section, channel) → items in order

FREE: Item = ("Tidak dipungut biaya", "Free of charge")
PAID_PP_7_2015: Item = (
    "Berbayar sesuai Peraturan Pemerintah Nomor 7 Tahun 2015 tentang Jenis dan Tarif atas Jenis Penerimaan Negara "
    "Bukan Pajak yang Berlaku pada Badan Pusat Statistik",
    "Paid according to Government Regulation Number 7 of 2015 on the Types and Tariffs of Non-Tax State Revenue "
    "applicable at Statistics Indonesia (BPS)",
)


def _complaints_6202() -> list[Item]:
    return [
        (
            "Pengaduan datang langsung: kotak saran dan pengaduan di PST BPS Kabupaten Kotawaringin Timur",
            "In person: the suggestion and complaint box at the PST desk of BPS Kabupaten Kotawaringin Timur",
        ),
        ("Website https://kotimkab.bps.go.id", "Website https://kotimkab.bps.go.id"),
        ("SISUKA 0816666202", "SISUKA (WhatsApp) 0816666202"),
        ("Email ipds6202@bps.go.id", "Email ipds6202@bps.go.id"),
        (
            "Kanal media sosial BPS Kabupaten Kotawaringin Timur di Facebook dan Instagram",
            "The social media channels of BPS Kabupaten Kotawaringin Timur on Facebook and Instagram",
        ),
        (
            "Sistem Pengelolaan Pengaduan Pelayanan Publik Nasional SP4N Layanan Aspirasi dan Pengaduan Online "
            "Rakyat LAPOR!",
            "The national public service complaint system SP4N, the online aspiration and complaint service LAPOR!",
        ),
    ]


def _complaint_standard(channels: list[Item]) -> dict[str, Any]:
    return {
        "service": Service.COMPLAINT,
        "title": ("Pengaduan Layanan", "Service complaints"),
        "decree_number": "",
        "time_limit": 5,
        "time_unit": TimeUnit.WORKING_DAYS,
        "channels": [Channel.ONLINE, Channel.WALK_IN],
        "items": {
            (REQUIREMENT, BOTH): [
                ("Identitas dan kontak pelapor", "The complainant's identity and contact details"),
                ("Uraian pengaduan", "A description of the complaint"),
            ],
            (PROCEDURE, BOTH): [
                (
                    "Pelapor menyampaikan pengaduan melalui salah satu kanal pengaduan",
                    "The complainant submits the complaint through one of the complaint channels",
                ),
                (
                    "Petugas mencatat pengaduan dan mengirim tanda terima",
                    "An officer records the complaint and sends an acknowledgement",
                ),
                (
                    "Pengaduan ditindaklanjuti dan tanggapan dikirim kepada pelapor",
                    "The complaint is followed up and the answer is sent to the complainant",
                ),
            ],
            (TIME, BOTH): [
                (
                    "Tanggapan paling lambat 5 hari kerja sejak pengaduan diterima",
                    "An answer within 5 working days of the complaint's receipt",
                )
            ],
            (FEE, BOTH): [FREE],
            (PRODUCT, BOTH): [("Tanggapan atas pengaduan", "An answer to the complaint")],
            (COMPLAINT, BOTH): channels,
        },
    }


def _visit_standard(minutes: int, channels: list[Item]) -> dict[str, Any]:
    return {
        "service": Service.VISIT,
        "title": ("Layanan Kunjungan PST (buku tamu dan antrean)", "PST desk visits (guest book and queue)"),
        "decree_number": "",
        "time_limit": minutes,
        "time_unit": TimeUnit.MINUTES,
        "channels": [Channel.WALK_IN],
        "items": {
            (REQUIREMENT, BOTH): [
                ("Mengisi buku tamu elektronik", "Fill in the electronic guest book"),
                ("Mengambil nomor antrean", "Take a queue number"),
            ],
            (PROCEDURE, BOTH): [
                (
                    "Mengisi buku tamu dan mengambil nomor antrean",
                    "Fill in the guest book and take a queue number",
                ),
                ("Menunggu panggilan", "Wait to be called"),
                ("Dilayani petugas PST", "Be served by a PST officer"),
            ],
            (TIME, BOTH): [
                (
                    f"Dilayani paling lama {minutes} menit sejak pengguna layanan pada antrean sebelumnya selesai",
                    f"Served within {minutes} minutes of the previous guest in the queue being finished",
                )
            ],
            (FEE, BOTH): [FREE],
            (PRODUCT, BOTH): [
                ("Konsultasi statistik", "Statistical consultation"),
                ("Pembelian produk statistik", "Purchase of statistical products"),
                ("Perpustakaan", "Library"),
                ("Rekomendasi kegiatan statistik", "Statistical activity recommendation"),
            ],
            (COMPLAINT, BOTH): channels,
        },
    }


_SALE_6202: dict[str, Any] = {  # seed 000
    "service": Service.SALE,
    "title": (
        "Penjualan Data Mikro dan Peta Digital Wilayah Kerja Statistik Online",
        "Online sale of microdata and digital maps of statistical work areas",
    ),
    "decree_number": "",
    "time_limit": 10,
    "time_unit": TimeUnit.WORKING_DAYS,
    "channels": [Channel.ONLINE],
    "items": {
        (REQUIREMENT, BOTH): [
            (
                "Pengguna layanan memiliki alamat email yang masih aktif serta memiliki NPWP yang masih aktif bagi "
                "pengguna layanan dengan segmentasi swasta",
                "The applicant has an active email address, and an active tax number (NPWP) if the applicant is in "
                "the private segment",
            ),
            (
                "Pengguna layanan memiliki akun pada Sistem Informasi Layanan Statistik (Silastik) online",
                "The applicant has an account on the Statistical Services Information System (Silastik) online",
            ),
            (
                "Pengguna layanan mengajukan permintaan layanan penjualan data mikro dan/atau peta digital wilayah "
                "kerja statistik pada Silastik",
                "The applicant submits a request for microdata and/or digital maps of statistical work areas on "
                "Silastik",
            ),
            (
                "Pengguna layanan menyetujui syarat pembelian data mikro dan/atau peta digital wilayah kerja "
                "statistik: abstraksi penggunaan data, Surat Perjanjian Penggunaan Data (SPPD), format, biaya dan "
                "media",
                "The applicant agrees to the terms of purchase of microdata and/or digital maps of statistical work "
                "areas: the data-usage abstract, the data-use agreement (SPPD), format, fee and media",
            ),
        ],
        (PROCEDURE, BOTH): [
            (
                "Pengguna layanan menghubungi WhatsApp SISUKA atau fitur LiveChat di website BPS Kabupaten "
                "Kotawaringin Timur atau datang langsung ke PST BPS",
                "The applicant contacts SISUKA on WhatsApp or the LiveChat on the website of BPS Kabupaten "
                "Kotawaringin Timur, or comes to the BPS PST desk in person",
            ),
            ("Pengguna layanan mengisi identitas", "The applicant fills in their identity"),
            (
                "Pengguna layanan mengajukan permintaan layanan penjualan data mikro dan/atau peta digital wilayah "
                "kerja statistik melalui WhatsApp SISUKA atau fitur LiveChat di website BPS Kabupaten Kotawaringin "
                "Timur",
                "The applicant asks for microdata and/or digital maps of statistical work areas through SISUKA on "
                "WhatsApp or the LiveChat on the website of BPS Kabupaten Kotawaringin Timur",
            ),
            (
                "Petugas mengarahkan pengguna layanan untuk mengajukan permintaan layanan penjualan data mikro "
                "dan/atau peta digital wilayah kerja statistik pada Silastik",
                "An officer directs the applicant to submit the request for microdata and/or digital maps of "
                "statistical work areas on Silastik",
            ),
            (
                "Pengguna layanan mengakses permintaan layanan penjualan data mikro dan/atau peta digital wilayah "
                "kerja statistik pada Silastik",
                "The applicant follows the request for microdata and/or digital maps of statistical work areas on "
                "Silastik",
            ),
        ],
        (TIME, BOTH): [
            ("10 hari kerja", "10 working days"),
            (
                "Pengguna layanan akan dilayani maksimal 10 hari kerja setelah permintaan jelas dan persyaratan "
                "pelayanan telah lengkap",
                "The applicant is served within 10 working days once the request is clear and the requirements are "
                "complete",
            ),
        ],
        (FEE, BOTH): [FREE, PAID_PP_7_2015],
        (PRODUCT, BOTH): [
            (
                "Data mikro dan/atau peta digital wilayah kerja statistik",
                "Microdata and/or digital maps of statistical work areas",
            )
        ],
        (COMPLAINT, BOTH): _complaints_6202(),
    },
}

_RECOMMENDATION_6202: dict[str, Any] = {  # seed 003
    "service": Service.RECOMMENDATION,
    "title": ("Layanan Rekomendasi Kegiatan Statistik", "Statistical activity recommendation"),
    "decree_number": "",
    "time_limit": 15,
    "time_unit": TimeUnit.DAYS,
    "channels": [Channel.ONLINE, Channel.WALK_IN],
    "items": {
        (REQUIREMENT, BOTH): [
            (
                "Pengguna layanan adalah instansi pemerintah penyelenggara kegiatan statistik sektoral",
                "The applicant is a government agency that runs sectoral statistical activities",
            ),
            (
                "Pengguna layanan memiliki alamat email yang masih aktif untuk akun pada aplikasi Rekomendasi Kegiatan "
                "Statistik (Romantik) Online",
                "The applicant has an active email address for an account on the Statistical Activity "
                "Recommendation application (Romantik) Online",
            ),
            (
                "Pengguna layanan mengisi dokumen Formulir Pemberitahuan Survei Statistik Sektoral (FS3) dalam bentuk "
                "manual atau elektronik",
                "The applicant fills in the Sectoral Statistical Survey Notification Form (FS3) on paper or "
                "electronically",
            ),
        ],
        (REQUIREMENT, WALK_IN): [
            (
                "Pengguna layanan datang langsung ke unit Pelayanan Statistik Terpadu (PST) BPS Kabupaten",
                "The applicant comes in person to the Integrated Statistical Services (PST) desk of the regency's "
                "BPS office",
            ),
            ("Pengguna layanan mengisi buku tamu", "The applicant fills in the guest book"),
        ],
        (REQUIREMENT, ONLINE): [
            (
                "Pengguna layanan mengakses dan memiliki akun pada aplikasi Romantik Online",
                "The applicant has and uses an account on the Romantik Online application",
            )
        ],
        (PROCEDURE, BOTH): [
            (
                "Pengguna layanan mengajukan rancangan kegiatan statistik baik secara online maupun offline",
                "The applicant submits the design of the statistical activity, online or offline",
            ),
            (
                "Jika pengajuan secara offline maka operator BPS akan melakukan perekaman rancangan kegiatan statistik "
                "ke Romantik Online",
                "If submitted offline, a BPS operator records the design of the statistical activity in Romantik "
                "Online",
            ),
            (
                "BPS memeriksa pengajuan rancangan kegiatan statistik melalui Romantik Online",
                "BPS examines the submitted design through Romantik Online",
            ),
            (
                "Jika rancangan kegiatan statistik dinyatakan layak BPS menerbitkan surat rekomendasi. Namun jika "
                "rancangan kegiatan statistik perlu diperbaiki maka BPS mengembalikan FS3 ke pengguna layanan",
                "If the design is found fit, BPS issues a recommendation letter. If the design needs fixing, BPS "
                "returns the FS3 to the applicant",
            ),
        ],
        (TIME, BOTH): [
            ("15 hari", "15 days"),
            (
                "Pengguna layanan akan menerima email notifikasi yang berisikan hasil pemeriksaan rancangan kegiatan "
                "statistik maksimal 15 hari sejak dokumen FS3 terekam lengkap di Romantik Online",
                "The applicant receives an email with the result of the examination within 15 days of the FS3 being "
                "recorded complete in Romantik Online",
            ),
        ],
        (FEE, BOTH): [FREE],
        (PRODUCT, BOTH): [("Rekomendasi Kegiatan Statistik", "Statistical activity recommendation")],
        (COMPLAINT, BOTH): _complaints_6202(),
    },
}

_COMPLAINTS_6302: list[Item] = [
    (
        "Pengaduan langsung: kotak saran & pengaduan pada unit PST BPS Kabupaten Kotabaru",
        "In person: the suggestion and complaint box at the PST desk of BPS Kabupaten Kotabaru",
    ),
    (
        "Website pengaduan: https://s.bps.go.id/laporbpskotabaru",
        "Complaint website: https://s.bps.go.id/laporbpskotabaru",
    ),
    ("E-mail: bps6302@bps.go.id", "Email: bps6302@bps.go.id"),
    ("SMS/Telp: 0856-1116-302", "Text message or phone: 0856-1116-302"),
]

_ACCOUNT: Item = (
    "Pengguna layanan memiliki akun pada aplikasi pelayanan",
    "The applicant has an account on the service application",
)

_SALE_6302: dict[str, Any] = {  # seed 001
    "service": Service.SALE,
    "title": ("Layanan Penjualan Produk Statistik", "Sale of statistical products"),
    "decree_number": "Nomor 118 Tahun 2023",
    "time_limit": 10,
    "time_unit": TimeUnit.MINUTES,
    "channels": [Channel.WALK_IN],
    "items": {
        (REQUIREMENT, BOTH): [
            (
                "Pengguna layanan berkunjung ke Unit Pelayanan Statistik Terpadu (PST) BPS Kabupaten Kotabaru",
                "The applicant visits the Integrated Statistical Services (PST) desk of BPS Kabupaten Kotabaru",
            ),
            ("Pengguna layanan memiliki alamat email yang masih aktif", "The applicant has an active email address"),
            ("Pengguna layanan mengisi buku tamu elektronik", "The applicant fills in the electronic guest book"),
            (
                "Pengguna layanan memiliki NPWP yang masih aktif bagi pengguna layanan dengan segmentasi swasta",
                "The applicant has an active tax number (NPWP) if in the private segment",
            ),
            (
                "Pengguna layanan memiliki akun pada aplikasi pelayanan",
                "The applicant has an account on the service application",
            ),
            (
                "Pengguna layanan mengajukan permintaan layanan penjualan produk statistik (publikasi, data mikro "
                "dan/atau peta digital wilayah kerja statistik) kepada petugas pelayanan",
                "The applicant asks a service officer for statistical products (publications, microdata and/or "
                "digital maps of statistical work areas)",
            ),
            (
                "Pengguna layanan menyiapkan dokumen yang harus dipenuhi pada layanan penjualan data mikro dan/atau "
                "peta digital wilayah kerja statistik (abstraksi penggunaan data, surat perjanjian penggunaan data "
                "(SPPD), format, biaya, dan media)",
                "The applicant prepares the documents required for the sale of microdata and/or digital maps of "
                "statistical work areas (the data-usage abstract, the data-use agreement (SPPD), format, fee and "
                "media)",
            ),
        ],
        (PROCEDURE, BOTH): [
            (
                "Pengguna layanan datang langsung ke unit PST BPS Kabupaten Kotabaru",
                "The applicant comes in person to the PST desk of BPS Kabupaten Kotabaru",
            ),
            (
                "Pengguna layanan menemui petugas frontline unit PST BPS Kabupaten Kotabaru",
                "The applicant meets the front-line officer of the PST desk of BPS Kabupaten Kotabaru",
            ),
            ("Pengguna layanan mengisi buku tamu elektronik", "The applicant fills in the electronic guest book"),
            (
                "Pengguna layanan mengajukan permintaan layanan penjualan produk statistik kepada petugas pelayanan",
                "The applicant asks a service officer for statistical products",
            ),
            (
                "Petugas membantu pengguna layanan untuk membuat akun layanan penjualan produk statistik melalui "
                "aplikasi silastik (silastik.bps.go.id)",
                "The officer helps the applicant create an account for the sale of statistical products in the "
                "Silastik application (silastik.bps.go.id)",
            ),
            (
                "Pengguna layanan memberikan penilaian/rating/pengaduan terhadap kualitas pelayanan penjualan produk "
                "statistik",
                "The applicant gives a rating or a complaint about the quality of the service",
            ),
            (
                "Pengguna layanan selesai mengakses layanan penjualan produk statistik",
                "The applicant has finished with the sale of statistical products",
            ),
        ],
        (TIME, BOTH): [
            (
                "Pengguna layanan akan dilayani maksimal 10 (sepuluh) menit sejak pengguna layanan pada antrian "
                "sebelumnya selesai",
                "The applicant is served within 10 (ten) minutes of the previous applicant in the queue being finished",
            )
        ],
        (FEE, BOTH): [FREE, PAID_PP_7_2015],
        (PRODUCT, BOTH): [
            (
                "Jasa pengajuan pembelian produk statistik berupa publikasi dalam format softcopy, data mikro "
                "lengkap/fullset atau sebagian/sesuai variabel yang dipilih, atau peta digital wilayah kerja statistik",
                "Handling of purchases of statistical products: publications as electronic files, microdata as the "
                "full set or the chosen variables, or digital maps of statistical work areas",
            )
        ],
        (COMPLAINT, BOTH): _COMPLAINTS_6302,
    },
}

_COMPLAINTS_1906: list[Item] = [
    (
        "Pengaduan langsung: kotak saran & pengaduan pada unit PST BPS Kabupaten Belitung Timur",
        "In person: the suggestion and complaint box at the PST desk of BPS Kabupaten Belitung Timur",
    ),
    ("Website: https://lapor.go.id", "Website: https://lapor.go.id"),
    ("E-mail: bps1906@bps.go.id", "Email: bps1906@bps.go.id"),
    (
        "SMS/WhatsApp: 081278563877 (Syahroni, Kasubbag Umum BPS Kabupaten Belitung Timur)",
        "Text message or WhatsApp: 081278563877 (Syahroni, head of general affairs, BPS Kabupaten Belitung Timur)",
    ),
]

_EMAIL_ACTIVE: Item = (
    "Pengguna layanan memiliki alamat email yang masih aktif",
    "The applicant has an active email address",
)
_DOCUMENTS_1906: Item = (
    "Pengguna layanan menyiapkan dokumen yang harus dipenuhi pada layanan penjualan data mikro dan/atau peta digital "
    "wilayah kerja statistik (abstraksi penggunaan data, surat perjanjian penggunaan data (SPPD), format, biaya, dan "
    "media)",
    "The applicant prepares the documents required for the sale of microdata and/or digital maps of statistical "
    "work areas (the data-usage abstract, the data-use agreement (SPPD), format, fee and media)",
)
_TARIFF_1906: Item = (
    "Pengguna layanan menyetujui tentang tarif yang dikenakan sesuai PP No.7 Tahun 2015",
    "The applicant agrees to the tariff charged under Government Regulation No. 7 of 2015",
)

_SALE_1906: dict[str, Any] = {  # seed 002
    "service": Service.SALE,
    "title": ("Pelayanan Penjualan Produk Statistik", "Sale of statistical products"),
    "decree_number": "006.01 Tahun 2024",
    "time_limit": 5,
    "time_unit": TimeUnit.MINUTES,
    "channels": [Channel.WALK_IN, Channel.ONLINE],
    "items": {
        (REQUIREMENT, WALK_IN): [
            (
                "Pengguna layanan berkunjung ke Unit Pelayanan Statistik Terpadu (PST) BPS",
                "The applicant visits the BPS Integrated Statistical Services (PST) desk",
            ),
            (
                "Pengguna layanan memiliki kartu identitas yang masih berlaku (KTP, SIM, Paspor, dan lain-lain)",
                "The applicant has a valid identity card (KTP, driving licence, passport or the like)",
            ),
            _EMAIL_ACTIVE,
            ("Pengguna layanan mengisi buku tamu", "The applicant fills in the guest book"),
            (
                "Pengguna layanan mengajukan permintaan layanan penjualan produk statistik (publikasi, data mikro "
                "dan/atau peta digital wilayah kerja statistik) kepada petugas",
                "The applicant asks an officer for statistical products (publications, microdata and/or digital maps "
                "of statistical work areas)",
            ),
            _DOCUMENTS_1906,
            _TARIFF_1906,
        ],
        (REQUIREMENT, ONLINE): [
            _EMAIL_ACTIVE,
            (
                "Pengguna layanan memiliki NPWP yang masih aktif bagi pengguna layanan dengan segmentasi swasta",
                "The applicant has an active tax number (NPWP) if in the private segment",
            ),
            (
                "Pengguna layanan memiliki akun pada aplikasi pelayanan",
                "The applicant has an account on the service application",
            ),
            (
                "Pengguna layanan mengajukan permintaan layanan penjualan produk statistik (publikasi, data mikro "
                "dan/atau peta digital wilayah kerja statistik) melalui aplikasi pelayanan",
                "The applicant asks for statistical products (publications, microdata and/or digital maps of "
                "statistical work areas) through the service application",
            ),
            _DOCUMENTS_1906,
            _TARIFF_1906,
        ],
        (PROCEDURE, BOTH): [
            (
                "Pengguna layanan mengakses layanan penjualan produk statistik dengan mengunjungi unit PST BPS "
                "Kabupaten Belitung Timur",
                "The applicant uses the sale of statistical products by visiting the PST desk of BPS Kabupaten "
                "Belitung Timur",
            ),
            (
                "Pengguna layanan disambut petugas PST dan dibantu untuk maksud dan tujuannya berkunjung ke PST BPS "
                "Kabupaten Belitung Timur",
                "A PST officer welcomes the applicant and helps with the purpose of the visit to the PST desk of BPS "
                "Kabupaten Belitung Timur",
            ),
            (
                "Pengguna layanan mengisi buku tamu (aplikasi PST/buku tamu manual)",
                "The applicant fills in the guest book (the PST application or the paper guest book)",
            ),
            (
                "Pengguna layanan menyampaikan permintaan layanan penjualan produk statistik kepada petugas",
                "The applicant tells the officer which statistical products they ask for",
            ),
            (
                "Petugas memeriksa dan menyiapkan produk statistik yang diminta pengguna layanan",
                "The officer checks and prepares the statistical products asked for",
            ),
            (
                "Petugas menyampaikan ketentuan tentang Jenis dan Tarif atas Jenis Penerimaan Negara Bukan Pajak "
                "(PNBP) dan/atau dokumen yang harus dipenuhi",
                "The officer explains the rules on the types and tariffs of non-tax state revenue (PNBP) and/or the "
                "documents required",
            ),
            (
                "Pengguna layanan menyetujui ketentuan PNBP dan/atau memberikan dokumen yang harus dipenuhi berkaitan "
                "dengan permintaannya",
                "The applicant agrees to the PNBP rules and/or hands over the documents their request requires",
            ),
            (
                "Petugas memeriksa kelengkapan dan kesesuaian dokumen yang diberikan dengan permintaan pengguna "
                "layanan",
                "The officer checks that the documents are complete and fit the request",
            ),
            (
                "Petugas membuat invoice dan/atau contoh data mikro serta dokumen perjanjian penggunaan data mikro "
                "kepada pengguna layanan",
                "The officer makes the invoice and/or a microdata sample and the microdata use agreement for the "
                "applicant",
            ),
            (
                "Petugas menyiapkan produk statistik yang diminta pengguna layanan",
                "The officer prepares the statistical products asked for",
            ),
            (
                "Pengguna layanan melakukan pembayaran melalui: pembayaran secara tunai; pembayaran via bank "
                "menggunakan kode billing",
                "The applicant pays: in cash, or at a bank with a billing code",
            ),
            (
                "Pengguna layanan menandatangani kemudian memberikan dokumen perjanjian penggunaan data mikro kepada "
                "petugas",
                "The applicant signs the microdata use agreement and hands it to the officer",
            ),
            (
                "Pengguna layanan mengambil produk statistik kepada petugas",
                "The applicant collects the statistical products from the officer",
            ),
            (
                "Pengguna layanan melakukan pengecekan terhadap kuitansi dan produk statistik yang diterima, jika "
                "terdapat ketidaksesuaian maka dapat mengajukan permintaan perbaikan kepada petugas",
                "The applicant checks the receipt and the products received; if something does not match, they may "
                "ask the officer to correct it",
            ),
            (
                "Pengguna layanan memberikan penilaian/rating terhadap kualitas pelayanan penjualan produk statistik",
                "The applicant rates the quality of the service",
            ),
            (
                "Pengguna layanan selesai mengakses layanan penjualan produk statistik",
                "The applicant has finished with the sale of statistical products",
            ),
        ],
        (TIME, BOTH): [("5 menit", "5 minutes")],
        (FEE, BOTH): [FREE],
        (PRODUCT, BOTH): [
            ("Publikasi dalam format hardcopy dan/atau softcopy", "Publications on paper and/or as electronic files"),
            (
                "Data mikro lengkap/fullset atau sebagian/sesuai variabel yang dipilih",
                "Microdata as the full set or in part, by the chosen variables",
            ),
            ("Peta digital wilayah kerja statistik", "Digital maps of statistical work areas"),
        ],
        (COMPLAINT, BOTH): _COMPLAINTS_1906,
    },
}

_COMPLAINTS_3304: list[Item] = [
    (
        "Pengaduan langsung: kotak saran & pengaduan di PST",
        "In person: the suggestion and complaint box at the PST desk",
    ),
    ("Website: webapps.bps.go.id/pengaduan", "Website: webapps.bps.go.id/pengaduan"),
    ("E-mail: bps3304@bps.go.id", "Email: bps3304@bps.go.id"),
    (
        "Pengaduan, aspirasi, maupun permintaan informasi melalui aplikasi LAPOR! (website, Play Store, App Store)",
        "Complaints, aspirations and requests for information through the LAPOR! application (website, Play Store, "
        "App Store)",
    ),
]

_SALE_TERMS_3304 = (
    "(abstraksi penggunaan data, Surat Perjanjian Penggunaan Data/SPPD, format, biaya, dan media)",
    "(the data-usage abstract, the data-use agreement (SPPD), format, fee and media)",
)

_SALE_3304: dict[str, Any] = {  # seed 004
    "service": Service.SALE,
    "title": (
        "Pelayanan Penjualan Data Mikro dan Peta Digital Wilayah Kerja Statistik",
        "Sale of microdata and digital maps of statistical work areas",
    ),
    "decree_number": "",
    "time_limit": 10,
    "time_unit": TimeUnit.WORKING_DAYS,  # the clock of an online sale; the seed publishes the walk-in queue time
    "channels": [Channel.WALK_IN, Channel.ONLINE],
    "items": {
        (REQUIREMENT, WALK_IN): [
            (
                "Pengguna layanan datang langsung ke unit Pelayanan Statistik Terpadu (PST) BPS di Lantai 1",
                "The applicant comes in person to the BPS Integrated Statistical Services (PST) desk on the ground "
                "floor",
            ),
            _EMAIL_ACTIVE,
            ("Pengguna layanan mengisi buku tamu elektronik", "The applicant fills in the electronic guest book"),
            (
                "Pengguna layanan mengajukan permintaan layanan pembelian data mikro (Fullset/tanpa pilih variabel) "
                "dan/atau peta digital wilayah kerja statistik secara offline/langsung",
                "The applicant asks in person to buy microdata (the full set, no choice of variables) and/or "
                "digital maps of statistical work areas",
            ),
            (
                "Pengguna layanan menyetujui syarat penjualan data mikro dan/atau peta digital wilayah kerja statistik "
                + _SALE_TERMS_3304[0],
                "The applicant agrees to the terms of sale of microdata and/or digital maps of statistical work areas "
                + _SALE_TERMS_3304[1],
            ),
        ],
        (REQUIREMENT, ONLINE): [
            (
                "Pengguna layanan memiliki alamat email yang masih aktif, serta memiliki NPWP yang masih aktif bagi "
                "pengguna layanan dengan segmentasi swasta",
                "The applicant has an active email address, and an active tax number (NPWP) if in the private segment",
            ),
            (
                "Pengguna layanan memiliki akun pada Sistem Informasi Layanan Statistik (Silastik) online",
                "The applicant has an account on the Statistical Services Information System (Silastik) online",
            ),
            (
                "Pengguna layanan mengajukan permintaan layanan penjualan data mikro dan/atau peta digital wilayah "
                "kerja statistik pada Silastik",
                "The applicant submits a request for microdata and/or digital maps of statistical work areas on "
                "Silastik",
            ),
            (
                "Pengguna layanan menyetujui syarat pembelian data mikro dan/atau peta digital wilayah kerja "
                "statistik " + _SALE_TERMS_3304[0],
                "The applicant agrees to the terms of purchase of microdata and/or digital maps of statistical work "
                "areas " + _SALE_TERMS_3304[1],
            ),
        ],
        (PROCEDURE, WALK_IN): [
            (
                "Pengguna layanan datang langsung ke unit PST BPS Kabupaten Banjarnegara dan menemui petugas "
                "frontline unit PST BPS",
                "The applicant comes in person to the PST desk of BPS Kabupaten Banjarnegara and meets its "
                "front-line officer",
            ),
            (
                "Pengguna layanan mengisi buku tamu elektronik dan mengambil nomor antrian",
                "The applicant fills in the electronic guest book and takes a queue number",
            ),
            ("Pengguna layanan menunggu waktu untuk dilayani", "The applicant waits to be served"),
            (
                "Pengguna layanan menginformasikan abstraksi penggunaan data dan daftar data mikro dan/atau peta "
                "digital wilayah kerja statistik yang diperlukan kepada petugas layanan",
                "The applicant tells the officer the data-usage abstract and the list of microdata and/or digital "
                "maps needed",
            ),
            (
                "Petugas layanan melakukan pemeriksaan kesesuaian antara abstraksi penggunaan data dan daftar data "
                "mikro dan/atau peta digital wilayah kerja statistik yang diperlukan: a. jika telah sesuai, pengguna "
                "layanan menandatangani Surat Perjanjian Penggunaan Data (SPPD) dengan meterai Rp10.000 dan "
                "menyerahkan kepada petugas layanan; b. jika tidak sesuai, pengguna layanan dialihkan ke layanan "
                "konsultasi statistik melalui media offline/datang langsung",
                "The officer checks that the abstract fits the list of microdata and/or maps needed: a. if it fits, "
                "the applicant signs the data-use agreement (SPPD) over a Rp10,000 duty stamp and hands it to the "
                "officer; b. if it does not, the applicant is referred to statistical consultation in person",
            ),
            (
                "Petugas layanan menyiapkan data mikro dan/atau peta digital wilayah kerja statistik dalam media "
                "elektronik, serta mencetak invoice",
                "The officer prepares the microdata and/or digital maps on electronic media and prints the invoice",
            ),
            (
                "Petugas layanan memberi informasi kepada bendahara daftar data mikro dan/atau peta digital yang "
                "dibeli oleh pengguna layanan",
                "The officer tells the treasurer which microdata and/or digital maps the applicant buys",
            ),
            (
                "Pengguna layanan membayar secara tunai ke bendahara atau kode billing Sistem informasi PNBP online "
                "pada aplikasi Simponi",
                "The applicant pays the treasurer in cash or with a billing code of the online PNBP system SIMPONI",
            ),
            (
                "Bendahara membuat dan menyerahkan kuitansi kepada pengguna layanan",
                "The treasurer makes out the receipt and hands it to the applicant",
            ),
            (
                "Petugas layanan menyerahkan kuitansi dan data mikro dan/atau peta digital wilayah kerja statistik "
                "dalam media elektronik kepada pengguna layanan",
                "The officer hands the receipt and the microdata and/or digital maps on electronic media to the "
                "applicant",
            ),
            (
                "Pengguna layanan melakukan pengecekan terhadap kuitansi dan data mikro dan/atau peta digital "
                "wilayah kerja statistik yang telah diterima",
                "The applicant checks the receipt and the microdata and/or digital maps received",
            ),
            (
                "Petugas layanan memperbaiki data mikro dan/atau peta digital wilayah kerja statistik jika terdapat "
                "kesalahan dan menyerahkan kembali kepada pengguna layanan",
                "The officer corrects the microdata and/or digital maps if there is an error and hands them over again",
            ),
            ("Pengguna layanan dapat langsung pulang", "The applicant may leave"),
        ],
        (PROCEDURE, ONLINE): [
            ("Pengguna layanan Log In di aplikasi pst online", "The applicant signs in to the online PST application"),
            (
                "Pengguna layanan mengakses Silastik: a. pengguna layanan memilih daftar variabel data mikro dan/atau "
                "peta digital yang diperlukan; b. pengguna layanan mengunggah/upload abstraksi penggunaan data",
                "The applicant opens Silastik: a. chooses the microdata variables and/or digital maps needed; b. "
                "uploads the data-usage abstract",
            ),
            (
                "Petugas layanan melakukan pemeriksaan kesesuaian antara abstraksi penggunaan data dan daftar data "
                "mikro dan/atau peta digital yang diperlukan: a. jika telah sesuai, petugas menyiapkan data mikro "
                "dan/atau peta digital yang diperlukan; b. jika tidak sesuai, transaksi akan dibatalkan, pengguna "
                "layanan dapat membuat transaksi baru",
                "The officer checks that the abstract fits the list of microdata and/or maps needed: a. if it fits, "
                "the officer prepares them; b. if it does not, the transaction is cancelled and the applicant may "
                "start a new one",
            ),
            (
                "Petugas layanan membuat dan mengirimkan file contoh data, invoice, dan Surat Perjanjian Penggunaan "
                "Data (SPPD) kepada pengguna layanan",
                "The officer makes and sends the sample data file, the invoice and the data-use agreement (SPPD) to "
                "the applicant",
            ),
            (
                "Khusus untuk layanan penjualan data mikro, petugas layanan mengirimkan contoh data kepada pengguna "
                "layanan melalui Silastik",
                "For microdata only, the officer sends the sample data to the applicant through Silastik",
            ),
            (
                "Pengguna layanan memeriksa contoh data yang diberikan oleh petugas",
                "The applicant checks the sample data the officer sent",
            ),
            (
                "Jika contoh data tidak sesuai maka pengguna layanan diberi satu kali kesempatan untuk memberikan "
                "revisi permintaan data",
                "If the sample does not fit, the applicant is given one chance to revise the request",
            ),
            (
                "Pengguna layanan melakukan pembayaran sesuai biaya pada invoice melalui: a. kode billing pada "
                "aplikasi Simponi, jika pengguna layanan berdomisili di dalam negeri; b. transfer dan mengirimkan "
                "bukti pembayaran melalui Silastik, jika pengguna layanan berdomisili di luar negeri",
                "The applicant pays the amount on the invoice: a. with a billing code of the SIMPONI application if "
                "living in Indonesia; b. by transfer, sending the proof of payment through Silastik, if living "
                "abroad",
            ),
            (
                "Pengguna layanan mengirimkan 2 (dua) rangkap SPPD asli yang telah ditandatangani secara fisik atau "
                "tanda tangan elektronik di atas meterai/e-meterai Rp10.000 ke alamat berikut: Badan Pusat Statistik "
                "Kabupaten Banjarnegara, Jl Selamanik No. 33 Banjarnegara, Jawa Tengah 53415, Telp (0286) 591893",
                "The applicant sends 2 (two) original copies of the SPPD, signed by hand or electronically over a "
                "Rp10,000 duty stamp or e-stamp, to: Badan Pusat Statistik Kabupaten Banjarnegara, Jl Selamanik No. "
                "33 Banjarnegara, Jawa Tengah 53415, phone (0286) 591893",
            ),
            (
                "Petugas layanan mengirimkan kuitansi dan data mikro dan/atau peta digital melalui Silastik",
                "The officer sends the receipt and the microdata and/or digital maps through Silastik",
            ),
            (
                "Pengguna layanan memberikan penilaian/rating dan umpan balik terhadap kualitas pelayanan yang telah "
                "diterima melalui Silastik. Jika terdapat permintaan tautan pada data mikro dan/atau peta digital "
                "akan dilayani maksimal 30 hari dari selesainya transaksi dengan menunjukkan kuitansi pembelian",
                "The applicant rates the service and gives feedback through Silastik. A request for the download "
                "link again is served up to 30 days after the transaction, on showing the receipt",
            ),
            (
                "Apabila terdapat feedback/rating yang perlu tindak lanjut, maka petugas layanan akan mengirimkan "
                "email ke pengguna layanan",
                "If a rating or feedback needs follow-up, the officer emails the applicant",
            ),
        ],
        (TIME, BOTH): [
            (
                "Pengguna data akan dilayani maksimal 10 menit sejak tamu pada antrian sebelumnya selesai",
                "The applicant is served within 10 minutes of the previous guest in the queue being finished",
            )
        ],
        (FEE, BOTH): [PAID_PP_7_2015],
        (PRODUCT, BOTH): [
            (
                "Data mikro fullset (tanpa pilih variabel) dan/atau peta digital wilayah kerja statistik",
                "Microdata as the full set (no choice of variables) and/or digital maps of statistical work areas",
            )
        ],
        (COMPLAINT, BOTH): _COMPLAINTS_3304,
    },
}

STANDARDS: dict[str, list[dict[str, Any]]] = {
    "6202": [
        _complaint_standard(_complaints_6202()),
        _visit_standard(10, _complaints_6202()),
        _SALE_6202,
        _RECOMMENDATION_6202,
    ],
    "6302": [
        _complaint_standard(_COMPLAINTS_6302),
        _visit_standard(10, _COMPLAINTS_6302),
        _SALE_6302,
    ],
    "1906": [
        _complaint_standard(_COMPLAINTS_1906),
        _visit_standard(5, _COMPLAINTS_1906),
        _SALE_1906,
    ],
    "3304": [
        _complaint_standard(_COMPLAINTS_3304),
        _visit_standard(10, _COMPLAINTS_3304),
        _SALE_3304,
    ],
}


def standard_fields(standard: dict[str, Any]) -> dict[str, Any]:
    """The ``service_standards`` columns of a seed standard."""
    title, title_en = standard["title"]
    return {
        "service": str(standard["service"]),
        "title": title,
        "title_en": title_en,
        "decree_number": standard["decree_number"],
        "time_limit": standard["time_limit"],
        "time_unit": str(standard["time_unit"]),
        "channels": [str(channel) for channel in standard["channels"]],
    }


def item_rows(standard_id: int, standard: dict[str, Any]) -> list[dict[str, Any]]:
    """The ``standard_items`` rows of a seed standard, numbered in order within each section and channel."""
    rows: list[dict[str, Any]] = []
    for (section, channel), items in standard["items"].items():
        for position, (text, text_en) in enumerate(items, start=1):
            rows.append(
                {
                    "standard_id": standard_id,
                    "section": section,
                    "channel": channel,
                    "position": position,
                    "text": text,
                    "text_en": text_en,
                }
            )
    return rows


async def restore_standards(session: AsyncSession) -> None:
    """The seed offices' standards back to the seed: their fields and every item (tests that edit them)."""
    for office_code, standards in STANDARDS.items():
        for standard in standards:
            fields = standard_fields(standard)
            row = await session.scalar(
                select(ServiceStandard).where(
                    ServiceStandard.office_code == office_code, ServiceStandard.service == fields["service"]
                )
            )
            if row is None:
                continue
            for name, value in fields.items():
                setattr(row, name, value)
            await session.execute(delete(StandardItem).where(StandardItem.standard_id == row.id))
            await session.execute(insert(StandardItem), item_rows(row.id, standard))
