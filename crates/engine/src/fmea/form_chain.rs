//! The cells of a failure chain and its actions, read from a worksheet row: ratings, dates,
//! marks, types and statuses, each checked and reported with its row and column when it does
//! not fit.

use std::str::FromStr;

use chrono::{Duration, NaiveDate};
use vigil_core::fmea::{
    Action, ActionId, ActionKind, ActionStatus, ChainId, ElementId, FailureChain, FailureModeId,
    FunctionId, Rating, SpecialCharacteristic,
};

use super::form::{Cell, Column, FormRow};
use super::form_read::{text, Reader};

impl Reader<'_> {
    fn rating(&mut self, n: usize, row: &FormRow, column: Column) -> Option<Rating> {
        let t = text(row, column)?;
        match Rating::from_str(&t) {
            Ok(r) => Some(r),
            Err(e) => {
                self.flag(n, column, e.to_string());
                None
            }
        }
    }

    fn date(&mut self, n: usize, row: &FormRow, column: Column) -> Option<NaiveDate> {
        match row.get(&column)? {
            Cell::Date(d) => Some(*d),
            // A date typed into a cell without a date format arrives as Excel's day number.
            Cell::Number(days) if (1.0..2_958_466.0).contains(days) => {
                NaiveDate::from_ymd_opt(1899, 12, 30)
                    .map(|epoch| epoch + Duration::days(*days as i64))
            }
            cell => {
                let t = cell.text();
                let t = t.trim();
                if t.is_empty() {
                    return None;
                }
                match NaiveDate::parse_from_str(t, "%Y-%m-%d") {
                    Ok(d) => Some(d),
                    Err(_) => {
                        self.flag(
                            n,
                            column,
                            format!("`{t}` is not a date: write it as YYYY-MM-DD"),
                        );
                        None
                    }
                }
            }
        }
    }

    pub(super) fn chain(
        &mut self,
        n: usize,
        row: &FormRow,
        mode: FailureModeId,
        effect_function: Option<FunctionId>,
        cause_element: Option<ElementId>,
        cause_function: Option<FunctionId>,
    ) -> ChainId {
        let id = self
            .id_in(n, row, Column::ChainId)
            .unwrap_or_else(|| (self.new_id)());
        if self.origin.insert(id, n).is_some() {
            self.flag(
                n,
                Column::ChainId,
                "this chain id is on an earlier row too; each chain has one row",
            );
        }
        let mut chain = FailureChain::new(ChainId(id), mode);
        chain.effect = text(row, Column::Effect).unwrap_or_default();
        chain.effect_function = effect_function;
        chain.cause = text(row, Column::Cause).unwrap_or_default();
        chain.cause_element = cause_element;
        chain.cause_function = cause_function;
        chain.prevention_controls = text(row, Column::PreventionControls).unwrap_or_default();
        chain.detection_controls = text(row, Column::DetectionControls).unwrap_or_default();
        chain.severity = self.rating(n, row, Column::Severity);
        chain.occurrence = self.rating(n, row, Column::Occurrence);
        chain.detection = self.rating(n, row, Column::Detection);
        chain.filter_code = text(row, Column::FilterCode).unwrap_or_default();
        if let Some(code) = text(row, Column::Special) {
            match SpecialCharacteristic::try_from(code) {
                Ok(mark) => chain.special_characteristic = Some(mark),
                Err(e) => self.flag(n, Column::Special, e),
            }
        }
        self.fmea.chains.push(chain);
        ChainId(id)
    }

    pub(super) fn action(&mut self, n: usize, row: &FormRow, chain: ChainId) {
        let id = self
            .id_in(n, row, Column::ActionId)
            .unwrap_or_else(|| (self.new_id)());
        if self.origin.insert(id, n).is_some() {
            self.flag(
                n,
                Column::ActionId,
                "this action id is on an earlier row too",
            );
        }
        let kind = match text(row, Column::ActionKind) {
            None => {
                self.flag(
                    n,
                    Column::ActionKind,
                    "missing: write preventive or detective",
                );
                ActionKind::Preventive
            }
            Some(t) => ActionKind::parse(&t).unwrap_or_else(|| {
                self.flag(
                    n,
                    Column::ActionKind,
                    format!("`{t}` is not an action type: write preventive or detective"),
                );
                ActionKind::Preventive
            }),
        };
        let status = match text(row, Column::Status) {
            None => ActionStatus::Open,
            Some(t) => ActionStatus::parse(&t).unwrap_or_else(|| {
                self.flag(n, Column::Status, format!("`{t}` is not a status: write open, decision pending, implementation pending, completed or not implemented"));
                ActionStatus::Open
            }),
        };
        let description = text(row, Column::Action).unwrap_or_default();
        if description.is_empty() {
            self.flag(n, Column::Action, "missing: say what the action will do");
        }
        let mut action = Action::new(ActionId(id), chain, kind, &description);
        action.status = status;
        action.responsible = text(row, Column::Responsible).unwrap_or_default();
        action.target_date = self.date(n, row, Column::TargetDate);
        action.action_taken = text(row, Column::ActionTaken).unwrap_or_default();
        action.evidence = text(row, Column::Evidence).unwrap_or_default();
        action.completion_date = self.date(n, row, Column::CompletionDate);
        action.new_severity = self.rating(n, row, Column::NewSeverity);
        action.new_occurrence = self.rating(n, row, Column::NewOccurrence);
        action.new_detection = self.rating(n, row, Column::NewDetection);
        self.fmea.actions.push(action);
    }
}
