#!/usr/bin/env python3
"""Translation-memory benchmark: import time, index size, lookup latency and recall@1.

Builds TMs of 10k, 100k and 1M units from *generated* bilingual (ar, fr) sentences — a
pseudo-vocabulary drawn from a Zipf law, no corpus text — plants near-duplicates of known
similarity (word substitutions, deletions, insertions, Arabic proclitics added), and reports:

* import time of `qantara tm import` (TMX, streamed, one document per 1,000 units);
* index size (terms + postings B-trees, from `qantara tm stats --json`) and file size;
* lookup latency p50 / p95 per query (`qantara lookup --batch --timings`) and the wall time of
  single `qantara lookup` invocations;
* recall@1 of the planted matches for qantara's indexed lookup, qantara's brute-force scan
  (a sample), and rapidfuzz `process.extractOne` (word-level Levenshtein similarity, the same
  formula as OmegaT's, over interned word tokens) run in the same process as the reference.

Usage: python3 bench/tm.py [--sizes 10000,100000,1000000] [--queries 200] [--bin PATH]
Output: bench/out/tm-<size>/ (TMX, TM, queries) and bench/out/tm-report.md / .json.
"""

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"

AR_LETTERS = "بتثجحخدذرزسشصضطظعغقكلمنهوي"
AR_VOWELS = "اوي"
LAT_CONS = "bcdfghjklmnprstvz"
LAT_VOW = "aeiou"


def make_vocab(rng, size, script):
    words = set()
    while len(words) < size:
        n = rng.randint(2, 4)
        if script == "ar":
            w = "".join(rng.choice(AR_LETTERS) + (rng.choice(AR_VOWELS) if rng.random() < 0.4 else "") for _ in range(n))
            # Avoid words that begin like a proclitic so light stemming leaves them whole.
            if w[0] in "وفبكل":
                continue
        else:
            w = "".join(rng.choice(LAT_CONS) + rng.choice(LAT_VOW) for _ in range(n))
        words.add(w)
    return sorted(words)


class Gen:
    """Zipf-distributed sentences over a pseudo-vocabulary."""

    def __init__(self, seed, vocab_size=40000):
        self.rng = random.Random(seed)
        self.vocab = {"ar": make_vocab(self.rng, vocab_size, "ar"), "fr": make_vocab(self.rng, vocab_size, "fr")}
        weights = [1.0 / (r + 1) ** 1.05 for r in range(vocab_size)]
        total = sum(weights)
        acc, cum = 0.0, []
        for w in weights:
            acc += w / total
            cum.append(acc)
        self.cum = cum

    def word(self, lang):
        import bisect

        i = bisect.bisect_left(self.cum, self.rng.random())
        return self.vocab[lang][min(i, len(self.cum) - 1)]

    def sentence(self, lang, n=None):
        n = n or self.rng.randint(8, 28)
        words = [self.word(lang) for _ in range(n)]
        if self.rng.random() < 0.3:
            words.insert(self.rng.randrange(len(words)), str(self.rng.randint(1, 2030)))
        return words


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def write_tmx(path, units):
    with open(path, "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n')
        f.write('<header creationtool="bench" creationtoolversion="1" segtype="sentence" o-tmf="bench" '
                'adminlang="en" srclang="ar" datatype="plaintext"/>\n<body>\n')
        for i, (ar, fr) in enumerate(units):
            f.write(f'<tu><prop type="x-doc">gen-{i // 1000:06d}</prop>'
                    f'<tuv xml:lang="ar"><seg>{esc(ar)}</seg></tuv><tuv xml:lang="fr"><seg>{esc(fr)}</seg></tuv></tu>\n')
        f.write("</body>\n</tmx>\n")


def mutate(gen, words, lang, edits):
    """Applies `edits` word edits (substitution, deletion, insertion) and, for Arabic, adds a
    proclitic to one word (which qantara's comparison keys ignore)."""
    w = list(words)
    rng = gen.rng
    for _ in range(edits):
        op = rng.choice("sdi")
        j = rng.randrange(len(w))
        if op == "s":
            w[j] = gen.word(lang)
        elif op == "d" and len(w) > 3:
            del w[j]
        else:
            w.insert(j, gen.word(lang))
    if lang == "ar":
        j = rng.randrange(len(w))
        if not w[j].isdigit():
            w[j] = "و" + w[j]
    return w


def pct(xs, p):
    xs = sorted(xs)
    if not xs:
        return float("nan")
    k = (len(xs) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


TOKEN = re.compile(r"\w+")


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def bench_size(size, args, bin_path):
    d = OUT / f"tm-{size}"
    d.mkdir(parents=True, exist_ok=True)
    gen = Gen(seed=size)
    print(f"== {size} units: generating", file=sys.stderr, flush=True)
    units_words = [(gen.sentence("ar"), gen.sentence("fr")) for _ in range(size)]
    units = [(" ".join(a) + ".", " ".join(f) + ".") for a, f in units_words]
    tmx = d / "gen.tmx"
    write_tmx(tmx, units)
    tm = d / "tm.sqlite"
    for suffix in ("", "-wal", "-shm"):
        p = Path(str(tm) + suffix)
        if p.exists():
            p.unlink()

    # Planted near-duplicates: half Arabic, half French queries, 0-3 word edits.
    planted = {"ar": [], "fr": []}
    for q in range(args.queries):
        lang = "ar" if q % 2 == 0 else "fr"
        i = gen.rng.randrange(size)
        src = units_words[i][0 if lang == "ar" else 1]
        edits = gen.rng.randint(0, min(3, len(src) // 5))
        planted[lang].append((i, " ".join(mutate(gen, src, lang, edits)) + "."))

    print(f"== {size}: importing", file=sys.stderr, flush=True)
    t0 = time.perf_counter()
    run([bin_path, "tm", "import", str(tmx), "--tm", str(tm)])
    import_s = time.perf_counter() - t0
    stats = json.loads(run([bin_path, "tm", "stats", "--json", "--tm", str(tm)]).stdout)
    # Unit ids follow import order (1-based) in a fresh TM.
    first_id = 1

    res = {"size": size, "import_s": round(import_s, 1), "index_bytes": stats["index_bytes"],
           "file_bytes": stats["file_bytes"], "postings": stats["postings"], "terms": stats["terms"]}

    lat, hits, n = [], 0, 0
    batch_wall = 0.0
    for lang in ("ar", "fr"):
        qf = d / f"queries-{lang}.txt"
        qf.write_text("\n".join(q for _, q in planted[lang]) + "\n", encoding="utf-8")
        t0 = time.perf_counter()
        out = run([bin_path, "lookup", "--batch", str(qf), "--lang", lang, "--min", "70", "--limit", "1",
                   "--timings", "--tm", str(tm)]).stdout
        batch_wall += time.perf_counter() - t0
        for (i, _), line in zip(planted[lang], out.splitlines()):
            r = json.loads(line)
            lat.append(r["elapsed_us"] / 1000)
            n += 1
            if r["matches"] and r["matches"][0]["unit"] == first_id + i:
                hits += 1
    res.update(lookup_p50_ms=round(pct(lat, 50), 2), lookup_p95_ms=round(pct(lat, 95), 2),
               lookup_max_ms=round(max(lat), 2), recall_at_1=round(hits / n, 4), queries=n,
               batch_wall_s=round(batch_wall, 2))

    # Single invocations, wall clock (process start, open, lookup, print).
    walls = []
    for lang in ("ar", "fr"):
        for _, q in planted[lang][:10]:
            t0 = time.perf_counter()
            run([bin_path, "lookup", q, "--lang", lang, "--json", "--tm", str(tm)])
            walls.append((time.perf_counter() - t0) * 1000)
    res.update(single_wall_p50_ms=round(pct(walls, 50), 1), single_wall_max_ms=round(max(walls), 1))

    # qantara brute-force scan on a sample: same answers as the index?
    sample = {lang: planted[lang][: args.brute_sample] for lang in ("ar", "fr")}
    agree, bf_hits, bn = 0, 0, 0
    for lang in ("ar", "fr"):
        qf = d / f"sample-{lang}.txt"
        qf.write_text("\n".join(q for _, q in sample[lang]) + "\n", encoding="utf-8")
        common = ["--batch", str(qf), "--lang", lang, "--min", "70", "--limit", "5", "--tm", str(tm)]
        idx = run([bin_path, "lookup", *common]).stdout.splitlines()
        bf = run([bin_path, "lookup", "--brute-force", *common]).stdout.splitlines()
        for (i, _), a, b in zip(sample[lang], idx, bf):
            bn += 1
            agree += a == b
            rb = json.loads(b)
            bf_hits += bool(rb["matches"]) and rb["matches"][0]["unit"] == first_id + i
    res.update(bruteforce_sample=bn, bruteforce_identical_answers=agree, bruteforce_recall_at_1=round(bf_hits / bn, 4))

    # rapidfuzz reference: word-level Levenshtein over interned tokens, extractOne.
    try:
        from rapidfuzz import process
        from rapidfuzz.distance import Levenshtein
    except ImportError:
        res["rapidfuzz"] = "not installed (pip install rapidfuzz)"
        return res
    rf_lat, rf_hits, rn = [], 0, 0
    for lang, col in (("ar", 0), ("fr", 1)):
        vocab = {}

        def enc(text):
            return "".join(chr(0x10000 + vocab.setdefault(t, len(vocab))) for t in TOKEN.findall(text.lower()))

        choices = [enc(u[col]) for u in units]
        for i, q in planted[lang][: args.rapidfuzz_queries // 2]:
            t0 = time.perf_counter()
            best = process.extractOne(enc(q), choices, scorer=Levenshtein.normalized_similarity, score_cutoff=0.7)
            rf_lat.append((time.perf_counter() - t0) * 1000)
            rn += 1
            rf_hits += best is not None and best[2] == i
    res.update(rapidfuzz_queries=rn, rapidfuzz_p50_ms=round(pct(rf_lat, 50), 1),
               rapidfuzz_p95_ms=round(pct(rf_lat, 95), 1), rapidfuzz_recall_at_1=round(rf_hits / rn, 4))
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--brute-sample", type=int, default=10, help="queries per language for the brute-force check")
    ap.add_argument("--rapidfuzz-queries", type=int, default=100)
    ap.add_argument("--bin", default=str(ROOT / "target" / "release" / "qantara"))
    args = ap.parse_args()
    if not Path(args.bin).exists():
        sys.exit(f"{args.bin} not found: run `cargo build --release` first")
    OUT.mkdir(parents=True, exist_ok=True)
    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        r = bench_size(size, args, args.bin)
        print(json.dumps(r), flush=True)
        results.append(r)
    (OUT / "tm-report.json").write_text(json.dumps(results, indent=2) + "\n")
    cols = ["size", "import_s", "index_bytes", "file_bytes", "lookup_p50_ms", "lookup_p95_ms", "single_wall_p50_ms",
            "recall_at_1", "bruteforce_identical_answers", "bruteforce_recall_at_1", "rapidfuzz_p50_ms",
            "rapidfuzz_recall_at_1"]
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for r in results:
        lines.append("| " + " | ".join(str(r.get(c, "")) for c in cols) + " |")
    (OUT / "tm-report.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
