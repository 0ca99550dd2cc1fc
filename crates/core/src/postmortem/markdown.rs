//! A postmortem as one Markdown file, and back.
//!
//! The file is plain Markdown anyone can read, with two kinds of HTML comments that readers do
//! not see: `<!-- vigil:section KEY -->` under each `## ` heading keeps the section's key even
//! when its heading is reworded, and `<!-- vigil:generated -->` ... `<!-- /vigil:generated -->`
//! wraps what Vigil writes from its own data (facts, the timeline table, action items), which an
//! import skips, so exporting and importing again gives the same sections.
//!
//! Known limit: a `# ` or `## ` heading inside a section body (outside a code fence) starts a new
//! section on import. Bodies should use `###` and deeper; the editor could demote such headings
//! on save to remove the limit.

use std::collections::BTreeMap;

use super::document::Section;
use super::template::slug;

const GENERATED_OPEN: &str = "<!-- vigil:generated -->";
const GENERATED_CLOSE: &str = "<!-- /vigil:generated -->";
const SECTION_MARK: &str = "<!-- vigil:section ";

/// What Vigil adds to an export from its own records.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MarkdownExtras {
    /// Written under the title (the facts and durations).
    pub preamble: String,
    /// Written after the body of the section with that key (the timeline, the action items).
    pub after_section: BTreeMap<String, String>,
}

/// A postmortem read back from Markdown.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MarkdownDocument {
    /// The `# ` title.
    pub title: String,
    /// The sections, in file order, prompts empty.
    pub sections: Vec<Section>,
}

/// A section body as stored: no blank lines before it, no trailing whitespace. Saving and
/// importing both apply it, so a round trip compares equal.
pub fn normalise_body(body: &str) -> String {
    let start = body
        .lines()
        .take_while(|l| l.trim().is_empty())
        .map(|l| l.len() + 1)
        .sum::<usize>()
        .min(body.len());
    body[start..].trim_end().to_owned()
}

/// Writes the document.
pub fn render_markdown(title: &str, sections: &[Section], extras: &MarkdownExtras) -> String {
    let mut out = format!("# {}\n\n", title.trim());
    push_generated(&mut out, &extras.preamble);
    for s in sections {
        out.push_str(&format!(
            "## {}\n{SECTION_MARK}{} -->\n\n",
            s.title.trim(),
            s.key
        ));
        let body = normalise_body(&s.body);
        if !body.is_empty() {
            out.push_str(&body);
            out.push_str("\n\n");
        }
        if let Some(extra) = extras.after_section.get(&s.key) {
            push_generated(&mut out, extra);
        }
    }
    out
}

fn push_generated(out: &mut String, text: &str) {
    if text.trim().is_empty() {
        return;
    }
    out.push_str(GENERATED_OPEN);
    out.push('\n');
    out.push_str(text.trim_end());
    out.push('\n');
    out.push_str(GENERATED_CLOSE);
    out.push_str("\n\n");
}

/// Reads a document written by [`render_markdown`] or by hand.
pub fn parse_markdown(text: &str) -> MarkdownDocument {
    let mut doc = MarkdownDocument::default();
    let mut in_fence: Option<&str> = None;
    let mut in_generated = false;
    let mut expect_mark = false;
    for line in text.lines() {
        let trimmed = line.trim();
        if in_generated {
            in_generated = trimmed != GENERATED_CLOSE;
            continue;
        }
        if let Some(fence) = in_fence {
            if trimmed.starts_with(fence) {
                in_fence = None;
            }
        } else if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = Some(&trimmed[..3]);
        } else if trimmed == GENERATED_OPEN {
            in_generated = true;
            continue;
        } else if let Some(h) = line.strip_prefix("## ") {
            doc.sections.push(Section {
                key: slug(h),
                title: h.trim().to_owned(),
                prompt: String::new(),
                body: String::new(),
            });
            expect_mark = true;
            continue;
        } else if let (true, Some(h)) = (doc.title.is_empty(), line.strip_prefix("# ")) {
            doc.title = h.trim().to_owned();
            continue;
        }
        if std::mem::take(&mut expect_mark) {
            if let Some(key) = section_mark(trimmed) {
                if let Some(s) = doc.sections.last_mut() {
                    s.key = key.to_owned();
                }
                continue;
            }
        }
        if let Some(s) = doc.sections.last_mut() {
            s.body.push_str(line);
            s.body.push('\n');
        }
    }
    for s in &mut doc.sections {
        s.body = normalise_body(&s.body);
    }
    doc
}

fn section_mark(line: &str) -> Option<&str> {
    line.strip_prefix(SECTION_MARK)?
        .strip_suffix("-->")
        .map(str::trim)
        .filter(|k| !k.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(key: &str, title: &str, body: &str) -> Section {
        Section {
            key: key.into(),
            title: title.into(),
            prompt: "never exported".into(),
            body: body.into(),
        }
    }

    #[test]
    fn export_then_import_gives_the_same_sections_and_skips_generated_blocks() {
        let sections = vec![
            section(
                "summary",
                "Summary",
                "The cache ran out of memory.\n\n- one\n- two",
            ),
            section("timeline", "Timeline (UTC)", "```\n## not a heading\n```"),
            section("five-whys", "Five whys", ""),
        ];
        let mut extras = MarkdownExtras {
            preamble: "| Time to resolve | 1h |".into(),
            ..MarkdownExtras::default()
        };
        extras.after_section.insert(
            "timeline".into(),
            "## generated heading\n| 10:00 | page |".into(),
        );

        let text = render_markdown("Cache outage", &sections, &extras);
        let back = parse_markdown(&text);

        assert_eq!(back.title, "Cache outage");
        let strip = |s: &Section| (s.key.clone(), s.title.clone(), s.body.clone());
        assert_eq!(
            back.sections.iter().map(strip).collect::<Vec<_>>(),
            sections.iter().map(strip).collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_hand_written_file_without_marks_takes_keys_from_its_headings() {
        let doc = parse_markdown("# T\n\n## What went well\n\nPaging worked.\n");
        assert_eq!(doc.sections[0].key, "what-went-well");
        assert_eq!(doc.sections[0].body, "Paging worked.");
    }

    #[test]
    fn a_body_keeps_its_indentation_but_loses_surrounding_blank_lines() {
        assert_eq!(normalise_body("\n\n    code\n\n"), "    code");
    }
}
