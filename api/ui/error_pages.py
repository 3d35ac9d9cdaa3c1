"""Errors as pages: a browser gets an Indonesian page saying what happened and what to do next; the JSON API (and
any client that does not ask for HTML) keeps its JSON answer."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request
from fastapi.responses import Response

from api.ui.pages import templates
from core.i18n import N_
from core.i18n import gettext as _


@dataclass(frozen=True)
class ErrorPage:
    """The heading of an error page and what the person can do next."""

    title: str
    next_step: str


PAGES: dict[int, ErrorPage] = {
    400: ErrorPage(N_("Permintaan tidak dapat dibaca"), N_("Periksa alamat atau isian Anda, lalu coba lagi.")),
    401: ErrorPage(N_("Anda perlu masuk"), N_("Masuk dengan akun Anda, lalu buka halaman ini lagi.")),
    403: ErrorPage(
        N_("Halaman ini bukan untuk akun Anda"),
        N_(
            "Buka dari kotak tugas Anda, atau masuk dengan akun yang berwenang. Jika Anda merasa seharusnya dapat "
            "membukanya, hubungi supervisor atau administrator kantor."
        ),
    ),
    404: ErrorPage(
        N_("Halaman tidak ditemukan"),
        N_(
            "Periksa alamatnya, atau buka permintaan dari kotak tugas (petugas) atau dari daftar permintaan Anda "
            "(pemohon)."
        ),
    ),
    405: ErrorPage(
        N_("Cara membuka halaman ini tidak didukung"), N_("Buka halaman dari menu, bukan dari alamat langsung.")
    ),
    409: ErrorPage(
        N_("Langkah ini tidak dapat dilakukan sekarang"),
        N_(
            "Permintaan ini mungkin sudah berpindah tahap. Muat ulang halaman permintaan untuk melihat tahapnya "
            "sekarang."
        ),
    ),
    410: ErrorPage(
        N_("Sudah berakhir"),
        N_("Waktu untuk langkah ini sudah lewat. Hubungi PST kantor bila Anda masih memerlukannya."),
    ),
    422: ErrorPage(
        N_("Isian belum benar"), N_("Kembali ke halaman sebelumnya, perbaiki isian yang disebutkan, lalu kirim lagi.")
    ),
    429: ErrorPage(N_("Terlalu banyak percobaan"), N_("Tunggu sebentar, lalu coba lagi.")),
    500: ErrorPage(
        N_("Terjadi kesalahan di sistem kami"),
        N_("Tidak ada data Anda yang hilang. Coba lagi beberapa saat lagi; bila terus terjadi, hubungi PST kantor."),
    ),
    503: ErrorPage(
        N_("Layanan sedang tidak tersedia"),
        N_(
            "Sistem alur kerja sedang dimulai ulang atau sibuk. Coba lagi beberapa saat lagi; langkah yang sudah "
            "tercatat "
            "tidak akan dijalankan dua kali."
        ),
    ),
}
UNEXPECTED = PAGES[500]


def wants_page(request: Request) -> bool:
    """A person's browser asking for a page (not the JSON API, not a script)."""
    path = request.url.path
    if path.startswith(("/api/", "/openapi", "/docs", "/static/", "/health")):
        return False
    return "text/html" in request.headers.get("accept", "")


def error_page(request: Request, status: int, message: str) -> Response:
    """The page of an error with ``status``: what happened (``message``, already in words) and what to do next."""
    page = PAGES.get(status, UNEXPECTED if status >= 500 else PAGES[400])
    return templates.TemplateResponse(
        request,
        "pages/error.html",
        {"status": status, "page": ErrorPage(_(page.title), _(page.next_step)), "message": message},
        status_code=status,
    )
