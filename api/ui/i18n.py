"""The English switch: pages are written in Bahasa Indonesia; with the ``lang=en`` cookie their text is
translated from this catalog, keyed by the Indonesian text (like gettext's msgid)."""

from __future__ import annotations

import re

from core.enums import ACTION_LABELS, ROLE_LABELS, SERVICE_LABELS, STEP_LABELS

LANG_COOKIE = "lang"

_UI = {
    "Kantor": "Offices",
    "Kotak tugas": "Inbox",
    "Masuk": "Sign in",
    "Keluar": "Sign out",
    "Outbox surat": "Mail outbox",
    "Daftar": "Register",
    "Administrasi": "Administration",
    "Dasbor kantor": "Office dashboard",
    "Kalender kantor": "Office calendar",
    "Standar pelayanan": "Service standards",
    "Pelayanan Statistik Terpadu": "Integrated Statistical Services",
    "Pelayanan Statistik Terpadu · Badan Pusat Statistik": "Integrated Statistical Services · Statistics Indonesia",
    "Permintaan saya": "My requests",
    "Ajukan permintaan baru": "New request",
    "Ajukan": "Submit",
    "Kirim": "Send",
    "Simpan": "Save",
    "Saring": "Filter",
    "Semua": "All",
    "Tambah": "Add",
    "Layanan": "Service",
    "Tahap": "Step",
    "Menunggu": "Waiting for",
    "Kanal": "Channel",
    "Pemohon": "Applicant",
    "Tenggat": "Deadline",
    "Tenggat layanan": "Service deadline",
    "Permintaan": "Request",
    "Diajukan": "Submitted",
    "Riwayat": "History",
    "Dokumen": "Documents",
    "Biaya": "Fee",
    "Alasan": "Reason",
    "Status": "Status",
    "Tindakan Anda": "Your actions",
    "Unduh data": "Download the data",
    "Unduh paket data": "Download the package",
    "Lihat alur kerja di Temporal UI": "See the workflow in the Temporal UI",
    "Tidak ada tugas untuk Anda saat ini.": "Nothing waits for you right now.",
    "Belum ada permintaan.": "No requests yet.",
    "Tidak ada permintaan terbuka.": "No open requests.",
    "permintaan terbuka": "open requests",
    "mendekati tenggat": "near the deadline",
    "melewati tenggat": "past the deadline",
    "Permintaan terbuka per layanan dan tahap": "Open requests by service and step",
    "Email": "Email",
    "Kata sandi": "Password",
    "Nama": "Name",
    "Peran": "Role",
    "Segmen": "Segment",
    "Sudah punya akun?": "Already registered?",
    "Daftar sebagai pemohon layanan": "Register as an applicant",
    "Untuk staf PST dan pemohon layanan. Belum punya akun pemohon?": "For PST staff and applicants. No account yet?",
    "Permintaan data mikro, peta digital atau publikasi": "Request microdata, digital maps or publications",
    "Kantor BPS": "BPS office",
    "Jenis": "Kind",
    "Data yang diminta": "Data requested",
    "Level peta": "Map level",
    "Abstraksi penggunaan data (ringkas)": "Data-usage abstract (summary)",
    "Abstraksi penggunaan data (PDF)": "Data-usage abstract (PDF)",
    "Data mikro (fullset)": "Microdata (full set)",
    "Peta digital wilkerstat": "Digital work-area map",
    "Publikasi (softcopy)": "Publication (softcopy)",
    "Periksa contoh data": "Check the sample data",
    "Contoh data sesuai": "The sample fits",
    "Ajukan revisi permintaan (hanya satu kali)": "Ask for a revision (once only)",
    "Revisi yang diminta": "Revision asked",
    "Minta tautan unduhan baru": "Ask for a new download link",
    "Nomor kuitansi": "Receipt number",
    "Saran dan masukan": "Suggestions",
    "Penilaian layanan (1 = tidak baik, 4 = sangat baik)": "Rate the service (1 = poor, 4 = very good)",
    "Saya ingin dihubungi untuk tindak lanjut": "Please contact me to follow up",
    "Unggah abstraksi penggunaan data (PDF)": "Upload the data-usage abstract (PDF)",
    "Unggah bukti transfer (PDF)": "Upload the transfer proof (PDF)",
    "Unggah SPPD bertanda tangan e-meterai (PDF)": "Upload the e-meterai-signed SPPD (PDF)",
    "Kirim ulang FS3": "Resubmit the FS3",
    "Catatan perbaikan": "Revision notes",
    "Akun staf": "Staff accounts",
    "Tambah akun staf": "Add a staff account",
    "Tarif PNBP": "PNBP tariffs",
    "Harga dasar": "Base price",
    "Harga tambahan": "Extra price",
    "aktif": "active",
    "sebelumnya": "previous",
    "berikutnya": "next",
    "Hari kerja yang libur": "Weekdays off",
    "Perubahan oleh kantor": "Office changes",
    "Tambah perubahan": "Add a change",
    "Tanggal": "Date",
    "Keterangan": "Description",
    "Sumber": "Source",
}
_LABELS = {
    "Permintaan diterima": "Request received",
    "Pemeriksaan kelengkapan permintaan": "Completeness check",
    "Menunggu pemohon melengkapi permintaan": "Waiting for the applicant to complete the request",
    "Pemeriksaan abstraksi penggunaan data": "Data-usage abstract check",
    "Penyiapan contoh data, invoice dan SPPD": "Preparing sample data, invoice and SPPD",
    "Menunggu pemohon memeriksa contoh data": "Waiting for the applicant to check the sample",
    "Menunggu pembayaran": "Waiting for payment",
    "Menunggu SPPD bertanda tangan dan bermeterai": "Waiting for the signed, stamped SPPD",
    "Penerbitan kuitansi oleh bendahara": "Receipt by the treasurer",
    "Pengiriman data": "Data delivery",
    "Data terkirim; masa layanan tautan ulang 30 hari": "Delivered; 30-day new-link window",
    "Selesai": "Completed",
    "Transaksi dibatalkan": "Cancelled",
    "Dialihkan ke konsultasi statistik": "Referred to statistical consultation",
    "Penunjukan pemeriksa oleh supervisor": "Supervisor assigns an examiner",
    "Pemeriksaan rancangan kegiatan statistik": "Examination of the survey design",
    "FS3 dikembalikan untuk perbaikan": "FS3 returned for revision",
    "Surat rekomendasi terbit": "Recommendation issued",
    "Pengaduan ditindaklanjuti": "Complaint being handled",
    "Pengaduan selesai ditanggapi": "Complaint answered",
    "Menunggu dipanggil": "Waiting to be called",
    "Dipanggil ke meja layanan": "Called to the desk",
    "Sedang dilayani": "Being served",
    "Selesai dilayani": "Served",
    "Penjualan data mikro dan peta digital wilkerstat": "Microdata and digital map sale",
    "Rekomendasi kegiatan statistik": "Statistical activity recommendation",
    "Kunjungan PST (buku tamu dan antrean)": "PST visit (guest book and queue)",
    "Pengaduan layanan": "Complaint",
    "Petugas PST": "PST officer",
    "Bendahara": "Treasurer",
    "Pemeriksa": "Examiner",
    "Operator": "Operator",
    "Supervisor": "Supervisor",
    "Supervisor provinsi": "Provincial supervisor",
    "Administrator": "Administrator",
    "Administrator nasional": "National administrator",
}
CATALOG: dict[str, str] = {**_UI, **_LABELS}
assert set(STEP_LABELS.values()) <= set(CATALOG) and set(SERVICE_LABELS.values()) <= set(CATALOG)
assert set(ROLE_LABELS.values()) <= set(CATALOG) and ACTION_LABELS

_TEXT = re.compile(r">([^<>]+)<")


def _translate_text(match: re.Match[str]) -> str:
    text = match.group(1)
    stripped = text.strip()
    for arrow in ("\u2190 ", "&larr; "):
        if stripped.startswith(arrow) and stripped[len(arrow) :] in CATALOG:
            return ">" + text.replace(stripped, arrow + CATALOG[stripped[len(arrow) :]]) + "<"
    english = CATALOG.get(stripped)
    return ">" + text.replace(stripped, english) + "<" if english else match.group(0)


def translate(html: str, lang: str) -> str:
    """The page in ``lang``: Indonesian as written, or English for every text in the catalog."""
    if lang != "en":
        return html
    return _TEXT.sub(_translate_text, html).replace('<html lang="id">', '<html lang="en">')
