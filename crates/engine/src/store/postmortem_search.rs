//! Full-text search over postmortems and incidents with SQLite's FTS5.
//!
//! Incidents are indexed by triggers (schema v5); a postmortem's row is rewritten in the
//! transaction of each of its saves. The user's words are quoted before they reach FTS5, so
//! punctuation and FTS5's own operators in a search box are searched for, never interpreted;
//! every word must match (a prefix of a word matches too, for search-as-you-type).

use rusqlite::{params, Transaction};
use serde::{Deserialize, Serialize};
use vigil_core::postmortem::PostmortemId;

use super::Store;
use crate::postmortem::PostmortemResult;

/// What a search hit is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SearchHitKind {
    /// A postmortem.
    Postmortem,
    /// An incident from the cache.
    Incident,
}

/// One search result.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    /// Postmortem or incident.
    pub kind: SearchHitKind,
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// The matched text around the words, with the words in `[` `]`.
    pub snippet: String,
    /// FTS5's bm25 rank: lower is a better match.
    pub rank: f64,
}

impl Store {
    /// Finds postmortems and incidents containing every word of `text`, best matches first.
    pub fn search(&self, text: &str, limit: usize) -> PostmortemResult<Vec<SearchHit>> {
        let Some(query) = fts_query(text) else {
            return Ok(Vec::new());
        };
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut stmt = self.conn.prepare(
            "SELECT 'postmortem', postmortem_id, title,
                    snippet(postmortem_search, -1, '[', ']', '...', 12), bm25(postmortem_search)
             FROM postmortem_search WHERE postmortem_search MATCH ?1
             UNION ALL
             SELECT 'incident', incident_id, title,
                    snippet(incident_search, -1, '[', ']', '...', 12), bm25(incident_search)
             FROM incident_search WHERE incident_search MATCH ?1
             ORDER BY 5, 2 LIMIT ?2",
        )?;
        let hits = stmt
            .query_map(params![query, limit], |r| {
                let kind: String = r.get(0)?;
                Ok(SearchHit {
                    kind: if kind == "postmortem" {
                        SearchHitKind::Postmortem
                    } else {
                        SearchHitKind::Incident
                    },
                    id: r.get(1)?,
                    title: r.get(2)?,
                    snippet: r.get(3)?,
                    rank: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(hits)
    }
}

/// Each word as a quoted FTS5 string with a prefix star; `None` when there is no word.
fn fts_query(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split_whitespace()
        .map(|w| format!("\"{}\"*", w.replace('"', "\"\"")))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// Rewrites a postmortem's search row from what is stored now.
pub(super) fn reindex_tx(tx: &Transaction<'_>, id: PostmortemId) -> PostmortemResult<()> {
    let id = id.to_string();
    tx.execute(
        "DELETE FROM postmortem_search WHERE postmortem_id = ?1",
        [&id],
    )?;
    tx.execute(
        "INSERT INTO postmortem_search (postmortem_id, title, body)
         SELECT p.id, p.title,
                coalesce((SELECT group_concat(s.title || char(10) || s.body, char(10))
                          FROM postmortem_sections s WHERE s.postmortem_id = p.id), '')
                || char(10) ||
                coalesce((SELECT group_concat(coalesce(t.annotation, ''), char(10))
                          FROM postmortem_timeline t WHERE t.postmortem_id = p.id), '')
                || char(10) ||
                coalesce((SELECT group_concat(a.description, char(10))
                          FROM postmortem_actions a WHERE a.postmortem_id = p.id), '')
         FROM postmortems p WHERE p.id = ?1",
        [&id],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_words_are_quoted_so_operators_are_searched_for() {
        assert_eq!(
            fts_query("disk OR \"full"),
            Some("\"disk\"* \"OR\"* \"\"\"full\"*".into())
        );
        assert_eq!(fts_query("   "), None);
    }
}
