"""Closed vocabularies shared by the database, the workflows and the API."""

from __future__ import annotations

from enum import StrEnum

from core.i18n import N_, Labels


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
    NOT_SERVED = "not_served"  # the office closed for the day before the guest was served


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
    FAILED = "failed"  # refused for good by the SMTP server, or not buildable: never tried again


# Where a recommendation, complaint or visit goes when the officer or supervisor closes it (a sale goes to "cancelled").
CLOSED_STEP = "closed"

STEP_LABELS: Labels[str] = Labels(
    {
        SaleStep.SUBMITTED: N_("Permintaan diterima"),
        SaleStep.COMPLETENESS: N_("Pemeriksaan kelengkapan permintaan"),
        SaleStep.RETURNED: N_("Menunggu pemohon melengkapi permintaan"),
        SaleStep.ABSTRACT_REVIEW: N_("Pemeriksaan abstraksi penggunaan data"),
        SaleStep.OFFER: N_("Penyiapan contoh data, invoice dan SPPD"),
        SaleStep.SAMPLE_REVIEW: N_("Menunggu pemohon memeriksa contoh data"),
        SaleStep.PAYMENT: N_("Menunggu pembayaran"),
        SaleStep.SPPD: N_("Menunggu SPPD bertanda tangan dan bermeterai"),
        SaleStep.RECEIPT: N_("Penerbitan kuitansi oleh bendahara"),
        SaleStep.DELIVERY: N_("Pengiriman data"),
        SaleStep.SUPPORT: N_("Data terkirim; masa layanan tautan ulang 30 hari"),
        SaleStep.COMPLETED: N_("Selesai"),
        SaleStep.CANCELLED: N_("Transaksi dibatalkan"),
        SaleStep.REFERRED_TO_CONSULTATION: N_("Dialihkan ke konsultasi statistik"),
        RecommendationStep.ASSIGNMENT: N_("Penunjukan pemeriksa oleh supervisor"),
        RecommendationStep.EXAMINATION: N_("Pemeriksaan rancangan kegiatan statistik"),
        RecommendationStep.REVISION: N_("FS3 dikembalikan untuk perbaikan"),
        RecommendationStep.RECOMMENDED: N_("Surat rekomendasi terbit"),
        ComplaintStep.RESPONSE: N_("Pengaduan ditindaklanjuti"),
        ComplaintStep.RESOLVED: N_("Pengaduan selesai ditanggapi"),
        VisitStep.WAITING: N_("Menunggu dipanggil"),
        VisitStep.CALLED: N_("Dipanggil ke meja layanan"),
        VisitStep.SERVING: N_("Sedang dilayani"),
        VisitStep.DONE: N_("Selesai dilayani"),
        VisitStep.NOT_SERVED: N_("Tidak dilayani"),
        CLOSED_STEP: N_("Ditutup oleh petugas"),
    }
)

ROLE_LABELS: Labels[str] = Labels(
    {
        Role.OFFICER: N_("Petugas PST"),
        Role.TREASURER: N_("Bendahara"),
        Role.EXAMINER: N_("Pemeriksa"),
        Role.OPERATOR: N_("Operator"),
        Role.SUPERVISOR: N_("Supervisor"),
        Role.PROVINCIAL_SUPERVISOR: N_("Supervisor provinsi"),
        Role.ADMINISTRATOR: N_("Administrator"),
        Role.NATIONAL_ADMINISTRATOR: N_("Administrator nasional"),
    }
)

SERVICE_LABELS: Labels[str] = Labels(
    {
        Service.SALE: N_("Penjualan data mikro dan peta digital wilkerstat"),
        Service.RECOMMENDATION: N_("Rekomendasi kegiatan statistik"),
        Service.VISIT: N_("Kunjungan PST (buku tamu dan antrean)"),
        Service.COMPLAINT: N_("Pengaduan layanan"),
    }
)

ACTION_LABELS: Labels[str] = Labels(
    {
        "submitted": N_("Permintaan diajukan"),
        "request_returned": N_("Dikembalikan: belum lengkap"),
        "request_completed": N_("Dilengkapi pemohon"),
        "request_complete": N_("Dinyatakan jelas dan lengkap"),
        "abstract": N_("Abstraksi diunggah"),
        "abstract_approved": N_("Abstraksi sesuai"),
        "abstract_rejected": N_("Abstraksi tidak sesuai: transaksi dibatalkan"),
        "referred_to_consultation": N_("Dialihkan ke konsultasi statistik"),
        "offer": N_("Contoh data, invoice dan SPPD dikirim"),
        "sample_accepted": N_("Contoh data diterima pemohon"),
        "revision_requested": N_("Pemohon meminta revisi"),
        "billing_issued": N_("Kode billing SIMPONI diterbitkan"),
        "billing_expired": N_("Kode billing kedaluwarsa"),
        "transfer_proof": N_("Bukti transfer diunggah"),
        "transfer_rejected": N_("Bukti transfer ditolak"),
        "paid": N_("Pembayaran diterima"),
        "sppd_signed": N_("SPPD e-meterai diunggah"),
        "sppd_rejected": N_("SPPD ditolak"),
        "sppd_accepted": N_("SPPD e-meterai diterima"),
        "sppd_received": N_("SPPD asli diterima"),
        "receipt_issued": N_("Kuitansi diterbitkan"),
        "delivered": N_("Data dikirim"),
        "link": N_("Tautan unduhan baru"),
        "rated": N_("Penilaian diberikan"),
        "follow_up_recorded": N_("Tindak lanjut dicatat"),
        "follow_up_due": N_("Tindak lanjut penilaian belum dicatat: supervisor diberi tahu"),
        "follow_up_overdue": N_("Tindak lanjut penilaian tidak dicatat sampai batas waktu"),
        "corrected": N_("Data perbaikan dikirim; paket sebelumnya diganti"),
        "support_window_closed": N_("Masa layanan 30 hari berakhir"),
        "wait_reminder": N_("Pengingat dikirim ke pemohon: permintaan akan ditutup bila tidak ditanggapi"),
        "closed_timeout": N_("Ditutup: pemohon tidak menanggapi sampai batas waktu"),
        "recorded_complete": N_("FS3 terekam lengkap"),
        "returned_incomplete": N_("FS3 dikembalikan: belum lengkap"),
        "completed_by_agency": N_("FS3 dilengkapi instansi"),
        "examiner_assigned": N_("Pemeriksa ditunjuk"),
        "returned_round": N_("FS3 dikembalikan untuk perbaikan"),
        "revision_submitted": N_("FS3 perbaikan dikirim"),
        "recommended": N_("Rekomendasi terbit"),
        "complaint_received": N_("Pengaduan diterima"),
        "guest_registered": N_("Tamu mengisi buku tamu"),
        "queue_clock_started": N_("Giliran menunggu dimulai"),
        "guest_called": N_("Tamu dipanggil"),
        "service_started": N_("Layanan dimulai"),
        "service_finished": N_("Layanan selesai"),
        "service_finished_at_day_end": N_("Layanan ditutup oleh sistem di akhir hari: petugas belum menandai selesai"),
        "not_served": N_("Tidak dilayani: layanan kantor tutup sebelum tamu dilayani"),
        "case_opened": N_("Permintaan dibuka dari kunjungan"),
        "complaint_resolved": N_("Tanggapan dikirim"),
        "case_closed": N_("Ditutup oleh petugas"),
        "reopen_window": N_("Supervisor dapat membuka kembali permintaan ini selama masa layanan"),
        "case_reopened": N_("Dibuka kembali oleh supervisor"),
        ClockAction.STARTED: N_("Waktu layanan mulai dihitung"),
        ClockAction.PAUSED: N_("Waktu layanan dijeda"),
        ClockAction.RESUMED: N_("Waktu layanan berjalan lagi"),
        ClockAction.STOPPED: N_("Waktu layanan selesai"),
        ClockAction.RECOMPUTED: N_("Tenggat dihitung ulang (kalender berubah)"),
        "sla_warning": N_("Peringatan tenggat"),
        "sla_breached": N_("Tenggat terlewati"),
        "sla_escalated": N_("Eskalasi ke supervisor provinsi"),
        "assigned": N_("Tugas diserahkan"),
        "mail_stand_in": N_("Surat dialihkan"),
        "mail_not_written": N_("Surat tidak terkirim"),
    }
)


def action_label(action: str) -> str:
    """The label of an audit action, in the current language (numbered actions like ``offer_2`` share their label)."""
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


COMPLAINT_CHANNEL_LABELS: Labels[str] = Labels(
    {
        ComplaintChannel.SUGGESTION_BOX: N_("Kotak saran dan pengaduan"),
        ComplaintChannel.IN_PERSON: N_("Datang langsung ke meja PST"),
        ComplaintChannel.WEBSITE: N_("Formulir pengaduan di situs web"),
        ComplaintChannel.EMAIL: N_("Email"),
        ComplaintChannel.SMS_WHATSAPP: N_("SMS/WhatsApp"),
        ComplaintChannel.SOCIAL_MEDIA: N_("Media sosial"),
        ComplaintChannel.LAPOR: N_("SP4N-LAPOR!"),
        ComplaintChannel.PORTAL: N_("Portal PST"),
    }
)

SEGMENT_LABELS: Labels[str] = Labels(
    {
        Segment.GOVERNMENT: N_("Instansi pemerintah"),
        Segment.EDUCATION: N_("Lembaga pendidikan"),
        Segment.PRIVATE: N_("Swasta"),
        Segment.INDIVIDUAL: N_("Perorangan / mahasiswa"),
        Segment.FOREIGN: N_("Asing / lembaga internasional"),
    }
)

DOCUMENT_KIND_LABELS: Labels[str] = Labels(
    {
        "abstract": N_("Abstraksi penggunaan data"),
        "request_letter": N_("Surat permohonan"),
        "transfer_proof": N_("Bukti transfer"),
        "sppd_signed": N_("SPPD bertanda tangan dan bermeterai"),
        "sppd_draft": N_("Draf SPPD"),
        "invoice": N_("Invoice"),
        "sample": N_("Contoh data"),
        "data_package": N_("Paket data"),
        "receipt": N_("Kuitansi"),
        "recommendation_letter": N_("Surat rekomendasi"),
        "fs3_manual": N_("FS3 (berkas)"),
    }
)

PAYMENT_METHOD_LABELS: Labels[str] = Labels(
    {
        PaymentMethod.SIMPONI: N_("SIMPONI (kode billing)"),
        PaymentMethod.CASH: N_("Tunai di kantor"),
        PaymentMethod.TRANSFER: N_("Transfer dari luar negeri"),
        PaymentMethod.ZERO_RUPIAH: N_("Rp0 (tanpa biaya)"),
    }
)

PAYMENT_STATUS_LABELS: Labels[str] = Labels(
    {
        PaymentStatus.PENDING: N_("Menunggu pembayaran"),
        PaymentStatus.PAID: N_("Lunas"),
        PaymentStatus.VOID: N_("Diganti kode baru"),
        PaymentStatus.REJECTED: N_("Ditolak"),
    }
)

CLOCK_STATE_LABELS: Labels[str] = Labels(
    {
        SlaState.NOT_STARTED: N_("Belum berjalan"),
        SlaState.RUNNING: N_("Berjalan"),
        SlaState.WARNING: N_("Berjalan, mendekati tenggat"),
        SlaState.BREACHED: N_("Melewati tenggat"),
        SlaState.PAUSED: N_("Dijeda: menunggu pemohon"),
        SlaState.STOPPED: N_("Berhenti: layanan selesai"),
    }
)
