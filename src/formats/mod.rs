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
//! * [`xml`] — the characters XML 1.0 forbids (refused by every reader, replaced and counted
//!   by every XML writer) and XML names.

pub mod beads;
pub mod csv;
pub mod omegat;
pub mod srx;
pub mod tbx;
pub mod tmx;
pub mod tsv;
pub mod xml;
