//! `vigil metrics`: the built binary on a real SQLite file filled through the store's API, its
//! JSON checked to the second against KPIs worked out by hand, its table, its `--by` groups, an
//! empty window, and its exit codes.
#![allow(
    clippy::unwrap_used,
    reason = "a test's helpers fail the test on purpose"
)]

use std::path::Path;
use std::process::{Command, Output};

use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::Value;
use vigil_core::{EventKind, IncidentStatus, SourceKind, Urgency};
use vigil_engine::store::{
    add_events_tx, upsert_incident_tx, IncomingEvent, IncomingIncident, NewSource,
};
use vigil_engine::Store;

/// One incident of the table below: vendor id, service, urgency, creation (UTC), the instants the
/// vendor states (minutes from creation) and its timeline as (minute, kind, actor).
struct Case {
    id: &'static str,
    service: Option<&'static str>,
    urgency: Urgency,
    created: DateTime<Utc>,
    ack: Option<i64>,
    resolved: Option<i64>,
    mitigated: Option<i64>,
    impact_before: Option<i64>,
    merged_into: Option<&'static str>,
    timeline: &'static [(i64, EventKind, Option<&'static str>)],
}

fn utc(month: u32, day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, month, day, hour, minute, 0)
        .unwrap()
}

fn case(id: &'static str, service: Option<&'static str>, created: DateTime<Utc>) -> Case {
    Case {
        id,
        service,
        urgency: Urgency::High,
        created,
        ack: None,
        resolved: None,
        mitigated: None,
        impact_before: None,
        merged_into: None,
        timeline: &[],
    }
}

/// The window of the tests is New York's week of Monday 2 March 2026: from 00:00 EST (05:00 UTC)
/// to Monday 9 March 00:00 EDT (04:00 UTC), 167 hours, since clocks spring forward on Sunday 8.
/// Local times are in the comments; the instants are UTC.
fn cases() -> Vec<Case> {
    use EventKind::{Acknowledged as Ack, Notified, Resolved as Res, Triggered as Trig};
    let (checkout, search) = (Some("checkout"), Some("search"));
    vec![
        // A, Mon 2 Mar 09:00 EST: ana paged, acks at +4 (240 s), resolved at +30 (1 800 s).
        Case {
            ack: Some(4),
            resolved: Some(30),
            timeline: &[
                (0, Trig, None),
                (0, Notified, Some("ana")),
                (4, Ack, Some("ana")),
                (30, Res, None),
            ],
            ..case("PA", checkout, utc(3, 2, 14, 0))
        },
        // B, Tue 3 Mar 23:30 EST, across midnight: impact began 15 min before the alert (900 s),
        // bo acks at +10 (600 s), mitigated at +20 (1 200 s), resolved 01:00 at +90 (5 400 s).
        Case {
            ack: Some(10),
            resolved: Some(90),
            mitigated: Some(20),
            impact_before: Some(15),
            timeline: &[
                (0, Trig, None),
                (0, Notified, Some("bo")),
                (10, Ack, Some("bo")),
                (90, Res, None),
            ],
            ..case("PB", checkout, utc(3, 4, 4, 30))
        },
        // C, Wed 4 Mar 10:00 EST, reopened: resolved at +20, triggered at +60, resolved for good
        // at +100 (6 000 s); ana acks at +5 (300 s).
        Case {
            urgency: Urgency::Low,
            resolved: Some(100),
            timeline: &[
                (0, Trig, None),
                (5, Ack, Some("ana")),
                (20, Res, None),
                (60, Trig, None),
                (100, Res, None),
            ],
            ..case("PC", search, utc(3, 4, 15, 0))
        },
        // D, Thu 5 Mar 12:00 EST: ana paged, never acknowledged, still open.
        Case {
            timeline: &[(0, Trig, None), (0, Notified, Some("ana"))],
            ..case("PD", search, utc(3, 5, 17, 0))
        },
        // E, Fri 6 Mar 08:00 EST: merged into A, so it counts nowhere and interrupts nobody.
        Case {
            ack: Some(1),
            resolved: Some(5),
            merged_into: Some("PA"),
            timeline: &[(0, Notified, Some("ana"))],
            ..case("PE", checkout, utc(3, 6, 13, 0))
        },
        // H, Sat 7 Mar 15:00 EST, no service: acked at +10 (600 s), resolved at +20 (1 200 s).
        Case {
            urgency: Urgency::Low,
            ack: Some(10),
            resolved: Some(20),
            ..case("PH", None, utc(3, 7, 20, 0))
        },
        // F, Sun 8 Mar 23:30 EDT (the 23-hour day), the vendor states ack +2 (120 s) and
        // resolution +58 (3 480 s), with no timeline.
        Case {
            urgency: Urgency::Low,
            ack: Some(2),
            resolved: Some(58),
            ..case("PF", checkout, utc(3, 9, 3, 30))
        },
        // G, Mon 9 Mar 00:30 EDT: the next week, outside the window.
        Case {
            ack: Some(1),
            resolved: Some(10),
            ..case("PG", checkout, utc(3, 9, 4, 30))
        },
        // P, Wed 25 Feb 12:00 EST, in the 167 hours before the window: ack +6, resolved +40.
        Case {
            ack: Some(6),
            resolved: Some(40),
            ..case("PP", checkout, utc(2, 25, 17, 0))
        },
    ]
}

fn incoming(c: &Case) -> IncomingIncident {
    let after = |minutes: Option<i64>| minutes.map(|m| c.created + Duration::minutes(m));
    let status = match (c.resolved, c.ack) {
        (Some(_), _) => IncidentStatus::Resolved,
        (None, Some(_)) => IncidentStatus::Acknowledged,
        (None, None) => IncidentStatus::Triggered,
    };
    IncomingIncident {
        external_id: c.id.into(),
        number: None,
        title: format!("incident {}", c.id),
        service: c.service.map(str::to_owned),
        team: c.service.map(|s| {
            if s == "checkout" {
                "payments"
            } else {
                "discovery"
            }
            .into()
        }),
        urgency: c.urgency,
        urgency_raw: None,
        status,
        created_at: c.created,
        acknowledged_at: after(c.ack),
        mitigated_at: after(c.mitigated),
        resolved_at: after(c.resolved),
        impact_started_at: c.impact_before.map(|m| c.created - Duration::minutes(m)),
        impact_ended_at: None,
        merged_into: c.merged_into.map(str::to_owned),
        url: None,
        raw: None,
    }
}

/// A database in `dir` holding the cases, written as a sync would write them.
fn fill(dir: &Path) {
    let mut store = Store::open(&dir.join("vigil.sqlite3")).unwrap();
    let source = store
        .add_source(&NewSource {
            kind: SourceKind::PagerDuty,
            name: "PagerDuty".into(),
            base_url: Some("https://api.pagerduty.com".into()),
        })
        .unwrap()
        .id;
    for c in cases() {
        let events: Vec<IncomingEvent> = c
            .timeline
            .iter()
            .enumerate()
            .map(|(n, &(minute, kind, actor))| IncomingEvent {
                external_id: format!("{}-{n}", c.id),
                at: c.created + Duration::minutes(minute),
                kind,
                vendor_type: None,
                actor: actor.map(str::to_owned),
                summary: kind.as_str().into(),
            })
            .collect();
        store
            .write(|tx| {
                let (id, _) = upsert_incident_tx(tx, source, &incoming(&c))?;
                add_events_tx(tx, id, &events)
            })
            .unwrap();
    }
}

fn vigil(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vigil"))
        .arg("--db")
        .arg(dir.join("vigil.sqlite3"))
        .arg("metrics")
        .args(args)
        .env("HOME", dir)
        .env("XDG_STATE_HOME", dir.join("state"))
        .env("XDG_DATA_HOME", dir.join("data"))
        .env_remove("VIGIL_LOG")
        .env_remove("VIGIL_DB")
        .output()
        .expect("the vigil binary runs")
}

const WEEK: [&str; 6] = [
    "--since",
    "2026-03-02",
    "--until",
    "2026-03-09",
    "--tz",
    "America/New_York",
];

/// Runs `vigil metrics` on a filled database and parses its JSON.
fn json(args: &[&str]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    fill(dir.path());
    let out = vigil(dir.path(), args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "stderr: {stderr}");
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A summary as `(n, mean, median, p90)`, with `None` where the JSON has `null`.
fn summary(v: &Value) -> (u64, Option<f64>, Option<i64>, Option<i64>) {
    (
        v["n"].as_u64().unwrap(),
        v["mean"].as_f64(),
        v["median"].as_i64(),
        v["p90"].as_i64(),
    )
}

/// A list of `{key, count}` as pairs.
fn tallies(v: &Value) -> Vec<(Option<&str>, u64)> {
    let list = v.as_array().unwrap();
    list.iter()
        .map(|t| (t["key"].as_str(), t["count"].as_u64().unwrap()))
        .collect()
}

/// The lines the CLI prints as a reason (`vigil:` for failures, `error:` for usage).
fn reasons(out: &Output) -> Vec<String> {
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter(|l| l.starts_with("vigil:") || l.starts_with("error:"))
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_json_report_of_one_week_in_new_york_matches_the_hand_worked_kpis() {
    let report = json(&[&WEEK[..], &["--json"]].concat());
    let current = &report["comparison"]["current"];

    // 2 March 00:00 EST is 05:00 UTC; 9 March 00:00 EDT is 04:00 UTC.
    assert_eq!(report["request"]["window"]["since"], "2026-03-02T05:00:00Z");
    assert_eq!(report["request"]["window"]["until"], "2026-03-09T04:00:00Z");
    assert_eq!(report["request"]["zone"], "America/New_York");

    // A B C D F H are counted; E is merged away; G is next week's, P last week's.
    let counts = &current["counts"];
    assert_eq!(counts["incidents"], 6);
    assert_eq!(counts["open"], 1, "D");
    assert_eq!(counts["unacknowledged"], 1, "D");
    assert_eq!(counts["reopened"], 1, "C");
    assert_eq!(counts["merged_away"], 1, "E");
    let services = [(None, 1), (Some("checkout"), 3), (Some("search"), 2)];
    assert_eq!(tallies(&counts["by_service"]), services);
    let teams = [(None, 1), (Some("discovery"), 2), (Some("payments"), 3)];
    assert_eq!(tallies(&counts["by_team"]), teams);
    let urgencies = [(Some("high"), 3), (Some("low"), 3)];
    assert_eq!(tallies(&counts["by_urgency"]), urgencies);
    assert_eq!(tallies(&counts["by_source"]), [(Some("PagerDuty"), 6)]);

    // MTTA: A 240, B 600, C 300, F 120, H 600 = 1 860 s over 5 = 372 s. Sorted 120 240 [300]
    // 600 [600]: median rank ceil(2.5) = 3 -> 300; p90 rank ceil(4.5) = 5 -> 600.
    assert_eq!(
        summary(&current["mtta"]),
        (5, Some(372.0), Some(300), Some(600))
    );
    // MTTR: A 1 800, B 5 400, C 6 000 (its last resolution, not +20), F 3 480 across the
    // skipped hour, H 1 200 = 17 880 s over 5 = 3 576 s. Sorted 1200 1800 [3480] 5400 [6000].
    assert_eq!(
        summary(&current["mttr"]),
        (5, Some(3_576.0), Some(3_480), Some(6_000))
    );
    // MTTD and MTTM: only B records an impact start (900 s) and a mitigation (1 200 s).
    assert_eq!(
        summary(&current["mttd"]),
        (1, Some(900.0), Some(900), Some(900))
    );
    assert_eq!(
        summary(&current["mttm"]),
        (1, Some(1_200.0), Some(1_200), Some(1_200))
    );
    // MTBF, checkout: A up 14:30 UTC on 2 March -> B 04:30 on the 4th = 38 h = 136 800 s;
    // B up 06:00 on the 4th -> F 03:30 on the 9th = 117.5 h = 423 000 s (merged E skipped).
    // Search: C up 16:40 UTC on the 4th -> D 17:00 on the 5th = 24 h 20 min = 87 600 s.
    // 647 400 s over 3 = 215 800 s; sorted 87600 [136800] [423000].
    assert_eq!(
        summary(&current["mtbf"]),
        (3, Some(215_800.0), Some(136_800), Some(423_000))
    );
    let by_service = current["mtbf_by_service"].as_array().unwrap();
    assert_eq!(by_service[0]["service"], "checkout");
    assert_eq!(
        summary(&by_service[0]["summary"]),
        (2, Some(279_900.0), Some(136_800), Some(423_000))
    );
    assert_eq!(
        summary(&by_service[1]["summary"]),
        (1, Some(87_600.0), Some(87_600), Some(87_600))
    );
}

#[test]
fn the_json_report_compares_with_the_167_hours_before_and_counts_on_call_load() {
    let report = json(&[&WEEK[..], &["--json"]].concat());

    // The previous window has the same 167 hours: 23 February 01:00 EST onwards. It holds P
    // alone: acked after 360 s, resolved after 2 400 s.
    let previous = &report["comparison"]["previous"];
    assert_eq!(previous["window"]["since"], "2026-02-23T06:00:00Z");
    assert_eq!(previous["counts"]["incidents"], 1);
    assert_eq!(
        summary(&previous["mttr"]),
        (1, Some(2_400.0), Some(2_400), Some(2_400))
    );
    let changes = &report["comparison"]["changes"];
    // Incidents 6 against 1: +5, +500 %. MTTR 3 576 against 2 400 s: +1 176 s, +49 %.
    assert_eq!(changes["incidents"]["delta"], 5.0);
    assert_eq!(changes["incidents"]["percent"], 500.0);
    assert_eq!(changes["mttr"]["delta"], 1_176.0);
    assert_eq!(changes["mttr"]["percent"], 49.0);
    // MTTA 372 against 360 s: +12 s, +3.33 %. MTBF has no gap before: no change at all.
    assert_eq!(changes["mtta"]["delta"], 12.0);
    let percent = changes["mtta"]["percent"].as_f64().unwrap();
    assert!((percent - 100.0 / 30.0).abs() < 1e-9, "{percent}");
    assert_eq!(changes["mtbf"]["delta"], Value::Null);

    // Responders are placed in the request's zone. ana: notified 09:00 and acked 09:04 on A
    // (Monday), acked C at 10:05 (Wednesday), notified for D at 12:00 (Thursday): 3 incidents, 4
    // interruptions, all in hours; engaged A 09:04 -> 09:30 (1 560 s) + C 10:05 -> 11:40
    // (5 700 s) = 7 260 s, D being open. E's page is merged away. bo: B at 23:30 and 23:40 on a
    // Tuesday night, engaged 23:40 -> 01:00 = 4 800 s.
    let load = |v: &Value| {
        let n = |k: &str| v[k].as_i64().unwrap();
        let name = v["responder"].as_str().unwrap().to_owned();
        let figures = [
            n("incidents"),
            n("interruptions"),
            n("in_business_hours"),
            n("out_of_hours"),
            n("engaged_seconds"),
        ];
        (name, figures)
    };
    let on_call: Vec<_> = report["on_call"]
        .as_array()
        .unwrap()
        .iter()
        .map(load)
        .collect();
    assert_eq!(
        on_call,
        [
            ("ana".to_owned(), [3, 4, 4, 0, 7_260]),
            ("bo".to_owned(), [1, 2, 0, 2, 4_800])
        ]
    );

    // One whole week: too few for a control chart, and the page says why.
    assert_eq!(report["per_period"][0]["start"], "2026-03-02");
    assert_eq!(report["per_period"][0]["count"], 6);
    assert_eq!(report["weekly_counts"]["state"], "not_enough_data");
    let reason = report["weekly_counts"]["reason"].as_str().unwrap();
    assert!(reason.starts_with("1 week wholly inside"), "{reason}");
    assert_eq!(
        report["choices"]["services"],
        serde_json::json!(["checkout", "search"])
    );
}

#[test]
fn days_are_counted_in_new_york_including_the_23_hour_one() {
    let report = json(&[&WEEK[..], &["--period", "day", "--json"]].concat());

    // A on the 2nd, B at 23:30 on the 3rd, C the 4th, D the 5th, merged E the 6th (not
    // counted), H the 7th, F at 23:30 EDT on the 8th (03:30 UTC on the 9th).
    let days: Vec<(&str, u64)> = report["per_period"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["start"].as_str().unwrap(), d["count"].as_u64().unwrap()))
        .collect();
    let expected = [
        ("2026-03-02", 1),
        ("2026-03-03", 1),
        ("2026-03-04", 1),
        ("2026-03-05", 1),
        ("2026-03-06", 0),
        ("2026-03-07", 1),
        ("2026-03-08", 1),
    ];
    assert_eq!(days, expected);
}

#[test]
fn by_service_splits_the_same_incidents_with_the_unnamed_ones_as_a_null_group() {
    let out = json(&[&WEEK[..], &["--by", "service", "--json"]].concat());

    assert_eq!(out["by"], "service");
    assert_eq!(out["request"]["zone"], "America/New_York");
    let groups = out["groups"].as_array().unwrap();
    let keys: Vec<Option<&str>> = groups.iter().map(|g| g["key"].as_str()).collect();
    assert_eq!(keys, [None, Some("checkout"), Some("search")]);

    // No service: H alone, acked after 600 s and resolved after 1 200 s.
    let none = &groups[0]["kpis"];
    assert_eq!(none["counts"]["incidents"], 1);
    assert_eq!(
        summary(&none["mttr"]),
        (1, Some(1_200.0), Some(1_200), Some(1_200))
    );
    // Checkout: A B F, E merged away. MTTA 240 600 120 = 960 s / 3 = 320 s, sorted 120 [240]
    // [600]; MTTR 1 800 5 400 3 480 = 10 680 s / 3 = 3 560 s, sorted 1800 [3480] [5400].
    let checkout = &groups[1]["kpis"];
    assert_eq!(checkout["counts"]["incidents"], 3);
    assert_eq!(checkout["counts"]["merged_away"], 1);
    assert_eq!(
        summary(&checkout["mtta"]),
        (3, Some(320.0), Some(240), Some(600))
    );
    assert_eq!(
        summary(&checkout["mttr"]),
        (3, Some(3_560.0), Some(3_480), Some(5_400))
    );
    assert_eq!(
        summary(&checkout["mtbf"]),
        (2, Some(279_900.0), Some(136_800), Some(423_000))
    );
    // Search: C resolved after 6 000 s, D open and never acknowledged.
    let search = &groups[2]["kpis"]["counts"];
    assert_eq!(
        (&search["incidents"], &search["open"]),
        (&2.into(), &1.into())
    );
    assert_eq!(summary(&groups[2]["kpis"]["mttr"]).1, Some(6_000.0));

    let by_urgency = json(&[&WEEK[..], &["--by", "urgency", "--json"]].concat());
    let counted: Vec<(Option<&str>, u64)> = by_urgency["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["key"].as_str(),
                g["kpis"]["counts"]["incidents"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(counted, [(Some("high"), 3), (Some("low"), 3)]);
}

#[test]
fn the_table_shows_the_same_figures_in_readable_units() {
    let dir = tempfile::tempdir().unwrap();
    fill(dir.path());

    let out = vigil(dir.path(), &WEEK);

    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let row = |name: &str| -> Vec<String> {
        let line = stdout.lines().find(|l| l.starts_with(name)).unwrap();
        line.split_whitespace().map(str::to_owned).collect()
    };
    // 3 576 s = 59 min 36 s; 3 480 s = 58 min; 6 000 s = 1 h 40 min.
    assert_eq!(
        row("MTTR"),
        ["MTTR", "5", "59m", "36s", "58m", "00s", "1h", "40m"]
    );
    assert!(stdout.starts_with("incidents 6  (open 1, never acknowledged 1, reopened 1;"));
    assert!(stdout.contains("incidents against the previous period: +500.0%"));
}

#[test]
fn an_empty_window_has_counts_of_zero_and_no_durations_at_all() {
    let args = [
        "--since",
        "2025-01-01",
        "--until",
        "2025-02-01",
        "--tz",
        "UTC",
        "--json",
    ];
    let dir = tempfile::tempdir().unwrap();
    fill(dir.path());

    let out = vigil(dir.path(), &args);

    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("NaN") && !text.contains("inf"), "{text}");
    let report: Value = serde_json::from_str(&text).unwrap();
    let current = &report["comparison"]["current"];
    assert_eq!(current["counts"]["incidents"], 0);
    for kpi in ["mtta", "mttd", "mttm", "mttr", "mtbf"] {
        assert_eq!(summary(&current[kpi]), (0, None, None, None), "{kpi}");
        assert_eq!(report["comparison"]["changes"][kpi]["delta"], Value::Null);
    }
    assert_eq!(report["on_call"], serde_json::json!([]));
    // The weeks of 30 December 2024 to 27 January 2025, each present with 0.
    let weeks = report["per_period"].as_array().unwrap();
    assert_eq!(weeks.len(), 5);
    assert!(weeks.iter().all(|w| w["count"] == 0));

    let out = vigil(dir.path(), &[&args[..], &["--by", "team"]].concat());
    let groups: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(groups["groups"], serde_json::json!([]));
}

#[test]
fn an_unknown_zone_or_a_malformed_date_is_bad_usage_with_one_reason_line() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&[&str], &str); 3] = [
        (&["--tz", "Mars/Olympus"], "not an IANA time zone"),
        (&["--since", "2026-02-30"], "not an ISO 8601 date"),
        (&["--until", "last tuesday"], "2026-06-01T09:30:00+02:00"),
    ];
    for (args, words) in cases {
        let out = vigil(dir.path(), args);

        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let reasons = reasons(&out);
        assert_eq!(reasons.len(), 1, "{args:?}: {reasons:?}");
        assert!(reasons[0].contains(words), "{args:?}: {reasons:?}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn a_window_that_ends_before_it_starts_fails_with_one_reason_line() {
    let dir = tempfile::tempdir().unwrap();

    let out = vigil(
        dir.path(),
        &["--since", "2026-03-09", "--until", "2026-03-02"],
    );

    assert_eq!(out.status.code(), Some(1));
    let reasons = reasons(&out);
    assert_eq!(reasons.len(), 1, "{reasons:?}");
    assert!(
        reasons[0].starts_with("vigil: --since (2026-03-09 00:00:00 UTC) must come before"),
        "{reasons:?}"
    );
    assert!(out.stdout.is_empty());
}
