//! A rich FMEA for the FMEA tests: the software-service template with ratings, marks, header
//! fields, dates and actions filled in, and texts that stress the formats (commas, quotes, line
//! breaks, non-ASCII).
#![allow(dead_code, reason = "each test file uses a part of the fixture")]

use std::path::Path;
use std::process::{Command, Output};

use chrono::NaiveDate;
use uuid::Uuid;
use vigil_core::fmea::{
    Action, ActionId, ActionKind, ActionStatus, Fmea, Rating, SpecialCharacteristic, Template,
};
use vigil_engine::Store;

/// A rating, trusted.
pub fn r(n: i64) -> Option<Rating> {
    Some(Rating::new(n).expect("a rating from 1 to 10"))
}

/// The rich FMEA, with fresh ids.
pub fn rich_fmea() -> Fmea {
    let template = Template::builtin("software-service")
        .expect("the template ships")
        .expect("the template is valid");
    let mut fmea = template.instantiate("Checkout, \"prod\"", Uuid::now_v7);
    let h = &mut fmea.header;
    h.company = "Acme Shop".into();
    h.customer = "Online customers".into();
    h.subject = "Checkout service".into();
    h.start_date = NaiveDate::from_ymd_opt(2026, 9, 1);
    h.revision_date = NaiveDate::from_ymd_opt(2026, 11, 15);
    h.confidentiality = "Internal".into();
    h.responsible = "Ana Pérez".into();
    h.team = "Ana Pérez (SRE)\nBo Li (payments), Chidi (DBA)".into();

    let c = &mut fmea.chains[0];
    (c.severity, c.occurrence, c.detection) = (r(8), r(6), r(5));
    c.special_characteristic = Some(SpecialCharacteristic::Significant);
    c.filter_code = "payments".into();
    let first = c.id;
    let c = &mut fmea.chains[1];
    (c.severity, c.occurrence, c.detection) = (r(9), r(2), r(7));
    c.special_characteristic = Some(SpecialCharacteristic::Other("★".into()));
    let c = &mut fmea.chains[4];
    (c.severity, c.occurrence, c.detection) = (r(3), r(9), r(1));
    c.effect.push_str(", and \"retries\" pile up");

    let mut a = Action::new(
        ActionId(Uuid::now_v7()),
        first,
        ActionKind::Preventive,
        "Add a 2 s timeout to the payment client",
    );
    a.responsible = "Bo Li".into();
    a.target_date = NaiveDate::from_ymd_opt(2026, 12, 1);
    a.status = ActionStatus::Completed;
    a.action_taken = "Timeout and circuit breaker merged".into();
    a.evidence = "PR #1234".into();
    a.completion_date = NaiveDate::from_ymd_opt(2026, 11, 28);
    a.new_occurrence = r(3);
    fmea.actions.push(a);
    let mut b = Action::new(
        ActionId(Uuid::now_v7()),
        first,
        ActionKind::Detective,
        "Alert on payment p99 > 1 s",
    );
    b.status = ActionStatus::DecisionPending;
    b.new_detection = r(3);
    fmea.actions.push(b);
    fmea.sort_parts();
    fmea
}

/// A store in a temp dir.
pub fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let store = Store::open(&dir.path().join("vigil.sqlite3")).expect("the database opens");
    (dir, store)
}

/// The `vigil` binary on a database in `dir`, with its other folders there too.
pub fn vigil(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_vigil"));
    command
        .arg("--db")
        .arg(dir.join("vigil.sqlite3"))
        .env("HOME", dir)
        .env("XDG_STATE_HOME", dir.join("state"))
        .env("XDG_CACHE_HOME", dir.join("cache"))
        .env("XDG_DATA_HOME", dir.join("data"))
        .env("USER", "tester")
        .env_remove("VIGIL_LOG")
        .env_remove("VIGIL_DB");
    command
}

/// Runs a command, which must start.
pub fn run(command: &mut Command) -> Output {
    command.output().expect("the vigil binary runs")
}

/// Output bytes as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
