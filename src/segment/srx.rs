//! SRX engine (in progress).

/// Compiled SRX rules for one language.
#[derive(Debug)]
pub struct SrxSegmenter {}

impl SrxSegmenter {
    /// Break positions in `line`.
    pub fn line_breaks(&self, _line: &str, _out: &mut Vec<usize>) {}
}
impl SrxSegmenter {
    /// New.
    pub fn new(_d: &crate::formats::srx::Srx, _l: crate::lang::Lang) -> anyhow::Result<Self> {
        Ok(SrxSegmenter {})
    }
}
/// Builtin.
pub fn builtin_srx() -> crate::formats::srx::Srx {
    Default::default()
}
