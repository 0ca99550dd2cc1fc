//! A token saved in the OS keychain survives the process that saved it: a new process reads it
//! back. This needs a real Secret Service (on Linux: GNOME Keyring, unlocked, on the session
//! D-Bus); without one the test fails and says so, because an in-memory store would let tokens
//! vanish while every other test stays green. Run it as:
//!
//! ```text
//! dbus-run-session -- bash -c 'export HOME=$(mktemp -d); echo -n pw | \
//!   gnome-keyring-daemon --unlock --components=secrets >/dev/null; \
//!   cargo test -p vigil-engine keychain'
//! ```
#![allow(
    clippy::unwrap_used,
    reason = "a test's helpers fail the test on purpose"
)]

use std::process::Command;

use vigil_core::SourceKind;
use vigil_engine::secrets::{self, Token};
use vigil_engine::store::NewSource;
use vigil_engine::Store;

const CHILD_NAME: &str = "the_keychain_token_is_read_back_by_a_new_process";
const DB_VAR: &str = "VIGIL_KEYCHAIN_TEST_DB";
const EXPECTED_VAR: &str = "VIGIL_KEYCHAIN_TEST_EXPECTED";

#[test]
fn a_token_saved_in_the_keychain_survives_a_restart_of_the_process() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("vigil.sqlite3");
    let mut store = Store::open(&db).unwrap();
    let source = store
        .add_source(&NewSource {
            kind: SourceKind::PagerDuty,
            name: "PagerDuty (keychain test)".into(),
            base_url: Some("https://api.pagerduty.com".into()),
        })
        .unwrap();
    let token = Token::new(&format!("keychain-test-{}", source.id));

    if let Err(e) = secrets::save_token(&source, &token) {
        panic!(
            "this test needs a Secret Service on the session D-Bus (GNOME Keyring, unlocked); \
             run it inside dbus-run-session as the file's documentation shows. The keychain \
             said: {e}"
        );
    }

    // A new process, which shares nothing with this one but the keychain and the database.
    let child = Command::new(std::env::current_exe().unwrap())
        .args([
            CHILD_NAME,
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(DB_VAR, &db)
        .env(EXPECTED_VAR, token.expose())
        .env_remove("VIGIL_PAGERDUTY_TOKEN")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&child.stdout);
    let cleanup = secrets::delete_token(&source);

    assert!(
        child.status.success() && stdout.contains("1 passed"),
        "the new process did not read the token back:\n{stdout}\n{}",
        String::from_utf8_lossy(&child.stderr)
    );
    cleanup.unwrap();
    assert!(!secrets::has_stored_token(&source), "deleted again");
}

/// The new process's half; run only by the test above, which passes it the database and the
/// token to expect (without `VIGIL_PAGERDUTY_TOKEN`, so the keychain must answer).
#[test]
#[ignore = "run in a child process by a_token_saved_in_the_keychain_survives_a_restart_of_the_process"]
fn the_keychain_token_is_read_back_by_a_new_process() {
    let db = std::env::var_os(DB_VAR).expect("started by the parent test");
    let expected = std::env::var(EXPECTED_VAR).expect("started by the parent test");
    assert!(std::env::var_os("VIGIL_PAGERDUTY_TOKEN").is_none());

    let store = Store::open(std::path::Path::new(&db)).unwrap();
    let source = store
        .sources()
        .unwrap()
        .into_iter()
        .next()
        .expect("the parent's source");
    let found = secrets::find_token(&source)
        .expect("the keychain answers")
        .expect("a token");
    assert_eq!(found.expose(), expected);
}
