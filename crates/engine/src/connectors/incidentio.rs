//! Placeholder.
use crate::error::Result;
use crate::secrets::Token;
/// Placeholder.
#[derive(Debug)]
pub struct IncidentIo;
impl IncidentIo {
    /// Placeholder.
    pub fn new(_b: Option<&str>, _t: Token) -> Result<Self> {
        Ok(IncidentIo)
    }
}
impl super::Connector for IncidentIo {
    fn kind(&self) -> vigil_core::SourceKind {
        vigil_core::SourceKind::IncidentIo
    }
    fn sync(&mut self, _run: &mut crate::sync::SyncRun<'_>) -> Result<()> {
        Ok(())
    }
}
