//! When each source syncs on its own: every source has an interval (five minutes unless the
//! person chose another), and is due once that long has passed since its last attempt, whether
//! that attempt succeeded or failed. A failing source is therefore retried at its interval, with
//! its error on show in between, rather than hammered: the HTTP client already spent its retry
//! budget inside the failed attempt.
//!
//! The app's scheduler asks [`due_sources`] on every tick and runs what it returns one after
//! the other, so one account's token never carries two syncs at once.

use chrono::{DateTime, Duration, Utc};
use vigil_core::{SourceId, SourceKind};

use crate::error::{EngineError, Result};
use crate::store::{SourceRecord, Store};

/// The source option that holds its interval, in whole minutes.
pub const INTERVAL_OPTION: &str = "sync_interval_minutes";

/// The interval of a source that has none of its own.
pub const DEFAULT_INTERVAL_MINUTES: u32 = 5;

/// The shortest interval accepted: vendors' rate limits are per minute, and a shorter one would
/// only queue syncs behind each other.
pub const MIN_INTERVAL_MINUTES: u32 = 1;

/// The longest interval accepted (a day).
pub const MAX_INTERVAL_MINUTES: u32 = 24 * 60;

/// A source's interval in minutes: its own when it has a usable one, else the default.
pub fn interval_minutes(source: &SourceRecord) -> u32 {
    source
        .options
        .get(INTERVAL_OPTION)
        .and_then(serde_json::Value::as_u64)
        .and_then(|m| u32::try_from(m).ok())
        .filter(|m| (MIN_INTERVAL_MINUTES..=MAX_INTERVAL_MINUTES).contains(m))
        .unwrap_or(DEFAULT_INTERVAL_MINUTES)
}

/// When the source is next due: one interval after its last attempt. `None` for a source that
/// never synced (due at once) and for the demo source, which has nothing to fetch; see
/// [`is_due`].
pub fn next_sync_at(source: &SourceRecord) -> Option<DateTime<Utc>> {
    if source.kind == SourceKind::Demo {
        return None;
    }
    let last_attempt = match (source.status.last_success_at, source.status.last_error_at) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }?;
    Some(last_attempt + Duration::minutes(i64::from(interval_minutes(source))))
}

/// Whether the scheduler should sync the source at `now`.
pub fn is_due(source: &SourceRecord, now: DateTime<Utc>) -> bool {
    source.kind != SourceKind::Demo && next_sync_at(source).is_none_or(|next| next <= now)
}

/// The sources due at `now`, longest overdue first (never-synced ones lead).
pub fn due_sources(store: &Store, now: DateTime<Utc>) -> Result<Vec<SourceRecord>> {
    let mut due: Vec<SourceRecord> = store
        .sources()?
        .into_iter()
        .filter(|s| is_due(s, now))
        .collect();
    due.sort_by_key(next_sync_at);
    Ok(due)
}

/// Sets a source's interval, refusing one outside the accepted range with the range in words.
pub fn set_interval(store: &mut Store, id: SourceId, minutes: u32) -> Result<SourceRecord> {
    if !(MIN_INTERVAL_MINUTES..=MAX_INTERVAL_MINUTES).contains(&minutes) {
        return Err(EngineError::BadInput(format!(
            "a sync interval of {minutes} minutes is not accepted: choose between \
             {MIN_INTERVAL_MINUTES} and {MAX_INTERVAL_MINUTES} minutes"
        )));
    }
    let mut options = store.source(id)?.options;
    options.insert(INTERVAL_OPTION.to_owned(), minutes.into());
    store.set_source_options(id, &options)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::store::SyncStatus;

    fn at(minute: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 4, 9, minute, 0).unwrap()
    }

    fn source(kind: SourceKind, status: SyncStatus, interval: Option<u64>) -> SourceRecord {
        let mut options = serde_json::Map::new();
        if let Some(minutes) = interval {
            options.insert(INTERVAL_OPTION.to_owned(), minutes.into());
        }
        SourceRecord {
            id: SourceId(crate::store::new_id()),
            kind,
            name: "PD".to_owned(),
            base_url: None,
            options,
            sync_cursor: None,
            status,
        }
    }

    fn synced(success: Option<u32>, error: Option<u32>) -> SyncStatus {
        SyncStatus {
            last_success_at: success.map(at),
            last_error_at: error.map(at),
            last_error: error.map(|_| "HTTP 500".to_owned()),
            last_fetched: 0,
        }
    }

    #[test]
    fn a_source_that_never_synced_is_due_at_once() {
        let never = source(SourceKind::PagerDuty, synced(None, None), None);
        assert_eq!(next_sync_at(&never), None);
        assert!(is_due(&never, at(0)));
    }

    #[test]
    fn a_source_is_due_one_interval_after_its_last_attempt_success_or_failure() {
        let ok = source(SourceKind::PagerDuty, synced(Some(10), None), None);
        assert_eq!(next_sync_at(&ok), Some(at(15)));
        assert!(!is_due(&ok, at(14)));
        assert!(is_due(&ok, at(15)));

        // A failure after the success counts from the failure.
        let failed = source(SourceKind::Opsgenie, synced(Some(10), Some(20)), Some(10));
        assert_eq!(next_sync_at(&failed), Some(at(30)));
    }

    #[test]
    fn an_unusable_interval_falls_back_to_five_minutes() {
        for bad in [0, 100_000] {
            let s = source(SourceKind::PagerDuty, synced(Some(0), None), Some(bad));
            assert_eq!(interval_minutes(&s), DEFAULT_INTERVAL_MINUTES, "{bad}");
        }
    }

    #[test]
    fn the_demo_source_is_never_due() {
        let demo = source(SourceKind::Demo, synced(None, None), None);
        assert!(!is_due(&demo, at(59)));
    }
}
