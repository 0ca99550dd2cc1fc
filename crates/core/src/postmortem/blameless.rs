//! Blameless-language hints: phrases that point at a person where a postmortem should describe
//! the conditions that made the mistake easy. They are hints for the writer, never a gate: the
//! engine saves whatever is written.
//!
//! The matcher is deliberately simple (case-insensitive phrases on word boundaries, plus "NAME
//! caused" where the word before "caused" is capitalised). It misses blame phrased in other
//! words and may flag a quoted phrase; a language model or a per-team phrase list would do
//! better, and the list below is the place to extend.

use serde::{Deserialize, Serialize};

/// One phrase found, with a way to say it without blame.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlameHint {
    /// Byte offset of the phrase in the text.
    pub start: usize,
    /// Byte offset just past it.
    pub end: usize,
    /// The phrase as written.
    pub phrase: String,
    /// What to write about instead.
    pub suggestion: String,
}

const PHRASES: [(&str, &str); 12] = [
    ("human error", "Describe what made the action easy to get wrong: the tool, the interface, the missing check."),
    ("should have", "Say what the person knew at the time and what would have made the other choice obvious."),
    ("should've", "Say what the person knew at the time and what would have made the other choice obvious."),
    ("failed to", "Describe the condition that let the step be skipped (no reminder, no check, no alert)."),
    ("careless", "Describe the pressure or missing safeguard, not a trait of the person."),
    ("negligent", "Describe the pressure or missing safeguard, not a trait of the person."),
    ("forgot to", "Ask what would have reminded anyone: a checklist, an automated step, a guard."),
    ("didn't bother", "Describe what made the step look optional at the time."),
    ("his fault", "Name the system condition; faults in a postmortem belong to processes and tools."),
    ("her fault", "Name the system condition; faults in a postmortem belong to processes and tools."),
    ("their fault", "Name the system condition; faults in a postmortem belong to processes and tools."),
    ("blame", "A postmortem looks for causes in the system; say which condition allowed this."),
];

const CAUSED: &str =
    "Name the change or condition that caused it (\"the deploy at 10:02 caused\"), not the person.";

/// Finds blaming phrases in `text`, in order of position.
pub fn blame_hints(text: &str) -> Vec<BlameHint> {
    let lower = text.to_lowercase();
    // Lower-casing can change byte lengths (some non-ASCII letters), and then offsets into
    // `lower` would not fit `text`; such texts are searched as written, case and all.
    let haystack = if lower.len() == text.len() {
        &lower
    } else {
        text
    };
    let mut hints = Vec::new();
    find_all(text, haystack, &mut hints);
    hints
}

fn find_all(text: &str, haystack: &str, hints: &mut Vec<BlameHint>) {
    for (phrase, suggestion) in PHRASES {
        for (start, _) in haystack.match_indices(phrase) {
            let end = start + phrase.len();
            if on_word_boundary(haystack, start, end) {
                hints.push(hint(text, start, end, suggestion));
            }
        }
    }
    for (at, _) in haystack.match_indices(" caused") {
        let end = at + " caused".len();
        if !on_word_boundary(haystack, at + 1, end) {
            continue;
        }
        let before = &text[..at];
        let word_start = before
            .rfind(|c: char| !c.is_alphanumeric() && c != '\'' && c != '-')
            .map_or(0, |i| i + 1);
        let word = &text[word_start..at];
        let is_name = word.chars().next().is_some_and(char::is_uppercase)
            && !matches!(word, "This" | "It" | "What" | "That" | "Which" | "The");
        if is_name {
            hints.push(hint(text, word_start, end, CAUSED));
        }
    }
    hints.sort_by_key(|h| h.start);
    hints.dedup_by_key(|h| h.start);
}

fn hint(text: &str, start: usize, end: usize, suggestion: &str) -> BlameHint {
    BlameHint {
        start,
        end,
        phrase: text[start..end].to_owned(),
        suggestion: suggestion.to_owned(),
    }
}

fn on_word_boundary(s: &str, start: usize, end: usize) -> bool {
    let before = s[..start].chars().next_back();
    let after = s[end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blaming_phrases_are_found_with_their_spans() {
        let text = "Dana caused the outage. It was human error: she should have checked.";
        let hints = blame_hints(text);
        let phrases: Vec<_> = hints.iter().map(|h| h.phrase.as_str()).collect();
        assert_eq!(phrases, ["Dana caused", "human error", "should have"]);
        for h in &hints {
            assert_eq!(&text[h.start..h.end], h.phrase);
            assert!(!h.suggestion.is_empty());
        }
    }

    #[test]
    fn a_system_condition_as_the_cause_is_not_flagged() {
        let text = "The expired certificate caused the outage. This caused retries.";
        assert!(blame_hints(text).is_empty());
    }

    #[test]
    fn phrases_inside_longer_words_are_not_flagged() {
        assert!(blame_hints("blameless reviews; unfailed tofu").is_empty());
        assert_eq!(blame_hints("We FAILED TO page.").len(), 1);
    }
}
