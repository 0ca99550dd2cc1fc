//! The AIAG-VDA worksheet as a flat table, shared by the xlsx and CSV formats: the columns
//! (grouped by the steps of the method) and the rows an FMEA becomes. One row per failure chain,
//! continued by one row per further action; structure and functions without failures get rows
//! of their own, so nothing is lost. The last columns carry Vigil's ids: with them a file read
//! back gives the same FMEA; without them (a sheet typed by hand) parts are matched by name.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use vigil_core::fmea::{FmeaKind, RatingKind};

/// A cell's value, as the formats hold it.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// Text.
    Text(String),
    /// A number (ratings, the RPN).
    Number(f64),
    /// A date.
    Date(NaiveDate),
}

impl Cell {
    /// The cell as text (how CSV has it, and how a number typed into a text column reads).
    pub fn text(&self) -> String {
        match self {
            Cell::Text(t) => t.clone(),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Cell::Number(n) => n.to_string(),
            Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
        }
    }
}

/// One row: the filled cells by column.
pub type FormRow = BTreeMap<Column, Cell>;

/// The worksheet's steps, for the band of titles above the column titles.
pub const STEPS: [(&str, Column, Column); 6] = [
    (
        "Structure analysis (step 2)",
        Column::HigherElement,
        Column::WorkElementType,
    ),
    (
        "Function analysis (step 3)",
        Column::HigherFunction,
        Column::LowerRequirement,
    ),
    ("Failure analysis (step 4)", Column::Effect, Column::Cause),
    (
        "Risk analysis (step 5)",
        Column::PreventionControls,
        Column::FilterCode,
    ),
    ("Optimisation (step 6)", Column::ActionKind, Column::NewAp),
    (
        "Vigil ids (keep them for a faithful round trip)",
        Column::HigherElementId,
        Column::ActionId,
    ),
];

macro_rules! columns {
    ($($name:ident => $title:literal,)*) => {
        /// A column of the worksheet, in its order.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Column {
            $(#[doc = $title] $name,)*
        }

        impl Column {
            /// Every worksheet column, in order.
            pub const ALL: &'static [Column] = &[$(Column::$name,)*];

            fn base_title(self) -> &'static str {
                match self {
                    $(Column::$name => $title,)*
                }
            }
        }
    };
}

columns! {
    HigherElement => "Next higher level",
    FocusElement => "Focus element",
    LowerElement => "Next lower level",
    WorkElementType => "4M type",
    HigherFunction => "Next higher level function",
    HigherRequirement => "Next higher level requirement",
    FocusFunction => "Focus element function",
    FocusRequirement => "Focus element requirement",
    LowerFunction => "Next lower level function",
    LowerRequirement => "Next lower level requirement",
    Effect => "Failure effect (FE)",
    Severity => "Severity (S)",
    Mode => "Failure mode (FM)",
    Cause => "Failure cause (FC)",
    PreventionControls => "Prevention controls (PC)",
    Occurrence => "Occurrence (O)",
    DetectionControls => "Detection controls (DC)",
    Detection => "Detection (D)",
    Ap => "AP",
    Rpn => "RPN",
    Special => "Special characteristic",
    FilterCode => "Filter code",
    ActionKind => "Action type",
    Action => "Optimisation action",
    Responsible => "Responsible",
    TargetDate => "Target date",
    Status => "Status",
    ActionTaken => "Action taken",
    Evidence => "Evidence",
    CompletionDate => "Completion date",
    NewSeverity => "New S",
    NewOccurrence => "New O",
    NewDetection => "New D",
    NewAp => "New AP",
    HigherElementId => "Higher element id",
    FocusElementId => "Focus element id",
    LowerElementId => "Lower element id",
    HigherFunctionId => "Higher function id",
    FocusFunctionId => "Focus function id",
    LowerFunctionId => "Lower function id",
    ModeId => "Failure mode id",
    ChainId => "Chain id",
    ActionId => "Action id",
}

impl Column {
    /// The title in a sheet of `kind`: MSR sheets name the second and third ratings frequency
    /// and monitoring.
    pub fn title(self, kind: FmeaKind) -> String {
        let [_, second, third] = kind.rating_kinds();
        let rating = |k: RatingKind| format!("{} ({})", k.name(), k.letter());
        match self {
            Column::Occurrence => rating(second),
            Column::Detection => rating(third),
            Column::NewOccurrence => format!("New {}", second.letter()),
            Column::NewDetection => format!("New {}", third.letter()),
            other => other.base_title().to_owned(),
        }
    }

    /// The column a title names, in a sheet of any kind (titles are matched without regard to
    /// case or surrounding spaces).
    pub fn from_title(title: &str) -> Option<Column> {
        let wanted = title.trim().to_lowercase();
        FmeaKind::ALL.iter().find_map(|kind| {
            Column::ALL
                .iter()
                .copied()
                .find(|c| c.title(*kind).to_lowercase() == wanted)
        })
    }

    /// Columns computed from others: written for people, ignored when read back.
    pub fn is_computed(self) -> bool {
        matches!(self, Column::Ap | Column::Rpn | Column::NewAp)
    }

    /// Columns of the chain (its effect, mode, cause, controls, ratings, marks).
    pub fn is_chain(self) -> bool {
        matches!(
            self,
            Column::Effect
                | Column::Severity
                | Column::Cause
                | Column::PreventionControls
                | Column::Occurrence
                | Column::DetectionControls
                | Column::Detection
                | Column::Special
                | Column::FilterCode
        )
    }

    /// Columns of an optimisation action.
    pub fn is_action(self) -> bool {
        matches!(
            self,
            Column::ActionKind
                | Column::Action
                | Column::Responsible
                | Column::TargetDate
                | Column::Status
                | Column::ActionTaken
                | Column::Evidence
                | Column::CompletionDate
                | Column::NewSeverity
                | Column::NewOccurrence
                | Column::NewDetection
        )
    }
}

/// The header fields as label and JSON field name, in the order the xlsx header block and the
/// CSV's trailing columns show them.
pub const HEADER_FIELDS: [(&str, &str); 15] = [
    ("FMEA name", "name"),
    ("FMEA kind", "kind"),
    ("Company", "company"),
    ("Customer", "customer"),
    ("Subject", "subject"),
    ("Start date", "start_date"),
    ("Revision date", "revision_date"),
    ("Confidentiality", "confidentiality"),
    ("FMEA responsible", "responsible"),
    ("Intent", "intent"),
    ("Timing", "timing"),
    ("Team", "team"),
    ("Tasks", "tasks"),
    ("Tools", "tools"),
    ("FMEA id", "id"),
];
