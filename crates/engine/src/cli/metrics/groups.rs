//! `vigil metrics --by service|team|urgency`: every KPI of the window, once per group.
//!
//! The groups are made from the same facts as the report, so a group's numbers add up to the
//! report's: incidents without a service (or team) form a group of their own, keyed `null`,
//! rather than vanishing from the breakdown.

use std::collections::BTreeMap;

use clap::ValueEnum;
use serde::Serialize;
use vigil_core::metrics::{IncidentFacts, IncidentKpis, MetricsRequest};

/// `--by`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ByArg {
    /// Per affected service.
    Service,
    /// Per owning team.
    Team,
    /// Per urgency.
    Urgency,
}

impl ByArg {
    /// The group an incident falls in; `None` where the vendor named no service or team.
    fn key_of(self, incident: &IncidentFacts) -> Option<&str> {
        match self {
            ByArg::Service => incident.service.as_deref(),
            ByArg::Team => incident.team.as_deref(),
            ByArg::Urgency => Some(incident.urgency.as_str()),
        }
    }
}

/// One group of `--by`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    /// The service, team or urgency; `None` for incidents that name none.
    pub key: Option<String>,
    /// Its KPIs over the request's window.
    pub kpis: IncidentKpis,
}

/// What `--by ... --json` prints: the request beside the groups, so the output says which window
/// and zone its numbers are for.
#[derive(Debug, Serialize)]
pub struct Breakdown<'a> {
    /// What was asked.
    pub request: &'a MetricsRequest,
    /// The dimension.
    pub by: ByArg,
    /// One entry per group with an incident in the window, ordered by key, `null` first.
    pub groups: Vec<Group>,
}

/// The KPIs of each group of `by` among the facts created in the request's window. A group
/// appears when it has an incident there, merged-away ones included (its tile then says how many
/// were set aside), so a service seen only in the previous window is not listed as a row of
/// zeros.
pub fn kpis_by(facts: &[IncidentFacts], request: &MetricsRequest, by: ByArg) -> Vec<Group> {
    let mut members: BTreeMap<Option<&str>, Vec<&IncidentFacts>> = BTreeMap::new();
    let inside = facts
        .iter()
        .filter(|f| request.window.contains(f.created_at) && request.filter.admits(f));
    for incident in inside {
        members
            .entry(by.key_of(incident))
            .or_default()
            .push(incident);
    }
    members
        .into_iter()
        .map(|(key, incidents)| Group {
            key: key.map(str::to_owned),
            kpis: IncidentKpis::over(incidents, request.window),
        })
        .collect()
}
