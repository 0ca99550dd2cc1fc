//! Thirty hand-built incidents of two services in New York, small enough to work every KPI out
//! on paper, and built to hit each rule: reopened (#7, #21), merged away (#8, #24), never
//! acknowledged (#6, #16), still open (#15, #16), acknowledged then unacknowledged then
//! acknowledged again (#9), across midnight (#4, #23, #27), across the 2026 clock changes of
//! America/New_York (#11, #12, #13 on 8 March; #27, #28, #29 on 1 November), and one with no
//! service (#26). The tests beside each KPI show their arithmetic against this table.
//!
//! Instants are written in the New York offset in force, `est` (UTC-5) or `edt` (UTC-4), so
//! the two 01:30s of 1 November are told apart.

use chrono::{DateTime, Duration, FixedOffset, TimeZone, Utc};
use chrono_tz::Tz;
use uuid::Uuid;

use crate::ids::IncidentId;
use crate::incident::Urgency::{self, High, Low};
use crate::metrics::facts::{IncidentFacts, Interruption, InterruptionKind, Responder};
use crate::timeline::{EventKind, Milestones, TimelineEntry};

const NEW_YORK: Tz = chrono_tz::America::New_York;
const BERLIN: Tz = chrono_tz::Europe::Berlin;
const TOKYO: Tz = chrono_tz::Asia::Tokyo;

/// `hh:mm` on a 2026 date in New York under Eastern Standard Time.
pub(crate) fn est(month: u32, day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    at_offset(-5, month, day, hour, minute)
}

/// `hh:mm` on a 2026 date in New York under Eastern Daylight Time.
pub(crate) fn edt(month: u32, day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    at_offset(-4, month, day, hour, minute)
}

fn at_offset(hours: i32, month: u32, day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    let offset = FixedOffset::east_opt(hours * 3600).expect("a valid offset");
    offset
        .with_ymd_and_hms(2026, month, day, hour, minute, 0)
        .unwrap()
        .with_timezone(&Utc)
}

/// An open, unacknowledged, high-urgency checkout incident created at `created`.
pub(crate) fn bare(n: u128, created: DateTime<Utc>) -> IncidentFacts {
    IncidentFacts {
        id: IncidentId(Uuid::from_u128(n)),
        source: "pagerduty".into(),
        service: Some("checkout".into()),
        team: Some("payments".into()),
        urgency: High,
        created_at: created,
        first_acknowledged_at: None,
        impact_started_at: None,
        first_mitigated_at: None,
        resolved_at: None,
        merged: false,
        reopen_count: 0,
        responders: Vec::new(),
    }
}

/// Builder steps for fixtures, in minutes from creation.
pub(crate) trait Shape: Sized {
    fn acked_after(self, minutes: i64) -> Self;
    fn resolved_after(self, minutes: i64) -> Self;
}

impl Shape for IncidentFacts {
    fn acked_after(mut self, minutes: i64) -> Self {
        self.first_acknowledged_at = Some(self.created_at + Duration::minutes(minutes));
        self
    }

    fn resolved_after(mut self, minutes: i64) -> Self {
        self.resolved_at = Some(self.created_at + Duration::minutes(minutes));
        self
    }
}

struct Case(IncidentFacts);

impl Case {
    fn new(n: u128, service: Option<&str>, urgency: Urgency, created: DateTime<Utc>) -> Self {
        let team = match service {
            Some("checkout") => Some("payments".to_owned()),
            Some(_) => Some("discovery".to_owned()),
            None => None,
        };
        let facts = IncidentFacts {
            service: service.map(str::to_owned),
            team,
            urgency,
            ..bare(n, created)
        };
        Case(facts)
    }

    fn source(mut self, source: &str) -> Self {
        self.0.source = source.to_owned();
        self
    }

    fn ack(self, minutes: i64) -> Self {
        Case(self.0.acked_after(minutes))
    }

    fn res(self, minutes: i64) -> Self {
        Case(self.0.resolved_after(minutes))
    }

    fn mitigated(mut self, minutes: i64) -> Self {
        self.0.first_mitigated_at = Some(self.0.created_at + Duration::minutes(minutes));
        self
    }

    fn impact(mut self, minutes_before: i64) -> Self {
        self.0.impact_started_at = Some(self.0.created_at - Duration::minutes(minutes_before));
        self
    }

    fn merged(mut self) -> Self {
        self.0.merged = true;
        self
    }

    /// Reads acknowledgement, resolution and reopens from a timeline, as the engine does.
    fn timeline(mut self, steps: &[(i64, EventKind)]) -> Self {
        let entries: Vec<TimelineEntry> = steps
            .iter()
            .map(|&(m, kind)| TimelineEntry::new(self.0.created_at + Duration::minutes(m), kind))
            .collect();
        let milestones = Milestones::from_timeline(&entries);
        self.0.first_acknowledged_at = milestones.first_acknowledged_at;
        self.0.resolved_at = milestones.resolved_at;
        self.0.reopen_count = milestones.reopen_count;
        self
    }

    /// Adds a responder's interruptions; the zone goes with the name (ana in New York, bo in
    /// Berlin, chen in Tokyo), as it would come from the vendor's user profile.
    fn paged(mut self, name: &str, steps: &[(i64, InterruptionKind)]) -> Self {
        let zone = match name {
            "bo" => BERLIN,
            "chen" => TOKYO,
            _ => NEW_YORK,
        };
        let interruptions = steps
            .iter()
            .map(|&(m, kind)| Interruption {
                at: self.0.created_at + Duration::minutes(m),
                kind,
            })
            .collect();
        self.0.responders.push(Responder {
            name: name.to_owned(),
            zone,
            interruptions,
        });
        self
    }
}

/// The thirty incidents. Comments give local New York times and what each one is for. One row
/// per incident (hence no rustfmt), so the code reads like the table the tests refer to.
#[rustfmt::skip]
pub(crate) fn incidents() -> Vec<IncidentFacts> {
    use EventKind::{Acknowledged as Ack, Resolved as Res, Triggered as Trig};
    use EventKind::Unacknowledged as Unack;
    use InterruptionKind::{Acknowledged as A, Notified as N};
    let (c, s) = (Some("checkout"), Some("search"));
    let cases = vec![
        // Week of Monday 2 March, EST.
        Case::new(1, c, High, est(3, 2, 9, 0)).ack(5).mitigated(20).impact(10).res(60)
            .paged("ana", &[(0, N), (5, A)]),
        Case::new(2, c, High, est(3, 2, 14, 0)).ack(2).res(30),
        Case::new(3, s, Low, est(3, 3, 10, 0)).ack(10).res(120),
        // Across midnight: resolved 01:00 on the 4th.
        Case::new(4, s, High, est(3, 3, 23, 30)).ack(15).res(90)
            .paged("ana", &[(0, N), (15, A)]).paged("bo", &[(0, N)]),
        Case::new(5, c, High, est(3, 4, 3, 0)).source("opsgenie").ack(4).res(45)
            .paged("bo", &[(0, N), (4, A)]),
        // Never acknowledged, resolved by itself.
        Case::new(6, c, Low, est(3, 4, 11, 0)).res(25),
        // Reopened: resolved at +20, triggered again at +40, resolved for good at +80.
        Case::new(7, s, High, est(3, 5, 8, 0))
            .timeline(&[(0, Trig), (3, Ack), (20, Res), (40, Trig), (80, Res)]),
        // Merged into #7: counts nowhere, interrupts nobody.
        Case::new(8, s, High, est(3, 5, 8, 10)).ack(1).res(5).merged().paged("ana", &[(0, N)]),
        // Acknowledged at +6, unacknowledged at +9, acknowledged again at +12.
        Case::new(9, c, High, est(3, 6, 16, 0))
            .timeline(&[(0, Trig), (6, Ack), (9, Unack), (12, Ack), (50, Res)])
            .paged("ana", &[(0, N), (6, A), (12, A)]),
        Case::new(10, c, Low, est(3, 7, 12, 0)).ack(30).res(240),
        // Sunday 8 March, 23 hours long: 02:00 EST jumps to 03:00 EDT.
        Case::new(11, s, High, est(3, 8, 0, 30)).ack(10).res(100)
            .paged("ana", &[(0, N), (10, A)]),
        Case::new(12, c, High, est(3, 8, 1, 50)).ack(20).res(30)
            .paged("ana", &[(0, N), (20, A)]).paged("bo", &[(0, N)]),
        Case::new(13, c, High, edt(3, 8, 23, 30)).ack(5).res(40),
        // Week of Monday 9 March, EDT.
        Case::new(14, s, Low, edt(3, 9, 9, 30)).source("opsgenie").ack(8).mitigated(15).impact(5)
            .res(70).paged("chen", &[(0, N), (8, A)]),
        // Still open, acknowledged.
        Case::new(15, s, High, edt(3, 9, 19, 0)).ack(12)
            .paged("ana", &[(0, N), (12, A)]).paged("chen", &[(0, N)]),
        // Still open, never acknowledged, paged twice.
        Case::new(16, c, High, edt(3, 10, 2, 0)).paged("ana", &[(0, N), (5, N)]),
        Case::new(17, c, High, edt(3, 10, 10, 0)).ack(3).res(33),
        Case::new(18, s, Low, edt(3, 11, 13, 0)).ack(7).impact(20).res(47),
        Case::new(19, c, High, edt(3, 11, 13, 30)).ack(2).mitigated(30).res(120),
        // Overlaps #19 (13:30-15:30).
        Case::new(20, c, Low, edt(3, 11, 14, 0)).ack(9).res(20),
        // Reopened twice, resolved for good at +200.
        Case::new(21, s, High, edt(3, 12, 9, 0)).timeline(&[
            (0, Trig), (4, Ack), (30, Res), (60, Trig), (100, Res), (150, Trig), (200, Res),
        ]),
        Case::new(22, c, High, edt(3, 12, 17, 55)).ack(10).res(60)
            .paged("ana", &[(0, N), (10, A)]),
        // Across midnight: resolved 01:00 on Saturday the 14th.
        Case::new(23, s, High, edt(3, 13, 22, 0)).ack(20).res(180),
        // Merged and never resolved: not in the open count either.
        Case::new(24, c, High, edt(3, 13, 22, 5)).ack(3).merged(),
        Case::new(25, c, Low, edt(3, 14, 11, 0)).source("opsgenie").ack(45).res(90)
            .paged("bo", &[(0, N), (45, A)]),
        // No service, no team.
        Case::new(26, None, Low, edt(3, 15, 10, 0)).source("opsgenie").ack(10).res(20),
        // Saturday 31 October 23:50 EDT, resolved 02:10 EST on 1 November (25 hours long).
        Case::new(27, c, High, edt(10, 31, 23, 50)).ack(10).res(200)
            .paged("bo", &[(0, N), (10, A)]),
        // The first 01:30 of 1 November, resolved at the second one.
        Case::new(28, s, High, edt(11, 1, 1, 30)).ack(5).res(60),
        Case::new(29, s, Low, est(11, 1, 1, 30)).ack(10).res(30),
        Case::new(30, c, High, est(11, 2, 9, 0)).ack(1).res(10)
            .paged("ana", &[(0, N), (1, A)]).paged("bo", &[(0, N)]),
    ];
    cases.into_iter().map(|case| case.0).collect()
}

#[test]
fn the_fixture_has_thirty_incidents_with_distinct_ids() {
    let all = incidents();
    let mut ids: Vec<IncidentId> = all.iter().map(|f| f.id).collect();
    ids.sort();
    ids.dedup();

    assert_eq!(ids.len(), 30);
    assert_eq!(
        all[8].first_acknowledged_at,
        Some(est(3, 6, 16, 6)),
        "#9 keeps its first ack"
    );
    assert_eq!((all[6].reopen_count, all[20].reopen_count), (1, 2));
}
