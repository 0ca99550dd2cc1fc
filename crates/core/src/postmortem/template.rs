//! Postmortem templates: which sections a document has and what each asks the writer.
//!
//! A template is Markdown, so a team can write its own in any editor: the `# ` heading is its
//! title, any text before the first `## ` heading describes it, and each `## ` heading starts a
//! section whose text is the prompt shown to the writer.

use serde::{Deserialize, Serialize};

/// A template a postmortem can start from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Template {
    /// The name it is chosen by (`default`, `short`, a team's own).
    pub name: String,
    /// The title shown in a picker.
    pub title: String,
    /// When to use it.
    pub description: String,
    /// The sections, in order.
    pub sections: Vec<TemplateSection>,
}

/// One section a template asks for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateSection {
    /// The stable key, the slug of the heading.
    pub key: String,
    /// The heading.
    pub title: String,
    /// What the writer should cover.
    pub prompt: String,
}

/// Why a template's text is not usable.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    /// The name must work as a command-line argument.
    #[error("a template name needs letters, digits or dashes only (got {0:?}); pick another")]
    BadName(String),
    /// Without a `# ` title the picker has nothing to show.
    #[error("template {0}: start the file with a `# Title` line")]
    NoTitle(String),
    /// A template without sections would make an empty document.
    #[error("template {0}: add at least one `## Section` heading")]
    NoSections(String),
    /// Two headings with the same key would save into each other.
    #[error("template {name}: the section {key:?} appears twice; give each heading its own words")]
    DuplicateSection {
        /// The template.
        name: String,
        /// The repeated key.
        key: String,
    },
}

/// A heading as a stable key: lower case, words joined by dashes.
pub fn slug(heading: &str) -> String {
    let mut out = String::new();
    for word in heading
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push('-');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

/// Reads a template's Markdown.
pub fn parse_template(name: &str, text: &str) -> Result<Template, TemplateError> {
    let valid = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !valid {
        return Err(TemplateError::BadName(name.to_owned()));
    }
    let mut title = None;
    let mut description = String::new();
    let mut sections: Vec<TemplateSection> = Vec::new();
    for line in text.lines() {
        if let Some(h) = line.strip_prefix("## ") {
            let heading = h.trim().to_owned();
            let key = slug(&heading);
            if sections.iter().any(|s| s.key == key) {
                return Err(TemplateError::DuplicateSection {
                    name: name.to_owned(),
                    key,
                });
            }
            sections.push(TemplateSection {
                key,
                title: heading,
                prompt: String::new(),
            });
        } else if let (None, Some(h)) = (&title, line.strip_prefix("# ")) {
            title = Some(h.trim().to_owned());
        } else if let Some(section) = sections.last_mut() {
            push_line(&mut section.prompt, line);
        } else if title.is_some() {
            push_line(&mut description, line);
        }
    }
    let title = title.ok_or_else(|| TemplateError::NoTitle(name.to_owned()))?;
    if sections.is_empty() {
        return Err(TemplateError::NoSections(name.to_owned()));
    }
    for s in &mut sections {
        s.prompt = s.prompt.trim().to_owned();
    }
    Ok(Template {
        name: name.to_owned(),
        title,
        description: description.trim().to_owned(),
        sections,
    })
}

fn push_line(to: &mut String, line: &str) {
    to.push_str(line);
    to.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_template_reads_its_title_description_and_sections_in_order() {
        let t = parse_template(
            "mini",
            "# Mini review\n\nFor small things.\n\n## What happened\n\nTell it.\n\n## Next steps\n",
        )
        .expect("valid");
        assert_eq!(t.title, "Mini review");
        assert_eq!(t.description, "For small things.");
        let keys: Vec<_> = t.sections.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(keys, ["what-happened", "next-steps"]);
        assert_eq!(t.sections[0].prompt, "Tell it.");
    }

    #[test]
    fn a_template_with_a_repeated_heading_is_refused() {
        let err = parse_template("x", "# X\n## Impact\n## impact\n").unwrap_err();
        assert!(matches!(err, TemplateError::DuplicateSection { .. }));
    }

    #[test]
    fn a_heading_becomes_a_dashed_lower_case_key() {
        assert_eq!(
            slug("Contributing factors & root causes"),
            "contributing-factors-root-causes"
        );
        assert_eq!(slug("Five whys"), "five-whys");
    }
}
