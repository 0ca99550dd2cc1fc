//! Identifiers of the records Vigil creates. They are UUIDv7 (time-ordered), made by the engine,
//! so records created offline on two laptops never collide and can be merged later. Vendor ids
//! are plain strings kept beside them as `(source, external_id)`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! id_newtype {
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
    };
}

id_newtype!(
    /// A configured source (one PagerDuty account, the demo workspace, ...).
    SourceId
);
id_newtype!(
    /// An incident in Vigil's cache, whatever source it came from.
    IncidentId
);
id_newtype!(
    /// One entry of an incident's timeline.
    TimelineEntryId
);
