#!/usr/bin/env bash
# Round trips between qantara and the tools translators run (not in CI):
#   OmegaT 3.6 (Debian `omegat`) console-translate with qantara's TMX exports in tm/auto and its
#   glossary in glossary/; OmegaT's own TMX read back by `qantara tm import`;
#   translate-toolkit (pip `translate-toolkit`): its TMX reader and pretranslate on qantara's
#   TMX, its TBX reader on qantara's TBX v2, and po2tmx / csv2tbx files read back by qantara.
# The memory is the seed article (seeds/), aligned 3-way by `qantara batch`.
#
# Usage: bench/interop.sh            (installs what is missing when run as root)
#        QANTARA=path/to/qantara bench/interop.sh
# Prints one line per check: PASS/FAIL (or CONTROL for a run that shows the failure the safe
# export avoids), with its figures; exits 1 if a check failed.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

if ! [ -f /usr/share/omegat/OmegaT.jar ]; then
  echo "installing OmegaT (Debian package omegat)..." >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq omegat >/dev/null
fi
if ! python3 -c "import translate.storage.tmx" 2>/dev/null; then
  echo "installing translate-toolkit (pip)..." >&2
  python3 -m pip install -q translate-toolkit
fi
OMEGAT_JAR=/usr/share/omegat/OmegaT.jar
Q=${QANTARA:-}
if [ -z "$Q" ]; then
  cargo build -q
  Q=$ROOT/target/debug/qantara
fi
W=$(mktemp -d /tmp/qantara-interop.XXXXXX)
trap 'rm -rf "$W"' EXIT
export QANTARA_TM=$W/tm.sqlite
echo "qantara: $($Q --version); OmegaT: $(dpkg-query -W -f='${Version}' omegat 2>/dev/null || echo '?'); translate-toolkit: $(python3 -m pip show translate-toolkit 2>/dev/null | sed -n 's/^Version: //p')"
$Q batch seeds --langs ar,fr,en >/dev/null 2>&1
$Q tm export --every-unit --format tsv -o "$W/units.tsv" 2>/dev/null
echo "memory: $($Q tm stats --json | python3 -c 'import json,sys; s=json.load(sys.stdin); print(s["units"], "units; pairs", s["pairs"])')"
fails=0

# compare.py MODE ...: the checks, on the memory's units (units.tsv, every language).
cat > "$W/compare.py" <<'EOF'
import sys, re
def unesc(s):
    return re.sub(r"\\(.)", lambda m: {"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}.get(m.group(1), "\\" + m.group(1)), s)
def units(path):
    lines = open(path, encoding="utf-8").read().split("\n")
    head = lines[0].split("\t")
    out = []
    for l in lines[1:]:
        if not l:
            continue
        f = [unesc(x) for x in l.split("\t")]
        out.append({h: t for h, t in zip(head, f) if t.strip()})
    return out
def paragraphs(path):
    return [p.strip() for p in open(path, encoding="utf-8").read().split("\n\n") if p.strip()]
mode = sys.argv[1]
us = units(sys.argv[2])
if mode == "source":  # the source file: the src text of every unit holding it, one a paragraph
    src = sys.argv[3]
    texts = [u[src] for u in us if src in u and "\n" not in u[src]]
    open(sys.argv[4], "w", encoding="utf-8").write("\n\n".join(texts) + "\n")
    sys.exit(0)
def classify(src, tgt, pairs):
    """pairs: (source text, produced target or None). Counts right / other-language / untranslated."""
    right = wrong = untranslated = expected = 0
    wrong_examples = []
    need = set(sys.argv[7].split(",")) if mode == "omegat" and len(sys.argv) > 7 else {src, tgt}
    by_src = {u[src]: u for u in us if src in u}
    for s, t in pairs:
        u = by_src.get(s)
        if u is None:
            continue
        if need <= set(u):
            expected += 1
        if t is None or t == "" or t == s:
            untranslated += 1
        elif tgt in u and t == u[tgt]:
            right += 1
        else:
            wrong += 1
            lang = next((l for l, x in u.items() if x == t), "?")
            wrong_examples.append(lang)
    return right, wrong, untranslated, expected, wrong_examples
if mode == "omegat":  # source file, target file
    src, tgt = sys.argv[3], sys.argv[4]
    s, t = paragraphs(sys.argv[5]), paragraphs(sys.argv[6])
    assert len(s) == len(t), (len(s), len(t))
    r = classify(src, tgt, list(zip(s, t)))
elif mode == "pretranslate":  # a PO file written by pretranslate
    from translate.storage import po
    src, tgt = sys.argv[3], sys.argv[4]
    store = po.pofile.parsefile(sys.argv[5])
    r = classify(src, tgt, [(u.source, u.target or None) for u in store.units if not u.isheader()])
elif mode == "ttk-tmx":  # translate-toolkit's TMX reader on a qantara TMX
    from translate.storage import tmx
    src, tgt = sys.argv[3], sys.argv[4]
    store = tmx.tmxfile.parsefile(sys.argv[5])
    r = classify(src, tgt, [(u.source, u.target) for u in store.units])
print("right=%d other-language=%d untranslated=%d expected=%d%s" % (r[0], r[1], r[2], r[3], (" (the other-language texts were: %s)" % ",".join(sorted(set(r[4])))) if r[4] else ""))
# pretranslate's matcher skips long segments (translate-toolkit's max_length): it passes when
# nothing is filled in another language; the others must also fill every expected segment.
sys.exit(0 if r[1] == 0 and (r[0] == r[3] or mode == "pretranslate") else 3)
EOF

check() { # name, expect (pass|control), command...
  local name=$1 expect=$2; shift 2
  local out rc=0
  out=$("$@" 2>&1) || rc=$?
  if [ "$expect" = control ]; then
    printf 'CONTROL %-58s %s\n' "$name" "$out"
  elif [ $rc -eq 0 ]; then
    printf 'PASS    %-58s %s\n' "$name" "$out"
  else
    printf 'FAIL    %-58s %s\n' "$name" "$out"; fails=$((fails + 1))
  fi
}

omegat_project() { # dir src tgt tmx-file [languages every expected unit holds]
  local d=$1 src=$2 tgt=$3 tmx=$4 need=${5:-$2,$3}
  mkdir -p "$d/source" "$d/target" "$d/tm/auto" "$d/glossary" "$d/omegat" "$d/dictionary"
  cp "$tmx" "$d/tm/auto/qantara.tmx"
  $Q glossary export --format omegat --langs "$src,$tgt" -o "$d/glossary/glossary.txt"
  python3 "$W/compare.py" source "$W/units.tsv" "$src" "$d/source/article.utf8"
  cat > "$d/omegat.project" <<EOP
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<omegat>
  <project version="1.0">
    <source_dir>__DEFAULT__</source_dir>
    <target_dir>__DEFAULT__</target_dir>
    <tm_dir>__DEFAULT__</tm_dir>
    <glossary_dir>__DEFAULT__</glossary_dir>
    <glossary_file>__DEFAULT__</glossary_file>
    <dictionary_dir>__DEFAULT__</dictionary_dir>
    <source_lang>$src</source_lang>
    <target_lang>$tgt</target_lang>
    <sentence_seg>false</sentence_seg>
    <support_default_translations>true</support_default_translations>
    <remove_tags>false</remove_tags>
  </project>
</omegat>
EOP
  (cd "$d" && timeout 300 java -Dfile.encoding=UTF-8 -Djava.awt.headless=true -jar "$OMEGAT_JAR" \
    --mode=console-translate "$d" >"$d/omegat.log" 2>&1)
  if grep -iE "exception|error" "$d/omegat.log" | grep -qv "Errors: 0"; then
    echo "OmegaT log has errors:"; grep -iE "exception|error" "$d/omegat.log" | head -3
    return 1
  fi
  python3 "$W/compare.py" omegat "$W/units.tsv" "$src" "$tgt" "$d/source/article.utf8" "$d/target/article.utf8" "$need"
}

# 1. OmegaT console-translate: every exact segment filled with the target language, never another.
for pair in ar,fr ar,en fr,en fr,ar en,ar; do
  s=${pair%,*}; t=${pair#*,}
  $Q tm export --langs "$pair" -o "$W/$s-$t.tmx" 2>/dev/null
  check "OmegaT $s→$t, tm export --langs $pair" pass omegat_project "$W/om-$s-$t" "$s" "$t" "$W/$s-$t.tmx"
done
$Q tm export -o "$W/three.tmx" 2>"$W/three.err"
check "OmegaT ar→fr, tm export (3 languages, complete units)" pass omegat_project "$W/om3-ar-fr" ar fr "$W/three.tmx" ar,fr,en
check "OmegaT en→ar, tm export (3 languages, complete units)" pass omegat_project "$W/om3-en-ar" en ar "$W/three.tmx" ar,fr,en
echo "        (tm export said: $(sed 's/^qantara: //' "$W/three.err"))"
$Q tm export --every-unit -o "$W/every.tmx" 2>/dev/null
check "OmegaT ar→en, tm export --every-unit (not for CAT tools)" control omegat_project "$W/omE-ar-en" ar en "$W/every.tmx"
check "OmegaT fr→ar, tm export --every-unit (not for CAT tools)" control omegat_project "$W/omE-fr-ar" fr ar "$W/every.tmx"

# 2. OmegaT's TMX (project memory export) into qantara, with its languages.
omegat_import() { # project dir, src, tgt
  local f=$1/$(basename "$1")-omegat.tmx
  $Q tm import "$f" --tm "$W/from-omegat.sqlite" --json >/dev/null 2>&1 || { echo "import failed"; return 1; }
  $Q tm stats --json --tm "$W/from-omegat.sqlite" | python3 -c '
import json, sys
s = json.load(sys.stdin); src, tgt, n = sys.argv[1:4]
pair = "-".join(sorted([src, tgt], key=["ar", "fr", "en"].index))
print("units=%d pairs=%s (OmegaT wrote %s units)" % (s["units"], s["pairs"], n))
sys.exit(0 if s["pairs"].get(pair, 0) == s["units"] == int(n) else 3)' "$2" "$3" "$(grep -cE '<tu[ >]' "$f" || true)"
}
check "OmegaT ar→fr project TMX → qantara tm import" pass omegat_import "$W/om-ar-fr" ar fr
rm -f "$W/from-omegat.sqlite"*
check "OmegaT fr→en project TMX → qantara tm import" pass omegat_import "$W/om-fr-en" fr en

# 3. translate-toolkit reading qantara's TMX (first <tuv> = source, second = target).
check "translate-toolkit tmxfile, tm export --langs ar,fr" pass python3 "$W/compare.py" ttk-tmx "$W/units.tsv" ar fr "$W/ar-fr.tmx"
check "translate-toolkit tmxfile, tm export --langs ar,en" pass python3 "$W/compare.py" ttk-tmx "$W/units.tsv" ar en "$W/ar-en.tmx"
check "translate-toolkit tmxfile ar→en on the 3-language file" control python3 "$W/compare.py" ttk-tmx "$W/units.tsv" ar en "$W/three.tmx"

# 4. translate-toolkit pretranslate of a PO file with qantara's TMX.
pretranslate_run() { # src tgt tmx
  python3 - "$W/units.tsv" "$1" "$W/in-$1-$2.po" <<'EOF'
import sys, re
from translate.storage import po
sys.argv[1:2]
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
head = lines[0].split("\t"); col = head.index(sys.argv[2])
store = po.pofile()
seen = set()
for l in lines[1:]:
    f = l.split("\t")
    if len(f) > col and f[col].strip() and "\\" not in f[col] and f[col] not in seen:
        seen.add(f[col]); store.addsourceunit(f[col])
open(sys.argv[3], "wb").write(bytes(store))
EOF
  pretranslate -t "$W/in-$1-$2.po" --similarity=100 --tm="$3" "$W/in-$1-$2.po" "$W/out-$1-$2.po" >/dev/null 2>&1
  python3 "$W/compare.py" pretranslate "$W/units.tsv" "$1" "$2" "$W/out-$1-$2.po"
}
check "translate-toolkit pretranslate ar→fr, --langs ar,fr" pass pretranslate_run ar fr "$W/ar-fr.tmx"
check "translate-toolkit pretranslate fr→en, --langs fr,en" pass pretranslate_run fr en "$W/fr-en.tmx"
check "translate-toolkit pretranslate ar→fr, --every-unit (not for CAT tools)" control pretranslate_run ar fr "$W/every.tmx"

# 5. translate-toolkit reading qantara's TBX v2, and its own TMX/TBX read by qantara.
$Q glossary export --format tbx2 -o "$W/glossary-v2.tbx" 2>/dev/null
ttk_tbx() {
  python3 - "$W/glossary-v2.tbx" <<'EOF'
import sys
from translate.storage import tbx
store = tbx.tbxfile.parsefile(sys.argv[1])
units = [u for u in store.units]
langs = set()
for u in units:
    for node in u.xmlelement.iter():
        l = node.get("{http://www.w3.org/XML/1998/namespace}lang")
        if l:
            langs.add(l)
print("units=%d languages=%s first=%s → %s" % (len(units), sorted(langs), units[0].source, units[0].target))
sys.exit(0 if units and {"ar", "fr", "en"} <= langs else 3)
EOF
}
check "translate-toolkit tbxfile on glossary export --format tbx2" pass ttk_tbx
po2tmx_import() {
  python3 - "$W/units.tsv" "$W/ttk.po" <<'EOF'
import sys
from translate.storage import po
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
head = lines[0].split("\t"); a, f = head.index("ar"), head.index("fr")
store = po.pofile()
for l in lines[1:]:
    x = l.split("\t")
    if len(x) > f and x[a].strip() and x[f].strip() and "\\" not in l:
        u = store.addsourceunit(x[a]); u.target = x[f]
open(sys.argv[2], "wb").write(bytes(store))
EOF
  po2tmx --source-language=ar-MA -l fr-FR "$W/ttk.po" "$W/ttk.tmx" >/dev/null 2>&1
  local n; n=$(grep -cE '<tu[ >]' "$W/ttk.tmx" || true)
  $Q tm import "$W/ttk.tmx" --tm "$W/from-ttk.sqlite" >/dev/null 2>&1 || { echo "import failed"; return 1; }
  $Q tm stats --json --tm "$W/from-ttk.sqlite" | python3 -c '
import json, sys; s = json.load(sys.stdin); n = int(sys.argv[1])
print("po2tmx wrote %d units; qantara: units=%d pairs=%s" % (n, s["units"], s["pairs"]))
sys.exit(0 if n > 0 and s["pairs"].get("ar-fr") == s["units"] == n else 3)' "$n"
}
check "translate-toolkit po2tmx (ar-MA → fr-FR) → qantara tm import" pass po2tmx_import
ttk_tbx_import() {
  # translate-toolkit's TBX writer with its languages set (ar → fr), read by qantara.
  python3 - "$W/ttk.tbx" <<'EOF'
import sys
from translate.storage import tbx
store = tbx.tbxfile(sourcelanguage="ar", targetlanguage="fr")
for a, f in [("الدرك الملكي", "Gendarmerie royale"), ("والي الجهة", "wali de la région"), ("مفوضية الشرطة", "commissariat de police")]:
    u = store.addsourceunit(a); u.target = f
open(sys.argv[1], "wb").write(bytes(store))
EOF
  $Q glossary import "$W/ttk.tbx" -o "$W/ttk.csv" 2>/dev/null || { echo "import refused"; return 1; }
  python3 -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
ok = all((r["lang"] == "ar") == any("\u0600" <= c <= "\u06ff" for c in r["term"]) for r in rows)
print("terms=%d languages=%s, every Arabic term labelled ar and no other: %s" % (len(rows), sorted({r["lang"] for r in rows}), ok))
sys.exit(0 if ok and len(rows) == 6 else 3)' "$W/ttk.csv"
}
check "translate-toolkit tbxfile (ar → fr) → qantara glossary import" pass ttk_tbx_import
csv2tbx_import() {
  # csv2tbx labels the source column en and the target xx, whatever they hold, and uses the
  # source term as id (with spaces: not an xs:ID). qantara must not take Arabic as English
  # silently: it warns for each such term (and refuses the ids, naming the line).
  printf '"source","target"\n"المديرية العامة للأمن الوطني","Direction générale de la Sûreté nationale"\n"الدرك الملكي","Gendarmerie royale"\n' > "$W/terms.csv"
  csv2tbx "$W/terms.csv" "$W/csv2tbx.tbx" >/dev/null 2>&1
  local out; out=$($Q glossary validate "$W/csv2tbx.tbx" 2>&1) || true
  local notes; notes=$(grep -c "has Arabic letters only" <<<"$out" || true)
  echo "csv2tbx langSets: $(grep -o 'xml:lang="[^"]*"' "$W/csv2tbx.tbx" | sort | uniq -c | tr -s ' ' | tr '\n' ';') qantara: $(tail -1 <<<"$out" | sed 's/.*: //'), script warnings: $notes"
  [ "$notes" -eq 2 ]
}
check "translate-toolkit csv2tbx (Arabic labelled en) → qantara warns" pass csv2tbx_import

echo "failed checks: $fails"
[ "$fails" -eq 0 ]
