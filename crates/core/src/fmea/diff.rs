//! What changed between two versions of one FMEA, part by part and field by field. The engine
//! writes a diff's changes (each with its audit entry) to save an edited FMEA, and shows the diff
//! of two revisions; parts are matched by id, so a renamed failure mode is a changed field, not a
//! removal and an addition.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::entity::{Entity, EntityRef};
use super::worksheet::{FieldChange, Fmea};

/// One difference between two versions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Change {
    /// A part only the newer version has.
    Added {
        /// The part.
        entity: Entity,
    },
    /// A part only the older version has.
    Removed {
        /// The part.
        entity: Entity,
    },
    /// A field whose value differs.
    Field(FieldChange),
}

impl Change {
    /// The part the change is about.
    pub fn target(&self) -> EntityRef {
        match self {
            Change::Added { entity } | Change::Removed { entity } => entity.entity_ref(),
            Change::Field(f) => f.target,
        }
    }
}

/// The changes that turn `before` into `after`: additions in `after`'s order (parents before
/// children, as the lists keep them), then field changes, then removals.
pub fn diff(before: &Fmea, after: &Fmea) -> Vec<Change> {
    let old: BTreeMap<EntityRef, Entity> = before
        .entities()
        .into_iter()
        .map(|e| (e.entity_ref(), e))
        .collect();
    let mut changes = Vec::new();
    let mut fields = Vec::new();
    for entity in after.entities() {
        let target = entity.entity_ref();
        match old.get(&target) {
            None => changes.push(Change::Added { entity }),
            Some(previous) if previous != &entity => {
                let was = previous.fields();
                for (field, new) in entity.fields() {
                    let old_value = was.get(&field).cloned().unwrap_or_default();
                    if old_value != new {
                        fields.push(Change::Field(FieldChange {
                            target,
                            field,
                            old: old_value,
                            new,
                        }));
                    }
                }
            }
            Some(_) => {}
        }
    }
    changes.extend(fields);
    let now: std::collections::BTreeSet<EntityRef> =
        after.entities().iter().map(Entity::entity_ref).collect();
    // Children before parents, so a store with foreign keys can delete in this order.
    for entity in before.entities().into_iter().rev() {
        if !now.contains(&entity.entity_ref()) {
            changes.push(Change::Removed { entity });
        }
    }
    changes
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::*;
    use crate::fmea::{FailureMode, FailureModeId, FmeaId, FmeaKind, FunctionId};

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    #[test]
    fn a_renamed_mode_is_one_field_change_and_a_new_mode_an_addition() {
        let mut before = Fmea::new(FmeaId(id(1)), FmeaKind::Design, "Checkout");
        before.failure_modes.push(FailureMode {
            id: FailureModeId(id(2)),
            function: FunctionId(id(3)),
            description: "times out".into(),
        });
        let mut after = before.clone();
        after.failure_modes[0].description = "times out after 30 s".into();
        after.failure_modes.push(FailureMode {
            id: FailureModeId(id(4)),
            function: FunctionId(id(3)),
            description: "returns stale prices".into(),
        });
        after.header.name = "Checkout service".into();

        let changes = diff(&before, &after);

        assert_eq!(changes.len(), 3, "{changes:#?}");
        assert!(
            matches!(&changes[0], Change::Added { entity: Entity::FailureMode(m) } if m.id.0 == id(4))
        );
        let fields: Vec<&str> = changes
            .iter()
            .filter_map(|c| match c {
                Change::Field(f) => Some(f.field.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(fields, ["name", "description"]);
        assert!(diff(&after, &after).is_empty());
    }

    #[test]
    fn a_removal_lists_children_before_their_parents() {
        let mut before = Fmea::new(FmeaId(id(1)), FmeaKind::Design, "Checkout");
        before.failure_modes.push(FailureMode {
            id: FailureModeId(id(2)),
            function: FunctionId(id(3)),
            description: "times out".into(),
        });
        before.chains.push(crate::fmea::FailureChain::new(
            crate::fmea::ChainId(id(5)),
            FailureModeId(id(2)),
        ));
        let after = Fmea::new(FmeaId(id(1)), FmeaKind::Design, "Checkout");

        let removed: Vec<Uuid> = diff(&before, &after)
            .iter()
            .map(|c| c.target().id)
            .collect();

        assert_eq!(removed, [id(5), id(2)]);
    }
}
