// qantara review page: shows what the server's library calls return and sends edits; no
// alignment logic lives here. Text is always inserted with textContent, never as HTML.
"use strict";

const CONTEXT = 3; // beads shown before and after the current one
const RTL = new Set(["ar"]);

const st = {
  token: null,
  docs: [],
  queue: [],
  qpos: 0,
  detached: false, // the cursor left the queue (after an edit, or J/K)
  cache: new Map(), // doc name -> {name, langs, beads}
  cur: null, // {doc, bead}
  sel: null, // {lang, part}: the selected segment of the current bead
  caret: null, // {doc, bead, lang, part, offset}: last caret inside a segment (bytes)
  changed: null, // {doc, start, end}: the stretch the last edit re-aligned
  busy: false,
  nav: 0, // navigation counter
  loading: 0, // documents being fetched
};

const $ = (id) => document.getElementById(id);
const el = (tag, attrs = {}, text) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
};

function say(msg, error = false) {
  const s = $("status");
  s.textContent = msg;
  s.classList.toggle("error", error);
}

async function api(path, body) {
  const opts = { headers: {}, credentials: "same-origin" };
  if (st.token) opts.headers["X-Qantara-Token"] = st.token;
  if (body !== undefined) {
    opts.method = "POST";
    opts.headers["Content-Type"] = "application/json";
    opts.body = JSON.stringify(body);
  }
  const res = await fetch(path, opts);
  const data = await res.json().catch(() => null);
  if (!res.ok) {
    const msg = data && data.error ? data.error.message : `HTTP ${res.status}`;
    throw new Error(msg);
  }
  return data;
}

async function loadDoc(name, force = false) {
  if (!force && st.cache.has(name)) return st.cache.get(name);
  const d = await api("/api/doc?name=" + encodeURIComponent(name));
  st.cache.set(name, d);
  return d;
}

async function loadQueue() {
  const q = await api("/api/queue");
  st.docs = q.docs;
  st.queue = q.entries;
  if (st.qpos >= st.queue.length) st.qpos = Math.max(0, st.queue.length - 1);
  const n = new Set(st.queue.map((e) => e.doc)).size;
  $("summary").textContent = st.queue.length
    ? `${st.queue.length} beads to review in ${n} of ${st.docs.length} documents, riskiest first`
    : `nothing left to review in ${st.docs.length} documents`;
  renderQueue();
}

function pct(p) {
  return Math.round(p * 100) + "%";
}

function renderQueue() {
  const ol = $("queue");
  ol.replaceChildren();
  st.queue.forEach((e, i) => {
    const li = el("li", { "data-i": String(i) });
    if (!st.detached && i === st.qpos) li.classList.add("current");
    li.append(el("span", { class: "p", title: "probability that the bead is wrong" }, pct(e.p_wrong)));
    const where = el("span", { class: "where" });
    where.append(el("bdi", {}, e.doc), document.createTextNode(` · bead ${e.bead + 1}`));
    li.append(where, el("br"));
    for (const r of e.reasons) li.append(el("span", { class: "reason", title: r.text }, r.code));
    li.addEventListener("click", () => goQueue(i));
    ol.append(li);
  });
  const cur = ol.querySelector("li.current");
  if (cur) cur.scrollIntoView({ block: "nearest" });
}

function curBead() {
  if (!st.cur) return null;
  const d = st.cache.get(st.cur.doc);
  return d ? d.beads[st.cur.bead] : null;
}

// The selectable segments of a bead, in column order: [{lang, part, segment}].
function parts(bead) {
  const out = [];
  if (!bead) return out;
  for (const s of bead.sides) {
    s.texts.forEach((_, part) => {
      const seg = s.segments ? s.segments.start + (s.texts.length > 1 ? part : 0) : part;
      out.push({ lang: s.lang, part, segment: seg });
    });
  }
  return out;
}

function render() {
  renderQueue();
  const head = $("item-head");
  const table = $("beads");
  head.replaceChildren();
  table.replaceChildren();
  if (!st.cur) {
    head.append(el("p", {}, st.queue.length ? "" : "Nothing to review."));
    return;
  }
  const d = st.cache.get(st.cur.doc);
  const b = d.beads[st.cur.bead];
  const entry = st.queue.find((e) => e.doc === st.cur.doc && e.bead === st.cur.bead);
  head.append(el("span", { class: "doc" }), document.createTextNode(` · bead ${st.cur.bead + 1} of ${d.beads.length} · `));
  head.firstChild.append(el("bdi", {}, d.name));
  head.append(el("span", {}, `confidence ${pct(b.confidence)}`));
  if (b.pin) head.append(document.createTextNode(" · "), el("span", { class: "pin" }, `✓ ${b.pin}`));
  if (entry) {
    head.append(el("br"));
    for (const r of entry.reasons) {
      head.append(el("span", { class: "reason", title: r.code }, r.text));
    }
  }
  const hr = el("tr");
  hr.append(el("th", { class: "n" }, "#"));
  for (const l of d.langs) hr.append(el("th", RTL.has(l) ? { dir: "rtl", lang: l } : { lang: l }, l));
  table.append(el("thead"));
  table.firstChild.append(hr);
  const tb = el("tbody");
  const lo = Math.max(0, st.cur.bead - CONTEXT);
  const hi = Math.min(d.beads.length, st.cur.bead + CONTEXT + 1);
  for (let i = lo; i < hi; i++) {
    const bead = d.beads[i];
    const tr = el("tr", { "data-bead": String(i) });
    if (i === st.cur.bead) tr.classList.add("current");
    if (st.changed && st.changed.doc === d.name && i >= st.changed.start && i < st.changed.end) tr.classList.add("changed");
    const n = el("td", { class: "n" }, String(i + 1));
    n.append(el("span", { class: "conf" }, pct(bead.confidence)));
    if (bead.pin) n.append(el("span", { class: "pin", title: bead.pin }, "✓"));
    tr.append(n);
    for (const l of d.langs) {
      const side = bead.sides.find((s) => s.lang === l);
      const attrs = RTL.has(l) ? { dir: "rtl", lang: l } : { dir: "ltr", lang: l };
      const td = el("td", attrs);
      if (!side || side.texts.length === 0) td.classList.add("empty");
      else
        side.texts.forEach((t, part) => {
          const span = el("span", { class: "seg", "data-lang": l, "data-part": String(part), dir: attrs.dir }, t);
          if (i === st.cur.bead && st.sel && st.sel.lang === l && st.sel.part === part) span.classList.add("selected");
          span.addEventListener("click", () => {
            if (st.cur.bead !== i) setCursor(d.name, i, true);
            st.sel = { lang: l, part };
            render();
          });
          td.append(span);
        });
      tr.append(td);
    }
    tr.addEventListener("click", (ev) => {
      if (ev.target.closest(".seg")) return;
      setCursor(d.name, i, true);
      render();
    });
    tb.append(tr);
  }
  table.append(tb);
}

function setCursor(doc, bead, detached) {
  const same = st.cur && st.cur.doc === doc && st.cur.bead === bead;
  st.cur = { doc, bead };
  st.detached = detached;
  if (!same || !st.sel) {
    const p = parts(curBead());
    st.sel = p.length ? { lang: p[0].lang, part: p[0].part } : null;
  }
}

async function goQueue(i) {
  if (!st.queue.length) {
    st.cur = null;
    render();
    return;
  }
  st.qpos = Math.min(Math.max(0, i), st.queue.length - 1);
  const e = st.queue[st.qpos];
  const nav = ++st.nav; // a later key press wins over a document still loading
  st.loading++;
  try {
    await loadDoc(e.doc);
  } catch (err) {
    say(err.message, true);
    return;
  } finally {
    st.loading--;
  }
  if (nav !== st.nav) return;
  setCursor(e.doc, e.bead, false);
  render();
}

function step(delta) {
  if (st.detached) {
    // after an edit the queue has moved on: the entry at qpos is the next one
    st.detached = false;
    return goQueue(delta > 0 ? st.qpos : st.qpos - 1);
  }
  return goQueue(st.qpos + delta);
}

function moveInDoc(delta) {
  if (!st.cur) return;
  const d = st.cache.get(st.cur.doc);
  const j = Math.min(Math.max(0, st.cur.bead + delta), d.beads.length - 1);
  setCursor(st.cur.doc, j, true);
  render();
}

function cycleSegment(delta) {
  const p = parts(curBead());
  if (!p.length) return;
  let k = p.findIndex((x) => st.sel && x.lang === st.sel.lang && x.part === st.sel.part);
  k = (k + delta + p.length) % p.length;
  st.sel = { lang: p[k].lang, part: p[k].part };
  render();
}

function selected() {
  return parts(curBead()).find((x) => st.sel && x.lang === st.sel.lang && x.part === st.sel.part);
}

// Remembers the caret when it is inside a segment of the current bead (UTF-8 byte offset).
document.addEventListener("selectionchange", () => {
  const s = document.getSelection();
  if (!s || !s.anchorNode || !st.cur) return;
  const seg = s.anchorNode.parentElement && s.anchorNode.parentElement.closest(".seg");
  const tr = seg && seg.closest("tr");
  if (!seg || !tr || Number(tr.dataset.bead) !== st.cur.bead) return;
  const text = seg.textContent.slice(0, s.anchorOffset);
  st.caret = {
    doc: st.cur.doc,
    bead: st.cur.bead,
    lang: seg.dataset.lang,
    part: Number(seg.dataset.part),
    offset: new TextEncoder().encode(text).length,
  };
});

function editFor(op) {
  const b = st.cur && st.cur.bead;
  const sel = selected();
  switch (op) {
    case "move_up":
    case "move_down":
    case "one_sided":
      if (!sel) throw new Error("select a segment first (h/l or a click)");
      return { op, lang: sel.lang, segment: sel.segment };
    case "merge":
      return { op, first: b, last: b + 1 };
    case "split": {
      const c = st.caret;
      if (!c || c.doc !== st.cur.doc || c.bead !== b) throw new Error("click in the text of the current bead where it should be cut, then press s");
      return { op, bead: b, lang: c.lang, part: c.part, offset: c.offset };
    }
    case "confirm":
    case "confirm_all_above":
      return { op, bead: b };
    case "undo":
      return { op };
  }
  throw new Error("unknown operation " + op);
}

async function run(op) {
  if (st.busy || !st.cur) return;
  let edit;
  try {
    edit = editFor(op);
  } catch (err) {
    say(err.message, true);
    return;
  }
  st.busy = true;
  say("saving…");
  const doc = st.cur.doc;
  try {
    const r = await api("/api/edit", { doc, edit });
    const d = st.cache.get(doc);
    d.beads = r.beads;
    st.changed = { doc, start: r.changed.start, end: Math.max(r.changed.end, r.changed.start + 1) };
    // the cursor stays on the bead edited; the re-aligned stretch is highlighted around it
    const at = Math.min(st.cur.bead, d.beads.length - 1);
    st.sel = null;
    setCursor(doc, Math.max(0, at), true);
    await loadQueue();
    let msg = `saved: ${op.replace(/_/g, " ")}; beads ${st.changed.start + 1}–${st.changed.end} re-aligned`;
    if (r.stale && r.stale.length) msg += `; ${r.stale.length} earlier correction(s) no longer apply`;
    say(msg);
    render();
  } catch (err) {
    say(err.message, true);
  } finally {
    st.busy = false;
  }
}

const KEYS = {
  j: () => step(1),
  ArrowDown: () => step(1),
  k: () => step(-1),
  ArrowUp: () => step(-1),
  J: () => moveInDoc(1),
  K: () => moveInDoc(-1),
  h: () => cycleSegment(-1),
  ArrowLeft: () => cycleSegment(-1),
  l: () => cycleSegment(1),
  ArrowRight: () => cycleSegment(1),
  u: () => run("move_up"),
  d: () => run("move_down"),
  m: () => run("merge"),
  s: () => run("split"),
  o: () => run("one_sided"),
  c: () => run("confirm"),
  a: () => run("confirm_all_above"),
  z: () => run("undo"),
  "?": () => $("help").open ? $("help").close() : $("help").showModal(),
};

document.addEventListener("keydown", (ev) => {
  if (ev.altKey || ev.metaKey || (ev.ctrlKey && ev.key !== "z")) return;
  if (ev.target.closest && ev.target.closest("input, textarea, select")) return;
  const f = ev.ctrlKey ? KEYS.z : KEYS[ev.key];
  if (!f) return;
  ev.preventDefault();
  f();
});

async function start() {
  const params = new URLSearchParams(location.search);
  if (params.has("token")) {
    st.token = params.get("token");
    sessionStorage.setItem("qantara-token", st.token);
    // the cookie set with this page carries the token from now on; keep it out of the address bar
    history.replaceState(null, "", "/");
  } else {
    st.token = sessionStorage.getItem("qantara-token");
  }
  for (const b of document.querySelectorAll("#toolbar button")) b.addEventListener("click", () => run(b.dataset.op));
  $("help-button").addEventListener("click", () => $("help").showModal());
  try {
    await loadQueue();
    await goQueue(0);
    document.body.dataset.ready = "1";
  } catch (err) {
    $("summary").textContent = "";
    say(err.message, true);
  }
}

start();
