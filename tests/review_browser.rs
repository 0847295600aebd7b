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

/// Waits until the page shows `expected` (keys are handled asynchronously) and checks it.
fn expect_shown(b: &Browser, expected: Value) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let now = shown(b);
        if now == expected {
            return;
        }
        assert!(std::time::Instant::now() < deadline, "the page shows {now}, not {expected}");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// What the page shows of the current item: queue position, document, bead.
fn shown(b: &Browser) -> Value {
    b.wait("the page to settle", "return st.loading === 0 && !st.busy");
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
    expect_shown(&b, at(0));
    b.keys("j");
    expect_shown(&b, at(1));
    b.keys("jj");
    expect_shown(&b, at(3));
    b.keys("k");
    expect_shown(&b, at(2));
    b.keys("\u{E015}"); // ArrowDown
    expect_shown(&b, at(3));
    b.keys("\u{E013}"); // ArrowUp
    expect_shown(&b, at(2));

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
    expect_shown(&b, at(0));
    drop(b);
    drop(r);
    assert_eq!(units(&tm), before, "walking the queue changed nothing");
}

/// A document's beads as the API gives them.
fn api_doc(r: &crate::review_page::Review, name: &str) -> Value {
    let a = raw(
        r.port,
        "GET",
        &format!("/api/doc?name={name}"),
        &[("Host", &format!("localhost:{}", r.port)), ("X-Qantara-Token", &r.token)],
        b"",
    );
    assert_eq!(a.status, 200, "{}", a.body);
    serde_json::from_str(&a.body).unwrap()
}

/// Presses `key` and waits for the page to report the save; the status line.
fn op(b: &Browser, key: &str) -> String {
    b.js("document.getElementById('status').textContent = ''", json!([]));
    b.keys(key);
    let s = b.wait(
        &format!("the answer to {key}"),
        "const s = document.getElementById('status'); return s.textContent.startsWith('saved') || s.classList.contains('error') ? s.textContent : null",
    );
    let s = s.as_str().unwrap().to_string();
    assert!(s.starts_with("saved"), "{key}: {s}");
    s
}

/// Puts the caret `chars` characters into text `part` of `lang` in the current bead.
fn caret(b: &Browser, lang: &str, part: usize, chars: usize) {
    b.js(
        "const seg = document.querySelector(`#beads tr.current .seg[data-lang=${arguments[0]}][data-part='${arguments[1]}']`);
         const r = document.createRange();
         r.setStart(seg.firstChild, arguments[2]);
         r.collapse(true);
         const s = document.getSelection();
         s.removeAllRanges();
         s.addRange(r);",
        json!([lang, part, chars]),
    );
    // selectionchange is delivered asynchronously
    b.wait("the caret", "return st.caret !== null");
}

fn pin_count(tm: &Path) -> usize {
    units(tm).lines().filter(|l| l.split(' ').nth(1) == Some("edited")).count()
}

#[test]
fn merge_split_confirm_and_undo_are_saved_and_survive_a_reload_and_a_restart() {
    let Some((driver, chromium)) = browser() else { return };
    let dir = tempfile::tempdir().unwrap();
    let tm = seeded_tm(dir.path(), &[&generated(dir.path())]);
    assert_eq!(pin_count(&tm), 0);
    let r = start(&tm, &[]);
    let b = Browser::start(&driver, &chromium);
    b.goto(&r.url);
    b.wait("the page", READY);
    let doc = "dgsn-visit-france-2024";
    let seed_at = api_queue(&r)["entries"].as_array().unwrap().iter().position(|e| e["doc"] == doc).unwrap();
    b.js("document.querySelectorAll('#queue li')[arguments[0]].click()", json!([seed_at]));
    let n0 = api_doc(&r, doc)["beads"].as_array().unwrap().len();

    // merge: the current bead takes in the next one
    let i = shown(&b)["bead"].as_u64().unwrap() as usize;
    let before = api_doc(&r, doc);
    let texts = |v: &Value, bead: usize| -> Vec<String> {
        v["beads"][bead]["sides"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|s| s["texts"].as_array().unwrap().clone())
            .map(|t| t.as_str().unwrap().to_string())
            .collect()
    };
    let mut expected = texts(&before, i);
    expected.extend(texts(&before, i + 1));
    op(&b, "m");
    let after = api_doc(&r, doc);
    assert_eq!(after["beads"].as_array().unwrap().len(), n0 - 1, "merge leaves one bead fewer");
    assert_eq!(after["beads"][i]["pin"], "together");
    let mut got = texts(&after, i);
    got.sort();
    expected.sort();
    assert_eq!(got, expected, "the merged bead holds both beads' texts");
    assert_eq!(shown(&b)["bead"], i);
    assert_eq!(
        b.js("return document.querySelector('#beads tr.current').classList.contains('changed')", json!([])),
        true
    );

    // split inside a sentence, at a caret put between two words of the bead below
    let j = (i + 1..n0 - 1)
        .find(|&j| {
            let t = side(&after, j, "fr")["texts"].as_array().unwrap();
            t.len() == 1
                && t[0].as_str().unwrap().split(' ').count() >= 6
                && after["beads"][j]["pin"].is_null()
        })
        .expect("a French sentence to cut below the merge");
    go_to_bead(&b, j);
    let sentence = side(&after, j, "fr")["texts"][0].as_str().unwrap().to_string();
    let words: Vec<&str> = sentence.split(' ').collect();
    let first_half = words[..words.len() / 2].join(" ") + " ";
    caret(&b, "fr", 0, first_half.encode_utf16().count());
    op(&b, "s");
    let split = api_doc(&r, doc);
    assert_eq!(split["beads"].as_array().unwrap().len(), n0, "split adds a bead");
    let fr_of = |bead: usize| -> String {
        split["beads"][bead]["sides"].as_array().unwrap().iter().find(|s| s["lang"] == "fr").unwrap()["texts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect()
    };
    assert_eq!(fr_of(j).trim_end(), first_half.trim_end(), "cut where the caret was");
    let words_of = |t: &str| t.split_whitespace().map(str::to_string).collect::<Vec<_>>();
    assert_eq!(
        words_of(&format!("{} {}", fr_of(j), fr_of(j + 1))),
        words_of(&sentence),
        "nothing lost at the cut"
    );
    assert_eq!(split["beads"][j]["pin"], "cut");

    // confirm a bead of the queue, undo it, confirm it again
    b.keys("j");
    let cur = shown(&b);
    let (cdoc, cbead) = (cur["doc"].as_str().unwrap().to_string(), cur["bead"].as_u64().unwrap() as usize);
    op(&b, "c");
    let confirmed = api_doc(&r, &cdoc);
    assert_eq!(confirmed["beads"][cbead]["pin"], "confirmed");
    assert_eq!(confirmed["beads"][cbead]["confidence"], 1.0);
    let in_queue = |r: &crate::review_page::Review| {
        api_queue(r)["entries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["doc"] == cdoc.as_str() && e["bead"] == cbead)
    };
    assert!(!in_queue(&r), "a confirmed bead leaves the queue");
    op(&b, "z");
    assert!(api_doc(&r, &cdoc)["beads"][cbead]["pin"].is_null(), "undo removes the confirmation");
    assert!(in_queue(&r));
    b.keys("j");
    assert_eq!(shown(&b)["doc"], cdoc.as_str());
    op(&b, "c");
    let queue_len = api_queue(&r)["entries"].as_array().unwrap().len();
    let state = |r: &crate::review_page::Review| (api_doc(r, doc), api_doc(r, &cdoc));
    let saved = state(&r);

    // a reload shows the same state (from the memory, not the page)
    b.refresh();
    b.wait("the page after a reload", READY);
    assert_eq!(b.js("return document.querySelectorAll('#queue li').length", json!([])), queue_len);
    assert_eq!(state(&r), saved);

    // and so does a new run of qantara review on the same memory
    drop(r);
    let edited = pin_count(&tm);
    assert!(edited >= 2, "merged, cut and confirmed beads are Edited units: {edited}");
    let r2 = start(&tm, &[]);
    assert_eq!(state(&r2), saved, "the review state survives a restart");
    b.goto(&r2.url);
    b.wait("the page of the new run", READY);
    assert_eq!(b.js("return document.querySelectorAll('#queue li').length", json!([])), queue_len);
    // what batch would replay: the memory's own account of the document
    let out = crate::util::qantara()
        .args(["tm", "show", doc, "--tm", tm.to_str().unwrap(), "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let shown_cli: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        shown_cli["beads"].as_array().map(Vec::len),
        Some(n0),
        "{}",
        String::from_utf8_lossy(&out.stdout).chars().take(300).collect::<String>()
    );
}

/// Walks the document with J/K until bead `n` is the current one.
fn go_to_bead(b: &Browser, n: usize) {
    for _ in 0..200 {
        let at = shown(b)["bead"].as_u64().unwrap() as usize;
        match at.cmp(&n) {
            std::cmp::Ordering::Equal => return,
            std::cmp::Ordering::Less => b.keys("J"),
            std::cmp::Ordering::Greater => b.keys("K"),
        }
    }
    panic!("could not reach bead {n}");
}

/// The `lang` side of bead `i` of a document view.
fn side<'v>(v: &'v Value, i: usize, lang: &str) -> &'v Value {
    v["beads"][i]["sides"].as_array().unwrap().iter().find(|s| s["lang"] == lang).unwrap()
}

#[test]
fn move_up_move_down_one_sided_and_confirm_all_above_from_keys_and_mouse() {
    let Some((driver, chromium)) = browser() else { return };
    let dir = tempfile::tempdir().unwrap();
    let tm = seeded_tm(dir.path(), &[]);
    let r = start(&tm, &[]);
    let b = Browser::start(&driver, &chromium);
    b.goto(&r.url);
    b.wait("the page", READY);
    let doc = "dgsn-visit-france-2024";
    let v = api_doc(&r, doc);
    let n = v["beads"].as_array().unwrap().len();
    // a bead in the middle holding one French segment, with French in the bead above too
    let i = (2..n - 2)
        .find(|&i| {
            side(&v, i, "fr")["texts"].as_array().unwrap().len() == 1
                && !side(&v, i - 1, "fr")["texts"].as_array().unwrap().is_empty()
        })
        .expect("a bead to move from");
    let seg = side(&v, i, "fr")["segments"]["start"].as_u64().unwrap();
    go_to_bead(&b, i);
    // the mouse selects the segment; u moves it into the bead above
    b.js("document.querySelector('#beads tr.current .seg[data-lang=fr]').click()", json!([]));
    op(&b, "u");
    let up = api_doc(&r, doc);
    assert_eq!(side(&up, i - 1, "fr")["segments"]["end"], seg + 1, "the segment joined the bead above");
    assert_eq!(up["beads"][i - 1]["pin"], "together");
    // d moves it back down (select it in the bead above first: l walks the segments)
    b.keys("K");
    assert_eq!(shown(&b)["bead"], i - 1);
    let parts = up["beads"][i - 1]["sides"].as_array().unwrap();
    let before_it: usize = parts
        .iter()
        .take_while(|s| s["lang"] != "fr")
        .map(|s| s["texts"].as_array().unwrap().len())
        .sum::<usize>()
        + side(&up, i - 1, "fr")["texts"].as_array().unwrap().len()
        - 1;
    b.keys(&"l".repeat(before_it));
    let sel =
        b.js("return document.querySelector('#beads tr.current .seg.selected').dataset.lang", json!([]));
    assert_eq!(sel, "fr");
    op(&b, "d");
    let down = api_doc(&r, doc);
    assert_eq!(side(&down, i, "fr")["segments"]["start"], seg, "the segment went back down");

    // o: the selected segment stands alone
    go_to_bead(&b, i);
    b.js("document.querySelector('#beads tr.current .seg[data-lang=fr]').click()", json!([]));
    op(&b, "o");
    let alone = api_doc(&r, doc);
    let lone = alone["beads"].as_array().unwrap().iter().find(|bead| {
        bead["pin"] == "alone"
            && bead["sides"]
                .as_array()
                .unwrap()
                .iter()
                .all(|s| (s["lang"] == "fr") != s["texts"].as_array().unwrap().is_empty())
    });
    assert!(lone.is_some(), "a one-sided French bead: {alone}");

    // a: every bead from the first down to the current one is confirmed or pinned
    go_to_bead(&b, 3);
    op(&b, "a");
    let all = api_doc(&r, doc);
    for k in 0..=3 {
        assert!(!all["beads"][k]["pin"].is_null(), "bead {k} after confirm all above: {}", all["beads"][k]);
    }
    assert!(
        api_queue(&r)["entries"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["bead"].as_u64().unwrap() > 3 || e["doc"] != doc)
    );
}
