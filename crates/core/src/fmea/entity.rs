//! The parts of an FMEA as one sum type, so the operations that treat every part alike (a field
//! edit and its audit entry, a revision diff, a bundle merge) are written once. Fields are read
//! and written through each part's JSON form: the JSON names are the field names the worksheet,
//! the audit log and conflict lists show.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use uuid::Uuid;

use super::action::Action;
use super::failure::{FailureChain, FailureMode};
use super::header::FmeaHeader;
use super::structure::{Function, StructureElement};

/// Which kind of part an id names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    /// The FMEA itself: its header fields.
    Fmea,
    /// A structure element.
    Element,
    /// A function.
    Function,
    /// A failure mode.
    FailureMode,
    /// A failure chain (worksheet row).
    Chain,
    /// An optimisation action.
    Action,
}

impl EntityKind {
    /// The name stored in the audit log's `entity` column.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Fmea => "fmea",
            EntityKind::Element => "fmea_element",
            EntityKind::Function => "fmea_function",
            EntityKind::FailureMode => "fmea_failure_mode",
            EntityKind::Chain => "fmea_chain",
            EntityKind::Action => "fmea_action",
        }
    }

    /// Reads a kind from its stored name.
    pub fn parse(text: &str) -> Option<Self> {
        [
            EntityKind::Fmea,
            EntityKind::Element,
            EntityKind::Function,
            EntityKind::FailureMode,
            EntityKind::Chain,
            EntityKind::Action,
        ]
        .into_iter()
        .find(|k| k.as_str() == text)
    }
}

/// A part of an FMEA named by kind and id: what a worksheet cell edit targets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct EntityRef {
    /// The kind of part.
    pub kind: EntityKind,
    /// Its id (the FMEA's own id for [`EntityKind::Fmea`]).
    pub id: Uuid,
}

impl fmt::Display for EntityRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.kind.as_str(), self.id)
    }
}

/// One part of an FMEA, owned.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Entity {
    /// The header (its id is the FMEA's).
    Header(Uuid, FmeaHeader),
    /// A structure element.
    Element(StructureElement),
    /// A function.
    Function(Function),
    /// A failure mode.
    FailureMode(FailureMode),
    /// A failure chain.
    Chain(FailureChain),
    /// An optimisation action.
    Action(Action),
}

/// Why a value cannot go into a field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FieldError {
    /// The part has no such field.
    #[error("{target} has no field `{field}`; the fields are: {known}")]
    UnknownField {
        /// The part.
        target: EntityRef,
        /// The field asked for.
        field: String,
        /// The fields it does have.
        known: String,
    },
    /// The id is the part's identity and cannot be edited.
    #[error("the id of {0} cannot be edited; add a new part instead")]
    IdIsFixed(EntityRef),
    /// The value does not fit the field (a rating of 11, an unknown status).
    #[error("`{value}` does not fit {field} of {target}: {reason}")]
    BadValue {
        /// The part.
        target: EntityRef,
        /// The field.
        field: String,
        /// The value given, as JSON.
        value: String,
        /// Why it does not fit.
        reason: String,
    },
    /// No part with that id in this FMEA.
    #[error("{0} is not part of this FMEA; it may have been removed")]
    NotFound(EntityRef),
}

impl Entity {
    /// The kind and id naming this part.
    pub fn entity_ref(&self) -> EntityRef {
        let (kind, id) = match self {
            Entity::Header(id, _) => (EntityKind::Fmea, *id),
            Entity::Element(e) => (EntityKind::Element, e.id.0),
            Entity::Function(f) => (EntityKind::Function, f.id.0),
            Entity::FailureMode(m) => (EntityKind::FailureMode, m.id.0),
            Entity::Chain(c) => (EntityKind::Chain, c.id.0),
            Entity::Action(a) => (EntityKind::Action, a.id.0),
        };
        EntityRef { kind, id }
    }

    /// The part's fields by name, as JSON values.
    pub fn fields(&self) -> Map<String, Value> {
        let value = match self {
            Entity::Header(_, h) => serde_json::to_value(h),
            Entity::Element(e) => serde_json::to_value(e),
            Entity::Function(f) => serde_json::to_value(f),
            Entity::FailureMode(m) => serde_json::to_value(m),
            Entity::Chain(c) => serde_json::to_value(c),
            Entity::Action(a) => serde_json::to_value(a),
        };
        match value {
            Ok(Value::Object(map)) => map,
            // Every part is a plain struct of strings, numbers and options: serialising it
            // cannot fail, and it is always an object.
            _ => Map::new(),
        }
    }

    /// The same part with `field` set to `value`, checked by the part's own types (ratings 1-10,
    /// known statuses, ...). The id cannot change.
    pub fn with_field(&self, field: &str, value: Value) -> Result<Entity, FieldError> {
        let target = self.entity_ref();
        if field == "id" {
            return Err(FieldError::IdIsFixed(target));
        }
        let mut fields = self.fields();
        if !fields.contains_key(field) {
            let known: Vec<&str> = fields
                .keys()
                .map(String::as_str)
                .filter(|k| *k != "id")
                .collect();
            return Err(FieldError::UnknownField {
                target,
                field: field.to_owned(),
                known: known.join(", "),
            });
        }
        let shown = value.to_string();
        fields.insert(field.to_owned(), value);
        let bad = |e: serde_json::Error| FieldError::BadValue {
            target,
            field: field.to_owned(),
            value: shown.clone(),
            reason: e.to_string(),
        };
        let object = Value::Object(fields);
        Ok(match self {
            Entity::Header(id, _) => {
                Entity::Header(*id, serde_json::from_value(object).map_err(bad)?)
            }
            Entity::Element(_) => Entity::Element(serde_json::from_value(object).map_err(bad)?),
            Entity::Function(_) => Entity::Function(serde_json::from_value(object).map_err(bad)?),
            Entity::FailureMode(_) => {
                Entity::FailureMode(serde_json::from_value(object).map_err(bad)?)
            }
            Entity::Chain(_) => Entity::Chain(serde_json::from_value(object).map_err(bad)?),
            Entity::Action(_) => Entity::Action(serde_json::from_value(object).map_err(bad)?),
        })
    }

    /// A part of `kind` read from its JSON fields, as stored or as found in a bundle.
    pub fn from_fields(kind: EntityKind, id: Uuid, value: Value) -> Result<Entity, String> {
        let e = |e: serde_json::Error| e.to_string();
        Ok(match kind {
            EntityKind::Fmea => Entity::Header(id, serde_json::from_value(value).map_err(e)?),
            EntityKind::Element => Entity::Element(serde_json::from_value(value).map_err(e)?),
            EntityKind::Function => Entity::Function(serde_json::from_value(value).map_err(e)?),
            EntityKind::FailureMode => {
                Entity::FailureMode(serde_json::from_value(value).map_err(e)?)
            }
            EntityKind::Chain => Entity::Chain(serde_json::from_value(value).map_err(e)?),
            EntityKind::Action => Entity::Action(serde_json::from_value(value).map_err(e)?),
        })
    }
}
