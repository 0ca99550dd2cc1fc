//! Tests of the operations on a whole FMEA (field edits, removal, validation, merge), on one
//! small process FMEA built from the shipped template.

use serde_json::json;
use uuid::Uuid;

use super::*;

fn counter(start: u128) -> impl FnMut() -> Uuid {
    let mut n = start;
    move || {
        n += 1;
        Uuid::from_u128(n)
    }
}

fn sample() -> Fmea {
    let template = Template::builtin("software-service").unwrap().unwrap();
    template.instantiate("Checkout", counter(0))
}

fn chain_ref(fmea: &Fmea, i: usize) -> EntityRef {
    EntityRef {
        kind: EntityKind::Chain,
        id: fmea.chains[i].id.0,
    }
}

#[test]
fn setting_a_rating_returns_the_old_and_new_value() {
    let mut fmea = sample();
    let target = chain_ref(&fmea, 0);

    let change = fmea.set_field(target, "severity", json!(8)).unwrap();

    assert_eq!((change.old, change.new), (json!(null), json!(8)));
    assert_eq!(fmea.chains[0].severity.map(Rating::get), Some(8));
}

#[test]
fn a_rating_of_eleven_is_refused_and_changes_nothing() {
    let mut fmea = sample();
    let before = fmea.clone();

    let err = fmea
        .set_field(chain_ref(&fmea, 0), "occurrence", json!(11))
        .unwrap_err();

    assert!(err.to_string().contains("1 to 10"), "{err}");
    assert_eq!(fmea, before);
}

#[test]
fn an_unknown_field_names_the_fields_there_are() {
    let mut fmea = sample();
    let err = fmea
        .set_field(chain_ref(&fmea, 0), "sevrity", json!(8))
        .unwrap_err();
    assert!(err.to_string().contains("severity"), "{err}");
}

#[test]
fn pointing_a_chain_at_a_missing_mode_is_refused() {
    let mut fmea = sample();
    let nowhere = Uuid::from_u128(999_999).to_string();
    let err = fmea
        .set_field(chain_ref(&fmea, 0), "failure_mode", json!(nowhere))
        .unwrap_err();
    assert!(err.to_string().contains("failure mode is missing"), "{err}");
}

#[test]
fn header_fields_are_edited_like_any_other() {
    let mut fmea = sample();
    let target = EntityRef {
        kind: EntityKind::Fmea,
        id: fmea.id.0,
    };
    fmea.set_field(target, "customer", json!("Shop team"))
        .unwrap();
    fmea.set_field(target, "start_date", json!("2026-11-02"))
        .unwrap();
    assert_eq!(fmea.header.customer, "Shop team");
    assert!(fmea
        .set_field(target, "start_date", json!("2 Nov"))
        .is_err());
}

#[test]
fn removing_a_focus_element_takes_its_modes_chains_and_actions_along() {
    let mut fmea = sample();
    let chain = fmea.chains[0].id;
    fmea.actions.push(Action::new(
        ActionId(Uuid::from_u128(500)),
        chain,
        ActionKind::Preventive,
        "Add timeouts",
    ));
    let mode = fmea
        .failure_mode(fmea.chains[0].failure_mode)
        .unwrap()
        .clone();
    let focus = fmea.function(mode.function).unwrap().element;

    let removed = fmea.remove(EntityRef {
        kind: EntityKind::Element,
        id: focus.0,
    });

    assert!(fmea.problems().is_empty(), "{:#?}", fmea.problems());
    assert!(fmea.failure_mode(mode.id).is_none());
    assert!(fmea.actions.is_empty());
    assert!(removed.iter().any(|e| matches!(e, Entity::Action(_))));
    assert_eq!(removed[0].entity_ref().id, focus.0);
}

#[test]
fn a_failure_mode_without_a_description_is_a_problem() {
    let mut fmea = sample();
    fmea.failure_modes[0].description = "  ".into();
    let problems = fmea.problems();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!(problems[0].field, "description");
}

#[test]
fn work_element_types_belong_to_process_fmeas_only() {
    let mut fmea = sample();
    fmea.header.kind = FmeaKind::Design;
    assert!(fmea
        .problems()
        .iter()
        .all(|p| p.field == "work_element_type"));
    assert!(!fmea.problems().is_empty());
}

#[test]
fn the_filter_keeps_high_priority_chains_with_their_text() {
    let mut fmea = sample();
    let r = |n| Some(Rating::new(n).unwrap());
    (
        fmea.chains[0].severity,
        fmea.chains[0].occurrence,
        fmea.chains[0].detection,
    ) = (r(9), r(8), r(7));
    (
        fmea.chains[1].severity,
        fmea.chains[1].occurrence,
        fmea.chains[1].detection,
    ) = (r(3), r(2), r(2));
    let filter = ChainFilter {
        min_priority: Some(ActionPriority::High),
        ..ChainFilter::default()
    };

    let ids: Vec<ChainId> = fmea.filter_chains(&filter).map(|c| c.id).collect();

    assert_eq!(ids, [fmea.chains[0].id]);
    let text = ChainFilter {
        text: Some("RETRY STORM".into()),
        ..ChainFilter::default()
    };
    assert_eq!(fmea.filter_chains(&text).count(), 1);
    let summary = fmea.summary();
    assert_eq!((summary.high, summary.low), (1, 1));
    assert_eq!(summary.unrated, fmea.chains.len() - 2);
}

#[test]
fn fields_changed_on_one_side_only_merge_without_conflict() {
    let base = sample();
    let mut ours = base.clone();
    let mut theirs = base.clone();
    ours.chains[0].severity = Some(Rating::new(7).unwrap());
    theirs.chains[0].detection_controls = "Synthetic probe every minute".into();
    theirs.failure_modes[1].description = "Capacity runs out".into();

    let outcome = merge(Some(&base), &ours, &theirs, &Picks::new());

    assert!(outcome.conflicts.is_empty(), "{:#?}", outcome.conflicts);
    assert_eq!(outcome.merged.chains[0].severity, ours.chains[0].severity);
    assert_eq!(
        outcome.merged.chains[0].detection_controls,
        "Synthetic probe every minute"
    );
    assert_eq!(
        outcome.merged.failure_modes[1].description,
        "Capacity runs out"
    );
}

#[test]
fn a_field_both_sides_changed_is_a_conflict_that_the_pick_resolves() {
    let base = sample();
    let mut ours = base.clone();
    let mut theirs = base.clone();
    ours.chains[2].cause = "ours".into();
    theirs.chains[2].cause = "theirs".into();
    let target = chain_ref(&base, 2);

    let first = merge(Some(&base), &ours, &theirs, &Picks::new());
    let mut picks = Picks::new();
    picks.insert((target, "cause".into()), Side::Theirs);
    let second = merge(Some(&base), &ours, &theirs, &picks);

    assert_eq!(first.conflicts.len(), 1);
    assert_eq!(first.conflicts[0].field, "cause");
    assert_eq!(first.conflicts[0].theirs, Some(json!("theirs")));
    assert_eq!(first.merged.chains[2].cause, "ours");
    assert_eq!(first.unpicked(&Picks::new()).count(), 1);
    assert_eq!(second.merged.chains[2].cause, "theirs");
    assert_eq!(second.unpicked(&picks).count(), 0);
}

#[test]
fn a_mode_removed_on_one_side_takes_the_other_sides_new_chain_with_it() {
    let base = sample();
    let mut ours = base.clone();
    let mut theirs = base.clone();
    let mode = base.failure_modes[0].id;
    ours.remove(EntityRef {
        kind: EntityKind::FailureMode,
        id: mode.0,
    });
    theirs
        .chains
        .push(FailureChain::new(ChainId(Uuid::from_u128(777)), mode));

    let outcome = merge(Some(&base), &ours, &theirs, &Picks::new());

    assert!(outcome.conflicts.is_empty(), "{:#?}", outcome.conflicts);
    assert!(outcome.merged.failure_mode(mode).is_none());
    assert!(outcome
        .dropped
        .iter()
        .any(|e| e.entity_ref().id == Uuid::from_u128(777)));
    assert!(outcome.merged.problems().is_empty());
}

#[test]
fn without_a_base_every_difference_is_a_conflict() {
    let ours = sample();
    let mut theirs = ours.clone();
    theirs.header.team = "Ana, Bo".into();
    let outcome = merge(None, &ours, &theirs, &Picks::new());
    assert_eq!(outcome.conflicts.len(), 1);
    assert_eq!(outcome.merged, ours);
}

#[test]
fn a_cause_in_another_steps_work_element_is_a_problem() {
    let mut fmea = sample();
    let other_step_chain = fmea
        .chains
        .iter()
        .position(|c| {
            c.cause_element != fmea.chains[0].cause_element
                && fmea
                    .failure_modes
                    .iter()
                    .find(|m| m.id == c.failure_mode)
                    .map(|m| m.function)
                    != fmea
                        .failure_modes
                        .iter()
                        .find(|m| m.id == fmea.chains[0].failure_mode)
                        .map(|m| m.function)
        })
        .unwrap();
    fmea.chains[0].cause_element = fmea.chains[other_step_chain].cause_element;

    let problems = fmea.problems();

    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert_eq!(problems[0].field, "cause_element");
    assert_eq!(
        problems[1].field, "cause_function",
        "its function no longer matches either"
    );
}

#[test]
fn an_effect_on_a_function_of_the_focus_element_itself_is_a_problem() {
    let mut fmea = sample();
    let mode = fmea
        .failure_mode(fmea.chains[0].failure_mode)
        .unwrap()
        .clone();
    fmea.chains[0].effect_function = Some(mode.function);

    let problems = fmea.problems();

    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!(problems[0].field, "effect_function");
}
