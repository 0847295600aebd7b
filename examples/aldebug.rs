use qantara::align::{cost::{Model, Params, SHAPES}, *};
use qantara::lang::Lang;
fn parse(l: &str) -> (Vec<usize>, Vec<usize>) {
    let (a, b) = l.split_once(':').unwrap();
    let f = |x: &str| x.trim_matches(|c| c == '[' || c == ']').split(',').filter(|s| !s.is_empty()).map(|s| s.parse().unwrap()).collect();
    (f(a), f(b))
}
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let d = &args[1];
    let la: Lang = args[2].parse().unwrap();
    let lb: Lang = args[3].parse().unwrap();
    let st = std::fs::read_to_string(format!("{d}/src.txt")).unwrap();
    let tt = std::fs::read_to_string(format!("{d}/tgt.txt")).unwrap();
    let sides = [Side::from_lines(&st, la), Side::from_lines(&tt, lb)];
    let opts = AlignOptions::default();
    let (ua, ub) = debug_units(&sides, &opts);
    let total = |u: &[cost::Unit]| u.iter().map(|x| x.len as f64).sum::<f64>();
    let params = Params::new(total(&ua), total(&ub));
    let model = Model::new(&ua, &ub, params);
    for (name, file) in [("gold", format!("{d}/gold.beads")), ("pred", args[4].clone())] {
        let mut tot = 0.0;
        println!("== {name}");
        for l in std::fs::read_to_string(file).unwrap().lines() {
            let (a, b) = parse(l);
            let i = if a.is_empty() { None } else { Some(a[a.len()-1]+1) };
            let j = if b.is_empty() { None } else { Some(b[b.len()-1]+1) };
            let (k, ll) = (a.len(), b.len());
            let s = SHAPES.iter().position(|&x| x == (k, ll)).unwrap();
            // end positions: need prefix counts; compute from neighbors
            let i = i.unwrap_or_else(|| 0); let j = j.unwrap_or(0);
            let _ = (i, j);
            let ie = if a.is_empty() { 0 } else { a[a.len()-1]+1 };
            let je = if b.is_empty() { 0 } else { b[b.len()-1]+1 };
            if a.is_empty() || b.is_empty() { println!("{l}\tone-sided"); tot += model.params.prior[s]; continue; }
            let c = model.cost(s, ie, je);
            let la = model.chars_a(ie-k..ie); let lb = model.chars_b(je-ll..je);
            let sh = cost::shared(&ua[ie-k..ie], &ub[je-ll..je]);
            println!("{l}\t{c:.2}\tlen {la}/{lb} x={:.2}\tlex {sh:.2}", Params::log_ratio(la, lb) - model.params.mu);
            tot += c;
        }
        println!("total {tot:.2}");
    }
}
#[allow(dead_code)]
fn dummy() {}
