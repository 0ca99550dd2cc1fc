//! `vigil postmortem` and `vigil search` end to end: the real binary on a real database file.
#![allow(
    clippy::unwrap_used,
    reason = "a test's helpers fail the test on purpose"
)]

mod postmortem_support;

use std::path::Path;
use std::process::{Command, Output};

use postmortem_support::{checkout_incident, open_store};

fn vigil(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vigil"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("VIGIL_LOG", "warn")
        .output()
        .unwrap()
}

fn stdout(out: &Output) -> String {
    assert!(
        out.status.success(),
        "vigil failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

#[test]
fn a_postmortem_is_created_listed_exported_searched_and_locked_from_the_command_line() {
    let (dir, mut store) = open_store();
    let incident = checkout_incident(&mut store).to_string();
    let db = store.path().to_owned();
    drop(store);

    let id = stdout(&vigil(
        &db,
        &["postmortem", "create", "--incident", &incident],
    ))
    .trim()
    .to_owned();
    assert_eq!(id.len(), 36, "prints the new id: {id}");

    let list: serde_json::Value =
        serde_json::from_str(&stdout(&vigil(&db, &["postmortem", "list", "--json"]))).unwrap();
    assert_eq!(list[0]["id"], id.as_str());
    assert_eq!(list[0]["status"], "draft");
    assert_eq!(list[0]["incident_count"], 1);

    let md = dir.path().join("pm.md");
    let html = dir.path().join("pm.html");
    stdout(&vigil(
        &db,
        &[
            "postmortem",
            "export",
            &id,
            "--format",
            "md",
            "--out",
            md.to_str().unwrap(),
        ],
    ));
    stdout(&vigil(
        &db,
        &[
            "postmortem",
            "export",
            &id,
            "--format",
            "html",
            "--out",
            html.to_str().unwrap(),
        ],
    ));
    let text = std::fs::read_to_string(&md).unwrap();
    assert!(text.starts_with("# Postmortem: Checkout latency above SLO"));
    assert!(std::fs::read_to_string(&html).unwrap().contains("<table>"));

    let pdf = vigil(
        &db,
        &[
            "postmortem",
            "export",
            &id,
            "--format",
            "pdf",
            "--out",
            "x.pdf",
        ],
    );
    assert_eq!(pdf.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&pdf.stderr).contains("PDF export is not available yet"));

    std::fs::write(
        &md,
        text.replace(
            "## Trigger\n<!-- vigil:section trigger -->\n",
            "## Trigger\n<!-- vigil:section trigger -->\n\nA shrunken memcached pool.\n",
        ),
    )
    .unwrap();
    assert_eq!(
        stdout(&vigil(
            &db,
            &["postmortem", "import", &id, md.to_str().unwrap()]
        ))
        .trim(),
        "1 sections changed"
    );
    let hits: serde_json::Value =
        serde_json::from_str(&stdout(&vigil(&db, &["search", "memcached", "--json"]))).unwrap();
    assert_eq!(hits[0]["kind"], "postmortem");
    assert_eq!(hits[0]["id"], id.as_str());
    let hits = stdout(&vigil(&db, &["search", "latency"]));
    assert!(hits.contains(&format!("incident    {incident}")), "{hits}");

    stdout(&vigil(
        &db,
        &["postmortem", "review", &id, "--reviewer", "Chris"],
    ));
    stdout(&vigil(&db, &["postmortem", "publish", &id]));
    let refused = vigil(&db, &["postmortem", "import", &id, md.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(1));
    let reason = String::from_utf8_lossy(&refused.stderr);
    assert!(
        reason.contains("is published and refuses edits; reopen it first"),
        "{reason}"
    );
}

#[test]
fn creating_a_postmortem_without_an_incident_is_a_usage_error() {
    let (_dir, store) = open_store();
    let out = vigil(store.path(), &["postmortem", "create"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn hints_point_at_blaming_phrases_in_the_sections() {
    let (dir, mut store) = open_store();
    let incident = checkout_incident(&mut store);
    let id = store
        .create_postmortem(&[incident], "short", "tester")
        .unwrap();
    store
        .save_postmortem_section(id, "why-it-happened", "Dana caused it; human error.", "t")
        .unwrap();
    let db = store.path().to_owned();
    drop(store);

    let out = stdout(&vigil(&db, &["postmortem", "hints", &id.to_string()]));

    assert!(
        out.contains("Why it happened (bytes 0-11): \"Dana caused\""),
        "{out}"
    );
    assert!(out.contains("\"human error\""), "{out}");
    assert!(out.ends_with("2 hints\n"), "{out}");
    drop(dir);
}
