//! Exchange formats at the edges of the pipeline: each file reads and/or writes one format.
//!
//! * [`srx`] — SRX 2.0 segmentation rules (OmegaT, Okapi, Trados).
//! * [`beads`] — alignment output: TSV, JSON lines and vecalign's bead notation.
//! * [`tmx`] — TMX 1.4b translation memories.
//! * [`tsv`] — tab/comma-separated translation memories with a language header.
//! * [`tbx`] — TBX v3 (TBX-Basic, DCA read and written, DCT read) and TBX v2 "martif"
//!   glossaries.
//! * [`csv`] — qantara's spreadsheet glossary format (long form, one row per term; wide
//!   form, one row per concept), separated by commas, semicolons or tabs.
//! * [`omegat`] — OmegaT's tab-separated glossary.
//! * [`pairs`] — translation pairs for `qantara check` from TMX or aligned TSV.
//! * [`glossary`] — glossary files: format guessing, reading any of the formats above into a
//!   [`crate::glossary::Glossary`], writing one, the built-in glossary and `--glossary` loading.
//!
//! The character rules of XML 1.0 that every reader and writer applies live in [`crate::xml`],
//! below both this module and the glossary (whose concept ids are XML names).
//!
//! Dependencies point one way: `formats` uses the pipeline's types (`align`, `glossary`,
//! `lang`), never the other way round, and `tm` uses `formats` to import and export memories.

pub mod beads;
pub mod csv;
pub mod glossary;
pub mod omegat;
pub mod pairs;
pub mod srx;
pub mod tbx;
pub mod tmx;
pub mod tsv;
