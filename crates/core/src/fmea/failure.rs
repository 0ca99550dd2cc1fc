//! Steps 4 and 5: failure modes, and the failure chains (effect, mode, cause) with their current
//! controls and ratings. A chain is one row of the worksheet; the mode is shared by every chain
//! that goes through it, which is where incidents are linked.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::ap::{rpn, ActionPriority};
use super::ids::{ChainId, ElementId, FailureModeId, FunctionId};
use super::rating::Rating;

/// A way a focus element's function fails to meet its requirement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailureMode {
    /// Its id; incident links point at it.
    pub id: FailureModeId,
    /// The focus element's function it is a failure of.
    pub function: FunctionId,
    /// The failure as observed ("requests to the payment API time out").
    pub description: String,
}

/// A special characteristic mark: the customer's symbol for a characteristic whose failure
/// touches safety, regulation or a key promise. `CC` and `SC` are the common ones; any other
/// short code a customer uses is kept as written.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum SpecialCharacteristic {
    /// Critical characteristic (safety or regulation).
    Critical,
    /// Significant characteristic (fit, function, a key customer promise).
    Significant,
    /// A customer-specific symbol.
    Other(String),
}

impl SpecialCharacteristic {
    /// The code as printed in the column.
    pub fn code(&self) -> &str {
        match self {
            SpecialCharacteristic::Critical => "CC",
            SpecialCharacteristic::Significant => "SC",
            SpecialCharacteristic::Other(code) => code,
        }
    }
}

impl TryFrom<String> for SpecialCharacteristic {
    type Error = String;

    fn try_from(code: String) -> Result<Self, Self::Error> {
        let code = code.trim();
        match code {
            "" => Err("a special characteristic needs a code such as CC or SC".to_owned()),
            "CC" | "cc" => Ok(SpecialCharacteristic::Critical),
            "SC" | "sc" => Ok(SpecialCharacteristic::Significant),
            c if c.chars().count() > 16 => Err(format!(
                "`{c}` is too long for a special characteristic code: use at most 16 characters"
            )),
            c => Ok(SpecialCharacteristic::Other(c.to_owned())),
        }
    }
}

impl From<SpecialCharacteristic> for String {
    fn from(mark: SpecialCharacteristic) -> String {
        mark.code().to_owned()
    }
}

impl fmt::Display for SpecialCharacteristic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// One failure chain: the effect felt at the next higher level, through a failure mode of the
/// focus element, from a cause at the next lower level, with the controls in place today and
/// the team's ratings. Ratings stay empty until the team has agreed on them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailureChain {
    /// Its id.
    pub id: ChainId,
    /// The failure mode the chain goes through.
    pub failure_mode: FailureModeId,
    /// The failure effect (FE), as the user or the next higher level feels it.
    #[serde(default)]
    pub effect: String,
    /// The next higher level function the effect harms, if the team linked one.
    #[serde(default)]
    pub effect_function: Option<FunctionId>,
    /// The failure cause (FC).
    #[serde(default)]
    pub cause: String,
    /// The next lower level element (work element) where the cause sits.
    #[serde(default)]
    pub cause_element: Option<ElementId>,
    /// That element's function which fails, if the team linked one.
    #[serde(default)]
    pub cause_function: Option<FunctionId>,
    /// Current prevention controls (PC): what keeps the cause from happening.
    #[serde(default)]
    pub prevention_controls: String,
    /// Current detection controls (DC): what catches the cause or mode before users do.
    #[serde(default)]
    pub detection_controls: String,
    /// Severity of the effect (S).
    #[serde(default)]
    pub severity: Option<Rating>,
    /// Occurrence of the cause (O; frequency F in an MSR FMEA).
    #[serde(default)]
    pub occurrence: Option<Rating>,
    /// Detection of the cause or mode (D; monitoring M in an MSR FMEA).
    #[serde(default)]
    pub detection: Option<Rating>,
    /// The special characteristic mark, if any.
    #[serde(default)]
    pub special_characteristic: Option<SpecialCharacteristic>,
    /// A free code teams filter the worksheet by (a subsystem, a workshop, a customer).
    #[serde(default)]
    pub filter_code: String,
}

impl FailureChain {
    /// A chain with only its mode set, for the worksheet's "add row".
    pub fn new(id: ChainId, failure_mode: FailureModeId) -> Self {
        FailureChain {
            id,
            failure_mode,
            effect: String::new(),
            effect_function: None,
            cause: String::new(),
            cause_element: None,
            cause_function: None,
            prevention_controls: String::new(),
            detection_controls: String::new(),
            severity: None,
            occurrence: None,
            detection: None,
            special_characteristic: None,
            filter_code: String::new(),
        }
    }

    /// The action priority, once all three ratings are given.
    pub fn action_priority(&self) -> Option<ActionPriority> {
        Some(ActionPriority::of(
            self.severity?,
            self.occurrence?,
            self.detection?,
        ))
    }

    /// The RPN, once all three ratings are given.
    pub fn rpn(&self) -> Option<u16> {
        Some(rpn(self.severity?, self.occurrence?, self.detection?))
    }
}
