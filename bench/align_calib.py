#!/usr/bin/env python3
"""Fit and check the aligner's confidence calibration (src/align/confidence.rs).

  align_calib.py dump QANTARA CORPUS EVAL OUT --seeds 7 11 23 [--pairs ar-fr ar-en fr-en]
      Builds the raw-article benchmark (EVAL/e2e_bench.py make) for each seed and pair under
      OUT, aligns every article with `qantara align --format jsonl --calibration-features`
      and labels each bead right or wrong against the gold links: OUT/beads-<seed>.jsonl.
  align_calib.py fit OUT --train 7 11 23
      Fits the logistic weights on the training seeds; prints them as Rust.
  align_calib.py table OUT --seeds 42 [--below 0.5]
      Calibration table (bins of confidence -> share of right beads) and what --review at
      the threshold flags, with the confidence qantara printed (the fitted weights in code).

A bead is *right* when the links it implies (each sentence of one side it covers with each
sentence of the other, located as e2e_bench.py score locates them) are exactly the gold links
of the sentences it covers: a one-sided bead is right when its sentences have no gold link
(a line present on one side only, or noise), a 1-1 bead when its two sentences are a gold
link and neither has another.
"""
import argparse, json, math, os, subprocess, sys


def load_eval(path):
    sys.path.insert(0, path)
    import e2e_bench  # noqa: E402
    return e2e_bench


def label(e2e, case_dir, beads, langs):
    g = json.load(open(os.path.join(case_dir, "gold.json")))
    gold = {tuple(x) for x in g["links"]}
    st = open(os.path.join(case_dir, "src.raw.txt"), encoding="utf-8").read()
    tt = open(os.path.join(case_dir, "tgt.raw.txt"), encoding="utf-8").read()
    sl, tl = langs
    s_loc = e2e.locate(st, [b[sl]["text"] for b in beads])
    t_loc = e2e.locate(tt, [b[tl]["text"] for b in beads])
    by_s, by_t = {}, {}
    for i, j in gold:
        by_s.setdefault(i, set()).add(j)
        by_t.setdefault(j, set()).add(i)
    out = []
    for b, x, y in zip(beads, s_loc, t_loc):
        S = set(e2e.covered(x, g["src_spans"])) if b[sl]["text"] else set()
        T = set(e2e.covered(y, g["tgt_spans"])) if b[tl]["text"] else set()
        pred = {(i, j) for i in S for j in T}
        touched = {(i, j) for i in S for j in by_s.get(i, ())} | {(i, j) for j in T for i in by_t.get(j, ())}
        strict = pred == touched
        # a union of gold beads: every covered sentence has its partners inside the bead, and
        # one if the bead has another side (a coarser but complete translation unit)
        union = all(by_s.get(i, set()) <= T and (not T or by_s.get(i)) for i in S) and \
            all(by_t.get(j, set()) <= S and (not S or by_t.get(j)) for j in T)
        out.append((strict, union))
    return out


def cmd_dump(a):
    e2e = load_eval(a.eval)
    for seed in a.seeds:
        rows = []
        for pair in a.pairs:
            d = os.path.join(a.out, f"e2e-{pair}-{seed}")
            subprocess.run([sys.executable, os.path.join(a.eval, "e2e_bench.py"), "make", a.corpus, d,
                            "--pair", pair, "--seed", str(seed)], check=True, stdout=subprocess.DEVNULL)
            langs = pair.split("-")
            sl, tl = langs
            for doc in sorted(os.listdir(d)):
                cd = os.path.join(d, doc)
                if not os.path.exists(os.path.join(cd, "gold.json")):
                    continue
                r = subprocess.run([a.qantara, "align", os.path.join(cd, "src.raw.txt"), os.path.join(cd, "tgt.raw.txt"),
                                    "--langs", ",".join(langs), "--format", "jsonl", "--calibration-features"],
                                   check=True, capture_output=True, text=True)
                beads = [json.loads(l) for l in r.stdout.splitlines() if l.strip()]
                for b, (ok, union) in zip(beads, label(e2e, cd, beads, langs)):
                    rows.append({"pair": pair, "doc": doc, "right": ok, "complete": union,
                                 "confidence": b["confidence"],
                                 "features": b["features"], "risks": b.get("risks", []),
                                 "texts": [b[sl]["text"], b[tl]["text"]]})
        with open(os.path.join(a.out, f"beads-{seed}.jsonl"), "w") as f:
            for r in rows:
                f.write(json.dumps(r) + "\n")
        wrong = sum(1 for r in rows if not r["right"])
        print(f"seed {seed}: {len(rows)} beads, {wrong} wrong", file=sys.stderr)


def read(out, seeds, label="strict"):
    rows = []
    for s in seeds:
        rows += [json.loads(l) for l in open(os.path.join(out, f"beads-{s}.jsonl"))]
    if label == "complete":
        for r in rows:
            r["right"] = r["complete"]
    return rows


def sigmoid(z):
    return 1 / (1 + math.exp(-z)) if z > -30 else 0.0


def solve(A, b):
    n = len(b)
    M = [A[i][:] + [b[i]] for i in range(n)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(M[r][c]))
        M[c], M[p] = M[p], M[c]
        for r in range(n):
            if r != c and M[c][c] != 0:
                f = M[r][c] / M[c][c]
                for k in range(c, n + 1):
                    M[r][k] -= f * M[c][k]
    return [M[i][n] / M[i][i] if M[i][i] else 0.0 for i in range(n)]


def fit(rows, l2):
    X = [r["features"] for r in rows]
    y = [1.0 if r["right"] else 0.0 for r in rows]
    n = len(X[0])
    w = [0.0] * n
    w[1] = 1.0
    for _ in range(30):
        g = [0.0] * n
        H = [[0.0] * n for _ in range(n)]
        for x, t in zip(X, y):
            p = sigmoid(sum(wi * xi for wi, xi in zip(w, x)))
            for i in range(n):
                g[i] += (p - t) * x[i]
                for j in range(n):
                    H[i][j] += p * (1 - p) * x[i] * x[j]
        for i in range(1, n):
            g[i] += l2 * w[i]
            H[i][i] += l2
        step = solve(H, g)
        w = [wi - si for wi, si in zip(w, step)]
        if max(abs(s) for s in step) < 1e-6:
            break
    return w


def cmd_fit(a):
    rows = read(a.out, a.train, a.label)
    w = fit(rows, a.l2)
    print("pub const WEIGHTS: [f64; NF] = [" + ", ".join(f"{x:.4}" for x in w) + "];")
    ll = 0.0
    for r in rows:
        p = sigmoid(sum(wi * xi for wi, xi in zip(w, r["features"])))
        p = min(max(p, 1e-9), 1 - 1e-9)
        ll += math.log(p if r["right"] else 1 - p)
    print(f"// {len(rows)} beads, mean log-likelihood {ll / len(rows):.4f}", file=sys.stderr)


def cmd_table(a):
    rows = read(a.out, a.seeds, a.label)
    if a.weights:
        w = [float(x) for x in a.weights.strip("[]; ").split(",")]
        for r in rows:
            r["confidence"] = sigmoid(sum(wi * xi for wi, xi in zip(w, r["features"])))
    edges = [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0001]
    print("| confidence | beads | right | share right | mean confidence |")
    print("|---|---:|---:|---:|---:|")
    for lo, hi in zip(edges, edges[1:]):
        b = [r for r in rows if lo <= r["confidence"] < hi]
        if not b:
            continue
        right = sum(r["right"] for r in b)
        mean = sum(r["confidence"] for r in b) / len(b)
        print(f"| {lo:.2f}–{min(hi, 1):.2f} | {len(b)} | {right} | {right / len(b):.3f} | {mean:.3f} |")
    wrong = [r for r in rows if not r["right"]]
    flagged = [r for r in rows if r["confidence"] < a.below]
    fw = sum(1 for r in flagged if not r["right"])
    fr = len(flagged) - fw
    print()
    print(f"beads {len(rows)}, wrong {len(wrong)}; --review below {a.below}: {len(flagged)} flagged, "
          f"{fw} wrong ({fw / max(1, len(wrong)):.1%} of the wrong beads), "
          f"{fr} right ({fr / max(1, len(flagged)):.1%} of the flagged)")
    brier = sum((r["confidence"] - (1 if r["right"] else 0)) ** 2 for r in rows) / len(rows)
    print(f"Brier score {brier:.4f}")
    if a.sweep:
        for t in [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95]:
            fl = [r for r in rows if r["confidence"] < t]
            w_ = sum(1 for r in fl if not r["right"])
            print(f"  below {t}: flagged {len(fl)}, wrong {w_} ({w_ / max(1, len(wrong)):.1%}), "
                  f"right share {(len(fl) - w_) / max(1, len(fl)):.1%}")


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("dump")
    for x in ("qantara", "corpus", "eval", "out"):
        d.add_argument(x)
    d.add_argument("--seeds", type=int, nargs="+", required=True)
    d.add_argument("--pairs", nargs="+", default=["ar-fr", "ar-en", "fr-en"])
    f = sub.add_parser("fit")
    f.add_argument("out")
    f.add_argument("--train", type=int, nargs="+", required=True)
    f.add_argument("--l2", type=float, default=1.0)
    f.add_argument("--label", choices=["strict", "complete"], default="strict")
    t = sub.add_parser("table")
    t.add_argument("out")
    t.add_argument("--seeds", type=int, nargs="+", required=True)
    t.add_argument("--below", type=float, default=0.5)
    t.add_argument("--sweep", action="store_true")
    t.add_argument("--label", choices=["strict", "complete"], default="strict")
    t.add_argument("--weights", help="comma-separated weights to score instead of qantara's confidence")
    a = ap.parse_args()
    {"dump": cmd_dump, "fit": cmd_fit, "table": cmd_table}[a.cmd](a)


if __name__ == "__main__":
    main()
