FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    NHACVIEC_DATA_DIR=/data
WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY jobs ./jobs
COPY data ./data
RUN pip install --no-cache-dir . \
    && useradd --system --uid 10001 --home /data nhacviec \
    && mkdir -p /data && chown nhacviec /data
USER nhacviec
VOLUME ["/data"]
ENTRYPOINT ["nhacviec"]
CMD ["run"]
# The store: NHACVIEC_DATABASE_URL (PostgreSQL, see docker-compose.yml) or SQLite in /data.
