//! One module per screen of the window.

pub mod incident_detail;
pub mod incidents;
pub mod metrics;
pub mod sources;
