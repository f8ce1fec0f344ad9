#!/usr/bin/env bash
# make test-cluster: the engine docker-compose.yml describes, without Docker.
#
# Starts a throw-away PostgreSQL (metadata DB) and Redis (Celery broker) on loopback, from Debian's
# packages, on free ports, with data in a temporary folder; then runs tests/cluster/, which starts
# the Airflow services (api-server, dag-processor, scheduler, two Celery workers) against them,
# runs the DAG and checks the result. Everything started here is stopped on exit, pass or fail.
#
#   cluster/run_cluster.sh [pytest args]      KEEP_CLUSTER_DIR=1 keeps the folder for inspection
set -euo pipefail
cd "$(dirname "$0")/.."
PROJECT=$PWD
PYTHON=$PROJECT/.venv/bin/python

say() { printf 'cluster: %s\n' "$*" >&2; }

if ! command -v redis-server >/dev/null || ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing postgresql and redis-server from Debian's packages"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql redis-server >/dev/null
  else
    say "needs PostgreSQL and Redis: sudo apt-get install -y postgresql redis-server"
    exit 2
  fi
fi
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)

WORK=$(mktemp -d /tmp/report-warehouse-cluster.XXXXXX)
chmod 755 "$WORK"
free_port() { "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PG_PORT=$(free_port)
REDIS_PORT=$(free_port)
# A fresh random password per run: nothing to commit, nothing to leak beyond this folder.
PG_PASSWORD=$("$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(24))')

# PostgreSQL refuses to run as root: as root, its files belong to the `postgres` user.
as_pg() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi
}

cleanup() {
  status=$?
  set +e
  if [ -f "$WORK/redis.pid" ]; then
    kill "$(cat "$WORK/redis.pid")" 2>/dev/null
  fi
  if [ -f "$WORK/pg/postmaster.pid" ]; then
    as_pg "'$PG_BIN/pg_ctl' -D '$WORK/pg' -m fast -w -t 30 stop" >/dev/null 2>&1 \
      || kill -9 "$(head -1 "$WORK/pg/postmaster.pid")" 2>/dev/null
  fi
  if [ "${KEEP_CLUSTER_DIR:-}" = 1 ] || [ "$status" != 0 ]; then
    say "logs and data kept in $WORK"
  else
    rm -rf "$WORK"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say "PostgreSQL on 127.0.0.1:$PG_PORT, Redis on 127.0.0.1:$REDIS_PORT, work folder $WORK"
printf '%s\n' "$PG_PASSWORD" > "$WORK/pgpass"
mkdir -p "$WORK/pg" "$WORK/pgrun"  # data; socket and server log
if [ "$(id -u)" = 0 ]; then chown postgres "$WORK/pg" "$WORK/pgrun" "$WORK/pgpass"; fi
as_pg "'$PG_BIN/initdb' -D '$WORK/pg' -U airflow --pwfile='$WORK/pgpass' -A scram-sha-256 -E UTF8 --no-sync" \
  > "$WORK/initdb.log" 2>&1 || { cat "$WORK/initdb.log" >&2; exit 1; }
rm -f "$WORK/pgpass"
as_pg "'$PG_BIN/pg_ctl' -D '$WORK/pg' -l '$WORK/pgrun/postgres.log' -w -t 60 \
  -o \"-c listen_addresses=127.0.0.1 -p $PG_PORT -k $WORK/pgrun -c fsync=off -c max_connections=200\" start" \
  >/dev/null || { cat "$WORK/pgrun/postgres.log" >&2; exit 1; }
PGPASSWORD=$PG_PASSWORD "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U airflow airflow

redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no --protected-mode yes \
  --daemonize yes --pidfile "$WORK/redis.pid" --logfile "$WORK/redis.log" --dir "$WORK"
for _ in $(seq 50); do
  redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG && break
  sleep 0.2
done
redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping | grep -q PONG || { cat "$WORK/redis.log" >&2; exit 1; }

export REPORTS_CLUSTER=1
export CLUSTER_SQL_ALCHEMY_CONN="postgresql+psycopg2://airflow:$PG_PASSWORD@127.0.0.1:$PG_PORT/airflow"
export CLUSTER_BROKER_URL="redis://127.0.0.1:$REDIS_PORT/0"
export CLUSTER_WORK_DIR=$WORK
"$PYTHON" -m pytest tests/cluster -p no:cacheprovider --basetemp="$WORK/pytest" "$@"
