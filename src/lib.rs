//! qantara — a translation memory and institutional glossary for Arabic, French and English.
//!
//! The library mirrors the data flow, one module per stage:
//!
//! ```text
//! input ─► normalize ─► segment ─► align ─► tm (store, index, lookup)
//!              │                      └───► glossary (model, matcher, check)
//!              └──────────────────────────► formats (tmx, tbx, csv, srx) at the edges
//! ```
//!
//! * [`input`] decodes bytes from disk (UTF-8 with or without BOM, UTF-16 with BOM) and unifies
//!   line ends, so every later stage sees one `&str`.
//! * [`normalize`] computes lossy *matching keys* (folded Arabic orthography, no diacritics,
//!   lower case) beside the original text, with a byte map back into it.
//! * [`segment`] splits text into sentences; every [`segment::Segment`] is an exact slice.
//! * [`align`] pairs the sentences of two or three versions of a document.
//! * [`tm`] stores aligned units on disk and answers fuzzy lookups and concordance queries.
//! * [`glossary`] recognises institutional terms in any surface form and checks translations.
//! * [`formats`] reads and writes TMX, TBX, CSV, OmegaT and SRX.
//! * [`xml`] the characters XML 1.0 forbids and XML names, shared by the glossary's ids and
//!   every reader and writer of [`formats`].
//! * [`cli`] parses arguments and prints; no algorithm lives there.
#![deny(missing_docs)]

pub mod align;
pub mod cli;
pub mod error;
pub mod formats;
pub mod glossary;
pub mod input;
pub mod lang;
pub mod normalize;
pub mod segment;
pub mod serve;
pub mod span;
pub mod tm;
pub mod xml;

pub use error::{Error, Result};
pub use lang::Lang;
pub use span::Span;
