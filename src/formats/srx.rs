//! SRX (stub).
/// SRX doc.
#[derive(Debug, Default)]
pub struct Srx {}
/// Write.
pub fn write(_s: &Srx) -> String {
    String::new()
}
/// Read.
pub fn read_file(_p: &std::path::Path) -> anyhow::Result<Srx> {
    Ok(Srx {})
}
