"""The local SMTP server of make dev: keeps every mail in a Maildir, shown on /staff/outbox."""

from __future__ import annotations

import argparse
import logging
import mailbox
import os
import signal
import threading
from email.parser import BytesParser
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

log = logging.getLogger("pst.smtp")


class KeepingHandler:
    """An aiosmtpd handler that stores each received mail in ``directory`` (Maildir)."""

    def __init__(self, directory: Path) -> None:
        directory.parent.mkdir(parents=True, exist_ok=True)
        self.box = mailbox.Maildir(directory, create=True)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd API
        content = envelope.original_content or envelope.content
        raw = content if isinstance(content, bytes) else str(content).encode()
        self.box.add(raw)
        if log.isEnabledFor(logging.INFO):  # parsing the headers only to log the subject
            subject = BytesParser(policy=default_policy).parsebytes(raw, headersonly=True).get("Subject", "")
            log.info("kept mail to %s: %s", ", ".join(envelope.rcpt_tos), subject)
        return "250 Message accepted for delivery"


def serve(host: str, port: int, directory: Path) -> Controller:
    """Start the SMTP server in a background thread and return its controller."""
    controller = Controller(KeepingHandler(directory), hostname=host, port=port)
    controller.start()
    return controller


def main() -> None:
    """``python -m devstack.mailsink --port 1025 --dir var/mail``: run until SIGINT/SIGTERM."""
    parser = argparse.ArgumentParser(description="Local SMTP server that keeps every mail")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=1025)
    parser.add_argument("--dir", type=Path, required=True)
    args = parser.parse_args()
    logging.basicConfig(level=os.environ.get("PST_LOG_LEVEL", "INFO").upper(), format="%(message)s")
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    controller = serve(args.host, args.port, args.dir)
    log.info("SMTP server on %s:%d keeps mail in %s", args.host, args.port, args.dir)
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
