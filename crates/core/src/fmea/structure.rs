//! Steps 2 and 3 of an FMEA: the structure tree and the functions of its elements.
//!
//! The tree has the three levels the AIAG-VDA worksheet shows side by side: the next higher
//! level (the system or the process item), the focus element (the part or process step the
//! failure modes belong to) and the next lower level (components, characteristics or the 4M
//! work elements where causes sit). Deeper trees are analysed as several FMEAs, one per focus.

use serde::{Deserialize, Serialize};

use super::ids::{ElementId, FunctionId};

/// The column of the structure an element stands in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StructureLevel {
    /// The system or process item; where failure effects are felt.
    NextHigherLevel,
    /// The element under analysis; where failure modes are.
    FocusElement,
    /// Components or work elements; where failure causes are.
    NextLowerLevel,
}

/// The 4M type of a process work element, plus the two categories process FMEAs commonly add.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkElementType {
    /// People: operators, on-call engineers, reviewers.
    Man,
    /// Machines and tools: hosts, clusters, pipelines, dependencies.
    Machine,
    /// Material: inputs consumed, such as configuration, data, certificates.
    Material,
    /// Methods: procedures, runbooks, deploy strategies.
    Method,
    /// The surroundings: network, DNS, cloud region, traffic.
    Environment,
    /// Measurement: monitoring, probes, alert thresholds.
    Measurement,
}

impl WorkElementType {
    /// Every type, in the order of the form's drop-down.
    pub const ALL: [WorkElementType; 6] = [
        WorkElementType::Man,
        WorkElementType::Machine,
        WorkElementType::Material,
        WorkElementType::Method,
        WorkElementType::Environment,
        WorkElementType::Measurement,
    ];

    /// The stored and exported name.
    pub fn as_str(self) -> &'static str {
        match self {
            WorkElementType::Man => "man",
            WorkElementType::Machine => "machine",
            WorkElementType::Material => "material",
            WorkElementType::Method => "method",
            WorkElementType::Environment => "environment",
            WorkElementType::Measurement => "measurement",
        }
    }

    /// Reads a type from its stored name, any case.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim().to_ascii_lowercase();
        Self::ALL.into_iter().find(|t| t.as_str() == text)
    }
}

/// One node of the structure tree.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StructureElement {
    /// Its id, kept across exports so bundles merge.
    pub id: ElementId,
    /// Its column.
    pub level: StructureLevel,
    /// The element one level up: none for the next higher level, a next higher level element
    /// for a focus element, a focus element for a next lower level element.
    #[serde(default)]
    pub parent: Option<ElementId>,
    /// Its name as the team says it.
    pub name: String,
    /// For work elements of a process FMEA: the 4M type.
    #[serde(default)]
    pub work_element_type: Option<WorkElementType>,
}

/// A function of a structure element and the requirement it must meet. Failure modes are the
/// ways the requirement is missed, so the two are kept together.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Function {
    /// Its id.
    pub id: FunctionId,
    /// The element that performs it.
    pub element: ElementId,
    /// What the element does ("serve checkout requests").
    pub description: String,
    /// How well it must do it ("p99 under 300 ms, 99.9 % success").
    #[serde(default)]
    pub requirement: String,
}
