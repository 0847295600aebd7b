//! Tests of the aligner: one per anchor kind (each example fails without its anchor), and
//! property tests of the bead invariants.

use super::anchors::{AnchorKind, ConceptAnchors};
use super::*;
use proptest::prelude::*;

/// Five sentence pairs of a made-up article (Arabic, French), written for these tests.
const BASE: [(&str, &str); 5] = [
    (
        "افتتحت المدينة مكتبة عامة جديدة في حي الميناء القديم.",
        "La ville a ouvert une nouvelle bibliothèque publique dans le quartier du vieux port.",
    ),
    (
        "يضم المبنى قاعات للمطالعة وورشات للأطفال ومقهى صغيرا.",
        "Le bâtiment abrite des salles de lecture, des ateliers pour les enfants et un petit café.",
    ),
    (
        "وقد استغرقت أشغال الترميم أكثر من سنتين بسبب قدم الجدران.",
        "Les travaux de restauration ont duré plus de deux ans à cause de l’âge des murs.",
    ),
    (
        "ويأمل السكان أن يصبح المكان ملتقى للشباب والعائلات.",
        "Les habitants espèrent que le lieu deviendra un point de rencontre pour les jeunes et les familles.",
    ),
    (
        "وستفتح المكتبة أبوابها كل يوم ما عدا الاثنين.",
        "La bibliothèque ouvrira ses portes tous les jours sauf le lundi.",
    ),
];

type Pairs = Vec<(Vec<usize>, Vec<usize>)>;

fn run(a: &str, la: Lang, b: &str, lb: Lang, presegmented: bool, opts: &AlignOptions) -> Pairs {
    let mk = |t, l| if presegmented { Side::from_lines(t, l) } else { Side::from_text(t, l) };
    align(&[mk(a, la), mk(b, lb)], opts)
        .into_iter()
        .map(|b| (b.ranges[0].clone().collect(), b.ranges[1].clone().collect()))
        .collect()
}

/// The base article followed by `extra_a` on the Arabic side and `extra_b` on the French side.
fn with_base(extra_a: &[&str], extra_b: &[&str]) -> (String, String) {
    let mut a: Vec<&str> = BASE.iter().map(|p| p.0).collect();
    let mut b: Vec<&str> = BASE.iter().map(|p| p.1).collect();
    a.extend(extra_a);
    b.extend(extra_b);
    (a.join("\n") + "\n", b.join("\n") + "\n")
}

/// Asserts that the alignment ends with `tail` with every anchor, and not without `kind`.
fn assert_decided_by(kind: AnchorKind, a: &str, la: Lang, b: &str, lb: Lang, tail: &[(&[usize], &[usize])]) {
    assert_decided_by_with(kind, a, la, b, lb, true, tail, AlignOptions::default())
}

#[allow(clippy::too_many_arguments)]
fn assert_decided_by_with(
    kind: AnchorKind,
    a: &str,
    la: Lang,
    b: &str,
    lb: Lang,
    presegmented: bool,
    tail: &[(&[usize], &[usize])],
    opts: AlignOptions,
) {
    let tail: Pairs = tail.iter().map(|(x, y)| (x.to_vec(), y.to_vec())).collect();
    let with = run(a, la, b, lb, presegmented, &opts);
    let without = run(a, la, b, lb, presegmented, &AlignOptions { without: vec![kind], ..opts });
    assert!(with.ends_with(&tail), "with {kind:?} anchors: {with:?}");
    assert!(!without.ends_with(&tail), "without {kind:?} anchors the example should go wrong: {without:?}");
}

#[test]
fn numbers_with_arabic_indic_digits_decide() {
    // Which Arabic sentence has no French counterpart? Lengths say the first; the numbers say
    // the second.
    let (a, b) = with_base(
        &[
            "وأشار المهندس إلى أن الضوء الطبيعي يدخل القاعات من كل الجهات.",
            "وبلغ المبلغ المرصود للبناء ٤٧ مليونا في ٢٠٢٣.",
        ],
        &["Le montant engagé a atteint 47 millions en 2023, d’après les comptes publiés par la mairie."],
    );
    assert_decided_by(AnchorKind::Number, &a, Lang::Ar, &b, Lang::Fr, &[(&[5], &[]), (&[6], &[5])]);
}

#[test]
fn latin_tokens_inside_arabic_decide() {
    let (a, b) = with_base(
        &[
            "وأشار المهندس إلى أن الضوء الطبيعي يدخل القاعات من كل الجهات.",
            "وحصل المشروع منذ البداية على مساعدة من UNESCO.",
        ],
        &["Le projet a obtenu l’aide de l’UNESCO, qui suit depuis longtemps la rénovation des quartiers."],
    );
    assert_decided_by(AnchorKind::Latin, &a, Lang::Ar, &b, Lang::Fr, &[(&[5], &[]), (&[6], &[5])]);
}

#[test]
fn transliterated_names_decide() {
    let (a, b) = with_base(
        &[
            "وأشار المهندس إلى أن الضوء الطبيعي يدخل القاعات من كل الجهات.",
            "واستقبل حموشي وبرتون الضيوف عند المدخل.",
        ],
        &["Hammouchi et Berthon ont accueilli les invités à l’entrée principale du nouveau bâtiment."],
    );
    assert_decided_by(AnchorKind::Name, &a, Lang::Ar, &b, Lang::Fr, &[(&[5], &[]), (&[6], &[5])]);
}

#[test]
fn question_marks_and_quotes_decide() {
    let (a, b) = with_base(
        &["وأشار المهندس إلى أن الضوء الطبيعي يدخل القاعات من كل الجهات.", "وتساءل أحدهم: «هل تكفي القاعة؟»"],
        &["Quelqu’un a demandé au maire : « la salle suffira-t-elle pour tout le quartier ? »"],
    );
    assert_decided_by(AnchorKind::Punct, &a, Lang::Ar, &b, Lang::Fr, &[(&[5], &[]), (&[6], &[5])]);
}

#[test]
fn common_words_decide() {
    let (a, b) = with_base(
        &[
            "وأشار المهندس إلى أن الضوء الطبيعي يدخل القاعات من كل الجهات.",
            "وسيزورها الوزير يوم الخميس مع وفد من العاصمة.",
        ],
        &["Le ministre la visitera jeudi avec une délégation venue de la capitale pour l’inauguration."],
    );
    assert_decided_by(AnchorKind::Common, &a, Lang::Ar, &b, Lang::Fr, &[(&[5], &[]), (&[6], &[5])]);
}

/// English versions of the base sentences' French side.
const BASE_EN: [&str; 5] = [
    "The town has opened a new public library in the old port district.",
    "The building houses reading rooms, workshops for children and a small café.",
    "The restoration work took more than two years because the walls are old.",
    "Residents hope the place will become a meeting point for young people and families.",
    "The library will open its doors every day except Monday.",
];

#[test]
fn cognates_decide_between_french_and_english() {
    let mut fr: Vec<&str> = BASE.iter().map(|p| p.1).collect();
    let mut en: Vec<&str> = BASE_EN.to_vec();
    fr.extend([
        "Les habitants en parlent beaucoup depuis le début de la semaine.",
        "La cathédrale accueille désormais un orchestre.",
    ]);
    en.push("The cathedral now hosts an orchestra on the main square.");
    let (fr, en) = (fr.join("\n"), en.join("\n"));
    assert_decided_by(AnchorKind::Cognate, &fr, Lang::Fr, &en, Lang::En, &[(&[5], &[]), (&[6], &[5])]);
}

#[test]
fn paragraph_boundaries_decide() {
    // Raw text: the extra Arabic sentence ends the first paragraph; the French second
    // paragraph faces the Arabic one.
    let a = "افتتحت المدينة مكتبة عامة جديدة.\nوأشار المهندس إلى الضوء الطبيعي هنا.\n\nويأمل السكان أن يلتقي فيها الشباب.\n";
    let b =
        "La ville a ouvert une nouvelle bibliothèque.\n\nLes habitants espèrent y voir les jeunes enfin.\n";
    let opts = AlignOptions { without: vec![AnchorKind::Number], ..AlignOptions::default() };
    assert_decided_by_with(
        AnchorKind::Boundary,
        a,
        Lang::Ar,
        b,
        Lang::Fr,
        false,
        &[(&[1], &[]), (&[2], &[1])],
        opts,
    );
}

struct Port;

impl ConceptAnchors for Port {
    fn concepts(&self, text: &str, _lang: Lang) -> Vec<u32> {
        let key = crate::normalize::key(text);
        if key.contains("مرفا") || key.contains("port de peche") { vec![7] } else { Vec::new() }
    }
}

#[test]
fn glossary_concepts_decide() {
    let (a, b) = with_base(
        &[
            "وأشار المهندس إلى أن الضوء الطبيعي يدخل القاعات من كل الجهات.",
            "وتطل النوافذ على مرفأ الصيد حيث ترسو القوارب.",
        ],
        &["Les fenêtres donnent sur le port de pêche, où les bateaux rentrent chaque matin avant l’aube."],
    );
    let opts = AlignOptions { concepts: Some(std::sync::Arc::new(Port)), ..AlignOptions::default() };
    assert_decided_by_with(
        AnchorKind::Concept,
        &a,
        Lang::Ar,
        &b,
        Lang::Fr,
        true,
        &[(&[5], &[]), (&[6], &[5])],
        opts,
    );
}

// ---- invariants ----

/// Checks that `beads` are monotone and cover `0..lens[k]` of every side exactly once.
fn assert_valid(beads: &[Bead], lens: &[usize]) {
    let mut next = vec![0; lens.len()];
    for b in beads {
        assert_eq!(b.ranges.len(), lens.len());
        assert!((0.0..=1.0).contains(&b.confidence), "{b:?}");
        assert!(b.ranges.iter().any(|r| !r.is_empty()), "an empty bead: {beads:?}");
        for (k, r) in b.ranges.iter().enumerate() {
            assert_eq!(r.start, next[k], "side {k} not contiguous: {beads:?}");
            next[k] = r.end;
        }
    }
    assert_eq!(next, lens, "not every segment covered: {beads:?}");
}

/// Checks that the beads cover every byte of every segment of every side exactly once, in
/// order: whole segments in contiguous ranges, and the parts of a split segment one after the
/// other, from byte 0 to its end, in consecutive beads.
fn assert_bytes_covered(beads: &[Bead], sides: &[Side<'_>]) {
    // per side: segments before `seg` are covered, `seg` up to byte `at` (0: not begun)
    let mut state = vec![(0usize, 0usize); sides.len()];
    let mut open: Vec<Option<usize>> = vec![None; sides.len()];
    for (n, b) in beads.iter().enumerate() {
        assert!((0.0..=1.0).contains(&b.confidence), "{b:?}");
        assert!(b.ranges.iter().any(|r| !r.is_empty()), "an empty bead: {beads:?}");
        assert_eq!(b.parts.len(), sides.len());
        for (k, (r, part)) in b.ranges.iter().zip(&b.parts).enumerate() {
            let (seg, at) = &mut state[k];
            match part {
                None => {
                    assert_eq!(*at, 0, "side {k}: segment {seg} left half covered at bead {n}: {beads:?}");
                    assert_eq!(r.start, *seg, "side {k} not contiguous at bead {n}: {beads:?}");
                    *seg = r.end;
                }
                Some(p) => {
                    assert_eq!(r.len(), 1, "a part of more than one segment: {b:?}");
                    assert_eq!(r.start, *seg, "side {k}: part out of order at bead {n}: {beads:?}");
                    assert_eq!(p.start, *at, "side {k}: part does not continue the segment: {beads:?}");
                    let text = sides[k].segments[r.start].text;
                    assert!(p.start < p.end && p.end <= text.len(), "{p:?} of {text:?}");
                    assert!(text.is_char_boundary(p.start) && text.is_char_boundary(p.end));
                    if let Some(prev) = open[k].filter(|_| p.start > 0) {
                        assert_eq!(prev + 1, n, "the halves of a split are not consecutive beads: {beads:?}");
                    }
                    open[k] = Some(n);
                    *at = p.end;
                    if *at == text.len() {
                        *seg += 1;
                        *at = 0;
                    }
                }
            }
        }
    }
    for (k, (seg, at)) in state.iter().enumerate() {
        assert_eq!((*seg, *at), (sides[k].segments.len(), 0), "side {k} not covered to its end: {beads:?}");
    }
}

/// A made-up parallel article of `n` numbered sentence pairs; `joins[k]` glues French sentence
/// `k + 1` to sentence `k` without its full stop (an unpunctuated boundary), on one line, unless
/// sentence `k` is itself glued to the one before (a split cuts one segment in two, not three).
fn numbered(n: usize, joins: &[bool], presegmented: bool) -> (String, String) {
    let mut eff: Vec<bool> = Vec::with_capacity(joins.len());
    for (k, &j) in joins.iter().enumerate() {
        eff.push(j && !(k > 0 && eff[k - 1]));
    }
    let joins = eff;
    let places = ["le port", "la gare", "le marché", "la mairie", "le stade", "le musée"];
    let en_places =
        ["the harbour", "the station", "the market", "the town hall", "the stadium", "the museum"];
    let mut fr = String::new();
    let mut en = String::new();
    for k in 0..n {
        let (p, q) = (places[k % places.len()], en_places[k % places.len()]);
        let y = 1990 + 7 * k;
        let glue = joins.get(k).copied().unwrap_or(false) && k + 1 < n;
        debug_assert!(!(glue && k > 0 && joins[k - 1]));
        fr.push_str(&format!("Les travaux sur {p} ont commencé en {y} avec {} ouvriers", 20 + k));
        fr.push_str(if glue {
            " "
        } else if presegmented {
            ".\n"
        } else {
            ".\n\n"
        });
        en.push_str(&format!("Work on {q} began in {y} with {} workers.", 20 + k));
        en.push_str(if presegmented { "\n" } else { "\n\n" });
    }
    (fr, en)
}

const WORDS: [&str; 12] =
    ["la", "ville", "مدينة", "port", "2024", "Berthon", "?", "livre", "كتاب", "the", "city", "جديدة"];

fn text_strategy() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::collection::vec(0..WORDS.len(), 0..12), 0..40).prop_map(|lines| {
        lines.iter().map(|l| l.iter().map(|&w| WORDS[w]).collect::<Vec<_>>().join(" ") + "\n").collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn two_way_beads_are_monotone_and_cover_everything(a in text_strategy(), b in text_strategy(), banded in any::<bool>()) {
        let opts = AlignOptions { exact_cells: if banded { 0 } else { 250_000 }, ..AlignOptions::default() };
        let sides = [Side::from_lines(&a, Lang::Ar), Side::from_lines(&b, Lang::Fr)];
        let beads = align(&sides, &opts);
        assert_bytes_covered(&beads, &sides);
    }

    #[test]
    fn split_beads_cover_every_byte_once_in_order(
        joins in prop::collection::vec(any::<bool>(), 0..12),
        raw in any::<bool>(),
        banded in any::<bool>(),
        swap in any::<bool>(),
    ) {
        let n = joins.len().max(1);
        let (fr, en) = numbered(n, &joins, !raw);
        let mk = |t, l| if raw { Side::from_text(t, l) } else { Side::from_lines(t, l) };
        let sides = if swap { [mk(&en, Lang::En), mk(&fr, Lang::Fr)] } else { [mk(&fr, Lang::Fr), mk(&en, Lang::En)] };
        let opts = AlignOptions { exact_cells: if banded { 0 } else { 250_000 }, ..AlignOptions::default() };
        let beads = align(&sides, &opts);
        assert_bytes_covered(&beads, &sides);
        // every glued pair is cut back apart: one unit per English sentence
        let units = beads.iter().filter(|b| b.ranges.iter().all(|r| !r.is_empty())).count();
        prop_assert_eq!(units, n, "{:?}", beads);
    }

    #[test]
    fn three_way_tuples_are_consistent_with_each_pair(a in text_strategy(), b in text_strategy(), c in text_strategy()) {
        let sides = [Side::from_lines(&a, Lang::Ar), Side::from_lines(&b, Lang::Fr), Side::from_lines(&c, Lang::En)];
        let beads = align(&sides, &AlignOptions::default());
        assert_bytes_covered(&beads, &sides);
        // each pair, projected, is itself a valid two-way alignment
        for (x, y) in [(0, 1), (0, 2), (1, 2)] {
            let pair: Vec<Bead> = beads
                .iter()
                .filter(|b| !b.ranges[x].is_empty() || !b.ranges[y].is_empty())
                .map(|b| Bead { ranges: vec![b.ranges[x].clone(), b.ranges[y].clone()], confidence: b.confidence, parts: vec![b.parts[x].clone(), b.parts[y].clone()], risks: Vec::new() })
                .collect();
            assert_bytes_covered(&pair, &[sides[x].clone(), sides[y].clone()]);
        }
    }

    #[test]
    fn three_way_tuples_with_splits_are_consistent_with_each_pair(
        joins in prop::collection::vec(any::<bool>(), 1..10),
    ) {
        let joins: Vec<bool> = (0..joins.len()).map(|k| joins[k] && !(k > 0 && joins[k - 1])).collect();
        // the Arabic version glues sentences without a stop; French and English cut them
        let n = joins.len();
        let (fr, en) = numbered(n, &[], true);
        let mut ar = String::new();
        for (k, &glue) in joins.iter().enumerate() {
            ar.push_str(&format!("بدأت الأشغال في عام {} بمشاركة {} عاملا", 1990 + 7 * k, 20 + k));
            ar.push_str(if glue && k + 1 < n { " و" } else { ".\n" });
        }
        let sides = [Side::from_lines(&ar, Lang::Ar), Side::from_lines(&fr, Lang::Fr), Side::from_lines(&en, Lang::En)];
        let beads = align(&sides, &AlignOptions::default());
        assert_bytes_covered(&beads, &sides);
        for (x, y) in [(0, 1), (0, 2), (1, 2)] {
            let pair: Vec<Bead> = beads
                .iter()
                .filter(|b| !b.ranges[x].is_empty() || !b.ranges[y].is_empty())
                .map(|b| Bead { ranges: vec![b.ranges[x].clone(), b.ranges[y].clone()], confidence: b.confidence, parts: vec![b.parts[x].clone(), b.parts[y].clone()], risks: Vec::new() })
                .collect();
            assert_bytes_covered(&pair, &[sides[x].clone(), sides[y].clone()]);
        }
        let units = beads.iter().filter(|b| b.ranges.iter().all(|r| !r.is_empty())).count();
        prop_assert_eq!(units, n, "{:?}", beads);
    }
}

#[test]
fn empty_sides_give_one_sided_beads() {
    let a = "Une phrase.\nDeux phrases.\n";
    let sides = [Side::from_lines(a, Lang::Fr), Side::from_lines("", Lang::En)];
    let beads = align(&sides, &AlignOptions::default());
    assert_eq!(beads.len(), 2);
    assert_valid(&beads, &[2, 0]);
    assert!(
        align(&[Side::from_lines("", Lang::Fr), Side::from_lines("", Lang::En)], &AlignOptions::default())
            .is_empty()
    );
}

#[test]
fn banded_search_finds_the_exact_path() {
    // A long document, searched exhaustively and in the band, gives the same alignment.
    let (a, b) = with_base(&[], &[]);
    let (a, b) = (a.repeat(8), b.repeat(8));
    let sides = [Side::from_lines(&a, Lang::Ar), Side::from_lines(&b, Lang::Fr)];
    let exact = align(&sides, &AlignOptions::default());
    let banded = align(&sides, &AlignOptions { exact_cells: 0, ..AlignOptions::default() });
    let r = |v: &[Bead]| v.iter().map(|b| b.ranges.clone()).collect::<Vec<_>>();
    assert_eq!(r(&exact), r(&banded));
    assert!(exact.iter().all(|b| b.ranges[0].len() == 1 && b.ranges[1].len() == 1));
}

#[test]
fn local_widening_recovers_the_exact_path() {
    // Side b holds 12 lines of its own in the middle. A band of half-width 2 around the
    // straight diagonal cuts the true path, so the search touches the band's edge; widening
    // and re-searching only the chunks around the touches must give the exhaustive result.
    let (a, b) = with_base(&[], &[]);
    let extra: String =
        (0..12).map(|k| format!("Ligne propre à cette version, numéro {k}, sans équivalent.\n")).collect();
    let (a, b) = (a.repeat(6), b.repeat(3) + &extra + &b.repeat(3));
    let sides = [Side::from_lines(&a, Lang::Ar), Side::from_lines(&b, Lang::Fr)];
    let opts = AlignOptions::default();
    let (pa, pb) = (prepare(&sides[0], &opts), prepare(&sides[1], &opts));
    let (ua, ub) = units_pair(&sides[0], &pa, &sides[1], &pb);
    let total = |u: &[Unit]| u.iter().map(|x| x.len as f64).sum::<f64>();
    let params = Params::new(total(&ua), total(&ub));
    let (n, m) = (ua.len(), ub.len());
    let model = cost::Model::new(&ua, &ub, params.clone());
    let exact = band::solve(&model, &band::Band::full(n, m), true).beads;
    let diagonal: Vec<(Range<usize>, Range<usize>)> =
        (0..n).map(|i| (i..i + 1, i * m / n..(i + 1) * m / n)).collect();
    let mut w = 2;
    let first = band::solve(&model, &band::Band::around(&diagonal, 1, n, m, w), true);
    let r = |v: &[band::Found]| v.iter().map(|f| (f.a.clone(), f.b.clone())).collect::<Vec<_>>();
    assert!(!first.touching.is_empty(), "the narrow band should cut the path");
    assert_ne!(r(&first.beads), r(&exact), "the narrow band should miss the best path");
    let (mut beads, mut touching) = (first.beads, first.touching);
    while !touching.is_empty() {
        w *= 2;
        (beads, touching) = widen_locally(&ua, &ub, &params, beads, &touching, w, true);
    }
    assert_eq!(r(&beads), r(&exact));
    assert!(beads.iter().all(|f| (0.0..=1.0).contains(&f.posterior)));
}
