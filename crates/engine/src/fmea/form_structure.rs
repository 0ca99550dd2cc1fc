//! The structure, functions and failure modes named on a worksheet row, matched to the parts of
//! earlier rows: by id when the sheet has Vigil's id columns, else by name under the same owner.

use uuid::Uuid;
use vigil_core::fmea::{
    ElementId, FailureMode, FailureModeId, Function, FunctionId, StructureElement, StructureLevel,
    WorkElementType,
};

use super::form::{Column, FormRow};
use super::form_read::{text, Reader};

impl Reader<'_> {
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

    pub(super) fn element(
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

    pub(super) fn function(
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

    pub(super) fn mode(
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
