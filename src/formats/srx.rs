//! SRX 2.0 segmentation rules: read and write (LISA/GALA "Segmentation Rules eXchange").
//!
//! An SRX file holds named *language rules* (ordered lists of `<rule break="yes|no">` with a
//! `<beforebreak>` and an `<afterbreak>` regular expression) and *map rules* (ordered
//! `<languagemap languagepattern="fr.*" languagerulename="French"/>`) that pick the language
//! rules for a language code. With `cascade="yes"` in the header every matching map
//! contributes its rules, in map order; otherwise only the first matching map does. The rules
//! are applied by [`crate::segment::srx::SrxSegmenter`].
//!
//! This module only moves data: [`read`] parses (with quick-xml) into an [`Srx`] value keeping
//! the line and column of every rule, so that a bad regular expression can be reported where
//! it is written; [`write()`] serialises an [`Srx`] back. `write` then `read` is the identity.
//! Regexes are not compiled here. Format handles and other header elements are ignored on read
//! (qantara segments plain text, with no inline codes).

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The SRX 2.0 namespace.
pub const NAMESPACE: &str = "http://www.lisa.org/srx20";

pub use crate::segment::srx::{LanguageMap, LanguageRules, Pos, Rule, Srx};

/// Errors reading SRX files.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file could not be read or decoded.
    #[error(transparent)]
    Input(#[from] crate::error::Error),
    /// The file is not well-formed XML, or not SRX.
    #[error("{path}:{line}:{column}: {msg}")]
    Syntax {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong and what to do.
        msg: String,
    },
}

/// Reads an SRX file (UTF-8 or UTF-16 with BOM).
pub fn read_file(path: &Path) -> Result<Srx, Error> {
    let text = crate::input::read_text(path)?;
    read(&text, path)
}

/// Reads an SRX 2.0 file and compiles the rules it maps to `lang` into a segmenter; errors
/// name the file, line and column.
pub fn segmenter_from_file(
    path: &Path,
    lang: crate::lang::Lang,
) -> Result<crate::segment::Segmenter, LoadError> {
    let doc = read_file(path)?;
    Ok(crate::segment::Segmenter::srx(crate::segment::srx::SrxSegmenter::new(&doc, lang)?))
}

/// Errors of [`segmenter_from_file`]: the file, or its rules.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The SRX file could not be read or parsed.
    #[error(transparent)]
    Read(#[from] Error),
    /// Its rules do not compile for the language.
    #[error(transparent)]
    Rules(#[from] crate::segment::srx::Error),
}

/// Parses SRX from `xml`; `path` names the source in error messages.
pub fn read(xml: &str, path: &Path) -> Result<Srx, Error> {
    let err = |offset: usize, msg: String| {
        let (line, column) = crate::xml::LineCols::new(xml).at(offset);
        Error::Syntax { path: path.to_path_buf(), line, column, msg }
    };
    let mut reader = Reader::from_str(xml);
    let mut srx = Srx { source: path.to_path_buf(), ..Srx::default() };
    let mut seen_root = false;
    // The element stack (local names) and the text being collected for before/afterbreak.
    let mut stack: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut current_rules: Option<LanguageRules> = None;
    let mut current_rule: Option<Rule> = None;
    let mut lc = crate::xml::LineCols::new(xml);
    loop {
        let start = reader.buffer_position() as usize;
        let event = reader
            .read_event()
            .map_err(|e| err(reader.error_position() as usize, format!("not well-formed XML: {e}")))?;
        let pos = {
            let (line, column) = lc.at(start);
            Pos { line, column }
        };
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                let name = local_name(e);
                match name.as_str() {
                    "srx" => {
                        seen_root = true;
                        if let Some(v) = attr(e, "version").map_err(|m| err(start, m))? {
                            if !v.starts_with('2') {
                                return Err(err(
                                    start,
                                    format!("SRX version {v} is not supported; qantara reads SRX 2.0"),
                                ));
                            }
                        }
                    }
                    "header" => {
                        srx.cascade =
                            attr(e, "cascade").map_err(|m| err(start, m))?.as_deref() == Some("yes");
                    }
                    "languagerule" => {
                        let name =
                            attr(e, "languagerulename").map_err(|m| err(start, m))?.ok_or_else(|| {
                                err(start, "<languagerule> needs a languagerulename attribute".into())
                            })?;
                        let rules = LanguageRules { name, rules: Vec::new() };
                        if empty {
                            srx.language_rules.push(rules);
                        } else {
                            current_rules = Some(rules);
                        }
                    }
                    "rule" => {
                        if current_rules.is_none() {
                            return Err(err(start, "<rule> outside a <languagerule>".into()));
                        }
                        let is_break = match attr(e, "break").map_err(|m| err(start, m))?.as_deref() {
                            None | Some("yes") => true,
                            Some("no") => false,
                            Some(v) => {
                                return Err(err(
                                    start,
                                    format!("break=\"{v}\": write break=\"yes\" or \"no\""),
                                ));
                            }
                        };
                        let rule = Rule { is_break, before: String::new(), after: String::new(), pos };
                        if empty {
                            if let Some(r) = current_rules.as_mut() {
                                r.rules.push(rule);
                            }
                        } else {
                            current_rule = Some(rule);
                        }
                    }
                    "beforebreak" | "afterbreak" => {
                        if current_rule.is_none() {
                            return Err(err(start, format!("<{name}> outside a <rule>")));
                        }
                        text.clear();
                    }
                    "languagemap" => {
                        let pattern = attr(e, "languagepattern").map_err(|m| err(start, m))?;
                        let rule_name = attr(e, "languagerulename").map_err(|m| err(start, m))?;
                        let (Some(pattern), Some(rule_name)) = (pattern, rule_name) else {
                            return Err(err(
                                start,
                                "<languagemap> needs languagepattern and languagerulename attributes".into(),
                            ));
                        };
                        srx.maps.push(LanguageMap { pattern, rule_name, pos });
                    }
                    _ => {}
                }
                if !empty {
                    stack.push(name);
                }
            }
            Event::Text(e) => text.push_str(&e.xml10_content()),
            Event::CData(e) => text.push_str(&e.into_inner()),
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => c,
                    _ => match &*r {
                        "lt" => '<',
                        "gt" => '>',
                        "amp" => '&',
                        "apos" => '\'',
                        "quot" => '"',
                        other => return Err(err(start, format!("unknown entity &{other};"))),
                    },
                };
                text.push(c);
            }
            Event::End(_) => match stack.pop().unwrap_or_default().as_str() {
                "beforebreak" => {
                    if let Some(r) = current_rule.as_mut() {
                        r.before = std::mem::take(&mut text);
                    }
                }
                "afterbreak" => {
                    if let Some(r) = current_rule.as_mut() {
                        r.after = std::mem::take(&mut text);
                    }
                }
                "rule" => {
                    if let (Some(rules), Some(rule)) = (current_rules.as_mut(), current_rule.take()) {
                        rules.rules.push(rule);
                    }
                }
                "languagerule" => srx.language_rules.extend(current_rules.take()),
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    if !seen_root {
        return Err(err(0, "no <srx> element: this is not an SRX file".into()));
    }
    for m in &srx.maps {
        if !srx.language_rules.iter().any(|r| r.name == m.rule_name) {
            let (line, column) = (m.pos.line, m.pos.column);
            return Err(Error::Syntax {
                path: path.to_path_buf(),
                line,
                column,
                msg: format!(
                    "<languagemap> names languagerulename=\"{}\", which no <languagerule> defines",
                    m.rule_name
                ),
            });
        }
    }
    Ok(srx)
}

/// Writes `srx` as an SRX 2.0 document.
pub fn write(srx: &Srx) -> String {
    let mut s = String::new();
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(s, "<srx xmlns=\"{NAMESPACE}\" version=\"2.0\">");
    let cascade = if srx.cascade { "yes" } else { "no" };
    let _ = writeln!(s, "  <header segmentsubflows=\"yes\" cascade=\"{cascade}\"/>");
    s.push_str("  <body>\n    <languagerules>\n");
    for lr in &srx.language_rules {
        let _ = writeln!(s, "      <languagerule languagerulename=\"{}\">", escape(&lr.name));
        for r in &lr.rules {
            let _ = writeln!(s, "        <rule break=\"{}\">", if r.is_break { "yes" } else { "no" });
            let _ = writeln!(s, "          <beforebreak>{}</beforebreak>", escape(&r.before));
            let _ = writeln!(s, "          <afterbreak>{}</afterbreak>", escape(&r.after));
            s.push_str("        </rule>\n");
        }
        s.push_str("      </languagerule>\n");
    }
    s.push_str("    </languagerules>\n    <maprules>\n");
    for m in &srx.maps {
        let _ = writeln!(
            s,
            "      <languagemap languagepattern=\"{}\" languagerulename=\"{}\"/>",
            escape(&m.pattern),
            escape(&m.rule_name)
        );
    }
    s.push_str("    </maprules>\n  </body>\n</srx>\n");
    s
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            // Keep every character visible: whitespace would be normalised by XML tools.
            '\u{a0}' => out.push_str("&#xA0;"),
            '\u{202f}' => out.push_str("&#x202F;"),
            '\t' => out.push_str("&#x9;"),
            '\n' => out.push_str("&#xA;"),
            _ => out.push(c),
        }
    }
    out
}

fn local_name(e: &BytesStart<'_>) -> String {
    e.local_name().as_ref().to_string()
}

fn attr(e: &BytesStart<'_>, name: &str) -> Result<Option<String>, String> {
    for a in e.attributes() {
        let a = a.map_err(|e| format!("bad attribute: {e}"))?;
        if a.key.local_name().as_ref() == name {
            let v = a
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|e| format!("bad attribute {name}: {e}"))?;
            return Ok(Some(v.into_owned()));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<srx xmlns="http://www.lisa.org/srx20" version="2.0">
  <header segmentsubflows="yes" cascade="yes"><formathandle type="start" include="no"/></header>
  <body>
    <languagerules>
      <languagerule languagerulename="French">
        <rule break="no"><beforebreak>\bM\.</beforebreak><afterbreak>\s</afterbreak></rule>
      </languagerule>
      <languagerule languagerulename="Default">
        <rule><beforebreak>[.?!]+</beforebreak><afterbreak>\s&amp;&#x41;</afterbreak></rule>
        <rule break="no"><afterbreak><![CDATA[<x>]]></afterbreak></rule>
      </languagerule>
    </languagerules>
    <maprules>
      <languagemap languagepattern="fr.*" languagerulename="French"/>
      <languagemap languagepattern=".*" languagerulename="Default"/>
    </maprules>
  </body>
</srx>
"#;

    #[test]
    fn reads_rules_maps_entities_and_positions() {
        let srx = read(SAMPLE, Path::new("s.srx")).unwrap();
        assert!(srx.cascade);
        assert_eq!(srx.language_rules.len(), 2);
        let fr = &srx.language_rules[0];
        assert_eq!((fr.rules[0].is_break, fr.rules[0].before.as_str()), (false, r"\bM\."));
        assert_eq!(fr.rules[0].pos, Pos { line: 7, column: 9 });
        let def = &srx.language_rules[1];
        assert_eq!((def.rules[0].is_break, def.rules[0].after.as_str()), (true, r"\s&A"));
        assert_eq!((def.rules[1].before.as_str(), def.rules[1].after.as_str()), ("", "<x>"));
        assert_eq!(srx.maps[1].pattern, ".*");
    }

    #[test]
    fn okapi_header_extensions_and_samples_are_ignored() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<srx xmlns="http://www.lisa.org/srx20" xmlns:okpsrx="http://okapi.sf.net/srx-extensions" version="2.0">
<header segmentsubflows="yes" cascade="no">
<formathandle type="start" include="no"></formathandle>
<okpsrx:options oneSegmentIncludesAll="no" trimLeadingWhitespaces="no"/>
<okpsrx:sample language="fr" useMappedRules="yes">Un essai. &lt;B&gt;Deux&lt;/B&gt;</okpsrx:sample>
<okpsrx:rangeRule></okpsrx:rangeRule>
</header>
<body><languagerules><languagerule languagerulename="Lignes">
<rule break="yes"><beforebreak>\r?\n</beforebreak><afterbreak></afterbreak></rule>
</languagerule></languagerules>
<maprules><languagemap languagepattern=".*" languagerulename="Lignes"></languagemap></maprules></body></srx>"#;
        let srx = read(xml, Path::new("okapi.srx")).unwrap();
        assert!(!srx.cascade);
        let rule = &srx.language_rules[0].rules[0];
        assert_eq!((rule.before.as_str(), rule.after.as_str()), ("\\r?\\n", ""));
        assert_eq!(srx.maps.len(), 1);
    }

    #[test]
    fn write_then_read_is_the_identity() {
        let mut srx = read(SAMPLE, Path::new("s.srx")).unwrap();
        srx.language_rules[0].rules.push(Rule::new(true, "a\u{a0}\"<&>", "\t\n"));
        let back = read(&write(&srx), Path::new("w.srx")).unwrap();
        let strip = |s: &Srx| {
            let mut s = s.clone();
            s.source = PathBuf::new();
            s.language_rules.iter_mut().flat_map(|r| &mut r.rules).for_each(|r| r.pos = Pos::default());
            s.maps.iter_mut().for_each(|m| m.pos = Pos::default());
            s
        };
        assert_eq!(strip(&back), strip(&srx));
    }

    #[test]
    fn errors_name_file_line_and_column() {
        let bad = "<srx version=\"2.0\">\n  <body>\n    <rule break=\"maybe\"/>\n</body></srx>";
        let msg = read(bad, Path::new("bad.srx")).unwrap_err().to_string();
        assert!(msg.starts_with("bad.srx:3:5: "), "{msg}");
        let msg = read("<srx>\n<body></srx>", Path::new("x.srx")).unwrap_err().to_string();
        assert!(msg.starts_with("x.srx:2:"), "{msg}");
        let msg = read("<tmx/>", Path::new("t.srx")).unwrap_err().to_string();
        assert!(msg.contains("not an SRX file"), "{msg}");
    }
}
