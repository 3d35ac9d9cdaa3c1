# PST Flow application image: one image for the API (default CMD), the worker (`python worker.py`)
# and the one-shot migration (`pst migrate`). Used by docker-compose.yml.
FROM python:3.11-slim

# PYTHONPATH: every process imports the project from /app, so PROJECT_ROOT (alembic.ini, migrations/)
# is /app whether it starts as `uvicorn`, `python worker.py` or the `pst` console script.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    PST_API_HOST=0.0.0.0 \
    PST_STORAGE_DIR=/data/files

WORKDIR /app

COPY pyproject.toml README.md alembic.ini worker.py cli.py ./
COPY core ./core
COPY workflows ./workflows
COPY activities ./activities
COPY api ./api
COPY devstack ./devstack
COPY migrations ./migrations

RUN pip install . \
    && useradd --system --uid 10001 --user-group --no-create-home --home-dir /app pst \
    && mkdir -p /app/var /data/files \
    && chown pst:pst /app/var /data/files

USER pst

EXPOSE 8000

# slim has no curl: probe /healthz with the standard library.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://localhost:8000/healthz', timeout=4)"]

CMD ["uvicorn", "api.main:create_app", "--factory", "--host", "0.0.0.0", "--port", "8000"]
