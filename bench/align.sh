#!/usr/bin/env bash
# Alignment benchmark: strict/link F1 on the pre-segmented NTREX hard benchmark
# (align_bench.py), link F1 on raw articles (e2e_bench.py), and time/memory at scale.
#
#   bench/align.sh [quality|e2e|scale|blowups|all] [SEEDS...]      (default: all, seeds 7 11 23)
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

blowups() {
  # issue 10: inputs that once made align/check run for minutes or take gigabytes
  d=$OUT/blowups; mkdir -p "$d"
  python3 - "$d" <<'PY'
import random, sys
d = sys.argv[1]
open(f"{d}/ss.txt", "w").write("ß" * 500000 + "\n")
open(f"{d}/pbuh.txt", "w").write("ﷺ" * 333333 + "\n")
open(f"{d}/word.txt", "w").write("a" * 1000000 + "\n")
r = random.Random(1)
fw = "ville port gare marché travaux année projet maire rue quartier".split()
ew = "city port station market works year project mayor street district".split()
open(f"{d}/fr6k.txt", "w").write(" ".join(r.choice(fw) for _ in range(6000)) + "\n")
open(f"{d}/en6k.txt", "w").write(" ".join(r.choice(ew) for _ in range(6000)) + "\n")
open(f"{d}/fr100k.txt", "w").write("La Sûreté nationale a publié son rapport annuel.\n" * 100000)
open(f"{d}/en100k.txt", "w").write("The DGSN published its annual report.\n" * 100000)
PY
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  printf "%-34s %-8s %-8s %s\n" case wall_s user_s peak_MB
  run() {
    local name=$1; shift
    /usr/bin/time -v "$@" >/dev/null 2>"$d/$name.time" || true
    printf "%-34s %-8s %-8s %s\n" "$name" \
      "$(awk -F': ' '/Elapsed \(wall clock\)/{n=split($2,t,":"); s=0; for(i=1;i<=n;i++) s=s*60+t[i]; print s}' "$d/$name.time")" \
      "$(awk -F': ' '/User time/{print $2}' "$d/$name.time")" \
      "$(awk -F': ' '/Maximum resident/{printf "%.1f", $2/1024}' "$d/$name.time")"
  }
  run "align 1 MB line of ß" "$Q" align "$d/ss.txt" "$d/ss.txt" --langs fr,en
  run "align 1 MB line of ﷺ" "$Q" align "$d/pbuh.txt" "$d/pbuh.txt" --langs ar,en
  run "align 1 MB word" "$Q" align "$d/word.txt" "$d/word.txt" --langs fr,en
  run "align 6,000-word segment a side" "$Q" align "$d/fr6k.txt" "$d/en6k.txt" --langs fr,en
  run "check 6,000-word segment a side" "$Q" check "$d/fr6k.txt" "$d/en6k.txt" --langs fr,en
  run "align 100,000 identical pairs" "$Q" align "$d/fr100k.txt" "$d/en100k.txt" --langs fr,en
  run "check 100,000 identical pairs" "$Q" check "$d/fr100k.txt" "$d/en100k.txt" --langs fr,en
}

case $what in
  quality) quality ;;
  e2e) e2e ;;
  scale) scale ;;
  blowups) blowups ;;
  all) quality; e2e; scale; blowups ;;
  *) echo "usage: bench/align.sh [quality|e2e|scale|blowups|all] [SEEDS...]"; exit 2 ;;
esac
