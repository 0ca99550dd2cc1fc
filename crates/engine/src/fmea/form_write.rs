//! An FMEA as worksheet rows (see [`super::form`]). Rows follow the structure: each next higher
//! level element, then each of its focus elements with their functions, failure modes and
//! chains; parts no chain reaches get a row of their own after them.

use std::collections::BTreeSet;

use uuid::Uuid;
use vigil_core::fmea::{
    Action, FailureChain, FailureMode, Fmea, Function, StructureElement, StructureLevel,
};

use super::form::{Cell, Column, FormRow};

/// The rows of `fmea`, in worksheet order.
pub fn form_rows(fmea: &Fmea) -> Vec<FormRow> {
    let mut rows = Vec::new();
    let mut shown: BTreeSet<Uuid> = BTreeSet::new();
    let level = |l| {
        fmea.elements
            .iter()
            .filter(move |e: &&StructureElement| e.level == l)
    };
    for higher in level(StructureLevel::NextHigherLevel) {
        let base = element_row(higher, Column::HigherElement, Column::HigherElementId);
        let focuses = fmea.elements.iter().filter(|e| e.parent == Some(higher.id));
        for focus in focuses {
            let mut at_focus = base.clone();
            at_focus.extend(element_row(
                focus,
                Column::FocusElement,
                Column::FocusElementId,
            ));
            focus_rows(fmea, focus, &at_focus, &mut rows, &mut shown);
        }
        for f in fmea.functions.iter().filter(|f| f.element == higher.id) {
            if !shown.contains(&f.id.0) {
                let mut row = base.clone();
                row.extend(function_row(f, Column::HigherFunction));
                mark(&row, &mut shown);
                rows.push(row);
            }
        }
        if !shown.contains(&higher.id.0) {
            mark(&base, &mut shown);
            rows.push(base);
        }
    }
    rows
}

fn focus_rows(
    fmea: &Fmea,
    focus: &StructureElement,
    at_focus: &FormRow,
    rows: &mut Vec<FormRow>,
    shown: &mut BTreeSet<Uuid>,
) {
    for function in fmea.functions.iter().filter(|f| f.element == focus.id) {
        let mut at_function = at_focus.clone();
        at_function.extend(function_row(function, Column::FocusFunction));
        for mode in fmea
            .failure_modes
            .iter()
            .filter(|m| m.function == function.id)
        {
            let mut at_mode = at_function.clone();
            at_mode.extend(mode_row(mode));
            let chains: Vec<&FailureChain> = fmea
                .chains
                .iter()
                .filter(|c| c.failure_mode == mode.id)
                .collect();
            if chains.is_empty() {
                mark(&at_mode, shown);
                rows.push(at_mode.clone());
            }
            for chain in chains {
                let mut row = at_mode.clone();
                row.extend(chain_row(fmea, chain));
                let actions: Vec<&Action> = fmea
                    .actions
                    .iter()
                    .filter(|a| a.chain == chain.id)
                    .collect();
                let mut actions = actions.into_iter();
                if let Some(first) = actions.next() {
                    row.extend(action_row(first, chain));
                }
                mark(&row, shown);
                rows.push(row);
                for more in actions {
                    let mut row = FormRow::new();
                    row.insert(Column::ChainId, Cell::Text(chain.id.to_string()));
                    row.extend(action_row(more, chain));
                    rows.push(row);
                }
            }
        }
        if !shown.contains(&function.id.0) {
            mark(&at_function, shown);
            rows.push(at_function);
        }
    }
    for lower in fmea.elements.iter().filter(|e| e.parent == Some(focus.id)) {
        let mut at_lower = at_focus.clone();
        at_lower.extend(element_row(
            lower,
            Column::LowerElement,
            Column::LowerElementId,
        ));
        for f in fmea.functions.iter().filter(|f| f.element == lower.id) {
            if !shown.contains(&f.id.0) {
                let mut row = at_lower.clone();
                row.extend(function_row(f, Column::LowerFunction));
                mark(&row, shown);
                rows.push(row);
            }
        }
        if !shown.contains(&lower.id.0) {
            mark(&at_lower, shown);
            rows.push(at_lower);
        }
    }
    if !shown.contains(&focus.id.0) {
        mark(at_focus, shown);
        rows.push(at_focus.clone());
    }
}

/// Notes every part a row shows (by the ids in its id columns), so it gets no row of its own.
fn mark(row: &FormRow, shown: &mut BTreeSet<Uuid>) {
    for (column, cell) in row {
        if *column >= Column::HigherElementId {
            if let Ok(id) = Uuid::parse_str(&cell.text()) {
                shown.insert(id);
            }
        }
    }
}

fn text(value: &str) -> Option<Cell> {
    (!value.is_empty()).then(|| Cell::Text(value.to_owned()))
}

fn put(row: &mut FormRow, column: Column, cell: Option<Cell>) {
    if let Some(cell) = cell {
        row.insert(column, cell);
    }
}

fn element_row(e: &StructureElement, name: Column, id: Column) -> FormRow {
    let mut row = FormRow::new();
    row.insert(name, Cell::Text(e.name.clone()));
    row.insert(id, Cell::Text(e.id.to_string()));
    if name == Column::LowerElement {
        put(
            &mut row,
            Column::WorkElementType,
            e.work_element_type.map(|t| Cell::Text(t.as_str().into())),
        );
    }
    row
}

fn function_row(f: &Function, column: Column) -> FormRow {
    let (requirement, id) = match column {
        Column::HigherFunction => (Column::HigherRequirement, Column::HigherFunctionId),
        Column::FocusFunction => (Column::FocusRequirement, Column::FocusFunctionId),
        _ => (Column::LowerRequirement, Column::LowerFunctionId),
    };
    let mut row = FormRow::new();
    row.insert(column, Cell::Text(f.description.clone()));
    put(&mut row, requirement, text(&f.requirement));
    row.insert(id, Cell::Text(f.id.to_string()));
    row
}

fn mode_row(m: &FailureMode) -> FormRow {
    let mut row = FormRow::new();
    row.insert(Column::Mode, Cell::Text(m.description.clone()));
    row.insert(Column::ModeId, Cell::Text(m.id.to_string()));
    row
}

fn rating(r: Option<vigil_core::fmea::Rating>) -> Option<Cell> {
    r.map(|r| Cell::Number(f64::from(r.get())))
}

fn chain_row(fmea: &Fmea, c: &FailureChain) -> FormRow {
    let mut row = FormRow::new();
    if let Some(f) = c.effect_function.and_then(|id| fmea.function(id)) {
        row.extend(function_row(f, Column::HigherFunction));
    }
    if let Some(e) = c.cause_element.and_then(|id| fmea.element(id)) {
        row.extend(element_row(e, Column::LowerElement, Column::LowerElementId));
    }
    if let Some(f) = c.cause_function.and_then(|id| fmea.function(id)) {
        row.extend(function_row(f, Column::LowerFunction));
    }
    put(&mut row, Column::Effect, text(&c.effect));
    put(&mut row, Column::Severity, rating(c.severity));
    put(&mut row, Column::Cause, text(&c.cause));
    put(
        &mut row,
        Column::PreventionControls,
        text(&c.prevention_controls),
    );
    put(&mut row, Column::Occurrence, rating(c.occurrence));
    put(
        &mut row,
        Column::DetectionControls,
        text(&c.detection_controls),
    );
    put(&mut row, Column::Detection, rating(c.detection));
    put(
        &mut row,
        Column::Ap,
        c.action_priority().map(|ap| Cell::Text(ap.letter().into())),
    );
    put(
        &mut row,
        Column::Rpn,
        c.rpn().map(|n| Cell::Number(f64::from(n))),
    );
    put(
        &mut row,
        Column::Special,
        c.special_characteristic
            .as_ref()
            .map(|s| Cell::Text(s.code().into())),
    );
    put(&mut row, Column::FilterCode, text(&c.filter_code));
    row.insert(Column::ChainId, Cell::Text(c.id.to_string()));
    row
}

fn action_row(a: &Action, chain: &FailureChain) -> FormRow {
    let mut row = FormRow::new();
    row.insert(Column::ActionKind, Cell::Text(a.kind.as_str().into()));
    put(&mut row, Column::Action, text(&a.description));
    put(&mut row, Column::Responsible, text(&a.responsible));
    put(&mut row, Column::TargetDate, a.target_date.map(Cell::Date));
    row.insert(Column::Status, Cell::Text(a.status.as_str().into()));
    put(&mut row, Column::ActionTaken, text(&a.action_taken));
    put(&mut row, Column::Evidence, text(&a.evidence));
    put(
        &mut row,
        Column::CompletionDate,
        a.completion_date.map(Cell::Date),
    );
    put(&mut row, Column::NewSeverity, rating(a.new_severity));
    put(&mut row, Column::NewOccurrence, rating(a.new_occurrence));
    put(&mut row, Column::NewDetection, rating(a.new_detection));
    put(
        &mut row,
        Column::NewAp,
        a.new_action_priority(chain)
            .map(|ap| Cell::Text(ap.letter().into())),
    );
    row.insert(Column::ActionId, Cell::Text(a.id.to_string()));
    row
}
