//! `vigil fmea` end to end through the built binary: action priority, new from the template,
//! list, export in each format, import with its exit codes, merge.
#![allow(clippy::unwrap_used, reason = "a test fails on purpose")]

mod fmea_fixture;

use fmea_fixture::{run, text, vigil};

#[test]
fn vigil_fmea_ap_prints_the_priority_and_the_rpn() {
    let dir = tempfile::tempdir().unwrap();

    let out = run(vigil(dir.path()).args(["fmea", "ap", "9", "7", "8"]));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "AP H (high)  RPN 504\n");

    let out = run(vigil(dir.path()).args(["fmea", "ap", "5", "5", "5"]));
    assert_eq!(text(&out.stdout), "AP L (low)  RPN 125\n");

    let out = run(vigil(dir.path()).args(["fmea", "ap", "11", "5", "5"]));
    assert_eq!(out.status.code(), Some(2), "a rating of 11 is bad usage");
    assert!(
        !dir.path().join("vigil.sqlite3").exists(),
        "ap needs no database"
    );
}

#[test]
fn a_new_fmea_from_the_template_exports_and_imports_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(vigil(dir.path()).args([
        "fmea",
        "new",
        "--template",
        "software-service",
        "--name",
        "Checkout",
    ]));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let id = text(&out.stdout).trim().to_owned();
    assert_eq!(id.len(), 36, "{id}");

    let out = run(vigil(dir.path()).args(["fmea", "list", "--json"]));
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list[0]["id"], id.as_str());
    assert_eq!(list[0]["name"], "Checkout");
    assert_eq!(list[0]["kind"], "process");
    let original = run(vigil(dir.path()).args(["fmea", "show", &id])).stdout;

    for format in ["xlsx", "csv", "bundle"] {
        let file = dir.path().join(format!(
            "checkout.{}",
            if format == "bundle" { "json" } else { format }
        ));
        let out = run(vigil(dir.path())
            .args(["fmea", "export", &id, "--format", format, "--out"])
            .arg(&file));
        assert_eq!(
            out.status.code(),
            Some(0),
            "{format}: {}",
            text(&out.stderr)
        );

        let other = tempfile::tempdir().unwrap();
        let out = run(vigil(other.path()).args(["fmea", "import"]).arg(&file));
        assert_eq!(
            out.status.code(),
            Some(0),
            "{format}: {}",
            text(&out.stderr)
        );
        assert_eq!(
            text(&out.stdout).trim(),
            id,
            "{format}: the ids travel with the file"
        );
        let shown = run(vigil(other.path()).args(["fmea", "show", &id])).stdout;
        assert_eq!(text(&shown), text(&original), "{format}");
    }

    let out =
        run(vigil(dir.path()).args(["fmea", "export", &id, "--format", "pdf", "--out", "x.pdf"]));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("not available yet"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn importing_a_bad_file_exits_1_lists_every_problem_and_imports_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.csv");
    std::fs::write(
        &file,
        "Next higher level,Focus element,Focus element function,Failure mode (FM),Severity (S)\n\
         Checkout,Payments,Take payments,Timeout,12\n\
         Checkout,Payments,Take payments,,7\n",
    )
    .unwrap();

    let out = run(vigil(dir.path()).args(["fmea", "import"]).arg(&file));

    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("bad.csv: row 2, column \"Severity (S)\": 12 is not a rating"),
        "{stderr}"
    );
    assert!(
        stderr.contains("bad.csv: row 3, column \"Failure mode (FM)\""),
        "{stderr}"
    );
    assert!(
        stderr.contains("2 problem(s) in bad.csv; nothing was imported"),
        "{stderr}"
    );
    let out = run(vigil(dir.path()).args(["fmea", "list", "--json"]));
    assert_eq!(text(&out.stdout).trim(), "[]");
}

#[test]
fn merging_a_bundle_with_a_conflict_needs_a_preference() {
    let dir = tempfile::tempdir().unwrap();
    let id = text(
        &run(vigil(dir.path()).args([
            "fmea",
            "new",
            "--template",
            "software-service",
            "--name",
            "Checkout",
        ]))
        .stdout,
    )
    .trim()
    .to_owned();
    let file = dir.path().join("checkout.json");
    run(vigil(dir.path())
        .args(["fmea", "export", &id, "--format", "bundle", "--out"])
        .arg(&file));
    // The workshop renames the FMEA in the bundle; the office renames it too, differently.
    let bundle = std::fs::read_to_string(&file).unwrap();
    let edited = bundle.replacen(
        "\"name\": \"Checkout\"",
        "\"name\": \"Checkout (workshop)\"",
        1,
    );
    std::fs::write(&file, edited).unwrap();
    let mut store = vigil_engine::Store::open(&dir.path().join("vigil.sqlite3")).unwrap();
    let fmea_id: vigil_core::fmea::FmeaId = id.parse().unwrap();
    let header = vigil_core::fmea::EntityRef {
        kind: vigil_core::fmea::EntityKind::Fmea,
        id: fmea_id.0,
    };
    store
        .edit_fmea_field(
            fmea_id,
            header,
            "name",
            serde_json::json!("Checkout (office)"),
            "ana",
        )
        .unwrap();
    drop(store);

    let out = run(vigil(dir.path()).args(["fmea", "merge"]).arg(&file));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr)
            .contains("name: ours \"Checkout (office)\" / theirs \"Checkout (workshop)\""),
        "{}",
        text(&out.stderr)
    );

    let out = run(vigil(dir.path())
        .args(["fmea", "merge", "--prefer", "theirs"])
        .arg(&file));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = run(vigil(dir.path()).args(["fmea", "list", "--json"]));
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list[0]["name"], "Checkout (workshop)");
}
