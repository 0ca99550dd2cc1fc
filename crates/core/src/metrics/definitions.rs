//! What each KPI means, in one line: the hover text of its tile.
//!
//! The definitions sit beside the code that computes the numbers, not in the UI, so that the
//! text and the arithmetic change in the same commit and every client shows the same words.

use serde::{Deserialize, Serialize};

/// A KPI Vigil shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kpi {
    /// Incidents per period.
    Incidents,
    /// Incidents still open.
    Open,
    /// Incidents never acknowledged.
    Unacknowledged,
    /// Mean time to acknowledge.
    Mtta,
    /// Mean time to detect.
    Mttd,
    /// Mean time to mitigate.
    Mttm,
    /// Mean time to resolve.
    Mttr,
    /// Mean time between failures.
    Mtbf,
    /// Interruptions per responder.
    Interruptions,
    /// Interruptions outside business hours.
    OutOfHours,
    /// Time a responder spent on incidents.
    Engaged,
}

impl Kpi {
    /// Every KPI, in the order the dashboard shows them.
    pub const ALL: [Kpi; 11] = [
        Kpi::Incidents,
        Kpi::Open,
        Kpi::Unacknowledged,
        Kpi::Mtta,
        Kpi::Mttd,
        Kpi::Mttm,
        Kpi::Mttr,
        Kpi::Mtbf,
        Kpi::Interruptions,
        Kpi::OutOfHours,
        Kpi::Engaged,
    ];

    /// The tile's short label.
    pub fn label(self) -> &'static str {
        match self {
            Kpi::Incidents => "Incidents",
            Kpi::Open => "Open",
            Kpi::Unacknowledged => "Never acknowledged",
            Kpi::Mtta => "MTTA",
            Kpi::Mttd => "MTTD",
            Kpi::Mttm => "MTTM",
            Kpi::Mttr => "MTTR",
            Kpi::Mtbf => "MTBF",
            Kpi::Interruptions => "Interruptions",
            Kpi::OutOfHours => "Out of hours",
            Kpi::Engaged => "Time engaged",
        }
    }

    /// One line saying which timestamps the KPI reads and what it leaves out.
    pub fn definition(self) -> &'static str {
        match self {
            Kpi::Incidents => {
                "Incidents created in the period (days, Monday-first weeks and months in the \
                 chosen time zone); merged-away incidents excluded, a reopened one counted once."
            }
            Kpi::Open => {
                "Incidents created in the period that have no resolution yet; merged-away \
                 incidents excluded. These are left out of MTTR."
            }
            Kpi::Unacknowledged => {
                "Incidents created in the period that were never acknowledged, open or resolved; \
                 merged-away incidents excluded. These are left out of MTTA."
            }
            Kpi::Mtta => {
                "Creation to first acknowledgement (kept through later unacknowledgements); \
                 never-acknowledged and merged-away incidents excluded."
            }
            Kpi::Mttd => {
                "Impact start to creation, only where the impact start was recorded; \
                 merged-away incidents excluded."
            }
            Kpi::Mttm => {
                "Creation to first mitigation, only where a mitigation was recorded; \
                 merged-away incidents excluded."
            }
            Kpi::Mttr => {
                "Creation to the last resolution (a reopened incident counts once); open and \
                 merged-away incidents excluded; resolved durations never change afterwards."
            }
            Kpi::Mtbf => {
                "Per service, a resolution to the creation of the service's next incident; \
                 incidents that overlap an unresolved one add no gap; merged-away excluded."
            }
            Kpi::Interruptions => {
                "Notifications and acknowledgements of a responder on incidents created in the \
                 period; merged-away incidents excluded."
            }
            Kpi::OutOfHours => {
                "Interruptions outside 08:00-18:00 Monday-Friday in the responder's own time \
                 zone (public holidays not known, so counted as working days)."
            }
            Kpi::Engaged => {
                "Sum over incidents of the responder's first acknowledgement to the incident's \
                 resolution; open and never-acknowledged incidents add nothing."
            }
        }
    }

    /// What the three figures of a duration KPI are, for the tile's footnote.
    pub fn statistic_note() -> &'static str {
        "Mean, median and p90 in whole seconds; median and p90 by nearest rank (an observed \
         value: the lower middle one for an even count)."
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kpi_has_a_one_line_definition_naming_what_it_excludes() {
        for kpi in Kpi::ALL {
            let text = kpi.definition();
            assert!(!text.contains('\n'), "{kpi:?} spans lines");
            assert!(text.len() < 200, "{kpi:?} is longer than a hover line");
            assert!(text.contains("exclu") || text.contains("left out") || text.contains("not"));
        }
    }

    #[test]
    fn kpi_names_cross_the_ipc_boundary_in_snake_case() {
        let json = serde_json::to_string(&Kpi::OutOfHours).expect("serialises");

        assert_eq!(json, "\"out_of_hours\"");
    }
}
