"""A starting catalogue for each seed office: a few datasets with their variables, the regency's wilkerstat maps and
its publications. Inserted only for an office with no catalogue yet: an administrator's catalogue is never
overwritten."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import CatalogueDataset, CatalogueMap, CataloguePublication

SUSENAS = [
    ("R101", "Kode provinsi"),
    ("R102", "Kode kabupaten/kota"),
    ("R105", "Klasifikasi desa (perkotaan/perdesaan)"),
    ("R301", "Jumlah anggota rumah tangga"),
    ("R405", "Jenis kelamin"),
    ("R407", "Umur"),
    ("R610", "Partisipasi sekolah"),
    ("R614", "Ijazah tertinggi yang dimiliki"),
    ("R705", "Bekerja selama seminggu terakhir"),
    ("R1802", "Status kepemilikan bangunan tempat tinggal"),
    ("R1809", "Luas lantai (m²)"),
    ("EXPEND", "Pengeluaran per kapita sebulan"),
    ("WEIND", "Penimbang individu"),
]
SAKERNAS = [
    ("KODE_PROV", "Kode provinsi"),
    ("KODE_KAB", "Kode kabupaten/kota"),
    ("DK4", "Jenis kelamin"),
    ("DK10", "Umur"),
    ("DK13", "Pendidikan tertinggi yang ditamatkan"),
    ("R6A", "Kegiatan terbanyak seminggu yang lalu"),
    ("R10A", "Lapangan usaha pekerjaan utama"),
    ("R12", "Status pekerjaan utama"),
    ("R15", "Jumlah jam kerja seminggu"),
    ("R25", "Upah/gaji bersih sebulan"),
    ("WEIGHT", "Penimbang"),
]
PODES = [
    ("IDDESA", "Kode wilayah desa/kelurahan"),
    ("NAMA_DESA", "Nama desa/kelurahan"),
    ("R401", "Jumlah penduduk"),
    ("R403", "Sumber penghasilan utama sebagian besar penduduk"),
    ("R501", "Penggunaan listrik"),
    ("R701", "Jumlah sekolah dasar"),
    ("R704", "Jumlah puskesmas"),
    ("R1001", "Jenis permukaan jalan terluas"),
    ("R1101", "Sinyal telepon seluler"),
]
SE2016 = [
    ("KBLI", "Kategori lapangan usaha (KBLI 2015)"),
    ("SKALA", "Skala usaha (mikro/kecil)"),
    ("TK", "Jumlah tenaga kerja"),
    ("OMZET", "Pendapatan usaha setahun"),
    ("LOKASI", "Lokasi tempat usaha"),
    ("BADAN_HUKUM", "Status badan hukum"),
    ("INTERNET", "Penggunaan internet untuk usaha"),
]


def _variables(pairs: list[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"code": code, "label": label} for code, label in pairs]


# (survey, year, level, bytes, variables) for every office; the areas and publications differ by regency.
DATASETS: list[tuple[str, int, str, int, list[tuple[str, str]]]] = [
    ("Susenas Maret", 2024, "kabupaten", 4_200_000, SUSENAS),
    ("Sakernas Agustus", 2024, "kabupaten", 1_800_000, SAKERNAS),
    ("Podes", 2024, "desa", 900_000, PODES),
    ("SE2016 Lanjutan (UMK)", 2017, "kabupaten", 2_500_000, SE2016),
]
REGENCIES: dict[str, dict[str, Any]] = {
    "6202": {
        "regency": "Kabupaten Kotawaringin Timur",
        "kecamatan": ["Mentawa Baru Ketapang", "Baamang", "Seranau", "Kota Besi", "Cempaga", "Parenggean"],
    },
    "6302": {
        "regency": "Kabupaten Kotabaru",
        "kecamatan": ["Pulau Laut Utara", "Pulau Laut Barat", "Pulau Laut Timur", "Pulau Sebuku", "Kelumpang Hulu"],
    },
    "1906": {
        "regency": "Kabupaten Belitung Timur",
        "kecamatan": ["Manggar", "Gantung", "Dendang", "Kelapa Kampit", "Damar", "Simpang Renggiang", "Simpang Pesak"],
    },
    "3304": {
        "regency": "Kabupaten Banjarnegara",
        "kecamatan": ["Banjarnegara", "Bawang", "Madukara", "Wanadadi", "Purwareja Klampok", "Batur", "Karangkobar"],
    },
}


def _publications(regency: str) -> list[tuple[str, int, int]]:
    return [
        (f"{regency} Dalam Angka 2025", 2025, 318),
        (f"Statistik Daerah {regency} 2024", 2024, 44),
        (f"Indikator Kesejahteraan Rakyat {regency} 2024", 2024, 96),
    ]


def catalogue_rows(office_code: str) -> list[Any]:
    """The seed catalogue of one office as new rows."""
    place = REGENCIES[office_code]
    rows: list[Any] = [
        CatalogueDataset(
            office_code=office_code,
            survey=survey,
            year=year,
            level=level,
            size_bytes=size,
            variables=_variables(variables),
            active=True,
        )
        for survey, year, level, size, variables in DATASETS
    ]
    areas = [f"Seluruh {place['regency']}", *[f"Kecamatan {name}" for name in place["kecamatan"]]]
    rows += [CatalogueMap(office_code=office_code, area=area, year=2024, active=True) for area in areas]
    rows += [
        CataloguePublication(office_code=office_code, title=title, year=year, pages=pages, active=True)
        for title, year, pages in _publications(place["regency"])
    ]
    return rows


async def seed_catalogue(session: AsyncSession) -> None:
    """Give each seed office its starting catalogue, unless it has one (of any kind) already."""
    stocked = set((await session.scalars(select(CatalogueDataset.office_code))).all())
    stocked |= set((await session.scalars(select(CatalogueMap.office_code))).all())
    stocked |= set((await session.scalars(select(CataloguePublication.office_code))).all())
    for office_code in REGENCIES:
        if office_code not in stocked:
            session.add_all(catalogue_rows(office_code))


async def restore_catalogue(session: AsyncSession) -> None:
    """Every seed office's catalogue as seeded, whatever was changed (tests restore it after each test)."""
    for model in (CatalogueDataset, CatalogueMap, CataloguePublication):
        await session.execute(delete(model))
    await seed_catalogue(session)
