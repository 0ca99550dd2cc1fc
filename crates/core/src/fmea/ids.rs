//! Identifiers of the parts of an FMEA. Each part has its own UUIDv7 newtype, so a chain id can
//! never be passed where an action id is wanted, and two laptops editing the same FMEA offline
//! make ids that never collide: merging a workshop's bundle matches entities by these ids.
//!
//! The ids are made by the engine (`Uuid::now_v7`): this crate also runs in the browser, where
//! there is no clock to build a time-ordered id from, so it only ever receives them.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

// The same shape as `crate::ids`; that file's macro is private to its module, so it is repeated
// here rather than widening what the crate exports for one more user.
macro_rules! fmea_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map($name)
            }
        }

        impl From<Uuid> for $name {
            fn from(id: Uuid) -> Self {
                $name(id)
            }
        }
    };
}

fmea_id!(
    /// One FMEA document: its header, structure, functions, failures and actions.
    FmeaId
);
fmea_id!(
    /// A node of the structure tree (next higher level, focus element or next lower level).
    ElementId
);
fmea_id!(
    /// A function (with its requirement) of a structure element.
    FunctionId
);
fmea_id!(
    /// A failure mode of a focus element's function; incidents are linked to it.
    FailureModeId
);
fmea_id!(
    /// One failure chain (effect, mode, cause) and its risk rating: one row of the worksheet.
    ChainId
);
fmea_id!(
    /// An optimisation action that lowers the risk of one chain.
    ActionId
);
fmea_id!(
    /// A frozen baseline (revision) of an FMEA.
    RevisionId
);
