#!/usr/bin/env python3
"""`qantara check` on the test articles of tests/fixtures/check (written for the tests):
issues on the correct translations (all six directions) and planted errors caught, each error
planted alone in a copy (tests/fixtures/check/planted.tsv). `cargo test` asserts the targets
(tests/term_qa.rs); this script prints the figures, and with `--baseline OTHER` those of another
build beside, in the same run.

    bench/check_fixtures.py [--bin target/debug/qantara] [--baseline OTHER-QANTARA] [-v]
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
F = os.path.join(ROOT, "tests", "fixtures", "check")
LANGS = ["ar", "fr", "en"]


def check(binary, s, t, sl, tl):
    o = subprocess.run([binary, "check", s, t, "--langs", f"{sl},{tl}", "--json"], capture_output=True, text=True)
    if o.returncode not in (0, 1):
        raise SystemExit(f"check failed ({o.returncode}): {o.stderr}")
    return json.loads(o.stdout)


def evaluate(binary, verbose):
    arts = sorted(os.listdir(os.path.join(F, "articles")))
    pairs = issues = 0
    for a in arts:
        for s in LANGS:
            for t in LANGS:
                if s != t:
                    p = lambda l: os.path.join(F, "articles", a, f"{l}.txt")
                    r = check(binary, p(s), p(t), s, t)
                    pairs += r["pairs"]
                    issues += len(r["issues"])
                    for i in r["issues"] if verbose else []:
                        print(f"  false alarm: {a} {s}->{t} {i['kind']}: {i['message']}")
    caught = total = 0
    with tempfile.TemporaryDirectory() as tmp:
        for k, row in enumerate(open(os.path.join(F, "planted.tsv"), encoding="utf-8")):
            if row.startswith("#") or not row.strip():
                continue
            a, l, line, srcs, concepts, cls, find, repl = row.rstrip("\n").split("\t")
            line = int(line)
            lines = open(os.path.join(F, "articles", a, f"{l}.txt"), encoding="utf-8").read().split("\n")
            lines[line - 1] = lines[line - 1].replace(find, repl, 1)
            planted = os.path.join(tmp, f"{k}.{l}.txt")
            open(planted, "w", encoding="utf-8").write("\n".join(lines))
            for s in srcs.split(","):
                total += 1
                r = check(binary, os.path.join(F, "articles", a, f"{s}.txt"), planted, s, l)
                ok = any(
                    i["concept"] in concepts.split("|")
                    and ((m := re.search(r"target line (\d+)", i["origin"])) and int(m.group(1)) == line or i["kind"] == "inconsistent")
                    for i in r["issues"]
                )
                caught += bool(ok)
                if verbose and not ok:
                    print(f"  missed: {a} {s}->{l} line {line} ({cls})")
    return pairs, issues, caught, total


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "debug", "qantara"))
    ap.add_argument("--baseline")
    ap.add_argument("-v", action="store_true", help="list false alarms and misses")
    args = ap.parse_args()
    for name, binary in [("qantara", args.bin)] + ([("baseline", args.baseline)] if args.baseline else []):
        pairs, issues, caught, total = evaluate(binary, args.v)
        print(
            f"{name}: correct articles: {issues} issues on {pairs} pairs; "
            f"planted errors: {caught} of {total} caught ({100 * caught / total:.1f}%)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
