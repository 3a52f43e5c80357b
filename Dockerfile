# nhacviec: the bot, its console (and the Zalo webhook) on port 8080, SQLite in /data
# unless NHACVIEC_DATABASE_URL names PostgreSQL (see docker-compose.yml).
# BASE: any Debian-based image with Python ≥ 3.11 (scripts/docker-smoke builds one locally).
ARG BASE=python:3.11-slim
FROM ${BASE}

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    NHACVIEC_DATA_DIR=/data \
    NHACVIEC_CONTAINER=1 \
    NHACVIEC_WEB_LISTEN=0.0.0.0:8080
WORKDIR /app
COPY pyproject.toml README.md requirements.lock ./
COPY bot ./bot
COPY jobs ./jobs
COPY data ./data
# the versions tested (requirements.lock), the PostgreSQL driver included
RUN pip install --no-cache-dir -c requirements.lock ".[postgres]" \
    && useradd --system --uid 10001 --home /data nhacviec \
    && mkdir -p /data && chown nhacviec /data
USER nhacviec
VOLUME ["/data"]
EXPOSE 8080
# 200 from /healthz: the store answers and today's scan is not overdue (no curl needed)
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request as u; sys.exit(u.urlopen('http://127.0.0.1:8080/healthz', timeout=8).status != 200)"]
ENTRYPOINT ["nhacviec"]
CMD ["run"]
