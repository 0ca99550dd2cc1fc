//! The built-in templates, compiled in from `assets/postmortem/templates/` so the app and the
//! CLI need no files beside them. Team templates are stored in the database (see
//! `Store::add_postmortem_template`).

use vigil_core::postmortem::{parse_template, Template};

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
