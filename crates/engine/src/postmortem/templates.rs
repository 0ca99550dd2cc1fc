//! The built-in templates, compiled in from `assets/postmortem/templates/` so the app and the
//! CLI need no files beside them. Team templates are stored in the database (see
//! `Store::add_postmortem_template`).

use vigil_core::postmortem::{parse_template, PostmortemFacts, Section, Template};

/// The template used when none is named.
pub const DEFAULT_TEMPLATE: &str = "default";

const BUILTIN: [(&str, &str); 3] = [
    (
        "default",
        include_str!("../../../../assets/postmortem/templates/default.md"),
    ),
    (
        "short",
        include_str!("../../../../assets/postmortem/templates/short.md"),
    ),
    (
        "phases",
        include_str!("../../../../assets/postmortem/templates/phases.md"),
    ),
];

/// Every built-in template, default first.
pub fn builtin_templates() -> Vec<Template> {
    BUILTIN
        .iter()
        .filter_map(|(name, text)| parse_template(name, text).ok())
        .collect()
}

/// The built-in template called `name`.
pub fn builtin_template(name: &str) -> Option<Template> {
    builtin_templates().into_iter().find(|t| t.name == name)
}

/// A new document's sections from `template`; the impact section starts with the impact
/// window and services from the facts, the rest are empty for the writer.
pub fn prefilled_sections(template: &Template, facts: &PostmortemFacts) -> Vec<Section> {
    template
        .sections
        .iter()
        .map(|s| Section {
            key: s.key.clone(),
            title: s.title.clone(),
            prompt: s.prompt.clone(),
            body: if s.key == "impact" {
                impact_text(facts)
            } else {
                String::new()
            },
        })
        .collect()
}

fn impact_text(facts: &PostmortemFacts) -> String {
    let end = facts
        .impact_ended_at
        .map_or("(still open)".to_owned(), |e| {
            e.format("%Y-%m-%d %H:%M:%S UTC").to_string()
        });
    let services = if facts.services.is_empty() {
        "no service named by the source".to_owned()
    } else {
        facts.services.join(", ")
    };
    format!(
        "Impact window: {} to {end}. Services: {services}.",
        facts.impact_started_at.format("%Y-%m-%d %H:%M:%S UTC")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_template_parses() {
        for (name, text) in BUILTIN {
            assert!(parse_template(name, text).is_ok(), "{name}");
        }
        assert_eq!(builtin_templates().len(), BUILTIN.len());
    }

    #[test]
    fn the_default_template_has_the_sections_a_full_review_needs() {
        let t = builtin_template(DEFAULT_TEMPLATE).expect("default template");
        let keys: Vec<_> = t.sections.iter().map(|s| s.key.as_str()).collect();
        for key in [
            "summary",
            "impact",
            "timeline",
            "detection",
            "response-and-recovery",
            "contributing-factors-and-root-causes",
            "trigger",
            "five-whys",
            "what-went-well",
            "what-went-wrong",
            "where-we-got-lucky",
            "action-items",
            "supporting-information",
        ] {
            assert!(keys.contains(&key), "{key} missing");
        }
    }
}
