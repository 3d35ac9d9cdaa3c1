"""make bench: whole online sales through the HTTP API beside a bare Temporal workflow (the anchor)."""
