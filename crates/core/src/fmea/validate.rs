//! The rules that keep an FMEA whole: every part points at parts that exist and stand at the
//! right level, and the texts the worksheet cannot do without are there. Importers list these
//! problems before anything is written; the worksheet refuses an edit that adds one.

use std::collections::HashSet;
use std::fmt;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::entity::{EntityKind, EntityRef};
use super::header::FmeaKind;
use super::structure::StructureLevel;
use super::worksheet::Fmea;

/// Something wrong with one field of one part.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// The part.
    pub target: EntityRef,
    /// The field at fault.
    pub field: String,
    /// What is wrong and what to do, in words.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.target, self.field, self.message)
    }
}

struct Checker {
    problems: Vec<Problem>,
}

impl Checker {
    fn flag(&mut self, kind: EntityKind, id: Uuid, field: &str, message: impl Into<String>) {
        self.problems.push(Problem {
            target: EntityRef { kind, id },
            field: field.to_owned(),
            message: message.into(),
        });
    }
}

impl Fmea {
    /// Every problem of this FMEA; empty when it is whole.
    pub fn problems(&self) -> Vec<Problem> {
        let mut c = Checker {
            problems: Vec::new(),
        };
        if self.header.name.trim().is_empty() {
            c.flag(EntityKind::Fmea, self.id.0, "name", "the FMEA needs a name");
        }
        self.check_unique_ids(&mut c);
        self.check_elements(&mut c);
        self.check_functions_and_modes(&mut c);
        self.check_chains(&mut c);
        self.check_actions(&mut c);
        c.problems
    }

    fn check_unique_ids(&self, c: &mut Checker) {
        let mut seen = HashSet::new();
        for entity in self.entities() {
            let r = entity.entity_ref();
            if !seen.insert(r.id) {
                c.flag(
                    r.kind,
                    r.id,
                    "id",
                    "this id is used twice; give one of the parts a new id",
                );
            }
        }
    }

    fn check_elements(&self, c: &mut Checker) {
        use StructureLevel::*;
        for e in &self.elements {
            let k = EntityKind::Element;
            if e.name.trim().is_empty() {
                c.flag(k, e.id.0, "name", "a structure element needs a name");
            }
            let parent_level = e.parent.map(|p| self.element(p).map(|pe| pe.level));
            let wanted = match e.level {
                NextHigherLevel => None,
                FocusElement => Some(NextHigherLevel),
                NextLowerLevel => Some(FocusElement),
            };
            match (wanted, parent_level) {
                (None, None) => {}
                (None, Some(_)) => c.flag(
                    k,
                    e.id.0,
                    "parent",
                    "a next higher level element has no parent",
                ),
                (Some(_), None) => c.flag(
                    k,
                    e.id.0,
                    "parent",
                    "this element needs a parent one level up",
                ),
                (Some(_), Some(None)) => c.flag(
                    k,
                    e.id.0,
                    "parent",
                    "the parent element is not part of this FMEA",
                ),
                (Some(w), Some(Some(got))) if w != got => c.flag(
                    k,
                    e.id.0,
                    "parent",
                    "the parent must stand one level up (higher level, focus, lower level)",
                ),
                _ => {}
            }
            if e.work_element_type.is_some() {
                if self.kind() != FmeaKind::Process {
                    c.flag(
                        k,
                        e.id.0,
                        "work_element_type",
                        "4M types belong to process FMEAs only",
                    );
                } else if e.level != NextLowerLevel {
                    c.flag(
                        k,
                        e.id.0,
                        "work_element_type",
                        "only next lower level (work) elements carry a 4M type",
                    );
                }
            }
        }
    }

    fn check_functions_and_modes(&self, c: &mut Checker) {
        for f in &self.functions {
            if f.description.trim().is_empty() {
                c.flag(
                    EntityKind::Function,
                    f.id.0,
                    "description",
                    "a function needs a description",
                );
            }
            if self.element(f.element).is_none() {
                c.flag(
                    EntityKind::Function,
                    f.id.0,
                    "element",
                    "its element is not part of this FMEA",
                );
            }
        }
        for m in &self.failure_modes {
            let k = EntityKind::FailureMode;
            if m.description.trim().is_empty() {
                c.flag(
                    k,
                    m.id.0,
                    "description",
                    "the failure mode is missing: describe how the function fails",
                );
            }
            match self
                .function(m.function)
                .map(|f| self.element(f.element).map(|e| e.level))
            {
                None => c.flag(
                    k,
                    m.id.0,
                    "function",
                    "its function is not part of this FMEA",
                ),
                Some(Some(StructureLevel::FocusElement)) | Some(None) => {}
                Some(Some(_)) => c.flag(
                    k,
                    m.id.0,
                    "function",
                    "failure modes belong to functions of a focus element",
                ),
            }
        }
    }

    fn check_chains(&self, c: &mut Checker) {
        for ch in &self.chains {
            let k = EntityKind::Chain;
            let Some(mode) = self.failure_mode(ch.failure_mode) else {
                c.flag(
                    k,
                    ch.id.0,
                    "failure_mode",
                    "the failure mode is missing: every chain goes through one",
                );
                continue;
            };
            let focus = self.function(mode.function).map(|f| f.element);
            let higher = focus.and_then(|f| self.element(f)).and_then(|e| e.parent);
            if let Some(fid) = ch.effect_function {
                let owner = self.function(fid).map(|f| f.element);
                if owner.is_none() || owner != higher {
                    c.flag(
                        k,
                        ch.id.0,
                        "effect_function",
                        "the effect's function must belong to the focus element's next higher level",
                    );
                }
            }
            if let Some(eid) = ch.cause_element {
                let parent = self.element(eid).map(|e| (e.level, e.parent));
                if parent != Some((StructureLevel::NextLowerLevel, focus)) {
                    c.flag(
                        k,
                        ch.id.0,
                        "cause_element",
                        "the cause must sit in a next lower level element of the mode's focus element",
                    );
                }
            }
            if let Some(fid) = ch.cause_function {
                let owner = self.function(fid).map(|f| f.element);
                if owner.is_none() || owner != ch.cause_element {
                    c.flag(
                        k,
                        ch.id.0,
                        "cause_function",
                        "the cause's function must belong to the chain's cause element",
                    );
                }
            }
        }
    }

    fn check_actions(&self, c: &mut Checker) {
        for a in &self.actions {
            let k = EntityKind::Action;
            if a.description.trim().is_empty() {
                c.flag(
                    k,
                    a.id.0,
                    "description",
                    "an action needs a description of what will be done",
                );
            }
            if !self.chains.iter().any(|ch| ch.id == a.chain) {
                c.flag(
                    k,
                    a.id.0,
                    "chain",
                    "its failure chain is not part of this FMEA",
                );
            }
        }
    }
}
