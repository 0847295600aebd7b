#!/bin/sh
# Builds qantara in release mode and runs the TM benchmark (see bench/tm.py).
# Usage: bench/tm.sh [--sizes 10000,100000,1000000] [--queries 200]
set -e
cd "$(dirname "$0")/.."
cargo build --release --quiet
python3 -c 'import rapidfuzz' 2>/dev/null || echo "note: pip install rapidfuzz for the reference figures" >&2
exec python3 bench/tm.py "$@"
