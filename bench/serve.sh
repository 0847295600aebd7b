#!/bin/sh
# qantara serve on PostgreSQL under HTTP load, against the embedded store and pg_trgm (see
# bench/serve_bench.py). Needs a PostgreSQL server (QANTARA_TEST_PG or --pg URL, a database
# the script may CREATE DATABASE from), wrk (apt-get install wrk) and psql.
# Usage: bench/serve.sh [--units 1000000] [--queries 200] [--trgm-queries 60] [--duration 10]
set -e
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "bench/serve.sh: needs wrk (apt-get install wrk)" >&2; exit 1; }
command -v psql >/dev/null || { echo "bench/serve.sh: needs psql (apt-get install postgresql-client)" >&2; exit 1; }
cargo build --release --quiet
exec python3 bench/serve_bench.py "$@"
