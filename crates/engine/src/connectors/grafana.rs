//! Placeholder.
use crate::error::Result;
use crate::secrets::Token;
/// Placeholder.
#[derive(Debug)]
pub struct Grafana;
impl Grafana {
    /// Placeholder.
    pub fn new(_b: Option<&str>, _t: Token) -> Result<Self> {
        Ok(Grafana)
    }
}
impl super::Connector for Grafana {
    fn kind(&self) -> vigil_core::SourceKind {
        vigil_core::SourceKind::Grafana
    }
    fn sync(&mut self, _run: &mut crate::sync::SyncRun<'_>) -> Result<()> {
        Ok(())
    }
}
