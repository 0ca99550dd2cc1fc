//! On-call load: how often incidents interrupted each responder, how much of it fell outside
//! their working day, and how long they were on the incidents they took.
//!
//! Business hours are 08:00 to 18:00, Monday to Friday, in each responder's own zone: a page at
//! 15:00 in New York is a working-hours page for someone there and a 21:00 one for a colleague
//! in Berlin, and the out-of-hours count is what burnout reviews look at. Public holidays are
//! not known here, so a page on one counts as in hours; a holiday calendar per responder, passed
//! beside the facts, would fix that.
//!
//! Time engaged runs from the responder's own first acknowledgement of an incident to the
//! incident's resolution: two people who each took the incident were each on it. Incidents the
//! responder never acknowledged, and open ones, add no time (a duration is never `now - start`).
//! Merged-away incidents are left out here too, as everywhere.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Timelike, Utc, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::metrics::facts::{counted, elapsed_seconds, IncidentFacts, InterruptionKind};

/// One responder's load over the incidents given.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OnCallLoad {
    /// The responder's name.
    pub responder: String,
    /// Incidents that interrupted them at least once.
    pub incidents: u32,
    /// Notifications and acknowledgements.
    pub interruptions: u32,
    /// Of those, on a weekday from 08:00 to before 18:00 in their zone.
    pub in_business_hours: u32,
    /// Of those, the rest: nights, weekends and early mornings.
    pub out_of_hours: u32,
    /// Seconds from their first acknowledgement of each incident to its resolution, summed.
    pub engaged_seconds: i64,
}

/// Whether `at` falls in business hours (08:00 to before 18:00, Monday to Friday) in `zone`.
pub fn is_business_hours(at: DateTime<Utc>, zone: Tz) -> bool {
    let local = at.with_timezone(&zone);
    let weekday = !matches!(local.weekday(), Weekday::Sat | Weekday::Sun);
    // By the hour alone: 17:59:59 is hour 17 and in, 18:00:00 is hour 18 and out.
    weekday && (8..18).contains(&local.hour())
}

/// The load of every responder named in the incidents, ordered by name.
pub fn on_call_load<'a, I>(facts: I) -> Vec<OnCallLoad>
where
    I: IntoIterator<Item = &'a IncidentFacts>,
{
    let mut loads: BTreeMap<&str, OnCallLoad> = BTreeMap::new();
    for incident in counted(facts) {
        // A responder may be listed more than once on one incident (one row per escalation
        // level, say): they were still interrupted by one incident, engaged from one first ack.
        let mut first_acks: BTreeMap<&str, Option<DateTime<Utc>>> = BTreeMap::new();
        for responder in &incident.responders {
            let load = loads.entry(&responder.name).or_insert_with(|| OnCallLoad {
                responder: responder.name.clone(),
                ..OnCallLoad::default()
            });
            let first_ack = first_acks.entry(&responder.name).or_insert(None);
            for interruption in &responder.interruptions {
                load.interruptions += 1;
                if is_business_hours(interruption.at, responder.zone) {
                    load.in_business_hours += 1;
                } else {
                    load.out_of_hours += 1;
                }
                if interruption.kind == InterruptionKind::Acknowledged {
                    *first_ack =
                        Some(first_ack.map_or(interruption.at, |a| a.min(interruption.at)));
                }
            }
        }

        for (name, first_ack) in first_acks {
            let Some(load) = loads.get_mut(name) else {
                continue;
            };
            load.incidents += 1;
            if let (Some(ack), Some(resolved)) = (first_ack, incident.resolved_at) {
                load.engaged_seconds += elapsed_seconds(ack, resolved);
            }
        }
    }
    loads.into_values().collect()
}

#[cfg(test)]
mod tests {
    use chrono_tz::{America::New_York, Europe::Berlin};

    use super::*;
    use crate::metrics::fixture::{self, edt, est};

    fn load_of(name: &str) -> Option<OnCallLoad> {
        on_call_load(&fixture::incidents())
            .into_iter()
            .find(|l| l.responder == name)
    }

    #[test]
    fn business_hours_include_eight_sharp_and_exclude_six_sharp() {
        // Thursday 12 March 2026 in New York.
        assert!(is_business_hours(edt(3, 12, 8, 0), New_York));
        assert!(is_business_hours(edt(3, 12, 17, 59), New_York));
        assert!(!is_business_hours(edt(3, 12, 18, 0), New_York));
        assert!(!is_business_hours(edt(3, 12, 7, 59), New_York));
        // Saturday 14 March, midday.
        assert!(!is_business_hours(edt(3, 14, 12, 0), New_York));
        // 15:00 in New York is 20:00 in Berlin (CET until 29 March).
        assert!(!is_business_hours(edt(3, 12, 15, 0), Berlin));
    }

    #[test]
    fn ana_in_new_york_carries_most_of_the_night_pages() {
        // Incidents #1 4 9 11 12 15 16 22 30 = 9 (merged #8 left out).
        // Interruptions 2+2+3+2+2+2+2+2+2 = 19 (#9: notify, ack, re-ack).
        // In hours: #1 Mon 09:00 09:05, #9 Fri 16:00 16:06 16:12, #22 Thu 17:55,
        // #30 Mon 09:00 09:01 = 8. Out: #4 Tue 23:30 23:45, #11 and #12 on Sunday, #15 Mon
        // 19:00 19:12, #16 Tue 02:00 02:05, #22's ack at 18:05 = 11.
        // Engaged: #1 55 + #4 75 (23:45 -> 01:00) + #9 44 (first ack +6 -> +50) + #11 90 +
        // #12 10 + #22 50 + #30 9 = 333 min = 19 980 s; open #15 and unacknowledged #16 add 0.
        let expected = OnCallLoad {
            responder: "ana".into(),
            incidents: 9,
            interruptions: 19,
            in_business_hours: 8,
            out_of_hours: 11,
            engaged_seconds: 19_980,
        };
        assert_eq!(load_of("ana"), Some(expected));
    }

    #[test]
    fn bo_in_berlin_is_in_hours_by_berlin_clocks() {
        // Incidents #4 5 12 25 27 30 = 6; interruptions 1+2+1+2+2+1 = 9.
        // In hours (CET = UTC+1): #5 at 09:00 and 09:04 Wednesday, #30 at 15:00 Monday = 3.
        // Out: #4 05:30 Wednesday, #12 07:50 Sunday, #25 16:00 and 16:45 Saturday, #27 04:50
        // and 05:00 Sunday = 6.
        // Engaged: #5 41 (+4 -> +45) + #25 45 (+45 -> +90) + #27 190 (+10 -> +200) = 276 min.
        let expected = OnCallLoad {
            responder: "bo".into(),
            incidents: 6,
            interruptions: 9,
            in_business_hours: 3,
            out_of_hours: 6,
            engaged_seconds: 276 * 60,
        };
        assert_eq!(load_of("bo"), Some(expected));
    }

    #[test]
    fn chen_in_tokyo_is_paged_at_eight_sharp_local() {
        // #14 13:30 UTC = 22:30 JST Monday (out), ack 22:38 (out); #15 23:00 UTC Monday =
        // 08:00 JST Tuesday (in). Engaged: #14 +8 -> +70 = 62 min; #15 is open.
        let expected = OnCallLoad {
            responder: "chen".into(),
            incidents: 2,
            interruptions: 3,
            in_business_hours: 1,
            out_of_hours: 2,
            engaged_seconds: 62 * 60,
        };
        assert_eq!(load_of("chen"), Some(expected));
    }

    #[test]
    fn a_responder_listed_twice_on_one_incident_counts_one_incident() {
        let mut incident = fixture::incidents().swap_remove(0);
        let again = incident.responders[0].clone();
        incident.responders.push(again);

        let loads = on_call_load([&incident]);

        // #1: 2 interruptions listed twice = 4; engaged once, 09:05 -> 10:00 = 55 min.
        assert_eq!((loads[0].incidents, loads[0].interruptions), (1, 4));
        assert_eq!(loads[0].engaged_seconds, 55 * 60);
        assert!(is_business_hours(est(3, 2, 9, 0), New_York));
    }
}
