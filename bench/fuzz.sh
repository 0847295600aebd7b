#!/usr/bin/env bash
# Runs every cargo-fuzz target for SECONDS (default 600) one after the other and prints, per
# target, the executions, the corpus size and whether a crash was found. Not part of CI.
# Needs the nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`).
#   bench/fuzz.sh [SECONDS] [TARGET...]
# FUZZ_BUILD (default -O: release without debug assertions; the targets assert their
# invariants themselves) is passed to `cargo fuzz run`; FUZZ_BUILD=-a adds debug assertions.
set -uo pipefail
cd "$(dirname "$0")/../fuzz"
secs=${1:-600}; shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && mapfile -t targets < <(cargo +nightly fuzz list)
mkdir -p ../bench/out
for t in "${targets[@]}"; do
  log=../bench/out/fuzz-$t.log
  mkdir -p corpus/$t
  [ -d seeds/$t ] && cp -n seeds/$t/* corpus/$t/ 2>/dev/null
  cargo +nightly fuzz run ${FUZZ_BUILD--O} "$t" -- -max_total_time="$secs" -rss_limit_mb=2048 >"$log" 2>&1
  status=$?
  execs=$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#')
  corpus=$(ls corpus/$t | wc -l)
  crash=$(ls artifacts/$t 2>/dev/null | wc -l)
  printf '%-10s seconds=%s executions=%s corpus=%s crashes=%s exit=%s\n' "$t" "$secs" "${execs:-0}" "$corpus" "$crash" "$status"
done
