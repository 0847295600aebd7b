//! Annotation throughput with a generated 10,000-concept glossary.
//!
//! Run: `cargo bench --bench glossary` (release profile, one thread). Prints the build time
//! of the matcher and the sentences per second of `Glossary::find`, and writes the figures to
//! `bench/out/glossary.txt`.
//!
//! The glossary: 10,000 concepts, each with an Arabic full form (article-initial, 2–5 words),
//! a French and an English full form (3–6 words), and for one concept in three an acronym:
//! about 33,000 terms. The sentences: 22 words on average, drawn from a 5,000-word general
//! vocabulary with one glossary term (in a surface variant: clitic, case, typo) in every
//! other sentence, a third in each language — news-like density.

use qantara::glossary::{Concept, ConceptId, Country, Glossary, Status, Term, TermType};
use qantara::lang::Lang;
use std::time::Instant;

/// CPU time of this thread in seconds (Linux `/proc/thread-self/stat`, 10 ms ticks), so the
/// figure means "one core" even on a machine shared with other jobs; `None` elsewhere.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    // Fields after the command name (which is in parentheses and may hold spaces).
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split(' ').collect();
    let utime: f64 = f.get(11)?.parse().ok()?;
    let stime: f64 = f.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

/// Runs `f` three times; the best (wall seconds, CPU seconds).
fn best_of_three(mut f: impl FnMut()) -> (f64, f64) {
    let (mut wall, mut cpu) = (f64::INFINITY, f64::INFINITY);
    for _ in 0..3 {
        let c0 = cpu_seconds();
        let t = Instant::now();
        f();
        wall = wall.min(t.elapsed().as_secs_f64());
        if let (Some(a), Some(b)) = (c0, cpu_seconds()) {
            cpu = cpu.min(b - a);
        }
    }
    if !cpu.is_finite() {
        cpu = wall;
    }
    (wall, cpu)
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const AR_LETTERS: &[char] = &[
    'ب', 'ت', 'ج', 'ح', 'د', 'ر', 'ز', 'س', 'ش', 'ص', 'ط', 'ع', 'ف', 'ق', 'ك', 'م', 'ن', 'ه', 'و', 'ي', 'ة',
    'أ',
];
const LATIN_SYLLABLES: &[&str] = &[
    "ra", "to", "mi", "ne", "sa", "lo", "ve", "du", "che", "pri", "con", "tion", "ment", "ga", "bel", "ri",
    "que", "sur", "ter", "na", "po", "li", "da", "gé", "ré", "té",
];

fn ar_word(rng: &mut Rng) -> String {
    let n = 3 + rng.below(4);
    (0..n).map(|_| AR_LETTERS[rng.below(AR_LETTERS.len())]).collect()
}

fn latin_word(rng: &mut Rng) -> String {
    let n = 2 + rng.below(3);
    (0..n).map(|_| LATIN_SYLLABLES[rng.below(LATIN_SYLLABLES.len())]).collect()
}

fn term(lang: Lang, text: String, kind: TermType, status: Status) -> Term {
    Term { lang, term: text, kind, status, gender: None, note: String::new(), source: String::new() }
}

fn generate(n: usize, rng: &mut Rng) -> Vec<Concept> {
    let ar_pool: Vec<String> = (0..3000).map(|_| ar_word(rng)).collect();
    let la_pool: Vec<String> = (0..3000).map(|_| latin_word(rng)).collect();
    (0..n)
        .map(|i| {
            let k = 2 + rng.below(4);
            let ar: Vec<String> =
                (0..k).map(|_| format!("ال{}", ar_pool[rng.below(ar_pool.len())])).collect();
            let k = 3 + rng.below(4);
            let fr: Vec<String> = (0..k).map(|_| la_pool[rng.below(la_pool.len())].clone()).collect();
            let en: Vec<String> = (0..k).map(|_| la_pool[rng.below(la_pool.len())].clone()).collect();
            let mut terms = vec![
                term(Lang::Ar, ar.join(" "), TermType::Full, Status::Preferred),
                term(Lang::Fr, fr.join(" "), TermType::Full, Status::Preferred),
                term(Lang::En, en.join(" "), TermType::Full, Status::Preferred),
            ];
            if i % 3 == 0 {
                let acro: String =
                    fr.iter().map(|w| w.chars().next().unwrap_or('x').to_ascii_uppercase()).collect();
                terms.push(term(Lang::Fr, format!("{acro}{}", i % 97), TermType::Acronym, Status::Admitted));
            }
            Concept {
                id: ConceptId(format!("c{i}")),
                country: Country::Intl,
                subject: "generated".into(),
                definition: String::new(),
                terms,
            }
        })
        .collect()
}

fn sentences(concepts: &[Concept], n: usize, rng: &mut Rng) -> Vec<(Lang, String)> {
    let ar_general: Vec<String> = (0..5000).map(|_| ar_word(rng)).collect();
    let la_general: Vec<String> = (0..5000).map(|_| latin_word(rng)).collect();
    (0..n)
        .map(|i| {
            let lang = Lang::ALL[i % 3];
            let pool = if lang == Lang::Ar { &ar_general } else { &la_general };
            let len = 14 + rng.below(17);
            let mut words: Vec<String> = (0..len).map(|_| pool[rng.below(pool.len())].clone()).collect();
            if i % 2 == 0 {
                let c = &concepts[rng.below(concepts.len())];
                let t = c.terms_in(lang).next().expect("every language");
                let surface = match (lang, rng.below(3)) {
                    (Lang::Ar, 0) => format!("و{}", t.term),
                    (Lang::Ar, 1) => format!("لل{}", t.term.trim_start_matches("ال")),
                    (_, 0) => t.term.to_uppercase(),
                    _ => t.term.clone(),
                };
                let at = rng.below(words.len());
                words.insert(at, surface);
            }
            (lang, format!("{}.", words.join(" ")))
        })
        .collect()
}

fn main() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let concepts = generate(10_000, &mut rng);
    let terms: usize = concepts.iter().map(|c| c.terms.len()).sum();
    let sents = sentences(&concepts, 60_000, &mut rng);
    let bytes: usize = sents.iter().map(|(_, s)| s.len()).sum();

    let t0 = Instant::now();
    let g = Glossary::from_concepts(concepts);
    let vocab = g.matcher().vocabulary_len();
    let build = t0.elapsed();

    // Warm-up, then three timed passes; the best pass is reported.
    let mut hits = 0;
    for (lang, s) in sents.iter().take(5_000) {
        hits += g.find(s, Some(*lang)).len();
    }
    let (wall, cpu) = best_of_three(|| {
        hits = 0;
        for (lang, s) in &sents {
            hits += g.find(s, Some(*lang)).len();
        }
    });
    // The share of normalization and tokenization (qantara::normalize) in that time.
    let (_, norm_cpu) = best_of_three(|| {
        let mut n = 0;
        for (_, s) in &sents {
            n += qantara::normalize::tokens(s).len();
        }
        std::hint::black_box(n);
    });
    let mut by_lang = String::new();
    for lang in Lang::ALL {
        let subset: Vec<&(Lang, String)> = sents.iter().filter(|(l, _)| *l == lang).collect();
        let (_, c) = best_of_three(|| {
            for (l, s) in &subset {
                std::hint::black_box(g.find(s, Some(*l)));
            }
        });
        by_lang.push_str(&format!(" {lang} {:.0}/s", subset.len() as f64 / c));
    }
    let n = sents.len() as f64;
    let report = format!(
        "glossary: {} concepts, {terms} terms, {vocab} distinct term tokens; matcher built in {:.2} s\n\
         annotate: {} sentences ({:.1} MB, {:.0} bytes each), {hits} hits; best of 3 passes: {:.3} s CPU ({:.3} s wall)\n\
         throughput on one core: {:.0} sentences/s ({:.1} MB/s); by language:{by_lang}\n\
         of which normalize::tokens alone: {:.3} s CPU ({:.0} sentences/s)\n",
        g.len(),
        build.as_secs_f64(),
        sents.len(),
        bytes as f64 / 1e6,
        bytes as f64 / n,
        cpu,
        wall,
        n / cpu,
        bytes as f64 / 1e6 / cpu,
        norm_cpu,
        n / norm_cpu,
    );
    print!("{report}");
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/out");
    if std::fs::create_dir_all(&out).is_ok() {
        let _ = std::fs::write(out.join("glossary.txt"), &report);
    }
}
