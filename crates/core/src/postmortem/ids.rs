//! Postmortem identifiers: UUIDv7 made by the engine, like every record Vigil creates, so drafts
//! written offline on two laptops never collide.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! postmortem_id {
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

postmortem_id!(
    /// One postmortem document.
    PostmortemId
);
postmortem_id!(
    /// One entry of a postmortem's own timeline (a copy of a synced event, or one a person added).
    TimelineItemId
);
postmortem_id!(
    /// One action item.
    ActionItemId
);
