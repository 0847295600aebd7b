use qantara::align::anchors::*;
use qantara::lang::Lang;
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let lang: Lang = args[1].parse().unwrap();
    let text = &args[2];
    let ctx = DocContext::new([text.as_str()]);
    for a in anchors(text, lang, &ctx) { println!("{:?} {}", a.kind, a.key); }
}
