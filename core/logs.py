"""Stdlib logging for every process: one line per record, with the case id when there is one."""

from __future__ import annotations

import logging


class _CaseIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.case = f" [{record.case_id}]" if hasattr(record, "case_id") else ""
        return True


def configure_logging(level: str = "INFO", prefix: str = "") -> None:
    """Log to stderr as ``[prefix] LEVEL name [case-id] message``."""
    handler = logging.StreamHandler()
    handler.addFilter(_CaseIdFilter())
    handler.setFormatter(logging.Formatter(prefix + "%(levelname)s %(name)s%(case)s %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    logging.getLogger("temporalio").setLevel(logging.WARNING if level.upper() == "INFO" else level.upper())
