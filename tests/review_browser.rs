//! The review page in a real headless Chromium (Debian's `chromium` and `chromium-driver`,
//! through [`crate::webdriver`]): the seed article plus generated ones, the queue walked with
//! the keyboard, edits saved, the page reloaded and the server restarted, the memory checked.
//! Without Chromium the tests print a note and pass, except under `CI`, where they fail.

use crate::review_page::{raw, seeded_tm, start, units};
use crate::webdriver::{Browser, find};
use serde_json::{Value, json};
use std::path::Path;

/// The browser and driver, or `None` after printing why (a failure under CI).
fn browser() -> Option<(String, String)> {
    match find() {
        Ok(found) => Some(found),
        Err(why) if std::env::var_os("CI").is_some() => panic!("CI: the browser tests need Chromium: {why}"),
        Err(why) => {
            eprintln!("note: review browser tests skipped: {why}");
            None
        }
    }
}

/// Sentences written for these tests, in Arabic, French and English.
const SENTENCES: &[[&str; 3]] = &[
    [
        "افتتح المجلس البلدي لمدينة فاس قاعة جديدة للمطالعة يوم الاثنين.",
        "Le conseil municipal de Fès a inauguré lundi une nouvelle salle de lecture.",
        "The Fez city council opened a new reading room on Monday.",
    ],
    [
        "وتضم القاعة أكثر من ثلاثة آلاف كتاب باللغات العربية والفرنسية والإنجليزية.",
        "La salle compte plus de trois mille livres en arabe, en français et en anglais.",
        "The room holds more than three thousand books in Arabic, French and English.",
    ],
    [
        "وقال رئيس المجلس إن المشروع كلف مليوني درهم.",
        "Le président du conseil a indiqué que le projet avait coûté deux millions de dirhams.",
        "The council president said the project had cost two million dirhams.",
    ],
    [
        "وستفتح القاعة أبوابها من الساعة التاسعة صباحا إلى السابعة مساء.",
        "La salle sera ouverte de neuf heures du matin à sept heures du soir.",
        "The room will be open from nine in the morning to seven in the evening.",
    ],
    [
        "ويمكن للطلبة استعارة الكتب مجانا.",
        "Les étudiants pourront emprunter les livres gratuitement.",
        "Students will be able to borrow the books free of charge.",
    ],
    [
        "وأعلنت الجماعة عن برنامج لورشات القراءة لفائدة الأطفال.",
        "La commune a annoncé un programme d'ateliers de lecture pour les enfants.",
        "The municipality announced a programme of reading workshops for children.",
    ],
    [
        "وستنظم الورشات كل يوم سبت خلال العطلة الصيفية.",
        "Les ateliers auront lieu chaque samedi pendant les vacances d'été.",
        "The workshops will take place every Saturday during the summer holidays.",
    ],
    [
        "ورحب السكان بهذه المبادرة التي طال انتظارها.",
        "Les habitants ont salué cette initiative longtemps attendue.",
        "Residents welcomed this long-awaited initiative.",
    ],
];

/// Writes article `name` under `dir` from sentences `picks`; a sentence listed in `drop` is
/// left out of that language (0 ar, 1 fr, 2 en), so the alignment has something to fix.
fn article(dir: &Path, name: &str, picks: &[usize], drop: &[(usize, usize)]) {
    let d = dir.join(name);
    std::fs::create_dir_all(&d).unwrap();
    for (k, lang) in ["ar", "fr", "en"].iter().enumerate() {
        let text: Vec<&str> =
            picks.iter().filter(|&&i| !drop.contains(&(i, k))).map(|&i| SENTENCES[i][k]).collect();
        std::fs::write(d.join(format!("{lang}.txt")), text.join("\n\n") + "\n").unwrap();
    }
}

/// The generated articles (a folder for `qantara batch`).
fn generated(dir: &Path) -> std::path::PathBuf {
    let g = dir.join("generated");
    article(&g, "fez-reading-room", &[0, 1, 2, 3, 4], &[(2, 1)]);
    article(&g, "fez-workshops", &[5, 6, 7, 0], &[(6, 2)]);
    g
}

/// The queue as the API gives it.
fn api_queue(r: &crate::review_page::Review) -> Value {
    let a = raw(
        r.port,
        "GET",
        "/api/queue",
        &[("Host", &format!("127.0.0.1:{}", r.port)), ("X-Qantara-Token", &r.token)],
        b"",
    );
    assert_eq!(a.status, 200, "{}", a.body);
    serde_json::from_str(&a.body).unwrap()
}

const READY: &str = "return document.body.dataset.ready === '1'";

/// What the page shows of the current item: queue position, document, bead.
fn shown(b: &Browser) -> Value {
    b.js(
        "const li = document.querySelector('#queue li.current');
         const tr = document.querySelector('#beads tr.current');
         return {q: li ? Number(li.dataset.i) : null,
                 bead: tr ? Number(tr.dataset.bead) : null,
                 doc: document.querySelector('#item-head .doc').textContent};",
        json!([]),
    )
}

#[test]
fn the_page_walks_the_queue_with_the_keyboard_and_shows_arabic_right_to_left() {
    let Some((driver, chromium)) = browser() else { return };
    let dir = tempfile::tempdir().unwrap();
    let tm = seeded_tm(dir.path(), &[&generated(dir.path())]);
    let before = units(&tm);
    let r = start(&tm, &[]);
    let b = Browser::start(&driver, &chromium);
    b.goto(&r.url);
    b.wait("the page", READY);

    // the queue spans every document, riskiest first, as the API orders it
    let q = api_queue(&r);
    let entries = q["entries"].as_array().unwrap();
    assert_eq!(q["docs"].as_array().unwrap().len(), 3, "{q}");
    let docs_in_queue: std::collections::BTreeSet<&str> =
        entries.iter().filter_map(|e| e["doc"].as_str()).collect();
    assert!(docs_in_queue.len() >= 2, "the queue mixes documents: {docs_in_queue:?}");
    let p: Vec<f64> = entries.iter().map(|e| e["p_wrong"].as_f64().unwrap()).collect();
    assert!(p.windows(2).all(|w| w[0] >= w[1]), "riskiest first: {p:?}");
    let listed = b.js("return document.querySelectorAll('#queue li').length", json!([]));
    assert_eq!(listed.as_u64(), Some(entries.len() as u64));

    // j/k and the arrows walk it; the bead shown is the queue's
    let at = |i: usize| json!({"q": i, "bead": entries[i]["bead"], "doc": entries[i]["doc"]});
    assert_eq!(shown(&b), at(0));
    b.keys("j");
    assert_eq!(shown(&b), at(1));
    b.keys("jj");
    assert_eq!(shown(&b), at(3));
    b.keys("k");
    assert_eq!(shown(&b), at(2));
    b.keys("\u{E015}"); // ArrowDown
    assert_eq!(shown(&b), at(3));
    b.keys("\u{E013}"); // ArrowUp
    assert_eq!(shown(&b), at(2));

    // Arabic: right to left, each segment isolated; French and English left to right
    let bidi = b.js(
        "const ar = [...document.querySelectorAll('#beads td[lang=ar]')];
         const lat = [...document.querySelectorAll('#beads td[lang=fr], #beads td[lang=en]')];
         const segs = [...document.querySelectorAll('#beads td[lang=ar] .seg')];
         return {ar: ar.length, rtl: ar.every(t => t.dir === 'rtl' && getComputedStyle(t).direction === 'rtl'),
                 ltr: lat.every(t => getComputedStyle(t).direction === 'ltr'),
                 isolated: segs.length > 0 && segs.every(s => getComputedStyle(s).unicodeBidi === 'isolate'),
                 head: document.querySelector('#beads th[lang=ar]').dir};",
        json!([]),
    );
    assert_eq!(bidi["rtl"], true, "{bidi}");
    assert_eq!(bidi["ltr"], true, "{bidi}");
    assert_eq!(bidi["isolated"], true, "{bidi}");
    assert_eq!(bidi["head"], "rtl");
    assert!(bidi["ar"].as_u64().unwrap() >= 4, "context beads around the current one: {bidi}");

    // the seed article in view, with Arabic text, for the screenshot
    let seed_at =
        entries.iter().position(|e| e["doc"] == "dgsn-visit-france-2024").expect("the seed is in the queue");
    b.js("document.querySelectorAll('#queue li')[arguments[0]].click()", json!([seed_at]));
    assert_eq!(shown(&b)["q"], seed_at);
    let png = b.screenshot();
    assert!(png.starts_with(b"\x89PNG"), "a PNG");
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("review-page.png");
    std::fs::write(&out, &png).unwrap();
    eprintln!("screenshot: {}", out.display());

    // a reload keeps working without the token in the address bar (the cookie carries it)
    let addr = b.js("return location.href", json!([]));
    assert_eq!(addr, format!("http://127.0.0.1:{}/", r.port), "the token left the address bar");
    b.refresh();
    b.wait("the page after a reload", READY);
    assert_eq!(shown(&b), at(0));
    drop(b);
    drop(r);
    assert_eq!(units(&tm), before, "walking the queue changed nothing");
}
