//! Markdown back into a postmortem: a document edited outside Vigil (or an export) updates the
//! sections it names, each through the same audited save as the editor's.

use vigil_core::postmortem::{parse_markdown, PostmortemId};

use super::{PostmortemError, PostmortemResult};
use crate::store::Store;

/// Saves each section of `markdown` whose key the postmortem has; returns how many changed.
/// A section the postmortem lacks is refused before anything is saved, so an import never stops
/// half way because of a stray heading.
pub fn import_markdown(
    store: &mut Store,
    id: PostmortemId,
    markdown: &str,
    who: &str,
) -> PostmortemResult<usize> {
    let doc = parse_markdown(markdown);
    let known = store.postmortem(id)?.sections;
    if let Some(s) = doc
        .sections
        .iter()
        .find(|s| !known.iter().any(|k| k.key == s.key))
    {
        return Err(PostmortemError::BadInput(format!(
            "the file has a section {:?} (key {}) that this postmortem does not; rename its \
             heading to one of the postmortem's or remove it",
            s.title, s.key
        )));
    }
    let mut changed = 0;
    for s in &doc.sections {
        if store.save_postmortem_section(id, &s.key, &s.body, who)? {
            changed += 1;
        }
    }
    if !doc.title.is_empty() {
        store.set_postmortem_title(id, &doc.title, who)?;
    }
    Ok(changed)
}
