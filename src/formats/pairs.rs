//! Translation pairs for `qantara check` from a TMX or an aligned TSV memory: the two
//! languages asked for, in file order, each pair named by where it came from.

use crate::glossary::check::Pair;
use crate::lang::Lang;

/// Reads pairs from a TMX memory: one pair per translation unit that has both languages
/// (units missing one of them are skipped), in file order; the origin is the unit's `tuid`
/// when it has one.
pub fn pairs_from_tmx(
    input: impl std::io::BufRead,
    src_lang: Lang,
    tgt_lang: Lang,
    name: &str,
) -> Result<Vec<Pair>, super::tmx::Error> {
    let mut reader = super::tmx::Reader::new(input);
    let mut pairs = Vec::new();
    let mut n = 0;
    while let Some(unit) = reader.next_unit()? {
        n += 1;
        if let (Some(s), Some(t)) = (unit.text(src_lang), unit.text(tgt_lang)) {
            let id =
                unit.prop(super::tmx::ATTR_TUID).map_or_else(|| format!("unit {n}"), |t| format!("tu {t}"));
            pairs.push(Pair { src: s.to_string(), tgt: t.to_string(), origin: format!("{name}: {id}") });
        }
    }
    Ok(pairs)
}

/// Pairs from aligned TSV: with a header naming languages, the `src_lang` and `tgt_lang`
/// columns (an error naming the header's languages when one is missing: checking other columns
/// would pass as clean); without, the first two columns. Fields are unescaped as qantara's TSV
/// writer escapes them (`\t`, `\n`, `\\`).
pub fn pairs_from_tsv(
    text: &str,
    src_lang: Lang,
    tgt_lang: Lang,
    name: &str,
) -> Result<Vec<Pair>, crate::glossary::Error> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut lines = text.lines().enumerate().peekable();
    let (mut si, mut ti) = (0, 1);
    if let Some((_, first)) = lines.peek() {
        let langs: Vec<Option<Lang>> = first.split('\t').map(|c| c.trim().parse().ok()).collect();
        if langs.iter().any(Option::is_some) {
            let column = |lang: Lang| langs.iter().position(|l| *l == Some(lang));
            match (column(src_lang), column(tgt_lang)) {
                (Some(s), Some(t)) => (si, ti) = (s, t),
                _ => {
                    let named: Vec<String> = langs.iter().flatten().map(Lang::to_string).collect();
                    return Err(crate::glossary::Error::Format {
                        path: name.into(),
                        msg: format!(
                            "line 1: the header names {}, and --langs asks for {src_lang},{tgt_lang}; \
                             give --langs with two of the header's languages",
                            named.join(", ")
                        ),
                    });
                }
            }
            lines.next();
        }
    }
    Ok(lines
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            let cols: Vec<&str> = l.split('\t').collect();
            let field = |k: usize| super::tsv::unescape(cols.get(k).unwrap_or(&""));
            Pair { src: field(si), tgt: field(ti), origin: format!("{name}:{}", i + 1) }
        })
        .collect())
}
