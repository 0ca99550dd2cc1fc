//! What kind of FMEA a document is, and its header: the planning of the seven steps (intent,
//! timing, team, tasks, tools) and the administrative fields the AIAG-VDA form prints on top.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::rating::RatingKind;

/// The three FMEA kinds of the AIAG-VDA handbook. The kind decides which scales rate a chain
/// and whether work elements carry a 4M type.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum FmeaKind {
    /// Design FMEA: how a product (here often a service's design) can fail to meet its function.
    /// A new blank FMEA is one until the user says otherwise.
    #[default]
    Design,
    /// Process FMEA: how the steps that make or run the product can fail; work elements are
    /// typed by 4M (man, machine, material, method, plus environment and measurement).
    Process,
    /// Monitoring and system response: how the running system notices faults and reacts.
    Msr,
}

impl FmeaKind {
    /// Every kind, for menus and exhaustive checks.
    pub const ALL: [FmeaKind; 3] = [FmeaKind::Design, FmeaKind::Process, FmeaKind::Msr];

    /// The three scales a chain of this kind is rated on, in worksheet order.
    pub fn rating_kinds(self) -> [RatingKind; 3] {
        match self {
            FmeaKind::Design | FmeaKind::Process => [
                RatingKind::Severity,
                RatingKind::Occurrence,
                RatingKind::Detection,
            ],
            FmeaKind::Msr => [
                RatingKind::Severity,
                RatingKind::Frequency,
                RatingKind::Monitoring,
            ],
        }
    }

    /// The stored and exported name (`design`, `process`, `msr`).
    pub fn as_str(self) -> &'static str {
        match self {
            FmeaKind::Design => "design",
            FmeaKind::Process => "process",
            FmeaKind::Msr => "msr",
        }
    }

    /// Reads a kind from its stored name or its title (`Design`, `Process`, `MSR`).
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "design" | "dfmea" => Some(FmeaKind::Design),
            "process" | "pfmea" => Some(FmeaKind::Process),
            "msr" | "fmea-msr" => Some(FmeaKind::Msr),
            _ => None,
        }
    }

    /// The title of the printed form.
    pub fn title(self) -> &'static str {
        match self {
            FmeaKind::Design => "Design FMEA",
            FmeaKind::Process => "Process FMEA",
            FmeaKind::Msr => "FMEA for monitoring and system response",
        }
    }
}

impl fmt::Display for FmeaKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The header of an FMEA. Every field is one cell of the form, so the worksheet edits and audits
/// them one at a time like any other field; unknown fields in a newer bundle are ignored and
/// missing ones read as empty, so bundles travel between versions.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FmeaHeader {
    /// The FMEA's name in lists and file names.
    pub name: String,
    /// Design, process or MSR; fixed by the template but editable.
    pub kind: FmeaKind,
    /// Step 1, intent: why this FMEA is done and what decisions it feeds.
    pub intent: String,
    /// Step 1, timing: when the analysis runs and must be finished.
    pub timing: String,
    /// Step 1, team: who takes part, with their roles.
    pub team: String,
    /// Step 1, tasks: what is in scope and who does which step.
    pub tasks: String,
    /// Step 1, tools: the tools and inputs used (dashboards, incident history, diagrams).
    pub tools: String,
    /// The company doing the analysis.
    pub company: String,
    /// The customer the product or service is for.
    pub customer: String,
    /// The product, service or process analysed.
    pub subject: String,
    /// When the analysis started.
    pub start_date: Option<NaiveDate>,
    /// When this revision of the analysis was made.
    pub revision_date: Option<NaiveDate>,
    /// Who may read it (internal, confidential, ...).
    pub confidentiality: String,
    /// The person responsible for the FMEA.
    pub responsible: String,
}
