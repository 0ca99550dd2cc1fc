//! Worksheet rows back into an FMEA (see [`super::form`]), checking every cell on the way. All
//! problems of all rows are collected with their row and column; the caller imports nothing
//! unless the list is empty.

use std::collections::HashMap;

use uuid::Uuid;
use vigil_core::fmea::{
    ChainId, ElementId, FailureMode, FailureModeId, Fmea, FmeaHeader, FmeaId, Function, FunctionId,
    StructureElement, StructureLevel, WorkElementType,
};

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
    keys: HashMap<(&'static str, Option<Uuid>, String), Uuid>,
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

    /// The part with the row's id (or, without one, the one named the same under the same
    /// owner); `None` when the row names none.
    fn resolve(
        &mut self,
        n: usize,
        kind: &'static str,
        owner: Option<Uuid>,
        label: Option<String>,
        id: Option<Uuid>,
    ) -> Option<(Uuid, bool)> {
        let label = label?;
        let key = (kind, owner, label.to_lowercase());
        let id = match id {
            Some(id) => id,
            None => match self.keys.get(&key) {
                Some(id) => return Some((*id, false)),
                None => (self.new_id)(),
            },
        };
        self.keys.entry(key).or_insert(id);
        let fresh = !self.origin.contains_key(&id);
        self.origin.entry(id).or_insert(n);
        Some((id, fresh))
    }

    fn element(
        &mut self,
        n: usize,
        row: &FormRow,
        level: StructureLevel,
        parent: Option<ElementId>,
    ) -> Option<ElementId> {
        let (name_col, id_col) = match level {
            StructureLevel::NextHigherLevel => (Column::HigherElement, Column::HigherElementId),
            StructureLevel::FocusElement => (Column::FocusElement, Column::FocusElementId),
            StructureLevel::NextLowerLevel => (Column::LowerElement, Column::LowerElementId),
        };
        let id = self.id_in(n, row, id_col);
        let name = text(row, name_col);
        if name.is_none() && id.is_some() {
            self.flag(
                n,
                name_col,
                "missing: the row has this element's id but not its name",
            );
        }
        let work_type = match (level, text(row, Column::WorkElementType)) {
            (StructureLevel::NextLowerLevel, Some(t)) => match WorkElementType::parse(&t) {
                Some(t) => Some(t),
                None => {
                    self.flag(n, Column::WorkElementType, format!("`{t}` is not a 4M type: write man, machine, material, method, environment or measurement"));
                    None
                }
            },
            _ => None,
        };
        let (id, fresh) = self.resolve(n, "element", parent.map(|p| p.0), name.clone(), id)?;
        let element = StructureElement {
            id: ElementId(id),
            level,
            parent,
            name: name.unwrap_or_default(),
            work_element_type: work_type,
        };
        if fresh {
            self.fmea.elements.push(element);
        } else if !self
            .fmea
            .element(ElementId(id))
            .is_some_and(|e| same_element(e, &element))
        {
            self.flag(n, name_col, "this element differs from the same element on an earlier row (name, parent or 4M type)");
        }
        Some(ElementId(id))
    }

    fn function(
        &mut self,
        n: usize,
        row: &FormRow,
        column: Column,
        element: Option<ElementId>,
    ) -> Option<FunctionId> {
        let (req_col, id_col) = match column {
            Column::HigherFunction => (Column::HigherRequirement, Column::HigherFunctionId),
            Column::FocusFunction => (Column::FocusRequirement, Column::FocusFunctionId),
            _ => (Column::LowerRequirement, Column::LowerFunctionId),
        };
        let description = text(row, column);
        let requirement = text(row, req_col).unwrap_or_default();
        let id = self.id_in(n, row, id_col);
        if description.is_none() {
            if !requirement.is_empty() || id.is_some() {
                self.flag(
                    n,
                    column,
                    "missing: a requirement belongs to a function; write the function too",
                );
            }
            return None;
        }
        let Some(element) = element else {
            self.flag(
                n,
                column,
                "this function has no element on its row to belong to",
            );
            return None;
        };
        let (id, fresh) = self.resolve(n, "function", Some(element.0), description.clone(), id)?;
        let function = Function {
            id: FunctionId(id),
            element,
            description: description.unwrap_or_default(),
            requirement,
        };
        if fresh {
            self.fmea.functions.push(function);
        } else if !self
            .fmea
            .function(FunctionId(id))
            .is_some_and(|f| same_function(f, &function))
        {
            self.flag(n, column, "this function differs from the same function on an earlier row (text, requirement or element)");
        }
        Some(FunctionId(id))
    }

    fn mode(
        &mut self,
        n: usize,
        row: &FormRow,
        function: FunctionId,
        description: String,
    ) -> FailureModeId {
        let id = self.id_in(n, row, Column::ModeId);
        let resolved = self.resolve(n, "mode", Some(function.0), Some(description.clone()), id);
        let (id, fresh) = resolved.unwrap_or_else(|| ((self.new_id)(), true));
        let mode = FailureMode {
            id: FailureModeId(id),
            function,
            description,
        };
        if fresh {
            self.fmea.failure_modes.push(mode);
        } else if !self.fmea.failure_mode(FailureModeId(id)).is_some_and(|m| {
            m.function == mode.function && same_text(&m.description, &mode.description)
        }) {
            self.flag(
                n,
                Column::Mode,
                "this failure mode differs from the same mode on an earlier row",
            );
        }
        FailureModeId(id)
    }
}

/// Texts that name the same thing: equal but for case (a sheet typed by hand is not consistent
/// about capitals; the first spelling is kept).
fn same_text(first: &str, again: &str) -> bool {
    first.to_lowercase() == again.to_lowercase()
}

/// Whether a later row's element agrees with the first: a 4M type left out is no disagreement.
fn same_element(first: &StructureElement, again: &StructureElement) -> bool {
    first.level == again.level
        && first.parent == again.parent
        && same_text(&first.name, &again.name)
        && (again.work_element_type.is_none() || again.work_element_type == first.work_element_type)
}

/// Whether a later row's function agrees with the first: a requirement left out is no
/// disagreement.
fn same_function(first: &Function, again: &Function) -> bool {
    first.element == again.element
        && same_text(&first.description, &again.description)
        && (again.requirement.is_empty() || again.requirement == first.requirement)
}
