//! The bad-input suite: every kind of broken, odd or hostile input a translator can feed
//! qantara, run through the real binary. For each case the test states what must happen:
//! usable input is read correctly (UTF-16, BOMs, CRLF); unusable input ends with a non-zero
//! status and one error naming the file, the position and what to do; nothing is ever written
//! to the translation memory from unusable input; and no run ever panics.
//!
//! Every input is generated here, in a temporary folder (no binary fixture is committed).

use crate::util::qantara;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};

/// A temporary folder with helpers to write inputs and a TM path inside it.
pub struct Env {
    dir: tempfile::TempDir,
}

/// The outcome of one run of the binary.
#[derive(Debug)]
pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Env {
    pub fn new() -> Self {
        Env { dir: tempfile::tempdir().expect("a temporary folder") }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(name);
        if let Some(d) = p.parent() {
            std::fs::create_dir_all(d).unwrap();
        }
        std::fs::write(&p, bytes).unwrap();
        p
    }

    /// The TM of this test.
    pub fn tm(&self) -> PathBuf {
        self.path("tm.sqlite")
    }

    /// Runs qantara with `args` in the temporary folder.
    pub fn run<I, S>(&self, args: I) -> Out
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let o = qantara().current_dir(self.dir.path()).args(args).output().expect("qantara runs");
        let out = Out {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        };
        assert_no_panic(&out);
        out
    }

    /// `(documents, units)` in the TM, from `qantara tm stats --json`.
    pub fn tm_counts(&self) -> (u64, u64) {
        let out = self.run([
            OsStr::new("tm"),
            "stats".as_ref(),
            "--json".as_ref(),
            "--tm".as_ref(),
            self.tm().as_os_str(),
        ]);
        assert_eq!(out.code, 0, "tm stats: {}", out.stderr);
        let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("tm stats --json prints JSON");
        (v["documents"].as_u64().unwrap(), v["units"].as_u64().unwrap())
    }
}

pub fn assert_no_panic(out: &Out) {
    assert!(
        !out.stderr.contains("panicked at") && !out.stderr.contains("RUST_BACKTRACE") && out.code != 101,
        "qantara panicked:\n{}",
        out.stderr
    );
}

/// The run failed cleanly: non-zero status, exactly one error line naming `file`, containing
/// each of `fragments` (the position and the way out), and nothing on standard output.
#[track_caller]
pub fn assert_refused(out: &Out, file: &str, fragments: &[&str]) {
    assert_ne!(out.code, 0, "expected a failure, got success:\n{}{}", out.stdout, out.stderr);
    let errors = out.stderr.lines().filter(|l| l.starts_with("qantara: error:")).count();
    assert_eq!(errors, 1, "expected exactly one error line:\n{}", out.stderr);
    assert!(out.stderr.contains(file), "the error does not name {file}:\n{}", out.stderr);
    for f in fragments {
        assert!(out.stderr.contains(f), "the error lacks {f:?}:\n{}", out.stderr);
    }
    // No message is printed twice (the old printer repeated the OS error as a cause).
    let lines: Vec<&str> = out.stderr.lines().map(|l| l.trim_start_matches("  caused by: ")).collect();
    for (i, l) in lines.iter().enumerate() {
        assert!(!lines[i + 1..].iter().any(|m| l.contains(m)), "repeated message:\n{}", out.stderr);
    }
}

// ---------------------------------------------------------------------------------------------
// Inputs, written for these tests.

pub const FR: &str = "Le directeur général est arrivé à Paris lundi. Il a rencontré le préfet de police.\n\
Une réunion de travail a eu lieu au ministère. Les deux parties ont signé un accord.\n";
pub const AR: &str = "وصل المدير العام إلى باريس يوم الاثنين. والتقى بمحافظ الشرطة.\n\
عقد اجتماع عمل في الوزارة. ووقع الطرفان على اتفاق.\n";
pub const EN: &str = "The director general arrived in Paris on Monday. He met the police prefect.\n\
A working meeting took place at the ministry. The two parties signed an agreement.\n";

/// A small valid TMX: two documents (`x-doc`), two units each.
pub fn good_tmx() -> String {
    let units = [
        ("d1", "زار المدير باريس.", "Le directeur a visité Paris."),
        ("d1", "عاد المدير إلى الرباط.", "Le directeur est rentré à Rabat."),
        ("d2", "عقد اجتماع في الوزارة.", "Une réunion a eu lieu au ministère."),
        ("d2", "انتهى الاجتماع مساء.", "La réunion a pris fin le soir."),
    ];
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\">\n<header creationtool=\"test\" \
         creationtoolversion=\"1\" segtype=\"sentence\" o-tmf=\"test\" adminlang=\"en\" srclang=\"ar\" \
         datatype=\"plaintext\"/>\n<body>\n",
    );
    for (doc, ar, fr) in units {
        s += &format!(
            "<tu><prop type=\"x-doc\">{doc}</prop><tuv xml:lang=\"ar\"><seg>{ar}</seg></tuv>\
             <tuv xml:lang=\"fr\"><seg>{fr}</seg></tuv></tu>\n"
        );
    }
    s + "</body>\n</tmx>\n"
}

/// A small valid glossary CSV (qantara's format), concepts written for these tests.
pub const GLOSSARY_CSV: &str = "concept,country,subject,definition,lang,term,type,status,gender,note,source\n\
t-prefecture,FR,institution,,fr,préfecture de police,full,preferred,f,,\n\
t-prefecture,FR,institution,,ar,محافظة الشرطة,full,preferred,,,\n\
t-prefecture,FR,institution,,en,police prefecture,full,preferred,,,\n\
t-ministry,MA,institution,,fr,ministère de l'Intérieur,full,preferred,m,,\n\
t-ministry,MA,institution,,ar,وزارة الداخلية,full,preferred,,,\n\
t-ministry,MA,institution,,en,Ministry of the Interior,full,preferred,,,\n";

fn utf16(s: &str, little: bool) -> Vec<u8> {
    let mut out = if little { vec![0xFF, 0xFE] } else { vec![0xFE, 0xFF] };
    for u in s.encode_utf16() {
        out.extend(if little { u.to_le_bytes() } else { u.to_be_bytes() });
    }
    out
}

/// A few bytes of a real PNG header: signature, IHDR chunk, a 16×16 RGBA image.
const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00\x1f\xf3\xffa";

fn segments(out: &Out) -> Vec<String> {
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.stdout.lines().map(str::to_string).collect()
}

fn args(a: &[&str], tail: &[&Path]) -> Vec<OsString> {
    a.iter().map(OsString::from).chain(tail.iter().map(|p| p.as_os_str().to_owned())).collect()
}

// ---------------------------------------------------------------------------------------------
// Text inputs.

#[test]
fn empty_and_whitespace_only_files_are_empty_texts_not_errors() {
    let env = Env::new();
    for (name, bytes) in [("empty.txt", ""), ("blank.txt", "  \n\t\n\u{a0}\n  ")] {
        let f = env.write(name, bytes);
        let out = env.run(args(&["segment", "--lang", "fr"], &[&f]));
        assert_eq!((out.code, out.stdout.as_str()), (0, ""), "{}", out.stderr);
        let out = env.run(args(&["annotate", "--lang", "fr", "--json"], &[&f]));
        assert_eq!(out.code, 0, "{}", out.stderr);
        // Aligning an empty version is allowed but the user is told which file is empty.
        let fr = env.write("fr.txt", FR);
        let out = env.run(args(&["align", "--langs", "ar,fr"], &[&f, &fr]));
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(out.stderr.contains(name) && out.stderr.contains("empty"), "{}", out.stderr);
        let out = env.run(args(&["lookup", "--tm"], &[&env.tm(), Path::new("--batch"), &f]));
        assert_eq!((out.code, out.stdout.as_str()), (0, ""), "{}", out.stderr);
    }
}

#[test]
fn empty_files_are_refused_where_a_structure_is_required() {
    let env = Env::new();
    for name in ["empty.tmx", "blank.tmx"] {
        let f = env.write(name, if name == "empty.tmx" { "" } else { "  \n  \n" });
        let out = env.run(args(&["tm", "import", "--tm"], &[&env.tm(), &f]));
        assert_refused(&out, name, &["not a TMX file"]);
    }
    let f = env.write("empty.tsv", "");
    let out = env.run(args(&["tm", "import", "--tm"], &[&env.tm(), &f]));
    assert_refused(&out, "empty.tsv", &["row 1", "header"]);
    assert_eq!(env.tm_counts(), (0, 0));
    for name in ["empty.csv", "empty.tbx"] {
        let f = env.write(name, "");
        let out = env.run(args(&["glossary", "validate"], &[&f]));
        assert_eq!(out.code, 1, "{}", out.stderr);
        assert!(out.stdout.contains(&format!("{name}:1:")), "{}", out.stdout);
        let out = env.run(args(&["glossary", "import", "-o", "out.json", "-f"], &[Path::new("json"), &f]));
        assert_ne!(out.code, 0);
        let out = env.run(args(&["annotate", "--lang", "fr", "--glossary"], &[&f, &env.write("t.txt", FR)]));
        assert_refused(&out, name, &["line 1"]);
    }
    let dir = env.path("no-articles");
    std::fs::create_dir_all(&dir).unwrap();
    let out = env.run(args(&["batch", "--tm"], &[&env.tm(), &dir]));
    assert_refused(&out, "no-articles", &["no article"]);
    assert_eq!(env.tm_counts(), (0, 0));
}

#[test]
fn invalid_utf8_mid_file_names_line_and_byte_offset() {
    let env = Env::new();
    let mut bytes = FR.as_bytes().to_vec();
    let at = FR.find("Une").unwrap(); // line 2
    bytes.insert(at + 4, 0xFF);
    let f = env.write("latin1.txt", &bytes);
    let offset = format!("byte offset {}", at + 4);
    for cmd in [&["segment", "--lang", "fr"][..], &["annotate", "--lang", "fr"][..]] {
        let out = env.run(args(cmd, &[&f]));
        assert_refused(&out, "latin1.txt", &["line 2", &offset, "UTF-8"]);
    }
    let ar = env.write("ar.txt", AR);
    let out = env.run(args(&["align", "--langs", "ar,fr"], &[&ar, &f]));
    assert_refused(&out, "latin1.txt", &["line 2", &offset, "re-save"]);
    let out = env.run(args(&["check", "--langs", "ar,fr"], &[&ar, &f]));
    assert_refused(&out, "latin1.txt", &["line 2", &offset]);
    let out = env.run(args(&["lookup", "--tm"], &[&env.tm(), Path::new("--batch"), &f]));
    assert_refused(&out, "latin1.txt", &["line 2", &offset]);
    // A TSV memory with a Latin-1 byte: refused, nothing stored (no mojibake in the TM).
    let mut tsv = b"ar\tfr\n".to_vec();
    tsv.extend_from_slice("زار المدير باريس.\tLe directeur a visit".as_bytes());
    tsv.extend_from_slice(b"\xe9 Paris.\n");
    let f = env.write("mem.tsv", &tsv);
    let out = env.run(args(&["tm", "import", "--tm"], &[&env.tm(), &f]));
    assert_refused(&out, "mem.tsv", &["line 2", "UTF-8"]);
    // A glossary saved as Latin-1.
    let mut csv = GLOSSARY_CSV.as_bytes().to_vec();
    csv.extend_from_slice(b"t-x,FR,institution,,fr,pr\xe9fet,full,preferred,m,,\n");
    let f = env.write("latin1.csv", &csv);
    let out = env.run(args(&["glossary", "import", "-o", "g.json"], &[&f]));
    assert_refused(&out, "latin1.csv", &["line 8", "UTF-8"]);
    assert_eq!(env.tm_counts(), (0, 0));
}

#[test]
fn invalid_utf8_in_a_tmx_names_its_line_and_nothing_is_stored() {
    let env = Env::new();
    // The first unit's "visité" written in Latin-1: a lone 0xE9 where UTF-8 has C3 A9.
    let tmx = good_tmx();
    let pos = find(tmx.as_bytes(), "a visité".as_bytes()) + "a visit".len();
    let mut bytes = tmx.as_bytes()[..pos].to_vec();
    bytes.push(0xE9);
    bytes.extend_from_slice(&tmx.as_bytes()[pos + "é".len()..]);
    let f = env.write("latin1.tmx", &bytes);
    let out = env.run(args(&["tm", "import", "--tm"], &[&env.tm(), &f]));
    assert_refused(&out, "latin1.tmx:5:", &["UTF-8"]);
    assert_eq!(env.tm_counts(), (0, 0));
}

fn find(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len()).position(|w| w == needle).expect("needle present")
}

#[test]
fn legacy_encodings_are_refused_by_default_and_read_with_encoding() {
    let env = Env::new();
    let (ar_1256, _, lossy) = encoding_rs::WINDOWS_1256.encode(AR);
    assert!(!lossy);
    let (fr_1252, _, lossy) = encoding_rs::WINDOWS_1252.encode(FR);
    assert!(!lossy);
    // One pair in UTF-8, the same pair with the Arabic side in Windows-1256.
    let (ar, fr) = (env.write("utf8/ar.txt", AR), env.write("utf8/fr.txt", FR));
    let ar_old = env.write("old/ar.txt", &ar_1256);
    let fr_old = env.write("old/fr.txt", FR);
    let align = |a: &Path, f: &Path, extra: &[&str]| {
        let mut v = args(&["align", "--langs", "ar,fr", "--format", "tsv"], &[a, f]);
        v.extend(extra.iter().map(OsString::from));
        env.run(v)
    };
    let reference = align(&ar, &fr, &[]);
    assert_eq!(reference.code, 0, "{}", reference.stderr);
    // Without --encoding: refused, naming the file, the line and the way out.
    let out = align(&ar_old, &fr_old, &[]);
    assert_refused(&out, "old/ar.txt", &["line 1", "invalid UTF-8", "--encoding", "windows-1256"]);
    // With it: the same alignment; the UTF-8 French file is still read as UTF-8.
    let out = align(&ar_old, &fr_old, &["--encoding", "windows-1256"]);
    assert_eq!((out.code, &out.stdout), (0, &reference.stdout), "{}", out.stderr);
    // A French file in Windows-1252 segments like its UTF-8 original.
    let fr_latin = env.write("old/fr-1252.txt", &fr_1252);
    let want = segments(&env.run(args(&["segment", "--lang", "fr"], &[&fr])));
    let got = segments(&env.run(args(&["segment", "--lang", "fr", "--encoding", "latin1"], &[&fr_latin])));
    assert_eq!(got, want);
    // batch over the legacy folder stores the same units as over the UTF-8 one. (Its French
    // file is Windows-1252: Windows-1256 was designed to hold the French accented letters at
    // the same code points, so one --encoding reads both, as in Maghreb newsrooms.)
    let store = |root: &str, extra: &[&str]| {
        let tm = env.path(&format!("{root}.sqlite"));
        let mut v = args(&["batch", "--tm"], &[&tm, &env.path(root)]);
        v.extend(extra.iter().map(OsString::from));
        let out = env.run(v);
        assert_eq!(out.code, 0, "{}", out.stderr);
        let out = env.run(args(&["tm", "export", "--format", "tsv", "--tm"], &[&tm]));
        assert_eq!(out.code, 0, "{}", out.stderr);
        out.stdout
    };
    env.write("a/utf8/ar.txt", AR);
    env.write("a/utf8/fr.txt", FR);
    env.write("b/old/ar.txt", &ar_1256);
    env.write("b/old/fr.txt", &fr_1252);
    let want = store("a", &[]);
    let got = store("b", &["--encoding", "windows-1256"]);
    assert!(want.lines().count() > 2, "{want}");
    // A capital É or À in Windows-1252 is an Arabic letter in Windows-1256: such a French file
    // read with --encoding windows-1256 is refused, not stored as mojibake.
    let (capitals, _, _) =
        encoding_rs::WINDOWS_1252.encode("L'État a reçu le directeur. À Paris, il a parlé.\n");
    let fr_caps = env.write("c/caps/fr.txt", &capitals);
    env.write("c/caps/ar.txt", &ar_1256);
    let out = env.run(args(
        &["align", "--langs", "ar,fr", "--encoding", "windows-1256"],
        &[&env.path("c/caps/ar.txt"), &fr_caps],
    ));
    assert_refused(&out, "caps/fr.txt", &["read as windows-1256", "holds Arabic letters", "iconv"]);
    assert_eq!(got.replace("old", "utf8"), want);
}

#[test]
fn utf16_and_bom_and_line_end_variants_read_as_the_same_text() {
    let env = Env::new();
    let reference = segments(&env.run(args(&["segment", "--lang", "fr"], &[&env.write("ref.txt", FR)])));
    assert_eq!(reference.len(), 4, "{reference:?}");
    let crlf = FR.replace('\n', "\r\n");
    let cr = FR.replace('\n', "\r");
    let variants: Vec<(&str, Vec<u8>)> = vec![
        ("utf16le.txt", utf16(FR, true)),
        ("utf16be.txt", utf16(FR, false)),
        ("utf16le-crlf.txt", utf16(&crlf, true)),
        ("bom.txt", [&b"\xEF\xBB\xBF"[..], FR.as_bytes()].concat()),
        ("crlf.txt", crlf.clone().into_bytes()),
        ("cr.txt", cr.into_bytes()),
    ];
    for (name, bytes) in variants {
        let f = env.write(name, &bytes);
        let got = segments(&env.run(args(&["segment", "--lang", "fr"], &[&f])));
        assert_eq!(got, reference, "{name}");
        assert!(got.iter().all(|s| !s.contains('\r') && !s.contains('\u{feff}')), "{name}: {got:?}");
    }
    // Arabic in UTF-16 too, through the aligner.
    let ar = env.write("ar16.txt", utf16(AR, true));
    let fr = env.write("fr16.txt", utf16(&crlf, false));
    let out = env.run(args(&["align", "--langs", "ar,fr"], &[&ar, &fr]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("وصل المدير العام") && out.stdout.contains("Le directeur général"));
    assert!(!out.stdout.contains('\r'));
}

#[test]
fn utf16_without_a_bom_is_named_as_such() {
    let env = Env::new();
    let bytes: Vec<u8> = FR.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let f = env.write("nobom16.txt", bytes);
    let out = env.run(args(&["segment", "--lang", "fr"], &[&f]));
    assert_refused(&out, "nobom16.txt", &["UTF-16 without a byte-order mark", "re-save"]);
}

#[test]
fn glossary_and_memory_files_from_windows_tools_are_read() {
    let env = Env::new();
    // Excel "CSV UTF-8" adds a BOM and CRLF line ends.
    let csv = env
        .write("excel.csv", [&b"\xEF\xBB\xBF"[..], GLOSSARY_CSV.replace('\n', "\r\n").as_bytes()].concat());
    let out = env.run(args(&["glossary", "validate"], &[&csv]));
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let out = env.run(args(
        &["term", "--no-default-glossary", "--json", "--glossary"],
        &[&csv, Path::new("préfecture de police")],
    ));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("t-prefecture") && out.stdout.contains("محافظة الشرطة"), "{}", out.stdout);
    assert!(!out.stdout.contains("\\r"), "a CR leaked into a term: {}", out.stdout);
    // The same glossary in UTF-16 LE with a BOM.
    let csv16 = env.write("unicode.csv", utf16(GLOSSARY_CSV, true));
    let out = env.run(args(&["glossary", "validate"], &[&csv16]));
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    // A TSV memory with a BOM and CRLF: the texts carry neither.
    let tsv = env.write(
        "mem.tsv",
        [&b"\xEF\xBB\xBF"[..], "ar\tfr\r\nزار المدير باريس.\tLe directeur a visité Paris.\r\n".as_bytes()]
            .concat(),
    );
    let out = env.run(args(&["tm", "import", "--tm"], &[&env.tm(), &tsv]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(env.tm_counts(), (1, 1));
    let out = env.run(args(&["tm", "export", "--format", "tsv", "--tm"], &[&env.tm()]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("\tLe directeur a visité Paris.\t"), "{:?}", out.stdout);
    assert!(!out.stdout.contains('\r') && !out.stdout.contains('\u{feff}'), "{:?}", out.stdout);
    // A TMX with a UTF-8 BOM.
    let tmx = env.write("bom.tmx", [&b"\xEF\xBB\xBF"[..], good_tmx().as_bytes()].concat());
    let out = env.run(args(&["tm", "import", "--tm"], &[&env.tm(), &tmx]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(env.tm_counts(), (3, 5));
}

#[test]
fn utf16_tmx_is_imported() {
    let env = Env::new();
    let tmx = good_tmx().replace("encoding=\"UTF-8\"", "encoding=\"UTF-16\"");
    let f = env.write("u16.tmx", utf16(&tmx, true));
    let out = env.run(args(&["tm", "import", "--tm"], &[&env.tm(), &f]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(env.tm_counts(), (2, 4));
}

#[test]
fn nul_bytes_and_binary_files_are_refused_as_binary() {
    let env = Env::new();
    let f = env.write("nul.txt", "Première phrase.\nDeux\0ième phrase.\n");
    let out = env.run(args(&["segment", "--lang", "fr"], &[&f]));
    assert_refused(&out, "nul.txt", &["line 2", "byte offset 22", "binary", "plain-text"]);
    let img = env.write("photo.png", PNG);
    for cmd in [&["segment", "--lang", "fr"][..], &["annotate", "--lang", "fr"][..]] {
        let out = env.run(args(cmd, &[&img]));
        assert_refused(&out, "photo.png", &["NUL byte", "binary"]);
    }
    let out = env.run(args(&["align", "--langs", "ar,fr"], &[&env.write("ar.txt", AR), &img]));
    assert_refused(&out, "photo.png", &["binary"]);
    // An image renamed to a format qantara reads: refused by each reader.
    let as_csv = env.write("photo.csv", PNG);
    let out = env.run(args(&["glossary", "import", "-o", "g.json"], &[&as_csv]));
    assert_refused(&out, "photo.csv", &["binary"]);
    let as_tmx = env.write("photo.tmx", PNG);
    let out = env.run(args(&["tm", "import", "--tm"], &[&env.tm(), &as_tmx]));
    assert_refused(&out, "photo.tmx", &[]);
    let out = env.run(args(&["tm", "validate"], &[&as_tmx]));
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    let as_tsv = env.write("photo.tsv", PNG);
    let out = env.run(args(&["tm", "import", "--tm"], &[&env.tm(), &as_tsv]));
    assert_refused(&out, "photo.tsv", &["row 1"]);
    assert!(out.stderr.contains("binary") || out.stderr.contains("UTF-8"), "{}", out.stderr);
    assert_eq!(env.tm_counts(), (0, 0));
    // An article folder with an image in place of a version: that article fails, named.
    let dir = env.path("arts");
    env.write("arts/a1/ar.txt", AR);
    env.write("arts/a1/fr.txt", FR);
    env.write("arts/a2/ar.txt", AR);
    env.write("arts/a2/fr.txt", PNG);
    let out = env.run(args(&["batch", "--langs", "ar,fr", "--tm"], &[&env.tm(), &dir]));
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("a2") && out.stderr.contains("binary"), "{}", out.stderr);
    assert_eq!(env.tm_counts().0, 1, "only the good article is stored");
}

/// A 50 MB file on one line (no line end at all), segmented by the debug binary.
#[test]
fn fifty_megabyte_single_line_file() {
    let env = Env::new();
    let sentence = "Le directeur a visité la préfecture de police. ";
    let n = 50 * 1024 * 1024 / sentence.len() + 1;
    let f = env.write("big.txt", sentence.repeat(n));
    // Time and memory are measured by bench/, not asserted here (a loaded CI machine would make
    // a timed test flaky); this checks the output is whole.
    let out = env.run(args(&["segment", "--lang", "fr"], &[&f]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout.lines().count(), n);
    assert!(out.stdout.lines().all(|l| l == sentence.trim_end()));
    // No punctuation at all: one 50 MB segment.
    let words = "sans ponctuation aucune ".repeat(50 * 1024 * 1024 / 24);
    let f = env.write("big2.txt", &words);
    let out = env.run(args(&["segment", "--lang", "fr"], &[&f]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout.lines().count(), 1);
}

#[test]
fn a_directory_given_as_a_file_is_refused() {
    let env = Env::new();
    let d = env.path("folder.txt");
    std::fs::create_dir_all(&d).unwrap();
    let fr = env.write("fr.txt", FR);
    let cases: Vec<Vec<OsString>> = vec![
        args(&["segment", "--lang", "fr"], &[&d]),
        args(&["annotate", "--lang", "fr"], &[&d]),
        args(&["align", "--langs", "ar,fr"], &[&d, &fr]),
        args(&["check", "--langs", "ar,fr"], &[&d, &fr]),
        args(&["glossary", "validate"], &[&d]),
        args(&["glossary", "import"], &[&d]),
        args(&["term", "--glossary"], &[&d, Path::new("police")]),
        args(&["lookup", "--tm"], &[&env.tm(), Path::new("--batch"), &d]),
        args(&["tm", "import", "--tm"], &[&env.tm(), &d]),
        args(&["tm", "validate"], &[&d]),
    ];
    for a in cases {
        let out = env.run(&a);
        assert_refused(&out, "folder.txt", &["directory"]);
    }
    // A TM path that is a directory.
    let out = env.run(args(&["tm", "stats", "--tm"], &[&d]));
    assert_refused(&out, "folder.txt", &[]);
    assert_eq!(env.tm_counts(), (0, 0));
}

#[test]
fn a_missing_file_is_refused_with_the_path() {
    let env = Env::new();
    let m = env.path("nowhere.txt");
    let fr = env.write("fr.txt", FR);
    let cases: Vec<Vec<OsString>> = vec![
        args(&["segment", "--lang", "fr"], &[&m]),
        args(&["annotate", "--lang", "fr"], &[&m]),
        args(&["align", "--langs", "ar,fr"], &[&m, &fr]),
        args(&["check", "--langs", "ar,fr"], &[&fr, &m]),
        args(&["glossary", "validate"], &[&m]),
        args(&["glossary", "import"], &[&m]),
        args(&["annotate", "--lang", "fr", "--glossary"], &[&m, &fr]),
        args(&["lookup", "--tm"], &[&env.tm(), Path::new("--batch"), &m]),
        args(&["tm", "import", "--tm"], &[&env.tm(), &m]),
        args(&["tm", "validate"], &[&m]),
        args(&["batch", "--tm"], &[&env.tm(), &m]),
        args(&["segment", "--lang", "fr", "--srx"], &[&m, &fr]),
    ];
    for a in cases {
        let out = env.run(&a);
        assert_refused(&out, "nowhere.txt", &[]);
        assert!(out.stderr.to_lowercase().contains("no such"), "{a:?}: {}", out.stderr);
    }
    assert_eq!(env.tm_counts(), (0, 0));
}

/// Tests run as root in CI, and root reads any file whatever its mode. So when running as root
/// the binary is run as `nobody` through `setpriv` (util-linux), which drops root's powers;
/// without `setpriv`, the test says so and checks only that the mode is honoured by non-root.
#[test]
fn a_file_without_read_permission_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    std::fs::set_permissions(env.dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let f = env.write("secret.txt", FR);
    let g = env.write("secret.csv", GLOSSARY_CSV);
    let t = env.write("secret.tmx", good_tmx());
    for p in [&f, &g, &t] {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o000)).unwrap();
    }
    let root = std::fs::read(&f).is_ok();
    let bin = assert_cmd::cargo::cargo_bin("qantara");
    let setpriv = ["/usr/bin/setpriv", "/bin/setpriv"].into_iter().find(|p| Path::new(p).exists());
    if root && setpriv.is_none() {
        eprintln!("skipped: running as root without setpriv, file modes are not enforced");
        return;
    }
    let tm = env.path("shared-tm.sqlite");
    let run = |a: &[OsString]| -> Out {
        let mut c = match (root, setpriv) {
            (true, Some(sp)) => {
                let mut c = std::process::Command::new(sp);
                c.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"]).arg(&bin);
                c
            }
            _ => std::process::Command::new(&bin),
        };
        let o = c.current_dir(env.dir.path()).args(a).output().unwrap();
        let out = Out {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        };
        assert_no_panic(&out);
        out
    };
    let out = run(&args(&["segment", "--lang", "fr"], &[&f]));
    assert_refused(&out, "secret.txt", &["Permission denied", "permissions"]);
    let out = run(&args(&["annotate", "--lang", "fr"], &[&f]));
    assert_refused(&out, "secret.txt", &["Permission denied"]);
    let out = run(&args(&["glossary", "validate"], &[&g]));
    assert_refused(&out, "secret.csv", &["Permission denied"]);
    let out = run(&args(&["tm", "validate"], &[&t]));
    assert_refused(&out, "secret.tmx", &["Permission denied"]);
    let out = run(&args(&["tm", "import", "--tm"], &[&tm, &t]));
    assert_refused(&out, "secret.tmx", &["Permission denied"]);
    let out = run(&args(&["tm", "stats", "--json", "--tm"], &[&tm]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("\"units\": 0"), "{}", out.stdout);
}

#[test]
fn arabic_text_given_as_french_is_flagged() {
    let env = Env::new();
    let f = env.write("article.txt", AR);
    let out = env.run(args(&["segment", "--lang", "fr"], &[&f]));
    assert_eq!(out.code, 0);
    assert!(out.stderr.contains("article.txt") && out.stderr.contains("looks like ar"), "{}", out.stderr);
    // The segments are still exact lines of the input (nothing lost).
    for s in out.stdout.lines() {
        assert!(AR.contains(s), "{s}");
    }
    // Swapped files would be written with each other's language tags: refused.
    let fr = env.write("fr.txt", FR);
    let out = env.run(args(&["align", "--langs", "fr,ar"], &[&f, &fr]));
    assert_refused(&out, "article.txt", &["look like ar,fr, not fr,ar", "give --langs ar,fr"]);
    // One file in an unexpected language only: a warning, the alignment is written.
    let out = env.run(args(&["align", "--langs", "ar,fr"], &[&f, &f]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("article.txt: looks like ar, not fr"), "{}", out.stderr);
}

#[test]
fn arabic_text_given_as_french_is_flagged_by_annotate_and_check() {
    let env = Env::new();
    let f = env.write("article.txt", AR);
    let out = env.run(args(&["annotate", "--lang", "fr"], &[&f]));
    assert!(out.stderr.contains("article.txt") && out.stderr.contains("looks like ar"), "{}", out.stderr);
    let fr = env.write("fr.txt", FR);
    // Swapped files would find no term and pass as clean: refused.
    let out = env.run(args(&["check", "--langs", "fr,ar"], &[&f, &fr]));
    assert_refused(&out, "article.txt looks like ar", &["fr.txt like fr", "swapped", "nothing was checked"]);
    // The same for an aligned TSV whose columns are swapped.
    let tsv: String = AR.lines().zip(FR.lines()).map(|(a, f)| format!("{a}\t{f}\n")).collect();
    let aligned = env.write("pairs.tsv", tsv);
    let out = env.run(args(&["check", "--langs", "fr,ar", "--aligned"], &[&aligned]));
    assert_refused(&out, "pairs.tsv: column 1 looks like ar", &["column 2 like fr", "swapped"]);
    let out = env.run(args(&["check", "--langs", "ar,fr", "--aligned"], &[&aligned]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    // One file in the wrong language only: a warning, the check runs.
    let out = env.run(args(&["check", "--langs", "fr,ar"], &[&fr, &fr]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("fr.txt: looks like fr, not ar"), "{}", out.stderr);
}

// ---------------------------------------------------------------------------------------------
// TMX.

#[test]
fn a_good_tmx_imports() {
    let env = Env::new();
    let f = env.write("good.tmx", good_tmx());
    let out = env.run(args(&["tm", "validate"], &[&f]));
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let out = env.run(args(&["tm", "import", "--tm"], &[&env.tm(), &f]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(env.tm_counts(), (2, 4));
}

#[test]
fn a_tmx_truncated_inside_a_unit_is_refused_and_nothing_is_stored() {
    let env = Env::new();
    let tmx = good_tmx();
    // Cut inside the last unit: the earlier units are complete, the file is not.
    let cut = tmx.rfind("La réunion a pris").unwrap();
    let f = env.write("cut.tmx", &tmx[..cut]);
    let out = env.run(args(&["tm", "import", "--tm"], &[&env.tm(), &f]));
    assert_refused(&out, "cut.tmx", &["cut.tmx:8:", "truncated"]);
    // Cut inside a tag.
    let f = env.write("cut2.tmx", &tmx[..tmx.find("<tuv xml:la").unwrap() + 8]);
    let out = env.run(args(&["tm", "import", "--tm"], &[&env.tm(), &f]));
    assert_refused(&out, "cut2.tmx", &["cut2.tmx:5:"]);
    let out = env.run(args(&["tm", "validate"], &[&f]));
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    // Nothing is stored: the documents of a small file share one transaction, rolled back.
    assert_eq!(env.tm_counts(), (0, 0));
}

#[test]
fn a_tmx_truncated_between_units_is_refused() {
    let env = Env::new();
    let tmx = good_tmx();
    let cut = tmx.find("</tu>").unwrap() + "</tu>".len();
    let f = env.write("cut.tmx", &tmx[..cut]);
    let out = env.run(args(&["tm", "validate"], &[&f]));
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    let out = env.run(args(&["tm", "import", "--tm"], &[&env.tm(), &f]));
    assert_refused(&out, "cut.tmx", &["truncated"]);
    assert_eq!(env.tm_counts(), (0, 0));
    // Cut inside a unit: import refuses it (tested above), the validator must too.
    let cut = tmx.rfind("La réunion a pris").unwrap();
    let f = env.write("cut2.tmx", &tmx[..cut]);
    let out = env.run(args(&["tm", "validate"], &[&f]));
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("cut2.tmx:8:"), "{}", out.stdout);
}

#[test]
fn a_tmx_broken_after_its_first_document_stores_nothing() {
    broken_after_first_document(&[]);
}

#[test]
fn a_tmx_broken_after_its_first_document_stores_nothing_even_committing_each_document() {
    broken_after_first_document(&["--commit-every", "1"]);
}

fn broken_after_first_document(opts: &[&str]) {
    let env = Env::new();
    let tmx = good_tmx();
    // d1 complete, d2 broken (mismatched tag).
    let at = tmx.rfind("</seg></tuv></tu>").unwrap();
    let broken = format!("{}</tuv></tu>\n</body>\n</tmx>\n", &tmx[..at]);
    let f = env.write("broken.tmx", broken);
    let out = env.run(args(&[&["tm", "import"], opts, &["--tm"]].concat(), &[&env.tm(), &f]));
    assert_refused(&out, "broken.tmx", &["broken.tmx:8:"]);
    assert_eq!(env.tm_counts(), (0, 0));
    let cut = tmx.rfind("La réunion a pris").unwrap();
    let f = env.write("cut.tmx", &tmx[..cut]);
    let out = env.run(args(&[&["tm", "import"], opts, &["--tm"]].concat(), &[&env.tm(), &f]));
    assert_refused(&out, "cut.tmx", &["truncated"]);
    assert_eq!(env.tm_counts(), (0, 0));
}

#[test]
fn a_tmx_that_is_not_well_formed_names_line_and_column() {
    let env = Env::new();
    let tmx = good_tmx().replacen("</seg></tuv><tuv xml:lang=\"fr\">", "</tuv><tuv xml:lang=\"fr\">", 1);
    let f = env.write("bad.tmx", tmx);
    let out = env.run(args(&["tm", "import", "--tm"], &[&env.tm(), &f]));
    assert_refused(&out, "bad.tmx", &["bad.tmx:5:", "not well-formed"]);
    let out = env.run(args(&["tm", "validate"], &[&f]));
    assert_eq!(out.code, 1);
    assert!(out.stdout.contains("bad.tmx:5:"), "{}", out.stdout);
    // An unescaped ampersand, the classic hand-edit mistake.
    let f = env.write("amp.tmx", good_tmx().replace("visité Paris", "visité Paris & Lyon"));
    let out = env.run(args(&["tm", "import", "--tm"], &[&env.tm(), &f]));
    assert_refused(&out, "amp.tmx", &["amp.tmx:5:"]);
    assert_eq!(env.tm_counts(), (0, 0));
}

#[test]
fn an_xml_file_that_is_not_tmx_is_refused() {
    let env = Env::new();
    let f = env.write("other.tmx", "<?xml version=\"1.0\"?>\n<html><body><p>Bonjour</p></body></html>\n");
    let out = env.run(args(&["tm", "import", "--tm"], &[&env.tm(), &f]));
    assert_refused(&out, "other.tmx", &["other.tmx:2:", "TMX"]);
    let out = env.run(args(&["tm", "validate"], &[&f]));
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
}

#[test]
fn a_tmx_in_unknown_languages_stores_nothing_and_says_why() {
    let env = Env::new();
    let tmx = good_tmx().replace("xml:lang=\"fr\"", "xml:lang=\"de-DE\"");
    let f = env.write("german.tmx", tmx);
    let out = env.run(args(&["tm", "validate"], &[&f]));
    assert_eq!(out.code, 1);
    assert!(out.stdout.contains("german.tmx:5:") && out.stdout.contains("de-DE"), "{}", out.stdout);
    let out = env.run(args(&["tm", "import", "--tm"], &[&env.tm(), &f]));
    assert!(out.stderr.contains("ignored 4 <tuv>"), "{}", out.stderr);
    assert_eq!(env.tm_counts(), (0, 0));
    // Region subtags and case are accepted.
    let f = env.write(
        "regions.tmx",
        good_tmx()
            .replace("xml:lang=\"fr\"", "xml:lang=\"FR-fr\"")
            .replace("xml:lang=\"ar\"", "xml:lang=\"ar-MA\""),
    );
    let out = env.run(args(&["tm", "import", "--tm"], &[&env.tm(), &f]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(env.tm_counts(), (2, 4));
}

#[test]
fn a_tmx_with_nothing_importable_fails() {
    let env = Env::new();
    let f = env.write("german.tmx", good_tmx().replace("xml:lang=\"fr\"", "xml:lang=\"de\""));
    let out = env.run(args(&["tm", "import", "--tm"], &[&env.tm(), &f]));
    assert_refused(&out, "german.tmx", &["no unit"]);
}

#[test]
fn a_unit_with_one_tuv_is_skipped_and_counted() {
    let env = Env::new();
    let tmx =
        good_tmx().replacen("<tuv xml:lang=\"fr\"><seg>Le directeur a visité Paris.</seg></tuv>", "", 1);
    let f = env.write("lonely.tmx", tmx);
    let out = env.run(args(&["tm", "validate"], &[&f]));
    assert_eq!(out.code, 1);
    assert!(out.stdout.contains("lonely.tmx:5:") && out.stdout.contains("single <tuv>"), "{}", out.stdout);
    let out = env.run(args(&["tm", "import", "--json", "--tm"], &[&env.tm(), &f]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!((v["units"].as_u64(), v["skipped"].as_u64()), (Some(3), Some(1)));
    assert_eq!(env.tm_counts(), (2, 3));
}

#[test]
fn duplicate_units_are_stored_once_and_reimport_adds_nothing() {
    let env = Env::new();
    // A foreign TMX (no x-doc) with every unit twice: exact duplicates are stored once.
    let foreign = good_tmx()
        .replace("<prop type=\"x-doc\">d1</prop>", "")
        .replace("<prop type=\"x-doc\">d2</prop>", "");
    let doubled: String = foreign
        .lines()
        .flat_map(|l| if l.starts_with("<tu>") { vec![l, l] } else { vec![l] })
        .map(|l| format!("{l}\n"))
        .collect();
    let f = env.write("twice.tmx", doubled);
    let out = env.run(args(&["tm", "import", "--json", "--tm"], &[&env.tm(), &f]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!((v["units"].as_u64(), v["duplicates"].as_u64()), (Some(4), Some(4)));
    assert_eq!(env.tm_counts(), (1, 4));
    // Importing the same files again never duplicates.
    let out = env.run(args(&["tm", "import", "--tm"], &[&env.tm(), &f]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let g = env.write("good.tmx", good_tmx());
    for _ in 0..2 {
        let out = env.run(args(&["tm", "import", "--tm"], &[&env.tm(), &g]));
        assert_eq!(out.code, 0, "{}", out.stderr);
    }
    assert_eq!(env.tm_counts(), (3, 8));
}

const BILLION_LAUGHS: &str = "<?xml version=\"1.0\"?>\n<!DOCTYPE tmx [\n\
 <!ENTITY lol \"lol\">\n\
 <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n\
 <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n\
 <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n\
 <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n\
 <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n\
 <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n\
 <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n\
 <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n\
 <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n\
]>\n<tmx version=\"1.4\"><header creationtool=\"t\" creationtoolversion=\"1\" segtype=\"sentence\" \
o-tmf=\"t\" adminlang=\"en\" srclang=\"ar\" datatype=\"plaintext\"/>\n<body><tu><tuv xml:lang=\"ar\">\
<seg>&lol9;</seg></tuv><tuv xml:lang=\"fr\"><seg>&lol9;</seg></tuv></tu></body></tmx>\n";

#[test]
fn entity_bombs_and_external_entities_are_refused_not_expanded() {
    let env = Env::new();
    let f = env.write("bomb.tmx", BILLION_LAUGHS);
    let t = std::time::Instant::now();
    let out = env.run(args(&["tm", "import", "--tm"], &[&env.tm(), &f]));
    assert_refused(&out, "bomb.tmx", &["entit", "remove"]);
    let out = env.run(args(&["tm", "validate"], &[&f]));
    assert_eq!(out.code, 1);
    assert!(out.stdout.contains("bomb.tmx:2:") && out.stdout.contains("entit"), "{}", out.stdout);
    assert!(t.elapsed().as_secs() < 10, "the bomb went off: {:?}", t.elapsed());
    // External entity (XXE): never read.
    let xxe = good_tmx()
        .replace("<tmx version", "<!DOCTYPE tmx SYSTEM \"file:///etc/passwd\">\n<tmx version")
        .replace("Le directeur a visité Paris.", "&xxe;");
    let f = env.write("xxe.tmx", xxe);
    let out = env.run(args(&["tm", "import", "--tm"], &[&env.tm(), &f]));
    assert_refused(&out, "xxe.tmx", &["xxe.tmx:6:", "&xxe;"]);
    assert!(!out.stderr.contains("root:"), "{}", out.stderr);
    assert_eq!(env.tm_counts(), (0, 0));
    // The same bomb as a TBX glossary and as SRX rules.
    let tbx = BILLION_LAUGHS.replace("DOCTYPE tmx", "DOCTYPE tbx");
    let f = env.write("bomb.tbx", tbx);
    let out = env.run(args(&["glossary", "validate"], &[&f]));
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    let out = env.run(args(&["term", "--glossary"], &[&f, Path::new("lol")]));
    assert_refused(&out, "bomb.tbx", &[]);
    let srx = env.write("bomb.srx", BILLION_LAUGHS.replace("DOCTYPE tmx", "DOCTYPE srx"));
    let out = env.run(args(&["segment", "--lang", "fr", "--srx"], &[&srx, &env.write("t.txt", FR)]));
    assert_refused(&out, "bomb.srx", &[]);
    assert!(t.elapsed().as_secs() < 20, "a bomb went off: {:?}", t.elapsed());
}

// ---------------------------------------------------------------------------------------------
// Glossaries.

#[test]
fn a_glossary_csv_with_a_wrong_column_count_names_the_line() {
    let env = Env::new();
    let csv = format!("{GLOSSARY_CSV}t-x,FR,institution,,fr,préfet,full,preferred,m,,,extra,fields\n");
    let f = env.write("cols.csv", csv);
    let out = env.run(args(&["glossary", "validate"], &[&f]));
    assert_eq!(out.code, 1);
    assert!(
        out.stdout.contains("cols.csv:8:") && out.stdout.contains("13 fields where the header has 11"),
        "{}",
        out.stdout
    );
    let out = env.run(args(&["glossary", "import", "-o", "g.json"], &[&f]));
    assert_refused(&out, "cols.csv", &["line 8", "quote fields"]);
    assert!(!env.path("g.json").exists() || std::fs::read(env.path("g.json")).unwrap().is_empty());
    // Too few fields.
    let f = env.write("short.csv", format!("{GLOSSARY_CSV}t-x,FR,institution\n"));
    let out = env.run(args(&["annotate", "--lang", "fr", "--glossary"], &[&f, &env.write("t.txt", FR)]));
    assert_refused(&out, "short.csv", &["line 8"]);
}

#[test]
fn a_glossary_csv_with_an_unknown_status_names_line_and_choices() {
    let env = Env::new();
    let f = env.write("status.csv", GLOSSARY_CSV.replacen("full,preferred,f", "full,officiel,f", 1));
    let out = env.run(args(&["glossary", "validate"], &[&f]));
    assert_eq!(out.code, 1);
    assert!(
        out.stdout.contains("status.csv:2:") && out.stdout.contains("unknown status 'officiel'"),
        "{}",
        out.stdout
    );
    let out = env.run(args(
        &["check", "--langs", "ar,fr", "--glossary"],
        &[&f, &env.write("ar.txt", AR), &env.write("fr.txt", FR)],
    ));
    assert_refused(&out, "status.csv", &["line 2", "preferred, admitted"]);
}

#[test]
fn a_glossary_csv_with_a_duplicate_concept_id_names_both_lines() {
    let env = Env::new();
    // The id t-prefecture comes back after another concept.
    let csv = format!("{GLOSSARY_CSV}t-prefecture,FR,institution,,fr,préfet de police,full,preferred,m,,\n");
    let f = env.write("dup.csv", csv);
    let out = env.run(args(&["glossary", "validate"], &[&f]));
    assert_eq!(out.code, 1);
    assert!(
        out.stdout.contains("dup.csv:8:")
            && out.stdout.contains("duplicate concept id 't-prefecture'")
            && out.stdout.contains("line 2"),
        "{}",
        out.stdout
    );
    let out = env.run(args(&["term", "--glossary"], &[&f, Path::new("préfet")]));
    assert_refused(&out, "dup.csv", &["line 8", "new id"]);
}

fn tbx_of(csv: &str, env: &Env) -> String {
    let g = env.write("src.csv", csv);
    let out =
        env.run(args(&["glossary", "export", "--no-default-glossary", "-f", "tbx", "--glossary"], &[&g]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.stdout
}

#[test]
fn a_tbx_with_languages_in_unexpected_order_reads_the_same() {
    let env = Env::new();
    let tbx = tbx_of(GLOSSARY_CSV, &env);
    // Reverse the order of the <langSec> of every concept and use odd but valid tags.
    let mut reordered = String::new();
    let mut rest = tbx.as_str();
    while let Some(start) = rest.find("<langSec") {
        let concept_end = rest[start..].find("</conceptEntry>").map(|e| start + e).unwrap();
        let last = rest[..concept_end].rfind("</langSec>").unwrap() + "</langSec>".len();
        reordered += &rest[..start];
        let block = &rest[start..last];
        let mut secs: Vec<String> = block
            .split("</langSec>")
            .filter(|s| s.contains("<langSec"))
            .map(|s| format!("{}</langSec>", s.trim_start()))
            .collect();
        secs.reverse();
        reordered += &secs.join("\n        ");
        rest = &rest[last..];
    }
    reordered += rest;
    let reordered = reordered
        .replace("xml:lang=\"fr\"", "xml:lang=\"FR-fr\"")
        .replace("xml:lang=\"ar\"", "xml:lang=\"ar-MA\"");
    assert_ne!(reordered, tbx);
    assert!(reordered.find("xml:lang=\"en\"").unwrap() < reordered.find("xml:lang=\"ar-MA\"").unwrap());
    let a = env.write("ordered.tbx", &tbx);
    let b = env.write("reordered.tbx", &reordered);
    let out = env.run(args(&["glossary", "validate"], &[&b]));
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let csv_of = |p: &Path| {
        let out = env.run(args(&["glossary", "import", "-f", "tbx"], &[p]));
        assert_eq!(out.code, 0, "{}", out.stderr);
        let mut lines: Vec<String> = out.stdout.lines().map(str::to_string).collect();
        lines.sort();
        lines
    };
    assert_eq!(csv_of(&b), csv_of(&a));
    for q in ["police prefecture", "محافظة الشرطة", "ministère de l'Intérieur"] {
        let out =
            env.run(args(&["term", "--no-default-glossary", "--json", "--glossary"], &[&b, Path::new(q)]));
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(
            out.stdout.contains("t-prefecture") || out.stdout.contains("t-ministry"),
            "{q}: {}",
            out.stdout
        );
    }
}

#[test]
fn a_tbx_that_is_not_well_formed_names_the_line() {
    let env = Env::new();
    let tbx = tbx_of(GLOSSARY_CSV, &env);
    let broken = tbx.replacen("</term>", "</trem>", 1);
    let line = 1 + broken[..broken.find("</trem>").unwrap()].matches('\n').count();
    let f = env.write("broken.tbx", broken);
    let out = env.run(args(&["annotate", "--lang", "fr", "--glossary"], &[&f, &env.write("t.txt", FR)]));
    assert_refused(&out, "broken.tbx", &[&format!("line {line}")]);
}

/// A TBX v3 TBX-Basic glossary written by hand, in DCA or DCT style: the Royal Gendarmerie,
/// whose French acronym `GR` is deprecated.
fn gendarmerie_tbx(dct: bool) -> String {
    let dc = |carrier: &str, module: &str, cat: &str, v: &str| {
        if dct {
            format!("<{module}:{cat}>{v}</{module}:{cat}>")
        } else {
            format!("<{carrier} type=\"{cat}\">{v}</{carrier}>")
        }
    };
    let term = |t: &str, ty: &str, status: &str, gender: &str| {
        let mut x = format!("      <termSec>\n        <term>{t}</term>\n");
        x += &format!("        {}\n", dc("termNote", "basic", "termType", ty));
        x += &format!("        {}\n", dc("termNote", "basic", "administrativeStatus", status));
        if !gender.is_empty() {
            x += &format!("        {}\n", dc("termNote", "basic", "grammaticalGender", gender));
        }
        x + "      </termSec>\n"
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <tbx type=\"TBX-Basic\" style=\"{}\" xml:lang=\"fr\" xmlns=\"urn:iso:std:iso:30042:ed-2\" \
         xmlns:basic=\"http://www.tbxinfo.net/ns/basic\" xmlns:min=\"http://www.tbxinfo.net/ns/min\">\n\
         <tbxHeader><fileDesc><sourceDesc><p>written for the tests</p></sourceDesc></fileDesc></tbxHeader>\n\
         <text><body>\n\
         <conceptEntry id=\"t-gendarmerie\">\n  {}\n  <note>country: MA</note>\n\
         <langSec xml:lang=\"ar\">\n{}</langSec>\n\
         <langSec xml:lang=\"fr\">\n{}{}</langSec>\n\
         <langSec xml:lang=\"en\">\n{}</langSec>\n\
         </conceptEntry>\n</body></text>\n</tbx>\n",
        if dct { "dct" } else { "dca" },
        dc("descrip", "min", "subjectField", "institution"),
        term("الدرك الملكي", "fullForm", "preferredTerm-admn-sts", "masculine"),
        term("Gendarmerie royale", "fullForm", "preferredTerm-admn-sts", "feminine"),
        term("GR", "acronym", "deprecatedTerm-admn-sts", ""),
        term("Royal Gendarmerie", "fullForm", "preferredTerm-admn-sts", ""),
    )
}

#[test]
fn a_dct_style_tbx_reads_like_its_dca_twin_and_check_flags_its_deprecated_term() {
    let env = Env::new();
    let dca = env.write("dca.tbx", gendarmerie_tbx(false));
    let dct = env.write("dct.tbx", gendarmerie_tbx(true));
    let import = |f: &Path| {
        let out = env.run(args(&["glossary", "import"], &[f]));
        assert_eq!(out.code, 0, "{}", out.stderr);
        out.stdout
    };
    let csv = import(&dct);
    assert_eq!(csv, import(&dca));
    assert!(csv.contains("t-gendarmerie,MA,institution,,fr,GR,acronym,deprecated,,,"), "{csv}");
    assert!(csv.contains(",fr,Gendarmerie royale,full,preferred,f,,"), "{csv}");
    let ar = env.write("ar.txt", "أقام الدرك الملكي حاجزا على الطريق الساحلية.\n");
    let fr = env.write("fr.txt", "La GR a installé un barrage sur la route côtière.\n");
    for f in [&dct, &dca] {
        let out = env.run(args(
            &["check", "--langs", "ar,fr", "--json", "--no-default-glossary", "--glossary"],
            &[f, &ar, &fr],
        ));
        assert_eq!(out.code, 1, "{}: {}{}", f.display(), out.stdout, out.stderr);
        let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        let kinds: Vec<&str> =
            v["issues"].as_array().unwrap().iter().map(|i| i["kind"].as_str().unwrap()).collect();
        assert_eq!(kinds, ["deprecated"], "{}: {}", f.display(), out.stdout);
    }
}

#[test]
fn a_dct_tbx_with_an_unknown_data_category_is_a_problem_not_an_admitted_term() {
    let env = Env::new();
    let good = gendarmerie_tbx(true);
    let deprecated = "<basic:administrativeStatus>deprecatedTerm-admn-sts</basic:administrativeStatus>";
    assert_eq!(good.matches(deprecated).count(), 1);
    // A misspelt TBX-Basic element, and the category without its namespace prefix.
    for (name, element, fix) in [
        (
            "typo.tbx",
            "<basic:adminStatus>deprecatedTerm-admn-sts</basic:adminStatus>",
            "known ones are administrativeStatus, context",
        ),
        (
            "bare.tbx",
            "<administrativeStatus>deprecatedTerm-admn-sts</administrativeStatus>",
            "write <basic:administrativeStatus>",
        ),
    ] {
        let text = good.replacen(deprecated, element, 1);
        let line = 1 + text[..text.find(element).unwrap()].matches('\n').count();
        let f = env.write(name, &text);
        let out = env.run(args(&["glossary", "validate"], &[&f]));
        assert_eq!(out.code, 1, "{name}: {}{}", out.stdout, out.stderr);
        let tag = &element[..element.find('>').unwrap() + 1];
        let want = format!("{name}:{line}:9: {tag}");
        assert!(
            out.stdout.contains(&want) || out.stderr.contains(&want),
            "{want}: {}{}",
            out.stdout,
            out.stderr
        );
        assert!(
            format!("{}{}", out.stdout, out.stderr).contains(fix),
            "{name}: {}{}",
            out.stdout,
            out.stderr
        );
        let out = env.run(args(&["glossary", "import"], &[&f]));
        assert_ne!(out.code, 0, "{name}: {}", out.stdout);
        assert_refused(&out, name, &[&format!("line {line}: column 9: {tag}")]);
    }
}

#[test]
fn a_tbx_with_other_languages_skips_them_with_one_warning() {
    let env = Env::new();
    let tbx = tbx_of(GLOSSARY_CSV, &env);
    let de = |terms: &[&str]| {
        let t: String = terms.iter().map(|t| format!("<termSec><term>{t}</term></termSec>")).collect();
        format!("<langSec xml:lang=\"de\">{t}</langSec>\n        <langSec xml:lang=\"fr\">")
    };
    let multi = tbx
        .replacen("<langSec xml:lang=\"fr\">", &de(&["Polizeipräfektur"]), 1)
        .replacen("</langSec>\n      </conceptEntry>", "</langSec>\n<langSec xml:lang=\"es-ES\"><termSec><term>prefectura</term></termSec></langSec>\n      </conceptEntry>", 1)
        .replace("<langSec xml:lang=\"fr\">\n          <termSec>\n            <term>ministère", &format!("{}\n          <termSec>\n            <term>ministère", de(&["Innenministerium", "Bundesinnenministerium"])))
        .replace("xml:lang=\"en\"", "xml:lang=\"en-GB\"");
    assert_eq!(multi.matches("xml:lang=\"de\"").count(), 2, "{multi}");
    assert_eq!(multi.matches("xml:lang=\"es-ES\"").count(), 1, "{multi}");
    let f = env.write("multi.tbx", &multi);
    let plain = env.write("plain.tbx", &tbx);
    let want = "skipped 4 term(s) in languages qantara does not handle: de (3), es-ES (1)";
    let out = env.run(args(&["glossary", "validate"], &[&f]));
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains(&format!(": note: {want}")), "{}", out.stdout);
    assert!(out.stdout.contains("ok (tbx): 2 concepts, 6 terms"), "{}", out.stdout);
    let out = env.run(args(&["glossary", "import"], &[&f]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let warnings: Vec<&str> = out.stderr.lines().filter(|l| l.starts_with("qantara: warning:")).collect();
    assert_eq!(warnings.len(), 1, "{}", out.stderr);
    assert!(warnings[0].contains("multi.tbx") && warnings[0].contains(want), "{}", out.stderr);
    assert_eq!(out.stdout, env.run(args(&["glossary", "import"], &[&plain])).stdout);
    let out = env.run(args(
        &["term", "--no-default-glossary", "--json", "--glossary"],
        &[&f, Path::new("Ministry of the Interior")],
    ));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("t-ministry"), "{}", out.stdout);
    assert_eq!(out.stderr.matches("qantara: warning:").count(), 1, "{}", out.stderr);
    assert!(out.stderr.contains(want), "{}", out.stderr);
}

#[test]
fn a_glossary_csv_saved_by_french_excel_is_read() {
    let env = Env::new();
    // French-locale Excel's "CSV (séparateur : point-virgule)": semicolons, BOM, CRLF. A
    // definition holding a comma stays one field.
    let comma = GLOSSARY_CSV.replacen("institution,,fr", "institution,\"Paris, île de la Cité\",fr", 1);
    let semi = comma
        .lines()
        .map(|l| {
            let mut out = String::new();
            let mut quoted = false;
            for c in l.chars() {
                match c {
                    '"' => {
                        quoted = !quoted;
                        out.push(c)
                    }
                    ',' if !quoted => out.push(';'),
                    c => out.push(c),
                }
            }
            out + "\r\n"
        })
        .collect::<String>();
    assert!(semi.starts_with("concept;country;subject;") && semi.contains("\"Paris, île de la Cité\""));
    let f = env.write("excel-fr.csv", [&b"\xEF\xBB\xBF"[..], semi.as_bytes()].concat());
    let c = env.write("comma.csv", &comma);
    let out = env.run(args(&["glossary", "validate"], &[&f]));
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let import = |p: &Path| {
        let out = env.run(args(&["glossary", "import"], &[p]));
        assert_eq!(out.code, 0, "{}", out.stderr);
        out.stdout
    };
    assert_eq!(import(&f), import(&c));
    assert!(import(&f).contains("\"Paris, île de la Cité\""));
    // Tab-separated, named .tsv: read as a glossary CSV, not as an OmegaT glossary.
    let t = env.write("copied.tsv", semi.replace(';', "\t"));
    assert_eq!(import(&t), import(&c));
}

#[test]
fn a_wide_glossary_csv_is_imported_and_a_header_of_neither_form_shows_both() {
    let env = Env::new();
    let wide = "ar,fr,en,note\n\
        محافظة الشرطة,préfecture de police,police prefecture,à Paris\n\
        وزارة الداخلية,ministère de l'Intérieur,Ministry of the Interior,\n";
    let f = env.write("wide.csv", wide);
    let out = env.run(args(&["glossary", "validate"], &[&f]));
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("2 concepts, 6 terms"), "{}", out.stdout);
    let out = env.run(args(&["glossary", "import"], &[&f]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let rows: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(rows.len(), 7, "{}", out.stdout);
    assert!(
        rows[1].starts_with("row-2-") && rows[1].contains(",intl,,à Paris,ar,محافظة الشرطة,full,preferred,"),
        "{}",
        out.stdout
    );
    assert!(
        rows[6].starts_with("row-3-") && rows[6].ends_with(",en,Ministry of the Interior,full,preferred,,,"),
        "{}",
        out.stdout
    );
    // Usable beside the built-in glossary and another wide file: the row ids do not merge.
    let g = env.write("wide2.csv", "fr,en\ncommissariat central,central police station\n");
    let out = env.run(args(
        &["term", "--json", "--glossary", "wide.csv", "--glossary"],
        &[&g, Path::new("commissariat central")],
    ));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("central police station") && !out.stdout.contains("police prefecture"),
        "{}",
        out.stdout
    );
    // Neither form: the expected headers are shown.
    let bad = env.write("pairs.csv", "source,target\nالشرطة,la police\n");
    let out = env.run(args(&["glossary", "validate"], &[&bad]));
    assert_eq!(out.code, 1);
    assert!(
        out.stdout.contains("concept,country,subject,definition,lang,term,type,status,gender,note,source")
            && out.stdout.contains("wide form ar,fr,en"),
        "{}",
        out.stdout
    );
}

// ---------------------------------------------------------------------------------------------
// Characters XML 1.0 forbids (a vertical tab from a Word soft line break, a stray bell, U+FFFE)
// and duplicated attributes: refused by every reader with line, column and code point, so
// they never enter a memory or a glossary, and never reach an exported TMX or TBX.

/// Every line of `text` is free of the characters XML 1.0 forbids (checked byte by byte,
/// independently of qantara's own check).
fn assert_no_forbidden_bytes(text: &str) {
    assert!(
        !text.bytes().any(|b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')),
        "a C0 control character in:\n{text}"
    );
    assert!(!text.contains(['\u{FFFE}', '\u{FFFF}']), "a non-character in:\n{text}");
}

#[test]
fn a_glossary_csv_with_a_control_character_is_refused_everywhere() {
    let env = Env::new();
    let cases = [
        (
            "vt.csv",
            "t-garde,MA,institution,,fr,garde royale,full,preferred,f,soft\u{B}break,\n",
            "U+000B (vertical tab)",
            "replace it with a space or a line break",
        ),
        (
            "bel.csv",
            "t-garde,MA,institution,,fr,garde\u{7} royale,full,preferred,f,,\n",
            "U+0007 (bell)",
            "delete it",
        ),
        (
            "nc.csv",
            "t-garde,MA,institution,,fr,garde royale\u{FFFE},full,preferred,f,,\n",
            "U+FFFE",
            "delete it",
        ),
    ];
    for (name, row, what, fix) in cases {
        // 1-based column, in characters, of the bad character.
        let column = 1 + row.chars().take_while(|c| !c.is_control() && *c != '\u{FFFE}').count();
        let f = env.write(name, format!("{GLOSSARY_CSV}{row}"));
        let out = env.run(args(&["glossary", "validate"], &[&f]));
        assert_eq!(out.code, 1, "{name}: {}{}", out.stdout, out.stderr);
        assert!(out.stdout.contains(&format!("{name}:8:{column}: {what}")), "{name}: {}", out.stdout);
        assert!(out.stdout.contains(fix), "{name}: {}", out.stdout);
        for fmt in ["tbx", "tbx2"] {
            let out = env
                .run(args(&["glossary", "export", "--no-default-glossary", "-f", fmt, "--glossary"], &[&f]));
            assert_refused(&out, name, &["line 8", &format!("column {column}"), what]);
        }
        let out = env.run(args(&["glossary", "import", "-o", "g.json"], &[&f]));
        assert_refused(&out, name, &["line 8", what]);
    }
    // JSON may write the character as an escape: refused too, at the escape.
    let json = "{\"concepts\": [{\"id\": \"t-garde\", \"country\": \"MA\", \"subject\": \"\", \"definition\": \"\",\n\
                \"terms\": [{\"lang\": \"fr\", \"term\": \"garde\\u000broyale\", \"type\": \"full\", \"status\": \"preferred\"}]}]}\n";
    let f = env.write("vt.json", json);
    let out = env.run(args(&["glossary", "validate"], &[&f]));
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    let line2 = json.lines().nth(1).unwrap();
    let column = 1 + line2[..line2.find("\\u000b").unwrap()].chars().count();
    assert!(out.stdout.contains(&format!("vt.json:2:{column}: U+000B (vertical tab)")), "{}", out.stdout);
}

#[test]
fn a_tbx_with_a_control_character_or_a_duplicated_attribute_is_refused() {
    let env = Env::new();
    let tbx = tbx_of(GLOSSARY_CSV, &env);
    assert_no_forbidden_bytes(&tbx);
    let line = 1 + tbx[..tbx.find("préfecture de police").unwrap()].matches('\n').count();
    let cases = [
        (
            "raw.tbx",
            tbx.replacen("préfecture de police", "préfecture\u{B}de police", 1),
            "U+000B (vertical tab)",
        ),
        (
            "ref.tbx",
            tbx.replacen("préfecture de police", "préfecture&#x7;de police", 1),
            "&#x7; stands for U+0007 (bell)",
        ),
        (
            "dup.tbx",
            tbx.replacen("<langSec xml:lang=\"fr\">", "<langSec xml:lang=\"fr\" xml:lang=\"en\">", 1),
            "xml:lang appears twice",
        ),
    ];
    for (name, text, what) in cases {
        let f = env.write(name, &text);
        let out = env.run(args(&["glossary", "validate"], &[&f]));
        assert_eq!(out.code, 1, "{name}: {}{}", out.stdout, out.stderr);
        assert!(out.stdout.contains(what), "{name}: {}", out.stdout);
        let out = env.run(args(&["term", "--no-default-glossary", "--glossary"], &[&f, Path::new("préfet")]));
        assert_refused(&out, name, &[what]);
    }
    // The raw character is named at its own line and column.
    let out = env.run(args(&["glossary", "validate"], &[&env.path("raw.tbx")]));
    assert!(out.stdout.contains(&format!("raw.tbx:{line}:29: U+000B")), "{}", out.stdout);
}

#[test]
fn concept_ids_that_are_not_xml_ids_are_refused() {
    let env = Env::new();
    let csv = format!(
        "{GLOSSARY_CSV}2024-jo,FR,event,,fr,jeux olympiques,full,preferred,m,,\nns:garde,MA,institution,,fr,garde royale,full,preferred,f,,\n"
    );
    let f = env.write("ids.csv", csv);
    let out = env.run(args(&["glossary", "validate"], &[&f]));
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("ids.csv:8:1: concept id '2024-jo' starts with '2'"), "{}", out.stdout);
    assert!(out.stdout.contains("ids.csv:9:1: concept id 'ns:garde' contains ':'"), "{}", out.stdout);
    assert!(out.stdout.contains("NCName"), "{}", out.stdout);
    let out =
        env.run(args(&["glossary", "export", "--no-default-glossary", "-f", "tbx", "--glossary"], &[&f]));
    assert_refused(&out, "ids.csv", &["line 8", "2024-jo", "xs:ID"]);
    // A TBX written by another tool with such an id.
    let tbx = tbx_of(GLOSSARY_CSV, &env).replacen("id=\"t-prefecture\"", "id=\"75-prefecture\"", 1);
    let f = env.write("ids.tbx", tbx);
    let out = env.run(args(&["glossary", "validate"], &[&f]));
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("concept id '75-prefecture'"), "{}", out.stdout);
}

#[test]
fn a_tmx_with_a_forbidden_character_or_a_duplicated_attribute_is_refused_and_nothing_is_stored() {
    let env = Env::new();
    let good = good_tmx();
    let cases = [
        (
            "ref.tmx",
            good.replacen("visité Paris", "visité &#7; Paris", 1),
            "ref.tmx:5:",
            "&#7; stands for U+0007 (bell)",
        ),
        (
            "raw.tmx",
            good.replacen("visité Paris", "visité \u{1} Paris", 1),
            "raw.tmx:5:",
            "U+0001 (control character)",
        ),
        ("vt.tmx", good.replacen("est rentré", "est\u{B}rentré", 1), "vt.tmx:6:", "U+000B (vertical tab)"),
        (
            "dup.tmx",
            good.replacen("<tuv xml:lang=\"fr\">", "<tuv xml:lang=\"ar\" xml:lang=\"fr\">", 1),
            "dup.tmx:5:",
            "xml:lang appears twice in <tuv>",
        ),
    ];
    for (name, text, place, what) in cases {
        let f = env.write(name, &text);
        let out = env.run(args(&["tm", "validate"], &[&f]));
        assert_eq!(out.code, 1, "{name}: {}{}", out.stdout, out.stderr);
        assert!(out.stdout.contains(place) && out.stdout.contains(what), "{name}: {}", out.stdout);
        let out = env.run(args(&["tm", "import", "--tm"], &[&env.tm(), &f]));
        assert_refused(&out, name, &[place, what]);
    }
    assert_eq!(env.tm_counts(), (0, 0));
    // The exact column of the raw character.
    let out = env.run(args(&["tm", "validate"], &[&env.path("vt.tmx")]));
    let col = 1 + good.lines().nth(5).unwrap().split("est rentré").next().unwrap().chars().count() + 3;
    assert!(out.stdout.contains(&format!("vt.tmx:6:{col}: U+000B")), "{col}: {}", out.stdout);
}

#[test]
fn an_article_with_word_breaks_aligns_to_a_well_formed_tmx_and_a_bell_is_refused() {
    let env = Env::new();
    // Word soft line breaks pasted into plain text: vertical tabs inside sentences.
    let ar = env.write("ar.txt", "وصل المدير العام\u{B}إلى باريس يوم الاثنين.\n");
    let fr = env.write("fr.txt", "Le directeur général est arrivé\u{B}à Paris lundi.\n");
    let out = env.run(args(&["align", "--langs", "ar,fr", "--format", "tmx"], &[&ar, &fr]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_no_forbidden_bytes(&out.stdout);
    // Word's manual line break is read as a space when the article is read: the sentence goes
    // on across it, and nothing forbidden is left for the writer to replace.
    assert!(
        out.stdout.contains("<seg>Le directeur général est arrivé à Paris lundi.</seg>"),
        "{}",
        out.stdout
    );
    assert!(!out.stderr.contains("replaced"), "{}", out.stderr);
    // What qantara wrote, qantara reads.
    let tmx = env.write("aligned.tmx", &out.stdout);
    let out = env.run(args(&["tm", "validate"], &[&tmx]));
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    // batch stores the same, so its exports read back; a bell is not text and is refused.
    env.write("articles/a1/ar.txt", "وصل المدير العام\u{B}إلى باريس يوم الاثنين.\n");
    env.write("articles/a1/fr.txt", "Le directeur général est arrivé\u{B}à Paris lundi.\n");
    env.write("articles/a2/ar.txt", "رن الجرس في القاعة.\n");
    env.write("articles/a2/fr.txt", "La cloche\u{7} a sonné dans la salle.\n");
    let out = env.run(args(&["batch", "--tm"], &[&env.tm(), &env.path("articles")]));
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("fr.txt: line 1: U+0007 (bell) at byte offset 9 is not text"),
        "{}",
        out.stderr
    );
    let out = env.run(args(&["tm", "export", "--format", "tsv", "--tm"], &[&env.tm()]));
    assert!(out.stdout.contains("est arrivé à Paris"), "{}", out.stdout);
    let tsv = env.write("export.tsv", &out.stdout);
    let other = env.path("other.sqlite");
    assert_eq!(env.run(args(&["tm", "import", "--tm"], &[&other, &tsv])).code, 0);
}

#[test]
fn a_tsv_or_csv_memory_with_a_control_character_is_refused_and_nothing_is_stored() {
    let env = Env::new();
    let tsv = env.write(
        "bell.tsv",
        "fr\tar\nLe préfet est arrivé.\tوصل المحافظ.\nLa cloche\u{7} sonne.\tيرن الجرس.\n",
    );
    let out = env.run(args(&["tm", "import", "--tm"], &[&env.tm(), &tsv]));
    assert_refused(&out, "bell.tsv", &["line 3, column 10", "U+0007 (bell)", "delete it"]);
    let csv = env.write("vt.csv", "fr,ar\nLe préfet est arrivé.,وصل المحافظ.\n\"Deux\u{B}lignes\",سطران\n");
    let out = env.run(args(&["tm", "import", "--tm"], &[&env.tm(), &csv]));
    assert_refused(&out, "vt.csv", &["line 3, column 6", "U+000B (vertical tab)", "replace it with a space"]);
    assert_eq!(env.tm_counts(), (0, 0));
}

// ---------------------------------------------------------------------------------------------
// Memory files that are not memories.

#[test]
fn a_file_that_is_not_a_memory_is_refused_and_left_untouched() {
    let env = Env::new();
    let precious = env.write("notes.txt", FR);
    let out = env.run(args(&["tm", "stats", "--tm"], &[&precious]));
    assert_refused(&out, "notes.txt", &["not a database"]);
    let out = env.run(args(&["tm", "import", "--tm"], &[&precious, &env.write("good.tmx", good_tmx())]));
    assert_refused(&out, "notes.txt", &[]);
    let out = env.run(args(&["lookup", "--tm"], &[&precious, Path::new("Le directeur a visité Paris.")]));
    assert_refused(&out, "notes.txt", &[]);
    assert_eq!(std::fs::read_to_string(&precious).unwrap(), FR, "the file given as --tm was modified");
}

#[test]
fn describing_or_exporting_a_memory_that_does_not_exist_is_an_error_and_creates_nothing() {
    let env = Env::new();
    let missing = env.path("typo/memroy.sqlite");
    for cmd in [&["tm", "stats", "--tm"][..], &["tm", "export", "--tm"][..]] {
        let out = env.run(args(cmd, &[&missing]));
        assert_refused(&out, "memroy.sqlite", &["no translation memory there", "check the path"]);
    }
    assert!(!env.path("typo").exists(), "a mistyped path created a folder");
}

#[test]
fn exporting_a_single_language_is_refused() {
    let env = Env::new();
    let f = env.write("good.tmx", good_tmx());
    assert_eq!(env.run(args(&["tm", "import", "--tm"], &[&env.tm(), &f])).code, 0);
    let out = env.run(args(&["tm", "export", "--langs", "fr", "--tm"], &[&env.tm()]));
    assert_refused(&out, "--langs fr", &["names one language", "--langs ar,fr"]);
    let out = env.run(args(&["tm", "export", "--langs", "fr,ar", "--format", "tsv", "--tm"], &[&env.tm()]));
    assert_eq!((out.code, out.stdout.lines().count()), (0, 5), "{}", out.stderr);
}

#[test]
fn check_aligned_tsv_follows_its_header_and_flags_other_languages() {
    let env = Env::new();
    let pairs: String = EN.lines().zip(FR.lines()).map(|(e, f)| format!("{e}\t{f}\n")).collect();
    // A header naming other languages than --langs: refused, not checked as ar,fr.
    let with_header = env.write("en-fr.tsv", format!("en\tfr\n{pairs}"));
    let out = env.run(args(&["check", "--langs", "ar,fr", "--aligned"], &[&with_header]));
    assert_refused(&out, "en-fr.tsv", &["line 1", "header names en, fr", "--langs asks for ar,fr"]);
    let out = env.run(args(&["check", "--langs", "en,fr", "--aligned"], &[&with_header]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    // No header: the columns are read in order, and a column in another language is said.
    let bare = env.write("bare.tsv", pairs);
    let out = env.run(args(&["check", "--langs", "ar,fr", "--aligned"], &[&bare]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("bare.tsv: the source column looks like en, not ar"), "{}", out.stderr);
}

#[test]
fn memory_rows_with_text_beyond_the_header_are_refused_and_nothing_is_stored() {
    let env = Env::new();
    // A stray tab inside a French text: "Encore" would be lost, nothing else says so.
    let f = env.write("extra.tsv", "fr\ten\nUn\tOne\nDeux\tTwo\tEncore\n");
    let out = env.run(args(&["tm", "import", "--tm"], &[&env.tm(), &f]));
    assert_refused(&out, "extra.tsv", &["row 3", "line 3, column 10", "'Encore'", "\\t in TSV"]);
    // An unquoted comma in a CSV text.
    let f = env.write("extra.csv", "fr,en\nUn,One\n\"Oui, dit-il\",\"Yes, he said\"\nNon, dit-elle,No\n");
    let out = env.run(args(&["tm", "import", "--tm"], &[&env.tm(), &f]));
    assert_refused(&out, "extra.csv", &["row 4", "line 4, column 15", "'No'", "quoted in CSV"]);
    // The good rows before the bad one are not stored either.
    assert_eq!(env.tm_counts(), (0, 0));
    // Fixed files import; a trailing tab loses nothing and is read.
    let f = env.write("fixed.tsv", "fr\ten\nUn\tOne\nDeux\\tEncore\tTwo\t\n");
    let out = env.run(args(&["tm", "import", "--tm"], &[&env.tm(), &f]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(env.tm_counts(), (1, 2));
}

#[test]
fn align_tsv_escapes_tabs_and_backslashes_and_imports_back_unchanged() {
    let env = Env::new();
    let fr =
        env.write("fr.txt", "Copiez le fichier dans C:\\new\\rapports.\nLa colonne\tsuivante est vide.\n");
    let en = env.write("en.txt", "Copy the file to C:\\new\\reports.\nThe next\tcolumn is empty.\n");
    let out = env.run(args(&["align", "--presegmented", "--langs", "fr,en", "--format", "tsv"], &[&fr, &en]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "Copiez le fichier dans C:\\\\new\\\\rapports.\tCopy the file to C:\\\\new\\\\reports.\n\
         La colonne\\tsuivante est vide.\tThe next\\tcolumn is empty.\n"
    );
    // Under a language header it is a TSV memory, and the memory export writes it back as is.
    let mem = env.write("aligned.tsv", format!("fr\ten\n{}", out.stdout));
    let imported = env.run(args(&["tm", "import", "--tm"], &[&env.tm(), &mem]));
    assert_eq!(imported.code, 0, "{}", imported.stderr);
    let export =
        env.run(args(&["tm", "export", "--langs", "fr,en", "--format", "tsv", "--tm"], &[&env.tm()]));
    assert_eq!(export.code, 0, "{}", export.stderr);
    assert_eq!(export.stdout, format!("fr\ten\n{}", out.stdout));
}
