//! The plan of an incident.io sync and the cursor that carries it across runs.
//!
//! incident.io's incident list filters on `created_at` and `updated_at` and pages with an
//! `after` cursor. A first sync walks the incidents created in the last 180 days; every later
//! one walks the incidents *updated* since the last one finished, which brings the new incidents
//! and the changes to known ones in one walk. The date filters are given as whole days
//! (`updated_at[gte]=2026-03-01`, which the API compares with the day's start), so a later sync
//! re-reads up to a day of incidents it already has: an unchanged incident changes nothing, so
//! that costs requests, never correctness, and it holds whether the API reads the value as a
//! date or as an instant.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// How far back the first sync of a source reaches.
pub fn initial_lookback() -> Duration {
    Duration::days(180)
}

/// How far a later sync reaches back before the end of the last one, so an incident changed
/// while the last one ran is not missed.
pub fn overlap() -> Duration {
    Duration::minutes(5)
}

/// The date an incident list is filtered on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateField {
    /// Incidents created on or after the day: a first sync, or one given `--since`.
    CreatedAt,
    /// Incidents changed on or after the day: every later sync.
    UpdatedAt,
}

impl DateField {
    /// The query parameter of the filter.
    pub fn param(self) -> &'static str {
        match self {
            DateField::CreatedAt => "created_at[gte]",
            DateField::UpdatedAt => "updated_at[gte]",
        }
    }
}

/// What the source remembers between syncs, as JSON in `sources.sync_cursor`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Cursor {
    /// Every change up to this instant is stored: the start of the last walk of changes that
    /// finished.
    #[serde(default)]
    pub synced_until: Option<DateTime<Utc>>,
    /// The walk in progress, when one was stopped before it finished.
    #[serde(default)]
    pub run: Option<RunPlan>,
}

impl Cursor {
    /// The cursor to store after a page: the walk's state, or, once it is done, the instant
    /// everything is synced up to. A walk by creation date that was asked for (`--since`) on a
    /// source synced before leaves that instant alone: it did not read the changes to older
    /// incidents, so the next sync must.
    pub fn after(plan: &RunPlan, done: bool, synced_until_before: Option<DateTime<Utc>>) -> Cursor {
        if !done {
            return Cursor {
                synced_until: synced_until_before,
                run: Some(plan.clone()),
            };
        }
        Cursor {
            synced_until: if plan.reads_all_changes {
                Some(plan.until)
            } else {
                synced_until_before
            },
            run: None,
        }
    }
}

/// One walk's progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunPlan {
    /// The date filtered on.
    pub field: DateField,
    /// The first day of the filter.
    pub from: NaiveDate,
    /// "Now" when the walk started: what the source is synced up to once it is done.
    pub until: DateTime<Utc>,
    /// The `after` of the next page; `None` for the first.
    pub after: Option<String>,
    /// Records read so far, for progress.
    pub fetched: u64,
    /// Whether the walk reads every change since the last sync (the first sync, or one of
    /// changes), so that finishing it moves `synced_until`.
    pub reads_all_changes: bool,
}

impl RunPlan {
    /// The walk for a sync at `now`: by creation from `since_asked`, else by change since the
    /// last sync, else by creation over the last 180 days.
    pub fn start(
        since_asked: Option<DateTime<Utc>>,
        synced_until: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> RunPlan {
        let (field, from, reads_all_changes) = match (since_asked, synced_until) {
            (Some(since), before) => (DateField::CreatedAt, since, before.is_none()),
            (None, Some(last)) => (DateField::UpdatedAt, last - overlap(), true),
            (None, None) => (DateField::CreatedAt, now - initial_lookback(), true),
        };
        RunPlan {
            field,
            from: from.min(now).date_naive(),
            until: now,
            after: None,
            fetched: 0,
            reads_all_changes,
        }
    }

    /// How far the walk is, 0 to 1, from the records read and the total the server states.
    pub fn fraction(&self, total: Option<u64>) -> f64 {
        match total {
            Some(total) if total > 0 => (self.fetched as f64 / total as f64).min(1.0),
            _ => 0.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn at(day: u32, hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, day, hour, 0, 0).unwrap()
    }

    #[test]
    fn a_first_sync_walks_180_days_of_creations_and_a_later_one_the_changes() {
        let first = RunPlan::start(None, None, at(30, 12));
        assert_eq!(first.field, DateField::CreatedAt);
        assert_eq!(first.from, (at(30, 12) - initial_lookback()).date_naive());

        let later = RunPlan::start(None, Some(at(30, 0)), at(30, 12));
        assert_eq!(
            (later.field, later.from.to_string()),
            (DateField::UpdatedAt, "2026-03-29".into())
        );
    }

    #[test]
    fn a_finished_walk_moves_the_synced_instant_unless_it_was_an_asked_for_range() {
        let mut changes = RunPlan::start(None, Some(at(1, 0)), at(2, 0));
        changes.after = Some("x".into());
        assert_eq!(
            Cursor::after(&changes, false, Some(at(1, 0))).run.as_ref(),
            Some(&changes)
        );
        assert_eq!(
            Cursor::after(&changes, true, Some(at(1, 0))).synced_until,
            Some(at(2, 0))
        );

        let asked = RunPlan::start(Some(at(1, 0)), Some(at(1, 0)), at(2, 0));
        assert_eq!(
            Cursor::after(&asked, true, Some(at(1, 0))).synced_until,
            Some(at(1, 0))
        );
        let asked_first = RunPlan::start(Some(at(1, 0)), None, at(2, 0));
        assert_eq!(
            Cursor::after(&asked_first, true, None).synced_until,
            Some(at(2, 0))
        );
    }

    #[test]
    fn a_cursor_survives_a_round_trip() {
        let cursor = Cursor {
            synced_until: Some(at(1, 0)),
            run: Some(RunPlan::start(None, Some(at(1, 0)), at(2, 0))),
        };
        let text = crate::connectors::api::cursor_json(&cursor);
        assert_eq!(
            crate::connectors::api::parse_cursor::<Cursor>("t", Some(&text)),
            cursor
        );
    }
}
