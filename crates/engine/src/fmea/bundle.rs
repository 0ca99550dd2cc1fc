//! The bundle: one JSON file holding a whole FMEA with its ids, for offline workshops. It also
//! carries the version it started from (`base`), so that when the workshop's copy comes back the
//! merge knows which side changed what. Reading checks every part on its own, so one bad rating
//! does not hide the next problem; references between parts are checked once every part reads,
//! since a part that did not read would make its dependants look broken too.
//!
//! Incident links are not in a bundle: incident ids are local to each database (every laptop
//! syncs its own copy of the vendor's incidents). Carrying them would mean writing each link as
//! the vendor's (source kind, external id) pair and matching it on the other side.

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use vigil_core::fmea::{Fmea, FmeaHeader, FmeaId};

use super::error::ImportProblem;

/// What a bundle file says it is.
pub const BUNDLE_FORMAT: &str = "vigil-fmea-bundle";
/// The version of the bundle's shape this Vigil writes.
pub const BUNDLE_VERSION: u32 = 1;

/// A bundle file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Bundle {
    /// Always [`BUNDLE_FORMAT`]: tells a bundle from any other JSON.
    pub format: String,
    /// The shape's version; a newer one than this Vigil knows is refused.
    pub version: u32,
    /// When it was written.
    pub exported_at: DateTime<Utc>,
    /// The FMEA.
    pub fmea: Fmea,
    /// The version the FMEA started from when it left its database, if known.
    #[serde(default)]
    pub base: Option<Fmea>,
}

impl Bundle {
    /// A bundle of `fmea`, started from `base`.
    pub fn new(fmea: Fmea, base: Option<Fmea>) -> Self {
        Bundle {
            format: BUNDLE_FORMAT.to_owned(),
            version: BUNDLE_VERSION,
            exported_at: Utc::now(),
            fmea,
            base,
        }
    }

    /// The file's bytes (indented JSON, so a diff tool can show a workshop's changes).
    pub fn to_bytes(&self) -> serde_json::Result<Vec<u8>> {
        serde_json::to_vec_pretty(self)
    }
}

/// Reads a bundle, or every problem in it: JSON syntax errors by line and column, parts that do
/// not fit by their place in the document (`fmea.chains[3]`), and broken references by part.
pub fn read_bundle(bytes: &[u8]) -> Result<Bundle, Vec<ImportProblem>> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| {
        vec![ImportProblem {
            row: Some(e.line()),
            column: Some(format!("column {}", e.column())),
            message: format!("this is not a Vigil FMEA bundle (JSON): {e}"),
        }]
    })?;
    let mut problems = Vec::new();
    let Some(doc) = value.as_object() else {
        return Err(vec![ImportProblem::file(
            "this JSON is not a Vigil FMEA bundle: it is not an object",
        )]);
    };
    if doc.get("format").and_then(Value::as_str) != Some(BUNDLE_FORMAT) {
        problems.push(ImportProblem::file(format!(
            "this JSON is not a Vigil FMEA bundle: its \"format\" is not \"{BUNDLE_FORMAT}\""
        )));
        return Err(problems);
    }
    let version = doc.get("version").and_then(Value::as_u64).unwrap_or(0);
    if version == 0 || version > u64::from(BUNDLE_VERSION) {
        problems.push(ImportProblem::file(format!("bundle version {version} is not one this Vigil reads (1 to {BUNDLE_VERSION}); update Vigil")));
        return Err(problems);
    }
    let exported_at = doc
        .get("exported_at")
        .and_then(|v| serde_json::from_value(v.clone()).ok())
        .unwrap_or_else(Utc::now);
    let fmea = match doc.get("fmea") {
        Some(v) => read_fmea(v, "fmea", &mut problems),
        None => {
            problems.push(ImportProblem::file("the bundle has no \"fmea\""));
            None
        }
    };
    let base = match doc.get("base") {
        None | Some(Value::Null) => None,
        Some(v) => read_fmea(v, "base", &mut problems),
    };
    match fmea {
        Some(fmea) if problems.is_empty() => Ok(Bundle {
            format: BUNDLE_FORMAT.to_owned(),
            version: BUNDLE_VERSION,
            exported_at,
            fmea,
            base,
        }),
        _ => Err(problems),
    }
}

fn read_fmea(value: &Value, path: &str, problems: &mut Vec<ImportProblem>) -> Option<Fmea> {
    let before = problems.len();
    let empty = Map::new();
    let doc = value.as_object().unwrap_or_else(|| {
        problems.push(at(path, "must be an object holding an FMEA"));
        &empty
    });
    let id: Option<FmeaId> = one(doc.get("id"), &format!("{path}.id"), problems);
    let header: Option<FmeaHeader> = one(doc.get("header"), &format!("{path}.header"), problems);
    let mut fmea = Fmea::new(
        id.unwrap_or(FmeaId(uuid::Uuid::nil())),
        Default::default(),
        "",
    );
    fmea.header = header.unwrap_or_default();
    fmea.elements = list(doc, "elements", path, problems);
    fmea.functions = list(doc, "functions", path, problems);
    fmea.failure_modes = list(doc, "failure_modes", path, problems);
    fmea.chains = list(doc, "chains", path, problems);
    fmea.actions = list(doc, "actions", path, problems);
    if problems.len() > before {
        return None;
    }
    fmea.sort_parts();
    for p in fmea.problems() {
        problems.push(at(
            &format!("{path}: {}", p.target),
            &format!("`{}`: {}", p.field, p.message),
        ));
    }
    (problems.len() == before).then_some(fmea)
}

fn at(place: &str, message: &str) -> ImportProblem {
    ImportProblem {
        row: None,
        column: Some(place.to_owned()),
        message: message.to_owned(),
    }
}

fn one<T: DeserializeOwned>(
    value: Option<&Value>,
    place: &str,
    problems: &mut Vec<ImportProblem>,
) -> Option<T> {
    let Some(value) = value else {
        problems.push(at(place, "missing"));
        return None;
    };
    serde_json::from_value(value.clone())
        .map_err(|e| problems.push(at(place, &e.to_string())))
        .ok()
}

fn list<T: DeserializeOwned>(
    doc: &Map<String, Value>,
    key: &str,
    path: &str,
    problems: &mut Vec<ImportProblem>,
) -> Vec<T> {
    match doc.get(key) {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| one(Some(item), &format!("{path}.{key}[{i}]"), problems))
            .collect(),
        Some(_) => {
            problems.push(at(&format!("{path}.{key}"), "must be a list"));
            Vec::new()
        }
    }
}
