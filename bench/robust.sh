#!/usr/bin/env bash
# Hostile input: time and peak memory of every stage on inputs that once hung or blew up
# (issue 10). Generates its inputs under bench/out/robust/, runs the release binary under
# /usr/bin/time -v and prints a table: case, wall seconds, peak MB, whether the limit
# (10 s and 500 MB on the reference 2-core machine) is met. Exit status 1 if any is not.
#
#   bench/robust.sh [FILTER]     run only the cases whose name contains FILTER
#
# Q= another binary (e.g. one built from main, for "before" figures); LIMIT_S= / LIMIT_MB=
# other limits; KEEP=1 keeps the generated memories between runs (they take a while to build).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-bench/out/robust}
LIMIT_S=${LIMIT_S:-10}
LIMIT_MB=${LIMIT_MB:-500}
FILTER=${1:-}
if [ -z "${Q:-}" ]; then
  nice -n 10 cargo build --release --locked --quiet
  Q=target/release/qantara
fi
d=$OUT; mkdir -p "$d"

python3 - "$d" <<'PY'
import os, random, sys
d = sys.argv[1]
def w(name, text):
    p = os.path.join(d, name)
    if not os.path.exists(p):
        with open(p, "w", encoding="utf-8") as f:
            f.write(text)
r = random.Random(1)
# one 6,000-word segment a side, no punctuation
fw = "ville port gare marché travaux année projet maire rue quartier".split()
ew = "city port station market works year project mayor street district".split()
w("fr6k.txt", " ".join(r.choice(fw) for _ in range(6000)) + "\n")
w("en6k.txt", " ".join(r.choice(ew) for _ in range(6000)) + "\n")
# 100,000 identical sentence pairs
w("fr100k.txt", "La Sûreté nationale a publié son rapport annuel.\n" * 100000)
w("en100k.txt", "The DGSN published its annual report.\n" * 100000)
# 100,000 tiny lines
w("tiny_fr.txt", "Oui.\n" * 100000)
w("tiny_en.txt", "Yes.\n" * 100000)
# combining marks in long runs: 1 MB, a base letter followed by 1,000 marks, repeated
w("marks.txt", ("e" + "\u0301" * 999 + " ") * 500 + "\n")
# huge digit run: 1,000,000 digits, then Arabic-Indic digits with U+066C/U+066B
w("digits.txt", "Il a payé " + "9" * 1000000 + " euros.\n")
w("digits_ar.txt", "دفع " + ("٣٤٥٬" * 125000) + "٥٫٦ درهم.\n")
# 1 MB of bidi controls and zero-width characters between short words
w("bidi.txt", ("\u202bمثال\u202c\u2066x\u2069\u200b\u200d\u200c\ufeff\u2067" * 25000) + ".\n")
# SRX rule ^.*\. on a 1 MB line
w("line1m.txt", "mot. " * 200000 + "\n")
w("greedy.srx", """<?xml version="1.0" encoding="UTF-8"?>
<srx xmlns="http://www.lisa.org/srx20" version="2.0">
  <header segmentsubflows="yes" cascade="no"/>
  <body>
    <languagerules>
      <languagerule languagerulename="greedy">
        <rule break="yes"><beforebreak>^.*\\.</beforebreak><afterbreak>\\s</afterbreak></rule>
        <rule break="yes"><beforebreak>(?:\\w+\\s*)*\\.</beforebreak><afterbreak>.*$</afterbreak></rule>
      </languagerule>
    </languagerules>
    <maprules><languagemap languagepattern=".*" languagerulename="greedy"/></maprules>
  </body>
</srx>
""")
# 100,000-unit memory of near-identical boilerplate, 1,000 exact queries
rows = ["fr\ten"]
for n in range(1, 1001):
    for m in range(1, 101):
        rows.append(f"Phrase {n} numéro {m} du rapport annuel.\tSentence {n} number {m} of the annual report.")
w("boiler.tsv", "\n".join(rows) + "\n")
q = random.Random(2)
w("boiler_queries.txt", "".join(f"Phrase {q.randint(1,1000)} numéro {q.randint(1,100)} du rapport annuel.\n" for _ in range(1000)))
# one 17,000-word unit
lw = "le la les un une des rapport police nationale direction ville maire projet année travaux port".split()
le = "the a of report police national directorate city mayor project year works port".split()
t_fr = " ".join(r.choice(lw) for _ in range(17000))
t_en = " ".join(r.choice(le) for _ in range(17000))
w("long.tsv", f"fr\ten\n{t_fr}\t{t_en}\n")
w("long_query.txt", t_fr + "\n")
# the same text with every tenth word replaced (a near match: the full O(n·m) word table)
w("long_query10.txt", " ".join("modifié" if i % 10 == 5 else x for i, x in enumerate(t_fr.split())) + "\n")
# 4,000-concept glossary (qantara CSV), exported to TBX by the binary
g = ["concept,country,subject,definition,lang,term,type,status,gender,note,source"]
for i in range(4000):
    g.append(f"c{i},FR,institution,Concept {i}.,fr,Direction numéro {i} des affaires,full,preferred,,,")
    g.append(f"c{i},FR,institution,,en,Directorate number {i} of affairs,full,preferred,,,")
    g.append(f"c{i},FR,institution,,ar,المديرية رقم {i},full,preferred,,,")
w("gloss4k.csv", "\n".join(g) + "\n")
# deeply nested XML: 100,000 nested elements inside a TMX seg and a TBX term
depth = 100000
w("nested.tmx", '<?xml version="1.0"?>\n<tmx version="1.4"><header srclang="fr" datatype="plaintext" segtype="sentence" adminlang="en" o-tmf="x" creationtool="x" creationtoolversion="1"/><body><tu><tuv xml:lang="fr"><seg>'
  + "<bpt i=\"1\">" * depth + "x" + "</bpt>" * depth + "</seg></tuv></tu></body></tmx>\n")
w("nested.tbx", '<?xml version="1.0"?>\n<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2"><tbxHeader><fileDesc><sourceDesc><p>x</p></sourceDesc></fileDesc></tbxHeader><text><body>'
  + "<conceptEntry id=\"c\">" * depth + "</conceptEntry>" * depth + "</body></text></tbx>\n")
PY

if [ ! -s "$d/gloss4k.tbx" ]; then
  "$Q" glossary export --no-default-glossary --glossary "$d/gloss4k.csv" -f tbx -o "$d/gloss4k.tbx"
fi
if [ "${KEEP:-}" != 1 ] || [ ! -s "$d/boiler.db" ]; then
  rm -f "$d"/boiler.db* "$d"/long.db*
  "$Q" tm import --tm "$d/boiler.db" "$d/boiler.tsv" >/dev/null
fi

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
printf "%-46s %8s %8s %8s  %s\n" case wall_s cpu_s peak_MB limit
failed=0
# run NAME [EXPECT=STATUS] COMMAND...: EXPECT is the exit status the case should give
# (a validator exits 1 on a file with problems).
run() {
  local name=$1 expect=0; shift
  case $1 in EXPECT=*) expect=${1#EXPECT=}; shift ;; esac
  case $name in *"$FILTER"*) ;; *) return 0 ;; esac
  local t=$d/$(echo "$name" | tr -c 'A-Za-z0-9' _).time status=0
  timeout 120 /usr/bin/time -v "$@" >/dev/null 2>"$t" || status=$?
  local secs mb ok
  secs=$(awk -F': ' '/Elapsed \(wall clock\)/{n=split($2,t,":"); s=0; for(i=1;i<=n;i++) s=s*60+t[i]; print s}' "$t")
  mb=$(awk -F': ' '/Maximum resident/{printf "%.1f", $2/1024}' "$t")
  cpu=$(awk -F': ' '/User time|System time/{s+=$2} END{printf "%.2f", s}' "$t")
  [ -z "$secs" ] && secs=">120" && mb="?"
  ok=yes
  if [ "$status" -ne "$expect" ] || [ "$secs" = ">120" ] || awk -v s="$secs" -v m="$mb" -v S="$LIMIT_S" -v M="$LIMIT_MB" 'BEGIN{exit !(s>=S || m>=M)}'; then
    ok=no; failed=1
  fi
  [ "$status" -ne "$expect" ] && ok="$ok (exit $status)"
  printf "%-46s %8s %8s %8s  %s\n" "$name" "$secs" "$cpu" "$mb" "$ok"
}
run "align 100,000 identical pairs" "$Q" align "$d/fr100k.txt" "$d/en100k.txt" --langs fr,en
run "check 100,000 identical pairs" "$Q" check "$d/fr100k.txt" "$d/en100k.txt" --langs fr,en
run "align 6,000-word segment a side" "$Q" align "$d/fr6k.txt" "$d/en6k.txt" --langs fr,en
run "check 6,000-word segment a side" "$Q" check "$d/fr6k.txt" "$d/en6k.txt" --langs fr,en
run "segment SRX ^.*\\. on a 1 MB line" "$Q" segment "$d/line1m.txt" --lang fr --srx "$d/greedy.srx"
run "lookup --batch 1,000 on 100k boilerplate" "$Q" lookup --tm "$d/boiler.db" --lang fr --batch "$d/boiler_queries.txt"
rm -f "$d"/long.db*
run "tm import one 17,000-word unit" "$Q" tm import --tm "$d/long.db" "$d/long.tsv"
run "lookup one 17,000-word unit" "$Q" lookup --tm "$d/long.db" --lang fr --batch "$d/long_query.txt"
run "lookup one 17,000-word unit, 10% of words changed" "$Q" lookup --tm "$d/long.db" --lang fr --batch "$d/long_query10.txt"
run "glossary import own TBX, 4,000 concepts" "$Q" glossary import "$d/gloss4k.tbx" -o "$d/gloss4k.back.csv"
run "glossary validate own TBX, 4,000 concepts" "$Q" glossary validate "$d/gloss4k.tbx"
run "segment 100,000 tiny lines" "$Q" segment "$d/tiny_fr.txt" --lang fr
run "align 100,000 tiny lines" "$Q" align "$d/tiny_fr.txt" "$d/tiny_en.txt" --langs fr,en
run "segment 1 MB combining-mark runs" "$Q" segment "$d/marks.txt" --lang fr
run "align 1 MB combining-mark runs" "$Q" align "$d/marks.txt" "$d/marks.txt" --langs fr,en
run "align 1,000,000-digit number" "$Q" align "$d/digits.txt" "$d/digits.txt" --langs fr,en
run "align 1 MB Arabic digits with ٬ ٫" "$Q" align "$d/digits_ar.txt" "$d/digits_ar.txt" --langs ar,fr
run "align 1 MB bidi/zero-width" "$Q" align "$d/bidi.txt" "$d/bidi.txt" --langs ar,fr
run "check 1 MB bidi/zero-width" "$Q" check "$d/bidi.txt" "$d/bidi.txt" --langs ar,fr
run "tm validate TMX nested 100,000 deep" EXPECT=1 "$Q" tm validate "$d/nested.tmx"
run "glossary validate TBX nested 100,000 deep" EXPECT=1 "$Q" glossary validate "$d/nested.tbx"
exit $failed
