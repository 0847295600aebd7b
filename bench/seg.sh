#!/usr/bin/env bash
# Segmentation benchmark: accuracy (F1_punct per language) and throughput of `qantara segment`,
# with the reference segmenters' figures from the same run (pysbd, Moses-style sentence-splitter)
# and an audit of the gold (sentence ends inside one reference line).
#
#   bench/seg.sh            # accuracy + throughput, ours and the references
#   SKIP_REFERENCES=1 bench/seg.sh
#   SKIP_THROUGHPUT=1 bench/seg.sh
#
# Reads ../shared/corpora/ntrex-dev and ../shared/eval/seg_bench.py (override with CORPUS=...,
# EVAL=...); writes everything under bench/out/ (git-ignored), including the error list
# bench/out/seg-errors.qantara.jsonl to study. Skips with a message when the corpus is absent.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SHARED="${SHARED:-$(cd "$ROOT/.." && pwd)/shared}"
[ -d "$SHARED" ] || SHARED=/work/shared
CORPUS="${CORPUS:-$SHARED/corpora/ntrex-dev}"
EVAL="${EVAL:-$SHARED/eval/seg_bench.py}"
OUT="$ROOT/bench/out"
SEED="${SEED:-1}"
REPEAT="${REPEAT:-50}"
RUNS="${RUNS:-3}"

if [ ! -d "$CORPUS" ]; then
    echo "bench/seg.sh: skipped: corpus $CORPUS is absent (set CORPUS=/path/to/ntrex-dev)"
    exit 0
fi
if [ ! -f "$EVAL" ]; then
    echo "bench/seg.sh: skipped: harness $EVAL is absent (set EVAL=/path/to/seg_bench.py)"
    exit 0
fi

cargo build --release --quiet --manifest-path "$ROOT/Cargo.toml"
BIN="$ROOT/target/release/qantara"
CASES="$OUT/seg"
mkdir -p "$OUT"
rm -f "$OUT"/seg-score.*.jsonl "$OUT"/seg-audit.jsonl "$OUT"/seg-throughput.*.jsonl
python3 "$EVAL" make "$CORPUS" "$CASES" --seed "$SEED" >"$OUT/seg-make.jsonl"

echo "== accuracy: qantara (built-in rules)"
rm -rf "$OUT/pred-qantara"
python3 "$EVAL" run "$CASES" "$OUT/pred-qantara" --label qantara \
    -- "$BIN" segment - --lang '{lang}' --format lines >"$OUT/seg-run.qantara.jsonl"
python3 "$EVAL" score "$CASES" "$OUT/pred-qantara" --label qantara \
    --errors "$OUT/seg-errors.qantara.jsonl" | tee "$OUT/seg-score.qantara.jsonl"

echo "== accuracy: qantara (exported SRX rules, read back)"
"$BIN" segment --export-srx >"$OUT/qantara.srx"
rm -rf "$OUT/pred-qantara-srx"
python3 "$EVAL" run "$CASES" "$OUT/pred-qantara-srx" --label qantara-srx \
    -- "$BIN" segment - --lang '{lang}' --srx "$OUT/qantara.srx" >"$OUT/seg-run.qantara-srx.jsonl"
python3 "$EVAL" score "$CASES" "$OUT/pred-qantara-srx" --label qantara-srx \
    | tee "$OUT/seg-score.qantara-srx.jsonl"

# Reference segmenters, each scored on the same cases when its Python package is installed.
if [ -z "${SKIP_REFERENCES:-}" ]; then
    for ref in pysbd:pysbd moses:sentence_splitter; do
        tool="${ref%%:*}" module="${ref##*:}"
        if ! python3 -c "import $module" 2>/dev/null; then
            echo "== $tool: skipped (pip install ${module/_/-})"
            continue
        fi
        echo "== accuracy: $tool (reference)"
        rm -rf "$OUT/pred-$tool"
        python3 "$EVAL" run "$CASES" "$OUT/pred-$tool" --label "$tool" \
            -- python3 "$ROOT/bench/seg_reference.py" "$tool" '{lang}' >"$OUT/seg-run.$tool.jsonl"
        python3 "$EVAL" score "$CASES" "$OUT/pred-$tool" --label "$tool" | tee "$OUT/seg-score.$tool.jsonl"
    done
fi

echo "== the gold itself: sentence ends inside one reference line (each line segmented alone)"
python3 "$ROOT/bench/seg_gold_audit.py" "$CORPUS" "$OUT/audit" "$OUT/seg-score.qantara.jsonl" "$BIN" \
    | tee "$OUT/seg-audit.jsonl"

if [ -z "${SKIP_THROUGHPUT:-}" ]; then
    echo "== throughput: qantara, corpus x$REPEAT, best of $RUNS runs"
    python3 "$EVAL" throughput "$CASES" --repeat "$REPEAT" --runs "$RUNS" --label qantara \
        -- "$BIN" segment - --lang '{lang}' --format lines | tee "$OUT/seg-throughput.qantara.jsonl"
    echo "== throughput: qantara with the exported SRX rules (informational)"
    python3 "$EVAL" throughput "$CASES" --repeat "$REPEAT" --runs "$RUNS" --label qantara-srx \
        -- "$BIN" segment - --lang '{lang}' --srx "$OUT/qantara.srx" | tee "$OUT/seg-throughput.qantara-srx.jsonl"
fi

echo "== summary (also written to bench/seg-report.md)"
python3 "$ROOT/bench/seg_report.py" "$OUT" "$ROOT/bench/seg-report.md" "$SEED" "$REPEAT" "$RUNS"
