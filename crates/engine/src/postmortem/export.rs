//! A postmortem as a Markdown file or a self-contained HTML page, both carrying the facts
//! (impact window, durations with their definitions), the timeline and the action items.
//!
//! PDF is not offered yet: the shared report library the design asks for (typst or printpdf)
//! is not in the workspace, and `vigil postmortem export --format pdf` says so. Printing the
//! HTML page to PDF from a browser is the route until it is.

use std::fmt::Write as _;

use vigil_core::postmortem::{
    render_markdown, MarkdownExtras, Postmortem, PrefillDurations, DURATION_DEFINITIONS,
};

/// The Markdown export.
pub fn export_markdown(pm: &Postmortem) -> String {
    let mut extras = MarkdownExtras {
        preamble: facts_markdown(pm),
        ..MarkdownExtras::default()
    };
    let timeline = timeline_markdown(pm);
    let actions = actions_markdown(pm);
    place_after(pm, &mut extras, &["timeline"], timeline);
    place_after(pm, &mut extras, &["action-items", "follow-up"], actions);
    render_markdown(&pm.title, &pm.sections, &extras)
}

/// Puts `block` after the first section with one of `keys`, or else after the last section,
/// so a template without such a section still shows it.
fn place_after(pm: &Postmortem, extras: &mut MarkdownExtras, keys: &[&str], block: String) {
    let key = pm
        .sections
        .iter()
        .find(|s| keys.contains(&s.key.as_str()))
        .or(pm.sections.last())
        .map(|s| s.key.clone());
    match key {
        Some(k) => {
            let slot = extras.after_section.entry(k).or_default();
            if !slot.is_empty() {
                slot.push_str("\n\n");
            }
            slot.push_str(&block);
        }
        None => {
            extras.preamble.push_str("\n\n");
            extras.preamble.push_str(&block);
        }
    }
}

/// A duration as people read it, with the exact seconds beside it.
pub fn format_duration(seconds: Option<i64>) -> String {
    let Some(s) = seconds else {
        return "not recorded".to_owned();
    };
    let (h, m, sec) = (s / 3600, s % 3600 / 60, s % 60);
    let readable = match (h, m) {
        (0, 0) => format!("{sec}s"),
        (0, _) => format!("{m}m {sec:02}s"),
        _ => format!("{h}h {m:02}m {sec:02}s"),
    };
    format!("{readable} ({s} s)")
}

fn durations(d: &PrefillDurations) -> [Option<i64>; 4] {
    [
        d.detect_seconds,
        d.acknowledge_seconds,
        d.mitigate_seconds,
        d.resolve_seconds,
    ]
}

fn when(at: Option<chrono::DateTime<chrono::Utc>>) -> String {
    at.map_or("still open".to_owned(), |a| {
        a.format("%Y-%m-%d %H:%M:%S UTC").to_string()
    })
}

fn facts_markdown(pm: &Postmortem) -> String {
    let f = &pm.facts;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Status: {} | Template: {}",
        pm.status.as_str(),
        pm.template
    );
    let _ = writeln!(out, "\n| Fact | Value |\n|---|---|");
    let _ = writeln!(out, "| Started | {} |", when(Some(f.started_at)));
    let _ = writeln!(out, "| Resolved | {} |", when(f.resolved_at));
    let _ = writeln!(
        out,
        "| Impact window | {} to {} |",
        when(Some(f.impact_started_at)),
        when(f.impact_ended_at)
    );
    let _ = writeln!(out, "| Services | {} |", cell(&f.services.join(", ")));
    let _ = writeln!(out, "| Responders | {} |", cell(&f.responders.join(", ")));
    let _ = writeln!(out, "| Incidents | {} |", pm.incidents.len());
    for ((name, definition), secs) in DURATION_DEFINITIONS.iter().zip(durations(&f.durations)) {
        let _ = writeln!(out, "| {name} | {} ({definition}) |", format_duration(secs));
    }
    out
}

fn timeline_markdown(pm: &Postmortem) -> String {
    let mut out = String::from("| Time (UTC) | Key moment | What happened | Who | Note |\n");
    out.push_str("|---|---|---|---|---|\n");
    for t in &pm.timeline {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            t.at.format("%Y-%m-%d %H:%M:%S"),
            t.key_moment.map_or("", |k| k.label()),
            cell(&t.summary),
            cell(t.actor.as_deref().unwrap_or("")),
            cell(t.annotation.as_deref().unwrap_or("")),
        );
    }
    out
}

fn actions_markdown(pm: &Postmortem) -> String {
    let mut out =
        String::from("| Action | Owner | Due | Priority | Status | Ticket | FMEA action |\n");
    out.push_str("|---|---|---|---|---|---|---|\n");
    for a in &pm.actions {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            cell(&a.description),
            cell(a.owner.as_deref().unwrap_or("")),
            a.due.map(|d| d.to_string()).unwrap_or_default(),
            a.priority.as_str(),
            a.status.as_str(),
            cell(a.ticket_url.as_deref().unwrap_or("")),
            cell(a.fmea_action_id.as_deref().unwrap_or("")),
        );
    }
    out
}

/// Text safe inside a Markdown table cell: one line, pipes escaped.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace(['\n', '\r'], " ")
}

/// The HTML export: the same content as the Markdown, section bodies rendered with
/// pulldown-cmark, in one page with inline styles so it opens anywhere.
pub fn export_html(pm: &Postmortem) -> String {
    // The round-trip markers are for imports; a page has no use for them.
    let markdown: String = export_markdown(pm)
        .lines()
        .filter(|l| !l.starts_with("<!-- vigil:") && !l.starts_with("<!-- /vigil:"))
        .flat_map(|l| [l, "\n"])
        .collect();
    let body = markdown_to_html(&markdown);
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        escape(&pm.title)
    )
}

fn markdown_to_html(markdown: &str) -> String {
    use pulldown_cmark::{html, Options, Parser};
    let parser = Parser::new_ext(
        markdown,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    );
    let mut out = String::new();
    html::push_html(&mut out, parser);
    out
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const STYLE: &str = "body{font-family:sans-serif;max-width:60rem;margin:2rem auto;\
line-height:1.5;color:#222}table{border-collapse:collapse;margin:1rem 0}\
td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left;vertical-align:top}\
th{background:#f3f3f3}h2{border-bottom:1px solid #ddd;margin-top:2rem}";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_duration_reads_in_hours_minutes_and_exact_seconds() {
        assert_eq!(format_duration(Some(3723)), "1h 02m 03s (3723 s)");
        assert_eq!(format_duration(Some(59)), "59s (59 s)");
        assert_eq!(format_duration(None), "not recorded");
    }
}
