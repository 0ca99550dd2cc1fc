//! Placeholder.
use crate::error::Result;
use crate::secrets::Token;
/// Placeholder.
#[derive(Debug)]
pub struct Statuspage;
impl Statuspage {
    /// Placeholder.
    pub fn new(_b: Option<&str>, _p: Option<&str>, _t: Token) -> Result<Self> {
        Ok(Statuspage)
    }
}
impl super::Connector for Statuspage {
    fn kind(&self) -> vigil_core::SourceKind {
        vigil_core::SourceKind::Statuspage
    }
    fn sync(&mut self, _run: &mut crate::sync::SyncRun<'_>) -> Result<()> {
        Ok(())
    }
}
/// Placeholder.
pub const PAGE_ID_OPTION: &str = "page_id";
