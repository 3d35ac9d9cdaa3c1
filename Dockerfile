# PST Flow application image: one image for the API (default CMD), the worker (`python worker.py`)
# and the one-shot migration (`pst migrate`). Used by docker-compose.yml. Nothing is downloaded at run time.
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

# The dependencies first, in a layer of their own, exactly as pinned in requirements.lock (written from a tested
# virtualenv by `python -m devstack.lockfile`): a change to the code rebuilds only the layers below.
COPY requirements.lock ./
RUN pip install --no-deps -r requirements.lock

COPY pyproject.toml README.md alembic.ini worker.py cli.py ./
COPY core ./core
COPY contracts ./contracts
COPY workflows ./workflows
COPY activities ./activities
COPY api ./api
COPY devstack ./devstack
COPY migrations ./migrations

# The project itself (for the `pst` command), its dependencies already in place.
RUN pip install --no-deps . \
    && pip check \
    && useradd --system --uid 10001 --user-group --no-create-home --home-dir /app pst \
    && mkdir -p /app/var /data/files \
    && chown pst:pst /app/var /data/files

USER pst

EXPOSE 8000

# slim has no curl: probe /healthz with the standard library.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://localhost:8000/healthz', timeout=4)"]

CMD ["uvicorn", "api.main:create_app", "--factory", "--host", "0.0.0.0", "--port", "8000"]
