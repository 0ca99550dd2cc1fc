//! The whole FMEA as one value: the header and flat lists of its parts that point at each other
//! by id. Flat lists keep a bundle, a revision and the database rows the same shape, and make a
//! merge a matter of matching ids; the tree and the worksheet rows are views computed from them.

use serde::{Deserialize, Serialize};

use super::action::Action;
use super::entity::{Entity, EntityKind, EntityRef, FieldError};
use super::failure::{FailureChain, FailureMode};
use super::header::{FmeaHeader, FmeaKind};
use super::ids::{ElementId, FailureModeId, FmeaId, FunctionId};
use super::structure::{Function, StructureElement};

/// One FMEA document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fmea {
    /// Its id.
    pub id: FmeaId,
    /// Name, kind, planning and administrative fields.
    pub header: FmeaHeader,
    /// The structure tree, parents before children.
    #[serde(default)]
    pub elements: Vec<StructureElement>,
    /// The functions of the elements.
    #[serde(default)]
    pub functions: Vec<Function>,
    /// The failure modes of the focus elements' functions.
    #[serde(default)]
    pub failure_modes: Vec<FailureMode>,
    /// The failure chains: the worksheet's rows.
    #[serde(default)]
    pub chains: Vec<FailureChain>,
    /// The optimisation actions.
    #[serde(default)]
    pub actions: Vec<Action>,
}

/// A field that changed, as the audit log records it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldChange {
    /// The part.
    pub target: EntityRef,
    /// The field.
    pub field: String,
    /// The value before.
    pub old: serde_json::Value,
    /// The value after.
    pub new: serde_json::Value,
}

impl Fmea {
    /// An empty FMEA of `kind` called `name`.
    pub fn new(id: FmeaId, kind: FmeaKind, name: &str) -> Self {
        Fmea {
            id,
            header: FmeaHeader {
                name: name.to_owned(),
                kind,
                ..FmeaHeader::default()
            },
            elements: Vec::new(),
            functions: Vec::new(),
            failure_modes: Vec::new(),
            chains: Vec::new(),
            actions: Vec::new(),
        }
    }

    /// The kind, which decides the rating scales.
    pub fn kind(&self) -> FmeaKind {
        self.header.kind
    }

    /// Every part, header first, then in list order.
    pub fn entities(&self) -> Vec<Entity> {
        let mut all = vec![Entity::Header(self.id.0, self.header.clone())];
        all.extend(self.elements.iter().cloned().map(Entity::Element));
        all.extend(self.functions.iter().cloned().map(Entity::Function));
        all.extend(self.failure_modes.iter().cloned().map(Entity::FailureMode));
        all.extend(self.chains.iter().cloned().map(Entity::Chain));
        all.extend(self.actions.iter().cloned().map(Entity::Action));
        all
    }

    /// The part named by `target`, if it is in this FMEA.
    pub fn entity(&self, target: EntityRef) -> Option<Entity> {
        let id = target.id;
        match target.kind {
            EntityKind::Fmea => (id == self.id.0).then(|| Entity::Header(id, self.header.clone())),
            EntityKind::Element => self
                .elements
                .iter()
                .find(|e| e.id.0 == id)
                .cloned()
                .map(Entity::Element),
            EntityKind::Function => self
                .functions
                .iter()
                .find(|f| f.id.0 == id)
                .cloned()
                .map(Entity::Function),
            EntityKind::FailureMode => self
                .failure_modes
                .iter()
                .find(|m| m.id.0 == id)
                .cloned()
                .map(Entity::FailureMode),
            EntityKind::Chain => self
                .chains
                .iter()
                .find(|c| c.id.0 == id)
                .cloned()
                .map(Entity::Chain),
            EntityKind::Action => self
                .actions
                .iter()
                .find(|a| a.id.0 == id)
                .cloned()
                .map(Entity::Action),
        }
    }

    /// Puts `entity` in: replaces the part with its id where there is one, else appends it.
    pub fn put(&mut self, entity: Entity) {
        fn upsert<T>(list: &mut Vec<T>, item: T, same: impl Fn(&T) -> bool) {
            match list.iter_mut().find(|x| same(x)) {
                Some(slot) => *slot = item,
                None => list.push(item),
            }
        }
        match entity {
            Entity::Header(_, header) => self.header = header,
            Entity::Element(e) => upsert(&mut self.elements, e.clone(), |x| x.id == e.id),
            Entity::Function(f) => upsert(&mut self.functions, f.clone(), |x| x.id == f.id),
            Entity::FailureMode(m) => upsert(&mut self.failure_modes, m.clone(), |x| x.id == m.id),
            Entity::Chain(c) => upsert(&mut self.chains, c.clone(), |x| x.id == c.id),
            Entity::Action(a) => upsert(&mut self.actions, a.clone(), |x| x.id == a.id),
        }
    }

    /// Takes out the part named by `target` alone (no cascade; see [`Fmea::remove`]).
    pub fn take(&mut self, target: EntityRef) -> Option<Entity> {
        fn take_from<T>(list: &mut Vec<T>, same: impl Fn(&T) -> bool) -> Option<T> {
            let at = list.iter().position(same)?;
            Some(list.remove(at))
        }
        let id = target.id;
        match target.kind {
            // The header is not a removable part: the FMEA is deleted as a whole.
            EntityKind::Fmea => None,
            EntityKind::Element => {
                take_from(&mut self.elements, |x| x.id.0 == id).map(Entity::Element)
            }
            EntityKind::Function => {
                take_from(&mut self.functions, |x| x.id.0 == id).map(Entity::Function)
            }
            EntityKind::FailureMode => {
                take_from(&mut self.failure_modes, |x| x.id.0 == id).map(Entity::FailureMode)
            }
            EntityKind::Chain => take_from(&mut self.chains, |x| x.id.0 == id).map(Entity::Chain),
            EntityKind::Action => {
                take_from(&mut self.actions, |x| x.id.0 == id).map(Entity::Action)
            }
        }
    }

    /// Sets one field of one part and says what changed. The edit is refused when the value does
    /// not fit the field or when it would break the FMEA's structure (a chain pointing at a mode
    /// that is not there); problems the FMEA already had do not block unrelated edits.
    pub fn set_field(
        &mut self,
        target: EntityRef,
        field: &str,
        value: serde_json::Value,
    ) -> Result<FieldChange, FieldError> {
        let entity = self.entity(target).ok_or(FieldError::NotFound(target))?;
        let old = entity.fields().get(field).cloned().unwrap_or_default();
        let updated = entity.with_field(field, value)?;
        let new = updated.fields().get(field).cloned().unwrap_or_default();

        let before = self.problems();
        let mut candidate = self.clone();
        candidate.put(updated);
        let fresh: Vec<String> = candidate
            .problems()
            .into_iter()
            .filter(|p| !before.contains(p))
            .map(|p| p.to_string())
            .collect();
        if let Some(reason) = (!fresh.is_empty()).then(|| fresh.join("; ")) {
            return Err(FieldError::BadValue {
                target,
                field: field.to_owned(),
                value: new.to_string(),
                reason,
            });
        }
        *self = candidate;
        Ok(FieldChange {
            target,
            field: field.to_owned(),
            old,
            new,
        })
    }

    /// Removes a part and everything that hangs from it (an element's children and functions, a
    /// function's failure modes, a mode's chains, a chain's actions), and clears the optional
    /// links other chains had to what went (their effect function, cause element or function).
    /// Returns the parts removed, the part itself first.
    pub fn remove(&mut self, target: EntityRef) -> Vec<Entity> {
        let mut removed = Vec::new();
        let mut queue = vec![target];
        while let Some(next) = queue.pop() {
            let Some(entity) = self.take(next) else {
                continue;
            };
            queue.extend(self.dependents(&entity));
            removed.push(entity);
        }
        for chain in &mut self.chains {
            let gone = |r: EntityRef| removed.iter().any(|e: &Entity| e.entity_ref() == r);
            let func = |id: Option<FunctionId>| {
                id.filter(|f| {
                    !gone(EntityRef {
                        kind: EntityKind::Function,
                        id: f.0,
                    })
                })
            };
            chain.effect_function = func(chain.effect_function);
            chain.cause_function = func(chain.cause_function);
            chain.cause_element = chain.cause_element.filter(|e| {
                !gone(EntityRef {
                    kind: EntityKind::Element,
                    id: e.0,
                })
            });
        }
        removed
    }

    /// The parts owned by `entity`, which go when it goes.
    fn dependents(&self, entity: &Entity) -> Vec<EntityRef> {
        let r = |kind, id| EntityRef { kind, id };
        match entity {
            Entity::Header(..) | Entity::Action(_) => Vec::new(),
            Entity::Element(e) => {
                let children = self.elements.iter().filter(|c| c.parent == Some(e.id));
                let functions = self.functions.iter().filter(|f| f.element == e.id);
                children
                    .map(|c| r(EntityKind::Element, c.id.0))
                    .chain(functions.map(|f| r(EntityKind::Function, f.id.0)))
                    .collect()
            }
            Entity::Function(f) => self
                .failure_modes
                .iter()
                .filter(|m| m.function == f.id)
                .map(|m| r(EntityKind::FailureMode, m.id.0))
                .collect(),
            Entity::FailureMode(m) => self
                .chains
                .iter()
                .filter(|c| c.failure_mode == m.id)
                .map(|c| r(EntityKind::Chain, c.id.0))
                .collect(),
            Entity::Chain(c) => self
                .actions
                .iter()
                .filter(|a| a.chain == c.id)
                .map(|a| r(EntityKind::Action, a.id.0))
                .collect(),
        }
    }

    /// Puts every list in creation order, which for UUIDv7 ids is id order. Vigil keeps FMEAs in
    /// this order everywhere (store, import, merge), so one FMEA has one form and comparing two
    /// copies compares their content. Reordering rows by hand would need a position field.
    pub fn sort_parts(&mut self) {
        self.elements.sort_by_key(|e| e.id);
        self.functions.sort_by_key(|f| f.id);
        self.failure_modes.sort_by_key(|m| m.id);
        self.chains.sort_by_key(|c| c.id);
        self.actions.sort_by_key(|a| a.id);
    }

    /// The element with `id`.
    pub fn element(&self, id: ElementId) -> Option<&StructureElement> {
        self.elements.iter().find(|e| e.id == id)
    }

    /// The function with `id`.
    pub fn function(&self, id: FunctionId) -> Option<&Function> {
        self.functions.iter().find(|f| f.id == id)
    }

    /// The failure mode with `id`.
    pub fn failure_mode(&self, id: FailureModeId) -> Option<&FailureMode> {
        self.failure_modes.iter().find(|m| m.id == id)
    }
}
