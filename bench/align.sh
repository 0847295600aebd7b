#!/usr/bin/env bash
# Alignment benchmark: strict/link F1 on the pre-segmented NTREX hard benchmark
# (align_bench.py), link F1 on raw articles (e2e_bench.py), and time/memory at scale.
#
#   bench/align.sh [quality|e2e|scale|all] [SEEDS...]      (default: all, seeds 7 11 23)
#
# Needs /work/shared/corpora/ntrex-dev and /work/shared/eval (override with CORPUS= and EVAL=);
# skips with a message when they are absent. Output goes under bench/out/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
CORPUS=${CORPUS:-/work/shared/corpora/ntrex-dev}
EVAL=${EVAL:-/work/shared/eval}
OUT=${OUT:-bench/out/align}
what=${1:-all}; shift || true
SEEDS=${*:-7 11 23}
if [ ! -d "$CORPUS" ] || [ ! -f "$EVAL/align_bench.py" ]; then
  echo "bench/align.sh: skipped: $CORPUS or $EVAL/align_bench.py is absent"
  exit 0
fi
# Q= another binary (e.g. one built from main, for the "before" figures of the same run);
# OUT= another output folder so that two runs do not overwrite each other.
if [ -z "${Q:-}" ]; then
  cargo build --release --quiet
  Q=target/release/qantara
fi
mkdir -p "$OUT"

quality() {
  for seed in $SEEDS; do
    for pair in ar-fr ar-en fr-en; do
      d=$OUT/cases/$pair-hard-$seed; p=$OUT/pred/$pair-hard-$seed
      rm -rf "$d" "$p"; mkdir -p "$p"
      python3 "$EVAL/align_bench.py" make "$CORPUS" "$d" --pair "$pair" --perturb hard --seed "$seed" >/dev/null
      for doc in "$d"/*/; do
        b=$(basename "$doc")
        "$Q" align "$doc/src.txt" "$doc/tgt.txt" --langs "${pair/-/,}" --presegmented --format beads \
          -o "$p/$b.beads" 2>/dev/null
      done
      printf 'presegmented hard  seed %-3s %s  ' "$seed" "$pair"
      python3 "$EVAL/align_bench.py" score "$d" "$p"
    done
  done
}

e2e() {
  for seed in $SEEDS; do
    for pair in ar-fr ar-en fr-en; do
      d=$OUT/e2e/$pair-$seed; p=$OUT/e2e-pred/$pair-$seed
      rm -rf "$d" "$p"; mkdir -p "$p"
      python3 "$EVAL/e2e_bench.py" make "$CORPUS" "$d" --pair "$pair" --seed "$seed" >/dev/null
      for doc in "$d"/*/; do
        b=$(basename "$doc")
        "$Q" align "$doc/src.raw.txt" "$doc/tgt.raw.txt" --langs "${pair/-/,}" --format tsv \
          -o "$p/$b.tsv" 2>/dev/null
      done
      printf 'raw articles       seed %-3s %s  ' "$seed" "$pair"
      python3 "$EVAL/e2e_bench.py" score "$d" "$p"
    done
  done
}

scale() {
  # wall time depends on the machine's load; user time is the CPU the aligner used
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  python3 bench/align_scale.py make "$CORPUS" "$OUT/scale" --sizes 1000 5000 20000 100000 --seed 7 >/dev/null
  printf "%-8s %-8s %-8s %-8s %-10s %-10s %s\n" pair segments wall_s user_s peak_MB strict_f1 link_f1
  for n in 1000 5000 20000 100000; do
    d=$OUT/scale/$n
    /usr/bin/time -v "$Q" align "$d/src.txt" "$d/tgt.txt" --langs ar,fr --presegmented --format beads \
      -o "$d/pred.beads" 2>"$d/time.txt"
    secs=$(awk -F': ' '/Elapsed \(wall clock\)/{n=split($2,t,":"); s=0; for(i=1;i<=n;i++) s=s*60+t[i]; print s}' "$d/time.txt")
    mb=$(awk -F': ' '/Maximum resident/{printf "%.1f", $2/1024}' "$d/time.txt")
    user=$(awk -F': ' '/User time/{print $2}' "$d/time.txt")
    f=$(python3 bench/align_scale.py score "$d")
    printf '%-8s %-8s %-8s %-8s %-10s %s\n' ar-fr "$n" "$secs" "$user" "$mb" "$f"
  done
}

case $what in
  quality) quality ;;
  e2e) e2e ;;
  scale) scale ;;
  all) quality; e2e; scale ;;
  *) echo "usage: bench/align.sh [quality|e2e|scale|all] [SEEDS...]"; exit 2 ;;
esac
