//! How many incidents there were, and how they split by service, team, urgency and source.
//!
//! The numbers beside the durations: how many incidents a window holds, how many are still
//! open or were never acknowledged (the ones the durations leave out, so a reader sees what is
//! missing), and how many merged-away incidents were set aside.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::metrics::facts::{counted, IncidentFacts};

/// What incidents are grouped by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Dimension {
    /// The affected service.
    Service,
    /// The owning team.
    Team,
    /// Normalised urgency.
    Urgency,
    /// The configured source.
    Source,
}

impl Dimension {
    /// The group an incident falls in; `None` where the vendor left it unnamed.
    fn key_of(self, incident: &IncidentFacts) -> Option<String> {
        match self {
            Dimension::Service => incident.service.clone(),
            Dimension::Team => incident.team.clone(),
            Dimension::Urgency => Some(incident.urgency.as_str().to_owned()),
            Dimension::Source => Some(incident.source.clone()),
        }
    }
}

/// One group and its count.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    /// The group; `None` gathers incidents without one (kept apart rather than given a
    /// placeholder name a real service could have).
    pub key: Option<String>,
    /// Incidents in it.
    pub count: u32,
}

/// Incidents per group of `dimension`, merged-away ones left out, ordered by key with the
/// unnamed group first.
pub fn tally<'a, I>(facts: I, dimension: Dimension) -> Vec<Tally>
where
    I: IntoIterator<Item = &'a IncidentFacts>,
{
    let mut groups: BTreeMap<Option<String>, u32> = BTreeMap::new();
    for incident in counted(facts) {
        *groups.entry(dimension.key_of(incident)).or_default() += 1;
    }
    groups
        .into_iter()
        .map(|(key, count)| Tally { key, count })
        .collect()
}

/// The counts of one window.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentCounts {
    /// Incidents, merged-away ones left out, a reopened one once.
    pub incidents: u32,
    /// Of those, still without a resolution (left out of time to resolve).
    pub open: u32,
    /// Of those, never acknowledged, open or not (left out of time to acknowledge).
    pub unacknowledged: u32,
    /// Of those, reopened at least once.
    pub reopened: u32,
    /// Merged-away incidents set aside, so the UI can say how many were left out.
    pub merged_away: u32,
    /// Per affected service.
    pub by_service: Vec<Tally>,
    /// Per owning team.
    pub by_team: Vec<Tally>,
    /// Per urgency.
    pub by_urgency: Vec<Tally>,
    /// Per configured source.
    pub by_source: Vec<Tally>,
}

impl IncidentCounts {
    /// Counts the given incidents, whatever their creation time (select a window first).
    pub fn of<'a, I>(facts: I) -> Self
    where
        I: IntoIterator<Item = &'a IncidentFacts>,
    {
        let all: Vec<&IncidentFacts> = facts.into_iter().collect();
        let kept = || counted(all.iter().copied());
        let how_many = |keep: fn(&IncidentFacts) -> bool| {
            u32::try_from(kept().filter(|f| keep(f)).count()).unwrap_or(u32::MAX)
        };

        IncidentCounts {
            incidents: how_many(|_| true),
            open: how_many(IncidentFacts::is_open),
            unacknowledged: how_many(|f| f.first_acknowledged_at.is_none()),
            reopened: how_many(|f| f.reopen_count > 0),
            merged_away: u32::try_from(all.iter().filter(|f| f.merged).count()).unwrap_or(u32::MAX),
            by_service: tally(all.iter().copied(), Dimension::Service),
            by_team: tally(all.iter().copied(), Dimension::Team),
            by_urgency: tally(all.iter().copied(), Dimension::Urgency),
            by_source: tally(all.iter().copied(), Dimension::Source),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::fixture;

    fn tallies(pairs: &[(Option<&str>, u32)]) -> Vec<Tally> {
        pairs
            .iter()
            .map(|&(k, count)| Tally {
                key: k.map(str::to_owned),
                count,
            })
            .collect()
    }

    #[test]
    fn the_fixture_counts_each_incident_once_and_sets_merged_ones_aside() {
        let counts = IncidentCounts::of(&fixture::incidents());

        assert_eq!(counts.incidents, 28, "30 less merged #8 and #24");
        assert_eq!(
            counts.open, 2,
            "#15 and #16; merged #24 is unresolved but not counted"
        );
        assert_eq!(counts.unacknowledged, 2, "#6 (resolved) and #16 (open)");
        assert_eq!(counts.reopened, 2, "#7 once, #21 twice: each one incident");
        assert_eq!(counts.merged_away, 2);
    }

    #[test]
    fn the_fixture_splits_by_service_team_urgency_and_source() {
        let counts = IncidentCounts::of(&fixture::incidents());

        // checkout: #1 2 5 6 9 10 12 13 16 17 19 20 22 25 27 30 = 16; search: #3 4 7 11 14 15
        // 18 21 23 28 29 = 11; #26 has no service or team: 16 + 11 + 1 = 28.
        let services = [(None, 1), (Some("checkout"), 16), (Some("search"), 11)];
        assert_eq!(counts.by_service, tallies(&services));
        let teams = [(None, 1), (Some("discovery"), 11), (Some("payments"), 16)];
        assert_eq!(counts.by_team, tallies(&teams));
        // low: #3 6 10 14 18 20 25 26 29 = 9; high: 28 - 9 = 19.
        assert_eq!(
            counts.by_urgency,
            tallies(&[(Some("high"), 19), (Some("low"), 9)])
        );
        // opsgenie: #5 14 25 26 = 4; pagerduty: 28 - 4 = 24.
        assert_eq!(
            counts.by_source,
            tallies(&[(Some("opsgenie"), 4), (Some("pagerduty"), 24)])
        );
    }

    #[test]
    fn a_tally_of_nothing_is_empty() {
        assert_eq!(tally([], Dimension::Service), vec![]);
    }
}
