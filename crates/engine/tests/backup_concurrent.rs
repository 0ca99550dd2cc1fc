//! A backup taken while another connection keeps writing is one consistent snapshot: every
//! transaction is in it whole or not at all.
#![allow(
    clippy::unwrap_used,
    reason = "a test's helpers fail the test on purpose"
)]

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use chrono::Utc;
use rusqlite::Connection;
use vigil_engine::backup;
use vigil_engine::Store;

#[test]
fn a_backup_taken_while_another_connection_writes_holds_whole_transactions() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("vigil.sqlite3");
    let store = Store::open(&db).unwrap();

    // The writer adds settings in pairs, one transaction per pair, as fast as it can.
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (db, stop) = (db.clone(), Arc::clone(&stop));
        std::thread::spawn(move || {
            let mut writer = Store::open(&db).unwrap();
            let mut pairs = 0u64;
            while !stop.load(Ordering::Relaxed) {
                writer
                    .write(|tx| {
                        for half in ["a", "b"] {
                            tx.execute(
                                "INSERT INTO settings (key, value) VALUES (?1, 'x')",
                                [format!("pair-{pairs}-{half}")],
                            )?;
                        }
                        Ok(())
                    })
                    .unwrap();
                pairs += 1;
            }
            pairs
        })
    };

    // Let some pairs land, then back up several times while the writer goes on.
    std::thread::sleep(std::time::Duration::from_millis(100));
    let mut counts = Vec::new();
    for _ in 0..5 {
        let made = backup::back_up(&store, Utc::now()).unwrap();
        let copy = Connection::open(&made.path).unwrap();
        let rows: i64 = copy
            .query_row(
                "SELECT count(*) FROM settings WHERE key LIKE 'pair-%'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        let check: String = copy
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(check, "ok");
        assert_eq!(rows % 2, 0, "a backup holds half of a transaction");
        counts.push(rows);
    }
    stop.store(true, Ordering::Relaxed);
    let pairs = writer.join().unwrap();

    assert!(pairs > 10, "the writer wrote only {pairs} pairs");
    assert!(counts.iter().any(|&n| n > 0), "{counts:?}");
    assert!(counts.windows(2).all(|w| w[0] <= w[1]), "{counts:?}");
}
