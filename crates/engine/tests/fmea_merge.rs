//! Offline workshops: a bundle exported, edited elsewhere, and merged back field by field, with
//! the fields both sides changed returned as conflicts for the user to pick.
#![allow(clippy::unwrap_used, reason = "a test fails on purpose")]

mod fmea_fixture;

use fmea_fixture::{r, rich_fmea, store};
use serde_json::json;
use vigil_core::fmea::{EntityKind, EntityRef, Picks, Side};
use vigil_engine::fmea::{read_bundle, Bundle, FmeaError, Format};

#[test]
fn a_workshop_bundle_merges_back_and_a_field_changed_on_both_sides_is_a_conflict() {
    // The office exports a bundle; the workshop laptop imports it.
    let (_office_dir, mut office) = store();
    let (_laptop_dir, mut laptop) = store();
    let fmea = rich_fmea();
    office.create_fmea(&fmea, "ana").unwrap();
    let bytes = office.export_fmea(fmea.id, Format::Bundle).unwrap();
    laptop
        .import_fmea(&bytes, "checkout.json", Format::Bundle, "bo")
        .unwrap();

    // Both edit: the same chain's cause differently, and one other field each.
    let chain = |i: usize| EntityRef {
        kind: EntityKind::Chain,
        id: fmea.chains[i].id.0,
    };
    office
        .edit_fmea_field(fmea.id, chain(2), "cause", json!("office's cause"), "ana")
        .unwrap();
    office
        .edit_fmea_field(fmea.id, chain(3), "severity", json!(6), "ana")
        .unwrap();
    laptop
        .edit_fmea_field(fmea.id, chain(2), "cause", json!("workshop's cause"), "bo")
        .unwrap();
    laptop
        .edit_fmea_field(fmea.id, chain(3), "occurrence", json!(4), "bo")
        .unwrap();
    let back = laptop.export_fmea(fmea.id, Format::Bundle).unwrap();

    // Without picks nothing is merged; the preview lists the one conflict.
    let err = office
        .merge_bundle(&back, "back.json", &Picks::new(), None, "ana")
        .unwrap_err();
    assert!(matches!(err, FmeaError::UnresolvedConflicts(1)), "{err}");
    let preview = office.preview_bundle_merge(&back, "back.json").unwrap();
    assert_eq!(preview.conflicts.len(), 1);
    let conflict = &preview.conflicts[0];
    assert_eq!(
        (conflict.target, conflict.field.as_str()),
        (chain(2), "cause")
    );
    assert_eq!(conflict.ours, Some(json!("office's cause")));
    assert_eq!(conflict.theirs, Some(json!("workshop's cause")));

    // The user picks the workshop's cause.
    let mut picks = Picks::new();
    picks.insert((chain(2), "cause".into()), Side::Theirs);
    office
        .merge_bundle(&back, "back.json", &picks, None, "ana")
        .unwrap();

    let merged = office.load_fmea(fmea.id).unwrap();
    assert_eq!(merged.chains[2].cause, "workshop's cause");
    assert_eq!(
        (merged.chains[3].severity, merged.chains[3].occurrence),
        (r(6), r(4))
    );
}

#[test]
fn a_bundle_edited_by_hand_merges_without_conflict_against_its_base() {
    let (_dir, mut office) = store();
    let fmea = rich_fmea();
    office.create_fmea(&fmea, "ana").unwrap();
    let bytes = office.export_fmea(fmea.id, Format::Bundle).unwrap();
    let mut bundle: Bundle = read_bundle(&bytes).unwrap();
    bundle.fmea.header.team.push_str(", Dee (QA)");
    bundle.fmea.chains.remove(5);

    let outcome = office
        .merge_bundle(
            &bundle.to_bytes().unwrap(),
            "edited.json",
            &Picks::new(),
            None,
            "ana",
        )
        .unwrap();

    assert!(outcome.conflicts.is_empty());
    let merged = office.load_fmea(fmea.id).unwrap();
    assert!(merged.header.team.ends_with("Dee (QA)"));
    assert_eq!(merged.chains.len(), fmea.chains.len() - 1);
}

#[test]
fn a_bundle_of_an_fmea_that_is_not_here_is_imported_not_merged() {
    let (_a, mut office) = store();
    let (_b, mut other) = store();
    let fmea = rich_fmea();
    office.create_fmea(&fmea, "ana").unwrap();
    let bytes = office.export_fmea(fmea.id, Format::Bundle).unwrap();

    let err = other
        .merge_bundle(&bytes, "x.json", &Picks::new(), Some(Side::Ours), "bo")
        .unwrap_err();

    assert!(
        err.to_string().contains("import the bundle instead"),
        "{err}"
    );
}

#[test]
fn a_bundle_with_a_rating_of_eleven_imports_nothing_and_names_the_part_then_the_missing_mode() {
    let (_dir, mut store) = store();
    let fmea = rich_fmea();
    let mut value = serde_json::to_value(Bundle::new(fmea.clone(), None)).unwrap();
    value["fmea"]["chains"][1]["severity"] = json!(11);
    value["fmea"]["chains"][2]["failure_mode"] = json!(uuid::Uuid::now_v7().to_string());
    let bytes = serde_json::to_vec(&value).unwrap();

    let err = store
        .import_fmea(&bytes, "bad.json", Format::Bundle, "ana")
        .unwrap_err();

    let FmeaError::Import(report) = err else {
        panic!("not an import report: {err}")
    };
    assert_eq!(
        report.problems.len(),
        1,
        "the broken rating hides the broken reference: {report}"
    );
    assert_eq!(report.problems[0].column.as_deref(), Some("fmea.chains[1]"));
    value["fmea"]["chains"][1]["severity"] = json!(9);
    let bytes = serde_json::to_vec(&value).unwrap();
    let err = store
        .import_fmea(&bytes, "bad.json", Format::Bundle, "ana")
        .unwrap_err();
    assert!(err.to_string().contains("failure mode is missing"), "{err}");
    assert!(store.list_fmeas().unwrap().is_empty());
}
