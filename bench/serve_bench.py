#!/usr/bin/env python3
"""`qantara serve` on PostgreSQL: import time, HTTP lookup latency under load, recall@1 against
the embedded (SQLite) store, and PostgreSQL's pg_trgm on the same queries in the same run.

Data: a *generated* trilingual (ar, fr, en) memory — the Zipf pseudo-vocabulary of
bench/tm.py (no corpus text), documents of 1,000 units, 5% of units short headlines (2-4
words). Planted queries: full sentences (Arabic, 0-3 word edits and a proclitic, as in
bench/tm.py) and 2-3-word headline queries (French, a headline unit with one word changed
or dropped, or as is).

Measured:
* `qantara tm import` of the TMX into a fresh PostgreSQL database (binary COPY), and into an
  SQLite file (the embedded store, for recall);
* `wrk` (HTTP/1.1, keep-alive, loopback) POSTing the queries to /v1/lookup for DURATION seconds
  with 1, 8 and 32 connections: requests/s, p50 and p99 latency, non-2xx count;
* recall@1 of the planted source through the server, and through `qantara lookup --batch`
  on the SQLite store;
* pg_trgm: `CREATE EXTENSION pg_trgm`, a GIN `gin_trgm_ops` index on the texts of the query
  language, then `WHERE text % q ORDER BY similarity(text, q) DESC LIMIT 1` (the query shape of
  Weblate and Tolgee) for the same queries, one client, through psql with `\\timing`
  (statement_timeout 10 s): p50, p99, recall@1 — and the ratio of p50s.

Usage: python3 bench/serve_bench.py [--units 1000000] [--queries 200] [--trgm-queries 60]
       [--duration 10] [--pg postgres://postgres@127.0.0.1/test] [--bin target/release/qantara]
       [--reuse] [--skip-trgm]
--reuse keeps the TMX, the database and the SQLite file of an earlier run with the same
--units (the import figures are then those of that run, from report.json); --skip-trgm leaves
out the pg_trgm part (its figures are then copied from report.json too).
Output: bench/out/serve/ (TMX, queries, report.md, report.json).
"""

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from tm import Gen, esc, make_vocab, mutate, pct  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "serve"


def log(*a):
    print("==", *a, file=sys.stderr, flush=True)


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def with_db(url, db):
    base, _, query = url.partition("?")
    scheme, _, rest = base.partition("://")
    host = rest.split("/", 1)[0]
    return f"{scheme}://{host}/{db}" + (f"?{query}" if query else "")


def generate(n, seed):
    gen = Gen(seed=seed)
    gen.vocab["en"] = make_vocab(random.Random(seed + 1), len(gen.vocab["fr"]), "en")
    units = []
    for _ in range(n):
        if gen.rng.random() < 0.05:
            k = gen.rng.randint(2, 4)
            units.append(tuple(gen.sentence(l, k) for l in ("ar", "fr", "en")))
        else:
            units.append(tuple(gen.sentence(l) for l in ("ar", "fr", "en")))
    return gen, units


def write_tmx(path, units):
    with open(path, "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n')
        f.write('<header creationtool="bench" creationtoolversion="1" segtype="sentence" o-tmf="bench" '
                'adminlang="en" srclang="ar" datatype="plaintext"/>\n<body>\n')
        for i, u in enumerate(units):
            f.write(f'<tu><prop type="x-doc">gen-{i // 1000:06d}</prop>')
            for lang, words in zip(("ar", "fr", "en"), u):
                f.write(f'<tuv xml:lang="{lang}"><seg>{esc(" ".join(words) + ".")}</seg></tuv>')
            f.write("</tu>\n")
        f.write("</body>\n</tmx>\n")


def plant(gen, units, q):
    full, head = [], []
    long_ids = [i for i, u in enumerate(units) if len(u[1]) > 4]
    short_ids = [i for i, u in enumerate(units) if 2 <= len(u[1]) <= 4]
    for _ in range(q):
        i = gen.rng.choice(long_ids)
        src = units[i][0]
        edits = gen.rng.randint(0, min(3, len(src) // 5))
        full.append((" ".join(src) + ".", " ".join(mutate(gen, src, "ar", edits)) + "."))
    for _ in range(q):
        i = gen.rng.choice(short_ids)
        w = list(units[i][1])
        op = gen.rng.choice("ksd")
        if op == "s" and len(w) >= 3:
            w[gen.rng.randrange(len(w))] = gen.word("fr")
        elif op == "d" and len(w) == 4:
            del w[gen.rng.randrange(len(w))]
        head.append((" ".join(units[i][1]) + ".", " ".join(w[:3])))
    return full, head


def post(base, token, body):
    req = urllib.request.Request(f"{base}/v1/lookup", data=json.dumps(body).encode(), method="POST",
                                 headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.loads(r.read())


WRK_LUA = r"""
-- Thread k of n sends bodies k, k + n, k + 2n, ... so no two threads repeat each other.
local bodies = {}
for line in io.lines(os.getenv("QANTARA_BODIES")) do bodies[#bodies + 1] = line end
local token = os.getenv("QANTARA_TOKEN")
local nthreads = tonumber(os.getenv("QANTARA_THREADS"))
local counter = 0
function setup(thread) thread:set("id", counter); counter = counter + 1 end
local i = nil
request = function()
  if i == nil then i = id end
  local body = bodies[i % #bodies + 1]
  i = i + nthreads
  return wrk.format("POST", "/v1/lookup",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}, body)
end
"""


def ms(s):
    m = re.match(r"([\d.]+)(us|ms|s)", s)
    v, u = float(m.group(1)), m.group(2)
    return v / 1000 if u == "us" else v if u == "ms" else v * 1000


def wrk(base, token, bodies_file, conns, duration, lua):
    env = dict(os.environ, QANTARA_BODIES=str(bodies_file), QANTARA_TOKEN=token, QANTARA_THREADS=str(min(conns, 2)))
    load = os.getloadavg()[0]
    out = run(["wrk", "-t", str(min(conns, 2)), "-c", str(conns), "-d", f"{duration}s", "--latency",
               "--timeout", "10s", "-s", str(lua), base], env=env).stdout
    lat = dict(re.findall(r"^\s+(50|99)(?:\.0+)?%\s+(\S+)", out, re.M))
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    return {"conns": conns, "rps": round(rps, 1), "p50_ms": round(ms(lat["50"]), 2), "p99_ms": round(ms(lat["99"]), 2),
            "non2xx": int(non2xx.group(1)) if non2xx else 0, "socket_errors": errors.group(0) if errors else "",
            "load_before": round(load, 2), "load_after": round(os.getloadavg()[0], 2)}


def trgm(db_url, lang, queries, out_dir, name):
    sql = out_dir / f"trgm-{name}.sql"
    with open(sql, "w", encoding="utf-8") as f:
        f.write("\\timing on\nSET statement_timeout = '10s';\n")
        for _, q in queries:
            f.write(f"SELECT text FROM texts WHERE lang = '{lang}' AND text % $q${q}$q$ "
                    f"ORDER BY similarity(text, $q${q}$q$) DESC LIMIT 1;\n")
            f.write("SELECT '---';\n")
    p = subprocess.run(["psql", db_url, "-qAt", "-f", str(sql)], capture_output=True, text=True)
    # Per query: [answer], "Time: q ms", "---", "Time: sep ms". So the lines up to each "---"
    # hold the previous separator's time (or the SET's), the answer and the query's time; a
    # query cut by the timeout has no time of its own.
    times, answers, block = [], [], []
    for line in p.stdout.splitlines():
        if line != "---":
            block.append(line)
            continue
        ts = [float(re.search(r"Time: ([\d.]+) ms", l).group(1)) for l in block if l.startswith("Time:")]
        answers.append(next((l for l in block if not l.startswith("Time:")), None))
        times.append(ts[-1] if len(ts) == 2 else 10000.0)
        block = []
    timeouts = p.stderr.count("statement timeout")
    hits = sum(1 for (src, _), a in zip(queries, answers) if a == src)
    return {"p50_ms": round(pct(times, 50), 1), "p99_ms": round(pct(times, 99), 1),
            "recall_at_1": round(hits / len(queries), 4), "queries": len(queries), "timeouts": timeouts}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--units", type=int, default=1_000_000)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--trgm-queries", type=int, default=60)
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--pg", default=os.environ.get("QANTARA_TEST_PG", "postgres://postgres@127.0.0.1/test"))
    ap.add_argument("--bin", default=str(ROOT / "target" / "release" / "qantara"))
    ap.add_argument("--port", type=int, default=18080)
    ap.add_argument("--reuse", action="store_true")
    ap.add_argument("--cold-queries", type=int, default=40000)
    ap.add_argument("--skip-trgm", action="store_true")
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    res = {"units": args.units, "queries": args.queries}
    prev = {}
    if (OUT / "report.json").exists():
        prev = json.loads((OUT / "report.json").read_text())
        if prev.get("units") != args.units:
            prev = {}
    if (args.reuse or args.skip_trgm) and not prev:
        sys.exit(f"--reuse/--skip-trgm: no report.json of a run with --units {args.units} in {OUT}")

    log(f"generating {args.units} trilingual units")
    gen, units = generate(args.units, seed=20240626)
    tmx = OUT / "gen.tmx"
    if not (args.reuse and tmx.exists()):
        write_tmx(tmx, units)
    full, head = plant(gen, units, args.queries)
    # Queries no run has seen (drawn after the recall set, which stays as in earlier runs), in
    # four slices: slice 0 for the runs on a freshly started server (empty cache), slices 1-3
    # for the runs of 1, 8 and 32 clients on the server that answered the runs before (warm
    # with other queries' lists), so no run repeats a query another run sent.
    cold_full, cold_head = plant(gen, units, 4 * args.cold_queries)
    del units

    db = f"qantara_bench_{args.units}"
    db_url = with_db(args.pg, db)
    if args.reuse:
        res["pg_import_s"] = prev["pg_import_s"]
        res["reused"] = True
    else:
        run(["psql", args.pg, "-qc", f"DROP DATABASE IF EXISTS {db}"])
        run(["psql", args.pg, "-qc", f"CREATE DATABASE {db}"])
        log("importing into PostgreSQL")
        t0 = time.perf_counter()
        run([args.bin, "tm", "import", str(tmx), "--tm", db_url])
        res["pg_import_s"] = round(time.perf_counter() - t0, 1)
        run(["psql", db_url, "-qc", "VACUUM ANALYZE"])
    stats = json.loads(run([args.bin, "tm", "stats", "--json", "--tm", db_url]).stdout)
    res.update(pg_units=stats["units"], pg_postings=stats["postings"], pg_db_bytes=stats["file_bytes"],
               pg_index_bytes=stats["index_bytes"])
    log(f"PostgreSQL import {res['pg_import_s']} s; importing into SQLite")
    sq = OUT / "tm.sqlite"
    if args.reuse:
        res["sqlite_import_s"] = prev["sqlite_import_s"]
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(str(sq) + suffix).unlink(missing_ok=True)
        t0 = time.perf_counter()
        run([args.bin, "tm", "import", str(tmx), "--tm", str(sq)])
        res["sqlite_import_s"] = round(time.perf_counter() - t0, 1)

    # Recall@1, embedded store.
    for name, qs, lang in (("full", full, "ar"), ("headline", head, "fr")):
        qf = OUT / f"queries-{name}.txt"
        qf.write_text("\n".join(q for _, q in qs) + "\n", encoding="utf-8")
        out = run([args.bin, "lookup", "--batch", str(qf), "--lang", lang, "--min", "60", "--limit", "1",
                   "--tm", str(sq)]).stdout.splitlines()
        hits = sum(1 for (src, _), l in zip(qs, out) if (m := json.loads(l)["matches"]) and m[0]["source"] == src)
        res[f"sqlite_recall_{name}"] = round(hits / len(qs), 4)

    # The server.
    tokens = OUT / "tokens.tsv"
    tokens.unlink(missing_ok=True)
    token = run([args.bin, "token", "add", "bench", "--role", "read", "--tokens", str(tokens)]).stdout.strip()
    base = f"http://127.0.0.1:{args.port}"

    def start():
        srv = subprocess.Popen([args.bin, "serve", "--tm", db_url, "--tokens", str(tokens), "--listen",
                                f"127.0.0.1:{args.port}", "--log", "warn"], stderr=subprocess.DEVNULL)
        for _ in range(200):
            try:
                urllib.request.urlopen(f"{base}/v1/health", timeout=1)
                break
            except Exception:
                time.sleep(0.1)
        return srv

    def stop(srv):
        srv.terminate()
        srv.wait()

    lua = OUT / "lookup.lua"
    lua.write_text(WRK_LUA)
    res["load"], res["cold"] = {}, {}
    srv = start()
    try:
        for name, qs, lang in (("full", full, "ar"), ("headline", head, "fr")):
            bodies = [{"text": q, "lang": lang, "min": 60, "limit": 1} for _, q in qs]
            hits = sum(1 for (src, _), b in zip(qs, bodies)
                       if (m := post(base, token, b)["matches"]) and m[0]["source"] == src)
            res[f"pg_http_recall_{name}"] = round(hits / len(qs), 4)
            bf = OUT / f"bodies-{name}.jsonl"
            bf.write_text("\n".join(json.dumps(b, ensure_ascii=False) for b in bodies) + "\n", encoding="utf-8")
            res["load"][name] = []
            for c in (1, 8, 32):
                log(f"wrk {name} {c} connections")
                res["load"][name].append(wrk(base, token, bf, c, args.duration, lua))
        res["steady"] = {}
        n = args.cold_queries
        for name, qs, lang in (("full", cold_full, "ar"), ("headline", cold_head, "fr")):
            res["steady"][name] = []
            for k, c in enumerate((1, 8, 32), start=1):
                bf = OUT / f"bodies-steady-{name}-{c}.jsonl"
                bf.write_text("\n".join(json.dumps({"text": q, "lang": lang, "min": 60, "limit": 1},
                                                   ensure_ascii=False) for _, q in qs[k * n:(k + 1) * n]) + "\n",
                              encoding="utf-8")
                log(f"wrk unseen {name} {c} connections (running server)")
                r = wrk(base, token, bf, c, args.duration, lua)
                r["requests"], r["queries"] = round(r["rps"] * args.duration), n
                res["steady"][name].append(r)
    finally:
        stop(srv)
    for name, qs, lang in (("full", cold_full, "ar"), ("headline", cold_head, "fr")):
        bf = OUT / f"bodies-cold-{name}.jsonl"
        bf.write_text("\n".join(json.dumps({"text": q, "lang": lang, "min": 60, "limit": 1}, ensure_ascii=False)
                                for _, q in qs[:args.cold_queries]) + "\n", encoding="utf-8")
        res["cold"][name] = []
        for c in (1, 8, 32):
            log(f"wrk unseen {name} {c} connections (fresh server)")
            srv = start()
            try:
                r = wrk(base, token, bf, c, args.duration, lua)
            finally:
                stop(srv)
            r["requests"] = round(r["rps"] * args.duration)
            r["queries"] = args.cold_queries
            res["cold"][name].append(r)

    if args.skip_trgm:
        res["trgm_index_s"], res["trgm"], res["trgm_reused"] = prev["trgm_index_s"], prev["trgm"], True
    else:
        log("pg_trgm index")
        run(["psql", db_url, "-qc", "CREATE EXTENSION IF NOT EXISTS pg_trgm"])
        run(["psql", db_url, "-qc", "DROP INDEX IF EXISTS texts_trgm_ar; DROP INDEX IF EXISTS texts_trgm_fr"])
        t0 = time.perf_counter()
        run(["psql", db_url, "-qc", "CREATE INDEX texts_trgm_ar ON texts USING gin (text gin_trgm_ops) WHERE lang = 'ar'"])
        run(["psql", db_url, "-qc", "CREATE INDEX texts_trgm_fr ON texts USING gin (text gin_trgm_ops) WHERE lang = 'fr'"])
        res["trgm_index_s"] = round(time.perf_counter() - t0, 1)
        res["trgm"] = {}
        for name, qs, lang in (("full", full, "ar"), ("headline", head, "fr")):
            log(f"pg_trgm {name}")
            res["trgm"][name] = trgm(db_url, lang, qs[: args.trgm_queries], OUT, name)

    (OUT / "report.json").write_text(json.dumps(res, indent=1))
    lines = [f"# qantara serve benchmark: {res['pg_units']:,} units", "",
             f"PostgreSQL import {res['pg_import_s']} s ({res['pg_postings']:,} postings, database "
             f"{res['pg_db_bytes'] / 1e6:.0f} MB); SQLite import {res['sqlite_import_s']} s; pg_trgm GIN indexes "
             f"{res['trgm_index_s']} s.", "",
             "| queries | clients | req/s | p50 ms | p99 ms | non-2xx | load average before / after |",
             "|---|---:|---:|---:|---:|---:|---|"]
    for name in ("full", "headline"):
        for r in res["load"][name]:
            lines.append(f"| {name} | {r['conns']} | {r['rps']} | {r['p50_ms']} | {r['p99_ms']} | {r['non2xx']} "
                         f"| {r['load_before']} / {r['load_after']} |")
    titles = {"steady": f"Unseen queries on the running server (after the runs above; {args.cold_queries} new "
                        "queries per run)",
              "cold": f"Unseen queries, each run on a freshly started server (empty cache; {args.cold_queries} "
                      "new queries)"}
    for key, title in titles.items():
        lines += ["", title + "; a query is sent twice only when a run makes more requests than that:", "",
                  "| queries | clients | requests | req/s | p50 ms | p99 ms | non-2xx | load average before / after |",
                  "|---|---:|---:|---:|---:|---:|---:|---|"]
        for name in ("full", "headline"):
            for r in res[key][name]:
                lines.append(f"| {name} | {r['conns']} | {r['requests']} | {r['rps']} | {r['p50_ms']} "
                             f"| {r['p99_ms']} | {r['non2xx']} | {r['load_before']} / {r['load_after']} |")
    lines += ["", "| queries | recall@1 qantara serve (PG) | recall@1 embedded (SQLite) | pg_trgm recall@1 | "
              "pg_trgm p50 / p99 ms (1 client) | qantara p50 ms (1 client) | ratio of p50s |",
              "|---|---:|---:|---:|---:|---:|---:|"]
    for name in ("full", "headline"):
        t = res["trgm"][name]
        q1 = res["load"][name][0]["p50_ms"]
        lines.append(f"| {name} | {res[f'pg_http_recall_{name}']} | {res[f'sqlite_recall_{name}']} | {t['recall_at_1']} "
                     f"| {t['p50_ms']} / {t['p99_ms']} | {q1} | {t['p50_ms'] / q1:.0f}× |")
    (OUT / "report.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
