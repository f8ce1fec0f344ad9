# One image for every Airflow service of the cluster: the project installed from its lock file.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    AIRFLOW_HOME=/opt/airflow \
    GX_ANALYTICS_ENABLED=False

RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential libpq-dev curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 50000 airflow

WORKDIR /opt/report-warehouse
COPY requirements.lock pyproject.toml ./
RUN pip install --no-cache-dir uv==0.13.9 \
 && uv pip sync --system --no-cache requirements.lock

COPY extractors ./extractors
COPY pipeline ./pipeline
COPY expectations ./expectations
RUN uv pip install --system --no-cache --no-deps -e . \
 && mkdir -p /opt/airflow /data && chown -R airflow /opt/airflow /data

USER airflow
