//! Instants are stored as whole UTC seconds since the Unix epoch: exact, compact, and cheap to
//! subtract in the metrics queries. Vendors' sub-second digits are dropped.

use chrono::{DateTime, Utc};

/// An instant as stored.
pub fn to_db(at: DateTime<Utc>) -> i64 {
    at.timestamp()
}

/// A stored instant; out-of-range values (which Vigil never writes) read as the epoch.
pub fn from_db(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(secs, 0).unwrap_or_default()
}

/// An optional stored instant.
pub fn opt_from_db(secs: Option<i64>) -> Option<DateTime<Utc>> {
    secs.map(from_db)
}
