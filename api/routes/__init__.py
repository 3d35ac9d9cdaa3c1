"""JSON routes under /api/v1 (thin: parse, call a service, map the result)."""
