# One image for every Airflow service of the cluster: the project installed from its lock file.
# docker-compose.yml mounts dags/, dbt_project/, extractors/, expectations/ and pipeline/ over the
# copies baked in here, so an edit shows up without a rebuild; the image alone also runs.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    AIRFLOW_HOME=/opt/airflow \
    GX_ANALYTICS_ENABLED=False \
    DBT_SEND_ANONYMOUS_USAGE_STATS=False \
    DO_NOT_TRACK=1

RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential libpq-dev curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 50000 --gid 0 airflow

WORKDIR /opt/report-warehouse
COPY requirements.lock pyproject.toml ./
RUN pip install --no-cache-dir uv==0.13.9 \
 && uv pip sync --system --no-cache requirements.lock

COPY extractors ./extractors
COPY pipeline ./pipeline
COPY expectations ./expectations
COPY dbt_project ./dbt_project
COPY dags ./dags
RUN uv pip install --system --no-cache --no-deps -e . \
 && mkdir -p /opt/airflow /data && chown -R airflow:0 /opt/airflow /data

USER airflow
