"""Closed vocabularies shared by the database, the workflows and the API."""

from __future__ import annotations

from enum import StrEnum


class Service(StrEnum):
    """A PST service; each runs as its own workflow type."""

    SALE = "sale"
    RECOMMENDATION = "recommendation"
    VISIT = "visit"
    COMPLAINT = "complaint"


class Role(StrEnum):
    """Staff roles, held per office; the national administrator's account sits at one office but its role is
    national (it changes the national PNBP tariffs, nothing of an office)."""

    OFFICER = "officer"
    TREASURER = "treasurer"
    EXAMINER = "examiner"
    OPERATOR = "operator"
    SUPERVISOR = "supervisor"
    PROVINCIAL_SUPERVISOR = "provincial_supervisor"
    ADMINISTRATOR = "administrator"
    NATIONAL_ADMINISTRATOR = "national_administrator"


# The roles an office gives its own staff (every role but the national one).
OFFICE_ROLES: tuple[Role, ...] = tuple(role for role in Role if role is not Role.NATIONAL_ADMINISTRATOR)

# The roles that oversee an office: they see every case of the inbox, the dashboard and the reports.
OVERSEERS: frozenset[Role] = frozenset({Role.SUPERVISOR, Role.PROVINCIAL_SUPERVISOR, Role.ADMINISTRATOR})


class Channel(StrEnum):
    """How a request reached the office."""

    ONLINE = "online"
    WALK_IN = "walk_in"


class Segment(StrEnum):
    """Applicant segments of the sale service."""

    GOVERNMENT = "government"
    EDUCATION = "education"
    PRIVATE = "private"
    INDIVIDUAL = "individual"
    FOREIGN = "foreign"


class InstitutionKind(StrEnum):
    """What kind of body an institution is (from its applicants' segment); Rp0 is for the first, second and last."""

    GOVERNMENT = "government"
    EDUCATION = "education"
    PRIVATE = "private"
    INTERNATIONAL = "international"


class SaleStep(StrEnum):
    """Where a sale stands; the value is what the Temporal search attribute PstStep carries."""

    SUBMITTED = "submitted"
    COMPLETENESS = "completeness"
    RETURNED = "returned"
    ABSTRACT_REVIEW = "abstract_review"
    OFFER = "offer"
    SAMPLE_REVIEW = "sample_review"
    PAYMENT = "payment"
    SPPD = "sppd"
    RECEIPT = "receipt"
    DELIVERY = "delivery"
    SUPPORT = "support"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    REFERRED_TO_CONSULTATION = "referred_to_consultation"


class RecommendationStep(StrEnum):
    """Where a recommendation request (FS3) stands."""

    SUBMITTED = "submitted"
    COMPLETENESS = "completeness"
    RETURNED = "returned"
    ASSIGNMENT = "assignment"
    EXAMINATION = "examination"
    REVISION = "revision"
    RECOMMENDED = "recommended"


class ComplaintStep(StrEnum):
    """Where a complaint stands."""

    SUBMITTED = "submitted"
    RESPONSE = "response"
    RESOLVED = "resolved"


class VisitStep(StrEnum):
    """Where a guest of the PST desk stands."""

    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    DONE = "done"


class CaseStatus(StrEnum):
    """Whether a case still needs work."""

    OPEN = "open"
    CANCELLED = "cancelled"
    COMPLETED = "completed"


class Decision(StrEnum):
    """An officer's answer to a check."""

    APPROVE = "approve"
    REJECT = "reject"


class TimeUnit(StrEnum):
    """Unit of a service standard's time limit."""

    WORKING_DAYS = "working_days"
    DAYS = "days"
    MINUTES = "minutes"


class SlaState(StrEnum):
    """Where a case's SLA clock stands, as the read model shows it."""

    NOT_STARTED = "not_started"
    RUNNING = "running"
    WARNING = "warning"
    BREACHED = "breached"
    PAUSED = "paused"
    STOPPED = "stopped"


COUNTING_SLA_STATES = (SlaState.RUNNING, SlaState.WARNING, SlaState.BREACHED)


class ClockAction(StrEnum):
    """What the SLA clock did in a step, as the timeline records it (its notices are CLOCK_NOTICES in contracts)."""

    STARTED = "sla_started"
    RESUMED = "sla_resumed"
    PAUSED = "sla_paused"
    STOPPED = "sla_stopped"
    RECOMPUTED = "sla_recomputed"


COUNTING_CLOCK_ACTIONS = (ClockAction.STARTED, ClockAction.RESUMED, ClockAction.RECOMPUTED)  # a deadline follows


class ActorKind(StrEnum):
    """Who acts on a case besides staff roles: the applicant, or the system (the clock, SIMPONI)."""

    APPLICANT = "applicant"
    SYSTEM = "system"


class PaymentMethod(StrEnum):
    """How a sale was paid."""

    SIMPONI = "simponi"
    CASH = "cash"
    TRANSFER = "transfer"
    ZERO_RUPIAH = "zero_rupiah"


class PaymentStatus(StrEnum):
    """Where a payment row stands: a billing code waiting, paid, replaced by a newer code, or refused."""

    PENDING = "pending"
    PAID = "paid"
    VOID = "void"
    REJECTED = "rejected"


class FollowUpStatus(StrEnum):
    """Whether a rating's follow-up is still to do."""

    OPEN = "open"
    DONE = "done"


class MailStatus(StrEnum):
    """Delivery state of a mail in the outbox."""

    PENDING = "pending"
    SENT = "sent"


STEP_LABELS: dict[str, str] = {
    SaleStep.SUBMITTED: "Permintaan diterima",
    SaleStep.COMPLETENESS: "Pemeriksaan kelengkapan permintaan",
    SaleStep.RETURNED: "Menunggu pemohon melengkapi permintaan",
    SaleStep.ABSTRACT_REVIEW: "Pemeriksaan abstraksi penggunaan data",
    SaleStep.OFFER: "Penyiapan contoh data, invoice dan SPPD",
    SaleStep.SAMPLE_REVIEW: "Menunggu pemohon memeriksa contoh data",
    SaleStep.PAYMENT: "Menunggu pembayaran",
    SaleStep.SPPD: "Menunggu SPPD bertanda tangan dan bermeterai",
    SaleStep.RECEIPT: "Penerbitan kuitansi oleh bendahara",
    SaleStep.DELIVERY: "Pengiriman data",
    SaleStep.SUPPORT: "Data terkirim; masa layanan tautan ulang 30 hari",
    SaleStep.COMPLETED: "Selesai",
    SaleStep.CANCELLED: "Transaksi dibatalkan",
    SaleStep.REFERRED_TO_CONSULTATION: "Dialihkan ke konsultasi statistik",
    RecommendationStep.ASSIGNMENT: "Penunjukan pemeriksa oleh supervisor",
    RecommendationStep.EXAMINATION: "Pemeriksaan rancangan kegiatan statistik",
    RecommendationStep.REVISION: "FS3 dikembalikan untuk perbaikan",
    RecommendationStep.RECOMMENDED: "Surat rekomendasi terbit",
    ComplaintStep.RESPONSE: "Pengaduan ditindaklanjuti",
    ComplaintStep.RESOLVED: "Pengaduan selesai ditanggapi",
    VisitStep.WAITING: "Menunggu dipanggil",
    VisitStep.CALLED: "Dipanggil ke meja layanan",
    VisitStep.SERVING: "Sedang dilayani",
    VisitStep.DONE: "Selesai dilayani",
}

ROLE_LABELS: dict[str, str] = {
    Role.OFFICER: "Petugas PST",
    Role.TREASURER: "Bendahara",
    Role.EXAMINER: "Pemeriksa",
    Role.OPERATOR: "Operator",
    Role.SUPERVISOR: "Supervisor",
    Role.PROVINCIAL_SUPERVISOR: "Supervisor provinsi",
    Role.ADMINISTRATOR: "Administrator",
    Role.NATIONAL_ADMINISTRATOR: "Administrator nasional",
}

SERVICE_LABELS: dict[str, str] = {
    Service.SALE: "Penjualan data mikro dan peta digital wilkerstat",
    Service.RECOMMENDATION: "Rekomendasi kegiatan statistik",
    Service.VISIT: "Kunjungan PST (buku tamu dan antrean)",
    Service.COMPLAINT: "Pengaduan layanan",
}

ACTION_LABELS: dict[str, str] = {
    "submitted": "Permintaan diajukan",
    "request_returned": "Dikembalikan: belum lengkap",
    "request_completed": "Dilengkapi pemohon",
    "request_complete": "Dinyatakan jelas dan lengkap",
    "abstract": "Abstraksi diunggah",
    "abstract_approved": "Abstraksi sesuai",
    "abstract_rejected": "Abstraksi tidak sesuai: transaksi dibatalkan",
    "referred_to_consultation": "Dialihkan ke konsultasi statistik",
    "offer": "Contoh data, invoice dan SPPD dikirim",
    "sample_accepted": "Contoh data diterima pemohon",
    "revision_requested": "Pemohon meminta revisi",
    "billing_issued": "Kode billing SIMPONI diterbitkan",
    "billing_expired": "Kode billing kedaluwarsa",
    "transfer_proof": "Bukti transfer diunggah",
    "transfer_rejected": "Bukti transfer ditolak",
    "paid": "Pembayaran diterima",
    "sppd_signed": "SPPD e-meterai diunggah",
    "sppd_rejected": "SPPD ditolak",
    "sppd_accepted": "SPPD e-meterai diterima",
    "sppd_received": "SPPD asli diterima",
    "receipt_issued": "Kuitansi diterbitkan",
    "delivered": "Data dikirim",
    "link": "Tautan unduhan baru",
    "rated": "Penilaian diberikan",
    "follow_up_recorded": "Tindak lanjut dicatat",
    "support_window_closed": "Masa layanan 30 hari berakhir",
    "recorded_complete": "FS3 terekam lengkap",
    "returned_incomplete": "FS3 dikembalikan: belum lengkap",
    "completed_by_agency": "FS3 dilengkapi instansi",
    "examiner_assigned": "Pemeriksa ditunjuk",
    "returned_round": "FS3 dikembalikan untuk perbaikan",
    "revision_submitted": "FS3 perbaikan dikirim",
    "recommended": "Rekomendasi terbit",
    "complaint_received": "Pengaduan diterima",
    "guest_registered": "Tamu mengisi buku tamu",
    "queue_clock_started": "Giliran menunggu dimulai",
    "guest_called": "Tamu dipanggil",
    "service_started": "Layanan dimulai",
    "service_finished": "Layanan selesai",
    "case_opened": "Permintaan dibuka dari kunjungan",
    "complaint_resolved": "Tanggapan dikirim",
    ClockAction.STARTED: "Waktu layanan mulai dihitung",
    ClockAction.PAUSED: "Waktu layanan dijeda",
    ClockAction.RESUMED: "Waktu layanan berjalan lagi",
    ClockAction.STOPPED: "Waktu layanan selesai",
    ClockAction.RECOMPUTED: "Tenggat dihitung ulang (kalender berubah)",
    "sla_warning": "Peringatan tenggat",
    "sla_breached": "Tenggat terlewati",
    "sla_escalated": "Eskalasi ke supervisor provinsi",
    "assigned": "Tugas diserahkan",
}


def action_label(action: str) -> str:
    """The Indonesian label of an audit action (numbered actions like ``offer_2`` share their label)."""
    return ACTION_LABELS.get(action) or ACTION_LABELS.get(action.rstrip("0123456789").rstrip("_"), action)


class ComplaintChannel(StrEnum):
    """How a complaint reached the office: the channels of the seeds' complaint standard, and the portal."""

    SUGGESTION_BOX = "suggestion_box"
    IN_PERSON = "in_person"
    WEBSITE = "website"
    EMAIL = "email"
    SMS_WHATSAPP = "sms_whatsapp"
    SOCIAL_MEDIA = "social_media"
    LAPOR = "lapor"
    PORTAL = "portal"  # filed by the applicant in the portal; never recorded at the desk


COMPLAINT_CHANNEL_LABELS: dict[str, str] = {
    ComplaintChannel.SUGGESTION_BOX: "Kotak saran dan pengaduan",
    ComplaintChannel.IN_PERSON: "Datang langsung ke meja PST",
    ComplaintChannel.WEBSITE: "Formulir pengaduan di situs web",
    ComplaintChannel.EMAIL: "Email",
    ComplaintChannel.SMS_WHATSAPP: "SMS/WhatsApp",
    ComplaintChannel.SOCIAL_MEDIA: "Media sosial",
    ComplaintChannel.LAPOR: "SP4N-LAPOR!",
    ComplaintChannel.PORTAL: "Portal PST",
}

SEGMENT_LABELS: dict[str, str] = {
    Segment.GOVERNMENT: "Instansi pemerintah",
    Segment.EDUCATION: "Lembaga pendidikan",
    Segment.PRIVATE: "Swasta",
    Segment.INDIVIDUAL: "Perorangan / mahasiswa",
    Segment.FOREIGN: "Asing / lembaga internasional",
}

DOCUMENT_KIND_LABELS: dict[str, str] = {
    "abstract": "Abstraksi penggunaan data",
    "request_letter": "Surat permohonan",
    "transfer_proof": "Bukti transfer",
    "sppd_signed": "SPPD bertanda tangan dan bermeterai",
    "sppd_draft": "Draf SPPD",
    "invoice": "Invoice",
    "sample": "Contoh data",
    "data_package": "Paket data",
    "receipt": "Kuitansi",
    "recommendation_letter": "Surat rekomendasi",
    "fs3_manual": "FS3 (berkas)",
}

PAYMENT_METHOD_LABELS: dict[str, str] = {
    PaymentMethod.SIMPONI: "SIMPONI (kode billing)",
    PaymentMethod.CASH: "Tunai di kantor",
    PaymentMethod.TRANSFER: "Transfer dari luar negeri",
    PaymentMethod.ZERO_RUPIAH: "Rp0 (tanpa biaya)",
}

PAYMENT_STATUS_LABELS: dict[str, str] = {
    PaymentStatus.PENDING: "Menunggu pembayaran",
    PaymentStatus.PAID: "Lunas",
    PaymentStatus.VOID: "Diganti kode baru",
    PaymentStatus.REJECTED: "Ditolak",
}

CLOCK_STATE_LABELS: dict[str, str] = {
    SlaState.NOT_STARTED: "Belum berjalan",
    SlaState.RUNNING: "Berjalan",
    SlaState.WARNING: "Berjalan, mendekati tenggat",
    SlaState.BREACHED: "Melewati tenggat",
    SlaState.PAUSED: "Dijeda: menunggu pemohon",
    SlaState.STOPPED: "Berhenti: layanan selesai",
}
