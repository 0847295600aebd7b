#!/usr/bin/env python3
"""False-alarm benchmark of `qantara check` on real professional translations.

Runs `qantara check` (built-in glossary, default options) in all six directions
(ar→fr, ar→en, fr→ar, fr→en, en→ar, en→fr) on every document of NTREX-128's dev set
(../shared/corpora/ntrex-dev), and prints the number of issues, each issue, and the rate
per document pair. The translations are professional and correct, so every issue reported is
a false alarm unless the glossary's own rules call it an error.

The corpus holds one sentence a line; `check` takes raw articles, so each document is joined
at run time into an article: the first line alone (the headline), then paragraphs of three
sentences joined by spaces. Nothing of the corpus is written into the repository; temporary
files go to a temporary directory.

The documents are split in two by a fixed rule (every third document in sorted order is held
out): the tuning part is the one whose issues were read while the matcher and check rules
were written; the held-out part was only ever counted, never read, and is reported apart.
`--show-held-out` lists its issues too (doing so makes it tuning data).

    bench/check_ntrex.py [--bin target/release/qantara] [--corpus DIR] [--show-held-out]
                         [--baseline OTHER-QANTARA]

`--baseline` runs a second binary (an older build) on the same articles in the same run and
prints its counts beside (its issues are not listed).

Exit status 0; skips with a message when the corpus is absent.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LANGS = ["ar", "fr", "en"]


def article(lines):
    """Headline alone, then paragraphs of three sentences."""
    lines = [l.strip() for l in lines if l.strip()]
    if not lines:
        return ""
    paras = [lines[0]]
    for i in range(1, len(lines), 3):
        paras.append(" ".join(lines[i : i + 3]))
    return "\n\n".join(paras) + "\n"


def run(binary, corpus, docs, show, show_held_out):
    """Counts (document pairs, errors, warnings) per part; prints each issue when `show`."""
    totals = {"tuning": [0, 0, 0], "held-out": [0, 0, 0]}
    with tempfile.TemporaryDirectory() as tmp:
        for k, doc in enumerate(docs):
            part = "held-out" if k % 3 == 2 else "tuning"
            paths = {}
            for l in LANGS:
                with open(os.path.join(corpus, doc, f"{l}.txt"), encoding="utf-8") as f:
                    text = article(f.readlines())
                paths[l] = os.path.join(tmp, f"{doc}.{l}.txt")
                with open(paths[l], "w", encoding="utf-8") as f:
                    f.write(text)
            for s in LANGS:
                for t in LANGS:
                    if s == t:
                        continue
                    out = subprocess.run(
                        [binary, "check", paths[s], paths[t], "--langs", f"{s},{t}", "--json"],
                        capture_output=True,
                        text=True,
                    )
                    if out.returncode not in (0, 1):
                        print(f"{doc} {s}->{t}: check failed ({out.returncode}): {out.stderr.strip()}")
                        continue
                    rep = json.loads(out.stdout)
                    totals[part][0] += 1
                    for i in rep["issues"]:
                        totals[part][1 if i["severity"] == "error" else 2] += 1
                        if show and (part == "tuning" or show_held_out):
                            print(f"[{part}] {doc} {s}->{t} {i['severity']} {i['kind']} {i['concept']}: {i['message']}")
    return totals


def report(name, totals):
    for part, (pairs, errors, warnings) in totals.items():
        issues = errors + warnings
        rate = f", 1 per {pairs / issues:.1f} document pairs" if issues else ""
        print(
            f"{name}: {part}: {pairs} document pairs ({pairs // 6} documents x 6 directions): "
            f"{issues} issues ({errors} errors, {warnings} warnings){rate}"
        )
    pairs = sum(v[0] for v in totals.values())
    issues = sum(v[1] + v[2] for v in totals.values())
    print(f"{name}: all: {pairs} document pairs, {issues} issues" + (f", 1 per {pairs / issues:.1f}" if issues else ""))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "qantara"))
    default_corpus = os.path.join(os.path.dirname(ROOT), "shared", "corpora", "ntrex-dev")
    if not os.path.isdir(default_corpus):
        default_corpus = "/work/shared/corpora/ntrex-dev"
    ap.add_argument("--corpus", default=default_corpus)
    ap.add_argument("--show-held-out", action="store_true")
    ap.add_argument("--baseline", help="another qantara binary to count beside")
    args = ap.parse_args()
    if not os.path.isdir(args.corpus):
        print(f"bench/check_ntrex.py: skipped: corpus {args.corpus} is absent (give --corpus)")
        return 0
    if not os.path.exists(args.bin):
        print(f"bench/check_ntrex.py: {args.bin} not found: run cargo build --release first")
        return 2
    docs = sorted(d for d in os.listdir(args.corpus) if os.path.isdir(os.path.join(args.corpus, d)))
    totals = run(args.bin, args.corpus, docs, True, args.show_held_out)
    report("qantara", totals)
    if args.baseline:
        report(f"baseline {args.baseline}", run(args.baseline, args.corpus, docs, False, False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
