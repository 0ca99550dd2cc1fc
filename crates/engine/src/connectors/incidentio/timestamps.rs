//! The account-named timestamps of an incident.io incident, and which of them Vigil reads.
//!
//! Every account has its own list of incident timestamps ("Reported at", "Accepted at",
//! "Impact started", custom ones such as "Customer told"); incident.io sets some from status
//! changes and people set others by hand. Vigil matches them by name, loosely: an account that
//! renamed "Fixed at" to "Mitigated" still gets its mitigation read, and one with no such
//! timestamp leaves that milestone empty rather than guessed.

/// What a named incident timestamp means to Vigil.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampRole {
    /// When users started to be affected.
    ImpactStarted,
    /// When users stopped being affected.
    ImpactEnded,
    /// A responder took the incident (incident.io's "Accepted").
    Acknowledged,
    /// The impact was stopped ("Mitigated", or the default lifecycle's "Fixed").
    Mitigated,
    /// The incident was resolved.
    Resolved,
    /// The incident was closed (the resolution where no "Resolved" is kept).
    Closed,
    /// The incident was merged into another.
    Merged,
}

impl TimestampRole {
    /// The role of a timestamp by its account-given name: case, underscores and a trailing
    /// "at" do not matter ("Impact started", "impact_started_at" and "Impact Started At" agree).
    pub fn of(name: &str) -> Option<TimestampRole> {
        let lower = name.trim().to_ascii_lowercase().replace(['_', '-'], " ");
        let words: Vec<&str> = lower.split_whitespace().collect();
        let words = match words.split_last() {
            Some((&"at", rest)) => rest,
            _ => &words[..],
        };
        Some(match words.join(" ").as_str() {
            "impact started" | "impact start" => TimestampRole::ImpactStarted,
            "impact ended" | "impact end" | "impact stopped" => TimestampRole::ImpactEnded,
            "accepted" | "acknowledged" => TimestampRole::Acknowledged,
            "mitigated" | "fixed" => TimestampRole::Mitigated,
            "resolved" => TimestampRole::Resolved,
            "closed" => TimestampRole::Closed,
            "merged" => TimestampRole::Merged,
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamp_names_are_matched_loosely() {
        assert_eq!(
            TimestampRole::of("impact_started_at"),
            Some(TimestampRole::ImpactStarted)
        );
        assert_eq!(
            TimestampRole::of(" Impact Started At "),
            Some(TimestampRole::ImpactStarted)
        );
        assert_eq!(
            TimestampRole::of("Accepted"),
            Some(TimestampRole::Acknowledged)
        );
        assert_eq!(TimestampRole::of("Reported at"), None);
    }
}
