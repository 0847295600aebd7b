//! Exchange files other tools write and read (issue 15), through the real binary: the TMX
//! languages a CAT tool sees, regional variants and inline codes in TMX, TBX whitespace,
//! OmegaT glossaries saved as `.txt`, semicolon CSV memories, glossary headers with language
//! names, and terms whose script does not fit their language. Every text is written here.

use crate::bad_input::{Env, Out};
use crate::util::seed;

fn ok(out: Out) -> Out {
    assert_eq!(out.code, 0, "stdout:\n{}\nstderr:\n{}", out.stdout, out.stderr);
    out
}

/// `(srclang, [languages of each <tu>])` of a TMX text.
fn tmx_units(tmx: &str) -> (String, Vec<Vec<String>>) {
    let src = tmx.split("srclang=\"").nth(1).and_then(|s| s.split('"').next()).unwrap_or("").to_string();
    let units = tmx
        .split("</tu>")
        .filter(|tu| tu.contains("<tuv"))
        .map(|tu| {
            tu.split("<tuv xml:lang=\"").skip(1).map(|t| t.split('"').next().unwrap().to_string()).collect()
        })
        .collect();
    (src, units)
}

/// A memory with units in ar-fr-en, ar-fr, fr-en and ar-en.
fn mixed_memory(env: &Env) {
    env.write(
        "mixed.tsv",
        "ar\tfr\ten\n\
         افتتح الوالي المركز.\tLe wali a inauguré le centre.\tThe wali opened the centre.\n\
         وصل الوفد صباحا.\tLa délégation est arrivée le matin.\t\n\
         \tLa réunion a duré deux heures.\tThe meeting lasted two hours.\n\
         تم توقيع الاتفاق.\t\tThe agreement was signed.\n",
    );
    ok(env.run(["tm", "import", "mixed.tsv", "--tm", "tm.sqlite"]));
}

#[test]
fn tmx_export_never_gives_a_cat_tool_a_unit_without_its_language() {
    let env = Env::new();
    mixed_memory(&env);
    // Default: the memory's three languages; only the complete unit, srclang its first.
    let out = ok(env.run(["tm", "export", "--tm", "tm.sqlite"]));
    let (src, units) = tmx_units(&out.stdout);
    assert_eq!(src, "ar");
    assert_eq!(units, vec![vec!["ar", "fr", "en"]]);
    assert!(
        out.stderr.contains("left out 3 unit(s) that lack one of ar, fr, en (ar-en: 1, ar-fr: 1, fr-en: 1)"),
        "{}",
        out.stderr
    );
    // A pair: every unit holding both, srclang the first named.
    let out = ok(env.run(["tm", "export", "--langs", "fr,en", "--tm", "tm.sqlite"]));
    let (src, units) = tmx_units(&out.stdout);
    assert_eq!(src, "fr");
    assert_eq!(units, vec![vec!["fr", "en"], vec!["fr", "en"]]);
    assert!(!out.stderr.contains("left out"), "{}", out.stderr);
    // Three named: the same rule as the default.
    let (_, units) =
        tmx_units(&ok(env.run(["tm", "export", "--langs", "en,ar,fr", "--tm", "tm.sqlite"])).stdout);
    assert_eq!(units, vec![vec!["en", "ar", "fr"]]);
    // The complete copy.
    let out = ok(env.run(["tm", "export", "--every-unit", "--tm", "tm.sqlite"]));
    let (src, units) = tmx_units(&out.stdout);
    assert_eq!(src, "*all*");
    assert_eq!(units.len(), 4);
    // A memory of one pair exports that pair without a note.
    let env2 = Env::new();
    env2.write("p.tsv", "fr\ten\nLa séance est levée.\tThe meeting is closed.\n");
    ok(env2.run(["tm", "import", "p.tsv", "--tm", "tm.sqlite"]));
    let out = ok(env2.run(["tm", "export", "--tm", "tm.sqlite"]));
    assert_eq!(tmx_units(&out.stdout), ("fr".to_string(), vec![vec!["fr".to_string(), "en".to_string()]]));
    assert!(out.stderr.is_empty(), "{}", out.stderr);
}

#[test]
fn three_way_align_and_batch_tmx_declare_srclang_all_when_a_unit_lacks_arabic() {
    let env = Env::new();
    // The French and English versions have a sentence the Arabic one lacks.
    let ar = "افتتح والي الجهة صباح اليوم مفوضية جديدة للشرطة في وسط المدينة.\n\
              وأكد المدير العام أن المفوضية ستعمل ليلا ونهارا لخدمة السكان.\n";
    let fr = "Le wali de la région a inauguré ce matin un nouveau commissariat de police au centre-ville.\n\
              La cérémonie s'est déroulée en présence des élus locaux et de nombreux habitants du quartier.\n\
              Le directeur général a affirmé que le commissariat fonctionnera jour et nuit au service des habitants.\n";
    let en = "The regional wali opened a new police station in the city centre this morning.\n\
              The ceremony took place in the presence of local elected officials and many residents of the district.\n\
              The director general said the station would operate day and night to serve residents.\n";
    for (name, text) in [("ar.txt", ar), ("fr.txt", fr), ("en.txt", en)] {
        env.write(&format!("articles/a1/{name}"), text);
        env.write(name, text);
    }
    let tmx =
        ok(env.run(["align", "ar.txt", "fr.txt", "en.txt", "--langs", "ar,fr,en", "--format", "tmx"])).stdout;
    let (src, units) = tmx_units(&tmx);
    assert_eq!(units.len(), 3, "{tmx}");
    assert_eq!(units[1], ["fr", "en"], "{tmx}");
    assert_eq!(src, "*all*");
    let (src, units) =
        tmx_units(&ok(env.run(["align", "ar.txt", "en.txt", "--langs", "ar,en", "--format", "tmx"])).stdout);
    assert!(units.iter().all(|u| u == &["ar", "en"]));
    assert_eq!(src, "ar");
    ok(env.run(["batch", "articles", "--tm", "tm.sqlite", "--format", "tmx", "--out", "out"]));
    let f = std::fs::read_dir(env.path("out")).unwrap().next().unwrap().unwrap().path();
    let (src, units) = tmx_units(&std::fs::read_to_string(f).unwrap());
    assert_eq!(units[1], ["fr", "en"]);
    assert_eq!(src, "*all*");
    // The seed article: every unit of its 3-way alignment holds Arabic, so srclang="ar".
    let s = |f: &str| seed(&format!("dgsn-visit-france-2024/{f}"));
    let mut args: Vec<std::ffi::OsString> = vec!["align".into()];
    args.extend([s("ar.txt"), s("fr.txt"), s("en.txt")].map(Into::into));
    args.extend(["--langs", "ar,fr,en", "--format", "tmx"].map(Into::into));
    let (src, units) = tmx_units(&ok(env.run(&args)).stdout);
    assert_eq!(src == "ar", units.iter().all(|u| u.contains(&"ar".to_string())));
}

const TMX_HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\">\n\
    <header creationtool=\"t\" creationtoolversion=\"1\" segtype=\"sentence\" o-tmf=\"t\" adminlang=\"en\" \
    srclang=\"fr-FR\" datatype=\"plaintext\"/>\n<body>\n";

#[test]
fn a_tmx_unit_with_two_regional_variants_keeps_the_first_and_says_so() {
    let env = Env::new();
    env.write(
        "variants.tmx",
        format!(
            "{TMX_HEAD}<tu>\n<tuv xml:lang=\"fr-FR\"><seg>Le courriel est arrivé.</seg></tuv>\n\
             <tuv xml:lang=\"fr-CA\"><seg>Le courriel est rentré.</seg></tuv>\n\
             <tuv xml:lang=\"en-US\"><seg>The email arrived.</seg></tuv>\n</tu>\n\
             <tu>\n<tuv xml:lang=\"fr-FR\"><seg>Bonne fin de semaine.</seg></tuv>\n\
             <tuv xml:lang=\"en-GB\"><seg>Have a good weekend.</seg></tuv>\n</tu>\n</body>\n</tmx>\n"
        ),
    );
    let out = ok(env.run(["tm", "import", "variants.tmx", "--tm", "tm.sqlite"]));
    assert!(out.stderr.contains("imported 2 units"), "{}", out.stderr);
    assert!(out.stderr.contains("line 5: kept fr-FR, left out fr-CA"), "{}", out.stderr);
    let tsv =
        ok(env.run(["tm", "export", "--format", "tsv", "--langs", "fr,en", "--tm", "tm.sqlite"])).stdout;
    assert!(tsv.contains("Le courriel est arrivé.\tThe email arrived."), "{tsv}");
    assert!(!tsv.contains("rentré"), "{tsv}");
    let json = ok(env.run(["tm", "import", "variants.tmx", "--tm", "t2.sqlite", "--json"])).stdout;
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["variants_dropped"], 1);
}

#[test]
fn tmx_inline_codes_are_counted_and_leave_no_double_space() {
    let env = Env::new();
    env.write(
        "inline.tmx",
        format!(
            "{TMX_HEAD}<tu><tuv xml:lang=\"fr\"><seg>Le préfet <ph x=\"1\">&lt;br/&gt;</ph> a \
             <bpt i=\"1\">&lt;b&gt;</bpt>signé<ept i=\"1\">&lt;/b&gt;</ept> le décret. <ph x=\"2\"/></seg></tuv>\
             <tuv xml:lang=\"en\"><seg><it pos=\"begin\">&lt;i&gt;</it> The prefect signed the <hi>decree</hi>.</seg></tuv></tu>\n\
             </body>\n</tmx>\n"
        ),
    );
    let out = ok(env.run(["tm", "import", "inline.tmx", "--tm", "tm.sqlite"]));
    assert!(out.stderr.contains("dropped 5 inline code(s)"), "{}", out.stderr);
    let tsv =
        ok(env.run(["tm", "export", "--format", "tsv", "--tm", "tm.sqlite", "--langs", "fr,en"])).stdout;
    assert_eq!(
        tsv.lines().nth(1),
        Some("Le préfet a signé le décret.\tThe prefect signed the decree."),
        "{tsv}"
    );
}

#[test]
fn tbx_notes_lose_their_indentation() {
    let env = Env::new();
    env.write(
        "notes.tbx",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tbx style=\"dca\" type=\"TBX-Basic\" xml:lang=\"en\" \
         xmlns=\"urn:iso:std:iso:30042:ed-2\">\n  <tbxHeader><fileDesc><sourceDesc><p>t</p></sourceDesc></fileDesc></tbxHeader>\n\
         <text><body>\n    <conceptEntry id=\"c-wali\">\n      <langSec xml:lang=\"fr\">\n        <termSec>\n\
                   <term>wali</term>\n          <note>\n            Titre du représentant du roi\n\
                     dans une région\u{A0}; invariable.\n          </note>\n        </termSec>\n      </langSec>\n\
               <langSec xml:lang=\"ar\"><termSec><term>والي</term></termSec></langSec>\n    </conceptEntry>\n\
         </body></text>\n</tbx>\n",
    );
    let csv = ok(env.run(["glossary", "import", "notes.tbx"])).stdout;
    assert!(csv.contains(",Titre du représentant du roi dans une région\u{A0}; invariable.,"), "{csv}");
}

#[test]
fn an_omegat_glossary_saved_as_txt_reads_back_with_its_ids() {
    let env = Env::new();
    // The first concept's id, fr-pn, reads as a language tag.
    env.write(
        "mine.csv",
        "concept,country,subject,definition,lang,term,type,status,gender,note,source\n\
         fr-pn,FR,institution,,fr,Police nationale,full,preferred,,,\n\
         fr-pn,FR,institution,,ar,الشرطة الوطنية,full,preferred,,,\n\
         fr-pn,FR,institution,,en,National Police,full,preferred,,,\n\
         fr-gn,FR,institution,,fr,Gendarmerie nationale,full,preferred,,,\n\
         fr-gn,FR,institution,,ar,الدرك الوطني,full,preferred,,,\n",
    );
    for (langs, first) in [
        ("fr,ar", "Police nationale\tالشرطة الوطنية\tfr-pn"),
        ("ar,fr", "الشرطة الوطنية\tPolice nationale\tfr-pn"),
    ] {
        ok(env.run([
            "glossary",
            "export",
            "--format",
            "omegat",
            "--langs",
            langs,
            "--no-default-glossary",
            "--glossary",
            "mine.csv",
            "-o",
            "glossary.txt",
        ]));
        assert_eq!(std::fs::read_to_string(env.path("glossary.txt")).unwrap().lines().next(), Some(first));
        let v = ok(env.run(["glossary", "validate", "glossary.txt", "--langs", langs]));
        assert!(v.stdout.contains("ok (omegat): 2 concepts, 4 terms"), "{}", v.stdout);
        let csv = ok(env.run(["glossary", "import", "glossary.txt", "--langs", langs])).stdout;
        let ids: std::collections::BTreeSet<&str> =
            csv.lines().skip(1).map(|l| l.split(',').next().unwrap()).collect();
        assert_eq!(ids.into_iter().collect::<Vec<_>>(), ["fr-gn", "fr-pn"], "{csv}");
    }
}

#[test]
fn a_semicolon_csv_memory_is_read() {
    let env = Env::new();
    env.write(
        "excel.csv",
        "\u{FEFF}fr;en\r\n\"Le ministre a dit : \"\"oui; bien sûr\"\".\";\"The minister said: \"\"yes, of course\"\".\"\r\n\
         La séance est levée.;The meeting is closed.\r\n",
    );
    let out = ok(env.run(["tm", "import", "excel.csv", "--tm", "tm.sqlite"]));
    assert!(out.stderr.contains("imported 2 units"), "{}", out.stderr);
    let tsv =
        ok(env.run(["tm", "export", "--format", "tsv", "--tm", "tm.sqlite", "--langs", "fr,en"])).stdout;
    assert!(
        tsv.contains("Le ministre a dit : \"oui; bien sûr\".\tThe minister said: \"yes, of course\"."),
        "{tsv}"
    );
}

#[test]
fn glossary_csv_headers_may_name_languages() {
    let env = Env::new();
    let cases = [
        (
            "names.csv",
            "Arabic,French,English\nالمديرية العامة للأمن الوطني,Direction générale de la Sûreté nationale,General Directorate of National Security\n",
        ),
        (
            "regions.csv",
            "Arabic (Morocco);French (France);German\nوالي الجهة;wali de la région;Walī der Region\n",
        ),
        ("french.csv", "Arabe\tFrançais\tAnglais\nالدرك الملكي\tGendarmerie royale\tRoyal Gendarmerie\n"),
        (
            "memoq.csv",
            "Entry_ID;Entry_Subject;Entry_Note;Arabic;Arabic_Def;French;French_Def;English;English_Def;Term_Info\n\
             12;police;;مفوضية الشرطة;;commissariat de police;Local police station.;police station;;\n",
        ),
    ];
    for (file, text) in cases {
        env.write(file, text);
        let v = ok(env.run(["glossary", "validate", file]));
        assert!(v.stdout.contains("ok (csv): 1 concepts"), "{file}: {}", v.stdout);
        let csv = ok(env.run(["glossary", "import", file])).stdout;
        assert!(csv.lines().any(|l| l.contains(",ar,")), "{file}: {csv}");
        assert!(csv.lines().any(|l| l.contains(",fr,")), "{file}: {csv}");
    }
    let memoq = ok(env.run(["glossary", "import", "memoq.csv"])).stdout;
    assert!(memoq.contains("Local police station."), "a definition column becomes the note: {memoq}");
    let regions = ok(env.run(["glossary", "import", "regions.csv"]));
    assert!(regions.stderr.contains("German (1)"), "{}", regions.stderr);
    // Still refused: a header of neither form.
    env.write("bad.csv", "Arabic,Frensh\nوالي,wali\n");
    let out = env.run(["glossary", "validate", "bad.csv"]);
    assert_eq!(out.code, 1);
    assert!(out.stdout.contains("unknown column 'Frensh'"), "{}", out.stdout);
}

#[test]
fn a_term_whose_script_does_not_fit_its_language_is_warned_about() {
    let env = Env::new();
    // What translate-toolkit's csv2tbx writes: every term of the file labelled `en`.
    env.write(
        "labelled.tbx",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<martif type=\"TBX\" xml:lang=\"en\"><martifHeader><fileDesc>\
         <sourceDesc><p>t</p></sourceDesc></fileDesc></martifHeader><text><body>\n\
         <termEntry id=\"c-dgsn\"><langSet xml:lang=\"en\"><tig><term>DGSN</term></tig></langSet>\n\
         <langSet xml:lang=\"fr\"><tig><term>المديرية العامة للأمن الوطني</term></tig></langSet></termEntry>\n\
         </body></text></martif>\n",
    );
    let v = ok(env.run(["glossary", "validate", "labelled.tbx"]));
    assert!(
        v.stdout.contains("labelled.tbx:4:0: note: term 'المديرية العامة للأمن الوطني' of concept 'c-dgsn' is labelled 'fr' but has Arabic letters only"),
        "{}",
        v.stdout
    );
    let out = ok(env.run(["term", "DGSN", "--no-default-glossary", "--glossary", "labelled.tbx"]));
    assert!(out.stderr.contains("warning: labelled.tbx: line 4: term 'المديرية"), "{}", out.stderr);
    // Correct labels give no note.
    env.write("right.csv", "Arabic,French\nالمديرية العامة للأمن الوطني,DGSN\n");
    let v = ok(env.run(["glossary", "validate", "right.csv"]));
    assert!(!v.stdout.contains("note:"), "{}", v.stdout);
}

#[test]
fn segment_json_is_one_document_and_jsonl_one_object_a_line() {
    let env = Env::new();
    env.write("a.txt", "Le bureau ouvre à huit heures. Il ferme à midi.\n\nÀ demain.\n");
    let jsonl = ok(env.run(["segment", "a.txt", "--lang", "fr", "--format", "jsonl"])).stdout;
    let lines: Vec<serde_json::Value> = jsonl.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 3);
    let json = ok(env.run(["segment", "a.txt", "--lang", "fr", "--format", "json"])).stdout;
    let doc: serde_json::Value = serde_json::from_str(&json).expect("one JSON document");
    assert_eq!(doc, serde_json::Value::Array(lines));
}

#[test]
fn lookup_batch_into_a_closed_pipe_exits_0_quietly() {
    use std::io::{BufRead, Write};
    let env = Env::new();
    env.write("m.tsv", "fr\ten\nLe bureau ouvre à huit heures.\tThe office opens at eight.\n");
    ok(env.run(["tm", "import", "m.tsv", "--tm", "tm.sqlite"]));
    let queries: String = (0..3000).map(|i| format!("Le bureau ouvre à {i} heures.\n")).collect();
    env.write("q.txt", queries);
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("qantara"))
        .current_dir(env.path(""))
        .args(["lookup", "--batch", "q.txt", "--lang", "fr", "--tm", "tm.sqlite"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
    assert!(first.starts_with('{'), "{first}");
    // The reader is dropped here: the pipe is closed after one line, as `| head -1` does.
    let out = child.wait_with_output().unwrap();
    let _ = std::io::stderr().flush();
    assert_eq!(out.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stderr.is_empty(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
}

/// Runs the real binary under `script(1)`, so its standard output and error are a terminal;
/// `None` (with a note) where util-linux's `script` is not installed.
fn run_on_a_terminal(env: &Env, args: &[&str]) -> Option<String> {
    if std::process::Command::new("script").arg("--version").output().is_err() {
        eprintln!("note: `script` (util-linux) is absent; terminal output is not tested here");
        return None;
    }
    let bin = assert_cmd::cargo::cargo_bin("qantara");
    let cmd = std::iter::once(bin.display().to_string())
        .chain(args.iter().map(|a| format!("'{}'", a.replace('\'', r"'\''"))))
        .collect::<Vec<_>>()
        .join(" ");
    let out = std::process::Command::new("script")
        .current_dir(env.path(""))
        .args(["-qec", &cmd, "/dev/null"])
        .output()
        .unwrap();
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn bidi_isolates_reach_a_terminal_only() {
    let env = Env::new();
    mixed_memory(&env);
    env.write("a.txt", "افتتح الوالي المركز.\n");
    env.write("f.txt", "Le wali a inauguré le centre.\n");
    env.write("t.txt", "أعلنت المديرية العامة للأمن الوطني عن حملة جديدة.\n");
    let commands: [&[&str]; 5] = [
        &["lookup", "افتتح الوالي المركز", "--tm", "tm.sqlite"],
        &["concordance", "الوالي", "--tm", "tm.sqlite"],
        &["term", "DGSN"],
        &["annotate", "t.txt", "--lang", "ar"],
        &["align", "a.txt", "f.txt", "--langs", "ar,fr", "--review", "--review-below", "1"],
    ];
    for args in commands {
        let out = env.run(args.iter().copied());
        let piped = format!("{}{}", out.stdout, out.stderr);
        assert!(!piped.contains(['\u{2068}', '\u{2069}']), "{args:?} wrote isolates into a pipe:\n{piped}");
        let Some(tty) = run_on_a_terminal(&env, args) else { return };
        // On a terminal every Arabic text sits inside U+2068 … U+2069.
        assert!(tty.contains("\u{2068}"), "{args:?} did not isolate on a terminal:\n{tty}");
        // (`align` prints its alignment as data on standard output: only its review lines,
        // written for a person, are isolated.)
        let for_a_person = |l: &&str| args[0] != "align" || l.starts_with("review");
        for line in tty
            .lines()
            .filter(for_a_person)
            .filter(|l| l.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)))
        {
            let open = line.find('\u{2068}').unwrap_or(usize::MAX);
            let first_arabic = line.find(|c: char| ('\u{0600}'..='\u{06FF}').contains(&c)).unwrap();
            assert!(open < first_arabic, "{args:?}: Arabic outside an isolate: {line}");
        }
    }
}

#[test]
fn annotate_and_concordance_json_give_byte_and_character_offsets() {
    let env = Env::new();
    mixed_memory(&env);
    env.write("t.txt", "عنوان\n\nأعلنت المديرية العامة للأمن الوطني عن حملة جديدة.\n");
    let out = ok(env.run(["annotate", "t.txt", "--lang", "ar", "--json"]));
    let text = std::fs::read_to_string(env.path("t.txt")).unwrap();
    let by_chars =
        |a: u64, b: u64| -> String { text.chars().skip(a as usize).take((b - a) as usize).collect() };
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let mut hits = 0;
    for seg in v["segments"].as_array().unwrap() {
        let (b, c) = (&seg["span"], &seg["chars"]);
        assert_eq!(&text[b[0].as_u64().unwrap() as usize..b[1].as_u64().unwrap() as usize], seg["text"]);
        assert_eq!(by_chars(c[0].as_u64().unwrap(), c[1].as_u64().unwrap()), seg["text"].as_str().unwrap());
        for h in seg["hits"].as_array().unwrap() {
            let (b, c) = (&h["span"], &h["chars"]);
            let surface = h["surface"].as_str().unwrap();
            assert_eq!(&text[b[0].as_u64().unwrap() as usize..b[1].as_u64().unwrap() as usize], surface);
            assert_eq!(by_chars(c[0].as_u64().unwrap(), c[1].as_u64().unwrap()), surface);
            assert!(c[0].as_u64() < b[0].as_u64(), "Arabic letters are two bytes: offsets must differ");
            hits += 1;
        }
    }
    assert!(hits > 0, "{}", out.stdout);
    let out = ok(env.run(["concordance", "الوالي", "--tm", "tm.sqlite", "--json"]));
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let hit = &v["hits"][0];
    let unit = hit["text"].as_str().unwrap();
    let (b, c) = (&hit["spans"][0], &hit["chars"][0]);
    let bytes = &unit[b[0].as_u64().unwrap() as usize..b[1].as_u64().unwrap() as usize];
    let chars: String = unit
        .chars()
        .skip(c[0].as_u64().unwrap() as usize)
        .take((c[1].as_u64().unwrap() - c[0].as_u64().unwrap()) as usize)
        .collect();
    assert_eq!(bytes, chars);
    assert!(bytes.contains("الوالي"), "{bytes}");
}
