#!/usr/bin/env python3
"""Scale cases for the aligner: one long document pair built from the dev corpus.

  make CORPUS OUT --sizes 1000 5000 ... [--pair ar-fr] [--seed 7]
      Concatenates the corpus documents (shuffled, repeated as needed) until the source has
      about N segments, perturbs the result like align_bench.py --perturb hard (merges and
      one-sided segments), and writes OUT/N/{src.txt,tgt.txt,gold.beads}.
  score DIR
      Scores DIR/pred.beads against DIR/gold.beads; prints "strict_f1 link_f1".
The corpus text is read at run time only; nothing of it is stored in the repository.
"""
import argparse, os, random, sys

EVAL = os.environ.get("EVAL", "/work/shared/eval")
sys.path.insert(0, EVAL)
import align_bench as ab  # noqa: E402


def cmd_make(a):
    sl, tl = a.pair.split("-")
    docs = sorted(os.listdir(a.corpus))
    pairs = []
    for d in docs:
        s = ab.read_lines(os.path.join(a.corpus, d, sl + ".txt"))
        t = ab.read_lines(os.path.join(a.corpus, d, tl + ".txt"))
        pairs.append((s, t))
    for n in a.sizes:
        rng = random.Random(a.seed * 1000003 + n)
        src, tgt = [], []
        while len(src) < n:
            order = list(range(len(pairs)))
            rng.shuffle(order)
            for k in order:
                src += pairs[k][0]
                tgt += pairs[k][1]
                if len(src) >= n:
                    break
        src, tgt = src[:n], tgt[:n]
        s_units, t_units, gold = ab.build(src, tgt, ab.perturb(len(src), rng, True))
        d = os.path.join(a.out, str(n))
        os.makedirs(d, exist_ok=True)
        open(os.path.join(d, "src.txt"), "w", encoding="utf-8").write("".join(u + "\n" for u in s_units))
        open(os.path.join(d, "tgt.txt"), "w", encoding="utf-8").write("".join(u + "\n" for u in t_units))
        open(os.path.join(d, "gold.beads"), "w").write(ab.fmt(gold))
        print(n, len(s_units), len(t_units))


def cmd_score(a):
    gold = [(tuple(s), tuple(t)) for s, t in ab.parse(os.path.join(a.dir, "gold.beads"))]
    pred = ab.parse(os.path.join(a.dir, "pred.beads"))
    g = {b for b in gold if b[0] and b[1]}
    p = {b for b in pred if b[0] and b[1]}
    _, _, sf = ab.prf(len(g & p), len(p), len(g))
    gl, pl = ab.links(gold), ab.links(pred)
    _, _, lf = ab.prf(len(gl & pl), len(pl), len(gl))
    print(f"{sf:.4f}     {lf:.4f}")


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("make"); m.add_argument("corpus"); m.add_argument("out")
    m.add_argument("--sizes", type=int, nargs="+", required=True)
    m.add_argument("--pair", default="ar-fr"); m.add_argument("--seed", type=int, default=7)
    s = sub.add_parser("score"); s.add_argument("dir")
    a = ap.parse_args()
    cmd_make(a) if a.cmd == "make" else cmd_score(a)


if __name__ == "__main__":
    main()
