//! Worksheet rows back into an FMEA (see [`super::form`]), checking every cell on the way. All
//! problems of all rows are collected with their row and column; the caller imports nothing
//! unless the list is empty.

use std::collections::HashMap;

use uuid::Uuid;
use vigil_core::fmea::{ChainId, Fmea, FmeaHeader, FmeaId, StructureLevel};

use super::error::ImportProblem;
use super::form::{Column, FormRow};

/// Reads `rows` (each with its row number) into an FMEA with `header`; `id` is the FMEA's id if
/// the file has one. `new_id` makes the ids of parts the file gives none for.
pub fn read_form(
    header: FmeaHeader,
    id: Option<FmeaId>,
    rows: &[(usize, FormRow)],
    new_id: &mut dyn FnMut() -> Uuid,
) -> Result<Fmea, Vec<ImportProblem>> {
    let mut fmea = Fmea::new(
        id.unwrap_or_else(|| FmeaId(new_id())),
        header.kind,
        &header.name,
    );
    fmea.header = header;
    let mut reader = Reader {
        fmea,
        problems: Vec::new(),
        origin: HashMap::new(),
        keys: HashMap::new(),
        last_chain: None,
        new_id,
    };
    for (n, row) in rows {
        reader.row(*n, row);
    }
    let Reader {
        mut fmea,
        mut problems,
        origin,
        ..
    } = reader;
    fmea.sort_parts();
    if problems.is_empty() {
        for p in fmea.problems() {
            problems.push(ImportProblem {
                row: origin.get(&p.target.id).copied(),
                column: None,
                message: format!("{} `{}`: {}", p.target.kind.as_str(), p.field, p.message),
            });
        }
    }
    if problems.is_empty() {
        Ok(fmea)
    } else {
        Err(problems)
    }
}

pub(super) struct Reader<'a> {
    pub(super) fmea: Fmea,
    problems: Vec<ImportProblem>,
    /// The first row each part came from, for problems found once the sheet is whole.
    pub(super) origin: HashMap<Uuid, usize>,
    /// Parts without ids in the sheet, by what names them: (kind, owner, text).
    pub(super) keys: HashMap<(&'static str, Option<Uuid>, String), Uuid>,
    last_chain: Option<ChainId>,
    pub(super) new_id: &'a mut dyn FnMut() -> Uuid,
}

/// The text of a cell, trimmed; `None` when empty.
pub(super) fn text(row: &FormRow, column: Column) -> Option<String> {
    row.get(&column)
        .map(|c| c.text().trim().to_owned())
        .filter(|t| !t.is_empty())
}

impl Reader<'_> {
    pub(super) fn flag(&mut self, n: usize, column: Column, message: impl Into<String>) {
        let title = column.title(self.fmea.kind());
        self.problems.push(ImportProblem::at(n, &title, message));
    }

    fn row(&mut self, n: usize, row: &FormRow) {
        let filled = |c: &Column| text(row, *c).is_some() && !c.is_computed();
        let structural = row.keys().filter(|c| filled(c)).any(|c| {
            !c.is_chain() && !c.is_action() && !matches!(c, Column::ChainId | Column::ActionId)
        });
        let has_chain = row.keys().filter(|c| filled(c)).any(|c| c.is_chain());
        let has_action = row.keys().filter(|c| filled(c)).any(|c| c.is_action());
        if !structural && !has_chain {
            if has_action {
                let chain = self
                    .id_in(n, row, Column::ChainId)
                    .map(ChainId)
                    .or(self.last_chain);
                match chain {
                    Some(chain) => self.action(n, row, chain),
                    None => self.flag(n, Column::Action, "this action follows no failure chain: put it on its chain's row or just below it"),
                }
            }
            return;
        }

        let Some(higher) = self.element(n, row, StructureLevel::NextHigherLevel, None) else {
            self.flag(
                n,
                Column::HigherElement,
                "missing: every row starts at its next higher level element",
            );
            return;
        };
        let focus = self.element(n, row, StructureLevel::FocusElement, Some(higher));
        let lower = match focus {
            Some(f) => self.element(n, row, StructureLevel::NextLowerLevel, Some(f)),
            None => {
                if text(row, Column::LowerElement).is_some() {
                    self.flag(
                        n,
                        Column::FocusElement,
                        "missing: a next lower level element needs its focus element",
                    );
                }
                None
            }
        };
        if lower.is_none() && text(row, Column::WorkElementType).is_some() {
            self.flag(
                n,
                Column::WorkElementType,
                "a 4M type needs its next lower level element",
            );
        }
        let hf = self.function(n, row, Column::HigherFunction, Some(higher));
        let ff = self.function(n, row, Column::FocusFunction, focus);
        let lf = self.function(n, row, Column::LowerFunction, lower);

        let mode = match (text(row, Column::Mode), ff) {
            (Some(description), Some(ff)) => Some(self.mode(n, row, ff, description)),
            (Some(_), None) => {
                self.flag(
                    n,
                    Column::FocusFunction,
                    "missing: a failure mode needs the focus element's function",
                );
                None
            }
            (None, _) => None,
        };
        self.last_chain = None;
        if has_chain || text(row, Column::ChainId).is_some() {
            let Some(mode) = mode else {
                self.flag(n, Column::Mode, "the failure mode is missing: a row with an effect, a cause or ratings needs its failure mode");
                return;
            };
            let chain = self.chain(n, row, mode, hf, lower, lf);
            self.last_chain = Some(chain);
            if has_action {
                self.action(n, row, chain);
            }
        } else if has_action {
            self.flag(
                n,
                Column::Action,
                "an action needs a failure chain (effect, mode and cause) on its row",
            );
        }
    }

    pub(super) fn id_in(&mut self, n: usize, row: &FormRow, column: Column) -> Option<Uuid> {
        let t = text(row, column)?;
        match Uuid::parse_str(&t) {
            Ok(id) => Some(id),
            Err(_) => {
                self.flag(
                    n,
                    column,
                    format!("`{t}` is not an id Vigil wrote; leave the cell empty for a new part"),
                );
                None
            }
        }
    }
}
