//! Three-way merge of two versions of one FMEA that went separate ways from a common base: the
//! database's ("ours") and a workshop's bundle ("theirs"). Parts are matched by id and merged
//! field by field: a field only one side changed takes that side's value; a field both sides
//! changed to different values is a conflict, resolved by the user's pick (ours until they pick).
//! A part one side removed while the other changed it is a conflict on the whole part.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::entity::{Entity, EntityKind, EntityRef};
use super::worksheet::Fmea;

/// The field name of a conflict about a whole part (removed on one side, changed on the other).
pub const WHOLE_PART: &str = "(part)";

/// Which side's value a conflict takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// The database's version.
    Ours,
    /// The incoming bundle's version.
    Theirs,
}

/// A field both sides changed differently. `None` values mean "the part is not there".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Conflict {
    /// The part.
    pub target: EntityRef,
    /// The field, or [`WHOLE_PART`].
    pub field: String,
    /// The value both started from.
    pub base: Option<Value>,
    /// The database's value.
    pub ours: Option<Value>,
    /// The bundle's value.
    pub theirs: Option<Value>,
    /// The side the merged FMEA took.
    pub taken: Side,
}

/// The user's picks, by part and field.
pub type Picks = BTreeMap<(EntityRef, String), Side>;

/// What a merge produced.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MergeOutcome {
    /// The merged FMEA, with every conflict resolved by its pick.
    pub merged: Fmea,
    /// Every conflict, picked or not.
    pub conflicts: Vec<Conflict>,
    /// Parts left out because what they hung from was removed on the other side.
    pub dropped: Vec<Entity>,
}

impl MergeOutcome {
    /// The conflicts the user has not picked a side for yet.
    pub fn unpicked<'a>(&'a self, picks: &'a Picks) -> impl Iterator<Item = &'a Conflict> {
        self.conflicts
            .iter()
            .filter(|c| !picks.contains_key(&(c.target, c.field.clone())))
    }
}

type Fields = Option<Map<String, Value>>;

/// Merges `theirs` into `ours`, both descended from `base`. Without a base (a bundle that does
/// not say where it started), every difference is a conflict.
pub fn merge(base: Option<&Fmea>, ours: &Fmea, theirs: &Fmea, picks: &Picks) -> MergeOutcome {
    let fields = |f: &Fmea| -> BTreeMap<EntityRef, Map<String, Value>> {
        let mut all: BTreeMap<EntityRef, Map<String, Value>> = f
            .entities()
            .iter()
            .map(|e| (e.entity_ref(), e.fields()))
            .collect();
        // The three versions may differ in nothing but the FMEA's id; the header is one part.
        if let Some(h) = all.remove(&header_ref(f)) {
            all.insert(header_ref(ours), h);
        }
        all
    };
    let (b, o, t) = (
        base.map(fields).unwrap_or_default(),
        fields(ours),
        fields(theirs),
    );

    // Ours' order first, then what only theirs has, so parents still come before children.
    let mut order: Vec<EntityRef> = ours.entities().iter().map(Entity::entity_ref).collect();
    let mut seen: BTreeSet<EntityRef> = order.iter().copied().collect();
    for r in theirs.entities().iter().map(Entity::entity_ref) {
        let r = if r.kind == EntityKind::Fmea {
            header_ref(ours)
        } else {
            r
        };
        if seen.insert(r) {
            order.push(r);
        }
    }

    let mut merged = Fmea::new(ours.id, ours.kind(), &ours.header.name);
    let mut conflicts = Vec::new();
    for target in order {
        let (bv, ov, tv) = (
            b.get(&target).cloned(),
            o.get(&target).cloned(),
            t.get(&target).cloned(),
        );
        let base_known = base.is_some();
        if let Some(map) = merge_part(target, base_known, bv, ov, tv, picks, &mut conflicts) {
            if let Ok(entity) = Entity::from_fields(target.kind, target.id, Value::Object(map)) {
                merged.put(entity);
            }
        }
    }
    let dropped = prune_dangling(&mut merged);
    merged.sort_parts();
    MergeOutcome {
        merged,
        conflicts,
        dropped,
    }
}

fn header_ref(f: &Fmea) -> EntityRef {
    EntityRef {
        kind: EntityKind::Fmea,
        id: f.id.0,
    }
}

/// The merged fields of one part, or `None` when the merged FMEA goes without it.
fn merge_part(
    target: EntityRef,
    base_known: bool,
    b: Fields,
    o: Fields,
    t: Fields,
    picks: &Picks,
    conflicts: &mut Vec<Conflict>,
) -> Fields {
    if o == t {
        return o;
    }
    if base_known && b == o {
        return t;
    }
    if base_known && b == t {
        return o;
    }
    let (Some(om), Some(tm)) = (&o, &t) else {
        let taken = pick(picks, target, WHOLE_PART);
        conflicts.push(Conflict {
            target,
            field: WHOLE_PART.to_owned(),
            base: b.map(Value::Object),
            ours: o.clone().map(Value::Object),
            theirs: t.clone().map(Value::Object),
            taken,
        });
        return if taken == Side::Ours { o } else { t };
    };
    let mut out = om.clone();
    let names: BTreeSet<&String> = om.keys().chain(tm.keys()).collect();
    for name in names {
        let (of, tf) = (om.get(name), tm.get(name));
        let bf = b.as_ref().and_then(|m| m.get(name));
        let value = if of == tf || (base_known && bf == tf) {
            of
        } else if base_known && bf == of {
            tf
        } else {
            let taken = pick(picks, target, name);
            conflicts.push(Conflict {
                target,
                field: name.clone(),
                base: bf.cloned(),
                ours: of.cloned(),
                theirs: tf.cloned(),
                taken,
            });
            if taken == Side::Ours {
                of
            } else {
                tf
            }
        };
        match value {
            Some(v) => out.insert(name.clone(), v.clone()),
            None => out.remove(name),
        };
    }
    Some(out)
}

fn pick(picks: &Picks, target: EntityRef, field: &str) -> Side {
    picks
        .get(&(target, field.to_owned()))
        .copied()
        .unwrap_or(Side::Ours)
}

/// Removes the parts whose owner is gone (a chain whose mode the other side removed) with what
/// hangs from them, and clears optional links to parts that are gone. Returns what was removed.
pub fn prune_dangling(fmea: &mut Fmea) -> Vec<Entity> {
    let mut dropped = Vec::new();
    loop {
        let orphan = fmea.entities().into_iter().find_map(|e| {
            let missing = match &e {
                Entity::Header(..) => false,
                Entity::Element(x) => x.parent.is_some_and(|p| fmea.element(p).is_none()),
                Entity::Function(x) => fmea.element(x.element).is_none(),
                Entity::FailureMode(x) => fmea.function(x.function).is_none(),
                Entity::Chain(x) => fmea.failure_mode(x.failure_mode).is_none(),
                Entity::Action(x) => !fmea.chains.iter().any(|c| c.id == x.chain),
            };
            missing.then(|| e.entity_ref())
        });
        match orphan {
            Some(r) => dropped.extend(fmea.remove(r)),
            None => break,
        }
    }
    let (functions, elements): (BTreeSet<_>, BTreeSet<_>) = (
        fmea.functions.iter().map(|f| f.id).collect(),
        fmea.elements.iter().map(|e| e.id).collect(),
    );
    for chain in &mut fmea.chains {
        chain.effect_function = chain.effect_function.filter(|f| functions.contains(f));
        chain.cause_function = chain.cause_function.filter(|f| functions.contains(f));
        chain.cause_element = chain.cause_element.filter(|e| elements.contains(e));
    }
    dropped
}
