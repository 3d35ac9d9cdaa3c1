"""FastAPI application: JSON API under /api/v1 and the server-rendered UI."""
